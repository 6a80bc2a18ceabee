//! CI status: build results of the services that build a channel (Cuirass,
//! Hydra, GitLab CI, or anyone pushing through the API), in one vocabulary
//! (`status`), resolved to the channel's packages, history kept.
pub mod badge;
pub mod cuirass;
pub mod cursor;
pub mod demo;
pub mod details;
pub mod evaluations;
pub mod feed;
pub mod fetch;
pub mod gitlab;
pub mod import;
pub mod push;
pub mod read;
pub mod schedule;
pub mod since;
pub mod stats;
pub mod status;

use chrono::{DateTime, Utc};
use sqlx::{PgPool, Postgres, Transaction};

use crate::catalog::Ecosystem;
pub use status::{Status, Weather};

/// How a service's results reach Pacatlas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Cuirass,
    Hydra,
    Gitlab,
    Push,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Cuirass => "cuirass",
            Kind::Hydra => "hydra",
            Kind::Gitlab => "gitlab",
            Kind::Push => "push",
        }
    }

    /// The ecosystem a service of this kind builds, when the kind says it.
    pub fn ecosystem(self) -> Option<Ecosystem> {
        match self {
            Kind::Cuirass => Some(Ecosystem::Guix),
            Kind::Hydra => Some(Ecosystem::Nix),
            Kind::Gitlab => Some(Ecosystem::Spack),
            Kind::Push => None,
        }
    }
}

/// A CI service and the channel it builds.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Service {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub base_url: Option<String>,
    pub ecosystem: String,
    pub channel: String,
}

pub async fn service(pool: &PgPool, name: &str) -> sqlx::Result<Option<Service>> {
    sqlx::query_as("SELECT id, name, kind, base_url, ecosystem, channel FROM ci_services WHERE name = $1")
        .bind(name)
        .fetch_optional(pool)
        .await
}

/// Adds service `name`, or updates its URL and channel; a service keeps its kind.
pub async fn ensure_service(
    pool: &PgPool,
    name: &str,
    kind: Kind,
    base_url: Option<&str>,
    ecosystem: Ecosystem,
    channel: &str,
) -> anyhow::Result<Service> {
    if let Some(existing) = service(pool, name).await? {
        if existing.kind != kind.as_str() {
            anyhow::bail!("CI service {name:?} is of kind {}, not {}", existing.kind, kind.as_str());
        }
    }
    let service = sqlx::query_as(
        "INSERT INTO ci_services (name, kind, base_url, ecosystem, channel) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (name) DO UPDATE SET base_url = EXCLUDED.base_url, ecosystem = EXCLUDED.ecosystem,
             channel = EXCLUDED.channel
         RETURNING id, name, kind, base_url, ecosystem, channel",
    )
    .bind(name)
    .bind(kind.as_str())
    .bind(base_url)
    .bind(ecosystem.as_str())
    .bind(channel)
    .fetch_one(pool)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_check_violation() => anyhow::anyhow!(
            "invalid CI service name {name:?}: lower-case letters, digits, '.', '_' and '-', at most 63"
        ),
        _ => e.into(),
    })?;
    Ok(service)
}

/// One build result, validated, in Pacatlas' vocabulary.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildRow {
    pub external_id: String,
    pub job: String,
    /// The package name in the channel, when the job names one.
    pub package_name: Option<String>,
    pub version: Option<String>,
    pub system: Option<String>,
    pub target: Option<String>,
    pub compiler: Option<String>,
    pub status: Status,
    pub service_status: String,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub log_url: Option<String>,
    pub build_url: Option<String>,
    pub evaluation: Option<String>,
}

/// Writes `rows` of `service` in `tx`, resolving package names in the
/// service's channel; a row already stored unchanged is not written again.
/// Returns how many rows were inserted or changed. The ids of `rows` must be
/// distinct.
pub async fn write(tx: &mut Transaction<'_, Postgres>, service: &Service, rows: &[BuildRow]) -> sqlx::Result<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    macro_rules! column {
        ($f:ident) => {
            rows.iter().map(|r| r.$f.clone()).collect::<Vec<_>>()
        };
    }
    let status: Vec<&str> = rows.iter().map(|r| r.status.as_str()).collect();
    let done = sqlx::query(
        "INSERT INTO build_results (service_id, external_id, package_id, package_name, job, version, system, target,
             compiler, status, service_status, started_at, finished_at, log_url, build_url, evaluation)
         SELECT $1, r.external_id, p.id, r.package_name, r.job, r.version, r.system, r.target, r.compiler, r.status,
             r.service_status, r.started_at, r.finished_at, r.log_url, r.build_url, r.evaluation
         FROM UNNEST($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                     $12::text[], $13::timestamptz[], $14::timestamptz[], $15::text[], $16::text[], $17::text[])
             AS r (external_id, package_name, job, version, system, target, compiler, status, service_status,
                   started_at, finished_at, log_url, build_url, evaluation)
         LEFT JOIN channels c ON c.ecosystem = $2 AND c.name = $3
         LEFT JOIN packages p ON p.channel_id = c.id AND p.name = r.package_name
         ON CONFLICT (service_id, external_id) DO UPDATE SET
             package_id = EXCLUDED.package_id, package_name = EXCLUDED.package_name, job = EXCLUDED.job,
             version = EXCLUDED.version, system = EXCLUDED.system, target = EXCLUDED.target,
             compiler = EXCLUDED.compiler, status = EXCLUDED.status, service_status = EXCLUDED.service_status,
             started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at, log_url = EXCLUDED.log_url,
             build_url = EXCLUDED.build_url, evaluation = EXCLUDED.evaluation, imported_at = now()
         WHERE (build_results.package_id, build_results.package_name, build_results.job, build_results.version,
                build_results.system, build_results.target, build_results.compiler, build_results.status,
                build_results.service_status, build_results.started_at, build_results.finished_at,
                build_results.log_url, build_results.build_url, build_results.evaluation)
           IS DISTINCT FROM
               (EXCLUDED.package_id, EXCLUDED.package_name, EXCLUDED.job, EXCLUDED.version, EXCLUDED.system,
                EXCLUDED.target, EXCLUDED.compiler, EXCLUDED.status, EXCLUDED.service_status, EXCLUDED.started_at,
                EXCLUDED.finished_at, EXCLUDED.log_url, EXCLUDED.build_url, EXCLUDED.evaluation)",
    )
    .bind(service.id)
    .bind(&service.ecosystem)
    .bind(&service.channel)
    .bind(column!(external_id))
    .bind(column!(package_name))
    .bind(column!(job))
    .bind(column!(version))
    .bind(column!(system))
    .bind(column!(target))
    .bind(column!(compiler))
    .bind(status)
    .bind(column!(service_status))
    .bind(column!(started_at))
    .bind(column!(finished_at))
    .bind(column!(log_url))
    .bind(column!(build_url))
    .bind(column!(evaluation))
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() > 0 {
        // Pages show build results: a new catalog generation (announced when
        // the transaction commits) retires the cached ones.
        crate::catalog::generation::bump(&mut **tx).await?;
    }
    Ok(done.rows_affected())
}

/// Splits a derivation name (`hdf5-1.14.5`) into name and version the way
/// Nix does: the version starts at the first `-` followed by a digit.
pub fn split_name_version(drv_name: &str) -> (&str, Option<&str>) {
    let bytes = drv_name.as_bytes();
    for i in 0..bytes.len().saturating_sub(1) {
        if bytes[i] == b'-' && bytes[i + 1].is_ascii_digit() {
            return (&drv_name[..i], Some(&drv_name[i + 1..]));
        }
    }
    (drv_name, None)
}

#[cfg(test)]
mod tests {
    use super::split_name_version;

    #[test]
    fn derivation_names_split_like_nix() {
        assert_eq!(split_name_version("hdf5-1.14.5"), ("hdf5", Some("1.14.5")));
        assert_eq!(split_name_version("python-numpy-1.26.4"), ("python-numpy", Some("1.26.4")));
        assert_eq!(split_name_version("font-gnu-freefont-20120503"), ("font-gnu-freefont", Some("20120503")));
        assert_eq!(split_name_version("hello"), ("hello", None));
        assert_eq!(split_name_version("x-"), ("x-", None));
    }
}
