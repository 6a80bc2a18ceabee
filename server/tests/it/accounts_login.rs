//! Login through each provider shape against the fake provider: the whole
//! flow, wrong state, replayed code, redirect URI, provider errors, denied
//! consent, PKCE, session rotation, logout, log out everywhere, linking.
use pacatlas::{accounts::config::ProviderKind, config::Config};
use sqlx::PgPool;

use super::accounts_fake::{self as fake, Browser, PUBLIC_URL};

pub fn router(pool: PgPool, accounts: pacatlas::accounts::config::AccountsConfig) -> axum::Router {
    // In process every request shares one rate-limit bucket: the
    // authorisation matrix alone makes more than its burst (the limit has
    // its own tests), so these routers have it off.
    let config =
        Config { public_url: Some(PUBLIC_URL.into()), accounts, rate_limit_per_second: 0, ..Config::default() };
    super::support::app_with_config(
        pool,
        std::sync::Arc::new(pacatlas::search::embedded::EmbeddedIndex::in_memory().unwrap()),
        config,
    )
}

async fn identities(pool: &PgPool) -> Vec<(i64, String, String, String)> {
    sqlx::query_as("SELECT user_id, forge, subject, handle FROM identities ORDER BY id").fetch_all(pool).await.unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn each_provider_logs_in_and_names_the_account_by_its_user_id(pool: PgPool) {
    for kind in [ProviderKind::Github, ProviderKind::Gitlab, ProviderKind::Orcid] {
        sqlx::query("TRUNCATE users CASCADE").execute(&pool).await.unwrap();
        let provider = fake::start(kind).await;
        let mut browser = Browser::new(router(pool.clone(), fake::accounts(&[&provider])));
        let back = browser.login(&provider, "octocat", "allow").await;
        assert_eq!((back.status, back.location.as_str()), (303, "/account"), "{kind:?}: {}", back.body);
        assert!(browser.session().is_some());
        let page = browser.get("/account").await;
        assert_eq!(page.status, 200);
        assert_eq!(page.headers["cache-control"], "private, no-store");
        let ids = identities(&pool).await;
        assert_eq!(ids.len(), 1, "{kind:?}");
        let (_, forge, subject, handle) = &ids[0];
        assert_eq!(forge, &provider.forge());
        match kind {
            ProviderKind::Orcid => {
                assert_eq!(handle, &fake::orcid_of("octocat"));
                assert_eq!(subject, handle, "the ORCID iD is the id");
            }
            _ => {
                assert_eq!(handle, "octocat");
                assert!(subject.parse::<i64>().is_ok(), "the provider's numeric id, not a name: {subject}");
            }
        }
        assert!(page.body.contains(handle.as_str()), "{kind:?}: the account page lists the identity");
        // PKCE: the verifier reached the token endpoint (which checked it against the challenge).
        assert_eq!(provider.fake.verifiers.lock().unwrap().len(), 1);
        assert!(provider.fake.verifiers.lock().unwrap()[0].len() >= 43);
        // The same person again: the same account.
        let mut again = Browser::new(router(pool.clone(), fake::accounts(&[&provider])));
        assert_eq!(again.login(&provider, "octocat", "allow").await.location, "/account");
        assert_eq!(identities(&pool).await.len(), 1);
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn refused_logins_go_back_to_the_login_page_without_a_session(pool: PgPool) {
    let provider = fake::start(ProviderKind::Github).await;
    let app = router(pool.clone(), fake::accounts(&[&provider]));

    // Denied consent.
    let mut b = Browser::new(app.clone());
    let denied = b.login(&provider, "octocat", "deny").await;
    assert_eq!(denied.location, "/login?error=denied");

    // A wrong state.
    let mut b = Browser::new(app.clone());
    let started = b.get("/auth/github/start").await;
    let back = fake::provider_redirect(&format!("{}&login=octocat", started.location)).await;
    let forged = back.strip_prefix(PUBLIC_URL).unwrap().replace("state=", "state=x");
    assert_eq!(b.get(&forged).await.location, "/login?error=state");

    // A callback without any login started in this browser.
    let mut other = Browser::new(app.clone());
    assert_eq!(other.get(back.strip_prefix(PUBLIC_URL).unwrap()).await.location, "/login?error=state");

    // A replayed code: the first use logs in, the second is refused (state used once, code used once).
    let mut b = Browser::new(app.clone());
    let started = b.get("/auth/github/start").await;
    let back = fake::provider_redirect(&format!("{}&login=octocat", started.location)).await;
    let path = back.strip_prefix(PUBLIC_URL).unwrap().to_string();
    assert_eq!(b.get(&path).await.location, "/account");
    assert_eq!(b.get(&path).await.location, "/login?error=state");
    // Even replayed with a fresh pending login of the same state, the provider refuses the code.
    let mut c = Browser::new(app.clone());
    let _ = c.get("/auth/github/start").await;
    assert_eq!(c.get(&path).await.location, "/login?error=state");

    // The provider fails.
    provider.fake.broken.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut b = Browser::new(app.clone());
    assert_eq!(b.login(&provider, "octocat", "allow").await.location, "/login?error=provider");
    provider.fake.broken.store(false, std::sync::atomic::Ordering::SeqCst);

    // Another error than access_denied.
    let mut b = Browser::new(app.clone());
    let _ = b.get("/auth/github/start").await;
    assert_eq!(b.get("/auth/github/callback?error=server_error").await.location, "/login?error=provider");

    // An unknown provider.
    assert_eq!(b.get("/auth/nowhere/start").await.location, "/login?error=provider");
    assert_eq!(identities(&pool).await.len(), 1, "only the one successful login");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_mismatched_redirect_uri_is_refused_by_the_provider(pool: PgPool) {
    let provider = fake::start(ProviderKind::Github).await;
    let app = router(pool.clone(), fake::accounts(&[&provider]));
    let mut b = Browser::new(app);
    let started = b.get("/auth/github/start").await;
    let redirect = format!("redirect_uri={}", urlencode(&format!("{PUBLIC_URL}/auth/github/callback")));
    assert!(started.location.contains(&redirect), "the exact redirect URI: {}", started.location);
    assert!(started.location.contains("code_challenge_method=S256"));
    let elsewhere = started.location.replace(&redirect, "redirect_uri=http%3A%2F%2Fevil.example%2Fcb");
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    assert_eq!(client.get(format!("{elsewhere}&login=x")).send().await.unwrap().status().as_u16(), 400);
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_session_id_rotates_at_login_and_logout_ends_it(pool: PgPool) {
    let provider = fake::start(ProviderKind::Github).await;
    let app = router(pool.clone(), fake::accounts(&[&provider]));
    let mut b = Browser::new(app);
    let _ = b.get("/auth/github/start").await;
    let before = b.session().expect("the pending login's session");
    let started = b.get("/auth/github/start").await;
    let back = fake::provider_redirect(&format!("{}&login=octocat", started.location)).await;
    assert_eq!(b.get(back.strip_prefix(PUBLIC_URL).unwrap()).await.location, "/account");
    let after = b.session().unwrap();
    assert_ne!(before, after, "a new session id at login");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM tower_sessions.session WHERE id = $1")
        .bind(&before)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 0, "the pre-login session is gone");

    // Logout needs the form's token.
    let csrf = b.csrf().await;
    assert_eq!(b.post("/auth/logout", "csrf=wrong").await.status, 403);
    let out = b.post("/auth/logout", &format!("csrf={csrf}")).await;
    assert_eq!((out.status, out.location.as_str()), (303, "/"));
    let page = b.get("/account").await;
    assert!(page.body.contains("href=\"/login\""), "logged out");
    assert!(!page.body.contains("name=\"csrf\""));
}

#[sqlx::test(migrations = "../migrations")]
async fn log_out_everywhere_ends_every_session_of_the_account(pool: PgPool) {
    let provider = fake::start(ProviderKind::Github).await;
    let app = router(pool.clone(), fake::accounts(&[&provider]));
    let mut laptop = Browser::new(app.clone());
    let mut phone = Browser::new(app.clone());
    laptop.login(&provider, "octocat", "allow").await;
    phone.login(&provider, "octocat", "allow").await;
    assert!(phone.get("/account").await.body.contains("name=\"csrf\""));
    let csrf = laptop.csrf().await;
    assert_eq!(laptop.post("/auth/logout-everywhere", &format!("csrf={csrf}")).await.status, 303);
    assert!(!phone.get("/account").await.body.contains("name=\"csrf\""), "the other session is over");
    assert!(!laptop.get("/account").await.body.contains("name=\"csrf\""));
    // A new login works again.
    laptop.login(&provider, "octocat", "allow").await;
    assert!(laptop.get("/account").await.body.contains("name=\"csrf\""));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_second_provider_links_to_the_logged_in_account_and_admins_come_from_config(pool: PgPool) {
    let github = fake::start(ProviderKind::Github).await;
    let orcid = fake::start(ProviderKind::Orcid).await;
    let mut accounts = fake::accounts(&[&github, &orcid]);
    accounts.admins = vec!["github:OctoCat".into()];
    let mut b = Browser::new(router(pool.clone(), accounts));
    b.login(&github, "octocat", "allow").await;
    b.login(&orcid, "octocat", "allow").await;
    let ids = identities(&pool).await;
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[0].0, ids[1].0, "one account, two identities");
    let role: String = sqlx::query_scalar("SELECT role FROM users").fetch_one(&pool).await.unwrap();
    assert_eq!(role, "admin");
    let audit: Vec<(Option<i64>, String)> =
        sqlx::query_as("SELECT actor_id, action FROM audit_log").fetch_all(&pool).await.unwrap();
    assert_eq!(audit, vec![(None, "role.set".to_string())]);
    // That ORCID identity cannot be linked to someone else.
    let mut other = Browser::new(b.app.clone());
    other.login(&github, "hubot", "allow").await;
    assert_eq!(other.login(&orcid, "octocat", "allow").await.location, "/account?error=taken");
}

#[sqlx::test(migrations = "../migrations")]
async fn logged_in_pages_bypass_the_page_cache(pool: PgPool) {
    super::support::ingest(
        &pool,
        pacatlas::catalog::Ecosystem::Spack,
        "builtin",
        Some("r1"),
        &[super::support::fixture("spack-rich.json")],
    )
    .await
    .unwrap();
    let provider = fake::start(ProviderKind::Github).await;
    let config =
        Config { public_url: Some(PUBLIC_URL.into()), accounts: fake::accounts(&[&provider]), ..Config::default() };
    let config = Config { site_root: std::env::temp_dir().to_string_lossy().into_owned(), ..config };
    let index = std::sync::Arc::new(pacatlas::search::embedded::EmbeddedIndex::in_memory().unwrap());
    let state = pacatlas::http::AppState::new(config, crate::support::own_pool(&pool), index);
    state.generation.clone().spawn_watch(pool.clone(), std::time::Duration::from_secs(10));
    while state.generation.get().is_none() {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let app = pacatlas::http::router(state);
    let mut anonymous = Browser::new(app.clone());
    let mut octocat = Browser::new(app.clone());
    octocat.login(&provider, "octocat", "allow").await;
    let page = "/packages";
    // The logged-in page first: it must not be kept for others.
    let mine = octocat.get(page).await;
    // (A 503 here once, in a full parallel run: its body says which limit.)
    assert_eq!(mine.status, 200, "{}", mine.body);
    assert!(mine.body.contains("octocat Name"), "the header names the person");
    assert_eq!(mine.headers["cache-control"], "private, no-store");
    let theirs = anonymous.get(page).await;
    assert!(!theirs.body.contains("octocat Name"), "one person's header served to another");
    assert!(theirs.body.contains("href=\"/login\""));
    // And the anonymous copy is not served to the logged-in person.
    assert!(octocat.get(page).await.body.contains("octocat Name"));
}
