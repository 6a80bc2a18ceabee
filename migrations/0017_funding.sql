-- Funding (#14): funders (foundations, consortia, agencies, companies,
-- individuals) and their sponsorships of a project, a package, a maintainer
-- or a piece of infrastructure. Amounts keep their own currency: totals are
-- per currency, never converted. Every edit of a sponsorship keeps the row
-- it replaced in sponsorship_revisions; an ended sponsorship stays (its
-- `ends_on` is in the past) and is shown as ended.

CREATE TABLE funders (
    id          bigserial PRIMARY KEY,
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind        text NOT NULL CHECK (kind IN ('foundation', 'consortium', 'agency', 'company', 'individual')),
    country     text CHECK (country ~ '^[A-Z]{2}$'),        -- ISO 3166-1 alpha-2 (EU allowed)
    url         text CHECK (url ~ '^https?://' AND length(url) <= 2000),
    description text CHECK (length(description) <= 5000),
    demo        boolean NOT NULL DEFAULT false,             -- made-up demo data, labelled in the UI
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sponsorships (
    id              bigserial PRIMARY KEY,
    funder_id       bigint NOT NULL REFERENCES funders (id) ON DELETE RESTRICT,
    target_kind     text NOT NULL CHECK (target_kind IN ('project', 'package', 'maintainer', 'infrastructure')),
    project_id      bigint REFERENCES projects (id) ON DELETE RESTRICT,
    package_id      bigint REFERENCES packages (id) ON DELETE RESTRICT,
    maintainer_id   bigint REFERENCES maintainers (id) ON DELETE RESTRICT,
    -- infrastructure: a CI service, a mirror, Software Heritage, other
    infrastructure_kind text CHECK (infrastructure_kind IN ('ci-service', 'mirror', 'software-heritage', 'other')),
    ci_service_id   bigint REFERENCES ci_services (id) ON DELETE SET NULL,
    infrastructure_name text CHECK (length(infrastructure_name) <= 200),
    amount          numeric(16, 2) CHECK (amount >= 0),
    currency        text CHECK (currency ~ '^[A-Z]{3}$'),  -- ISO 4217
    in_kind         boolean NOT NULL DEFAULT false,
    starts_on       date NOT NULL,
    ends_on         date,
    note            text CHECK (length(note) <= 5000),
    source_url      text CHECK (source_url ~ '^https?://' AND length(source_url) <= 2000),
    demo            boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on IS NULL OR ends_on >= starts_on),
    -- money or in kind, never both, never neither
    CHECK ((in_kind AND amount IS NULL AND currency IS NULL)
           OR (NOT in_kind AND amount IS NOT NULL AND currency IS NOT NULL)),
    -- exactly the target the kind names
    CHECK ((target_kind = 'project') = (project_id IS NOT NULL)),
    CHECK ((target_kind = 'package') = (package_id IS NOT NULL)),
    CHECK ((target_kind = 'maintainer') = (maintainer_id IS NOT NULL)),
    CHECK ((target_kind = 'infrastructure') = (infrastructure_kind IS NOT NULL)),
    CHECK (ci_service_id IS NULL OR infrastructure_kind = 'ci-service')
);
CREATE INDEX sponsorships_funder_idx ON sponsorships (funder_id, starts_on DESC);
CREATE INDEX sponsorships_project_idx ON sponsorships (project_id) WHERE project_id IS NOT NULL;
CREATE INDEX sponsorships_package_idx ON sponsorships (package_id) WHERE package_id IS NOT NULL;
CREATE INDEX sponsorships_maintainer_idx ON sponsorships (maintainer_id) WHERE maintainer_id IS NOT NULL;

-- The row as it was before each update or delete, with who changed it.
CREATE TABLE sponsorship_revisions (
    id              bigserial PRIMARY KEY,
    sponsorship_id  bigint NOT NULL,                -- no foreign key: kept after a delete
    funder_id       bigint NOT NULL,
    revised_at      timestamptz NOT NULL DEFAULT now(),
    operation       text NOT NULL CHECK (operation IN ('update', 'delete')),
    previous        jsonb NOT NULL
);
CREATE INDEX sponsorship_revisions_idx ON sponsorship_revisions (sponsorship_id, revised_at DESC);

CREATE FUNCTION sponsorships_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sponsorship_revisions (sponsorship_id, funder_id, operation, previous)
    VALUES (OLD.id, OLD.funder_id, lower(TG_OP), to_jsonb(OLD));
    RETURN NULL;
END $$;
CREATE TRIGGER sponsorships_revision AFTER UPDATE OR DELETE ON sponsorships
    FOR EACH ROW EXECUTE FUNCTION sponsorships_revision();

-- Package, maintainer and funding pages are cached per catalog generation:
-- any change of funders or sponsorships starts a new one.
CREATE TRIGGER funders_catalog_changed AFTER INSERT OR UPDATE OR DELETE ON funders
    FOR EACH STATEMENT EXECUTE FUNCTION pacatlas_catalog_changed();
CREATE TRIGGER sponsorships_catalog_changed AFTER INSERT OR UPDATE OR DELETE ON sponsorships
    FOR EACH STATEMENT EXECUTE FUNCTION pacatlas_catalog_changed();
