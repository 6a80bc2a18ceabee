//! People: the account a provider identity logs into (created at the first
//! login, linked when a logged-in person logs in with a second provider),
//! their role, and "log out everywhere" (`session_epoch`).
use serde::Serialize;
use sqlx::PgPool;

use super::{audit, config::AccountsConfig, oauth::LoginError, oauth::ProviderUser};

pub const ROLES: [&str; 3] = ["user", "moderator", "admin"];

/// Role rank: user < moderator < admin.
pub fn rank(role: &str) -> u8 {
    match role {
        "admin" => 2,
        "moderator" => 1,
        _ => 0,
    }
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub name: Option<String>,
    pub role: String,
    pub session_epoch: i32,
    pub disabled: bool,
}

pub async fn get(pool: &PgPool, id: i64) -> sqlx::Result<Option<User>> {
    sqlx::query_as(
        "SELECT u.id, coalesce(u.name, (SELECT handle FROM identities WHERE user_id = u.id ORDER BY id LIMIT 1)) AS name,
                u.role, u.session_epoch, u.disabled_at IS NOT NULL AS disabled
           FROM users u WHERE u.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// Logs `who` in: the account of that identity, or a new one, or (when
/// `current` is someone logged in) links the identity to `current`.
/// Configured admins become admin. Returns the user's id and session epoch.
pub async fn login(
    pool: &PgPool,
    config: &AccountsConfig,
    who: &ProviderUser,
    current: Option<i64>,
) -> Result<(i64, i32), LoginError> {
    let mut tx = pool.begin().await?;
    let known: Option<i64> = sqlx::query_scalar("SELECT user_id FROM identities WHERE forge = $1 AND subject = $2")
        .bind(&who.forge)
        .bind(&who.subject)
        .fetch_optional(&mut *tx)
        .await?;
    let user_id = match (known, current) {
        (Some(owner), Some(me)) if owner != me => return Err(LoginError::TakenByOther),
        (Some(owner), _) => {
            sqlx::query(
                "UPDATE identities SET handle = $2, name = $3, last_login_at = now() WHERE forge = $1 AND subject = $4",
            )
            .bind(&who.forge)
            .bind(&who.handle)
            .bind(&who.name)
            .bind(&who.subject)
            .execute(&mut *tx)
            .await?;
            owner
        }
        (None, current) => {
            let id = match current {
                Some(me) => me,
                None => {
                    sqlx::query_scalar("INSERT INTO users (name) VALUES ($1) RETURNING id")
                        .bind(who.name.as_deref().unwrap_or(&who.handle))
                        .fetch_one(&mut *tx)
                        .await?
                }
            };
            sqlx::query("INSERT INTO identities (user_id, forge, subject, handle, name) VALUES ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(&who.forge)
                .bind(&who.subject)
                .bind(&who.handle)
                .bind(&who.name)
                .execute(&mut *tx)
                .await?;
            id
        }
    };
    let (epoch, disabled): (i32, bool) = sqlx::query_as(
        "UPDATE users SET last_login_at = now() WHERE id = $1 RETURNING session_epoch, disabled_at IS NOT NULL",
    )
    .bind(user_id)
    .fetch_one(&mut *tx)
    .await?;
    if disabled {
        return Err(LoginError::Disabled);
    }
    if config.is_admin(&who.forge, &who.handle) {
        let promoted = sqlx::query("UPDATE users SET role = 'admin' WHERE id = $1 AND role <> 'admin'")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if promoted.rows_affected() == 1 {
            let target = format!("user:{user_id}");
            let why = format!("accounts.admins lists {}:{}", who.forge, who.handle);
            audit::record(&mut *tx, None, "role.set", &target, Some(&why), serde_json::json!({"role": "admin"}))
                .await?;
        }
    }
    tx.commit().await?;
    Ok((user_id, epoch))
}

/// Ends every session of `user`: sessions carry the epoch they were made with.
pub async fn logout_everywhere(pool: &PgPool, user: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1").bind(user).execute(pool).await?;
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum RoleError {
    #[error("unknown role: expected user, moderator or admin")]
    Unknown,
    #[error("no such user")]
    NoUser,
    #[error("an admin cannot change their own role")]
    Own,
    #[error("the database is unavailable")]
    Db(#[from] sqlx::Error),
}

/// An admin sets `user`'s role (audit-logged).
pub async fn set_role(pool: &PgPool, admin: i64, user: i64, role: &str, reason: Option<&str>) -> Result<(), RoleError> {
    if !ROLES.contains(&role) {
        return Err(RoleError::Unknown);
    }
    if admin == user {
        return Err(RoleError::Own);
    }
    let mut tx = pool.begin().await?;
    let old: Option<String> = sqlx::query_scalar("SELECT role FROM users WHERE id = $1 FOR UPDATE")
        .bind(user)
        .fetch_optional(&mut *tx)
        .await?;
    let old = old.ok_or(RoleError::NoUser)?;
    sqlx::query("UPDATE users SET role = $2 WHERE id = $1").bind(user).bind(role).execute(&mut *tx).await?;
    let detail = serde_json::json!({"from": old, "to": role});
    audit::record(&mut *tx, Some(admin), "role.set", &format!("user:{user}"), reason, detail).await?;
    tx.commit().await?;
    Ok(())
}

/// A person as the admin page lists them (public handles only).
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Listed {
    pub id: i64,
    pub name: Option<String>,
    pub role: String,
    /// `forge:handle` of each identity.
    pub identities: Vec<String>,
}

pub async fn list(pool: &PgPool, limit: i64) -> sqlx::Result<Vec<Listed>> {
    sqlx::query_as(
        "SELECT u.id, u.name, u.role,
                coalesce(array_agg(i.forge || ':' || i.handle ORDER BY i.id) FILTER (WHERE i.id IS NOT NULL), '{}') AS identities
           FROM users u LEFT JOIN identities i ON i.user_id = u.id
          GROUP BY u.id ORDER BY u.id LIMIT $1",
    )
    .bind(limit.clamp(1, 1000))
    .fetch_all(pool)
    .await
}
