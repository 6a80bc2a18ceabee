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
    info(title = "Pacatlas API", version = "1", description = "Packages of GNU Guix, Spack and Nix channels: search and catalog. Read-only but for the push API of CI results (bearer token); JSON; errors are `{\"error\": …}`."),
    paths(super::search::search, super::api::channels, super::api::channel, super::api::package, super::builds::push_builds, super::builds::package_builds, super::builds::history, super::builds::ci, super::builds::ci_service),
    components(schemas(ErrorBody)),
    modifiers(&BearerToken),
    tags((name = "search", description = "Package search"), (name = "catalog", description = "Channels and packages"), (name = "builds", description = "CI build results"))
)]
struct ApiDoc;

/// The push API's bearer tokens (`pacatlas token create --scope ci:SERVICE`).
struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    // Areas describe their paths and tag in their own module.
    doc.merge(super::archival::ArchivalApi::openapi());
    doc.merge(super::matrix::MatrixApi::openapi());
    doc.merge(super::maintainers::MaintainersApi::openapi());
    doc.merge(super::account::AccountApi::openapi());
    doc.merge(super::criticality::CriticalityApi::openapi());
    doc.merge(super::funding::FundingApi::openapi());
    doc
}
