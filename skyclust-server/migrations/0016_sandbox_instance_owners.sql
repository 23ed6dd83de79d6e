-- The VM each sandbox instance was launched for, at most one each: a create repeated after a
-- crash (the instance launched, the server killed before it recorded it) finds the instance
-- it launched instead of launching a second, as a client token makes EC2 do.
ALTER TABLE sandbox_instances ADD COLUMN vm_id TEXT;
CREATE UNIQUE INDEX sandbox_instances_vm_id_idx ON sandbox_instances (vm_id);
