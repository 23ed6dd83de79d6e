-- When the reconciler last looked at each VM, so that it visits the least recently seen first
-- and no VM waits behind others for ever. NULL: never visited.
ALTER TABLE vms ADD COLUMN reconciled_at TEXT;
