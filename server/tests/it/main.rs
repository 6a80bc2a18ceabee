//! Integration tests: the real router against a fresh PostgreSQL database per
//! test (`#[sqlx::test]` creates and migrates it). One test binary, one link.
mod support;

mod accounts_authz;
mod accounts_claims;
mod accounts_fake;
mod accounts_login;
mod archival_check;
mod archival_pages;
mod builds_consistency;
mod builds_cuirass;
mod builds_gitlab;
mod builds_import_evaluations;
mod builds_import_fake;
mod builds_import_faults;
mod builds_import_resume;
mod builds_import_schedule;
mod builds_pages;
mod builds_push;
mod builds_summary;
mod config;
mod foundation;
mod guix;
mod i18n;
mod ingest;
mod ingest_edges;
mod ingest_history;
mod maintainers;
mod matrix;
mod openapi;
mod page_cache;
mod pages;
mod robustness;
mod search;
mod search_embedded;
mod search_limits;
mod search_sync;
