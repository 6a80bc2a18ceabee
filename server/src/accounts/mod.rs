//! Who may write: API tokens (the push API's bearer tokens).
pub mod tokens;
