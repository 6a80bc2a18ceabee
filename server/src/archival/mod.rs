//! Archival coverage in Software Heritage: every source of every channel
//! checked against the archive by the best method for its kind (`Key`), the
//! latest result per key (`archival_checks`), coverage snapshots per channel
//! revision and the forge concentration of the sources.
pub mod badge;
pub mod check;
pub mod client;
pub mod concentration;
pub mod demo;
pub mod missing;
pub mod read;
pub mod save;
pub mod schedule;
pub mod snapshot;

use chrono::{DateTime, Utc};
use sqlx::{Postgres, Transaction};

/// The SQL expression of a package's archival status, for the package id
/// expression given: `archived` (Software Heritage holds every source),
/// `partly`, `not` (none archived, some missing) or `unknown` (as the badge
/// says it). The search documents and the degraded search use it.
#[macro_export]
macro_rules! archival_status_sql {
    ($id:literal) => {
        concat!(
            "(SELECT CASE WHEN count(*) = 0 THEN 'unknown' ",
            "WHEN bool_and(a.status IS NOT DISTINCT FROM 'archived') THEN 'archived' ",
            "WHEN bool_or(a.status = 'archived') THEN 'partly' ",
            "WHEN bool_or(a.status = 'missing') THEN 'not' ELSE 'unknown' END ",
            "FROM sources s LEFT JOIN archival_checks a ON a.key = s.archival_key WHERE s.package_id = ",
            $id,
            ")"
        )
    };
}

/// What a check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Archived,
    Missing,
    /// Nothing to ask with (no hash, no URL, an unsupported origin).
    Unknown,
    /// The archive could not be asked (timeouts, errors, malformed answers).
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Archived => "archived",
            Status::Missing => "missing",
            Status::Unknown => "unknown",
            Status::Error => "error",
        }
    }
}

/// How a source was looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Revision,
    ExtidHgNodeid,
    ExtidNarSha256,
    ExtidChecksumSha256,
    ContentSha256,
    OriginVisit,
    None,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Revision => "revision",
            Method::ExtidHgNodeid => "extid-hg-nodeid",
            Method::ExtidNarSha256 => "extid-nar-sha256",
            Method::ExtidChecksumSha256 => "extid-checksum-sha256",
            Method::ContentSha256 => "content-sha256",
            Method::OriginVisit => "origin-visit",
            Method::None => "none",
        }
    }
}

/// The identity Software Heritage is asked about: `sources.archival_key`
/// (computed by PostgreSQL from the source row, see migrations/0007).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Revision(String),
    HgNodeid(String),
    NarSha256(String),
    Sha256(String),
    Origin { url: String },
    Unknown(String),
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl Key {
    /// Reads a stored key; `None` for one this version does not know.
    pub fn parse(key: &str) -> Option<Key> {
        let (kind, value) = key.split_once(':')?;
        match kind {
            "revision" if is_hex(value, 40) => Some(Key::Revision(value.into())),
            "hg-nodeid" if is_hex(value, 40) => Some(Key::HgNodeid(value.into())),
            "nar-sha256" if is_hex(value, 64) => Some(Key::NarSha256(value.into())),
            "sha256" if is_hex(value, 64) => Some(Key::Sha256(value.into())),
            "origin" if !value.is_empty() => Some(Key::Origin { url: value.into() }),
            "unknown" => Some(Key::Unknown(value.into())),
            _ => None,
        }
    }
}

/// The result of checking one key.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckResult {
    pub key: String,
    pub status: Status,
    pub method: Method,
    /// `swh:1:…` of the archived object.
    pub swhid: Option<String>,
    pub reason: Option<String>,
    pub checked_at: DateTime<Utc>,
}

/// A well-formed SWHID of an object Pacatlas links to.
pub fn valid_swhid(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("swh:1:") else { return false };
    let Some((kind, hash)) = rest.split_once(':') else { return false };
    matches!(kind, "cnt" | "dir" | "rev" | "rel" | "snp") && is_hex(hash, 40)
}

/// Writes `results` (distinct keys) in `tx`, replacing earlier checks of the
/// same keys (demo ones included). Starts a new catalog generation, so cached
/// pages show them, and records the packages whose sources changed status
/// for the search indexes.
pub async fn write_results(tx: &mut Transaction<'_, Postgres>, results: &[CheckResult]) -> sqlx::Result<u64> {
    write_rows(tx, results, false).await
}

pub(crate) async fn write_rows(
    tx: &mut Transaction<'_, Postgres>,
    results: &[CheckResult],
    demo: bool,
) -> sqlx::Result<u64> {
    if results.is_empty() {
        return Ok(0);
    }
    let keys: Vec<&str> = results.iter().map(|r| r.key.as_str()).collect();
    let status: Vec<&str> = results.iter().map(|r| r.status.as_str()).collect();
    let method: Vec<&str> = results.iter().map(|r| r.method.as_str()).collect();
    let swhid: Vec<Option<&str>> = results.iter().map(|r| r.swhid.as_deref()).collect();
    let reason: Vec<Option<&str>> = results.iter().map(|r| r.reason.as_deref()).collect();
    let at: Vec<DateTime<Utc>> = results.iter().map(|r| r.checked_at).collect();
    // Written rows, and the packages whose sources changed status: the
    // search indexes' archival facet follows them (search_changes).
    let (written, _reindexed): (i64, i64) = sqlx::query_as(
        "WITH r AS (
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
                 AS r (key, status, method, swhid, reason, checked_at)),
         old AS (SELECT c.key, c.status FROM archival_checks c JOIN r ON r.key = c.key),
         up AS (
             INSERT INTO archival_checks (key, status, method, swhid, reason, checked_at, demo)
             SELECT r.key, r.status, r.method, r.swhid, r.reason, r.checked_at, $7 FROM r
             ON CONFLICT (key) DO UPDATE SET status = EXCLUDED.status, method = EXCLUDED.method,
                 swhid = EXCLUDED.swhid, reason = EXCLUDED.reason, checked_at = EXCLUDED.checked_at,
                 demo = EXCLUDED.demo
             WHERE (archival_checks.status, archival_checks.method, archival_checks.swhid, archival_checks.reason,
                    archival_checks.checked_at, archival_checks.demo)
               IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.method, EXCLUDED.swhid, EXCLUDED.reason,
                                 EXCLUDED.checked_at, EXCLUDED.demo)
             RETURNING key, status),
         changed AS (SELECT up.key FROM up LEFT JOIN old ON old.key = up.key
                     WHERE COALESCE(old.status, 'unknown') IS DISTINCT FROM up.status),
         reindexed AS (
             INSERT INTO search_changes (package_id)
             SELECT DISTINCT s.package_id FROM sources s JOIN changed ON s.archival_key = changed.key
             RETURNING 1)
         SELECT (SELECT count(*) FROM up), (SELECT count(*) FROM reindexed)",
    )
    .bind(keys)
    .bind(status)
    .bind(method)
    .bind(swhid)
    .bind(reason)
    .bind(at)
    .bind(demo)
    .fetch_one(&mut **tx)
    .await?;
    if written > 0 {
        crate::catalog::generation::bump(&mut **tx).await?;
    }
    Ok(written as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_by_kind() {
        let commit = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(Key::parse(&format!("revision:{commit}")), Some(Key::Revision(commit.into())));
        assert_eq!(Key::parse("revision:v1.2"), None);
        assert_eq!(
            Key::parse("origin:https://github.com/a/b"),
            Some(Key::Origin { url: "https://github.com/a/b".into() })
        );
        assert_eq!(Key::parse("unknown:no-hash"), Some(Key::Unknown("no-hash".into())));
        assert_eq!(Key::parse("sha256:ABC"), None);
        assert_eq!(Key::parse("nothing"), None);
    }

    #[test]
    fn swhids_are_checked() {
        assert!(valid_swhid("swh:1:dir:0123456789abcdef0123456789abcdef01234567"));
        assert!(!valid_swhid("swh:1:dir:0123"));
        assert!(!valid_swhid("swh:1:ori:0123456789abcdef0123456789abcdef01234567"));
        assert!(!valid_swhid("javascript:alert(1)"));
    }
}
