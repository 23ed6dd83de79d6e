//! A stateful stand-in for the subset of Azure Resource Manager and Microsoft Entra ID that
//! SkyClust uses, written from Microsoft's public REST reference (Compute `virtualMachines`
//! 2024-11-01 and `disks` 2024-03-02, Network 2024-05-01 `virtualNetworks`, `subnets`,
//! `publicIPAddresses`, `networkInterfaces`; "Track asynchronous Azure operations"; the
//! identity platform's client-credentials grant), not from any client: there is no emulator.
//!
//! - `POST /{tenant}/oauth2/v2.0/token` — client credentials; tokens live
//!   [`FakeArm::set_token_lifetime`] seconds; a wrong secret is `401 invalid_client`
//!   (`AADSTS7000215`), an unknown tenant `400 invalid_request` (`AADSTS90002`).
//! - `PUT/GET/DELETE /subscriptions/{s}/resourceGroups/{g}/providers/{namespace}/{type}/{name}`
//!   (and `…/virtualNetworks/{v}/subnets/{name}`, `…/networkSecurityGroups/{name}`), each checked against its pinned
//!   `api-version`, the bearer token (unknown: `401 InvalidAuthenticationToken`, expired:
//!   `401 ExpiredAuthenticationToken`) and the principal's subscription (`403
//!   AuthorizationFailed`); a missing group is `404 ResourceGroupNotFound`, a missing
//!   resource `404 ResourceNotFound`, and deleting one that does not exist `204`.
//! - `GET …/providers/Microsoft.Compute/virtualMachines` lists a group's VMs (paged with
//!   `nextLink` when [`FakeArm::set_page_size`] asks); `PATCH …/virtualMachines/{vm}` replaces
//!   its `tags` (`200` with `Azure-AsyncOperation`).
//! - `GET …/virtualMachines/{vm}?$expand=instanceView` and `…/instanceView`;
//!   `POST …/virtualMachines/{vm}/start|deallocate|restart` (`202`; `deallocate` is tracked
//!   by `Location`, the others by `Azure-AsyncOperation`).
//! - Creations and deletions answer `201`/`202` with `Azure-AsyncOperation`; an operation
//!   answers `InProgress` to its first poll and ends at the next (`Succeeded`, or `Failed`
//!   with ARM's error), so tests need no clock. A VM's power state moves one step per read.
//! - Azure's refusals: an interface in use by a VM, an address in use by an interface or a
//!   disk attached to a VM cannot be deleted; an interface must name an existing subnet and
//!   address; a public address must be Standard SKU and static.
//! - Errors use ARM's body `{"error": {"code", "message"}}`; throttling is `429` with
//!   `Retry-After`.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use tokio::task::JoinHandle;

/// The `api-version` the fake accepts per resource type, as the driver pins them.
const COMPUTE_API: &str = "2024-11-01";
const DISK_API: &str = "2024-03-02";
const NETWORK_API: &str = "2024-05-01";

/// A call, for failures injected with [`FakeArm::fail_next`] and [`FakeArm::hold_next`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// The token request.
    Token,
    /// `PUT` of a public IP address.
    PutAddress,
    /// `PUT` of a network interface.
    PutInterface,
    /// `PUT` of a VM.
    PutVm,
    /// `GET` of a VM.
    GetVm,
    /// `POST …/start`.
    Start,
    /// `POST …/deallocate`.
    Deallocate,
    /// `POST …/restart`.
    Restart,
    /// `DELETE` of a VM.
    DeleteVm,
    /// `DELETE` of a network interface.
    DeleteInterface,
    /// `GET` of a group's VMs.
    ListVms,
    /// `PATCH` of a VM.
    PatchVm,
}

/// How an injected failure shows.
#[derive(Debug, Clone)]
pub enum Fault {
    /// The call answers this status and ARM error (with `Retry-After`, when given).
    Http {
        /// HTTP status.
        status: u16,
        /// ARM's error code, e.g. `OperationNotAllowed`.
        code: &'static str,
        /// The message.
        message: String,
        /// Seconds for `Retry-After`.
        retry_after: Option<u64>,
    },
    /// The call is carried out, but its answer is a 503, as when a connection drops after
    /// Resource Manager accepted the request.
    AnswerLost,
    /// The call is accepted; its asynchronous operation ends `Failed` with this error, and
    /// a VM is left in `ProvisioningState/failed/<code>`.
    Operation {
        /// ARM's error code, e.g. `AllocationFailed`.
        code: &'static str,
        /// The message.
        message: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Vnet,
    SecurityGroup,
    Subnet,
    Address,
    Interface,
    Vm,
    Disk,
}

impl Kind {
    fn api(self) -> &'static str {
        match self {
            Kind::Vm => COMPUTE_API,
            Kind::Disk => DISK_API,
            _ => NETWORK_API,
        }
    }
}

#[derive(Debug, Clone)]
struct Resource {
    kind: Kind,
    body: Value,
    /// A VM's power state (none while it is being created), and the ones the next reads
    /// move through.
    power: Option<&'static str>,
    next: VecDeque<&'static str>,
    /// `Succeeded`, `Creating`, `Updating`, `Deleting`, or `failed/<code>`.
    provisioning: String,
    failure: Option<String>,
}

#[derive(Debug, Clone)]
enum Effect {
    Nothing,
    /// Removes the resource when the operation ends.
    Remove(String),
    /// Marks a VM provisioned.
    Provisioned(String),
}

#[derive(Debug, Clone)]
struct Operation {
    polls: u32,
    effect: Effect,
    failure: Option<(String, String)>,
    /// Tracked by `Location` (202 until done), not `Azure-AsyncOperation`.
    by_location: bool,
}

struct Principal {
    secret: String,
    subscription: String,
}

#[derive(Default)]
struct World {
    principals: HashMap<(String, String), Principal>,
    tokens: HashMap<String, (String, String, Instant)>,
    groups: Vec<(String, String)>,
    resources: BTreeMap<String, Resource>,
    operations: HashMap<String, Operation>,
    faults: VecDeque<(Call, Fault)>,
    held: Option<Call>,
    log: Vec<String>,
    origin: String,
    token_lifetime: u64,
    grants: u64,
    early_renewals: u64,
    expired_uses: u64,
    serial: u64,
    page_size: Option<usize>,
}

type Shared = Arc<Mutex<World>>;

fn lock(shared: &Shared) -> MutexGuard<'_, World> {
    shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The fake Azure, serving Resource Manager and the token authority on one `127.0.0.1` port
/// until dropped.
pub struct FakeArm {
    address: SocketAddr,
    shared: Shared,
    task: JoinHandle<()>,
}

impl std::fmt::Debug for FakeArm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeArm").field("address", &self.address).finish()
    }
}

impl Drop for FakeArm {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeArm {
    /// Starts serving on an ephemeral port.
    pub async fn start() -> FakeArm {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the fake Azure");
        let address = listener.local_addr().unwrap();
        let world = World { token_lifetime: 3599, origin: format!("http://{address}"), ..World::default() };
        let shared: Shared = Arc::new(Mutex::new(world));
        let app = Router::new().fallback(serve).with_state(shared.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        FakeArm { address, shared, task }
    }

    /// The Resource Manager endpoint (`SKYCLUST_AZURE_ENDPOINT_URL`) — also the authority
    /// (`SKYCLUST_AZURE_AUTHORITY_URL`).
    pub fn endpoint(&self) -> String {
        format!("http://{}/", self.address)
    }

    /// A new service principal with access to `subscription`, whose resource group `group`
    /// exists: the credential `data` SkyClust takes.
    pub fn service_principal(&self, subscription: &str, group: &str) -> Map<String, Value> {
        let tenant = uuid::Uuid::new_v4().to_string();
        let client = uuid::Uuid::new_v4().to_string();
        let secret = format!("Xy8Q~{}", uuid::Uuid::new_v4().simple());
        let mut world = lock(&self.shared);
        world.principals.insert(
            (tenant.clone(), client.clone()),
            Principal { secret: secret.clone(), subscription: subscription.to_owned() },
        );
        let group_key = (subscription.to_ascii_lowercase(), group.to_ascii_lowercase());
        if !world.groups.contains(&group_key) {
            world.groups.push(group_key);
        }
        json!({"tenant_id": tenant, "client_id": client, "client_secret": secret,
            "subscription_id": subscription, "resource_group": group})
        .as_object()
        .unwrap()
        .clone()
    }

    /// How long tokens issued from now on live, in seconds.
    pub fn set_token_lifetime(&self, seconds: u64) {
        lock(&self.shared).token_lifetime = seconds;
    }

    /// Tokens issued so far.
    pub fn token_grants(&self) -> u64 {
        lock(&self.shared).grants
    }

    /// Tokens issued while the principal's previous one was still valid: renewed early.
    pub fn early_renewals(&self) -> u64 {
        lock(&self.shared).early_renewals
    }

    /// Revokes every token issued so far (as Entra ID does when a secret is reset): each is
    /// refused from now on as `401 InvalidAuthenticationToken`.
    pub fn revoke_tokens(&self) {
        lock(&self.shared).tokens.clear();
    }

    /// Requests refused because their token had expired.
    pub fn expired_token_uses(&self) -> u64 {
        lock(&self.shared).expired_uses
    }

    /// Makes the next `call` fail with `fault`.
    pub fn fail_next(&self, call: Call, fault: Fault) {
        lock(&self.shared).faults.push_back((call, fault));
    }

    /// Leaves the next `call` unanswered and undone, for good: what a request cut off by a
    /// crashed caller looks like. Later calls are served.
    pub fn hold_next(&self, call: Call) {
        lock(&self.shared).held = Some(call);
    }

    /// The ids of every resource now in the fake, in order.
    pub fn resources(&self) -> Vec<String> {
        lock(&self.shared)
            .resources
            .values()
            .map(|resource| resource.body["id"].as_str().unwrap().to_owned())
            .collect()
    }

    /// The resource at `id` as Resource Manager would show it.
    pub fn resource(&self, id: &str) -> Option<Value> {
        let world = lock(&self.shared);
        world.resources.get(&id.to_ascii_lowercase()).map(render)
    }

    /// The VM tagged with this VM id.
    pub fn vm_of(&self, vm: uuid::Uuid) -> Option<Value> {
        let world = lock(&self.shared);
        world
            .resources
            .values()
            .find(|resource| {
                resource.kind == Kind::Vm && resource.body["tags"]["skyclust-vm-id"] == vm.to_string()
            })
            .map(render)
    }

    /// Sets a VM's power state, as a change made in the portal would.
    pub fn set_power(&self, vm_id: &str, power: &'static str) {
        let mut world = lock(&self.shared);
        let vm = world.resources.get_mut(&vm_id.to_ascii_lowercase()).expect("no such VM");
        vm.power = Some(power);
        vm.next.clear();
    }

    /// Creates a running VM without SkyClust, as the portal would (with no network interface):
    /// returns its resource id.
    pub fn add_vm(&self, subscription: &str, group: &str, name: &str, location: &str, tags: Value) -> String {
        let id = format!(
            "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachines/{name}"
        );
        let body = json!({
            "id": id, "name": name, "type": "Microsoft.Compute/virtualMachines", "location": location, "tags": tags,
            "zones": ["2"],
            "properties": {
                "hardwareProfile": {"vmSize": "Standard_B2s"},
                "timeCreated": "2026-11-29T08:00:00.0000000+00:00",
                "storageProfile": {"imageReference": {"publisher": "Canonical", "offer": "ubuntu-24_04-lts", "sku": "server", "version": "latest", "exactVersion": "24.04.202611010"}},
            },
        });
        let resource = Resource {
            kind: Kind::Vm,
            body,
            power: Some("running"),
            next: VecDeque::new(),
            provisioning: "Succeeded".into(),
            failure: None,
        };
        lock(&self.shared).resources.insert(id.to_ascii_lowercase(), resource);
        id
    }

    /// Lists VMs `size` at a time (every one at once when `None`).
    pub fn set_page_size(&self, size: Option<usize>) {
        lock(&self.shared).page_size = size;
    }

    /// Deletes a resource, as someone else would.
    pub fn remove(&self, id: &str) {
        lock(&self.shared).resources.remove(&id.to_ascii_lowercase());
    }

    /// The requests served, as `METHOD /path`.
    pub fn requests(&self) -> Vec<String> {
        lock(&self.shared).log.clone()
    }
}

fn arm_error(status: u16, code: &str, message: &str) -> Response {
    (StatusCode::from_u16(status).unwrap(), Json(json!({"error": {"code": code, "message": message}})))
        .into_response()
}

/// A resource as GET shows it.
fn render(resource: &Resource) -> Value {
    let mut body = resource.body.clone();
    let state = match resource.provisioning.as_str() {
        failed if failed.starts_with("failed") => "Failed".to_owned(),
        other => other.to_owned(),
    };
    body["properties"]["provisioningState"] = json!(state);
    body
}

fn instance_view(resource: &Resource) -> Value {
    let mut statuses = vec![match &resource.failure {
        Some(message) => {
            json!({"code": format!("ProvisioningState/{}", resource.provisioning), "level": "Error",
            "displayStatus": "Provisioning failed", "message": message})
        }
        None => json!({"code": format!("ProvisioningState/{}", resource.provisioning.to_ascii_lowercase()),
            "level": "Info", "displayStatus": format!("Provisioning {}", resource.provisioning.to_ascii_lowercase())}),
    }];
    if let Some(power) = resource.power {
        statuses.push(json!({"code": format!("PowerState/{power}"), "level": "Info", "displayStatus": format!("VM {power}")}));
    }
    json!({"statuses": statuses})
}

async fn serve(
    State(shared): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    let query: HashMap<String, String> =
        url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes()).into_owned().collect();
    lock(&shared).log.push(format!("{method} {path}"));
    if method == Method::POST && path.ends_with("/oauth2/v2.0/token") {
        if let Some(refusal) = wait_or_fail(&shared, Call::Token).await {
            return refusal;
        }
        return token(&shared, &path, &body);
    }
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    // The operations Resource Manager hands out: /subscriptions/{s}/providers/{ns}/locations/{l}/operations/{id}
    if let ["subscriptions", _, "providers", _, "locations", _, "operations", id] = segments.as_slice() {
        let mut world = lock(&shared);
        if let Some(refusal) = refusal(&mut world, &headers, segments[1]) {
            return refusal;
        }
        return poll(&mut world, id);
    }
    let ["subscriptions", subscription, "resourceGroups", group, "providers", namespace, rest @ ..] =
        segments.as_slice()
    else {
        return arm_error(
            404,
            "InvalidResourceType",
            &format!("The resource path {path} is not served here."),
        );
    };
    let (kind, action, depth) = match (*namespace, rest) {
        ("Microsoft.Compute", ["virtualMachines"]) if method == Method::GET => {
            return list_vms(&shared, &headers, (subscription, group), &query, &path).await;
        }
        ("Microsoft.Compute", ["virtualMachines", _]) => (Kind::Vm, None, 2),
        ("Microsoft.Compute", ["virtualMachines", _, action]) => (Kind::Vm, Some(*action), 2),
        ("Microsoft.Compute", ["disks", _]) => (Kind::Disk, None, 2),
        ("Microsoft.Network", ["virtualNetworks", _]) => (Kind::Vnet, None, 2),
        ("Microsoft.Network", ["networkSecurityGroups", _]) => (Kind::SecurityGroup, None, 2),
        ("Microsoft.Network", ["virtualNetworks", _, "subnets", _]) => (Kind::Subnet, None, 4),
        ("Microsoft.Network", ["publicIPAddresses", _]) => (Kind::Address, None, 2),
        ("Microsoft.Network", ["networkInterfaces", _]) => (Kind::Interface, None, 2),
        _ => {
            return arm_error(
                400,
                "InvalidResourceType",
                &format!("The resource type in {path} is not supported."),
            );
        }
    };
    let id = format!(
        "/subscriptions/{subscription}/resourceGroups/{group}/providers/{namespace}/{}",
        rest[..depth].join("/")
    );
    let call = match (&method, kind, action) {
        (&Method::PUT, Kind::Address, None) => Some(Call::PutAddress),
        (&Method::PUT, Kind::Interface, None) => Some(Call::PutInterface),
        (&Method::PUT, Kind::Vm, None) => Some(Call::PutVm),
        (&Method::GET, Kind::Vm, None) => Some(Call::GetVm),
        (&Method::POST, Kind::Vm, Some("start")) => Some(Call::Start),
        (&Method::POST, Kind::Vm, Some("deallocate")) => Some(Call::Deallocate),
        (&Method::POST, Kind::Vm, Some("restart")) => Some(Call::Restart),
        (&Method::DELETE, Kind::Vm, None) => Some(Call::DeleteVm),
        (&Method::DELETE, Kind::Interface, None) => Some(Call::DeleteInterface),
        (&Method::PATCH, Kind::Vm, None) => Some(Call::PatchVm),
        _ => None,
    };
    let injected = match call {
        Some(call) => wait_or_fail_or_operation(&shared, call).await,
        None => Injected::Nothing,
    };
    let answer_lost = matches!(injected, Injected::AnswerLost);
    let operation_failure = match injected {
        Injected::Refusal(refusal) => return refusal,
        Injected::FailedOperation(code, message) => Some((code, message)),
        Injected::Nothing | Injected::AnswerLost => None,
    };
    let mut world = lock(&shared);
    if let Some(refusal) = refusal(&mut world, &headers, subscription) {
        return refusal;
    }
    if query.get("api-version").map(String::as_str) != Some(kind.api()) {
        return arm_error(
            400,
            "InvalidApiVersionParameter",
            &format!(
                "The api-version '{}' is invalid. Expected {}.",
                query.get("api-version").cloned().unwrap_or_default(),
                kind.api()
            ),
        );
    }
    if !world.groups.contains(&(subscription.to_ascii_lowercase(), group.to_ascii_lowercase())) {
        return arm_error(
            404,
            "ResourceGroupNotFound",
            &format!("Resource group '{group}' could not be found."),
        );
    }
    let key = id.to_ascii_lowercase();
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let location = body["location"].as_str().unwrap_or("eastus").to_owned();
    match (method, action) {
        (Method::GET, None) | (Method::GET, Some("instanceView")) => {
            let Some(resource) = world.resources.get_mut(&key) else {
                return arm_error(
                    404,
                    "ResourceNotFound",
                    &format!(
                        "The Resource '{}' under resource group '{group}' was not found.",
                        rest[..depth].join("/")
                    ),
                );
            };
            if resource.kind == Kind::Vm
                && let Some(next) = resource.next.pop_front()
            {
                resource.power = Some(next);
            }
            if action == Some("instanceView") {
                return Json(instance_view(resource)).into_response();
            }
            let mut shown = render(resource);
            if resource.kind == Kind::Vm && query.get("$expand").map(String::as_str) == Some("instanceView") {
                shown["properties"]["instanceView"] = instance_view(resource);
            }
            Json(shown).into_response()
        }
        (method, action) => {
            let answer = match (method, action) {
                (Method::PUT, None) => put(&mut world, kind, &id, body, &location, operation_failure),
                (Method::POST, Some(action)) => act(&mut world, &key, action, &location, operation_failure),
                (Method::DELETE, None) => delete(&mut world, kind, &key, &location),
                (Method::PATCH, None) if kind == Kind::Vm => {
                    patch(&mut world, &key, &body, operation_failure)
                }
                _ => return arm_error(405, "MethodNotAllowed", "The method is not allowed here."),
            };
            if answer_lost {
                return arm_error(503, "ServiceUnavailable", "The connection was reset.");
            }
            answer
        }
    }
}

/// Holds a held call for good; answers an injected HTTP fault.
async fn wait_or_fail(shared: &Shared, call: Call) -> Option<Response> {
    match wait_or_fail_or_operation(shared, call).await {
        Injected::Refusal(response) => Some(response),
        _ => None,
    }
}

/// What a fault injected for a call makes of it.
enum Injected {
    Nothing,
    Refusal(Response),
    /// The call is carried out; its answer is lost.
    AnswerLost,
    /// The operation the call starts fails with this code and message.
    FailedOperation(String, String),
}

async fn wait_or_fail_or_operation(shared: &Shared, call: Call) -> Injected {
    let held = {
        let mut world = lock(shared);
        world.held.take_if(|held| *held == call).is_some()
    };
    if held {
        std::future::pending::<()>().await;
    }
    let mut world = lock(shared);
    let Some(at) = world.faults.iter().position(|(wanted, _)| *wanted == call) else {
        return Injected::Nothing;
    };
    let (_, fault) = world.faults.remove(at).unwrap();
    match fault {
        Fault::Http { status, code, message, retry_after } => {
            let mut response = if call == Call::Token {
                (
                    StatusCode::from_u16(status).unwrap(),
                    Json(json!({"error": code, "error_description": message})),
                )
                    .into_response()
            } else {
                arm_error(status, code, &message)
            };
            if let Some(seconds) = retry_after {
                response.headers_mut().insert("retry-after", seconds.to_string().parse().unwrap());
            }
            Injected::Refusal(response)
        }
        Fault::Operation { code, message } => Injected::FailedOperation(code.to_owned(), message),
        Fault::AnswerLost => Injected::AnswerLost,
    }
}

fn token(shared: &Shared, path: &str, body: &[u8]) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(body).into_owned().collect();
    let tenant = path.trim_start_matches('/').split('/').next().unwrap_or_default().to_owned();
    let refuse = |status: u16, error: &str, description: &str, code: u64| {
        (StatusCode::from_u16(status).unwrap(), Json(json!({"error": error,
            "error_description": format!("{description}\r\nTrace ID: 0000\r\nCorrelation ID: 1111\r\nTimestamp: 2026-11-30 12:00:00Z"),
            "error_codes": [code]}))).into_response()
    };
    if form.get("grant_type").map(String::as_str) != Some("client_credentials") || !form.contains_key("scope")
    {
        return refuse(
            400,
            "invalid_request",
            "AADSTS900144: The request body must contain the following parameter: 'grant_type'.",
            900144,
        );
    }
    let mut world = lock(shared);
    if !world.principals.keys().any(|(known, _)| *known == tenant) {
        return refuse(400, "invalid_request", &format!("AADSTS90002: Tenant '{tenant}' not found."), 90002);
    }
    let client = form.get("client_id").cloned().unwrap_or_default();
    let Some(principal) = world.principals.get(&(tenant.clone(), client.clone())) else {
        return refuse(
            400,
            "unauthorized_client",
            &format!("AADSTS700016: Application with identifier '{client}' was not found in the directory."),
            700016,
        );
    };
    if form.get("client_secret") != Some(&principal.secret) {
        return refuse(
            401,
            "invalid_client",
            "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '00000000'.",
            7000215,
        );
    }
    world.grants += 1;
    let now = Instant::now();
    let still_valid = world
        .tokens
        .values()
        .any(|(known, holder, expires)| *known == tenant && *holder == client && *expires > now);
    if still_valid {
        world.early_renewals += 1;
    }
    world.serial += 1;
    let token = format!("fake-arm-token-{}-{}", world.serial, uuid::Uuid::new_v4().simple());
    let lifetime = world.token_lifetime;
    world.tokens.insert(token.clone(), (tenant, client, Instant::now() + Duration::from_secs(lifetime)));
    Json(json!({"token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime, "access_token": token})).into_response()
}

/// Why a request may not act in `subscription`, if it may not: its token unknown or expired, or
/// its principal without access.
fn refusal(world: &mut World, headers: &HeaderMap, subscription: &str) -> Option<Response> {
    let token = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    let Some((tenant, client, expires)) = world.tokens.get(token).cloned() else {
        return Some(arm_error(401, "InvalidAuthenticationToken", "The access token is invalid."));
    };
    if Instant::now() >= expires {
        world.expired_uses += 1;
        return Some(arm_error(
            401,
            "ExpiredAuthenticationToken",
            "The access token expiry UTC time is earlier than current UTC time.",
        ));
    }
    let allowed = world
        .principals
        .get(&(tenant, client.clone()))
        .is_some_and(|principal| principal.subscription.eq_ignore_ascii_case(subscription));
    if !allowed {
        return Some(arm_error(
            403,
            "AuthorizationFailed",
            &format!(
                "The client '{client}' does not have authorization to perform action over scope '/subscriptions/{subscription}' or the scope is invalid."
            ),
        ));
    }
    None
}

/// An operation a request starts, and the answer that says so.
struct Started {
    status: u16,
    effect: Effect,
    failure: Option<(String, String)>,
    /// Tracked by `Location` rather than `Azure-AsyncOperation`.
    by_location: bool,
    body: Value,
}

/// Starts an operation, answering its status with its tracking header.
fn start_operation(world: &mut World, location: &str, subscription: &str, started: Started) -> Response {
    let Started { status, effect, failure, by_location, body } = started;
    world.serial += 1;
    let id = format!("{}-{}", world.serial, uuid::Uuid::new_v4().simple());
    world.operations.insert(id.clone(), Operation { polls: 0, effect, failure, by_location });
    let tracker = format!(
        "/subscriptions/{subscription}/providers/Microsoft.Compute/locations/{location}/operations/{id}?api-version={COMPUTE_API}"
    );
    let header = if by_location { "location" } else { "azure-asyncoperation" };
    let mut response = if body.is_null() {
        StatusCode::from_u16(status).unwrap().into_response()
    } else {
        (StatusCode::from_u16(status).unwrap(), Json(body)).into_response()
    };
    // Absolute URLs on this host, as Resource Manager's are on its own.
    response.headers_mut().insert(header, format!("{}{tracker}", world.origin).parse().unwrap());
    response
}

fn poll(world: &mut World, id: &str) -> Response {
    let Some(operation) = world.operations.get_mut(id) else {
        return arm_error(404, "NotFound", "The operation was not found.");
    };
    operation.polls += 1;
    if operation.polls < 2 {
        return if operation.by_location {
            StatusCode::ACCEPTED.into_response()
        } else {
            Json(json!({"status": "InProgress"})).into_response()
        };
    }
    let operation = world.operations.remove(id).unwrap();
    if let Some((code, message)) = operation.failure {
        if let Effect::Provisioned(vm) = &operation.effect
            && let Some(resource) = world.resources.get_mut(vm)
        {
            resource.provisioning = format!("failed/{code}");
            resource.failure = Some(message.clone());
            resource.next.clear();
            resource.power = None;
        }
        return Json(json!({"status": "Failed", "error": {"code": code, "message": message}}))
            .into_response();
    }
    match operation.effect {
        Effect::Nothing => {}
        Effect::Remove(key) => {
            if let Some(removed) = world.resources.remove(&key)
                && removed.kind == Kind::Vm
            {
                let vm_id = removed.body["id"].as_str().unwrap_or_default().to_ascii_lowercase();
                for resource in world.resources.values_mut() {
                    if resource.body["properties"]["virtualMachine"]["id"]
                        .as_str()
                        .map(str::to_ascii_lowercase)
                        == Some(vm_id.clone())
                    {
                        resource.body["properties"].as_object_mut().unwrap().remove("virtualMachine");
                    }
                    if resource.body["managedBy"].as_str().map(str::to_ascii_lowercase) == Some(vm_id.clone())
                    {
                        resource.body.as_object_mut().unwrap().remove("managedBy");
                    }
                }
            }
        }
        Effect::Provisioned(vm) => {
            if let Some(resource) = world.resources.get_mut(&vm) {
                resource.provisioning = "Succeeded".into();
            }
        }
    }
    if operation.by_location {
        StatusCode::OK.into_response()
    } else {
        Json(json!({"status": "Succeeded"})).into_response()
    }
}

fn exists(world: &World, id: Option<&str>, kind: Kind) -> bool {
    id.and_then(|id| world.resources.get(&id.to_ascii_lowercase()))
        .is_some_and(|resource| resource.kind == kind)
}

fn put(
    world: &mut World,
    kind: Kind,
    id: &str,
    mut body: Value,
    location: &str,
    failure: Option<(String, String)>,
) -> Response {
    let key = id.to_ascii_lowercase();
    let subscription = id.split('/').nth(2).unwrap_or_default().to_owned();
    let name = id.rsplit('/').next().unwrap_or_default().to_owned();
    let existing = world.resources.get(&key).cloned();
    body["id"] = json!(id);
    body["name"] = json!(name);
    match kind {
        Kind::SecurityGroup => {}
        Kind::Vnet => {
            let groups: Vec<String> = body["properties"]["subnets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|subnet| subnet["properties"]["networkSecurityGroup"]["id"].as_str())
                .map(str::to_owned)
                .collect();
            if let Some(missing) =
                groups.iter().find(|group| !exists(world, Some(group), Kind::SecurityGroup))
            {
                return arm_error(
                    400,
                    "InvalidResourceReference",
                    &format!("Resource {missing} referenced by the subnet was not found."),
                );
            }
            if body["properties"]["addressSpace"]["addressPrefixes"].as_array().is_none_or(Vec::is_empty) {
                return arm_error(400, "InvalidRequestFormat", "addressSpace.addressPrefixes is required.");
            }
            // A network PUT replaces its subnets with those it lists: one it leaves out is
            // deleted, unless an interface uses it.
            let listed: Vec<String> = body["properties"]["subnets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|subnet| subnet["name"].as_str())
                .map(|name| format!("{key}/subnets/{}", name.to_ascii_lowercase()))
                .collect();
            let dropped: Vec<String> = world
                .resources
                .keys()
                .filter(|other| other.starts_with(&format!("{key}/subnets/")) && !listed.contains(other))
                .cloned()
                .collect();
            for subnet in dropped {
                let in_use = world.resources.values().any(|resource| {
                    resource.body["properties"]["ipConfigurations"][0]["properties"]["subnet"]["id"]
                        .as_str()
                        .is_some_and(|id| id.to_ascii_lowercase() == subnet)
                });
                if in_use {
                    return arm_error(
                        400,
                        "InUseSubnetCannotBeDeleted",
                        &format!("Subnet {subnet} is in use and cannot be deleted."),
                    );
                }
                world.resources.remove(&subnet);
            }
        }
        Kind::Subnet => {
            let group = body["properties"]["networkSecurityGroup"]["id"].as_str();
            if group.is_some() && !exists(world, group, Kind::SecurityGroup) {
                return arm_error(
                    400,
                    "InvalidResourceReference",
                    "The subnet's network security group was not found.",
                );
            }
            let vnet = id.rsplit_once("/subnets/").map(|(vnet, _)| vnet).unwrap_or_default();
            if !exists(world, Some(vnet), Kind::Vnet) {
                return arm_error(
                    404,
                    "ParentResourceNotFound",
                    &format!(
                        "Can not perform requested operation on nested resource. Parent resource '{vnet}' not found."
                    ),
                );
            }
        }
        Kind::Address => {
            let sku = body["sku"]["name"].as_str();
            let method = body["properties"]["publicIPAllocationMethod"].as_str();
            if sku != Some("Standard") || method != Some("Static") {
                return arm_error(
                    400,
                    "StandardSkuPublicIPAddressesMustBeStatic",
                    "Public IPs must be of Standard SKU and statically allocated (Basic public IPs are retired).",
                );
            }
            let address = existing
                .as_ref()
                .and_then(|old| old.body["properties"]["ipAddress"].as_str().map(str::to_owned))
                .unwrap_or_else(|| {
                    world.serial += 1;
                    format!(
                        "20.{}.{}.{}",
                        100 + world.serial / 65536 % 100,
                        world.serial / 256 % 256,
                        world.serial % 256
                    )
                });
            body["properties"]["ipAddress"] = json!(address);
        }
        Kind::Interface => {
            let configuration = &body["properties"]["ipConfigurations"][0]["properties"];
            if !exists(world, configuration["subnet"]["id"].as_str(), Kind::Subnet) {
                return arm_error(
                    400,
                    "InvalidResourceReference",
                    "Resource referenced by the network interface's subnet was not found.",
                );
            }
            if let Some(address) = configuration["publicIPAddress"]["id"].as_str() {
                if !exists(world, Some(address), Kind::Address) {
                    return arm_error(
                        400,
                        "InvalidResourceReference",
                        &format!("Resource {address} referenced by the network interface was not found."),
                    );
                }
                let used = world.resources.iter().any(|(other, resource)| {
                    *other != key
                        && resource.kind == Kind::Interface
                        && resource.body["properties"]["ipConfigurations"][0]["properties"]["publicIPAddress"]
                            ["id"]
                            .as_str()
                            .map(str::to_ascii_lowercase)
                            == Some(address.to_ascii_lowercase())
                });
                if used {
                    return arm_error(
                        400,
                        "PublicIPAddressInUse",
                        &format!("Public IP address {address} is already in use."),
                    );
                }
            }
            let private = existing
                .as_ref()
                .and_then(|old| {
                    old.body["properties"]["ipConfigurations"][0]["properties"]["privateIPAddress"]
                        .as_str()
                        .map(str::to_owned)
                })
                .unwrap_or_else(|| {
                    world.serial += 1;
                    format!("10.0.0.{}", 4 + world.serial % 250)
                });
            body["properties"]["ipConfigurations"][0]["properties"]["privateIPAddress"] = json!(private);
            if let Some(vm) =
                existing.as_ref().and_then(|old| old.body["properties"].get("virtualMachine").cloned())
            {
                body["properties"]["virtualMachine"] = vm;
            }
        }
        Kind::Vm => {
            if existing.is_some() {
                return arm_error(
                    409,
                    "PropertyChangeNotAllowed",
                    "Changing property 'osProfile' is not allowed.",
                );
            }
            let properties = body["properties"].clone();
            let interface = properties["networkProfile"]["networkInterfaces"][0]["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if !exists(world, Some(&interface), Kind::Interface) {
                return arm_error(
                    400,
                    "InvalidResourceReference",
                    &format!("Resource {interface} referenced by the virtual machine was not found."),
                );
            }
            if world.resources[&interface.to_ascii_lowercase()].body["properties"]["virtualMachine"]
                .is_object()
            {
                return arm_error(
                    400,
                    "NicInUse",
                    &format!("Network Interface {interface} is used by an existing VM."),
                );
            }
            let image = properties["storageProfile"]["imageReference"].clone();
            let size_ok = properties["hardwareProfile"]["vmSize"]
                .as_str()
                .is_some_and(|size| size.starts_with("Standard_"));
            let key_ok = properties["osProfile"]["linuxConfiguration"]["ssh"]["publicKeys"][0]["keyData"]
                .as_str()
                .is_some();
            if !size_ok
                || !key_ok
                || ["publisher", "offer", "sku", "version"].iter().any(|part| image[*part].as_str().is_none())
            {
                return arm_error(
                    400,
                    "InvalidParameter",
                    "The VM's size, image reference or SSH key is missing.",
                );
            }
            let disk_name =
                properties["storageProfile"]["osDisk"]["name"].as_str().unwrap_or("osdisk").to_owned();
            let group_path = id.split("/providers/").next().unwrap_or_default();
            let disk_id = format!("{group_path}/providers/Microsoft.Compute/disks/{disk_name}");
            let size = properties["storageProfile"]["osDisk"]["diskSizeGB"].clone();
            let disk_sku =
                properties["storageProfile"]["osDisk"]["managedDisk"]["storageAccountType"].clone();
            world.resources.insert(disk_id.to_ascii_lowercase(), Resource {
                kind: Kind::Disk,
                body: json!({"id": disk_id, "name": disk_name, "location": location, "managedBy": id, "sku": {"name": disk_sku}, "properties": {"diskSizeGB": size}}),
                power: None, next: VecDeque::new(), provisioning: "Succeeded".into(), failure: None,
            });
            body["properties"]["storageProfile"]["osDisk"]["managedDisk"]["id"] = json!(disk_id);
            if let Some(nic) = world.resources.get_mut(&interface.to_ascii_lowercase()) {
                nic.body["properties"]["virtualMachine"] = json!({"id": id});
            }
            if image["version"] == "latest" {
                body["properties"]["storageProfile"]["imageReference"]["exactVersion"] =
                    json!("24.04.202411030");
            }
            world.resources.insert(
                key.clone(),
                Resource {
                    kind,
                    body: body.clone(),
                    power: None,
                    next: VecDeque::from(["starting", "running"]),
                    provisioning: "Creating".into(),
                    failure: None,
                },
            );
            let shown = render(&world.resources[&key]);
            let started = Started {
                status: 201,
                effect: Effect::Provisioned(key),
                failure,
                by_location: false,
                body: shown,
            };
            return start_operation(world, location, &subscription, started);
        }
        Kind::Disk => return arm_error(400, "InvalidRequest", "Disks are created with their VM here."),
    }
    let status = if existing.is_some() { 200 } else { 201 };
    world.resources.insert(
        key.clone(),
        Resource {
            kind,
            body,
            power: None,
            next: VecDeque::new(),
            provisioning: "Succeeded".into(),
            failure: None,
        },
    );
    if kind == Kind::Vnet {
        // Subnets given inline become resources of their own.
        let subnets =
            world.resources[&key].body["properties"]["subnets"].as_array().cloned().unwrap_or_default();
        for subnet in subnets {
            let subnet_id = format!("{id}/subnets/{}", subnet["name"].as_str().unwrap_or("default"));
            world.resources.insert(
                subnet_id.to_ascii_lowercase(),
                Resource {
                    kind: Kind::Subnet,
                    body: json!({"id": subnet_id, "properties": subnet["properties"]}),
                    power: None,
                    next: VecDeque::new(),
                    provisioning: "Succeeded".into(),
                    failure: None,
                },
            );
        }
    }
    let shown = render(&world.resources[&key]);
    let started = Started { status, effect: Effect::Nothing, failure, by_location: false, body: shown };
    start_operation(world, location, &subscription, started)
}

fn act(
    world: &mut World,
    key: &str,
    action: &str,
    location: &str,
    failure: Option<(String, String)>,
) -> Response {
    let subscription = key.split('/').nth(2).unwrap_or_default().to_owned();
    let Some(vm) = world.resources.get_mut(key).filter(|resource| resource.kind == Kind::Vm) else {
        return arm_error(404, "ResourceNotFound", "The Resource was not found.");
    };
    let next: &[&'static str] = match action {
        "start" => &["starting", "running"],
        "deallocate" => &["deallocating", "deallocated"],
        "restart" => &["starting", "running"],
        _ => return arm_error(400, "InvalidResourceType", &format!("No action {action}.")),
    };
    if action == "restart" && vm.power != Some("running") {
        return arm_error(409, "OperationNotAllowed", "Cannot restart the VM: it is not running.");
    }
    if failure.is_none() {
        vm.next = next.iter().copied().collect();
    }
    let started = Started {
        status: 202,
        effect: Effect::Nothing,
        failure,
        by_location: action == "deallocate",
        body: Value::Null,
    };
    start_operation(world, location, &subscription, started)
}

fn delete(world: &mut World, kind: Kind, key: &str, location: &str) -> Response {
    let subscription = key.split('/').nth(2).unwrap_or_default().to_owned();
    let Some(resource) = world.resources.get(key).cloned() else {
        return StatusCode::NO_CONTENT.into_response();
    };
    let attached_vm = |field: &Value| {
        field.as_str().is_some_and(|vm| world.resources.contains_key(&vm.to_ascii_lowercase()))
    };
    match kind {
        Kind::Interface if attached_vm(&resource.body["properties"]["virtualMachine"]["id"]) => {
            return arm_error(
                400,
                "NicInUse",
                "Network Interface is used by existing resource. In order to delete the network interface, it must be dissociated from the resource.",
            );
        }
        Kind::Address => {
            let in_use = world.resources.values().any(|other| {
                other.kind == Kind::Interface
                    && other.body["properties"]["ipConfigurations"][0]["properties"]["publicIPAddress"]["id"]
                        .as_str()
                        .map(str::to_ascii_lowercase)
                        .as_deref()
                        == Some(key)
            });
            if in_use {
                return arm_error(
                    400,
                    "PublicIPAddressCannotBeDeleted",
                    "Public IP address can not be deleted since it is still allocated to a resource.",
                );
            }
        }
        Kind::Disk if attached_vm(&resource.body["managedBy"]) => {
            return arm_error(
                409,
                "OperationNotAllowed",
                "Disk is attached to VM. Disks cannot be deleted while attached.",
            );
        }
        Kind::Vm => {
            if let Some(vm) = world.resources.get_mut(key) {
                vm.provisioning = "Deleting".into();
            }
        }
        _ => {}
    }
    let started = Started {
        status: 202,
        effect: Effect::Remove(key.to_owned()),
        failure: None,
        by_location: false,
        body: Value::Null,
    };
    start_operation(world, location, &subscription, started)
}

/// `GET …/virtualMachines`: the group's VMs, a page at a time when a page size is set.
async fn list_vms(
    shared: &Shared,
    headers: &HeaderMap,
    (subscription, group): (&str, &str),
    query: &HashMap<String, String>,
    path: &str,
) -> Response {
    if let Some(refusal) = wait_or_fail(shared, Call::ListVms).await {
        return refusal;
    }
    let mut world = lock(shared);
    if let Some(refusal) = refusal(&mut world, headers, subscription) {
        return refusal;
    }
    if query.get("api-version").map(String::as_str) != Some(COMPUTE_API) {
        return arm_error(400, "InvalidApiVersionParameter", "The api-version is invalid.");
    }
    if !world.groups.contains(&(subscription.to_ascii_lowercase(), group.to_ascii_lowercase())) {
        return arm_error(
            404,
            "ResourceGroupNotFound",
            &format!("Resource group '{group}' could not be found."),
        );
    }
    let prefix = format!("{}/", path.to_ascii_lowercase());
    let all: Vec<Value> = world
        .resources
        .iter()
        .filter(|(key, resource)| resource.kind == Kind::Vm && key.starts_with(&prefix))
        .map(|(_, resource)| render(resource))
        .collect();
    let start = query.get("$skiptoken").and_then(|token| token.parse::<usize>().ok()).unwrap_or(0);
    let size = world.page_size.unwrap_or(usize::MAX);
    let mut body = json!({"value": all.iter().skip(start).take(size).cloned().collect::<Vec<_>>()});
    if start.saturating_add(size) < all.len() {
        body["nextLink"] =
            json!(format!("{}{path}?api-version={COMPUTE_API}&$skiptoken={}", world.origin, start + size));
    }
    Json(body).into_response()
}

/// `PATCH` of a VM: its `tags` replaced when the body has them.
fn patch(world: &mut World, key: &str, body: &Value, failure: Option<(String, String)>) -> Response {
    let subscription = key.split('/').nth(2).unwrap_or_default().to_owned();
    let Some(vm) = world.resources.get_mut(key).filter(|resource| resource.kind == Kind::Vm) else {
        return arm_error(404, "ResourceNotFound", "The Resource was not found.");
    };
    if failure.is_none()
        && let Some(tags) = body.get("tags").filter(|tags| tags.is_object())
    {
        vm.body["tags"] = tags.clone();
    }
    let location = vm.body["location"].as_str().unwrap_or("eastus").to_owned();
    let shown = render(vm);
    start_operation(
        world,
        &location,
        &subscription,
        Started { status: 200, effect: Effect::Nothing, failure, by_location: false, body: shown },
    )
}
