-- The cost roll-up (issue #16): an analysis reads one meter per VM and one row per workspace,
-- provider and day instead of every status change. Filled at start-up from the history.

-- Where each VM's metering stands: the status it entered last and when, whether that status
-- bills compute (`running`) and the root volume (`instance_exists`), the microseconds of each
-- already billed on the UTC day of `since`, and the end of the last interval that billed.
CREATE TABLE vm_meters (
    vm_id           TEXT PRIMARY KEY REFERENCES vms (id) ON DELETE CASCADE,
    status          TEXT NOT NULL,
    since           TEXT NOT NULL,
    running         BIGINT NOT NULL CHECK (running IN (0, 1)),
    instance_exists BIGINT NOT NULL CHECK (instance_exists IN (0, 1)),
    day_compute_us  BIGINT NOT NULL,
    day_storage_us  BIGINT NOT NULL,
    accrued_until   TEXT
);

-- What a workspace's VMs cost per provider and UTC day (`YYYY-MM-DD`) over their closed
-- intervals, in micro-dollars, each VM's day rounded once.
CREATE TABLE workspace_daily_costs (
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    provider       TEXT NOT NULL,
    day            TEXT NOT NULL,
    compute_micros BIGINT NOT NULL,
    storage_micros BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, provider, day)
);
CREATE INDEX workspace_daily_costs_day_idx ON workspace_daily_costs (day, provider);
