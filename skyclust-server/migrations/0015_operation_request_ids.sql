-- The request that asked for each VM operation, so the worker's log lines and trace spans for
-- it carry the same request id as the request's own.
ALTER TABLE vm_operations ADD COLUMN request_id TEXT;
