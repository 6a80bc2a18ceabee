//! Demo accounts, made up and labelled demo: an admin, a moderator and a
//! user (GitHub handles demo-admin, demo-moderator, demo-user, reachable
//! through the development login only), the user's claim approved by the
//! moderator, another waiting in the moderation queue, and their audit
//! entries. Loading twice changes nothing.
use sqlx::PgPool;

const PEOPLE: [(&str, &str, &str); 3] = [
    ("demo-admin", "Demo admin", "admin"),
    ("demo-moderator", "Demo moderator", "moderator"),
    ("demo-user", "Demo user", "user"),
];

/// Returns the number of demo claims written (0 when they exist already).
pub async fn load(pool: &PgPool) -> sqlx::Result<u64> {
    let mut tx = pool.begin().await?;
    let mut ids = Vec::new();
    for (handle, name, role) in PEOPLE {
        // The development login names an identity `dev-login:{handle}`.
        let subject = format!("dev-login:{handle}");
        let known: Option<i64> =
            sqlx::query_scalar("SELECT user_id FROM identities WHERE forge = 'github' AND subject = $1")
                .bind(&subject)
                .fetch_optional(&mut *tx)
                .await?;
        if known.is_some() {
            return Ok(0);
        }
        let id: i64 = sqlx::query_scalar("INSERT INTO users (name, role) VALUES ($1, $2) RETURNING id")
            .bind(name)
            .bind(role)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO identities (user_id, forge, subject, handle, name) VALUES ($1, 'github', $2, $3, $4)")
            .bind(id)
            .bind(&subject)
            .bind(handle)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        ids.push(id);
    }
    let (moderator, user) = (ids[1], ids[2]);
    let package = |name: &'static str| {
        sqlx::query_scalar::<_, i64>(
            "SELECT p.id FROM packages p JOIN channels c ON c.id = p.channel_id
              WHERE c.ecosystem = 'spack' AND c.name = 'builtin' AND p.name = $1",
        )
        .bind(name)
    };
    let mut written = 0;
    let claims = [
        ("cmake", "approved", "Demo: made-up evidence (upstream commit links).", Some("Demo: evidence checked.")),
        ("zlib-ng", "pending", "Demo: made-up evidence waiting for a moderator.", None),
    ];
    for (name, status, evidence, reason) in claims {
        let Some(package) = package(name).fetch_optional(&mut *tx).await? else { continue };
        let decided = status != "pending";
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO claims (user_id, package_id, status, evidence, reason, decided_by, decided_at)
             VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7 THEN now() END) RETURNING id",
        )
        .bind(user)
        .bind(package)
        .bind(status)
        .bind(evidence)
        .bind(reason)
        .bind(decided.then_some(moderator))
        .bind(decided)
        .fetch_one(&mut *tx)
        .await?;
        let demo = serde_json::json!({"demo": true});
        let target = format!("claim:{id}");
        super::audit::record(&mut *tx, Some(user), "claim.created", &target, None, demo.clone()).await?;
        if decided {
            super::audit::record(&mut *tx, Some(moderator), "claim.approved", &target, reason, demo).await?;
        }
        written += 1;
    }
    tx.commit().await?;
    Ok(written)
}
