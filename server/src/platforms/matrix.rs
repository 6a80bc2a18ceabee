//! The matrix as pages, the JSON API and the exports show it: packages
//! (filtered by channel, name, tag, site) × the platform columns, one SQL
//! statement for the rows with their facts (latest builds per service × system
//! × target from `platform_builds`, current attestations), cells computed by
//! `cells`.
use app::api::matrix::{Matrix, MatrixColumn, MatrixFilters, MatrixRow};
use sqlx::{types::Json, PgPool};

use super::{
    cells::{self, AttestFact, BuildFact, Conflict, PackageFacts},
    columns::{self, PartitionSpec, Platform},
};

/// The partitions shown as columns: every site's, or one site's.
pub async fn partitions(pool: &PgPool, site: Option<&str>) -> sqlx::Result<Vec<PartitionSpec>> {
    sqlx::query_as(
        "SELECT pa.id, s.name AS site, m.name AS machine, pa.name, pa.system, pa.microarch, pa.cpu_model,
                pa.gpu_model, pa.gpu_target, pa.nodes
         FROM partitions pa JOIN machines m ON m.id = pa.machine_id JOIN sites s ON s.id = m.site_id
         WHERE $1::text IS NULL OR s.name = $1
         ORDER BY s.name, m.name, pa.name",
    )
    .bind(site)
    .fetch_all(pool)
    .await
}

#[derive(sqlx::FromRow)]
struct FactRow {
    ecosystem: String,
    channel: String,
    name: String,
    latest_version: Option<String>,
    platforms: Vec<String>,
    conflicts: Option<Json<Vec<Conflict>>>,
    gpu: Option<Json<serde_json::Value>>,
    builds: Json<Vec<BuildFact>>,
    attestations: Json<Vec<AttestFact>>,
    total: i64,
}

/// Where a page of rows starts: an offset, or after a (name, ecosystem, channel) key.
pub enum Start<'a> {
    Offset(i64),
    After(&'a (String, String, String)),
}

/// `%`, `_` and `\` taken literally in a LIKE pattern.
fn like_literal(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Rows of the matrix matching `filters`, `limit` of them from `start`, with
/// the count of all matching rows.
pub async fn rows(
    pool: &PgPool,
    filters: &MatrixFilters,
    platforms: &[Platform],
    start: Start<'_>,
    limit: i64,
) -> sqlx::Result<(Vec<MatrixRow>, i64)> {
    rows_named(pool, filters, platforms, start, limit, None).await
}

/// `rows`, only of packages named exactly `name` when given.
pub async fn rows_named(
    pool: &PgPool,
    filters: &MatrixFilters,
    platforms: &[Platform],
    start: Start<'_>,
    limit: i64,
    name: Option<&str>,
) -> sqlx::Result<(Vec<MatrixRow>, i64)> {
    let (ecosystem, channel) = match filters.channel.as_deref().and_then(|c| c.split_once('/')) {
        Some((e, c)) => (Some(e), Some(c)),
        None => (None, filters.channel.as_deref().map(|_| "")),
    };
    let (offset, after) = match start {
        Start::Offset(o) => (o, None),
        Start::After(k) => (0, Some(k)),
    };
    let found: Vec<FactRow> = sqlx::query_as(
        "WITH site_partitions AS (
             SELECT pa.id FROM partitions pa JOIN machines m ON m.id = pa.machine_id JOIN sites s ON s.id = m.site_id
             WHERE s.name = $5),
         f AS (
             SELECT p.id, c.ecosystem, c.name AS channel, p.name, p.latest_version, p.platforms,
                    CASE WHEN jsonb_typeof(p.extra->'conflicts') = 'array' THEN p.extra->'conflicts' END AS conflicts,
                    p.extra->'gpu' AS gpu, count(*) OVER () AS total
             FROM packages p JOIN channels c ON c.id = p.channel_id
             WHERE NOT p.removed
               AND ($1::text IS NULL OR c.ecosystem = $1) AND ($2::text IS NULL OR c.name = $2)
               AND ($3::text IS NULL OR p.name ILIKE '%' || $3 || '%')
               AND ($4::text IS NULL OR $4 = ANY (p.tags))
               AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM attestations a
                                                WHERE a.package_id = p.id
                                                  AND a.partition_id IN (SELECT id FROM site_partitions)))
               AND (NOT $6 OR EXISTS (SELECT 1 FROM platform_builds b WHERE b.package_id = p.id)
                    OR EXISTS (SELECT 1 FROM attestations a WHERE a.package_id = p.id)
                    OR cardinality(p.platforms) > 0
                    OR p.extra->'gpu'->>'cuda' = 'true' OR p.extra->'gpu'->>'rocm' = 'true')
               AND ($9::text IS NULL OR (p.name, c.ecosystem, c.name) > ($9, $10, $11))
               AND ($12::text IS NULL OR p.name = $12)
             ORDER BY p.name, c.ecosystem, c.name
             LIMIT $7 OFFSET $8)
         SELECT f.ecosystem, f.channel, f.name, f.latest_version, f.platforms, f.conflicts, f.gpu, f.total,
             COALESCE((SELECT json_agg(json_build_object('service', s.name, 'system', b.system, 'target', b.target,
                          'status', b.status, 'version', b.version,
                          'finished_at', to_char(b.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')))
                       FROM platform_builds b JOIN ci_services s ON s.id = b.service_id
                       WHERE b.package_id = f.id), '[]') AS builds,
             COALESCE((SELECT json_agg(json_build_object('partition_id', a.partition_id, 'site', s.name,
                          'machine', m.name, 'partition', pa.name, 'microarch', pa.microarch,
                          'gpu_target', pa.gpu_target, 'status', a.status, 'version', a.version, 'spec', a.spec,
                          'attested_on', a.attested_on::text, 'evidence_url', a.evidence_url, 'note', a.note,
                          'demo', a.demo))
                       FROM (SELECT DISTINCT ON (partition_id) * FROM attestations
                             WHERE package_id = f.id ORDER BY partition_id, attested_on DESC, id DESC) a
                       JOIN partitions pa ON pa.id = a.partition_id JOIN machines m ON m.id = pa.machine_id
                       JOIN sites s ON s.id = m.site_id), '[]') AS attestations
         FROM f ORDER BY f.name, f.ecosystem, f.channel",
    )
    .bind(ecosystem)
    .bind(channel)
    .bind(filters.q.as_deref().map(like_literal))
    .bind(filters.tag.as_deref())
    .bind(filters.site.as_deref())
    .bind(filters.known)
    .bind(limit)
    .bind(offset)
    .bind(after.map(|k| k.0.as_str()))
    .bind(after.map(|k| k.1.as_str()))
    .bind(after.map(|k| k.2.as_str()))
    .bind(name)
    .fetch_all(pool)
    .await?;
    let total = found.first().map_or(0, |r| r.total);
    let rows = found
        .into_iter()
        .map(|r| {
            let gpu = r
                .gpu
                .map(|g| {
                    ["cuda", "rocm", "sycl"]
                        .into_iter()
                        .filter(|m| g.0.get(m).and_then(serde_json::Value::as_bool) == Some(true))
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let facts = PackageFacts {
                ecosystem: r.ecosystem.clone(),
                builds: r.builds.0,
                attestations: r.attestations.0,
                platforms: r.platforms,
                conflicts: r.conflicts.map(|c| c.0).unwrap_or_default(),
                gpu,
            };
            MatrixRow {
                cells: platforms.iter().map(|p| cells::cell(&facts, p)).collect(),
                ecosystem: r.ecosystem,
                channel: r.channel,
                name: r.name,
                version: r.latest_version,
            }
        })
        .collect();
    Ok((rows, total))
}

/// The columns of a matrix with `filters`.
pub async fn columns_for(pool: &PgPool, filters: &MatrixFilters) -> sqlx::Result<(Vec<MatrixColumn>, Vec<Platform>)> {
    let partitions = partitions(pool, filters.site.as_deref()).await?;
    Ok(columns::columns(&partitions).into_iter().unzip())
}

/// One page of the matrix.
pub async fn matrix(pool: &PgPool, filters: MatrixFilters) -> sqlx::Result<Matrix> {
    let (columns, platforms) = columns_for(pool, &filters).await?;
    let offset = (filters.page - 1) * filters.per_page;
    let (rows, total) = rows(pool, &filters, &platforms, Start::Offset(offset), filters.per_page).await?;
    let channels: Vec<String> =
        sqlx::query_scalar("SELECT ecosystem || '/' || name FROM channels ORDER BY ecosystem, name")
            .fetch_all(pool)
            .await?;
    let demo = rows.iter().any(|r| r.cells.iter().any(|c| c.demo));
    Ok(Matrix { filters, columns, rows, total, channels, demo })
}
