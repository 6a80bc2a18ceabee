//! `/funding/critical`: the critical-but-unfunded list — projects by
//! criticality score, without funding and with at most one maintainer —
//! filtered by ecosystem and domain (tag) with a plain GET form, sorted,
//! paged, with its CSV and JSON, and how the score is computed.
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use crate::api::catalog::package_href;
use crate::api::criticality::{
    get_critical, CriticalFilters, CriticalList, CriticalProject, ECOSYSTEMS, MAX_ROWS, SORTS,
};
use crate::components::pager::Pager;
use crate::i18n::{use_lang, Lang};

#[component]
pub fn CriticalPage() -> impl IntoView {
    let query = use_query_map();
    let key = move || {
        let q = query.get();
        let text = |k: &str| q.get(k).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        CriticalFilters {
            ecosystem: text("ecosystem"),
            tag: text("tag"),
            sort: text("sort").unwrap_or_else(|| "score".into()),
            page: q.get("page").and_then(|v| v.parse::<i64>().ok()).unwrap_or(1),
        }
        .lenient()
    };
    let list = Resource::new(key, |f| get_critical(f.ecosystem, f.tag, f.sort, f.page));
    let lang = use_lang();
    view! {
        <Title text=lang.t("crit-title")/>
        <Meta name="description" content=lang.t("crit-intro")/>
        <nav aria-label=lang.t("breadcrumb-label") class="breadcrumb"><a href="/funding">{lang.t("crit-funding")}</a></nav>
        <h1>{lang.t("crit-title")}</h1>
        <p class="lead">{lang.t("crit-intro")}</p>
        <Suspense fallback=move || view! { <p>{lang.t("crit-loading")}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(l) => view! { <ListView l/> }.into_any(),
                    Err(_) => view! { <p role="alert">{lang.t("catalog-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
        <HowScored/>
    }
}

#[component]
fn ListView(l: CriticalList) -> impl IntoView {
    let lang = use_lang();
    let filters =
        CriticalFilters { ecosystem: l.ecosystem.clone(), tag: l.tag.clone(), sort: l.sort.clone(), page: l.page };
    let query = filters.query();
    let with = |q: &str| if q.is_empty() { String::new() } else { format!("?{q}") };
    let csv = format!("/funding/critical.csv{}", with(&query));
    let json = format!("/api/v1/funding/critical{}", with(&query));
    let pager_base = if query.is_empty() {
        "/funding/critical?page=".to_string()
    } else {
        format!("/funding/critical?{query}&page=")
    };
    let (page, pages) = (l.page, l.pages);
    let mut tags = l.tags.clone();
    if let Some(t) = &l.tag {
        if !tags.contains(t) {
            tags.insert(0, t.clone());
        }
    }
    let selected_tag = l.tag.clone();
    let ecosystem = l.ecosystem.clone();
    let sort = l.sort.clone();
    view! {
        <form method="get" action="/funding/critical" class="filters crit-filters">
            <label>{lang.t("crit-filter-ecosystem")} " "
                <select name="ecosystem">
                    <option value="">{lang.t("crit-any")}</option>
                    {ECOSYSTEMS.iter().map(|e| view! {
                        <option value=*e selected=ecosystem.as_deref() == Some(*e)>{lang.t(&format!("crit-ecosystem-{e}"))}</option>
                    }).collect_view()}
                </select>
            </label>
            " "
            <label>{lang.t("crit-filter-tag")} " "
                <select name="tag">
                    <option value="">{lang.t("crit-any")}</option>
                    {tags.into_iter().map(|t| {
                        let selected = selected_tag.as_deref() == Some(t.as_str());
                        view! { <option value=t.clone() selected=selected>{t.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
            " "
            <label>{lang.t("crit-sort")} " "
                <select name="sort">
                    {SORTS.iter().map(|s| view! {
                        <option value=*s selected=sort == *s>{lang.t(&format!("crit-sort-{s}"))}</option>
                    }).collect_view()}
                </select>
            </label>
            " "
            <button type="submit">{lang.t("crit-apply")}</button>
        </form>
        <p>
            <a href=csv download="critical-unfunded.csv">{lang.t("crit-csv")}</a> " · "
            <a href=json>{lang.t("crit-json")}</a>
        </p>
        {match l.computed_at.clone() {
            None => view! { <p role="status">{lang.t("crit-not-computed")}</p> }.into_any(),
            Some(at) => view! {
                <p role="status">
                    {if l.total >= MAX_ROWS { lang.tn("crit-count-capped", MAX_ROWS) } else { lang.tn("crit-count", l.total) }} " · "
                    {lang.ta("crit-computed-at", &[("date", lang.date_time(&at).into())])}
                </p>
            }.into_any(),
        }}
        {(!l.projects.is_empty()).then(|| view! { <Table projects=l.projects.clone()/> })}
        <Pager base=pager_base page pages/>
    }
}

/// CI state in words: no CI, passing, or how many fail.
fn ci_state(lang: Lang, p: &CriticalProject) -> (String, &'static str) {
    if p.ci_packages == 0 {
        (lang.t("crit-ci-none"), "none")
    } else if p.ci_failing == 0 {
        (lang.t("crit-ci-passing"), "passing")
    } else {
        (lang.tna("crit-ci-failing", p.ci_failing, vec![("total", lang.int(p.ci_packages).into())]), "failing")
    }
}

/// Archival coverage in words: unchecked, or the share archived.
fn archival_state(lang: Lang, p: &CriticalProject) -> String {
    if p.sources_checked == 0 {
        lang.t("crit-archival-unchecked")
    } else {
        let percent = (p.sources_archived as f64 * 100.0 / p.sources_checked as f64).round() as i64;
        lang.ta(
            "crit-archival-share",
            &[("percent", lang.int(percent).into()), ("total", lang.int(p.sources_checked).into())],
        )
    }
}

#[component]
fn Table(projects: Vec<CriticalProject>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="data crit-list">
            <caption>{lang.t("crit-caption")}</caption>
            <thead><tr>
                <th scope="col" class="num">{lang.t("crit-col-rank")}</th>
                <th scope="col">{lang.t("crit-col-project")}</th>
                <th scope="col">{lang.t("crit-col-ecosystems")}</th>
                <th scope="col" class="num">{lang.t("crit-col-direct")}</th>
                <th scope="col" class="num">{lang.t("crit-col-transitive")}</th>
                <th scope="col" class="num">{lang.t("crit-col-maintainers")}</th>
                <th scope="col">{lang.t("crit-col-ci")}</th>
                <th scope="col">{lang.t("crit-col-archival")}</th>
                <th scope="col" class="num">{lang.t("crit-col-score")}</th>
            </tr></thead>
            <tbody>
                {projects.into_iter().map(|p| {
                    let (ci, ci_class) = ci_state(lang, &p);
                    let archival = archival_state(lang, &p);
                    let name = match &p.package {
                        Some(pkg) => view! { <a href=package_href(&pkg.ecosystem, &pkg.channel, &pkg.name)>{p.name.clone()}</a> }.into_any(),
                        None => view! { <span>{p.name.clone()}</span> }.into_any(),
                    };
                    view! {
                        <tr>
                            <td class="num">{lang.int(p.rank)}</td>
                            <th scope="row">{name}
                                {(!p.tags.is_empty()).then(|| view! { <br/><span class="muted">{p.tags.iter().take(5).cloned().collect::<Vec<_>>().join(", ")}</span> })}
                            </th>
                            <td>{p.ecosystems.iter().map(|e| lang.t(&format!("crit-ecosystem-{e}"))).collect::<Vec<_>>().join(", ")}</td>
                            <td class="num">{lang.int(p.direct_dependents)}</td>
                            <td class="num">{lang.int(p.transitive_dependents)}</td>
                            <td class="num">{lang.int(p.maintainers)}</td>
                            <td><span class=format!("health ci-{ci_class}")>{ci}</span></td>
                            <td>{archival}</td>
                            <td class="num">{lang.dec(p.score, 2)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// What is counted and the formula, in words.
#[component]
fn HowScored() -> impl IntoView {
    let lang = use_lang();
    view! {
        <section aria-labelledby="crit-how-h" class="crit-how">
            <h2 id="crit-how-h">{lang.t("crit-how-title")}</h2>
            <p>{lang.t("crit-how-project")}</p>
            <p>{lang.t("crit-how-dependents")}</p>
            <pre class="formula">{lang.t("crit-how-formula")}</pre>
            <p>{lang.t("crit-how-list")}</p>
            <p>{lang.t("crit-how-when")}</p>
        </section>
    }
}
