//! `/maintainers`: everyone who maintains a package, most packages first,
//! searchable by handle or name with a plain GET form, paged.
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use super::{display_name, forge_label};
use crate::api::catalog::encode_segment;
use crate::api::maintainers::{get_maintainer_index, maintainer_href, MaintainerIndex};
use crate::components::pager::Pager;
use crate::i18n::use_lang;

#[component]
pub fn MaintainersPage() -> impl IntoView {
    let query = use_query_map();
    let key = move || {
        let q = query.get();
        (
            q.get("q").map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
            q.get("page").and_then(|v| v.parse::<i64>().ok()).unwrap_or(1).clamp(1, 10_000),
        )
    };
    let index = Resource::new(key, |(q, page)| get_maintainer_index(q, page));
    let lang = use_lang();
    view! {
        <Title text=lang.t("maint-index-title")/>
        <Meta name="description" content=lang.t("maint-index-intro")/>
        <h1>{lang.t("maint-index-title")}</h1>
        <p class="lead">{lang.t("maint-index-intro")}</p>
        <Suspense fallback=move || view! { <p>{lang.t("maint-loading")}</p> }>
            {move || Suspend::new(async move {
                match index.await {
                    Ok(i) => view! { <IndexView i/> }.into_any(),
                    Err(_) => view! { <p role="alert">{lang.t("catalog-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn IndexView(i: MaintainerIndex) -> impl IntoView {
    let lang = use_lang();
    let q = i.q.clone().unwrap_or_default();
    let base = match &i.q {
        Some(q) => format!("/maintainers?q={}&page=", encode_segment(q)),
        None => "/maintainers?page=".to_string(),
    };
    let (page, pages) = (i.page, i.pages);
    view! {
        <form class="maint-search" role="search" method="get" action="/maintainers">
            <label for="maint-q">{lang.t("maint-search-label")}</label>
            <input id="maint-q" type="search" name="q" value=q maxlength="100" autocomplete="off"/>
            <button type="submit">{lang.t("action-search")}</button>
        </form>
        <p role="status">{lang.tn("maint-index-count", i.total)}</p>
        {(!i.maintainers.is_empty()).then(|| view! {
            <table class="data maint-index">
                <caption class="visually-hidden">{lang.t("maint-index-title")}</caption>
                <thead><tr>
                    <th scope="col">{lang.t("maint-col-maintainer")}</th>
                    <th scope="col">{lang.t("maint-col-forge")}</th>
                    <th scope="col" class="num">{lang.t("maint-col-packages")}</th>
                </tr></thead>
                <tbody>
                    {i.maintainers.into_iter().map(|m| view! {
                        <tr>
                            <th scope="row">
                                <a href=maintainer_href(&m.forge, &m.handle)>{display_name(m.name.as_deref(), &m.handle)}</a>
                                {m.name.is_some().then(|| view! { " " <span class="muted">{m.handle.clone()}</span> })}
                            </th>
                            <td>{forge_label(&m.forge)}</td>
                            <td class="num">{lang.int(m.packages)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
        <Pager base page pages/>
    }
}
