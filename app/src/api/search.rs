//! Search: the request (the URL is the state), the answer, and the server
//! function the page and the live search use.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Results per page.
pub const PER_PAGE: u32 = 20;
/// The last page a search can show: results are paged through the first
/// `MAX_PAGE * PER_PAGE` (1,000) matches; a later page is refused (400).
pub const MAX_PAGE: u32 = 50;
/// At most this many values per facet (`ecosystem`, `channel`, `license`, `ci`, `archival`, `platform`)…
pub const MAX_FACET_VALUES: usize = 20;
/// …each at most this many bytes; more is refused (400).
pub const MAX_FACET_VALUE_BYTES: usize = 100;

/// What a search asks: `/search?q=…&ecosystem=…&channel=…&license=…&ci=…&page=…`.
/// A facet given several times means any of those values (OR); different
/// facets combine with AND.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchParams {
    pub q: String,
    pub ecosystem: Vec<String>,
    pub channel: Vec<String>,
    pub license: Vec<String>,
    /// CI status: `passing`, `failing` or `unknown` (no build result).
    #[serde(default)]
    pub ci: Vec<String>,
    /// Archival in Software Heritage: `archived` (every source), `partly`, `not` or `unknown`.
    #[serde(default)]
    pub archival: Vec<String>,
    /// Platform: a system (`x86_64-linux`, `aarch64-linux`, `powerpc64le-linux`, `riscv64-linux`,
    /// `i686-linux`) or a GPU vendor (`nvidia`, `amd`) the recipe declares, a build succeeded on or a
    /// site attests.
    #[serde(default)]
    pub platform: Vec<String>,
    pub page: u32,
}

impl SearchParams {
    /// Reads the parameters from a query string's pairs.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut p = SearchParams { page: 1, ..Default::default() };
        for (k, v) in pairs {
            match k {
                "q" => p.q = v.to_string(),
                "ecosystem" if !v.is_empty() => p.ecosystem.push(v.to_string()),
                "channel" if !v.is_empty() => p.channel.push(v.to_string()),
                "license" if !v.is_empty() => p.license.push(v.to_string()),
                "ci" if !v.is_empty() => p.ci.push(v.to_string()),
                "archival" if !v.is_empty() => p.archival.push(v.to_string()),
                "platform" if !v.is_empty() => p.platform.push(v.to_string()),
                // A number past u32 is kept as u32::MAX: refused as past the last page.
                "page" => {
                    let digits = !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
                    p.page = match v.parse::<u64>() {
                        Ok(n) => n.clamp(1, u64::from(u32::MAX)) as u32,
                        Err(_) if digits => u32::MAX,
                        Err(_) => 1,
                    }
                }
                _ => {}
            }
        }
        p
    }

    /// The query string for these parameters (the page's URL).
    pub fn to_query(&self) -> String {
        let mut parts = vec![format!("q={}", encode(&self.q))];
        for (k, vs) in self.facets() {
            for v in vs {
                parts.push(format!("{k}={}", encode(v)));
            }
        }
        if self.page > 1 {
            parts.push(format!("page={}", self.page));
        }
        parts.join("&")
    }

    /// Every facet's name (its URL key) and selected values.
    pub fn facets(&self) -> [(&'static str, &Vec<String>); 6] {
        [
            ("ecosystem", &self.ecosystem),
            ("channel", &self.channel),
            ("license", &self.license),
            ("ci", &self.ci),
            ("archival", &self.archival),
            ("platform", &self.platform),
        ]
    }

    pub fn href(&self) -> String {
        format!("/search?{}", self.to_query())
    }

    /// The same search with one facet value switched on or off (page 1).
    pub fn toggled(&self, facet: &str, value: &str) -> SearchParams {
        let mut next = self.clone();
        next.page = 1;
        let list = match facet {
            "ecosystem" => &mut next.ecosystem,
            "channel" => &mut next.channel,
            "ci" => &mut next.ci,
            "archival" => &mut next.archival,
            "platform" => &mut next.platform,
            _ => &mut next.license,
        };
        if let Some(i) = list.iter().position(|v| v == value) {
            list.remove(i);
        } else {
            list.push(value.to_string());
        }
        next
    }
}

/// Form-style encoding for a query-string value.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A piece of text and whether it matched the query (for highlighting
/// without ever building HTML from data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Segment {
    pub text: String,
    pub hit: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchHit {
    pub ecosystem: String,
    pub channel: String,
    pub name: String,
    pub version: Option<String>,
    pub synopsis: Vec<Segment>,
    /// For a Spack spec query: the version and variants of the package that match it.
    pub matched_version: Option<String>,
    pub matched_variants: Vec<String>,
    /// Why it is here: `name`, `provides`, `prefix`, `words`, `typo`, `text`.
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
    pub selected: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Facets {
    pub ecosystem: Vec<FacetValue>,
    pub channel: Vec<FacetValue>,
    pub license: Vec<FacetValue>,
    /// CI status: passing, failing, unknown.
    #[serde(default)]
    pub ci: Vec<FacetValue>,
    /// Archival: archived, partly, not, unknown.
    #[serde(default)]
    pub archival: Vec<FacetValue>,
    /// Platform: systems (x86_64-linux…) and GPU vendors (nvidia, amd).
    #[serde(default)]
    pub platform: Vec<FacetValue>,
}

/// A search refused for its parameters: what is wrong, in terms a page can
/// put into any language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SearchProblem {
    /// The query has more than `max` characters.
    QueryTooLong { max: u32 },
    /// More than `max` values of one facet.
    TooManyValues { facet: String, max: u32 },
    /// A facet value longer than `max` bytes.
    ValueTooLong { facet: String, max: u32 },
    /// A page past the last one a search shows.
    PageTooFar { max: u32 },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchResponse {
    pub params: SearchParams,
    pub hits: Vec<SearchHit>,
    /// How many results can be paged through: every page up to
    /// `ceil(total / per_page)` has hits. At most `MAX_PAGE * PER_PAGE`.
    pub total: u64,
    /// How many packages match in all (more than `total` when there are
    /// more than can be paged through; an estimate on Meilisearch).
    #[serde(default)]
    pub matches: u64,
    pub page: u32,
    pub per_page: u32,
    pub facets: Facets,
    pub took_ms: f64,
    /// Which engine answered: `embedded`, `meilisearch`, or `postgresql`
    /// (degraded: the configured engine did not answer).
    pub engine: String,
    pub degraded: bool,
    /// The query as understood, when it is a Spack spec (e.g. `hdf5 +mpi`).
    pub spec: Option<String>,
    /// Why the query could not be run (too long…): the page answers 400.
    pub error: Option<String>,
    /// Why the search was refused, for pages to say in the reader's language
    /// (`error` says it in English).
    #[serde(default)]
    pub problem: Option<SearchProblem>,
}

impl SearchResponse {
    /// The answer to a query that cannot be run.
    pub fn refused(params: SearchParams, error: String, problem: SearchProblem) -> Self {
        Self {
            page: 1,
            params,
            hits: Vec::new(),
            total: 0,
            matches: 0,
            per_page: PER_PAGE,
            facets: Facets::default(),
            took_ms: 0.0,
            engine: String::new(),
            degraded: false,
            spec: None,
            error: Some(error),
            problem: Some(problem),
        }
    }
}

/// The server side of search, provided in context as `Arc<dyn SearchPort>`.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait SearchPort: Send + Sync {
    async fn search(&self, params: SearchParams) -> Result<SearchResponse, ServerFnError>;
}

/// JSON input: the form encoding cannot carry the facet lists.
#[server(prefix = "/fn", endpoint = "search", input = leptos::server_fn::codec::Json)]
pub async fn run_search(params: SearchParams) -> Result<SearchResponse, ServerFnError> {
    let port =
        use_context::<std::sync::Arc<dyn SearchPort>>().ok_or_else(|| ServerFnError::new("search is not available"))?;
    let response = port.search(params).await.inspect_err(|_| crate::api::catalog::set_unavailable())?;
    if response.error.is_some() {
        crate::api::catalog::set_status(400);
    }
    if response.degraded {
        // An answer from the fallback engine: never kept by a cache.
        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
            resp.insert_header(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_is_the_state() {
        let p = SearchParams::from_pairs([
            ("q", "hdf5 +mpi"),
            ("ecosystem", "spack"),
            ("ecosystem", "guix"),
            ("page", "2"),
        ]);
        assert_eq!(p.ecosystem, ["spack", "guix"]);
        assert_eq!(p.page, 2);
        assert_eq!(p.to_query(), "q=hdf5+%2Bmpi&ecosystem=spack&ecosystem=guix&page=2");
        let t = p.toggled("ecosystem", "spack");
        assert_eq!(t.ecosystem, ["guix"]);
        assert_eq!(t.page, 1);
        assert_eq!(t.toggled("license", "MIT").license, ["MIT"]);
    }

    #[test]
    fn pages_out_of_range_are_kept_for_the_server_to_refuse() {
        let page = |v: &str| SearchParams::from_pairs([("page", v)]).page;
        assert_eq!(page("4294967295"), u32::MAX);
        assert_eq!(page("99999999999"), u32::MAX);
        assert_eq!(page("18446744073709551616"), u32::MAX);
        assert_eq!(page("0"), 1);
        assert_eq!(page("-3"), 1);
        assert_eq!(page("two"), 1);
    }
}
