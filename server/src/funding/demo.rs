//! The demo's funders and sponsorships: made-up funders named "Demo …"
//! (flagged `demo`, labelled demo on every page) whose amounts are invented
//! and say so in their note. They fund a project (hdf5), a package (Spack
//! petsc), a maintainer (the demo claimant when the catalog declares it,
//! else a declared Spack maintainer), a demo CI service (in kind) and
//! Software Heritage, in EUR and USD, with one sponsorship ended. A target
//! the catalog lacks is skipped. Loading twice writes nothing.
use sqlx::PgPool;

use super::model::{FunderInput, SponsorshipInput};
use super::write::{self, WriteError};

const NOTE: &str = "Demo data: funder and amount invented.";

fn funder(slug: &str, name: &str, kind: &str, country: &str, description: &str) -> FunderInput {
    FunderInput {
        slug: slug.into(),
        name: name.into(),
        kind: kind.into(),
        country: country.into(),
        url: String::new(),
        description: description.into(),
    }
}

fn money(funder: &str, target: &str, amount: &str, currency: &str, starts: &str, ends: &str) -> SponsorshipInput {
    SponsorshipInput {
        funder: funder.into(),
        target: target.into(),
        amount: amount.into(),
        currency: currency.into(),
        starts_on: starts.into(),
        ends_on: ends.into(),
        note: NOTE.into(),
        ..Default::default()
    }
}

/// Loads the demo funding; returns how many sponsorships were written.
pub async fn load(pool: &PgPool) -> anyhow::Result<u64> {
    let there: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM funders WHERE slug = 'demo-hpc-foundation')")
        .fetch_one(pool)
        .await?;
    if there {
        return Ok(0);
    }
    for f in [
        funder(
            "demo-hpc-foundation",
            "Demo Foundation for HPC Software",
            "foundation",
            "US",
            "A made-up foundation of the demo data set: it does not exist and its amounts are invented.",
        ),
        funder(
            "demo-eu-programme",
            "Demo European Research Programme",
            "agency",
            "EU",
            "A made-up public programme of the demo data set: its grants are invented.",
        ),
        funder(
            "demo-solver-consortium",
            "Demo Solver Consortium",
            "consortium",
            "FR",
            "A made-up consortium of the demo data set: its members and fees are invented.",
        ),
    ] {
        write::create_funder(pool, None, &f, true).await?;
    }
    let declared: Option<String> = sqlx::query_scalar(
        "SELECT handle FROM maintainers WHERE forge = 'github' AND lower(handle) IN ('pacatlas-demo', 'balay')
         ORDER BY lower(handle) = 'pacatlas-demo' DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    let mut rows = vec![
        money("demo-hpc-foundation", "project:hdf5", "120000", "USD", "2025-01-01", ""),
        money("demo-hpc-foundation", "package:spack/builtin/petsc", "45000.50", "USD", "2026-03-01", "2027-02-28"),
        money("demo-eu-programme", "infrastructure:software-heritage", "250000", "EUR", "2024-09-01", "2027-08-31"),
        money("demo-eu-programme", "package:guix/guix/openmpi", "80000", "EUR", "2022-01-01", "2023-12-31"),
        money("demo-solver-consortium", "project:petsc", "15000", "EUR", "2026-01-01", ""),
        SponsorshipInput {
            funder: "demo-solver-consortium".into(),
            target: "infrastructure:ci-service:demo-cuirass".into(),
            in_kind: "true".into(),
            starts_on: "2025-06-01".into(),
            note: "Demo data: build machines lent (invented).".into(),
            ..Default::default()
        },
    ];
    if let Some(handle) = declared {
        rows.push(money(
            "demo-solver-consortium",
            &format!("maintainer:github:{handle}"),
            "6000",
            "EUR",
            "2026-01-01",
            "2026-12-31",
        ));
    }
    let mut written = 0;
    for r in rows {
        match write::create_sponsorship(pool, None, &r, true).await {
            Ok(_) => written += 1,
            Err(WriteError::Field(e)) => tracing::info!(target = %r.target, error = %e, "demo sponsorship skipped"),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(written)
}
