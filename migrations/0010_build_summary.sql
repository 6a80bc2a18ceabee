-- CI status at scale: summaries kept by the database itself as build results
-- are written (any writer: importers, the push API, the demo), so that /ci,
-- the success-rate chart and the search facet never scan the history.
--
-- build_state: per service × package × system, the latest verdict (cancelled
--   builds say nothing), the one before, the last success and since when it
--   fails.
-- build_daily: per service × day × status, how many builds finished.
-- package_ci: per package, passing / failing (unknown = no row); a change is
--   recorded in search_changes so the search indexes pick it up.

CREATE TABLE build_state (
    service_id       bigint NOT NULL REFERENCES ci_services (id) ON DELETE CASCADE,
    package_id       bigint NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    system           text NOT NULL,          -- '' where the service gave none
    last_id          bigint NOT NULL,
    last_status      text NOT NULL,
    last_finished_at timestamptz,
    prev_status      text,
    last_success_at  timestamptz,
    failing_since    timestamptz,            -- NULL while the latest build succeeded
    PRIMARY KEY (service_id, package_id, system)
);
CREATE INDEX build_state_package_idx ON build_state (package_id);
CREATE INDEX build_state_failing_idx ON build_state (failing_since) WHERE last_status <> 'succeeded';
CREATE INDEX build_state_new_idx ON build_state (last_finished_at DESC)
    WHERE last_status <> 'succeeded' AND (prev_status IS NULL OR prev_status = 'succeeded');

CREATE TABLE build_daily (
    service_id       bigint NOT NULL REFERENCES ci_services (id) ON DELETE CASCADE,
    day              date NOT NULL,          -- UTC day it finished; 1970-01-01 when unknown
    status           text NOT NULL,
    builds           bigint NOT NULL,
    unresolved       bigint NOT NULL,        -- of which no package of the channel matched the job
    last_finished_at timestamptz,
    PRIMARY KEY (service_id, day, status)
);

CREATE TABLE package_ci (
    package_id  bigint PRIMARY KEY REFERENCES packages (id) ON DELETE CASCADE,
    status      text NOT NULL CHECK (status IN ('passing', 'failing'))
);

-- What the state is read from: a key's verdicts newest first (cancelled
-- builds say nothing), so that the latest two, the last success and the
-- current failure streak are each a short walk of this index.
CREATE INDEX build_results_state_idx ON build_results
    (package_id, service_id, (COALESCE(system, '')), finished_at DESC NULLS LAST, id DESC)
    WHERE status <> 'cancelled';

-- "Failing packages the most packages depend on": packages walked by
-- dependents, each looked up in build_state, until enough fail.
CREATE INDEX packages_dependents_idx ON packages (dependents_count DESC, name);

-- Counts per service and status now come from build_daily; this index only
-- cost writes, and tempted the planner away from the one above.
DROP INDEX build_results_service_status_idx;

-- Recomputes the state of the given service × package × system keys, then
-- the packages' CI status.
CREATE FUNCTION build_state_refresh(services bigint[], packages_ bigint[], systems text[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(services) = 0 THEN
        RETURN;
    END IF;

    DELETE FROM build_state s USING unnest(services, packages_, systems) AS k (service_id, package_id, system)
        WHERE s.service_id = k.service_id AND s.package_id = k.package_id AND s.system = k.system;

    INSERT INTO build_state (service_id, package_id, system, last_id, last_status, last_finished_at,
                             prev_status, last_success_at, failing_since)
    SELECT k.service_id, k.package_id, k.system, l.id, l.status, l.finished_at, p.status, ok.finished_at,
           CASE WHEN l.status <> 'succeeded' THEN (
               SELECT min(b.finished_at) FROM build_results b
               WHERE b.package_id = k.package_id AND b.service_id = k.service_id
                 AND COALESCE(b.system, '') = k.system AND b.status <> 'cancelled'
                 AND b.finished_at > COALESCE(ok.finished_at, '-infinity'))
           END
    FROM unnest(services, packages_, systems) AS k (service_id, package_id, system)
    CROSS JOIN LATERAL (
        SELECT b.id, b.status, b.finished_at FROM build_results b
        WHERE b.package_id = k.package_id AND b.service_id = k.service_id
          AND COALESCE(b.system, '') = k.system AND b.status <> 'cancelled'
        ORDER BY b.finished_at DESC NULLS LAST, b.id DESC LIMIT 1) l
    LEFT JOIN LATERAL (
        SELECT b.status FROM build_results b
        WHERE b.package_id = k.package_id AND b.service_id = k.service_id
          AND COALESCE(b.system, '') = k.system AND b.status <> 'cancelled'
        ORDER BY b.finished_at DESC NULLS LAST, b.id DESC OFFSET 1 LIMIT 1) p ON true
    LEFT JOIN LATERAL (
        SELECT b.finished_at FROM build_results b
        WHERE b.package_id = k.package_id AND b.service_id = k.service_id
          AND COALESCE(b.system, '') = k.system AND b.status <> 'cancelled' AND b.status = 'succeeded'
        ORDER BY b.finished_at DESC NULLS LAST, b.id DESC LIMIT 1) ok ON true;

    PERFORM package_ci_refresh(packages_);
END $$
-- Each key is a few steps of build_results_state_idx; without statistics
-- (a fresh table, autovacuum off) the planner would scan the whole table
-- once per key instead.
SET enable_seqscan = off
SET jit = off;

-- The CI status of these packages from their state; a change goes to the
-- search indexes.
CREATE FUNCTION package_ci_refresh(packages_ bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    WITH touched AS (SELECT DISTINCT p AS package_id FROM unnest(packages_) AS p),
    now_ AS (
        SELECT t.package_id,
               CASE WHEN bool_or(s.last_status <> 'succeeded') THEN 'failing'
                    WHEN count(s.package_id) > 0 THEN 'passing' END AS status
        FROM touched t LEFT JOIN build_state s ON s.package_id = t.package_id
        GROUP BY t.package_id),
    changed AS (
        SELECT n.package_id, n.status FROM now_ n LEFT JOIN package_ci c ON c.package_id = n.package_id
        WHERE n.status IS DISTINCT FROM c.status),
    gone AS (
        DELETE FROM package_ci c USING changed x WHERE c.package_id = x.package_id AND x.status IS NULL
        RETURNING c.package_id),
    kept AS (
        INSERT INTO package_ci (package_id, status)
        SELECT package_id, status FROM changed WHERE status IS NOT NULL
        ON CONFLICT (package_id) DO UPDATE SET status = EXCLUDED.status
        RETURNING package_id)
    INSERT INTO search_changes (package_id)
    SELECT package_id FROM changed;
END $$
SET enable_seqscan = off
SET jit = off;

-- Day a build counts for (UTC; 1970-01-01 when the service gave no time).
CREATE FUNCTION build_day(t timestamptz) RETURNS date LANGUAGE sql IMMUTABLE AS $$
    SELECT COALESCE((t AT TIME ZONE 'UTC')::date, date '1970-01-01')
$$;

-- New rows: add them to the daily counts, then the state of their keys.
-- Where every new verdict of a key comes after its latest one (an importer
-- walking forward, a push of new builds) the state advances from the new
-- rows alone; other keys (results arriving out of order) are recomputed.
CREATE FUNCTION build_results_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE s bigint[]; p bigint[]; y text[]; advanced bigint[];
BEGIN
    INSERT INTO build_daily AS d (service_id, day, status, builds, unresolved, last_finished_at)
    SELECT service_id, build_day(finished_at), status,
           count(*), count(*) FILTER (WHERE package_id IS NULL), max(finished_at)
    FROM new_rows GROUP BY 1, 2, 3
    ON CONFLICT (service_id, day, status) DO UPDATE SET
        builds = d.builds + EXCLUDED.builds, unresolved = d.unresolved + EXCLUDED.unresolved,
        last_finished_at = GREATEST(d.last_finished_at, EXCLUDED.last_finished_at);

    WITH n AS (
        SELECT service_id, package_id, COALESCE(system, '') AS system, id, status, finished_at,
               -- whether a success comes at or after this verdict (then it is not in the current streak)
               bool_or(status = 'succeeded') OVER (
                   PARTITION BY service_id, package_id, COALESCE(system, '')
                   ORDER BY finished_at DESC NULLS LAST, id DESC ROWS UNBOUNDED PRECEDING) AS success_since
        FROM new_rows WHERE package_id IS NOT NULL AND status <> 'cancelled'),
    g AS (
        SELECT service_id, package_id, system,
               (array_agg(id ORDER BY finished_at DESC NULLS LAST, id DESC))[1] AS last_id,
               (array_agg(status ORDER BY finished_at DESC NULLS LAST, id DESC))[1] AS last_status,
               (array_agg(finished_at ORDER BY finished_at DESC NULLS LAST, id DESC))[1] AS last_finished_at,
               (array_agg(status ORDER BY finished_at DESC NULLS LAST, id DESC))[2] AS prev_status,
               (array_agg(id ORDER BY finished_at ASC NULLS FIRST, id ASC))[1] AS first_id,
               (array_agg(finished_at ORDER BY finished_at ASC NULLS FIRST, id ASC))[1] AS first_finished_at,
               max(finished_at) FILTER (WHERE status = 'succeeded') AS success_at,
               bool_or(status = 'succeeded') AS any_success,
               min(finished_at) FILTER (WHERE NOT success_since) AS streak_start
        FROM n GROUP BY 1, 2, 3),
    adv AS (
        SELECT g.service_id, g.package_id, g.system, g.last_id, g.last_status, g.last_finished_at,
               COALESCE(g.prev_status, o.last_status) AS prev_status,
               GREATEST(o.last_success_at, g.success_at) AS last_success_at,
               CASE WHEN g.last_status = 'succeeded' THEN NULL
                    WHEN g.any_success OR o.last_status IS NULL OR o.last_status = 'succeeded' THEN g.streak_start
                    ELSE COALESCE(o.failing_since, g.streak_start) END AS failing_since,
               -- new, or passing ⇄ failing: the package's CI status may change
               o.last_status IS NULL OR (o.last_status = 'succeeded') <> (g.last_status = 'succeeded') AS flipped
        FROM g LEFT JOIN build_state o
            ON o.service_id = g.service_id AND o.package_id = g.package_id AND o.system = g.system
        WHERE o.service_id IS NULL
           OR (g.first_finished_at IS NOT NULL, COALESCE(g.first_finished_at, '-infinity'), g.first_id)
              > (o.last_finished_at IS NOT NULL, COALESCE(o.last_finished_at, '-infinity'), o.last_id)),
    up AS (
        INSERT INTO build_state AS t (service_id, package_id, system, last_id, last_status, last_finished_at,
                                      prev_status, last_success_at, failing_since)
        SELECT service_id, package_id, system, last_id, last_status, last_finished_at, prev_status, last_success_at,
               failing_since
        FROM adv
        ON CONFLICT (service_id, package_id, system) DO UPDATE SET
            last_id = EXCLUDED.last_id, last_status = EXCLUDED.last_status,
            last_finished_at = EXCLUDED.last_finished_at, prev_status = EXCLUDED.prev_status,
            last_success_at = EXCLUDED.last_success_at, failing_since = EXCLUDED.failing_since
        RETURNING t.package_id)
    SELECT (SELECT COALESCE(array_agg(DISTINCT package_id), '{}') FROM adv WHERE flipped),
           COALESCE(array_agg(g.service_id), '{}'), COALESCE(array_agg(g.package_id), '{}'),
           COALESCE(array_agg(g.system), '{}')
    INTO advanced, s, p, y
    FROM g WHERE NOT EXISTS (SELECT 1 FROM adv a WHERE a.service_id = g.service_id AND a.package_id = g.package_id
                             AND a.system = g.system);
    PERFORM package_ci_refresh(advanced);
    -- The other keys: recomputed from the history.
    PERFORM build_state_refresh(s, p, y);
    RETURN NULL;
END $$
SET jit = off;

-- Changed rows: move their counts, refresh their old and new keys.
CREATE FUNCTION build_results_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE s bigint[]; p bigint[]; y text[];
BEGIN
    INSERT INTO build_daily AS d (service_id, day, status, builds, unresolved, last_finished_at)
    SELECT service_id, day, status, sum(n), sum(u), max(t) FROM (
        SELECT service_id, build_day(finished_at) AS day, status,
               -1 AS n, CASE WHEN package_id IS NULL THEN -1 ELSE 0 END AS u, NULL::timestamptz AS t
        FROM old_rows
        UNION ALL
        SELECT service_id, build_day(finished_at), status, 1, CASE WHEN package_id IS NULL THEN 1 ELSE 0 END,
               finished_at
        FROM new_rows) x
    GROUP BY 1, 2, 3
    ON CONFLICT (service_id, day, status) DO UPDATE SET
        builds = d.builds + EXCLUDED.builds, unresolved = d.unresolved + EXCLUDED.unresolved,
        last_finished_at = GREATEST(d.last_finished_at, EXCLUDED.last_finished_at);
    DELETE FROM build_daily d USING (SELECT DISTINCT service_id FROM old_rows) o
        WHERE d.service_id = o.service_id AND d.builds <= 0;
    SELECT COALESCE(array_agg(service_id), '{}'), COALESCE(array_agg(package_id), '{}'), COALESCE(array_agg(sys), '{}')
    INTO s, p, y
    FROM (SELECT service_id, package_id, COALESCE(system, '') AS sys FROM old_rows WHERE package_id IS NOT NULL
          UNION
          SELECT service_id, package_id, COALESCE(system, '') FROM new_rows WHERE package_id IS NOT NULL) k;
    PERFORM build_state_refresh(s, p, y);
    RETURN NULL;
END $$;

CREATE TRIGGER build_results_summary_insert AFTER INSERT ON build_results
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION build_results_inserted();
CREATE TRIGGER build_results_summary_update AFTER UPDATE ON build_results
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION build_results_updated();

-- The results already there.
INSERT INTO build_daily (service_id, day, status, builds, unresolved, last_finished_at)
SELECT service_id, build_day(finished_at), status, count(*), count(*) FILTER (WHERE package_id IS NULL), max(finished_at)
FROM build_results GROUP BY 1, 2, 3;
SELECT build_state_refresh(COALESCE(array_agg(service_id), '{}'), COALESCE(array_agg(package_id), '{}'),
                           COALESCE(array_agg(sys), '{}'))
FROM (SELECT DISTINCT service_id, package_id, COALESCE(system, '') AS sys
      FROM build_results WHERE package_id IS NOT NULL) k;
