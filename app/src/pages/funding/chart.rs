//! Totals per year as server-rendered SVG: one bar chart per currency
//! (amounts in different currencies never share an axis), each followed
//! by the same figures as a table (the text alternative).
use leptos::prelude::*;

use super::parts::money;
use crate::api::funding::YearTotal;
use crate::i18n::use_lang;

const W: f64 = 480.0;
const H: f64 = 180.0;
const LEFT: f64 = 10.0;
const BOTTOM: f64 = 24.0;
const TOP: f64 = 18.0;

fn value(amount: &str) -> f64 {
    // Bar heights only: the figures shown are the exact strings.
    amount.parse::<f64>().unwrap_or(0.0)
}

#[component]
pub fn YearCharts(years: Vec<YearTotal>) -> impl IntoView {
    let lang = use_lang();
    if years.is_empty() {
        return view! { <p>{lang.t("funding-none")}</p> }.into_any();
    }
    let mut currencies: Vec<String> = years.iter().map(|y| y.currency.clone()).collect();
    currencies.sort();
    currencies.dedup();
    currencies
        .into_iter()
        .map(|currency| {
            let rows: Vec<YearTotal> = years.iter().filter(|y| y.currency == currency).cloned().collect();
            view! { <Chart currency rows/> }
        })
        .collect_view()
        .into_any()
}

#[component]
fn Chart(currency: String, rows: Vec<YearTotal>) -> impl IntoView {
    let lang = use_lang();
    let max = rows.iter().map(|r| value(&r.amount)).fold(0.0_f64, f64::max).max(1.0);
    let n = rows.len().max(1) as f64;
    let slot = (W - LEFT * 2.0) / n;
    let bar = (slot * 0.6).min(60.0);
    let title_id = format!("funding-chart-{currency}");
    let title = lang.ta("funding-chart-title", &[("currency", currency.clone().into())]);
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let h = (value(&r.amount) / max) * (H - BOTTOM - TOP);
            let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
            let y = H - BOTTOM - h;
            view! {
                <g>
                    <rect class="funding-bar" x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{bar:.1}") height=format!("{h:.1}") fill="currentColor"/>
                    <text x=format!("{:.1}", x + bar / 2.0) y=format!("{:.1}", H - 8.0) text-anchor="middle" font-size="12" fill="currentColor">{r.year.to_string()}</text>
                </g>
            }
        })
        .collect_view();
    let labelled_by = title_id.clone();
    view! {
        <figure class="chart funding-chart">
            <svg viewBox=format!("0 0 {W} {H}") width="100%" role="img" aria-labelledby=labelled_by focusable="false">
                <title id=title_id>{title.clone()}</title>
                <line x1=LEFT.to_string() x2=(W - LEFT).to_string() y1=(H - BOTTOM).to_string() y2=(H - BOTTOM).to_string() stroke="currentColor"/>
                {bars}
            </svg>
            <table class="data">
                <caption>{title}</caption>
                <thead><tr>
                    <th scope="col">{lang.t("funding-col-year")}</th>
                    <th scope="col" class="num">{lang.t("funding-col-total")}</th>
                    <th scope="col" class="num">{lang.t("funding-col-count")}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.year.to_string()}</th>
                            <td class="num">{money(lang, &r.amount, &r.currency)}</td>
                            <td class="num">{lang.int(r.sponsorships)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </figure>
    }
}
