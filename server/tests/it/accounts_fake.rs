//! A fake OAuth provider on 127.0.0.1:0, in each provider's shape:
//! GitHub (`/login/oauth/authorize`, `/login/oauth/access_token`, API
//! `/user`), GitLab (`/oauth/authorize`, `/oauth/token`, `/api/v4/user`)
//! and ORCID (`/oauth/authorize`, `/oauth/token` answering `orcid` and
//! `name`). It checks what a real one checks: the client, the exact
//! redirect URI, the PKCE verifier against the S256 challenge, codes used
//! once. `authorize?…&login=HANDLE` says who logs in; `&decision=deny`
//! refuses consent. And a small cookie-keeping client for the router.
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use axum::{
    body::Body,
    extract::{Query, State},
    http::{HeaderMap, Request, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Form, Json, Router,
};
use base64::Engine;
use http_body_util::BodyExt;
use pacatlas::accounts::config::{AccountsConfig, ProviderConfig, ProviderKind};
use sha2::{Digest, Sha256};
use tower::ServiceExt;

pub const CLIENT_ID: &str = "pacatlas-test";
pub const CLIENT_SECRET: &str = "s3cret-never-logged";
pub const PUBLIC_URL: &str = "http://pacatlas.test";

struct Grant {
    redirect_uri: String,
    challenge: String,
    login: String,
}

#[derive(Default)]
pub struct Fake {
    codes: Mutex<HashMap<String, Grant>>,
    used: Mutex<Vec<String>>,
    tokens: Mutex<HashMap<String, String>>,
    /// Verifiers the token endpoint received (tests check PKCE was sent).
    pub verifiers: Mutex<Vec<String>>,
    /// The token endpoint fails (500) while set.
    pub broken: std::sync::atomic::AtomicBool,
}

pub struct Running {
    pub url: String,
    pub fake: Arc<Fake>,
    pub kind: ProviderKind,
}

/// A stable numeric id per handle, as providers have.
fn user_id(login: &str) -> i64 {
    login.bytes().fold(7i64, |h, b| (h * 31 + i64::from(b)) % 1_000_000_007)
}

/// An ORCID iD for a handle (or the handle when it is one).
pub fn orcid_of(login: &str) -> String {
    if pacatlas::accounts::oauth::valid_orcid(login) {
        return login.to_string();
    }
    let n = user_id(login) % 10_000_000;
    format!("0000-0002-{:04}-{:04}", n / 10_000 % 10_000, n % 10_000)
}

pub async fn start(kind: ProviderKind) -> Running {
    let fake = Arc::new(Fake::default());
    let (authorize, token) = match kind {
        ProviderKind::Github => ("/login/oauth/authorize", "/login/oauth/access_token"),
        _ => ("/oauth/authorize", "/oauth/token"),
    };
    let router = Router::new()
        .route(authorize, get(authorize_handler))
        .route(token, post(token_handler))
        .route("/user", get(user_handler))
        .route("/api/v4/user", get(user_handler))
        .with_state((fake.clone(), kind));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    Running { url, fake, kind }
}

impl Running {
    pub fn provider(&self) -> ProviderConfig {
        ProviderConfig {
            kind: self.kind,
            base_url: Some(self.url.clone()),
            api_url: (self.kind == ProviderKind::Github).then(|| self.url.clone()),
            client_id: CLIENT_ID.into(),
            client_secret: Some(serde_json::from_value(serde_json::json!(CLIENT_SECRET)).unwrap()),
            client_secret_env: None,
        }
    }

    /// The forge word of this provider (`github`, `127.0.0.1`, `orcid`).
    pub fn forge(&self) -> String {
        self.provider().forge()
    }
}

pub fn accounts(providers: &[&Running]) -> AccountsConfig {
    AccountsConfig { providers: providers.iter().map(|r| r.provider()).collect(), ..AccountsConfig::default() }
}

type St = State<(Arc<Fake>, ProviderKind)>;

async fn authorize_handler(State((fake, _)): St, Query(q): Query<HashMap<String, String>>) -> Response {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    if get("client_id") != CLIENT_ID || get("response_type") != "code" || get("code_challenge_method") != "S256" {
        return (StatusCode::BAD_REQUEST, "bad authorization request").into_response();
    }
    let redirect = get("redirect_uri");
    if !redirect.starts_with(PUBLIC_URL) {
        return (StatusCode::BAD_REQUEST, "redirect_uri is not registered").into_response();
    }
    let state = get("state");
    if get("decision") == "deny" {
        return redirect_to(&format!("{redirect}?error=access_denied&state={state}"));
    }
    let code = uuid::Uuid::new_v4().simple().to_string();
    let grant = Grant { redirect_uri: redirect.clone(), challenge: get("code_challenge"), login: get("login") };
    fake.codes.lock().unwrap().insert(code.clone(), grant);
    redirect_to(&format!("{redirect}?code={code}&state={state}"))
}

fn redirect_to(location: &str) -> Response {
    (StatusCode::FOUND, [("location", location.to_string())]).into_response()
}

fn oauth_error(error: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(serde_json::json!({"error": error}))).into_response()
}

async fn token_handler(State((fake, kind)): St, Form(f): Form<HashMap<String, String>>) -> Response {
    if fake.broken.load(std::sync::atomic::Ordering::SeqCst) {
        return (StatusCode::INTERNAL_SERVER_ERROR, "down").into_response();
    }
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    if get("client_id") != CLIENT_ID || get("client_secret") != CLIENT_SECRET {
        return oauth_error("invalid_client");
    }
    let code = get("code");
    if get("grant_type") != "authorization_code" || fake.used.lock().unwrap().contains(&code) {
        return oauth_error("invalid_grant");
    }
    let Some(grant) = fake.codes.lock().unwrap().remove(&code) else { return oauth_error("invalid_grant") };
    fake.used.lock().unwrap().push(code);
    let verifier = get("code_verifier");
    fake.verifiers.lock().unwrap().push(verifier.clone());
    let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    if computed != grant.challenge {
        return oauth_error("invalid_grant");
    }
    if get("redirect_uri") != grant.redirect_uri {
        return oauth_error("invalid_grant");
    }
    let access = uuid::Uuid::new_v4().simple().to_string();
    fake.tokens.lock().unwrap().insert(access.clone(), grant.login.clone());
    let mut answer = serde_json::json!({"access_token": access, "token_type": "bearer", "scope": "read"});
    if kind == ProviderKind::Orcid {
        answer["orcid"] = orcid_of(&grant.login).into();
        answer["name"] = format!("{} (ORCID)", grant.login).into();
    }
    Json(answer).into_response()
}

async fn user_handler(State((fake, kind)): St, headers: HeaderMap) -> Response {
    let token = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let Some(login) = token.and_then(|t| fake.tokens.lock().unwrap().get(t).cloned()) else {
        return (StatusCode::UNAUTHORIZED, "bad token").into_response();
    };
    let id = user_id(&login);
    let name = format!("{login} Name");
    match kind {
        ProviderKind::Github => Json(serde_json::json!({"id": id, "login": login, "name": name})).into_response(),
        _ => Json(serde_json::json!({"id": id, "username": login, "name": name})).into_response(),
    }
}

/// The router as a browser: keeps cookies, sends the site's Origin on POSTs.
pub struct Browser {
    pub app: Router,
    pub cookies: HashMap<String, String>,
}

pub struct Answer {
    pub status: u16,
    pub location: String,
    pub headers: HeaderMap,
    pub body: String,
}

impl Browser {
    pub fn new(app: Router) -> Self {
        Browser { app, cookies: HashMap::new() }
    }

    pub fn session(&self) -> Option<String> {
        self.cookies.get(pacatlas::accounts::session::COOKIE).cloned()
    }

    pub async fn get(&mut self, path: &str) -> Answer {
        self.send(Request::get(path), Body::empty()).await
    }

    /// A form POST from a page of this site.
    pub async fn post(&mut self, path: &str, body: &str) -> Answer {
        self.post_with(path, body, &[("origin", PUBLIC_URL)]).await
    }

    pub async fn post_with(&mut self, path: &str, body: &str, headers: &[(&str, &str)]) -> Answer {
        let mut request = Request::post(path).header("content-type", "application/x-www-form-urlencoded");
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        self.send(request, Body::from(body.to_string())).await
    }

    /// A multipart form POST (a file chosen) from a page of this site:
    /// `fields` are (name, file name if a file, content).
    pub async fn post_multipart(&mut self, path: &str, fields: &[(&str, Option<&str>, &[u8])]) -> Answer {
        let boundary = "pacatlas-test-boundary-7d1f";
        let mut body = Vec::new();
        for (name, file, content) in fields {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match file {
                Some(f) => body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: text/csv\r\n\r\n"
                    )
                    .as_bytes(),
                ),
                None => body
                    .extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
            }
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let request = Request::post(path)
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .header("origin", PUBLIC_URL);
        self.send(request, Body::from(body)).await
    }

    async fn send(&mut self, request: axum::http::request::Builder, body: Body) -> Answer {
        let cookie = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        let mut request = request.header("host", "pacatlas.test");
        if !cookie.is_empty() {
            request = request.header("cookie", cookie);
        }
        let response = self.app.clone().oneshot(request.body(body).unwrap()).await.unwrap();
        for value in response.headers().get_all("set-cookie") {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            if text.contains("Max-Age=0") || v.is_empty() {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let location = headers.get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Answer { status, location, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    /// The whole login through `provider` as `login`: start, the provider's
    /// consent (`decision`), the callback. Returns the callback's answer.
    pub async fn login(&mut self, provider: &Running, login: &str, decision: &str) -> Answer {
        let started = self.get(&format!("/auth/{}/start", provider.forge())).await;
        assert_eq!(started.status, 303, "{}", started.body);
        assert!(started.location.starts_with(&provider.url), "{}", started.location);
        let consent = format!("{}&login={login}&decision={decision}", started.location);
        let back = provider_redirect(&consent).await;
        let path = back.strip_prefix(PUBLIC_URL).expect("redirect to the public URL").to_string();
        self.get(&path).await
    }

    /// The session's CSRF token, read from the account page's forms.
    pub async fn csrf(&mut self) -> String {
        let page = self.get("/account").await;
        let Some(at) = page.body.find("name=\"csrf\" value=\"") else {
            panic!("no form with the CSRF token on /account ({}): {:.600}", page.status, page.body)
        };
        let rest = &page.body[at + "name=\"csrf\" value=\"".len()..];
        rest[..rest.find('"').unwrap()].to_string()
    }
}

/// Follows the provider's authorize URL once, returning where it redirects.
pub async fn provider_redirect(url: &str) -> String {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let response = client.get(url).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 302, "{}", response.text().await.unwrap());
    response.headers()["location"].to_str().unwrap().to_string()
}
