//! `[accounts]`: the OAuth providers people log in with, the first admins,
//! session and claim lifetimes, and the development login.
use serde::{Deserialize, Serialize};

use crate::config::Secret;

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AccountsConfig {
    /// `[[accounts.providers]]`: GitHub, GitLab instances, ORCID.
    #[serde(default)]
    pub providers: Vec<ProviderConfig>,
    /// `forge:handle` of people made admin when they log in (`github:octocat`).
    #[serde(default)]
    pub admins: Vec<String>,
    /// Hours a session lives without being used.
    #[serde(default = "default_session_hours")]
    pub session_hours: u64,
    /// Days without a login after which a person's claims expire (0: never).
    #[serde(default = "default_claim_expiry_days")]
    pub claim_expiry_days: u64,
    /// Seconds one request to a provider may take.
    #[serde(default = "default_provider_timeout")]
    pub provider_timeout_secs: u64,
    /// A login form without a provider (any GitHub handle): only allowed
    /// when `public_url` is http://127.0.0.1 or http://localhost.
    #[serde(default)]
    pub dev_login: bool,
}

fn default_session_hours() -> u64 {
    24 * 14
}
fn default_claim_expiry_days() -> u64 {
    365
}
fn default_provider_timeout() -> u64 {
    10
}

impl Default for AccountsConfig {
    fn default() -> Self {
        Self {
            providers: Vec::new(),
            admins: Vec::new(),
            session_hours: default_session_hours(),
            claim_expiry_days: default_claim_expiry_days(),
            provider_timeout_secs: default_provider_timeout(),
            dev_login: false,
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    Github,
    Gitlab,
    Orcid,
}

/// One OAuth provider. The client secret comes from the file
/// (`client_secret`) or from the environment variable `client_secret_env`
/// names; it is never logged.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    pub kind: ProviderKind,
    /// Web address: https://github.com, https://gitlab.inria.fr, https://orcid.org.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// GitHub's API root (default https://api.github.com).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
    pub client_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret_env: Option<String>,
}

impl ProviderConfig {
    pub fn base(&self) -> String {
        let default = match self.kind {
            ProviderKind::Github => "https://github.com",
            ProviderKind::Gitlab => "https://gitlab.com",
            ProviderKind::Orcid => "https://orcid.org",
        };
        self.base_url.as_deref().unwrap_or(default).trim_end_matches('/').to_string()
    }

    /// The word identities and maintainers use: `github`, the GitLab host, `orcid`.
    pub fn forge(&self) -> String {
        match self.kind {
            ProviderKind::Github => "github".into(),
            ProviderKind::Orcid => "orcid".into(),
            ProviderKind::Gitlab => url::Url::parse(&self.base())
                .ok()
                .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
                .unwrap_or_else(|| "gitlab.com".into()),
        }
    }

    pub fn secret(&self) -> Option<String> {
        if let Some(s) = &self.client_secret {
            return Some(s.expose().to_string());
        }
        self.client_secret_env.as_deref().and_then(|var| std::env::var(var).ok()).filter(|s| !s.is_empty())
    }
}

impl AccountsConfig {
    pub fn provider(&self, forge: &str) -> Option<&ProviderConfig> {
        self.providers.iter().find(|p| p.forge() == forge)
    }

    /// Whether `forge:handle` is a configured admin.
    pub fn is_admin(&self, forge: &str, handle: &str) -> bool {
        self.admins.iter().any(|a| a.split_once(':').is_some_and(|(f, h)| f == forge && h.eq_ignore_ascii_case(handle)))
    }

    /// Checks what serde cannot; the error names the key.
    pub fn validate(&self, public_url: Option<&str>) -> Result<(), String> {
        let mut forges = std::collections::HashSet::new();
        for (i, p) in self.providers.iter().enumerate() {
            let key = |k: &str| format!("key `accounts.providers[{i}].{k}`");
            for url in [p.base_url.as_deref(), p.api_url.as_deref()].into_iter().flatten() {
                if !(url.starts_with("http://") || url.starts_with("https://")) || url::Url::parse(url).is_err() {
                    return Err(format!("{}: {url:?} is not an http(s) URL", key("base_url")));
                }
            }
            if p.client_id.trim().is_empty() {
                return Err(format!("{}: must not be empty", key("client_id")));
            }
            if p.secret().is_none() {
                return Err(format!(
                    "{}: no client secret (set client_secret or the variable client_secret_env names)",
                    key("client_secret")
                ));
            }
            if !forges.insert(p.forge()) {
                return Err(format!("{}: provider {} is configured twice", key("base_url"), p.forge()));
            }
        }
        if !self.providers.is_empty() && public_url.is_none() {
            return Err("key `public_url` is needed with accounts.providers: redirect URIs are made from it".into());
        }
        for admin in &self.admins {
            if !admin.split_once(':').is_some_and(|(f, h)| !f.is_empty() && !h.is_empty()) {
                return Err(format!("key `accounts.admins`: {admin:?} must be forge:handle, e.g. github:octocat"));
            }
        }
        if self.session_hours == 0 {
            return Err("key `accounts.session_hours` must be at least 1".into());
        }
        if self.provider_timeout_secs == 0 {
            return Err("key `accounts.provider_timeout_secs` must be at least 1".into());
        }
        if self.dev_login && !dev_login_allowed(public_url) {
            return Err(
                "key `accounts.dev_login` is only allowed when public_url is http://127.0.0.1 or http://localhost"
                    .into(),
            );
        }
        Ok(())
    }
}

/// The development login is for a portal on this machine only.
pub fn dev_login_allowed(public_url: Option<&str>) -> bool {
    public_url.and_then(|u| url::Url::parse(u).ok()).is_some_and(|u| {
        u.scheme() == "http" && matches!(u.host_str(), Some("127.0.0.1") | Some("localhost") | Some("[::1]"))
    })
}
