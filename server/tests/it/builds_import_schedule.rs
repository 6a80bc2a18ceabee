//! `serve`'s scheduled importers: each runs at start and then every
//! interval; one failing logs and tries again at its next tick while the
//! others go on importing. The configuration keys are read from TOML.
use std::time::{Duration, Instant};

use figment::providers::{Format, Toml};
use pacatlas::{
    builds::{
        import::Source,
        schedule::{self, CiConfig, ImporterConfig},
    },
    catalog::Ecosystem,
    config::Config,
};
use sqlx::PgPool;

use crate::{
    builds_import_fake::{self as fake, cuirass_build, cuirass_evaluation, Fault},
    support::{fixture, ingest},
};

const T: i64 = 1_790_000_000;

async fn rows_of(pool: &PgPool, service: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM build_results b JOIN ci_services s ON s.id = b.service_id WHERE s.name = $1",
    )
    .bind(service)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn wait_for(what: &str, limit: Duration, mut ok: impl AsyncFnMut() -> bool) {
    let started = Instant::now();
    while !ok().await {
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn scheduled_importers_run_every_interval_and_a_failing_one_stops_no_other(pool: PgPool) {
    let (good_url, good) = fake::start().await;
    let (bad_url, bad) = fake::start().await;
    ingest(&pool, Ecosystem::Guix, "guix", None, &[fixture("guix-packages.json")]).await.unwrap();
    *good.evaluations.lock().unwrap() = vec![cuirass_evaluation(1, 0, T)];
    good.add_build(cuirass_build(11, 1, "hdf5-1.14.5", 0, T + 50));
    // The other service answers 500 to everything, for a while.
    bad.fault(std::iter::repeat_n(Fault::Status(500, None), 1000));
    let importer = |service: &str, url: &str| ImporterConfig {
        interval: "300ms".into(),
        evaluations: true,
        attempts: 1,
        timeout: "2s".into(),
        ..ImporterConfig::new(Source::Cuirass, service, url, "guix")
    };
    let config = CiConfig { importers: vec![importer("broken", &bad_url), importer("berlin", &good_url)] };
    config.validate().unwrap();
    let tasks = schedule::spawn(pool.clone(), &config);

    wait_for("the first run", Duration::from_secs(20), async || rows_of(&pool, "berlin").await == 1).await;
    // A new evaluation is imported at a later tick, while the broken one keeps failing.
    *good.evaluations.lock().unwrap() = vec![cuirass_evaluation(1, 0, T), cuirass_evaluation(2, 0, T + 100)];
    good.add_build(cuirass_build(21, 2, "hdf5-1.14.5", 1, T + 150));
    wait_for("a later tick", Duration::from_secs(20), async || rows_of(&pool, "berlin").await == 2).await;
    wait_for("the broken importer's retries", Duration::from_secs(20), async || bad.requests().len() >= 3).await;
    assert_eq!(rows_of(&pool, "broken").await, 0);

    // Once the broken service answers, its next tick imports.
    bad.faults.lock().unwrap().clear();
    *bad.evaluations.lock().unwrap() = vec![cuirass_evaluation(5, 0, T)];
    bad.add_build(cuirass_build(51, 5, "gcc-14.2.0", 0, T + 50));
    wait_for("the broken importer recovers", Duration::from_secs(20), async || rows_of(&pool, "broken").await == 1)
        .await;
    for task in tasks {
        task.abort();
    }
}

#[test]
fn importers_are_configured_in_toml_and_checked_naming_the_key() {
    let toml = r#"
        [[ci.importers]]
        kind = "cuirass"
        service = "berlin"
        url = "https://ci.guix.gnu.org"
        channel = "guix"
        interval = "15m"
        evaluations = true

        [[ci.importers]]
        kind = "hydra"
        service = "hydra"
        url = "https://hydra.nixos.org"
        channel = "nixos-unstable"
        evaluations = true
        jobset = "nixpkgs/trunk"
        since = "7d"
    "#;
    let figment = Config::figment(None).unwrap().merge(Toml::string(toml));
    let config = Config::from_figment(figment).unwrap();
    let importers = &config.ci.importers;
    assert_eq!(importers.len(), 2);
    assert_eq!(
        (importers[0].kind, importers[0].interval.as_str(), importers[0].latest),
        (Source::Cuirass, "15m", 1000)
    );
    assert_eq!(importers[0].interval().unwrap(), Duration::from_secs(900));
    assert_eq!(importers[1].jobset.as_deref(), Some("nixpkgs/trunk"));
    let request = importers[1].request().unwrap();
    assert!(request.since.is_some_and(|s| s < chrono::Utc::now() - chrono::Duration::days(6)));

    let wrong = toml.replace("jobset = \"nixpkgs/trunk\"", "");
    let e = Config::from_figment(Config::figment(None).unwrap().merge(Toml::string(&wrong))).unwrap_err();
    assert!(e.to_string().contains("ci.importers[1].jobset"), "{e}");
    let typo = toml.replace("interval = \"15m\"", "intervl = \"15m\"");
    let e = Config::from_figment(Config::figment(None).unwrap().merge(Toml::string(&typo))).unwrap_err();
    assert!(e.to_string().contains("intervl"), "{e}");
}
