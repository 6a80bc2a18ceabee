//! `/packages/{ecosystem}/{channel}/{name}`: everything the catalog knows
//! about one package of one channel.
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::api::catalog::{
    channel_href, decode_segment, get_package, package_href, DependencyView, PackageDetail, SourceView, VersionView,
};
use crate::components::{copy::CopyButton, links::ExternalLink};
use crate::i18n::use_lang;
use crate::pages::channel::short_revision;

#[component]
pub fn PackagePage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.get();
        (
            decode_segment(&p.get("ecosystem").unwrap_or_default()),
            decode_segment(&p.get("channel").unwrap_or_default()),
            decode_segment(&p.get("name").unwrap_or_default()),
        )
    };
    let package = Resource::new(key, |(e, c, n)| get_package(e, c, n));
    let lang = use_lang();
    view! {
        <Suspense fallback=move || view! { <p>{lang.t("package-loading")}</p> }>
            {move || Suspend::new(async move {
                match package.await {
                    Ok(Some(p)) => view! { <PackageView p/> }.into_any(),
                    Ok(None) => {
                        let (_, _, name) = key();
                        view! {
                            <Title text=lang.t("package-not-found-title")/>
                            <h1>{lang.t("package-not-found-title")}</h1>
                            <p>{lang.t("package-not-found-text")} " "
                               <a href=format!("/search?q={}", crate::api::catalog::encode_segment(&name))>{lang.t("package-search-everywhere")}</a>
                            </p>
                        }.into_any()
                    }
                    Err(_) => view! { <p role="alert">{lang.t("catalog-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PackageView(p: PackageDetail) -> impl IntoView {
    let title = match &p.latest_version {
        Some(v) => format!("{} {}", p.name, v),
        None => p.name.clone(),
    };
    let description_meta = p.synopsis.clone().unwrap_or_default();
    let install = p.install.clone();
    let channel_link = channel_href(&p.ecosystem, &p.channel);
    let lang = use_lang();
    view! {
        <Title text=title/>
        <Meta name="description" content=description_meta/>
        <nav aria-label=lang.t("breadcrumb-label") class="breadcrumb">
            <a href="/packages">{lang.t("breadcrumb-channels")}</a> " / " <a href=channel_link.clone()>{format!("{} ({})", p.channel, p.ecosystem)}</a>
        </nav>
        <article class="package" aria-labelledby="pkg-name">
            <header class="package-header">
                <h1 id="pkg-name">{p.name.clone()}</h1>
                {p.latest_version.clone().map(|v| view! { <span class="version-badge">{v}</span> })}
                <span class=format!("badge eco-{}", p.ecosystem)>{p.ecosystem.clone()}</span>
                <a class="badge channel" href=channel_link>{p.channel.clone()}</a>
                {crate::api::accounts::viewer_name().map(|_| view! {
                    <a class="button claim" href=crate::api::accounts::claim_href(&p.ecosystem, &p.channel, &p.name)>{lang.t("accounts-claim-button")}</a>
                })}
            </header>
            {p.removed.then(|| view! {
                <p class="notice removed" role="status">
                    {lang.t("package-removed")}
                    {p.last_seen_revision.clone().map(|r| format!(" {}", lang.ta("package-last-seen", &[("revision", short_revision(Some(&r)).into())])))}
                    {p.removed_at.clone().map(|t| format!(" {}", lang.ta("package-removal-noticed", &[("date", lang.date_time(&t).into())])))}
                </p>
            })}
            {p.synopsis.clone().map(|s| view! { <p class="lead synopsis">{s}</p> })}
            {p.description.clone().map(|d| view! { <div class="description">{d}</div> })}

            <section aria-labelledby="install-h" class="install">
                <h2 id="install-h">{lang.t("package-install")}</h2>
                <div class="command">
                    <pre><code>{install.clone()}</code></pre>
                    <CopyButton text=install label=lang.t("package-copy-install")/>
                </div>
            </section>

            <section aria-labelledby="facts-h">
                <h2 id="facts-h" class="visually-hidden">{lang.t("package-facts")}</h2>
                <dl class="facts">
                    {p.homepage.clone().map(|u| view! { <dt>{lang.t("package-homepage")}</dt><dd><ExternalLink url=u/></dd> })}
                    {p.repository_url.clone().map(|u| view! { <dt>{lang.t("package-repository")}</dt><dd><ExternalLink url=u/></dd> })}
                    <dt>{lang.t("package-licence")}</dt>
                    <dd>
                        {if p.licenses.is_empty() { view! { <span>{lang.t("package-not-declared")}</span> }.into_any() } else {
                            view! { <ul class="inline">{p.licenses.clone().into_iter().map(|l| view! {
                                <li>
                                    {l.spdx.clone().unwrap_or_else(|| l.raw.clone())}
                                    {(l.spdx.is_some() && l.spdx.as_deref() != Some(l.raw.as_str())).then(|| view! { <span class="muted">{format!(" ({})", l.raw)}</span> })}
                                    {l.condition.clone().map(|c| view! { <span class="muted">{format!(" {}", lang.ta("package-when", &[("condition", c.into())]))}</span> })}
                                </li>
                            }).collect_view()}</ul> }.into_any()
                        }}
                    </dd>
                    <dt>{lang.t("package-maintainers")}</dt>
                    <dd><crate::pages::maintainers::PackageMaintainers declared=p.maintainers.clone() claimants=p.claimants.clone()/></dd>
                    <dt>{lang.t("funding-funded-by")}</dt>
                    <dd><crate::pages::funding::FundedBy of="package" keys=vec![p.ecosystem.clone(), p.channel.clone(), p.name.clone()]/></dd>
                    {p.location.clone().map(|l| view! { <dt>{lang.t("package-defined-in")}</dt><dd><code>{l}</code></dd> })}
                    {p.build_system.clone().map(|b| view! { <dt>{lang.t("package-build-system")}</dt><dd>{b}</dd> })}
                    {(!p.gpu.is_empty()).then(|| view! { <dt>{lang.t("package-gpu")}</dt><dd>{gpu_names(&p.gpu)}</dd> })}
                    {(!p.provides.is_empty()).then(|| view! { <dt>{lang.t("package-provides")}</dt><dd>{p.provides.join(", ")}</dd> })}
                    {(!p.tags.is_empty()).then(|| view! { <dt>{lang.t("package-tags")}</dt><dd>{p.tags.join(", ")}</dd> })}
                    {(!p.platforms.is_empty()).then(|| view! { <dt>{lang.t("package-platforms")}</dt><dd>{p.platforms.join(", ")}</dd> })}
                    <dt>{lang.t("package-used-by")}</dt><dd>{lang.tn("package-used-by-count", p.dependents)}</dd>
                </dl>
            </section>

            {(!p.also_in.is_empty()).then(|| view! {
                <section aria-labelledby="also-h">
                    <h2 id="also-h">{lang.t("package-also-in")}</h2>
                    <ul class="also-in">
                        {p.also_in.clone().into_iter().map(|r| view! {
                            <li>
                                <span class=format!("badge eco-{}", r.ecosystem)>{r.ecosystem.clone()}</span>
                                " " <a href=package_href(&r.ecosystem, &r.channel, &r.name)>{r.name.clone()}</a>
                                " " <span class="version">{r.latest_version.clone().unwrap_or_default()}</span>
                                " " <span class="muted">{lang.ta("package-in-channel", &[("channel", r.channel.clone().into())])}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}

            <crate::pages::ci::PackageBuildsSection ecosystem=p.ecosystem.clone() channel=p.channel.clone() name=p.name.clone()/>
            <crate::pages::matrix::WhereItRuns ecosystem=p.ecosystem.clone() channel=p.channel.clone() name=p.name.clone()/>

            <Versions versions=p.versions.clone()/>
            {(!p.sources.is_empty()).then(|| view! {
                <section aria-labelledby="src-h"><h2 id="src-h">{lang.t("package-sources")}</h2>
                    <ul class="sources">{p.sources.clone().into_iter().map(|s| view! { <li><Source s/></li> }).collect_view()}</ul>
                </section>
            })}
            <Dependencies deps=p.dependencies.clone() ecosystem=p.ecosystem.clone() channel=p.channel.clone()/>
            {(!p.variants.is_empty()).then(|| view! {
                <section aria-labelledby="var-h">
                    <h2 id="var-h">{lang.t("package-variants")}</h2>
                    <table class="data">
                        <thead><tr>
                            <th scope="col">{lang.t("col-variant")}</th><th scope="col">{lang.t("col-default")}</th>
                            <th scope="col">{lang.t("col-values")}</th><th scope="col">{lang.t("col-description")}</th>
                        </tr></thead>
                        <tbody>{p.variants.clone().into_iter().map(|v| view! {
                            <tr><th scope="row"><code>{v.name}</code></th><td>{v.default_value.unwrap_or_default()}</td><td>{v.allowed_values.unwrap_or_default()}</td><td>{v.description.unwrap_or_default()}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                </section>
            })}
            {(!p.conflicts.is_empty()).then(|| view! {
                <section aria-labelledby="conflicts-h">
                    <h2 id="conflicts-h">{lang.t("package-conflicts")}</h2>
                    <p class="muted">{lang.t("package-conflicts-text")}</p>
                    <table class="data">
                        <thead><tr><th scope="col">{lang.t("col-spec")}</th><th scope="col">{lang.t("col-when")}</th><th scope="col">{lang.t("col-reason")}</th></tr></thead>
                        <tbody>{p.conflicts.clone().into_iter().map(|c| view! {
                            <tr><th scope="row"><code>{c.spec}</code></th><td><code>{c.when.unwrap_or_default()}</code></td><td>{c.message.unwrap_or_default()}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                </section>
            })}
        </article>
    }
}

/// "CUDA, ROCm" from the recipe's flags.
fn gpu_names(flags: &[String]) -> String {
    flags
        .iter()
        .map(|f| match f.as_str() {
            "cuda" => "CUDA".to_string(),
            "rocm" => "ROCm".to_string(),
            "sycl" => "SYCL".to_string(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
fn Versions(versions: Vec<VersionView>) -> impl IntoView {
    let lang = use_lang();
    let count = i64::try_from(versions.len()).unwrap_or(i64::MAX);
    view! {
        <section aria-labelledby="ver-h">
            <h2 id="ver-h">{lang.tn("package-versions", count)}</h2>
            <table class="data versions">
                <thead><tr><th scope="col">{lang.t("col-version")}</th><th scope="col">{lang.t("col-source")}</th></tr></thead>
                <tbody>
                    {versions.into_iter().map(|v| view! {
                        <tr class:deprecated=v.deprecated>
                            <th scope="row">
                                {v.version.clone()}
                                {v.preferred.then(|| view! { " " <span class="badge">{lang.t("badge-preferred")}</span> })}
                                {v.deprecated.then(|| view! { " " <span class="badge removed">{lang.t("badge-deprecated")}</span> })}
                            </th>
                            <td>
                                {if v.sources.is_empty() { view! { <span class="muted">"—"</span> }.into_any() } else {
                                    view! { <ul class="sources">{v.sources.into_iter().map(|s| view! { <li><Source s/></li> }).collect_view()}</ul> }.into_any()
                                }}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn Source(s: SourceView) -> impl IntoView {
    let location = s.git_url.clone().or_else(|| s.urls.first().cloned());
    let reference = s.git_commit.clone().or_else(|| s.git_ref.clone());
    let lang = use_lang();
    view! {
        <span class="origin">{s.origin_type.clone()}</span>
        " "
        {location.map(|u| view! { <ExternalLink url=u/> })}
        {reference.map(|r| view! { " " <code>{r}</code> })}
        {s.forge_host.clone().map(|h| view! { " " <span class="forge">{h}</span> })}
        {s.sha256.clone().map(|h| view! { <br/><span class="hash" title=lang.t("source-sha256-title")>"sha256 " <code>{h}</code></span> })}
        {s.nar_sha256.clone().map(|h| view! { <br/><span class="hash" title=lang.t("source-nar-title")>"nar sha256 " <code>{h}</code></span> })}
        {s.archival.clone().map(|a| view! { <br/><crate::pages::archival::SourceStatus a/> })}
    }
}

#[component]
fn Dependencies(deps: Vec<DependencyView>, ecosystem: String, channel: String) -> impl IntoView {
    let lang = use_lang();
    if deps.is_empty() {
        return view! {
            <section aria-labelledby="dep-h"><h2 id="dep-h">{lang.t("package-dependencies")}</h2><p>{lang.t("package-no-dependencies")}</p></section>
        }.into_any();
    }
    let count = i64::try_from(deps.len()).unwrap_or(i64::MAX);
    view! {
        <section aria-labelledby="dep-h">
            <h2 id="dep-h">{lang.tn("package-dependencies-count", count)}</h2>
            <ul class="dependencies">
                {deps.into_iter().map(|d| {
                    let name = if d.resolved {
                        view! { <a href=package_href(&ecosystem, &channel, &d.name)>{d.name.clone()}</a> }.into_any()
                    } else if d.providers > 0 {
                        view! { <a href=format!("/search?q={}", crate::api::catalog::encode_segment(&d.name))>{d.name.clone()}</a> " " <span class="badge">{lang.tn("dependency-virtual", d.providers)}</span> }.into_any()
                    } else {
                        view! { <span>{d.name.clone()}</span> }.into_any()
                    };
                    view! {
                        <li>
                            {name}
                            {d.spec.clone().filter(|s| s != &d.name).map(|s| view! { " " <code>{s}</code> })}
                            {d.kinds.iter().map(|k| view! { " " <span class=format!("kind kind-{k}")>{k.clone()}</span> }).collect_view()}
                            {d.condition.clone().map(|c| view! { " " <span class="muted">{lang.ta("package-when", &[("condition", c.into())])}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }.into_any()
}
