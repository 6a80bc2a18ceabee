//! The demo's claimant: a made-up person ("Demo maintainer", GitHub handle
//! `pacatlas-demo`, an identity no OAuth login can reach: its subject is
//! `demo:pacatlas-demo`) whose claim on the hdf5 project a moderator
//! approved (the reason says it is demo data). Through it the demo shows a
//! claimant on package pages and a maintainer page with every kind of inbox
//! item: Guix hdf5 fails in the demo CI, has a source Software Heritage
//! lacks in the demo archival results, and is older (1.12.1) than Spack's.
//! The declared maintainers come from the real Spack metadata (balay's
//! petsc fails in the demo CI). Loading twice writes nothing.
use sqlx::PgPool;

/// The demo identity's subject (never a provider's user id).
pub const SUBJECT: &str = "demo:pacatlas-demo";
pub const HANDLE: &str = "pacatlas-demo";
/// The project claimed.
const PROJECT: &str = "hdf5";

/// Writes the demo claimant; returns how many claims were written (0 when
/// already there, or when the demo catalog has no hdf5 project).
pub async fn load(pool: &PgPool) -> sqlx::Result<u64> {
    let mut tx = pool.begin().await?;
    let user: Option<i64> =
        sqlx::query_scalar("SELECT user_id FROM identities WHERE forge = 'github' AND subject = $1")
            .bind(SUBJECT)
            .fetch_optional(&mut *tx)
            .await?;
    let user = match user {
        Some(u) => u,
        None => {
            let u: i64 = sqlx::query_scalar("INSERT INTO users (name) VALUES ('Demo maintainer') RETURNING id")
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO identities (user_id, forge, subject, handle, name)
                 VALUES ($1, 'github', $2, $3, 'Demo maintainer')",
            )
            .bind(u)
            .bind(SUBJECT)
            .bind(HANDLE)
            .execute(&mut *tx)
            .await?;
            u
        }
    };
    let written = sqlx::query(
        "INSERT INTO claims (user_id, project_id, status, evidence, reason, decided_at)
         SELECT $1, p.id, 'approved', 'Demo data: made up by pacatlas demo.', 'Demo data: approved by pacatlas demo.', now()
         FROM projects p
         WHERE p.key = $2
           AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.user_id = $1 AND c.project_id = p.id)",
    )
    .bind(user)
    .bind(PROJECT)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(written)
}
