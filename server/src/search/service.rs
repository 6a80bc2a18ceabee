//! The search service: understands the query, asks the engine for
//! candidates (or PostgreSQL when the engine does not answer), ranks them,
//! and keeps the engine in sync with the catalog through `search_changes`.
use std::{sync::Arc, time::Instant};

use app::api::search::{FacetValue, Facets, SearchParams, SearchResponse, MAX_PAGE, PER_PAGE};
use sqlx::PgPool;

use super::{
    degraded, document,
    query::{check, understand},
    rank::{hit, rank, tier},
    Filters, Retrieval, Retrieved, SearchError, SearchIndex,
};
use crate::ingest::Progress;

/// How long applied changes are kept (an index down for longer is rebuilt).
const RETENTION: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);
/// How often the background sync prunes them.
const PRUNE_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// The sync horizon now: the oldest transaction of this database still
/// running, else the next transaction id. Every transaction of this database
/// below it has finished, so its changes are all visible. Transactions of
/// other databases of the cluster (which never write these changes) do not
/// hold it back.
async fn current_horizon(pool: &PgPool) -> Result<i64, SearchError> {
    // First the snapshot: who was running. Then, in a later statement, which
    // of them still run here; one that finished in between is visible to
    // every later read.
    let (next, running): (i64, Vec<i64>) = sqlx::query_as(
        "SELECT pg_snapshot_xmax(s)::text::bigint, ARRAY(SELECT x::text::bigint FROM pg_snapshot_xip(s) x)
         FROM pg_current_snapshot() s",
    )
    .fetch_one(pool)
    .await?;
    if running.is_empty() {
        return Ok(next);
    }
    // Each transaction holds a lock on its own id (a 32-bit xid: compared
    // without the epoch); pg_locks shows every role's, unlike backend_xid.
    let oldest: Option<i64> = sqlx::query_scalar(
        "SELECT min(x) FROM unnest($1::bigint[]) x
         WHERE x % 4294967296 IN (
             SELECT l.transactionid::text::bigint FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted
               AND a.datname = current_database())",
    )
    .bind(&running)
    .fetch_one(pool)
    .await?;
    Ok(oldest.unwrap_or(next))
}

/// Candidates the ranker orders (the first pages); deeper results, up to
/// `MAX_PAGE * PER_PAGE`, keep the engine's order.
const RANKED: usize = 400;

#[derive(Clone)]
pub struct SearchService {
    pub index: Arc<dyn SearchIndex>,
    pub pool: PgPool,
}

#[derive(Debug, Default, PartialEq)]
pub struct SyncReport {
    pub upserted: usize,
    pub deleted: usize,
    pub rebuilt: bool,
    pub cursor: i64,
}

impl SearchService {
    pub fn new(index: Arc<dyn SearchIndex>, pool: PgPool) -> Self {
        Self { index, pool }
    }

    pub async fn search(&self, params: SearchParams) -> Result<SearchResponse, SearchError> {
        let started = Instant::now();
        check(&params)?;
        let query = understand(&params.q)?;
        let page = params.page.max(1);
        // Enough candidates for the page asked (at most MAX_PAGE * PER_PAGE).
        let wanted = page as usize * PER_PAGE as usize;
        let retrieval = Retrieval {
            query: query.clone(),
            filters: Filters {
                ecosystem: params.ecosystem.clone(),
                channel: params.channel.clone(),
                license: params.license.clone(),
                ci: params.ci.clone(),
                archival: params.archival.clone(),
                platform: params.platform.clone(),
            },
            limit: RANKED.max(wanted),
        };
        let (retrieved, engine, degraded) = match self.retrieve(&retrieval).await {
            Ok(r) => (r, self.index.engine(), false),
            Err(SearchError::BadQuery(e)) => return Err(SearchError::BadQuery(e)),
            Err(e) => {
                tracing::warn!(error = %e, engine = self.index.engine(), "search engine failed; answering from PostgreSQL");
                (degraded::retrieve(&self.pool, &retrieval).await?, "postgresql", true)
            }
        };
        let Retrieved { mut candidates, total: engine_total, facets } = retrieved;
        let got = candidates.len();
        // The first RANKED candidates are ranked; deeper ones keep the
        // engine's order, so a page shows the same results whatever page was
        // asked before it.
        let deeper = candidates.split_off(got.min(RANKED));
        let ranked = rank(&query, candidates);
        let offset = (page as usize - 1) * PER_PAGE as usize;
        let ranked_len = ranked.len();
        let hits = ranked
            .iter()
            .skip(offset)
            .take(PER_PAGE as usize)
            .map(|(t, d)| hit(&query, *t, d))
            .chain(deeper.iter().skip(offset.saturating_sub(ranked_len)).map(|d| hit(&query, tier(&query, d), d)))
            .take(PER_PAGE as usize)
            .collect();
        // What can be paged through: all of it when the engine returned fewer
        // candidates than asked, else up to the last page a search shows.
        let matches = engine_total.max(got as u64);
        let total = if got < retrieval.limit { got as u64 } else { matches.min(u64::from(MAX_PAGE * PER_PAGE)) };
        let facet_list = |name: &str, selected: &[String]| -> Vec<FacetValue> {
            let mut values: Vec<FacetValue> = facets
                .get(name)
                .map(|m| {
                    m.iter()
                        .map(|(v, c)| FacetValue { value: v.clone(), count: *c, selected: selected.contains(v) })
                        .collect()
                })
                .unwrap_or_default();
            for s in selected {
                if !values.iter().any(|v| &v.value == s) {
                    values.push(FacetValue { value: s.clone(), count: 0, selected: true });
                }
            }
            values.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
            values
        };
        Ok(SearchResponse {
            facets: Facets {
                ecosystem: facet_list("ecosystem", &params.ecosystem),
                channel: facet_list("channel", &params.channel),
                license: facet_list("license", &params.license),
                ci: facet_list("ci", &params.ci),
                archival: facet_list("archival", &params.archival),
                platform: facet_list("platform", &params.platform),
            },
            total,
            matches,
            hits,
            page,
            per_page: PER_PAGE,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            engine: engine.to_string(),
            degraded,
            spec: query.spec.as_ref().map(|s| {
                let mut out = s.name.clone();
                if let Some(v) = &s.version {
                    out.push_str(&format!("@{v}"));
                }
                for (name, on) in &s.variants {
                    out.push_str(&format!(" {}{name}", if *on { '+' } else { '~' }));
                }
                if let Some(c) = &s.compiler {
                    out.push_str(&format!(" %{c}"));
                }
                out
            }),
            error: None,
            problem: None,
            params: SearchParams { page, ..params },
        })
    }

    /// The engine's candidates.
    async fn retrieve(&self, r: &Retrieval) -> Result<Retrieved, SearchError> {
        self.index.retrieve(r).await
    }

    /// Applies the catalog changes the index has not seen yet: those of the
    /// transactions that finished between its horizon and the oldest one
    /// still running (whose changes wait for it to finish, so a change
    /// committed late with a lower id is not skipped). A new, empty index,
    /// or one behind what was pruned, is built from the whole catalog instead.
    #[tracing::instrument(name = "search_sync", skip_all, fields(engine = self.index.engine()))]
    pub async fn sync(&self) -> Result<SyncReport, SearchError> {
        let cursor = self.index.cursor().await?;
        let pruned_below: i64 =
            sqlx::query_scalar("SELECT pruned_below::text::bigint FROM search_sync").fetch_one(&self.pool).await?;
        if (cursor == 0 && self.index.count().await? == 0) || cursor < pruned_below {
            let n = self.reindex(&crate::ingest::progress::Silent).await?;
            return Ok(SyncReport { upserted: n, deleted: 0, rebuilt: true, cursor: self.index.cursor().await? });
        }
        let horizon = current_horizon(&self.pool).await?;
        let mut report = SyncReport { cursor, ..SyncReport::default() };
        let mut after_id = 0;
        loop {
            let rows: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT id, package_id FROM search_changes
                 WHERE xid >= $1::text::xid8 AND xid < $2::text::xid8 AND id > $3 ORDER BY id LIMIT 5000",
            )
            .bind(cursor.to_string())
            .bind(horizon.to_string())
            .bind(after_id)
            .fetch_all(&self.pool)
            .await?;
            let Some(&(last, _)) = rows.last() else { break };
            let mut ids: Vec<i64> = rows.iter().map(|(_, p)| *p).collect();
            ids.sort_unstable();
            ids.dedup();
            let docs = document::for_ids(&self.pool, &ids).await?;
            let present: std::collections::HashSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
            let gone: Vec<String> =
                ids.iter().map(i64::to_string).filter(|id| !present.contains(id.as_str())).collect();
            report.upserted += docs.len();
            report.deleted += gone.len();
            self.index.delete(&gone).await?;
            self.index.upsert(docs).await?;
            after_id = last;
        }
        // The horizon is written only when something was applied (an idle
        // sync writes nothing); the next sync re-reads the empty stretch.
        if after_id > 0 {
            self.index.set_cursor(horizon).await?;
            report.cursor = horizon;
        }
        Ok(report)
    }

    /// Deletes the changes older than `retention` that this index has
    /// applied, and records how far changes were deleted (an index behind
    /// that is rebuilt by its next sync). Returns the rows deleted.
    pub async fn prune(&self, retention: std::time::Duration) -> Result<u64, SearchError> {
        let cursor = self.index.cursor().await?;
        if cursor <= 0 {
            return Ok(0);
        }
        let Some(cutoff) =
            chrono::Duration::from_std(retention).ok().and_then(|r| chrono::Utc::now().checked_sub_signed(r))
        else {
            return Ok(0);
        };
        let mut tx = self.pool.begin().await?;
        let deleted: Option<i64> = sqlx::query_scalar(
            "WITH gone AS (DELETE FROM search_changes WHERE changed_at < $1 AND xid < $2::text::xid8 RETURNING id, xid),
                  top AS (SELECT count(*) AS n, max(xid) AS x FROM gone),
                  bump AS (UPDATE search_sync SET pruned_below = greatest(pruned_below, (top.x::text::bigint + 1)::text::xid8)
                        FROM top WHERE top.x IS NOT NULL)
             SELECT n FROM top",
        )
        .bind(cutoff)
        .bind(cursor.to_string())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(deleted.unwrap_or(0) as u64)
    }

    /// Rebuilds the whole index from the catalog. Returns the documents indexed.
    #[tracing::instrument(name = "reindex", skip_all, fields(engine = self.index.engine()))]
    pub async fn reindex(&self, progress: &dyn Progress) -> Result<usize, SearchError> {
        self.index.prepare().await?;
        // Transactions still running when the catalog is read are applied by
        // the next sync (changes are idempotent), so none is lost.
        let cursor = current_horizon(&self.pool).await?;
        progress.message("reading the catalog");
        let docs = document::all(&self.pool).await?;
        let n = docs.len();
        self.index.clear().await?;
        progress.start("indexing", n as u64);
        let mut done = 0;
        let mut docs = docs;
        while !docs.is_empty() {
            let rest = docs.split_off(docs.len().min(10_000));
            let batch = std::mem::replace(&mut docs, rest);
            done += batch.len();
            self.index.upsert(batch).await?;
            progress.set(done as u64);
        }
        self.index.set_cursor(cursor.max(1)).await?;
        self.index.compact().await?;
        progress.finish();
        Ok(n)
    }

    /// Keeps the index in sync in the background (every `every`), riding out
    /// an engine that is down.
    pub fn spawn_sync(self, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut failing = false;
            let mut pruned: Option<Instant> = None;
            loop {
                if pruned.is_none_or(|t| t.elapsed() >= PRUNE_EVERY) {
                    match self.prune(RETENTION).await {
                        Ok(n) if n > 0 => tracing::info!(deleted = n, "old search changes pruned"),
                        Ok(_) => {}
                        Err(e) => {
                            tracing::warn!(error = %e, "pruning search changes failed; will retry")
                        }
                    }
                    pruned = Some(Instant::now());
                }
                match self.sync().await {
                    Ok(r) => {
                        if r.upserted + r.deleted > 0 {
                            tracing::info!(
                                upserted = r.upserted,
                                deleted = r.deleted,
                                rebuilt = r.rebuilt,
                                "search index synced"
                            );
                        }
                        if failing {
                            tracing::info!("search index reachable again");
                        }
                        failing = false;
                    }
                    Err(e) => {
                        if !failing {
                            tracing::warn!(error = %e, "search index sync failed; will retry");
                        }
                        failing = true;
                    }
                }
                tokio::time::sleep(every).await;
            }
        })
    }
}

#[async_trait::async_trait]
impl app::api::search::SearchPort for SearchService {
    async fn search(&self, params: SearchParams) -> Result<SearchResponse, leptos::prelude::ServerFnError> {
        match SearchService::search(self, params.clone()).await {
            Ok(r) => Ok(r),
            Err(SearchError::BadQuery(q)) => Ok(SearchResponse::refused(params, q.to_string(), q.problem())),
            Err(other) => {
                tracing::error!(error = %other, "search failed");
                Err(leptos::prelude::ServerFnError::new("search failed"))
            }
        }
    }
}
