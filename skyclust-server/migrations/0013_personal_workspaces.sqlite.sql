-- Every user has one personal workspace: made at registration, where VMs created without a
-- workspace_id go. Existing users get theirs here, named "Personal" unless they already own a
-- workspace of that name (then "Personal <12 random hex digits>", which no one can have guessed).
ALTER TABLE workspaces ADD COLUMN is_personal BIGINT NOT NULL DEFAULT 0 CHECK (is_personal IN (0, 1));
CREATE UNIQUE INDEX workspaces_personal_key ON workspaces (owner_id) WHERE is_personal = 1;

INSERT INTO workspaces (id, name, description, owner_id, is_active, created_at, updated_at, is_personal)
SELECT
    -- A version-4 UUID in its text form.
    lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'
        || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
    CASE WHEN EXISTS (SELECT 1 FROM workspaces w WHERE w.owner_id = u.id AND lower(w.name) = 'personal')
        THEN 'Personal ' || lower(hex(randomblob(6))) ELSE 'Personal' END,
    'Your own workspace: VMs created without a workspace_id go here',
    u.id, 1,
    strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z',
    strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z',
    1
FROM users u;
