//! Coverage snapshots: per channel revision, the sources of its present
//! packages counted by archival status, by origin type and by host, with the
//! hosts' concentration index. Taken after every check run (again at the same
//! revision, it replaces the earlier one), kept over time for the trend.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::PgPool;

use super::concentration::{self, HostCount};

/// Sources of one kind (an origin type, or all) counted by status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub sources: i64,
    pub archived: i64,
    pub missing: i64,
    pub unknown: i64,
    pub error: i64,
    pub unchecked: i64,
}

impl Counts {
    fn add(&mut self, status: &str, n: i64) {
        self.sources += n;
        match status {
            "archived" => self.archived += n,
            "missing" => self.missing += n,
            "unknown" => self.unknown += n,
            "error" => self.error += n,
            _ => self.unchecked += n,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeCounts {
    pub origin_type: String,
    #[serde(flatten)]
    pub counts: Counts,
}

/// One group of a channel's sources: same origin type, host and status.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Group {
    pub origin_type: String,
    pub host: Option<String>,
    /// archived, missing, unknown, error, or unchecked.
    pub status: String,
    pub demo: bool,
    pub n: i64,
}

/// A snapshot's numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub all: Counts,
    pub by_type: Vec<TypeCounts>,
    /// Most sources first; sources without a host are not counted here.
    pub by_host: Vec<HostCount>,
    pub hhi: f64,
    pub demo: bool,
}

/// Adds the groups up.
pub fn summarise(groups: &[Group]) -> Summary {
    let mut all = Counts::default();
    let mut by_type: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut by_host: BTreeMap<&str, HostCount> = BTreeMap::new();
    for g in groups {
        all.add(&g.status, g.n);
        by_type.entry(&g.origin_type).or_default().add(&g.status, g.n);
        if let Some(host) = &g.host {
            let h = by_host.entry(host).or_insert(HostCount { host: host.clone(), sources: 0, unarchived: 0 });
            h.sources += g.n;
            if g.status != "archived" {
                h.unarchived += g.n;
            }
        }
    }
    let by_host = concentration::merge(by_host.into_values());
    let hhi = concentration::hhi(&by_host.iter().map(|h| h.sources).collect::<Vec<_>>());
    Summary {
        all,
        by_type: by_type.into_iter().map(|(t, counts)| TypeCounts { origin_type: t.to_string(), counts }).collect(),
        by_host,
        hhi,
        demo: groups.iter().any(|g| g.demo),
    }
}

/// The groups of channel `channel_id`'s present packages' sources.
pub async fn groups(pool: &PgPool, channel_id: i64) -> sqlx::Result<Vec<Group>> {
    sqlx::query_as(
        "SELECT s.origin_type, s.forge_host AS host, COALESCE(a.status, 'unchecked') AS status,
                COALESCE(bool_or(a.demo), false) AS demo, count(*) AS n
         FROM sources s JOIN packages p ON p.id = s.package_id
         LEFT JOIN archival_checks a ON a.key = s.archival_key
         WHERE p.channel_id = $1 AND NOT p.removed
         GROUP BY 1, 2, 3",
    )
    .bind(channel_id)
    .fetch_all(pool)
    .await
}

/// Takes the snapshot of one channel at its current revision; `false` when
/// the channel has none, or when the snapshot of this revision says the same.
pub async fn take(pool: &PgPool, channel_id: i64) -> sqlx::Result<bool> {
    let s = summarise(&groups(pool, channel_id).await?);
    let done = sqlx::query(
        "INSERT INTO archival_snapshots (channel_id, revision, taken_at, sources, archived, missing, unknown, error,
             unchecked, by_type, by_host, hhi, demo)
         SELECT c.id, c.current_revision, now(), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11
         FROM channels c WHERE c.id = $1 AND c.current_revision IS NOT NULL
         ON CONFLICT (channel_id, revision) DO UPDATE SET taken_at = EXCLUDED.taken_at, sources = EXCLUDED.sources,
             archived = EXCLUDED.archived, missing = EXCLUDED.missing, unknown = EXCLUDED.unknown,
             error = EXCLUDED.error, unchecked = EXCLUDED.unchecked, by_type = EXCLUDED.by_type,
             by_host = EXCLUDED.by_host, hhi = EXCLUDED.hhi, demo = EXCLUDED.demo
         WHERE (archival_snapshots.sources, archival_snapshots.archived, archival_snapshots.missing,
                archival_snapshots.unknown, archival_snapshots.error, archival_snapshots.unchecked,
                archival_snapshots.by_type, archival_snapshots.by_host, archival_snapshots.demo)
           IS DISTINCT FROM (EXCLUDED.sources, EXCLUDED.archived, EXCLUDED.missing, EXCLUDED.unknown,
                             EXCLUDED.error, EXCLUDED.unchecked, EXCLUDED.by_type, EXCLUDED.by_host, EXCLUDED.demo)",
    )
    .bind(channel_id)
    .bind(s.all.sources)
    .bind(s.all.archived)
    .bind(s.all.missing)
    .bind(s.all.unknown)
    .bind(s.all.error)
    .bind(s.all.unchecked)
    .bind(sqlx::types::Json(&s.by_type))
    .bind(sqlx::types::Json(&s.by_host))
    .bind(s.hhi)
    .bind(s.demo)
    .execute(pool)
    .await?;
    if done.rows_affected() > 0 {
        // /archival shows snapshots: a new generation retires its cached page.
        crate::catalog::generation::bump(pool).await?;
    }
    Ok(done.rows_affected() > 0)
}

/// Takes the snapshots of every channel, or of `channel` (`name` or
/// `ecosystem/name`); returns how many were taken.
pub async fn take_all(pool: &PgPool, channel: Option<&str>) -> sqlx::Result<u64> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM channels c WHERE $1::text IS NULL OR c.name = $1 OR c.ecosystem || '/' || c.name = $1
         ORDER BY id",
    )
    .bind(channel)
    .fetch_all(pool)
    .await?;
    let mut taken = 0;
    for id in ids {
        taken += u64::from(take(pool, id).await?);
    }
    Ok(taken)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(origin_type: &str, host: Option<&str>, status: &str, n: i64) -> Group {
        Group { origin_type: origin_type.into(), host: host.map(str::to_string), status: status.into(), demo: false, n }
    }

    #[test]
    fn snapshot_arithmetic_on_a_small_known_example() {
        let s = summarise(&[
            g("url", Some("github.com"), "archived", 4),
            g("git", Some("github.com"), "missing", 2),
            g("git", Some("gitlab.inria.fr"), "archived", 3),
            g("url", Some("gnu"), "unchecked", 1),
            g("other", None, "unknown", 2),
            g("url", Some("gnu"), "error", 0),
        ]);
        assert_eq!(s.all, Counts { sources: 12, archived: 7, missing: 2, unknown: 2, error: 0, unchecked: 1 });
        let git = s.by_type.iter().find(|t| t.origin_type == "git").unwrap();
        assert_eq!(git.counts, Counts { sources: 5, archived: 3, missing: 2, ..Default::default() });
        let url = s.by_type.iter().find(|t| t.origin_type == "url").unwrap();
        assert_eq!((url.counts.sources, url.counts.unchecked), (5, 1));
        // Hosts: github.com 6 (2 unarchived), gitlab.inria.fr 3, gnu 1 (unarchived); 10 with a host.
        assert_eq!(
            s.by_host,
            [
                HostCount { host: "github.com".into(), sources: 6, unarchived: 2 },
                HostCount { host: "gitlab.inria.fr".into(), sources: 3, unarchived: 0 },
                HostCount { host: "gnu".into(), sources: 1, unarchived: 1 },
            ]
        );
        // Shares 60 %, 30 %, 10 %.
        assert!((s.hhi - 4600.0).abs() < 1e-9, "{}", s.hhi);
        assert!(!s.demo);
    }
}
