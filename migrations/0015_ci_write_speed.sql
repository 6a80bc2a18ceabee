-- CI import speed (#10): the same summaries as migrations 0008, 0010 and
-- 0011, kept with less work per imported page of 10,000 results.
--
-- * The summary trigger orders the new rows once (one window pass) instead
--   of sorting every group once per aggregate.
-- * Keys already in build_state / platform_builds are moved by a plain
--   UPDATE … FROM: `INSERT … ON CONFLICT DO UPDATE` locks each row before
--   updating it (a WAL record per row). New keys still go through ON CONFLICT
--   (two writers may add the same key at once).
-- * platform_builds records its search changes itself, from the rows it
--   replaces: its two statement triggers copied every update into two
--   transition tables and joined them again.

CREATE OR REPLACE FUNCTION build_results_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
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
               row_number() OVER w AS rn,                                   -- 1: the newest verdict of its key
               count(*) OVER (PARTITION BY service_id, package_id, COALESCE(system, '')) AS verdicts,
               -- whether a success comes at or after this verdict (then it is not in the current streak)
               bool_or(status = 'succeeded') OVER (w ROWS UNBOUNDED PRECEDING) AS success_since
        FROM new_rows WHERE package_id IS NOT NULL AND status <> 'cancelled'
        WINDOW w AS (PARTITION BY service_id, package_id, COALESCE(system, '')
                     ORDER BY finished_at DESC NULLS LAST, id DESC)),
    g AS (
        SELECT service_id, package_id, system,
               max(id) FILTER (WHERE rn = 1) AS last_id,
               max(status) FILTER (WHERE rn = 1) AS last_status,
               max(finished_at) FILTER (WHERE rn = 1) AS last_finished_at,
               max(status) FILTER (WHERE rn = 2) AS prev_status,
               max(id) FILTER (WHERE rn = verdicts) AS first_id,
               max(finished_at) FILTER (WHERE rn = verdicts) AS first_finished_at,
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
               o.last_status IS NULL OR (o.last_status = 'succeeded') <> (g.last_status = 'succeeded') AS flipped,
               o.service_id IS NOT NULL AS existed
        FROM g LEFT JOIN build_state o
            ON o.service_id = g.service_id AND o.package_id = g.package_id AND o.system = g.system
        WHERE o.service_id IS NULL
           OR (g.first_finished_at IS NOT NULL, COALESCE(g.first_finished_at, '-infinity'), g.first_id)
              > (o.last_finished_at IS NOT NULL, COALESCE(o.last_finished_at, '-infinity'), o.last_id)),
    moved AS (
        UPDATE build_state t SET
            last_id = a.last_id, last_status = a.last_status, last_finished_at = a.last_finished_at,
            prev_status = a.prev_status, last_success_at = a.last_success_at, failing_since = a.failing_since
        FROM adv a
        WHERE a.existed AND t.service_id = a.service_id AND t.package_id = a.package_id AND t.system = a.system
        RETURNING t.package_id),
    added AS (
        INSERT INTO build_state AS t (service_id, package_id, system, last_id, last_status, last_finished_at,
                                      prev_status, last_success_at, failing_since)
        SELECT service_id, package_id, system, last_id, last_status, last_finished_at, prev_status, last_success_at,
               failing_since
        FROM adv WHERE NOT existed
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
    -- The other keys (verdicts arriving out of order): recomputed from the history.
    PERFORM build_state_refresh(s, p, y);
    RETURN NULL;
END $$
SET jit = off;

-- The latest build per package, system, target and service; a latest build
-- that starts or stops succeeding (or a new one that succeeds) may change
-- the package's platforms in search: recorded in search_changes.
CREATE OR REPLACE FUNCTION platform_builds_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH latest AS (
        SELECT DISTINCT ON (n.package_id, COALESCE(n.system, ''), COALESCE(n.target, ''), n.service_id)
               n.package_id, COALESCE(n.system, '') AS system, COALESCE(n.target, '') AS target, n.service_id,
               n.id AS build_id, n.version, n.status, n.finished_at
        FROM new_rows n
        WHERE n.package_id IS NOT NULL
        ORDER BY n.package_id, COALESCE(n.system, ''), COALESCE(n.target, ''), n.service_id,
                 n.finished_at DESC NULLS LAST, n.id DESC),
    replacing AS (
        SELECT l.*, pb.package_id IS NOT NULL AS existed, pb.status AS old_status
        FROM latest l LEFT JOIN platform_builds pb
            ON pb.package_id = l.package_id AND pb.system = l.system AND pb.target = l.target
           AND pb.service_id = l.service_id
        WHERE pb.package_id IS NULL OR pb.build_id = l.build_id
           OR (COALESCE(l.finished_at, '-infinity'), l.build_id) > (COALESCE(pb.finished_at, '-infinity'), pb.build_id)),
    moved AS (
        UPDATE platform_builds pb SET build_id = r.build_id, version = r.version, status = r.status,
                                      finished_at = r.finished_at
        FROM replacing r
        WHERE r.existed AND pb.package_id = r.package_id AND pb.system = r.system AND pb.target = r.target
          AND pb.service_id = r.service_id
        RETURNING 1),
    added AS (
        INSERT INTO platform_builds AS pb (package_id, system, target, service_id, build_id, version, status,
                                           finished_at)
        SELECT package_id, system, target, service_id, build_id, version, status, finished_at
        FROM replacing WHERE NOT existed
        ON CONFLICT (package_id, system, target, service_id) DO UPDATE SET
            build_id = EXCLUDED.build_id, version = EXCLUDED.version, status = EXCLUDED.status,
            finished_at = EXCLUDED.finished_at
        WHERE pb.build_id = EXCLUDED.build_id
           OR (COALESCE(EXCLUDED.finished_at, '-infinity'), EXCLUDED.build_id)
              > (COALESCE(pb.finished_at, '-infinity'), pb.build_id)
        RETURNING 1)
    INSERT INTO search_changes (package_id)
    SELECT DISTINCT package_id FROM replacing
    WHERE CASE WHEN existed THEN (status = 'succeeded') IS DISTINCT FROM (old_status = 'succeeded')
               ELSE status = 'succeeded' END;
    RETURN NULL;
END $$
SET jit = off;

DROP TRIGGER platform_builds_search_insert ON platform_builds;
DROP TRIGGER platform_builds_search_update ON platform_builds;
DROP FUNCTION platform_builds_inserted_search();
DROP FUNCTION platform_builds_updated_search();

-- build_results' two foreign keys, checked once per statement rather than
-- once per row (20,000 lookups per imported page of 10,000 results): the
-- rows' services and packages are locked as a foreign key locks them (FOR
-- KEY SHARE: a concurrent delete waits for the writer, or the writer sees
-- the row gone), a missing one fails the statement with the same SQLSTATE.
-- Deleting a service still deletes its results; deleting a package still
-- keeps its results, unresolved.
-- (The triggers are named to fire before the other statement triggers, which
-- write rows referring to the same packages.)
ALTER TABLE build_results DROP CONSTRAINT build_results_service_id_fkey;
ALTER TABLE build_results DROP CONSTRAINT build_results_package_id_fkey;

CREATE FUNCTION build_results_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE missing bigint;
BEGIN
    WITH wanted AS (SELECT DISTINCT service_id AS id FROM new_rows),
         found AS (SELECT s.id FROM ci_services s WHERE s.id IN (SELECT id FROM wanted) FOR KEY SHARE)
    SELECT w.id INTO missing FROM wanted w WHERE w.id NOT IN (SELECT id FROM found) LIMIT 1;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'build result for CI service % which does not exist', missing
            USING ERRCODE = 'foreign_key_violation', TABLE = 'build_results', COLUMN = 'service_id';
    END IF;
    WITH wanted AS (SELECT DISTINCT package_id AS id FROM new_rows WHERE package_id IS NOT NULL),
         found AS (SELECT p.id FROM packages p WHERE p.id IN (SELECT id FROM wanted) FOR KEY SHARE)
    SELECT w.id INTO missing FROM wanted w WHERE NOT EXISTS (SELECT 1 FROM found f WHERE f.id = w.id) LIMIT 1;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'build result for package % which does not exist', missing
            USING ERRCODE = 'foreign_key_violation', TABLE = 'build_results', COLUMN = 'package_id';
    END IF;
    RETURN NULL;
END $$
SET jit = off;

CREATE TRIGGER build_results_check_insert AFTER INSERT ON build_results
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION build_results_check_references();
CREATE TRIGGER build_results_check_update AFTER UPDATE ON build_results
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION build_results_check_references();

CREATE FUNCTION ci_services_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM build_results b USING old_rows o WHERE b.service_id = o.id;
    RETURN NULL;
END $$;
CREATE TRIGGER ci_services_deleted_results AFTER DELETE ON ci_services
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ci_services_deleted();

CREATE FUNCTION packages_deleted_builds() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE build_results b SET package_id = NULL FROM old_rows o WHERE b.package_id = o.id;
    RETURN NULL;
END $$;
CREATE TRIGGER packages_deleted_builds AFTER DELETE ON packages
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION packages_deleted_builds();

-- One index for a package's history and for each key's verdicts newest
-- first (the state's walks skip cancelled builds as they go), instead of two.
DROP INDEX build_results_package_idx;
DROP INDEX build_results_state_idx;
CREATE INDEX build_results_key_idx ON build_results
    (package_id, service_id, (COALESCE(system, '')), finished_at DESC NULLS LAST, id DESC);

-- Updates of a key that keep its status and failure streak touch no index
-- (HOT) when the page has room: "new failures" are found through
-- build_state_failing_idx (a new failure's streak starts with its latest
-- verdict), so last_finished_at and prev_status are no longer indexed.
DROP INDEX build_state_new_idx;
ALTER TABLE build_state SET (fillfactor = 70);
ALTER TABLE platform_builds SET (fillfactor = 70);
