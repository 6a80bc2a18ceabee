//! The sources without a known copy in Software Heritage (`/archival/missing`
//! and its API and CSV): the filter's checks, a page of them, and the CSV
//! export (at most `CSV_MAX_ROWS` rows).
use app::api::archival::{MissingFilter, MissingSource, MissingSources, MISSING_PER_PAGE};
use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::read::{rfc3339, CSV_MAX_ROWS, NOT_ARCHIVED};

/// Why a filter is refused, naming it.
pub fn validate(filter: &MissingFilter) -> Result<(), String> {
    if let Some(s) = &filter.status {
        if !NOT_ARCHIVED.contains(&s.as_str()) {
            return Err(format!("unknown status {s:?}: one of {}", NOT_ARCHIVED.join(", ")));
        }
    }
    if let Some(t) = &filter.origin_type {
        if !app::api::archival::ORIGIN_TYPES.contains(&t.as_str()) {
            return Err(format!("unknown origin_type {t:?}: one of {}", app::api::archival::ORIGIN_TYPES.join(", ")));
        }
    }
    if filter.channel.as_ref().is_some_and(|c| c.is_empty() || c.len() > 100) {
        return Err("channel must be 1 to 100 characters (ecosystem/name)".into());
    }
    if filter.host.as_ref().is_some_and(|h| h.is_empty() || h.len() > 255) {
        return Err("host must be 1 to 255 characters".into());
    }
    Ok(())
}

/// Empty values are no filter.
pub fn normalise(filter: MissingFilter) -> MissingFilter {
    let keep = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    MissingFilter {
        channel: keep(filter.channel),
        status: keep(filter.status),
        origin_type: keep(filter.origin_type),
        host: keep(filter.host),
    }
}

const MISSING_FROM: &str = "FROM sources s
    JOIN packages p ON p.id = s.package_id AND NOT p.removed
    JOIN channels c ON c.id = p.channel_id
    LEFT JOIN package_versions v ON v.id = s.version_id
    LEFT JOIN archival_checks a ON a.key = s.archival_key
    WHERE COALESCE(a.status, 'unchecked') <> 'archived'
      AND ($1::text IS NULL OR c.ecosystem || '/' || c.name = $1)
      AND ($2::text IS NULL OR COALESCE(a.status, 'unchecked') = $2)
      AND ($3::text IS NULL OR s.origin_type = $3)
      AND ($4::text IS NULL OR s.forge_host = $4)";

#[derive(sqlx::FromRow)]
struct MissingRow {
    ecosystem: String,
    channel: String,
    package: String,
    version: Option<String>,
    origin_type: String,
    url: Option<String>,
    host: Option<String>,
    key: String,
    status: String,
    reason: Option<String>,
    checked_at: Option<DateTime<Utc>>,
    dependents: i64,
    demo: bool,
}

impl From<MissingRow> for MissingSource {
    fn from(r: MissingRow) -> Self {
        MissingSource {
            ecosystem: r.ecosystem,
            channel: r.channel,
            package: r.package,
            version: r.version,
            origin_type: r.origin_type,
            url: r.url,
            host: r.host,
            key: r.key,
            status: r.status,
            reason: r.reason,
            checked_at: r.checked_at.map(rfc3339),
            dependents: r.dependents,
            demo: r.demo,
        }
    }
}

async fn missing_rows(pool: &PgPool, filter: &MissingFilter, limit: i64, offset: i64) -> sqlx::Result<Vec<MissingRow>> {
    sqlx::query_as(&format!(
        "SELECT c.ecosystem, c.name AS channel, p.name AS package, v.version, s.origin_type,
                COALESCE(s.git_url, s.urls[1]) AS url, s.forge_host AS host, s.archival_key AS key,
                COALESCE(a.status, 'unchecked') AS status, a.reason, a.checked_at,
                p.dependents_count AS dependents, COALESCE(a.demo, false) AS demo
         {MISSING_FROM}
         ORDER BY p.dependents_count DESC, p.name, c.ecosystem, c.name, s.id
         LIMIT $5 OFFSET $6"
    ))
    .bind(filter.channel.as_deref())
    .bind(filter.status.as_deref())
    .bind(filter.origin_type.as_deref())
    .bind(filter.host.as_deref())
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
}

/// One page of the sources without a known copy (the filter validated).
pub async fn missing(pool: &PgPool, filter: MissingFilter, page: i64) -> sqlx::Result<MissingSources> {
    let total: i64 = sqlx::query_scalar(&format!("SELECT count(*) {MISSING_FROM}"))
        .bind(filter.channel.as_deref())
        .bind(filter.status.as_deref())
        .bind(filter.origin_type.as_deref())
        .bind(filter.host.as_deref())
        .fetch_one(pool)
        .await?;
    let rows = missing_rows(pool, &filter, MISSING_PER_PAGE, (page - 1) * MISSING_PER_PAGE).await?;
    let channels: Vec<String> =
        sqlx::query_scalar("SELECT ecosystem || '/' || name FROM channels ORDER BY ecosystem, name")
            .fetch_all(pool)
            .await?;
    Ok(MissingSources {
        filter,
        rows: rows.into_iter().map(MissingSource::from).collect(),
        page,
        per_page: MISSING_PER_PAGE,
        total,
        channels,
    })
}

/// The sources without a known copy as CSV (at most `CSV_MAX_ROWS`).
pub async fn missing_csv(pool: &PgPool, filter: &MissingFilter) -> anyhow::Result<Vec<u8>> {
    let rows = missing_rows(pool, filter, CSV_MAX_ROWS, 0).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "ecosystem",
        "channel",
        "package",
        "version",
        "origin_type",
        "url",
        "host",
        "key",
        "status",
        "reason",
        "checked_at",
        "dependents",
        "demo",
    ])?;
    for r in rows {
        let r = MissingSource::from(r);
        w.write_record([
            r.ecosystem,
            r.channel,
            r.package,
            r.version.unwrap_or_default(),
            r.origin_type,
            r.url.unwrap_or_default(),
            r.host.unwrap_or_default(),
            r.key,
            r.status,
            r.reason.unwrap_or_default(),
            r.checked_at.unwrap_or_default(),
            r.dependents.to_string(),
            r.demo.to_string(),
        ])?;
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))
}
