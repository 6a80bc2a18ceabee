//! The OpenAPI description of `/api/v1`, served at `/api/v1/openapi.json`
//! and generated from the handlers and the shared types (utoipa).
use utoipa::OpenApi;

/// What every error answer holds.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: String,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Pacatlas API", version = "1", description = "Packages of GNU Guix, Spack and Nix channels: search and catalog. Read-only; JSON; errors are `{\"error\": …}`."),
    paths(super::search::search, super::api::channels, super::api::channel, super::api::package),
    components(schemas(ErrorBody)),
    tags((name = "search", description = "Package search"), (name = "catalog", description = "Channels and packages"))
)]
struct ApiDoc;

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
