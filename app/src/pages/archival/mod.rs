//! `/archival`: coverage of the channels' sources in Software Heritage (per
//! channel and origin type), its trend (a server-rendered SVG chart with the
//! same numbers as a table), forge concentration, the packages most depended
//! upon without a known copy and the missing sources (a GET form, pages,
//! CSV). Also the archival status of a source on the package page.
mod chart;

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::api::archival::{
    get_archival_overview, get_missing_sources, swhid_href, ArchivalOverview, ChannelCoverage, Coverage, MissingFilter,
    MissingSources, SourceArchival, TypeCoverage, ORIGIN_TYPES,
};
use crate::api::catalog::{channel_href, package_href};
use crate::components::links::ExternalLink;
use crate::i18n::{format::percent, use_lang, Lang};

/// A status in words (never by colour alone).
pub fn status_label(lang: Lang, status: &str) -> String {
    match status {
        "archived" => lang.t("archival-status-archived"),
        "missing" => lang.t("archival-status-missing"),
        "unknown" => lang.t("archival-status-unknown"),
        "error" => lang.t("archival-status-error"),
        _ => lang.t("archival-status-unchecked"),
    }
}

/// An archival search facet value as words.
pub fn facet_label(lang: Lang, value: &str) -> String {
    match value {
        "archived" => lang.t("archival-facet-archived"),
        "partly" => lang.t("archival-facet-partly"),
        "not" => lang.t("archival-facet-not"),
        _ => lang.t("archival-facet-unknown"),
    }
}

fn class_label(lang: Lang, class: &str) -> String {
    match class {
        "commercial" => lang.t("archival-class-commercial"),
        "institutional" => lang.t("archival-class-institutional"),
        _ => lang.t("archival-class-other"),
    }
}

fn reason_label(lang: Lang, reason: &str) -> String {
    match reason {
        "no-hash" => lang.t("archival-reason-no-hash"),
        "no-url" => lang.t("archival-reason-no-url"),
        "unsupported-origin" => lang.t("archival-reason-unsupported-origin"),
        other => other.to_string(),
    }
}

#[component]
pub fn ArchivalPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| get_archival_overview());
    let lang = use_lang();
    view! {
        <Title text=lang.t("archival-title")/>
        <Meta name="description" content=lang.t("archival-intro")/>
        <h1>{lang.t("archival-title")}</h1>
        <p class="lead">{lang.t("archival-intro")}</p>
        <Suspense fallback=move || view! { <p>{lang.t("archival-loading")}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => view! { <Overview o/> }.into_any(),
                    Err(_) => view! { <p role="alert">{lang.t("catalog-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
        <MissingSection/>
    }
}

#[component]
fn Overview(o: ArchivalOverview) -> impl IntoView {
    let lang = use_lang();
    if o.channels.is_empty() {
        return view! { <p>{lang.t("archival-none")}</p> }.into_any();
    }
    view! {
        {o.demo.then(|| view! { <p class="notice demo" role="note">{lang.t("archival-demo-notice")}</p> })}
        <section aria-labelledby="coverage-h">
            <h2 id="coverage-h">{lang.t("archival-coverage")}</h2>
            <CoverageTable channels=o.channels.clone()/>
            <EcosystemTable rows=o.by_ecosystem/>
        </section>
        <section aria-labelledby="trend-h" class="trend">
            <h2 id="trend-h">{lang.t("archival-trend")}</h2>
            <chart::Trend points=o.trend/>
        </section>
        <section aria-labelledby="types-h">
            <h2 id="types-h">{lang.t("archival-by-type")}</h2>
            <TypeTable rows=o.by_type/>
        </section>
        <section aria-labelledby="forges-h">
            <h2 id="forges-h">{lang.t("archival-forges")}</h2>
            <p>{lang.t("archival-forges-intro")}</p>
            <ForgeTable channels=o.channels/>
            <h3 id="spof-h">{lang.t("archival-spof")}</h3>
            <p>{lang.t("archival-spof-intro")}</p>
            <table class="data archival-spof" aria-labelledby="spof-h">
                <thead><tr>
                    <th scope="col">{lang.t("archival-col-host")}</th>
                    <th scope="col">{lang.t("archival-col-class")}</th>
                    <th scope="col">{lang.t("archival-col-sources")}</th>
                    <th scope="col">{lang.t("archival-col-unarchived")}</th>
                </tr></thead>
                <tbody>
                    {o.single_points_of_failure.into_iter().map(|h| view! {
                        <tr>
                            <th scope="row">{h.host.clone()}</th>
                            <td>{class_label(lang, &h.class)}</td>
                            <td class="num">{lang.int(h.sources)}</td>
                            <td class="num">{lang.int(h.unarchived)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section aria-labelledby="depended-h">
            <h2 id="depended-h">{lang.t("archival-most-depended")}</h2>
            {if o.most_depended_unarchived.is_empty() {
                view! { <p>{lang.t("archival-most-depended-none")}</p> }.into_any()
            } else {
                view! {
                    <table class="data">
                        <thead><tr>
                            <th scope="col">{lang.t("archival-col-package")}</th>
                            <th scope="col">{lang.t("archival-col-dependents")}</th>
                            <th scope="col">{lang.t("archival-col-sources")}</th>
                            <th scope="col">{lang.t("archival-col-unarchived")}</th>
                        </tr></thead>
                        <tbody>
                            {o.most_depended_unarchived.into_iter().map(|p| view! {
                                <tr>
                                    <th scope="row">
                                        <a href=package_href(&p.ecosystem, &p.channel, &p.name)>{p.name.clone()}</a>
                                        " " <span class="muted">{format!("{} ({})", p.channel, p.ecosystem)}</span>
                                    </th>
                                    <td class="num">{lang.int(p.dependents)}</td>
                                    <td class="num">{lang.int(p.sources)}</td>
                                    <td class="num">{lang.int(p.unarchived)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

/// The counts of each status as table cells.
fn count_cells(lang: Lang, c: &Coverage) -> impl IntoView {
    crate::api::archival::STATUSES
        .into_iter()
        .map(|s| view! { <td class="num">{lang.int(c.count(s))}</td> })
        .collect_view()
}

fn status_headers(lang: Lang) -> impl IntoView {
    crate::api::archival::STATUSES
        .into_iter()
        .map(|s| view! { <th scope="col">{status_label(lang, s)}</th> })
        .collect_view()
}

#[component]
fn CoverageTable(channels: Vec<ChannelCoverage>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="data archival-coverage">
            <caption>{lang.t("archival-coverage-caption")}</caption>
            <thead><tr>
                <th scope="col">{lang.t("archival-col-channel")}</th>
                <th scope="col">{lang.t("archival-col-sources")}</th>
                <th scope="col">{lang.t("archival-col-percent")}</th>
                {status_headers(lang)}
                <th scope="col">{lang.t("archival-col-snapshot")}</th>
            </tr></thead>
            <tbody>
                {channels.into_iter().map(|c| view! {
                    <tr>
                        <th scope="row">
                            <a href=channel_href(&c.ecosystem, &c.channel)>{format!("{} ({})", c.channel, c.ecosystem)}</a>
                            {c.demo.then(|| view! { " " <span class="badge demo">{lang.t("archival-demo-badge")}</span> })}
                        </th>
                        <td class="num">{lang.int(c.coverage.sources)}</td>
                        <td class="num">{share(lang, &c.coverage)}</td>
                        {count_cells(lang, &c.coverage)}
                        <td>{lang.date_time(&c.taken_at)} " " <span class="muted"><code>{short(&c.revision)}</code></span></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The share of archived sources, or a dash without sources.
fn share(lang: Lang, c: &Coverage) -> String {
    if c.sources == 0 {
        "—".to_string()
    } else {
        percent(lang, c.percent(), 1)
    }
}

fn short(revision: &str) -> String {
    revision.chars().take(12).collect()
}

#[component]
fn EcosystemTable(rows: Vec<crate::api::archival::EcosystemCoverage>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="data archival-ecosystems">
            <caption>{lang.t("archival-by-ecosystem-caption")}</caption>
            <thead><tr>
                <th scope="col">{lang.t("archival-col-ecosystem")}</th>
                <th scope="col">{lang.t("archival-col-sources")}</th>
                <th scope="col">{lang.t("archival-col-percent")}</th>
                {status_headers(lang)}
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|e| view! {
                    <tr>
                        <th scope="row">{e.ecosystem.clone()} " " <span class="muted">{lang.tn("archival-channels", e.channels)}</span></th>
                        <td class="num">{lang.int(e.coverage.sources)}</td>
                        <td class="num">{share(lang, &e.coverage)}</td>
                        {count_cells(lang, &e.coverage)}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn TypeTable(rows: Vec<TypeCoverage>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="data archival-types">
            <caption>{lang.t("archival-by-type-caption")}</caption>
            <thead><tr>
                <th scope="col">{lang.t("archival-col-origin-type")}</th>
                <th scope="col">{lang.t("archival-col-sources")}</th>
                <th scope="col">{lang.t("archival-col-percent")}</th>
                {status_headers(lang)}
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|t| view! {
                    <tr>
                        <th scope="row">{t.origin_type.clone()}</th>
                        <td class="num">{lang.int(t.coverage.sources)}</td>
                        <td class="num">{share(lang, &t.coverage)}</td>
                        {count_cells(lang, &t.coverage)}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn ForgeTable(channels: Vec<ChannelCoverage>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="data archival-forges">
            <caption>{lang.t("archival-forges-caption")}</caption>
            <thead><tr>
                <th scope="col">{lang.t("archival-col-channel")}</th>
                <th scope="col">{lang.t("archival-col-hosts")}</th>
                <th scope="col"><abbr title=lang.t("archival-hhi-title")>{lang.t("archival-col-hhi")}</abbr></th>
                <th scope="col">{lang.t("archival-class-commercial")}</th>
                <th scope="col">{lang.t("archival-class-institutional")}</th>
                <th scope="col">{lang.t("archival-col-top-hosts")}</th>
            </tr></thead>
            <tbody>
                {channels.into_iter().map(|c| view! {
                    <tr>
                        <th scope="row">{format!("{} ({})", c.channel, c.ecosystem)}</th>
                        <td class="num">{lang.int(c.host_count)}</td>
                        <td class="num">{lang.int(c.hhi.round() as i64)}</td>
                        <td class="num">{percent(lang, c.commercial_share * 100.0, 1)}</td>
                        <td class="num">{percent(lang, c.institutional_share * 100.0, 1)}</td>
                        <td>
                            {c.hosts.iter().take(3).map(|h| format!("{} ({})", h.host, percent(lang, h.share * 100.0, 1))).collect::<Vec<_>>().join(", ")}
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The missing sources: a GET form of filters, one page, links to the
/// other pages and to the CSV of the same filters.
#[component]
fn MissingSection() -> impl IntoView {
    let query = use_query_map();
    let key = move || {
        let q = query.get();
        let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
        let filter = MissingFilter {
            channel: get("channel"),
            status: get("status"),
            origin_type: get("origin_type"),
            host: get("host"),
        };
        (filter, q.get("page").and_then(|v| v.parse::<i64>().ok()).unwrap_or(1).clamp(1, 10_000))
    };
    let missing = Resource::new(key, |(filter, page)| get_missing_sources(filter, page));
    let lang = use_lang();
    view! {
        <section aria-labelledby="missing-h">
            <h2 id="missing-h">{lang.t("archival-missing")}</h2>
            <Suspense fallback=move || view! { <p>{lang.t("archival-loading")}</p> }>
                {move || Suspend::new(async move {
                    match missing.await {
                        Ok(m) => view! { <Missing m/> }.into_any(),
                        Err(_) => view! { <p role="alert">{lang.t("catalog-unavailable")}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Missing(m: MissingSources) -> impl IntoView {
    let lang = use_lang();
    let filters = m.filter.query();
    let last_page = ((m.total + m.per_page - 1) / m.per_page).max(1);
    let link = {
        let filters = filters.clone();
        move |page: i64| {
            if filters.is_empty() {
                format!("/archival?page={page}#missing-h")
            } else {
                format!("/archival?{filters}&page={page}#missing-h")
            }
        }
    };
    let csv = if filters.is_empty() {
        "/archival/missing.csv".to_string()
    } else {
        format!("/archival/missing.csv?{filters}")
    };
    let f = m.filter.clone();
    view! {
        <form method="get" action="/archival" class="filters">
            <label>{lang.t("archival-col-channel")} " "
                <select name="channel">
                    <option value="">{lang.t("archival-any")}</option>
                    {m.channels.iter().map(|c| view! { <option value=c.clone() selected=f.channel.as_deref() == Some(c.as_str())>{c.clone()}</option> }).collect_view()}
                </select>
            </label>
            " "
            <label>{lang.t("archival-col-status")} " "
                <select name="status">
                    <option value="">{lang.t("archival-any-unarchived")}</option>
                    {["missing", "unknown", "error", "unchecked"].into_iter().map(|s| view! { <option value=s selected=f.status.as_deref() == Some(s)>{status_label(lang, s)}</option> }).collect_view()}
                </select>
            </label>
            " "
            <label>{lang.t("archival-col-origin-type")} " "
                <select name="origin_type">
                    <option value="">{lang.t("archival-any")}</option>
                    {ORIGIN_TYPES.into_iter().map(|t| view! { <option value=t selected=f.origin_type.as_deref() == Some(t)>{t}</option> }).collect_view()}
                </select>
            </label>
            " "
            <label>{lang.t("archival-col-host")} " "
                <input type="text" name="host" value=f.host.clone().unwrap_or_default() size="18" maxlength="255"/>
            </label>
            " " <button type="submit">{lang.t("archival-filter")}</button>
        </form>
        <p>
            {lang.tn("archival-missing-count", m.total)}
            " · " <a href=csv download="missing-sources.csv" type="text/csv">{lang.t("archival-csv")}</a>
        </p>
        {(!m.rows.is_empty()).then(|| view! {
            <table class="data archival-missing">
                <caption>{lang.tna("archival-missing-caption", m.total, vec![("page", lang.int(m.page).into()), ("pages", lang.int(last_page).into())])}</caption>
                <thead><tr>
                    <th scope="col">{lang.t("archival-col-package")}</th>
                    <th scope="col">{lang.t("archival-col-origin-type")}</th>
                    <th scope="col">{lang.t("archival-col-source")}</th>
                    <th scope="col">{lang.t("archival-col-status")}</th>
                    <th scope="col">{lang.t("archival-col-dependents")}</th>
                </tr></thead>
                <tbody>
                    {m.rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">
                                <a href=package_href(&r.ecosystem, &r.channel, &r.package)>{r.package.clone()}</a>
                                " " <span class="muted">{format!("{} {} ({})", r.version.clone().unwrap_or_default(), r.channel, r.ecosystem)}</span>
                            </th>
                            <td>{r.origin_type.clone()}</td>
                            <td class="source-url">
                                {r.url.clone().map(|u| view! { <ExternalLink url=u/> <br/> })}
                                <code class="hash">{r.key.clone()}</code>
                            </td>
                            <td>
                                <span class=format!("archival archival-{}", r.status)>{status_label(lang, &r.status)}</span>
                                {r.reason.clone().map(|why| view! { " " <span class="muted">{reason_label(lang, &why)}</span> })}
                                {r.demo.then(|| view! { " " <span class="badge demo">{lang.t("archival-demo-badge")}</span> })}
                            </td>
                            <td class="num">{lang.int(r.dependents)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
        <nav aria-label=lang.t("archival-pages") class="pager">
            {(m.page > 1).then(|| view! { <a rel="prev" href=link(m.page - 1)>{lang.t("archival-previous")}</a> })}
            " "
            {(m.page < last_page).then(|| view! { <a rel="next" href=link(m.page + 1)>{lang.t("archival-next")}</a> })}
        </nav>
    }
}

/// A source's archival status on the package page: in words, with its
/// SWHID linked to the archive.
#[component]
pub fn SourceStatus(a: SourceArchival) -> impl IntoView {
    let lang = use_lang();
    view! {
        <span class="archival-source">
            {lang.t("archival-source-label")} " "
            <span class=format!("archival archival-{}", a.status)>{status_label(lang, &a.status)}</span>
            {a.swhid.clone().map(|id| {
                let href = swhid_href(&id);
                view! { " " <a class="swhid" href=href rel="external noopener"><code>{id}</code></a> }
            })}
            {a.reason.clone().filter(|_| a.status != "archived").map(|why| view! { " " <span class="muted">{reason_label(lang, &why)}</span> })}
            {a.checked_at.clone().map(|t| view! { " " <span class="muted">{lang.ta("archival-checked-at", &[("time", lang.date_time(&t).into())])}</span> })}
            {a.demo.then(|| view! { " " <span class="badge demo">{lang.t("archival-demo-badge")}</span> })}
        </span>
    }
}
