//! The embedded engine: a tantivy index on disk under the data directory
//! (or in memory for tests). Used when no Meilisearch is configured.
//! Beside the index it keeps each document's ranking record in memory
//! (package id -> record), so a search reads no stored document: the
//! candidates' records are found through the `pid` fast field.
use std::{
    path::Path,
    sync::{Arc, RwLock},
};

use tantivy::{
    collector::{Count, TopDocs},
    schema::Value,
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument,
};
use tokio::sync::Mutex;

use super::{
    facet_table::FacetTables,
    record::RankRecord,
    tantivy_doc::{build_query, schema, term, to_tantivy, Fields},
    FacetCounts, Retrieval, Retrieved, SearchDocument, SearchError, SearchIndex,
};

/// Package ids are spread evenly: a fast hash is enough.
type Records = foldhash::HashMap<u64, Arc<RankRecord>>;

struct Inner {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    writer: Mutex<Option<IndexWriter>>,
    /// The ranking record of every document, by package id.
    records: RwLock<Records>,
    /// Each segment's facet values per document, for counting them.
    facets: FacetTables,
    /// Searches running at once: as many as there are cores. A search is
    /// CPU work; letting each of 32 concurrent requests start its own
    /// blocking thread made 64 threads on 2 cores, switching between them
    /// and each keeping its allocator's pages (the server grew from 390 to
    /// 830 MiB under load at 159,000 documents).
    searches: tokio::sync::Semaphore,
}

/// A search of up to this many words runs on the request's own thread: it
/// takes well under a millisecond, and handing it to a blocking thread and
/// back cost more than that over HTTP (2,600 searches/s on two cores with
/// the hand-off, 3,500/s without). A longer query, whose clauses multiply
/// and which can take tens of milliseconds, runs on a blocking thread so as
/// not to hold up the runtime's other tasks.
const INLINE_WORDS: usize = 4;

pub struct EmbeddedIndex {
    inner: Arc<Inner>,
}

fn err(e: impl std::fmt::Display) -> SearchError {
    SearchError::Index(e.to_string())
}

/// A stored document, read back.
fn stored(searcher: &Searcher, fields: &Fields, a: DocAddress) -> Result<SearchDocument, SearchError> {
    let doc: TantivyDocument = searcher.doc(a).map_err(err)?;
    let json = doc.get_first(fields.json).and_then(|v| v.as_str()).unwrap_or("{}");
    serde_json::from_str(json).map_err(err)
}

fn pid(id: &str) -> Option<u64> {
    id.parse().ok()
}

impl Inner {
    fn records_mut(&self) -> std::sync::RwLockWriteGuard<'_, Records> {
        self.records.write().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The records of every document in the index (when opening one on disk).
    fn load_records(&self) -> Result<(), SearchError> {
        let searcher = self.reader.searcher();
        let mut records = Records::default();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            for doc in segment.doc_ids_alive() {
                let d = stored(&searcher, &self.fields, DocAddress::new(ord as u32, doc))?;
                if let Some(id) = pid(&d.id) {
                    records.insert(id, Arc::new(RankRecord::of(&d)));
                }
            }
        }
        *self.records_mut() = records;
        Ok(())
    }
}

impl EmbeddedIndex {
    /// Opens (or creates) the index in `dir`.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir).map_err(|e| err(format!("cannot create {}: {e}", dir.display())))?;
        let (schema, fields) = schema();
        let directory = tantivy::directory::MmapDirectory::open(dir).map_err(err)?;
        let index = match Index::open_or_create(directory, schema.clone()) {
            Ok(index) => index,
            // An index of an earlier version: it is only a copy of the
            // catalog, so it is started afresh (the next sync rebuilds it).
            Err(tantivy::TantivyError::SchemaError(e)) => {
                tracing::warn!(dir = %dir.display(), error = %e, "search index of an earlier version: rebuilding it");
                std::fs::remove_dir_all(dir)
                    .and_then(|()| std::fs::create_dir_all(dir))
                    .map_err(|e| err(format!("cannot clear the old search index in {}: {e}", dir.display())))?;
                let directory = tantivy::directory::MmapDirectory::open(dir).map_err(err)?;
                Index::create(directory, schema, tantivy::IndexSettings::default()).map_err(err)?
            }
            Err(e) => {
                return Err(err(format!(
                    "cannot open the search index in {}: {e} (run `pacatlas reindex` after removing it)",
                    dir.display()
                )))
            }
        };
        let opened = Self::with_index(index, fields)?;
        opened.inner.load_records()?;
        opened.inner.facets.prepare(&opened.inner.reader.searcher()).map_err(err)?;
        Ok(opened)
    }

    /// A fresh index in memory (tests, benchmarks).
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = schema();
        Self::with_index(Index::create_in_ram(schema), fields)
    }

    fn with_index(index: Index, fields: Fields) -> Result<Self, SearchError> {
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(err)?;
        Ok(Self {
            inner: Arc::new(Inner {
                index,
                reader,
                fields,
                writer: Mutex::new(None),
                records: RwLock::new(Records::default()),
                facets: FacetTables::default(),
                searches: tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, usize::from)),
            }),
        })
    }

    async fn write<F>(&self, payload: Option<String>, f: F) -> Result<(), SearchError>
    where
        F: FnOnce(&Inner, &mut IndexWriter) -> Result<(), SearchError> + Send + 'static,
    {
        let inner = self.inner.clone();
        let mut guard = self.inner.writer.lock().await;
        let mut writer = match guard.take() {
            Some(w) => w,
            None => inner.index.writer(64 << 20).map_err(|e| {
                err(format!("cannot write the search index: {e} (is another pacatlas process using it?)"))
            })?,
        };
        let (writer, result) = tokio::task::spawn_blocking(move || {
            let result = (|| {
                f(&inner, &mut writer)?;
                let mut commit = writer.prepare_commit().map_err(err)?;
                let payload = match payload {
                    Some(p) => p,
                    None => inner.index.load_metas().map_err(err)?.payload.unwrap_or_default(),
                };
                commit.set_payload(&payload);
                commit.commit().map_err(err)?;
                inner.reader.reload().map_err(err)?;
                inner.facets.prepare(&inner.reader.searcher()).map_err(err)
            })();
            (writer, result)
        })
        .await
        .map_err(err)?;
        *guard = Some(writer);
        result
    }
}

#[async_trait::async_trait]
impl SearchIndex for EmbeddedIndex {
    fn engine(&self) -> &'static str {
        "embedded"
    }

    async fn prepare(&self) -> Result<(), SearchError> {
        Ok(())
    }

    async fn upsert(&self, docs: Vec<SearchDocument>) -> Result<(), SearchError> {
        if docs.is_empty() {
            return Ok(());
        }
        self.write(None, move |inner, writer| {
            let mut records = Vec::with_capacity(docs.len());
            for d in &docs {
                writer.delete_term(term(inner.fields.id, &d.id));
                writer.add_document(to_tantivy(&inner.fields, d)?).map_err(err)?;
                if let Some(id) = pid(&d.id) {
                    records.push((id, Arc::new(RankRecord::of(d))));
                }
            }
            inner.records_mut().extend(records);
            Ok(())
        })
        .await
    }

    async fn delete(&self, ids: &[String]) -> Result<(), SearchError> {
        if ids.is_empty() {
            return Ok(());
        }
        let ids = ids.to_vec();
        self.write(None, move |inner, writer| {
            for id in &ids {
                writer.delete_term(term(inner.fields.id, id));
            }
            let mut records = inner.records_mut();
            for id in ids.iter().filter_map(|id| pid(id)) {
                records.remove(&id);
            }
            Ok(())
        })
        .await
    }

    async fn clear(&self) -> Result<(), SearchError> {
        self.write(Some("xid:0".into()), |inner, writer| {
            inner.records_mut().clear();
            writer.delete_all_documents().map(|_| ()).map_err(err)
        })
        .await
    }

    async fn retrieve(&self, r: &Retrieval) -> Result<Retrieved, SearchError> {
        let inner = self.inner.clone();
        let r = r.clone();
        let _turn = self.inner.searches.acquire().await.map_err(err)?;
        let heavy = r.query.words.len() > INLINE_WORDS;
        let run = move || {
            let f = &inner.fields;
            let searcher = inner.reader.searcher();
            let query = build_query(f, &r, &searcher);
            let facets = inner.facets.counter();
            let limit = r.limit.max(1);
            let (addresses, total, counts): (Vec<DocAddress>, usize, FacetCounts) = if r.query.folded.is_empty() {
                let top = TopDocs::with_limit(limit).order_by_u64_field("dependents", Order::Desc);
                let (docs, total, facets) = searcher.search(&query, &(top, Count, facets)).map_err(err)?;
                (docs.into_iter().map(|(_, a)| a).collect(), total, facets)
            } else {
                let top = TopDocs::with_limit(limit).order_by_score();
                let (docs, total, facets) = searcher.search(&query, &(top, Count, facets)).map_err(err)?;
                (docs.into_iter().map(|(_, a)| a).collect(), total, facets)
            };
            // Each candidate's record, through its package id; a document
            // written since the records were last updated is read from the store.
            let pids: Vec<_> = searcher.segment_readers().iter().map(|s| s.fast_fields().u64("pid").ok()).collect();
            let records = inner.records.read().unwrap_or_else(std::sync::PoisonError::into_inner);
            let mut candidates = Vec::with_capacity(addresses.len());
            for a in addresses {
                let id = pids.get(a.segment_ord as usize).and_then(Option::as_ref).and_then(|c| c.first(a.doc_id));
                match id.and_then(|id| records.get(&id)) {
                    Some(record) => candidates.push(record.clone()),
                    None => candidates.push(Arc::new(RankRecord::of(&stored(&searcher, f, a)?))),
                }
            }
            drop(records);
            Ok(Retrieved { candidates, total: total as u64, facets: counts })
        };
        if heavy {
            tokio::task::spawn_blocking(run).await.map_err(err)?
        } else {
            run()
        }
    }

    async fn count(&self) -> Result<u64, SearchError> {
        Ok(self.inner.reader.searcher().num_docs())
    }

    /// Merges the segments a rebuild wrote (one per batch, some merged in
    /// the background) into one: a search then reads one term dictionary
    /// per field instead of several. A segment the background is merging
    /// is waited for (a few tries); failing that, the index stays as it is.
    async fn compact(&self) -> Result<(), SearchError> {
        self.write(None, |inner, writer| {
            for _ in 0..20 {
                let ids = inner.index.searchable_segment_ids().map_err(err)?;
                if ids.len() <= 1 {
                    return Ok(());
                }
                match writer.merge(&ids).wait() {
                    Ok(_) => return Ok(()),
                    Err(e) => {
                        tracing::debug!(error = %e, "search index merge deferred");
                        std::thread::sleep(std::time::Duration::from_millis(100));
                    }
                }
            }
            Ok(())
        })
        .await
    }

    async fn cursor(&self) -> Result<i64, SearchError> {
        let metas = self.inner.index.load_metas().map_err(err)?;
        // An earlier index kept a change id (no prefix): read as 0, so every
        // recorded change is applied again once (idempotent).
        Ok(metas.payload.as_deref().and_then(|p| p.strip_prefix("xid:")).and_then(|p| p.parse().ok()).unwrap_or(0))
    }

    async fn set_cursor(&self, cursor: i64) -> Result<(), SearchError> {
        self.write(Some(format!("xid:{cursor}")), |_, _| Ok(())).await
    }
}
