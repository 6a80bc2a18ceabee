//! The sites admin API (#11): admins add, change and delete sites,
//! machines and partitions by session (JSON with X-CSRF-Token) or by a
//! personal token of scope admin:sites; everyone else is refused and
//! nothing is written; bad fields are named; every change is audited;
//! deletions cascade to attestations and queue their packages for search.
use axum::body::Body;
use http_body_util::BodyExt;
use pacatlas::accounts::config::ProviderKind;
use sqlx::PgPool;
use tower::ServiceExt;

use super::accounts_claims::catalog;
use super::accounts_fake::{self as fake, Answer, Browser, Running, PUBLIC_URL};
use super::accounts_login::router;

/// A JSON request of `method` from a page of this site (or with `headers`).
pub async fn send_json(b: &mut Browser, method: &str, path: &str, body: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header("host", "pacatlas.test")
        .header("content-type", "application/json");
    let cookie = b.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
    if !cookie.is_empty() {
        request = request.header("cookie", cookie);
    }
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = b.app.clone().oneshot(request.body(Body::from(body.to_string())).unwrap()).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Answer { status, location: String::new(), headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

/// A concrete JSON body for an admin route of `STATE_CHANGING`.
pub fn body_for(method: &str, route: &str) -> (String, String) {
    let path = route.replace("{site}", "newsite").replace("{machine}", "m1").replace("{partition}", "p1");
    let body = match (method, route.matches('{').count()) {
        ("PUT", 1) => r#"{"title": "New site", "operator": "Op"}"#,
        ("PUT", 2) => r#"{"title": "Machine one"}"#,
        ("PUT", 3) => r#"{"system": "x86_64-linux", "microarch": "zen4", "nodes": 4}"#,
        _ => "",
    };
    (path, body.to_string())
}

async fn login(app: &axum::Router, provider: &Running, login: &str) -> (Browser, String) {
    let mut b = Browser::new(app.clone());
    assert_eq!(b.login(provider, login, "allow").await.location, "/account");
    let csrf = b.csrf().await;
    (b, csrf)
}

async fn setup(pool: &PgPool) -> (axum::Router, Running) {
    catalog(pool).await;
    let provider = fake::start(ProviderKind::Github).await;
    let mut accounts = fake::accounts(&[&provider]);
    accounts.admins = vec!["github:boss".into()];
    (router(pool.clone(), accounts), provider)
}

async fn state(pool: &PgPool) -> String {
    sqlx::query_scalar(
        "SELECT concat_ws('|',
            (SELECT string_agg(s.name || ':' || s.title, ',' ORDER BY s.name) FROM sites s),
            (SELECT string_agg(m.name || ':' || m.title, ',' ORDER BY m.name) FROM machines m),
            (SELECT string_agg(p.name || ':' || p.system || ':' || coalesce(p.microarch, ''), ',' ORDER BY p.name)
               FROM partitions p),
            (SELECT count(*) FROM attestations), (SELECT count(*) FROM audit_log))",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn actions(pool: &PgPool) -> Vec<(String, String)> {
    sqlx::query_as("SELECT action, target FROM audit_log WHERE action ~ '^(site|machine|partition)\\.' ORDER BY id")
        .fetch_all(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn an_admin_creates_updates_and_deletes_sites_machines_and_partitions(pool: PgPool) {
    let (app, provider) = setup(&pool).await;
    let (mut admin, csrf) = login(&app, &provider, "boss").await;
    let h = [("origin", PUBLIC_URL), ("x-csrf-token", csrf.as_str())];
    let site = r#"{"title": "CINES", "operator": "CINES", "url": "https://www.cines.fr"}"#;
    let a = send_json(&mut admin, "PUT", "/api/v1/sites/cines", site, &h).await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert!(a.body.contains("\"action\":\"created\""), "{}", a.body);
    let a = send_json(&mut admin, "PUT", "/api/v1/sites/cines", &site.replace("\"CINES\",", "\"CINES 2\","), &h).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let a = send_json(&mut admin, "PUT", "/api/v1/sites/cines/machines/adastra", r#"{"title": "Adastra"}"#, &h).await;
    assert_eq!(a.status, 201, "{}", a.body);
    let partition =
        r#"{"system": "x86_64-linux", "microarch": "zen3", "gpu_vendor": "amd", "gpu_target": "gfx90a", "nodes": 338}"#;
    let a = send_json(&mut admin, "PUT", "/api/v1/sites/cines/machines/adastra/partitions/mi250", partition, &h).await;
    assert_eq!(a.status, 201, "{}", a.body);
    let a = send_json(&mut admin, "PUT", "/api/v1/sites/nowhere/machines/x", r#"{"title": "X"}"#, &h).await;
    assert_eq!(a.status, 404, "{}", a.body);
    assert_eq!(
        state(&pool).await.split('|').take(3).collect::<Vec<_>>().join("|"),
        "cines:CINES 2|adastra:Adastra|mi250:x86_64-linux:zen3"
    );

    // An attestation on it: deleting the partition deletes it and queues its package for search.
    sqlx::query(
        "INSERT INTO attestations (partition_id, package_id, status, attested_on, content_sha256)
         SELECT pa.id, p.id, 'works', current_date, sha256('x') FROM partitions pa, packages p WHERE p.name = 'hdf5'",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("DELETE FROM search_changes").execute(&pool).await.unwrap();
    let a = send_json(&mut admin, "DELETE", "/api/v1/sites/cines/machines/adastra/partitions/mi250", "", &h).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body.contains("\"attestations_deleted\":1"), "{}", a.body);
    let queued: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT p.name FROM search_changes s JOIN packages p ON p.id = s.package_id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(queued, vec!["hdf5".to_string()]);
    let a = send_json(&mut admin, "DELETE", "/api/v1/sites/cines/machines/adastra/partitions/mi250", "", &h).await;
    assert_eq!(a.status, 404, "{}", a.body);
    let a = send_json(&mut admin, "DELETE", "/api/v1/sites/cines/machines/adastra", "", &h).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let a = send_json(&mut admin, "DELETE", "/api/v1/sites/cines", "", &h).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(sqlx::query_scalar::<_, i64>("SELECT count(*) FROM sites").fetch_one(&pool).await.unwrap(), 0);

    let targets = [
        ("site.created", "site:cines"),
        ("site.updated", "site:cines"),
        ("machine.created", "machine:cines/adastra"),
        ("partition.created", "partition:cines/adastra/mi250"),
        ("partition.deleted", "partition:cines/adastra/mi250"),
        ("machine.deleted", "machine:cines/adastra"),
        ("site.deleted", "site:cines"),
    ];
    let expected: Vec<(String, String)> = targets.iter().map(|(a, t)| (a.to_string(), t.to_string())).collect();
    assert_eq!(actions(&pool).await, expected);
    let actor: Option<String> = sqlx::query_scalar(
        "SELECT u.name FROM audit_log a JOIN users u ON u.id = a.actor_id WHERE a.action = 'site.deleted'",
    )
    .fetch_optional(&pool)
    .await
    .unwrap();
    assert_eq!(actor.as_deref(), Some("boss Name"));
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_fields_are_named_and_nothing_is_written(pool: PgPool) {
    let (app, provider) = setup(&pool).await;
    let (mut admin, csrf) = login(&app, &provider, "boss").await;
    let h = [("origin", PUBLIC_URL), ("x-csrf-token", csrf.as_str())];
    let ok = send_json(&mut admin, "PUT", "/api/v1/sites/cines", r#"{"title": "C", "operator": "C"}"#, &h).await;
    assert_eq!(ok.status, 201);
    let ok = send_json(&mut admin, "PUT", "/api/v1/sites/cines/machines/adastra", r#"{"title": "A"}"#, &h).await;
    assert_eq!(ok.status, 201);
    let before = state(&pool).await;
    for (path, body, field) in [
        ("/api/v1/sites/Bad!", r#"{"title": "C", "operator": "C"}"#, "name"),
        ("/api/v1/sites/cines", r#"{"title": "", "operator": "C"}"#, "title"),
        ("/api/v1/sites/cines", r#"{"title": "C", "operator": "C", "url": "ftp://x"}"#, "url"),
        ("/api/v1/sites/cines", r#"{"title": "C", "operator": "C", "colour": "red"}"#, "colour"),
        ("/api/v1/sites/cines", r#"{"operator": "C"}"#, "title"),
        ("/api/v1/sites/cines/machines/adastra", r#"{"title": "A", "url": "nope"}"#, "url"),
        ("/api/v1/sites/cines/machines/adastra/partitions/p", r#"{"system": "x86_64-windows"}"#, "system"),
        (
            "/api/v1/sites/cines/machines/adastra/partitions/p",
            r#"{"system": "x86_64-linux", "microarch": "zen9"}"#,
            "microarch",
        ),
        (
            "/api/v1/sites/cines/machines/adastra/partitions/p",
            r#"{"system": "x86_64-linux", "microarch": "neoverse_v2"}"#,
            "microarch",
        ),
        (
            "/api/v1/sites/cines/machines/adastra/partitions/p",
            r#"{"system": "x86_64-linux", "gpu_vendor": "nvidia", "gpu_target": "gfx90a"}"#,
            "gpu_target",
        ),
        ("/api/v1/sites/cines/machines/adastra/partitions/p", r#"{"system": "x86_64-linux", "nodes": -1}"#, "nodes"),
        ("/api/v1/sites/cines/machines/adastra/partitions/p", "not json", ""),
    ] {
        let a = send_json(&mut admin, "PUT", path, body, &h).await;
        assert_eq!(a.status, 400, "{path} {body}: {}", a.body);
        let json: serde_json::Value = serde_json::from_str(&a.body).unwrap();
        if !field.is_empty() {
            assert_eq!(json["field"], field, "{path} {body}: {}", a.body);
        }
        assert!(json["error"].as_str().is_some_and(|e| !e.is_empty()));
        assert_eq!(state(&pool).await, before, "{path} {body}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn only_admins_by_session_with_csrf_or_by_admin_token(pool: PgPool) {
    let (app, provider) = setup(&pool).await;
    let body = r#"{"title": "C", "operator": "C"}"#;
    let path = "/api/v1/sites/cines";
    let before = state(&pool).await;
    // Anonymous: 401.
    let mut anonymous = Browser::new(app.clone());
    assert_eq!(send_json(&mut anonymous, "PUT", path, body, &[("origin", PUBLIC_URL)]).await.status, 401);
    // A user and a moderator with their CSRF token: 403.
    let (mut user, u_csrf) = login(&app, &provider, "someone").await;
    let a = send_json(&mut user, "PUT", path, body, &[("origin", PUBLIC_URL), ("x-csrf-token", &u_csrf)]).await;
    assert_eq!(a.status, 403, "{}", a.body);
    let (mut moderator, m_csrf) = login(&app, &provider, "moder").await;
    sqlx::query("UPDATE users SET role = 'moderator' WHERE name = 'moder Name'").execute(&pool).await.unwrap();
    let a = send_json(&mut moderator, "PUT", path, body, &[("origin", PUBLIC_URL), ("x-csrf-token", &m_csrf)]).await;
    assert_eq!(a.status, 403, "{}", a.body);
    // An admin without the CSRF token, with a wrong one, from another site: 403.
    let (mut admin, csrf) = login(&app, &provider, "boss").await;
    // (Logins write audit entries of their own: a configured admin's role.)
    let before_admin = state(&pool).await;
    assert_eq!(before_admin.split('|').next(), before.split('|').next(), "no site written");
    let before = before_admin;
    for h in [
        vec![("origin", PUBLIC_URL)],
        vec![("origin", PUBLIC_URL), ("x-csrf-token", "forged")],
        vec![("x-csrf-token", csrf.as_str())],
        vec![("origin", "http://evil.example"), ("x-csrf-token", csrf.as_str())],
    ] {
        let a = send_json(&mut admin, "PUT", path, body, &h).await;
        assert_eq!(a.status, 403, "{h:?}: {}", a.body);
    }
    assert_eq!(state(&pool).await, before);

    // Tokens: a user cannot create one of scope admin:sites; an admin can.
    let a = user.post("/account/tokens", &format!("csrf={u_csrf}&name=t&scope=admin:sites&days=1")).await;
    assert!(a.status >= 300, "{}", a.status);
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM api_tokens WHERE scope = 'admin:sites'")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    assert_eq!(count().await, 0);
    let admin_id: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE name = 'boss Name'").fetch_one(&pool).await.unwrap();
    let user_id: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE name = 'someone Name'").fetch_one(&pool).await.unwrap();
    assert!(pacatlas::accounts::tokens::create_personal(&pool, user_id, "t", "admin:sites", 1).await.is_err());
    let read = pacatlas::accounts::tokens::create_personal(&pool, admin_id, "r", "account:read", 1).await.unwrap();
    let sites = pacatlas::accounts::tokens::create_personal(&pool, admin_id, "s", "admin:sites", 1).await.unwrap();
    let before = state(&pool).await;
    let mut machine = Browser::new(app.clone());
    let bearer = |s: &str| format!("Bearer {s}");
    let (read_h, sites_h) = (bearer(&read.secret), bearer(&sites.secret));
    let a = send_json(&mut machine, "PUT", path, body, &[("authorization", &read_h)]).await;
    assert_eq!(a.status, 403, "{}", a.body);
    let a = send_json(&mut machine, "PUT", path, body, &[("authorization", "Bearer pacatlas_unknown")]).await;
    assert_eq!(a.status, 401, "{}", a.body);
    assert_eq!(state(&pool).await, before);
    // The admin's token works without cookies or CSRF token.
    let a = send_json(&mut machine, "PUT", path, body, &[("authorization", &sites_h)]).await;
    assert_eq!(a.status, 201, "{}", a.body);
    // The owner demoted: the token stops working.
    sqlx::query("UPDATE users SET role = 'user' WHERE id = $1").bind(admin_id).execute(&pool).await.unwrap();
    let a = send_json(&mut machine, "DELETE", path, "", &[("authorization", &sites_h)]).await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert_eq!(sqlx::query_scalar::<_, i64>("SELECT count(*) FROM sites").fetch_one(&pool).await.unwrap(), 1);
}
