//! Workspaces and their members.

use chrono::{DateTime, Utc};
use skyclust_types::ListQuery;
use skyclust_types::workspaces::{MemberListing, WorkspaceListing};
use skyclust_types::{MemberRole, Workspace, WorkspaceMember};
use sqlx::Row;
use sqlx::any::AnyRow;
use uuid::Uuid;

use super::list::{Conditions, Value, fetch_page};
use super::locks::{self, Guarded, Hold};
use super::{Conflict, Database, DbError, decode_uuid, time};

/// The consent rule in SQL: user `owner` (an SQL expression) owns workspace `workspace` or is
/// a member of it, in any role — where their credentials may drive VMs. The one text both the
/// checks ([`owner_serves`]) and the guarded VM inserts read.
pub(crate) fn owner_serves_sql(workspace: &str, owner: &str) -> String {
    format!(
        "(EXISTS (SELECT 1 FROM workspaces w WHERE w.id = {workspace} AND w.owner_id = {owner}) \
         OR EXISTS (SELECT 1 FROM workspace_members m WHERE m.workspace_id = {workspace} AND m.user_id = {owner}))"
    )
}

/// Whether `owner`'s credentials may drive VMs in `workspace` ([`owner_serves_sql`]).
pub async fn owner_serves(db: &Database, workspace: Uuid, owner: Uuid) -> Result<bool, DbError> {
    let sql = format!("SELECT 1 AS serves WHERE {}", owner_serves_sql("$1", "$2"));
    let found = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(workspace.to_string())
        .bind(owner.to_string())
        .fetch_optional(db.pool())
        .await?;
    Ok(found.is_some())
}

const COLUMNS: &str = "id, name, description, owner_id, is_active, is_personal, created_at, updated_at";

/// A workspace as stored: the API's view holds every column.
fn from_row(row: &AnyRow) -> Result<Workspace, DbError> {
    Ok(Workspace {
        id: decode_uuid(&row.try_get::<String, _>("id")?)?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        owner_id: decode_uuid(&row.try_get::<String, _>("owner_id")?)?,
        is_active: row.try_get::<i64, _>("is_active")? != 0,
        is_personal: row.try_get::<i64, _>("is_personal")? != 0,
        created_at: time::decode(&row.try_get::<String, _>("created_at")?)?,
        updated_at: time::decode(&row.try_get::<String, _>("updated_at")?)?,
    })
}

/// Creates a workspace.
pub async fn insert(db: &Database, owner: Uuid, name: &str, description: &str) -> Result<Workspace, DbError> {
    let sql = format!(
        "INSERT INTO workspaces ({COLUMNS}) VALUES ($1, $2, $3, $4, 1, 0, $5, $5) RETURNING {COLUMNS}"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(Uuid::new_v4().to_string())
        .bind(name)
        .bind(description)
        .bind(owner.to_string())
        .bind(time::encode(crate::clock::real_now()))
        .fetch_one(db.pool())
        .await?;
    from_row(&row)
}

/// The name and description every personal workspace starts with.
pub const PERSONAL_NAME: &str = "Personal";
const PERSONAL_DESCRIPTION: &str = "Your own workspace: VMs created without a workspace_id go here";

/// Creates `owner`'s personal workspace named `name`, unless they have one or a workspace of that
/// name (concurrent calls make one between them: `workspaces_personal_key` allows one per owner;
/// any conflict is nothing done, never an error). Users get it in the transaction that creates
/// them.
pub(super) async fn insert_personal(
    connection: &mut sqlx::AnyConnection,
    owner: &str,
    name: &str,
    now: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO workspaces (id, name, description, owner_id, is_active, is_personal, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 1, 1, $5, $5) ON CONFLICT DO NOTHING",
    )
    .bind(Uuid::new_v4().to_string())
    .bind(name)
    .bind(PERSONAL_DESCRIPTION)
    .bind(owner)
    .bind(now)
    .execute(connection)
    .await?;
    Ok(())
}

/// `user`'s personal workspace, made now if they have none — a user created by a replica of an
/// older release during an upgrade, say (`None` only when the user no longer exists).
pub async fn personal_of(db: &Database, user: Uuid) -> Result<Option<Uuid>, DbError> {
    let owner = user.to_string();
    let find = || async {
        let id: Option<String> =
            sqlx::query_scalar("SELECT id FROM workspaces WHERE owner_id = $1 AND is_personal = 1")
                .bind(&owner)
                .fetch_optional(db.pool())
                .await?;
        id.as_deref().map(decode_uuid).transpose()
    };
    if let Some(id) = find().await? {
        return Ok(Some(id));
    }
    for attempt in 0..2 {
        // A first try that made nothing found the name taken by a workspace they named
        // "Personal" themselves: then a name no one can have guessed.
        let name = if attempt == 0 {
            PERSONAL_NAME.to_owned()
        } else {
            format!("{PERSONAL_NAME} {}", &Uuid::new_v4().simple().to_string()[..12])
        };
        // A connection for the insert alone: holding one while `find` takes another would let a
        // burst of these exhaust the pool and wait on itself.
        let mut connection = db.pool().acquire().await?;
        let inserted =
            insert_personal(&mut connection, &owner, &name, &time::encode(crate::clock::real_now())).await;
        drop(connection);
        match inserted {
            // The user is gone, and their workspaces with them.
            Err(error) if error.is_conflict(Conflict::ForeignKey) => return Ok(None),
            outcome => outcome?,
        }
        if let Some(id) = find().await? {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// The workspace and `user`'s membership role in it, in one round-trip.
pub async fn find_with_role(
    db: &Database,
    id: Uuid,
    user: Uuid,
) -> Result<Option<(Workspace, Option<MemberRole>)>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS}, (SELECT role FROM workspace_members m WHERE m.workspace_id = workspaces.id AND m.user_id = $2) \
         AS member_role FROM workspaces WHERE id = $1"
    );
    let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .bind(user.to_string())
        .fetch_optional(db.pool())
        .await?
    else {
        return Ok(None);
    };
    let role: Option<String> = row.try_get("member_role")?;
    Ok(Some((from_row(&row)?, role.as_deref().and_then(MemberRole::parse))))
}

/// A page of workspaces visible to `viewer` (`None`: all of them).
pub async fn list(
    db: &Database,
    viewer: Option<Uuid>,
    query: &ListQuery<WorkspaceListing>,
) -> Result<(Vec<Workspace>, u64), DbError> {
    let mut conditions = Conditions::new();
    if let Some(viewer) = viewer {
        let viewer = viewer.to_string();
        conditions.clause(
            "owner_id = ? OR id IN (SELECT workspace_id FROM workspace_members WHERE user_id = ?)",
            [Value::from(viewer.clone()), Value::from(viewer)],
        );
    }
    conditions
        .eq_opt("is_active", query.filters.is_active)
        .any_of("owner_id", query.filters.owner_id.iter().map(|id| Value::from(id.to_string())))
        .created_within("created_at", query);
    fetch_page(db, (COLUMNS, "workspaces"), conditions, query.into(), from_row).await
}

/// Changes to a workspace; `None` keeps the stored value.
#[derive(Debug, Default)]
pub struct WorkspaceChanges<'a> {
    /// New name.
    pub name: Option<&'a str>,
    /// New description.
    pub description: Option<&'a str>,
    /// New activity.
    pub is_active: Option<bool>,
}

/// Applies `changes` in one statement (concurrent changes: the last one wins, field by field).
pub async fn update(
    db: &Database,
    id: Uuid,
    changes: WorkspaceChanges<'_>,
) -> Result<Option<Workspace>, DbError> {
    let sql = format!(
        "UPDATE workspaces SET name = COALESCE($2, name), description = COALESCE($3, description), \
         is_active = COALESCE($4, is_active), updated_at = $5 WHERE id = $1 RETURNING {COLUMNS}"
    );
    let query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .bind(changes.name)
        .bind(changes.description)
        .bind(changes.is_active.map(i64::from))
        .bind(time::encode(crate::clock::real_now()));
    db.fetch_optional(query, from_row).await
}

/// The users who can see a workspace besides system admins: its owner and its members.
pub async fn viewers(db: &Database, workspace: Uuid) -> Result<Vec<Uuid>, DbError> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT owner_id FROM workspaces WHERE id = $1 UNION SELECT user_id FROM workspace_members WHERE workspace_id = $1",
    )
    .bind(workspace.to_string())
    .fetch_all(db.pool())
    .await?;
    ids.iter().map(|id| decode_uuid(id)).collect()
}

/// Deletes a workspace and its memberships (and its terminated VMs' records) unless a VM in it
/// is not terminated — checked in the same statement, so a VM created meanwhile is never
/// deleted with it.
pub async fn delete_unless_live(db: &Database, id: Uuid) -> Result<Guarded, DbError> {
    locks::delete_unless_live_vms(db, "workspaces", "workspace_id", id, None).await
}

// Every column the list may sort by is aliased: SQLite resolves ORDER BY names against aliases
// only, and `role`, `created_at` and `id` exist in both joined tables.
const MEMBER_COLUMNS: &str = "m.workspace_id, m.user_id, m.user_id AS id, u.username, u.email, m.role AS role, \
                              m.created_at AS created_at";

const MEMBER_FROM: &str = "workspace_members m JOIN users u ON u.id = m.user_id";

fn member_from_row(row: &AnyRow) -> Result<WorkspaceMember, DbError> {
    let role: String = row.try_get("role")?;
    Ok(WorkspaceMember {
        workspace_id: decode_uuid(&row.try_get::<String, _>("workspace_id")?)?,
        user_id: decode_uuid(&row.try_get::<String, _>("user_id")?)?,
        username: row.try_get("username")?,
        email: row.try_get("email")?,
        role: MemberRole::parse(&role)
            .ok_or_else(|| DbError::corrupt(format_args!("unknown member role {role}")))?,
        created_at: time::decode(&row.try_get::<String, _>("created_at")?)?,
    })
}

/// A page of a workspace's members.
pub async fn list_members(
    db: &Database,
    workspace: Uuid,
    query: &ListQuery<MemberListing>,
) -> Result<(Vec<WorkspaceMember>, u64), DbError> {
    let mut conditions = Conditions::new();
    conditions.eq("m.workspace_id", workspace.to_string()).created_within("m.created_at", query);
    fetch_page(db, (MEMBER_COLUMNS, MEMBER_FROM), conditions, query.into(), member_from_row).await
}

/// Adds a member (a second membership of the same user is a unique violation).
pub async fn add_member(
    db: &Database,
    workspace: Uuid,
    user: Uuid,
    role: MemberRole,
) -> Result<WorkspaceMember, DbError> {
    sqlx::query(
        "INSERT INTO workspace_members (workspace_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(workspace.to_string())
    .bind(user.to_string())
    .bind(role.as_str())
    .bind(time::encode(crate::clock::real_now()))
    .execute(db.pool())
    .await?;
    let sql =
        format!("SELECT {MEMBER_COLUMNS} FROM {MEMBER_FROM} WHERE m.workspace_id = $1 AND m.user_id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(workspace.to_string())
        .bind(user.to_string())
        .fetch_one(db.pool())
        .await?;
    member_from_row(&row)
}

/// What removing a member did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberRemoval {
    /// Removed.
    Removed,
    /// Refused: the member's credentials serve these VMs (id, name) that are not terminated.
    ServesLiveVms(Vec<(Uuid, String)>),
    /// They were not a member.
    NotMember,
}

/// Live VMs of the workspace that use credentials of the user.
const SERVED_BY_MEMBER: &str = "FROM vms v JOIN credentials c ON c.id = v.credential_id \
     WHERE v.workspace_id = $1 AND c.user_id = $2 AND v.status <> 'terminated'";

/// Removes a member, unless their credentials serve VMs of the workspace that are not
/// terminated (checked in the same statement, under the workspace's row lock on PostgreSQL).
pub async fn remove_member(db: &Database, workspace: Uuid, user: Uuid) -> Result<MemberRemoval, DbError> {
    let (workspace, user) = (workspace.to_string(), user.to_string());
    let mut transaction = db.pool().begin().await?;
    locks::lock(db, &mut transaction, Hold::Exclusive, ("workspaces", "id"), &workspace).await?;
    let delete = format!(
        "DELETE FROM workspace_members WHERE workspace_id = $1 AND user_id = $2 \
         AND NOT EXISTS (SELECT 1 {SERVED_BY_MEMBER})"
    );
    let removed = sqlx::query(sqlx::AssertSqlSafe(delete))
        .bind(&workspace)
        .bind(&user)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
    let outcome = if removed == 1 {
        MemberRemoval::Removed
    } else if sqlx::query("SELECT 1 FROM workspace_members WHERE workspace_id = $1 AND user_id = $2")
        .bind(&workspace)
        .bind(&user)
        .fetch_optional(&mut *transaction)
        .await?
        .is_none()
    {
        // Not a member (the owner is none, whatever their credentials serve): not a conflict.
        MemberRemoval::NotMember
    } else {
        let serving = format!("SELECT v.id, v.name {SERVED_BY_MEMBER} ORDER BY v.created_at LIMIT 20");
        let rows: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(serving))
            .bind(&workspace)
            .bind(&user)
            .fetch_all(&mut *transaction)
            .await?;
        MemberRemoval::ServesLiveVms(
            rows.into_iter()
                .map(|(id, name)| Ok((decode_uuid(&id)?, name)))
                .collect::<Result<_, DbError>>()?,
        )
    };
    transaction.commit().await?;
    Ok(outcome)
}

/// Claims the hourly `cost_updated` of `workspace` for the caller: `true` (and the send
/// recorded at `now`) unless one was sent after `sent_after` — by this replica or another. One
/// conditional upsert, so two replicas cannot both claim it.
pub async fn claim_cost_update(
    db: &Database,
    workspace: Uuid,
    now: DateTime<Utc>,
    sent_after: DateTime<Utc>,
) -> Result<bool, DbError> {
    let claimed = sqlx::query(
        "INSERT INTO cost_updates_sent (workspace_id, sent_at) VALUES ($1, $2) \
         ON CONFLICT (workspace_id) DO UPDATE SET sent_at = excluded.sent_at \
         WHERE cost_updates_sent.sent_at <= $3 \
         RETURNING workspace_id",
    )
    .bind(workspace.to_string())
    .bind(time::encode(now))
    .bind(time::encode(sent_after))
    .fetch_optional(db.pool())
    .await?;
    Ok(claimed.is_some())
}

/// Records that `workspace`'s `cost_updated` was sent at `now` (a send caused by a status change).
pub async fn record_cost_update(db: &Database, workspace: Uuid, now: DateTime<Utc>) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO cost_updates_sent (workspace_id, sent_at) VALUES ($1, $2) \
         ON CONFLICT (workspace_id) DO UPDATE SET sent_at = excluded.sent_at",
    )
    .bind(workspace.to_string())
    .bind(time::encode(now))
    .execute(db.pool())
    .await?;
    Ok(())
}
