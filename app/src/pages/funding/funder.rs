//! `/funders/{slug}`: a funder, their totals and every sponsorship (active
//! first, then ended, shown as ended) with the state of what it funds; and
//! `/funding/sponsorships/{id}`: one sponsorship and its earlier versions.
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use super::parts::{amount_text, period, DemoBadge, DemoNotice, FunderHeading, SponsorshipTable, TotalsTable};
use crate::api::funding::{funder_href, get_funder, get_sponsorship_history, FunderDetail, SponsorshipHistory};
use crate::components::links::ExternalLink;
use crate::i18n::use_lang;

#[component]
fn NotFound(title: &'static str) -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=lang.t(title)/>
        <h1>{lang.t(title)}</h1>
        <p><a href="/funding">{lang.t("funding-title")}</a></p>
    }
}

#[component]
pub fn FunderPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.get().get("slug").unwrap_or_default();
    let detail = Resource::new(slug, get_funder);
    let lang = use_lang();
    view! {
        <Suspense fallback=move || view! { <p>{lang.t("funding-loading")}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(Some(d)) => view! { <Detail d/> }.into_any(),
                    Ok(None) => view! { <NotFound title="funding-funder-not-found"/> }.into_any(),
                    Err(_) => view! { <p role="alert">{lang.t("catalog-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Detail(d: FunderDetail) -> impl IntoView {
    let lang = use_lang();
    let f = d.funder.clone();
    let title = lang.ta("funding-funder-title", &[("name", f.name.clone().into())]);
    let (active, ended): (Vec<_>, Vec<_>) = d.sponsorships.into_iter().partition(|s| s.active);
    view! {
        <Title text=title/>
        <Meta name="description" content=f.description.clone().unwrap_or_else(|| lang.t("funding-intro"))/>
        <nav aria-label=lang.t("breadcrumb-label") class="breadcrumb"><a href="/funding">{lang.t("funding-title")}</a></nav>
        <h1>{f.name.clone()} {f.demo.then(|| view! { " " <DemoBadge/> })}</h1>
        {f.demo.then(|| view! { <DemoNotice/> })}
        <FunderHeading funder=f.clone() level=2/>
        {f.description.clone().map(|t| view! { <p class="description">{t}</p> })}
        {f.url.clone().map(|u| view! { <p><ExternalLink url=u.clone() label=u/></p> })}
        <p><a href=format!("/api/v1{}", funder_href(&f.slug))>{lang.t("funding-json")}</a></p>
        <section aria-labelledby="funder-totals-h">
            <h2 id="funder-totals-h">{lang.t("funding-totals")}</h2>
            <p class="muted">{lang.t("funding-how-totals")}</p>
            <TotalsTable totals=d.totals with_funder=false/>
        </section>
        <section aria-labelledby="funder-active-h">
            <h2 id="funder-active-h">{lang.t("funding-active-sponsorships")}</h2>
            <SponsorshipTable rows=active show_funder=false/>
        </section>
        <section aria-labelledby="funder-ended-h">
            <h2 id="funder-ended-h">{lang.t("funding-ended-sponsorships")}</h2>
            <SponsorshipTable rows=ended show_funder=false/>
        </section>
    }
}

#[component]
pub fn SponsorshipPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.get().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let data = Resource::new(id, get_sponsorship_history);
    let lang = use_lang();
    view! {
        <Suspense fallback=move || view! { <p>{lang.t("funding-loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(h)) => view! { <History h/> }.into_any(),
                    Ok(None) => view! { <NotFound title="funding-sponsorship-not-found"/> }.into_any(),
                    Err(_) => view! { <p role="alert">{lang.t("catalog-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn History(h: SponsorshipHistory) -> impl IntoView {
    let lang = use_lang();
    let s = h.sponsorship.clone();
    let title = lang.ta(
        "funding-sponsorship-title",
        &[("funder", s.funder_name.clone().into()), ("target", s.target_label.clone().into())],
    );
    view! {
        <Title text=title.clone()/>
        <nav aria-label=lang.t("breadcrumb-label") class="breadcrumb">
            <a href="/funding">{lang.t("funding-title")}</a> " › "
            <a href=funder_href(&s.funder_slug)>{s.funder_name.clone()}</a>
        </nav>
        <h1>{title}</h1>
        <SponsorshipTable rows=vec![s.clone()] show_funder=true/>
        {s.source_url.clone().map(|u| view! { <p>{lang.t("funding-source")} " " <ExternalLink url=u.clone() label=u/></p> })}
        <section aria-labelledby="revisions-h">
            <h2 id="revisions-h">{lang.t("funding-revisions")}</h2>
            {if h.revisions.is_empty() {
                view! { <p>{lang.t("funding-revisions-none")}</p> }.into_any()
            } else {
                view! {
                    <table class="data">
                        <caption>{lang.t("funding-revisions-caption")}</caption>
                        <thead><tr>
                            <th scope="col">{lang.t("funding-col-replaced")}</th>
                            <th scope="col">{lang.t("funding-col-amount")}</th>
                            <th scope="col">{lang.t("funding-col-period")}</th>
                            <th scope="col">{lang.t("funding-col-note")}</th>
                        </tr></thead>
                        <tbody>
                            {h.revisions.into_iter().map(|r| {
                                let amount = match (&r.amount, &r.currency) {
                                    (Some(a), Some(c)) => super::parts::money(lang, a, c),
                                    _ => lang.t("funding-in-kind"),
                                };
                                view! {
                                    <tr>
                                        <th scope="row">{lang.date_time(&r.revised_at)} " (" {lang.t(&format!("funding-op-{}", r.operation))} ")"</th>
                                        <td>{amount}</td>
                                        <td>{period(lang, &r.starts_on, r.ends_on.as_deref())}</td>
                                        <td>{r.note.unwrap_or_default()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <p class="muted">{lang.ta("funding-current", &[("amount", amount_text(lang, &s).into())])}</p>
    }
}
