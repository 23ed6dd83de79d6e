-- Jobs that must run on one replica at a time hold a lease here; a lease not renewed before it
-- expires (its holder died) is taken over by another replica.
CREATE TABLE job_leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
