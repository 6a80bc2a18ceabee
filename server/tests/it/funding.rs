//! Funding (#14, part F): the admin forms by role with their audit entries
//! and revisions, the CSV import (per-row errors, nothing written when a row
//! is wrong), totals per currency (never added across currencies, each
//! sponsorship counted in its start year, in kind counted apart), the pages
//! (404 for an unknown funder), the JSON matching the page, the package
//! page's "Funded by", the CSV exports and the demo.
use pacatlas::{
    accounts::config::ProviderKind,
    funding::{model, read, write},
};
use serde_json::Value;
use sqlx::PgPool;

use super::accounts_claims::catalog;
use super::accounts_fake::{self as fake, Browser};
use super::accounts_login::router;
use super::support::{app, get};

async fn as_role(
    app: &axum::Router,
    provider: &fake::Running,
    pool: &PgPool,
    login: &str,
    role: &str,
) -> (Browser, String) {
    let mut b = Browser::new(app.clone());
    assert_eq!(b.login(provider, login, "allow").await.location, "/account");
    if role != "user" {
        sqlx::query("UPDATE users SET role = $2 WHERE name = $1")
            .bind(format!("{login} Name"))
            .bind(role)
            .execute(pool)
            .await
            .unwrap();
    }
    let csrf = b.csrf().await;
    (b, csrf)
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[sqlx::test(migrations = "../migrations")]
async fn funding_forms_by_role_audit_revisions_and_pages(pool: PgPool) {
    catalog(&pool).await;
    let provider = fake::start(ProviderKind::Github).await;
    let app = router(pool.clone(), fake::accounts(&[&provider]));
    let funder_form =
        "slug=hpsf-test&name=Test+%3Cb%3EFoundation%3C%2Fb%3E&kind=foundation&country=US&url=https%3A%2F%2Fexample.org";

    // Visitors and plain users may not; nothing written.
    let mut anon = Browser::new(app.clone());
    assert_eq!(anon.post("/admin/funding/funders", funder_form).await.status, 401);
    let (mut user, u_csrf) = as_role(&app, &provider, &pool, "someone", "user").await;
    assert_eq!(user.post("/admin/funding/funders", &format!("{funder_form}&csrf={u_csrf}")).await.status, 403);
    let page = user.get("/admin/funding").await;
    assert_eq!(page.status, 403, "the admin page is refused to users");
    assert_eq!(count(&pool, "SELECT count(*) FROM funders").await, 0);

    // A moderator creates a funder and a sponsorship, edits and ends it.
    let (mut m, csrf) = as_role(&app, &provider, &pool, "mod", "moderator").await;
    let created = m.post("/admin/funding/funders", &format!("{funder_form}&csrf={csrf}")).await;
    assert_eq!(created.status, 303, "{}", created.body);
    let bad = m.post("/admin/funding/funders", &format!("slug=Bad+Slug&name=x&kind=foundation&csrf={csrf}")).await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("slug:"), "{}", bad.body);
    let s_form = format!(
        "funder=hpsf-test&target={}&amount=1000.50&currency=EUR&starts_on=2025-03-01&note=first&csrf={csrf}",
        enc("package:spack/builtin/hdf5")
    );
    let made = m.post("/admin/funding/sponsorships", &s_form).await;
    assert_eq!(made.status, 303, "{}", made.body);
    let id: i64 = count(&pool, "SELECT id FROM sponsorships").await;
    let unknown = m.post("/admin/funding/sponsorships", &s_form.replace("hdf5", "nothere")).await;
    assert_eq!(unknown.status, 400);
    assert!(unknown.body.contains("target:") && unknown.body.contains("nothere"), "{}", unknown.body);
    let edit = s_form.replace("1000.50", "2000").replace("first", "second");
    assert_eq!(m.post(&format!("/admin/funding/sponsorships/{id}"), &edit).await.status, 303);
    let ended =
        m.post(&format!("/admin/funding/sponsorships/{id}/end"), &format!("ends_on=2025-12-31&csrf={csrf}")).await;
    assert_eq!(ended.status, 303, "{}", ended.body);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM sponsorship_revisions").await,
        2,
        "each edit keeps the row it replaced"
    );
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE action LIKE 'funder.%' OR action LIKE 'sponsorship.%' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(actions, ["funder.created", "sponsorship.created", "sponsorship.updated", "sponsorship.ended"]);

    // The admin page shows the forms with the CSRF token.
    let admin_page = m.get("/admin/funding").await;
    assert_eq!(admin_page.status, 200);
    assert!(admin_page.body.contains("action=\"/admin/funding/import\"") && admin_page.body.contains(&csrf));

    // Pages: the funder (name escaped), the sponsorship shown as ended, its history.
    let plain = app.clone();
    let page = get(&plain, "/funders/hpsf-test").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Test &lt;b&gt;Foundation&lt;/b&gt;"), "escaped name");
    assert!(!page.body.contains("<b>Foundation"));
    assert!(page.body.contains("2,000.00 EUR"), "amount shown as typed");
    assert_eq!(get(&plain, "/funders/nobody").await.status, 404);
    let history = get(&plain, &format!("/funding/sponsorships/{id}")).await;
    assert_eq!(history.status, 200);
    assert!(
        history.body.contains("1,000.50 EUR") && history.body.contains("second"),
        "the earlier version is reachable"
    );
    assert_eq!(get(&plain, "/funding/sponsorships/999999").await.status, 404);

    // JSON matches the page's data.
    let json: Value = serde_json::from_str(&get(&plain, "/api/v1/funders/hpsf-test").await.body).unwrap();
    assert_eq!(json["sponsorships"][0]["amount"], "2000.00");
    assert_eq!(json["sponsorships"][0]["active"], false);
    assert_eq!(json["sponsorships"][0]["target"], "package:spack/builtin/hdf5");
    assert_eq!(json["sponsorships"][0]["revisions"], 2);
    assert!(json["sponsorships"][0]["health"]["maintainers"].as_i64().unwrap() >= 2, "hdf5 declares maintainers");
    assert_eq!(get(&plain, "/api/v1/funders/nobody").await.status, 404);

    // The package page says who funds it.
    let package = get(&plain, "/packages/spack/builtin/hdf5").await;
    assert!(
        package.body.contains("Funded by") && package.body.contains("/funders/hpsf-test"),
        "funded by on the package page"
    );
    let other = get(&plain, "/packages/spack/builtin/cmake").await;
    assert!(!other.body.contains("/funders/hpsf-test"));

    // A funder with sponsorships is not deleted; a sponsorship is, its last version kept.
    assert_eq!(m.post("/admin/funding/funders/hpsf-test/delete", &format!("csrf={csrf}")).await.status, 409);
    assert_eq!(m.post(&format!("/admin/funding/sponsorships/{id}/delete"), &format!("csrf={csrf}")).await.status, 303);
    assert_eq!(count(&pool, "SELECT count(*) FROM sponsorship_revisions WHERE operation = 'delete'").await, 1);
    assert_eq!(m.post("/admin/funding/funders/hpsf-test/delete", &format!("csrf={csrf}")).await.status, 303);
    assert_eq!(count(&pool, "SELECT count(*) FROM funders").await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn funding_csv_import_names_rows_and_fields_and_writes_nothing_when_wrong(pool: PgPool) {
    catalog(&pool).await;
    let provider = fake::start(ProviderKind::Github).await;
    let app = router(pool.clone(), fake::accounts(&[&provider]));
    let f = model::FunderInput {
        slug: "csv-funder".into(),
        name: "CSV".into(),
        kind: "agency".into(),
        ..Default::default()
    };
    write::create_funder(&pool, None, &f, false).await.unwrap();
    let (mut admin, csrf) = as_role(&app, &provider, &pool, "admin1", "admin").await;
    let audit_before = count(&pool, "SELECT count(*) FROM audit_log").await;
    let wrong = "funder,target,amount,currency,in_kind,starts_on,ends_on,note,source_url\n\
                 csv-funder,package:spack/builtin/hdf5,100,EUR,,2025-01-01,,,\n\
                 csv-funder,package:spack/builtin/cmake,100,eur,,2025-01-01,,,\n\
                 nobody,project:hdf5,5,USD,,2025-01-01,,,\n\
                 csv-funder,package:spack/builtin/nothere,5,USD,,2025-01-01,,,\n\
                 csv-funder,infrastructure:software-heritage,,,true,2025-01-01,2024-01-01,,\n";
    let answer = admin.post("/admin/funding/import", &format!("csv={}&csrf={csrf}", enc(wrong))).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    for line in ["row 3, currency:", "row 4, funder:", "row 5, target:", "row 6, ends_on:"] {
        assert!(answer.body.contains(line), "{line} in {}", answer.body);
    }
    assert!(!answer.body.contains("row 2"), "row 2 is right");
    assert_eq!(count(&pool, "SELECT count(*) FROM sponsorships").await, 0, "nothing written");
    assert_eq!(count(&pool, "SELECT count(*) FROM audit_log").await, audit_before);
    let header =
        admin.post("/admin/funding/import", &format!("csv={}&csrf={csrf}", enc("funder,target,colour\n"))).await;
    assert_eq!(header.status, 400);
    assert!(header.body.contains("row 1") && header.body.contains("colour"), "{}", header.body);

    let right = "funder,target,amount,currency,in_kind,starts_on\n\
                 csv-funder,package:spack/builtin/hdf5,100,EUR,,2025-01-01\n\
                 csv-funder,infrastructure:software-heritage,,,true,2025-01-01\n";
    let answer = admin.post("/admin/funding/import", &format!("csv={}&csrf={csrf}", enc(right))).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert_eq!(count(&pool, "SELECT count(*) FROM sponsorships").await, 2);
    assert_eq!(count(&pool, "SELECT count(*) FROM audit_log WHERE action = 'sponsorship.imported'").await, 1);

    // The same form with a file chosen (multipart, as the page sends it): a
    // spreadsheet's UTF-8 file with its byte order mark; the file wins over the text.
    let file = "\u{feff}funder,target,amount,currency,in_kind,starts_on\n\
                csv-funder,package:spack/builtin/cmake,7,USD,,2024-02-01\n";
    let csrf_b = csrf.as_bytes();
    let answer = admin
        .post_multipart(
            "/admin/funding/import",
            &[("csrf", None, csrf_b), ("csv", None, b""), ("file", Some("sponsors.csv"), file.as_bytes())],
        )
        .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert_eq!(count(&pool, "SELECT count(*) FROM sponsorships WHERE currency = 'USD'").await, 1);
    // A wrong row in a file is named as in the text; nothing written.
    let wrong_file =
        "funder,target,amount,currency,in_kind,starts_on\ncsv-funder,package:spack/builtin/cmake,7,usd,,2024-02-01\n";
    let answer = admin
        .post_multipart(
            "/admin/funding/import",
            &[("csrf", None, csrf_b), ("file", Some("x.csv"), wrong_file.as_bytes())],
        )
        .await;
    assert_eq!(answer.status, 400);
    assert!(answer.body.contains("row 2, currency:"), "{}", answer.body);
    // Not UTF-8 (Latin-1 "é"): said, nothing written.
    let latin1 = b"funder,target,amount,currency,in_kind,starts_on,ends_on,note\ncsv-funder,project:hdf5,1,EUR,,2024-01-01,,caf\xe9\n";
    let answer =
        admin.post_multipart("/admin/funding/import", &[("csrf", None, csrf_b), ("file", Some("l.csv"), latin1)]).await;
    assert_eq!(answer.status, 400);
    assert!(answer.body.contains("file: not UTF-8"), "{}", answer.body);
    // Without the CSRF token, refused like the text form.
    let answer = admin.post_multipart("/admin/funding/import", &[("file", Some("x.csv"), file.as_bytes())]).await;
    assert_eq!(answer.status, 403, "{}", answer.body);
    assert_eq!(count(&pool, "SELECT count(*) FROM sponsorships").await, 3);
}

#[sqlx::test(migrations = "../migrations")]
async fn funding_totals_are_per_currency_and_start_year(pool: PgPool) {
    catalog(&pool).await;
    for (slug, kind) in [("alpha", "foundation"), ("beta", "company")] {
        let f = model::FunderInput {
            slug: slug.into(),
            name: slug.to_uppercase(),
            kind: kind.into(),
            ..Default::default()
        };
        write::create_funder(&pool, None, &f, false).await.unwrap();
    }
    let s = |funder: &str, amount: &str, currency: &str, starts: &str, ends: &str| model::SponsorshipInput {
        funder: funder.into(),
        target: "project:hdf5".into(),
        amount: amount.into(),
        currency: currency.into(),
        in_kind: if amount.is_empty() { "true".into() } else { String::new() },
        starts_on: starts.into(),
        ends_on: ends.into(),
        ..Default::default()
    };
    for input in [
        s("alpha", "0.10", "EUR", "2024-06-01", "2026-05-31"),
        s("alpha", "0.20", "EUR", "2025-01-01", ""),
        s("alpha", "1000", "USD", "2025-01-01", "2025-06-30"),
        s("alpha", "", "", "2025-01-01", ""),
        s("beta", "99999999999999.99", "EUR", "2025-02-01", ""),
    ] {
        write::create_sponsorship(&pool, None, &input, false).await.unwrap();
    }
    // PostgreSQL's one-pass summary says what summing the per-year rows says.
    for filter in
        [Default::default(), app::api::funding::FundingFilter { status: Some("ended".into()), ..Default::default() }]
    {
        let select = read::Select { filter, ..Default::default() };
        let (mut totals, years) = read::summary(&pool, &select).await.unwrap();
        let yearly = read::yearly(&pool, &select).await.unwrap();
        let mut summed = read::per_funder(&yearly);
        let key = |t: &app::api::funding::Total| (t.funder_slug.clone(), t.currency.clone());
        totals.sort_by_key(key);
        summed.sort_by_key(key);
        assert_eq!(totals, summed);
        assert_eq!(years, read::per_year(&yearly));
    }
    let app = app(pool.clone());
    let o: Value = serde_json::from_str(&get(&app, "/api/v1/funding").await.body).unwrap();
    let totals = o["totals"].as_array().unwrap();
    let find = |funder: &str, currency: Value| {
        totals.iter().find(|t| t["funder_slug"] == funder && t["currency"] == currency).cloned().unwrap()
    };
    assert_eq!(find("alpha", "EUR".into())["amount"], "0.30", "exact, no float");
    assert_eq!(find("alpha", "USD".into())["amount"], "1000.00");
    assert_eq!(find("alpha", Value::Null)["sponsorships"], 1, "in kind counted");
    assert_eq!(find("alpha", Value::Null)["amount"], Value::Null);
    let years: Vec<(i64, String, String)> = o["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| {
            (y["year"].as_i64().unwrap(), y["currency"].as_str().unwrap().into(), y["amount"].as_str().unwrap().into())
        })
        .collect();
    assert_eq!(
        years,
        vec![
            (2024, "EUR".into(), "0.10".into()),
            (2025, "EUR".into(), "100000000000000.19".into()),
            (2025, "USD".into(), "1000.00".into()),
        ],
        "start year, per currency, beyond one amount's precision"
    );
    // Filters: currency, kind, status; unknown values are refused by the API.
    let usd: Value = serde_json::from_str(&get(&app, "/api/v1/funding?currency=USD").await.body).unwrap();
    assert_eq!(usd["totals"].as_array().unwrap().len(), 1);
    let company: Value = serde_json::from_str(&get(&app, "/api/v1/funding?kind=company").await.body).unwrap();
    assert!(company["totals"].as_array().unwrap().iter().all(|t| t["funder_slug"] == "beta"));
    let ended: Value = serde_json::from_str(&get(&app, "/api/v1/funding?status=ended").await.body).unwrap();
    let ended: Vec<(String, String)> = ended["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["currency"].as_str().unwrap().into(), t["amount"].as_str().unwrap().into()))
        .collect();
    assert_eq!(ended, vec![("EUR".into(), "0.10".into()), ("USD".into(), "1000.00".into())], "the two ended ones");
    assert_eq!(get(&app, "/api/v1/funding?currency=XYZ").await.status, 400);
    assert_eq!(get(&app, "/api/v1/funding?status=maybe").await.status, 400);
    // The page shows the same totals, per currency, with a chart and its table.
    let page = get(&app, "/funding").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("0.30 EUR") && page.body.contains("1,000.00 USD"), "totals on the page");
    assert!(page.body.contains("<svg") && page.body.contains("role=\"img\""), "a chart");
    let fr = super::support::get_with(&app, "/funding", &[("accept-language", "fr")]).await;
    assert!(fr.body.contains("Financements") && fr.body.contains("0,30 EUR"), "French");
    // Funders are listed 20 a page; the totals cover them all.
    sqlx::query("INSERT INTO funders (slug, name, kind) SELECT 'extra-' || i, 'Extra ' || i, 'company' FROM generate_series(1, 25) i")
        .execute(&pool)
        .await
        .unwrap();
    let first: Value = serde_json::from_str(&get(&app, "/api/v1/funding").await.body).unwrap();
    assert_eq!((first["page"].as_i64(), first["pages"].as_i64()), (Some(1), Some(2)));
    assert_eq!(first["funders"].as_array().unwrap().len(), 20);
    let second: Value = serde_json::from_str(&get(&app, "/api/v1/funding?page=2").await.body).unwrap();
    assert_eq!(second["funders"].as_array().unwrap().len(), 7);
    assert_eq!(second["totals"], first["totals"]);
    assert_eq!(get(&app, "/api/v1/funding?page=0").await.status, 400);
    let page2 = get(&app, "/funding?page=2").await.body;
    assert!(page2.contains("rel=\"prev\""), "a pager");
    // The page's table of totals is of its own funders (ALPHA is on page 1).
    assert!(!page2.contains("0.30 EUR") && get(&app, "/funding").await.body.contains("0.30 EUR"));
    // CSV exports.
    let csv = get(&app, "/funding.csv").await;
    assert!(csv.content_type.starts_with("text/csv"));
    assert_eq!(csv.body.lines().count(), 6);
    let totals_csv = get(&app, "/funding/totals.csv").await;
    assert!(totals_csv.body.contains("alpha,ALPHA,2025,EUR,0.20,false,1"), "{}", totals_csv.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn funding_demo_is_labelled_and_loads_once(pool: PgPool) {
    catalog(&pool).await;
    let written = pacatlas::funding::demo::load(&pool).await.unwrap();
    assert!(written >= 2, "the fixture has hdf5; some demo targets are skipped");
    assert_eq!(pacatlas::funding::demo::load(&pool).await.unwrap(), 0);
    assert_eq!(count(&pool, "SELECT count(*) FROM funders WHERE NOT demo").await, 0);
    assert_eq!(count(&pool, "SELECT count(*) FROM sponsorships WHERE NOT demo").await, 0);
    let page = get(&app(pool.clone()), "/funding").await;
    assert!(page.body.contains("demo, invented") && page.body.contains("Demo Foundation for HPC Software"));
}
