-- CI status: the services that build a channel's packages, their build
-- results (history kept, idempotent on the service's own build id), where
-- each polling importer stopped, and the API tokens of the push API.

CREATE TABLE ci_services (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    kind        text NOT NULL CHECK (kind IN ('cuirass', 'hydra', 'gitlab', 'push')),
    base_url    text,
    -- The channel it builds, by name: it may be configured before the
    -- channel's first ingest; results resolve once the channel exists.
    ecosystem   text NOT NULL CHECK (ecosystem IN ('guix', 'spack', 'nix')),
    channel     text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE build_results (
    id              bigserial PRIMARY KEY,
    service_id      bigint NOT NULL REFERENCES ci_services (id) ON DELETE CASCADE,
    external_id     text NOT NULL,          -- the service's own build id
    package_id      bigint REFERENCES packages (id) ON DELETE SET NULL,   -- NULL: unresolved job, kept and counted
    package_name    text,                   -- the name parsed from the job, resolved or not
    job             text NOT NULL,          -- the service's job name as it says it
    version         text,
    system          text,                   -- x86_64-linux, aarch64-darwin…
    target          text,                   -- micro-architecture (Spack arch=…), where known
    compiler        text,
    status          text NOT NULL CHECK (status IN ('succeeded', 'failed', 'dependency-failed', 'timed-out', 'cancelled', 'other')),
    service_status  text NOT NULL,          -- the service's own code, as it said it
    started_at      timestamptz,
    finished_at     timestamptz,
    log_url         text,                   -- linked, never copied
    build_url       text,
    evaluation      text,                   -- evaluation id or commit
    imported_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (service_id, external_id)
);
CREATE INDEX build_results_package_idx ON build_results (package_id, system, finished_at DESC);
CREATE INDEX build_results_service_status_idx ON build_results (service_id, status);
CREATE INDEX build_results_unresolved_idx ON build_results (service_id, package_name) WHERE package_id IS NULL;

-- Where a polling importer stopped: the last committed page's cursor.
CREATE TABLE ci_import_state (
    service_id  bigint PRIMARY KEY REFERENCES ci_services (id) ON DELETE CASCADE,
    cursor      jsonb NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Bearer tokens: only the sha256 of the secret is kept.
CREATE TABLE api_tokens (
    id              bigserial PRIMARY KEY,
    scope           text NOT NULL CHECK (scope ~ '^ci:[a-z0-9][a-z0-9._-]{0,62}$'),
    secret_sha256   bytea NOT NULL UNIQUE CHECK (length(secret_sha256) = 32),
    created_at      timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz,
    last_used_at    timestamptz
);
