//! The search service: understands the query, asks the engine for
//! candidates (or PostgreSQL when the engine does not answer), ranks them,
//! and keeps the engine in sync with the catalog through `search_changes`.
use std::{sync::Arc, time::Instant};

use app::api::search::{FacetValue, Facets, SearchParams, SearchResponse, PER_PAGE};
use sqlx::PgPool;

use super::{
    degraded, document,
    query::understand,
    rank::{hit, rank},
    Filters, Retrieval, SearchError, SearchIndex,
};
use crate::ingest::Progress;

/// Candidates the engine returns for ranking.
const CANDIDATES: usize = 400;

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
        let query = understand(&params.q)?;
        let retrieval = Retrieval {
            query: query.clone(),
            filters: Filters {
                ecosystem: params.ecosystem.clone(),
                channel: params.channel.clone(),
                license: params.license.clone(),
            },
            limit: CANDIDATES,
        };
        let (retrieved, engine, degraded) = match self.index.retrieve(&retrieval).await {
            Ok(r) => (r, self.index.engine(), false),
            Err(SearchError::BadQuery(e)) => return Err(SearchError::BadQuery(e)),
            Err(e) => {
                tracing::warn!(error = %e, engine = self.index.engine(), "search engine failed; answering from PostgreSQL");
                (degraded::retrieve(&self.pool, &retrieval).await?, "postgresql", true)
            }
        };
        let ranked = rank(&query, retrieved.candidates);
        let page = params.page.max(1);
        let offset = ((page - 1) * PER_PAGE) as usize;
        let hits = ranked.iter().skip(offset).take(PER_PAGE as usize).map(|(t, d)| hit(&query, *t, d)).collect();
        let facet_list = |name: &str, selected: &[String]| -> Vec<FacetValue> {
            let mut values: Vec<FacetValue> = retrieved
                .facets
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
            },
            total: retrieved.total.max(ranked.len() as u64),
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
            params: SearchParams { page, ..params },
        })
    }

    /// Applies the catalog changes the index has not seen yet. A new, empty
    /// index is built from the whole catalog instead.
    #[tracing::instrument(name = "search_sync", skip_all, fields(engine = self.index.engine()))]
    pub async fn sync(&self) -> Result<SyncReport, SearchError> {
        let cursor = self.index.cursor().await?;
        if cursor == 0 && self.index.count().await? == 0 {
            let n = self.reindex(&crate::ingest::progress::Silent).await?;
            return Ok(SyncReport { upserted: n, deleted: 0, rebuilt: true, cursor: self.index.cursor().await? });
        }
        let mut report = SyncReport { cursor, ..SyncReport::default() };
        loop {
            let rows: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT id, package_id FROM search_changes WHERE id > $1 ORDER BY id LIMIT 5000",
            )
            .bind(report.cursor)
            .fetch_all(&self.pool)
            .await?;
            let Some(&(last, _)) = rows.last() else { break };
            let mut ids: Vec<i64> = rows.iter().map(|(_, p)| *p).collect();
            ids.sort_unstable();
            ids.dedup();
            let docs = document::for_ids(&self.pool, &ids).await?;
            let present: std::collections::HashSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
            let gone: Vec<String> = ids.iter().map(i64::to_string).filter(|id| !present.contains(id.as_str())).collect();
            report.upserted += docs.len();
            report.deleted += gone.len();
            self.index.delete(&gone).await?;
            self.index.upsert(docs).await?;
            self.index.set_cursor(last).await?;
            report.cursor = last;
        }
        Ok(report)
    }

    /// Rebuilds the whole index from the catalog. Returns the documents indexed.
    #[tracing::instrument(name = "reindex", skip_all, fields(engine = self.index.engine()))]
    pub async fn reindex(&self, progress: &dyn Progress) -> Result<usize, SearchError> {
        self.index.prepare().await?;
        // Changes after this id are applied by the next sync, so none is lost.
        let cursor: i64 = sqlx::query_scalar("SELECT COALESCE(max(id), 0) FROM search_changes").fetch_one(&self.pool).await?;
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
        progress.finish();
        Ok(n)
    }

    /// Keeps the index in sync in the background (every `every`), riding out
    /// an engine that is down.
    pub fn spawn_sync(self, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut failing = false;
            loop {
                match self.sync().await {
                    Ok(r) => {
                        if r.upserted + r.deleted > 0 {
                            tracing::info!(upserted = r.upserted, deleted = r.deleted, rebuilt = r.rebuilt, "search index synced");
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
            Err(SearchError::BadQuery(q)) => Ok(SearchResponse::refused(params, q.to_string())),
            Err(other) => {
                tracing::error!(error = %other, "search failed");
                Err(leptos::prelude::ServerFnError::new("search failed"))
            }
        }
    }
}
