//! Maintainers (#13): pages and JSON of declared maintainers and claimants,
//! health from real build and archival rows, outdated versions across
//! ecosystems, inbox items and the Atom feed, the index.
use chrono::{DateTime, Utc};
use pacatlas::{
    builds::{self, Kind, Status},
    catalog::Ecosystem,
};
use serde_json::Value;
use sqlx::PgPool;

use crate::support::{app, build_row, get, ingest, temp_file, write_builds};

const SHA_ALPHA: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const SHA_BETA: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

fn spack_package(name: &str, maintainers: &[&str], versions: &[(&str, Option<&str>)]) -> Value {
    serde_json::json!({
        "name": name,
        "maintainers": maintainers,
        "versions": versions.iter().map(|(v, sha)| match sha {
            Some(sha) => serde_json::json!({"version": v, "sha256": sha, "url": format!("https://example.org/{name}-{v}.tar.gz")}),
            None => serde_json::json!({"version": v, "branch": "develop", "git": format!("https://example.org/{name}.git")}),
        }).collect::<Vec<_>>(),
        "latest_version": versions.iter().map(|(v, _)| *v).find(|v| *v != "develop").unwrap_or("develop"),
    })
}

fn nix_package(pname: &str, version: &str, maintainers: Value) -> (String, Value) {
    (
        pname.to_string(),
        serde_json::json!({"name": format!("{pname}-{version}"), "pname": pname, "version": version,
                           "system": "x86_64-linux", "meta": {"maintainers": maintainers}}),
    )
}

/// Spack `builtin`: alpha (Alice, 1.2.0), beta (alice and bob, 2.0),
/// gamma (bob, develop only). Nix `nixos`: alpha 1.3.0 (newer), beta
/// unstable-2024-01-01 (incomparable), gamma 5.0 (ours is `develop`:
/// incomparable), declared for the GitHub handle `alice` (Alice Liddell).
/// Nix first: the first spelling and name of a handle are kept.
async fn setup(pool: &PgPool) {
    let dir = tempfile::tempdir().unwrap();
    let alice = serde_json::json!([{"github": "alice", "githubId": 1, "name": "Alice Liddell"},
                                   {"name": "Mail Only", "email": "mail@example.org"}]);
    let packages: serde_json::Map<String, Value> = [
        nix_package("alpha", "1.3.0", serde_json::json!([])),
        nix_package("beta", "unstable-2024-01-01", serde_json::json!([])),
        nix_package("gamma", "5.0", alice),
    ]
    .into_iter()
    .collect();
    let nix = serde_json::json!({"version": 2, "packages": packages});
    let nix = temp_file(&dir, "nix.json", nix.to_string().as_bytes());
    ingest(pool, Ecosystem::Nix, "nixos", Some("r1"), &[nix]).await.unwrap();
    let spack = serde_json::json!({"commit": "c1", "packages": [
        spack_package("alpha", &["Alice"], &[("1.2.0", Some(SHA_ALPHA))]),
        spack_package("beta", &["alice", "bob"], &[("develop", None), ("2.0", Some(SHA_BETA))]),
        spack_package("gamma", &["bob"], &[("develop", None)]),
    ]});
    let spack = temp_file(&dir, "spack.json", spack.to_string().as_bytes());
    ingest(pool, Ecosystem::Spack, "builtin", None, &[spack]).await.unwrap();
}

/// A user with one identity; returns the user id.
async fn user(pool: &PgPool, forge: &str, handle: &str, name: Option<&str>) -> i64 {
    let id: i64 = sqlx::query_scalar("INSERT INTO users (name) VALUES ($1) RETURNING id")
        .bind(name)
        .fetch_one(pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO identities (user_id, forge, subject, handle, name) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(forge)
        .bind(format!("subject-{handle}"))
        .bind(handle)
        .bind(name)
        .execute(pool)
        .await
        .unwrap();
    id
}

async fn package_id(pool: &PgPool, ecosystem: &str, name: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT p.id FROM packages p JOIN channels c ON c.id = p.channel_id WHERE c.ecosystem = $1 AND p.name = $2",
    )
    .bind(ecosystem)
    .bind(name)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn claim_package(pool: &PgPool, user: i64, package: i64, status: &str) {
    sqlx::query("INSERT INTO claims (user_id, package_id, status) VALUES ($1, $2, $3)")
        .bind(user)
        .bind(package)
        .bind(status)
        .execute(pool)
        .await
        .unwrap();
}

async fn json(app: &axum::Router, path: &str) -> Value {
    let reply = get(app, path).await;
    assert_eq!(reply.status, 200, "{path}: {}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

fn names(detail: &Value) -> Vec<String> {
    detail["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{}/{}", p["ecosystem"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect()
}

fn find<'a>(detail: &'a Value, ecosystem: &str, name: &str) -> &'a Value {
    detail["packages"].as_array().unwrap().iter().find(|p| p["ecosystem"] == ecosystem && p["name"] == name).unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_declared_maintainer_has_a_page_whatever_the_case_of_the_handle(pool: PgPool) {
    setup(&pool).await;
    let app = app(pool);
    let d = json(&app, "/api/v1/maintainers/github/ALICE").await;
    assert_eq!(d["handle"], "alice");
    assert_eq!(d["name"], "Alice Liddell");
    assert_eq!(d["profile_url"], "https://github.com/alice");
    assert_eq!(names(&d), ["nix/gamma", "spack/alpha", "spack/beta"]);
    assert_eq!(find(&d, "spack", "alpha")["relation"], serde_json::json!({"declared": true, "claim": null}));
    assert_eq!(d["counts"]["packages"], 3);
    assert_eq!(d["channels"].as_array().unwrap().len(), 2);
    // The page, in both languages.
    let page = get(&app, "/maintainers/github/aLiCe").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Alice Liddell"), "{}", page.body);
    assert!(page.body.contains(r#"href="/packages/spack/builtin/alpha""#));
    assert!(page.body.contains(r#"type="application/atom+xml""#), "feed link");
    let fr = crate::support::get_with(&app, "/maintainers/github/alice", &[("accept-language", "fr")]).await;
    assert!(fr.body.contains("Paquets"), "{}", fr.body);
    // The package page links to the maintainer page.
    let package = get(&app, "/packages/spack/builtin/beta").await;
    assert!(package.body.contains(r#"href="/maintainers/github/bob""#), "{}", package.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_handles_are_404_and_bad_ones_400(pool: PgPool) {
    setup(&pool).await;
    let app = app(pool.clone());
    assert_eq!(get(&app, "/api/v1/maintainers/github/nobody").await.status, 404);
    assert_eq!(get(&app, "/maintainers/github/nobody").await.status, 404);
    assert_eq!(get(&app, "/maintainers/github/nobody/feed.atom").await.status, 404);
    assert_eq!(get(&app, "/api/v1/maintainers/github/nobody/inbox").await.status, 404);
    // A logged-in user without an active claim has no public page.
    let u = user(&pool, "github", "dave", Some("Dave")).await;
    claim_package(&pool, u, package_id(&pool, "spack", "gamma").await, "pending").await;
    assert_eq!(get(&app, "/api/v1/maintainers/github/dave").await.status, 404);
    // E-mail addresses are nobody's page; forges are lower-case words.
    assert_eq!(get(&app, "/api/v1/maintainers/email/mail@example.org").await.status, 400);
    assert_eq!(get(&app, "/api/v1/maintainers/GitHub/alice").await.status, 400);
    assert_eq!(get(&app, "/api/v1/maintainers/github/alice?sort=age").await.status, 400);
    assert_eq!(get(&app, "/api/v1/maintainers/github/alice?page=0").await.status, 400);
    assert_eq!(get(&app, "/api/v1/maintainers/github/alice/inbox?limit=1000").await.status, 400);
    let long = "x".repeat(101);
    assert_eq!(get(&app, &format!("/api/v1/maintainers?q={long}")).await.status, 400);
}

#[sqlx::test(migrations = "../migrations")]
async fn claimants_have_pages_and_show_on_package_pages(pool: PgPool) {
    setup(&pool).await;
    // Carol claims spack gamma (verified) and the whole alpha project (approved).
    let carol = user(&pool, "gitlab.inria.fr", "Carol", Some("Carol C.")).await;
    claim_package(&pool, carol, package_id(&pool, "spack", "gamma").await, "verified").await;
    let project: i64 = sqlx::query_scalar("SELECT project_id FROM packages WHERE id = $1")
        .bind(package_id(&pool, "spack", "alpha").await)
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO claims (user_id, project_id, status) VALUES ($1, $2, 'approved')")
        .bind(carol)
        .bind(project)
        .execute(&pool)
        .await
        .unwrap();
    // Alice (declared) claims spack alpha too; a rejected claim and a disabled user count for nothing.
    let alice = user(&pool, "github", "alice", None).await;
    claim_package(&pool, alice, package_id(&pool, "spack", "alpha").await, "verified").await;
    let eve = user(&pool, "github", "eve", None).await;
    claim_package(&pool, eve, package_id(&pool, "spack", "beta").await, "rejected").await;
    let mallory = user(&pool, "github", "mallory", None).await;
    claim_package(&pool, mallory, package_id(&pool, "spack", "beta").await, "verified").await;
    sqlx::query("UPDATE users SET disabled_at = now() WHERE id = $1").bind(mallory).execute(&pool).await.unwrap();
    let app = app(pool.clone());

    let c = json(&app, "/api/v1/maintainers/gitlab.inria.fr/carol").await;
    assert_eq!(c["handle"], "Carol");
    assert_eq!(c["name"], "Carol C.");
    assert_eq!(c["profile_url"], "https://gitlab.inria.fr/Carol");
    assert_eq!(names(&c), ["nix/alpha", "spack/alpha", "spack/gamma"]);
    assert_eq!(find(&c, "spack", "gamma")["relation"], serde_json::json!({"declared": false, "claim": "verified"}));
    assert_eq!(find(&c, "nix", "alpha")["relation"], serde_json::json!({"declared": false, "claim": "approved"}));
    // Declared and claimed at once.
    let a = json(&app, "/api/v1/maintainers/github/alice").await;
    assert_eq!(find(&a, "spack", "alpha")["relation"], serde_json::json!({"declared": true, "claim": "verified"}));
    assert_eq!(get(&app, "/api/v1/maintainers/github/eve").await.status, 404);
    assert_eq!(get(&app, "/api/v1/maintainers/github/mallory").await.status, 404);

    // The package page: declared maintainers and claimants (of the package or its project).
    let p = json(&app, "/api/v1/packages/spack/builtin/alpha").await;
    let claimants: Vec<&str> =
        p["claimants"].as_array().unwrap().iter().map(|m| m["handle"].as_str().unwrap()).collect();
    assert_eq!(claimants, ["alice", "Carol"]);
    assert!(!p.to_string().contains("user_id"), "no user ids: {p}");
    let html = get(&app, "/packages/nix/nixos/alpha").await.body;
    assert!(html.contains(r#"href="/maintainers/gitlab.inria.fr/Carol""#), "{html}");
    let beta = json(&app, "/api/v1/packages/spack/builtin/beta").await;
    assert_eq!(beta["claimants"], serde_json::json!([]));
    // The index counts claimed packages too.
    let index = json(&app, "/api/v1/maintainers?q=carol").await;
    assert_eq!(index["total"], 1);
    assert_eq!(index["maintainers"][0]["packages"], 3);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_claim_starts_a_new_catalog_generation(pool: PgPool) {
    setup(&pool).await;
    let before = pacatlas::catalog::generation::read(&pool).await.unwrap();
    let u = user(&pool, "github", "zoe", None).await;
    let after_user = pacatlas::catalog::generation::read(&pool).await.unwrap();
    assert!(after_user > before, "a new identity is shown on pages");
    claim_package(&pool, u, package_id(&pool, "spack", "gamma").await, "pending").await;
    sqlx::query("UPDATE claims SET status = 'verified'").execute(&pool).await.unwrap();
    let after_claim = pacatlas::catalog::generation::read(&pool).await.unwrap();
    assert!(after_claim > after_user + 1);
    // Logins touch nothing pages show.
    sqlx::query("UPDATE identities SET last_login_at = now()").execute(&pool).await.unwrap();
    sqlx::query("UPDATE users SET last_login_at = now()").execute(&pool).await.unwrap();
    assert_eq!(pacatlas::catalog::generation::read(&pool).await.unwrap(), after_claim);
}

async fn failing_alpha_and_missing_sources(pool: &PgPool) -> DateTime<Utc> {
    let service =
        builds::ensure_service(pool, "ci-spack", Kind::Push, None, Ecosystem::Spack, "builtin").await.unwrap();
    let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
    write_builds(
        pool,
        &service,
        &[
            build_row("1", "alpha", "x86_64-linux", Status::Succeeded, t("2026-11-01T10:00:00Z")),
            build_row("2", "alpha", "x86_64-linux", Status::Failed, t("2026-11-02T10:00:00Z")),
            build_row("3", "alpha", "x86_64-linux", Status::Failed, t("2026-11-03T10:00:00Z")),
            build_row("4", "beta", "x86_64-linux", Status::Succeeded, t("2026-11-03T10:00:00Z")),
        ],
    )
    .await;
    for (key, status) in [(SHA_ALPHA, "missing"), (SHA_BETA, "archived")] {
        sqlx::query(
            "INSERT INTO archival_checks (key, status, method, checked_at) VALUES ($1, $2, 'content-sha256', $3)",
        )
        .bind(format!("sha256:{key}"))
        .bind(status)
        .bind(t("2026-11-05T00:00:00Z"))
        .execute(pool)
        .await
        .unwrap();
    }
    t("2026-11-02T10:00:00Z")
}

#[sqlx::test(migrations = "../migrations")]
async fn health_comes_from_builds_archival_and_other_ecosystems(pool: PgPool) {
    setup(&pool).await;
    let since = failing_alpha_and_missing_sources(&pool).await;
    let app = app(pool);
    let d = json(&app, "/api/v1/maintainers/github/alice").await;
    let alpha = find(&d, "spack", "alpha");
    assert_eq!(alpha["ci"], "failing");
    assert_eq!(alpha["failing_since"], pacatlas::atom::stamp(since));
    assert_eq!(
        (alpha["sources"].as_i64(), alpha["missing"].as_i64(), alpha["archival"].as_str()),
        (Some(1), Some(1), Some("not"))
    );
    assert_eq!(
        alpha["newer"],
        serde_json::json!({"version": "1.3.0", "ecosystem": "nix", "channel": "nixos", "name": "alpha"})
    );
    let beta = find(&d, "spack", "beta");
    assert_eq!(beta["ci"], "passing");
    // develop has no source hash to check: one of two sources archived.
    assert_eq!(beta["archival"], "partly");
    assert_eq!(beta["newer"], Value::Null, "unstable-2024-01-01 does not compare with 2.0");
    let gamma = find(&d, "nix", "gamma");
    assert_eq!((gamma["ci"].clone(), gamma["newer"].clone()), (Value::Null, Value::Null));
    assert_eq!(d["counts"], serde_json::json!({"packages": 3, "failing": 1, "unarchived": 1, "outdated": 1}));
    // Bob's gamma is at `develop`: Nix's 5.0 is not "newer".
    let b = json(&app, "/api/v1/maintainers/github/bob").await;
    assert_eq!(b["counts"]["outdated"], 0);
    // Sorted by health: the failing, outdated, unarchived alpha first in its channel.
    let h = json(&app, "/api/v1/maintainers/github/alice?sort=health").await;
    assert_eq!(names(&h), ["nix/gamma", "spack/alpha", "spack/beta"]);
    assert_eq!(h["sort"], "health");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_inbox_and_the_feed_list_what_needs_attention(pool: PgPool) {
    setup(&pool).await;
    let app = app(pool.clone());
    // Nothing known yet but the newer version elsewhere.
    let first = json(&app, "/api/v1/maintainers/github/alice/inbox").await;
    let kinds: Vec<&str> = first["items"].as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["outdated"]);
    failing_alpha_and_missing_sources(&pool).await;
    let inbox = json(&app, "/api/v1/maintainers/github/alice/inbox").await;
    let items = inbox["items"].as_array().unwrap();
    let kinds: Vec<&str> = items.iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(inbox["total"], 3);
    // Newest first: the newer version (seen at the Nix ingest, today), the
    // archival check (Nov 5), the failure (latest build Nov 3, failing since Nov 2).
    assert_eq!(kinds, ["outdated", "archival-gap", "ci-failure"]);
    assert_eq!(items[0]["newer"]["version"], "1.3.0");
    assert_eq!((items[1]["count"].as_i64(), items[1]["since"].as_str()), (Some(1), Some("2026-11-05T00:00:00Z")));
    assert_eq!((items[2]["count"].as_i64(), items[2]["since"].as_str()), (Some(1), Some("2026-11-02T10:00:00Z")));
    let paged = json(&app, "/api/v1/maintainers/github/alice/inbox?limit=1&page=2").await;
    assert_eq!(paged["items"][0]["id"], items[1]["id"]);
    // The same items in the feed, with the same stable ids.
    let reply = get(&app, "/maintainers/github/Alice/feed.atom").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type, "application/atom+xml; charset=utf-8");
    let feed = xml::parse(&reply.body);
    assert_eq!(feed.root, "feed");
    assert_eq!(feed.count("feed/id"), 1);
    assert_eq!(feed.count("feed/updated"), 1);
    let ids = feed.texts("feed/entry/id");
    assert_eq!(ids.len(), 3);
    for (id, item) in ids.iter().zip(items) {
        assert!(id.ends_with(item["id"].as_str().unwrap()), "{id} vs {}", item["id"]);
    }
    assert_eq!(feed.count("feed/entry/updated"), 3);
    assert_eq!(feed.texts("feed/updated"), [items[0]["since"].as_str().unwrap()]);
    let again = xml::parse(&get(&app, "/maintainers/github/alice/feed.atom").await.body);
    assert_eq!(again.texts("feed/entry/id"), ids, "ids are stable");
}

#[sqlx::test(migrations = "../migrations")]
async fn many_packages_and_many_maintainers_are_paged(pool: PgPool) {
    let dir = tempfile::tempdir().unwrap();
    let packages: Vec<Value> = (0..120)
        .map(|i| {
            let own = format!("solo{i:03}");
            spack_package(&format!("pkg{i:03}"), &["busy", own.as_str()], &[("1.0", None)])
        })
        .collect();
    let spack = serde_json::json!({"commit": "c1", "packages": packages});
    let file = temp_file(&dir, "spack.json", spack.to_string().as_bytes());
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[file]).await.unwrap();
    let app = app(pool);
    let p1 = json(&app, "/api/v1/maintainers/github/busy").await;
    assert_eq!((p1["pages"].as_i64(), p1["packages"].as_array().unwrap().len()), (Some(3), 50));
    assert_eq!(p1["counts"]["packages"], 120);
    let p3 = json(&app, "/api/v1/maintainers/github/busy?page=3").await;
    assert_eq!(p3["packages"].as_array().unwrap().len(), 20);
    assert_eq!(p3["packages"][0]["name"], "pkg100");
    let html = get(&app, "/maintainers/github/busy?page=2").await.body;
    assert!(html.contains("pkg050") && !html.contains("pkg049"), "page 2");
    assert!(html.contains(r#"rel="next""#));
    // The index: busy first (120 packages), then 121 maintainers in all.
    let i1 = json(&app, "/api/v1/maintainers").await;
    assert_eq!(i1["total"], 121);
    assert_eq!(i1["maintainers"][0]["handle"], "busy");
    assert_eq!(i1["maintainers"].as_array().unwrap().len(), 50);
    let i3 = json(&app, "/api/v1/maintainers?page=3").await;
    assert_eq!(i3["maintainers"].as_array().unwrap().len(), 21);
    let q = json(&app, "/api/v1/maintainers?q=SOLO11").await;
    assert_eq!(q["total"], 10);
    let none = json(&app, "/api/v1/maintainers?q=%25").await;
    assert_eq!(none["total"], 0, "% is searched for literally");
    let page = get(&app, "/maintainers?q=solo007").await.body;
    assert!(page.contains(r#"href="/maintainers/github/solo007""#), "{page}");
}

/// Just enough XML to check a feed: well-formed nesting, entities, and the
/// text of elements by path.
mod xml {
    pub struct Doc {
        pub root: String,
        elements: Vec<(String, String)>,
    }

    impl Doc {
        pub fn count(&self, path: &str) -> usize {
            self.elements.iter().filter(|(p, _)| p == path).count()
        }
        pub fn texts(&self, path: &str) -> Vec<String> {
            self.elements.iter().filter(|(p, _)| p == path).map(|(_, t)| t.clone()).collect()
        }
    }

    fn unescape(s: &str) -> String {
        let mut rest = s;
        let mut out = String::new();
        while let Some(i) = rest.find('&') {
            out.push_str(&rest[..i]);
            let end = rest[i..].find(';').expect("entity ends with ;") + i;
            out.push(match &rest[i + 1..end] {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                e => panic!("unknown entity &{e};"),
            });
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out
    }

    pub fn parse(doc: &str) -> Doc {
        let body = doc.strip_prefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>").expect("XML declaration").trim();
        let mut stack: Vec<String> = Vec::new();
        let mut elements = Vec::new();
        let mut text = String::new();
        let mut root = String::new();
        let mut rest = body;
        while let Some(open) = rest.find('<') {
            text.push_str(&unescape(&rest[..open]));
            let close = rest[open..].find('>').expect("tag closes") + open;
            let tag = &rest[open + 1..close];
            assert!(!tag.contains('<'), "stray < in {tag}");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.last().map(String::as_str), Some(name), "nesting");
                elements.push((stack.join("/"), std::mem::take(&mut text)));
                stack.pop();
            } else {
                let name = tag.split_whitespace().next().unwrap().trim_end_matches('/').to_string();
                // Attribute values are escaped too.
                for value in tag.split('"').skip(1).step_by(2) {
                    unescape(value);
                }
                if stack.is_empty() {
                    assert!(root.is_empty(), "one root element");
                    root = name.clone();
                }
                text.clear();
                if !tag.ends_with('/') {
                    stack.push(name);
                }
            }
            rest = &rest[close + 1..];
        }
        assert!(stack.is_empty() && rest.trim().is_empty(), "document ends after its root");
        Doc { root, elements }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_demo_has_maintainers_with_every_kind_of_item(pool: PgPool) {
    let limits = pacatlas::ingest::Limits::default();
    pacatlas::demo::load(&pool, limits, &pacatlas::ingest::progress::Silent).await.unwrap();
    pacatlas::builds::demo::load(&pool).await.unwrap();
    pacatlas::archival::demo::load(&pool).await.unwrap();
    assert_eq!(pacatlas::maintainers::demo::load(&pool).await.unwrap(), 1);
    assert_eq!(pacatlas::maintainers::demo::load(&pool).await.unwrap(), 0, "loading twice writes nothing");
    let app = app(pool);
    let demo = json(&app, "/api/v1/maintainers/github/pacatlas-demo").await;
    assert_eq!(demo["name"], "Demo maintainer");
    for count in ["failing", "unarchived", "outdated"] {
        assert!(demo["counts"][count].as_i64().unwrap() >= 1, "{count}: {}", demo["counts"]);
    }
    let hdf5 = find(&demo, "guix", "hdf5");
    assert_eq!(hdf5["relation"]["claim"], "approved");
    // Declared maintainers from the real Spack metadata: balay's petsc fails in the demo CI.
    let balay = json(&app, "/api/v1/maintainers/github/balay").await;
    assert!(balay["counts"]["failing"].as_i64().unwrap() >= 1, "{}", balay["counts"]);
    let index = json(&app, "/api/v1/maintainers").await;
    assert!(index["total"].as_i64().unwrap() > 100);
    let package = json(&app, "/api/v1/packages/spack/builtin/hdf5").await;
    assert_eq!(package["claimants"][0]["handle"], "pacatlas-demo");
    assert!(!package["maintainers"].as_array().unwrap().is_empty());
}

#[sqlx::test(migrations = "../migrations")]
async fn the_inbox_page_is_the_logged_in_persons(pool: PgPool) {
    use crate::accounts_fake::{self as fake, Browser};
    setup(&pool).await;
    failing_alpha_and_missing_sources(&pool).await;
    let provider = fake::start(pacatlas::accounts::config::ProviderKind::Github).await;
    let router = crate::accounts_login::router(pool.clone(), fake::accounts(&[&provider]));
    // Anonymous: a browser (asking for HTML) is sent to the login page.
    let page = crate::support::get_with(&router, "/inbox", &[("accept", "text/html")]).await;
    assert_eq!(page.status, 302, "{}", page.body);
    let mut anonymous = Browser::new(router.clone());
    assert_eq!(anonymous.get("/inbox").await.location, "/login");
    // Alice logs in with GitHub: the items of the packages declared for `alice`.
    let mut alice = Browser::new(router.clone());
    alice.login(&provider, "alice", "allow").await;
    let page = alice.get("/inbox").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("3 items"), "{}", page.body);
    assert!(page.body.contains(r#"href="/packages/spack/builtin/alpha""#));
    assert!(page.body.contains("1.3.0 (nixos nix)"), "the newer version");
    assert!(!page.headers.get("cache-control").is_some_and(|v| v.to_str().unwrap().contains("public")));
    // Someone with no package has an empty inbox.
    let mut nobody = Browser::new(router);
    nobody.login(&provider, "nobody-here", "allow").await;
    assert!(nobody.get("/inbox").await.body.contains("Nothing needs attention."));
}
