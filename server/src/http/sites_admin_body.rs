//! What the sites admin API (`sites_admin`) reads and answers: the bodies
//! of its `PUT`s, what a change did, and its error answer.
use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::{Deserialize, Serialize};

/// A refusal or a failure: `{"error": …}`, and `field` when a field is wrong.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AdminError {
    pub error: String,
    /// The wrong field of the body or path, for a 400.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// The body of `PUT /api/v1/sites/{site}`.
#[derive(Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteBody {
    /// 1 to 200 characters.
    pub title: String,
    /// 1 to 200 characters.
    pub operator: String,
    /// http or https.
    pub url: Option<String>,
    pub country: Option<String>,
    pub description: Option<String>,
}

/// The body of `PUT /api/v1/sites/{site}/machines/{machine}`.
#[derive(Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MachineBody {
    pub title: String,
    /// http or https.
    pub url: Option<String>,
    pub description: Option<String>,
}

/// The body of `PUT /api/v1/sites/{site}/machines/{machine}/partitions/{partition}`.
#[derive(Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartitionBody {
    /// x86_64-linux, aarch64-linux, powerpc64le-linux, riscv64-linux or i686-linux.
    pub system: String,
    /// An archspec micro-architecture of that system.
    pub microarch: Option<String>,
    pub cpu_model: Option<String>,
    /// nvidia, amd or intel.
    pub gpu_vendor: Option<String>,
    pub gpu_model: Option<String>,
    /// sm_XX (CUDA) or gfxXXX (ROCm), of the vendor.
    pub gpu_target: Option<String>,
    /// Not negative.
    pub nodes: Option<i32>,
}

/// What a change did.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Changed {
    /// site:NAME, machine:SITE/NAME or partition:SITE/MACHINE/NAME.
    pub target: String,
    /// created, updated or deleted.
    pub action: String,
    /// Attestations deleted with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attestations_deleted: Option<i64>,
}

pub(super) fn error(status: StatusCode, message: &str, field: Option<&str>) -> Response {
    let body = AdminError { error: message.into(), field: field.map(str::to_string) };
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

pub(super) fn unavailable(e: sqlx::Error) -> Response {
    tracing::error!(error = %e, "sites admin: database error");
    error(StatusCode::SERVICE_UNAVAILABLE, "the database is unavailable", None)
}
