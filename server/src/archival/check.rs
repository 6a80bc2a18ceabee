//! `pacatlas archival check`: every source key not checked within the window
//! is looked up in Software Heritage by the best method for its kind, in
//! batches: each batch is written in one transaction as soon as it is done,
//! so a killed run loses at most one batch and a rerun continues where it
//! stopped. Keys are read page by page (keyset), so memory stays flat
//! however many sources there are. Coverage snapshots are taken at the end.
use std::{fmt, time::Duration};

use chrono::Utc;
use futures_util::{stream, StreamExt};
use sqlx::PgPool;

use super::{
    client::{Client, LookupError},
    CheckResult, Key, Method, Status,
};
use crate::ingest::Progress;

/// What to check.
#[derive(Debug, Clone)]
pub struct Options {
    /// Only the sources of this channel (`name` or `ecosystem/name`).
    pub channel: Option<String>,
    /// Keys checked more recently than this are not checked again (errors always are).
    pub stale_after: Duration,
    /// At most this many keys.
    pub limit: Option<u64>,
    /// Keys per batch (one transaction each).
    pub batch: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self { channel: None, stale_after: Duration::from_secs(30 * 86_400), limit: None, batch: 500 }
    }
}

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Summary {
    pub checked: u64,
    pub archived: u64,
    pub missing: u64,
    pub unknown: u64,
    pub error: u64,
    /// HTTP requests sent (retries included).
    pub requests: u64,
    pub snapshots: u64,
    pub seconds: f64,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} sources checked: {} archived, {} missing, {} unknown, {} errors ({} requests, {} snapshots) in {:.1}s",
            self.checked,
            self.archived,
            self.missing,
            self.unknown,
            self.error,
            self.requests,
            self.snapshots,
            self.seconds
        )
    }
}

/// The sources' keys due for a check, in key order after `after`.
const DUE: &str = "SELECT DISTINCT s.archival_key
    FROM sources s JOIN packages p ON p.id = s.package_id JOIN channels c ON c.id = p.channel_id
    WHERE NOT p.removed
      AND ($1::text IS NULL OR c.name = $1 OR c.ecosystem || '/' || c.name = $1)
      AND s.archival_key > $2
      -- `a.key > $2` (implied) lets the anti-join start where the keyset is, not at the first check.
      AND NOT EXISTS (SELECT 1 FROM archival_checks a WHERE a.key = s.archival_key AND a.key > $2 AND NOT a.demo
                      AND a.status <> 'error' AND a.checked_at > now() - make_interval(secs => $3))
    ORDER BY s.archival_key
    LIMIT $4";

/// How many keys are due (for the progress bar).
async fn due_count(pool: &PgPool, options: &Options) -> sqlx::Result<i64> {
    sqlx::query_scalar(&format!("SELECT count(*) FROM ({}) d", DUE.replace("LIMIT $4", "")))
        .bind(options.channel.as_deref())
        .bind("")
        .bind(options.stale_after.as_secs_f64())
        .fetch_one(pool)
        .await
}

/// Checks the due keys and takes the coverage snapshots.
pub async fn run(
    pool: &PgPool,
    client: &Client,
    options: &Options,
    progress: &dyn Progress,
) -> anyhow::Result<Summary> {
    let started = std::time::Instant::now();
    let requests_before = client.requests();
    if let Some(channel) = &options.channel {
        let exists: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM channels c WHERE c.name = $1 OR c.ecosystem || '/' || c.name = $1)",
        )
        .bind(channel)
        .fetch_one(pool)
        .await?;
        if !exists {
            anyhow::bail!("no channel {channel:?} (give its name, or ecosystem/name)");
        }
    }
    let due = due_count(pool, options).await?;
    let total = options.limit.map_or(due as u64, |l| l.min(due as u64));
    progress.start("archival", total);
    let mut summary = Summary::default();
    let mut after = String::new();
    let batch = options.batch.max(1);
    while summary.checked < total {
        let want = (total - summary.checked).min(batch as u64) as i64;
        let keys: Vec<String> = sqlx::query_scalar(DUE)
            .bind(options.channel.as_deref())
            .bind(&after)
            .bind(options.stale_after.as_secs_f64())
            .bind(want)
            .fetch_all(pool)
            .await?;
        let Some(last) = keys.last() else { break };
        after = last.clone();
        // The futures are made before the stream (a closure in the stream
        // would keep `run`'s future from being Send, as `serve` needs).
        let lookups: Vec<_> = keys.iter().map(|k| check_key(client, k)).collect();
        let results: Vec<CheckResult> =
            stream::iter(lookups).buffer_unordered(client_parallelism(client)).collect().await;
        let mut tx = pool.begin().await?;
        super::write_results(&mut tx, &results).await?;
        tx.commit().await?;
        for r in &results {
            match r.status {
                Status::Archived => summary.archived += 1,
                Status::Missing => summary.missing += 1,
                Status::Unknown => summary.unknown += 1,
                Status::Error => summary.error += 1,
            }
        }
        summary.checked += results.len() as u64;
        progress.set(summary.checked);
    }
    progress.finish();
    summary.snapshots = super::snapshot::take_all(pool, options.channel.as_deref()).await?;
    summary.requests = client.requests() - requests_before;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// More lookups in flight than the client lets through only queue; a few
/// more keep it busy while results are collected.
fn client_parallelism(client: &Client) -> usize {
    client.concurrency() * 2
}

/// Checks one key by the method of its kind.
pub async fn check_key(client: &Client, key: &str) -> CheckResult {
    let (status, method, swhid, reason) = match Key::parse(key) {
        None => (Status::Unknown, Method::None, None, Some(format!("unsupported key {key:?}"))),
        Some(Key::Unknown(reason)) => (Status::Unknown, Method::None, None, Some(reason)),
        Some(Key::Revision(sha1)) => verdict(Method::Revision, client.revision(&sha1).await),
        Some(Key::HgNodeid(hex)) => verdict(Method::ExtidHgNodeid, client.extid("hg-nodeid", &hex).await),
        Some(Key::NarSha256(hex)) => verdict(Method::ExtidNarSha256, client.extid("nar-sha256", &hex).await),
        Some(Key::Sha256(hex)) => match client.extid("checksum-sha256", &hex).await {
            Ok(None) => verdict(Method::ContentSha256, client.content_sha256(&hex).await),
            other => verdict(Method::ExtidChecksumSha256, other),
        },
        Some(Key::Origin { url }) => verdict(Method::OriginVisit, client.origin_visit(&url).await),
    };
    CheckResult { key: key.to_string(), status, method, swhid, reason, checked_at: Utc::now() }
}

type Verdict = (Status, Method, Option<String>, Option<String>);

fn verdict(method: Method, found: Result<Option<String>, LookupError>) -> Verdict {
    match found {
        Ok(Some(swhid)) => (Status::Archived, method, Some(swhid), None),
        Ok(None) => (Status::Missing, method, None, None),
        Err(e) => (Status::Error, method, None, Some(e.0)),
    }
}
