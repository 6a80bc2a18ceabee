//! One module per area the user sees.
pub mod account;
pub mod admin;
pub mod archival;
pub mod channel;
pub mod ci;
pub mod funding;
pub mod home;
pub mod maintainers;
pub mod matrix;
pub mod not_found;
pub mod package;
pub mod search;
pub mod sites;
