-- Archival coverage in Software Heritage: what each source is checked by
-- (its archival key, computed from the source row so every ingest keeps it),
-- the result of the latest check of each key, coverage snapshots per channel
-- revision, and the "save code now" requests made.

-- The identity Software Heritage is asked about, best method first:
--   revision:<sha1>      a git commit (GET /api/1/revision/<sha1>/)
--   hg-nodeid:<hex>      a Mercurial changeset (extid hg-nodeid)
--   nar-sha256:<hex>     a recursive (NAR) hash (extid nar-sha256, Guix/Nix)
--   sha256:<hex>         a flat file hash (extid checksum-sha256, then content)
--   origin:<url>         a VCS origin without a commit (its latest visit with a snapshot)
--   unknown:<reason>     nothing to ask with (no-hash, no-url, unsupported-origin)
-- Generated: the ingest's COPY does not name it, and every rewrite of a
-- source recomputes it. Sources of different channels sharing a tarball
-- share one check.
ALTER TABLE sources ADD COLUMN archival_key text NOT NULL GENERATED ALWAYS AS (
    CASE
        WHEN origin_type = 'git' AND git_commit ~ '^[0-9a-f]{40}$' THEN 'revision:' || git_commit
        WHEN origin_type = 'hg' AND git_commit ~ '^[0-9a-f]{40}$' THEN 'hg-nodeid:' || git_commit
        WHEN nar_sha256 IS NOT NULL THEN 'nar-sha256:' || nar_sha256
        WHEN sha256 IS NOT NULL THEN 'sha256:' || sha256
        WHEN origin_type IN ('git', 'svn', 'hg') AND git_url IS NOT NULL THEN 'origin:' || git_url
        WHEN origin_type IN ('git', 'svn', 'hg') THEN 'unknown:no-url'
        WHEN origin_type = 'url' THEN 'unknown:no-hash'
        ELSE 'unknown:unsupported-origin'
    END) STORED;
CREATE INDEX sources_archival_key_idx ON sources (archival_key);

-- The latest check of each key. Rechecked when older than the window of
-- `pacatlas archival check --stale-after` (errors: at every run).
CREATE TABLE archival_checks (
    key         text PRIMARY KEY,
    status      text NOT NULL CHECK (status IN ('archived', 'missing', 'unknown', 'error')),
    method      text NOT NULL CHECK (method IN ('revision', 'extid-hg-nodeid', 'extid-nar-sha256',
                                                'extid-checksum-sha256', 'content-sha256', 'origin-visit', 'none')),
    swhid       text CHECK (swhid ~ '^swh:1:(cnt|dir|rev|rel|snp):[0-9a-f]{40}$'),
    reason      text,                       -- unknown: why; error: what went wrong
    checked_at  timestamptz NOT NULL,
    demo        boolean NOT NULL DEFAULT false   -- made up by `pacatlas demo`
);
CREATE INDEX archival_checks_checked_idx ON archival_checks (checked_at);

-- Coverage of a channel at one revision, taken after each check run (taken
-- again at the same revision, it is replaced). Counts over the sources of the
-- channel's present packages; per origin type and per host as JSON; the
-- Herfindahl-Hirschman index of the hosts' shares (0 to 10,000).
CREATE TABLE archival_snapshots (
    id          bigserial PRIMARY KEY,
    channel_id  bigint NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    revision    text NOT NULL,
    taken_at    timestamptz NOT NULL DEFAULT now(),
    sources     bigint NOT NULL,
    archived    bigint NOT NULL,
    missing     bigint NOT NULL,
    unknown     bigint NOT NULL,
    error       bigint NOT NULL,
    unchecked   bigint NOT NULL,
    by_type     jsonb NOT NULL,             -- [{"origin_type", "sources", "archived", "missing", "unknown", "error", "unchecked"}]
    by_host     jsonb NOT NULL,             -- [{"host", "sources", "unarchived"}], most sources first
    hhi         double precision NOT NULL,
    demo        boolean NOT NULL DEFAULT false,
    UNIQUE (channel_id, revision)
);
CREATE INDEX archival_snapshots_taken_idx ON archival_snapshots (channel_id, taken_at);

-- "Save code now" requests made for missing origins (`--request-save`).
CREATE TABLE archival_save_requests (
    origin_url      text PRIMARY KEY,
    visit_type      text NOT NULL CHECK (visit_type IN ('git', 'svn', 'hg')),
    requested_at    timestamptz NOT NULL DEFAULT now(),
    request_status  text,                   -- as Software Heritage answered (accepted, pending, rejected…)
    error           text
);
