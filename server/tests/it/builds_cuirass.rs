//! The Cuirass importer against a local fake Cuirass speaking its Web API:
//! mapping and resolution, resume after an interrupted run (nothing twice),
//! 5xx then success, 429 with Retry-After, an answer past the timeout,
//! malformed JSON and malformed rows (nothing written, the build and field named).
use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{
    extract::{RawQuery, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use pacatlas::{
    builds::{
        self,
        cuirass::{self, Options},
        fetch::Policy,
        Kind, Service,
    },
    catalog::Ecosystem,
    ingest::progress::Silent,
};
use sqlx::PgPool;

use crate::support::{fixture, ingest};

#[derive(Clone)]
enum Answer {
    Body(String),
    Status(u16, Option<&'static str>),
    Slow(Duration),
}

#[derive(Clone, Default)]
pub(crate) struct Fake {
    script: Arc<Mutex<VecDeque<Answer>>>,
    default: Arc<Mutex<String>>,
    queries: Arc<Mutex<Vec<String>>>,
}

async fn latestbuilds(State(fake): State<Fake>, RawQuery(query): RawQuery) -> Response {
    fake.queries.lock().unwrap().push(query.unwrap_or_default());
    let next = fake.script.lock().unwrap().pop_front();
    let body = fake.default.lock().unwrap().clone();
    match next {
        None => ([(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Some(Answer::Body(b)) => ([(header::CONTENT_TYPE, "application/json")], b).into_response(),
        Some(Answer::Status(code, retry_after)) => {
            let mut r = StatusCode::from_u16(code).unwrap().into_response();
            if let Some(after) = retry_after {
                r.headers_mut().insert(header::RETRY_AFTER, after.parse().unwrap());
            }
            r
        }
        Some(Answer::Slow(d)) => {
            tokio::time::sleep(d).await;
            ([(header::CONTENT_TYPE, "application/json")], body).into_response()
        }
    }
}

/// A fake Cuirass on 127.0.0.1, answering the fixture unless scripted otherwise.
pub(crate) async fn fake_cuirass() -> (String, Fake) {
    let fake = Fake::default();
    *fake.default.lock().unwrap() = std::fs::read_to_string(fixture("builds/cuirass-latestbuilds.json")).unwrap();
    let app = Router::new().route("/api/latestbuilds", get(latestbuilds)).with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), fake)
}

pub(crate) fn quick() -> Options {
    Options {
        latest: 100,
        page_size: 2,
        max_pages: None,
        since: None,
        concurrency: 4,
        policy: Policy {
            connect_timeout: Duration::from_secs(2),
            total_timeout: Duration::from_millis(1500),
            attempts: 3,
            backoff: Duration::from_millis(50),
            max_wait: Duration::from_secs(2),
            max_bytes: 1 << 20,
        },
    }
}

pub(crate) async fn setup(pool: &PgPool, url: &str) -> Service {
    ingest(pool, Ecosystem::Guix, "guix", None, &[fixture("guix-packages.json")]).await.unwrap();
    builds::ensure_service(pool, "berlin", Kind::Cuirass, Some(url), Ecosystem::Guix, "guix").await.unwrap()
}

async fn count(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM build_results").fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn latest_builds_are_mapped_resolved_and_imported_once(pool: PgPool) {
    let (url, fake) = fake_cuirass().await;
    let service = setup(&pool, &url).await;
    let summary = cuirass::import(&pool, &service, &quick(), &Silent).await.unwrap();
    assert_eq!((summary.fetched, summary.unfinished, summary.written, summary.pages), (8, 1, 7, 4), "{summary}");
    assert_eq!(fake.queries.lock().unwrap()[0], "nr=100");
    type Row = (String, Option<String>, String, String, Option<String>, Option<String>, Option<String>, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT b.external_id, p.name, b.status, b.service_status, b.version, b.system, b.log_url, b.evaluation
         FROM build_results b LEFT JOIN packages p ON p.id = b.package_id ORDER BY b.external_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let brief: Vec<(&str, Option<&str>, &str)> =
        rows.iter().map(|r| (r.0.as_str(), r.1.as_deref(), r.2.as_str())).collect();
    assert_eq!(
        brief,
        [
            ("1001", Some("hdf5"), "succeeded"),
            ("1002", Some("hdf5"), "failed"),
            ("1003", Some("gcc"), "other"),
            ("1004", Some("python-numpy"), "cancelled"),
            ("1005", None, "dependency-failed"),
            ("1006", Some("python-numpy"), "timed-out"),
            ("1007", Some("hdf5"), "succeeded"),
        ]
    );
    let first = &rows[0];
    assert_eq!(first.3, "0");
    assert_eq!((first.4.as_deref(), first.5.as_deref()), (Some("1.14.5"), Some("x86_64-linux")));
    assert_eq!(first.6.as_deref(), Some(format!("{url}/build/1001/log/raw").as_str()));
    assert_eq!(first.7.as_deref(), Some("500"));
    // The unresolved job keeps its parsed name.
    let name: String = sqlx::query_scalar("SELECT package_name FROM build_results WHERE external_id = '1005'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(name, "gcc-toolchain");
    // Again: everything is behind the cursor, nothing is written.
    let again = cuirass::import(&pool, &service, &quick(), &Silent).await.unwrap();
    assert_eq!((again.already, again.written, again.pages), (7, 0, 0), "{again}");
    // The build that was scheduled finishes: only it is new.
    let body = fake.default.lock().unwrap().replace(
        "\"buildstatus\": -2, \"weather\": -1, \"timestamp\": 1767225600, \"starttime\": 0, \"stoptime\": 0",
        "\"buildstatus\": 1, \"weather\": 1, \"timestamp\": 1767225600, \"starttime\": 1767225700, \"stoptime\": 1767226000",
    );
    *fake.default.lock().unwrap() = body;
    let later = cuirass::import(&pool, &service, &quick(), &Silent).await.unwrap();
    assert_eq!((later.unfinished, later.already, later.written), (0, 7, 1), "{later}");
    assert_eq!(count(&pool).await, 8);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_interrupted_import_resumes_after_its_last_page(pool: PgPool) {
    let (url, _fake) = fake_cuirass().await;
    let service = setup(&pool, &url).await;
    // Stopped after 2 pages of 2 (as if killed once the second transaction committed).
    let first = cuirass::import(&pool, &service, &Options { max_pages: Some(2), ..quick() }, &Silent).await.unwrap();
    assert_eq!((first.written, first.pages, first.left), (4, 2, 3), "{first}");
    let cursor = cuirass::cursor(&pool, service.id).await.unwrap().unwrap();
    assert_eq!(cursor.id, 1004, "the oldest builds go first");
    let imported_at: Vec<(String, chrono::DateTime<chrono::Utc>)> =
        sqlx::query_as("SELECT external_id, imported_at FROM build_results ORDER BY 1").fetch_all(&pool).await.unwrap();
    let rest = cuirass::import(&pool, &service, &quick(), &Silent).await.unwrap();
    assert_eq!((rest.already, rest.written, rest.left), (4, 3, 0), "{rest}");
    assert_eq!(count(&pool).await, 7);
    // The first run's rows were not written again.
    let after: Vec<(String, chrono::DateTime<chrono::Utc>)> =
        sqlx::query_as("SELECT external_id, imported_at FROM build_results WHERE external_id <= '1004' ORDER BY 1")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(after, imported_at);
}

#[sqlx::test(migrations = "../migrations")]
async fn server_errors_and_429_are_retried_honouring_retry_after(pool: PgPool) {
    let (url, fake) = fake_cuirass().await;
    let service = setup(&pool, &url).await;
    fake.script.lock().unwrap().extend([Answer::Status(502, None), Answer::Status(429, Some("1"))]);
    let started = Instant::now();
    let summary = cuirass::import(&pool, &service, &quick(), &Silent).await.unwrap();
    assert_eq!(summary.written, 7);
    assert_eq!(fake.queries.lock().unwrap().len(), 3);
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After: 1 was honoured");
    // Failing every attempt: an error naming the service and the status, nothing written.
    sqlx::query("DELETE FROM build_results").execute(&pool).await.unwrap();
    sqlx::query("DELETE FROM ci_import_state").execute(&pool).await.unwrap();
    fake.script.lock().unwrap().extend([
        Answer::Status(503, None),
        Answer::Status(503, None),
        Answer::Status(500, None),
    ]);
    let e = cuirass::import(&pool, &service, &quick(), &Silent).await.unwrap_err().to_string();
    assert!(e.contains("berlin") && e.contains("500") && e.contains("3 attempts"), "{e}");
    assert_eq!(count(&pool).await, 0);
    // A 404 is not retried.
    fake.script.lock().unwrap().push_back(Answer::Status(404, None));
    let before = fake.queries.lock().unwrap().len();
    let e = cuirass::import(&pool, &service, &quick(), &Silent).await.unwrap_err().to_string();
    assert!(e.contains("404"), "{e}");
    assert_eq!(fake.queries.lock().unwrap().len(), before + 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_answer_past_the_timeout_fails_after_the_retries(pool: PgPool) {
    let (url, fake) = fake_cuirass().await;
    let service = setup(&pool, &url).await;
    let slow = Answer::Slow(Duration::from_secs(5));
    fake.script.lock().unwrap().extend([slow.clone(), slow.clone(), slow]);
    let options = Options { policy: Policy { total_timeout: Duration::from_millis(300), ..quick().policy }, ..quick() };
    let started = Instant::now();
    let e = cuirass::import(&pool, &service, &options, &Silent).await.unwrap_err().to_string();
    assert!(e.contains("berlin") && e.contains("timed out"), "{e}");
    assert!(started.elapsed() < Duration::from_secs(4));
    assert_eq!(count(&pool).await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn malformed_answers_and_rows_are_refused_naming_build_and_field(pool: PgPool) {
    let (url, fake) = fake_cuirass().await;
    let service = setup(&pool, &url).await;
    let good = fake.default.lock().unwrap().clone();
    let cases = [
        ("[{\"id\": 1, ", "not a JSON array"),
        ("{\"builds\": []}", "not a JSON array"),
        (r#"[{"id": 7, "job": "x", "buildstatus": "failed"}]"#, "build 7: field `buildstatus`"),
        (r#"[{"id": 7, "buildstatus": 0}]"#, "build 7: field `job`: missing"),
        (r#"[{"job": "x", "buildstatus": 0}]"#, "build (row 0): field `id`"),
        (r#"[{"id": 8, "job": "x", "buildstatus": 0, "stoptime": "noon"}]"#, "build 8: field `stoptime`"),
        (r#"[{"id": 9, "job": "x", "buildstatus": 0, "system": 64}]"#, "build 9: field `system`"),
    ];
    for (body, expected) in cases {
        // A malformed row after good ones: none of them is written.
        let body =
            if body.starts_with("[{\"id\": 7") || body.starts_with("[{\"id\": 8") || body.starts_with("[{\"id\": 9") {
                format!("{},{}", good.trim_end().trim_end_matches(']'), body.trim_start_matches('['))
            } else {
                body.to_string()
            };
        fake.script.lock().unwrap().push_back(Answer::Body(body));
        let e = cuirass::import(&pool, &service, &quick(), &Silent).await.unwrap_err().to_string();
        assert!(e.contains("berlin") && e.contains(expected), "{expected}: {e}");
        assert_eq!(count(&pool).await, 0);
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn hydra_jobs_resolve_by_attribute_path(pool: PgPool) {
    let (url, fake) = fake_cuirass().await;
    *fake.default.lock().unwrap() = std::fs::read_to_string(fixture("builds/hydra-latestbuilds.json")).unwrap();
    ingest(&pool, Ecosystem::Nix, "nixos-unstable", None, &[fixture("nix-packages.json")]).await.unwrap();
    let service = builds::ensure_service(&pool, "hydra", Kind::Hydra, Some(&url), Ecosystem::Nix, "nixos-unstable")
        .await
        .unwrap();
    let summary = cuirass::import(&pool, &service, &quick(), &Silent).await.unwrap();
    assert_eq!((summary.fetched, summary.unfinished, summary.written), (5, 1, 4), "{summary}");
    type Row = (String, Option<String>, Option<String>, Option<String>, String, Option<String>, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT b.external_id, p.name, b.package_name, b.version, b.status, b.build_url, b.evaluation
         FROM build_results b LEFT JOIN packages p ON p.id = b.package_id ORDER BY b.external_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let hdf5 = &rows[1];
    assert_eq!((hdf5.1.as_deref(), hdf5.3.as_deref(), hdf5.4.as_str()), (Some("hdf5"), Some("1.14.6"), "succeeded"));
    assert_eq!(hdf5.5.as_deref(), Some(format!("{url}/build/300002").as_str()));
    let numpy = &rows[2];
    assert_eq!(numpy.1.as_deref(), Some("python312Packages.numpy"));
    assert_eq!((numpy.3.as_deref(), numpy.4.as_str(), numpy.6.as_deref()), (Some("2.2.4"), "failed", Some("1819001")));
    assert_eq!((rows[3].4.as_str(), rows[3].1.as_deref()), ("other", Some("python312Packages.numpy")));
    // A job of no package of the channel is kept, unresolved, under its attribute path.
    assert_eq!((rows[0].1.as_deref(), rows[0].2.as_deref()), (None, Some("tests.unrelated")));
}
