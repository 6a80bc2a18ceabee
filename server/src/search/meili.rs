//! Meilisearch, through meilisearch-sdk: used when `MEILI_URL` is set.
//! Settings are applied by `prepare`; every request has a time limit
//! (`REQUEST_TIMEOUT`, so a hung engine fails fast and the search falls back
//! to PostgreSQL) and every task is awaited with one; errors become clear
//! messages. A search is one HTTP call (a multi-search: the words and the
//! exact names, facets in the same answer) returning only the fields the
//! ranking needs. The sync horizon is kept in a one-document index beside
//! the packages index.
use std::{collections::BTreeMap, sync::Arc, time::Duration};

use meilisearch_sdk::{client::Client, errors::Error as MeiliError, settings::Settings, task_info::TaskInfo};
use serde::{Deserialize, Serialize};

use super::{
    record::RankRecord, stem::stems_text, FacetCounts, Retrieval, Retrieved, SearchDocument, SearchError, SearchIndex,
};

const TASK_TIMEOUT: Duration = Duration::from_secs(60);
const TASK_POLL: Duration = Duration::from_millis(50);
/// The longest any one request to Meilisearch may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(2);

/// What ranking and the result page need of a document (not licences,
/// maintainers, platforms…).
const RETRIEVED: [&str; 16] = [
    "id",
    "name",
    "base_name",
    "folded_name",
    "folded_base",
    "aliases",
    "provides",
    "synopsis",
    "description",
    "ecosystem",
    "channel",
    "versions",
    "latest_version",
    "variants",
    "dependents",
    "ecosystems",
];

pub struct MeiliIndex {
    client: Client,
    packages: String,
    meta: String,
    timeout: Duration,
}

/// The meta document holding the sync horizon (a transaction id; the
/// earlier `cursor` document held a change id and is ignored).
const CURSOR_ID: &str = "xid_horizon";

#[derive(Serialize, Deserialize)]
struct Meta {
    id: String,
    cursor: i64,
}

fn unavailable(e: MeiliError) -> SearchError {
    match e {
        MeiliError::Meilisearch(m) => SearchError::Index(format!("Meilisearch refused the request: {m}")),
        MeiliError::Timeout => SearchError::Unavailable("Meilisearch did not finish a task in time".into()),
        other => SearchError::Unavailable(format!("Meilisearch is not reachable: {other}")),
    }
}

/// A filter value in double quotes, with quotes and backslashes escaped.
fn quoted(v: &str) -> String {
    format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
}

fn any_of(field: &str, values: &[String]) -> Option<String> {
    (!values.is_empty()).then(|| {
        format!("({})", values.iter().map(|v| format!("{field} = {}", quoted(v))).collect::<Vec<_>>().join(" OR "))
    })
}

impl MeiliIndex {
    /// `prefix` names the indexes (`{prefix}packages`, `{prefix}meta`): tests use their own.
    pub fn new(url: &str, key: Option<&str>, prefix: &str) -> Result<Self, SearchError> {
        let client = Client::new(url, key).map_err(unavailable)?;
        Ok(Self {
            client,
            packages: format!("{prefix}packages"),
            meta: format!("{prefix}meta"),
            timeout: REQUEST_TIMEOUT,
        })
    }

    /// The same index with another time limit per request.
    pub fn with_timeout(self, timeout: Duration) -> Self {
        Self { timeout, ..self }
    }

    /// `request`, or an `Unavailable` error once the time limit has passed.
    async fn timed<T>(
        &self,
        limit: Duration,
        request: impl std::future::Future<Output = Result<T, MeiliError>>,
    ) -> Result<T, SearchError> {
        match tokio::time::timeout(limit, request).await {
            Ok(result) => result.map_err(unavailable),
            Err(_) => {
                Err(SearchError::Unavailable(format!("Meilisearch did not answer within {} ms", limit.as_millis())))
            }
        }
    }

    async fn wait(
        &self,
        task: impl std::future::Future<Output = Result<TaskInfo, MeiliError>>,
    ) -> Result<(), SearchError> {
        let task = self.timed(self.timeout, task).await?;
        let wait = task.wait_for_completion(&self.client, Some(TASK_POLL), Some(TASK_TIMEOUT));
        let done = self.timed(TASK_TIMEOUT + self.timeout, wait).await?;
        if done.is_failure() {
            return Err(SearchError::Index(format!("Meilisearch task failed: {:?}", done.unwrap_failure())));
        }
        Ok(())
    }

    fn filter(&self, r: &Retrieval) -> Option<String> {
        let parts: Vec<String> = [
            any_of("ecosystem", &r.filters.ecosystem),
            any_of("channel", &r.filters.channel),
            any_of("licenses", &r.filters.license),
            any_of("ci_status", &r.filters.ci),
            any_of("archival_status", &r.filters.archival),
            any_of("platforms", &r.filters.platform),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!parts.is_empty()).then(|| parts.join(" AND "))
    }
}

/// A document as Meilisearch indexes it: the search document and the
/// English stems of its texts (Meilisearch does not stem English), searched
/// with the query's stems for a topic.
#[derive(Serialize)]
struct MeiliDoc<'a> {
    #[serde(flatten)]
    doc: &'a SearchDocument,
    stems: Box<str>,
}

impl<'a> MeiliDoc<'a> {
    fn of(doc: &'a SearchDocument) -> Self {
        let texts = [&doc.synopsis, &doc.description].into_iter().flatten().map(String::as_str);
        Self { doc, stems: stems_text(texts.chain(doc.variants.iter().map(String::as_str))) }
    }
}

/// A topic query's words as stems (each concept in its first form), for the
/// `stems` attribute; none when stemming changes no word.
fn topic_stems(q: &super::Understood) -> Option<String> {
    if !q.topic {
        return None;
    }
    let stems: Vec<&str> = q.concepts.iter().flat_map(|c| c.stems[0].iter().map(String::as_str)).collect();
    let words: Vec<&str> = q.concepts.iter().flat_map(|c| c.forms[0].iter().map(String::as_str)).collect();
    (stems != words).then(|| stems.join(" "))
}

/// A topic query's other wordings: each concept in its first, second…
/// form (words outside the table as typed), the query's own wording left out.
fn topic_texts(q: &super::Understood) -> Vec<String> {
    if !q.topic {
        return Vec::new();
    }
    let own = q.words.join(" ");
    let most = q.concepts.iter().map(|c| c.forms.len()).max().unwrap_or(0);
    let mut out: Vec<String> = Vec::new();
    for k in 0..most {
        let text = q.concepts.iter().map(|c| c.forms[k.min(c.forms.len() - 1)].join(" ")).collect::<Vec<_>>().join(" ");
        if text != own && !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

#[async_trait::async_trait]
impl SearchIndex for MeiliIndex {
    fn engine(&self) -> &'static str {
        "meilisearch"
    }

    async fn prepare(&self) -> Result<(), SearchError> {
        let settings = Settings::new()
            .with_searchable_attributes([
                "name",
                "base_name",
                "folded_base",
                "folded_name",
                "aliases",
                "provides",
                "synopsis",
                "description",
                "stems",
                "variants",
                "maintainers",
            ])
            .with_filterable_attributes([
                "ecosystem",
                "channel",
                "licenses",
                "folded_base",
                "folded_name",
                "provides",
                "platforms",
                "ci_status",
                "archival_status",
                "maintained",
                "funded",
            ])
            .with_sortable_attributes(["dependents", "name"])
            .with_ranking_rules(["words", "typo", "proximity", "attribute", "sort", "exactness", "dependents:desc"]);
        self.wait(self.client.index(&self.packages).set_settings(&settings)).await?;
        self.wait(self.client.index(&self.meta).set_settings(&Settings::new().with_filterable_attributes(["id"]))).await
    }

    async fn upsert(&self, docs: Vec<SearchDocument>) -> Result<(), SearchError> {
        for chunk in docs.chunks(10_000) {
            let chunk: Vec<MeiliDoc> = chunk.iter().map(MeiliDoc::of).collect();
            self.wait(self.client.index(&self.packages).add_or_replace(&chunk, Some("id"))).await?;
        }
        Ok(())
    }

    async fn delete(&self, ids: &[String]) -> Result<(), SearchError> {
        if ids.is_empty() {
            return Ok(());
        }
        self.wait(self.client.index(&self.packages).delete_documents(ids)).await
    }

    async fn clear(&self) -> Result<(), SearchError> {
        self.wait(self.client.index(&self.packages).delete_all_documents()).await?;
        self.set_cursor(0).await
    }

    async fn retrieve(&self, r: &Retrieval) -> Result<Retrieved, SearchError> {
        let index = self.client.index(&self.packages);
        let filter = self.filter(r);
        let text = match &r.query.spec {
            Some(spec) => spec.name.clone(),
            None => r.query.words.join(" "),
        };
        let facets = ["ecosystem", "channel", "licenses", "ci_status", "archival_status", "platforms"];
        let sort = ["dependents:desc"];
        let mut main = index.search();
        main.with_query(&text)
            .with_page(1)
            .with_hits_per_page(r.limit.max(1))
            .with_attributes_to_retrieve(meilisearch_sdk::search::Selectors::Some(&RETRIEVED))
            .with_facets(meilisearch_sdk::search::Selectors::Some(&facets));
        if r.query.folded.is_empty() {
            main.with_sort(&sort);
        }
        if let Some(f) = &filter {
            main.with_filter(f);
        }
        // Exact names and providers of the virtual typed, whatever the words' ranking did.
        let exact_filter = (!r.query.folded.is_empty()).then(|| {
            let exact = format!(
                "(folded_base = {f} OR folded_name = {f}{provides})",
                f = quoted(&r.query.folded),
                provides = match (&r.query.spec, r.query.words.as_slice()) {
                    (None, [w]) => format!(" OR provides = {}", quoted(w)),
                    _ => String::new(),
                }
            );
            match &filter {
                Some(f) => format!("{exact} AND {f}"),
                None => exact,
            }
        });
        let mut multi = self.client.multi_search();
        multi.with_search_query(main.build());
        if let Some(exact_filter) = &exact_filter {
            let mut exact = index.search();
            exact
                .with_filter(exact_filter)
                .with_limit(100)
                .with_attributes_to_retrieve(meilisearch_sdk::search::Selectors::Some(&RETRIEVED));
            multi.with_search_query(exact.build());
        }
        // A topic: the same words with each acronym or phrase of the table
        // in its other forms (`fem` is also searched as "finite element method").
        let alternatives = topic_texts(&r.query);
        let mut others = Vec::new();
        for alt in &alternatives {
            let mut q = index.search();
            q.with_query(alt)
                .with_limit(r.limit.max(1))
                .with_attributes_to_retrieve(meilisearch_sdk::search::Selectors::Some(&RETRIEVED));
            if let Some(f) = &filter {
                q.with_filter(f);
            }
            others.push(q);
        }
        // And its words' stems in the texts' stems ("aligner" for "alignment").
        let stems = topic_stems(&r.query);
        if let Some(stems) = &stems {
            let mut q = index.search();
            q.with_query(stems)
                .with_attributes_to_search_on(&["stems"])
                .with_limit(r.limit.max(1))
                .with_attributes_to_retrieve(meilisearch_sdk::search::Selectors::Some(&RETRIEVED));
            if let Some(f) = &filter {
                q.with_filter(f);
            }
            others.push(q);
        }
        for q in others.iter_mut() {
            multi.with_search_query(q.build());
        }
        let response = self.timed(self.timeout, multi.execute::<SearchDocument>()).await?;
        let mut results = response.results.into_iter();
        let main = results.next().ok_or_else(|| SearchError::Index("Meilisearch answered no result list".into()))?;
        // The exact names first (they are ranked whatever the page), then the words' hits.
        let mut candidates: Vec<SearchDocument> = if exact_filter.is_some() {
            results.next().map(|e| e.hits.into_iter().map(|h| h.result).collect()).unwrap_or_default()
        } else {
            Vec::new()
        };
        let mut seen: std::collections::HashSet<String> = candidates.iter().map(|c| c.id.clone()).collect();
        for d in
            main.hits.into_iter().map(|h| h.result).chain(results.flat_map(|e| e.hits.into_iter().map(|h| h.result)))
        {
            if seen.insert(d.id.clone()) {
                candidates.push(d);
            }
        }
        let candidates: Vec<Arc<RankRecord>> = candidates.iter().map(|d| Arc::new(RankRecord::of(d))).collect();
        let mut counts: FacetCounts = BTreeMap::new();
        let dist = main.facet_distribution.unwrap_or_default();
        for (name, key) in [
            ("ecosystem", "ecosystem"),
            ("channel", "channel"),
            ("license", "licenses"),
            ("ci", "ci_status"),
            ("archival", "archival_status"),
            ("platform", "platforms"),
        ] {
            let values =
                dist.get(key).map(|m| m.iter().map(|(k, v)| (k.clone(), *v as u64)).collect()).unwrap_or_default();
            counts.insert(name, values);
        }
        Ok(Retrieved {
            total: main.total_hits.or(main.estimated_total_hits).unwrap_or(candidates.len()) as u64,
            candidates,
            facets: counts,
        })
    }

    async fn count(&self) -> Result<u64, SearchError> {
        let stats = self.timed(self.timeout, self.client.index(&self.packages).get_stats()).await?;
        Ok(stats.number_of_documents as u64)
    }

    async fn cursor(&self) -> Result<i64, SearchError> {
        let meta = self.client.index(&self.meta);
        let read = meta.get_document::<Meta>(CURSOR_ID);
        match tokio::time::timeout(self.timeout, read).await.map_err(|_| {
            SearchError::Unavailable(format!("Meilisearch did not answer within {} ms", self.timeout.as_millis()))
        })? {
            Ok(m) => Ok(m.cursor),
            Err(MeiliError::Meilisearch(e))
                if e.error_code == meilisearch_sdk::errors::ErrorCode::DocumentNotFound
                    || e.error_code == meilisearch_sdk::errors::ErrorCode::IndexNotFound =>
            {
                Ok(0)
            }
            Err(e) => Err(unavailable(e)),
        }
    }

    async fn set_cursor(&self, cursor: i64) -> Result<(), SearchError> {
        let meta = [Meta { id: CURSOR_ID.into(), cursor }];
        self.wait(self.client.index(&self.meta).add_or_replace(&meta, Some("id"))).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_are_also_searched_in_their_other_wordings() {
        let q = crate::search::query::understand("fem solver").unwrap();
        assert_eq!(topic_texts(&q), ["finite element method solver", "finite element solver"]);
        let q = crate::search::query::understand("message passing interface").unwrap();
        assert_eq!(topic_texts(&q), ["mpi", "message passing"]);
        assert!(topic_texts(&crate::search::query::understand("numpy").unwrap()).is_empty());
    }

    #[test]
    fn topics_are_also_searched_by_stem() {
        let q = crate::search::query::understand("sequence alignment").unwrap();
        assert_eq!(topic_stems(&q).as_deref(), Some("sequenc align"));
        assert_eq!(topic_stems(&crate::search::query::understand("mpi").unwrap()), None);
        let d = SearchDocument { synopsis: Some("Short-read aligner".into()), ..Default::default() };
        assert_eq!(&*MeiliDoc::of(&d).stems, "short read align");
        let json = serde_json::to_value(MeiliDoc::of(&d)).unwrap();
        assert_eq!(json["synopsis"], "Short-read aligner", "the document's fields, flattened");
    }

    #[test]
    fn filter_values_cannot_break_out_of_quotes() {
        assert_eq!(quoted(r#"a" OR 1=1 \"#), r#""a\" OR 1=1 \\""#);
        assert_eq!(
            any_of("channel", &["guix".into(), "guix-science".into()]).unwrap(),
            r#"(channel = "guix" OR channel = "guix-science")"#
        );
    }
}
