//! Demo archival results for the demo data set's sources: made up (no
//! request to Software Heritage is made; rows are marked `demo` and the
//! pages label them), about one checkable source in five missing, chosen
//! by the key's hash so loading twice writes nothing. A real check replaces
//! them. Five monthly snapshots before the current one give the trend a
//! shape; they are labelled demo too.
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

use super::{CheckResult, Key, Method, Status};

/// When the made-up checks happened.
const CHECKED_AT: &str = "2026-11-20T12:00:00Z";
/// The made-up earlier snapshots: (revision, date, share of today's archived sources).
const HISTORY: [(&str, &str, f64); 5] = [
    ("demo-2026-06", "2026-06-20T12:00:00Z", 0.55),
    ("demo-2026-07", "2026-07-20T12:00:00Z", 0.66),
    ("demo-2026-08", "2026-08-20T12:00:00Z", 0.74),
    ("demo-2026-09", "2026-09-20T12:00:00Z", 0.86),
    ("demo-2026-10", "2026-10-20T12:00:00Z", 0.93),
];

fn at(t: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(t).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

/// The made-up result of `key`.
pub fn result(key: &str) -> CheckResult {
    let digest = hex::encode(Sha256::digest(format!("pacatlas-demo:{key}").as_bytes()));
    let missing = digest.as_bytes()[0] < b'3'; // 3 of 16 hex digits
    let (status, method, swhid, reason) = match Key::parse(key) {
        None => (Status::Unknown, Method::None, None, Some("unsupported key".to_string())),
        Some(Key::Unknown(reason)) => (Status::Unknown, Method::None, None, Some(reason)),
        Some(k) => {
            let (method, kind, hash) = match &k {
                Key::Revision(c) => (Method::Revision, "rev", c.clone()),
                Key::HgNodeid(_) => (Method::ExtidHgNodeid, "rev", digest[..40].to_string()),
                Key::NarSha256(_) => (Method::ExtidNarSha256, "dir", digest[..40].to_string()),
                Key::Sha256(_) => (Method::ExtidChecksumSha256, "dir", digest[..40].to_string()),
                _ => (Method::OriginVisit, "snp", digest[..40].to_string()),
            };
            if missing {
                (Status::Missing, method, None, None)
            } else {
                (Status::Archived, method, Some(format!("swh:1:{kind}:{hash}")), None)
            }
        }
    };
    CheckResult { key: key.to_string(), status, method, swhid, reason, checked_at: at(CHECKED_AT) }
}

/// Writes the demo results of every source not checked for real, and the
/// snapshots; returns how many results were written.
pub async fn load(pool: &PgPool) -> anyhow::Result<u64> {
    let keys: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT s.archival_key FROM sources s
         WHERE NOT EXISTS (SELECT 1 FROM archival_checks a WHERE a.key = s.archival_key AND NOT a.demo)
         ORDER BY 1",
    )
    .fetch_all(pool)
    .await?;
    let results: Vec<CheckResult> = keys.iter().map(|k| result(k)).collect();
    let mut tx = pool.begin().await?;
    let written = super::write_rows(&mut tx, &results, true).await?;
    tx.commit().await?;
    super::snapshot::take_all(pool, None).await?;
    // The made-up history: the current snapshot's sources, fewer archived.
    for (revision, date, share) in HISTORY {
        sqlx::query(
            "INSERT INTO archival_snapshots (channel_id, revision, taken_at, sources, archived, missing, unknown,
                 error, unchecked, by_type, by_host, hhi, demo)
             SELECT sn.channel_id, $1, $2, sn.sources, round(sn.archived * $3)::bigint,
                    sn.missing + sn.archived - round(sn.archived * $3)::bigint, sn.unknown, sn.error, sn.unchecked,
                    '[]', '[]', sn.hhi, true
             FROM archival_snapshots sn JOIN channels c ON c.id = sn.channel_id
             WHERE sn.revision = c.current_revision AND sn.demo
             ON CONFLICT (channel_id, revision) DO NOTHING",
        )
        .bind(revision)
        .bind(at(date))
        .bind(share)
        .execute(pool)
        .await?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_results_are_stable_and_some_are_missing() {
        let keys: Vec<String> = (0..200).map(|i| format!("sha256:{:064x}", i)).collect();
        let results: Vec<CheckResult> = keys.iter().map(|k| result(k)).collect();
        assert_eq!(results, keys.iter().map(|k| result(k)).collect::<Vec<_>>());
        let missing = results.iter().filter(|r| r.status == Status::Missing).count();
        assert!((20..=60).contains(&missing), "{missing} of 200 missing");
        assert!(results.iter().filter(|r| r.status == Status::Archived).all(|r| r.swhid.is_some()));
        assert_eq!(result("unknown:no-hash").status, Status::Unknown);
    }
}
