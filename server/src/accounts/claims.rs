//! Claims: a logged-in person says they look after a package, or a whole
//! project. Verified at once when one of their identities is a maintainer
//! the channel declares for it (same forge, handle equal ignoring case; for
//! a project, of any of its packages); otherwise pending, with the
//! person's evidence, until a moderator approves or rejects it with a
//! reason. A claim never removes a declared maintainer. Claims expire when
//! their owner has not logged in for `accounts.claim_expiry_days`. Every
//! decision goes to the audit log.
use serde::Serialize;
use sqlx::PgPool;

use super::audit;

#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    #[error("no such package or project")]
    NoTarget,
    #[error("you have an open claim on it already")]
    Duplicate,
    #[error("no such claim, or it is not open")]
    NoClaim,
    #[error("a rejection needs a reason")]
    ReasonNeeded,
    #[error("the text is too long (at most 4000 characters)")]
    TooLong,
    #[error("the database is unavailable")]
    Db(#[from] sqlx::Error),
}

/// What is claimed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// `ecosystem/channel/name`.
    Package { ecosystem: String, channel: String, name: String },
    /// A project's key.
    Project(String),
}

impl Target {
    /// `spack/builtin/hdf5` is a package, `project:hdf5` a project.
    pub fn parse(s: &str) -> Option<Target> {
        let s = s.trim();
        if let Some(key) = s.strip_prefix("project:") {
            return (!key.is_empty() && key.len() <= 255).then(|| Target::Project(key.to_string()));
        }
        let mut parts = s.splitn(3, '/');
        let (e, c, n) = (parts.next()?, parts.next()?, parts.next()?);
        (!e.is_empty() && !c.is_empty() && !n.is_empty() && n.len() <= 255).then(|| Target::Package {
            ecosystem: e.to_string(),
            channel: c.to_string(),
            name: n.to_string(),
        })
    }
}

/// Claims `target` for `user`: verified or pending. Returns the claim id and status.
pub async fn create(pool: &PgPool, user: i64, target: &Target, evidence: &str) -> Result<(i64, String), ClaimError> {
    if evidence.chars().count() > 4000 {
        return Err(ClaimError::TooLong);
    }
    let (package, project): (Option<i64>, Option<i64>) = match target {
        Target::Package { ecosystem, channel, name } => {
            let id: Option<i64> = sqlx::query_scalar(
                "SELECT p.id FROM packages p JOIN channels c ON c.id = p.channel_id
                  WHERE c.ecosystem = $1 AND c.name = $2 AND p.name = $3",
            )
            .bind(ecosystem)
            .bind(channel)
            .bind(name)
            .fetch_optional(pool)
            .await?;
            (Some(id.ok_or(ClaimError::NoTarget)?), None)
        }
        Target::Project(key) => {
            let id: Option<i64> =
                sqlx::query_scalar("SELECT id FROM projects WHERE key = $1").bind(key).fetch_optional(pool).await?;
            (None, Some(id.ok_or(ClaimError::NoTarget)?))
        }
    };
    let mut tx = pool.begin().await?;
    // A declared maintainer of the package, or of any package of the project.
    let declared: bool = sqlx::query_scalar(
        "SELECT EXISTS (
            SELECT 1 FROM packages p
              JOIN package_maintainers pm ON pm.package_id = p.id
              JOIN maintainers m ON m.id = pm.maintainer_id
              JOIN identities i ON i.forge = m.forge AND lower(i.handle) = lower(m.handle)
             WHERE i.user_id = $1 AND (p.id = $2 OR p.project_id = $3))",
    )
    .bind(user)
    .bind(package)
    .bind(project)
    .fetch_one(&mut *tx)
    .await?;
    let status = if declared { "verified" } else { "pending" };
    let evidence = Some(evidence.trim()).filter(|e| !e.is_empty());
    let inserted: Result<i64, sqlx::Error> = sqlx::query_scalar(
        "INSERT INTO claims (user_id, package_id, project_id, status, evidence, decided_at)
         VALUES ($1, $2, $3, $4, $5, CASE WHEN $4 = 'verified' THEN now() END) RETURNING id",
    )
    .bind(user)
    .bind(package)
    .bind(project)
    .bind(status)
    .bind(evidence)
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Err(ClaimError::Duplicate),
        Err(e) => return Err(e.into()),
    };
    let action = if declared { "claim.verified" } else { "claim.created" };
    let why = declared.then_some("an identity matches a declared maintainer");
    audit::record(&mut *tx, Some(user), action, &format!("claim:{id}"), why, serde_json::json!({})).await?;
    tx.commit().await?;
    Ok((id, status.to_string()))
}

/// The claimant steps down (or takes back a pending claim).
pub async fn withdraw(pool: &PgPool, user: i64, claim: i64) -> Result<(), ClaimError> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query(
        "UPDATE claims SET status = 'withdrawn', decided_at = now()
          WHERE id = $1 AND user_id = $2 AND status IN ('pending', 'verified', 'approved')",
    )
    .bind(claim)
    .bind(user)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(ClaimError::NoClaim);
    }
    audit::record(&mut *tx, Some(user), "claim.withdrawn", &format!("claim:{claim}"), None, serde_json::json!({}))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A moderator approves or rejects a pending claim (a rejection needs a reason).
pub async fn decide(pool: &PgPool, moderator: i64, claim: i64, approve: bool, reason: &str) -> Result<(), ClaimError> {
    let reason = reason.trim();
    if !approve && reason.is_empty() {
        return Err(ClaimError::ReasonNeeded);
    }
    if reason.chars().count() > 4000 {
        return Err(ClaimError::TooLong);
    }
    let reason = Some(reason).filter(|r| !r.is_empty());
    let status = if approve { "approved" } else { "rejected" };
    let mut tx = pool.begin().await?;
    let done = sqlx::query(
        "UPDATE claims SET status = $2, reason = $3, decided_by = $4, decided_at = now()
          WHERE id = $1 AND status = 'pending'",
    )
    .bind(claim)
    .bind(status)
    .bind(reason)
    .bind(moderator)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(ClaimError::NoClaim);
    }
    let action = format!("claim.{status}");
    audit::record(&mut *tx, Some(moderator), &action, &format!("claim:{claim}"), reason, serde_json::json!({})).await?;
    tx.commit().await?;
    Ok(())
}

/// Expires the open claims of people who have not logged in for `days` days (0: never).
pub async fn expire(pool: &PgPool, days: u64) -> sqlx::Result<u64> {
    if days == 0 {
        return Ok(0);
    }
    let done = sqlx::query(
        "WITH expired AS (
            UPDATE claims c SET status = 'expired', decided_at = now()
              FROM users u
             WHERE u.id = c.user_id AND c.status IN ('pending', 'verified', 'approved')
               AND u.last_login_at < now() - make_interval(days => $1)
            RETURNING c.id)
         INSERT INTO audit_log (actor_id, action, target, reason)
         SELECT NULL, 'claim.expired', 'claim:' || id, 'no login for ' || $1 || ' days' FROM expired",
    )
    .bind(days.min(100_000) as i32)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// Expires claims every `every` (`serve` starts it).
pub fn spawn_expiry(pool: PgPool, days: u64, every: std::time::Duration) {
    if days == 0 {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match tokio::time::timeout(std::time::Duration::from_secs(60), expire(&pool, days)).await {
                Ok(Ok(n)) if n > 0 => tracing::info!(expired = n, "claims expired"),
                Ok(Err(e)) => tracing::warn!(error = %e, "claims not expired"),
                _ => {}
            }
        }
    });
}

/// A claim as its owner, moderators and the JSON see it.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Claim {
    pub id: i64,
    /// `ecosystem/channel/name` or `project:key`.
    pub target: String,
    /// The package page or the project's search.
    pub href: String,
    pub status: String,
    pub evidence: Option<String>,
    pub reason: Option<String>,
    /// The claimant's shown name.
    pub claimant: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    pub decided_at: Option<String>,
}

const SELECT: &str = "SELECT c.id,
        coalesce(ch.ecosystem || '/' || ch.name || '/' || p.name, 'project:' || pr.key) AS target,
        coalesce('/packages/' || ch.ecosystem || '/' || ch.name || '/' || p.name, '/search?q=' || pr.key) AS href,
        c.status, c.evidence, c.reason, u.name AS claimant,
        to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at,
        to_char(c.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS decided_at
   FROM claims c JOIN users u ON u.id = c.user_id
   LEFT JOIN packages p ON p.id = c.package_id LEFT JOIN channels ch ON ch.id = p.channel_id
   LEFT JOIN projects pr ON pr.id = c.project_id";

/// `user`'s claims, newest first.
pub async fn of_user(pool: &PgPool, user: i64) -> sqlx::Result<Vec<Claim>> {
    sqlx::query_as(&format!("{SELECT} WHERE c.user_id = $1 ORDER BY c.created_at DESC, c.id DESC LIMIT 500"))
        .bind(user)
        .fetch_all(pool)
        .await
}

/// The moderation queue: pending claims, oldest first.
pub async fn pending(pool: &PgPool, limit: i64) -> sqlx::Result<Vec<Claim>> {
    sqlx::query_as(&format!("{SELECT} WHERE c.status = 'pending' ORDER BY c.created_at, c.id LIMIT $1"))
        .bind(limit.clamp(1, 500))
        .fetch_all(pool)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(
            Target::parse("spack/builtin/py-numpy"),
            Some(Target::Package { ecosystem: "spack".into(), channel: "builtin".into(), name: "py-numpy".into() })
        );
        assert_eq!(Target::parse("nix/nixpkgs/python3Packages.numpy").map(|_| ()), Some(()));
        assert_eq!(Target::parse("project:hdf5"), Some(Target::Project("hdf5".into())));
        assert_eq!(Target::parse("spack/builtin"), None);
        assert_eq!(Target::parse("project:"), None);
    }
}
