//! Recomputing every project's criticality: the package graph and the
//! per-project facts are read in one REPEATABLE READ snapshot (graph by
//! COPY), dependents counted in memory (`graph`), scores and ranks given
//! (`score`), then the table is replaced in one transaction and vacuumed.
//! One computation at a time: a session advisory lock; a second one skips.
use std::{collections::HashMap, fmt, time::Instant};

use sqlx::{Connection, Executor, PgConnection, PgPool};

use super::{
    catalog_graph::{copy_pairs, count, Counted, GraphCounts, EDGES, NODES},
    score::{self, Facts},
};
use crate::catalog::copy::{Cell, CopyRows};
use crate::ingest::Progress;

/// The advisory lock key of the computation ("crit" in ASCII).
const LOCK: i64 = 0x6372_6974;
/// Tags offered by the list's filter.
const FILTER_TAGS: i64 = 40;

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Done(Summary),
    /// Another computation holds the lock.
    Skipped,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub packages: u64,
    pub edges: u64,
    pub projects: u64,
    pub cycles: u64,
    pub largest_cycle: u64,
    /// Projects on the critical-but-unfunded list.
    pub listed: u64,
    pub read_ms: u64,
    pub compute_ms: u64,
    pub write_ms: u64,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "criticality of {} projects from {} packages and {} dependencies ({} cycles, the largest of {} packages): \
             {} on the critical-but-unfunded list; read {:.1}s, computed {:.1}s, written {:.1}s",
            self.projects,
            self.packages,
            self.edges,
            self.cycles,
            self.largest_cycle,
            self.listed,
            self.read_ms as f64 / 1000.0,
            self.compute_ms as f64 / 1000.0,
            self.write_ms as f64 / 1000.0
        )
    }
}

/// What a project is, besides its graph.
#[derive(sqlx::FromRow)]
struct ProjectRow {
    project_id: i64,
    packages: i32,
    ecosystems: Vec<String>,
    tags: Vec<String>,
    maintainers: i32,
    funded: bool,
    ci_packages: i32,
    ci_failing: i32,
    sources_checked: i32,
    sources_archived: i32,
    primary_package_id: i64,
}

/// Per project with a present package: its ecosystems and tags, maintainers
/// (declared, plus claimants matching none of them), funding (an active
/// sponsorship of the project, of one of its packages, or of a declared
/// maintainer of one), CI and archival counts, and the package most
/// depended on. Active claims: verified or approved, by users not disabled.
const FACTS: &str = "
WITH pkg AS (
    SELECT p.id, p.project_id, c.ecosystem, p.tags, p.dependents_count
    FROM packages p JOIN channels c ON c.id = p.channel_id
    WHERE NOT p.removed AND p.project_id IS NOT NULL),
base AS (
    SELECT project_id, count(*)::int AS packages,
           array_agg(DISTINCT ecosystem ORDER BY ecosystem) AS ecosystems,
           (array_agg(id ORDER BY dependents_count DESC, id))[1] AS primary_package_id
    FROM pkg GROUP BY project_id),
tagged AS (
    SELECT pkg.project_id, array_agg(DISTINCT t ORDER BY t) AS tags
    FROM pkg, unnest(pkg.tags) t GROUP BY pkg.project_id),
declared AS (
    SELECT DISTINCT pkg.project_id, pm.maintainer_id
    FROM pkg JOIN package_maintainers pm ON pm.package_id = pkg.id),
claimants AS (
    SELECT DISTINCT COALESCE(c.project_id, pkg.project_id) AS project_id, c.user_id
    FROM claims c JOIN users u ON u.id = c.user_id AND u.disabled_at IS NULL
    LEFT JOIN pkg ON pkg.id = c.package_id
    WHERE c.status IN ('verified', 'approved') AND COALESCE(c.project_id, pkg.project_id) IS NOT NULL),
people AS (
    SELECT project_id, count(*) AS n FROM (
        SELECT project_id FROM declared
        UNION ALL
        SELECT k.project_id FROM claimants k
        WHERE NOT EXISTS (
            SELECT 1 FROM identities i
            JOIN maintainers m ON m.forge = i.forge AND lower(m.handle) = lower(i.handle)
            JOIN declared d ON d.maintainer_id = m.id AND d.project_id = k.project_id
            WHERE i.user_id = k.user_id)) x
    GROUP BY project_id),
active AS (
    SELECT project_id, package_id, maintainer_id FROM sponsorships
    WHERE ends_on IS NULL OR ends_on >= current_date),
funded AS (
    SELECT project_id FROM active WHERE project_id IS NOT NULL
    UNION
    SELECT p.project_id FROM active a JOIN packages p ON p.id = a.package_id
    UNION
    SELECT d.project_id FROM active a JOIN declared d ON d.maintainer_id = a.maintainer_id),
ci AS (
    SELECT pkg.project_id, count(*)::int AS ci_packages,
           (count(*) FILTER (WHERE pc.status = 'failing'))::int AS ci_failing
    FROM pkg JOIN package_ci pc ON pc.package_id = pkg.id GROUP BY pkg.project_id),
archival AS (
    SELECT pkg.project_id,
           (count(*) FILTER (WHERE x.status IN ('archived', 'missing')))::int AS sources_checked,
           (count(*) FILTER (WHERE x.status = 'archived'))::int AS sources_archived
    FROM pkg JOIN sources s ON s.package_id = pkg.id JOIN archival_checks x ON x.key = s.archival_key
    GROUP BY pkg.project_id)
SELECT b.project_id, b.packages, b.ecosystems, COALESCE(t.tags, '{}') AS tags,
       COALESCE(pe.n, 0)::int AS maintainers, f.project_id IS NOT NULL AS funded,
       COALESCE(ci.ci_packages, 0) AS ci_packages, COALESCE(ci.ci_failing, 0) AS ci_failing,
       COALESCE(a.sources_checked, 0) AS sources_checked, COALESCE(a.sources_archived, 0) AS sources_archived,
       b.primary_package_id
FROM base b
LEFT JOIN tagged t ON t.project_id = b.project_id
LEFT JOIN people pe ON pe.project_id = b.project_id
LEFT JOIN (SELECT DISTINCT project_id FROM funded) f ON f.project_id = b.project_id
LEFT JOIN ci ON ci.project_id = b.project_id
LEFT JOIN archival a ON a.project_id = b.project_id
ORDER BY b.project_id";

/// Recomputes every project's criticality, unless another computation runs.
pub async fn recompute(pool: &PgPool, progress: &dyn Progress) -> Result<Outcome, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)").bind(LOCK).fetch_one(&mut *conn).await?;
    if !locked {
        return Ok(Outcome::Skipped);
    }
    let result = run(pool, &mut conn, progress).await;
    let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)").bind(LOCK).execute(&mut *conn).await;
    if unlocked.is_err() {
        // Closing the session releases the lock.
        let _ = conn.detach().close().await;
    }
    let summary = result?;
    progress.message("vacuuming and analysing project_criticality");
    let mut conn = pool.acquire().await?;
    conn.execute("SET statement_timeout = 0").await?;
    let vacuumed = conn.execute("VACUUM (ANALYZE) project_criticality").await;
    conn.execute("RESET statement_timeout").await?;
    vacuumed?;
    Ok(Outcome::Done(summary))
}

async fn run(pool: &PgPool, conn: &mut PgConnection, progress: &dyn Progress) -> Result<Summary, sqlx::Error> {
    let started = Instant::now();
    progress.message("reading the dependency graph and the projects' maintainers, funding, CI and archival state");
    let mut tx = conn.begin().await?;
    tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").await?;
    tx.execute("SET LOCAL statement_timeout = 0").await?;
    let (generation, snapshot): (i64, String) =
        sqlx::query_as("SELECT generation, pg_export_snapshot() FROM catalog_state").fetch_one(&mut *tx).await?;
    // The facts on a second connection, in the same snapshot, while the
    // graph is read and counted on this one.
    let facts = tokio::spawn(read_facts(pool.clone(), snapshot));
    let nodes = copy_pairs(&mut tx, NODES).await?;
    let edges = copy_pairs(&mut tx, EDGES).await?;
    let graph_read_ms = started.elapsed().as_millis() as u64;
    progress.message(&format!("counting dependents over {} packages and {} dependencies", nodes.len(), edges.len()));
    let computing = Instant::now();
    let counted = tokio::task::spawn_blocking(move || count(nodes, edges))
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("criticality computation failed: {e}")))?;
    let compute_ms = computing.elapsed().as_millis() as u64;
    let projects = facts.await.map_err(|e| sqlx::Error::Protocol(format!("criticality facts failed: {e}")))??;
    tx.commit().await?;
    let read_ms = (started.elapsed().as_millis() as u64).saturating_sub(compute_ms);
    let (summary_counts, rows) = scored(counted, projects);
    tracing::debug!(graph_read_ms, read_ms, compute_ms, "criticality read and counted");

    progress.message(&format!("writing the criticality of {} projects", rows.len()));
    let writing = Instant::now();
    let listed = write(conn, generation, &summary_counts, &rows, started.elapsed().as_millis() as u64).await?;
    Ok(Summary {
        packages: summary_counts.packages,
        edges: summary_counts.edges,
        projects: rows.len() as u64,
        cycles: summary_counts.cycles,
        largest_cycle: summary_counts.largest_cycle,
        listed,
        read_ms,
        compute_ms,
        write_ms: writing.elapsed().as_millis() as u64,
    })
}

/// The projects' facts, read in the snapshot `snapshot` exported by the
/// graph's transaction.
async fn read_facts(pool: PgPool, snapshot: String) -> Result<Vec<ProjectRow>, sqlx::Error> {
    // A snapshot id is hex digits and dashes: nothing else is put in the statement.
    if snapshot.is_empty() || !snapshot.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(sqlx::Error::Protocol(format!("unexpected snapshot id {snapshot:?}")));
    }
    let mut tx = pool.begin().await?;
    tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").await?;
    tx.execute(format!("SET TRANSACTION SNAPSHOT '{snapshot}'").as_str()).await?;
    tx.execute("SET LOCAL statement_timeout = 0").await?;
    let rows = sqlx::query_as(FACTS).fetch_all(&mut *tx).await?;
    tx.commit().await?;
    Ok(rows)
}

/// A row as stored (without its time), to tell what changed.
#[derive(sqlx::FromRow, PartialEq)]
struct StoredRow {
    project_id: i64,
    direct_dependents: i64,
    transitive_dependents: i64,
    packages: i32,
    ecosystems: Vec<String>,
    tags: Vec<String>,
    maintainers: i32,
    funded: bool,
    ci_packages: i32,
    ci_failing: i32,
    sources_checked: i32,
    sources_archived: i32,
    primary_package_id: Option<i64>,
    score: f64,
    rank: i32,
}

const STORED_COLUMNS: &str = "project_id, direct_dependents, transitive_dependents, packages, ecosystems, tags, \
    maintainers, funded, ci_packages, ci_failing, sources_checked, sources_archived, primary_package_id, score, rank";

/// One project's computed row.
struct Computed {
    facts: ProjectRow,
    direct: u64,
    transitive: u64,
    score: f64,
    rank: i32,
}

/// Each project's counts and facts, its score and its rank.
fn scored(c: Counted, projects: Vec<ProjectRow>) -> (GraphCounts, Vec<Computed>) {
    let mut rows: Vec<Computed> = projects
        .into_iter()
        .map(|facts| {
            let i = c.project_ids.binary_search(&facts.project_id).ok();
            let f = Facts {
                direct: i.map_or(0, |i| c.direct[i]),
                transitive: i.map_or(0, |i| c.transitive[i]),
                ecosystems: facts.ecosystems.len() as u32,
                maintainers: facts.maintainers.max(0) as u32,
                ci_packages: facts.ci_packages.max(0) as u32,
                ci_failing: facts.ci_failing.max(0) as u32,
                sources_checked: facts.sources_checked.max(0) as u32,
                sources_archived: facts.sources_archived.max(0) as u32,
            };
            Computed { score: score::score(&f), direct: f.direct, transitive: f.transitive, facts, rank: 0 }
        })
        .collect();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&rows[a], &rows[b]);
        y.score
            .total_cmp(&x.score)
            .then(y.transitive.cmp(&x.transitive))
            .then(x.facts.project_id.cmp(&y.facts.project_id))
    });
    for (rank, i) in order.into_iter().enumerate() {
        rows[i].rank = rank as i32 + 1;
    }
    (c.counts, rows)
}

async fn write(
    conn: &mut PgConnection,
    seen_generation: i64,
    counts: &GraphCounts,
    rows: &[Computed],
    duration_ms: u64,
) -> Result<u64, sqlx::Error> {
    let mut tx = conn.begin().await?;
    tx.execute("SET LOCAL statement_timeout = 0").await?;
    // Only what changed is written: a computation after a CI push or a
    // sponsorship changes few rows, and each written row costs its foreign
    // key checks and index entries.
    let stored: Vec<StoredRow> =
        sqlx::query_as(&format!("SELECT {STORED_COLUMNS} FROM project_criticality")).fetch_all(&mut *tx).await?;
    let mut stored: HashMap<i64, StoredRow> = stored.into_iter().map(|r| (r.project_id, r)).collect();
    let mut copy = CopyRows::default();
    let now = chrono::Utc::now().to_rfc3339();
    for r in rows {
        let f = &r.facts;
        let new = StoredRow {
            project_id: f.project_id,
            direct_dependents: r.direct as i64,
            transitive_dependents: r.transitive as i64,
            packages: f.packages,
            ecosystems: f.ecosystems.clone(),
            tags: f.tags.clone(),
            maintainers: f.maintainers,
            funded: f.funded,
            ci_packages: f.ci_packages,
            ci_failing: f.ci_failing,
            sources_checked: f.sources_checked,
            sources_archived: f.sources_archived,
            primary_package_id: Some(f.primary_package_id),
            score: r.score,
            rank: r.rank,
        };
        if stored.remove(&f.project_id).as_ref() == Some(&new) {
            continue;
        }
        let score = format!("{}", r.score);
        copy.row(&[
            Cell::Int(f.project_id),
            Cell::Int(r.direct as i64),
            Cell::Int(r.transitive as i64),
            Cell::Int(f.packages.into()),
            Cell::TextArray(&f.ecosystems),
            Cell::TextArray(&f.tags),
            Cell::Int(f.maintainers.into()),
            Cell::Bool(f.funded),
            Cell::Int(f.ci_packages.into()),
            Cell::Int(f.ci_failing.into()),
            Cell::Int(f.sources_checked.into()),
            Cell::Int(f.sources_archived.into()),
            Cell::Int(f.primary_package_id),
            Cell::Text(&score),
            Cell::Int(r.rank.into()),
            Cell::Text(&now),
        ]);
    }
    // Projects without a present package any more.
    let gone: Vec<i64> = stored.into_keys().collect();
    if !gone.is_empty() {
        sqlx::query("DELETE FROM project_criticality WHERE project_id = ANY($1)").bind(&gone).execute(&mut *tx).await?;
    }
    if !copy.is_empty() {
        tx.execute("CREATE TEMP TABLE criticality_changed (LIKE project_criticality) ON COMMIT DROP").await?;
        copy.copy_into(&mut tx, "criticality_changed").await?;
        tx.execute(
            "INSERT INTO project_criticality SELECT * FROM criticality_changed
             ON CONFLICT (project_id) DO UPDATE SET direct_dependents = EXCLUDED.direct_dependents,
                 transitive_dependents = EXCLUDED.transitive_dependents, packages = EXCLUDED.packages,
                 ecosystems = EXCLUDED.ecosystems, tags = EXCLUDED.tags, maintainers = EXCLUDED.maintainers,
                 funded = EXCLUDED.funded, ci_packages = EXCLUDED.ci_packages, ci_failing = EXCLUDED.ci_failing,
                 sources_checked = EXCLUDED.sources_checked, sources_archived = EXCLUDED.sources_archived,
                 primary_package_id = EXCLUDED.primary_package_id, score = EXCLUDED.score, rank = EXCLUDED.rank,
                 computed_at = EXCLUDED.computed_at",
        )
        .await?;
    }
    let listed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM project_criticality WHERE NOT funded AND maintainers <= 1 AND score > 0",
    )
    .fetch_one(&mut *tx)
    .await?;
    // Pages showing criticality may be cached per catalog generation: start a
    // new one. The generation kept is the one the computation saw, unless
    // nothing else changed since (then the new one: nothing left to redo).
    let bumped: i64 = sqlx::query_scalar("UPDATE catalog_state SET generation = generation + 1 RETURNING generation")
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("SELECT pg_notify('pacatlas_catalog', $1)").bind(bumped.to_string()).execute(&mut *tx).await?;
    let kept = if bumped == seen_generation + 1 { bumped } else { seen_generation };
    sqlx::query(
        "INSERT INTO criticality_state (id, generation, computed_at, duration_ms, packages, edges, projects, cycles, largest_cycle, tags)
         SELECT true, $1, now(), $2, $3, $4, $5, $6, $7,
                COALESCE((SELECT array_agg(t ORDER BY n DESC, t) FROM (
                    SELECT t, count(*) AS n FROM project_criticality, unnest(tags) t
                    WHERE NOT funded AND maintainers <= 1 AND score > 0
                    GROUP BY t ORDER BY n DESC, t LIMIT $8) x), '{}')
         ON CONFLICT (id) DO UPDATE SET generation = EXCLUDED.generation, computed_at = EXCLUDED.computed_at,
             duration_ms = EXCLUDED.duration_ms, packages = EXCLUDED.packages, edges = EXCLUDED.edges,
             projects = EXCLUDED.projects, cycles = EXCLUDED.cycles, largest_cycle = EXCLUDED.largest_cycle,
             tags = EXCLUDED.tags",
    )
    .bind(kept)
    .bind(duration_ms as i64)
    .bind(counts.packages as i64)
    .bind(counts.edges as i64)
    .bind(rows.len() as i64)
    .bind(counts.cycles as i64)
    .bind(counts.largest_cycle as i64)
    .bind(FILTER_TAGS)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(listed as u64)
}

/// The catalog generation the stored criticality was computed at, and the
/// current one (they differ: something changed since).
pub async fn generations(pool: &PgPool) -> Result<(Option<i64>, i64), sqlx::Error> {
    sqlx::query_as("SELECT (SELECT generation FROM criticality_state), (SELECT generation FROM catalog_state)")
        .fetch_one(pool)
        .await
}
