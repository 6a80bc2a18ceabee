//! CI status: `/ci` (every CI service with its builds counted by status)
//! and the "Builds" section of a package page.
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::api::builds::{
    get_build_history, get_ci_overview, get_package_builds, history_href, BuildHistory, BuildView, CiOverview,
    FailingPackage, PackageBuilds,
};
use crate::components::links::ExternalLink;
use crate::i18n::{use_lang, Lang};

/// Every status of the vocabulary, in the order pages show them.
pub const STATUSES: [&str; 6] = ["succeeded", "failed", "dependency-failed", "timed-out", "cancelled", "other"];

/// A status as words (never by colour alone).
pub fn status_label(lang: Lang, status: &str) -> String {
    match status {
        "succeeded" => lang.t("ci-status-succeeded"),
        "failed" => lang.t("ci-status-failed"),
        "dependency-failed" => lang.t("ci-status-dependency-failed"),
        "timed-out" => lang.t("ci-status-timed-out"),
        "cancelled" => lang.t("ci-status-cancelled"),
        _ => lang.t("ci-status-other"),
    }
}

pub fn weather_label(lang: Lang, weather: &str) -> String {
    match weather {
        "new-failure" => lang.t("ci-weather-new-failure"),
        "still-failing" => lang.t("ci-weather-still-failing"),
        "fixed" => lang.t("ci-weather-fixed"),
        _ => lang.t("ci-weather-still-succeeding"),
    }
}

#[component]
pub fn CiPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| get_ci_overview());
    let lang = use_lang();
    view! {
        <Title text=lang.t("ci-title")/>
        <Meta name="description" content=lang.t("ci-intro")/>
        <h1>{lang.t("ci-title")}</h1>
        <p class="lead">{lang.t("ci-intro")}</p>
        <Suspense fallback=move || view! { <p>{lang.t("ci-loading")}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => view! { <Overview o/> }.into_any(),
                    Err(_) => view! { <p role="alert">{lang.t("catalog-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(o: CiOverview) -> impl IntoView {
    let lang = use_lang();
    if o.services.is_empty() {
        return view! { <p>{lang.t("ci-no-services")}</p> }.into_any();
    }
    let demo = o.services.iter().any(|s| s.demo);
    let lists = view! {
        <FailingList id="new-failures-h" title=lang.t("ci-new-failures") empty=lang.t("ci-new-failures-none") rows=o.new_failures/>
        <FailingList id="longest-h" title=lang.t("ci-longest-failing") empty=lang.t("ci-failing-none") rows=o.longest_failing/>
        <FailingList id="depended-h" title=lang.t("ci-most-depended-failing") empty=lang.t("ci-failing-none") rows=o.most_depended_failing/>
    };
    view! {
        {demo.then(|| view! { <p class="notice demo" role="note">{lang.t("ci-demo-notice")}</p> })}
        <table class="data ci-services">
            <caption>{lang.t("ci-services-caption")}</caption>
            <thead><tr>
                <th scope="col">{lang.t("ci-col-service")}</th>
                <th scope="col">{lang.t("ci-col-channel")}</th>
                {STATUSES.map(|s| view! { <th scope="col">{status_label(lang, s)}</th> }).into_iter().collect_view()}
                <th scope="col">{lang.t("ci-col-total")}</th>
                <th scope="col">{lang.t("ci-col-unresolved")}</th>
                <th scope="col">{lang.t("ci-col-last-build")}</th>
            </tr></thead>
            <tbody>
                {o.services.into_iter().map(|s| {
                    let counts = STATUSES.map(|st| s.counts.iter().find(|c| c.status == st).map_or(0, |c| c.count));
                    view! {
                        <tr>
                            <th scope="row">
                                {match s.base_url.clone() {
                                    Some(u) => view! { <ExternalLink url=u label=s.name.clone()/> }.into_any(),
                                    None => view! { <span>{s.name.clone()}</span> }.into_any(),
                                }}
                                " " <span class="muted">{format!("({})", s.kind)}</span>
                                {s.demo.then(|| view! { " " <span class="badge demo">{lang.t("ci-demo-badge")}</span> })}
                            </th>
                            <td><a href=crate::api::catalog::channel_href(&s.ecosystem, &s.channel)>{format!("{} ({})", s.channel, s.ecosystem)}</a></td>
                            {counts.map(|n| view! { <td class="num">{lang.int(n)}</td> }).into_iter().collect_view()}
                            <td class="num">{lang.int(s.total)}</td>
                            <td class="num">{lang.int(s.unresolved)}</td>
                            <td>{s.last_finished_at.map(|t| lang.date_time(&t)).unwrap_or_default()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {lists}
    }
    .into_any()
}

#[component]
fn FailingList(id: &'static str, title: String, empty: String, rows: Vec<FailingPackage>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section aria-labelledby=id>
            <h2 id=id>{title}</h2>
            {if rows.is_empty() {
                view! { <p>{empty}</p> }.into_any()
            } else {
                view! {
                    <table class="data failing">
                        <thead><tr>
                            <th scope="col">{lang.t("ci-col-package")}</th>
                            <th scope="col">{lang.t("builds-col-system")}</th>
                            <th scope="col">{lang.t("builds-col-status")}</th>
                            <th scope="col">{lang.t("ci-col-failing-since")}</th>
                            <th scope="col">{lang.t("ci-col-dependents")}</th>
                            <th scope="col">{lang.t("ci-col-service")}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| view! {
                                <tr>
                                    <th scope="row">
                                        <a href=crate::api::catalog::package_href(&r.ecosystem, &r.channel, &r.name)>{r.name.clone()}</a>
                                        " " <span class="muted">{format!("{} {}", r.version.clone().unwrap_or_default(), r.channel)}</span>
                                    </th>
                                    <td>{r.system.clone().unwrap_or_default()}</td>
                                    <td><span class=format!("status status-{}", r.status)>{status_label(lang, &r.status)}</span></td>
                                    <td>{r.failing_since.as_deref().map(|t| lang.date_time(t)).unwrap_or_default()}</td>
                                    <td class="num">{lang.int(r.dependents)}</td>
                                    <td>
                                        {r.service.clone()}
                                        {r.demo.then(|| view! { " " <span class="badge demo">{lang.t("ci-demo-badge")}</span> })}
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

/// The "Builds" section of a package page.
#[component]
pub fn PackageBuildsSection(ecosystem: String, channel: String, name: String) -> impl IntoView {
    let builds = Resource::new(
        move || (ecosystem.clone(), channel.clone(), name.clone()),
        |(e, c, n)| get_package_builds(e, c, n),
    );
    let lang = use_lang();
    view! {
        <section aria-labelledby="builds-h" class="builds">
            <h2 id="builds-h">{lang.t("builds-title")}</h2>
            <Suspense fallback=move || view! { <p>{lang.t("ci-loading")}</p> }>
                {move || Suspend::new(async move {
                    match builds.await {
                        Ok(Some(b)) => view! { <BuildsTable b/> }.into_any(),
                        Ok(None) => view! { <p>{lang.t("builds-none")}</p> }.into_any(),
                        Err(_) => view! { <p role="alert">{lang.t("builds-unavailable")}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn BuildsTable(b: PackageBuilds) -> impl IntoView {
    let lang = use_lang();
    if b.latest.is_empty() {
        return view! { <p>{lang.t("builds-none")} " " <a href="/ci">{lang.t("builds-see-ci")}</a></p> }.into_any();
    }
    let history = history_href(&b.ecosystem, &b.channel, &b.name);
    view! {
        {b.demo.then(|| view! { <p class="notice demo" role="note">{lang.t("ci-demo-notice")}</p> })}
        <BuildTable caption=lang.tn("builds-caption", b.total) rows=b.latest/>
        <p>
            <a href=history.clone()>{lang.t("builds-history-link")}</a>
            " · " <a href=format!("{history}.atom") type="application/atom+xml">{lang.t("builds-feed-link")}</a>
        </p>
    }
    .into_any()
}

/// Builds as a table: version, system, status, weather, time, service.
#[component]
fn BuildTable(caption: String, rows: Vec<BuildView>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="data builds">
            <caption>{caption}</caption>
            <thead><tr>
                <th scope="col">{lang.t("col-version")}</th>
                <th scope="col">{lang.t("builds-col-system")}</th>
                <th scope="col">{lang.t("builds-col-status")}</th>
                <th scope="col">{lang.t("builds-col-weather")}</th>
                <th scope="col">{lang.t("builds-col-finished")}</th>
                <th scope="col">{lang.t("ci-col-service")}</th>
            </tr></thead>
            <tbody>{rows.into_iter().map(|r| view! { <BuildRow r/> }).collect_view()}</tbody>
        </table>
    }
}

#[component]
fn BuildRow(r: BuildView) -> impl IntoView {
    let lang = use_lang();
    let system = match (&r.system, &r.target) {
        (Some(s), Some(t)) => format!("{s} ({t})"),
        (Some(s), None) => s.clone(),
        (None, Some(t)) => t.clone(),
        (None, None) => String::new(),
    };
    let build_label =
        lang.ta("builds-build-link", &[("id", r.id.clone().into()), ("service", r.service.clone().into())]);
    view! {
        <tr>
            <th scope="row">{r.version.clone().unwrap_or_default()}</th>
            <td>{system}</td>
            <td><span class=format!("status status-{}", r.status)>{status_label(lang, &r.status)}</span></td>
            <td>{r.weather.as_deref().map(|w| weather_label(lang, w)).unwrap_or_default()}</td>
            <td>{r.finished_at.as_deref().map(|t| lang.date_time(t)).unwrap_or_default()}</td>
            <td>
                {match r.build_url.clone() {
                    Some(u) => view! { <ExternalLink url=u label=build_label/> }.into_any(),
                    None => view! { <span>{build_label}</span> }.into_any(),
                }}
                {r.demo.then(|| view! { " " <span class="badge demo">{lang.t("ci-demo-badge")}</span> })}
            </td>
        </tr>
    }
}

/// `/packages/{ecosystem}/{channel}/{name}/builds?system=…&status=…&page=N`:
/// the history of a package's builds, newest first; the filters are a GET
/// form, so they work without JavaScript.
#[component]
pub fn BuildHistoryPage() -> impl IntoView {
    use crate::api::catalog::decode_segment;
    use leptos_router::hooks::{use_params_map, use_query_map};
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let p = params.get();
        let q = query.get();
        let filter = |k: &str| q.get(k).filter(|v| !v.is_empty());
        (
            decode_segment(&p.get("ecosystem").unwrap_or_default()),
            decode_segment(&p.get("channel").unwrap_or_default()),
            decode_segment(&p.get("name").unwrap_or_default()),
            filter("system"),
            filter("status"),
            q.get("page").and_then(|v| v.parse::<i64>().ok()).unwrap_or(1).clamp(1, 10_000),
        )
    };
    let history =
        Resource::new(key, |(e, c, n, system, status, page)| get_build_history(e, c, n, system, status, page));
    let lang = use_lang();
    view! {
        <Suspense fallback=move || view! { <p>{lang.t("ci-loading")}</p> }>
            {move || Suspend::new(async move {
                match history.await {
                    Ok(Some(h)) => view! { <History h/> }.into_any(),
                    Ok(None) => view! {
                        <Title text=lang.t("package-not-found-title")/>
                        <h1>{lang.t("package-not-found-title")}</h1>
                    }.into_any(),
                    Err(_) => view! { <p role="alert">{lang.t("catalog-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn History(h: BuildHistory) -> impl IntoView {
    use crate::api::catalog::{encode_segment, package_href};
    let lang = use_lang();
    let title = lang.ta("history-title", &[("name", h.name.clone().into())]);
    let here = history_href(&h.ecosystem, &h.channel, &h.name);
    let last_page = ((h.total + h.per_page - 1) / h.per_page).max(1);
    let link = {
        let (here, system, status) = (here.clone(), h.system.clone(), h.status.clone());
        move |page: i64| {
            let mut q = vec![format!("page={page}")];
            if let Some(s) = &system {
                q.push(format!("system={}", encode_segment(s)));
            }
            if let Some(s) = &status {
                q.push(format!("status={}", encode_segment(s)));
            }
            format!("{here}?{}", q.join("&"))
        }
    };
    let demo = h.builds.iter().any(|b| b.demo);
    view! {
        <Title text=title.clone()/>
        <nav aria-label=lang.t("breadcrumb-label") class="breadcrumb">
            <a href=package_href(&h.ecosystem, &h.channel, &h.name)>{format!("{} ({} {})", h.name, h.channel, h.ecosystem)}</a>
        </nav>
        <h1>{title}</h1>
        <form method="get" action=here.clone() class="filters">
            <label>{lang.t("builds-col-system")} " "
                <select name="system">
                    <option value="">{lang.t("history-any")}</option>
                    {h.systems.iter().map(|s| view! { <option value=s.clone() selected=h.system.as_deref() == Some(s.as_str())>{s.clone()}</option> }).collect_view()}
                </select>
            </label>
            " "
            <label>{lang.t("builds-col-status")} " "
                <select name="status">
                    <option value="">{lang.t("history-any")}</option>
                    {STATUSES.map(|s| view! { <option value=s selected=h.status.as_deref() == Some(s)>{status_label(lang, s)}</option> }).into_iter().collect_view()}
                </select>
            </label>
            " " <button type="submit">{lang.t("history-filter")}</button>
        </form>
        {demo.then(|| view! { <p class="notice demo" role="note">{lang.t("ci-demo-notice")}</p> })}
        {if h.builds.is_empty() {
            view! { <p>{lang.t("history-none")}</p> }.into_any()
        } else {
            view! {
                <BuildTable
                    caption=lang.tna("history-caption", h.total, vec![("page", lang.int(h.page).into()), ("pages", lang.int(last_page).into())])
                    rows=h.builds
                />
            }.into_any()
        }}
        <nav aria-label=lang.t("history-pages") class="pager">
            {(h.page > 1).then(|| view! { <a rel="prev" href=link(h.page - 1)>{lang.t("history-newer")}</a> })}
            " "
            {(h.page < last_page).then(|| view! { <a rel="next" href=link(h.page + 1)>{lang.t("history-older")}</a> })}
        </nav>
    }
}
