//! `/teach/bank/:code/analysis`: item analysis of a course's test for its bank staff: the
//! test's summary (mean, spread, Cronbach's alpha), a histogram of scores drawn as SVG on the
//! server with the same numbers in a table, and per question facility, discrimination,
//! point-biserial and option counts, negative discrimination flagged in words.

use crate::{
    api::item_analysis::{item_analysis, AnalysisBody, ItemAnalysisView, QuestionRow, TestSummary},
    components::status::ErrorPanel,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ItemAnalysisPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let data = Resource::new(code, item_analysis);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Analysis v/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Analysis(v: ItemAnalysisView) -> impl IntoView {
    let body = match v.body {
        AnalysisBody::NotEnough(message) => {
            view! { <p class="notice" role="status">{message}</p> }.into_any()
        }
        AnalysisBody::Ready(summary) => view! { <Ready summary/> }.into_any(),
    };
    view! {
        <Title text=format!("Item analysis · {}", v.title)/>
        <p class="breadcrumb"><a href=format!("/teach/bank/{}", v.code)>"Question bank"</a></p>
        <h1>{format!("Item analysis: {}", v.title)}</h1>
        <p class="lead">"From every finished and fully graded attempt of the test. Attempts waiting for grading are left out until they are graded."</p>
        {body}
    }
}

#[component]
fn Ready(summary: TestSummary) -> impl IntoView {
    let TestSummary {
        attempts,
        mean,
        sd,
        alpha,
        alpha_note,
        bands,
        histogram_label,
        questions,
        flagged,
    } = summary;
    view! {
        <section class="panel" aria-labelledby="summary-heading">
            <h2 id="summary-heading">"The test"</h2>
            <dl class="facts">
                <div><dt>"Attempts"</dt><dd>{attempts}</dd></div>
                <div><dt>"Mean score"</dt><dd>{mean}</dd></div>
                <div><dt>"Standard deviation"</dt><dd>{sd}</dd></div>
                <div><dt>"Cronbach's alpha"</dt><dd>{alpha}</dd></div>
            </dl>
            <p>{alpha_note}</p>
        </section>
        <section class="panel" aria-labelledby="histogram-heading">
            <h2 id="histogram-heading">"Scores"</h2>
            <Histogram bands=bands.clone() label=histogram_label/>
            <div class="table-wrap">
                <table>
                    <caption>"Attempts per score band"</caption>
                    <thead><tr><th scope="col">"Score"</th><th scope="col">"Attempts"</th></tr></thead>
                    <tbody>
                        {bands.into_iter().map(|(band, n)| view! {
                            <tr><th scope="row">{band}</th><td>{n}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="panel" aria-labelledby="questions-heading">
            <h2 id="questions-heading">{format!("Questions ({})", questions.len())}</h2>
            <ul>
                <li><strong>"Facility"</strong>": the share of the points earned, from 0 (nobody) to 1 (everybody). Below 0.30 is hard, above 0.90 easy."</li>
                <li><strong>"Discrimination"</strong>": the facility of the best 27% of the attempts that drew the question minus that of the weakest 27%. 0.30 or more separates well; below 0.20 weakly."</li>
                <li><strong>"Point-biserial"</strong>": how closely the question's score goes with the rest of the test (−1 to 1)."</li>
            </ul>
            {(flagged > 0).then(|| view! {
                <p class="flag-summary">
                    <span aria-hidden="true">"⚠ "</span>
                    {format!("{flagged} question{} with negative discrimination: weaker candidates did better on {}. Check the key and the wording.",
                        if flagged == 1 { "" } else { "s" }, if flagged == 1 { "it" } else { "them" })}
                </p>
            })}
            // Wider than a narrow screen: the wrapper scrolls, so it takes keyboard focus.
            <div class="table-wrap" tabindex="0" role="region" aria-label="Questions table">
                <table>
                    <caption>"How each question performed"</caption>
                    <thead><tr>
                        <th scope="col">"Question"</th>
                        <th scope="col">"Version"</th>
                        <th scope="col">"Attempts"</th>
                        <th scope="col">"Facility"</th>
                        <th scope="col">"Discrimination"</th>
                        <th scope="col">"Point-biserial"</th>
                        <th scope="col">"Options chosen"</th>
                        <th scope="col">"Review"</th>
                    </tr></thead>
                    <tbody>
                        {questions.into_iter().map(|q| view! { <QuestionLine q/> }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn QuestionLine(q: QuestionRow) -> impl IntoView {
    let stats = match q.stats {
        Ok(s) => {
            let review = if s.negative {
                view! {
                    <strong class="flag"><span aria-hidden="true">"⚠ "</span>"Negative discrimination: review this question"</strong>
                }
                .into_any()
            } else {
                view! { <span>"No concerns"</span> }.into_any()
            };
            view! {
                <td>{s.facility}</td>
                <td>{s.discrimination}</td>
                <td>{s.point_biserial}</td>
                <td>{options_list(q.options)}</td>
                <td>{review}</td>
            }
            .into_any()
        }
        Err(why) => view! { <td colspan="5">{why}</td> }.into_any(),
    };
    view! {
        <tr>
            <th scope="row">{q.label}<br/><span class="hint">{q.kind}</span></th>
            <td>{q.version}</td>
            <td>{q.attempts}</td>
            {stats}
        </tr>
    }
}

fn options_list(options: Vec<String>) -> impl IntoView {
    if options.is_empty() {
        return view! { <span>"Typed answers"</span> }.into_any();
    }
    view! {
        <ul class="compact">{options.into_iter().map(|o| view! { <li>{o}</li> }).collect_view()}</ul>
    }
    .into_any()
}

/// Plot area of the histogram, in SVG user units.
const LEFT: f64 = 48.0;
const BAND: f64 = 40.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 186.0;

/// One bar: (x, y, height) in SVG units; zero counts have no height.
fn bar(index: usize, count: usize, most: usize) -> (f64, f64, f64) {
    let height = if most == 0 {
        0.0
    } else {
        tenth((BOTTOM - TOP) * count as f64 / most as f64)
    };
    (
        LEFT + index as f64 * BAND + 4.0,
        tenth(BOTTOM - height),
        height,
    )
}

/// Rounded to a tenth of a unit: finer than any screen shows, and short in the page.
fn tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Bars of attempts per score band with axis labels; `role="img"` with `label` read out in
/// its place (the table after it has every number).
#[component]
fn Histogram(bands: Vec<(String, usize)>, label: String) -> impl IntoView {
    let most = bands.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let middle = (most >= 2).then_some(most.div_ceil(2));
    let y_of = move |n: usize| tenth(BOTTOM - (BOTTOM - TOP) * n as f64 / most.max(1) as f64);
    view! {
        <svg class="histogram" viewBox="0 0 460 240" role="img" aria-label=label>
            <line x1=LEFT y1=BOTTOM x2=LEFT + 10.0 * BAND y2=BOTTOM stroke="#1c2430"/>
            <line x1=LEFT y1=TOP x2=LEFT y2=BOTTOM stroke="#1c2430"/>
            {[Some(0), middle, Some(most)].into_iter().flatten().map(|n| view! {
                <text x=LEFT - 6.0 y=y_of(n) + 4.0 text-anchor="end" font-size="11" fill="#1c2430">{n}</text>
            }).collect_view()}
            {(0..=10).map(|i| view! {
                <text x=LEFT + i as f64 * BAND y=BOTTOM + 16.0 text-anchor="middle" font-size="11" fill="#1c2430">{i * 10}</text>
            }).collect_view()}
            {bands.into_iter().enumerate().map(|(i, (_, n))| {
                let (x, y, height) = bar(i, n, most);
                view! {
                    <rect x=x y=y width=BAND - 8.0 height=height fill="#17456b"/>
                    {(n > 0).then(|| view! {
                        <text x=x + (BAND - 8.0) / 2.0 y=y - 4.0 text-anchor="middle" font-size="11" fill="#1c2430">{n}</text>
                    })}
                }
            }).collect_view()}
            <text x=LEFT + 5.0 * BAND y="228" text-anchor="middle" font-size="12" fill="#1c2430">"Score (%)"</text>
            <text x="14" y=(TOP + BOTTOM) / 2.0 text-anchor="middle" font-size="12" fill="#1c2430" transform=format!("rotate(-90 14 {})", (TOP + BOTTOM) / 2.0)>"Attempts"</text>
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_tallest() {
        assert_eq!(bar(0, 4, 4), (52.0, TOP, BOTTOM - TOP));
        assert_eq!(
            bar(9, 2, 4),
            (52.0 + 360.0, (TOP + BOTTOM) / 2.0, (BOTTOM - TOP) / 2.0)
        );
        assert_eq!(bar(3, 0, 0).2, 0.0);
    }
}
