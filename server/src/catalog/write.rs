//! Writing one channel revision into the catalog, in one transaction:
//! packages are compared with what is stored by content hash, so unchanged
//! input writes nothing; new ones are added, changed ones replaced, missing
//! ones marked removed (never deleted) and brought back when they reappear.
use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{types::Json, PgConnection, PgPool, Row};

use super::{
    copy::{self, Cell, CopyRows},
    model::{PackageRecord, SourceRecord},
    names, Ecosystem,
};

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
fn to_json<T: Serialize>(rows: &T) -> String {
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
    sqlx::query("INSERT INTO channels (ecosystem, name, url) VALUES ($1, $2, $3) ON CONFLICT (ecosystem, name) DO NOTHING")
        .bind(ecosystem.as_str())
        .bind(channel)
        .bind(run.channel_url)
        .execute(&mut *tx)
        .await?;
    // The row lock serialises concurrent ingests of one channel.
    let row = sqlx::query("SELECT id, current_revision, url FROM channels WHERE ecosystem = $1 AND name = $2 FOR UPDATE")
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
            .map(|r| (r.get("name"), Existing { id: r.get("id"), hash: r.get("content_hash"), removed: r.get("removed") }))
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
        let ids: Vec<i64> = chunk.iter().map(|(id, _, _)| *id).collect();
        delete_children(&mut tx, &ids).await?;
        let project_ids = upsert_projects(&mut tx, ecosystem, chunk.iter().map(|(_, p, _)| *p)).await?;
        let rows: Vec<PackageRow> = chunk
            .iter()
            .map(|(id, p, hash)| PackageRow::new(ecosystem, Some(*id), p, hash, &project_ids, run.revision))
            .collect();
        sqlx::query(
            "UPDATE packages p SET base_name = x.base_name, pname = x.pname, latest_version = x.latest_version,
                synopsis = x.synopsis, description = x.description, homepage = x.homepage, homepage_host = x.homepage_host,
                repository_url = x.repository_url, location = x.location, build_system = x.build_system, tags = x.tags,
                provides = x.provides, platforms = x.platforms, extra = x.extra, project_id = x.project_id,
                content_hash = decode(x.content_hash, 'hex'), removed = false, removed_at = NULL,
                last_seen_revision = NULL, updated_at = now()
             FROM json_to_recordset($1::json) AS x(id bigint, base_name text, pname text, latest_version text, synopsis text,
                description text, homepage text, homepage_host text, repository_url text, location text, build_system text,
                tags text[], provides text[], platforms text[], extra jsonb, project_id bigint, content_hash text)
             WHERE p.id = x.id",
        )
        .bind(to_json(&rows))
        .execute(&mut *tx)
        .await?;
        let with_ids: Vec<(i64, &PackageRecord)> = chunk.iter().map(|(id, p, _)| (*id, *p)).collect();
        insert_children(&mut tx, &with_ids).await?;
        done += chunk.len();
        tracing::debug!(done, "ingest batch written");
        on_batch(done);
    }

    for chunk in to_insert.chunks(BATCH) {
        let project_ids = upsert_projects(&mut tx, ecosystem, chunk.iter().map(|(p, _)| *p)).await?;
        let rows: Vec<PackageRow> = chunk
            .iter()
            .map(|(p, hash)| PackageRow::new(ecosystem, None, p, hash, &project_ids, run.revision))
            .collect();
        // COPY with ids reserved beforehand (COPY has no RETURNING).
        let ids = copy::reserve_ids(&mut tx, "packages", chunk.len()).await?;
        let mut copy_rows = CopyRows::default();
        for ((id, row), (_, hash)) in ids.iter().zip(&rows).zip(chunk) {
            copy_rows.row(&[
                Cell::Int(*id),
                Cell::Int(channel_id),
                Cell::Text(row.name),
                Cell::Text(&row.base_name),
                row.pname.into(),
                row.latest_version.into(),
                row.synopsis.into(),
                row.description.into(),
                row.homepage.into(),
                row.homepage_host.as_deref().into(),
                row.repository_url.into(),
                row.location.into(),
                row.build_system.into(),
                Cell::TextArray(row.tags),
                Cell::TextArray(row.provides),
                Cell::TextArray(row.platforms),
                Cell::Json(row.extra),
                row.project_id.into(),
                Cell::Bytea(hash),
                Cell::Text(row.first_seen_revision),
            ]);
        }
        copy_rows
            .copy_into(
                &mut tx,
                "packages (id, channel_id, name, base_name, pname, latest_version, synopsis, description, homepage, \
                 homepage_host, repository_url, location, build_system, tags, provides, platforms, extra, project_id, \
                 content_hash, first_seen_revision)",
            )
            .await?;
        let with_ids: Vec<(i64, &PackageRecord)> = ids.iter().zip(chunk).map(|(id, (p, _))| (*id, *p)).collect();
        changed_ids.extend(with_ids.iter().map(|(id, _)| *id));
        insert_children(&mut tx, &with_ids).await?;
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
    // The counts pages show, kept here rather than counted per request.
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

#[derive(Serialize)]
struct PackageRow<'a> {
    id: Option<i64>,
    name: &'a str,
    base_name: String,
    pname: Option<&'a str>,
    latest_version: Option<&'a str>,
    synopsis: Option<&'a str>,
    description: Option<&'a str>,
    homepage: Option<&'a str>,
    homepage_host: Option<String>,
    repository_url: Option<&'a str>,
    location: Option<&'a str>,
    build_system: Option<&'a str>,
    tags: &'a [String],
    provides: &'a [String],
    platforms: &'a [String],
    extra: &'a serde_json::Map<String, serde_json::Value>,
    project_id: Option<i64>,
    content_hash: String,
    first_seen_revision: &'a str,
}

impl<'a> PackageRow<'a> {
    fn new(
        ecosystem: Ecosystem,
        id: Option<i64>,
        p: &'a PackageRecord,
        hash: &[u8],
        projects: &HashMap<String, i64>,
        revision: &'a str,
    ) -> Self {
        Self {
            id,
            name: &p.name,
            base_name: names::base_name(ecosystem, &p.name),
            pname: p.pname.as_deref(),
            latest_version: p.latest_version.as_deref(),
            synopsis: p.synopsis.as_deref(),
            description: p.description.as_deref(),
            homepage: p.homepage.as_deref(),
            homepage_host: p.homepage.as_deref().and_then(names::host),
            repository_url: p.repository_url.as_deref(),
            location: p.location.as_deref(),
            build_system: p.build_system.as_deref(),
            tags: &p.tags,
            provides: &p.provides,
            platforms: &p.platforms,
            extra: &p.extra,
            project_id: projects.get(&names::project_key(ecosystem, &p.name)).copied(),
            content_hash: hex::encode(hash),
            first_seen_revision: revision,
        }
    }
}

/// Creates the projects these packages belong to; returns key → id.
async fn upsert_projects(
    tx: &mut PgConnection,
    ecosystem: Ecosystem,
    packages: impl Iterator<Item = &PackageRecord>,
) -> Result<HashMap<String, i64>, sqlx::Error> {
    #[derive(Serialize)]
    struct Row<'a> {
        key: String,
        name: String,
        homepage: Option<&'a str>,
    }
    let mut rows: Vec<Row> = packages
        .map(|p| Row {
            key: names::project_key(ecosystem, &p.name),
            name: names::base_name(ecosystem, &p.name),
            homepage: p.homepage.as_deref(),
        })
        .filter(|r| !r.key.is_empty())
        .collect();
    rows.sort_by(|a, b| a.key.cmp(&b.key));
    rows.dedup_by(|a, b| a.key == b.key);
    sqlx::query(
        "INSERT INTO projects (key, name, homepage)
         SELECT x.key, x.name, x.homepage FROM json_to_recordset($1::json) AS x(key text, name text, homepage text)
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(to_json(&rows))
    .execute(&mut *tx)
    .await?;
    let keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
    Ok(sqlx::query("SELECT id, key FROM projects WHERE key = ANY($1)")
        .bind(&keys)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|r| (r.get("key"), r.get("id")))
        .collect())
}

async fn delete_children(tx: &mut PgConnection, ids: &[i64]) -> Result<(), sqlx::Error> {
    for table in ["sources", "package_versions", "package_licenses", "package_maintainers", "dependencies", "variants"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE package_id = ANY($1)"))
            .bind(ids)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Versions, sources, licences, maintainers, dependencies and variants of
/// freshly inserted (or emptied) packages. The large tables go through COPY.
async fn insert_children(tx: &mut PgConnection, packages: &[(i64, &PackageRecord)]) -> Result<(), sqlx::Error> {
    let version_count = packages.iter().map(|(_, p)| p.versions.len()).sum();
    let mut version_ids = copy::reserve_ids(tx, "package_versions", version_count).await?.into_iter();
    let mut versions = CopyRows::default();
    let mut sources = CopyRows::default();
    let mut source_row = |package_id: i64, version_id: Option<i64>, s: &SourceRecord| {
        let forge = s.primary_url().and_then(names::forge_host);
        sources.row(&[
            Cell::Int(package_id),
            version_id.into(),
            Cell::Text(s.origin.as_str()),
            Cell::TextArray(&s.urls),
            s.git_url.as_deref().into(),
            s.git_ref.as_deref().into(),
            s.git_commit.as_deref().into(),
            s.sha256.as_deref().into(),
            s.nar_sha256.as_deref().into(),
            s.integrity.as_deref().into(),
            forge.as_deref().into(),
        ]);
    };
    for (id, p) in packages {
        for s in &p.sources {
            source_row(*id, None, s);
        }
        for (i, v) in p.versions.iter().enumerate() {
            let vid = version_ids.next().expect("one id reserved per version");
            versions.row(&[
                Cell::Int(vid),
                Cell::Int(*id),
                Cell::Int(i as i64),
                Cell::Text(&v.version),
                Cell::Bool(v.deprecated),
                Cell::Bool(v.preferred),
            ]);
            for s in &v.sources {
                source_row(*id, Some(vid), s);
            }
        }
    }
    versions.copy_into(tx, "package_versions (id, package_id, position, version, deprecated, preferred)").await?;
    sources
        .copy_into(
            tx,
            "sources (package_id, version_id, origin_type, urls, git_url, git_ref, git_commit, sha256, nar_sha256, integrity, forge_host)",
        )
        .await?;

    let mut licenses = CopyRows::default();
    let mut deps = CopyRows::default();
    let mut variants = CopyRows::default();
    for (id, p) in packages {
        for (i, l) in p.licenses.iter().enumerate() {
            licenses.row(&[
                Cell::Int(*id),
                Cell::Int(i as i64),
                Cell::Text(&l.raw),
                l.spdx.as_deref().into(),
                l.condition.as_deref().into(),
            ]);
        }
        for (i, d) in p.dependencies.iter().enumerate() {
            deps.row(&[
                Cell::Int(*id),
                Cell::Int(i as i64),
                Cell::Text(&d.name),
                Cell::TextArray(&d.kinds),
                d.spec.as_deref().into(),
                d.condition.as_deref().into(),
            ]);
        }
        for (i, v) in p.variants.iter().enumerate() {
            variants.row(&[
                Cell::Int(*id),
                Cell::Int(i as i64),
                Cell::Text(&v.name),
                v.default.as_deref().into(),
                v.description.as_deref().into(),
                v.values.as_deref().into(),
            ]);
        }
    }
    licenses.copy_into(tx, "package_licenses (package_id, position, raw, spdx, condition)").await?;
    deps.copy_into(tx, "dependencies (package_id, position, name, kinds, spec, condition)").await?;
    variants
        .copy_into(tx, "variants (package_id, position, name, default_value, description, allowed_values)")
        .await?;

    #[derive(Serialize)]
    struct MaintainerRow<'a> {
        package_id: i64,
        forge: &'a str,
        handle: &'a str,
        name: Option<&'a str>,
    }
    let maintainers: Vec<MaintainerRow> = packages
        .iter()
        .flat_map(|(id, p)| {
            p.maintainers.iter().map(move |m| MaintainerRow {
                package_id: *id,
                forge: &m.forge,
                handle: &m.handle,
                name: m.name.as_deref(),
            })
        })
        .collect();
    if !maintainers.is_empty() {
        sqlx::query(
            "INSERT INTO maintainers (forge, handle, name)
             SELECT DISTINCT ON (x.forge, lower(x.handle)) x.forge, x.handle, x.name
             FROM json_to_recordset($1::json) AS x(package_id bigint, forge text, handle text, name text)
             ON CONFLICT (forge, lower(handle)) DO NOTHING",
        )
        .bind(to_json(&maintainers))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO package_maintainers (package_id, maintainer_id)
             SELECT DISTINCT x.package_id, m.id
             FROM json_to_recordset($1::json) AS x(package_id bigint, forge text, handle text, name text)
             JOIN maintainers m ON m.forge = x.forge AND lower(m.handle) = lower(x.handle)
             ON CONFLICT DO NOTHING",
        )
        .bind(to_json(&maintainers))
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
