//! Who may do what with a workspace, decided here for every feature: the workspace and member
//! routes, VMs and their adoption, cost analysis, discovery and WebSocket subscriptions.
//!
//! | caller                 | read | work (VMs) | administer (settings, members) | delete |
//! |------------------------|------|------------|--------------------------------|--------|
//! | system admin           | yes  | yes        | yes                            | yes    |
//! | the workspace's owner  | yes  | yes        | yes                            | yes    |
//! | member `admin`         | yes  | yes        | yes                            | no     |
//! | member `member`        | yes  | yes        | no                             | no     |
//! | member `viewer`        | yes  | no         | no                             | no     |
//! | anyone else            | no   | no         | no                             | no     |
//!
//! A workspace the caller cannot read does not exist for them (404); one they can read but not
//! act on is a 403. A credential is another matter: it drives VMs only in workspaces its owner
//! owns or is a member of ([`credential_serves`]), system admins included.

use skyclust_types::{MemberRole, Role, Workspace};
use uuid::Uuid;

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::storage::Database;
use crate::storage::DbError;
use crate::storage::workspaces;

/// What one caller may do with one workspace, each level including the ones below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rights {
    /// Not visible: the workspace is a 404.
    None,
    /// Read it, its members, VMs and costs.
    Read,
    /// Also create, import, start, stop, reboot, delete and release its VMs.
    Work,
    /// Also change its settings and members.
    Administer,
    /// Also delete it.
    Delete,
}

impl Rights {
    /// The rights of a caller from their system role, ownership and membership.
    pub fn decide(system_role: Role, is_owner: bool, membership: Option<MemberRole>) -> Rights {
        if system_role == Role::Admin || is_owner {
            return Rights::Delete;
        }
        match membership {
            Some(MemberRole::Admin) => Rights::Administer,
            Some(MemberRole::Member) => Rights::Work,
            Some(MemberRole::Viewer) => Rights::Read,
            None => Rights::None,
        }
    }
}

/// The workspace `id` and the caller's rights in it ([`Rights::None`] for one they cannot see,
/// `None` for one that does not exist).
pub async fn rights(db: &Database, caller: &Principal, id: Uuid) -> ApiResult<Option<(Workspace, Rights)>> {
    Ok(workspaces::find_with_role(db, id, caller.user.id).await?.map(|(workspace, membership)| {
        let rights = Rights::decide(caller.role(), workspace.owner_id == caller.user.id, membership);
        (workspace, rights)
    }))
}

/// The workspace `id` when the caller holds `needed` in it: 404 when they cannot see it, 403
/// with `refusal` when they see it but hold less.
pub async fn require(
    db: &Database,
    caller: &Principal,
    id: Uuid,
    needed: Rights,
    refusal: &'static str,
) -> ApiResult<Workspace> {
    match rights(db, caller, id).await? {
        Some((workspace, held)) if held >= needed => Ok(workspace),
        Some((_, held)) if held > Rights::None => Err(ApiError::forbidden(refusal)),
        _ => Err(ApiError::not_found("No such workspace")),
    }
}

/// The workspace `id`, when the caller can see it (404 otherwise).
pub async fn visible(db: &Database, caller: &Principal, id: Uuid) -> ApiResult<Workspace> {
    require(db, caller, id, Rights::Read, "").await
}

/// Whether the caller can see workspace `id`.
pub async fn can_read(db: &Database, caller: &Principal, id: Uuid) -> ApiResult<bool> {
    Ok(rights(db, caller, id).await?.is_some_and(|(_, held)| held >= Rights::Read))
}

/// How lists are narrowed for the caller: `None` (everything) for system admins, else the
/// user whose owned and joined workspaces bound the list.
pub fn list_scope(caller: &Principal) -> Option<Uuid> {
    (caller.role() != Role::Admin).then_some(caller.user.id)
}

/// Whether a credential of `owner` may drive VMs in workspace `id`: only where its owner owns
/// the workspace or is a member of it, in any role.
pub async fn credential_serves(db: &Database, id: Uuid, owner: Uuid) -> Result<bool, DbError> {
    workspaces::owner_serves(db, id, owner).await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The module's table, row by row.
    #[test]
    fn rights_follow_the_role_and_membership_table() {
        let as_member = [
            (None, Rights::None),
            (Some(MemberRole::Viewer), Rights::Read),
            (Some(MemberRole::Member), Rights::Work),
            (Some(MemberRole::Admin), Rights::Administer),
        ];
        for (membership, expected) in as_member {
            for role in [Role::User, Role::Viewer] {
                assert_eq!(
                    Rights::decide(role, false, membership),
                    expected,
                    "{role:?} member {membership:?}"
                );
                assert_eq!(Rights::decide(role, true, membership), Rights::Delete, "{role:?} owner");
            }
            assert_eq!(
                Rights::decide(Role::Admin, false, membership),
                Rights::Delete,
                "admin {membership:?}"
            );
        }
    }

    #[test]
    fn each_level_includes_the_ones_below() {
        let levels = [Rights::None, Rights::Read, Rights::Work, Rights::Administer, Rights::Delete];
        for pair in levels.windows(2) {
            assert!(pair[0] < pair[1], "{:?} < {:?}", pair[0], pair[1]);
        }
        // A system viewer role grants nothing in someone else's workspace by itself.
        assert_eq!(Rights::decide(Role::Viewer, false, None), Rights::None);
        assert_eq!(Rights::decide(Role::User, false, Some(MemberRole::Viewer)), Rights::Read);
    }
}
