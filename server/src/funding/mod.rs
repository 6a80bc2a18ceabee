//! Funding (#14): funders (foundations, consortia, agencies, companies,
//! individuals) and their sponsorships of a project, a package, a
//! maintainer or a piece of infrastructure (tables of migration 0017).
//!
//! - `model`: validation of what people type (slugs, kinds, ISO codes,
//!   URLs, dates, amounts as exact decimals) and target references;
//! - `money`: amounts as cents (`i128`), summed per currency, never converted;
//! - `health`: the health of sponsored targets, kept per catalog generation;
//! - `read`: the overview, a funder, a sponsorship's history, what funds a
//!   package or a maintainer, with the health of each target; `totals`: sums
//!   per funder, year and currency; `funders`: the funders and their counts;
//! - `write`: create, edit, end and delete, each in one transaction with its
//!   audit entry; `csv_import`: many sponsorships at once, all or nothing;
//! - `demo`: the demo funders and sponsorships (labelled demo, invented amounts).
pub mod csv_import;
pub mod demo;
pub mod funders;
pub mod health;
pub mod model;
pub mod money;
pub mod read;
pub mod totals;
pub mod write;
