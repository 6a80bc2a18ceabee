//! The same faults for every polling importer (Cuirass and Hydra walking
//! evaluations, GitLab pipelines), through the one import driver: 5xx then
//! success, 429 with Retry-After, an answer past the timeout, malformed
//! JSON (an error naming the service, nothing written), unknown status codes.
use std::time::{Duration, Instant};

use pacatlas::{
    builds::{
        fetch::Policy,
        import::{self, Request, Source},
    },
    catalog::Ecosystem,
    ingest::progress::Silent,
};
use sqlx::PgPool;

use crate::{
    builds_import_evaluations::quick_policy,
    builds_import_fake::{
        self as fake, count, cuirass_build, cuirass_evaluation, gitlab_job, gitlab_pipeline, hydra_build, hydra_eval,
        Fake, Fault,
    },
    support::{fixture, ingest},
};

const T: i64 = 1_790_000_000;

async fn reset(pool: &PgPool) {
    sqlx::query("DELETE FROM build_results").execute(pool).await.unwrap();
    sqlx::query("DELETE FROM ci_import_state").execute(pool).await.unwrap();
}

/// Runs the faults against `request` (whose fake holds `rows` finished builds).
async fn fault_suite(pool: &PgPool, fake: &Fake, request: Request, rows: i64) {
    let name = request.service.clone();
    let run = |policy: Policy| {
        let request = Request { policy, ..request.clone() };
        async move { import::run(pool, &request, &Silent).await }
    };

    // 502, then 429 with Retry-After: 1, then the answer.
    fake.fault([Fault::Status(502, None), Fault::Status(429, Some("1"))]);
    let started = Instant::now();
    let summary = run(quick_policy()).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "{name}: Retry-After: 1 was honoured");
    assert_eq!(count(pool).await, rows, "{name}: {summary}");
    assert!(summary.starts_with(&format!("{name}: ")), "{summary}");

    // Failing every attempt: the last status named, nothing written.
    reset(pool).await;
    fake.fault([Fault::Status(503, None), Fault::Status(503, None), Fault::Status(500, None)]);
    let e = run(quick_policy()).await.unwrap_err().to_string();
    assert!(e.contains(&name) && e.contains("500") && e.contains("3 attempts"), "{e}");
    assert_eq!(count(pool).await, 0);

    // Slower than the timeout, every attempt.
    let slow = Fault::Slow(Duration::from_secs(5));
    fake.fault([slow.clone(), slow.clone(), slow]);
    let started = Instant::now();
    let policy = Policy { total_timeout: Duration::from_millis(300), ..quick_policy() };
    let e = run(policy).await.unwrap_err().to_string();
    assert!(e.contains(&name) && e.contains("timed out"), "{e}");
    assert!(started.elapsed() < Duration::from_secs(4), "{name}: gave up in time");
    assert_eq!(count(pool).await, 0);

    // Malformed JSON.
    fake.fault([Fault::Body("[{\"id\": 1, ")]);
    let e = run(quick_policy()).await.unwrap_err().to_string();
    assert!(e.contains(&name) && e.contains("not a JSON"), "{e}");
    assert_eq!(count(pool).await, 0);

    // And then it works.
    run(quick_policy()).await.unwrap();
    assert_eq!(count(pool).await, rows);
}

async fn status_of(pool: &PgPool, id: &str) -> (String, String) {
    sqlx::query_as("SELECT status, service_status FROM build_results WHERE external_id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn cuirass_faults(pool: PgPool) {
    let (url, fake) = fake::start().await;
    ingest(&pool, Ecosystem::Guix, "guix", None, &[fixture("guix-packages.json")]).await.unwrap();
    *fake.evaluations.lock().unwrap() = vec![cuirass_evaluation(1, 0, T)];
    fake.add_build(cuirass_build(11, 1, "hdf5-1.14.5", 0, T + 50));
    fake.add_build(cuirass_build(12, 1, "gcc-14.2.0", 42, T + 60));
    let request = Request { evaluations: true, ..Request::new(Source::Cuirass, "berlin", &url, "guix") };
    fault_suite(&pool, &fake, request, 2).await;
    // An undocumented code is `other`, the service's code kept.
    assert_eq!(status_of(&pool, "12").await, ("other".to_string(), "42".to_string()));
}

#[sqlx::test(migrations = "../migrations")]
async fn hydra_faults(pool: PgPool) {
    let (url, fake) = fake::start().await;
    ingest(&pool, Ecosystem::Nix, "nixos-unstable", None, &[fixture("nix-packages.json")]).await.unwrap();
    *fake.hydra_evals.lock().unwrap() = vec![hydra_eval(10, &[100, 101], T)];
    fake.add_build(hydra_build(100, 10, "hdf5", "hdf5-1.14.5", Some(0), T + 50));
    fake.add_build(hydra_build(101, 10, "python312Packages.numpy", "python3.12-numpy-2.2.4", Some(12), T + 60));
    let request = Request {
        evaluations: true,
        jobset: Some("nixpkgs/trunk".into()),
        ..Request::new(Source::Hydra, "hydra", &url, "nixos-unstable")
    };
    fault_suite(&pool, &fake, request, 2).await;
    assert_eq!(status_of(&pool, "101").await, ("other".to_string(), "12".to_string()));
}

#[sqlx::test(migrations = "../migrations")]
async fn gitlab_faults(pool: PgPool) {
    let (url, fake) = fake::start().await;
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[fixture("spack-rich.json")]).await.unwrap();
    let arch = "%gcc@11.4.0 arch=linux-ubuntu22.04-x86_64_v3";
    *fake.pipelines.lock().unwrap() = vec![gitlab_pipeline(1, "failed", "2026-11-20T10:30:00Z")];
    fake.jobs.lock().unwrap().insert(
        1,
        vec![
            gitlab_job(10, &format!("hdf5@1.14.5 /abcdefg {arch}"), "success", "2026-11-20T10:30:00Z"),
            gitlab_job(11, &format!("openmpi@5.0.5 /hijklmn {arch}"), "failed", "2026-11-20T10:31:00Z"),
        ],
    );
    let project = format!("{url}/api/v4/projects/2");
    let request = Request::new(Source::Gitlab, "spack-gitlab", &project, "builtin");
    fault_suite(&pool, &fake, request.clone(), 2).await;
    // GitLab's statuses are words: one it does not document is refused, naming the job.
    reset(&pool).await;
    fake.jobs.lock().unwrap().get_mut(&1).unwrap()[1]["status"] = serde_json::json!("exploded");
    let e = import::run(&pool, &Request { policy: quick_policy(), ..request }, &Silent).await.unwrap_err().to_string();
    assert!(e.contains("spack-gitlab") && e.contains("job 11") && e.contains("exploded"), "{e}");
    assert_eq!(count(&pool).await, 0, "nothing of the pipeline was written");
}
