//! CI status: `/ci` (every CI service: builds by status, success rate per
//! week, failing packages) and `/ci/{service}` (one of them); the "Builds"
//! section of a package page and its history live in `builds` and `history`.
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

mod builds;
mod history;
mod trend;

pub use builds::PackageBuildsSection;
pub use history::BuildHistoryPage;

use crate::api::builds::{ci_service_href, get_ci_overview, CiOverview, FailingPackage};
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

/// `/ci` and `/ci/{service}`.
#[component]
pub fn CiPage() -> impl IntoView {
    use crate::api::catalog::decode_segment;
    use leptos_router::hooks::use_params_map;
    let params = use_params_map();
    let service = move || params.get().get("service").map(|s| decode_segment(&s)).filter(|s| !s.is_empty());
    let overview = Resource::new(service, get_ci_overview);
    let lang = use_lang();
    view! {
        <Suspense fallback=move || view! { <p>{lang.t("ci-loading")}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(Some(o)) => view! { <Overview o/> }.into_any(),
                    Ok(None) => view! {
                        <Title text=lang.t("ci-service-not-found")/>
                        <h1>{lang.t("ci-service-not-found")}</h1>
                        <p>{lang.t("ci-service-not-found-text")} " " <a href="/ci">{lang.t("ci-all-services")}</a></p>
                    }.into_any(),
                    Err(_) => view! {
                        <Title text=lang.t("ci-title")/>
                        <h1>{lang.t("ci-title")}</h1>
                        <p role="alert">{lang.t("catalog-unavailable")}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(o: CiOverview) -> impl IntoView {
    let lang = use_lang();
    let title = match &o.service {
        Some(s) => lang.ta("ci-service-title", &[("service", s.clone().into())]),
        None => lang.t("ci-title"),
    };
    let head = view! {
        <Title text=title.clone()/>
        <Meta name="description" content=lang.t("ci-intro")/>
        {o.service.is_some().then(|| view! {
            <nav aria-label=lang.t("breadcrumb-label") class="breadcrumb"><a href="/ci">{lang.t("ci-all-services")}</a></nav>
        })}
        <h1>{title}</h1>
        <p class="lead">{lang.t("ci-intro")}</p>
    };
    if o.services.is_empty() {
        return view! { {head} <p>{lang.t("ci-no-services")}</p> }.into_any();
    }
    let demo = o.services.iter().any(|s| s.demo);
    let lists = view! {
        <trend::SuccessTrend trends=o.trends/>
        <FailingList id="new-failures-h" title=lang.t("ci-new-failures") empty=lang.t("ci-new-failures-none") rows=o.new_failures/>
        <FailingList id="longest-h" title=lang.t("ci-longest-failing") empty=lang.t("ci-failing-none") rows=o.longest_failing/>
        <FailingList id="depended-h" title=lang.t("ci-most-depended-failing") empty=lang.t("ci-failing-none") rows=o.most_depended_failing/>
    };
    view! {
        {head}
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
                                <a href=ci_service_href(&s.name)>{s.name.clone()}</a>
                                " " <span class="muted">{format!("({})", s.kind)}</span>
                                {s.base_url.clone().map(|u| view! { " " <ExternalLink url=u.clone() label=u/> })}
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
