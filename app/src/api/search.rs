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
        let mut out = String::with_capacity(32 + self.q.len());
        self.write_query(&mut out, None);
        out
    }

    /// Writes the query string, with one facet value switched on or off
    /// (and then page 1) when `toggle` is given.
    fn write_query(&self, out: &mut String, toggle: Option<(&str, &str)>) {
        out.push_str("q=");
        encode_into(out, &self.q);
        for (k, vs) in self.facets() {
            let toggled = toggle.filter(|(facet, _)| *facet == k).map(|(_, value)| value);
            for v in vs.iter().filter(|v| Some(v.as_str()) != toggled) {
                push_pair(out, k, v);
            }
            if let Some(value) = toggled.filter(|value| !vs.iter().any(|v| v == value)) {
                push_pair(out, k, value);
            }
        }
        if self.page > 1 && toggle.is_none() {
            out.push_str("&page=");
            out.push_str(&self.page.to_string());
        }
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

    /// The link to the same search with one facet value switched on or off
    /// (page 1): the facet's links are built without copying the search.
    pub fn toggled_href(&self, facet: &str, value: &str) -> String {
        let mut out = String::with_capacity(48 + self.q.len() + value.len());
        out.push_str("/search?");
        self.write_query(&mut out, Some((facet, value)));
        out
    }
}

fn push_pair(out: &mut String, key: &str, value: &str) {
    out.push('&');
    out.push_str(key);
    out.push('=');
    encode_into(out, value);
}

/// Form-style encoding for a query-string value.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    encode_into(&mut out, s);
    out
}

fn encode_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
    }
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

/// Values a search page shows per facet: the most frequent ones, and every
/// selected one besides (so a selection can always be undone).
pub const PAGE_FACET_VALUES: usize = 12;

impl Facets {
    /// What a page shows of each facet: the first `n` values (most frequent
    /// first) and every selected value after them.
    pub fn for_page(mut self, n: usize) -> Self {
        for list in [
            &mut self.ecosystem,
            &mut self.channel,
            &mut self.license,
            &mut self.ci,
            &mut self.archival,
            &mut self.platform,
        ] {
            let mut seen = 0;
            list.retain(|v| {
                seen += 1;
                seen <= n || v.selected
            });
        }
        self
    }
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
    let mut response = port.search(params).await.inspect_err(|_| crate::api::catalog::set_unavailable())?;
    // The page (rendered here, then hydrated from this answer) shows no more.
    response.facets = std::mem::take(&mut response.facets).for_page(PAGE_FACET_VALUES);
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
        assert_eq!(p.toggled_href("ecosystem", "spack"), "/search?q=hdf5+%2Bmpi&ecosystem=guix");
        assert_eq!(
            p.toggled_href("license", "MIT/X 11"),
            "/search?q=hdf5+%2Bmpi&ecosystem=spack&ecosystem=guix&license=MIT%2FX+11"
        );
        assert_eq!(encode("é&="), "%C3%A9%26%3D");
    }

    #[test]
    fn a_page_shows_the_top_facet_values_and_every_selected_one() {
        let value = |v: &str, count, selected| FacetValue { value: v.into(), count, selected };
        let facets = Facets {
            license: (0..20).map(|i| value(&format!("L{i}"), 100 - i, i == 17)).collect(),
            ecosystem: vec![value("spack", 3, false)],
            ..Default::default()
        }
        .for_page(12);
        let shown: Vec<&str> = facets.license.iter().map(|v| v.value.as_str()).collect();
        let mut expected: Vec<String> = (0..12).map(|i| format!("L{i}")).collect();
        expected.push("L17".into());
        assert_eq!(shown, expected);
        assert_eq!(facets.ecosystem.len(), 1);
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
