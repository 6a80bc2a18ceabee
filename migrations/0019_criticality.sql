-- Criticality (#14): per project (the same software across ecosystems), how
-- much depends on it and how fragile it is, recomputed whole by
-- `pacatlas funding criticality` (after ingests, on demand, and by `serve`
-- when the catalog generation moved). One row per project with at least one
-- present package. See README, "Criticality", for what is counted and the
-- score's formula.

CREATE TABLE project_criticality (
    project_id              bigint PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    -- present packages of other projects, over every channel, with a
    -- dependency on one of this project's packages (direct), or a chain of
    -- dependencies to one (transitive, including direct)
    direct_dependents       bigint NOT NULL CHECK (direct_dependents >= 0),
    transitive_dependents   bigint NOT NULL CHECK (transitive_dependents >= direct_dependents),
    packages                integer NOT NULL,           -- present packages of the project
    ecosystems              text[] NOT NULL,            -- guix, nix, spack (sorted)
    tags                    text[] NOT NULL DEFAULT '{}',   -- the union of its packages' tags
    -- declared maintainers plus claimants (active claims) that are none of them
    maintainers             integer NOT NULL,
    funded                  boolean NOT NULL,           -- an active sponsorship of it, a package, or a maintainer
    ci_packages             integer NOT NULL,           -- packages a CI builds
    ci_failing              integer NOT NULL,           -- of which the latest builds fail
    sources_checked         integer NOT NULL,           -- sources checked against Software Heritage (archived or missing)
    sources_archived        integer NOT NULL,
    primary_package_id      bigint REFERENCES packages (id) ON DELETE SET NULL,  -- its package most depended on (the link)
    score                   double precision NOT NULL,
    rank                    integer NOT NULL,           -- among every project, by score
    computed_at             timestamptz NOT NULL
);

-- The critical-but-unfunded list: unfunded, at most one maintainer, by
-- score (or by transitive dependents), read as an index walk.
CREATE INDEX project_criticality_critical_idx ON project_criticality (score DESC, project_id)
    WHERE NOT funded AND maintainers <= 1 AND score > 0;
CREATE INDEX project_criticality_critical_dependents_idx
    ON project_criticality (transitive_dependents DESC, score DESC, project_id)
    WHERE NOT funded AND maintainers <= 1 AND score > 0;
CREATE INDEX project_criticality_ecosystems_idx ON project_criticality USING gin (ecosystems);
CREATE INDEX project_criticality_tags_idx ON project_criticality USING gin (tags);

-- The latest computation (one row).
CREATE TABLE criticality_state (
    id              boolean PRIMARY KEY DEFAULT true CHECK (id),
    generation      bigint NOT NULL,    -- the catalog generation it saw
    computed_at     timestamptz NOT NULL,
    duration_ms     bigint NOT NULL,
    packages        bigint NOT NULL,    -- present packages read
    edges           bigint NOT NULL,    -- distinct package-to-package dependencies
    projects        bigint NOT NULL,
    cycles          bigint NOT NULL,    -- strongly connected components of more than one package
    largest_cycle   bigint NOT NULL,    -- packages in the largest one
    tags            text[] NOT NULL DEFAULT '{}'    -- the most common tags of the list, for its filter
);
