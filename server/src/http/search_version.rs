//! The version of what the search engine holds, as far as this process can
//! see it: a counter that moves whenever the index's sync cursor moves
//! (a sync of this process or of another one sharing the engine applied
//! changes, or a rebuild). Search answers are cached per version.
use std::sync::{
    atomic::{AtomicI64, Ordering},
    Arc,
};
use std::time::Duration;

use crate::search::SearchIndex;

#[derive(Debug, Default)]
pub struct SearchVersion {
    /// 0: unknown (not read yet, or the engine does not answer).
    version: AtomicI64,
}

impl SearchVersion {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    pub fn get(&self) -> Option<i64> {
        Some(self.version.load(Ordering::Acquire)).filter(|v| *v > 0)
    }

    /// Reads the index's cursor every `every`; a new value (or an engine
    /// that comes back) is a new version, an engine that fails is unknown.
    pub fn spawn_watch(self: Arc<Self>, index: Arc<dyn SearchIndex>, every: Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut last: Option<(i64, u64)> = None;
            let mut counter = 0;
            loop {
                let seen = match (index.cursor().await, index.count().await) {
                    (Ok(c), Ok(n)) => Some((c, n)),
                    _ => None,
                };
                match seen {
                    Some(s) if last != Some(s) => {
                        counter += 1;
                        self.version.store(counter, Ordering::Release);
                        last = Some(s);
                    }
                    Some(_) => {}
                    None => {
                        self.version.store(0, Ordering::Release);
                        last = None;
                    }
                }
                tokio::time::sleep(every).await;
            }
        })
    }
}
