//! The OpenAPI document describes the routes and the answers they really give.
use pacatlas::catalog::Ecosystem;
use serde_json::Value;
use sqlx::PgPool;

use crate::support::{app, fixture, get, ingest};

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

#[sqlx::test(migrations = "../migrations")]
async fn the_openapi_document_matches_the_answers(pool: PgPool) {
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[fixture("spack-rich.json")]).await.unwrap();
    let app = app(pool);
    let reply = get(&app, "/api/v1/openapi.json").await;
    assert_eq!(reply.status, 200);
    let doc: Value = serde_json::from_str(&reply.body).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = keys(&doc["paths"]);
    assert_eq!(
        paths,
        [
            "/api/v1/account",
            "/api/v1/archival",
            "/api/v1/archival/missing",
            "/api/v1/attestations",
            "/api/v1/builds",
            "/api/v1/channels",
            "/api/v1/channels/{ecosystem}/{name}",
            "/api/v1/ci",
            "/api/v1/ci/{service}",
            "/api/v1/funders",
            "/api/v1/funders/{slug}",
            "/api/v1/funding",
            "/api/v1/funding/critical",
            "/api/v1/funding/critical.csv",
            "/api/v1/maintainers",
            "/api/v1/maintainers/{forge}/{handle}",
            "/api/v1/maintainers/{forge}/{handle}/inbox",
            "/api/v1/matrix",
            "/api/v1/packages/{ecosystem}/{channel}/{name}",
            "/api/v1/packages/{ecosystem}/{channel}/{name}/archival",
            "/api/v1/packages/{ecosystem}/{channel}/{name}/builds",
            "/api/v1/packages/{ecosystem}/{channel}/{name}/builds/history",
            "/api/v1/packages/{ecosystem}/{channel}/{name}/funding",
            "/api/v1/packages/{ecosystem}/{channel}/{name}/platforms",
            "/api/v1/search",
            "/api/v1/sites",
            "/api/v1/sites/{site}",
            "/api/v1/sites/{site}/machines/{machine}",
            "/api/v1/sites/{site}/machines/{machine}/partitions/{partition}",
            "/api/v1/sponsorships/{id}"
        ]
    );
    let schemas = &doc["components"]["schemas"];
    // Every field of each real answer is described by its schema.
    for (path, schema) in [
        ("/api/v1/packages/spack/builtin/hdf5", "PackageDetail"),
        ("/api/v1/search?q=hdf5", "SearchResponse"),
        ("/api/v1/channels", "ChannelList"),
        ("/api/v1/channels/spack/builtin", "ChannelDetail"),
        ("/api/v1/packages/spack/builtin/hdf5/builds", "PackageBuilds"),
        ("/api/v1/ci", "CiOverview"),
        ("/api/v1/packages/spack/builtin/hdf5/builds/history", "BuildHistory"),
        ("/api/v1/maintainers", "MaintainerIndex"),
        ("/api/v1/maintainers/github/lrknox", "MaintainerDetail"),
        ("/api/v1/maintainers/github/lrknox/inbox", "Inbox"),
        ("/api/v1/funding", "FundingOverview"),
    ] {
        let answer: Value = serde_json::from_str(&get(&app, path).await.body).unwrap();
        let described = keys(&schemas[schema]["properties"]);
        assert_eq!(keys(&answer), described, "{path} vs {schema}");
    }
    let version_fields = keys(&schemas["VersionView"]["properties"]);
    assert!(version_fields.contains(&"sources".to_string()), "{version_fields:?}");
    // The push API says it takes a bearer token.
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert!(doc["paths"]["/api/v1/builds"]["post"]["responses"]["401"].is_object());
    // The sites admin API sits beside the site's GET.
    let site = &doc["paths"]["/api/v1/sites/{site}"];
    assert!(site["get"].is_object() && site["put"]["responses"]["400"].is_object() && site["delete"].is_object());
    // Undocumented routes are not in it, documented ones answer.
    assert_eq!(get(&app, "/api/v1").await.status, 200);
}
