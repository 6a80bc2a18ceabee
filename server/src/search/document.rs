//! Search documents: one per package per channel, built from the catalog.
use serde::{Deserialize, Serialize};
use sqlx::{FromRow, PgPool};

use crate::catalog::names::fold;

/// What the engines index. Fields later issues fill are defined now and
/// stay null until then. A field an engine did not return reads as empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, FromRow)]
#[serde(default)]
pub struct SearchDocument {
    /// The package id, as a string (engines key documents by it).
    pub id: String,
    pub name: String,
    /// The software's name without the ecosystem's language prefix.
    pub base_name: String,
    /// `name` and `base_name` with case and separators folded away.
    pub folded_name: String,
    pub folded_base: String,
    /// Other names it is known by (Nix pname, the attribute's last part).
    pub aliases: Vec<String>,
    /// Virtual packages it provides, without version constraints (mpi, blas).
    pub provides: Vec<String>,
    pub synopsis: Option<String>,
    pub description: Option<String>,
    pub ecosystem: String,
    pub channel: String,
    pub licenses: Vec<String>,
    pub maintainers: Vec<String>,
    pub versions: Vec<String>,
    pub latest_version: Option<String>,
    pub variants: Vec<String>,
    pub homepage_host: Option<String>,
    /// How many packages depend on this software, across channels.
    pub dependents: i64,
    pub platforms: Vec<String>,
    /// `passing`, `failing` or `unknown` (no build result; package_ci).
    pub ci_status: Option<String>,
    pub archival_status: Option<String>,
    pub maintained: Option<bool>,
    pub funded: Option<bool>,
}

/// How many packages depend on each package's software, for every package:
/// per channel and name, summed over the packages of one project.
const DEPENDENTS_ALL: &str = "
WITH dep AS (
    SELECT q.channel_id, d.name, count(DISTINCT d.package_id) AS n
    FROM dependencies d JOIN packages q ON q.id = d.package_id AND NOT q.removed
    GROUP BY q.channel_id, d.name
), per_package AS (
    SELECT p.id, p.project_id, COALESCE(dep.n, 0) AS n
    FROM packages p LEFT JOIN dep ON dep.channel_id = p.channel_id AND dep.name = p.name
    WHERE NOT p.removed
), per_project AS (
    SELECT project_id, sum(n)::bigint AS n FROM per_package WHERE project_id IS NOT NULL GROUP BY project_id
), dn AS (
    SELECT pk.id, COALESCE(pp.n, pk.n) AS n FROM per_package pk LEFT JOIN per_project pp ON pp.project_id = pk.project_id
)";

/// The same count for the packages `$1` only: looked up by name in the
/// dependencies (indexed), not aggregated over the whole catalog.
const DEPENDENTS_OF_IDS: &str = "
WITH sel AS (
    SELECT p.id, p.project_id, p.channel_id, p.name FROM packages p WHERE p.id = ANY($1) AND NOT p.removed
), members AS (
    SELECT s.id AS doc, t.channel_id, t.name
    FROM sel s JOIN packages t ON t.project_id = s.project_id AND NOT t.removed
    UNION ALL
    SELECT s.id, s.channel_id, s.name FROM sel s WHERE s.project_id IS NULL
), dn AS (
    SELECT m.doc AS id, sum((SELECT count(DISTINCT d.package_id) FROM dependencies d
                             JOIN packages q ON q.id = d.package_id AND NOT q.removed
                             WHERE d.name = m.name AND q.channel_id = m.channel_id)) AS n
    FROM members m GROUP BY m.doc
)";

const DOCUMENT_SQL: &str = concat!("
SELECT p.id::text AS id, p.name, p.base_name, ''::text AS folded_name, ''::text AS folded_base,
    array_remove(ARRAY[p.pname], NULL) AS aliases,
    ARRAY(SELECT DISTINCT split_part(v, '@', 1) FROM unnest(p.provides) v) AS provides,
    p.synopsis, left(p.description, 1000) AS description, c.ecosystem, c.name AS channel,
    ARRAY(SELECT COALESCE(l.spdx, l.raw) FROM package_licenses l WHERE l.package_id = p.id ORDER BY l.position) AS licenses,
    ARRAY(SELECT m.handle FROM package_maintainers pm JOIN maintainers m ON m.id = pm.maintainer_id WHERE pm.package_id = p.id) AS maintainers,
    ARRAY(SELECT v.version FROM package_versions v WHERE v.package_id = p.id ORDER BY v.position) AS versions,
    p.latest_version,
    ARRAY(SELECT va.name FROM variants va WHERE va.package_id = p.id ORDER BY va.position) AS variants,
    p.homepage_host,
    COALESCE(dn.n, 0)::bigint AS dependents,
    ", crate::platforms_sql!("p.id"), " AS platforms,
    COALESCE(pc.status, 'unknown') AS ci_status,
    ", crate::archival_status_sql!("p.id"), " AS archival_status, NULL::bool AS maintained, NULL::bool AS funded
FROM packages p
JOIN channels c ON c.id = p.channel_id
LEFT JOIN package_ci pc ON pc.package_id = p.id
LEFT JOIN dn ON dn.id = p.id
WHERE NOT p.removed");

fn finish(mut d: SearchDocument) -> SearchDocument {
    d.folded_name = fold(&d.name);
    d.folded_base = fold(&d.base_name);
    if let Some((_, last)) = d.name.rsplit_once('.') {
        if !d.aliases.iter().any(|a| a == last) {
            d.aliases.push(last.to_string());
        }
    }
    d
}

/// Every document (packages not removed).
pub async fn all(pool: &PgPool) -> Result<Vec<SearchDocument>, sqlx::Error> {
    let rows: Vec<SearchDocument> =
        sqlx::query_as(&format!("{DEPENDENTS_ALL} {DOCUMENT_SQL} ORDER BY p.id")).fetch_all(pool).await?;
    Ok(rows.into_iter().map(finish).collect())
}

/// The documents of these packages; removed ones are absent (to be deleted).
pub async fn for_ids(pool: &PgPool, ids: &[i64]) -> Result<Vec<SearchDocument>, sqlx::Error> {
    let rows: Vec<SearchDocument> =
        sqlx::query_as(&format!("{DEPENDENTS_OF_IDS} {DOCUMENT_SQL} AND p.id = ANY($1) ORDER BY p.id"))
            .bind(ids)
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(finish).collect())
}
