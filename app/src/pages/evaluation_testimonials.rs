//! The course page's testimonials: comments whose authors agreed to publication and that an
//! administrator published, signed as the evaluation form said (first name and agency).

use crate::api::evaluations::course_testimonials;
use leptos::prelude::*;

/// Nothing when the course has none.
#[component]
pub fn Testimonials(code: String) -> impl IntoView {
    let list = Resource::new(move || code.clone(), course_testimonials);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) if !list.is_empty() => view! {
                        <section class="testimonials" aria-labelledby="testimonials-heading">
                            <h2 id="testimonials-heading">"What participants say"</h2>
                            {list.into_iter().map(|t| view! {
                                <figure class="testimonial">
                                    <blockquote><p>{t.text}</p></blockquote>
                                    <figcaption>{format!("— {}", t.signature)}</figcaption>
                                </figure>
                            }).collect_view()}
                        </section>
                    }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}
