-- API keys: only the SHA-256 of a key is stored; the prefix tells keys apart in listings.
CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    key_hash     TEXT NOT NULL,
    read_only    BIGINT NOT NULL CHECK (read_only IN (0, 1)),
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT
);
CREATE UNIQUE INDEX api_keys_key_hash_key ON api_keys (key_hash);
CREATE INDEX api_keys_user_id_idx ON api_keys (user_id, created_at);

-- The audit log. user_id is not a foreign key: entries outlive the users they name.
CREATE TABLE audit_logs (
    id          TEXT PRIMARY KEY,
    user_id     TEXT,
    action      TEXT NOT NULL,
    resource    TEXT NOT NULL,
    resource_id TEXT,
    success     BIGINT NOT NULL CHECK (success IN (0, 1)),
    ip_address  TEXT,
    user_agent  TEXT,
    details     TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX audit_logs_created_at_idx ON audit_logs (created_at);
CREATE INDEX audit_logs_user_id_idx ON audit_logs (user_id, created_at);
CREATE INDEX audit_logs_action_idx ON audit_logs (action, created_at);
