//! Walking Cuirass and Hydra evaluation by evaluation against a local fake
//! speaking their documented JSON: oldest first, the cursor past complete
//! evaluations only, builds completed from `/build/<id>`, Hydra's pages
//! followed by `next`, builds already stored not fetched again, `since`,
//! malformed evaluations refused with nothing of them written.
use pacatlas::{
    builds::{self, evaluations, fetch::Policy, Kind, Service},
    catalog::Ecosystem,
    ingest::progress::Silent,
};
use sqlx::PgPool;

use crate::{
    builds_import_fake::{self as fake, count, cuirass_build, cuirass_evaluation, hydra_build, hydra_eval},
    support::{fixture, ingest},
};

const T: i64 = 1_790_000_000;

pub(crate) fn quick_policy() -> Policy {
    Policy {
        connect_timeout: std::time::Duration::from_secs(2),
        total_timeout: std::time::Duration::from_millis(1500),
        attempts: 3,
        backoff: std::time::Duration::from_millis(50),
        max_wait: std::time::Duration::from_secs(2),
        max_bytes: 1 << 20,
    }
}

fn options() -> evaluations::Options {
    evaluations::Options { evaluations: 10, eval_builds: 100, policy: quick_policy(), ..Default::default() }
}

fn hydra_options() -> evaluations::Options {
    evaluations::Options { jobset: Some(("nixpkgs".into(), "trunk".into())), ..options() }
}

pub(crate) async fn guix_service(pool: &PgPool, url: &str) -> Service {
    ingest(pool, Ecosystem::Guix, "guix", None, &[fixture("guix-packages.json")]).await.unwrap();
    builds::ensure_service(pool, "berlin", Kind::Cuirass, Some(url), Ecosystem::Guix, "guix").await.unwrap()
}

async fn nix_service(pool: &PgPool, url: &str) -> Service {
    ingest(pool, Ecosystem::Nix, "nixos-unstable", None, &[fixture("nix-packages.json")]).await.unwrap();
    builds::ensure_service(pool, "hydra", Kind::Hydra, Some(url), Ecosystem::Nix, "nixos-unstable").await.unwrap()
}

type Row = (String, Option<String>, String, Option<String>, Option<String>, Option<String>);
type Brief<'a> = (&'a str, Option<&'a str>, &'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);

async fn rows(pool: &PgPool) -> Vec<Row> {
    sqlx::query_as(
        "SELECT b.external_id, p.name, b.status, b.version, b.system, b.evaluation
         FROM build_results b LEFT JOIN packages p ON p.id = b.package_id ORDER BY b.external_id::bigint",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn cuirass_evaluations_are_walked_oldest_first_and_the_cursor_waits_for_unfinished_builds(pool: PgPool) {
    let (url, fake) = fake::start().await;
    let service = guix_service(&pool, &url).await;
    *fake.evaluations.lock().unwrap() =
        vec![cuirass_evaluation(1, 0, T), cuirass_evaluation(2, 0, T + 100), cuirass_evaluation(3, -1, T + 200)];
    for b in [
        cuirass_build(11, 1, "hdf5-1.14.5", 0, T + 50),
        cuirass_build(12, 1, "gcc-14.2.0", 1, T + 60),
        cuirass_build(21, 2, "hdf5-1.14.5", 1, T + 150),
        cuirass_build(22, 2, "python-numpy-1.26.4", -2, 0),
        cuirass_build(31, 3, "hdf5-1.14.6", 0, T + 250),
    ] {
        fake.add_build(b);
    }
    // The list answers lack nixname and system: /build/<id> gives them.
    fake.terse.store(true, std::sync::atomic::Ordering::Relaxed);
    let first = evaluations::import(&pool, &service, &options(), &Silent).await.unwrap();
    assert_eq!(
        (first.evaluations, first.waiting, first.written, first.unfinished, first.cursor),
        (3, 2, 4, 1, Some(1)),
        "{first}"
    );
    assert_eq!(first.details, 5, "{first}");
    let log = fake.requests();
    assert_eq!(log[0], "/api/evaluations?nr=10");
    assert_eq!(log[1], "/api/latestbuilds?nr=100&evaluation=1", "oldest first: {log:?}");
    assert!(log.contains(&"/build/11".to_string()), "{log:?}");
    let got = rows(&pool).await;
    let brief: Vec<Brief> = got
        .iter()
        .map(|r| (r.0.as_str(), r.1.as_deref(), r.2.as_str(), r.3.as_deref(), r.4.as_deref(), r.5.as_deref()))
        .collect();
    assert_eq!(
        brief,
        [
            ("11", Some("hdf5"), "succeeded", Some("1.14.5"), Some("x86_64-linux"), Some("1")),
            ("12", Some("gcc"), "failed", Some("14.2.0"), Some("x86_64-linux"), Some("1")),
            ("21", Some("hdf5"), "failed", Some("1.14.5"), Some("x86_64-linux"), Some("2")),
            ("31", Some("hdf5"), "succeeded", Some("1.14.6"), Some("x86_64-linux"), Some("3")),
        ]
    );

    // Nothing changed: evaluation 1 is not read again, 2 and 3 are, nothing is written.
    fake.terse.store(false, std::sync::atomic::Ordering::Relaxed);
    fake.log.lock().unwrap().clear();
    let again = evaluations::import(&pool, &service, &options(), &Silent).await.unwrap();
    assert_eq!((again.evaluations, again.written, again.cursor), (2, 0, Some(1)), "{again}");
    assert!(!fake.requests().iter().any(|r| r.ends_with("evaluation=1")), "{:?}", fake.requests());

    // Build 22 finishes and evaluation 3 is done: the cursor moves to 3.
    fake.add_build(cuirass_build(22, 2, "python-numpy-1.26.4", 7, T + 400));
    fake.evaluations.lock().unwrap()[2]["status"] = serde_json::json!(0);
    let later = evaluations::import(&pool, &service, &options(), &Silent).await.unwrap();
    assert_eq!((later.written, later.waiting, later.cursor), (1, 0, Some(3)), "{later}");
    fake.log.lock().unwrap().clear();
    let done = evaluations::import(&pool, &service, &options(), &Silent).await.unwrap();
    assert_eq!((done.evaluations, done.written), (0, 0), "{done}");
    assert_eq!(fake.requests(), ["/api/evaluations?nr=10"]);
    assert_eq!(count(&pool).await, 5);
    let numpy: (String, String) =
        sqlx::query_as("SELECT status, service_status FROM build_results WHERE external_id = '22'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(numpy, ("timed-out".to_string(), "7".to_string()));
}

#[sqlx::test(migrations = "../migrations")]
async fn hydra_evals_are_paged_by_next_and_builds_read_from_build_id(pool: PgPool) {
    let (url, fake) = fake::start().await;
    let service = nix_service(&pool, &url).await;
    *fake.hydra_evals.lock().unwrap() = vec![
        hydra_eval(10, &[100], T),
        hydra_eval(11, &[110, 111], T + 100),
        hydra_eval(12, &[120], T + 200),
        hydra_eval(13, &[130, 131], T + 300),
        hydra_eval(14, &[140], T + 400),
    ];
    for b in [
        hydra_build(100, 10, "hdf5", "hdf5-1.14.5", Some(0), T + 50),
        hydra_build(110, 11, "hdf5", "hdf5-1.14.6", Some(1), T + 150),
        hydra_build(111, 11, "python312Packages.numpy", "python3.12-numpy-2.2.4", Some(0), T + 160),
        hydra_build(120, 12, "tests.unrelated", "unrelated-1.0", Some(2), T + 250),
        hydra_build(130, 13, "hdf5", "hdf5-1.14.6", Some(0), T + 350),
        hydra_build(131, 13, "python312Packages.numpy", "python3.12-numpy-2.2.5", None, 0),
        hydra_build(140, 14, "hdf5", "hdf5-1.14.6", Some(99), T + 450),
    ] {
        fake.add_build(b);
    }
    let first = evaluations::import(&pool, &service, &hydra_options(), &Silent).await.unwrap();
    assert_eq!(
        (first.evaluations, first.details, first.written, first.unfinished, first.cursor),
        (5, 7, 6, 1, Some(12)),
        "{first}"
    );
    let log = fake.requests();
    let pages: Vec<&String> = log.iter().filter(|r| r.contains("/evals")).collect();
    assert_eq!(
        pages,
        ["/jobset/nixpkgs/trunk/evals", "/jobset/nixpkgs/trunk/evals?page=2", "/jobset/nixpkgs/trunk/evals?page=3"]
    );
    let got = rows(&pool).await;
    let brief: Vec<(&str, Option<&str>, &str, Option<&str>)> =
        got.iter().map(|r| (r.0.as_str(), r.1.as_deref(), r.2.as_str(), r.5.as_deref())).collect();
    assert_eq!(
        brief,
        [
            ("100", Some("hdf5"), "succeeded", Some("10")),
            ("110", Some("hdf5"), "failed", Some("11")),
            ("111", Some("python312Packages.numpy"), "succeeded", Some("11")),
            ("120", None, "dependency-failed", Some("12")),
            ("130", Some("hdf5"), "succeeded", Some("13")),
            // An unknown code is `other`, its own code kept.
            ("140", Some("hdf5"), "other", Some("14")),
        ]
    );
    assert_eq!(got[2].3.as_deref(), Some("2.2.4"));

    // Again: pages down to the cursor only; only the unfinished build is fetched again.
    fake.log.lock().unwrap().clear();
    let again = evaluations::import(&pool, &service, &hydra_options(), &Silent).await.unwrap();
    assert_eq!((again.evaluations, again.known, again.details, again.written), (2, 2, 1, 0), "{again}");
    let builds: Vec<String> = fake.requests().into_iter().filter(|r| r.starts_with("/build/")).collect();
    assert_eq!(builds, ["/build/131"]);
    assert_eq!(fake.requests().iter().filter(|r| r.contains("/evals")).count(), 2);

    // It finishes: imported, and the cursor reaches the newest evaluation.
    fake.add_build(hydra_build(131, 13, "python312Packages.numpy", "python3.12-numpy-2.2.5", Some(0), T + 500));
    let later = evaluations::import(&pool, &service, &hydra_options(), &Silent).await.unwrap();
    assert_eq!((later.written, later.cursor), (1, Some(14)), "{later}");
    assert_eq!(count(&pool).await, 7);
}

#[sqlx::test(migrations = "../migrations")]
async fn since_leaves_out_older_evaluations_and_builds(pool: PgPool) {
    let (url, fake) = fake::start().await;
    let service = guix_service(&pool, &url).await;
    *fake.evaluations.lock().unwrap() = vec![cuirass_evaluation(1, 0, T), cuirass_evaluation(2, 0, T + 1000)];
    for b in [
        cuirass_build(11, 1, "hdf5-1.14.5", 0, T + 50),
        cuirass_build(21, 2, "hdf5-1.14.5", 1, T + 900),
        cuirass_build(22, 2, "gcc-14.2.0", 0, T + 1100),
    ] {
        fake.add_build(b);
    }
    let since = chrono::DateTime::from_timestamp(T + 1000, 0);
    let summary =
        evaluations::import(&pool, &service, &evaluations::Options { since, ..options() }, &Silent).await.unwrap();
    assert_eq!((summary.evaluations, summary.older, summary.written), (1, 1, 1), "{summary}");
    assert!(!fake.requests().iter().any(|r| r.ends_with("evaluation=1")));
    let ids: Vec<String> = sqlx::query_scalar("SELECT external_id FROM build_results").fetch_all(&pool).await.unwrap();
    assert_eq!(ids, ["22"]);
    // The latest-builds walk too.
    let latest = builds::cuirass::Options { since, policy: quick_policy(), ..Default::default() };
    let summary = builds::cuirass::import(&pool, &service, &latest, &Silent).await.unwrap();
    assert_eq!((summary.older, summary.written), (2, 0), "{summary}");
}

#[sqlx::test(migrations = "../migrations")]
async fn malformed_evaluations_and_build_answers_are_refused_writing_nothing_of_them(pool: PgPool) {
    let (url, fake) = fake::start().await;
    let service = nix_service(&pool, &url).await;
    *fake.hydra_evals.lock().unwrap() = vec![hydra_eval(10, &[100], T), hydra_eval(11, &[110], T + 100)];
    fake.add_build(hydra_build(100, 10, "hdf5", "hdf5-1.14.5", Some(0), T + 50));
    fake.hydra_evals.lock().unwrap()[1]["builds"] = serde_json::json!([110, "x"]);
    let e = evaluations::import(&pool, &service, &hydra_options(), &Silent).await.unwrap_err().to_string();
    assert!(e.contains("hydra") && e.contains("evaluation 11") && e.contains("`builds`"), "{e}");
    assert_eq!(count(&pool).await, 0);

    // A build whose answer has a malformed field: its evaluation is not written, the one before is.
    fake.hydra_evals.lock().unwrap()[1]["builds"] = serde_json::json!([110, 111]);
    fake.add_build(hydra_build(110, 11, "hdf5", "hdf5-1.14.6", Some(0), T + 150));
    let mut bad = hydra_build(111, 11, "hdf5", "hdf5-1.14.6", Some(0), T + 160);
    bad["stoptime"] = serde_json::json!("noon");
    fake.add_build(bad);
    let e = evaluations::import(&pool, &service, &hydra_options(), &Silent).await.unwrap_err().to_string();
    assert!(e.contains("hydra") && e.contains("build 111") && e.contains("`stoptime`"), "{e}");
    let ids: Vec<String> = sqlx::query_scalar("SELECT external_id FROM build_results").fetch_all(&pool).await.unwrap();
    assert_eq!(ids, ["100"]);

    // A build the service does not know (404): an error naming it, not retried.
    fake.builds.lock().unwrap().remove(&111);
    let e = evaluations::import(&pool, &service, &hydra_options(), &Silent).await.unwrap_err().to_string();
    assert!(e.contains("/build/111") && e.contains("404"), "{e}");
    assert_eq!(count(&pool).await, 1);
}
