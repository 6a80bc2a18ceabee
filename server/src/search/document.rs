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
    /// How many packages depend on this software, across channels (its
    /// project's packages that are one software: `software`).
    pub dependents: i64,
    /// How many ecosystems package this software (0 in a document of an
    /// earlier index: read as 1).
    pub ecosystems: i64,
    pub platforms: Vec<String>,
    /// `passing`, `failing` or `unknown` (no build result; package_ci).
    pub ci_status: Option<String>,
    pub archival_status: Option<String>,
    pub maintained: Option<bool>,
    pub funded: Option<bool>,
}

/// Each package's own dependents (the packages of its channel depending on
/// its name), with what `software::software` needs: every package.
const MEMBERS_ALL: &str = "
WITH dep AS (
    SELECT q.channel_id, d.name, count(DISTINCT d.package_id) AS n
    FROM dependencies d JOIN packages q ON q.id = d.package_id AND NOT q.removed
    GROUP BY q.channel_id, d.name
)
SELECT p.id, p.project_id, c.ecosystem, p.name, p.base_name, p.homepage_host, p.synopsis, COALESCE(dep.n, 0)::bigint
FROM packages p JOIN channels c ON c.id = p.channel_id
LEFT JOIN dep ON dep.channel_id = p.channel_id AND dep.name = p.name
WHERE NOT p.removed";

/// The same for the packages `$1` and the other packages of their projects
/// only: dependents looked up by name in the dependencies (indexed), not
/// aggregated over the whole catalog.
const MEMBERS_OF_IDS: &str = "
WITH sel AS (
    SELECT p.id, p.project_id FROM packages p WHERE p.id = ANY($1) AND NOT p.removed
), members AS (
    SELECT t.id FROM sel s JOIN packages t ON t.project_id = s.project_id AND NOT t.removed
    UNION SELECT s.id FROM sel s
)
SELECT p.id, p.project_id, c.ecosystem, p.name, p.base_name, p.homepage_host, p.synopsis,
    (SELECT count(DISTINCT d.package_id) FROM dependencies d
     JOIN packages q ON q.id = d.package_id AND NOT q.removed
     WHERE d.name = p.name AND q.channel_id = p.channel_id)::bigint
FROM members m JOIN packages p ON p.id = m.id JOIN channels c ON c.id = p.channel_id";

type MemberRow = (i64, Option<i64>, String, String, String, Option<String>, Option<String>, i64);

/// Each package's software (`software::software`) from the members read.
fn software_of(rows: Vec<MemberRow>) -> std::collections::HashMap<i64, super::software::Software> {
    let members: Vec<super::software::Member> =
        rows.into_iter()
            .map(|(id, project, ecosystem, name, base_name, homepage_host, synopsis, dependents)| {
                super::software::Member { id, project, ecosystem, name, base_name, homepage_host, synopsis, dependents }
            })
            .collect();
    super::software::software(&members)
}

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
    0::bigint AS dependents, 1::bigint AS ecosystems,
    ", crate::platforms_sql!("p.id"), " AS platforms,
    COALESCE(pc.status, 'unknown') AS ci_status,
    ", crate::archival_status_sql!("p.id"), " AS archival_status, NULL::bool AS maintained, NULL::bool AS funded
FROM packages p
JOIN channels c ON c.id = p.channel_id
LEFT JOIN package_ci pc ON pc.package_id = p.id
WHERE NOT p.removed");

/// The document with its folded names, aliases and its software's dependents.
fn finish(
    mut d: SearchDocument,
    software: &std::collections::HashMap<i64, super::software::Software>,
) -> SearchDocument {
    if let Some(s) = d.id.parse().ok().and_then(|id: i64| software.get(&id)) {
        d.dependents = s.dependents;
        d.ecosystems = i64::from(s.ecosystems);
    }
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
    let software = software_of(sqlx::query_as(MEMBERS_ALL).fetch_all(pool).await?);
    let rows: Vec<SearchDocument> = sqlx::query_as(&format!("{DOCUMENT_SQL} ORDER BY p.id")).fetch_all(pool).await?;
    Ok(rows.into_iter().map(|d| finish(d, &software)).collect())
}

/// The documents of these packages; removed ones are absent (to be deleted).
pub async fn for_ids(pool: &PgPool, ids: &[i64]) -> Result<Vec<SearchDocument>, sqlx::Error> {
    let software = software_of(sqlx::query_as(MEMBERS_OF_IDS).bind(ids).fetch_all(pool).await?);
    let rows: Vec<SearchDocument> =
        sqlx::query_as(&format!("{DOCUMENT_SQL} AND p.id = ANY($1) ORDER BY p.id")).bind(ids).fetch_all(pool).await?;
    Ok(rows.into_iter().map(|d| finish(d, &software)).collect())
}
