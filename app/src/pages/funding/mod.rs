//! Funding: `/funding` (totals per funder and currency, a chart per
//! currency of the totals per year with the same figures as a table,
//! funders and what they fund with its health, filters), `/funders/{slug}`
//! (`funder`), a sponsorship's history (`funder::SponsorshipPage`), the
//! "Funded by" section of package and maintainer pages (`funded_by`) and
//! the admin forms (`admin`). Amounts keep their currency: never converted.
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

pub mod admin;
mod chart;
pub mod critical;
mod funded_by;
mod funder;
mod parts;

pub use funded_by::FundedBy;
pub use funder::{FunderPage, SponsorshipPage};
use parts::{DemoNotice, FunderHeading, SponsorshipTable, TotalsTable};

use crate::api::funding::{get_funding, FundingFilter, FundingOverview, FUNDER_KINDS};
use crate::components::pager::Pager;
use crate::i18n::use_lang;

#[component]
pub fn FundingPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.get();
        let pick = |k: &str| q.get(k).filter(|v| !v.is_empty() && v.len() <= 20);
        FundingFilter { kind: pick("kind"), currency: pick("currency"), status: pick("status") }
    };
    let page = move || query.get().get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).clamp(1, 10_000);
    let data = Resource::new(move || (filter(), page()), |(f, p)| get_funding(f, p));
    let lang = use_lang();
    view! {
        <Title text=lang.t("funding-title")/>
        <Meta name="description" content=lang.t("funding-intro")/>
        <h1>{lang.t("funding-title")}</h1>
        <p class="lead">{lang.t("funding-intro")}</p>
        <p class="muted">{lang.t("funding-how-totals")}</p>
        <p><a href="/funding/critical">{lang.t("crit-link")}</a></p>
        <Suspense fallback=move || view! { <p>{lang.t("funding-loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(o) => view! { <Overview o/> }.into_any(),
                    Err(_) => view! { <p role="alert">{lang.t("catalog-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Filters(filter: FundingFilter, currencies: Vec<String>) -> impl IntoView {
    let lang = use_lang();
    let kind = filter.kind.clone().unwrap_or_default();
    let currency = filter.currency.clone().unwrap_or_default();
    let status = filter.status.clone().unwrap_or_default();
    view! {
        <form method="get" action="/funding" class="filters" aria-label=lang.t("funding-filters")>
            <label for="funding-kind">{lang.t("funding-filter-kind")}</label>
            <select id="funding-kind" name="kind">
                <option value="" selected=kind.is_empty()>{lang.t("funding-any")}</option>
                {FUNDER_KINDS.iter().map(|k| view! {
                    <option value=*k selected=kind == *k>{lang.t(&format!("funding-kind-{k}"))}</option>
                }).collect_view()}
            </select>
            <label for="funding-currency">{lang.t("funding-filter-currency")}</label>
            <select id="funding-currency" name="currency">
                <option value="" selected=currency.is_empty()>{lang.t("funding-any")}</option>
                {currencies.into_iter().map(|c| {
                    let selected = currency == c;
                    view! { <option value=c.clone() selected=selected>{c.clone()}</option> }
                }).collect_view()}
            </select>
            <label for="funding-status">{lang.t("funding-filter-status")}</label>
            <select id="funding-status" name="status">
                <option value="" selected=status.is_empty()>{lang.t("funding-any")}</option>
                <option value="active" selected=status == "active">{lang.t("funding-active")}</option>
                <option value="ended" selected=status == "ended">{lang.t("funding-ended")}</option>
            </select>
            <button type="submit">{lang.t("funding-apply")}</button>
        </form>
    }
}

fn query_string(f: &FundingFilter) -> String {
    let mut parts = Vec::new();
    for (k, v) in [("kind", &f.kind), ("currency", &f.currency), ("status", &f.status)] {
        if let Some(v) = v {
            parts.push(format!("{k}={}", crate::api::catalog::encode_segment(v)));
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

#[component]
fn Overview(o: FundingOverview) -> impl IntoView {
    let lang = use_lang();
    let qs = query_string(&o.filter);
    let any_demo = o.funders.iter().any(|b| b.funder.demo);
    let empty = o.funders.is_empty();
    view! {
        {any_demo.then(|| view! { <DemoNotice/> })}
        <Filters filter=o.filter.clone() currencies=o.currencies.clone()/>
        <p class="exports">
            <a href=format!("/funding.csv{qs}")>{lang.t("funding-csv-sponsorships")}</a> " · "
            <a href=format!("/funding/totals.csv{qs}")>{lang.t("funding-csv-totals")}</a> " · "
            <a href=format!("/api/v1/funding{qs}")>{lang.t("funding-json")}</a>
        </p>
        <section aria-labelledby="funding-totals-h">
            <h2 id="funding-totals-h">{lang.t("funding-totals")}</h2>
            <TotalsTable totals=o.totals.clone() with_funder=true/>
        </section>
        <section aria-labelledby="funding-years-h">
            <h2 id="funding-years-h">{lang.t("funding-per-year")}</h2>
            <chart::YearCharts years=o.years.clone()/>
        </section>
        <section aria-labelledby="funding-funders-h">
            <h2 id="funding-funders-h">{lang.t("funding-funders")}</h2>
            {empty.then(|| view! { <p>{lang.t("funding-none")}</p> })}
            {o.funders.into_iter().map(|b| {
                let more = b.funder.active + b.funder.ended > b.sponsorships.len() as i64;
                let href = crate::api::funding::funder_href(&b.funder.slug);
                view! {
                    <article class="funder-block" id=format!("funder-{}", b.funder.slug)>
                        <FunderHeading funder=b.funder.clone() level=3/>
                        <SponsorshipTable rows=b.sponsorships show_funder=false/>
                        {more.then(|| view! { <p><a href=href>{lang.t("funding-see-all")}</a></p> })}
                    </article>
                }
            }).collect_view()}
            <Pager base=if qs.is_empty() { "/funding?page=".to_string() } else { format!("/funding{qs}&page=") }
                page=o.page pages=o.pages/>
        </section>
    }
}
