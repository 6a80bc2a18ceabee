//! One module per area the user sees.
pub mod channel;
pub mod ci;
pub mod home;
pub mod not_found;
pub mod package;
pub mod search;
