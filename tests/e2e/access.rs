//! The authorization matrix: every declared operation, called by every kind of caller, answers
//! the status its declaration implies. Generated from `operations::ALL`, so an operation cannot
//! be added without appearing here (it needs a sample request below).

use reqwest::Method;
use serde_json::{Value, json};
use skyclust_sdk::types::{
    Access, AddMemberRequest, CreateApiKeyRequest, CreateCredentialRequest, CreateUserRequest,
    CreateVmRequest, CreateWorkspaceRequest, NotificationType, Operation, Priority, Provider, Role, User,
    VmStatus, operations,
};
use skyclust_tests::{TestServer, each_backend};
use uuid::Uuid;

use crate::register;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Anonymous,
    Viewer,
    Owner,
    OtherUser,
    Admin,
    RevokedToken,
    ExpiredToken,
    TamperedToken,
    RevokedApiKey,
}

const CALLERS: [Caller; 9] = [
    Caller::Anonymous,
    Caller::Viewer,
    Caller::Owner,
    Caller::OtherUser,
    Caller::Admin,
    Caller::RevokedToken,
    Caller::ExpiredToken,
    Caller::TamperedToken,
    Caller::RevokedApiKey,
];

/// Operations whose sample resource belongs to `Caller::Owner` alone: anyone else gets 404.
const OWNED_BY_OWNER: &[&str] = &[
    "delete_api_key",
    "get_credential",
    "update_credential",
    "delete_credential",
    "list_credential_instances",
    "mark_notification_read",
];

/// Operations whose body names a credential of `Caller::Owner`'s: a system admin, who may see
/// the workspace, still cannot use another user's credential (400).
const OWNER_CREDENTIAL_IN_BODY: &[&str] = &["import_vm"];

/// Operations that drive a VM with the caller's own credential (the newest active one when the
/// body names none; every caller stored one in the earlier `create_credential` sample): a system
/// admin who sees the workspace but does not belong to it is refused (403), as the worker would
/// refuse to use that credential there.
const CALLER_CREDENTIAL_SERVES: &[&str] = &["create_vm"];

/// Operations on a workspace of `Caller::Owner`'s: visible to its owner and to system admins.
const OWNER_WORKSPACE: &[&str] = &[
    "get_workspace",
    "update_workspace",
    "delete_workspace",
    "list_workspace_members",
    "add_workspace_member",
    "remove_workspace_member",
    "create_vm",
    "import_vm",
    "get_vm",
    "delete_vm",
    "start_vm",
    "stop_vm",
    "reboot_vm",
    "get_cost_analysis",
    "get_cost_breakdown",
];

struct Fixture {
    admin: User,
    viewer: User,
    owner: User,
    other: User,
}

impl Caller {
    fn is_invalid(self) -> bool {
        matches!(
            self,
            Caller::RevokedToken | Caller::ExpiredToken | Caller::TamperedToken | Caller::RevokedApiKey
        )
    }

    fn role(self) -> Option<Role> {
        match self {
            Caller::Viewer => Some(Role::Viewer),
            Caller::Owner | Caller::OtherUser => Some(Role::User),
            Caller::Admin => Some(Role::Admin),
            _ => None,
        }
    }
}

fn expected(operation: &Operation, caller: Caller) -> u16 {
    match operation.access {
        Access::Public => operation.status,
        Access::Optional if caller.is_invalid() => 401,
        Access::Optional => operation.status,
        Access::Authenticated(permission) => match caller.role() {
            None => 401,
            Some(role) if permission.is_some_and(|permission| !role.has(permission)) => 403,
            Some(_) if OWNED_BY_OWNER.contains(&operation.id) && caller != Caller::Owner => 404,
            Some(_)
                if OWNER_WORKSPACE.contains(&operation.id)
                    && !matches!(caller, Caller::Owner | Caller::Admin) =>
            {
                404
            }
            Some(_) if OWNER_CREDENTIAL_IN_BODY.contains(&operation.id) && caller == Caller::Admin => 400,
            Some(_) if CALLER_CREDENTIAL_SERVES.contains(&operation.id) && caller == Caller::Admin => 403,
            Some(_) => operation.status,
        },
    }
}

struct Sample {
    path: String,
    body: Option<Value>,
}

async fn sample(server: &TestServer, fixture: &Fixture, operation: &Operation) -> Sample {
    let fresh = || {
        let name = format!("m{}", &Uuid::new_v4().simple().to_string()[..12]);
        json!({"username": name, "email": format!("{name}@example.com"), "password": format!("password-{name}")})
    };
    let path = |path: &str| Sample { path: path.to_owned(), body: None };
    match operation.id {
        "register" => Sample { path: operation.path.into(), body: Some(fresh()) },
        "login" => Sample {
            path: operation.path.into(),
            body: Some(json!({"email": fixture.owner.email, "password": "password-matrix"})),
        },
        "create_api_key" => Sample { path: operation.path.into(), body: Some(json!({"name": "matrix"})) },
        "create_user" => Sample { path: operation.path.into(), body: Some(fresh()) },
        "update_user" => Sample {
            path: format!("/users/{}", throwaway_user(server, fixture).await),
            body: Some(json!({"is_active": true})),
        },
        "delete_user" => path(&format!("/users/{}", throwaway_user(server, fixture).await)),
        "get_user" => path(&format!("/users/{}", fixture.owner.id)),
        "delete_api_key" => {
            let key = server
                .client_as(&fixture.owner)
                .api_keys()
                .create(&CreateApiKeyRequest { name: "owned".into(), expires_at: None, read_only: None })
                .await
                .unwrap();
            path(&format!("/api-keys/{}", key.api_key.id))
        }
        "create_workspace" => Sample {
            path: operation.path.into(),
            body: Some(json!({"name": format!("ws-{}", Uuid::new_v4())})),
        },
        "get_workspace" | "list_workspace_members" => {
            path(&operation.path.replace("{id}", &owner_workspace(server, fixture).await.to_string()))
        }
        "update_workspace" => Sample {
            path: format!("/workspaces/{}", owner_workspace(server, fixture).await),
            body: Some(json!({"description": "changed"})),
        },
        "delete_workspace" => path(&format!("/workspaces/{}", owner_workspace(server, fixture).await)),
        "add_workspace_member" => Sample {
            path: format!("/workspaces/{}/members", owner_workspace(server, fixture).await),
            body: Some(json!({"user_id": fixture.viewer.id, "role": "viewer"})),
        },
        "remove_workspace_member" => {
            // A member who is none of the callers: removing oneself (leaving) is another rule,
            // tested in workspaces.rs.
            let workspace = owner_workspace(server, fixture).await;
            let name = format!("m{}", Uuid::new_v4().simple());
            let member = CreateUserRequest {
                username: name.clone(),
                email: format!("{name}@example.com"),
                password: "password-matrix".into(),
                role: None,
                is_active: None,
            };
            let member = server.client_as(&fixture.admin).users().create(&member).await.unwrap();
            server
                .client_as(&fixture.owner)
                .workspaces()
                .add_member(workspace, &AddMemberRequest::user(member.id, None))
                .await
                .unwrap();
            path(&format!("/workspaces/{workspace}/members/{}", member.id))
        }
        "create_credential" => Sample {
            path: operation.path.into(),
            body: Some(json!({"name": format!("c-{}", Uuid::new_v4()), "provider": "sandbox", "data": {}})),
        },
        "get_credential" | "delete_credential" => {
            path(&format!("/credentials/{}", owner_credential(server, fixture).await))
        }
        "list_credential_instances" => {
            path(&operation.path.replace("{id}", &owner_credential(server, fixture).await.to_string()))
        }
        "import_vm" => {
            // An instance the owner started in their sandbox account outside SkyClust.
            let instance = server
                .state
                .sandbox
                .launch(fixture.owner.id, "matrix", "t3.micro", "us-east-1a")
                .await
                .unwrap();
            Sample {
                path: operation.path.into(),
                body: Some(json!({
                    "credential_id": owner_credential(server, fixture).await,
                    "provider_instance_id": instance,
                    "region": "us-east-1",
                    "workspace_id": owner_workspace(server, fixture).await,
                })),
            }
        }
        "update_credential" => Sample {
            path: format!("/credentials/{}", owner_credential(server, fixture).await),
            body: Some(json!({"is_active": true})),
        },
        "mark_notification_read" => {
            let notification = skyclust_server::storage::notifications::insert(
                &server.state.db,
                fixture.owner.id,
                "matrix",
                "a notification of the owner's",
                NotificationType::Info,
                Priority::Low,
            )
            .await
            .unwrap();
            path(&format!("/notifications/{}/read", notification.id))
        }
        "create_vm" => Sample {
            path: operation.path.into(),
            body: Some(json!({
                "name": "matrix", "provider": "sandbox", "instance_type": "t3.micro", "region": "us-east-1",
                "workspace_id": owner_workspace(server, fixture).await
            })),
        },
        "get_vm" | "delete_vm" => path(
            &operation.path.replace("{id}", &owner_vm(server, fixture, VmStatus::Pending).await.to_string()),
        ),
        "start_vm" => path(
            &operation.path.replace("{id}", &owner_vm(server, fixture, VmStatus::Stopped).await.to_string()),
        ),
        "stop_vm" | "reboot_vm" => path(
            &operation.path.replace("{id}", &owner_vm(server, fixture, VmStatus::Running).await.to_string()),
        ),
        "get_cost_analysis" => path(&format!(
            "{}?period=7d&workspace_id={}",
            operation.path,
            owner_workspace(server, fixture).await
        )),
        "get_cost_breakdown" => path(&format!(
            "{}?provider=aws&service=EC2&workspace_id={}",
            operation.path,
            owner_workspace(server, fixture).await
        )),
        "logout"
        | "get_current_user"
        | "get_health"
        | "get_db_health"
        | "get_redis_health"
        | "list_api_keys"
        | "list_users"
        | "list_audit_logs"
        | "list_workspaces"
        | "list_credentials"
        | "list_notifications"
        | "mark_all_notifications_read"
        | "list_vms"
        | "list_providers" => path(operation.path),
        other => panic!(
            "operation {other} has no sample request in the authorization matrix (tests/e2e/access.rs)"
        ),
    }
}

async fn owner_workspace(server: &TestServer, fixture: &Fixture) -> Uuid {
    let request = CreateWorkspaceRequest { name: format!("owned-{}", Uuid::new_v4()), description: None };
    server.client_as(&fixture.owner).workspaces().create(&request).await.unwrap().id
}

/// A VM in a workspace of the owner's, put in `status` directly (the matrix server's worker
/// is idle, so nothing moves it on).
async fn owner_vm(server: &TestServer, fixture: &Fixture, status: VmStatus) -> Uuid {
    let request = CreateVmRequest {
        name: "matrix".into(),
        provider: Provider::Sandbox,
        instance_type: "t3.micro".into(),
        region: "us-east-1".into(),
        zone: None,
        workspace_id: Some(owner_workspace(server, fixture).await),
        image_id: None,
        key_pair: None,
        credential_id: None,
    };
    let vm = server.client_as(&fixture.owner).vms().create(&request).await.unwrap();
    // An instance of its own: one live VM at most manages an instance.
    let instance = format!("i-matrix-{}", vm.id.simple());
    let observed =
        skyclust_server::storage::vms::Observed { instance_id: Some(&instance), ..Default::default() };
    skyclust_server::storage::vms::record_status(
        &server.state.db,
        vm.id,
        (status, None),
        observed,
        (server.state.clock.now(), None),
    )
    .await
    .unwrap();
    vm.id
}

async fn owner_credential(server: &TestServer, fixture: &Fixture) -> Uuid {
    let request = CreateCredentialRequest {
        name: format!("owned-{}", Uuid::new_v4()),
        provider: Provider::Sandbox,
        data: Default::default(),
    };
    server.client_as(&fixture.owner).credentials().create(&request).await.unwrap().id
}

async fn throwaway_user(server: &TestServer, fixture: &Fixture) -> Uuid {
    let name = format!("t{}", &Uuid::new_v4().simple().to_string()[..12]);
    server
        .client_as(&fixture.admin)
        .users()
        .create(&CreateUserRequest {
            username: name.clone(),
            email: format!("{name}@example.com"),
            password: "password-throwaway".into(),
            role: None,
            is_active: None,
        })
        .await
        .unwrap()
        .id
}

async fn credentials(
    server: &TestServer,
    fixture: &Fixture,
    caller: Caller,
) -> Option<(&'static str, String)> {
    let bearer = |token: String| Some(("authorization", format!("Bearer {token}")));
    match caller {
        Caller::Anonymous => None,
        Caller::Viewer => bearer(server.token_for(&fixture.viewer)),
        Caller::Owner => bearer(server.token_for(&fixture.owner)),
        Caller::OtherUser => bearer(server.token_for(&fixture.other)),
        Caller::Admin => bearer(server.token_for(&fixture.admin)),
        Caller::RevokedToken => {
            let client = server.client_as(&fixture.owner);
            let token = client.token().unwrap();
            client.auth().logout().await.unwrap();
            bearer(token)
        }
        Caller::ExpiredToken => {
            let past = chrono::Utc::now() - chrono::Duration::days(3);
            bearer(server.state.jwt.issue_at(fixture.owner.id, Role::User, past).unwrap().0)
        }
        Caller::TamperedToken => {
            let mut token = server.token_for(&fixture.admin);
            let last = token.pop().unwrap();
            token.push(if last == 'A' { 'B' } else { 'A' });
            bearer(token)
        }
        Caller::RevokedApiKey => {
            let keys = server.client_as(&fixture.owner);
            let created = keys
                .api_keys()
                .create(&CreateApiKeyRequest { name: "revoked".into(), expires_at: None, read_only: None })
                .await
                .unwrap();
            keys.api_keys().delete(created.api_key.id).await.unwrap();
            Some(("x-api-key", created.key))
        }
    }
}

#[tokio::test]
async fn every_operation_answers_every_caller_as_declared() {
    each_backend(|db| async move {
        let mut config = db.config();
        config.worker_poll_ms = 3_600_000;
        let server = TestServer::start(config).await;
        let admin = register(&server.client(), "admin").await.user;
        let create = |name: &str, role: Role| CreateUserRequest {
            username: name.into(),
            email: format!("{name}@example.com"),
            password: "password-matrix".into(),
            role: Some(role),
            is_active: None,
        };
        let admin_client = server.client_as(&admin);
        let fixture = Fixture {
            viewer: admin_client.users().create(&create("viewer", Role::Viewer)).await.unwrap(),
            owner: admin_client.users().create(&create("owner", Role::User)).await.unwrap(),
            other: admin_client.users().create(&create("other", Role::User)).await.unwrap(),
            admin,
        };
        let http = reqwest::Client::new();
        let mut mismatches = Vec::new();
        for operation in operations::ALL {
            for caller in CALLERS {
                let sample = sample(&server, &fixture, operation).await;
                let method = Method::from_bytes(operation.method.as_str().as_bytes()).unwrap();
                let mut request = http.request(method, format!("{}{}", server.api_url, sample.path));
                if let Some((name, value)) = credentials(&server, &fixture, caller).await {
                    request = request.header(name, value);
                }
                if let Some(body) = sample.body {
                    request = request.json(&body);
                }
                let status = request.send().await.unwrap().status().as_u16();
                let expected = expected(operation, caller);
                if status != expected {
                    mismatches
                        .push(format!("{} as {caller:?}: got {status}, expected {expected}", operation.id));
                }
            }
        }
        assert!(mismatches.is_empty(), "authorization mismatches:\n{}", mismatches.join("\n"));
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}
