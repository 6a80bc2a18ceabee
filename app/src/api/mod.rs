//! The contract between browser and server: serde types and `#[server]`
//! functions. Server function bodies stay thin: they take the server-side
//! services (ports, implemented in the `pacatlas` server crate) from context
//! and call them.
//!
//! Every server function has a fixed path under `/fn/` (`endpoint = …`):
//! without it the path carries a hash of where the crate was built, and a
//! browser bundle built from another checkout would call paths the server
//! does not have.
pub mod accounts;
pub mod archival;
pub mod builds;
pub mod catalog;
pub mod criticality;
pub mod funding;
pub mod maintainers;
pub mod matrix;
pub mod search;
