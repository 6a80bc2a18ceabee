//! The contract between browser and server: serde types and `#[server]`
//! functions. Server function bodies stay thin: they take the server-side
//! services (ports, implemented in the `pacatlas` server crate) from context
//! and call them.
pub mod catalog;
pub mod search;
