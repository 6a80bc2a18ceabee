//! Pacatlas server: everything that runs only on the server. One module per
//! capability; `main.rs` is the CLI.
pub mod accounts;
pub mod archival;
pub mod atom;
pub mod builds;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod criticality;
pub mod db;
pub mod demo;
pub mod error;
pub mod funding;
pub mod http;
pub mod ingest;
pub mod maintainers;
pub mod platforms;
pub mod search;
pub mod telemetry;

pub use config::Config;

/// mimalloc instead of glibc's malloc: a search builds and drops hundreds of
/// scorers with buffers of tens of kilobytes, and glibc consolidated its free
/// lists on those frees (half of a search's time in `malloc_consolidate`
/// and `unlink_chunk` on the 159,000-document corpus). Every binary linking
/// this crate (the server, its examples and tests) uses it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
