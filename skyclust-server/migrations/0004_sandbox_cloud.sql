-- The sandbox provider's simulated cloud, kept in the database so instances survive a restart
-- like real ones do. `state` uses EC2's vocabulary; a transition completes at `settles_at`.
CREATE TABLE sandbox_instances (
    instance_id   TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    region        TEXT NOT NULL,
    instance_type TEXT NOT NULL,
    image_id      TEXT,
    state         TEXT NOT NULL CHECK (state IN ('pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated')),
    settles_at    TEXT,
    private_ip    TEXT NOT NULL,
    public_ip     TEXT,
    created_at    TEXT NOT NULL
);
