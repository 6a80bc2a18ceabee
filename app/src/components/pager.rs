//! Previous / next links of a paged list, as plain links (no JavaScript).
use leptos::prelude::*;

use crate::i18n::use_lang;

/// Nothing when there is one page; `base` is the list's URL up to the page
/// number (`/maintainers?q=x&page=`).
#[component]
pub fn Pager(#[prop(into)] base: String, page: i64, pages: i64) -> impl IntoView {
    let lang = use_lang();
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=lang.t("pager-label")>
                {(page > 1).then(|| view! { <a rel="prev" href=format!("{base}{}", page - 1)>{lang.t("pager-previous")}</a> })}
                <span>{lang.ta("pager-page", &[("page", page.to_string().into()), ("pages", pages.to_string().into())])}</span>
                {(page < pages).then(|| view! { <a rel="next" href=format!("{base}{}", page.saturating_add(1))>{lang.t("pager-next")}</a> })}
            </nav>
        }
    })
}
