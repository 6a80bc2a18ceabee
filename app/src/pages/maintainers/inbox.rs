//! `/inbox`: what needs the logged-in maintainer's attention (CI failures,
//! archival gaps, outdated versions of the packages declared for any of
//! their identities or claimed), newest first; anonymous visitors are sent
//! to the login page.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::catalog::package_href;
use crate::api::maintainers::{get_my_inbox, Inbox, InboxItem};
use crate::components::pager::Pager;
use crate::i18n::use_lang;

#[component]
pub fn InboxPage() -> impl IntoView {
    let query = use_query_map();
    let page = move || query.get().get("page").and_then(|v| v.parse::<i64>().ok()).unwrap_or(1).clamp(1, 10_000);
    let inbox = Resource::new(page, get_my_inbox);
    let lang = use_lang();
    view! {
        <Title text=lang.t("maint-inbox-title")/>
        <h1>{lang.t("maint-inbox-title")}</h1>
        <p class="lead">{lang.t("maint-inbox-intro")}</p>
        <Suspense fallback=move || view! { <p>{lang.t("maint-loading")}</p> }>
            {move || Suspend::new(async move {
                match inbox.await {
                    Ok(Some(i)) => view! { <InboxPageView i/> }.into_any(),
                    Ok(None) => view! { <p><a href="/login">{lang.t("maint-inbox-login")}</a></p> }.into_any(),
                    Err(_) => view! { <p role="alert">{lang.t("catalog-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn InboxPageView(i: Inbox) -> impl IntoView {
    let lang = use_lang();
    let pages = ((i.total + i.limit.max(1) - 1) / i.limit.max(1)).max(1);
    let page = i.page;
    view! {
        <p role="status">{lang.tn("maint-inbox-count", i.total)}</p>
        <InboxList items=i.items/>
        <Pager base="/inbox?page=" page pages/>
    }
}

#[component]
pub fn InboxList(items: Vec<InboxItem>) -> impl IntoView {
    let lang = use_lang();
    if items.is_empty() {
        return view! { <p>{lang.t("maint-inbox-empty")}</p> }.into_any();
    }
    view! {
        <ul class="inbox">
            {items.into_iter().map(|i| {
                let what = match i.kind.as_str() {
                    "ci-failure" => lang.tn("maint-inbox-ci", i.count),
                    "archival-gap" => lang.tn("maint-inbox-archival", i.count),
                    _ => lang.ta("maint-inbox-outdated", &[(
                        "newer",
                        i.newer.as_ref().map(|n| format!("{} ({} {})", n.version, n.channel, n.ecosystem)).unwrap_or_default().into(),
                    )]),
                };
                view! {
                    <li class=format!("inbox-item {}", i.kind)>
                        <a href=package_href(&i.ecosystem, &i.channel, &i.name)>{i.name.clone()}</a>
                        " " <span class="version">{i.version.clone().unwrap_or_default()}</span>
                        " " <span class="muted">{format!("{} ({})", i.channel, i.ecosystem)}</span>
                        ": " {what}
                        {i.since.clone().map(|t| view! { " " <span class="muted">{lang.ta("maint-since", &[("date", lang.date_time(&t).into())])}</span> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
