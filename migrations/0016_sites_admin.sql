-- Sites admin API (#11): deleting a partition, machine or site cascades to
-- its attestations; the packages they were about change in the search's
-- platform facet, so they are recorded in search_changes in the deleting
-- transaction (as 0011 does for new attestations).
CREATE FUNCTION attestations_deleted_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (package_id)
    SELECT DISTINCT o.package_id FROM old_rows o
    WHERE EXISTS (SELECT 1 FROM packages p WHERE p.id = o.package_id);
    RETURN NULL;
END $$;

CREATE TRIGGER attestations_search_delete AFTER DELETE ON attestations
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION attestations_deleted_search();
