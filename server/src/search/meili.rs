//! Meilisearch, through meilisearch-sdk: used when `MEILI_URL` is set.
//! Settings are applied by `prepare`; every task is awaited with a timeout;
//! errors become clear messages. The cursor of applied search changes is
//! kept in a one-document index beside the packages index.
use std::{collections::BTreeMap, time::Duration};

use meilisearch_sdk::{client::Client, errors::Error as MeiliError, settings::Settings, task_info::TaskInfo};
use serde::{Deserialize, Serialize};

use super::{FacetCounts, Retrieval, Retrieved, SearchDocument, SearchError, SearchIndex};

const TASK_TIMEOUT: Duration = Duration::from_secs(60);
const TASK_POLL: Duration = Duration::from_millis(50);

pub struct MeiliIndex {
    client: Client,
    packages: String,
    meta: String,
}

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
    (!values.is_empty()).then(|| format!("({})", values.iter().map(|v| format!("{field} = {}", quoted(v))).collect::<Vec<_>>().join(" OR ")))
}

impl MeiliIndex {
    /// `prefix` names the indexes (`{prefix}packages`, `{prefix}meta`): tests use their own.
    pub fn new(url: &str, key: Option<&str>, prefix: &str) -> Result<Self, SearchError> {
        let client = Client::new(url, key).map_err(unavailable)?;
        Ok(Self { client, packages: format!("{prefix}packages"), meta: format!("{prefix}meta") })
    }

    async fn wait(&self, task: Result<TaskInfo, MeiliError>) -> Result<(), SearchError> {
        let task = task.map_err(unavailable)?;
        let done = task.wait_for_completion(&self.client, Some(TASK_POLL), Some(TASK_TIMEOUT)).await.map_err(unavailable)?;
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
        ]
        .into_iter()
        .flatten()
        .collect();
        (!parts.is_empty()).then(|| parts.join(" AND "))
    }
}

#[async_trait::async_trait]
impl SearchIndex for MeiliIndex {
    fn engine(&self) -> &'static str {
        "meilisearch"
    }

    async fn prepare(&self) -> Result<(), SearchError> {
        let settings = Settings::new()
            .with_searchable_attributes([
                "name", "base_name", "folded_base", "folded_name", "aliases", "provides", "synopsis", "description",
                "variants", "maintainers",
            ])
            .with_filterable_attributes([
                "ecosystem", "channel", "licenses", "folded_base", "folded_name", "provides", "platforms", "ci_status",
                "archival_status", "maintained", "funded",
            ])
            .with_sortable_attributes(["dependents", "name"])
            .with_ranking_rules(["words", "typo", "proximity", "attribute", "sort", "exactness", "dependents:desc"]);
        self.wait(self.client.index(&self.packages).set_settings(&settings).await).await?;
        self.wait(self.client.index(&self.meta).set_settings(&Settings::new().with_filterable_attributes(["id"])).await).await
    }

    async fn upsert(&self, docs: Vec<SearchDocument>) -> Result<(), SearchError> {
        for chunk in docs.chunks(10_000) {
            self.wait(self.client.index(&self.packages).add_or_replace(chunk, Some("id")).await).await?;
        }
        Ok(())
    }

    async fn delete(&self, ids: &[String]) -> Result<(), SearchError> {
        if ids.is_empty() {
            return Ok(());
        }
        self.wait(self.client.index(&self.packages).delete_documents(ids).await).await
    }

    async fn clear(&self) -> Result<(), SearchError> {
        self.wait(self.client.index(&self.packages).delete_all_documents().await).await?;
        self.set_cursor(0).await
    }

    async fn retrieve(&self, r: &Retrieval) -> Result<Retrieved, SearchError> {
        let index = self.client.index(&self.packages);
        let filter = self.filter(r);
        let text = match &r.query.spec {
            Some(spec) => spec.name.clone(),
            None => r.query.words.join(" "),
        };
        let facets = ["ecosystem", "channel", "licenses"];
        let main = {
            let mut q = index.search();
            q.with_query(&text).with_limit(r.limit).with_facets(meilisearch_sdk::search::Selectors::Some(&facets));
            if r.query.folded.is_empty() {
                q.with_sort(&["dependents:desc"]);
            }
            if let Some(f) = &filter {
                q.with_filter(f);
            }
            q.execute::<SearchDocument>().await.map_err(unavailable)?
        };
        let mut candidates: Vec<SearchDocument> = main.hits.into_iter().map(|h| h.result).collect();
        // Exact names and providers of the virtual typed, whatever the words' ranking did.
        if !r.query.folded.is_empty() {
            let mut exact = format!(
                "(folded_base = {f} OR folded_name = {f}{provides})",
                f = quoted(&r.query.folded),
                provides = match (&r.query.spec, r.query.words.as_slice()) {
                    (None, [w]) => format!(" OR provides = {}", quoted(w)),
                    _ => String::new(),
                }
            );
            if let Some(f) = &filter {
                exact = format!("{exact} AND {f}");
            }
            let extra = index
                .search()
                .with_filter(&exact)
                .with_limit(100)
                .execute::<SearchDocument>()
                .await
                .map_err(unavailable)?;
            for h in extra.hits {
                if !candidates.iter().any(|c| c.id == h.result.id) {
                    candidates.push(h.result);
                }
            }
        }
        let mut counts: FacetCounts = BTreeMap::new();
        let dist = main.facet_distribution.unwrap_or_default();
        for (name, key) in [("ecosystem", "ecosystem"), ("channel", "channel"), ("license", "licenses")] {
            let values = dist.get(key).map(|m| m.iter().map(|(k, v)| (k.clone(), *v as u64)).collect()).unwrap_or_default();
            counts.insert(name, values);
        }
        Ok(Retrieved {
            total: main.estimated_total_hits.or(main.total_hits).unwrap_or(candidates.len()) as u64,
            candidates,
            facets: counts,
        })
    }

    async fn count(&self) -> Result<u64, SearchError> {
        let stats = self.client.index(&self.packages).get_stats().await.map_err(unavailable)?;
        Ok(stats.number_of_documents as u64)
    }

    async fn cursor(&self) -> Result<i64, SearchError> {
        match self.client.index(&self.meta).get_document::<Meta>("cursor").await {
            Ok(m) => Ok(m.cursor),
            Err(MeiliError::Meilisearch(e)) if e.error_code == meilisearch_sdk::errors::ErrorCode::DocumentNotFound
                || e.error_code == meilisearch_sdk::errors::ErrorCode::IndexNotFound => Ok(0),
            Err(e) => Err(unavailable(e)),
        }
    }

    async fn set_cursor(&self, cursor: i64) -> Result<(), SearchError> {
        let meta = [Meta { id: "cursor".into(), cursor }];
        self.wait(self.client.index(&self.meta).add_or_replace(&meta, Some("id")).await).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_values_cannot_break_out_of_quotes() {
        assert_eq!(quoted(r#"a" OR 1=1 \"#), r#""a\" OR 1=1 \\""#);
        assert_eq!(
            any_of("channel", &["guix".into(), "guix-science".into()]).unwrap(),
            r#"(channel = "guix" OR channel = "guix-science")"#
        );
    }
}
