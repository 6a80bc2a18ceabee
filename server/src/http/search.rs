//! `/api/v1/search` (JSON) and the OpenSearch description.
use axum::{
    extract::{RawQuery, State},
    http::{header, HeaderMap},
    response::IntoResponse,
    routing::get,
    Json, Router,
};

use super::AppState;
use crate::{error::AppError, search::SearchError};
use app::api::search::{SearchParams, SearchResponse};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/search", get(search).layer(super::api::public_read_cors()))
        .route("/opensearch.xml", get(opensearch))
}

/// Query pairs, decoded (`+` is a space); repeated keys are kept.
pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()).into_owned().collect()
}

/// Search packages across every channel: the page's ranking, facets and paging.
#[utoipa::path(get, path = "/api/v1/search", tag = "search",
    params(("q" = Option<String>, Query, description = "the query: names (any ecosystem's spelling), words, Spack specs (`hdf5+mpi`, `gcc@13`), virtuals (`mpi`); at most 256 characters"),
           ("ecosystem" = Option<Vec<String>>, Query, description = "guix, spack, nix; repeat for either"),
           ("channel" = Option<Vec<String>>, Query, description = "channel name; repeat for either"),
           ("license" = Option<Vec<String>>, Query, description = "SPDX id (or the channel's licence text); repeat for either"),
           ("ci" = Option<Vec<String>>, Query, description = "CI status: passing, failing or unknown (no build result); repeat for either"),
           ("archival" = Option<Vec<String>>, Query, description = "Archival in Software Heritage: archived (every source), partly, not (none archived, some missing) or unknown; repeat for either"),
           ("platform" = Option<Vec<String>>, Query, description = "Platform: a system (x86_64-linux, aarch64-linux, powerpc64le-linux, riscv64-linux, i686-linux) or a GPU vendor (nvidia, amd) that the recipe declares, a latest build succeeded on or a site attests works; repeat for either"),
           ("page" = Option<u32>, Query, description = "from 1, 20 a page")),
    responses((status = 200, description = "Results, facets and timing", body = SearchResponse),
              (status = 400, description = "A query too long or not understood", body = super::openapi::ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<axum::response::Response, AppError> {
    let pairs = pairs(raw.as_deref());
    let params = SearchParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let response = state.search.search(params).await.map_err(|e| match e {
        SearchError::BadQuery(q) => AppError::BadRequest(q.to_string()),
        SearchError::Database(e) => AppError::from(e),
        other => AppError::Internal(other.into()),
    })?;
    // An answer from the fallback engine is never kept by a cache.
    let no_store = response.degraded.then_some([(header::CACHE_CONTROL, "no-store")]);
    Ok((no_store, Json(response)).into_response())
}

/// The OpenSearch description. Browsers need absolute URLs in it: from
/// `public_url`, else from the request's `Host` (when it is a plain host name).
async fn opensearch(State(state): State<AppState>, headers: HeaderMap) -> impl IntoResponse {
    let base = match &state.config.public_url {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
            let plain = !host.is_empty()
                && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
            if plain {
                format!("http://{host}")
            } else {
                format!("http://{}", state.config.site_addr)
            }
        }
    };
    let base = xml_escape(&base);
    (
        [(header::CONTENT_TYPE, "application/opensearchdescription+xml")],
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
  <ShortName>Pacatlas</ShortName>
  <Description>Search GNU Guix, Spack and Nix packages</Description>
  <InputEncoding>UTF-8</InputEncoding>
  <Image width="32" height="32" type="image/svg+xml">{base}/favicon.svg</Image>
  <Url type="text/html" method="get" template="{base}/search?q={{searchTerms}}"/>
  <Url type="application/json" method="get" template="{base}/api/v1/search?q={{searchTerms}}"/>
  <Url type="application/opensearchdescription+xml" rel="self" template="{base}/opensearch.xml"/>
</OpenSearchDescription>
"#
        ),
    )
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
