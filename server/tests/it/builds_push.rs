//! The push API: bearer tokens (missing, unknown, revoked, wrong scope),
//! per-row validation with nothing written when a row is wrong, idempotence
//! on (service, id), resolution to the channel's packages, bounded bodies.
use axum::{body::Body, http::Request, Router};
use http_body_util::BodyExt;
use pacatlas::{
    accounts::tokens,
    builds::{self, Kind},
    catalog::Ecosystem,
};
use serde_json::{json, Value};
use sqlx::PgPool;
use tower::ServiceExt;

use crate::support::{app, fixture, ingest};

async fn push(app: &Router, authorization: Option<&str>, body: &str) -> (u16, Value, Option<String>) {
    let mut request = Request::post("/api/v1/builds").header("content-type", "application/json");
    if let Some(a) = authorization {
        request = request.header("authorization", a);
    }
    let response = app.clone().oneshot(request.body(Body::from(body.to_string())).unwrap()).await.unwrap();
    let status = response.status().as_u16();
    let www = response.headers().get("www-authenticate").map(|v| v.to_str().unwrap().to_string());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null), www)
}

async fn count(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM build_results").fetch_one(pool).await.unwrap()
}

/// A push service building the Spack fixture channel, and a token for it.
async fn setup(pool: &PgPool) -> String {
    ingest(pool, Ecosystem::Spack, "builtin", None, &[fixture("spack-rich.json")]).await.unwrap();
    builds::ensure_service(pool, "lab-ci", Kind::Push, None, Ecosystem::Spack, "builtin").await.unwrap();
    builds::ensure_service(pool, "other-ci", Kind::Push, None, Ecosystem::Spack, "builtin").await.unwrap();
    format!("Bearer {}", tokens::create(pool, "ci:lab-ci").await.unwrap().secret)
}

fn batch(service: &str, builds: Value) -> String {
    json!({ "service": service, "builds": builds }).to_string()
}

fn good_rows() -> Value {
    json!([
        {"id": "101", "job": "hdf5", "version": "1.14.5", "system": "x86_64-linux", "status": "failed",
         "started_at": "2026-11-01T10:00:00Z", "finished_at": "2026-11-01T10:20:00Z",
         "log_url": "https://ci.example.org/101/log"},
        {"id": "102", "job": "hdf5", "version": "1.14.5", "system": "x86_64-linux", "status": "succeeded",
         "finished_at": "2026-11-02T10:20:00Z"},
        {"id": "103", "job": "no-such-package", "status": "dependency-failed"}
    ])
}

#[sqlx::test(migrations = "../migrations")]
async fn a_valid_batch_is_stored_once_and_resolved(pool: PgPool) {
    let bearer = setup(&pool).await;
    let app = app(pool.clone());
    let (status, body, _) = push(&app, Some(&bearer), &batch("lab-ci", good_rows())).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"received": 3, "written": 3}));
    // The same batch again writes nothing.
    let (status, body, _) = push(&app, Some(&bearer), &batch("lab-ci", good_rows())).await;
    assert_eq!((status, body), (200, json!({"received": 3, "written": 0})));
    assert_eq!(count(&pool).await, 3);
    // hdf5 resolves to the channel's package; the unknown job is kept, unresolved.
    let rows: Vec<(String, Option<String>, String, Option<String>)> = sqlx::query_as(
        "SELECT b.external_id, p.name, b.status, b.log_url FROM build_results b
         LEFT JOIN packages p ON p.id = b.package_id ORDER BY b.external_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        rows[0],
        ("101".into(), Some("hdf5".into()), "failed".into(), Some("https://ci.example.org/101/log".into()))
    );
    assert_eq!(rows[1].1.as_deref(), Some("hdf5"));
    assert_eq!((rows[2].1.as_deref(), rows[2].2.as_str()), (None, "dependency-failed"));
    // A changed result (the service re-ran build 103) is updated, not duplicated.
    let changed = json!([{"id": "103", "job": "no-such-package", "status": "succeeded"}]);
    let (_, body, _) = push(&app, Some(&bearer), &batch("lab-ci", changed)).await;
    assert_eq!(body["written"], 1);
    assert_eq!(count(&pool).await, 3);
}

#[sqlx::test(migrations = "../migrations")]
async fn one_wrong_row_refuses_the_batch_naming_row_id_and_field(pool: PgPool) {
    let bearer = setup(&pool).await;
    let app = app(pool.clone());
    let mut rows = good_rows();
    rows.as_array_mut().unwrap().push(json!({"id": "104", "job": "hdf5", "status": "green"}));
    rows.as_array_mut().unwrap().push(json!({"id": "105", "job": "hdf5", "status": "failed", "finished_at": "noon"}));
    rows.as_array_mut().unwrap().push(json!({"id": "101", "job": "hdf5", "status": "failed"}));
    let (status, body, _) = push(&app, Some(&bearer), &batch("lab-ci", rows)).await;
    assert_eq!(status, 400, "{body}");
    let errors: Vec<(u64, &str, &str)> = body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["id"].as_str().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(errors, [(3, "104", "status"), (4, "105", "finished_at"), (5, "101", "id")]);
    assert!(body["error"].as_str().unwrap().contains("nothing was written"));
    assert_eq!(count(&pool).await, 0);
    // Not a batch at all.
    let (status, _, _) = push(&app, Some(&bearer), "{\"builds\": 3}").await;
    assert_eq!(status, 400);
    assert_eq!(count(&pool).await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn tokens_missing_unknown_revoked_or_of_another_scope_write_nothing(pool: PgPool) {
    let bearer = setup(&pool).await;
    let app = app(pool.clone());
    let body = batch("lab-ci", good_rows());
    for authorization in [None, Some("Bearer pacatlas_0000"), Some("Basic dXNlcjpwYXNz"), Some("Bearer ")] {
        let (status, answer, www) = push(&app, authorization, &body).await;
        assert_eq!(status, 401, "{authorization:?}: {answer}");
        assert_eq!(www.as_deref(), Some("Bearer"));
    }
    // A token of lab-ci may not push results of other-ci.
    let (status, _, _) = push(&app, Some(&bearer), &batch("other-ci", good_rows())).await;
    assert_eq!(status, 403);
    // Revoked: refused from then on.
    let id: i64 = sqlx::query_scalar("SELECT id FROM api_tokens").fetch_one(&pool).await.unwrap();
    assert!(tokens::revoke(&pool, id).await.unwrap());
    assert!(!tokens::revoke(&pool, id).await.unwrap(), "revoking twice says so");
    let (status, answer, _) = push(&app, Some(&bearer), &body).await;
    assert_eq!(status, 401);
    assert!(answer["error"].as_str().unwrap().contains("revoked"));
    assert_eq!(count(&pool).await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn tokens_are_stored_hashed_and_scoped_to_an_existing_service(pool: PgPool) {
    let bearer = setup(&pool).await;
    let secret = bearer.trim_start_matches("Bearer ");
    let stored: Vec<u8> = sqlx::query_scalar("SELECT secret_sha256 FROM api_tokens").fetch_one(&pool).await.unwrap();
    assert_eq!(stored.len(), 32);
    assert!(!String::from_utf8_lossy(&stored).contains(secret));
    let e = tokens::create(&pool, "ci:nobody").await.err().unwrap().to_string();
    assert!(e.contains("nobody"), "{e}");
    assert!(tokens::create(&pool, "admin").await.is_err());
}

#[sqlx::test(migrations = "../migrations")]
async fn bodies_and_batches_are_bounded(pool: PgPool) {
    let bearer = setup(&pool).await;
    let app = app(pool.clone());
    let rows: Vec<Value> =
        (0..1001).map(|i| json!({"id": i.to_string(), "job": "hdf5", "status": "succeeded"})).collect();
    let (status, body, _) = push(&app, Some(&bearer), &batch("lab-ci", Value::Array(rows))).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"].as_str().unwrap().contains("1000"));
    let huge = format!("{{\"service\": \"lab-ci\", \"builds\": [], \"pad\": \"{}\"}}", "x".repeat(2 << 20));
    let (status, _, _) = push(&app, Some(&bearer), &huge).await;
    assert_eq!(status, 413);
    assert_eq!(count(&pool).await, 0);
}

#[test]
fn the_token_and_ci_commands_parse() {
    use clap::Parser;
    use pacatlas::cli::{CiCommand, Cli, Command, TokenCommand};
    let cli = Cli::try_parse_from(["pacatlas", "token", "create", "--scope", "ci:lab-ci"]).unwrap();
    assert!(matches!(cli.command, Command::Token { command: TokenCommand::Create { scope } } if scope == "ci:lab-ci"));
    let cli = Cli::try_parse_from(["pacatlas", "token", "revoke", "7"]).unwrap();
    assert!(matches!(cli.command, Command::Token { command: TokenCommand::Revoke { id: 7 } }));
    let cli = Cli::try_parse_from(["pacatlas", "ci", "service", "lab-ci", "--kind", "push", "--channel", "builtin"]);
    assert!(matches!(cli.unwrap().command, Command::Ci { command: CiCommand::Service { .. } }));
    assert!(Cli::try_parse_from(["pacatlas", "token", "revoke", "seven"]).is_err());
    for kind in ["cuirass", "hydra", "gitlab"] {
        let cli = Cli::try_parse_from([
            "pacatlas",
            "ci",
            "import",
            kind,
            "--service",
            "x",
            "--url",
            "http://127.0.0.1:1",
            "--channel",
            "c",
        ]);
        assert!(matches!(cli.unwrap().command, Command::Ci { command: CiCommand::Import { latest: 1000, .. } }));
    }
    assert!(Cli::try_parse_from([
        "pacatlas",
        "ci",
        "import",
        "travis",
        "--service",
        "x",
        "--url",
        "u",
        "--channel",
        "c"
    ])
    .is_err());
}

#[sqlx::test(migrations = "../migrations")]
async fn pushed_results_retire_cached_pages(pool: PgPool) {
    use std::time::Duration;
    let bearer = setup(&pool).await;
    let index = std::sync::Arc::new(pacatlas::search::embedded::EmbeddedIndex::in_memory().unwrap());
    let config = pacatlas::Config {
        site_root: std::env::temp_dir().to_string_lossy().into_owned(),
        ..pacatlas::Config::default()
    };
    let state = pacatlas::http::AppState::new(config, crate::support::own_pool(&pool), index);
    state.generation.clone().spawn_watch(pool.clone(), Duration::from_secs(10));
    let generation = state.generation.clone();
    for _ in 0..100 {
        if generation.get().is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let before = generation.get().expect("the watcher reads the generation");
    let app = pacatlas::http::router(state);
    let page = crate::support::get(&app, "/api/v1/packages/spack/builtin/hdf5/builds").await;
    assert_eq!(serde_json::from_str::<Value>(&page.body).unwrap()["total"], 0);
    let (status, _, _) = push(&app, Some(&bearer), &batch("lab-ci", good_rows())).await;
    assert_eq!(status, 200);
    for _ in 0..100 {
        if generation.get() != Some(before) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_ne!(generation.get(), Some(before), "writing results starts a new generation");
    let page = crate::support::get(&app, "/api/v1/packages/spack/builtin/hdf5/builds").await;
    assert_eq!(serde_json::from_str::<Value>(&page.body).unwrap()["total"], 2);
    // The same batch again writes nothing and keeps the generation.
    let now = generation.get();
    push(&app, Some(&bearer), &batch("lab-ci", good_rows())).await;
    let stored: i64 = sqlx::query_scalar("SELECT generation FROM catalog_state").fetch_one(&pool).await.unwrap();
    assert_eq!(Some(stored), now);
}
