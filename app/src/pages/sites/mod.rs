//! `/sites`: the HPC sites, and `/sites/{site}`: a site's machines and
//! partitions, its public matrix (what its users can expect to work) and its
//! badge.
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::api::catalog::decode_segment;
use crate::api::matrix::{get_site, get_sites, site_href, MatrixFilters, SitePage as Site, SiteSummary, PER_PAGE};
use crate::components::links::ExternalLink;
use crate::i18n::use_lang;
use crate::pages::matrix::{MatrixFilterForm, MatrixView};

#[component]
pub fn SitesPage() -> impl IntoView {
    let sites = Resource::new(|| (), |_| get_sites());
    let lang = use_lang();
    view! {
        <Title text=lang.t("matrix-sites-title")/>
        <Meta name="description" content=lang.t("matrix-sites-intro")/>
        <h1>{lang.t("matrix-sites-title")}</h1>
        <p class="lead">{lang.t("matrix-sites-intro")}</p>
        <Suspense fallback=move || view! { <p>{lang.t("matrix-loading")}</p> }>
            {move || Suspend::new(async move {
                match sites.await {
                    Ok(s) if s.is_empty() => view! { <p>{lang.t("matrix-sites-none")}</p> }.into_any(),
                    Ok(s) => view! { <SitesTable sites=s/> }.into_any(),
                    Err(_) => view! { <p role="alert">{lang.t("catalog-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SitesTable(sites: Vec<SiteSummary>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="data sites">
            <caption>{lang.tn("matrix-sites-caption", sites.len() as i64)}</caption>
            <thead><tr>
                <th scope="col">{lang.t("matrix-sites-col-site")}</th>
                <th scope="col">{lang.t("matrix-sites-col-operator")}</th>
                <th scope="col">{lang.t("matrix-sites-col-machines")}</th>
                <th scope="col">{lang.t("matrix-sites-col-partitions")}</th>
                <th scope="col">{lang.t("matrix-sites-col-attested")}</th>
            </tr></thead>
            <tbody>
                {sites.into_iter().map(|s| view! {
                    <tr>
                        <th scope="row"><a href=site_href(&s.name)>{s.title.clone()}</a></th>
                        <td>{s.operator.clone()}</td>
                        <td class="num">{lang.int(s.machines)}</td>
                        <td class="num">{lang.int(s.partitions)}</td>
                        <td class="num">{lang.int(s.attested_packages)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn SitePage() -> impl IntoView {
    use leptos_router::hooks::{use_params_map, use_query_map};
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let q = query.get();
        let text = |k: &str| q.get(k).filter(|v| !v.trim().is_empty());
        (
            decode_segment(&params.get().get("site").unwrap_or_default()),
            MatrixFilters {
                channel: text("channel"),
                q: text("q"),
                tag: text("tag"),
                site: None,
                known: false,
                maintainer: text("maintainer"),
                page: q.get("page").and_then(|v| v.parse().ok()).unwrap_or(1),
                per_page: q.get("per_page").and_then(|v| v.parse().ok()).unwrap_or(PER_PAGE),
            },
        )
    };
    let site = Resource::new(key, |(name, filters)| get_site(name, filters));
    let lang = use_lang();
    view! {
        <Suspense fallback=move || view! { <p>{lang.t("matrix-loading")}</p> }>
            {move || Suspend::new(async move {
                match site.await {
                    Ok(Some(s)) => view! { <SiteView s/> }.into_any(),
                    Ok(None) => view! {
                        <Title text=lang.t("matrix-sites-not-found")/>
                        <h1>{lang.t("matrix-sites-not-found")}</h1>
                        <p><a href="/sites">{lang.t("matrix-sites-title")}</a></p>
                    }.into_any(),
                    Err(_) => view! { <p role="alert">{lang.t("catalog-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SiteView(s: Site) -> impl IntoView {
    let lang = use_lang();
    let here = site_href(&s.site.name);
    let badge_example = s
        .matrix
        .rows
        .first()
        .map(|r| format!("/badge/site/{}/{}/{}/{}.svg", s.site.name, r.ecosystem, r.channel, r.name));
    view! {
        <Title text=s.site.title.clone()/>
        <nav aria-label=lang.t("breadcrumb-label") class="breadcrumb"><a href="/sites">{lang.t("matrix-sites-title")}</a></nav>
        <h1>{s.site.title.clone()}</h1>
        <p class="lead">
            {s.site.operator.clone()}
            {s.site.url.clone().map(|u| view! { " · " <ExternalLink url=u/> })}
        </p>
        {s.site.description.clone().map(|d| view! { <p>{d}</p> })}
        <section aria-labelledby="machines-h">
            <h2 id="machines-h">{lang.t("matrix-sites-machines")}</h2>
            <table class="data partitions">
                <caption>{lang.t("matrix-sites-machines-caption")}</caption>
                <thead><tr>
                    <th scope="col">{lang.t("matrix-sites-col-machine")}</th>
                    <th scope="col">{lang.t("matrix-sites-col-system")}</th>
                    <th scope="col">{lang.t("matrix-sites-col-cpu")}</th>
                    <th scope="col">{lang.t("matrix-sites-col-gpu")}</th>
                    <th scope="col">{lang.t("matrix-sites-col-nodes")}</th>
                </tr></thead>
                <tbody>
                    {s.partitions.iter().map(|p| view! {
                        <tr>
                            <th scope="row">
                                {match p.machine_url.clone() {
                                    Some(u) => view! { <ExternalLink url=u label=p.machine_title.clone()/> }.into_any(),
                                    None => view! { <span>{p.machine_title.clone()}</span> }.into_any(),
                                }}
                                " " <span class="muted">{format!("{}/{}", p.machine, p.name)}</span>
                            </th>
                            <td>{p.system.clone()}</td>
                            <td>
                                {p.cpu_model.clone().unwrap_or_default()}
                                {p.microarch.clone().map(|m| view! { " " <code>{m}</code> })}
                            </td>
                            <td>
                                {p.gpu_model.clone().unwrap_or_default()}
                                {p.gpu_target.clone().map(|t| view! { " " <code>{t}</code> })}
                            </td>
                            <td class="num">{p.nodes.map(|n| lang.int(n)).unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section aria-labelledby="site-matrix-h">
            <h2 id="site-matrix-h">{lang.t("matrix-sites-matrix")}</h2>
            <p>{lang.t("matrix-sites-matrix-intro")}</p>
            <MatrixFilterForm m=s.matrix.clone() action=here.clone()/>
            <MatrixView m=s.matrix here=here/>
            {badge_example.map(|b| view! {
                <p>{lang.t("matrix-sites-badge")} " " <img src=b.clone() alt=lang.t("matrix-sites-badge-alt")/> " " <code>{b}</code></p>
            })}
        </section>
    }
}
