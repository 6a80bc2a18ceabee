//! Reading archival coverage for pages and the JSON API: the channels'
//! latest snapshots and trend, forge concentration, the packages most
//! depended upon without a known copy, the missing sources (paged, filtered,
//! CSV) and one package's sources.
use app::api::archival::{
    ArchivalOverview, ChannelCoverage, Coverage, EcosystemCoverage, HostRisk, HostShare, MissingFilter, MissingSources,
    PackageArchival, PackageSourceArchival, TrendPoint, TypeCoverage, UnarchivedPackage,
};
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::{types::Json, PgPool};

pub use super::missing::{missing, missing_csv, normalise, validate};
use super::{
    concentration::{self, HostClass, HostClasses, HostCount},
    snapshot::{Counts, TypeCounts},
};

/// Statuses the missing list may be filtered by.
pub const NOT_ARCHIVED: [&str; 4] = ["missing", "unknown", "error", "unchecked"];
/// Rows of one CSV export at most.
pub const CSV_MAX_ROWS: i64 = 100_000;

pub(super) fn rfc3339(t: DateTime<Utc>) -> String {
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
