//! One module per area the user sees.
pub mod home;
pub mod not_found;
