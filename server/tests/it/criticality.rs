//! Criticality (#14): dependents counted exactly on a small known graph
//! (a cycle inside a Guix channel, a project-level cycle across channels,
//! projects packaged in two ecosystems, a removed package), maintainers
//! (declared and claimants, counted once), funding (project, package and
//! maintainer sponsorships, ended ones not counting), CI, the score order,
//! the list's filters, its CSV against its JSON, the page in both
//! languages, and bounded parameters.
use pacatlas::criticality::{self, Outcome};
use pacatlas::ingest::progress::Silent;
use serde_json::Value;
use sqlx::PgPool;

use crate::support::{app, get, get_with};

async fn channel(pool: &PgPool, ecosystem: &str, name: &str) -> i64 {
    sqlx::query_scalar("INSERT INTO channels (ecosystem, name) VALUES ($1, $2) RETURNING id")
        .bind(ecosystem)
        .bind(name)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn project(pool: &PgPool, key: &str) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO projects (key, name) VALUES ($1, $1) ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name RETURNING id",
    )
    .bind(key)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// A package `name` of project `key` in `channel`, depending on `deps` (names in the same channel).
async fn package(pool: &PgPool, channel: i64, name: &str, key: &str, deps: &[&str], tags: &[&str]) -> i64 {
    let project = project(pool, key).await;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO packages (channel_id, name, base_name, project_id, content_hash, tags)
         VALUES ($1, $2, $3, $4, '\\x00', $5) RETURNING id",
    )
    .bind(channel)
    .bind(name)
    .bind(key)
    .bind(project)
    .bind(tags.iter().map(|t| t.to_string()).collect::<Vec<_>>())
    .fetch_one(pool)
    .await
    .unwrap();
    for (i, d) in deps.iter().enumerate() {
        sqlx::query("INSERT INTO dependencies (package_id, position, name) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(i as i32)
            .bind(*d)
            .execute(pool)
            .await
            .unwrap();
    }
    id
}

async fn maintainer(pool: &PgPool, handle: &str, packages: &[i64]) -> i64 {
    let id: i64 = sqlx::query_scalar("INSERT INTO maintainers (forge, handle) VALUES ('github', $1) RETURNING id")
        .bind(handle)
        .fetch_one(pool)
        .await
        .unwrap();
    for p in packages {
        sqlx::query("INSERT INTO package_maintainers (package_id, maintainer_id) VALUES ($1, $2)")
            .bind(p)
            .bind(id)
            .execute(pool)
            .await
            .unwrap();
    }
    id
}

/// A user with a GitHub identity and an active claim on a package or a project.
async fn claimant(pool: &PgPool, handle: &str, package: Option<i64>, project: Option<i64>, status: &str) {
    let user: i64 = sqlx::query_scalar("INSERT INTO users (name) VALUES ($1) RETURNING id")
        .bind(handle)
        .fetch_one(pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO identities (user_id, forge, subject, handle) VALUES ($1, 'github', $2, $2)")
        .bind(user)
        .bind(handle)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO claims (user_id, package_id, project_id, status) VALUES ($1, $2, $3, $4)")
        .bind(user)
        .bind(package)
        .bind(project)
        .bind(status)
        .execute(pool)
        .await
        .unwrap();
}

async fn funder(pool: &PgPool) -> i64 {
    sqlx::query_scalar("INSERT INTO funders (slug, name, kind) VALUES ('f', 'F', 'foundation') RETURNING id")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// An in-kind sponsorship of `kind` (project, package or maintainer) `target`, ended or not.
async fn sponsor(pool: &PgPool, funder: i64, kind: &str, target: i64, ended: bool) {
    let column = match kind {
        "project" => "project_id",
        "package" => "package_id",
        _ => "maintainer_id",
    };
    let (starts, ends) = if ended { ("2020-01-01", Some("2021-01-01")) } else { ("2024-01-01", None) };
    sqlx::query(&format!(
        "INSERT INTO sponsorships (funder_id, target_kind, {column}, in_kind, starts_on, ends_on)
         VALUES ($1, $2, $3, true, $4::date, $5::date)"
    ))
    .bind(funder)
    .bind(kind)
    .bind(target)
    .bind(starts)
    .bind(ends)
    .execute(pool)
    .await
    .unwrap();
}

struct Ids {
    zlib_project: i64,
    s_zlib: i64,
}

/// Spack: zlib; cmake -> zlib; hdf5 -> zlib, cmake; netcdf -> hdf5; app -> netcdf, zlib;
///        py-foo (foo) -> bar.
/// Guix:  zlib; hdf5 -> zlib; gcc -> binutils; binutils -> gcc, zlib (a cycle);
///        bar -> foo (foo and bar depend on each other across channels); old -> zlib (removed).
/// cmake has two declared maintainers; hdf5 one (alice), also claiming it (counted once);
/// gcc is maintained by carol, whom a sponsorship funds; netcdf's project is funded; zlib's
/// Spack package had a sponsorship that ended; binutils has a claimant; hdf5 fails in Guix CI.
async fn known_graph(pool: &PgPool) -> Ids {
    let s = channel(pool, "spack", "builtin").await;
    let g = channel(pool, "guix", "guix").await;
    let s_zlib = package(pool, s, "zlib", "zlib", &[], &["compression"]).await;
    let s_cmake = package(pool, s, "cmake", "cmake", &["zlib"], &["build-tools"]).await;
    let s_hdf5 = package(pool, s, "hdf5", "hdf5", &["zlib", "cmake", "zlib"], &["io", "hdf"]).await;
    package(pool, s, "netcdf", "netcdf", &["hdf5", "mpi"], &["io"]).await;
    package(pool, s, "app", "app", &["netcdf", "zlib"], &[]).await;
    package(pool, s, "py-foo", "foo", &["bar"], &[]).await;
    package(pool, s, "bar", "bar", &[], &[]).await;
    package(pool, g, "zlib", "zlib", &[], &[]).await;
    let g_hdf5 = package(pool, g, "hdf5", "hdf5", &["zlib"], &[]).await;
    let g_gcc = package(pool, g, "gcc", "gcc", &["binutils"], &[]).await;
    let g_binutils = package(pool, g, "binutils", "binutils", &["gcc", "zlib", "binutils"], &[]).await;
    package(pool, g, "bar", "bar", &["foo"], &[]).await;
    package(pool, g, "foo", "foo", &[], &[]).await;
    let old = package(pool, g, "old", "old", &["zlib"], &[]).await;
    sqlx::query("UPDATE packages SET removed = true WHERE id = $1").bind(old).execute(pool).await.unwrap();

    maintainer(pool, "cm1", &[s_cmake]).await;
    maintainer(pool, "cm2", &[s_cmake]).await;
    maintainer(pool, "alice", &[s_hdf5]).await;
    claimant(pool, "alice", Some(s_hdf5), None, "verified").await;
    let carol = maintainer(pool, "carol", &[g_gcc]).await;
    claimant(pool, "dave", Some(g_binutils), None, "approved").await;
    claimant(pool, "erin", Some(s_zlib), None, "pending").await;

    let f = funder(pool).await;
    let netcdf = project(pool, "netcdf").await;
    sponsor(pool, f, "project", netcdf, false).await;
    sponsor(pool, f, "maintainer", carol, false).await;
    sponsor(pool, f, "package", s_zlib, true).await;

    sqlx::query("INSERT INTO package_ci (package_id, status) VALUES ($1, 'failing'), ($2, 'passing')")
        .bind(g_hdf5)
        .bind(s_hdf5)
        .execute(pool)
        .await
        .unwrap();
    Ids { zlib_project: project(pool, "zlib").await, s_zlib }
}

async fn recompute(pool: &PgPool) -> criticality::Summary {
    match criticality::recompute(pool, &Silent).await.unwrap() {
        Outcome::Done(s) => s,
        Outcome::Skipped => panic!("nothing else computes"),
    }
}

#[derive(sqlx::FromRow, Debug, PartialEq)]
struct Stored {
    key: String,
    direct_dependents: i64,
    transitive_dependents: i64,
    ecosystems: Vec<String>,
    maintainers: i32,
    funded: bool,
    ci_packages: i32,
    ci_failing: i32,
    score: f64,
}

async fn stored(pool: &PgPool) -> Vec<Stored> {
    sqlx::query_as(
        "SELECT j.key, k.direct_dependents, k.transitive_dependents, k.ecosystems, k.maintainers, k.funded,
                k.ci_packages, k.ci_failing, k.score
         FROM project_criticality k JOIN projects j ON j.id = k.project_id ORDER BY j.key",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

/// One expected row, as a table line (every column, in order).
#[allow(clippy::too_many_arguments)]
fn s(key: &str, d: i64, t: i64, eco: &[&str], m: i32, funded: bool, ci: (i32, i32), score: f64) -> Stored {
    Stored {
        key: key.into(),
        direct_dependents: d,
        transitive_dependents: t,
        ecosystems: eco.iter().map(|e| e.to_string()).collect(),
        maintainers: m,
        funded,
        ci_packages: ci.0,
        ci_failing: ci.1,
        score,
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn criticality_counts_a_known_graph_exactly(pool: PgPool) {
    known_graph(&pool).await;
    let summary = recompute(&pool).await;
    assert_eq!(summary.packages, 13, "the removed package is left out");
    assert_eq!(summary.cycles, 1);
    assert_eq!(summary.largest_cycle, 2);
    assert_eq!(summary.listed, 5);
    let (g, s_, gu) = (&["guix"][..], &["spack"][..], &["guix", "spack"][..]);
    assert_eq!(
        stored(&pool).await,
        vec![
            s("app", 0, 0, s_, 0, false, (0, 0), 0.0),
            // bar: Spack's py-foo (project foo) depends on it; foo: Guix's bar.
            s("bar", 1, 1, gu, 0, false, (0, 0), 3.75),
            // binutils: gcc, in the cycle; a claimant is its one maintainer.
            s("binutils", 1, 1, g, 1, false, (0, 0), 1.5),
            s("cmake", 1, 3, s_, 2, false, (0, 0), 2.5),
            s("foo", 1, 1, gu, 0, false, (0, 0), 3.75),
            // gcc: funded through its maintainer carol.
            s("gcc", 1, 1, g, 1, true, (0, 0), 1.5),
            // hdf5: alice declared and claiming: one; one of two CI packages fails.
            s("hdf5", 1, 2, gu, 1, false, (2, 1), 3.47),
            s("netcdf", 1, 1, s_, 0, true, (0, 0), 2.25),
            // zlib: cmake, hdf5, app (Spack), hdf5, binutils (Guix) directly; netcdf and gcc through them.
            s("zlib", 5, 7, gu, 0, false, (0, 0), 7.94),
        ]
    );
    let state: (i64, i64, i64) =
        sqlx::query_as("SELECT packages, edges, projects FROM criticality_state").fetch_one(&pool).await.unwrap();
    // Edges: duplicates, self-loops, unresolved (mpi) and the removed package's dropped.
    assert_eq!(state, (13, 12, 9), "the removed package's project has no row");

    // Computed again with nothing changed: no row is rewritten.
    let times = "SELECT array_agg(computed_at::text ORDER BY project_id) FROM project_criticality";
    let before: Vec<String> = sqlx::query_scalar(times).fetch_one(&pool).await.unwrap();
    let before_rows = stored(&pool).await;
    recompute(&pool).await;
    assert_eq!(sqlx::query_scalar::<_, Vec<String>>(times).fetch_one(&pool).await.unwrap(), before);
    assert_eq!(stored(&pool).await, before_rows);
    // A package removed: its project's row goes, the others are rewritten only where they change.
    sqlx::query("UPDATE packages SET removed = true WHERE name = 'app'").execute(&pool).await.unwrap();
    recompute(&pool).await;
    let after = stored(&pool).await;
    assert!(after.iter().all(|r| r.key != "app"));
    let zlib = after.iter().find(|r| r.key == "zlib").unwrap();
    assert_eq!((zlib.direct_dependents, zlib.transitive_dependents), (4, 6));
}

fn keys(list: &Value) -> Vec<String> {
    list["projects"].as_array().unwrap().iter().map(|p| p["project"].as_str().unwrap().to_string()).collect()
}

async fn json(app: &axum::Router, path: &str) -> Value {
    let reply = get(app, path).await;
    assert_eq!(reply.status, 200, "{path}: {}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn criticality_list_is_unfunded_with_at_most_one_maintainer_by_score(pool: PgPool) {
    let ids = known_graph(&pool).await;
    recompute(&pool).await;
    let app = app(pool.clone());
    let list = json(&app, "/api/v1/funding/critical").await;
    assert_eq!(keys(&list), ["zlib", "foo", "bar", "hdf5", "binutils"].map(String::from));
    assert_eq!(list["total"], 5);
    assert_eq!(list["projects"][0]["rank"], 1);
    assert_eq!(list["projects"][0]["overall_rank"], 1);
    assert_eq!(list["projects"][0]["transitive_dependents"], 7);
    assert_eq!(list["projects"][0]["package"]["name"], "zlib");
    assert!(list["computed_at"].is_string());
    // Filters: ecosystem, tag, both; sorts.
    assert_eq!(
        keys(&json(&app, "/api/v1/funding/critical?ecosystem=guix").await),
        ["zlib", "foo", "bar", "hdf5", "binutils"].map(String::from)
    );
    assert_eq!(
        keys(&json(&app, "/api/v1/funding/critical?ecosystem=spack").await),
        ["zlib", "foo", "bar", "hdf5"].map(String::from)
    );
    assert!(keys(&json(&app, "/api/v1/funding/critical?ecosystem=nix").await).is_empty());
    assert_eq!(keys(&json(&app, "/api/v1/funding/critical?tag=io").await), ["hdf5"].map(String::from));
    assert_eq!(
        keys(&json(&app, "/api/v1/funding/critical?tag=compression&ecosystem=spack").await),
        ["zlib"].map(String::from)
    );
    assert!(keys(&json(&app, "/api/v1/funding/critical?tag=io&ecosystem=nix").await).is_empty());
    assert_eq!(
        keys(&json(&app, "/api/v1/funding/critical?sort=name").await),
        ["bar", "binutils", "foo", "hdf5", "zlib"].map(String::from)
    );
    assert_eq!(
        keys(&json(&app, "/api/v1/funding/critical?sort=dependents").await)[..2],
        ["zlib", "hdf5"].map(String::from)
    );
    assert_eq!(keys(&json(&app, "/api/v1/funding/critical?page=2").await).len(), 0);
    let tags = json(&app, "/api/v1/funding/critical").await["tags"].clone();
    assert!(tags.as_array().unwrap().iter().any(|t| t == "io"), "{tags}");

    // Funding zlib's project takes it off the list at the next computation.
    let f: i64 = sqlx::query_scalar("SELECT id FROM funders").fetch_one(&pool).await.unwrap();
    sponsor(&pool, f, "project", ids.zlib_project, false).await;
    let (done, current) = criticality::compute::generations(&pool).await.unwrap();
    assert!(done.unwrap() < current, "a sponsorship is a change the server recomputes after");
    recompute(&pool).await;
    assert_eq!(
        keys(&json(&app, "/api/v1/funding/critical").await),
        ["foo", "bar", "hdf5", "binutils"].map(String::from)
    );
    let (done, current) = criticality::compute::generations(&pool).await.unwrap();
    assert_eq!(done, Some(current), "nothing left to recompute");
    // As does a second maintainer of hdf5 (a claimant from another account).
    claimant(&pool, "frank", Some(ids.s_zlib), None, "approved").await;
    let hdf5: i64 = sqlx::query_scalar("SELECT id FROM projects WHERE key = 'hdf5'").fetch_one(&pool).await.unwrap();
    claimant(&pool, "grace", None, Some(hdf5), "approved").await;
    recompute(&pool).await;
    assert_eq!(keys(&json(&app, "/api/v1/funding/critical").await), ["foo", "bar", "binutils"].map(String::from));
}

#[sqlx::test(migrations = "../migrations")]
async fn criticality_csv_equals_the_json(pool: PgPool) {
    known_graph(&pool).await;
    recompute(&pool).await;
    let app = app(pool);
    for query in ["", "?ecosystem=spack", "?tag=io", "?sort=name"] {
        let list = json(&app, &format!("/api/v1/funding/critical{query}")).await;
        for path in [format!("/funding/critical.csv{query}"), format!("/api/v1/funding/critical.csv{query}")] {
            let reply = get(&app, &path).await;
            assert_eq!(reply.status, 200);
            assert!(reply.content_type.starts_with("text/csv"));
            let mut reader = csv::Reader::from_reader(reply.body.as_bytes());
            let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
            let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
            let projects = list["projects"].as_array().unwrap();
            assert_eq!(rows.len(), projects.len(), "{path}");
            for (row, p) in rows.iter().zip(projects) {
                let field = |name: &str| row.get(header.iter().position(|h| h == name).unwrap()).unwrap().to_string();
                assert_eq!(field("project"), p["project"].as_str().unwrap());
                assert_eq!(field("rank"), p["rank"].to_string());
                assert_eq!(field("transitive_dependents"), p["transitive_dependents"].to_string());
                assert_eq!(field("direct_dependents"), p["direct_dependents"].to_string());
                assert_eq!(field("maintainers"), p["maintainers"].to_string());
                assert_eq!(field("score").parse::<f64>().unwrap(), p["score"].as_f64().unwrap());
                let ecosystems: Vec<&str> =
                    p["ecosystems"].as_array().unwrap().iter().map(|e| e.as_str().unwrap()).collect();
                assert_eq!(field("ecosystems"), ecosystems.join(" "));
            }
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn criticality_page_renders_with_and_without_data(pool: PgPool) {
    let app = app(pool.clone());
    let empty = get(&app, "/funding/critical").await;
    assert_eq!(empty.status, 200);
    assert!(empty.body.contains("has not been computed yet"), "{}", empty.body);
    assert!(empty.body.contains("How the score is computed"));
    let empty_json = json(&app, "/api/v1/funding/critical").await;
    assert_eq!(empty_json["total"], 0);
    assert!(empty_json["computed_at"].is_null());

    known_graph(&pool).await;
    recompute(&pool).await;
    let page = get(&app, "/funding/critical?ecosystem=spack&tag=io").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(">hdf5</a>"), "{}", page.body);
    assert!(!page.body.contains(">zlib</a>"));
    assert!(
        page.body.contains("href=\"/funding/critical.csv?ecosystem=spack&amp;tag=io\""),
        "the CSV link keeps the filters"
    );
    assert!(page.body.contains("1 of 2 failing"));
    let fr = get_with(&app, "/funding/critical", &[("accept-language", "fr")]).await;
    assert_eq!(fr.status, 200);
    assert!(fr.body.contains("Critiques mais non financés"));
    assert!(fr.body.contains("Comment le score est calculé"));
    assert!(fr.body.contains(">zlib</a>"));
}

#[sqlx::test(migrations = "../migrations")]
async fn criticality_parameters_are_bounded(pool: PgPool) {
    known_graph(&pool).await;
    recompute(&pool).await;
    let app = app(pool);
    let long_tag = "x".repeat(65);
    for bad in [
        "page=0".to_string(),
        "page=201".to_string(),
        "page=99999999999999999999999".to_string(),
        "page=abc".to_string(),
        "ecosystem=debian".to_string(),
        "sort=random".to_string(),
        format!("tag={long_tag}"),
        "tag=%01".to_string(),
    ] {
        for base in ["/api/v1/funding/critical", "/api/v1/funding/critical.csv"] {
            let reply = get(&app, &format!("{base}?{bad}")).await;
            assert_eq!(reply.status, 400, "{base}?{bad}: {}", reply.body);
        }
    }
    assert_eq!(json(&app, "/api/v1/funding/critical?page=200").await["projects"].as_array().unwrap().len(), 0);
    // The page never refuses: it clamps and drops what it cannot use.
    for q in [
        "page=0",
        "page=99999999999999",
        "page=abc",
        "ecosystem=debian",
        "sort=random",
        &format!("tag={long_tag}"),
        "tag=%01",
    ] {
        let reply = get(&app, &format!("/funding/critical?{q}")).await;
        assert_eq!(reply.status, 200, "{q}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn criticality_skips_while_another_computation_runs(pool: PgPool) {
    known_graph(&pool).await;
    let mut other = pool.acquire().await.unwrap();
    let locked: bool =
        sqlx::query_scalar("SELECT pg_try_advisory_lock(1668442484)").fetch_one(&mut *other).await.unwrap();
    assert!(locked);
    assert_eq!(criticality::recompute(&pool, &Silent).await.unwrap(), Outcome::Skipped);
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM project_criticality").fetch_one(&pool).await.unwrap();
    assert_eq!(rows, 0);
    sqlx::query("SELECT pg_advisory_unlock(1668442484)").execute(&mut *other).await.unwrap();
    assert!(matches!(criticality::recompute(&pool, &Silent).await.unwrap(), Outcome::Done(_)));
}
