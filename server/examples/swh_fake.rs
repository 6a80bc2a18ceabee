//! A fake Software Heritage Web API for `bench/archival.sh` (the Python one
//! in bench/swh_fake.py tops out near 350 answers/s on a busy 2-core machine,
//! which would measure Python, not Pacatlas). Answers
//! `/api/1/extid/<type>/hex:<h>/`, `/api/1/content/sha256:<h>/`,
//! `/api/1/revision/<id>/` and `/api/1/origin/<url>/visit/latest/` in the
//! documented JSON shapes, deterministically from the hash (three in four
//! archived); `GET /count` says how many API requests it served.
//!
//!     cargo run --release -p pacatlas --example swh_fake -- PORT_FILE
use std::sync::{
    atomic::{AtomicU64, Ordering},
    Arc,
};

use axum::{extract::State, http::StatusCode, http::Uri, response::IntoResponse, routing::get, Json, Router};
use serde_json::json;

fn archived(hash: &str) -> bool {
    !matches!(hash.as_bytes().first(), Some(b'c'..=b'f'))
}

fn not_found() -> axum::response::Response {
    (StatusCode::NOT_FOUND, Json(json!({"exception": "NotFoundExc", "reason": "not found"}))).into_response()
}

async fn api(State(count): State<Arc<AtomicU64>>, uri: Uri) -> axum::response::Response {
    count.fetch_add(1, Ordering::Relaxed);
    let path = uri.path();
    let rest = path.strip_prefix("/api/1/").unwrap_or("");
    let hash_of = |s: &str| s.trim_end_matches('/').rsplit([':', '/']).next().unwrap_or("").to_string();
    if let Some(e) = rest.strip_prefix("extid/") {
        let h = hash_of(e);
        if archived(&h) {
            let target = format!("swh:1:dir:{}", &h[..40.min(h.len())]);
            return Json(json!({"extid": h, "extid_version": 1, "target": target})).into_response();
        }
        return not_found();
    }
    if rest.starts_with("content/") {
        return not_found();
    }
    if let Some(r) = rest.strip_prefix("revision/") {
        let h = hash_of(r);
        return if archived(&h) { Json(json!({"id": h})).into_response() } else { not_found() };
    }
    if rest.starts_with("origin/") {
        return Json(json!({"visit": 1, "status": "full", "snapshot": "0".repeat(40)})).into_response();
    }
    (StatusCode::BAD_REQUEST, Json(json!({"exception": "BadInputExc"}))).into_response()
}

#[tokio::main]
async fn main() {
    let port_file = std::env::args().nth(1).expect("usage: swh_fake PORT_FILE");
    let count = Arc::new(AtomicU64::new(0));
    let app = Router::new()
        .route(
            "/count",
            get(|State(c): State<Arc<AtomicU64>>| async move { Json(json!({"requests": c.load(Ordering::Relaxed)})) }),
        )
        .fallback(api)
        .with_state(count);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    std::fs::write(&port_file, listener.local_addr().expect("address").port().to_string()).expect("port file");
    axum::serve(listener, app).await.expect("serve");
}
