//! `/admin/courses/:code/test`: a course's test settings and blueprint, and publishing it.

use crate::{
    api::exam_admin::{test_settings, PublishTest, SaveTestSettings, TestSettingsView},
    components::{
        form::{
            error_id, field_error, last_error, FieldMessage, FormMessage, SelectField, TextField,
        },
        status::ErrorPanel,
    },
    error::AppError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn TestSettingsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let save = ServerAction::<SaveTestSettings>::new();
    let publish = ServerAction::<PublishTest>::new();
    let code = move || params.read().get("code").unwrap_or_default();
    let data = Resource::new(
        move || (code(), save.version().get(), publish.version().get()),
        |(code, _, _)| test_settings(code),
    );
    let save_error = last_error(save.value());
    let publish_error = last_error(publish.value());
    let saved =
        move || query.read().get("saved").is_some() || matches!(save.value().get(), Some(Ok(())));
    let published = move || {
        query.read().get("published").is_some() || matches!(publish.value().get(), Some(Ok(())))
    };
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! {
                        {move || saved().then(|| view! { <p class="form-success" role="status">"Settings saved. Publish the test when the bank covers the blueprint."</p> })}
                        {move || published().then(|| view! { <p class="form-success" role="status">"The test is published."</p> })}
                        <Settings v save publish save_error publish_error/>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Settings(
    v: TestSettingsView,
    save: ServerAction<SaveTestSettings>,
    publish: ServerAction<PublishTest>,
    save_error: Signal<Option<AppError>>,
    publish_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let blueprint_message = field_error(save_error, "blueprint");
    let drawn: i64 = v.blueprint.iter().map(|b| b.drawn).sum();
    let bank = format!("/teach/bank/{}", v.code);
    let (code, publish_code, title) = (v.code.clone(), v.code.clone(), v.title.clone());
    let rows = v.blueprint.clone();
    view! {
        <Title text=format!("Test settings · {title}")/>
        <p class="breadcrumb"><a href="/admin/courses">"Course catalog"</a></p>
        <h1>{format!("Test settings: {}", v.title.clone())}</h1>
        <p class="lead">{format!("{drawn} questions drawn · {}", if v.published { "published" } else { "not published: nobody can start it" })}</p>
        <p><a href=bank>"Question bank"</a></p>
        <ActionForm action=save attr:class="form" attr:novalidate=true>
            <FormMessage error=save_error/>
            <input type="hidden" name="code" value=code/>
            <TextField label="Time limit (minutes)" name="time_limit_minutes" kind="number" value=v.time_limit_minutes.to_string() error=save_error/>
            <TextField label="Pass mark (%)" name="pass_percent" kind="number" value=v.pass_percent.to_string() error=save_error/>
            <TextField label="Attempts allowed" name="attempts_allowed" kind="number" value=v.attempts_allowed.to_string() error=save_error/>
            <TextField label="Hours to wait between attempts" name="wait_hours" kind="number" value=v.wait_hours.to_string() error=save_error/>
            <TextField label="Scenario groups drawn" name="scenario_groups" kind="number" value=v.scenario_groups.to_string() required=false error=save_error/>
            <SelectField label="After the test, people see" name="review_policy" selected=v.review_policy.clone() error=save_error options=vec![
                ("score".into(), "Their score only".into()),
                ("wrong".into(), "Their score and which questions were wrong".into()),
                ("answers".into(), "Their score and the right answers".into()),
            ]/>
            <div class="field checkbox">
                <input type="checkbox" id="shuffle_questions" name="shuffle_questions" value="on" checked=v.shuffle_questions/>
                <label for="shuffle_questions">"Shuffle the questions"</label>
            </div>
            <div class="field checkbox">
                <input type="checkbox" id="shuffle_options" name="shuffle_options" value="on" checked=v.shuffle_options/>
                <label for="shuffle_options">"Shuffle each question's options (unless its author pinned them)"</label>
            </div>
            <fieldset class="blueprint" aria-describedby=move || blueprint_message.get().map(|_| error_id("blueprint"))>
                <legend>"Blueprint: questions drawn per topic"</legend>
                <FieldMessage field="blueprint" message=blueprint_message/>
                <div class="table-wrap">
                    <table>
                        <caption class="visually-hidden">"Questions per topic"</caption>
                        <thead><tr><th scope="col">"Topic"</th><th scope="col">"Drawn"</th><th scope="col">"Active in the bank"</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|b| {
                                let id = format!("blueprint-{}", b.topic_id);
                                view! {
                                    <tr>
                                        <th scope="row"><label for=id.clone()>{b.title.clone()}</label></th>
                                        <td><input id=id name=format!("blueprint[{}]", b.topic_id) type="number" min="0" max="200" size="4" value=b.drawn.to_string()/></td>
                                        <td>{b.active}{(b.active < b.drawn).then_some(" (not enough)")}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </fieldset>
            <button type="submit" class="button">"Save the settings"</button>
        </ActionForm>
        <section class="panel" aria-labelledby="publish-heading">
            <h2 id="publish-heading">"Publish"</h2>
            <p>"Publishing checks that the bank has enough active questions for every topic of the blueprint, so that nobody finds out when they start."</p>
            <ActionForm action=publish>
                <FormMessage error=publish_error/>
                <input type="hidden" name="code" value=publish_code/>
                <button type="submit" class="button">"Publish the test"</button>
            </ActionForm>
        </section>
    }
}
