//! Where each polling importer stopped, in `ci_import_state.cursor`: one
//! JSON object per service, each way of walking a service keeping its own
//! keys (`stoptime`/`id` for latest builds, `evaluation` for the evaluation
//! walk, `pipeline` for GitLab), so switching between them loses nothing.
use serde_json::Value;
use sqlx::{PgPool, Postgres, Transaction};

/// The stored cursor of `service_id`, if it has one.
pub async fn load(pool: &PgPool, service_id: i64) -> sqlx::Result<Option<Value>> {
    sqlx::query_scalar("SELECT cursor FROM ci_import_state WHERE service_id = $1")
        .bind(service_id)
        .fetch_optional(pool)
        .await
}

/// Sets the keys of `patch` (a JSON object) in the cursor of `service_id`,
/// keeping its other keys; part of the transaction that wrote the rows.
pub async fn save(tx: &mut Transaction<'_, Postgres>, service_id: i64, patch: &Value) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO ci_import_state (service_id, cursor) VALUES ($1, $2)
         ON CONFLICT (service_id) DO UPDATE SET cursor = ci_import_state.cursor || EXCLUDED.cursor, updated_at = now()",
    )
    .bind(service_id)
    .bind(patch)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
