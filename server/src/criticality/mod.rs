//! Criticality (#14, part K): per project (the same software across
//! ecosystems, `projects`), how much of the ecosystems depends on it and how
//! fragile it is, and the critical-but-unfunded list read from it.
//!
//! - `graph`: dependents counted over the package dependency graph (exact
//!   with cycles: strongly connected components, then bitsets);
//! - `score`: the one documented score;
//! - `catalog_graph`: the package graph read by COPY and counted per project;
//! - `compute`: reads the catalog, counts, writes `project_criticality` in
//!   one transaction (`pacatlas funding criticality`, after ingests, by the
//!   demo, and by `serve` when the catalog changed: `schedule`);
//! - `read`: the list, its filters and its CSV.
//!
//! It owns `project_criticality` and `criticality_state` (migration 0019)
//! and reads the catalog, maintainers, claims, CI, archival and funding tables.
mod catalog_graph;
pub mod compute;
pub mod graph;
pub mod read;
pub mod schedule;
pub mod score;

pub use compute::{recompute, Outcome, Summary};
