//! API tokens: `pacatlas token create --scope ci:SERVICE` prints a secret
//! once; only its sha256 is stored, so a stolen database holds no usable
//! token. Secrets are never logged.
use sha2::{Digest, Sha256};
use sqlx::PgPool;

/// What a secret starts with, so a leaked one is recognisable.
pub const PREFIX: &str = "pacatlas_";

/// A scope a token may be given: `ci:SERVICE` (push results for that CI
/// service) or `site:SITE` (attest what works on that HPC site's machines).
pub fn valid_scope(scope: &str) -> bool {
    scope.strip_prefix("ci:").or_else(|| scope.strip_prefix("site:")).is_some_and(|name| {
        !name.is_empty()
            && name.len() <= 63
            && name.bytes().next().is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'))
    })
}

fn digest(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// A new random secret: 244 random bits (two v4 UUIDs from the OS generator).
fn new_secret() -> String {
    format!("{PREFIX}{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

pub struct Created {
    pub id: i64,
    /// Shown once to whoever created it; not stored.
    pub secret: String,
}

/// Creates a token of `scope`; the scope's CI service must exist.
pub async fn create(pool: &PgPool, scope: &str) -> anyhow::Result<Created> {
    if !valid_scope(scope) {
        anyhow::bail!(
            "invalid scope {scope:?}: expected ci:SERVICE or site:SITE (lower-case letters, digits, '.', '_', '-')"
        );
    }
    if let Some(site) = scope.strip_prefix("site:") {
        let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sites WHERE name = $1)")
            .bind(site)
            .fetch_one(pool)
            .await?;
        if !exists {
            anyhow::bail!("no site named {site:?}: load it first (pacatlas sites load FILE)");
        }
    } else {
        let service = &scope["ci:".len()..];
        let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM ci_services WHERE name = $1)")
            .bind(service)
            .fetch_one(pool)
            .await?;
        if !exists {
            anyhow::bail!("no CI service named {service:?}: add it first (pacatlas ci service add)");
        }
    }
    let secret = new_secret();
    let id: i64 = sqlx::query_scalar("INSERT INTO api_tokens (scope, secret_sha256) VALUES ($1, $2) RETURNING id")
        .bind(scope)
        .bind(digest(&secret))
        .fetch_one(pool)
        .await?;
    Ok(Created { id, secret })
}

/// Revokes token `id`; false when there is no such token or it was revoked already.
pub async fn revoke(pool: &PgPool, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A token that authenticated a request.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Token {
    pub id: i64,
    pub scope: String,
    /// The person a personal token belongs to.
    pub user_id: Option<i64>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No bearer token, or one that is unknown or revoked: 401.
    Unauthenticated(&'static str),
    /// A valid token without the scope the request needs: 403.
    Forbidden,
}

/// The token of an `Authorization: Bearer …` header value, if it is a live one.
pub async fn authenticate(pool: &PgPool, authorization: Option<&str>) -> Result<Result<Token, Refusal>, sqlx::Error> {
    let Some(value) = authorization else {
        return Ok(Err(Refusal::Unauthenticated("an Authorization: Bearer token is required")));
    };
    let Some(secret) = value.strip_prefix("Bearer ").map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(Err(Refusal::Unauthenticated("the Authorization header must be: Bearer <token>")));
    };
    let token: Option<(i64, String, bool, bool, Option<i64>)> = sqlx::query_as(
        "SELECT id, scope, revoked_at IS NOT NULL, expires_at IS NOT NULL AND expires_at <= now(), user_id
           FROM api_tokens WHERE secret_sha256 = $1",
    )
    .bind(digest(secret))
    .fetch_optional(pool)
    .await?;
    Ok(match token {
        None => Err(Refusal::Unauthenticated("unknown token")),
        Some((_, _, true, _, _)) => Err(Refusal::Unauthenticated("this token was revoked")),
        Some((_, _, _, true, _)) => Err(Refusal::Unauthenticated("this token has expired")),
        Some((id, scope, false, false, user_id)) => {
            sqlx::query("UPDATE api_tokens SET last_used_at = now() WHERE id = $1").bind(id).execute(pool).await?;
            Ok(Token { id, scope, user_id })
        }
    })
}

impl Token {
    /// Whether this token may push results of CI service `service`.
    pub fn allows_ci(&self, service: &str) -> bool {
        self.scope.strip_prefix("ci:") == Some(service)
    }

    /// Whether this token may attest what works on the machines of site `site`.
    pub fn allows_site(&self, site: &str) -> bool {
        self.scope.strip_prefix("site:") == Some(site)
    }
}

/// Scopes a person may give their own tokens (`admin:sites`: only an admin,
/// and the token works only while its owner is one).
pub const PERSONAL_SCOPES: [&str; 2] = ["account:read", "admin:sites"];

/// A personal token: `name`, `scope` (see `PERSONAL_SCOPES`), valid for
/// `days` days (1 to 366). Audit-logged; the secret is shown once.
pub async fn create_personal(pool: &PgPool, user: i64, name: &str, scope: &str, days: i64) -> anyhow::Result<Created> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        anyhow::bail!("a token needs a name of 1 to 100 characters");
    }
    if !PERSONAL_SCOPES.contains(&scope) {
        anyhow::bail!("unknown scope {scope:?}: expected one of {}", PERSONAL_SCOPES.join(", "));
    }
    if !(1..=366).contains(&days) {
        anyhow::bail!("a token lives 1 to 366 days");
    }
    if scope == "admin:sites" {
        let role: Option<String> =
            sqlx::query_scalar("SELECT role FROM users WHERE id = $1").bind(user).fetch_optional(pool).await?;
        if role.as_deref() != Some("admin") {
            anyhow::bail!("only an admin may create a token of scope admin:sites");
        }
    }
    let secret = new_secret();
    let mut tx = pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO api_tokens (scope, secret_sha256, user_id, name, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(days => $5)) RETURNING id",
    )
    .bind(scope)
    .bind(digest(&secret))
    .bind(user)
    .bind(name)
    .bind(days as i32)
    .fetch_one(&mut *tx)
    .await?;
    let detail = serde_json::json!({"scope": scope, "days": days});
    super::audit::record(&mut *tx, Some(user), "token.created", &format!("token:{id}"), None, detail).await?;
    tx.commit().await?;
    Ok(Created { id, secret })
}

/// A personal token as its owner sees it (never the secret).
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct Personal {
    pub id: i64,
    pub name: Option<String>,
    pub scope: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    /// live, expired or revoked
    pub state: String,
}

pub async fn of_user(pool: &PgPool, user: i64) -> sqlx::Result<Vec<Personal>> {
    sqlx::query_as(
        "SELECT id, name, scope,
                to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at,
                to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS expires_at,
                to_char(last_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS last_used_at,
                CASE WHEN revoked_at IS NOT NULL THEN 'revoked'
                     WHEN expires_at <= now() THEN 'expired' ELSE 'live' END AS state
           FROM api_tokens WHERE user_id = $1 ORDER BY id DESC LIMIT 200",
    )
    .bind(user)
    .fetch_all(pool)
    .await
}

/// Revokes `user`'s token `id`; false when it is not theirs or revoked already.
pub async fn revoke_personal(pool: &PgPool, user: i64, id: i64) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let done =
        sqlx::query("UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL")
            .bind(id)
            .bind(user)
            .execute(&mut *tx)
            .await?;
    if done.rows_affected() == 1 {
        super::audit::record(
            &mut *tx,
            Some(user),
            "token.revoked",
            &format!("token:{id}"),
            None,
            serde_json::json!({}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_ci_services() {
        assert!(valid_scope("ci:guix-berlin"));
        assert!(valid_scope("ci:hydra.nixos"));
        assert!(!valid_scope("ci:"));
        assert!(!valid_scope("ci:Guix"));
        assert!(!valid_scope("admin"));
        assert!(!valid_scope("ci:-x"));
        assert!(valid_scope("site:cines"));
        assert!(!valid_scope("site:"));
        assert!(!valid_scope("sites:cines"));
    }

    #[test]
    fn secrets_are_random_and_hashed() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert!(a.starts_with(PREFIX) && a.len() == PREFIX.len() + 64);
        assert_eq!(digest(&a).len(), 32);
        assert_ne!(digest(&a), digest(&b));
    }
}
