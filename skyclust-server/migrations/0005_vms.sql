CREATE TABLE vms (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    provider      TEXT NOT NULL,
    instance_type TEXT NOT NULL,
    region        TEXT NOT NULL,
    image_id      TEXT,
    key_pair      TEXT,
    credential_id TEXT REFERENCES credentials (id) ON DELETE SET NULL,
    instance_id   TEXT,
    status        TEXT NOT NULL,
    status_reason TEXT,
    public_ip     TEXT,
    private_ip    TEXT,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX vms_workspace_idx ON vms (workspace_id, created_at);
CREATE INDEX vms_status_idx ON vms (status);

-- Every status a VM has been in, with when: cost metering reads running intervals from here.
CREATE TABLE vm_status_history (
    id     TEXT PRIMARY KEY,
    vm_id  TEXT NOT NULL REFERENCES vms (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    reason TEXT,
    at     TEXT NOT NULL
);
CREATE INDEX vm_status_history_vm_idx ON vm_status_history (vm_id, at);

-- Durable operations: a worker claims one by leasing it (`locked_until`); a lease that runs out
-- (a crashed server) makes the operation claimable again, so nothing is stuck and, because the
-- claim is one conditional UPDATE, each is executed by one worker at a time.
CREATE TABLE vm_operations (
    id           TEXT PRIMARY KEY,
    vm_id        TEXT NOT NULL REFERENCES vms (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('create', 'start', 'stop', 'reboot', 'terminate')),
    state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
    phase        TEXT NOT NULL CHECK (phase IN ('submit', 'wait')),
    attempts     BIGINT NOT NULL,
    not_before   TEXT NOT NULL,
    locked_until TEXT,
    locked_by    TEXT,
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX vm_operations_due_idx ON vm_operations (state, not_before);
CREATE INDEX vm_operations_vm_idx ON vm_operations (vm_id, created_at);
