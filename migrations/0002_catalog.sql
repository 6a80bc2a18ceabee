-- Catalog: channels of the three ecosystems, their packages (never deleted),
-- versions, sources, licences, declared maintainers, dependencies, Spack
-- variants, cross-ecosystem projects, and the history of ingest runs.
-- Later migrations add build results, platforms, archival status, claims and
-- funding, referencing packages(id), sources(id), projects(id), maintainers(id).

CREATE TABLE channels (
    id              bigserial PRIMARY KEY,
    ecosystem       text NOT NULL CHECK (ecosystem IN ('guix', 'spack', 'nix')),
    name            text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    url             text,
    current_revision text,
    ingested_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (ecosystem, name)
);

-- The same upstream software across ecosystems (py-numpy, python-numpy,
-- python312Packages.numpy), grouped by normalised name.
CREATE TABLE projects (
    id          bigserial PRIMARY KEY,
    key         text NOT NULL UNIQUE,
    name        text NOT NULL,
    homepage    text,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE packages (
    id                  bigserial PRIMARY KEY,
    channel_id          bigint NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    name                text NOT NULL,          -- the channel's name (Spack name, Guix name, Nix attribute path)
    base_name           text NOT NULL,          -- language prefixes and separators removed: numpy, ggplot2
    pname               text,                   -- Nix pname
    latest_version      text,
    synopsis            text,
    description         text,
    homepage            text,
    homepage_host       text,
    repository_url      text,
    location            text,                   -- file[:line] in the channel
    build_system        text,
    tags                text[] NOT NULL DEFAULT '{}',
    provides            text[] NOT NULL DEFAULT '{}',   -- virtual packages (Spack provides)
    platforms           text[] NOT NULL DEFAULT '{}',   -- declared systems (Nix meta.platforms)
    extra               jsonb NOT NULL DEFAULT '{}',    -- ecosystem-specific facts (conflicts, gpu, cpe…)
    project_id          bigint REFERENCES projects (id) ON DELETE SET NULL,
    content_hash        bytea NOT NULL,         -- sha256 of the normalised record: unchanged input writes nothing
    first_seen_revision text,
    last_seen_revision  text,                   -- set when removed; present packages are seen at the channel's revision
    removed             boolean NOT NULL DEFAULT false,
    removed_at          timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (channel_id, name)
);
CREATE INDEX packages_base_name_idx ON packages (base_name);
CREATE INDEX packages_project_idx ON packages (project_id);
CREATE INDEX packages_provides_idx ON packages USING gin (provides);
CREATE INDEX packages_name_trgm_idx ON packages USING gin (name gin_trgm_ops);

CREATE TABLE package_versions (
    id          bigserial PRIMARY KEY,
    package_id  bigint NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    position    integer NOT NULL,               -- order in the input (newest first for Spack)
    version     text NOT NULL,
    deprecated  boolean NOT NULL DEFAULT false,
    preferred   boolean NOT NULL DEFAULT false,
    UNIQUE (package_id, version)
);

CREATE TABLE sources (
    id              bigserial PRIMARY KEY,
    package_id      bigint NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    version_id      bigint REFERENCES package_versions (id) ON DELETE CASCADE,
    origin_type     text NOT NULL CHECK (origin_type IN ('url', 'git', 'svn', 'hg', 'other')),
    urls            text[] NOT NULL DEFAULT '{}',
    git_url         text,
    git_ref         text,                       -- tag or branch
    git_commit      text,
    sha256          text CHECK (sha256 ~ '^[0-9a-f]{64}$'),      -- flat file hash
    nar_sha256      text CHECK (nar_sha256 ~ '^[0-9a-f]{64}$'),  -- recursive (NAR) hash
    integrity       text,                       -- Guix/SRI "sha256-<base64>"
    forge_host      text                        -- github.com, gitlab.inria.fr…
);
CREATE INDEX sources_package_idx ON sources (package_id);
CREATE INDEX sources_sha256_idx ON sources (sha256);
CREATE INDEX sources_nar_sha256_idx ON sources (nar_sha256);
CREATE INDEX sources_forge_idx ON sources (forge_host);

CREATE TABLE package_licenses (
    package_id  bigint NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    position    integer NOT NULL,
    raw         text NOT NULL,                  -- as the channel says it
    spdx        text,                           -- normalised SPDX expression, when it is one
    condition   text,                           -- Spack `when`
    PRIMARY KEY (package_id, position)
);
CREATE INDEX package_licenses_spdx_idx ON package_licenses (spdx);

CREATE TABLE maintainers (
    id          bigserial PRIMARY KEY,
    forge       text NOT NULL,                  -- github, gitlab.inria.fr, orcid, email
    handle      text NOT NULL,
    name        text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX maintainers_forge_handle_idx ON maintainers (forge, lower(handle));

CREATE TABLE package_maintainers (
    package_id      bigint NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    maintainer_id   bigint NOT NULL REFERENCES maintainers (id) ON DELETE CASCADE,
    PRIMARY KEY (package_id, maintainer_id)
);
CREATE INDEX package_maintainers_maintainer_idx ON package_maintainers (maintainer_id);

CREATE TABLE dependencies (
    package_id  bigint NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    position    integer NOT NULL,
    name        text NOT NULL,                  -- resolved to packages(channel_id, name) of the same channel
    kinds       text[] NOT NULL DEFAULT '{}',   -- build, link, run, test
    spec        text,                           -- Spack spec constraint
    condition   text,                           -- Spack `when`
    PRIMARY KEY (package_id, position)
);
CREATE INDEX dependencies_name_idx ON dependencies (name);

CREATE TABLE variants (
    package_id      bigint NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    position        integer NOT NULL,
    name            text NOT NULL,
    default_value   text,
    description     text,
    allowed_values  text,
    PRIMARY KEY (package_id, position)
);

CREATE TABLE ingest_runs (
    id              bigserial PRIMARY KEY,
    channel_id      bigint NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    revision        text,
    inputs          jsonb NOT NULL,             -- [{"name": "...", "sha256": "...", "bytes": n}]
    status          text NOT NULL CHECK (status IN ('changed', 'unchanged')),
    added           integer NOT NULL,
    updated         integer NOT NULL,
    removed         integer NOT NULL,
    unchanged       integer NOT NULL,
    warnings        jsonb NOT NULL DEFAULT '[]',
    started_at      timestamptz NOT NULL,
    duration_ms     bigint NOT NULL
);
CREATE INDEX ingest_runs_channel_idx ON ingest_runs (channel_id, started_at DESC);
