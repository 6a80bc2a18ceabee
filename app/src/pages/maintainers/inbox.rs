//! A list of inbox items (CI failures, archival gaps, outdated versions),
//! newest first: the logged-in maintainer's inbox page shows it.
use leptos::prelude::*;

use crate::api::catalog::package_href;
use crate::api::maintainers::InboxItem;
use crate::i18n::use_lang;

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
