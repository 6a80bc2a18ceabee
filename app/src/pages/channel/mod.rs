//! `/packages`: the channels of every ecosystem; `/channels/{ecosystem}/{name}`:
//! one channel, its ingest history and its packages.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::catalog::{
    channel_href, decode_segment, get_channel, list_channels, ChannelDetail, ChannelSummary, IngestFailureView,
    MAX_PAGE,
};
use crate::components::{links::ExternalLink, time::DateTime};
use crate::i18n::{use_lang, Arg};

#[component]
pub fn ChannelsPage() -> impl IntoView {
    let channels = Resource::new(|| (), |_| list_channels());
    let lang = use_lang();
    view! {
        <Title text=lang.t("channels-title")/>
        <h1>{lang.t("channels-title")}</h1>
        <p class="lead">{lang.t("channels-lead")}</p>
        <Suspense fallback=move || view! { <p>{lang.t("channels-loading")}</p> }>
            {move || Suspend::new(async move {
                match channels.await {
                    Ok(list) if list.is_empty() => view! {
                        <p>{lang.t("channels-empty")} " " <code>"pacatlas demo"</code> ", " <code>"pacatlas ingest"</code></p>
                    }.into_any(),
                    Ok(list) => view! { <ChannelTable channels=list/> }.into_any(),
                    Err(_) => view! { <p role="alert">{lang.t("catalog-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ChannelTable(channels: Vec<ChannelSummary>) -> impl IntoView {
    let lang = use_lang();
    let total: i64 = channels.iter().map(|c| c.packages).sum();
    let count = i64::try_from(channels.len()).unwrap_or(i64::MAX);
    let caption =
        lang.tna("channels-caption", total, vec![("channels", Arg::Number(count)), ("nc", Arg::Text(lang.int(count)))]);
    view! {
        <table class="data">
            <caption>{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{lang.t("col-ecosystem")}</th><th scope="col">{lang.t("col-channel")}</th>
                    <th scope="col" class="num">{lang.t("col-packages")}</th><th scope="col" class="num">{lang.t("col-removed")}</th>
                    <th scope="col">{lang.t("col-revision")}</th><th scope="col">{lang.t("col-ingested")}</th>
                </tr>
            </thead>
            <tbody>
                {channels.into_iter().map(|c| view! {
                    <tr>
                        <td><span class=format!("badge eco-{}", c.ecosystem)>{c.ecosystem.clone()}</span></td>
                        <th scope="row"><a href=channel_href(&c.ecosystem, &c.name)>{c.name.clone()}</a></th>
                        <td class="num">{lang.int(c.packages)}</td>
                        <td class="num">{lang.int(c.removed)}</td>
                        <td><code>{short_revision(c.current_revision.as_deref())}</code></td>
                        <td>{c.ingested_at.clone().map(|t| view! { <DateTime timestamp=t/> })}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

pub fn short_revision(rev: Option<&str>) -> String {
    match rev {
        Some(r) if r.len() == 40 && r.bytes().all(|b| b.is_ascii_hexdigit()) => r[..12].to_string(),
        Some(r) => r.to_string(),
        None => "—".to_string(),
    }
}

#[component]
pub fn ChannelPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let p = params.get();
        let page = query.get().get("page").and_then(|v| v.parse::<u32>().ok()).unwrap_or(1).clamp(1, MAX_PAGE);
        (
            decode_segment(&p.get("ecosystem").unwrap_or_default()),
            decode_segment(&p.get("name").unwrap_or_default()),
            page,
        )
    };
    let channel = Resource::new(key, |(e, n, page)| get_channel(e, n, page));
    let lang = use_lang();
    view! {
        <Suspense fallback=move || view! { <p>{lang.t("channel-loading")}</p> }>
            {move || Suspend::new(async move {
                match channel.await {
                    Ok(Some(detail)) => view! { <ChannelView detail/> }.into_any(),
                    Ok(None) => view! {
                        <Title text=lang.t("channel-not-found-title")/>
                        <h1>{lang.t("channel-not-found-title")}</h1>
                        <p>{lang.t("channel-not-found-text")} " " <a href="/packages">{lang.t("channel-see-all")}</a></p>
                    }.into_any(),
                    Err(_) => view! { <p role="alert">{lang.t("catalog-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ChannelView(detail: ChannelDetail) -> impl IntoView {
    let c = detail.channel;
    let base = channel_href(&c.ecosystem, &c.name);
    let pages =
        u32::try_from((c.packages.max(0) as u64).div_ceil(u64::from(detail.per_page.max(1)))).unwrap_or(u32::MAX);
    let page = detail.page;
    let lang = use_lang();
    let package_count =
        lang.tna("channel-package-count", c.removed, vec![("packages", Arg::Text(lang.int(c.packages)))]);
    view! {
        <Title text=format!("{} ({})", c.name, c.ecosystem)/>
        <nav aria-label=lang.t("breadcrumb-label") class="breadcrumb"><a href="/packages">{lang.t("breadcrumb-channels")}</a> " / " {c.ecosystem.clone()}</nav>
        <h1>{c.name.clone()} " " <span class=format!("badge eco-{}", c.ecosystem)>{c.ecosystem.clone()}</span></h1>
        <dl class="facts">
            <dt>{lang.t("channel-repository")}</dt><dd>{c.url.clone().map(|u| view! { <ExternalLink url=u/> }.into_any()).unwrap_or_else(|| "—".into_any())}</dd>
            <dt>{lang.t("col-revision")}</dt><dd><code>{c.current_revision.clone().unwrap_or_else(|| "—".into())}</code></dd>
            <dt>{lang.t("channel-last-ingested")}</dt><dd>{c.ingested_at.clone().map(|t| view! { <DateTime timestamp=t/> })}</dd>
            <dt>{lang.t("col-packages")}</dt><dd>{package_count}</dd>
        </dl>
        <section aria-labelledby="history">
            <h2 id="history">{lang.t("channel-history")}</h2>
            <table class="data">
                <thead><tr>
                    <th scope="col">{lang.t("col-started")}</th><th scope="col">{lang.t("col-revision")}</th>
                    <th scope="col" class="num">{lang.t("col-added")}</th><th scope="col" class="num">{lang.t("col-updated")}</th>
                    <th scope="col" class="num">{lang.t("col-removed")}</th><th scope="col" class="num">{lang.t("col-unchanged")}</th>
                    <th scope="col" class="num">{lang.t("col-duration")}</th><th scope="col">{lang.t("col-inputs")}</th>
                </tr></thead>
                <tbody>
                    {detail.runs.into_iter().map(|r| view! {
                        <tr>
                            <td><DateTime timestamp=r.started_at.clone()/></td>
                            <td><code>{short_revision(r.revision.as_deref())}</code></td>
                            <td class="num">{lang.int(r.added)}</td>
                            <td class="num">{lang.int(r.updated)}</td>
                            <td class="num">{lang.int(r.removed)}</td>
                            <td class="num">{lang.int(r.unchanged)}</td>
                            <td class="num">{lang.ta("duration-seconds", &[("s", lang.dec(r.duration_ms as f64 / 1000.0, 1).into())])}</td>
                            <td>{r.inputs.iter().map(|i| i.name.clone()).collect::<Vec<_>>().join(", ")}
                                {(!r.warnings.is_empty()).then(|| view! { <details><summary>{lang.tn("channel-warnings", i64::try_from(r.warnings.len()).unwrap_or(i64::MAX))}</summary><ul>{r.warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul></details> })}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        {(!detail.failures.is_empty()).then(|| view! { <FailureTable failures=detail.failures/> })}
        <section aria-labelledby="pkgs">
            <h2 id="pkgs">{lang.t("col-packages")}</h2>
            <ul class="package-list">
                {detail.packages.into_iter().map(|p| view! {
                    <li>
                        <a href=p.href()>{p.name.clone()}</a>
                        " " <span class="version">{p.latest_version.clone().unwrap_or_default()}</span>
                        {p.removed.then(|| view! { " " <span class="badge removed">{lang.t("badge-removed")}</span> })}
                        <span class="synopsis">{p.synopsis.clone().unwrap_or_default()}</span>
                    </li>
                }).collect_view()}
            </ul>
            <nav class="pager" aria-label=lang.t("pager-label")>
                {(page > 1).then(|| view! { <a rel="prev" href=format!("{base}?page={}", page - 1)>{lang.t("pager-previous")}</a> })}
                <span>{lang.ta("pager-page", &[("page", page.to_string().into()), ("pages", pages.max(1).to_string().into())])}</span>
                {(page < pages).then(|| view! { <a rel="next" href=format!("{base}?page={}", page.saturating_add(1))>{lang.t("pager-next")}</a> })}
            </nav>
        </section>
    }
}

/// Ingests that failed: nothing of them reached the catalog.
#[component]
fn FailureTable(failures: Vec<IngestFailureView>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section aria-labelledby="failures">
            <h2 id="failures">{lang.t("failures-title")}</h2>
            <p>{lang.t("failures-text")}</p>
            <table class="data">
                <thead><tr>
                    <th scope="col">{lang.t("col-failed")}</th><th scope="col">{lang.t("col-revision")}</th><th scope="col">{lang.t("col-inputs")}</th>
                    <th scope="col">{lang.t("col-where")}</th><th scope="col">{lang.t("col-error")}</th>
                </tr></thead>
                <tbody>
                    {failures.into_iter().map(|f| {
                        let place = [f.file, f.record, f.place].into_iter().flatten().collect::<Vec<_>>().join(" › ");
                        view! {
                            <tr>
                                <td><DateTime timestamp=f.failed_at.clone()/></td>
                                <td><code>{short_revision(f.revision.as_deref())}</code></td>
                                <td>{f.inputs.iter().map(|i| i.name.clone()).collect::<Vec<_>>().join(", ")}</td>
                                <td>{place}</td>
                                <td class="error-text">{f.error}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
