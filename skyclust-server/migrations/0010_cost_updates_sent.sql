-- When each workspace's `cost_updated` was last sent, by any replica: the hourly job claims a
-- workspace here before sending, so replicas never send the same hourly figure twice.
CREATE TABLE cost_updates_sent (
    workspace_id TEXT PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    sent_at      TEXT NOT NULL
);
