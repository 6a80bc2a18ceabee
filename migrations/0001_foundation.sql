-- Foundation: extensions later migrations rely on.
-- pg_trgm gives trigram similarity for the degraded (PostgreSQL-only) search.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
