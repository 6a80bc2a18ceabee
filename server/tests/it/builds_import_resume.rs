//! A real crash: the built `pacatlas ci import` binary against a fake
//! service answering slowly, killed with SIGKILL mid-import, then run again.
//! Nothing lost, nothing twice, no evaluation or pipeline half-written, and
//! what the killed run committed is neither fetched nor written again.
use std::{
    process::{Child, Command, Stdio},
    sync::atomic::Ordering,
    time::{Duration, Instant},
};

use sqlx::PgPool;

use crate::{
    builds_import_fake::{self as fake, count, cuirass_build, cuirass_evaluation, gitlab_job, gitlab_pipeline},
    support::{fixture, ingest},
};
use pacatlas::catalog::Ecosystem;

const T: i64 = 1_790_000_000;

/// The URL of the test's own database, for the binary.
async fn database_url(pool: &PgPool) -> String {
    let name: String = sqlx::query_scalar("SELECT current_database()").fetch_one(pool).await.unwrap();
    let mut url = url::Url::parse(&std::env::var("DATABASE_URL").expect("DATABASE_URL")).unwrap();
    url.set_path(&format!("/{name}"));
    url.to_string()
}

fn pacatlas(db: &str, dir: &tempfile::TempDir, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_pacatlas"))
        .args(args)
        .env("DATABASE_URL", db)
        .env_remove("PACATLAS_CONFIG")
        .env("PACATLAS_LOG_LEVEL", "warn")
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start pacatlas")
}

/// Waits (without blocking the fake's runtime) until `child` exits.
async fn finish(mut child: Child, limit: Duration) -> (bool, String) {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            return (status.success(), text);
        }
        assert!(started.elapsed() < limit, "pacatlas did not finish in {limit:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Kills `child` with SIGKILL once `ready` says so of the rows written; the rows then.
async fn kill_when(mut child: Child, pool: &PgPool, ready: impl Fn(i64) -> bool) -> i64 {
    let started = Instant::now();
    loop {
        let n = count(pool).await;
        if ready(n) {
            child.kill().unwrap(); // SIGKILL on Unix
            child.wait().unwrap();
            // What it committed up to its death, maybe more than was seen.
            return count(pool).await;
        }
        assert!(child.try_wait().unwrap().is_none(), "pacatlas finished before it could be killed ({n} rows)");
        assert!(started.elapsed() < Duration::from_secs(60), "no progress: {n} rows");
        tokio::time::sleep(Duration::from_millis(15)).await;
    }
}

type Stamp = (String, chrono::DateTime<chrono::Utc>, i64);

/// Each row's id, write time and transaction: equal stamps mean it was not written again.
async fn stamps(pool: &PgPool) -> Vec<Stamp> {
    sqlx::query_as("SELECT external_id, imported_at, xmin::text::bigint FROM build_results ORDER BY external_id")
        .fetch_all(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_killed_cuirass_import_resumes_losing_nothing_and_writing_nothing_twice(pool: PgPool) {
    let (url, fake) = fake::start().await;
    ingest(&pool, Ecosystem::Guix, "guix", None, &[fixture("guix-packages.json")]).await.unwrap();
    let names = ["hdf5-1.14.5", "gcc-14.2.0", "python-numpy-1.26.4"];
    let mut expected = Vec::new();
    for eval in 1..=8 {
        fake.evaluations.lock().unwrap().push(cuirass_evaluation(eval, 0, T + eval * 1000));
        for (i, name) in names.iter().enumerate() {
            let id = eval * 100 + i as i64;
            fake.add_build(cuirass_build(id, eval, name, id % 3, T + eval * 1000 + 50));
            expected.push(id.to_string());
        }
    }
    expected.sort();
    fake.delay_ms.store(250, Ordering::Relaxed);
    let db = database_url(&pool).await;
    let dir = tempfile::tempdir().unwrap();
    let args =
        ["ci", "import", "cuirass", "--evaluations", "--service", "berlin", "--url", url.as_str(), "--channel", "guix"];

    // Killed once two evaluations are in, with six left.
    let child = pacatlas(&db, &dir, &args);
    let at_kill = kill_when(child, &pool, |n| n >= 6).await;
    assert!(at_kill < 24, "killed mid-import: {at_kill} rows");
    assert_eq!(at_kill % 3, 0, "no evaluation half-written: {at_kill} rows");
    let before = stamps(&pool).await;
    let cursor: i64 = sqlx::query_scalar("SELECT (cursor->>'evaluation')::bigint FROM ci_import_state")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(cursor * 3, at_kill, "the cursor is the last evaluation committed");

    // Run again, to the end.
    fake.log.lock().unwrap().clear();
    let (ok, out) = finish(pacatlas(&db, &dir, &args), Duration::from_secs(60)).await;
    assert!(ok, "{out}");
    assert!(out.contains("berlin: ") && out.contains("imported up to evaluation 8"), "{out}");
    let after = stamps(&pool).await;
    let ids: Vec<String> = after.iter().map(|s| s.0.clone()).collect();
    assert_eq!(ids, expected, "every build once");
    // What the killed run committed was not written again, nor asked for.
    for stamp in &before {
        assert!(after.contains(stamp), "{stamp:?} was written again");
    }
    let asked = fake.requests();
    for eval in 1..=cursor {
        assert!(!asked.contains(&format!("/api/latestbuilds?nr=200000&evaluation={eval}")), "{asked:?}");
    }
    for eval in cursor + 1..=8 {
        assert!(asked.contains(&format!("/api/latestbuilds?nr=200000&evaluation={eval}")), "{asked:?}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_killed_gitlab_import_resumes_losing_nothing_and_writing_nothing_twice(pool: PgPool) {
    let (url, fake) = fake::start().await;
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[fixture("spack-rich.json")]).await.unwrap();
    let arch = "%gcc@11.4.0 arch=linux-ubuntu22.04-x86_64_v3";
    let mut expected = Vec::new();
    for p in 1..=8 {
        fake.pipelines.lock().unwrap().push(gitlab_pipeline(p, "success", "2026-11-20T10:30:00Z"));
        let jobs: Vec<_> = ["hdf5@1.14.5", "openmpi@5.0.5"]
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                let id = p * 10 + i as i64;
                expected.push(id.to_string());
                gitlab_job(id, &format!("{spec} /abcdefg {arch}"), "success", "2026-11-20T10:30:00Z")
            })
            .collect();
        fake.jobs.lock().unwrap().insert(p, jobs);
    }
    expected.sort();
    fake.delay_ms.store(250, Ordering::Relaxed);
    let db = database_url(&pool).await;
    let dir = tempfile::tempdir().unwrap();
    let project = format!("{url}/api/v4/projects/2");
    let args = ["ci", "import", "gitlab", "--service", "spack-ci", "--url", project.as_str(), "--channel", "builtin"];
    let at_kill = kill_when(pacatlas(&db, &dir, &args), &pool, |n| n >= 4).await;
    assert!(at_kill < 16 && at_kill % 2 == 0, "killed mid-import, no pipeline half-written: {at_kill}");
    let before = stamps(&pool).await;
    fake.log.lock().unwrap().clear();
    let (ok, out) = finish(pacatlas(&db, &dir, &args), Duration::from_secs(60)).await;
    assert!(ok && out.contains("spack-ci: "), "{out}");
    let after = stamps(&pool).await;
    assert_eq!(after.iter().map(|s| s.0.clone()).collect::<Vec<_>>(), expected);
    for stamp in &before {
        assert!(after.contains(stamp), "{stamp:?} was written again");
    }
    let done = at_kill / 2;
    let asked = fake.requests();
    assert!(!asked.iter().any(|r| (1..=done).any(|p| r.contains(&format!("/pipelines/{p}/jobs")))), "{asked:?}");
}
