//! Writing one channel revision into the catalog, in one transaction:
//! packages are compared with what is stored by content hash, so unchanged
//! input writes nothing; new ones are added, changed ones replaced, missing
//! ones marked removed (never deleted) and brought back when they reappear.
use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{types::Json, PgPool, Row};

use super::{model::PackageRecord, write_rows as rows, Ecosystem};

/// What an ingest changed.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Outcome {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Packages whose stored data changed (added, updated, removed, restored):
    /// what a search index must refresh.
    pub changed: Vec<String>,
    /// False when nothing at all was written (same revision, same content).
    pub wrote: bool,
    pub run_id: Option<i64>,
}

/// Describes one ingest for the `ingest_runs` history.
pub struct RunInfo<'a> {
    pub revision: &'a str,
    pub channel_url: Option<&'a str>,
    pub inputs: serde_json::Value,
    pub warnings: &'a [String],
    pub started_at: chrono::DateTime<chrono::Utc>,
}

/// Rows are written per batch of this many packages (progress granularity).
const BATCH: usize = 2_000;

/// Rows are sent as one JSON text parameter and read back with
/// `json_to_recordset` (one parameter per statement, no bind limit; plain
/// `json` parses in one pass, faster than `jsonb` here).
pub(super) fn to_json<T: Serialize>(rows: &T) -> String {
    serde_json::to_string(rows).expect("rows serialise")
}

pub fn content_hash(record: &PackageRecord) -> Vec<u8> {
    let bytes = serde_json::to_vec(record).expect("a package record serialises");
    Sha256::digest(&bytes).to_vec()
}

struct Existing {
    id: i64,
    hash: Vec<u8>,
    removed: bool,
}

/// Applies `packages` (unique names) as the content of `channel` at `run.revision`.
pub async fn apply(
    pool: &PgPool,
    ecosystem: Ecosystem,
    channel: &str,
    packages: &[PackageRecord],
    run: RunInfo<'_>,
    on_batch: &(dyn Fn(usize) + Sync),
) -> Result<Outcome, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO channels (ecosystem, name, url) VALUES ($1, $2, $3) ON CONFLICT (ecosystem, name) DO NOTHING",
    )
    .bind(ecosystem.as_str())
    .bind(channel)
    .bind(run.channel_url)
    .execute(&mut *tx)
    .await?;
    // The row lock serialises concurrent ingests of one channel.
    let row =
        sqlx::query("SELECT id, current_revision, url FROM channels WHERE ecosystem = $1 AND name = $2 FOR UPDATE")
            .bind(ecosystem.as_str())
            .bind(channel)
            .fetch_one(&mut *tx)
            .await?;
    let channel_id: i64 = row.get("id");
    let previous_revision: Option<String> = row.get("current_revision");
    let stored_url: Option<String> = row.get("url");

    let existing: HashMap<String, Existing> =
        sqlx::query("SELECT id, name, content_hash, removed FROM packages WHERE channel_id = $1")
            .bind(channel_id)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|r| {
                (r.get("name"), Existing { id: r.get("id"), hash: r.get("content_hash"), removed: r.get("removed") })
            })
            .collect();

    let mut outcome = Outcome::default();
    let mut to_insert: Vec<(&PackageRecord, Vec<u8>)> = Vec::new();
    let mut to_update: Vec<(i64, &PackageRecord, Vec<u8>)> = Vec::new();
    let mut to_restore: Vec<i64> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::with_capacity(packages.len());
    for p in packages {
        seen.insert(p.name.as_str());
        let hash = content_hash(p);
        match existing.get(&p.name) {
            None => to_insert.push((p, hash)),
            Some(e) if e.hash != hash => to_update.push((e.id, p, hash)),
            Some(e) if e.removed => to_restore.push(e.id),
            Some(_) => outcome.unchanged += 1,
        }
        if existing.get(&p.name).is_some_and(|e| e.removed) {
            outcome.changed.push(p.name.clone());
        }
    }
    let gone: Vec<(i64, &str)> = existing
        .iter()
        .filter(|(name, e)| !e.removed && !seen.contains(name.as_str()))
        .map(|(name, e)| (e.id, name.as_str()))
        .collect();

    outcome.added = to_insert.len() + to_restore.len();
    outcome.updated = to_update.len();
    outcome.removed = gone.len();
    outcome.changed.extend(to_insert.iter().map(|(p, _)| p.name.clone()));
    outcome.changed.extend(to_update.iter().map(|(_, p, _)| p.name.clone()));
    outcome.changed.extend(gone.iter().map(|(_, n)| n.to_string()));
    outcome.changed.sort();
    outcome.changed.dedup();

    let content_changed = outcome.added + outcome.updated + outcome.removed > 0;
    let same_revision = previous_revision.as_deref() == Some(run.revision);
    let url_changed = run.channel_url.is_some() && run.channel_url != stored_url.as_deref();
    if !content_changed && same_revision && !url_changed {
        // Idempotent: the same input again writes nothing at all.
        tx.rollback().await?;
        return Ok(outcome);
    }

    if !gone.is_empty() {
        let ids: Vec<i64> = gone.iter().map(|(id, _)| *id).collect();
        sqlx::query(
            "UPDATE packages SET removed = true, removed_at = now(), last_seen_revision = $2, updated_at = now() WHERE id = ANY($1)",
        )
        .bind(&ids)
        .bind(previous_revision.as_deref())
        .execute(&mut *tx)
        .await?;
    }
    if !to_restore.is_empty() {
        sqlx::query(
            "UPDATE packages SET removed = false, removed_at = NULL, last_seen_revision = NULL, updated_at = now() WHERE id = ANY($1)",
        )
        .bind(&to_restore)
        .execute(&mut *tx)
        .await?;
    }

    // Packages whose search documents must change, recorded in this transaction.
    let mut changed_ids: Vec<i64> = gone.iter().map(|(id, _)| *id).collect();
    changed_ids.extend(&to_restore);
    changed_ids.extend(to_update.iter().map(|(id, _, _)| *id));
    // Their dependencies' documents too: how many packages depend on a
    // package is part of its document (ranking ties), and the dependencies
    // removed, replaced or added here change that count.
    let mut dep_names: HashSet<String> = HashSet::new();
    if !changed_ids.is_empty() {
        let old: Vec<String> = sqlx::query_scalar("SELECT DISTINCT name FROM dependencies WHERE package_id = ANY($1)")
            .bind(&changed_ids)
            .fetch_all(&mut *tx)
            .await?;
        dep_names.extend(old);
    }
    let new_records = to_insert.iter().map(|(p, _)| *p).chain(to_update.iter().map(|(_, p, _)| *p));
    dep_names.extend(new_records.flat_map(|p| p.dependencies.iter().map(|d| d.name.clone())));

    let mut done = 0;
    for chunk in to_update.chunks(BATCH) {
        rows::update_packages(&mut tx, ecosystem, chunk, run.revision).await?;
        done += chunk.len();
        tracing::debug!(done, "ingest batch written");
        on_batch(done);
    }

    for chunk in to_insert.chunks(BATCH) {
        changed_ids.extend(rows::insert_packages(&mut tx, ecosystem, channel_id, chunk, run.revision).await?);
        done += chunk.len();
        tracing::debug!(done, "ingest batch written");
        on_batch(done);
    }

    if !changed_ids.is_empty() || !dep_names.is_empty() {
        let dep_names: Vec<String> = dep_names.into_iter().collect();
        sqlx::query(
            "INSERT INTO search_changes (package_id)
             SELECT unnest($1::bigint[])
             UNION SELECT t.id FROM packages t WHERE t.channel_id = $2 AND t.name = ANY($3)
             UNION SELECT q.id FROM packages t JOIN packages q ON q.project_id = t.project_id
                   WHERE t.channel_id = $2 AND t.name = ANY($3)",
        )
        .bind(&changed_ids)
        .bind(channel_id)
        .bind(&dep_names)
        .execute(&mut *tx)
        .await?;
    }
    // The counts pages show, kept here rather than counted per request:
    // dependents per package (within the channel; only changed rows are
    // written), packages per channel.
    sqlx::query(
        "UPDATE packages p SET dependents_count = COALESCE(c.n, 0)
         FROM packages t LEFT JOIN (
             SELECT d.name, count(DISTINCT d.package_id) FILTER (WHERE q.name <> d.name) AS n
             FROM dependencies d JOIN packages q ON q.id = d.package_id
             WHERE q.channel_id = $1 AND NOT q.removed GROUP BY d.name) c ON c.name = t.name
         WHERE t.id = p.id AND t.channel_id = $1 AND p.dependents_count <> COALESCE(c.n, 0)",
    )
    .bind(channel_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE channels SET current_revision = $2, ingested_at = now(), url = COALESCE($3, url),
                packages_count = (SELECT count(*) FROM packages p WHERE p.channel_id = $1 AND NOT p.removed),
                removed_count = (SELECT count(*) FROM packages p WHERE p.channel_id = $1 AND p.removed)
         WHERE id = $1",
    )
    .bind(channel_id)
    .bind(run.revision)
    .bind(run.channel_url)
    .execute(&mut *tx)
    .await?;
    let duration_ms = (chrono::Utc::now() - run.started_at).num_milliseconds();
    let run_id: i64 = sqlx::query_scalar(
        "INSERT INTO ingest_runs (channel_id, revision, inputs, status, added, updated, removed, unchanged, warnings, started_at, duration_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(channel_id)
    .bind(run.revision)
    .bind(&run.inputs)
    .bind(if content_changed { "changed" } else { "unchanged" })
    .bind(outcome.added as i32)
    .bind(outcome.updated as i32)
    .bind(outcome.removed as i32)
    .bind(outcome.unchanged as i32)
    .bind(Json(run.warnings))
    .bind(run.started_at)
    .bind(duration_ms)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    outcome.wrote = true;
    outcome.run_id = Some(run_id);
    Ok(outcome)
}
