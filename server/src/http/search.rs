//! `/api/v1/search` (JSON) and the OpenSearch description.
use axum::{
    extract::{RawQuery, State},
    http::header,
    response::IntoResponse,
    routing::get,
    Json, Router,
};

use super::AppState;
use crate::{error::AppError, search::SearchError};
use app::api::search::{SearchParams, SearchResponse};

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/search", get(search)).route("/opensearch.xml", get(opensearch))
}

/// Query pairs, decoded (`+` is a space); repeated keys are kept.
pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()).into_owned().collect()
}

async fn search(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<SearchResponse>, AppError> {
    let pairs = pairs(raw.as_deref());
    let params = SearchParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    state.search.search(params).await.map(Json).map_err(|e| match e {
        SearchError::BadQuery(q) => AppError::BadRequest(q.to_string()),
        other => AppError::Internal(other.into()),
    })
}

async fn opensearch() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/opensearchdescription+xml")],
        r#"<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
  <ShortName>Pacatlas</ShortName>
  <Description>Search GNU Guix, Spack and Nix packages</Description>
  <InputEncoding>UTF-8</InputEncoding>
  <Image width="32" height="32" type="image/svg+xml">/favicon.svg</Image>
  <Url type="text/html" method="get" template="/search?q={searchTerms}"/>
  <Url type="application/json" method="get" template="/api/v1/search?q={searchTerms}"/>
</OpenSearchDescription>
"#,
    )
}
