-- Every user has one personal workspace: made at registration, where VMs created without a
-- workspace_id go (gen_random_uuid: PostgreSQL 13 or later). Existing users get theirs here, named "Personal" unless they already own a
-- workspace of that name (then "Personal <12 random hex digits>", which no one can have guessed).
ALTER TABLE workspaces ADD COLUMN is_personal BIGINT NOT NULL DEFAULT 0 CHECK (is_personal IN (0, 1));
CREATE UNIQUE INDEX workspaces_personal_key ON workspaces (owner_id) WHERE is_personal = 1;

INSERT INTO workspaces (id, name, description, owner_id, is_active, created_at, updated_at, is_personal)
SELECT
    gen_random_uuid()::text,
    CASE WHEN EXISTS (SELECT 1 FROM workspaces w WHERE w.owner_id = u.id AND lower(w.name) = 'personal')
        THEN 'Personal ' || substr(md5(gen_random_uuid()::text), 1, 12) ELSE 'Personal' END,
    'Your own workspace: VMs created without a workspace_id go here',
    u.id, 1,
    to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    1
FROM users u;
