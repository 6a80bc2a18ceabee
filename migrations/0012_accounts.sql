-- Accounts (#13): people who log in through OAuth providers, the identities
-- they link, the packages and projects they claim, moderation decisions
-- (audit log) and personal API tokens in the existing token store.
-- Sessions live in tower-sessions' own table (created by its store).

CREATE TABLE users (
    id              bigserial PRIMARY KEY,
    name            text,                       -- shown name (from the first identity; public)
    role            text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'moderator', 'admin')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_login_at   timestamptz NOT NULL DEFAULT now(),
    -- bumped by "log out everywhere": sessions carry the value they were made with
    session_epoch   integer NOT NULL DEFAULT 0,
    disabled_at     timestamptz
);

-- One row per provider account linked to a user. `forge` uses the same words
-- as maintainers.forge: 'github', a GitLab host ('gitlab.com',
-- 'gitlab.inria.fr'), 'orcid'. `subject` is the provider's stable user id
-- (never the e-mail); `handle` is the login / username / ORCID iD.
CREATE TABLE identities (
    id              bigserial PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    forge           text NOT NULL CHECK (forge ~ '^[a-z0-9][a-z0-9.-]{0,252}$'),
    subject         text NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
    handle          text NOT NULL CHECK (length(handle) BETWEEN 1 AND 255),
    name            text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_login_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (forge, subject)
);
CREATE INDEX identities_user_idx ON identities (user_id);
CREATE INDEX identities_handle_idx ON identities (forge, lower(handle));

-- A claim on one package or on a whole project (the same software across
-- ecosystems). Active claims are 'verified' (an identity matched a declared
-- maintainer handle) or 'approved' (by a moderator).
CREATE TABLE claims (
    id              bigserial PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    package_id      bigint REFERENCES packages (id) ON DELETE CASCADE,
    project_id      bigint REFERENCES projects (id) ON DELETE CASCADE,
    status          text NOT NULL CHECK (status IN ('pending', 'verified', 'approved', 'rejected', 'withdrawn', 'expired')),
    evidence        text CHECK (length(evidence) <= 4000),
    reason          text CHECK (length(reason) <= 4000),     -- the moderator's reason, shown to the claimant
    decided_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    decided_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((package_id IS NULL) <> (project_id IS NULL))
);
CREATE INDEX claims_user_idx ON claims (user_id);
CREATE INDEX claims_package_idx ON claims (package_id) WHERE package_id IS NOT NULL;
CREATE INDEX claims_project_idx ON claims (project_id) WHERE project_id IS NOT NULL;
CREATE INDEX claims_pending_idx ON claims (created_at) WHERE status = 'pending';
-- one open or active claim per user and target
CREATE UNIQUE INDEX claims_open_package_idx ON claims (user_id, package_id)
    WHERE package_id IS NOT NULL AND status IN ('pending', 'verified', 'approved');
CREATE UNIQUE INDEX claims_open_project_idx ON claims (user_id, project_id)
    WHERE project_id IS NOT NULL AND status IN ('pending', 'verified', 'approved');

-- Every decision: who, what, when, why. Kept when the actor's account goes.
CREATE TABLE audit_log (
    id              bigserial PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    actor_id        bigint REFERENCES users (id) ON DELETE SET NULL,
    action          text NOT NULL,              -- claim.verified, claim.approved, role.set, token.created…
    target          text NOT NULL,              -- 'claim:12', 'user:3', 'package:gromacs@spack/builtin'
    reason          text,
    detail          jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);

-- Personal API tokens live in the same store as CI and attestation tokens.
ALTER TABLE api_tokens ADD COLUMN user_id bigint REFERENCES users (id) ON DELETE CASCADE;
ALTER TABLE api_tokens ADD COLUMN name text CHECK (length(name) <= 100);
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id) WHERE user_id IS NOT NULL;

-- tower-sessions' PostgreSQL store (tower-sessions-sqlx-store), created here
-- so every database the migrations make (tests' too) has it.
CREATE SCHEMA IF NOT EXISTS tower_sessions;
CREATE TABLE IF NOT EXISTS tower_sessions.session (
    id          text PRIMARY KEY NOT NULL,
    data        bytea NOT NULL,
    expiry_date timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS session_expiry_idx ON tower_sessions.session (expiry_date);
