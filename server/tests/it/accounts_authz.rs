//! The authorisation matrix: every state-changing route of the router
//! (`accounts::routes::STATE_CHANGING`, checked complete against the
//! router's source) × anonymous, user, maintainer, moderator, admin; and
//! CSRF on every form route (cross-site Origin, Sec-Fetch-Site, missing or
//! wrong token). Refused requests write nothing.
use pacatlas::accounts::{
    config::ProviderKind,
    routes::{Access, READ_ONLY_PREFIX, STATE_CHANGING},
};
use sqlx::PgPool;

use super::accounts_claims::catalog;
use super::accounts_fake::{self as fake, Browser, Running, PUBLIC_URL};
use super::accounts_login::router;
use super::sites_admin;

/// `(path, method)` of every route registered with a state-changing method
/// in the server's source (outside tests).
fn registered_routes() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let text = text.split("#[cfg(test)]").next().unwrap();
            for chunk in text.split(".route(").skip(1) {
                let Some(rest) = chunk.trim_start().strip_prefix('"') else { continue };
                let route = &rest[..rest.find('"').unwrap()];
                // The methods of this route: up to the next route.
                let body = chunk.split(".merge(").next().unwrap();
                for method in ["post", "put", "patch", "delete"] {
                    if body.contains(&format!("{method}(")) {
                        out.push((route.to_string(), method.to_ascii_uppercase()));
                    }
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_state_changing_route_is_in_the_list() {
    let listed: Vec<(String, String)> = STATE_CHANGING.iter().map(|(m, p, _)| (p.to_string(), m.to_string())).collect();
    for route in registered_routes() {
        assert!(listed.contains(&route), "{route:?} is not in accounts::routes::STATE_CHANGING");
    }
    for route in &listed {
        assert!(registered_routes().contains(route), "{route:?} is listed but not registered");
    }
    // Server functions are POSTs that only read, all under /fn/.
    for (path, _) in leptos::server_fn::axum::server_fn_paths() {
        assert!(path.starts_with(READ_ONLY_PREFIX), "server function {path} outside {READ_ONLY_PREFIX}");
    }
}

/// Everything a state-changing request could write.
async fn fingerprint(pool: &PgPool) -> String {
    sqlx::query_scalar(
        "SELECT concat_ws('|',
            (SELECT string_agg(id || ':' || status || ':' || coalesce(reason, ''), ',' ORDER BY id) FROM claims),
            (SELECT count(*) FROM audit_log),
            (SELECT string_agg(id || ':' || coalesce(revoked_at::text, ''), ',' ORDER BY id) FROM api_tokens),
            (SELECT string_agg(id || ':' || role || ':' || session_epoch, ',' ORDER BY id) FROM users),
            (SELECT count(*) FROM build_results),
            (SELECT string_agg(name || ':' || title, ',' ORDER BY id) FROM sites),
            (SELECT count(*) FROM machines), (SELECT count(*) FROM partitions),
            (SELECT string_agg(slug || ':' || name || ':' || kind, ',' ORDER BY id) FROM funders),
            (SELECT string_agg(id || ':' || coalesce(amount::text, '') || ':' || coalesce(ends_on::text, ''), ',' ORDER BY id)
               FROM sponsorships))",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

const ROLES: [&str; 5] = ["anonymous", "user", "maintainer", "moderator", "admin"];

/// A browser as `role`, with its CSRF token.
async fn as_role(app: &axum::Router, provider: &Running, pool: &PgPool, role: &str, n: usize) -> (Browser, String) {
    let mut b = Browser::new(app.clone());
    if role == "anonymous" {
        return (b, String::new());
    }
    let login = match role {
        "maintainer" => "lrknox".to_string(),
        "admin" => "boss".to_string(),
        _ => format!("{role}{n}"),
    };
    let answer = b.login(provider, &login, "allow").await;
    assert_eq!(answer.location, "/account", "{} {}", answer.status, answer.body);
    if role == "moderator" {
        sqlx::query("UPDATE users SET role = 'moderator' WHERE name = $1")
            .bind(format!("{login} Name"))
            .execute(pool)
            .await
            .unwrap();
    }
    let csrf = b.csrf().await;
    (b, csrf)
}

fn allowed(access: Access, role: &str) -> bool {
    let rank = ROLES.iter().position(|r| *r == role).unwrap();
    match access {
        Access::Anyone => true,
        Access::Token => false,
        Access::User => rank >= 1,
        Access::Moderator => rank >= 3,
        Access::Admin => rank >= 4,
    }
}

/// A concrete request for a route: path and form body.
fn request(path: &str, ids: &Ids) -> (String, String) {
    let path = path
        .replace("/claims/{id}/withdraw", &format!("/claims/{}/withdraw", ids.verified_claim))
        .replace("/moderation/claims/{id}", &format!("/moderation/claims/{}", ids.pending_claim))
        .replace("/tokens/{id}/revoke", &format!("/tokens/{}/revoke", ids.token))
        .replace("/users/{id}/role", &format!("/users/{}/role", ids.user))
        .replace("/funding/funders/{slug}", "/funding/funders/authz-funder")
        .replace("/funding/sponsorships/{id}", &format!("/funding/sponsorships/{}", ids.sponsorship));
    let body = match path.as_str() {
        "/lang" => "lang=fr&return=/".to_string(),
        "/auth/dev-login" => "handle=someone".to_string(),
        "/account/claims" => "target=spack/builtin/cmake&evidence=x".to_string(),
        "/account/tokens" => "name=t&scope=account:read&days=1".to_string(),
        p if p.starts_with("/moderation/") => "decision=reject&reason=no".to_string(),
        "/admin/funding/funders" => "slug=authz-new&name=New&kind=company".to_string(),
        "/admin/funding/funders/authz-funder" => "slug=authz-funder&name=Renamed&kind=agency".to_string(),
        "/admin/funding/sponsorships" => {
            "funder=authz-funder&target=package:spack/builtin/cmake&amount=1&currency=EUR&starts_on=2025-01-01".to_string()
        }
        "/admin/funding/import" => {
            "csv=funder%2Ctarget%2Cin_kind%2Cstarts_on%0Aauthz-funder%2Cpackage%3Aspack%2Fbuiltin%2Fcmake%2Ctrue%2C2025-02-01"
                .to_string()
        }
        p if p.starts_with("/admin/funding/sponsorships/") && p.ends_with("/end") => "ends_on=2025-12-31".to_string(),
        p if p.starts_with("/admin/funding/sponsorships/") && !p.ends_with("/delete") => {
            "funder=authz-funder&target=package:spack/builtin/hdf5&amount=2&currency=USD&starts_on=2025-01-01".to_string()
        }
        p if p.starts_with("/admin/funding/") => String::new(),
        p if p.starts_with("/admin/") => "role=moderator".to_string(),
        _ => String::new(),
    };
    (path, body)
}

struct Ids {
    verified_claim: i64,
    pending_claim: i64,
    token: i64,
    user: i64,
    /// A sponsorship of the funder `authz-funder`.
    sponsorship: i64,
}

/// The funder `authz-funder` and one sponsorship of it (for the funding forms).
async fn funding(pool: &PgPool) -> i64 {
    use pacatlas::funding::{model, write};
    let funder = model::FunderInput {
        slug: "authz-funder".into(),
        name: "Authz".into(),
        kind: "foundation".into(),
        ..Default::default()
    };
    write::create_funder(pool, None, &funder, false).await.unwrap();
    let s = model::SponsorshipInput {
        funder: "authz-funder".into(),
        target: "package:spack/builtin/hdf5".into(),
        amount: "10".into(),
        currency: "EUR".into(),
        starts_on: "2025-01-01".into(),
        ..Default::default()
    };
    write::create_sponsorship(pool, None, &s, false).await.unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn every_state_changing_route_by_every_role(pool: PgPool) {
    catalog(&pool).await;
    let provider = fake::start(ProviderKind::Github).await;
    let mut accounts = fake::accounts(&[&provider]);
    accounts.admins = vec!["github:boss".into()];
    let app = router(pool.clone(), accounts);
    // A maintainer with a verified claim and a token; someone with a pending claim.
    let (mut m, m_csrf) = as_role(&app, &provider, &pool, "maintainer", 0).await;
    m.post("/account/claims", &format!("csrf={m_csrf}&target=spack/builtin/hdf5")).await;
    m.post("/account/tokens", &format!("csrf={m_csrf}&name=t&scope=account:read&days=1")).await;
    let (mut u, u_csrf) = as_role(&app, &provider, &pool, "user", 99).await;
    u.post("/account/claims", &format!("csrf={u_csrf}&target=spack/builtin/zlib-ng&evidence=e")).await;
    let one = |sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.unwrap() }
    };
    let ids = Ids {
        verified_claim: one("SELECT id FROM claims WHERE status = 'verified'").await,
        pending_claim: one("SELECT id FROM claims WHERE status = 'pending'").await,
        token: one("SELECT id FROM api_tokens").await,
        user: one("SELECT id FROM users WHERE name = 'user99 Name'").await,
        sponsorship: funding(&pool).await,
    };

    for (n, (method, route, access)) in STATE_CHANGING.iter().enumerate() {
        let json = route.starts_with("/api/v1/sites/");
        assert!(*method == "POST" || json, "a test body for {method} {route}");
        for role in ROLES {
            let (mut b, csrf) = as_role(&app, &provider, &pool, role, n).await;
            let (path, body) = if json { sites_admin::body_for(method, route) } else { request(route, &ids) };
            let before = fingerprint(&pool).await;
            let answer = if json {
                // JSON: the session's CSRF token in X-CSRF-Token.
                let headers = [("origin", PUBLIC_URL), ("x-csrf-token", csrf.as_str())];
                sites_admin::send_json(&mut b, method, &path, &body, &headers).await
            } else {
                let body = if body.is_empty() { format!("csrf={csrf}") } else { format!("{body}&csrf={csrf}") };
                b.post(&path, &body).await
            };
            let context = format!("{role} POST {path}: {} {}", answer.status, answer.body);
            if allowed(*access, role) {
                assert!(![401, 403].contains(&answer.status), "refused: {context}");
            } else {
                let expected = match access {
                    Access::Token | Access::User => 401,
                    _ if role == "anonymous" => 401,
                    _ => 403,
                };
                assert_eq!(answer.status, expected, "{context}");
                assert_eq!(fingerprint(&pool).await, before, "written although refused: {context}");
            }
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn every_form_refuses_other_sites_and_missing_or_wrong_tokens(pool: PgPool) {
    catalog(&pool).await;
    let provider = fake::start(ProviderKind::Github).await;
    let mut accounts = fake::accounts(&[&provider]);
    accounts.admins = vec!["github:boss".into()];
    let app = router(pool.clone(), accounts);
    let (mut admin, csrf) = as_role(&app, &provider, &pool, "admin", 0).await;
    admin.post("/account/claims", &format!("csrf={csrf}&target=spack/builtin/cmake&evidence=e")).await;
    admin.post("/account/tokens", &format!("csrf={csrf}&name=t&scope=account:read&days=1")).await;
    let claim: i64 = sqlx::query_scalar("SELECT id FROM claims").fetch_one(&pool).await.unwrap();
    let token: i64 = sqlx::query_scalar("SELECT id FROM api_tokens").fetch_one(&pool).await.unwrap();
    let (_, _) = as_role(&app, &provider, &pool, "user", 1).await;
    let user: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE name = 'user1 Name'").fetch_one(&pool).await.unwrap();
    let sponsorship = funding(&pool).await;
    let ids = Ids { verified_claim: claim, pending_claim: claim, token, user, sponsorship };
    let site = ("origin", PUBLIC_URL);
    for (method, route, access) in STATE_CHANGING.iter().filter(|(_, _, a)| *a != Access::Token) {
        if route.starts_with("/api/v1/sites/") {
            // JSON routes: the token travels in X-CSRF-Token.
            let (path, body) = sites_admin::body_for(method, route);
            for headers in [
                vec![("origin", "http://evil.example"), ("x-csrf-token", csrf.as_str())],
                vec![("sec-fetch-site", "cross-site"), site, ("x-csrf-token", csrf.as_str())],
                vec![("origin", "null"), ("x-csrf-token", csrf.as_str())],
                vec![site],
                vec![site, ("x-csrf-token", "forged")],
                vec![("x-csrf-token", csrf.as_str())],
            ] {
                let before = fingerprint(&pool).await;
                let answer = sites_admin::send_json(&mut admin, method, &path, &body, &headers).await;
                assert_eq!(answer.status, 403, "{method} {path} {headers:?}: {}", answer.body);
                assert_eq!(fingerprint(&pool).await, before, "{path} {headers:?}");
            }
            continue;
        }
        let (path, body) = request(route, &ids);
        let with = |t: &str| if body.is_empty() { format!("csrf={t}") } else { format!("{body}&csrf={t}") };
        let mut attempts: Vec<(String, Vec<(&str, &str)>)> = vec![
            (with(&csrf), vec![("origin", "http://evil.example")]),
            (with(&csrf), vec![("sec-fetch-site", "cross-site"), site]),
            (with(&csrf), vec![("origin", "null")]),
        ];
        if *access != Access::Anyone {
            attempts.push((body.clone(), vec![site]));
            attempts.push((with("forged"), vec![site]));
            attempts.push((with(&csrf), vec![]));
        }
        for (form, headers) in attempts {
            let before = fingerprint(&pool).await;
            let answer = admin.post_with(&path, &form, &headers).await;
            assert_eq!(answer.status, 403, "{path} {headers:?} {form}: {}", answer.body);
            assert_eq!(fingerprint(&pool).await, before, "{path} {headers:?}");
            assert!(answer.headers.get("set-cookie").is_none_or(|c| !c.to_str().unwrap().starts_with("lang=")));
        }
    }
    // Still logged in: nothing above ended the session.
    assert!(admin.get("/account").await.body.contains("name=\"csrf\""));
}
