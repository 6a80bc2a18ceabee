//! The Software Heritage client and `archival check` against a local fake
//! Software Heritage speaking its documented Web API: found and 404 by each
//! method, 429 with Retry-After, the rate limit at 0, 5xx then success, a
//! slow answer past the timeout, malformed JSON; a check run, a rerun within
//! the window (no request), and a killed check resumed.
use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{
    extract::State,
    http::{StatusCode, Uri},
    response::{IntoResponse, Response},
    Router,
};
use pacatlas::{
    archival::{
        check::{self, check_key},
        client::{Client, Options},
        Method, Status,
    },
    catalog::Ecosystem,
    ingest::progress::Silent,
};
use sqlx::PgPool;

use crate::support::{fixture, ingest};

#[derive(Clone)]
pub(crate) enum Answer {
    /// What the fake knows (200 with the body, or 404).
    Default,
    Reply(u16, Vec<(&'static str, String)>, String),
    Slow(Duration),
}

/// Each request the fake answered: path and query, when, its bearer token.
type RequestLog = Arc<Mutex<Vec<(String, Instant, Option<String>)>>>;

/// A fake Software Heritage: answers what it knows (path and query → JSON),
/// 404 otherwise, unless scripted; logs every request and its time.
#[derive(Clone, Default)]
pub(crate) struct FakeSwh {
    known: Arc<Mutex<HashMap<String, String>>>,
    script: Arc<Mutex<VecDeque<Answer>>>,
    pub log: RequestLog,
}

impl FakeSwh {
    pub fn know(&self, path: &str, body: serde_json::Value) {
        self.known.lock().unwrap().insert(path.to_string(), body.to_string());
    }
    pub fn forget(&self, path: &str) {
        self.known.lock().unwrap().remove(path);
    }
    pub fn script(&self, answers: impl IntoIterator<Item = Answer>) {
        self.script.lock().unwrap().extend(answers);
    }
    pub fn paths(&self) -> Vec<String> {
        self.log.lock().unwrap().iter().map(|(p, _, _)| p.clone()).collect()
    }
}

async fn answer(State(fake): State<FakeSwh>, headers: axum::http::HeaderMap, uri: Uri) -> Response {
    let path = uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_string);
    fake.log.lock().unwrap().push((path.clone(), Instant::now(), auth));
    let next = fake.script.lock().unwrap().pop_front().unwrap_or(Answer::Default);
    let known = fake.known.lock().unwrap().get(&path).cloned();
    let default = || match &known {
        Some(body) => ([("content-type", "application/json")], body.clone()).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            [("content-type", "application/json")],
            r#"{"exception":"NotFoundExc","reason":"not found"}"#,
        )
            .into_response(),
    };
    match next {
        Answer::Default => default(),
        Answer::Reply(code, headers, body) => {
            let mut r = (StatusCode::from_u16(code).unwrap(), body).into_response();
            for (k, v) in headers {
                r.headers_mut().insert(k, v.parse().unwrap());
            }
            r
        }
        Answer::Slow(d) => {
            tokio::time::sleep(d).await;
            default()
        }
    }
}

/// A fake Software Heritage on 127.0.0.1: (API root, fake).
pub(crate) async fn fake_swh() -> (String, FakeSwh) {
    let fake = FakeSwh::default();
    let app = Router::new().fallback(answer).with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/api/1/"), fake)
}

pub(crate) fn quick(url: &str) -> Options {
    Options {
        base_url: url.to_string(),
        token: None,
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(2),
        attempts: 3,
        backoff: Duration::from_millis(20),
        max_wait: Duration::from_secs(5),
        concurrency: 4,
    }
}

pub(crate) fn hex(byte: &str, n: usize) -> String {
    byte.repeat(n)
}

pub(crate) const COMMIT: &str = "0123456789abcdef0123456789abcdef01234567";

/// What the fake archive holds of the fixture `archival/guix-packages.json`:
/// alpha (checksum extid), beta (its commit), gamma (nar extid), zeta (content
/// only), epsilon's svn origin; not eta.
pub(crate) fn knows_the_fixture(fake: &FakeSwh) {
    fake.know(
        &format!("/api/1/extid/checksum-sha256/hex:{}/?extid_version=1", hex("11", 32)),
        serde_json::json!({"extid_type": "checksum-sha256", "extid": hex("11", 32), "extid_version": 1,
                           "target": format!("swh:1:dir:{}", hex("a", 40)), "target_url": "https://example.org"}),
    );
    fake.know(&format!("/api/1/revision/{COMMIT}/"), serde_json::json!({"id": COMMIT, "message": "v2.0"}));
    fake.know(
        &format!("/api/1/extid/nar-sha256/hex:{}/?extid_version=1", hex("22", 32)),
        serde_json::json!({"extid_type": "nar-sha256", "extid": hex("22", 32), "extid_version": 1,
                           "target": format!("swh:1:dir:{}", hex("b", 40))}),
    );
    fake.know(
        &format!("/api/1/content/sha256:{}/", hex("33", 32)),
        serde_json::json!({"checksums": {"sha1": hex("9", 40), "sha1_git": hex("c", 40), "sha256": hex("33", 32)},
                           "length": 12, "status": "visible"}),
    );
    fake.know(
        "/api/1/origin/https://svn.example.org/epsilon/trunk/visit/latest/?require_snapshot=true",
        serde_json::json!({"origin": "https://svn.example.org/epsilon/trunk", "visit": 3, "status": "full",
                           "date": "2026-10-01T00:00:00+00:00", "type": "svn", "snapshot": hex("d", 40)}),
    );
}

pub(crate) async fn ingest_fixture(pool: &PgPool) {
    ingest(pool, Ecosystem::Guix, "test", Some("rev1"), &[fixture("archival/guix-packages.json")]).await.unwrap();
}

#[tokio::test]
async fn each_method_finds_what_the_archive_holds_and_404_is_missing() {
    let (url, fake) = fake_swh().await;
    knows_the_fixture(&fake);
    let client = Client::new(quick(&url)).unwrap();
    let r = check_key(&client, &format!("sha256:{}", hex("11", 32))).await;
    assert_eq!((r.status, r.method), (Status::Archived, Method::ExtidChecksumSha256));
    assert_eq!(r.swhid, Some(format!("swh:1:dir:{}", hex("a", 40))));
    // Not by extid, but by content: the content's sha1_git.
    let r = check_key(&client, &format!("sha256:{}", hex("33", 32))).await;
    assert_eq!((r.status, r.method), (Status::Archived, Method::ContentSha256));
    assert_eq!(r.swhid, Some(format!("swh:1:cnt:{}", hex("c", 40))));
    let r = check_key(&client, &format!("revision:{COMMIT}")).await;
    assert_eq!((r.status, r.swhid), (Status::Archived, Some(format!("swh:1:rev:{COMMIT}"))));
    let r = check_key(&client, &format!("nar-sha256:{}", hex("22", 32))).await;
    assert_eq!((r.status, r.method), (Status::Archived, Method::ExtidNarSha256));
    let r = check_key(&client, "origin:https://svn.example.org/epsilon/trunk").await;
    assert_eq!((r.status, r.method), (Status::Archived, Method::OriginVisit));
    assert_eq!(r.swhid, Some(format!("swh:1:snp:{}", hex("d", 40))));
    // 404 everywhere: missing, after both lookups of a flat hash.
    let before = fake.paths().len();
    let r = check_key(&client, &format!("sha256:{}", hex("44", 32))).await;
    assert_eq!((r.status, r.method, r.swhid, r.reason), (Status::Missing, Method::ContentSha256, None, None));
    assert_eq!(fake.paths().len() - before, 2);
    // Nothing to ask with: no request.
    let r = check_key(&client, "unknown:no-hash").await;
    assert_eq!((r.status, r.method, r.reason.as_deref()), (Status::Unknown, Method::None, Some("no-hash")));
    assert_eq!(fake.paths().len() - before, 2);
}

#[tokio::test]
async fn the_token_is_sent_as_a_bearer_token() {
    let (url, fake) = fake_swh().await;
    let options = Options { token: Some(serde_json::from_str("\"s3cret\"").unwrap()), ..quick(&url) };
    assert!(!format!("{options:?}").contains("s3cret"), "the token must not be printed");
    let client = Client::new(options).unwrap();
    check_key(&client, &format!("revision:{COMMIT}")).await;
    let auth = fake.log.lock().unwrap()[0].2.clone();
    assert_eq!(auth.as_deref(), Some("Bearer s3cret"));
}

#[tokio::test]
async fn too_many_requests_waits_for_retry_after() {
    let (url, fake) = fake_swh().await;
    knows_the_fixture(&fake);
    fake.script([Answer::Reply(429, vec![("retry-after", "1".into())], "{}".into())]);
    let client = Client::new(quick(&url)).unwrap();
    let r = check_key(&client, &format!("revision:{COMMIT}")).await;
    assert_eq!(r.status, Status::Archived, "{r:?}");
    let log = fake.log.lock().unwrap().clone();
    assert_eq!(log.len(), 2);
    let waited = log[1].1 - log[0].1;
    assert!(waited >= Duration::from_millis(950), "waited {waited:?}, Retry-After said 1 s");
}

#[tokio::test]
async fn a_rate_limit_at_zero_holds_every_request_until_the_reset() {
    let (url, fake) = fake_swh().await;
    knows_the_fixture(&fake);
    let reset = (chrono::Utc::now().timestamp() + 2).to_string();
    fake.script([Answer::Reply(
        200,
        vec![
            ("content-type", "application/json".into()),
            ("x-ratelimit-remaining", "0".into()),
            ("x-ratelimit-reset", reset),
        ],
        serde_json::json!({"id": COMMIT}).to_string(),
    )]);
    let client = Client::new(quick(&url)).unwrap();
    assert_eq!(check_key(&client, &format!("revision:{COMMIT}")).await.status, Status::Archived);
    // Another lookup (another key) waits for the reset.
    assert_eq!(check_key(&client, &format!("nar-sha256:{}", hex("22", 32))).await.status, Status::Archived);
    let log = fake.log.lock().unwrap().clone();
    assert_eq!(log.len(), 2);
    let waited = log[1].1 - log[0].1;
    assert!(waited >= Duration::from_millis(900), "the second request came {waited:?} after the first");
}

#[tokio::test]
async fn server_errors_are_retried_until_success() {
    let (url, fake) = fake_swh().await;
    knows_the_fixture(&fake);
    fake.script([Answer::Reply(503, vec![], "busy".into()), Answer::Reply(500, vec![], "oops".into())]);
    let client = Client::new(quick(&url)).unwrap();
    let r = check_key(&client, &format!("revision:{COMMIT}")).await;
    assert_eq!(r.status, Status::Archived, "{r:?}");
    assert_eq!(client.requests(), 3);
    // Errors every time: the check says error and why, after the attempts allowed.
    fake.script(std::iter::repeat_n(Answer::Reply(502, vec![], String::new()), 3));
    let r = check_key(&client, &format!("revision:{COMMIT}")).await;
    assert_eq!(r.status, Status::Error);
    assert!(
        r.reason.as_deref().unwrap().contains("502") && r.reason.as_deref().unwrap().contains("3 attempts"),
        "{r:?}"
    );
}

#[tokio::test]
async fn a_slow_answer_times_out() {
    let (url, fake) = fake_swh().await;
    knows_the_fixture(&fake);
    fake.script([Answer::Slow(Duration::from_secs(5)), Answer::Slow(Duration::from_secs(5))]);
    let options = Options { timeout: Duration::from_millis(300), attempts: 2, ..quick(&url) };
    let client = Client::new(options).unwrap();
    let started = Instant::now();
    let r = check_key(&client, &format!("revision:{COMMIT}")).await;
    assert_eq!(r.status, Status::Error);
    assert!(r.reason.as_deref().unwrap().contains("timed out"), "{r:?}");
    assert!(started.elapsed() < Duration::from_secs(4), "did not wait for the slow answers");
}

#[tokio::test]
async fn malformed_json_is_an_error_not_a_verdict() {
    let (url, fake) = fake_swh().await;
    fake.script([
        Answer::Reply(200, vec![("content-type", "application/json".into())], "{\"id\": ".into()),
        Answer::Reply(200, vec![], serde_json::json!({"target": "javascript:alert(1)"}).to_string()),
    ]);
    let client = Client::new(quick(&url)).unwrap();
    let r = check_key(&client, &format!("revision:{COMMIT}")).await;
    assert_eq!(r.status, Status::Error);
    assert!(r.reason.as_deref().unwrap().contains("malformed answer"), "{r:?}");
    let r = check_key(&client, &format!("nar-sha256:{}", hex("22", 32))).await;
    assert_eq!((r.status, r.swhid.clone()), (Status::Error, None), "{r:?}");
}

async fn statuses(pool: &PgPool) -> Vec<(String, String, String)> {
    sqlx::query_as("SELECT key, status, method FROM archival_checks ORDER BY key").fetch_all(pool).await.unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_check_stores_every_status_and_a_rerun_in_the_window_asks_nothing(pool: PgPool) {
    ingest_fixture(&pool).await;
    let (url, fake) = fake_swh().await;
    knows_the_fixture(&fake);
    let client = Client::new(quick(&url)).unwrap();
    let options = check::Options { batch: 3, ..Default::default() };
    let summary = check::run(&pool, &client, &options, &Silent).await.unwrap();
    // alpha, beta, gamma, zeta, epsilon archived; eta missing; delta unknown (no hash).
    assert_eq!((summary.checked, summary.archived, summary.missing, summary.unknown, summary.error), (7, 5, 1, 1, 0));
    assert_eq!(summary.snapshots, 1);
    let rows = statuses(&pool).await;
    assert!(rows.contains(&(format!("sha256:{}", hex("44", 32)), "missing".into(), "content-sha256".into())));
    assert!(rows.contains(&("unknown:no-hash".into(), "unknown".into(), "none".into())));
    assert!(rows.contains(&(format!("revision:{COMMIT}"), "archived".into(), "revision".into())));
    let snapshot: (String, i64, i64, i64, i64, i64) =
        sqlx::query_as("SELECT revision, sources, archived, missing, unknown, unchecked FROM archival_snapshots")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(snapshot, ("rev1".into(), 7, 5, 1, 1, 0));
    // Within the window: no request, nothing written, cached pages kept.
    let generation = || async { pacatlas::catalog::generation::read(&pool).await.unwrap() };
    let before = generation().await;
    let requests = fake.paths().len();
    let again = check::run(&pool, &client, &options, &Silent).await.unwrap();
    assert_eq!((again.checked, again.requests, again.snapshots), (0, 0, 0));
    assert_eq!(fake.paths().len(), requests);
    assert_eq!(generation().await, before);
    // A window of zero checks everything again (new check times: a new generation).
    let options = check::Options { stale_after: Duration::ZERO, ..options };
    assert_eq!(check::run(&pool, &client, &options, &Silent).await.unwrap().checked, 7);
    assert!(generation().await > before);
    // --channel: an unknown channel is refused, naming it.
    let options = check::Options { channel: Some("nope".into()), ..Default::default() };
    let e = check::run(&pool, &client, &options, &Silent).await.unwrap_err();
    assert!(e.to_string().contains("\"nope\""), "{e}");
    let options = check::Options { channel: Some("guix/test".into()), limit: Some(2), ..Default::default() };
    assert_eq!(check::run(&pool, &client, &options, &Silent).await.unwrap().checked, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_killed_check_resumes_where_it_stopped(pool: PgPool) {
    ingest_fixture(&pool).await;
    let (url, fake) = fake_swh().await;
    knows_the_fixture(&fake);
    // Batches of two, one request at a time; the 4th request hangs: the run is killed then.
    fake.script([Answer::Default, Answer::Default, Answer::Default, Answer::Slow(Duration::from_secs(30))]);
    let client = Client::new(Options { concurrency: 1, timeout: Duration::from_secs(60), ..quick(&url) }).unwrap();
    let options = check::Options { batch: 2, ..Default::default() };
    let killed = tokio::time::timeout(Duration::from_secs(2), check::run(&pool, &client, &options, &Silent)).await;
    assert!(killed.is_err(), "the run should have been stopped");
    let first = statuses(&pool).await;
    assert!(!first.is_empty() && first.len() < 7, "{first:?}");
    // The rerun asks only about what the first did not write.
    let seen = fake.paths().len();
    let client = Client::new(quick(&url)).unwrap();
    let summary = check::run(&pool, &client, &options, &Silent).await.unwrap();
    assert_eq!(summary.checked as usize, 7 - first.len());
    for path in &fake.paths()[seen..] {
        for (key, _, _) in &first {
            let value = key.split_once(':').unwrap().1;
            assert!(!path.contains(value), "{key} was checked again: {path}");
        }
    }
    assert_eq!(statuses(&pool).await.len(), 7);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_scheduled_check_runs_on_one_server_at_a_time(pool: PgPool) {
    use pacatlas::archival::schedule::run_once;
    ingest_fixture(&pool).await;
    let (url, fake) = fake_swh().await;
    knows_the_fixture(&fake);
    let client = Client::new(quick(&url)).unwrap();
    // Another server holds the lock: this one does not check.
    let mut other = pool.acquire().await.unwrap();
    sqlx::query("SELECT pg_advisory_lock(7567208)").execute(&mut *other).await.unwrap();
    assert_eq!(run_once(&pool, &client, &check::Options::default()).await.unwrap(), None);
    assert!(fake.paths().is_empty());
    sqlx::query("SELECT pg_advisory_unlock(7567208)").execute(&mut *other).await.unwrap();
    let summary = run_once(&pool, &client, &check::Options::default()).await.unwrap().unwrap();
    assert_eq!(summary.checked, 7);
    // The lock is released after the run.
    let free: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock(7567208)").fetch_one(&mut *other).await.unwrap();
    assert!(free);
}

#[sqlx::test(migrations = "../migrations")]
async fn missing_origins_can_be_saved_once(pool: PgPool) {
    use pacatlas::archival::save::request_saves;
    ingest_fixture(&pool).await;
    let (url, fake) = fake_swh().await;
    knows_the_fixture(&fake);
    // gamma's git tree is not archived: its origin may be saved.
    fake.forget(&format!("/api/1/extid/nar-sha256/hex:{}/?extid_version=1", hex("22", 32)));
    fake.know(
        "/api/1/origin/save/git/url/https://github.com/gamma/gamma/",
        serde_json::json!({"origin_url": "https://github.com/gamma/gamma", "visit_type": "git",
                           "save_request_status": "accepted", "save_task_status": "not yet scheduled"}),
    );
    let client = Client::new(quick(&url)).unwrap();
    check::run(&pool, &client, &check::Options::default(), &Silent).await.unwrap();
    let month = Duration::from_secs(30 * 86_400);
    let saved = request_saves(&pool, &client, None, 100, month).await.unwrap();
    assert_eq!((saved.requested, saved.accepted), (1, 1));
    let row: (String, String, Option<String>) =
        sqlx::query_as("SELECT origin_url, visit_type, request_status FROM archival_save_requests")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(row, ("https://github.com/gamma/gamma".into(), "git".into(), Some("accepted".into())));
    // Not asked again within the window; the limit bounds a run.
    assert_eq!(request_saves(&pool, &client, None, 100, month).await.unwrap().requested, 0);
    assert_eq!(request_saves(&pool, &client, None, 0, Duration::ZERO).await.unwrap().requested, 0);
    let posts = fake.paths().iter().filter(|p| p.starts_with("/api/1/origin/save/")).count();
    assert_eq!(posts, 1);
}
