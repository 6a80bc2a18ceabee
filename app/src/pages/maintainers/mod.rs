//! Maintainers: `/maintainers/{forge}/{handle}` (a person's packages,
//! declared and claimed, grouped by channel, with their health at a glance),
//! the index `/maintainers` (`index`), the maintainers section of a package
//! page (`package`) and the list of inbox items (`inbox`).
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

mod inbox;
mod index;
mod package;

pub use inbox::{InboxList, InboxPage};
pub use index::MaintainersPage;
pub use package::PackageMaintainers;

use crate::api::catalog::{decode_segment, package_href};
use crate::api::maintainers::{get_maintainer, maintainer_href, MaintainedPackage, MaintainerDetail};
use crate::components::links::ExternalLink;
use crate::components::pager::Pager;
use crate::i18n::{use_lang, Lang};

/// A forge as words: GitHub, ORCID, or its host.
pub fn forge_label(forge: &str) -> String {
    match forge {
        "github" => "GitHub".into(),
        "orcid" => "ORCID".into(),
        host => host.to_string(),
    }
}

/// How a person is shown: their name, else their handle.
pub fn display_name(name: Option<&str>, handle: &str) -> String {
    name.filter(|n| !n.trim().is_empty()).map_or_else(|| handle.to_string(), str::to_string)
}

#[component]
pub fn MaintainerPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let p = params.get();
        let q = query.get();
        (
            decode_segment(&p.get("forge").unwrap_or_default()),
            decode_segment(&p.get("handle").unwrap_or_default()),
            q.get("sort").filter(|s| s == "health").unwrap_or_else(|| "name".into()),
            q.get("page").and_then(|v| v.parse::<i64>().ok()).unwrap_or(1).clamp(1, 10_000),
        )
    };
    let detail = Resource::new(key, |(f, h, s, p)| get_maintainer(f, h, s, p));
    let lang = use_lang();
    view! {
        <Suspense fallback=move || view! { <p>{lang.t("maint-loading")}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(Some(d)) => view! { <Detail d/> }.into_any(),
                    Ok(None) => view! {
                        <Title text=lang.t("maint-not-found")/>
                        <h1>{lang.t("maint-not-found")}</h1>
                        <p>{lang.t("maint-not-found-text")} " " <a href="/maintainers">{lang.t("maint-all")}</a></p>
                    }.into_any(),
                    Err(_) => view! {
                        <Title text=lang.t("maint-index-title")/>
                        <p role="alert">{lang.t("catalog-unavailable")}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Detail(d: MaintainerDetail) -> impl IntoView {
    let lang = use_lang();
    let base = maintainer_href(&d.forge, &d.handle);
    let feed = format!("{base}/feed.atom");
    let who = display_name(d.name.as_deref(), &d.handle);
    let title = lang.ta("maint-title", &[("who", who.clone().into())]);
    let feed_title = lang.ta("maint-feed-link-title", &[("handle", d.handle.clone().into())]);
    let sort_link = |sort: &'static str| {
        let current = (d.sort == sort).then_some("page");
        let label = lang.t(&format!("maint-sort-{sort}"));
        view! { <a href=format!("{base}?sort={sort}") aria-current=current>{label}</a> }
    };
    let sorts = view! { {sort_link("name")} " · " {sort_link("health")} };
    let c = d.counts.clone();
    let (page, pages, sort) = (d.page, d.pages, d.sort.clone());
    let pager_base = format!("{base}?sort={sort}&page=");
    view! {
        <Title text=title.clone()/>
        <Meta name="description" content=lang.tn("maint-packages-count", c.packages)/>
        <Link rel="alternate" type_="application/atom+xml" href=feed.clone() title=feed_title/>
        <nav aria-label=lang.t("breadcrumb-label") class="breadcrumb"><a href="/maintainers">{lang.t("maint-index-title")}</a></nav>
        <h1>{who}</h1>
        <p class="lead">
            {format!("{} · {} ", d.handle, forge_label(&d.forge))}
            {d.profile_url.clone().map(|u| view! { <ExternalLink url=u label=lang.ta("maint-profile", &[("forge", forge_label(&d.forge).into())])/> })}
        </p>
        <div class="funded-by-line"><h2 class="h-small">{lang.t("funding-funded-by")}</h2> <crate::pages::funding::FundedBy of="maintainer" keys=vec![d.forge.clone(), d.handle.clone()]/></div>
        <ul class="maint-counts" aria-label=lang.t("maint-counts-label")>
            <li>{lang.tn("maint-packages-count", c.packages)}</li>
            <li>{lang.tn("maint-failing-count", c.failing)}</li>
            <li>{lang.tn("maint-unarchived-count", c.unarchived)}</li>
            <li>{lang.tn("maint-outdated-count", c.outdated)}</li>
        </ul>
        <p>
            <a href=feed.clone() class="feed-link">{lang.t("maint-feed")}</a> " · "
            <a href=format!("/api/v1{base}")>{lang.t("maint-json")}</a> " · "
            <a href=format!("/matrix?maintainer={}", crate::api::catalog::encode_segment(&format!("{}:{}", d.forge, d.handle)))>{lang.t("matrix-maintainer-link")}</a>
        </p>
        <p class="maint-channels">
            {d.channels.iter().map(|ch| format!("{} ({}): {}", ch.channel, ch.ecosystem, lang.int(ch.packages))).collect::<Vec<_>>().join(" · ")}
        </p>
        <section aria-labelledby="maint-packages-h">
            <h2 id="maint-packages-h">{lang.t("maint-packages")}</h2>
            <p class="sort">{lang.t("maint-sort-by")} " " {sorts}</p>
            {groups(d.packages).into_iter().map(|(ecosystem, channel, rows)| view! { <ChannelTable ecosystem channel rows/> }).collect_view()}
            <Pager base=pager_base page pages/>
        </section>
    }
}

/// The page's packages by ecosystem and channel (they come in that order).
fn groups(packages: Vec<MaintainedPackage>) -> Vec<(String, String, Vec<MaintainedPackage>)> {
    let mut out: Vec<(String, String, Vec<MaintainedPackage>)> = Vec::new();
    for p in packages {
        match out.last_mut() {
            Some((e, c, rows)) if *e == p.ecosystem && *c == p.channel => rows.push(p),
            _ => out.push((p.ecosystem.clone(), p.channel.clone(), vec![p])),
        }
    }
    out
}

/// How the maintainer is tied to the package, in words.
pub fn relation_label(lang: Lang, p: &MaintainedPackage) -> String {
    let mut parts = Vec::new();
    if p.relation.declared {
        parts.push(lang.t("maint-declared"));
    }
    match p.relation.claim.as_deref() {
        Some("verified") => parts.push(lang.t("maint-claim-verified")),
        Some(_) => parts.push(lang.t("maint-claim-approved")),
        None => {}
    }
    parts.join(", ")
}

#[component]
fn ChannelTable(ecosystem: String, channel: String, rows: Vec<MaintainedPackage>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="data maint-packages">
            <caption>{format!("{channel} ({ecosystem})")}</caption>
            <thead><tr>
                <th scope="col">{lang.t("maint-col-package")}</th>
                <th scope="col">{lang.t("maint-col-as")}</th>
                <th scope="col">{lang.t("maint-col-ci")}</th>
                <th scope="col">{lang.t("maint-col-archival")}</th>
                <th scope="col">{lang.t("maint-col-upstream")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|p| {
                    let ci = p.ci.clone().unwrap_or_else(|| "none".into());
                    let archival = p.archival.clone();
                    view! {
                        <tr>
                            <th scope="row">
                                <a href=package_href(&p.ecosystem, &p.channel, &p.name)>{p.name.clone()}</a>
                                " " <span class="version">{p.latest_version.clone().unwrap_or_default()}</span>
                            </th>
                            <td>{relation_label(lang, &p)}</td>
                            <td><span class=format!("health ci-{ci}")>{lang.t(&format!("maint-ci-{ci}"))}</span>
                                {p.failing_since.clone().map(|t| view! { " " <span class="muted">{lang.ta("maint-since", &[("date", lang.date_time(&t).into())])}</span> })}
                            </td>
                            <td><span class=format!("health archival-{archival}")>{lang.t(&format!("maint-archival-{archival}"))}</span>
                                {(p.missing > 0).then(|| view! { " " <span class="muted">{lang.tna("maint-missing-of", p.missing, vec![("sources", lang.int(p.sources).into())])}</span> })}
                            </td>
                            <td>{match p.newer.clone() {
                                Some(n) => view! {
                                    <span class="health outdated">{lang.t("maint-outdated")}</span> " "
                                    <a href=package_href(&n.ecosystem, &n.channel, &n.name)>{format!("{} ({} {})", n.version, n.channel, n.ecosystem)}</a>
                                }.into_any(),
                                None => view! { <span class="muted">{lang.t("maint-not-outdated")}</span> }.into_any(),
                            }}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
