-- A VM that is not terminated stands for an instance that runs (and bills) somewhere: its row
-- must never disappear, whatever deletes it — a cascade from its workspace, its credential's
-- owner or anything else. Terminated VMs may still go with their workspace.
CREATE TRIGGER vms_keep_live BEFORE DELETE ON vms
WHEN OLD.status <> 'terminated'
BEGIN
    SELECT RAISE(ABORT, 'live VM: a VM that is not terminated cannot be deleted');
END;

-- Nor may a live VM lose its credential to a cascade (credentials.id is ON DELETE SET NULL).
CREATE TRIGGER vms_keep_live_credential BEFORE UPDATE OF credential_id ON vms
WHEN OLD.status <> 'terminated' AND OLD.credential_id IS NOT NULL AND NEW.credential_id IS NULL
BEGIN
    SELECT RAISE(ABORT, 'live VM: a VM that is not terminated cannot lose its credential');
END;
