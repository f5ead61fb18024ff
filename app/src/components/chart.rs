//! Charts drawn as SVG on the server (they need no JavaScript): a bar chart and a line chart
//! of one series, each value written next to its bar or point (so nothing is told by colour
//! alone), read out by screen readers through its `<title>` and `<desc>`, and followed by the
//! same figures in a table.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One figure of a chart: its label ("Mar 2026", a class, a test), its value (`None`: no
/// data, e.g. a rate of nothing), and for rates the counts it was worked out from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Point {
    pub label: String,
    pub value: Option<u64>,
    /// (part, whole) behind a percent.
    pub of: Option<(u64, u64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChartKind {
    Bar,
    Line,
}

/// A chart and its table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartData {
    /// Unique on the page: the section's anchor and the prefix of the SVG's ids.
    pub id: String,
    pub title: String,
    /// What the chart shows, in a sentence (the SVG's `<desc>`).
    pub description: String,
    pub kind: ChartKind,
    /// Values are whole percents (the scale runs to 100).
    pub percent: bool,
    /// Heading of the labels' column ("Month", "Class").
    pub category: String,
    /// Heading of the values' column ("Registrations", "Fill rate").
    pub measure: String,
    pub points: Vec<Point>,
    /// The CSV download of these figures.
    pub csv_path: String,
}

/// "12", "75%" or "no data".
pub fn value_text(value: Option<u64>, percent: bool) -> String {
    match value {
        None => "no data".to_owned(),
        Some(v) if percent => format!("{v}%"),
        Some(v) => v.to_string(),
    }
}

/// "3 of 4", for rates.
pub fn of_text(of: Option<(u64, u64)>) -> String {
    of.map(|(part, whole)| format!("{part} of {whole}"))
        .unwrap_or_default()
}

/// The drawing area, in SVG user units.
const WIDTH: f64 = 640.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 624.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 210.0;
const HEIGHT: f64 = 290.0;

/// Where the scale ends: 100 for percents, else the largest value rounded up to a number
/// that halves evenly (so the middle tick is a whole number), at least 1.
pub fn scale_top(values: &[Option<u64>], percent: bool) -> u64 {
    if percent {
        return 100;
    }
    let most = values.iter().flatten().copied().max().unwrap_or(0).max(1);
    if most == 1 {
        1
    } else {
        most.div_ceil(2) * 2
    }
}

/// The height on screen of `value` on a scale ending at `top`.
pub fn y_of(value: u64, top: u64) -> f64 {
    tenth(BOTTOM - (BOTTOM - TOP) * value as f64 / top.max(1) as f64)
}

/// The centre of the `i`-th of `n` bands across the plot.
pub fn x_of(i: usize, n: usize) -> f64 {
    let band = (RIGHT - LEFT) / n.max(1) as f64;
    tenth(LEFT + band * (i as f64 + 0.5))
}

fn band_width(n: usize) -> f64 {
    tenth((RIGHT - LEFT) / n.max(1) as f64)
}

/// Rounded to a tenth of a unit: finer than any screen shows, and short in the page.
fn tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The chart, its table and its CSV link, in one section.
#[component]
pub fn Chart(data: ChartData) -> impl IntoView {
    let id = data.id.clone();
    let heading_id = format!("{id}-heading");
    let labelled_by = heading_id.clone();
    let csv = data.csv_path.clone();
    let title = data.title.clone();
    let link_text = format!("Download “{title}” (CSV)");
    let svg_data = data.clone();
    view! {
        <section class="panel report" id=id aria-labelledby=labelled_by>
            <h2 id=heading_id>{title}</h2>
            <ChartSvg data=svg_data/>
            <FigureTable data/>
            <p><a href=csv download="" rel="external">{link_text}</a></p>
        </section>
    }
}

/// The SVG alone: axes, the scale's ends and middle, and each value by its bar or point.
#[component]
pub fn ChartSvg(data: ChartData) -> impl IntoView {
    let n = data.points.len();
    let values: Vec<Option<u64>> = data.points.iter().map(|p| p.value).collect();
    let top = scale_top(&values, data.percent);
    let percent = data.percent;
    let title_id = format!("{}-title", data.id);
    let desc_id = format!("{}-desc", data.id);
    let labelled = format!("{title_id} {desc_id}");
    // Many months: labels slant so that they do not run into each other.
    let longest = data
        .points
        .iter()
        .map(|p| p.label.chars().count())
        .max()
        .unwrap_or(0);
    let slant = n > 8 || longest as f64 * 6.5 > band_width(n);
    let font = if n > 24 { "8" } else { "11" };
    let ticks = [0, top / 2, top];
    let axis_labels = data.points.iter().enumerate().map(|(i, p)| {
        let x = x_of(i, n);
        let y = BOTTOM + 16.0;
        let transform = slant.then(|| format!("rotate(-40 {x} {y})"));
        let anchor = if slant { "end" } else { "middle" };
        view! {
            <text class="chart-label" x=x y=y text-anchor=anchor font-size=font fill="#1c2430" transform=transform>{p.label.clone()}</text>
        }
    }).collect_view();
    let marks = match data.kind {
        ChartKind::Bar => bars(&data.points, top, percent, font).into_any(),
        ChartKind::Line => line(&data.points, top, percent, font).into_any(),
    };
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby=labelled>
            <title id=title_id>{data.title.clone()}</title>
            <desc id=desc_id>{data.description.clone()}</desc>
            <line x1=LEFT y1=BOTTOM x2=RIGHT y2=BOTTOM stroke="#1c2430"/>
            <line x1=LEFT y1=TOP x2=LEFT y2=BOTTOM stroke="#1c2430"/>
            {ticks.into_iter().map(|t| view! {
                <text class="chart-tick" x=LEFT - 6.0 y=y_of(t, top) + 4.0 text-anchor="end" font-size="11" fill="#1c2430">{value_text(Some(t), percent)}</text>
            }).collect_view()}
            {marks}
            {axis_labels}
        </svg>
    }
}

/// Bars with their values above them (or "no data" on the axis).
fn bars(points: &[Point], top: u64, percent: bool, font: &'static str) -> impl IntoView {
    let n = points.len();
    let width = tenth(band_width(n) * 0.7);
    points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let x = x_of(i, n);
            let v = p.value.unwrap_or(0);
            let y = y_of(v, top);
            view! {
                <rect x=tenth(x - width / 2.0) y=y width=width height=tenth(BOTTOM - y) fill="#17456b"/>
                <text class="chart-value" x=x y=y - 4.0 text-anchor="middle" font-size=font fill="#1c2430">{value_text(p.value, percent)}</text>
            }
        })
        .collect_view()
}

/// A line through the points with a value (a gap where there is none), each point marked
/// and labelled.
fn line(points: &[Point], top: u64, percent: bool, font: &'static str) -> impl IntoView {
    let n = points.len();
    let path = line_path(points, top);
    let marks = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let x = x_of(i, n);
            let y = y_of(p.value.unwrap_or(0), top);
            view! {
                {p.value.is_some().then(|| view! { <circle cx=x cy=y r="4" fill="#17456b"/> })}
                <text class="chart-value" x=x y=y - 8.0 text-anchor="middle" font-size=font fill="#1c2430">{value_text(p.value, percent)}</text>
            }
        })
        .collect_view();
    view! {
        <path d=path fill="none" stroke="#17456b" stroke-width="2"/>
        {marks}
    }
}

/// The SVG path of a line chart: "M" starts each run of points that have values, so a month
/// without data breaks the line rather than showing as zero.
pub fn line_path(points: &[Point], top: u64) -> String {
    let n = points.len();
    let mut d = String::new();
    let mut drawing = false;
    for (i, p) in points.iter().enumerate() {
        match p.value {
            Some(v) => {
                let cmd = if drawing { 'L' } else { 'M' };
                if !d.is_empty() {
                    d.push(' ');
                }
                d.push_str(&format!("{cmd}{} {}", x_of(i, n), y_of(v, top)));
                drawing = true;
            }
            None => drawing = false,
        }
    }
    d
}

/// The chart's figures as a table: a row per label.
#[component]
pub fn FigureTable(data: ChartData) -> impl IntoView {
    let rates = data.points.iter().any(|p| p.of.is_some());
    let percent = data.percent;
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=format!("{} table", data.title)>
            <table class="figures">
                <caption>{format!("{} (table)", data.title)}</caption>
                <thead><tr>
                    <th scope="col">{data.category.clone()}</th>
                    <th scope="col">{data.measure.clone()}</th>
                    {rates.then(|| view! { <th scope="col">"Counted"</th> })}
                </tr></thead>
                <tbody>
                    {data.points.into_iter().map(|p| view! {
                        <tr>
                            <th scope="row">{p.label.clone()}</th>
                            <td class="chart-value">{value_text(p.value, percent)}</td>
                            {rates.then(|| view! { <td>{of_text(p.of)}</td> })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(value: Option<u64>) -> Point {
        Point {
            label: String::new(),
            value,
            of: None,
        }
    }

    #[test]
    fn scale_ends_on_an_even_number_or_at_100_for_percents() {
        assert_eq!(scale_top(&[Some(7), None, Some(3)], false), 8);
        assert_eq!(scale_top(&[Some(8)], false), 8);
        assert_eq!(scale_top(&[Some(1)], false), 1);
        assert_eq!(scale_top(&[None, Some(0)], false), 1);
        assert_eq!(scale_top(&[Some(7)], true), 100);
    }

    #[test]
    fn heights_and_bands() {
        assert_eq!(y_of(0, 10), BOTTOM);
        assert_eq!(y_of(10, 10), TOP);
        assert_eq!(y_of(5, 10), (TOP + BOTTOM) / 2.0);
        assert_eq!(x_of(0, 2), LEFT + (RIGHT - LEFT) / 4.0);
        assert_eq!(x_of(1, 2), LEFT + 3.0 * (RIGHT - LEFT) / 4.0);
    }

    #[test]
    fn a_missing_value_breaks_the_line() {
        let points = [p(Some(100)), p(Some(50)), p(None), p(Some(0))];
        let d = line_path(&points, 100);
        assert_eq!(d.matches('M').count(), 2, "{d}");
        assert_eq!(d.matches('L').count(), 1, "{d}");
        assert!(d.ends_with(&format!("{} {}", x_of(3, 4), BOTTOM)), "{d}");
        assert_eq!(line_path(&[p(None)], 100), "");
    }

    #[test]
    fn texts() {
        assert_eq!(value_text(Some(75), true), "75%");
        assert_eq!(value_text(Some(3), false), "3");
        assert_eq!(value_text(None, true), "no data");
        assert_eq!(of_text(Some((3, 4))), "3 of 4");
        assert_eq!(of_text(None), "");
    }
}
