//! Ingest that goes wrong or big: bad input says where and changes nothing,
//! compressed inputs and URLs, the whole shared Spack corpus, COPY's special
//! characters, planner statistics, NUL characters.
use std::io::Write;

use pacatlas::{catalog::Ecosystem, ingest::Limits};
use sqlx::PgPool;

use crate::{
    ingest::package_json,
    support::{fixture, ingest, ingest_with, snapshot, temp_file},
};

/// Each bad input fails with a message naming the file and the place, and
/// leaves every table exactly as it was.
#[sqlx::test(migrations = "../migrations")]
async fn bad_input_changes_nothing_and_says_where(pool: PgPool) {
    ingest(&pool, Ecosystem::Spack, "builtin", Some("good"), &[fixture("spack-rich.json")]).await.unwrap();
    let before = snapshot(&pool).await;
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(fixture("spack-rich.json")).unwrap();

    let cases: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
        ("truncated.json", good.as_bytes()[..good.len() / 2].to_vec(), vec!["truncated.json", "line", "EOF"]),
        (
            "wrong-type.json",
            good.replacen("\"version\": \"3.31.6\"", "\"version\": 3.31", 1).into_bytes(),
            vec!["wrong-type.json", "record 2 (cmake)", "$.packages[2].versions[0].version", "invalid type"],
        ),
        (
            "missing-name.json",
            good.replacen("\"name\": \"openmpi\", ", "", 1).into_bytes(),
            vec!["missing-name.json", "record 1", "missing field `name`"],
        ),
        (
            "empty-name.json",
            good.replacen("\"name\": \"openmpi\"", "\"name\": \"\"", 1).into_bytes(),
            vec!["empty-name.json", "record 1", "name is empty"],
        ),
        (
            "bad-utf8.json",
            {
                let mut b = good.replacen("A cross-platform", "A cross-\u{0}platform", 1).into_bytes();
                let i = b.iter().position(|&c| c == 0).unwrap();
                b[i] = 0xff;
                b
            },
            vec!["bad-utf8.json", "UTF-8", "line"],
        ),
        ("not-json.json", b"hello world".to_vec(), vec!["not-json.json", "line 1"]),
    ];
    for (name, bytes, expected) in cases {
        let path = temp_file(&dir, name, &bytes);
        let err = ingest(&pool, Ecosystem::Spack, "builtin", Some("bad"), &[path]).await.unwrap_err().to_string();
        for e in expected {
            assert!(err.contains(e), "{name}: expected {e:?} in: {err}");
        }
        assert_eq!(err.lines().count(), 1, "{name}: one line: {err}");
        assert_eq!(snapshot(&pool).await, before, "{name}: the database is as before");
    }

    // Limits: too large, too many packages.
    let tiny = Limits { max_bytes: 100, max_packages: 10, ..Limits::default() };
    let err = ingest_with(&pool, tiny, Ecosystem::Spack, "builtin", None, &[fixture("spack-rich.json")])
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("spack-rich.json") && err.contains("ingest_max_bytes"), "{err}");
    let few = Limits { max_bytes: 1 << 20, max_packages: 2, ..Limits::default() };
    let err = ingest_with(&pool, few, Ecosystem::Spack, "builtin", None, &[fixture("spack-rich.json")])
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("ingest_max_packages"), "{err}");
    // A missing file, a bad channel name.
    let err = ingest(&pool, Ecosystem::Spack, "builtin", None, &["/nonexistent/x.json".into()])
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("/nonexistent/x.json") && err.contains("cannot open"), "{err}");
    let err =
        ingest(&pool, Ecosystem::Spack, "Bad Name", None, &[fixture("spack-rich.json")]).await.unwrap_err().to_string();
    assert!(err.contains("channel name"), "{err}");
    // A valid Nix document whose format version is not 2.
    let path = temp_file(&dir, "v1.json", br#"{"version": 1, "packages": {}}"#);
    let err = ingest(&pool, Ecosystem::Nix, "nixos", None, &[path]).await.unwrap_err().to_string();
    assert!(err.contains("v1.json") && err.contains("$.version"), "{err}");
    // A failure in the second of two inputs: nothing from the first is written either.
    let bad = temp_file(&dir, "bad-second.json", b"[{\"name\": 12}]");
    let err = ingest(&pool, Ecosystem::Guix, "guix", None, &[fixture("guix-packages.json"), bad])
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("bad-second.json") && err.contains("record 0"), "{err}");
    assert_eq!(snapshot(&pool).await, before, "the database is as before");
}

#[sqlx::test(migrations = "../migrations")]
async fn compressed_inputs_and_urls_are_read(pool: PgPool) {
    let dir = tempfile::tempdir().unwrap();
    let raw = std::fs::read(fixture("nix-packages.json")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&raw).unwrap();
    let gz = gz.finish().unwrap();
    // The name says nothing: the magic bytes do.
    let path = temp_file(&dir, "packages.json", &gz);
    let s = ingest(&pool, Ecosystem::Nix, "nixos-gz", None, &[path]).await.unwrap();
    assert_eq!(s.added, 3);

    let zst = ruzstd::encoding::compress_to_vec(&raw[..], ruzstd::encoding::CompressionLevel::Fastest);
    let path = temp_file(&dir, "packages.json.zst", &zst);
    assert_eq!(ingest(&pool, Ecosystem::Nix, "nixos-zst", None, &[path]).await.unwrap().added, 3);

    // Over HTTP from a local server.
    let served = gz.clone();
    let router = axum::Router::new()
        .route("/packages.json.gz", axum::routing::get(move || async move { served.clone() }))
        .route("/missing", axum::routing::get(|| async { axum::http::StatusCode::NOT_FOUND }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let s =
        ingest(&pool, Ecosystem::Nix, "nixos-http", None, &[format!("http://{addr}/packages.json.gz")]).await.unwrap();
    assert_eq!(s.added, 3);
    let err = ingest(&pool, Ecosystem::Nix, "nixos-http", None, &[format!("http://{addr}/missing")])
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("/missing") && err.contains("404"), "{err}");
}

/// The whole shared Spack corpus (~9,000 real packages), when ../shared is there.
#[sqlx::test(migrations = "../migrations")]
async fn the_full_shared_spack_corpus_is_ingested(pool: PgPool) {
    let path = format!("{}/../../shared/data/spack/packages.json", env!("CARGO_MANIFEST_DIR"));
    if !std::path::Path::new(&path).exists() {
        println!("SKIP the_full_shared_spack_corpus_is_ingested: {path} is not present");
        return;
    }
    let s = ingest(&pool, Ecosystem::Spack, "builtin", None, std::slice::from_ref(&path)).await.unwrap();
    assert_eq!(s.packages, 8931);
    assert_eq!(s.added, 8931);
    let (versions, deps): (i64, i64) =
        sqlx::query_as("SELECT (SELECT count(*) FROM package_versions), (SELECT count(*) FROM dependencies)")
            .fetch_one(&pool)
            .await
            .unwrap();
    // 44,519 versions of which 8 repeat within their package (folded, with warnings).
    assert_eq!(versions, 44_519 - 8);
    assert_eq!(s.warnings.len(), 8);
    assert_eq!(deps, 114_184);
    let again = ingest(&pool, Ecosystem::Spack, "builtin", None, &[path]).await.unwrap();
    assert_eq!((again.unchanged, again.wrote), (8931, false));
}

/// Child rows are written with COPY: its special characters (backslash, tab,
/// newline, quotes, braces) must come back exactly as they went in.
#[sqlx::test(migrations = "../migrations")]
async fn special_characters_survive_the_bulk_write(pool: PgPool) {
    let odd = "tab\there, new\nline, back\\slash, \"quoted\", {braces}, \\N, é";
    let doc = serde_json::json!({"packages": [{
        "name": "odd",
        "description": odd,
        "versions": [{"version": "1.0\\t", "sha256": "ab".repeat(32)}],
        "licenses": [{"spdx": odd, "when": "@1:"}],
        "variants": [{"name": "v", "default": "a\tb", "description": odd, "values": ["x\\y", "{z}"]}],
        "dependencies": [{"spec": "dep@1:\t", "name": "dep", "type": ["build", "a\"b\\c"], "when": odd}],
        "conflicts": [{"spec": "+x", "when": null, "msg": odd}]
    }]});
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(&dir, "odd.json", doc.to_string().as_bytes());
    ingest(&pool, Ecosystem::Spack, "builtin", Some("r1"), &[path]).await.unwrap();

    let p = package_json(&pool, "spack", "builtin", "odd").await;
    assert_eq!(p["description"], odd);
    assert_eq!(p["versions"][0]["version"], "1.0\\t");
    assert_eq!(p["licenses"][0]["raw"], odd);
    assert_eq!(p["variants"][0]["default_value"], "a\tb");
    assert_eq!(p["variants"][0]["description"], odd);
    assert_eq!(p["variants"][0]["allowed_values"], "x\\y, {z}");
    assert_eq!(p["dependencies"][0]["spec"], "dep@1:\t");
    assert_eq!(p["dependencies"][0]["condition"], odd);
    assert_eq!(p["conflicts"][0]["message"], odd, "JSON (packages.extra) too");
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT unnest(kinds) FROM dependencies ORDER BY 1").fetch_all(&pool).await.unwrap();
    assert_eq!(kinds, ["a\"b\\c", "build"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn planner_statistics_are_refreshed(pool: PgPool) {
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[fixture("spack-rich.json")]).await.unwrap();
    pacatlas::catalog::statistics::refresh(&pool).await.unwrap();
    let analysed: Vec<String> = sqlx::query_scalar(
        "SELECT relname::text FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL AND relname IN ('packages', 'dependencies') ORDER BY 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(analysed, ["dependencies", "packages"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_nul_character_is_refused_with_its_place(pool: PgPool) {
    let dir = tempfile::tempdir().unwrap();
    let spack = temp_file(
        &dir,
        "nul.json",
        br#"{"packages":[{"name":"ok","description":"fine"},{"name":"nul","versions":[{"version":"1.0"},{"version":"2\u0000"}]}]}"#,
    );
    let before = snapshot(&pool).await;
    let err = ingest(&pool, Ecosystem::Spack, "builtin", None, &[spack]).await.unwrap_err().to_string();
    assert!(err.contains("nul.json"), "{err}");
    assert!(err.contains("record 1 (nul)"), "{err}");
    assert!(err.contains("$.versions[1].version"), "{err}");
    assert!(err.contains("NUL"), "{err}");
    assert_eq!(snapshot(&pool).await, before, "nothing written");

    let nix = temp_file(
        &dir,
        "nix.json",
        br#"{"version":2,"packages":{"hello":{"name":"hello-2.12","pname":"hello","version":"2.12","meta":{"description":"say\u0000hi"}}}}"#,
    );
    let err = ingest(&pool, Ecosystem::Nix, "nixpkgs", Some("r1"), &[nix]).await.unwrap_err().to_string();
    assert!(err.contains("nix.json") && err.contains("record hello") && err.contains("$.synopsis"), "{err}");
}
