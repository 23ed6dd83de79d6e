-- A VM that is not terminated stands for an instance that runs (and bills) somewhere: its row
-- must never disappear, whatever deletes it — a cascade from its workspace, its credential's
-- owner or anything else. Terminated VMs may still go with their workspace.
CREATE FUNCTION skyclust_keep_live_vms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'terminated' THEN
        RAISE EXCEPTION 'live VM: a VM that is not terminated cannot be deleted'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END
$$;
CREATE TRIGGER vms_keep_live BEFORE DELETE ON vms
    FOR EACH ROW EXECUTE FUNCTION skyclust_keep_live_vms();

-- Nor may a live VM lose its credential to a cascade (credentials.id is ON DELETE SET NULL).
CREATE FUNCTION skyclust_keep_live_vm_credentials() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'live VM: a VM that is not terminated cannot lose its credential'
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER vms_keep_live_credential BEFORE UPDATE OF credential_id ON vms
    FOR EACH ROW
    WHEN (OLD.status <> 'terminated' AND OLD.credential_id IS NOT NULL AND NEW.credential_id IS NULL)
    EXECUTE FUNCTION skyclust_keep_live_vm_credentials();
