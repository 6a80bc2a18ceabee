//! Keeping a search index in sync with the catalog through `search_changes`:
//! changes committed out of id order are not skipped, and the log is pruned.
use std::{sync::Arc, time::Duration};

use pacatlas::{
    catalog::Ecosystem,
    search::{embedded::EmbeddedIndex, service::SearchService, SearchIndex},
};
use sqlx::{PgPool, Postgres, Transaction};

use crate::support::{app_with, fixture, get, ingest};

/// What an ingest does for one package: changes it and records the change.
async fn change(tx: &mut Transaction<'_, Postgres>, name: &str, text: &str) {
    let id: i64 = sqlx::query_scalar(
        "UPDATE packages SET synopsis = $2, description = $2 WHERE name = $1
         AND channel_id = (SELECT id FROM channels WHERE name = 'builtin') RETURNING id",
    )
    .bind(name)
    .bind(text)
    .fetch_one(&mut **tx)
    .await
    .unwrap();
    sqlx::query("INSERT INTO search_changes (package_id) VALUES ($1)").bind(id).execute(&mut **tx).await.unwrap();
}

async fn first_hit(app: &axum::Router, q: &str) -> Option<String> {
    let reply = get(app, &format!("/api/v1/search?q={q}")).await;
    let v: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    v["hits"][0]["name"].as_str().map(str::to_string)
}

/// Two ingests interleave: B starts first, A records its change (a lower
/// id), B records its own and commits, a sync runs, then A commits. A
/// cursor on ids would have moved past A's change before it was visible.
#[sqlx::test(migrations = "../migrations")]
async fn a_change_committed_after_a_later_id_is_not_skipped(pool: PgPool) {
    let index: Arc<dyn SearchIndex> = Arc::new(EmbeddedIndex::in_memory().unwrap());
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[fixture("search-spack.json")]).await.unwrap();
    let service = SearchService::new(index.clone(), pool.clone());
    assert!(service.sync().await.unwrap().rebuilt);
    let app = app_with(pool.clone(), index.clone());

    let mut b = pool.begin().await.unwrap();
    sqlx::query("SELECT pg_current_xact_id()").execute(&mut *b).await.unwrap(); // B's transaction id comes first
    let mut a = pool.begin().await.unwrap();
    change(&mut a, "slepc", "Zyzzyvalpha eigensolvers").await;
    change(&mut b, "mpich", "Quixotebeta preconditioners").await;
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM search_changes ORDER BY id DESC LIMIT 1").fetch_all(&mut *b).await.unwrap();
    b.commit().await.unwrap();

    let report = service.sync().await.unwrap();
    assert_eq!(report.upserted, 1, "B's change only: A has not committed");
    assert_eq!(first_hit(&app, "quixotebeta").await.as_deref(), Some("mpich"));
    assert_eq!(first_hit(&app, "zyzzyvalpha").await, None);
    assert!(!ids.is_empty());

    a.commit().await.unwrap();
    let report = service.sync().await.unwrap();
    assert_eq!(report.upserted, 1, "A's change, although its id is below B's");
    assert_eq!(first_hit(&app, "zyzzyvalpha").await.as_deref(), Some("slepc"));
    assert_eq!(service.sync().await.unwrap().upserted, 0, "nothing twice");
}

/// Applied changes older than the retention window are deleted; an index
/// whose horizon is behind what was deleted rebuilds itself.
#[sqlx::test(migrations = "../migrations")]
async fn old_applied_changes_are_pruned_and_a_stale_index_rebuilds(pool: PgPool) {
    let index: Arc<dyn SearchIndex> = Arc::new(EmbeddedIndex::in_memory().unwrap());
    let stale: Arc<dyn SearchIndex> = Arc::new(EmbeddedIndex::in_memory().unwrap());
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[fixture("search-spack.json")]).await.unwrap();
    let service = SearchService::new(index.clone(), pool.clone());
    let behind = SearchService::new(stale.clone(), pool.clone());
    service.sync().await.unwrap();
    behind.sync().await.unwrap();

    let mut tx = pool.begin().await.unwrap();
    change(&mut tx, "slepc", "Zyzzyvalpha eigensolvers").await;
    tx.commit().await.unwrap();
    service.sync().await.unwrap(); // `behind` has not applied it
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM search_changes").fetch_one(&pool).await.unwrap();
    assert!(before > 0);
    assert_eq!(service.prune(Duration::from_secs(3600)).await.unwrap(), 0, "nothing is old enough");
    sqlx::query("UPDATE search_changes SET changed_at = now() - interval '2 hours'").execute(&pool).await.unwrap();
    assert_eq!(service.prune(Duration::from_secs(3600)).await.unwrap() as i64, before, "applied and old: deleted");
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM search_changes").fetch_one(&pool).await.unwrap();
    assert_eq!(left, 0);

    // The stale index never saw the change and its row is gone: it rebuilds.
    let report = behind.sync().await.unwrap();
    assert!(report.rebuilt, "{report:?}");
    let app = app_with(pool.clone(), stale);
    assert_eq!(first_hit(&app, "zyzzyvalpha").await.as_deref(), Some("slepc"));
    // The up-to-date one does not.
    assert!(!service.sync().await.unwrap().rebuilt);
}

/// The documents of a few packages (what a sync or the degraded search
/// reads) count dependents by name lookup: the same counts as the whole
/// catalog's documents (what a rebuild reads), across projects and channels.
#[sqlx::test(migrations = "../migrations")]
async fn documents_of_some_packages_count_dependents_as_a_rebuild_does(pool: PgPool) {
    use pacatlas::search::document;
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[fixture("search-spack.json")]).await.unwrap();
    ingest(&pool, Ecosystem::Guix, "guix", Some("g1"), &[fixture("search-guix.json")]).await.unwrap();
    let all = document::all(&pool).await.unwrap();
    assert!(all.iter().any(|d| d.dependents > 0), "the fixtures have dependents");
    let ids: Vec<i64> = all.iter().map(|d| d.id.parse().unwrap()).collect();
    assert_eq!(document::for_ids(&pool, &ids).await.unwrap(), all);
    for d in &all {
        let one = document::for_ids(&pool, &[d.id.parse().unwrap()]).await.unwrap();
        assert_eq!(one.as_slice(), std::slice::from_ref(d), "{}", d.name);
    }
    // A removed package has no document.
    sqlx::query("UPDATE packages SET removed = true WHERE name = 'slepc'").execute(&pool).await.unwrap();
    let slepc = all.iter().find(|d| d.name == "slepc").unwrap();
    assert!(document::for_ids(&pool, &[slepc.id.parse().unwrap()]).await.unwrap().is_empty());
}
