-- A VM that is not terminated stands for an instance that runs (and bills) somewhere: its row
-- must never disappear, whatever deletes it — a cascade from its workspace, its credential's
-- owner or anything else. Terminated VMs may still go with their workspace.
CREATE TRIGGER vms_keep_live BEFORE DELETE ON vms
WHEN OLD.status <> 'terminated'
BEGIN
    SELECT RAISE(ABORT, 'live VM: a VM that is not terminated cannot be deleted');
END;
