//! The catalog's generation: a number every recorded ingest (run or failure)
//! increments in its own transaction, announced with `NOTIFY
//! pacatlas_catalog` when it commits (migration 0004). The server keeps the
//! current value in memory, from a `LISTEN` connection, so that anything
//! derived from the catalog (rendered pages, ETags) can be keyed on it.
//! While the listener is not connected the generation is unknown and
//! nothing may be served from a cache.
use std::sync::{
    atomic::{AtomicI64, Ordering},
    Arc,
};
use std::time::Duration;

use sqlx::{postgres::PgListener, PgPool};

pub const CHANNEL: &str = "pacatlas_catalog";

#[derive(Debug, Default)]
pub struct CatalogGeneration {
    /// 0: unknown.
    current: AtomicI64,
}

impl CatalogGeneration {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// The current generation, when the watcher knows it.
    pub fn get(&self) -> Option<i64> {
        Some(self.current.load(Ordering::Acquire)).filter(|g| *g > 0)
    }

    fn set(&self, generation: i64) {
        self.current.store(generation.max(0), Ordering::Release);
    }

    fn forget(&self) {
        self.current.store(0, Ordering::Release);
    }

    /// Follows the generation until the process ends: LISTEN first, then read
    /// the current value (so no commit falls between the two), then apply each
    /// notification; re-reads it every `every` as a safety net and forgets it
    /// whenever the connection is lost.
    pub fn spawn_watch(self: Arc<Self>, pool: PgPool, every: Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                if let Err(e) = self.watch(&pool, every).await {
                    tracing::warn!(error = %e, "catalog change listener lost; pages are not cached until it is back");
                }
                self.forget();
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        })
    }

    async fn watch(&self, pool: &PgPool, every: Duration) -> Result<(), sqlx::Error> {
        let mut listener = PgListener::connect_with(pool).await?;
        listener.listen(CHANNEL).await?;
        self.set(read(pool).await?);
        loop {
            match tokio::time::timeout(every, listener.try_recv()).await {
                Ok(Ok(Some(n))) => match n.payload().parse::<i64>() {
                    Ok(g) => {
                        self.current.fetch_max(g, Ordering::AcqRel);
                    }
                    Err(_) => self.set(read(pool).await?),
                },
                // The connection was lost: notifications may have been missed.
                Ok(Ok(None)) => return Ok(()),
                Ok(Err(e)) => return Err(e),
                Err(_) => {
                    let g = read(pool).await?;
                    self.current.fetch_max(g, Ordering::AcqRel);
                }
            }
        }
    }
}

/// Starts a new catalog generation in the caller's transaction (announced by
/// NOTIFY when it commits): every writer of data that pages show calls it,
/// so cached pages are retired.
pub async fn bump<'e, E: sqlx::PgExecutor<'e>>(executor: E) -> sqlx::Result<()> {
    sqlx::query(
        "WITH g AS (UPDATE catalog_state SET generation = generation + 1 RETURNING generation)
         SELECT pg_notify('pacatlas_catalog', generation::text) FROM g",
    )
    .execute(executor)
    .await
    .map(|_| ())
}

/// The generation stored in the database.
pub async fn read(pool: &PgPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT generation FROM catalog_state").fetch_one(pool).await
}
