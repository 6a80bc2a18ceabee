//! `/packages`: the channels of every ecosystem; `/channels/{ecosystem}/{name}`:
//! one channel, its ingest history and its packages.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::catalog::{
    channel_href, decode_segment, get_channel, list_channels, ChannelDetail, ChannelSummary, IngestFailureView, MAX_PAGE, UNAVAILABLE,
};
use crate::components::links::ExternalLink;

#[component]
pub fn ChannelsPage() -> impl IntoView {
    let channels = Resource::new(|| (), |_| list_channels());
    view! {
        <Title text="Packages by channel"/>
        <h1>"Packages by channel"</h1>
        <p class="lead">"Every channel Pacatlas indexes, with the revision it was last read at."</p>
        <Suspense fallback=|| view! { <p>"Loading channels…"</p> }>
            {move || Suspend::new(async move {
                match channels.await {
                    Ok(list) if list.is_empty() => view! {
                        <p>"No channel has been ingested yet. Run " <code>"pacatlas demo"</code> " or " <code>"pacatlas ingest"</code> "."</p>
                    }.into_any(),
                    Ok(list) => view! { <ChannelTable channels=list/> }.into_any(),
                    Err(_) => view! { <p role="alert">{UNAVAILABLE}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ChannelTable(channels: Vec<ChannelSummary>) -> impl IntoView {
    let total: i64 = channels.iter().map(|c| c.packages).sum();
    view! {
        <table class="data">
            <caption>{format!("{} channels, {} packages", channels.len(), total)}</caption>
            <thead>
                <tr><th scope="col">"Ecosystem"</th><th scope="col">"Channel"</th><th scope="col" class="num">"Packages"</th><th scope="col" class="num">"Removed"</th><th scope="col">"Revision"</th><th scope="col">"Ingested"</th></tr>
            </thead>
            <tbody>
                {channels.into_iter().map(|c| view! {
                    <tr>
                        <td><span class=format!("badge eco-{}", c.ecosystem)>{c.ecosystem.clone()}</span></td>
                        <th scope="row"><a href=channel_href(&c.ecosystem, &c.name)>{c.name.clone()}</a></th>
                        <td class="num">{c.packages}</td>
                        <td class="num">{c.removed}</td>
                        <td><code>{short_revision(c.current_revision.as_deref())}</code></td>
                        <td>{c.ingested_at.as_deref().map(short_time).unwrap_or_default()}</td>
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

/// `2026-11-24T12:26:06.73+00:00` → `2026-11-24 12:26 UTC`.
pub fn short_time(t: &str) -> String {
    if t.len() >= 16 {
        format!("{} {} UTC", &t[..10], &t[11..16])
    } else {
        t.to_string()
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
    view! {
        <Suspense fallback=|| view! { <p>"Loading channel…"</p> }>
            {move || Suspend::new(async move {
                match channel.await {
                    Ok(Some(detail)) => view! { <ChannelView detail/> }.into_any(),
                    Ok(None) => view! {
                        <Title text="Channel not found"/>
                        <h1>"Channel not found"</h1>
                        <p>"No channel of that name has been ingested. See " <a href="/packages">"all channels"</a> "."</p>
                    }.into_any(),
                    Err(_) => view! { <p role="alert">{UNAVAILABLE}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ChannelView(detail: ChannelDetail) -> impl IntoView {
    let c = detail.channel;
    let base = channel_href(&c.ecosystem, &c.name);
    let pages = u32::try_from((c.packages.max(0) as u64).div_ceil(u64::from(detail.per_page.max(1)))).unwrap_or(u32::MAX);
    let page = detail.page;
    view! {
        <Title text=format!("{} ({})", c.name, c.ecosystem)/>
        <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/packages">"Channels"</a> " / " {c.ecosystem.clone()}</nav>
        <h1>{c.name.clone()} " " <span class=format!("badge eco-{}", c.ecosystem)>{c.ecosystem.clone()}</span></h1>
        <dl class="facts">
            <dt>"Repository"</dt><dd>{c.url.clone().map(|u| view! { <ExternalLink url=u/> }.into_any()).unwrap_or_else(|| "—".into_any())}</dd>
            <dt>"Revision"</dt><dd><code>{c.current_revision.clone().unwrap_or_else(|| "—".into())}</code></dd>
            <dt>"Last ingested"</dt><dd>{c.ingested_at.as_deref().map(short_time).unwrap_or_default()}</dd>
            <dt>"Packages"</dt><dd>{c.packages} " (" {c.removed} " removed)"</dd>
        </dl>
        <section aria-labelledby="history">
            <h2 id="history">"Ingest history"</h2>
            <table class="data">
                <thead><tr><th scope="col">"Started"</th><th scope="col">"Revision"</th><th scope="col" class="num">"Added"</th><th scope="col" class="num">"Updated"</th><th scope="col" class="num">"Removed"</th><th scope="col" class="num">"Unchanged"</th><th scope="col" class="num">"Duration"</th><th scope="col">"Inputs"</th></tr></thead>
                <tbody>
                    {detail.runs.into_iter().map(|r| view! {
                        <tr>
                            <td>{short_time(&r.started_at)}</td>
                            <td><code>{short_revision(r.revision.as_deref())}</code></td>
                            <td class="num">{r.added}</td>
                            <td class="num">{r.updated}</td>
                            <td class="num">{r.removed}</td>
                            <td class="num">{r.unchanged}</td>
                            <td class="num">{format!("{:.1} s", r.duration_ms as f64 / 1000.0)}</td>
                            <td>{r.inputs.iter().map(|i| i.name.clone()).collect::<Vec<_>>().join(", ")}
                                {(!r.warnings.is_empty()).then(|| view! { <details><summary>{format!("{} warnings", r.warnings.len())}</summary><ul>{r.warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul></details> })}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        {(!detail.failures.is_empty()).then(|| view! { <FailureTable failures=detail.failures/> })}
        <section aria-labelledby="pkgs">
            <h2 id="pkgs">"Packages"</h2>
            <ul class="package-list">
                {detail.packages.into_iter().map(|p| view! {
                    <li>
                        <a href=p.href()>{p.name.clone()}</a>
                        " " <span class="version">{p.latest_version.clone().unwrap_or_default()}</span>
                        {p.removed.then(|| view! { " " <span class="badge removed">"removed"</span> })}
                        <span class="synopsis">{p.synopsis.clone().unwrap_or_default()}</span>
                    </li>
                }).collect_view()}
            </ul>
            <nav class="pager" aria-label="Pages">
                {(page > 1).then(|| view! { <a rel="prev" href=format!("{base}?page={}", page - 1)>"← Previous"</a> })}
                <span>{format!("Page {page} of {}", pages.max(1))}</span>
                {(page < pages).then(|| view! { <a rel="next" href=format!("{base}?page={}", page.saturating_add(1))>"Next →"</a> })}
            </nav>
        </section>
    }
}

/// Ingests that failed: nothing of them reached the catalog.
#[component]
fn FailureTable(failures: Vec<IngestFailureView>) -> impl IntoView {
    view! {
        <section aria-labelledby="failures">
            <h2 id="failures">"Failed ingests"</h2>
            <p>"These ingests were refused; the catalog was left as it was before each of them."</p>
            <table class="data">
                <thead><tr><th scope="col">"Failed"</th><th scope="col">"Revision"</th><th scope="col">"Inputs"</th><th scope="col">"Where"</th><th scope="col">"Error"</th></tr></thead>
                <tbody>
                    {failures.into_iter().map(|f| {
                        let place = [f.file, f.record, f.place].into_iter().flatten().collect::<Vec<_>>().join(" › ");
                        view! {
                            <tr>
                                <td>{short_time(&f.failed_at)}</td>
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
