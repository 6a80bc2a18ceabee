//! Search: one `SearchIndex` trait, two engines (Meilisearch when `MEILI_URL`
//! is set, the embedded tantivy index otherwise) and a degraded PostgreSQL
//! search when the configured engine does not answer. Query understanding
//! (`query`) and ranking (`rank`) are shared, so both engines answer alike.
pub mod degraded;
pub mod distance;
pub mod document;
pub mod embedded;
mod facet_table;
pub mod meili;
pub mod phrase;
pub mod query;
pub mod rank;
pub mod record;
pub mod service;
pub mod software;
pub mod stem;
mod tantivy_doc;
mod topic;
mod typo;
pub mod word_index;

use std::collections::BTreeMap;

pub use document::SearchDocument;
pub use query::Understood;

/// The engine the configuration names: Meilisearch when `meili_url` is set,
/// else the embedded index under `data_dir/search/`.
pub fn open_index(config: &crate::config::Config) -> Result<std::sync::Arc<dyn SearchIndex>, SearchError> {
    Ok(match &config.meili_url {
        Some(url) => std::sync::Arc::new(meili::MeiliIndex::new(
            url,
            config.meili_master_key.as_ref().map(|k| k.expose()),
            "pacatlas_",
        )?),
        None => std::sync::Arc::new(embedded::EmbeddedIndex::open(&config.data_dir.join("search").join("embedded"))?),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("{0}")]
    BadQuery(#[from] query::QueryError),
    #[error("search engine unavailable: {0}")]
    Unavailable(String),
    #[error("search index error: {0}")]
    Index(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Facet filters: OR within one facet, AND between facets.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filters {
    pub ecosystem: Vec<String>,
    pub channel: Vec<String>,
    pub license: Vec<String>,
    /// CI status: passing, failing, unknown.
    pub ci: Vec<String>,
    /// Archival: archived, partly, not, unknown.
    pub archival: Vec<String>,
    /// Platforms: systems (x86_64-linux…) and GPU vendors (nvidia, amd).
    pub platform: Vec<String>,
}

/// A document's archival status as the facet counts it (`unknown` when not known).
pub fn archival_value(d: &SearchDocument) -> &str {
    d.archival_status.as_deref().unwrap_or("unknown")
}

/// A document's CI status as the facet counts it (`unknown` without builds).
pub fn ci_value(d: &SearchDocument) -> &str {
    d.ci_status.as_deref().unwrap_or("unknown")
}

impl Filters {
    pub fn matches(&self, d: &SearchDocument) -> bool {
        (self.ecosystem.is_empty() || self.ecosystem.contains(&d.ecosystem))
            && (self.channel.is_empty() || self.channel.contains(&d.channel))
            && (self.license.is_empty() || d.licenses.iter().any(|l| self.license.contains(l)))
            && (self.ci.is_empty() || self.ci.iter().any(|c| c == ci_value(d)))
            && (self.archival.is_empty() || self.archival.iter().any(|a| a == archival_value(d)))
            && (self.platform.is_empty() || d.platforms.iter().any(|p| self.platform.contains(p)))
    }
}

/// What an engine is asked for: candidates for a query, under filters.
#[derive(Clone, Debug)]
pub struct Retrieval {
    pub query: Understood,
    pub filters: Filters,
    /// How many candidates at most (the ranker orders them).
    pub limit: usize,
}

/// Facet name → value → count, over every match (not only the candidates).
pub type FacetCounts = BTreeMap<&'static str, BTreeMap<String, u64>>;

pub struct Retrieved {
    /// In the engine's order.
    pub candidates: Vec<std::sync::Arc<record::RankRecord>>,
    /// How many documents match in all.
    pub total: u64,
    pub facets: FacetCounts,
}

#[async_trait::async_trait]
pub trait SearchIndex: Send + Sync {
    /// `embedded` or `meilisearch`.
    fn engine(&self) -> &'static str;
    /// Applies settings, creates what is missing. Idempotent.
    async fn prepare(&self) -> Result<(), SearchError>;
    /// Adds or replaces documents (by id).
    async fn upsert(&self, docs: Vec<SearchDocument>) -> Result<(), SearchError>;
    async fn delete(&self, ids: &[String]) -> Result<(), SearchError>;
    /// Removes every document.
    async fn clear(&self) -> Result<(), SearchError>;
    async fn retrieve(&self, request: &Retrieval) -> Result<Retrieved, SearchError>;
    async fn count(&self) -> Result<u64, SearchError>;
    /// After a rebuild: lays the index out for reading (the embedded index
    /// merges its segments into one). Nothing by default.
    async fn compact(&self) -> Result<(), SearchError> {
        Ok(())
    }
    /// The sync horizon: every `search_changes` row of a transaction below
    /// this id (`xid8`, as a number) is applied to this index (0: none).
    async fn cursor(&self) -> Result<i64, SearchError>;
    async fn set_cursor(&self, cursor: i64) -> Result<(), SearchError>;
}
