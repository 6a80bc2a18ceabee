//! "Funded by" on package and maintainer pages: who funds the package (or
//! its project) or the maintainer, active and ended. Nothing when nobody does.
use leptos::prelude::*;

use super::parts::{amount_text, period, DemoBadge};
use crate::api::funding::{funder_href, get_maintainer_funding, get_package_funding, Sponsorship};
use crate::i18n::use_lang;

/// `of` is `package` (keys: ecosystem, channel, name) or `maintainer` (keys: forge, handle).
#[component]
pub fn FundedBy(of: &'static str, keys: Vec<String>) -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(
        move || keys.clone(),
        move |k| async move {
            let at = |i: usize| k.get(i).cloned().unwrap_or_default();
            if of == "package" {
                get_package_funding(at(0), at(1), at(2)).await
            } else {
                get_maintainer_funding(at(0), at(1)).await
            }
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(rows) if !rows.is_empty() => view! { <List rows/> }.into_any(),
                    _ => view! { <span class="muted">{lang.t("funding-funded-by-none")}</span> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn List(rows: Vec<Sponsorship>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="funded-by">
            {rows.into_iter().map(|s| {
                let status = if s.active { lang.t("funding-active") } else { lang.t("funding-ended") };
                let on = (s.target_kind == "project").then(|| lang.ta("funding-via-project", &[("project", s.target_label.clone().into())]));
                view! {
                    <li>
                        <a href=funder_href(&s.funder_slug)>{s.funder_name.clone()}</a>
                        " — " {amount_text(lang, &s)} ", " {period(lang, &s.starts_on, s.ends_on.as_deref())}
                        " (" {status} ")"
                        {on.map(|t| view! { " " <span class="muted">{t}</span> })}
                        {s.demo.then(|| view! { " " <DemoBadge/> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
