//! Integration tests: the real router against a fresh PostgreSQL database per
//! test (`#[sqlx::test]` creates and migrates it). One test binary, one link.
mod support;

mod config;
mod foundation;
mod ingest;
mod openapi;
mod pages;
mod search;
