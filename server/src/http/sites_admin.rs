//! The sites admin API: admins add, change and delete HPC sites, their
//! machines and partitions (`PUT` adds or updates by name, `DELETE`
//! removes, cascading to the attestations), with the TOML loader's checks
//! (`platforms::sites::check_*`). Allowed to an admin's session (JSON from a
//! page of this site, with the session's CSRF token in `X-CSRF-Token`) or to
//! a personal token of scope `admin:sites` whose owner is an admin at the
//! time of the request. Every change is in the audit log.
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::put,
    Json, Router,
};
use serde_json::json;
use sqlx::{Postgres, Transaction};

use super::sites_admin_body::{error, unavailable};
pub use super::sites_admin_body::{AdminError, Changed, MachineBody, PartitionBody, SiteBody};
use super::{auth::MaybeViewer, AppState};
use crate::{
    accounts::{audit, csrf, tokens, users},
    platforms::sites::{self, MachineRecord, PartitionRecord, SiteRecord},
};

/// The scope of a personal token that may use this API (only an admin may create one).
pub const SCOPE: &str = "admin:sites";
/// The header carrying the session's CSRF token on JSON requests.
pub const CSRF_HEADER: &str = "x-csrf-token";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/sites/{site}", put(put_site).delete(delete_site))
        .route("/api/v1/sites/{site}/machines/{machine}", put(put_machine).delete(delete_machine))
        .route(
            "/api/v1/sites/{site}/machines/{machine}/partitions/{partition}",
            put(put_partition).delete(delete_partition),
        )
}

/// The value, or (from the handler) the answer its error already is.
macro_rules! or_answer {
    ($result:expr) => {
        match $result {
            Ok(value) => value,
            Err(answer) => return answer,
        }
    };
}

/// Who acts: an admin, by session or by token.
struct Actor {
    user: i64,
    token: Option<i64>,
}

async fn admin(
    state: &AppState,
    headers: &HeaderMap,
    viewer: Option<crate::accounts::session::Viewer>,
) -> Result<Actor, Response> {
    if headers.contains_key(header::AUTHORIZATION) {
        let value = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        let token = match tokens::authenticate(&state.pool, value).await {
            Ok(Ok(t)) => t,
            Ok(Err(tokens::Refusal::Unauthenticated(why))) => return Err(error(StatusCode::UNAUTHORIZED, why, None)),
            Ok(Err(tokens::Refusal::Forbidden)) => return Err(error(StatusCode::FORBIDDEN, "forbidden", None)),
            Err(e) => return Err(unavailable(e)),
        };
        let Some(user) = token.user_id.filter(|_| token.scope == SCOPE) else {
            return Err(error(StatusCode::FORBIDDEN, "this token does not have the scope admin:sites", None));
        };
        // The owner must still be an admin (a demoted admin's tokens stop working).
        let role: Option<String> = sqlx::query_scalar("SELECT role FROM users WHERE id = $1 AND disabled_at IS NULL")
            .bind(user)
            .fetch_optional(&state.pool)
            .await
            .map_err(unavailable)?;
        if role.as_deref() != Some("admin") {
            return Err(error(StatusCode::FORBIDDEN, "this token's owner is not an admin", None));
        }
        return Ok(Actor { user, token: Some(token.id) });
    }
    let Some(v) = viewer else {
        return Err(error(StatusCode::UNAUTHORIZED, "log in, or send Authorization: Bearer <token>", None));
    };
    let given = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !csrf::form_ok(headers, state.config.public_url.as_deref(), &v.csrf, given) {
        return Err(error(
            StatusCode::FORBIDDEN,
            "send the session's CSRF token in X-CSRF-Token, from a page of this site",
            None,
        ));
    }
    if users::rank(&v.role) < users::rank("admin") {
        return Err(error(StatusCode::FORBIDDEN, "only admins may change sites", None));
    }
    Ok(Actor { user: v.id, token: None })
}

// A refusal is the handler's answer as it is, as everywhere in this module.
#[allow(clippy::result_large_err)]
fn parse<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, Response> {
    serde_json::from_slice(body).map_err(|e| {
        // serde names the unknown or missing field in its message.
        let message = format!("the body is not valid: {e}");
        let field = e.to_string().split('`').nth(1).map(str::to_string);
        error(StatusCode::BAD_REQUEST, &message, field.as_deref())
    })
}

fn bad(field: &str, message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, &format!("{field}: {message}"), Some(field))
}

async fn site_id(tx: &mut Transaction<'_, Postgres>, site: &str) -> Result<i64, Response> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM sites WHERE name = $1")
        .bind(site)
        .fetch_optional(&mut **tx)
        .await
        .map_err(unavailable)?;
    id.ok_or_else(|| error(StatusCode::NOT_FOUND, &format!("no site named {site:?}"), None))
}

async fn machine_id(tx: &mut Transaction<'_, Postgres>, site: &str, machine: &str) -> Result<i64, Response> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT m.id FROM machines m JOIN sites s ON s.id = m.site_id WHERE s.name = $1 AND m.name = $2",
    )
    .bind(site)
    .bind(machine)
    .fetch_optional(&mut **tx)
    .await
    .map_err(unavailable)?;
    id.ok_or_else(|| error(StatusCode::NOT_FOUND, &format!("no machine {machine:?} at site {site:?}"), None))
}

/// Audit entry, catalog generation, commit, answer.
async fn finish(
    mut tx: Transaction<'_, Postgres>,
    actor: &Actor,
    action: &str,
    target: String,
    detail: serde_json::Value,
    attestations_deleted: Option<i64>,
) -> Response {
    let kind = target.split(':').next().unwrap_or("site");
    let mut detail = detail;
    if let (Some(token), Some(map)) = (actor.token, detail.as_object_mut()) {
        map.insert("token".into(), json!(token));
    }
    if let (Some(n), Some(map)) = (attestations_deleted, detail.as_object_mut()) {
        map.insert("attestations_deleted".into(), json!(n));
    }
    let written = async {
        audit::record(&mut *tx, Some(actor.user), &format!("{kind}.{action}"), &target, None, detail).await?;
        crate::catalog::generation::bump(&mut *tx).await?;
        tx.commit().await
    };
    if let Err(e) = written.await {
        return unavailable(e);
    }
    tracing::info!(user = actor.user, %target, action, "sites admin");
    let status = if action == "created" { StatusCode::CREATED } else { StatusCode::OK };
    (status, Json(Changed { target, action: action.into(), attestations_deleted })).into_response()
}

fn verb(created: bool) -> &'static str {
    if created {
        "created"
    } else {
        "updated"
    }
}

/// Adds or updates a site (admin).
#[utoipa::path(put, path = "/api/v1/sites/{site}", tag = "matrix",
    params(("site" = String, Path, description = "the site's name")),
    request_body = SiteBody,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = Changed),
              (status = 200, description = "Updated", body = Changed),
              (status = 400, description = "A field is wrong (named in `field`); nothing written", body = AdminError),
              (status = 401, description = "No session and no live token", body = AdminError),
              (status = 403, description = "Not an admin, a token without the scope admin:sites, or no CSRF token", body = AdminError)))]
pub async fn put_site(
    State(state): State<AppState>,
    Path(site): Path<String>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
    body: Bytes,
) -> Response {
    let actor = or_answer!(admin(&state, &headers, viewer).await);
    let b: SiteBody = or_answer!(parse(&body));
    let detail = json!(b);
    let record = SiteRecord {
        name: site.clone(),
        title: b.title,
        operator: b.operator,
        url: b.url,
        country: b.country,
        description: b.description,
        machine: Vec::new(),
    };
    if let Err((field, message)) = sites::check_site(&record) {
        return bad(field, &message);
    }
    let mut tx = or_answer!(state.pool.begin().await.map_err(unavailable));
    match sites::upsert_site(&mut tx, &record).await {
        Ok((_, created)) => finish(tx, &actor, verb(created), format!("site:{site}"), detail, None).await,
        Err(e) => unavailable(e),
    }
}

/// Adds or updates a machine of a site (admin).
#[utoipa::path(put, path = "/api/v1/sites/{site}/machines/{machine}", tag = "matrix",
    params(("site" = String, Path, description = "the site's name"), ("machine" = String, Path, description = "the machine's name")),
    request_body = MachineBody,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = Changed),
              (status = 200, description = "Updated", body = Changed),
              (status = 400, description = "A field is wrong (named in `field`); nothing written", body = AdminError),
              (status = 401, description = "No session and no live token", body = AdminError),
              (status = 403, description = "Not an admin, a token without the scope admin:sites, or no CSRF token", body = AdminError),
              (status = 404, description = "No such site", body = AdminError)))]
pub async fn put_machine(
    State(state): State<AppState>,
    Path((site, machine)): Path<(String, String)>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
    body: Bytes,
) -> Response {
    let actor = or_answer!(admin(&state, &headers, viewer).await);
    let b: MachineBody = or_answer!(parse(&body));
    let detail = json!(b);
    let record = MachineRecord {
        name: machine.clone(),
        title: b.title,
        url: b.url,
        description: b.description,
        partition: Vec::new(),
    };
    if let Err((field, message)) = sites::check_machine(&record) {
        return bad(field, &message);
    }
    let mut tx = or_answer!(state.pool.begin().await.map_err(unavailable));
    let id = or_answer!(site_id(&mut tx, &site).await);
    match sites::upsert_machine(&mut tx, id, &record).await {
        Ok((_, created)) => finish(tx, &actor, verb(created), format!("machine:{site}/{machine}"), detail, None).await,
        Err(e) => unavailable(e),
    }
}

/// Adds or updates a partition of a machine (admin).
#[utoipa::path(put, path = "/api/v1/sites/{site}/machines/{machine}/partitions/{partition}", tag = "matrix",
    params(("site" = String, Path, description = "the site's name"), ("machine" = String, Path, description = "the machine's name"),
           ("partition" = String, Path, description = "the partition's name")),
    request_body = PartitionBody,
    security(("bearer" = [])),
    responses((status = 201, description = "Created", body = Changed),
              (status = 200, description = "Updated", body = Changed),
              (status = 400, description = "A field is wrong (named in `field`); nothing written", body = AdminError),
              (status = 401, description = "No session and no live token", body = AdminError),
              (status = 403, description = "Not an admin, a token without the scope admin:sites, or no CSRF token", body = AdminError),
              (status = 404, description = "No such site or machine", body = AdminError)))]
pub async fn put_partition(
    State(state): State<AppState>,
    Path((site, machine, partition)): Path<(String, String, String)>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
    body: Bytes,
) -> Response {
    let actor = or_answer!(admin(&state, &headers, viewer).await);
    let b: PartitionBody = or_answer!(parse(&body));
    let detail = json!(b);
    let record = PartitionRecord {
        name: partition.clone(),
        system: b.system,
        microarch: b.microarch,
        cpu_model: b.cpu_model,
        gpu_vendor: b.gpu_vendor,
        gpu_model: b.gpu_model,
        gpu_target: b.gpu_target,
        nodes: b.nodes,
    };
    if let Err((field, message)) = sites::check_partition(&record) {
        return bad(field, &message);
    }
    let mut tx = or_answer!(state.pool.begin().await.map_err(unavailable));
    let id = or_answer!(machine_id(&mut tx, &site, &machine).await);
    match sites::upsert_partition(&mut tx, id, &record).await {
        Ok(created) => {
            finish(tx, &actor, verb(created), format!("partition:{site}/{machine}/{partition}"), detail, None).await
        }
        Err(e) => unavailable(e),
    }
}

/// Deletes rows selected by `sql` (one id parameter), counting the attestations
/// that go with them first. 404 when nothing was deleted.
async fn delete(
    state: &AppState,
    actor: Actor,
    target: String,
    count_sql: &str,
    delete_sql: &str,
    binds: &[&str],
) -> Response {
    let mut tx = or_answer!(state.pool.begin().await.map_err(unavailable));
    let mut count = sqlx::query_scalar::<_, i64>(count_sql);
    let mut del = sqlx::query(delete_sql);
    for b in binds {
        count = count.bind(*b);
        del = del.bind(*b);
    }
    let attestations = or_answer!(count.fetch_one(&mut *tx).await.map_err(unavailable));
    match del.execute(&mut *tx).await {
        Ok(done) if done.rows_affected() == 0 => error(StatusCode::NOT_FOUND, &format!("no {target}"), None),
        Ok(_) => finish(tx, &actor, "deleted", target, json!({}), Some(attestations)).await,
        Err(e) => unavailable(e),
    }
}

/// Deletes a site, its machines, partitions and their attestations (admin);
/// its `site:NAME` tokens are revoked.
#[utoipa::path(delete, path = "/api/v1/sites/{site}", tag = "matrix",
    params(("site" = String, Path, description = "the site's name")),
    security(("bearer" = [])),
    responses((status = 200, description = "Deleted", body = Changed),
              (status = 401, description = "No session and no live token", body = AdminError),
              (status = 403, description = "Not an admin, a token without the scope admin:sites, or no CSRF token", body = AdminError),
              (status = 404, description = "No such site", body = AdminError)))]
pub async fn delete_site(
    State(state): State<AppState>,
    Path(site): Path<String>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
) -> Response {
    let actor = or_answer!(admin(&state, &headers, viewer).await);
    delete(
        &state,
        actor,
        format!("site:{site}"),
        "SELECT count(*) FROM attestations a JOIN partitions pa ON pa.id = a.partition_id
           JOIN machines m ON m.id = pa.machine_id JOIN sites s ON s.id = m.site_id WHERE s.name = $1",
        "WITH revoked AS (UPDATE api_tokens SET revoked_at = now()
                           WHERE scope = 'site:' || $1 AND revoked_at IS NULL)
         DELETE FROM sites WHERE name = $1",
        &[&site],
    )
    .await
}

/// Deletes a machine, its partitions and their attestations (admin).
#[utoipa::path(delete, path = "/api/v1/sites/{site}/machines/{machine}", tag = "matrix",
    params(("site" = String, Path, description = "the site's name"), ("machine" = String, Path, description = "the machine's name")),
    security(("bearer" = [])),
    responses((status = 200, description = "Deleted", body = Changed),
              (status = 401, description = "No session and no live token", body = AdminError),
              (status = 403, description = "Not an admin, a token without the scope admin:sites, or no CSRF token", body = AdminError),
              (status = 404, description = "No such machine", body = AdminError)))]
pub async fn delete_machine(
    State(state): State<AppState>,
    Path((site, machine)): Path<(String, String)>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
) -> Response {
    let actor = or_answer!(admin(&state, &headers, viewer).await);
    delete(
        &state,
        actor,
        format!("machine:{site}/{machine}"),
        "SELECT count(*) FROM attestations a JOIN partitions pa ON pa.id = a.partition_id
           JOIN machines m ON m.id = pa.machine_id JOIN sites s ON s.id = m.site_id WHERE s.name = $1 AND m.name = $2",
        "DELETE FROM machines m USING sites s WHERE s.id = m.site_id AND s.name = $1 AND m.name = $2",
        &[&site, &machine],
    )
    .await
}

/// Deletes a partition and its attestations (admin).
#[utoipa::path(delete, path = "/api/v1/sites/{site}/machines/{machine}/partitions/{partition}", tag = "matrix",
    params(("site" = String, Path, description = "the site's name"), ("machine" = String, Path, description = "the machine's name"),
           ("partition" = String, Path, description = "the partition's name")),
    security(("bearer" = [])),
    responses((status = 200, description = "Deleted", body = Changed),
              (status = 401, description = "No session and no live token", body = AdminError),
              (status = 403, description = "Not an admin, a token without the scope admin:sites, or no CSRF token", body = AdminError),
              (status = 404, description = "No such partition", body = AdminError)))]
pub async fn delete_partition(
    State(state): State<AppState>,
    Path((site, machine, partition)): Path<(String, String, String)>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
) -> Response {
    let actor = or_answer!(admin(&state, &headers, viewer).await);
    delete(
        &state,
        actor,
        format!("partition:{site}/{machine}/{partition}"),
        "SELECT count(*) FROM attestations a JOIN partitions pa ON pa.id = a.partition_id
           JOIN machines m ON m.id = pa.machine_id JOIN sites s ON s.id = m.site_id
          WHERE s.name = $1 AND m.name = $2 AND pa.name = $3",
        "DELETE FROM partitions pa USING machines m, sites s
          WHERE m.id = pa.machine_id AND s.id = m.site_id AND s.name = $1 AND m.name = $2 AND pa.name = $3",
        &[&site, &machine, &partition],
    )
    .await
}
