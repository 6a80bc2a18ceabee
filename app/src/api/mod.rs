//! The contract between browser and server: serde types and `#[server]`
//! functions. Server function bodies stay thin: they take the server-side
//! services from context and call them.
