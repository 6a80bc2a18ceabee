//! The funding admin forms (admins and moderators): plain HTML forms
//! posting here with the session's CSRF token, working without JavaScript;
//! each answers 303 back to `/admin/funding`, or a 400 naming the field (or
//! the CSV rows) that is wrong, with nothing written. Every change is in
//! the audit log (`funding::write`).
use axum::{
    extract::{FromRequest, Multipart, Path, Request, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
    Form, Router,
};
use serde::Deserialize;

use super::{
    auth::{guard, refuse, see_other, MaybeViewer},
    AppState,
};
use crate::funding::{
    csv_import::{self, ImportError},
    model::{FunderInput, SponsorshipInput},
    write::{self, WriteError},
};

/// The role the forms need (moderators and admins).
pub const ROLE: &str = "moderator";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/funding/funders", post(create_funder))
        .route("/admin/funding/funders/{slug}", post(update_funder))
        .route("/admin/funding/funders/{slug}/delete", post(delete_funder))
        .route("/admin/funding/sponsorships", post(create_sponsorship))
        .route("/admin/funding/sponsorships/{id}", post(update_sponsorship))
        .route("/admin/funding/sponsorships/{id}/end", post(end_sponsorship))
        .route("/admin/funding/sponsorships/{id}/delete", post(delete_sponsorship))
        .route("/admin/funding/import", post(import))
}

/// A 400/404/409 in the visitor's language, with the details (field names) as they are.
fn problem(headers: &HeaderMap, status: StatusCode, details: &str) -> Response {
    let lang = app::i18n::from_headers(headers);
    let body = format!("{}\n\n{details}\n\n{}", lang.t("funding-form-refused"), lang.t("funding-form-back"));
    let mut r = (status, body).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    r
}

fn failed(headers: &HeaderMap, e: WriteError) -> Response {
    match e {
        WriteError::Field(f) => problem(headers, StatusCode::BAD_REQUEST, &f.to_string()),
        WriteError::NotFound => problem(headers, StatusCode::NOT_FOUND, "not found"),
        WriteError::Conflict(m) => problem(headers, StatusCode::CONFLICT, &m),
        WriteError::Db(e) => {
            tracing::warn!(error = %e, "funding write");
            refuse(headers, StatusCode::SERVICE_UNAVAILABLE, "accounts-unavailable")
        }
    }
}

/// 303 to where `to` says when the write went through, else its refusal.
fn done<T>(headers: &HeaderMap, result: Result<T, WriteError>, to: impl FnOnce(T) -> String) -> Response {
    match result {
        Ok(t) => see_other(&to(t)),
        Err(e) => failed(headers, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct FunderForm {
    csrf: String,
    #[serde(flatten)]
    funder: FunderInput,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SponsorshipForm {
    csrf: String,
    #[serde(flatten)]
    sponsorship: SponsorshipInput,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PlainForm {
    csrf: String,
    /// `end`: the day it ends (today when empty).
    ends_on: String,
    /// `import`: the CSV text (typed in, or the file chosen).
    csv: String,
}

/// The import form's fields: URL-encoded with the CSV typed in, or
/// multipart with a CSV file chosen (`file`, which wins over the text when
/// both are given). A spreadsheet's byte order mark is dropped.
async fn import_form(state: &AppState, request: Request) -> Result<PlainForm, String> {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let mut form = if multipart {
        let mut parts = Multipart::from_request(request, state).await.map_err(|e| format!("form: {e}"))?;
        let (mut form, mut file) = (PlainForm::default(), None);
        while let Some(field) = parts.next_field().await.map_err(|e| format!("form: {e}"))? {
            let name = field.name().unwrap_or_default().to_string();
            match name.as_str() {
                "csrf" => form.csrf = field.text().await.map_err(|e| format!("csrf: {e}"))?,
                "csv" => form.csv = field.text().await.map_err(|e| format!("csv: {e}"))?,
                "file" => {
                    let bytes = field.bytes().await.map_err(|e| format!("file: {e}"))?;
                    if !bytes.is_empty() {
                        file = Some(String::from_utf8(bytes.to_vec()).map_err(|e| {
                            format!(
                                "file: not UTF-8 text (byte {}); save the CSV as UTF-8",
                                e.utf8_error().valid_up_to()
                            )
                        })?);
                    }
                }
                _ => {}
            }
        }
        if let Some(file) = file {
            form.csv = file;
        }
        form
    } else {
        Form::<PlainForm>::from_request(request, state).await.map_err(|e| e.body_text())?.0
    };
    if let Some(rest) = form.csv.strip_prefix('\u{feff}') {
        form.csv = rest.to_string();
    }
    Ok(form)
}

macro_rules! guarded {
    ($state:expr, $headers:expr, $viewer:expr, $csrf:expr) => {
        match guard(&$state, &$headers, $viewer, $csrf, ROLE) {
            Ok(v) => v,
            Err(refused) => return *refused,
        }
    };
}

async fn create_funder(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
    Form(form): Form<FunderForm>,
) -> Response {
    let v = guarded!(state, headers, viewer, &form.csrf);
    done(&headers, write::create_funder(&state.pool, Some(v.id), &form.funder, false).await, |slug| {
        format!("/admin/funding?done=funder-created#funder-{slug}")
    })
}

async fn update_funder(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
    Path(slug): Path<String>,
    Form(form): Form<FunderForm>,
) -> Response {
    let v = guarded!(state, headers, viewer, &form.csrf);
    done(&headers, write::update_funder(&state.pool, v.id, &slug, &form.funder).await, |slug| {
        format!("/admin/funding?done=funder-updated#funder-{slug}")
    })
}

async fn delete_funder(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
    Path(slug): Path<String>,
    Form(form): Form<PlainForm>,
) -> Response {
    let v = guarded!(state, headers, viewer, &form.csrf);
    done(&headers, write::delete_funder(&state.pool, v.id, &slug).await, |_| {
        "/admin/funding?done=funder-deleted".to_string()
    })
}

async fn create_sponsorship(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
    Form(form): Form<SponsorshipForm>,
) -> Response {
    let v = guarded!(state, headers, viewer, &form.csrf);
    done(&headers, write::create_sponsorship(&state.pool, Some(v.id), &form.sponsorship, false).await, |id| {
        format!("/admin/funding?done=sponsorship-created#sponsorship-{id}")
    })
}

async fn update_sponsorship(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
    Path(id): Path<i64>,
    Form(form): Form<SponsorshipForm>,
) -> Response {
    let v = guarded!(state, headers, viewer, &form.csrf);
    done(&headers, write::update_sponsorship(&state.pool, v.id, id, &form.sponsorship).await, |_| {
        format!("/admin/funding?done=sponsorship-updated#sponsorship-{id}")
    })
}

async fn end_sponsorship(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
    Path(id): Path<i64>,
    Form(form): Form<PlainForm>,
) -> Response {
    let v = guarded!(state, headers, viewer, &form.csrf);
    done(&headers, write::end_sponsorship(&state.pool, v.id, id, &form.ends_on).await, |_| {
        format!("/admin/funding?done=sponsorship-ended#sponsorship-{id}")
    })
}

async fn delete_sponsorship(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
    Path(id): Path<i64>,
    Form(form): Form<PlainForm>,
) -> Response {
    let v = guarded!(state, headers, viewer, &form.csrf);
    done(&headers, write::delete_sponsorship(&state.pool, v.id, id).await, |_| {
        "/admin/funding?done=sponsorship-deleted".to_string()
    })
}

async fn import(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
    request: Request,
) -> Response {
    let form = match import_form(&state, request).await {
        Ok(form) => form,
        Err(e) => return problem(&headers, StatusCode::BAD_REQUEST, &e),
    };
    let v = guarded!(state, headers, viewer, &form.csrf);
    match csv_import::import(&state.pool, v.id, &form.csv).await {
        Ok(ids) => see_other(&format!("/admin/funding?done=imported&count={}", ids.len())),
        Err(ImportError::Rows(rows)) => {
            let lang = app::i18n::from_headers(&headers);
            let list: Vec<String> = rows.iter().map(ToString::to_string).collect();
            let details = format!("{}\n{}", lang.t("funding-import-nothing-written"), list.join("\n"));
            problem(&headers, StatusCode::BAD_REQUEST, &details)
        }
        Err(ImportError::Db(e)) => {
            tracing::warn!(error = %e, "funding import");
            refuse(&headers, StatusCode::SERVICE_UNAVAILABLE, "accounts-unavailable")
        }
    }
}
