//! Reading build results: a package's latest builds with their weather, and
//! the services' counts, as JSON (the pages show the same data).
use pacatlas::{
    builds::{self, cuirass},
    ingest::progress::Silent,
};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::{
    builds_cuirass::{fake_cuirass, quick, setup},
    support::{app, get},
};

#[sqlx::test(migrations = "../migrations")]
async fn a_package_shows_its_latest_builds_with_their_weather(pool: PgPool) {
    let (url, _fake) = fake_cuirass().await;
    let service = setup(&pool, &url).await;
    cuirass::import(&pool, &service, &quick(), &Silent).await.unwrap();
    let app = app(pool);
    let reply = get(&app, "/api/v1/packages/guix/guix/hdf5/builds").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let body: Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(body["total"], 3);
    assert_eq!(body["demo"], false);
    // Three builds of hdf5 1.14.5 on x86_64-linux: succeeded, failed, succeeded: the latest, fixed.
    let latest = body["latest"].as_array().unwrap();
    assert_eq!(latest.len(), 1, "{latest:?}");
    assert_eq!(latest[0]["id"], "1007");
    assert_eq!(latest[0]["status"], "succeeded");
    assert_eq!(latest[0]["weather"], "fixed");
    assert_eq!(latest[0]["finished_at"], "2025-12-31T23:15:00Z");
    assert_eq!(latest[0]["build_url"], format!("{url}/build/1007/details"));
    // numpy: timed out on aarch64 (new failure), cancelled on x86_64 (no verdict).
    let body: Value =
        serde_json::from_str(&get(&app, "/api/v1/packages/guix/guix/python-numpy/builds").await.body).unwrap();
    let cells: Vec<(Value, Value, Value)> = body["latest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["system"].clone(), b["status"].clone(), b["weather"].clone()))
        .collect();
    assert_eq!(
        cells,
        [
            (json!("aarch64-linux"), json!("timed-out"), json!("new-failure")),
            (json!("x86_64-linux"), json!("cancelled"), Value::Null),
        ]
    );
    // A package without builds has an empty list; no package is a 404.
    let body: Value = serde_json::from_str(&get(&app, "/api/v1/packages/guix/guix/gcc/builds").await.body).unwrap();
    assert_eq!(body["total"], 1);
    assert_eq!(get(&app, "/api/v1/packages/guix/guix/no-such/builds").await.status, 404);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_ci_overview_counts_builds_by_status(pool: PgPool) {
    let (url, _fake) = fake_cuirass().await;
    let service = setup(&pool, &url).await;
    let app = app(pool.clone());
    let body: Value = serde_json::from_str(&get(&app, "/api/v1/ci").await.body).unwrap();
    assert_eq!(body["services"][0]["total"], 0);
    cuirass::import(&pool, &service, &quick(), &Silent).await.unwrap();
    let reply = get(&app, "/api/v1/ci").await;
    assert_eq!(reply.status, 200);
    let body: Value = serde_json::from_str(&reply.body).unwrap();
    let s = &body["services"][0];
    assert_eq!(
        (s["name"].as_str(), s["kind"].as_str(), s["channel"].as_str()),
        (Some("berlin"), Some("cuirass"), Some("guix"))
    );
    assert_eq!((s["total"].as_i64(), s["unresolved"].as_i64()), (Some(7), Some(1)));
    let counts: Vec<(String, i64)> = s["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["status"].as_str().unwrap().to_string(), c["count"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        counts,
        [
            ("succeeded".into(), 2),
            ("failed".into(), 1),
            ("dependency-failed".into(), 1),
            ("timed-out".into(), 1),
            ("cancelled".into(), 1),
            ("other".into(), 1)
        ]
    );
}

async fn page(app: &axum::Router, path: &str, accept: &str) -> (u16, String) {
    use axum::{body::Body, http::Request};
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let request = Request::get(path).header("accept-language", accept).body(Body::empty()).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    (status, String::from_utf8_lossy(&response.into_body().collect().await.unwrap().to_bytes()).into_owned())
}

/// No message id of the CI pages shows up raw (a key missing from a catalogue).
fn assert_no_raw_keys(path: &str, body: &str) {
    let catalogue = crate::support::catalogue("en");
    for key in catalogue.lines().filter_map(|l| l.split_once(" =").map(|(k, _)| k)) {
        if key.starts_with("ci-") || key.starts_with("builds-") {
            assert!(!body.contains(&format!(">{key}<")), "{path} shows the raw key {key}");
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_ci_page_and_the_builds_section_in_both_languages(pool: PgPool) {
    let app = app(pool.clone());
    // Before any service: the page exists (no more 404) and says so.
    let (status, body) = page(&app, "/ci", "en").await;
    assert_eq!(status, 200);
    assert!(body.contains("No CI service reports builds yet."), "{body}");
    let (url, _fake) = fake_cuirass().await;
    let service = setup(&pool, &url).await;
    cuirass::import(&pool, &service, &quick(), &Silent).await.unwrap();
    let app = crate::support::app(pool);
    for (accept, expected) in [
        ("en", ["CI status", "Dependency failed", "Timed out", "Unresolved jobs", "berlin"]),
        (
            "fr",
            ["État de l’intégration continue", "Dépendance échouée", "Délai dépassé", "Tâches non résolues", "berlin"],
        ),
    ] {
        let (status, body) = page(&app, "/ci", accept).await;
        assert_eq!(status, 200, "/ci ({accept})");
        for text in expected {
            assert!(body.contains(text), "/ci ({accept}) lacks {text:?}");
        }
        assert!(!body.contains("Demo data") && !body.contains("Données de démonstration"));
        assert_no_raw_keys("/ci", &body);
    }
    for (accept, expected) in [
        ("en", ["<h2 id=\"builds-h\">Builds</h2>", "Succeeded", "Fixed", "Build 1007 on berlin"]),
        ("fr", ["<h2 id=\"builds-h\">Constructions</h2>", "Réussie", "Réparée", "Construction 1007 sur berlin"]),
    ] {
        let (status, body) = page(&app, "/packages/guix/guix/hdf5", accept).await;
        assert_eq!(status, 200);
        for text in expected {
            assert!(body.contains(text), "hdf5 ({accept}) lacks {text:?}");
        }
        assert!(body.contains(&format!("href=\"{url}/build/1007/details\"")), "links to the service's build");
        assert_no_raw_keys("hdf5", &body);
    }
    let (_, body) = page(&app, "/packages/guix/guix/python-numpy", "en").await;
    assert!(body.contains("Timed out") && body.contains("New failure"), "numpy's builds");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_demo_shows_a_regression_and_a_fix_labelled_as_demo_data(pool: PgPool) {
    let limits = pacatlas::ingest::Limits::default();
    pacatlas::demo::load(&pool, limits, &Silent).await.unwrap();
    let written = pacatlas::builds::demo::load(&pool).await.unwrap();
    assert_eq!(written, 21 + 130, "the builds and ten weeks of history of 13 package × system pairs");
    assert_eq!(pacatlas::builds::demo::load(&pool).await.unwrap(), 0, "loading twice writes nothing");
    let app = app(pool.clone());
    let weather = |body: &Value, system: &str| {
        body["latest"].as_array().unwrap().iter().find(|b| b["system"] == system).unwrap()["weather"].clone()
    };
    let hdf5: Value = serde_json::from_str(&get(&app, "/api/v1/packages/guix/guix/hdf5/builds").await.body).unwrap();
    assert_eq!(hdf5["demo"], true);
    assert!(hdf5["latest"].as_array().unwrap().iter().all(|b| b["demo"] == true));
    assert_eq!(weather(&hdf5, "x86_64-linux"), "new-failure");
    let openmpi: Value =
        serde_json::from_str(&get(&app, "/api/v1/packages/guix/guix/openmpi/builds").await.body).unwrap();
    assert_eq!(weather(&openmpi, "x86_64-linux"), "fixed");
    let spack: Value =
        serde_json::from_str(&get(&app, "/api/v1/packages/spack/builtin/openmpi/builds").await.body).unwrap();
    assert_eq!(spack["latest"][0]["target"], "x86_64_v3");
    assert_eq!(weather(&spack, "linux-ubuntu22.04"), "fixed");
    // Every demo build but the made-up job resolves to a demo package.
    let unresolved: Vec<String> =
        sqlx::query_scalar("SELECT job FROM build_results WHERE package_id IS NULL").fetch_all(&pool).await.unwrap();
    assert_eq!(unresolved, ["demo-job-without-package-1.0.x86_64-linux"]);
    let (_, body) = page(&app, "/ci", "en").await;
    assert!(body.contains("Demo data: these build results are made up"), "/ci labels demo data");
    let (_, body) = page(&app, "/packages/guix/guix/hdf5", "fr").await;
    assert!(body.contains("Données de démonstration") && body.contains("Nouvel échec"), "hdf5 in French");
    assert!(body.contains("<span class=\"badge demo\">démo</span>"), "each demo row says so");
    // A real result next to demo ones is not labelled demo.
    builds::ensure_service(&pool, "lab-ci", builds::Kind::Push, None, pacatlas::catalog::Ecosystem::Guix, "guix")
        .await
        .unwrap();
    let service = builds::service(&pool, "lab-ci").await.unwrap().unwrap();
    let mut tx = pool.begin().await.unwrap();
    let row = pacatlas::builds::push::validate(
        0,
        json!({"id": "x1", "job": "hdf5", "version": "9.9", "status": "succeeded"}),
    )
    .unwrap();
    builds::write(&mut tx, &service, &[row]).await.unwrap();
    tx.commit().await.unwrap();
    let hdf5: Value = serde_json::from_str(&get(&app, "/api/v1/packages/guix/guix/hdf5/builds").await.body).unwrap();
    let real: Vec<&Value> = hdf5["latest"].as_array().unwrap().iter().filter(|b| b["demo"] == false).collect();
    assert_eq!((real.len(), real[0]["service"].as_str()), (1, Some("lab-ci")));
    assert_eq!(hdf5["demo"], true);
}

#[sqlx::test(migrations = "../migrations")]
async fn badges_say_passing_failing_or_unknown(pool: PgPool) {
    pacatlas::demo::load(&pool, pacatlas::ingest::Limits::default(), &Silent).await.unwrap();
    pacatlas::builds::demo::load(&pool).await.unwrap();
    let app = app(pool);
    for (path, expected) in [
        ("/badge/build/guix/guix/hdf5.svg", "build: failing"),
        ("/badge/build/guix/guix/hdf5.svg?system=aarch64-linux", "build aarch64-linux: passing"),
        ("/badge/build/guix/guix/openmpi.svg", "build: passing"),
        ("/badge/build/guix/guix/python-numpy.svg?system=i686-linux", "build i686-linux: unknown"),
        ("/badge/build/guix/guix/zlib.svg", "build: unknown"),
    ] {
        let reply = get(&app, path).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.content_type, "image/svg+xml; charset=utf-8");
        assert!(reply.body.contains(&format!("aria-label=\"{expected}\"")), "{path}: {}", reply.body);
    }
    assert_eq!(get(&app, "/badge/build/guix/guix/no-such.svg").await.status, 404);
    assert_eq!(get(&app, "/badge/build/guix/guix/hdf5.png").await.status, 404);
    let long = format!("/badge/build/guix/guix/hdf5.svg?system={}", "x".repeat(65));
    assert_eq!(get(&app, &long).await.status, 400);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_history_is_filtered_and_paged(pool: PgPool) {
    pacatlas::demo::load(&pool, pacatlas::ingest::Limits::default(), &Silent).await.unwrap();
    builds::ensure_service(&pool, "lab-ci", builds::Kind::Push, None, pacatlas::catalog::Ecosystem::Guix, "guix")
        .await
        .unwrap();
    let service = builds::service(&pool, "lab-ci").await.unwrap().unwrap();
    // 120 builds of hdf5: alternately on two systems, every third failed.
    let rows: Vec<_> = (0..120)
        .map(|i| {
            let system = if i % 2 == 0 { "x86_64-linux" } else { "aarch64-linux" };
            let status = if i % 3 == 0 { "failed" } else { "succeeded" };
            let finished = chrono::DateTime::from_timestamp(1_767_000_000 + i * 60, 0).unwrap().to_rfc3339();
            pacatlas::builds::push::validate(
                0,
                json!({"id": i.to_string(), "job": "hdf5", "system": system, "status": status, "finished_at": finished}),
            )
            .unwrap()
        })
        .collect();
    let mut tx = pool.begin().await.unwrap();
    builds::write(&mut tx, &service, &rows).await.unwrap();
    tx.commit().await.unwrap();
    let app = app(pool);
    let json_of = |body: &str| serde_json::from_str::<Value>(body).unwrap();
    let all = json_of(&get(&app, "/api/v1/packages/guix/guix/hdf5/builds/history").await.body);
    assert_eq!((all["total"].as_i64(), all["builds"].as_array().unwrap().len()), (Some(120), 50));
    assert_eq!(all["builds"][0]["id"], "119", "newest first");
    assert_eq!(all["systems"], json!(["aarch64-linux", "x86_64-linux"]));
    let third = json_of(&get(&app, "/api/v1/packages/guix/guix/hdf5/builds/history?page=3").await.body);
    assert_eq!(third["builds"].as_array().unwrap().len(), 20);
    let failed_x86 = json_of(
        &get(&app, "/api/v1/packages/guix/guix/hdf5/builds/history?system=x86_64-linux&status=failed").await.body,
    );
    // Failed on x86_64: i even and a multiple of 3, so a multiple of 6: 20 of them.
    assert_eq!(failed_x86["total"], 20);
    assert!(failed_x86["builds"]
        .as_array()
        .unwrap()
        .iter()
        .all(|b| b["status"] == "failed" && b["system"] == "x86_64-linux"));
    for bad in ["?status=green", "?page=0", "?page=10001"] {
        let reply = get(&app, &format!("/api/v1/packages/guix/guix/hdf5/builds/history{bad}")).await;
        assert_eq!(reply.status, 400, "{bad}");
    }
    assert_eq!(get(&app, "/api/v1/packages/guix/guix/nothing/builds/history").await.status, 404);
    // The page: a GET form and pages, in both languages.
    let (status, body) = page(&app, "/packages/guix/guix/hdf5/builds?status=failed", "en").await;
    assert_eq!(status, 200);
    assert!(body.contains("Builds of hdf5") && body.contains("40 builds, page 1 of 1"), "{body}");
    let (status, body) = page(&app, "/packages/guix/guix/hdf5/builds?system=aarch64-linux", "fr").await;
    assert_eq!(status, 200);
    assert!(body.contains("Constructions de hdf5") && body.contains("60 constructions, page 1 sur 2"), "{body}");
    assert!(body.contains("<form method=\"get\""), "filters work without JavaScript");
    assert!(body.contains("page=2&amp;system=aarch64-linux"), "the next page keeps the filter");
    assert_no_raw_keys("history", &body);
    let (status, _) = page(&app, "/packages/guix/guix/nothing/builds", "en").await;
    assert_eq!(status, 404);
    let (_, body) = page(&app, "/packages/guix/guix/hdf5", "en").await;
    assert!(body.contains("href=\"/packages/guix/guix/hdf5/builds\""), "the Builds section links to the history");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_ci_page_lists_new_longest_and_most_depended_failures(pool: PgPool) {
    pacatlas::demo::load(&pool, pacatlas::ingest::Limits::default(), &Silent).await.unwrap();
    pacatlas::builds::demo::load(&pool).await.unwrap();
    builds::ensure_service(&pool, "lab-ci", builds::Kind::Push, None, pacatlas::catalog::Ecosystem::Guix, "guix")
        .await
        .unwrap();
    let service = builds::service(&pool, "lab-ci").await.unwrap().unwrap();
    let ago = |days: i64| (chrono::Utc::now() - chrono::Duration::days(days)).to_rfc3339();
    let rows: Vec<_> = [
        ("1", "zlib", "succeeded", ago(3)),
        ("2", "zlib", "failed", ago(1)),
        ("3", "xz", "failed", ago(10)),
        ("4", "cmake", "failed", ago(2)),
        ("5", "cmake", "failed", ago(1)),
    ]
    .into_iter()
    .map(|(id, job, status, t)| {
        pacatlas::builds::push::validate(
            0,
            json!({"id": id, "job": job, "system": "x86_64-linux", "status": status, "finished_at": t}),
        )
        .unwrap()
    })
    .collect();
    let mut tx = pool.begin().await.unwrap();
    builds::write(&mut tx, &service, &rows).await.unwrap();
    tx.commit().await.unwrap();
    let app = app(pool);
    let ci: Value = serde_json::from_str(&get(&app, "/api/v1/ci").await.body).unwrap();
    let names = |list: &str| -> Vec<String> {
        ci[list]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["service"] == "lab-ci")
            .map(|f| f["name"].as_str().unwrap().to_string())
            .collect()
    };
    // zlib failed after a success yesterday; cmake fails since 2 days (still failing, not new); xz since 10 days.
    assert_eq!(names("new_failures"), ["zlib"]);
    assert_eq!(names("longest_failing"), ["xz", "cmake", "zlib"]);
    let cmake = ci["longest_failing"].as_array().unwrap().iter().find(|f| f["name"] == "cmake").unwrap();
    assert_eq!(cmake["failing_since"].as_str().unwrap()[..10], ago(2)[..10]);
    // The demo's gromacs on Guix has failed since 2026-11-21 (two failures, no success).
    let gromacs = ci["longest_failing"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "gromacs" && f["service"] == "demo-cuirass");
    assert_eq!(gromacs.unwrap()["failing_since"], "2026-11-21T12:25:00Z");
    let depended = ci["most_depended_failing"].as_array().unwrap();
    let counts: Vec<i64> = depended.iter().map(|f| f["dependents"].as_i64().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "most depended first: {counts:?}");
    let (_, body) = page(&app, "/ci", "fr").await;
    assert!(body.contains("Nouveaux échecs des 7 derniers jours") && body.contains("En échec depuis"), "/ci in French");
    assert_no_raw_keys("/ci", &body);
}

#[sqlx::test(migrations = "../migrations")]
async fn feeds_list_new_failures_and_fixes(pool: PgPool) {
    pacatlas::demo::load(&pool, pacatlas::ingest::Limits::default(), &Silent).await.unwrap();
    pacatlas::builds::demo::load(&pool).await.unwrap();
    let app = app(pool);
    let reply = get(&app, "/ci/feed/guix/guix.atom").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type, "application/atom+xml; charset=utf-8");
    let feed = reply.body;
    assert!(feed.starts_with("<?xml") && feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">"));
    assert!(feed.contains("<title>New failures and fixes in guix</title>"));
    let titles: Vec<&str> = feed
        .split("<entry>")
        .skip(1)
        .map(|e| e.split("<title>").nth(1).unwrap().split("</title>").next().unwrap())
        .collect();
    // Newest first: hdf5 broke on 11-24 after two successes; openmpi was fixed on 11-23 after failing on 11-21.
    assert!(titles.contains(&"hdf5 1.12.1 on x86_64-linux: New failure"), "{titles:?}");
    assert!(titles.contains(&"openmpi 4.1.1 on x86_64-linux: Fixed"), "{titles:?}");
    // The events of the demo's builds (older ones are its made-up history).
    let recent = &titles[..5];
    assert!(!recent.iter().any(|t| t.starts_with("hdf5 1.12.1 on aarch64-linux")), "no change, no entry: {titles:?}");
    assert!(!titles.iter().any(|t| t.contains("i686")), "a cancelled build is no event: {titles:?}");
    assert!(feed.contains("Demo data"), "demo entries say so");
    let package = get(&app, "/packages/guix/guix/openmpi/builds.atom").await;
    assert_eq!(package.status, 200);
    let entries: Vec<&str> = package
        .body
        .split("<entry>")
        .skip(1)
        .map(|e| e.split("<title>").nth(1).unwrap().split("</title>").next().unwrap())
        .collect();
    // Newest first: its fix on 11-23, its failure on 11-21 (older ones are the demo's made-up history).
    assert_eq!(
        entries[..2],
        ["openmpi 4.1.1 on x86_64-linux: Fixed", "openmpi 4.1.1 on x86_64-linux: New failure"],
        "{entries:?}"
    );
    let fr = {
        use axum::{body::Body, http::Request};
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let request =
            Request::get("/packages/guix/guix/openmpi/builds.atom").header("accept-language", "fr").body(Body::empty());
        let response = app.clone().oneshot(request.unwrap()).await.unwrap();
        String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
    };
    assert!(
        fr.contains("Nouveaux échecs et réparations de openmpi dans guix") && fr.contains("sur x86_64-linux: Réparée")
    );
    assert_eq!(get(&app, "/ci/feed/guix/nothing.atom").await.status, 404);
    assert_eq!(get(&app, "/ci/feed/guix/guix.rss").await.status, 404);
    assert_eq!(get(&app, "/packages/guix/guix/nothing/builds.atom").await.status, 404);
    let (_, body) = page(&app, "/packages/guix/guix/openmpi", "en").await;
    assert!(body.contains("href=\"/packages/guix/guix/openmpi/builds.atom\""), "the Builds section links to its feed");
}
