-- Hardware-support matrix: HPC sites, their machines and partitions, the
-- attestations sites make of what works where (history kept), and the latest
-- build per package × service × system × target, kept at write time from
-- build_results so the matrix reads a small table.

-- Tokens may now be scoped to a site (site:NAME) as well as a CI service
-- (ci:NAME): the form is checked here, the kinds by the application.
ALTER TABLE api_tokens DROP CONSTRAINT IF EXISTS api_tokens_scope_check;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_scope_form CHECK (scope ~ '^[a-z]+:[a-z0-9][a-z0-9._-]{0,62}$');

CREATE TABLE sites (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    title       text NOT NULL,
    operator    text NOT NULL,
    url         text,
    country     text,
    description text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE machines (
    id          bigserial PRIMARY KEY,
    site_id     bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    title       text NOT NULL,
    url         text,
    description text,
    UNIQUE (site_id, name)
);

-- A partition: nodes of one kind (a machine has at least one).
CREATE TABLE partitions (
    id          bigserial PRIMARY KEY,
    machine_id  bigint NOT NULL REFERENCES machines (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    system      text NOT NULL,                  -- x86_64-linux…
    microarch   text,                           -- archspec name: zen4, skylake_avx512…
    cpu_model   text,
    gpu_vendor  text CHECK (gpu_vendor IN ('nvidia', 'amd', 'intel')),
    gpu_model   text,
    gpu_target  text,                           -- sm_80, gfx90a…
    nodes       integer CHECK (nodes >= 0),
    UNIQUE (machine_id, name)
);

-- What a site says works on one of its partitions. Rows are never updated:
-- a new statement is a new row, the latest (by date, then id) is current.
CREATE TABLE attestations (
    id              bigserial PRIMARY KEY,
    partition_id    bigint NOT NULL REFERENCES partitions (id) ON DELETE CASCADE,
    package_id      bigint NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    version         text,
    spec            text,                       -- a Spack spec with variants, when given
    status          text NOT NULL CHECK (status IN ('works', 'broken', 'partial')),
    evidence_url    text,
    attested_on     date NOT NULL,
    note            text,
    token_id        bigint REFERENCES api_tokens (id) ON DELETE SET NULL,
    demo            boolean NOT NULL DEFAULT false,   -- made up by the demo data set
    content_sha256  bytea NOT NULL CHECK (length(content_sha256) = 32),  -- the same statement twice is one row
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (partition_id, content_sha256)
);
CREATE INDEX attestations_current_idx ON attestations (package_id, partition_id, attested_on DESC, id DESC);

-- The latest build of a package per service, system and target ('' when the
-- service does not say), maintained by the triggers below.
CREATE TABLE platform_builds (
    package_id  bigint NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    system      text NOT NULL,
    target      text NOT NULL,
    service_id  bigint NOT NULL REFERENCES ci_services (id) ON DELETE CASCADE,
    build_id    bigint NOT NULL,
    version     text,
    status      text NOT NULL,
    finished_at timestamptz,
    PRIMARY KEY (package_id, system, target, service_id)
);

CREATE FUNCTION platform_builds_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO platform_builds AS pb (package_id, system, target, service_id, build_id, version, status, finished_at)
    SELECT DISTINCT ON (n.package_id, COALESCE(n.system, ''), COALESCE(n.target, ''), n.service_id)
           n.package_id, COALESCE(n.system, ''), COALESCE(n.target, ''), n.service_id, n.id, n.version, n.status,
           n.finished_at
    FROM new_rows n
    WHERE n.package_id IS NOT NULL
    ORDER BY n.package_id, COALESCE(n.system, ''), COALESCE(n.target, ''), n.service_id,
             n.finished_at DESC NULLS LAST, n.id DESC
    ON CONFLICT (package_id, system, target, service_id) DO UPDATE SET
        build_id = EXCLUDED.build_id, version = EXCLUDED.version, status = EXCLUDED.status,
        finished_at = EXCLUDED.finished_at
    WHERE pb.build_id = EXCLUDED.build_id
       OR (COALESCE(EXCLUDED.finished_at, '-infinity'), EXCLUDED.build_id)
          > (COALESCE(pb.finished_at, '-infinity'), pb.build_id);
    RETURN NULL;
END $$;

CREATE TRIGGER build_results_platforms_insert AFTER INSERT ON build_results
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION platform_builds_keep();
CREATE TRIGGER build_results_platforms_update AFTER UPDATE ON build_results
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION platform_builds_keep();

INSERT INTO platform_builds (package_id, system, target, service_id, build_id, version, status, finished_at)
SELECT DISTINCT ON (b.package_id, COALESCE(b.system, ''), COALESCE(b.target, ''), b.service_id)
       b.package_id, COALESCE(b.system, ''), COALESCE(b.target, ''), b.service_id, b.id, b.version, b.status,
       b.finished_at
FROM build_results b
WHERE b.package_id IS NOT NULL
ORDER BY b.package_id, COALESCE(b.system, ''), COALESCE(b.target, ''), b.service_id,
         b.finished_at DESC NULLS LAST, b.id DESC;
