//! The embedded engine on disk: its in-memory ranking records come back
//! when the index is reopened, and an index of an earlier version is
//! started afresh instead of stopping the server.
use std::sync::Arc;

use pacatlas::{
    catalog::Ecosystem,
    search::{embedded::EmbeddedIndex, service::SearchService, SearchIndex},
};
use sqlx::PgPool;

use crate::support::{app_with, fixture, get, ingest};

async fn top(app: &axum::Router, q: &str) -> Vec<String> {
    let reply = get(app, &format!("/api/v1/search?q={q}")).await;
    let v: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    v["hits"].as_array().unwrap().iter().map(|h| h["name"].as_str().unwrap().to_string()).collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_reopened_index_ranks_as_before(pool: PgPool) {
    let dir = tempfile::tempdir().unwrap();
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[fixture("search-spack.json")]).await.unwrap();
    ingest(&pool, Ecosystem::Guix, "guix", Some("g1"), &[fixture("search-guix.json")]).await.unwrap();
    let queries = ["numpy", "mpi", "hdf5%2Bmpi", "nmupy", "mpi+fortran", ""];
    let mut before = Vec::new();
    {
        let index: Arc<dyn SearchIndex> = Arc::new(EmbeddedIndex::open(dir.path()).unwrap());
        SearchService::new(index.clone(), pool.clone()).sync().await.unwrap();
        let app = app_with(pool.clone(), index);
        for q in queries {
            before.push(top(&app, q).await);
        }
    }
    assert_eq!(before[0][..2], ["py-numpy", "python-numpy"]);
    let index: Arc<dyn SearchIndex> = Arc::new(EmbeddedIndex::open(dir.path()).unwrap());
    assert_eq!(index.count().await.unwrap(), 34);
    let report = SearchService::new(index.clone(), pool.clone()).sync().await.unwrap();
    assert!(!report.rebuilt && report.upserted == 0, "{report:?}");
    let app = app_with(pool.clone(), index);
    for (q, expected) in queries.iter().zip(&before) {
        assert_eq!(&top(&app, q).await, expected, "{q}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn an_index_of_an_earlier_version_is_rebuilt(pool: PgPool) {
    use tantivy::schema::{Schema, STORED, STRING};
    let dir = tempfile::tempdir().unwrap();
    {
        let mut schema = Schema::builder();
        let id = schema.add_text_field("id", STRING | STORED);
        let index = tantivy::Index::create_in_dir(dir.path(), schema.build()).unwrap();
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        writer.add_document(tantivy::doc!(id => "1")).unwrap();
        writer.commit().unwrap();
    }
    let index: Arc<dyn SearchIndex> = Arc::new(EmbeddedIndex::open(dir.path()).expect("opens, afresh"));
    assert_eq!((index.count().await.unwrap(), index.cursor().await.unwrap()), (0, 0));
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[fixture("search-spack.json")]).await.unwrap();
    assert!(SearchService::new(index.clone(), pool.clone()).sync().await.unwrap().rebuilt);
    assert_eq!(top(&app_with(pool, index), "numpy").await[0], "py-numpy");
}
