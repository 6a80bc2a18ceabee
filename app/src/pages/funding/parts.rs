//! What the funding pages share: money in words, the funder heading, the
//! sponsorships table (target, amount, period, status, health) and the
//! totals table.
use leptos::prelude::*;

use crate::api::funding::{funder_href, Funder, Sponsorship, Total};
use crate::i18n::{use_lang, Lang};

/// `"120000.50"` and `"EUR"` → `120,000.50 EUR` / `120 000,50 EUR`: the
/// digits as given, grouped; no conversion, no rounding.
pub fn money(lang: Lang, amount: &str, currency: &str) -> String {
    let (whole, frac) = amount.split_once('.').unwrap_or((amount, "00"));
    let whole = whole.parse::<i64>().map(|w| lang.int(w)).unwrap_or_else(|_| whole.to_string());
    let point = if lang == Lang::Fr { "," } else { "." };
    format!("{whole}{point}{frac} {currency}")
}

/// A sponsorship's amount, or "in kind".
pub fn amount_text(lang: Lang, s: &Sponsorship) -> String {
    match (&s.amount, &s.currency) {
        (Some(a), Some(c)) => money(lang, a, c),
        _ => lang.t("funding-in-kind"),
    }
}

/// "from 2025-01-01" or "2025-01-01 – 2026-12-31", in the language's dates.
pub fn period(lang: Lang, starts: &str, ends: Option<&str>) -> String {
    match ends {
        Some(e) => lang.ta("funding-period", &[("start", lang.date(starts).into()), ("end", lang.date(e).into())]),
        None => lang.ta("funding-period-open", &[("start", lang.date(starts).into())]),
    }
}

#[component]
pub fn DemoNotice() -> impl IntoView {
    let lang = use_lang();
    view! { <p class="notice" role="note">{lang.t("funding-demo-notice")}</p> }
}

#[component]
pub fn DemoBadge() -> impl IntoView {
    let lang = use_lang();
    view! { <span class="badge demo">{lang.t("funding-demo-badge")}</span> }
}

#[component]
pub fn FunderHeading(funder: Funder, level: u8) -> impl IntoView {
    let lang = use_lang();
    let href = funder_href(&funder.slug);
    let kind = lang.t(&format!("funding-kind-{}", funder.kind));
    let facts = [Some(kind), funder.country.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
    let counts = format!(
        "{} · {}",
        lang.tn("funding-active-count", funder.active),
        lang.tn("funding-ended-count", funder.ended)
    );
    let name = view! { <a href=href>{funder.name.clone()}</a> {funder.demo.then(|| view! { " " <DemoBadge/> })} };
    view! {
        {if level == 3 { view! { <h3>{name}</h3> }.into_any() } else { view! { <h2>{name}</h2> }.into_any() }}
        <p class="muted">{facts} " — " {counts}</p>
    }
}

/// The health of what a sponsorship funds, as words.
#[component]
pub fn HealthCell(s: Sponsorship) -> impl IntoView {
    let lang = use_lang();
    let h = s.health.clone();
    if s.target_kind == "infrastructure" {
        return match h.ci_success_percent {
            Some(p) => view! {
                <span class="health">{lang.ta("funding-ci-success", &[("percent", lang.percent(p / 100.0, 1).into())])}</span>
            }
            .into_any(),
            None => view! { <span class="muted">{lang.t("funding-health-none")}</span> }.into_any(),
        };
    }
    if h.packages == 0 {
        return view! { <span class="muted">{lang.t("funding-health-no-packages")}</span> }.into_any();
    }
    let ci = if h.built == 0 {
        view! { <span class="health">{lang.t("funding-ci-none")}</span> }.into_any()
    } else if h.failing > 0 {
        view! { <span class="health ci-failing">{lang.tna("funding-ci-failing", h.failing, vec![("built", lang.int(h.built).into())])}</span> }
            .into_any()
    } else {
        view! { <span class="health ci-passing">{lang.t("funding-ci-passing")}</span> }.into_any()
    };
    let archival = h.archival.clone().unwrap_or_else(|| "unknown".into());
    let maintainers = (s.target_kind != "maintainer").then(|| lang.tn("funding-maintainers-count", h.maintainers));
    view! {
        <span>{lang.tn("funding-packages-count", h.packages)}</span> " · " {ci} " · "
        <span class=format!("health archival-{archival}")>{lang.t(&format!("funding-archival-{archival}"))}</span>
        {maintainers.map(|m| view! { " · " <span>{m}</span> })}
    }
    .into_any()
}

#[component]
pub fn SponsorshipTable(rows: Vec<Sponsorship>, show_funder: bool) -> impl IntoView {
    let lang = use_lang();
    if rows.is_empty() {
        return view! { <p>{lang.t("funding-no-sponsorships")}</p> }.into_any();
    }
    view! {
        <table class="data funding">
            <caption class="visually-hidden">{lang.t("funding-sponsorships")}</caption>
            <thead><tr>
                {show_funder.then(|| view! { <th scope="col">{lang.t("funding-col-funder")}</th> })}
                <th scope="col">{lang.t("funding-col-target")}</th>
                <th scope="col">{lang.t("funding-col-amount")}</th>
                <th scope="col">{lang.t("funding-col-period")}</th>
                <th scope="col">{lang.t("funding-col-status")}</th>
                <th scope="col">{lang.t("funding-col-health")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|s| {
                    let status = if s.active { lang.t("funding-active") } else { lang.t("funding-ended") };
                    let status_class = if s.active { "health ci-passing" } else { "health ended" };
                    let kind = lang.t(&format!("funding-target-{}", s.target_kind));
                    let history = format!("/funding/sponsorships/{}", s.id);
                    let label = s.target_label.clone();
                    view! {
                        <tr id=format!("sponsorship-{}", s.id) class=if s.active { "" } else { "ended" }>
                            {show_funder.then(|| view! {
                                <td><a href=funder_href(&s.funder_slug)>{s.funder_name.clone()}</a></td>
                            })}
                            <th scope="row">
                                <span class="muted">{kind} ": "</span>
                                {match s.target_href.clone() {
                                    Some(h) => view! { <a href=h>{label}</a> }.into_any(),
                                    None => view! { <span>{label}</span> }.into_any(),
                                }}
                                {s.note.clone().map(|n| view! { <br/><span class="muted note">{n}</span> })}
                            </th>
                            <td>{amount_text(lang, &s)} {s.demo.then(|| view! { " " <DemoBadge/> })}</td>
                            <td>{period(lang, &s.starts_on, s.ends_on.as_deref())}</td>
                            <td><span class=status_class>{status}</span>
                                " " <a href=history class="muted">{lang.tn("funding-revisions-link", s.revisions)}</a></td>
                            <td><HealthCell s=s.clone()/></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
pub fn TotalsTable(totals: Vec<Total>, with_funder: bool) -> impl IntoView {
    let lang = use_lang();
    if totals.is_empty() {
        return view! { <p>{lang.t("funding-none")}</p> }.into_any();
    }
    view! {
        <table class="data funding-totals">
            <caption>{lang.t("funding-totals-caption")}</caption>
            <thead><tr>
                {with_funder.then(|| view! { <th scope="col">{lang.t("funding-col-funder")}</th> })}
                <th scope="col">{lang.t("funding-col-currency")}</th>
                <th scope="col" class="num">{lang.t("funding-col-total")}</th>
                <th scope="col" class="num">{lang.t("funding-col-count")}</th>
            </tr></thead>
            <tbody>
                {totals.into_iter().map(|t| {
                    let (currency, total) = match (&t.currency, &t.amount) {
                        (Some(c), Some(a)) => (c.clone(), money(lang, a, c)),
                        _ => (lang.t("funding-in-kind"), "—".to_string()),
                    };
                    view! {
                        <tr>
                            {with_funder.then(|| view! { <th scope="row"><a href=funder_href(&t.funder_slug)>{t.funder_name.clone()}</a></th> })}
                            <td>{currency}</td>
                            <td class="num">{total}</td>
                            <td class="num">{lang.int(t.sponsorships)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
