//! The "Builds" section of a package page and the table of builds it shares
//! with the build history.
use leptos::prelude::*;

use super::{status_label, weather_label};
use crate::api::builds::{get_package_builds, history_href, BuildView, PackageBuilds};
use crate::components::links::ExternalLink;
use crate::i18n::use_lang;

/// The "Builds" section of a package page.
#[component]
pub fn PackageBuildsSection(ecosystem: String, channel: String, name: String) -> impl IntoView {
    let builds = Resource::new(
        move || (ecosystem.clone(), channel.clone(), name.clone()),
        |(e, c, n)| get_package_builds(e, c, n),
    );
    let lang = use_lang();
    view! {
        <section aria-labelledby="builds-h" class="builds">
            <h2 id="builds-h">{lang.t("builds-title")}</h2>
            <Suspense fallback=move || view! { <p>{lang.t("ci-loading")}</p> }>
                {move || Suspend::new(async move {
                    match builds.await {
                        Ok(Some(b)) => view! { <BuildsTable b/> }.into_any(),
                        Ok(None) => view! { <p>{lang.t("builds-none")}</p> }.into_any(),
                        Err(_) => view! { <p role="alert">{lang.t("builds-unavailable")}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn BuildsTable(b: PackageBuilds) -> impl IntoView {
    let lang = use_lang();
    if b.latest.is_empty() {
        return view! { <p>{lang.t("builds-none")} " " <a href="/ci">{lang.t("builds-see-ci")}</a></p> }.into_any();
    }
    let history = history_href(&b.ecosystem, &b.channel, &b.name);
    view! {
        {b.demo.then(|| view! { <p class="notice demo" role="note">{lang.t("ci-demo-notice")}</p> })}
        <BuildTable caption=lang.tn("builds-caption", b.total) rows=b.latest/>
        <p>
            <a href=history.clone()>{lang.t("builds-history-link")}</a>
            " · " <a href=format!("{history}.atom") type="application/atom+xml">{lang.t("builds-feed-link")}</a>
        </p>
    }
    .into_any()
}

/// Builds as a table: version, system, status, weather, time, service.
#[component]
pub(super) fn BuildTable(caption: String, rows: Vec<BuildView>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="data builds">
            <caption>{caption}</caption>
            <thead><tr>
                <th scope="col">{lang.t("col-version")}</th>
                <th scope="col">{lang.t("builds-col-system")}</th>
                <th scope="col">{lang.t("builds-col-status")}</th>
                <th scope="col">{lang.t("builds-col-weather")}</th>
                <th scope="col">{lang.t("builds-col-finished")}</th>
                <th scope="col">{lang.t("ci-col-service")}</th>
            </tr></thead>
            <tbody>{rows.into_iter().map(|r| view! { <BuildRow r/> }).collect_view()}</tbody>
        </table>
    }
}

#[component]
fn BuildRow(r: BuildView) -> impl IntoView {
    let lang = use_lang();
    let system = match (&r.system, &r.target) {
        (Some(s), Some(t)) => format!("{s} ({t})"),
        (Some(s), None) => s.clone(),
        (None, Some(t)) => t.clone(),
        (None, None) => String::new(),
    };
    let build_label =
        lang.ta("builds-build-link", &[("id", r.id.clone().into()), ("service", r.service.clone().into())]);
    view! {
        <tr>
            <th scope="row">{r.version.clone().unwrap_or_default()}</th>
            <td>{system}</td>
            <td><span class=format!("status status-{}", r.status)>{status_label(lang, &r.status)}</span></td>
            <td>{r.weather.as_deref().map(|w| weather_label(lang, w)).unwrap_or_default()}</td>
            <td>{r.finished_at.as_deref().map(|t| lang.date_time(t)).unwrap_or_default()}</td>
            <td>
                {match r.build_url.clone() {
                    Some(u) => view! { <ExternalLink url=u label=build_label/> }.into_any(),
                    None => view! { <span>{build_label}</span> }.into_any(),
                }}
                {r.demo.then(|| view! { " " <span class="badge demo">{lang.t("ci-demo-badge")}</span> })}
            </td>
        </tr>
    }
}
