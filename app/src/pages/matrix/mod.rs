//! `/matrix`: the hardware-support matrix (packages × systems,
//! micro-architectures, GPU targets and HPC sites' machines), its filters as
//! a GET form (works without JavaScript), legend, paging and export links;
//! and the package page's "Where it runs" section.
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::api::catalog::encode_segment;
use crate::api::matrix::{
    get_matrix, get_package_platforms, site_href, Matrix, MatrixCell, MatrixColumn, MatrixFilters, PackagePlatforms,
    PER_PAGE,
};
use crate::components::links::ExternalLink;
use crate::i18n::{use_lang, Lang};

pub mod body;
pub mod keys;

/// The cell kinds and statuses the legend explains, with their symbols.
const LEGEND: [(&str, &str, &str); 9] = [
    ("attested", "works", "✔"),
    ("attested", "partial", "◐"),
    ("attested", "broken", "✘"),
    ("built", "works", "✓"),
    ("built", "broken", "✗"),
    ("inferred", "works", "≈"),
    ("declared", "supported", "○"),
    ("declared", "unsupported", "⊘"),
    ("unknown", "unknown", "·"),
];

/// The symbol of a cell: its status, and for attestations a bolder one.
pub fn symbol(cell: &MatrixCell) -> &'static str {
    LEGEND.iter().find(|(k, s, _)| *k == cell.kind && *s == cell.status).map(|(_, _, sym)| *sym).unwrap_or(
        match cell.status.as_str() {
            "works" => "✓",
            "broken" => "✗",
            "partial" => "◐",
            _ => "·",
        },
    )
}

pub fn kind_label(lang: Lang, kind: &str) -> String {
    match kind {
        "attested" => lang.t("matrix-kind-attested"),
        "built" => lang.t("matrix-kind-built"),
        "declared" => lang.t("matrix-kind-declared"),
        "inferred" => lang.t("matrix-kind-inferred"),
        _ => lang.t("matrix-kind-unknown"),
    }
}

/// A platform search facet value as words: GPU vendors are named, systems
/// read as they are written (x86_64-linux).
pub fn facet_label(lang: Lang, value: &str) -> String {
    match value {
        "nvidia" => lang.t("matrix-facet-nvidia"),
        "amd" => lang.t("matrix-facet-amd"),
        _ => value.to_string(),
    }
}

pub fn status_label(lang: Lang, status: &str) -> String {
    match status {
        "works" => lang.t("matrix-status-works"),
        "partial" => lang.t("matrix-status-partial"),
        "broken" => lang.t("matrix-status-broken"),
        "supported" => lang.t("matrix-status-supported"),
        "unsupported" => lang.t("matrix-status-unsupported"),
        _ => lang.t("matrix-status-unknown"),
    }
}

/// The whole sentence a screen reader (and a tooltip) gives for a cell
/// outside the matrix (the package page's table).
pub fn cell_sentence(lang: Lang, package: &str, column: &MatrixColumn, cell: &MatrixCell) -> String {
    format!("{package}, {}: {}", column.label, cell_text(lang, cell))
}

/// What a cell says in words: status, kind and provenance, without the
/// package and the platform (the table's row and column headers say them).
pub fn cell_text(lang: Lang, cell: &MatrixCell) -> String {
    let mut parts = vec![format!("{} ({})", status_label(lang, &cell.status), kind_label(lang, &cell.kind))];
    if let Some(via) = &cell.via {
        let key = if cell.kind == "inferred" { "matrix-cell-inferred-from" } else { "matrix-cell-via" };
        parts.push(lang.ta(key, &[("via", via.clone().into())]));
    }
    if let Some(source) = &cell.source {
        parts.push(lang.ta("matrix-cell-source", &[("source", source.clone().into())]));
    }
    if let Some(version) = &cell.version {
        parts.push(lang.ta("matrix-cell-version", &[("version", version.clone().into())]));
    }
    if let Some(date) = &cell.date {
        let when = if date.len() > 10 { lang.date_time(date) } else { date.clone() };
        parts.push(lang.ta("matrix-cell-date", &[("date", when.into())]));
    }
    if let Some(note) = &cell.note {
        parts.push(note.clone());
    }
    if cell.demo {
        parts.push(lang.t("matrix-demo-badge"));
    }
    parts.join("; ")
}

/// The filters of the current URL.
fn filters_from_query(q: &leptos_router::params::ParamsMap) -> MatrixFilters {
    let text = |k: &str| q.get(k).filter(|v| !v.trim().is_empty());
    MatrixFilters {
        channel: text("channel"),
        q: text("q"),
        tag: text("tag"),
        site: text("site"),
        known: q.get("known").is_some_and(|v| matches!(v.as_str(), "1" | "true" | "on")),
        maintainer: text("maintainer"),
        page: q.get("page").and_then(|v| v.parse().ok()).unwrap_or(1),
        per_page: q.get("per_page").and_then(|v| v.parse().ok()).unwrap_or(PER_PAGE),
    }
}

#[component]
pub fn MatrixPage() -> impl IntoView {
    use leptos_router::hooks::use_query_map;
    let query = use_query_map();
    let matrix = Resource::new(move || filters_from_query(&query.get()), get_matrix);
    let lang = use_lang();
    view! {
        <Title text=lang.t("matrix-title")/>
        <Meta name="description" content=lang.t("matrix-intro")/>
        <h1>{lang.t("matrix-title")}</h1>
        <p class="lead">{lang.t("matrix-intro")}</p>
        <p><a href="/sites">{lang.t("matrix-sites-link")}</a></p>
        <Suspense fallback=move || view! { <p>{lang.t("matrix-loading")}</p> }>
            {move || Suspend::new(async move {
                match matrix.await {
                    Ok(m) => view! {
                        <MatrixFilterForm m=m.clone() action="/matrix".to_string()/>
                        <MatrixView m here="/matrix".to_string()/>
                    }.into_any(),
                    Err(_) if filters_from_query(&query.get_untracked())
                        .maintainer
                        .is_some_and(|m| app_split(&m).is_none()) =>
                    {
                        view! { <p role="alert">{lang.t("matrix-maintainer-invalid")}</p> }.into_any()
                    }
                    Err(_) => view! { <p role="alert">{lang.t("catalog-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn app_split(m: &str) -> Option<(String, String)> {
    crate::api::matrix::split_maintainer(m.trim())
}

/// The filters as a GET form: it works without JavaScript.
#[component]
pub fn MatrixFilterForm(m: Matrix, action: String) -> impl IntoView {
    let lang = use_lang();
    let f = m.filters.clone();
    view! {
        <form method="get" action=action class="filters matrix-filters">
            <label>{lang.t("matrix-filter-channel")} " "
                <select name="channel">
                    <option value="">{lang.t("matrix-any")}</option>
                    {m.channels.iter().map(|c| view! {
                        <option value=c.clone() selected=f.channel.as_deref() == Some(c.as_str())>{c.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            " "
            <label>{lang.t("matrix-filter-q")} " "
                <input type="search" name="q" value=f.q.clone().unwrap_or_default() maxlength="100"/>
            </label>
            " "
            <label>{lang.t("matrix-filter-tag")} " "
                <input type="text" name="tag" value=f.tag.clone().unwrap_or_default() maxlength="100"/>
            </label>
            " "
            <label>{lang.t("matrix-filter-maintainer")} " "
                <input type="text" name="maintainer" value=f.maintainer.clone().unwrap_or_default()
                    maxlength="300" placeholder="github:handle"/>
            </label>
            " "
            <label><input type="checkbox" name="known" value="1" checked=f.known/> " " {lang.t("matrix-filter-known")}</label>
            " " <button type="submit">{lang.t("matrix-filter-submit")}</button>
        </form>
    }
}

/// Legend, export links, the table and its pager.
#[component]
pub fn MatrixView(m: Matrix, here: String) -> impl IntoView {
    let lang = use_lang();
    let f = m.filters.clone();
    let last_page = ((m.total + f.per_page - 1) / f.per_page).max(1);
    let all = f.query_string(false);
    let sep = |q: &str| if q.is_empty() { String::new() } else { format!("{q}&") };
    let csv_href = format!("/api/v1/matrix?{}format=csv", sep(&all));
    let json_href = format!("/api/v1/matrix?{}format=json", sep(&f.query_string(true)));
    let link = {
        let (here, f) = (here.clone(), f.clone());
        move |page: i64| {
            let q = MatrixFilters { page, ..f.clone() }.query_string(true);
            format!("{here}?{q}")
        }
    };
    let caption = lang.tna(
        "matrix-caption",
        m.total,
        vec![("page", lang.int(f.page).into()), ("pages", lang.int(last_page).into())],
    );
    view! {
        <Legend/>
        <p class="exports">
            <a href=csv_href download="matrix.csv" type="text/csv">{lang.tn("matrix-export-csv", m.total)}</a>
            " · " <a href=json_href type="application/json">{lang.t("matrix-export-json")}</a>
        </p>
        {m.demo.then(|| view! { <p class="notice demo" role="note">{lang.t("matrix-demo-notice")}</p> })}
        {if m.rows.is_empty() {
            view! { <p>{lang.t("matrix-none")}</p> }.into_any()
        } else {
            view! { <MatrixTable columns=m.columns rows=m.rows caption/> }.into_any()
        }}
        <nav aria-label=lang.t("matrix-pages") class="pager">
            {(f.page > 1).then(|| view! { <a rel="prev" href=link(f.page - 1)>{lang.t("matrix-previous")}</a> })}
            " "
            {(f.page < last_page).then(|| view! { <a rel="next" href=link(f.page + 1)>{lang.t("matrix-next")}</a> })}
        </nav>
    }
}

/// What each symbol and kind means.
#[component]
fn Legend() -> impl IntoView {
    let lang = use_lang();
    view! {
        <section aria-labelledby="matrix-legend-h" class="matrix-legend">
            <h2 id="matrix-legend-h">{lang.t("matrix-legend")}</h2>
            <ul>
                {LEGEND.into_iter().map(|(kind, status, sym)| view! {
                    <li>
                        <span class=format!("cell-sample k-{kind} s-{status}") aria-hidden="true">{sym}</span>
                        " " <strong>{kind_label(lang, kind)}</strong> " · " {status_label(lang, status)}
                    </li>
                }).collect_view()}
            </ul>
            <p class="muted">{lang.t("matrix-legend-kinds")}</p>
            <p class="muted">{lang.t("matrix-keys-hint")}</p>
        </section>
    }
}

/// Column groups of consecutive columns: (group heading, span).
fn groups(lang: Lang, columns: &[MatrixColumn]) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    let mut last: Option<(&str, &str)> = None;
    for c in columns {
        let key = (c.kind.as_str(), c.group.as_str());
        let heading = match c.kind.as_str() {
            "gpu" => lang.ta("matrix-group-gpu", &[("vendor", c.group.to_uppercase().into())]),
            "site" => lang.ta("matrix-group-site", &[("site", c.group.clone().into())]),
            _ => c.group.clone(),
        };
        let same = last.is_some_and(|(k, g)| {
            g == key.1
                && (k == key.0 || (matches!(k, "system" | "microarch") && matches!(key.0, "system" | "microarch")))
        });
        match out.last_mut() {
            Some(last_group) if same => last_group.1 += 1,
            _ => out.push((heading, 1)),
        }
        last = Some(key);
    }
    out
}

/// The matrix as a table: grouped, sticky column headers, package names as
/// row headers; each cell a symbol, a short word and a sentence for screen readers.
#[component]
pub fn MatrixTable(
    columns: Vec<MatrixColumn>,
    rows: Vec<crate::api::matrix::MatrixRow>,
    caption: String,
) -> impl IntoView {
    let lang = use_lang();
    let head_groups = groups(lang, &columns);
    let columns = std::sync::Arc::new(columns);
    let cols = columns.clone();
    view! {
        <div class="matrix-scroll" role="region" aria-label=caption.clone() tabindex="0">
            // A grid: one cell in the tab order, the arrow keys move between cells (`keys`).
            <table class="data matrix" role="grid" aria-readonly="true" on:keydown=on_matrix_key>
                <caption>{caption.clone()}</caption>
                <thead>
                    <tr class="groups">
                        <td></td>
                        {head_groups.into_iter().map(|(g, span)| view! { <th scope="colgroup" colspan=span.to_string()>{g}</th> }).collect_view()}
                    </tr>
                    <tr>
                        <th scope="col">{lang.t("matrix-col-package")}</th>
                        {cols.iter().map(|c| view! {
                            <th scope="col" class=format!("col-{}", c.kind) title=c.detail.clone().unwrap_or_default()>{c.label.clone()}</th>
                        }).collect_view()}
                    </tr>
                </thead>
                // One pre-escaped string (see `body`): no view per cell.
                <tbody inner_html=body::rows_html(lang, &rows)>
                </tbody>
            </table>
        </div>
    }
}

fn on_matrix_key(ev: leptos::ev::KeyboardEvent) {
    #[cfg(feature = "hydrate")]
    keys::on_keydown(ev);
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}

/// The "Where it runs" section of a package page: its row of the matrix,
/// one line per platform, with its GPU models and target conflicts.
#[component]
pub fn WhereItRuns(ecosystem: String, channel: String, name: String) -> impl IntoView {
    let found = Resource::new(
        move || (ecosystem.clone(), channel.clone(), name.clone()),
        |(e, c, n)| get_package_platforms(e, c, n),
    );
    let lang = use_lang();
    view! {
        <section aria-labelledby="where-h" class="where-it-runs">
            <h2 id="where-h">{lang.t("matrix-where-title")}</h2>
            <Suspense fallback=move || view! { <p>{lang.t("matrix-loading")}</p> }>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(Some(p)) => view! { <WhereTable p/> }.into_any(),
                        Ok(None) => view! { <p>{lang.t("matrix-none")}</p> }.into_any(),
                        Err(_) => view! { <p role="alert">{lang.t("matrix-unavailable")}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn WhereTable(p: PackagePlatforms) -> impl IntoView {
    let lang = use_lang();
    let known: Vec<(MatrixColumn, MatrixCell)> =
        p.columns.iter().cloned().zip(p.row.cells.iter().cloned()).filter(|(_, c)| c.kind != "unknown").collect();
    let demo = known.iter().any(|(_, c)| c.demo);
    let matrix_link = format!("/matrix?q={}", encode_segment(&p.row.name));
    view! {
        {(!p.gpu.is_empty()).then(|| view! {
            <p>{lang.ta("matrix-where-gpu", &[("models", p.gpu.join(", ").into())])}</p>
        })}
        {demo.then(|| view! { <p class="notice demo" role="note">{lang.t("matrix-demo-notice")}</p> })}
        {if known.is_empty() {
            view! { <p>{lang.t("matrix-where-none")}</p> }.into_any()
        } else {
            view! {
                <table class="data where">
                    <caption>{lang.t("matrix-where-caption")}</caption>
                    <thead><tr>
                        <th scope="col">{lang.t("matrix-col-platform")}</th>
                        <th scope="col">{lang.t("matrix-col-status")}</th>
                        <th scope="col">{lang.t("matrix-col-source")}</th>
                    </tr></thead>
                    <tbody>
                        {known.into_iter().map(|(column, cell)| {
                            let sentence = cell_sentence(lang, &p.row.name, &column, &cell);
                            let platform = match column.kind.as_str() {
                                "site" => view! { <a href=site_href(&column.group)>{format!("{} {}", column.group, column.label)}</a> }.into_any(),
                                _ => view! { <span>{column.label.clone()}</span> }.into_any(),
                            };
                            view! {
                                <tr>
                                    <th scope="row">{platform}</th>
                                    <td class=format!("cell k-{} s-{}", cell.kind, cell.status) data-cell=cell.code()>
                                        <span class="sym" aria-hidden="true">{symbol(&cell)}</span>
                                        " " {status_label(lang, &cell.status)} " (" {kind_label(lang, &cell.kind)} ")"
                                    </td>
                                    <td>
                                        {sentence}
                                        {cell.evidence_url.clone().map(|u| view! { " " <ExternalLink url=u label=lang.t("matrix-evidence")/> })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        {(!p.conflicts.is_empty()).then(|| view! {
            <details>
                <summary>{lang.tn("matrix-where-conflicts", p.conflicts.len() as i64)}</summary>
                <ul>{p.conflicts.iter().map(|c| view! { <li><code>{c.clone()}</code></li> }).collect_view()}</ul>
            </details>
        })}
        <p><a href=matrix_link>{lang.t("matrix-where-link")}</a></p>
    }
}
