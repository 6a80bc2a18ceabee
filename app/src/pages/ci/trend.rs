//! The success-rate chart of `/ci`: one line per CI service over the weeks,
//! drawn on the server as SVG (no script needed), told in sentences and
//! given as a table of figures (the text alternative).
use leptos::prelude::*;

use crate::api::builds::{CiTrend, CiWeek};
use crate::components::chart::{dash, line_class, marker, Swatch};
use crate::i18n::{use_lang, Lang};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 32.0;

/// Where week `i` of `n` and a rate (0–100) fall in the chart.
fn point(i: usize, n: usize, rate: f64) -> (f64, f64) {
    let span = (n.max(2) - 1) as f64;
    let x = LEFT + (WIDTH - LEFT - RIGHT) * i as f64 / span;
    let y = TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - rate.clamp(0.0, 100.0) / 100.0);
    (x, y)
}

/// The runs of consecutive weeks with a verdict, as SVG `points` lists (a
/// week without a verdict breaks the line rather than reading as 0 %).
fn runs(weeks: &[CiWeek]) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    for (i, w) in weeks.iter().enumerate() {
        match w.rate_percent() {
            Some(rate) => {
                let (x, y) = point(i, weeks.len(), rate);
                current.push(format!("{x:.1},{y:.1}"));
            }
            None if !current.is_empty() => out.push(std::mem::take(&mut current).join(" ")),
            None => {}
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

/// One sentence per service: its latest week.
fn latest_sentence(lang: Lang, t: &CiTrend) -> String {
    let Some(w) = t.weeks.last() else { return String::new() };
    match w.rate_percent() {
        Some(rate) => lang.ta(
            "ci-trend-latest",
            &[
                ("service", t.service.clone().into()),
                ("rate", lang.percent(rate, 0).into()),
                ("week", lang.date(&w.week).into()),
                ("succeeded", lang.int(w.succeeded).into()),
                ("decisive", lang.int(w.decisive).into()),
            ],
        ),
        None => lang
            .ta("ci-trend-latest-none", &[("service", t.service.clone().into()), ("week", lang.date(&w.week).into())]),
    }
}

/// The success rate of each service per week, as a chart with its figures.
#[component]
pub fn SuccessTrend(trends: Vec<CiTrend>) -> impl IntoView {
    let lang = use_lang();
    let Some(weeks) = trends.first().map(|t| t.weeks.clone()) else { return ().into_any() };
    let n = weeks.len();
    let desc = lang.ta("ci-trend-desc", &[("weeks", lang.int(n as i64).into())]);
    let sentences: Vec<String> = trends.iter().map(|t| latest_sentence(lang, t)).collect();
    let label = format!("{}. {}", lang.t("ci-trend-title"), sentences.join(" "));
    let grid = [0.0, 25.0, 50.0, 75.0, 100.0]
        .into_iter()
        .map(|rate| {
            let (_, y) = point(0, n, rate);
            view! {
                <line class="grid" x1=format!("{LEFT}") x2=format!("{}", WIDTH - RIGHT) y1=format!("{y:.1}") y2=format!("{y:.1}")/>
                <text class="axis" x=format!("{}", LEFT - 6.0) y=format!("{:.1}", y + 4.0) text-anchor="end">{lang.percent(rate, 0)}</text>
            }
        })
        .collect_view();
    let ticks = [0, n / 2, n.saturating_sub(1)]
        .into_iter()
        .filter_map(|i| weeks.get(i).map(|w| (i, w.week.clone())))
        .map(|(i, week)| {
            let (x, _) = point(i, n, 0.0);
            let anchor = if i == 0 { "start" } else if i + 1 == n { "end" } else { "middle" };
            view! { <text class="axis" x=format!("{x:.1}") y=format!("{}", HEIGHT - 10.0) text-anchor=anchor>{lang.date(&week)}</text> }
        })
        .collect_view();
    let series = trends
        .iter()
        .enumerate()
        .map(|(s, t)| {
            let lines = runs(&t.weeks)
                .into_iter()
                .map(|points| {
                    view! { <polyline class=line_class(s) points=points stroke-dasharray=dash(s)/> }
                })
                .collect_view();
            let markers = t
                .weeks
                .iter()
                .enumerate()
                .filter_map(|(i, w)| w.rate_percent().map(|r| point(i, t.weeks.len(), r)))
                .map(|(x, y)| marker(s, x, y))
                .collect_view();
            view! { <g>{lines}{markers}</g> }
        })
        .collect_view();
    let legend = trends
        .iter()
        .enumerate()
        .map(|(s, t)| {
            view! {
                <li>
                    <Swatch s/>
                    " " {t.service.clone()}
                </li>
            }
        })
        .collect_view();
    let head = trends.iter().map(|t| view! { <th scope="col">{t.service.clone()}</th> }).collect_view();
    let rows = (0..n)
        .map(|i| {
            let cells = trends
                .iter()
                .map(|t| {
                    let text = t.weeks.get(i).map_or_else(String::new, |w| match w.rate_percent() {
                        Some(rate) => lang.ta(
                            "ci-trend-cell",
                            &[
                                ("rate", lang.percent(rate, 0).into()),
                                ("succeeded", lang.int(w.succeeded).into()),
                                ("decisive", lang.int(w.decisive).into()),
                            ],
                        ),
                        None => lang.t("ci-trend-no-verdict"),
                    });
                    view! { <td class="num">{text}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{lang.date(&weeks[i].week)}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <section aria-labelledby="trend-h" class="trend">
            <h2 id="trend-h">{lang.t("ci-trend-title")}</h2>
            <figure>
                <svg class="chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=label preserveAspectRatio="xMidYMid meet">
                    {grid}
                    {ticks}
                    {series}
                </svg>
                <figcaption>
                    <ul class="legend">{legend}</ul>
                    <p>{desc}</p>
                    <ul class="trend-latest">{sentences.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                </figcaption>
            </figure>
            <details>
                <summary>{lang.t("ci-trend-table")}</summary>
                <table class="data trend-table">
                    <caption>{lang.t("ci-trend-title")}</caption>
                    <thead><tr><th scope="col">{lang.t("ci-col-week")}</th>{head}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(succeeded: i64, decisive: i64) -> CiWeek {
        CiWeek { week: "2026-11-23".into(), succeeded, decisive }
    }

    #[test]
    fn weeks_without_a_verdict_break_the_line() {
        let weeks = [week(1, 2), week(2, 2), week(0, 0), week(0, 1)];
        let runs = runs(&weeks);
        assert_eq!(runs.len(), 2, "{runs:?}");
        assert_eq!(runs[0].split(' ').count(), 2);
        assert_eq!(runs[1].split(' ').count(), 1);
        // 100 % is at the top of the plot, 0 % at the bottom.
        let (_, top) = point(0, 4, 100.0);
        let (_, bottom) = point(0, 4, 0.0);
        assert_eq!(top, TOP);
        assert_eq!(bottom, HEIGHT - BOTTOM);
        assert!(runs[1].ends_with(&format!(",{bottom:.1}")));
    }
}
