//! The embedded engine: a tantivy index on disk under the data directory
//! (or in memory for tests). Used when no Meilisearch is configured.
use std::{collections::BTreeMap, path::Path, sync::Arc};

use tantivy::{
    collector::{Count, FacetCollector, TopDocs},
    query::{
        AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, RegexQuery, TermQuery,
    },
    schema::{
        Facet, FacetOptions, Field, IndexRecordOption, Schema, Value, FAST, STORED, STRING, TEXT,
    },
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term,
};
use tokio::sync::Mutex;

use super::{
    query::typo_budget, FacetCounts, Retrieval, Retrieved, SearchDocument, SearchError, SearchIndex,
};

struct Fields {
    id: Field,
    json: Field,
    folded_base: Field,
    folded_name: Field,
    name_text: Field,
    body: Field,
    provides: Field,
    ecosystem: Field,
    channel: Field,
    license: Field,
    f_ecosystem: Field,
    f_channel: Field,
    f_license: Field,
    dependents: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        json: b.add_text_field("json", STORED),
        folded_base: b.add_text_field("folded_base", STRING),
        folded_name: b.add_text_field("folded_name", STRING),
        name_text: b.add_text_field("name_text", TEXT),
        body: b.add_text_field("body", TEXT),
        provides: b.add_text_field("provides", STRING),
        ecosystem: b.add_text_field("ecosystem", STRING),
        channel: b.add_text_field("channel", STRING),
        license: b.add_text_field("license", STRING),
        f_ecosystem: b.add_facet_field("f_ecosystem", FacetOptions::default()),
        f_channel: b.add_facet_field("f_channel", FacetOptions::default()),
        f_license: b.add_facet_field("f_license", FacetOptions::default()),
        dependents: b.add_u64_field("dependents", FAST),
    };
    (b.build(), fields)
}

struct Inner {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    writer: Mutex<Option<IndexWriter>>,
}

pub struct EmbeddedIndex {
    inner: Arc<Inner>,
}

fn err(e: impl std::fmt::Display) -> SearchError {
    SearchError::Index(e.to_string())
}

/// Facet paths may not contain `/`.
fn facet(value: &str) -> Facet {
    Facet::from_path([value.replace('/', "∕")])
}

impl EmbeddedIndex {
    /// Opens (or creates) the index in `dir`.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| err(format!("cannot create {}: {e}", dir.display())))?;
        let (schema, fields) = schema();
        let directory = tantivy::directory::MmapDirectory::open(dir).map_err(err)?;
        let index = Index::open_or_create(directory, schema).map_err(|e| {
            err(format!("cannot open the search index in {}: {e} (run `pacatlas reindex` after removing it)", dir.display()))
        })?;
        Self::with_index(index, fields)
    }

    /// A fresh index in memory (tests, benchmarks).
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = schema();
        Self::with_index(Index::create_in_ram(schema), fields)
    }

    fn with_index(index: Index, fields: Fields) -> Result<Self, SearchError> {
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(err)?;
        Ok(Self {
            inner: Arc::new(Inner {
                index,
                reader,
                fields,
                writer: Mutex::new(None),
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
                err(format!(
                    "cannot write the search index: {e} (is another pacatlas process using it?)"
                ))
            })?,
        };
        let (writer, result) = tokio::task::spawn_blocking(move || {
            let result = (|| {
                f(&inner, &mut writer)?;
                let mut commit = writer.prepare_commit().map_err(err)?;
                let payload = match payload {
                    Some(p) => p,
                    None => inner
                        .index
                        .load_metas()
                        .map_err(err)?
                        .payload
                        .unwrap_or_default(),
                };
                commit.set_payload(&payload);
                commit.commit().map_err(err)?;
                inner.reader.reload().map_err(err)
            })();
            (writer, result)
        })
        .await
        .map_err(err)?;
        *guard = Some(writer);
        result
    }
}

fn to_tantivy(f: &Fields, d: &SearchDocument) -> Result<TantivyDocument, SearchError> {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &d.id);
    doc.add_text(f.json, serde_json::to_string(d).map_err(err)?);
    doc.add_text(f.folded_base, &d.folded_base);
    doc.add_text(f.folded_name, &d.folded_name);
    doc.add_text(f.name_text, &d.name);
    doc.add_text(f.name_text, &d.base_name);
    for a in &d.aliases {
        doc.add_text(f.name_text, a);
    }
    for t in [&d.synopsis, &d.description].into_iter().flatten() {
        doc.add_text(f.body, t);
    }
    for p in &d.provides {
        doc.add_text(f.provides, p);
        doc.add_text(f.body, p);
    }
    // Spack variants are words people search by ("hdf5 fortran", "mpi cuda").
    for v in &d.variants {
        doc.add_text(f.body, v);
    }
    doc.add_text(f.ecosystem, &d.ecosystem);
    doc.add_text(f.channel, &d.channel);
    doc.add_facet(f.f_ecosystem, facet(&d.ecosystem));
    doc.add_facet(f.f_channel, facet(&d.channel));
    for l in &d.licenses {
        doc.add_text(f.license, l);
        doc.add_facet(f.f_license, facet(l));
    }
    doc.add_u64(f.dependents, d.dependents.max(0) as u64);
    Ok(doc)
}

fn boosted(q: impl Query + 'static, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(Box::new(q), boost))
}

fn term(field: Field, text: &str) -> Term {
    Term::from_field_text(field, text)
}

fn build_query(f: &Fields, r: &Retrieval) -> Box<dyn Query> {
    let q = &r.query;
    let main: Box<dyn Query> = if q.folded.is_empty() {
        Box::new(AllQuery)
    } else {
        let mut should: Vec<(Occur, Box<dyn Query>)> = vec![
            (
                Occur::Should,
                boosted(
                    TermQuery::new(term(f.folded_base, &q.folded), IndexRecordOption::Basic),
                    20.0,
                ),
            ),
            (
                Occur::Should,
                boosted(
                    TermQuery::new(term(f.folded_name, &q.folded), IndexRecordOption::Basic),
                    20.0,
                ),
            ),
        ];
        if q.folded.len() >= 2 {
            let pattern = format!("{}.*", regex_escape(&q.folded));
            for field in [f.folded_base, f.folded_name] {
                if let Ok(rq) = RegexQuery::from_pattern(&pattern, field) {
                    should.push((Occur::Should, boosted(rq, 8.0)));
                }
            }
        }
        let budget = typo_budget(&q.folded);
        if budget > 0 {
            should.push((
                Occur::Should,
                boosted(
                    FuzzyTermQuery::new(term(f.folded_base, &q.folded), budget, true),
                    5.0,
                ),
            ));
        }
        if q.spec.is_none() && q.words.len() == 1 {
            should.push((
                Occur::Should,
                boosted(
                    TermQuery::new(term(f.provides, &q.words[0]), IndexRecordOption::Basic),
                    10.0,
                ),
            ));
        }
        // Every word somewhere (name or text), with typos, the last as a prefix.
        let n = q.words.len();
        let mut all_words: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (i, word) in q.words.iter().enumerate() {
            let tokens: Vec<String> = word
                .split(|c: char| !c.is_alphanumeric())
                .filter(|t| !t.is_empty())
                .map(str::to_lowercase)
                .collect();
            for (k, token) in tokens.iter().enumerate() {
                let last = i + 1 == n && k + 1 == tokens.len() && q.last_word_is_prefix;
                let b = typo_budget(token);
                let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for (field, weight) in [(f.name_text, 3.0), (f.body, 1.0)] {
                    alternatives.push((
                        Occur::Should,
                        boosted(
                            TermQuery::new(term(field, token), IndexRecordOption::WithFreqs),
                            weight,
                        ),
                    ));
                    if b > 0 {
                        alternatives.push((
                            Occur::Should,
                            boosted(
                                FuzzyTermQuery::new(term(field, token), b, true),
                                weight * 0.5,
                            ),
                        ));
                    }
                    if last && token.len() >= 2 {
                        alternatives.push((
                            Occur::Should,
                            boosted(
                                FuzzyTermQuery::new_prefix(term(field, token), 0, true),
                                weight * 0.7,
                            ),
                        ));
                    }
                }
                all_words.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
            }
        }
        if !all_words.is_empty() {
            should.push((Occur::Should, Box::new(BooleanQuery::new(all_words))));
        }
        Box::new(BooleanQuery::new(should))
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, main)];
    for (field, values) in [
        (f.ecosystem, &r.filters.ecosystem),
        (f.channel, &r.filters.channel),
        (f.license, &r.filters.license),
    ] {
        if values.is_empty() {
            continue;
        }
        let any: Vec<(Occur, Box<dyn Query>)> = values
            .iter()
            .map(|v| {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(term(field, v), IndexRecordOption::Basic))
                        as Box<dyn Query>,
                )
            })
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    Box::new(BooleanQuery::new(clauses))
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else {
            out.push('\\');
            out.push(c);
        }
    }
    out
}

fn facet_counts(collector_fruit: tantivy::collector::FacetCounts) -> BTreeMap<String, u64> {
    collector_fruit
        .get("/")
        .map(|(facet, count)| {
            let path = facet.to_path_string();
            (path.trim_start_matches('/').replace('∕', "/"), count)
        })
        .collect()
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
            for d in &docs {
                writer.delete_term(term(inner.fields.id, &d.id));
                writer
                    .add_document(to_tantivy(&inner.fields, d)?)
                    .map_err(err)?;
            }
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
            Ok(())
        })
        .await
    }

    async fn clear(&self) -> Result<(), SearchError> {
        self.write(Some("xid:0".into()), |_, writer| {
            writer.delete_all_documents().map(|_| ()).map_err(err)
        })
        .await
    }

    async fn retrieve(&self, r: &Retrieval) -> Result<Retrieved, SearchError> {
        let inner = self.inner.clone();
        let r = r.clone();
        tokio::task::spawn_blocking(move || {
            let f = &inner.fields;
            let searcher = inner.reader.searcher();
            let query = build_query(f, &r);
            let facets = {
                let mut e = FacetCollector::for_field("f_ecosystem");
                e.add_facet("/");
                let mut c = FacetCollector::for_field("f_channel");
                c.add_facet("/");
                let mut l = FacetCollector::for_field("f_license");
                l.add_facet("/");
                (e, c, l)
            };
            let limit = r.limit.max(1);
            let (addresses, total, (fe, fc, fl)): (Vec<DocAddress>, usize, _) =
                if r.query.folded.is_empty() {
                    let top =
                        TopDocs::with_limit(limit).order_by_u64_field("dependents", Order::Desc);
                    let (docs, total, facets) = searcher
                        .search(&query, &(top, Count, facets))
                        .map_err(err)?;
                    (docs.into_iter().map(|(_, a)| a).collect(), total, facets)
                } else {
                    let top = TopDocs::with_limit(limit).order_by_score();
                    let (docs, total, facets) = searcher
                        .search(&query, &(top, Count, facets))
                        .map_err(err)?;
                    (docs.into_iter().map(|(_, a)| a).collect(), total, facets)
                };
            let mut candidates = Vec::with_capacity(addresses.len());
            for a in addresses {
                let doc: TantivyDocument = searcher.doc(a).map_err(err)?;
                let json = doc
                    .get_first(f.json)
                    .and_then(|v| v.as_str())
                    .unwrap_or("{}");
                candidates.push(serde_json::from_str::<SearchDocument>(json).map_err(err)?);
            }
            let mut counts: FacetCounts = BTreeMap::new();
            counts.insert("ecosystem", facet_counts(fe));
            counts.insert("channel", facet_counts(fc));
            counts.insert("license", facet_counts(fl));
            Ok(Retrieved {
                candidates,
                total: total as u64,
                facets: counts,
            })
        })
        .await
        .map_err(err)?
    }

    async fn count(&self) -> Result<u64, SearchError> {
        Ok(self.inner.reader.searcher().num_docs())
    }

    async fn cursor(&self) -> Result<i64, SearchError> {
        let metas = self.inner.index.load_metas().map_err(err)?;
        // An earlier index kept a change id (no prefix): read as 0, so every
        // recorded change is applied again once (idempotent).
        Ok(metas
            .payload
            .as_deref()
            .and_then(|p| p.strip_prefix("xid:"))
            .and_then(|p| p.parse().ok())
            .unwrap_or(0))
    }

    async fn set_cursor(&self, cursor: i64) -> Result<(), SearchError> {
        self.write(Some(format!("xid:{cursor}")), |_, _| Ok(()))
            .await
    }
}
