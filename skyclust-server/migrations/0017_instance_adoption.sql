-- Discovery and adoption (issue #19).

-- The sandbox keeps one account per user: discovery through a user's sandbox credential lists
-- the instances of their account only. An instance SkyClust launched belongs to the account of
-- the VM's credential's owner, or of the VM's creator when it has no credential; its zone is
-- kept so discovery can report it.
ALTER TABLE sandbox_instances ADD COLUMN account TEXT;
ALTER TABLE sandbox_instances ADD COLUMN zone TEXT;
UPDATE sandbox_instances SET
    account = (SELECT COALESCE((SELECT c.user_id FROM credentials c WHERE c.id = v.credential_id), v.created_by)
               FROM vms v WHERE v.id = sandbox_instances.vm_id),
    zone = (SELECT v.zone FROM vms v WHERE v.id = sandbox_instances.vm_id);
CREATE INDEX sandbox_instances_account_idx ON sandbox_instances (account, region);

-- One VM at most manages an instance: two adoptions of the same instance, however close
-- together, cannot both be stored. Terminated VMs (released ones too) manage nothing.
CREATE UNIQUE INDEX vms_live_instance_idx ON vms (provider, instance_id)
    WHERE instance_id IS NOT NULL AND status <> 'terminated';

-- Drift reports already sent: an instance tagged for a VM that does not exist is reported to
-- the credential's owner once, not on every pass.
CREATE TABLE drift_reports (
    credential_id TEXT NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    instance_id   TEXT NOT NULL,
    tagged_vm_id  TEXT NOT NULL,
    reported_at   TEXT NOT NULL,
    PRIMARY KEY (credential_id, instance_id, tagged_vm_id)
);
