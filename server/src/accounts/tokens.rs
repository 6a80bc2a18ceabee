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
    let token: Option<(i64, String, bool)> =
        sqlx::query_as("SELECT id, scope, revoked_at IS NOT NULL FROM api_tokens WHERE secret_sha256 = $1")
            .bind(digest(secret))
            .fetch_optional(pool)
            .await?;
    Ok(match token {
        None => Err(Refusal::Unauthenticated("unknown token")),
        Some((_, _, true)) => Err(Refusal::Unauthenticated("this token was revoked")),
        Some((id, scope, false)) => {
            sqlx::query("UPDATE api_tokens SET last_used_at = now() WHERE id = $1").bind(id).execute(pool).await?;
            Ok(Token { id, scope })
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
