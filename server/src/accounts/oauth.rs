//! OAuth 2.0 login: the authorization code flow with PKCE (S256) and
//! `state`, against GitHub, GitLab instances and ORCID. The redirect URI is
//! exactly `{public_url}/auth/{forge}/callback`; the provider's user id (not
//! the e-mail) names the identity. Every request to a provider is bounded
//! by `accounts.provider_timeout_secs`; the client secret is never logged.
use std::time::Duration;

use oauth2::{
    basic::{BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse, BasicTokenType},
    AuthType, AuthUrl, AuthorizationCode, Client, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet,
    ExtraTokenFields, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, StandardRevocableToken,
    StandardTokenResponse, TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};

use super::config::{ProviderConfig, ProviderKind};

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("no such login provider")]
    UnknownProvider,
    #[error("the login was not allowed at the provider")]
    Denied,
    #[error("this login does not match the one started here: start again")]
    State,
    #[error("the provider did not answer as expected")]
    Provider,
    #[error("this identity is linked to another account")]
    TakenByOther,
    #[error("this account is disabled")]
    Disabled,
    #[error("the database is unavailable")]
    Db(#[from] sqlx::Error),
}

/// What the session keeps between the redirect to the provider and its callback.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pending {
    pub forge: String,
    pub state: String,
    pub verifier: String,
    /// A path of this site to return to.
    pub back: String,
}

/// Who the provider says logged in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderUser {
    pub forge: String,
    pub subject: String,
    pub handle: String,
    pub name: Option<String>,
}

/// ORCID's token answer names the person (`orcid`, `name`); others add nothing.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct Extra {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orcid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}
impl ExtraTokenFields for Extra {}

type Token = StandardTokenResponse<Extra, BasicTokenType>;
type OauthClient = Client<
    BasicErrorResponse,
    Token,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// The exact redirect URI registered with the provider.
pub fn redirect_uri(public_url: &str, forge: &str) -> String {
    format!("{}/auth/{forge}/callback", public_url.trim_end_matches('/'))
}

fn endpoints(p: &ProviderConfig) -> (String, String) {
    let base = p.base();
    match p.kind {
        ProviderKind::Github => (format!("{base}/login/oauth/authorize"), format!("{base}/login/oauth/access_token")),
        ProviderKind::Gitlab | ProviderKind::Orcid => {
            (format!("{base}/oauth/authorize"), format!("{base}/oauth/token"))
        }
    }
}

fn scopes(kind: ProviderKind) -> &'static [&'static str] {
    match kind {
        ProviderKind::Github => &["read:user"],
        ProviderKind::Gitlab => &["read_user"],
        ProviderKind::Orcid => &["/authenticate"],
    }
}

fn client(p: &ProviderConfig, public_url: &str) -> Result<OauthClient, LoginError> {
    let (auth, token) = endpoints(p);
    let bad = |_| LoginError::Provider;
    Ok(Client::new(ClientId::new(p.client_id.clone()))
        .set_client_secret(ClientSecret::new(p.secret().unwrap_or_default()))
        .set_auth_uri(AuthUrl::new(auth).map_err(bad)?)
        .set_token_uri(TokenUrl::new(token).map_err(bad)?)
        .set_redirect_uri(RedirectUrl::new(redirect_uri(public_url, &p.forge())).map_err(bad)?)
        .set_auth_type(AuthType::RequestBody))
}

/// The provider's authorization URL to send the browser to, and what to
/// keep in the session until the callback.
pub fn start(p: &ProviderConfig, public_url: &str, back: String) -> Result<(String, Pending), LoginError> {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let client = client(p, public_url)?;
    let mut request = client.authorize_url(CsrfToken::new_random).set_pkce_challenge(challenge);
    for scope in scopes(p.kind) {
        request = request.add_scope(Scope::new((*scope).to_string()));
    }
    let (url, state) = request.url();
    let pending =
        Pending { forge: p.forge(), state: state.secret().clone(), verifier: verifier.secret().clone(), back };
    Ok((url.to_string(), pending))
}

/// A client that follows no redirect and gives up after `timeout`.
pub fn http_client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(timeout)
        .timeout(timeout)
        .user_agent(concat!("pacatlas/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default()
}

/// Exchanges the callback's `code` (with the PKCE verifier) and asks the
/// provider who logged in.
pub async fn finish(
    p: &ProviderConfig,
    public_url: &str,
    http: &reqwest::Client,
    pending: &Pending,
    code: &str,
) -> Result<ProviderUser, LoginError> {
    let token = client(p, public_url)?
        .exchange_code(AuthorizationCode::new(code.to_string()))
        .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()))
        .request_async(http)
        .await
        .map_err(|e| {
            tracing::warn!(provider = %p.forge(), error = %e, "token exchange failed");
            LoginError::Provider
        })?;
    let forge = p.forge();
    match p.kind {
        ProviderKind::Orcid => {
            let extra = token.extra_fields();
            let orcid = extra.orcid.clone().filter(|o| valid_orcid(o)).ok_or(LoginError::Provider)?;
            Ok(ProviderUser { forge, subject: orcid.clone(), handle: orcid, name: extra.name.clone() })
        }
        ProviderKind::Github | ProviderKind::Gitlab => {
            let url = match p.kind {
                ProviderKind::Github => {
                    format!("{}/user", p.api_url.as_deref().unwrap_or("https://api.github.com").trim_end_matches('/'))
                }
                _ => format!("{}/api/v4/user", p.base()),
            };
            let body = http
                .get(url)
                .bearer_auth(token.access_token().secret())
                .header(reqwest::header::ACCEPT, "application/json")
                .send()
                .await
                .and_then(reqwest::Response::error_for_status)
                .map_err(|e| {
                    tracing::warn!(provider = %forge, error = %e, "user request failed");
                    LoginError::Provider
                })?
                .bytes()
                .await
                .map_err(|_| LoginError::Provider)?;
            let user: ForgeUser = serde_json::from_slice(&body).map_err(|_| LoginError::Provider)?;
            let handle = user.login.or(user.username).filter(|h| !h.is_empty() && h.len() <= 255);
            let handle = handle.ok_or(LoginError::Provider)?;
            Ok(ProviderUser { forge, subject: user.id.to_string(), handle, name: user.name.filter(|n| !n.is_empty()) })
        }
    }
}

/// GitHub's `/user` (`id`, `login`, `name`) and GitLab's `/api/v4/user` (`id`, `username`, `name`).
#[derive(Deserialize)]
struct ForgeUser {
    id: i64,
    login: Option<String>,
    username: Option<String>,
    name: Option<String>,
}

/// `0000-0002-1825-0097`: four groups of four digits, the last may be X.
pub fn valid_orcid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 9 | 14 => *c == b'-',
            18 => c.is_ascii_digit() || *c == b'X',
            _ => c.is_ascii_digit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orcid_ids() {
        assert!(valid_orcid("0000-0002-1825-0097"));
        assert!(valid_orcid("0000-0002-1694-233X"));
        assert!(!valid_orcid("0000-0002-1825-009"));
        assert!(!valid_orcid("https://orcid.org/0000-0002-1825-0097"));
    }
}
