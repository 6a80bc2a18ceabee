//! The matrix as pages, the JSON API and the exports show it: packages
//! (filtered by channel, name, tag, site) × the platform columns. One
//! statement reads a page of packages, two indexed reads their facts (the
//! latest builds per service × system × target from `platform_builds`, the
//! current attestations); `cells` computes the cells.
use std::collections::HashMap;

use app::api::matrix::{Matrix, MatrixColumn, MatrixFilters, MatrixRow};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
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
struct PackageRow {
    id: i64,
    ecosystem: String,
    channel: String,
    name: String,
    latest_version: Option<String>,
    platforms: Vec<String>,
    conflicts: Option<Json<serde_json::Value>>,
    gpu: Option<Json<serde_json::Value>>,
    total: i64,
}

#[derive(sqlx::FromRow)]
struct BuildRow {
    package_id: i64,
    service: String,
    system: String,
    target: String,
    status: String,
    version: Option<String>,
    finished_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct AttestRow {
    package_id: i64,
    partition_id: i64,
    site: String,
    machine: String,
    partition: String,
    microarch: Option<String>,
    gpu_target: Option<String>,
    status: String,
    version: Option<String>,
    spec: Option<String>,
    attested_on: NaiveDate,
    evidence_url: Option<String>,
    note: Option<String>,
    demo: bool,
}

/// A recipe's conflicts, from whatever JSON the catalog holds (objects with
/// `spec` and `when` texts; anything else is left out).
fn conflicts(value: Option<serde_json::Value>) -> Vec<Conflict> {
    let text = |c: &serde_json::Value, k: &str| c.get(k).and_then(serde_json::Value::as_str).map(str::to_string);
    match value {
        Some(serde_json::Value::Array(items)) => {
            items.iter().map(|c| Conflict { spec: text(c, "spec"), when: text(c, "when") }).collect()
        }
        _ => Vec::new(),
    }
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
    // maintainer=FORGE:HANDLE: the maintainers area's statement of their packages.
    let maintainer = filters.maintainer.as_deref().map(|m| app::api::matrix::split_maintainer(m.trim()));
    if matches!(maintainer, Some(None)) {
        // Not of the form FORGE:HANDLE (the HTTP layer answers 400 before): nobody's packages.
        return Ok((Vec::new(), 0));
    }
    let maintainer = maintainer.flatten();
    let (mine, mine_filter) = match maintainer {
        Some(_) => (
            format!("{},", crate::maintainers::packages::mine_ctes("$13", "$14")),
            "AND p.id IN (SELECT package_id FROM mine)",
        ),
        None => (String::new(), ""),
    };
    let sql = format!(
        "WITH {mine} site_partitions AS (
             SELECT pa.id FROM partitions pa JOIN machines m ON m.id = pa.machine_id JOIN sites s ON s.id = m.site_id
             WHERE s.name = $5)
         SELECT p.id, c.ecosystem, c.name AS channel, p.name, p.latest_version, p.platforms,
                p.extra->'conflicts' AS conflicts, p.extra->'gpu' AS gpu, count(*) OVER () AS total
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
           {mine_filter}
         ORDER BY p.name, c.ecosystem, c.name
         LIMIT $7 OFFSET $8"
    );
    let mut query = sqlx::query_as::<_, PackageRow>(&sql)
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
        .bind(name);
    if let Some((forge, handle)) = &maintainer {
        query = query.bind(vec![forge.clone()]).bind(vec![handle.to_lowercase()]);
    }
    let found: Vec<PackageRow> = query.fetch_all(pool).await?;
    let total = found.first().map_or(0, |r| r.total);
    let ids: Vec<i64> = found.iter().map(|r| r.id).collect();
    // The facts of these packages: two indexed reads (faster than building JSON per package).
    let builds: Vec<BuildRow> = sqlx::query_as(
        "SELECT b.package_id, s.name AS service, b.system, b.target, b.status, b.version, b.finished_at
         FROM platform_builds b JOIN ci_services s ON s.id = b.service_id
         WHERE b.package_id = ANY ($1)",
    )
    .bind(&ids)
    .fetch_all(pool)
    .await?;
    let attestations: Vec<AttestRow> = sqlx::query_as(
        "SELECT a.package_id, a.partition_id, s.name AS site, m.name AS machine, pa.name AS partition, pa.microarch,
                pa.gpu_target, a.status, a.version, a.spec, a.attested_on, a.evidence_url, a.note, a.demo
         FROM (SELECT DISTINCT ON (package_id, partition_id) * FROM attestations
               WHERE package_id = ANY ($1) ORDER BY package_id, partition_id, attested_on DESC, id DESC) a
         JOIN partitions pa ON pa.id = a.partition_id JOIN machines m ON m.id = pa.machine_id
         JOIN sites s ON s.id = m.site_id",
    )
    .bind(&ids)
    .fetch_all(pool)
    .await?;
    let mut builds_of: HashMap<i64, Vec<BuildFact>> = HashMap::new();
    for b in builds {
        builds_of.entry(b.package_id).or_default().push(BuildFact {
            service: b.service,
            system: b.system,
            target: b.target,
            status: b.status,
            version: b.version,
            finished_at: b.finished_at.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
        });
    }
    let mut attestations_of: HashMap<i64, Vec<AttestFact>> = HashMap::new();
    for a in attestations {
        attestations_of.entry(a.package_id).or_default().push(AttestFact {
            partition_id: a.partition_id,
            site: a.site,
            machine: a.machine,
            partition: a.partition,
            microarch: a.microarch,
            gpu_target: a.gpu_target,
            status: a.status,
            version: a.version,
            spec: a.spec,
            attested_on: a.attested_on.to_string(),
            evidence_url: a.evidence_url,
            note: a.note,
            demo: a.demo,
        });
    }
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
                builds: builds_of.remove(&r.id).unwrap_or_default(),
                attestations: attestations_of.remove(&r.id).unwrap_or_default(),
                platforms: r.platforms,
                conflicts: conflicts(r.conflicts.map(|c| c.0)),
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
