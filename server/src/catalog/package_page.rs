//! One package of one channel, everything its page shows, in one SQL
//! statement: PostgreSQL builds the JSON of `app::api::catalog::PackageDetail`
//! (one round trip, one snapshot), the server only adds the install command.
use app::api::catalog::{install_command, PackageDetail};
use sqlx::{types::Json, PgPool};

const SOURCE: &str = "json_build_object('origin_type', s.origin_type, 'urls', s.urls, 'git_url', s.git_url,
    'git_ref', s.git_ref, 'git_commit', s.git_commit, 'sha256', s.sha256, 'nar_sha256', s.nar_sha256,
    'integrity', s.integrity, 'forge_host', s.forge_host,
    'archival', (SELECT json_build_object('status', a.status, 'method', a.method, 'swhid', a.swhid, 'reason', a.reason,
                     'checked_at', to_char(a.checked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
                     'demo', a.demo)
                 FROM archival_checks a WHERE a.key = s.archival_key))";

fn statement() -> String {
    format!(
        "SELECT json_build_object(
            'ecosystem', c.ecosystem, 'channel', c.name, 'channel_revision', c.current_revision,
            'name', p.name, 'pname', p.pname, 'latest_version', p.latest_version, 'synopsis', p.synopsis,
            'description', p.description, 'homepage', p.homepage, 'repository_url', p.repository_url,
            'location', p.location, 'build_system', p.build_system, 'tags', p.tags, 'provides', p.provides,
            'platforms', p.platforms, 'removed', p.removed,
            'removed_at', to_char(p.removed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
            'first_seen_revision', p.first_seen_revision, 'last_seen_revision', p.last_seen_revision,
            'licenses', COALESCE((SELECT json_agg(json_build_object('raw', l.raw, 'spdx', l.spdx, 'condition', l.condition)
                                  ORDER BY l.position) FROM package_licenses l WHERE l.package_id = p.id), '[]'),
            'maintainers', COALESCE((SELECT json_agg(json_build_object('forge', m.forge, 'handle', m.handle, 'name', m.name)
                                     ORDER BY lower(m.handle))
                                     FROM package_maintainers pm JOIN maintainers m ON m.id = pm.maintainer_id
                                     WHERE pm.package_id = p.id), '[]'),
            'claimants', COALESCE((SELECT json_agg(json_build_object('forge', k.forge, 'handle', k.handle, 'name', k.name)
                                   ORDER BY lower(k.handle))
                                   FROM (SELECT DISTINCT ON (c.user_id) i.forge, i.handle, COALESCE(i.name, u.name) AS name
                                         FROM claims c JOIN users u ON u.id = c.user_id AND u.disabled_at IS NULL
                                         JOIN identities i ON i.user_id = c.user_id AND i.forge <> 'email'
                                         WHERE c.status IN ('verified', 'approved')
                                           AND (c.package_id = p.id OR c.project_id = p.project_id)
                                         ORDER BY c.user_id, i.forge <> 'github', i.id) k), '[]'),
            'versions', COALESCE((SELECT json_agg(json_build_object('version', v.version, 'deprecated', v.deprecated,
                                      'preferred', v.preferred,
                                      'sources', COALESCE((SELECT json_agg({SOURCE} ORDER BY s.id) FROM sources s
                                                           WHERE s.package_id = p.id AND s.version_id = v.id), '[]'))
                                  ORDER BY v.position) FROM package_versions v WHERE v.package_id = p.id), '[]'),
            'sources', COALESCE((SELECT json_agg({SOURCE} ORDER BY s.id) FROM sources s
                                 WHERE s.package_id = p.id AND s.version_id IS NULL), '[]'),
            'dependencies', COALESCE((SELECT json_agg(json_build_object('name', d.name, 'kinds', d.kinds, 'spec', d.spec,
                                 'condition', d.condition,
                                 'resolved', EXISTS (SELECT 1 FROM packages t WHERE t.channel_id = p.channel_id AND t.name = d.name),
                                 -- `+ 0`: look providers up by the provides index alone (few
                                 -- rows), never intersected with the whole channel's.
                                 'providers', (SELECT count(*) FROM packages t WHERE t.provides @> ARRAY[d.name]
                                               AND t.channel_id + 0 = p.channel_id AND NOT t.removed))
                                 ORDER BY d.position) FROM dependencies d WHERE d.package_id = p.id), '[]'),
            'dependents', p.dependents_count,
            'variants', COALESCE((SELECT json_agg(json_build_object('name', x.name, 'default_value', x.default_value,
                                  'description', x.description, 'allowed_values', x.allowed_values) ORDER BY x.position)
                                  FROM variants x WHERE x.package_id = p.id), '[]'),
            'conflicts', COALESCE((SELECT json_agg(json_build_object('spec', k->>'spec', 'when', k->>'when', 'message', k->>'msg'))
                                   FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p.extra->'conflicts') = 'array'
                                                                  THEN p.extra->'conflicts' ELSE '[]' END) k
                                   WHERE jsonb_typeof(k->'spec') = 'string'), '[]'),
            'gpu', COALESCE((SELECT json_agg(g.key ORDER BY g.key)
                             FROM jsonb_each(CASE WHEN jsonb_typeof(p.extra->'gpu') = 'object' THEN p.extra->'gpu' ELSE '{{}}' END) g
                             WHERE g.value = 'true'::jsonb), '[]'),
            'also_in', COALESCE((SELECT json_agg(json_build_object('ecosystem', a.ecosystem, 'channel', a.channel,
                                  'name', a.name, 'latest_version', a.latest_version, 'synopsis', a.synopsis, 'removed', a.removed)
                                  ORDER BY a.ord)
                                 FROM (SELECT oc.ecosystem, oc.name AS channel, q.name, q.latest_version, q.synopsis, q.removed,
                                              row_number() OVER (ORDER BY oc.ecosystem = c.ecosystem, oc.ecosystem, oc.name, q.name) AS ord
                                       FROM packages q JOIN channels oc ON oc.id = q.channel_id
                                       WHERE q.project_id = p.project_id AND q.id <> p.id AND NOT q.removed
                                       ORDER BY ord LIMIT 50) a), '[]'),
            'install', ''
         )
         FROM packages p JOIN channels c ON c.id = p.channel_id
         WHERE c.ecosystem = $1 AND c.name = $2 AND p.name = $3"
    )
}

pub async fn package(
    pool: &PgPool,
    ecosystem: &str,
    channel: &str,
    name: &str,
) -> Result<Option<PackageDetail>, sqlx::Error> {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let sql = SQL.get_or_init(statement);
    let found: Option<Json<PackageDetail>> =
        sqlx::query_scalar(sql).bind(ecosystem).bind(channel).bind(name).fetch_optional(pool).await?;
    Ok(found.map(|Json(mut p)| {
        p.install = install_command(&p.ecosystem, &p.name);
        p
    }))
}
