//! The catalog: channels, packages, versions, sources, licences, declared
//! maintainers, dependencies, variants and cross-ecosystem projects.
pub mod copy;
pub mod generation;
pub mod guix_licenses;
pub mod licenses;
pub mod model;
pub mod names;
pub mod package_page;
pub mod read;
pub mod statistics;
pub mod versions;
pub mod write;
mod write_rows;

pub use model::Ecosystem;
