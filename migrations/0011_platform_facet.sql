-- Search: the platform facet (platforms_sql! in server/src/platforms/mod.rs)
-- reads a package's platforms from its recipe (written by ingests, which
-- record their changes themselves), its latest builds (platform_builds) and
-- its sites' current attestations. Writes to the last two record the
-- packages they may change in search_changes, in the writer's transaction,
-- so the search indexes follow.

-- A new latest build that succeeded may add its system.
CREATE FUNCTION platform_builds_inserted_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (package_id)
    SELECT DISTINCT n.package_id FROM new_rows n WHERE n.status = 'succeeded';
    RETURN NULL;
END $$;

-- A latest build that starts or stops succeeding may add or remove its system.
CREATE FUNCTION platform_builds_updated_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (package_id)
    SELECT DISTINCT n.package_id
    FROM new_rows n JOIN old_rows o USING (package_id, system, target, service_id)
    WHERE (n.status = 'succeeded') IS DISTINCT FROM (o.status = 'succeeded');
    RETURN NULL;
END $$
-- Two transition tables have no statistics: without this the planner joins
-- them in a nested loop (10,000 × 10,000 rows: 8.5 s per imported page).
SET enable_nestloop = off;

CREATE TRIGGER platform_builds_search_insert AFTER INSERT ON platform_builds
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION platform_builds_inserted_search();
CREATE TRIGGER platform_builds_search_update AFTER UPDATE ON platform_builds
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION platform_builds_updated_search();

-- A new attestation may become its partition's current one.
CREATE FUNCTION attestations_inserted_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (package_id) SELECT DISTINCT n.package_id FROM new_rows n;
    RETURN NULL;
END $$;

CREATE TRIGGER attestations_search_insert AFTER INSERT ON attestations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attestations_inserted_search();

-- A partition that changes system or GPU vendor changes what its attestations say.
CREATE FUNCTION partitions_updated_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (package_id)
    SELECT DISTINCT a.package_id FROM attestations a WHERE a.partition_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER partitions_search_update AFTER UPDATE OF system, gpu_vendor ON partitions
    FOR EACH ROW WHEN ((OLD.system, OLD.gpu_vendor) IS DISTINCT FROM (NEW.system, NEW.gpu_vendor))
    EXECUTE FUNCTION partitions_updated_search();
