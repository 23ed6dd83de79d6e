-- The zone a VM runs in: the one its creator asked for, else the provider's choice once known
-- (GCP VMs always have one; an EC2 instance's availability zone is recorded when it is placed).
ALTER TABLE vms ADD COLUMN zone TEXT;
