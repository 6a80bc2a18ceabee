//! Reading archival coverage for pages and the JSON API: the channels'
//! latest snapshots and trend, forge concentration, the packages most
//! depended upon without a known copy, the missing sources (paged, filtered,
//! CSV) and one package's sources.
use app::api::archival::{
    ArchivalOverview, ChannelCoverage, Coverage, EcosystemCoverage, HostRisk, HostShare, MissingFilter, MissingSource,
    MissingSources, PackageArchival, PackageSourceArchival, TrendPoint, TypeCoverage, UnarchivedPackage,
    MISSING_PER_PAGE,
};
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::{types::Json, PgPool};

use super::{
    concentration::{self, HostClass, HostClasses, HostCount},
    snapshot::{Counts, TypeCounts},
};

/// Statuses the missing list may be filtered by.
pub const NOT_ARCHIVED: [&str; 4] = ["missing", "unknown", "error", "unchecked"];
/// Rows of one CSV export at most.
pub const CSV_MAX_ROWS: i64 = 100_000;

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn coverage(c: &Counts) -> Coverage {
    Coverage {
        sources: c.sources,
        archived: c.archived,
        missing: c.missing,
        unknown: c.unknown,
        error: c.error,
        unchecked: c.unchecked,
    }
}

#[derive(sqlx::FromRow)]
struct SnapshotRow {
    ecosystem: String,
    channel: String,
    revision: String,
    taken_at: DateTime<Utc>,
    sources: i64,
    archived: i64,
    missing: i64,
    unknown: i64,
    error: i64,
    unchecked: i64,
    by_type: Json<Vec<TypeCounts>>,
    by_host: Json<Vec<HostCount>>,
    hhi: f64,
    demo: bool,
}

impl SnapshotRow {
    fn counts(&self) -> Counts {
        Counts {
            sources: self.sources,
            archived: self.archived,
            missing: self.missing,
            unknown: self.unknown,
            error: self.error,
            unchecked: self.unchecked,
        }
    }
}

fn channel_coverage(s: &SnapshotRow, classes: &HostClasses) -> ChannelCoverage {
    let with_host: i64 = s.by_host.iter().map(|h| h.sources).sum();
    let share = |n: i64| if with_host == 0 { 0.0 } else { n as f64 / with_host as f64 };
    let class_share = |class: HostClass| {
        share(s.by_host.iter().filter(|h| classes.classify(&h.host) == class).map(|h| h.sources).sum())
    };
    ChannelCoverage {
        ecosystem: s.ecosystem.clone(),
        channel: s.channel.clone(),
        revision: s.revision.clone(),
        taken_at: rfc3339(s.taken_at),
        coverage: coverage(&s.counts()),
        by_type: s
            .by_type
            .iter()
            .map(|t| TypeCoverage { origin_type: t.origin_type.clone(), coverage: coverage(&t.counts) })
            .collect(),
        hosts: s
            .by_host
            .iter()
            .take(10)
            .map(|h| HostShare {
                host: h.host.clone(),
                class: classes.classify(&h.host).as_str().to_string(),
                sources: h.sources,
                unarchived: h.unarchived,
                share: share(h.sources),
            })
            .collect(),
        host_count: s.by_host.len() as i64,
        hhi: s.hhi,
        commercial_share: class_share(HostClass::Commercial),
        institutional_share: class_share(HostClass::Institutional),
        demo: s.demo,
    }
}

const SNAPSHOT_COLUMNS: &str = "sn.channel_id, c.ecosystem, c.name AS channel, sn.revision, sn.taken_at, sn.sources,
    sn.archived, sn.missing, sn.unknown, sn.error, sn.unchecked, sn.by_type, sn.by_host, sn.hhi, sn.demo";

#[derive(sqlx::FromRow)]
struct TrendRow {
    ecosystem: String,
    channel: String,
    revision: String,
    taken_at: DateTime<Utc>,
    sources: i64,
    archived: i64,
    demo: bool,
}

/// Snapshots kept per channel for the trend.
const TREND_POINTS: i64 = 120;

pub async fn overview(pool: &PgPool, classes: &HostClasses) -> sqlx::Result<ArchivalOverview> {
    let latest: Vec<SnapshotRow> = sqlx::query_as(&format!(
        "SELECT * FROM (SELECT DISTINCT ON (sn.channel_id) {SNAPSHOT_COLUMNS}
                        FROM archival_snapshots sn JOIN channels c ON c.id = sn.channel_id
                        ORDER BY sn.channel_id, sn.taken_at DESC, sn.id DESC) l
         ORDER BY ecosystem, channel"
    ))
    .fetch_all(pool)
    .await?;
    let trend: Vec<TrendRow> = sqlx::query_as(
        "SELECT ecosystem, channel, revision, taken_at, sources, archived, demo FROM (
             SELECT c.ecosystem, c.name AS channel, sn.revision, sn.taken_at, sn.sources, sn.archived, sn.demo,
                    row_number() OVER (PARTITION BY sn.channel_id ORDER BY sn.taken_at DESC) AS n
             FROM archival_snapshots sn JOIN channels c ON c.id = sn.channel_id WHERE sn.sources > 0) t
         WHERE n <= $1 ORDER BY taken_at, ecosystem, channel",
    )
    .bind(TREND_POINTS)
    .fetch_all(pool)
    .await?;
    let most_depended: Vec<(String, String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT c.ecosystem, c.name, p.name, p.dependents_count, x.sources, x.unarchived
         FROM packages p JOIN channels c ON c.id = p.channel_id
         CROSS JOIN LATERAL (
             SELECT count(*) AS sources, count(*) FILTER (WHERE a.status IS DISTINCT FROM 'archived') AS unarchived
             FROM sources s LEFT JOIN archival_checks a ON a.key = s.archival_key WHERE s.package_id = p.id) x
         WHERE NOT p.removed AND x.unarchived > 0
         ORDER BY p.dependents_count DESC, p.name, c.ecosystem, c.name
         LIMIT 10",
    )
    .fetch_all(pool)
    .await?;
    // Every channel's latest snapshot added up: per origin type and per host.
    let mut types: std::collections::BTreeMap<String, Counts> = Default::default();
    for s in &latest {
        for t in s.by_type.iter() {
            let c = types.entry(t.origin_type.clone()).or_default();
            c.sources += t.counts.sources;
            c.archived += t.counts.archived;
            c.missing += t.counts.missing;
            c.unknown += t.counts.unknown;
            c.error += t.counts.error;
            c.unchecked += t.counts.unchecked;
        }
    }
    let hosts = concentration::merge(latest.iter().flat_map(|s| s.by_host.0.clone()));
    let spof = concentration::single_points_of_failure(&hosts, 10)
        .into_iter()
        .map(|h| HostRisk {
            class: classes.classify(&h.host).as_str().to_string(),
            host: h.host,
            sources: h.sources,
            unarchived: h.unarchived,
        })
        .collect();
    let demo = latest.iter().any(|s| s.demo);
    let mut ecosystems: Vec<EcosystemCoverage> = Vec::new();
    for s in &latest {
        let c = coverage(&s.counts());
        match ecosystems.iter_mut().find(|e| e.ecosystem == s.ecosystem) {
            Some(e) => {
                e.channels += 1;
                e.coverage = e.coverage.plus(&c);
            }
            None => ecosystems.push(EcosystemCoverage { ecosystem: s.ecosystem.clone(), channels: 1, coverage: c }),
        }
    }
    Ok(ArchivalOverview {
        channels: latest.iter().map(|s| channel_coverage(s, classes)).collect(),
        by_ecosystem: ecosystems,
        trend: trend
            .into_iter()
            .map(|t| TrendPoint {
                ecosystem: t.ecosystem,
                channel: t.channel,
                revision: t.revision,
                taken_at: rfc3339(t.taken_at),
                sources: t.sources,
                archived: t.archived,
                demo: t.demo,
            })
            .collect(),
        by_type: types
            .into_iter()
            .map(|(origin_type, c)| TypeCoverage { origin_type, coverage: coverage(&c) })
            .collect(),
        single_points_of_failure: spof,
        most_depended_unarchived: most_depended
            .into_iter()
            .map(|(ecosystem, channel, name, dependents, sources, unarchived)| UnarchivedPackage {
                ecosystem,
                channel,
                name,
                dependents,
                sources,
                unarchived,
            })
            .collect(),
        demo,
    })
}

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

#[derive(sqlx::FromRow)]
struct SourceRow {
    version: Option<String>,
    origin_type: String,
    url: Option<String>,
    key: String,
    status: Option<String>,
    method: Option<String>,
    swhid: Option<String>,
    reason: Option<String>,
    checked_at: Option<DateTime<Utc>>,
    demo: Option<bool>,
}

/// A package's sources with their status; `None` when there is no such package.
pub async fn package(
    pool: &PgPool,
    ecosystem: &str,
    channel: &str,
    name: &str,
) -> sqlx::Result<Option<PackageArchival>> {
    let exists: Option<i64> = sqlx::query_scalar(
        "SELECT p.id FROM packages p JOIN channels c ON c.id = p.channel_id
         WHERE c.ecosystem = $1 AND c.name = $2 AND p.name = $3",
    )
    .bind(ecosystem)
    .bind(channel)
    .bind(name)
    .fetch_optional(pool)
    .await?;
    let Some(id) = exists else { return Ok(None) };
    let rows: Vec<SourceRow> = sqlx::query_as(
        "SELECT v.version, s.origin_type, COALESCE(s.git_url, s.urls[1]) AS url, s.archival_key AS key, a.status,
                a.method, a.swhid, a.reason, a.checked_at, a.demo
         FROM sources s LEFT JOIN package_versions v ON v.id = s.version_id
         LEFT JOIN archival_checks a ON a.key = s.archival_key
         WHERE s.package_id = $1 ORDER BY v.position NULLS FIRST, s.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let statuses: Vec<&str> = rows.iter().map(|r| r.status.as_deref().unwrap_or("unchecked")).collect();
    let verdict = super::badge::verdict(&statuses).as_str().to_string();
    Ok(Some(PackageArchival {
        ecosystem: ecosystem.to_string(),
        channel: channel.to_string(),
        name: name.to_string(),
        verdict,
        sources: rows
            .into_iter()
            .map(|r| PackageSourceArchival {
                version: r.version,
                origin_type: r.origin_type,
                url: r.url,
                key: r.key,
                status: r.status.unwrap_or_else(|| "unchecked".into()),
                method: r.method,
                swhid: r.swhid,
                reason: r.reason,
                checked_at: r.checked_at.map(rfc3339),
                demo: r.demo.unwrap_or(false),
            })
            .collect(),
    }))
}

/// The archival port the Leptos server functions use.
pub struct PgArchival {
    pub pool: PgPool,
    pub classes: HostClasses,
}

fn unavailable(e: sqlx::Error) -> leptos::prelude::ServerFnError {
    tracing::error!(error = %e, "archival query failed");
    leptos::prelude::ServerFnError::new(app::api::catalog::UNAVAILABLE)
}

#[async_trait::async_trait]
impl app::api::archival::ArchivalPort for PgArchival {
    async fn overview(&self) -> Result<ArchivalOverview, leptos::prelude::ServerFnError> {
        overview(&self.pool, &self.classes).await.map_err(unavailable)
    }
    async fn missing(
        &self,
        filter: MissingFilter,
        page: i64,
    ) -> Result<MissingSources, leptos::prelude::ServerFnError> {
        // A value outside the vocabulary is no filter on the page (the JSON API refuses it).
        let mut filter = normalise(filter);
        if validate(&filter).is_err() {
            filter = MissingFilter::default();
        }
        missing(&self.pool, filter, page.clamp(1, 10_000)).await.map_err(unavailable)
    }
}
