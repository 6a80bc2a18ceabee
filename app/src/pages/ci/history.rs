//! A package's build history: `/packages/{ecosystem}/{channel}/{name}/builds`.
use leptos::prelude::*;
use leptos_meta::Title;

use super::{builds::BuildTable, status_label, STATUSES};
use crate::api::builds::{get_build_history, history_href, BuildHistory};
use crate::i18n::use_lang;

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
