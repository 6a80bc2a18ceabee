//! The accounts pages' port (`app::api::accounts::AccountsPort`) over PostgreSQL.
use std::sync::Arc;

use app::api::accounts as view;
use sqlx::PgPool;

use super::{audit, claims, config::AccountsConfig, config::ProviderKind, tokens, users};

pub struct PgAccounts {
    pub pool: PgPool,
    pub config: Arc<crate::config::Config>,
}

fn err(e: sqlx::Error) -> String {
    tracing::warn!(error = %e, "accounts page");
    "the database is unavailable".to_string()
}

pub fn providers(config: &AccountsConfig) -> Vec<view::Provider> {
    config
        .providers
        .iter()
        .map(|p| {
            let forge = p.forge();
            let label = match p.kind {
                ProviderKind::Github => "GitHub".to_string(),
                ProviderKind::Orcid => "ORCID".to_string(),
                ProviderKind::Gitlab => format!("GitLab ({forge})"),
            };
            view::Provider { forge, label }
        })
        .collect()
}

pub fn claim_view(c: claims::Claim) -> view::Claim {
    view::Claim {
        id: c.id,
        target: c.target,
        href: c.href,
        status: c.status,
        evidence: c.evidence,
        reason: c.reason,
        claimant: c.claimant,
        created_at: c.created_at,
        decided_at: c.decided_at,
    }
}

/// `user`'s identities (public handles and names).
pub async fn identities(pool: &PgPool, user: i64) -> sqlx::Result<Vec<view::Identity>> {
    let rows: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT forge, handle, name FROM identities WHERE user_id = $1 ORDER BY id")
            .bind(user)
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(|(forge, handle, name)| view::Identity { forge, handle, name }).collect())
}

#[async_trait::async_trait]
impl view::AccountsPort for PgAccounts {
    async fn login_page(&self, viewer: Option<view::Viewer>) -> Result<view::LoginPage, String> {
        let accounts = &self.config.accounts;
        Ok(view::LoginPage {
            providers: providers(accounts),
            dev_login: accounts.dev_login && super::config::dev_login_allowed(self.config.public_url.as_deref()),
            logged_in: viewer.is_some(),
        })
    }

    async fn account(&self, viewer: view::Viewer, new_token: Option<String>) -> Result<view::Account, String> {
        claims::expire(&self.pool, self.config.accounts.claim_expiry_days).await.map_err(err)?;
        let identities = identities(&self.pool, viewer.id).await.map_err(err)?;
        let claims = claims::of_user(&self.pool, viewer.id).await.map_err(err)?;
        let tokens = tokens::of_user(&self.pool, viewer.id).await.map_err(err)?;
        let link = providers(&self.config.accounts)
            .into_iter()
            .filter(|p| !identities.iter().any(|i| i.forge == p.forge))
            .collect();
        Ok(view::Account {
            viewer,
            identities,
            claims: claims.into_iter().map(claim_view).collect(),
            tokens: tokens
                .into_iter()
                .map(|t| view::Token {
                    id: t.id,
                    name: t.name,
                    scope: t.scope,
                    created_at: t.created_at,
                    expires_at: t.expires_at,
                    last_used_at: t.last_used_at,
                    state: t.state,
                })
                .collect(),
            new_token,
            link,
        })
    }

    async fn moderation(&self, viewer: view::Viewer) -> Result<view::Moderation, String> {
        claims::expire(&self.pool, self.config.accounts.claim_expiry_days).await.map_err(err)?;
        let pending = claims::pending(&self.pool, 200).await.map_err(err)?;
        Ok(view::Moderation { viewer, pending: pending.into_iter().map(claim_view).collect() })
    }

    async fn admin(&self, viewer: view::Viewer, audit_page: i64) -> Result<view::Admin, String> {
        let per = view::AUDIT_PER_PAGE;
        let (people, audit_total) =
            tokio::try_join!(users::list(&self.pool, 500), audit::count(&self.pool)).map_err(err)?;
        let audit_pages = ((audit_total + per - 1) / per).max(1);
        let audit_page = audit_page.clamp(1, audit_pages);
        let audit = audit::list(&self.pool, per, (audit_page - 1) * per).await.map_err(err)?;
        Ok(view::Admin {
            viewer,
            audit_page,
            audit_pages,
            audit_total,
            people: people
                .into_iter()
                .map(|p| view::Person { id: p.id, name: p.name, role: p.role, identities: p.identities })
                .collect(),
            audit: audit
                .into_iter()
                .map(|a| view::AuditEntry {
                    at: a.at,
                    actor: a.actor,
                    action: a.action,
                    target: a.target,
                    reason: a.reason,
                    demo: a.demo,
                })
                .collect(),
        })
    }
}
