-- The health of each sponsored target (a package, a project, a maintainer's
-- packages), kept for one catalog generation so that /funding does not
-- count sources, archival checks and maintainers per request (#14). The
-- table is replaced whole by the server (funding/health.rs) when a page finds
-- it older than the catalog; until then pages compute the health of what
-- they show themselves, so nothing is ever shown stale. Derived data: its
-- refresh does not start a new generation.
CREATE TABLE funding_target_health (
    target_kind text NOT NULL CHECK (target_kind IN ('project', 'package', 'maintainer')),
    target_id   bigint NOT NULL,    -- the project, package or maintainer
    packages    bigint NOT NULL,    -- present packages the target covers
    built       bigint NOT NULL,    -- of which a CI builds
    failing     bigint NOT NULL,    -- of which the latest builds fail
    sources     bigint NOT NULL,    -- their sources
    archived    bigint NOT NULL,    -- of which Software Heritage has
    missing     bigint NOT NULL,    -- of which it lacks
    maintainers bigint NOT NULL,    -- declared maintainers plus active claimants (not for a maintainer target)
    PRIMARY KEY (target_kind, target_id)
);

-- The generation the table was computed for (one row).
CREATE TABLE funding_health_state (
    id           boolean PRIMARY KEY DEFAULT true CHECK (id),
    generation   bigint NOT NULL,
    refreshed_at timestamptz NOT NULL,
    duration_ms  bigint NOT NULL,
    targets      bigint NOT NULL
);
