-- Maintainers (#13): package pages and maintainer pages show the people
-- with an active claim, by their identities and names. Those pages are
-- cached per catalog generation, so a change of a claim (its status or
-- target), of an identity (forge, handle, name, owner) or of a user's
-- public name or standing starts a new generation; logins (which only touch
-- last_login_at) do not.
CREATE TRIGGER claims_catalog_changed AFTER INSERT OR DELETE ON claims
    FOR EACH STATEMENT EXECUTE FUNCTION pacatlas_catalog_changed();
CREATE TRIGGER claims_catalog_updated AFTER UPDATE ON claims
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
                       OR OLD.package_id IS DISTINCT FROM NEW.package_id
                       OR OLD.project_id IS DISTINCT FROM NEW.project_id
                       OR OLD.user_id IS DISTINCT FROM NEW.user_id)
    EXECUTE FUNCTION pacatlas_catalog_changed();
CREATE TRIGGER identities_catalog_changed AFTER INSERT OR DELETE ON identities
    FOR EACH STATEMENT EXECUTE FUNCTION pacatlas_catalog_changed();
CREATE TRIGGER identities_catalog_updated AFTER UPDATE ON identities
    FOR EACH ROW WHEN (OLD.forge IS DISTINCT FROM NEW.forge OR OLD.handle IS DISTINCT FROM NEW.handle
                       OR OLD.name IS DISTINCT FROM NEW.name OR OLD.user_id IS DISTINCT FROM NEW.user_id)
    EXECUTE FUNCTION pacatlas_catalog_changed();
CREATE TRIGGER users_catalog_changed AFTER DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION pacatlas_catalog_changed();
CREATE TRIGGER users_catalog_updated AFTER UPDATE ON users
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.disabled_at IS DISTINCT FROM NEW.disabled_at)
    EXECUTE FUNCTION pacatlas_catalog_changed();

-- Claimants of a maintainer page are found by identity handle, any case
-- (identities_handle_idx), then their active claims.
CREATE INDEX claims_active_user_idx ON claims (user_id) WHERE status IN ('verified', 'approved');
