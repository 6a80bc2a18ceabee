-- Search: syncing by transaction, pruning the change log, and indexes for
-- the degraded (PostgreSQL-only) search.

-- Each change records the transaction that wrote it. Ids are taken when a
-- row is written, not when its transaction commits, so two concurrent
-- ingests can commit ids out of order: an index that followed ids could
-- skip a change for good. An index instead keeps a transaction horizon: it
-- has applied every change of every transaction below it, and catches up
-- to the oldest transaction still running (pg_snapshot_xmin), whose changes
-- it applies once that transaction has finished.
ALTER TABLE search_changes ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX search_changes_xid_idx ON search_changes (xid);
CREATE INDEX search_changes_changed_at_idx ON search_changes (changed_at);

-- Changes older than the retention window are deleted once applied;
-- `pruned_below` is above every deleted change's transaction, so an index
-- whose horizon is lower may have missed one and is rebuilt.
CREATE TABLE search_sync (
    id            boolean PRIMARY KEY DEFAULT true CHECK (id),
    pruned_below  xid8 NOT NULL DEFAULT '0'
);
INSERT INTO search_sync DEFAULT VALUES;

-- The degraded search compares the software's name (base_name) by
-- trigrams; the trigram index of 0002 is on `name`.
CREATE INDEX packages_base_name_trgm_idx ON packages USING gin (base_name gin_trgm_ops);
