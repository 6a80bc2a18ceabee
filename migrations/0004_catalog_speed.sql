-- Reading pages fast and failing ingests visibly.

-- Deleting a package's versions (a changed package is rewritten) cascades to
-- its sources by version: without this index each deleted version scanned
-- every source (14 s to rewrite 300 Spack packages over the 9k corpus).
CREATE INDEX sources_version_idx ON sources (version_id);

-- Package counts per channel, kept by each ingest (in its transaction)
-- instead of being counted per request.
ALTER TABLE channels
    ADD COLUMN packages_count bigint NOT NULL DEFAULT 0,
    ADD COLUMN removed_count  bigint NOT NULL DEFAULT 0;
UPDATE channels c SET
    packages_count = (SELECT count(*) FROM packages p WHERE p.channel_id = c.id AND NOT p.removed),
    removed_count  = (SELECT count(*) FROM packages p WHERE p.channel_id = c.id AND p.removed);

-- How many packages of the same channel depend on each package, kept by the
-- ingest (a package page showed it by counting over every dependency).
ALTER TABLE packages ADD COLUMN dependents_count bigint NOT NULL DEFAULT 0;
UPDATE packages p SET dependents_count = c.n
FROM (SELECT q.channel_id, d.name, count(DISTINCT d.package_id) FILTER (WHERE q.name <> d.name) AS n
      FROM dependencies d JOIN packages q ON q.id = d.package_id
      WHERE NOT q.removed GROUP BY q.channel_id, d.name) c
WHERE c.channel_id = p.channel_id AND c.name = p.name AND c.n > 0;

-- Failed ingests, written after the ingest's transaction was rolled back, so
-- the catalog after a failure equals the one before. No foreign key: the
-- channel may not exist (its first ingest failed).
CREATE TABLE ingest_failures (
    id          bigserial PRIMARY KEY,
    ecosystem   text NOT NULL,
    channel     text NOT NULL,
    revision    text,
    inputs      jsonb NOT NULL DEFAULT '[]',   -- [{"name": "...", "sha256": "...", "bytes": n}]
    file        text,                          -- the input the error is in
    record      text,                          -- the record (package) it is in
    place       text,                          -- the path inside the record
    error       text NOT NULL,
    started_at  timestamptz NOT NULL,
    failed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ingest_failures_channel_idx ON ingest_failures (ecosystem, channel, failed_at DESC);

-- The catalog's generation: bumped by every recorded ingest (run or
-- failure), announced on the `pacatlas_catalog` channel when the writing
-- transaction commits. Servers cache pages per generation.
CREATE TABLE catalog_state (
    id          boolean PRIMARY KEY DEFAULT true CHECK (id),
    generation  bigint NOT NULL
);
INSERT INTO catalog_state (id, generation) VALUES (true, 1);

CREATE FUNCTION pacatlas_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE g bigint;
BEGIN
    UPDATE catalog_state SET generation = generation + 1 RETURNING generation INTO g;
    PERFORM pg_notify('pacatlas_catalog', g::text);
    RETURN NULL;
END $$;
CREATE TRIGGER ingest_runs_changed AFTER INSERT ON ingest_runs
    FOR EACH STATEMENT EXECUTE FUNCTION pacatlas_catalog_changed();
CREATE TRIGGER ingest_failures_changed AFTER INSERT ON ingest_failures
    FOR EACH STATEMENT EXECUTE FUNCTION pacatlas_catalog_changed();

-- Input names are file names or URLs, never a path on the server.
UPDATE ingest_runs SET inputs = (
    SELECT COALESCE(jsonb_agg(CASE WHEN e->>'name' ~ '^[a-z][a-z0-9+.-]*://' THEN e
                                   ELSE jsonb_set(e, '{name}', to_jsonb(regexp_replace(e->>'name', '^.*/', ''))) END
                              ORDER BY n), '[]'::jsonb)
    FROM jsonb_array_elements(inputs) WITH ORDINALITY AS x(e, n))
WHERE inputs::text LIKE '%/%';
