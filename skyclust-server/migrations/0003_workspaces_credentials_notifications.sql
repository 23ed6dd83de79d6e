CREATE TABLE workspaces (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    owner_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    is_active   BIGINT NOT NULL CHECK (is_active IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX workspaces_owner_name_key ON workspaces (owner_id, lower(name));
CREATE INDEX workspaces_created_at_idx ON workspaces (created_at);

CREATE TABLE workspace_members (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
    created_at   TEXT NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX workspace_members_user_idx ON workspace_members (user_id);

-- Secrets live only in `ciphertext`: AES-256-GCM under key `key_version`, a random `nonce`
-- per write, the credential id as associated data. `hint` and `region` are not secret.
CREATE TABLE credentials (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    provider    TEXT NOT NULL CHECK (provider IN ('aws', 'gcp', 'azure', 'sandbox')),
    hint        TEXT NOT NULL,
    region      TEXT,
    key_version BIGINT NOT NULL,
    nonce       TEXT NOT NULL,
    ciphertext  TEXT NOT NULL,
    is_active   BIGINT NOT NULL CHECK (is_active IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX credentials_user_name_key ON credentials (user_id, lower(name));
CREATE INDEX credentials_user_created_idx ON credentials (user_id, created_at);

-- `priority` is stored as its rank (0 low … 3 critical) so it sorts by urgency.
CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    message    TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('info', 'success', 'warning', 'error')),
    priority   BIGINT NOT NULL CHECK (priority BETWEEN 0 AND 3),
    is_read    BIGINT NOT NULL CHECK (is_read IN (0, 1)),
    created_at TEXT NOT NULL,
    read_at    TEXT
);
CREATE INDEX notifications_user_created_idx ON notifications (user_id, created_at);
