//! Workspaces and members: visibility (404), rights (403), unique names (409), membership
//! notifications, lists, and concurrent updates that never fail.

use futures_util::TryStreamExt;
use skyclust_sdk::ErrorCode;
use skyclust_sdk::types::{
    AddMemberRequest, CreateCredentialRequest, CreateUserRequest, CreateVmRequest, CreateWorkspaceRequest,
    ListQuery, LoginRequest, MemberRole, Role, SandboxCredentialData, SortDirection, UpdateWorkspaceRequest,
    WorkspaceFilters,
};
use skyclust_server::storage::Database;
use skyclust_tests::{TestServer, each_backend};

use crate::register;
use crate::vms::sandbox_vm;

fn named(name: &str) -> CreateWorkspaceRequest {
    CreateWorkspaceRequest { name: name.into(), description: Some(format!("{name} workspace")) }
}

#[tokio::test]
async fn owners_members_and_strangers_see_what_they_should() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let admin = server.client();
        register(&admin, "root").await;
        let ada = server.client();
        let ada_user = register(&ada, "ada").await.user;
        let bob = server.client();
        let bob_user = register(&bob, "bob").await.user;
        let eve = server.client();
        register(&eve, "eve").await;

        let production = ada.workspaces().create(&named("production")).await.unwrap();
        assert_eq!((production.owner_id, production.is_active), (ada_user.id, true));
        assert_eq!(production.description, "production workspace");
        let staging = ada
            .workspaces()
            .create(&CreateWorkspaceRequest { name: "staging".into(), description: None })
            .await
            .unwrap();
        assert_eq!(staging.description, "");
        let taken = ada.workspaces().create(&named("PRODUCTION")).await.unwrap_err();
        assert_eq!(taken.code(), Some(ErrorCode::Conflict));
        bob.workspaces().create(&named("production")).await.expect("names are unique per owner only");

        // A stranger sees nothing of ada's workspaces (only her own personal one).
        assert_eq!(eve.workspaces().list(&ListQuery::default()).await.unwrap().pagination.total, 1);
        for error in [
            eve.workspaces().get(production.id).await.unwrap_err(),
            eve.workspaces().update(production.id, &UpdateWorkspaceRequest::default()).await.unwrap_err(),
            eve.workspaces().delete(production.id).await.unwrap_err(),
            eve.workspaces().members(production.id, &ListQuery::default()).await.unwrap_err(),
        ] {
            assert_eq!(error.code(), Some(ErrorCode::NotFound));
        }

        // A plain member reads but may not change; a workspace admin may change but not delete.
        let member = ada
            .workspaces()
            .add_member(production.id, &AddMemberRequest::user(bob_user.id, None))
            .await
            .unwrap();
        assert_eq!((member.role, member.username.as_str()), (MemberRole::Member, "bob"));
        assert_eq!(bob.workspaces().get(production.id).await.unwrap().name, "production");
        let listed =
            bob.workspaces().list(&ListQuery::default().sort_by("name", SortDirection::Asc)).await.unwrap();
        assert_eq!(listed.pagination.total, 3, "bob's personal one, his own and the one he belongs to");
        let refused = bob
            .workspaces()
            .update(
                production.id,
                &UpdateWorkspaceRequest { name: Some("mine".into()), ..Default::default() },
            )
            .await
            .unwrap_err();
        assert_eq!(refused.code(), Some(ErrorCode::Forbidden));
        let duplicate = ada
            .workspaces()
            .add_member(production.id, &AddMemberRequest::user(bob_user.id, Some(MemberRole::Admin)))
            .await
            .unwrap_err();
        assert_eq!(duplicate.code(), Some(ErrorCode::Conflict));
        let owner_as_member = ada
            .workspaces()
            .add_member(production.id, &AddMemberRequest::user(ada_user.id, None))
            .await
            .unwrap_err();
        assert_eq!(owner_as_member.code(), Some(ErrorCode::Conflict));
        let nobody = ada
            .workspaces()
            .add_member(production.id, &AddMemberRequest::user(uuid::Uuid::new_v4(), None))
            .await
            .unwrap_err();
        assert_eq!(nobody.code(), Some(ErrorCode::NotFound));
        // A member may be named by email or username too (without case), by exactly one.
        let by = |email: Option<&str>, username: Option<&str>| AddMemberRequest {
            email: email.map(str::to_owned),
            username: username.map(str::to_owned),
            ..Default::default()
        };
        let unknown = ada.workspaces().add_member(production.id, &by(Some("nobody@example.com"), None)).await;
        assert_eq!(unknown.unwrap_err().code(), Some(ErrorCode::NotFound));
        for ambiguous in [by(None, None), by(Some("bob@example.com"), Some("bob"))] {
            let error = ada.workspaces().add_member(production.id, &ambiguous).await.unwrap_err();
            assert_eq!(error.field_errors().unwrap_or_default().into_keys().collect::<Vec<_>>(), ["user_id"]);
        }
        let again = ada.workspaces().add_member(production.id, &by(Some("BOB@example.com"), None)).await;
        assert_eq!(again.unwrap_err().code(), Some(ErrorCode::Conflict), "bob, found by email, is a member");

        ada.workspaces().remove_member(production.id, bob_user.id).await.unwrap();
        let by_name = ada.workspaces().add_member(production.id, &by(None, Some("BoB"))).await.unwrap();
        assert_eq!(by_name.user_id, bob_user.id);
        ada.workspaces().remove_member(production.id, bob_user.id).await.unwrap();
        ada.workspaces()
            .add_member(production.id, &AddMemberRequest::user(bob_user.id, Some(MemberRole::Admin)))
            .await
            .unwrap();
        let renamed = bob
            .workspaces()
            .update(
                production.id,
                &UpdateWorkspaceRequest { description: Some("shared".into()), ..Default::default() },
            )
            .await
            .unwrap();
        assert_eq!((renamed.name.as_str(), renamed.description.as_str()), ("production", "shared"));
        assert!(renamed.updated_at > production.updated_at);
        assert_eq!(
            bob.workspaces().delete(production.id).await.unwrap_err().code(),
            Some(ErrorCode::Forbidden)
        );
        let members = bob.workspaces().members(production.id, &ListQuery::default()).await.unwrap();
        assert_eq!(members.members.len(), 1);
        assert_eq!(members.members[0].role, MemberRole::Admin);
        let eve_user = eve.auth().me().await.unwrap().user;
        ada.workspaces()
            .add_member(production.id, &AddMemberRequest::user(eve_user.id, Some(MemberRole::Viewer)))
            .await
            .unwrap();
        for (sort, first) in [("role", "bob"), ("created_at", "eve")] {
            let direction = if sort == "role" { SortDirection::Asc } else { SortDirection::Desc };
            let sorted = ada
                .workspaces()
                .members(production.id, &ListQuery::default().sort_by(sort, direction))
                .await
                .unwrap();
            assert_eq!(sorted.members[0].username, first, "sorted by {sort}");
            assert_eq!(sorted.pagination.total, 2);
        }
        ada.workspaces().remove_member(production.id, eve_user.id).await.unwrap();

        // Membership changes reach the member as notifications.
        let news = bob.notifications().list(&ListQuery::default()).await.unwrap();
        let titles: Vec<_> = news.notifications.iter().map(|n| n.title.as_str()).collect();
        let (added, removed) = ("Added to a workspace", "Removed from a workspace");
        assert_eq!(titles, [added, removed, added, removed, added], "by id, by username, by id");
        assert!(news.notifications[0].message.contains("\"production\" as admin"));

        // Admins see everything; filters narrow.
        let everything: Vec<_> =
            admin.workspaces().list_all(ListQuery::default().limit(1)).try_collect().await.unwrap();
        assert_eq!(everything.len(), 7, "three and four personal ones");
        let adas = admin
            .workspaces()
            .list(
                &ListQuery::default()
                    .filters(WorkspaceFilters { owner_id: vec![ada_user.id], is_active: Some(true) }),
            )
            .await
            .unwrap();
        assert_eq!(adas.pagination.total, 3);
        assert_eq!(
            ada.workspaces().list(&ListQuery::default()).await.unwrap().pagination.limit,
            10,
            "workspaces default to 10 per page"
        );

        ada.workspaces().delete(production.id).await.unwrap();
        assert_eq!(bob.workspaces().get(production.id).await.unwrap_err().code(), Some(ErrorCode::NotFound));
        admin.workspaces().delete(staging.id).await.expect("admins may delete any workspace");
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn bad_input_is_named_and_concurrent_updates_all_land() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let ada = server.client();
        register(&ada, "ada").await;
        // Blank, padded, control-laden, invisibly formatted and over-long names are refused; a
        // name's inner spaces and any script are not.
        for name in [
            "",
            "   ",
            " padded",
            "padded ",
            "tab\there",
            "zero\u{200b}width",
            "prod\u{202e}dev",
            &"x".repeat(256),
        ] {
            let error = ada.workspaces().create(&named(name)).await.unwrap_err();
            assert!(error.field_errors().unwrap().contains_key("name"), "{name:?}: {error:?}");
        }
        ada.workspaces().create(&named("운영 서버 – EU")).await.unwrap();
        let long_description =
            CreateWorkspaceRequest { name: "ok".into(), description: Some("d".repeat(2001)) };
        assert!(
            ada.workspaces()
                .create(&long_description)
                .await
                .unwrap_err()
                .field_errors()
                .unwrap()
                .contains_key("description")
        );
        let http = reqwest::Client::new();
        let token = ada.token().unwrap();
        for (path, field) in [
            ("/workspaces/not-a-uuid", "id"),
            ("/workspaces?sort=owner_id:asc", "sort"),
            ("/workspaces?limit=500", "limit"),
        ] {
            let response =
                http.get(format!("{}{path}", server.api_url)).bearer_auth(&token).send().await.unwrap();
            assert_eq!(response.status().as_u16(), 400, "{path}");
            let body: serde_json::Value = response.json().await.unwrap();
            assert!(body["data"]["fields"][field].is_string(), "{path}: {body}");
        }

        // Twenty concurrent renames: every one answers 200, the last one wins.
        let workspace = ada.workspaces().create(&named("busy")).await.unwrap();
        let updates = (0..20).map(|n| {
            let ada = ada.clone();
            async move {
                ada.workspaces()
                    .update(
                        workspace.id,
                        &UpdateWorkspaceRequest {
                            description: Some(format!("version {n}")),
                            ..Default::default()
                        },
                    )
                    .await
            }
        });
        let results = futures_util::future::join_all(updates).await;
        assert!(
            results.iter().all(Result::is_ok),
            "{:?}",
            results.iter().filter(|r| r.is_err()).collect::<Vec<_>>()
        );
        let last = ada.workspaces().get(workspace.id).await.unwrap();
        assert!(last.description.starts_with("version "));
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn every_user_has_a_personal_workspace_where_vms_without_one_go() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let admin = server.client();
        register(&admin, "root").await;
        let ada = server.client();
        let ada_user = register(&ada, "ada").await.user;

        let mine = ada.workspaces().list(&ListQuery::default()).await.unwrap();
        assert_eq!(mine.pagination.total, 1, "made with the account");
        let personal = mine.workspaces[0].clone();
        assert_eq!(
            (personal.name.as_str(), personal.owner_id, personal.is_personal),
            ("Personal", ada_user.id, true)
        );
        let made = admin
            .users()
            .create(&CreateUserRequest {
                username: "made".into(),
                email: "made@example.com".into(),
                password: "password-made".into(),
                role: None,
                is_active: None,
            })
            .await
            .unwrap();
        let owned_by =
            |owner| ListQuery::default().filters(WorkspaceFilters { owner_id: vec![owner], is_active: None });
        let theirs = admin.workspaces().list(&owned_by(made.id)).await.unwrap().workspaces;
        assert_eq!((theirs.len(), theirs[0].is_personal), (1, true), "accounts made by admins too");

        // The seed's snippets send no workspace_id: the VM goes to the caller's personal workspace.
        let anywhere = CreateVmRequest { workspace_id: None, ..sandbox_vm(personal.id, "anywhere") };
        assert_eq!(ada.vms().create(&anywhere).await.unwrap().workspace_id, personal.id);
        let other = ada.workspaces().create(&named("other")).await.unwrap();
        assert!(!other.is_personal);
        assert_eq!(ada.vms().create(&sandbox_vm(other.id, "there")).await.unwrap().workspace_id, other.id);

        // It goes with its owner only: neither they nor an admin may delete it, nor take its name.
        for client in [&ada, &admin] {
            let refused = client.workspaces().delete(personal.id).await.unwrap_err();
            assert_eq!(refused.code(), Some(ErrorCode::Conflict), "{refused}");
        }
        let taken = ada.workspaces().create(&named("PERSONAL")).await.unwrap_err();
        assert_eq!(taken.code(), Some(ErrorCode::Conflict));
        admin.users().delete(made.id).await.unwrap();
        assert!(admin.workspaces().list(&owned_by(made.id)).await.unwrap().workspaces.is_empty());

        // A user without one (made by an older replica during an upgrade) gets one when needed,
        // named so as not to clash with a workspace they called "Personal" themselves.
        let cyd = server.client();
        let cyd_user = register(&cyd, "cyd").await.user;
        sqlx::query("DELETE FROM workspaces WHERE owner_id = $1")
            .bind(cyd_user.id.to_string())
            .execute(server.state.db.pool())
            .await
            .unwrap();
        let own = cyd.workspaces().create(&named("Personal")).await.unwrap();
        let vm = cyd
            .vms()
            .create(&CreateVmRequest { workspace_id: None, ..sandbox_vm(own.id, "late") })
            .await
            .unwrap();
        let made_now = cyd.workspaces().get(vm.workspace_id).await.unwrap();
        assert!(made_now.is_personal && made_now.id != own.id);
        assert!(
            made_now.name.starts_with("Personal ") && made_now.name.len() == "Personal ".len() + 12,
            "{}",
            made_now.name
        );
        let again = cyd
            .vms()
            .create(&CreateVmRequest { workspace_id: None, ..sandbox_vm(own.id, "again") })
            .await
            .unwrap();
        assert_eq!(again.workspace_id, made_now.id, "one, and only one");

        // Made once under concurrent requests too (an atomic insert, not check-then-insert).
        let dee = server.client();
        let dee_user = register(&dee, "dee").await.user;
        sqlx::query("DELETE FROM workspaces WHERE owner_id = $1")
            .bind(dee_user.id.to_string())
            .execute(server.state.db.pool())
            .await
            .unwrap();
        let racing = (0..8).map(|i| {
            let request = CreateVmRequest { workspace_id: None, ..sandbox_vm(own.id, &format!("race-{i}")) };
            let dee = dee.clone();
            async move { dee.vms().create(&request).await.unwrap().workspace_id }
        });
        let landed: std::collections::HashSet<_> =
            futures_util::future::join_all(racing).await.into_iter().collect();
        let theirs = dee.workspaces().list(&ListQuery::default()).await.unwrap().workspaces;
        assert_eq!((landed.len(), theirs.len()), (1, 1), "one personal workspace for all eight");
        assert_eq!((theirs[0].id, theirs[0].is_personal), (*landed.iter().next().unwrap(), true));
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn upgrading_gives_every_existing_user_a_personal_workspace() {
    each_backend(|db| async move {
        // The database as release 12 left it: two users, one owning a workspace named "personal".
        let old = Database::open_at_version(&db.url, 1, 12).await.unwrap();
        let (ada, bob) = (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
        let now = "2026-01-01T00:00:00.000000Z";
        for name in ["ada", "bob"] {
            let id = if name == "ada" { &ada } else { &bob };
            sqlx::query(
                "INSERT INTO users (id, username, email, password_hash, role, is_active, created_at, updated_at) \
                 VALUES ($1, $2, $3, 'x', 'user', 1, $4, $4)",
            )
            .bind(id)
            .bind(name)
            .bind(format!("{name}@example.com"))
            .bind(now)
            .execute(old.pool())
            .await
            .unwrap();
        }
        sqlx::query(
            "INSERT INTO workspaces (id, name, description, owner_id, is_active, created_at, updated_at) \
             VALUES ($1, 'personal', '', $2, 1, $3, $3)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(&ada)
        .bind(now)
        .execute(old.pool())
        .await
        .unwrap();
        old.pool().close().await;

        let upgraded = Database::open(&db.url, 1).await.unwrap();
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT owner_id, name, id, created_at FROM workspaces WHERE is_personal = 1 ORDER BY owner_id",
        )
        .fetch_all(upgraded.pool())
        .await
        .unwrap();
        assert_eq!(rows.len(), 2, "one each: {rows:?}");
        for (owner, name, id, created_at) in rows {
            if owner == ada {
                assert!(name.starts_with("Personal ") && name.len() == "Personal ".len() + 12, "unguessable: {name}");
            } else {
                assert_eq!(name, "Personal");
            }
            assert_eq!(uuid::Uuid::parse_str(&id).unwrap().get_version_num(), 4);
            assert_eq!(created_at.len(), now.len(), "stored like every other timestamp: {created_at}");
            chrono::DateTime::parse_from_rfc3339(&created_at).unwrap();
        }
        upgraded.pool().close().await;
        db.drop_now().await;
    })
    .await;
}

/// Nobody consents to being added to a workspace, so anyone may leave one; and an owner facing a
/// member who keeps creating VMs sets the workspace inactive, which takes no new VMs.
#[tokio::test]
async fn members_may_leave_and_an_inactive_workspace_takes_no_new_vms() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let (ada, bob, cy) = (server.client(), server.client(), server.client());
        register(&ada, "ada").await;
        let bob_user = register(&bob, "bob").await.user;
        let cy_user = register(&cy, "cyd").await.user;
        let shared = ada.workspaces().create(&named("shared")).await.unwrap();
        for (user, role) in [(bob_user.id, MemberRole::Member), (cy_user.id, MemberRole::Viewer)] {
            ada.workspaces().add_member(shared.id, &AddMemberRequest::user(user, Some(role))).await.unwrap();
        }
        // A member may not remove someone else, but may remove themselves.
        let refused = bob.workspaces().remove_member(shared.id, cy_user.id).await.unwrap_err();
        assert_eq!(refused.code(), Some(ErrorCode::Forbidden), "{refused}");
        cy.workspaces().remove_member(shared.id, cy_user.id).await.unwrap();
        let gone = cy.workspaces().get(shared.id).await.unwrap_err();
        assert_eq!(gone.code(), Some(ErrorCode::NotFound), "{gone}");
        let members = ada.workspaces().members(shared.id, &ListQuery::default()).await.unwrap().members;
        assert_eq!(members.iter().map(|member| member.user_id).collect::<Vec<_>>(), vec![bob_user.id]);

        // Leaving takes no `workspace:manage`: a read-only (system `viewer`) member leaves too.
        let reader = CreateUserRequest {
            username: "reader".into(),
            email: "reader@example.com".into(),
            password: "password-reader".into(),
            role: Some(Role::Viewer),
            is_active: None,
        };
        let reader_user = ada.users().create(&reader).await.unwrap();
        ada.workspaces().add_member(shared.id, &AddMemberRequest::user(reader_user.id, None)).await.unwrap();
        let reader_client = server.client();
        reader_client
            .auth()
            .login(&LoginRequest { email: reader.email.clone(), password: reader.password.clone() })
            .await
            .unwrap();
        reader_client.workspaces().remove_member(shared.id, reader_user.id).await.unwrap();

        // Inactive: no new VMs from anyone, the owner included; a create repeated with its
        // idempotency key still answers its first result; active again: they are welcome.
        let key = uuid::Uuid::new_v4().to_string();
        let first =
            bob.vms().create_with_idempotency_key(&sandbox_vm(shared.id, "early"), &key).await.unwrap();
        let inactive = UpdateWorkspaceRequest { is_active: Some(false), ..Default::default() };
        ada.workspaces().update(shared.id, &inactive).await.unwrap();
        for client in [&bob, &ada] {
            let refused = client.vms().create(&sandbox_vm(shared.id, "late")).await.unwrap_err();
            assert_eq!(refused.code(), Some(ErrorCode::Conflict), "{refused}");
        }
        let repeated =
            bob.vms().create_with_idempotency_key(&sandbox_vm(shared.id, "early"), &key).await.unwrap();
        assert_eq!(repeated.id, first.id);
        let active = UpdateWorkspaceRequest { is_active: Some(true), ..Default::default() };
        ada.workspaces().update(shared.id, &active).await.unwrap();
        bob.vms().create(&sandbox_vm(shared.id, "welcome")).await.unwrap();

        // The owner is no member: removing them is not found, even while their credential
        // serves VMs of the workspace (a check that once answered 409 naming those VMs).
        let credential = CreateCredentialRequest::new("lab", SandboxCredentialData::default());
        let credential = ada.credentials().create(&credential).await.unwrap();
        let owned = CreateVmRequest { credential_id: Some(credential.id), ..sandbox_vm(shared.id, "owned") };
        ada.vms().create(&owned).await.unwrap();
        let owner = ada.auth().me().await.unwrap().user.id;
        let refused = ada.workspaces().remove_member(shared.id, owner).await.unwrap_err();
        assert_eq!(refused.code(), Some(ErrorCode::NotFound), "{refused}");
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}
