-- The first result of each request made with an Idempotency-Key, per caller and operation.
CREATE TABLE idempotency_keys (
    user_id      TEXT NOT NULL,
    operation    TEXT NOT NULL,
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (user_id, operation, idem_key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
