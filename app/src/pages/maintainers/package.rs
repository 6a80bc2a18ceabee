//! The maintainers of a package page: the maintainers its channel declares
//! and the people with an active claim on it (or on its project), each
//! linking to their maintainer page.
use leptos::prelude::*;

use super::forge_label;
use crate::api::catalog::MaintainerView;
use crate::api::maintainers::{has_page, is_declared, maintainer_href};
use crate::i18n::use_lang;

/// `name (handle)`, the handle alone without a name; forges other than
/// GitHub are named.
fn label(m: &MaintainerView) -> String {
    let handle = if m.forge == "github" || m.forge == "email" {
        m.handle.clone()
    } else {
        format!("{}, {}", m.handle, forge_label(&m.forge))
    };
    match m.name.as_deref().filter(|n| !n.trim().is_empty()) {
        Some(n) => format!("{n} ({handle})"),
        None => handle,
    }
}

#[component]
pub fn PackageMaintainers(declared: Vec<MaintainerView>, claimants: Vec<MaintainerView>) -> impl IntoView {
    let lang = use_lang();
    if declared.is_empty() && claimants.is_empty() {
        return view! { <span>{lang.t("package-none-declared")}</span> }.into_any();
    }
    let verified =
        |m: &MaintainerView| claimants.iter().any(|c| c.forge == m.forge && c.handle.eq_ignore_ascii_case(&m.handle));
    let mut rows: Vec<(MaintainerView, String)> = declared
        .iter()
        .map(|m| {
            let note = if verified(m) { lang.t("maint-declared-verified") } else { lang.t("maint-declared") };
            (m.clone(), note)
        })
        .collect();
    rows.extend(
        claimants
            .iter()
            .filter(|c| !is_declared(&declared, &c.forge, &c.handle))
            .map(|c| (c.clone(), lang.t("maint-claimant"))),
    );
    view! {
        <ul class="inline maintainers">
            {rows.into_iter().map(|(m, note)| {
                let text = label(&m);
                let link = has_page(&m.forge).then(|| maintainer_href(&m.forge, &m.handle));
                view! {
                    <li>
                        {match link {
                            Some(href) => view! { <a href=href>{text}</a> }.into_any(),
                            None => view! { <span>{text}</span> }.into_any(),
                        }}
                        " " <span class="muted">{format!("({note})")}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
