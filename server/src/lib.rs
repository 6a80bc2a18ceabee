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
