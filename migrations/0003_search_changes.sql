-- A transactional outbox for the search index: every ingest records, in its
-- own transaction, which packages it changed (added, updated, removed,
-- restored). Each search index remembers the last id it applied and catches
-- up from here, so an index that was down (or a new server) loses nothing.
CREATE TABLE search_changes (
    id          bigserial PRIMARY KEY,
    package_id  bigint NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    changed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_changes_package_idx ON search_changes (package_id);
