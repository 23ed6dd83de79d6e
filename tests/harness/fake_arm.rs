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

mod operations;
mod resources;
mod routes;

use operations::*;
use resources::*;
use routes::serve;

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
