//! Claims: auto-verification against declared maintainers, moderation
//! (approve, reject with a reason the claimant sees), stepping down,
//! expiry, the audit log; personal tokens (shown once, hashed, revoked,
//! expired) and the account JSON.
use pacatlas::{accounts::config::ProviderKind, catalog::Ecosystem};
use sqlx::PgPool;

use super::accounts_fake::{self as fake, Browser, Running};
use super::accounts_login::router;
use super::support::{fixture, ingest};

pub async fn catalog(pool: &PgPool) {
    ingest(pool, Ecosystem::Spack, "builtin", Some("r1"), &[fixture("spack-rich.json")]).await.unwrap();
}

async fn claims(pool: &PgPool) -> Vec<(String, String, Option<String>)> {
    sqlx::query_as(
        "SELECT coalesce(p.name, ''), c.status, c.reason FROM claims c LEFT JOIN packages p ON p.id = c.package_id ORDER BY c.id",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

async fn logged_in(app: &axum::Router, provider: &Running, login: &str) -> (Browser, String) {
    let mut b = Browser::new(app.clone());
    assert_eq!(b.login(provider, login, "allow").await.location, "/account");
    let csrf = b.csrf().await;
    (b, csrf)
}

async fn audit(pool: &PgPool) -> Vec<(String, Option<String>)> {
    sqlx::query_as("SELECT action, reason FROM audit_log ORDER BY id").fetch_all(pool).await.unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_declared_maintainer_is_verified_at_once_and_others_wait_for_a_moderator(pool: PgPool) {
    catalog(&pool).await;
    let provider = fake::start(ProviderKind::Github).await;
    let app = router(pool.clone(), fake::accounts(&[&provider]));
    let declared: i64 = sqlx::query_scalar("SELECT count(*) FROM package_maintainers").fetch_one(&pool).await.unwrap();

    // Spack's hdf5 declares lrknox (a GitHub handle): case does not matter.
    let (mut lr, csrf) = logged_in(&app, &provider, "LRKnox").await;
    let done = lr.post("/account/claims", &format!("csrf={csrf}&target=spack/builtin/hdf5")).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert!(done.location.starts_with("/account?claim=verified"), "{}", done.location);
    let page = lr.get("/account").await;
    assert!(page.body.contains("spack/builtin/hdf5") && page.body.contains("data-status=\"verified\""));
    // The same claim twice is refused.
    assert_eq!(lr.post("/account/claims", &format!("csrf={csrf}&target=spack/builtin/hdf5")).await.status, 409);
    // A whole project: verified through its hdf5 package.
    let key: String = sqlx::query_scalar(
        "SELECT pr.key FROM projects pr JOIN packages p ON p.project_id = pr.id WHERE p.name = 'hdf5'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let project = lr.post("/account/claims", &format!("csrf={csrf}&target=project:{key}")).await;
    assert!(project.location.starts_with("/account?claim=verified"), "{}", project.location);

    // Someone who is not declared: pending, with their evidence.
    let (mut alice, a_csrf) = logged_in(&app, &provider, "alice").await;
    let body = format!("csrf={a_csrf}&target=spack/builtin/cmake&evidence=I+maintain+it+upstream");
    assert!(alice.post("/account/claims", &body).await.location.starts_with("/account?claim=pending"));
    let body = format!("csrf={a_csrf}&target=spack/builtin/zlib-ng&evidence=see+my+commits");
    assert!(alice.post("/account/claims", &body).await.location.starts_with("/account?claim=pending"));
    assert_eq!(alice.post("/account/claims", &format!("csrf={a_csrf}&target=spack/builtin/nope")).await.status, 404);
    assert_eq!(alice.post("/account/claims", &format!("csrf={a_csrf}&target=nonsense")).await.status, 400);

    // A moderator sees the queue, rejects one with a reason and approves the other.
    let (mut m, m_csrf) = logged_in(&app, &provider, "modo").await;
    assert_eq!(m.get("/moderation").await.status, 403, "not a moderator yet");
    sqlx::query("UPDATE users SET role = 'moderator' WHERE name LIKE 'modo%'").execute(&pool).await.unwrap();
    let queue = m.get("/moderation").await;
    assert_eq!(queue.status, 200);
    assert!(queue.body.contains("I maintain it upstream") && queue.body.contains("spack/builtin/zlib-ng"));
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM claims WHERE status = 'pending' ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    let no_reason = m.post(&format!("/moderation/claims/{}", ids[0]), &format!("csrf={m_csrf}&decision=reject")).await;
    assert_eq!(no_reason.status, 400, "a rejection needs a reason");
    let reject = format!("csrf={m_csrf}&decision=reject&reason=No+trace+of+you+upstream");
    assert_eq!(m.post(&format!("/moderation/claims/{}", ids[0]), &reject).await.location, "/moderation");
    let approve = format!("csrf={m_csrf}&decision=approve&reason=Commits+checked");
    assert_eq!(m.post(&format!("/moderation/claims/{}", ids[1]), &approve).await.location, "/moderation");
    assert_eq!(m.post(&format!("/moderation/claims/{}", ids[1]), &approve).await.status, 404, "decided already");

    // The claimant sees both decisions, the reason too.
    let page = alice.get("/account").await;
    assert!(page.body.contains("No trace of you upstream"));
    assert!(page.body.contains("data-status=\"rejected\"") && page.body.contains("data-status=\"approved\""));
    let expected: Vec<(String, String, Option<String>)> = vec![
        ("hdf5".into(), "verified".into(), None),
        (String::new(), "verified".into(), None),
        ("cmake".into(), "rejected".into(), Some("No trace of you upstream".into())),
        ("zlib-ng".into(), "approved".into(), Some("Commits checked".into())),
    ];
    assert_eq!(claims(&pool).await, expected);

    // Stepping down: the claim is withdrawn, the declared maintainer stays.
    let hdf5_claim: i64 =
        sqlx::query_scalar("SELECT c.id FROM claims c JOIN packages p ON p.id = c.package_id WHERE p.name = 'hdf5'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let down = lr.post(&format!("/account/claims/{hdf5_claim}/withdraw"), &format!("csrf={csrf}")).await;
    assert_eq!(down.location, "/account#claims");
    assert_eq!(
        alice.post(&format!("/account/claims/{hdf5_claim}/withdraw"), &format!("csrf={a_csrf}")).await.status,
        404
    );
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM package_maintainers").fetch_one(&pool).await.unwrap();
    assert_eq!(after, declared);

    let actions: Vec<String> = audit(&pool).await.into_iter().map(|(a, _)| a).collect();
    assert_eq!(
        actions,
        [
            "claim.verified",
            "claim.verified",
            "claim.created",
            "claim.created",
            "claim.rejected",
            "claim.approved",
            "claim.withdrawn"
        ]
    );
    assert!(audit(&pool).await.contains(&("claim.rejected".into(), Some("No trace of you upstream".into()))));
}

#[sqlx::test(migrations = "../migrations")]
async fn claims_expire_when_their_owner_stops_logging_in(pool: PgPool) {
    catalog(&pool).await;
    let provider = fake::start(ProviderKind::Github).await;
    let app = router(pool.clone(), fake::accounts(&[&provider]));
    let (mut lr, csrf) = logged_in(&app, &provider, "lrknox").await;
    lr.post("/account/claims", &format!("csrf={csrf}&target=spack/builtin/hdf5")).await;
    assert_eq!(pacatlas::accounts::claims::expire(&pool, 365).await.unwrap(), 0, "logged in just now");
    sqlx::query("UPDATE users SET last_login_at = now() - interval '400 days'").execute(&pool).await.unwrap();
    // On read: the account page expires them before showing them.
    assert!(lr.get("/account").await.body.contains("data-status=\"expired\""));
    assert_eq!(claims(&pool).await[0].1, "expired");
    let last = audit(&pool).await.pop().unwrap();
    assert_eq!(last, ("claim.expired".into(), Some("no login for 365 days".into())));
    assert_eq!(pacatlas::accounts::claims::expire(&pool, 365).await.unwrap(), 0, "once");
}

#[sqlx::test(migrations = "../migrations")]
async fn personal_tokens_are_shown_once_hashed_revocable_and_expire(pool: PgPool) {
    let provider = fake::start(ProviderKind::Github).await;
    let app = router(pool.clone(), fake::accounts(&[&provider]));
    let (mut b, csrf) = logged_in(&app, &provider, "octocat").await;
    assert_eq!(b.post("/account/tokens", &format!("csrf={csrf}&name=ci&scope=admin&days=30")).await.status, 400);
    // The sites admin scope: neither offered to nor made for someone who is not an admin.
    assert!(!b.get("/account").await.body.contains("value=\"admin:sites\""));
    assert_eq!(b.post("/account/tokens", &format!("csrf={csrf}&name=s&scope=admin:sites&days=30")).await.status, 403);
    assert_eq!(sqlx::query_scalar::<_, i64>("SELECT count(*) FROM api_tokens").fetch_one(&pool).await.unwrap(), 0);
    assert_eq!(
        b.post("/account/tokens", &format!("csrf={csrf}&name=ci&scope=account:read&days=999")).await.status,
        400
    );
    let made = b.post("/account/tokens", &format!("csrf={csrf}&name=laptop&scope=account:read&days=30")).await;
    assert_eq!(made.location, "/account#tokens");
    let page = b.get("/account").await.body;
    let at = page.find("id=\"new-token\">").expect("the new token, once") + "id=\"new-token\">".len();
    let secret = page[at..at + page[at..].find('<').unwrap()].to_string();
    assert!(secret.starts_with("pacatlas_"));
    assert!(!b.get("/account").await.body.contains(&secret), "shown once");
    let stored: Vec<(Vec<u8>, String, Option<String>)> =
        sqlx::query_as("SELECT secret_sha256, scope, name FROM api_tokens").fetch_all(&pool).await.unwrap();
    assert_eq!(stored.len(), 1);
    use sha2::Digest;
    assert_eq!(stored[0].0, sha2::Sha256::digest(secret.as_bytes()).to_vec(), "only the hash is kept");

    let bearer = format!("Bearer {secret}");
    let api = |b: &Browser, auth: Option<String>| {
        let app = b.app.clone();
        async move {
            let mut r = axum::http::Request::get("/api/v1/account");
            if let Some(a) = auth {
                r = r.header("authorization", a);
            }
            let res = tower::ServiceExt::oneshot(app, r.body(axum::body::Body::empty()).unwrap()).await.unwrap();
            let status = res.status().as_u16();
            let body = http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes();
            (status, String::from_utf8_lossy(&body).into_owned())
        }
    };
    let (status, body) = api(&b, Some(bearer.clone())).await;
    assert_eq!(status, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["identities"][0]["handle"], "octocat");
    assert_eq!(json["role"], "user");
    assert_eq!(api(&b, None).await.0, 401);
    assert_eq!(b.get("/api/v1/account").await.status, 200, "the session works too");

    // Expired, then revoked.
    sqlx::query("UPDATE api_tokens SET expires_at = now() - interval '1 second'").execute(&pool).await.unwrap();
    let (status, body) = api(&b, Some(bearer.clone())).await;
    assert_eq!(status, 401);
    assert!(body.contains("expired"));
    sqlx::query("UPDATE api_tokens SET expires_at = now() + interval '1 day'").execute(&pool).await.unwrap();
    let id: i64 = sqlx::query_scalar("SELECT id FROM api_tokens").fetch_one(&pool).await.unwrap();
    assert_eq!(
        b.post(&format!("/account/tokens/{id}/revoke"), &format!("csrf={csrf}")).await.location,
        "/account#tokens"
    );
    assert_eq!(api(&b, Some(bearer)).await.0, 401);
    assert!(b.get("/account").await.body.contains("revoked"));
    let actions: Vec<String> = audit(&pool).await.into_iter().map(|(a, _)| a).collect();
    assert_eq!(actions, ["token.created", "token.revoked"]);

    // An admin is offered the sites admin scope and gets it.
    sqlx::query("UPDATE users SET role = 'admin'").execute(&pool).await.unwrap();
    assert!(b.get("/account").await.body.contains("value=\"admin:sites\""));
    let made = b.post("/account/tokens", &format!("csrf={csrf}&name=sites&scope=admin:sites&days=30")).await;
    assert_eq!(made.location, "/account#tokens");
    let scopes: Vec<String> =
        sqlx::query_scalar("SELECT scope FROM api_tokens ORDER BY id").fetch_all(&pool).await.unwrap();
    assert_eq!(scopes, ["account:read", "admin:sites"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_audit_log_on_admin_is_paged_newest_first(pool: PgPool) {
    let provider = fake::start(ProviderKind::Github).await;
    let app = router(pool.clone(), fake::accounts(&[&provider]));
    let (mut b, _) = logged_in(&app, &provider, "boss").await;
    sqlx::query("UPDATE users SET role = 'admin'").execute(&pool).await.unwrap();
    // 120 entries, the newest last written.
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, target, detail, at)
         SELECT NULL, 'test.entry', 'entry:' || i, '{}'::jsonb, now() - make_interval(secs => 1000 - i)
         FROM generate_series(1, 120) i",
    )
    .execute(&pool)
    .await
    .unwrap();
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log").fetch_one(&pool).await.unwrap();
    let pages = (total + 49) / 50;
    let first = b.get("/admin").await;
    assert_eq!(first.status, 200);
    assert!(first.body.contains(&format!("{total} entries")), "the count is said");
    assert!(first.body.contains("entry:120") && !first.body.contains("entry:60<"), "newest first, 50 a page");
    assert!(first.body.contains("href=\"/admin?page=2\""), "a link to the next page");
    let second = b.get("/admin?page=2").await;
    assert!(second.body.contains("entry:60<") && !second.body.contains("entry:120<"), "the next 50");
    assert!(second.body.contains("href=\"/admin?page=1\"") && second.body.contains("href=\"/admin?page=3\""));
    // Past the last page (or nonsense): the last page, never an error.
    let last = b.get(&format!("/admin?page={}", pages + 40)).await;
    assert_eq!(last.status, 200);
    assert!(last.body.contains("entry:1<") && !last.body.contains("rel=\"next\""), "the oldest entry on the last page");
    assert_eq!(b.get("/admin?page=-3").await.status, 200);
    assert_eq!(b.get("/admin?page=99999999999999999999").await.status, 200);
}
