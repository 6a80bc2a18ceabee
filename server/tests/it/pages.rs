//! Package, channel and channel-list pages through the real router.
use pacatlas::catalog::Ecosystem;
use sqlx::PgPool;

use crate::support::{app, fixture, get, ingest};

async fn load_all(pool: &PgPool) {
    ingest(pool, Ecosystem::Spack, "builtin", None, &[fixture("spack-rich.json")]).await.unwrap();
    ingest(pool, Ecosystem::Guix, "guix", None, &[fixture("guix-packages.json"), fixture("guix-sources.json")])
        .await
        .unwrap();
    ingest(pool, Ecosystem::Nix, "nixos-25.11", Some("25.11pre"), &[fixture("nix-packages.json")]).await.unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn spack_package_page(pool: PgPool) {
    load_all(&pool).await;
    let app = app(pool);
    let reply = get(&app, "/packages/spack/builtin/hdf5").await;
    assert_eq!(reply.status, 200);
    let html = reply.body;
    assert!(html.contains("<title>hdf5 1.14.5 · Pacatlas</title>"), "title");
    assert!(html.contains(r#"<h1 id="pkg-name">hdf5</h1>"#));
    assert!(html.contains("spack install hdf5"), "install snippet");
    assert!(html.contains(r#"href="https://www.hdfgroup.org""#), "homepage link");
    assert!(html.contains("BSD-3-Clause"), "licence");
    assert!(html.contains(r#"href="/maintainers/github/lrknox""#), "maintainer link");
    assert!(html.contains("ec2e13c52e60f9a01491bb3158cb3778c985697131fc6a342262d32a26e58e44"), "hash");
    assert!(html.contains(r#"href="/packages/spack/builtin/cmake""#), "resolved dependency links to its page");
    assert!(html.contains("virtual: 1 provider<"), "zlib-api is a virtual provided by zlib-ng (singular)");
    assert!(html.contains("Versions (5)"));
    assert!(html.contains("<code>mpi</code>"), "variants table");
    assert!(html.contains("It supports\nlarge data."), "description keeps its line break");
    assert!(html.contains(r#"href="/packages/guix/guix/hdf5""#), "also packaged in Guix");
    assert!(html.contains(r#"href="/packages/nix/nixos-25.11/hdf5""#), "also packaged in Nix");
    assert!(html.contains("Conflicts") && html.contains("<code>+java</code>") && html.contains("<code>~shared</code>"));
    assert!(!html.contains("GPU support"), "hdf5's recipe declares no GPU model");

    let openmpi = get(&app, "/packages/spack/builtin/openmpi").await.body;
    assert!(openmpi.contains("<dt>GPU support</dt><dd>CUDA, ROCm</dd>"), "{openmpi}");
    assert!(openmpi.contains("CUDA is not available on macOS"));
}

#[sqlx::test(migrations = "../migrations")]
async fn guix_and_nix_package_pages(pool: PgPool) {
    load_all(&pool).await;
    let app = app(pool);
    let guix = get(&app, "/packages/guix/guix/gcc").await;
    assert_eq!(guix.status, 200);
    assert!(guix.body.contains("guix install gcc"));
    assert!(guix.body.contains("Versions (3)"));
    assert!(guix.body.contains("GPL-3.0-or-later"));

    let nix = get(&app, "/packages/nix/nixos-25.11/python312Packages.numpy").await;
    assert_eq!(nix.status, 200);
    assert!(nix.body.contains("nix profile install nixpkgs#python312Packages.numpy"));
    assert!(nix.body.contains(r#"href="/packages/spack/builtin/py-numpy""#), "also packaged in Spack");
    assert!(nix.body.contains(r#"href="/packages/guix/guix/python-numpy""#), "also packaged in Guix");
}

#[sqlx::test(migrations = "../migrations")]
async fn channel_data_is_never_markup(pool: PgPool) {
    load_all(&pool).await;
    let reply = get(&app(pool), "/packages/spack/builtin/zlib-ng").await;
    assert_eq!(reply.status, 200);
    assert!(!reply.body.contains("<script>alert(1)</script>"), "the description is escaped");
    assert!(reply.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!reply.body.contains(r#"href="javascript:alert(1)""#), "a javascript: homepage is not a link");
}

#[sqlx::test(migrations = "../migrations")]
async fn missing_package_and_channel_are_404(pool: PgPool) {
    load_all(&pool).await;
    let app = app(pool);
    let reply = get(&app, "/packages/spack/builtin/no-such-package").await;
    assert_eq!(reply.status, 404);
    assert!(reply.body.contains("Package not found"));
    let reply = get(&app, "/channels/spack/nope").await;
    assert_eq!(reply.status, 404);
    let reply = get(&app, "/api/v1/packages/spack/builtin/no-such-package").await;
    assert_eq!(reply.status, 404);
    assert!(reply.content_type.starts_with("application/json"));
}

#[sqlx::test(migrations = "../migrations")]
async fn channel_list_and_channel_page(pool: PgPool) {
    load_all(&pool).await;
    let app = app(pool);
    let list = get(&app, "/packages").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("3 channels, 11 packages"), "caption with totals");
    assert!(list.body.contains(r#"href="/channels/nix/nixos-25.11""#));

    let channel = get(&app, "/channels/guix/guix").await;
    assert_eq!(channel.status, 200);
    assert!(channel.body.contains("9f0f3c4d5e6a"), "short revision");
    assert!(channel.body.contains("guix-packages.json"), "ingest history names the inputs");
    assert!(channel.body.contains("1 warnings") || channel.body.contains("2 warnings"));
    assert!(channel.body.contains(r#"href="/packages/guix/guix/python-numpy""#));

    let api = get(&app, "/api/v1/channels").await;
    let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(json["channels"].as_array().unwrap().len(), 3);
}
