//! Accounts (#13): people who log in through OAuth providers (`oauth`,
//! `users`), their sessions (`session`), CSRF defence (`csrf`), roles,
//! claims on packages and projects with moderation (`claims`), the audit
//! log (`audit`) and API tokens, the push APIs' and personal ones (`tokens`).
pub mod audit;
pub mod claims;
pub mod config;
pub mod csrf;
pub mod demo;
pub mod oauth;
pub mod port;
pub mod routes;
pub mod session;
pub mod tokens;
pub mod users;
