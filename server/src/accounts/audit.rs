//! The audit log: every decision (claims, roles, tokens), who made it, on
//! what, when and why. Shown to admins.
use serde::Serialize;
use sqlx::{PgExecutor, PgPool};

/// Writes one entry (in the caller's transaction when given one).
pub async fn record<'e>(
    db: impl PgExecutor<'e>,
    actor: Option<i64>,
    action: &str,
    target: &str,
    reason: Option<&str>,
    detail: serde_json::Value,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO audit_log (actor_id, action, target, reason, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(actor)
        .bind(action)
        .bind(target)
        .bind(reason)
        .bind(detail)
        .execute(db)
        .await?;
    Ok(())
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Entry {
    pub id: i64,
    /// RFC 3339.
    pub at: String,
    /// The actor's shown name (none for the system: expiry, configured admins).
    pub actor: Option<String>,
    pub action: String,
    pub target: String,
    pub reason: Option<String>,
    pub demo: bool,
}

/// How many entries there are.
pub async fn count(pool: &PgPool) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT count(*) FROM audit_log").fetch_one(pool).await
}

/// The newest entries first.
pub async fn list(pool: &PgPool, limit: i64, offset: i64) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as(
        "SELECT a.id, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS at,
                u.name AS actor, a.action, a.target, a.reason,
                coalesce((a.detail->>'demo')::boolean, false) AS demo
           FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
          ORDER BY a.at DESC, a.id DESC LIMIT $1 OFFSET $2",
    )
    .bind(limit.clamp(1, 500))
    .bind(offset.max(0))
    .fetch_all(pool)
    .await
}
