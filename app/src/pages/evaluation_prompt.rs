//! The dashboard's request to evaluate classes that ended lately (nothing when there are
//! none).

use crate::api::evaluations::my_waiting_evaluations;
use leptos::prelude::*;

#[component]
pub fn EvaluationPrompt() -> impl IntoView {
    let waiting = Resource::new(|| (), |_| my_waiting_evaluations());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match waiting.await {
                    Ok(list) if !list.is_empty() => view! {
                        <section class="panel" aria-labelledby="evaluations-heading">
                            <h2 id="evaluations-heading">"Tell us how your class went"</h2>
                            <p>"Five ratings and, if you like, a comment: it helps the instructors and the training office. You can send each evaluation once."</p>
                            <ul class="link-list">
                                {list.into_iter().map(|w| view! {
                                    <li>
                                        <a href=format!("/registrations/{}/evaluation", w.registration_id)>{format!("Evaluate {}", w.course_title)}</a>
                                        {format!(" — the class ended on {}", w.ended)}
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}
