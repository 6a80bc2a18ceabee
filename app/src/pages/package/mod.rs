//! `/packages/{ecosystem}/{channel}/{name}`: everything the catalog knows
//! about one package of one channel.
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::api::catalog::{
    channel_href, decode_segment, get_package, package_href, DependencyView, PackageDetail, SourceView, VersionView,
};
use crate::components::{copy::CopyButton, links::ExternalLink};
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
    view! {
        <Suspense fallback=|| view! { <p>"Loading package…"</p> }>
            {move || Suspend::new(async move {
                match package.await {
                    Ok(Some(p)) => view! { <PackageView p/> }.into_any(),
                    Ok(None) => {
                        let (_, _, name) = key();
                        view! {
                            <Title text="Package not found"/>
                            <h1>"Package not found"</h1>
                            <p>"This channel has no package of that name. "
                               <a href=format!("/search?q={}", crate::api::catalog::encode_segment(&name))>"Search for it"</a>
                               " in every channel."</p>
                        }.into_any()
                    }
                    Err(_) => view! { <p role="alert">{crate::api::catalog::UNAVAILABLE}</p> }.into_any(),
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
    view! {
        <Title text=title/>
        <Meta name="description" content=description_meta/>
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <a href="/packages">"Channels"</a> " / " <a href=channel_link.clone()>{format!("{} ({})", p.channel, p.ecosystem)}</a>
        </nav>
        <article class="package" aria-labelledby="pkg-name">
            <header class="package-header">
                <h1 id="pkg-name">{p.name.clone()}</h1>
                {p.latest_version.clone().map(|v| view! { <span class="version-badge">{v}</span> })}
                <span class=format!("badge eco-{}", p.ecosystem)>{p.ecosystem.clone()}</span>
                <a class="badge channel" href=channel_link>{p.channel.clone()}</a>
            </header>
            {p.removed.then(|| view! {
                <p class="notice removed" role="status">
                    "This package was removed from the channel"
                    {p.last_seen_revision.clone().map(|r| format!(": last seen at revision {}", short_revision(Some(&r))))}
                    {p.removed_at.clone().map(|t| format!(" (removal noticed {})", crate::pages::channel::short_time(&t)))}
                    "."
                </p>
            })}
            {p.synopsis.clone().map(|s| view! { <p class="lead synopsis">{s}</p> })}
            {p.description.clone().map(|d| view! { <div class="description">{d}</div> })}

            <section aria-labelledby="install-h" class="install">
                <h2 id="install-h">"Install"</h2>
                <div class="command">
                    <pre><code>{install.clone()}</code></pre>
                    <CopyButton text=install label="Copy the install command"/>
                </div>
            </section>

            <section aria-labelledby="facts-h">
                <h2 id="facts-h" class="visually-hidden">"Facts"</h2>
                <dl class="facts">
                    {p.homepage.clone().map(|u| view! { <dt>"Homepage"</dt><dd><ExternalLink url=u/></dd> })}
                    {p.repository_url.clone().map(|u| view! { <dt>"Repository"</dt><dd><ExternalLink url=u/></dd> })}
                    <dt>"Licence"</dt>
                    <dd>
                        {if p.licenses.is_empty() { view! { <span>"not declared"</span> }.into_any() } else {
                            view! { <ul class="inline">{p.licenses.clone().into_iter().map(|l| view! {
                                <li>
                                    {l.spdx.clone().unwrap_or_else(|| l.raw.clone())}
                                    {(l.spdx.is_some() && l.spdx.as_deref() != Some(l.raw.as_str())).then(|| view! { <span class="muted">{format!(" ({})", l.raw)}</span> })}
                                    {l.condition.clone().map(|c| view! { <span class="muted">{format!(" when {c}")}</span> })}
                                </li>
                            }).collect_view()}</ul> }.into_any()
                        }}
                    </dd>
                    <dt>"Maintainers"</dt>
                    <dd>
                        {if p.maintainers.is_empty() { view! { <span>"none declared"</span> }.into_any() } else {
                            view! { <ul class="inline">{p.maintainers.clone().into_iter().map(|m| {
                                let label = match &m.name { Some(n) => format!("{n} (@{})", m.handle), None => format!("@{}", m.handle) };
                                match m.profile_url() {
                                    Some(u) => view! { <li><ExternalLink url=u label=label/></li> }.into_any(),
                                    None => view! { <li>{label}</li> }.into_any(),
                                }
                            }).collect_view()}</ul> }.into_any()
                        }}
                    </dd>
                    {p.location.clone().map(|l| view! { <dt>"Defined in"</dt><dd><code>{l}</code></dd> })}
                    {p.build_system.clone().map(|b| view! { <dt>"Build system"</dt><dd>{b}</dd> })}
                    {(!p.gpu.is_empty()).then(|| view! { <dt>"GPU support"</dt><dd>{gpu_names(&p.gpu)}</dd> })}
                    {(!p.provides.is_empty()).then(|| view! { <dt>"Provides"</dt><dd>{p.provides.join(", ")}</dd> })}
                    {(!p.tags.is_empty()).then(|| view! { <dt>"Tags"</dt><dd>{p.tags.join(", ")}</dd> })}
                    {(!p.platforms.is_empty()).then(|| view! { <dt>"Platforms"</dt><dd>{p.platforms.join(", ")}</dd> })}
                    <dt>"Used by"</dt><dd>{format!("{} package{} in this channel", p.dependents, if p.dependents == 1 { "" } else { "s" })}</dd>
                </dl>
            </section>

            {(!p.also_in.is_empty()).then(|| view! {
                <section aria-labelledby="also-h">
                    <h2 id="also-h">"Also packaged in"</h2>
                    <ul class="also-in">
                        {p.also_in.clone().into_iter().map(|r| view! {
                            <li>
                                <span class=format!("badge eco-{}", r.ecosystem)>{r.ecosystem.clone()}</span>
                                " " <a href=package_href(&r.ecosystem, &r.channel, &r.name)>{r.name.clone()}</a>
                                " " <span class="version">{r.latest_version.clone().unwrap_or_default()}</span>
                                " " <span class="muted">{format!("in {}", r.channel)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}

            <Versions versions=p.versions.clone()/>
            {(!p.sources.is_empty()).then(|| view! {
                <section aria-labelledby="src-h"><h2 id="src-h">"Sources"</h2>
                    <ul class="sources">{p.sources.clone().into_iter().map(|s| view! { <li><Source s/></li> }).collect_view()}</ul>
                </section>
            })}
            <Dependencies deps=p.dependencies.clone() ecosystem=p.ecosystem.clone() channel=p.channel.clone()/>
            {(!p.variants.is_empty()).then(|| view! {
                <section aria-labelledby="var-h">
                    <h2 id="var-h">"Variants"</h2>
                    <table class="data">
                        <thead><tr><th scope="col">"Variant"</th><th scope="col">"Default"</th><th scope="col">"Values"</th><th scope="col">"Description"</th></tr></thead>
                        <tbody>{p.variants.clone().into_iter().map(|v| view! {
                            <tr><th scope="row"><code>{v.name}</code></th><td>{v.default_value.unwrap_or_default()}</td><td>{v.allowed_values.unwrap_or_default()}</td><td>{v.description.unwrap_or_default()}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                </section>
            })}
            {(!p.conflicts.is_empty()).then(|| view! {
                <section aria-labelledby="conflicts-h">
                    <h2 id="conflicts-h">"Conflicts"</h2>
                    <p class="muted">"Configurations the recipe refuses to build."</p>
                    <table class="data">
                        <thead><tr><th scope="col">"Spec"</th><th scope="col">"When"</th><th scope="col">"Reason"</th></tr></thead>
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
    let count = versions.len();
    view! {
        <section aria-labelledby="ver-h">
            <h2 id="ver-h">{format!("Versions ({count})")}</h2>
            <table class="data versions">
                <thead><tr><th scope="col">"Version"</th><th scope="col">"Source"</th></tr></thead>
                <tbody>
                    {versions.into_iter().map(|v| view! {
                        <tr class:deprecated=v.deprecated>
                            <th scope="row">
                                {v.version.clone()}
                                {v.preferred.then(|| view! { " " <span class="badge">"preferred"</span> })}
                                {v.deprecated.then(|| view! { " " <span class="badge removed">"deprecated"</span> })}
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
    view! {
        <span class="origin">{s.origin_type.clone()}</span>
        " "
        {location.map(|u| view! { <ExternalLink url=u/> })}
        {reference.map(|r| view! { " " <code>{r}</code> })}
        {s.forge_host.clone().map(|h| view! { " " <span class="forge">{h}</span> })}
        {s.sha256.clone().map(|h| view! { <br/><span class="hash" title="sha256 of the file">"sha256 " <code>{h}</code></span> })}
        {s.nar_sha256.clone().map(|h| view! { <br/><span class="hash" title="sha256 of the NAR serialisation">"nar sha256 " <code>{h}</code></span> })}
    }
}

#[component]
fn Dependencies(deps: Vec<DependencyView>, ecosystem: String, channel: String) -> impl IntoView {
    if deps.is_empty() {
        return view! { <section aria-labelledby="dep-h"><h2 id="dep-h">"Dependencies"</h2><p>"None declared."</p></section> }.into_any();
    }
    let count = deps.len();
    view! {
        <section aria-labelledby="dep-h">
            <h2 id="dep-h">{format!("Dependencies ({count})")}</h2>
            <ul class="dependencies">
                {deps.into_iter().map(|d| {
                    let name = if d.resolved {
                        view! { <a href=package_href(&ecosystem, &channel, &d.name)>{d.name.clone()}</a> }.into_any()
                    } else if d.providers > 0 {
                        view! { <a href=format!("/search?q={}", crate::api::catalog::encode_segment(&d.name))>{d.name.clone()}</a> " " <span class="badge">{format!("virtual: {} providers", d.providers)}</span> }.into_any()
                    } else {
                        view! { <span>{d.name.clone()}</span> }.into_any()
                    };
                    view! {
                        <li>
                            {name}
                            {d.spec.clone().filter(|s| s != &d.name).map(|s| view! { " " <code>{s}</code> })}
                            {d.kinds.iter().map(|k| view! { " " <span class=format!("kind kind-{k}")>{k.clone()}</span> }).collect_view()}
                            {d.condition.clone().map(|c| view! { " " <span class="muted">{format!("when {c}")}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }.into_any()
}
