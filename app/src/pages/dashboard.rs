use crate::{
    api::{
        check_in::SelfCheckIn,
        offerings::{my_registrations, CancelRegistration},
    },
    components::{form::last_error, layout::use_session},
    domain::role::Role,
    model::{CurrentUser, MyRegistrationView},
    pages::teach_overview::TeachingOverviewPanel,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// The signed-in person's home: what they can do next, by role.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let user = use_session().user;
    view! {
        <Title text="Dashboard"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await.ok().flatten() {
                    Some(user) => view! { <Dashboard user/> }.into_any(),
                    None => view! { <Redirect path="/signin"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Dashboard(user: CurrentUser) -> impl IntoView {
    let role = user.role;
    view! {
        <div class="dashboard-head">
            <h1>{format!("Welcome, {}", user.name)}</h1>
            <p class="role-line">"Role: "<span class="role-badge">{role.title()}</span>" · "{user.agency}</p>
        </div>
        <crate::pages::verify_email::VerifyEmailNotice/>
        {match role {
            Role::Attendee => view! { <AttendeePanel/> }.into_any(),
            Role::Instructor => view! { <InstructorPanel/> }.into_any(),
            Role::Admin => view! { <AdminPanel/> }.into_any(),
        }}
    }
}

#[component]
fn AttendeePanel() -> impl IntoView {
    view! {
        <MembershipStanding/>
        <crate::pages::renewal::RenewalPanel/>
        <crate::pages::evaluation_prompt::EvaluationPrompt/>
        <MyRegistrations/>
    }
}

/// "Member through DATE" or "Membership ended DATE (why)"; nothing for someone never a
/// member.
#[component]
fn MembershipStanding() -> impl IntoView {
    let standing = Resource::new(|| (), |_| crate::api::members::my_membership());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                standing.await.ok().flatten().map(|s| view! {
                    <section class="panel" aria-labelledby="membership-heading">
                        <h2 id="membership-heading">"Membership"</h2>
                        <p class="standing"><strong>{s}</strong></p>
                    </section>
                })
            })}
        </Suspense>
    }
}

/// The person's registrations with status, payment and the next session; cancel until the
/// class starts.
#[component]
fn MyRegistrations() -> impl IntoView {
    let cancel = ServerAction::<CancelRegistration>::new();
    let check_in = ServerAction::<SelfCheckIn>::new();
    let list = Resource::new(
        move || (cancel.version().get(), check_in.version().get()),
        |_| my_registrations(),
    );
    let cancel_error = last_error(cancel.value());
    let check_in_error = last_error(check_in.value());
    let error = Signal::derive(move || check_in_error.get().or_else(|| cancel_error.get()));
    view! {
        <section class="panel" aria-labelledby="registrations-heading">
            <h2 id="registrations-heading">"Your registrations"</h2>
            <JoinMessage/>
            {move || error.get().map(|e| view! { <div class="form-error" role="alert"><p>{e.to_string()}</p></div> })}
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) if items.is_empty() => view! {
                            <p>"You are not registered for a class yet."</p>
                            <p><a class="button" href="/courses">"Browse courses"</a></p>
                        }.into_any(),
                        Ok(items) => view! {
                            <RegistrationTable items=items.clone() cancel check_in/>
                            <AttendanceAndTest items/>
                        }.into_any(),
                        Err(e) => view! { <p>{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn RegistrationTable(
    items: Vec<MyRegistrationView>,
    cancel: ServerAction<CancelRegistration>,
    check_in: ServerAction<SelfCheckIn>,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">"Your registrations"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Course"</th>
                        <th scope="col">"Next session"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Payment"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {items.into_iter().map(|r| {
                        let href = format!("/offerings/{}", r.offering_id);
                        let cancel_label = format!("Cancel registration for {} on {}", r.course_title, r.starts);
                        let invoice_href = format!("/registrations/{}/invoice", r.id);
                        let invoice_text = r.document.title();
                        view! {
                            <tr>
                                <th scope="row"><a href=href>{r.course_title.clone()}</a></th>
                                <td>{r.when.clone()}</td>
                                <td>{r.status}</td>
                                <td>{format!("{} · {}", r.payment, r.amount_due)}" "<a href=invoice_href>{invoice_text}</a></td>
                                <td>
                                    {r.join.map(|(meeting, number)| view! {
                                        {r.join_link.then(|| view! {
                                            <a class="button button-small" href=format!("/join/{meeting}")
                                                aria-label=format!("Join session {number} of {} now", r.course_title)>"Join session"</a>" "
                                        })}
                                        {match r.checked_in.clone() {
                                            Some(text) => view! { <span class="checked-in">{text}</span>" " }.into_any(),
                                            None => view! {
                                                <ActionForm action=check_in attr:class="inline-form">
                                                    <input type="hidden" name="meeting_id" value=meeting/>
                                                    <button type="submit" class="button-secondary button-small"
                                                        aria-label=format!("Check in to session {number} of {}", r.course_title)>"Check in"</button>
                                                </ActionForm>" "
                                            }.into_any(),
                                        }}
                                    })}
                                    {r.can_cancel.then(|| view! {
                                        <ActionForm action=cancel attr:class="inline-form">
                                            <input type="hidden" name="registration_id" value=r.id/>
                                            <button type="submit" class="button-secondary button-small" aria-label=cancel_label>"Cancel"</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Why "Join session" sent the person back, from `?join=`, or that "Check in" worked, from
/// `?checked_in=`.
#[component]
fn JoinMessage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    move || {
        if query.read().get("checked_in").is_some() && query.read().get("join").is_none() {
            return Some(view! { <div class="form-success" role="status"><p>"You are checked in to this session. It counts as attended unless your instructor records otherwise."</p></div> }.into_any());
        }
        let text = match query.read().get("join").as_deref() {
            Some("closed") => "That session is not open for joining: the link opens 15 minutes before it starts and closes when it ends.",
            Some("no_link") => "You are checked in, but the video-meeting link for that session is not set yet. Please contact your instructor or the training office.",
            Some("unknown") => "You do not have a confirmed seat in that session.",
            Some(_) => "Something went wrong on our side. Please try again.",
            None => return None,
        };
        Some(view! { <div class="form-error" role="alert"><p>{text}</p></div> }.into_any())
    }
}

/// Per class with a confirmed seat: attendance so far and whether the person may sit the
/// certification test, and if not, why.
#[component]
fn AttendanceAndTest(items: Vec<MyRegistrationView>) -> impl IntoView {
    let items: Vec<_> = items
        .into_iter()
        .filter(|r| r.test_shortfalls.is_some())
        .collect();
    (!items.is_empty()).then(|| view! {
        <h3>"Attendance and the certification test"</h3>
        {items.into_iter().map(|r| {
            let shortfalls = r.test_shortfalls.unwrap_or_default();
            view! {
                <div class="attendance-summary">
                    <h4>{r.course_title.clone()}</h4>
                    {if r.attendance.is_empty() {
                        view! { <p>"No sessions have started yet."</p> }.into_any()
                    } else {
                        view! { <ul class="compact">{r.attendance.into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}</ul> }.into_any()
                    }}
                    {if let Some(certified) = r.certified {
                        view! {
                            <p class="standing"><strong>{certified}</strong></p>
                            <p><a href="/certificates">"Your certificates"</a></p>
                        }.into_any()
                    } else if shortfalls.is_empty() {
                        view! {
                            <p class="standing"><strong>"You may sit the certification test."</strong></p>
                            <p><a class="button" href=format!("/registrations/{}/test", r.id)>{format!("Go to the test for {}", r.course_title)}</a></p>
                        }.into_any()
                    } else {
                        view! {
                            <p class="standing"><strong>"You may not sit the test yet:"</strong></p>
                            <ul class="compact">{shortfalls.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                        }.into_any()
                    }}
                </div>
            }
        }).collect_view()}
    })
}

#[component]
fn InstructorPanel() -> impl IntoView {
    let classes = Resource::new(|| (), |_| crate::api::teach::my_classes());
    let banks = Resource::new(|| (), |_| crate::api::bank::my_question_banks());
    view! {
        <TeachingOverviewPanel quiet_if_not_teaching=false/>
        <section class="panel" aria-labelledby="teach-heading">
            <h2 id="teach-heading">"Your classes"</h2>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match classes.await {
                        Ok(list) if list.is_empty() => view! { <p>"None yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="link-list">
                                {list.into_iter().map(|(id, title, when)| view! {
                                    <li><a href=format!("/teach/offerings/{id}")>{title}</a>{format!(" — {when}")}</li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <p>{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            // Only the banks of the courses the person teaches: the others would refuse them.
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match banks.await {
                        Ok(list) if list.is_empty() => view! { <p>"You teach no class yet, so no question bank is open to you."</p> }.into_any(),
                        Ok(list) => view! {
                            <p>"Question banks: "
                                {list.into_iter().enumerate().map(|(i, (code, title))| view! {
                                    {(i > 0).then_some(" · ")}
                                    <a href=format!("/teach/bank/{code}")>{title}</a>
                                }).collect_view()}
                            </p>
                        }.into_any(),
                        Err(e) => view! { <p>{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <p><a href="/courses">"See the course catalog"</a></p>
        </section>
    }
}

#[component]
fn AdminPanel() -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="admin-heading">
            <h2 id="admin-heading">"Administration"</h2>
            <ul class="link-list">
                <li><a href="/admin/offerings">"Classes"</a>" — rosters, seats and payments."</li>
                <li><a href="/admin/courses">"Course catalog"</a>" — add and edit courses, fees and topics; test settings and question banks."</li>
                <li><a href="/admin/registrations">"Approvals"</a>" — 911 registrations waiting for an eligibility check."</li>
                <li><a href="/admin/users">"Users and roles"</a>" — give instructors and administrators their roles."</li>
                <li><a href="/admin/ce">"Continuing education done elsewhere"</a>" — record it with its evidence, and approve it for renewal."</li>
                <li><a href="/admin/certificates">"Certificates"</a>" — issue, look up, revoke and import certificates."</li>
                <li><a href="/admin/members">"Members"</a>" — who is a member, through when, and who lapsed (CSV)."</li>
                <li><a href="/admin/shipments">"Guides to ship"</a>" — printed guides waiting to be posted."</li>
                <li><a href="/admin/resources">"Resource area"</a>" — files for certified coordinators."</li>
                <li><a href="/admin/reports">"Reports"</a>" — registrations, fill, attendance, pass rates, certificates and renewals."</li>
                <li><a href="/admin/audit">"Audit log"</a>" — who changed what, and when."</li>
                <li><a href="/courses">"Public course pages"</a>" — what visitors see."</li>
            </ul>
        </section>
        <TeachingOverviewPanel quiet_if_not_teaching=true/>
    }
}
