//! The coverage trend as a server-rendered SVG line chart (share of archived
//! sources per channel over time), with its text alternative: a title and
//! description, a legend in words and a table of every point.
use leptos::prelude::*;

use crate::api::archival::TrendPoint;
use crate::components::chart::{dash, line_class, marker, Swatch};
use crate::i18n::{format::parse_timestamp, format::percent, use_lang};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 36.0;

struct Series {
    label: String,
    /// (x, y) in chart coordinates.
    points: Vec<(f64, f64)>,
}

fn share(p: &TrendPoint) -> f64 {
    if p.sources == 0 {
        0.0
    } else {
        p.archived as f64 * 100.0 / p.sources as f64
    }
}

fn series(points: &[TrendPoint]) -> Vec<Series> {
    let times: Vec<i64> = points.iter().filter_map(|p| parse_timestamp(&p.taken_at)).map(|t| t.epoch).collect();
    let (min, max) = (times.iter().copied().min().unwrap_or(0), times.iter().copied().max().unwrap_or(0));
    let span = (max - min).max(1) as f64;
    let x = |t: i64| {
        if max == min {
            LEFT + (WIDTH - LEFT - RIGHT) / 2.0
        } else {
            LEFT + (t - min) as f64 / span * (WIDTH - LEFT - RIGHT)
        }
    };
    let y = |pct: f64| TOP + (100.0 - pct.clamp(0.0, 100.0)) / 100.0 * (HEIGHT - TOP - BOTTOM);
    let mut out: Vec<Series> = Vec::new();
    for p in points {
        let Some(t) = parse_timestamp(&p.taken_at) else { continue };
        let label = format!("{} ({})", p.channel, p.ecosystem);
        let at = (x(t.epoch), y(share(p)));
        match out.iter_mut().find(|s| s.label == label) {
            Some(s) => s.points.push(at),
            None => out.push(Series { label, points: vec![at] }),
        }
    }
    out
}

#[component]
pub fn Trend(points: Vec<TrendPoint>) -> impl IntoView {
    let lang = use_lang();
    if points.is_empty() {
        return view! { <p>{lang.t("archival-trend-none")}</p> }.into_any();
    }
    let lines = series(&points);
    let first = points.first().map(|p| lang.date_time(&p.taken_at)).unwrap_or_default();
    let last = points.last().map(|p| lang.date_time(&p.taken_at)).unwrap_or_default();
    let description = lang.ta(
        "archival-trend-description",
        &[("first", first.clone().into()), ("last", last.clone().into()), ("channels", lines.len().to_string().into())],
    );
    let grid = [0.0, 25.0, 50.0, 75.0, 100.0];
    view! {
        <figure class="archival-trend">
            <svg
                class="chart"
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-labelledby="trend-svg-title trend-svg-desc"
                xmlns="http://www.w3.org/2000/svg"
            >
                <title id="trend-svg-title">{lang.t("archival-trend")}</title>
                <desc id="trend-svg-desc">{description.clone()}</desc>
                {grid.into_iter().map(|pct| {
                    let y = TOP + (100.0 - pct) / 100.0 * (HEIGHT - TOP - BOTTOM);
                    view! {
                        <line class="grid" x1=format!("{LEFT}") x2=format!("{}", WIDTH - RIGHT) y1=format!("{y:.1}") y2=format!("{y:.1}")/>
                        <text class="axis" x=format!("{}", LEFT - 6.0) y=format!("{:.1}", y + 4.0) text-anchor="end">{percent(lang, pct, 0)}</text>
                    }
                }).collect_view()}
                <text class="axis" x=format!("{LEFT}") y=format!("{}", HEIGHT - 10.0) text-anchor="start">{first}</text>
                <text class="axis" x=format!("{}", WIDTH - RIGHT) y=format!("{}", HEIGHT - 10.0) text-anchor="end">{last}</text>
                {lines.iter().enumerate().map(|(i, s)| {
                    let path = s.points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
                    view! {
                        <g>
                            <polyline class=line_class(i) points=path stroke-dasharray=dash(i)/>
                            {s.points.iter().map(|(x, y)| marker(i, *x, *y)).collect_view()}
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption>
                <ul class="legend">
                    {lines.iter().enumerate().map(|(i, s)| view! {
                        <li>
                            <Swatch s=i/>
                            " " {s.label.clone()}
                        </li>
                    }).collect_view()}
                </ul>
            </figcaption>
        </figure>
        <details class="chart-data">
            <summary>{lang.t("archival-trend-table")}</summary>
            <table class="data">
                <caption>{description}</caption>
                <thead><tr>
                    <th scope="col">{lang.t("archival-col-snapshot")}</th>
                    <th scope="col">{lang.t("archival-col-channel")}</th>
                    <th scope="col">{lang.t("archival-col-revision")}</th>
                    <th scope="col">{lang.t("archival-col-percent")}</th>
                    <th scope="col">{lang.t("archival-status-archived")}</th>
                    <th scope="col">{lang.t("archival-col-sources")}</th>
                </tr></thead>
                <tbody>
                    {points.into_iter().map(|p| view! {
                        <tr>
                            <th scope="row">{lang.date_time(&p.taken_at)}</th>
                            <td>
                                {format!("{} ({})", p.channel, p.ecosystem)}
                                {p.demo.then(|| view! { " " <span class="badge demo">{lang.t("archival-demo-badge")}</span> })}
                            </td>
                            <td><code>{p.revision.chars().take(12).collect::<String>()}</code></td>
                            <td class="num">{percent(lang, share(&p), 1)}</td>
                            <td class="num">{lang.int(p.archived)}</td>
                            <td class="num">{lang.int(p.sources)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
    .into_any()
}
