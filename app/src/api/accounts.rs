//! Accounts as pages show them: who is logged in (`Viewer`), their account
//! (identities, claims, tokens), the moderation queue and the admin page,
//! and the server functions pages load them with. The forms on these pages
//! are plain HTML forms posting to the server's handlers (`/auth/…`,
//! `/account/…`, `/moderation/…`, `/admin/…`): they work without
//! JavaScript. Nothing personal beyond public handles and names.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The logged-in person of a request (server: a request extension).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub id: i64,
    pub name: String,
    /// user, moderator or admin
    pub role: String,
    /// The session's CSRF token, a hidden field of every form.
    pub csrf: String,
}

impl Viewer {
    pub fn is_moderator(&self) -> bool {
        matches!(self.role.as_str(), "moderator" | "admin")
    }
    pub fn is_admin(&self) -> bool {
        self.role == "admin"
    }
}

/// The name of the logged-in person, for the header: on the server from
/// the request, in the browser from `<html data-viewer>` (written by the
/// shell), so hydration renders what the server sent.
pub fn viewer_name() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<Viewer>().map(|v| v.name.clone()))
    }
    #[cfg(not(feature = "ssr"))]
    {
        document().document_element().and_then(|root| root.get_attribute("data-viewer"))
    }
}

#[cfg(feature = "ssr")]
pub fn request_viewer() -> Option<Viewer> {
    use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<Viewer>().cloned())
}

/// The claim form for a package: `/account/claim?target=ecosystem/channel/name`.
pub fn claim_href(ecosystem: &str, channel: &str, name: &str) -> String {
    let target = format!("{ecosystem}/{channel}/{name}");
    let mut out = String::from("/account/claim?target=");
    for b in target.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A login provider of the login page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Provider {
    /// github, a GitLab host, orcid
    pub forge: String,
    /// GitHub, GitLab (gitlab.inria.fr), ORCID
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoginPage {
    pub providers: Vec<Provider>,
    /// The development login form is offered.
    pub dev_login: bool,
    pub logged_in: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Identity {
    pub forge: String,
    pub handle: String,
    pub name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Claim {
    pub id: i64,
    /// `ecosystem/channel/name` or `project:key`.
    pub target: String,
    pub href: String,
    /// pending, verified, approved, rejected, withdrawn or expired
    pub status: String,
    pub evidence: Option<String>,
    /// The moderator's reason.
    pub reason: Option<String>,
    pub claimant: Option<String>,
    pub created_at: String,
    pub decided_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Token {
    pub id: i64,
    pub name: Option<String>,
    pub scope: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    /// live, expired or revoked
    pub state: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub viewer: Viewer,
    pub identities: Vec<Identity>,
    pub claims: Vec<Claim>,
    pub tokens: Vec<Token>,
    /// A token just created: its secret, shown this once.
    pub new_token: Option<String>,
    /// Providers not linked yet.
    pub link: Vec<Provider>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    pub actor: Option<String>,
    pub action: String,
    pub target: String,
    pub reason: Option<String>,
    pub demo: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: i64,
    pub name: Option<String>,
    pub role: String,
    pub identities: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Admin {
    pub viewer: Viewer,
    pub people: Vec<Person>,
    /// One page of the audit log, newest first.
    pub audit: Vec<AuditEntry>,
    pub audit_page: i64,
    pub audit_pages: i64,
    pub audit_total: i64,
}

/// Audit entries on a page of `/admin`.
pub const AUDIT_PER_PAGE: i64 = 50;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Moderation {
    pub viewer: Viewer,
    pub pending: Vec<Claim>,
}

/// What a page may show, or why not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Gate<T> {
    Ok(T),
    /// Not logged in.
    Login,
    /// Logged in without the role.
    Forbidden,
}

/// The server side of these pages (implemented in the server crate).
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait AccountsPort: Send + Sync {
    async fn login_page(&self, viewer: Option<Viewer>) -> Result<LoginPage, String>;
    async fn account(&self, viewer: Viewer, new_token: Option<String>) -> Result<Account, String>;
    async fn moderation(&self, viewer: Viewer) -> Result<Moderation, String>;
    /// `audit_page`: the audit log's page, from 1 (past the last: the last).
    async fn admin(&self, viewer: Viewer, audit_page: i64) -> Result<Admin, String>;
}

#[cfg(feature = "ssr")]
fn port() -> Result<std::sync::Arc<dyn AccountsPort>, ServerFnError> {
    use_context::<std::sync::Arc<dyn AccountsPort>>().ok_or_else(|| ServerFnError::new("accounts unavailable"))
}

#[server(prefix = "/fn", endpoint = "login_page")]
pub async fn get_login_page() -> Result<LoginPage, ServerFnError> {
    port()?.login_page(request_viewer()).await.map_err(ServerFnError::new)
}

#[server(prefix = "/fn", endpoint = "account")]
pub async fn get_account() -> Result<Gate<Account>, ServerFnError> {
    let Some(viewer) = request_viewer() else { return Ok(Gate::Login) };
    // A token created by the form just before: the server's session layer
    // hands it over once, as a request extension.
    let new_token =
        use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<NewToken>().map(|t| t.0.clone()));
    Ok(Gate::Ok(port()?.account(viewer, new_token).await.map_err(ServerFnError::new)?))
}

#[server(prefix = "/fn", endpoint = "moderation")]
pub async fn get_moderation() -> Result<Gate<Moderation>, ServerFnError> {
    match request_viewer() {
        None => Ok(Gate::Login),
        Some(v) if !v.is_moderator() => Ok(Gate::Forbidden),
        Some(v) => Ok(Gate::Ok(port()?.moderation(v).await.map_err(ServerFnError::new)?)),
    }
}

#[server(prefix = "/fn", endpoint = "admin")]
pub async fn get_admin(page: i64) -> Result<Gate<Admin>, ServerFnError> {
    match request_viewer() {
        None => Ok(Gate::Login),
        Some(v) if !v.is_admin() => Ok(Gate::Forbidden),
        Some(v) => Ok(Gate::Ok(port()?.admin(v, page.clamp(1, 1_000_000)).await.map_err(ServerFnError::new)?)),
    }
}

/// A new token's secret, handed from the session to the account page once.
#[derive(Clone, Debug)]
pub struct NewToken(pub String);
