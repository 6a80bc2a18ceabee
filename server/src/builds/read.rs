//! Reading build results for pages and the JSON API: the latest build per
//! version × system × target of a package with its weather, and the counts
//! of each service.
use std::collections::HashMap;

use app::api::builds::{
    BuildHistory, BuildView, CiOverview, CiServiceSummary, CiTrend, CiWeek, FailingPackage, PackageBuilds, StatusCount,
    HISTORY_PER_PAGE, TREND_WEEKS,
};
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::PgPool;

use super::{status, Status};

/// Services whose name starts with this are the demo data set's.
pub const DEMO_PREFIX: &str = "demo-";

/// History read per package to compute its weather (newest first).
const HISTORY: i64 = 2000;

fn rfc3339(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

#[derive(sqlx::FromRow)]
struct Row {
    service: String,
    service_kind: String,
    external_id: String,
    version: Option<String>,
    system: Option<String>,
    target: Option<String>,
    compiler: Option<String>,
    status: String,
    finished_at: Option<DateTime<Utc>>,
    build_url: Option<String>,
    log_url: Option<String>,
}

/// The id of a package of a channel.
async fn package_id(pool: &PgPool, ecosystem: &str, channel: &str, name: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT p.id FROM packages p JOIN channels c ON c.id = p.channel_id
         WHERE c.ecosystem = $1 AND c.name = $2 AND p.name = $3",
    )
    .bind(ecosystem)
    .bind(channel)
    .bind(name)
    .fetch_optional(pool)
    .await
}

/// The builds of package `name` of a channel; `None` when there is no such package.
pub async fn package_builds(
    pool: &PgPool,
    ecosystem: &str,
    channel: &str,
    name: &str,
) -> sqlx::Result<Option<PackageBuilds>> {
    let package = package_id(pool, ecosystem, channel, name).await?;
    let Some(package) = package else { return Ok(None) };
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM build_results WHERE package_id = $1")
        .bind(package)
        .fetch_one(pool)
        .await?;
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.name AS service, s.kind AS service_kind, b.external_id, b.version, b.system, b.target, b.compiler,
                b.status, b.finished_at, b.build_url, b.log_url
         FROM build_results b JOIN ci_services s ON s.id = b.service_id
         WHERE b.package_id = $1
         ORDER BY b.finished_at DESC NULLS LAST, b.id DESC
         LIMIT $2",
    )
    .bind(package)
    .bind(HISTORY)
    .fetch_all(pool)
    .await?;
    // Weather per (service, system), from the history newest first.
    let mut histories: HashMap<(&str, Option<&str>), Vec<Status>> = HashMap::new();
    for r in &rows {
        if let Some(s) = Status::parse(&r.status) {
            histories.entry((&r.service, r.system.as_deref())).or_default().push(s);
        }
    }
    let weather: HashMap<(&str, Option<&str>), Option<&'static str>> =
        histories.into_iter().map(|(k, h)| (k, status::weather(h).map(|w| w.as_str()))).collect();
    let mut seen = std::collections::HashSet::new();
    let mut latest = Vec::new();
    for r in &rows {
        if !seen.insert((&r.service, &r.version, &r.system, &r.target)) {
            continue;
        }
        latest.push(BuildView {
            service: r.service.clone(),
            service_kind: r.service_kind.clone(),
            id: r.external_id.clone(),
            version: r.version.clone(),
            system: r.system.clone(),
            target: r.target.clone(),
            compiler: r.compiler.clone(),
            status: r.status.clone(),
            weather: weather.get(&(r.service.as_str(), r.system.as_deref())).copied().flatten().map(str::to_string),
            finished_at: rfc3339(r.finished_at),
            build_url: r.build_url.clone(),
            log_url: r.log_url.clone(),
            demo: r.service.starts_with(DEMO_PREFIX),
        });
    }
    let demo = latest.iter().any(|b| b.demo);
    Ok(Some(PackageBuilds {
        ecosystem: ecosystem.to_string(),
        channel: channel.to_string(),
        name: name.to_string(),
        latest,
        total,
        demo,
    }))
}

/// One page of the history of package `name`, filtered by system and
/// status when given; `None` when there is no such package.
pub async fn history(
    pool: &PgPool,
    ecosystem: &str,
    channel: &str,
    name: &str,
    system: Option<&str>,
    status: Option<&str>,
    page: i64,
) -> sqlx::Result<Option<BuildHistory>> {
    let package = package_id(pool, ecosystem, channel, name).await?;
    let Some(package) = package else { return Ok(None) };
    let filter = "b.package_id = $1 AND ($2::text IS NULL OR b.system = $2) AND ($3::text IS NULL OR b.status = $3)";
    let total: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM build_results b WHERE {filter}"))
        .bind(package)
        .bind(system)
        .bind(status)
        .fetch_one(pool)
        .await?;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT s.name AS service, s.kind AS service_kind, b.external_id, b.version, b.system, b.target, b.compiler,
                b.status, b.finished_at, b.build_url, b.log_url
         FROM build_results b JOIN ci_services s ON s.id = b.service_id
         WHERE {filter}
         ORDER BY b.finished_at DESC NULLS LAST, b.id DESC
         LIMIT $4 OFFSET $5"
    ))
    .bind(package)
    .bind(system)
    .bind(status)
    .bind(HISTORY_PER_PAGE)
    .bind((page - 1) * HISTORY_PER_PAGE)
    .fetch_all(pool)
    .await?;
    let systems: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT system FROM build_results WHERE package_id = $1 AND system IS NOT NULL ORDER BY system",
    )
    .bind(package)
    .fetch_all(pool)
    .await?;
    Ok(Some(BuildHistory {
        ecosystem: ecosystem.to_string(),
        channel: channel.to_string(),
        name: name.to_string(),
        system: system.map(str::to_string),
        status: status.map(str::to_string),
        builds: rows
            .into_iter()
            .map(|r| BuildView {
                demo: r.service.starts_with(DEMO_PREFIX),
                service: r.service,
                service_kind: r.service_kind,
                id: r.external_id,
                version: r.version,
                system: r.system,
                target: r.target,
                compiler: r.compiler,
                status: r.status,
                weather: None,
                finished_at: rfc3339(r.finished_at),
                build_url: r.build_url,
                log_url: r.log_url,
            })
            .collect(),
        page,
        per_page: HISTORY_PER_PAGE,
        total,
        systems,
    }))
}

#[derive(sqlx::FromRow)]
struct ServiceRow {
    id: i64,
    name: String,
    kind: String,
    ecosystem: String,
    channel: String,
    base_url: Option<String>,
}

/// Builds of one service and status (summed over `build_daily`'s days).
#[derive(sqlx::FromRow)]
struct DailyCount {
    service_id: i64,
    status: String,
    builds: i64,
    unresolved: i64,
    last_finished_at: Option<DateTime<Utc>>,
}

/// Every CI service (or only `service`) with its builds counted by status,
/// its success rate per week and its failing packages; `None` when there is
/// no such service. Reads the summaries of migration 0010, never the history.
pub async fn overview(pool: &PgPool, service: Option<&str>) -> sqlx::Result<Option<CiOverview>> {
    let services: Vec<ServiceRow> = sqlx::query_as(
        "SELECT id, name, kind, ecosystem, channel, base_url FROM ci_services
         WHERE $1::text IS NULL OR name = $1 ORDER BY ecosystem, channel, name",
    )
    .bind(service)
    .fetch_all(pool)
    .await?;
    if service.is_some() && services.is_empty() {
        return Ok(None);
    }
    let only = service.and(services.first().map(|s| s.id));
    let counts: Vec<DailyCount> = sqlx::query_as(
        "SELECT service_id, status, sum(builds)::bigint AS builds, sum(unresolved)::bigint AS unresolved,
                max(last_finished_at) AS last_finished_at
         FROM build_daily WHERE $1::bigint IS NULL OR service_id = $1 GROUP BY service_id, status",
    )
    .bind(only)
    .fetch_all(pool)
    .await?;
    let weeks: Vec<(i64, chrono::NaiveDate, i64, i64)> = sqlx::query_as(
        "SELECT service_id, date_trunc('week', day)::date AS week,
                COALESCE(sum(builds) FILTER (WHERE status = 'succeeded'), 0)::bigint,
                COALESCE(sum(builds) FILTER (WHERE status IN ('succeeded', 'failed', 'dependency-failed', 'timed-out')), 0)::bigint
         FROM build_daily WHERE day > date '1970-01-01' AND ($1::bigint IS NULL OR service_id = $1)
         GROUP BY 1, 2 ORDER BY 1, 2",
    )
    .bind(only)
    .fetch_all(pool)
    .await?;
    // One window for every service shown: the weeks up to the latest one.
    let trends = match weeks.iter().map(|w| w.1).max() {
        Some(last) => services
            .iter()
            .filter(|s| weeks.iter().any(|w| w.0 == s.id))
            .map(|s| {
                let mine: Vec<_> = weeks.iter().filter(|w| w.0 == s.id).map(|w| (w.1, w.2, w.3)).collect();
                trend(&s.name, last, &mine)
            })
            .collect(),
        None => Vec::new(),
    };
    let services = services
        .into_iter()
        .map(|s| {
            let mine: Vec<_> = counts.iter().filter(|c| c.service_id == s.id).collect();
            CiServiceSummary {
                counts: status::ALL
                    .iter()
                    .map(|st| StatusCount {
                        status: st.as_str().to_string(),
                        count: mine.iter().find(|c| c.status == st.as_str()).map_or(0, |c| c.builds),
                    })
                    .collect(),
                total: mine.iter().map(|c| c.builds).sum(),
                unresolved: mine.iter().map(|c| c.unresolved).sum(),
                last_finished_at: rfc3339(mine.iter().filter_map(|c| c.last_finished_at).max()),
                demo: s.name.starts_with(DEMO_PREFIX),
                name: s.name,
                kind: s.kind,
                ecosystem: s.ecosystem,
                channel: s.channel,
                base_url: s.base_url,
            }
        })
        .collect();
    Ok(Some(CiOverview {
        service: service.map(str::to_string),
        services,
        trends,
        new_failures: failing(pool, only, Failing::New, 20).await?,
        longest_failing: failing(pool, only, Failing::Longest, 10).await?,
        most_depended_failing: failing(pool, only, Failing::MostDepended, 10).await?,
    }))
}

/// A service's [`TREND_WEEKS`] weeks up to the week starting on `last`,
/// weeks without builds filled with zeros.
fn trend(service: &str, last: chrono::NaiveDate, weeks: &[(chrono::NaiveDate, i64, i64)]) -> CiTrend {
    let weeks = (0..TREND_WEEKS as i64)
        .rev()
        .map(|back| {
            let monday = last - chrono::Duration::weeks(back);
            let found = weeks.iter().find(|w| w.0 == monday);
            CiWeek {
                week: monday.format("%Y-%m-%d").to_string(),
                succeeded: found.map_or(0, |w| w.1),
                decisive: found.map_or(0, |w| w.2),
            }
        })
        .collect();
    CiTrend { service: service.to_string(), weeks }
}

#[derive(sqlx::FromRow)]
struct FailingRow {
    service: String,
    ecosystem: String,
    channel: String,
    name: String,
    system: Option<String>,
    version: Option<String>,
    status: String,
    failing_since: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    dependents: i64,
    build_url: Option<String>,
}

/// Which failing packages a list shows.
#[derive(Clone, Copy)]
enum Failing {
    /// Succeeding (or never built) before, failed in the last 7 days; newest first.
    New,
    /// By the first failure since the last success.
    Longest,
    /// By the packages of the channel that depend on them.
    MostDepended,
}

/// Packages whose latest verdict (per service and system; cancelled builds
/// say nothing) is not a success, from `build_state`.
async fn failing(pool: &PgPool, service: Option<i64>, which: Failing, limit: i64) -> sqlx::Result<Vec<FailingPackage>> {
    let (filter, order) = match which {
        Failing::New => (
            // A new failure's streak starts with its latest verdict: the
            // failing_since bound walks build_state_failing_idx.
            "(st.prev_status IS NULL OR st.prev_status = 'succeeded') AND st.last_finished_at > now() - interval '7 days'
             AND st.failing_since > now() - interval '7 days'",
            "st.last_finished_at DESC NULLS LAST, p.name",
        ),
        Failing::Longest => ("true", "st.failing_since ASC NULLS LAST, p.name"),
        Failing::MostDepended => ("true", "p.dependents_count DESC, p.name"),
    };
    let rows: Vec<FailingRow> = sqlx::query_as(&format!(
        "SELECT s.name AS service, c.ecosystem, c.name AS channel, p.name, NULLIF(st.system, '') AS system,
                b.version, st.last_status AS status, st.failing_since, st.last_finished_at AS finished_at,
                p.dependents_count::bigint AS dependents, b.build_url
         FROM build_state st
         JOIN build_results b ON b.id = st.last_id
         JOIN ci_services s ON s.id = st.service_id
         JOIN packages p ON p.id = st.package_id
         JOIN channels c ON c.id = p.channel_id
         WHERE st.last_status <> 'succeeded' AND ($2::bigint IS NULL OR st.service_id = $2) AND {filter}
         ORDER BY {order}
         LIMIT $1"
    ))
    .bind(limit)
    .bind(service)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| FailingPackage {
            demo: r.service.starts_with(DEMO_PREFIX),
            service: r.service,
            ecosystem: r.ecosystem,
            channel: r.channel,
            name: r.name,
            system: r.system,
            version: r.version,
            status: r.status,
            failing_since: rfc3339(r.failing_since),
            finished_at: rfc3339(r.finished_at),
            dependents: r.dependents,
            build_url: r.build_url,
        })
        .collect())
}

/// The CI status port the Leptos server functions use.
pub struct PgBuilds {
    pub pool: PgPool,
}

fn unavailable(e: sqlx::Error) -> leptos::prelude::ServerFnError {
    tracing::error!(error = %e, "build results query failed");
    leptos::prelude::ServerFnError::new(app::api::catalog::UNAVAILABLE)
}

#[async_trait::async_trait]
impl app::api::builds::BuildsPort for PgBuilds {
    async fn package_builds(
        &self,
        ecosystem: &str,
        channel: &str,
        name: &str,
    ) -> Result<Option<PackageBuilds>, leptos::prelude::ServerFnError> {
        package_builds(&self.pool, ecosystem, channel, name).await.map_err(unavailable)
    }
    async fn overview(&self, service: Option<&str>) -> Result<Option<CiOverview>, leptos::prelude::ServerFnError> {
        overview(&self.pool, service).await.map_err(unavailable)
    }
    async fn history(
        &self,
        ecosystem: &str,
        channel: &str,
        name: &str,
        system: Option<&str>,
        status: Option<&str>,
        page: i64,
    ) -> Result<Option<BuildHistory>, leptos::prelude::ServerFnError> {
        // A status outside the vocabulary matches nothing; so does a system too long to be one.
        let status = status.filter(|s| !s.is_empty());
        let system = system.filter(|s| !s.is_empty());
        history(&self.pool, ecosystem, channel, name, system, status, page).await.map_err(unavailable)
    }
}
