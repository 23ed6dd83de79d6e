//! A stateful stand-in for the subset of Google Compute Engine's REST API SkyClust uses,
//! written from Google's public REST reference (compute/docs/reference/rest/v1 `instances`
//! and `zoneOperations`), not from the client library: there is no local emulator.
//!
//! - `POST   /compute/v1/projects/{project}/zones/{zone}/instances?requestId=…` (insert)
//! - `GET    …/instances/{instance}`, `DELETE …/instances/{instance}`
//! - `POST   …/instances/{instance}/start|stop|reset`
//! - `GET    …/operations/{operation}`, `POST …/operations/{operation}/wait`
//! - `GET    /compute/v1/projects/{project}/aggregated/instances?maxResults=…&pageToken=…`
//! - `POST   …/instances/{instance}/setLabels` (with the instance's current `labelFingerprint`,
//!   else 412 `conditionNotMet`, as Google answers)
//!
//! Every request must carry a self-signed service-account JWT (RS256, `kid` = the key's
//! `private_key_id`) signed by a key issued with [`FakeCompute::key_file`] for the project in
//! the path. Instances move one step per read (`PROVISIONING → STAGING → RUNNING`,
//! `STOPPING → TERMINATED`), operations too (`PENDING → RUNNING → DONE`), so tests need no
//! clock. A `requestId` seen before answers its first operation, as Google's does. Errors use
//! Google's shape: `{"error": {"code", "message", "errors": [{"domain", "reason", "message"}]}}`.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::signature::KeyPair as _;
use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use serde_json::{Map, Value, json};
use tokio::task::JoinHandle;

mod handlers;
mod refusals;

use handlers::*;
use refusals::*;

const SELF_LINK: &str = "https://www.googleapis.com/compute/v1";

/// A Compute Engine call, for failures injected with [`FakeCompute::fail_next`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// `instances.insert`.
    Insert,
    /// `instances.get`.
    Get,
    /// `instances.start`.
    Start,
    /// `instances.stop`.
    Stop,
    /// `instances.reset`.
    Reset,
    /// `instances.delete`.
    Delete,
    /// `instances.aggregatedList`.
    AggregatedList,
    /// `instances.setLabels`.
    SetLabels,
}

/// How an injected failure shows.
#[derive(Debug, Clone)]
pub enum Fault {
    /// The call answers this HTTP error (`reason` as in `error.errors[].reason`).
    Http {
        /// HTTP status.
        status: u16,
        /// Google's reason, e.g. `rateLimitExceeded`.
        reason: &'static str,
        /// The message.
        message: String,
    },
    /// The call is carried out, but its answer is a 503 — as when a connection drops after
    /// Compute Engine accepted the request.
    AnswerLost,
    /// The call is accepted; its operation ends `DONE` with this error and changes nothing.
    Operation {
        /// Google's error code, e.g. `QUOTA_EXCEEDED`.
        code: &'static str,
        /// The message.
        message: String,
        /// `httpErrorStatusCode` of the operation.
        http_status: u16,
    },
}

#[derive(Debug, Clone)]
struct FakeInstance {
    project: String,
    zone: String,
    body: Map<String, Value>,
    status: &'static str,
    /// The statuses the next reads move through.
    next: VecDeque<&'static str>,
    id: u64,
    nat_ip: String,
    /// Bumped by every label change: the fingerprint is derived from it.
    label_version: u64,
}

#[derive(Debug, Clone)]
struct FakeOperation {
    body: Map<String, Value>,
    /// `PENDING`, `RUNNING`, `DONE`.
    status: &'static str,
    /// What happens when it is done.
    outcome: Outcome,
}

#[derive(Debug, Clone)]
enum Outcome {
    Nothing,
    Fail { code: &'static str, message: String, http_status: u16 },
}

struct Key {
    public_der: Vec<u8>,
    email: String,
    project: String,
}

#[derive(Default)]
struct World {
    instances: HashMap<(String, String, String), FakeInstance>,
    operations: HashMap<String, FakeOperation>,
    request_ids: HashMap<String, String>,
    keys: HashMap<String, Key>,
    faults: VecDeque<(Call, Fault)>,
    held: bool,
    log: Vec<String>,
    serial: u64,
}

/// The fake Compute Engine, serving on `127.0.0.1` until dropped or stopped.
pub struct FakeCompute {
    address: SocketAddr,
    world: Arc<Mutex<World>>,
    task: JoinHandle<()>,
}

impl std::fmt::Debug for FakeCompute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeCompute").field("address", &self.address).finish()
    }
}

impl Drop for FakeCompute {
    fn drop(&mut self) {
        self.task.abort();
    }
}

type Shared = Arc<Mutex<World>>;

fn lock(world: &Shared) -> MutexGuard<'_, World> {
    world.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl FakeCompute {
    /// Starts serving on an ephemeral port.
    pub async fn start() -> FakeCompute {
        let world: Shared = Arc::default();
        let zone = "/compute/v1/projects/{project}/zones/{zone}";
        let app = Router::new()
            .route(&format!("{zone}/instances"), post(insert))
            .route(&format!("{zone}/instances/{{instance}}"), get(read).delete(delete))
            .route(&format!("{zone}/instances/{{instance}}/setLabels"), post(set_labels))
            .route(&format!("{zone}/instances/{{instance}}/{{action}}"), post(act))
            .route("/compute/v1/projects/{project}/aggregated/instances", get(aggregated))
            .route(&format!("{zone}/operations/{{operation}}"), get(operation))
            .route(&format!("{zone}/operations/{{operation}}/wait"), post(wait))
            // Google's front end answers an unknown path with an HTML page, not a JSON error.
            .fallback(|method: Method, uri: axum::http::Uri| async move {
                let page = format!("<!DOCTYPE html><html><body><p>The requested URL <code>{method} {}</code> was not found on this server.</p></body></html>", uri.path());
                (StatusCode::NOT_FOUND, [("content-type", "text/html; charset=UTF-8")], page).into_response()
            })
            .with_state(world.clone());
        let listener =
            tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the fake Compute Engine");
        let address = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        FakeCompute { address, world, task }
    }

    /// The endpoint root to give the client (`SKYCLUST_GCP_ENDPOINT_URL`).
    pub fn endpoint(&self) -> String {
        format!("http://{}/", self.address)
    }

    /// A new service-account key for `project`, as the console's key file (every standard
    /// field), that this fake accepts.
    pub fn key_file(&self, project: &str) -> Map<String, Value> {
        let (file, key_id, public_der) = new_key_file(project);
        let email = file["client_email"].as_str().unwrap().to_owned();
        lock(&self.world).keys.insert(key_id, Key { public_der, email, project: project.to_owned() });
        file
    }

    /// A well-formed key file this fake has never heard of (a deleted key, say).
    pub fn unknown_key_file(&self, project: &str) -> Map<String, Value> {
        service_account_key(project)
    }

    /// Makes the next `call` fail with `fault`.
    pub fn fail_next(&self, call: Call, fault: Fault) {
        lock(&self.world).faults.push_back((call, fault));
    }

    /// The instances now in `project`, as Compute Engine would show them.
    pub fn instances(&self, project: &str) -> Vec<Value> {
        let world = lock(&self.world);
        let mut all: Vec<&FakeInstance> =
            world.instances.values().filter(|instance| instance.project == project).collect();
        all.sort_by_key(|instance| instance.id);
        all.into_iter().map(render_instance).collect()
    }

    /// The one instance labelled with this VM id.
    pub fn instance_of(&self, project: &str, vm: uuid::Uuid) -> Option<Value> {
        self.instances(project)
            .into_iter()
            .find(|instance| instance["labels"]["skyclust-vm-id"] == vm.to_string())
    }

    /// Sets an instance's status, as a change made in the console would.
    pub fn set_status(&self, name: &str, status: &'static str) {
        let mut world = lock(&self.world);
        let instance = world
            .instances
            .values_mut()
            .find(|instance| instance.body["name"] == name)
            .expect("no such instance");
        instance.status = status;
        instance.next.clear();
    }

    /// Starts an instance without SkyClust, as the console would: `RUNNING`, with `labels`.
    /// Returns its id as SkyClust records it (`projects/P/zones/Z/instances/NAME`).
    pub fn add_instance(&self, project: &str, zone: &str, name: &str, labels: Value) -> String {
        let mut world = lock(&self.world);
        world.serial += 1;
        let serial = world.serial;
        let body = json!({
            "name": name,
            "machineType": format!("zones/{zone}/machineTypes/e2-small"),
            "labels": labels,
            "networkInterfaces": [{"network": "global/networks/default", "accessConfigs": [{"name": "External NAT", "type": "ONE_TO_ONE_NAT"}]}],
        });
        world.instances.insert(
            (project.to_owned(), zone.to_owned(), name.to_owned()),
            FakeInstance {
                project: project.to_owned(),
                zone: zone.to_owned(),
                body: body.as_object().unwrap().clone(),
                status: "RUNNING",
                next: VecDeque::new(),
                id: 4_000_000_000_000_000_000 + serial,
                nat_ip: format!("34.121.{}.{}", serial % 250, serial % 200 + 10),
                label_version: 0,
            },
        );
        format!("projects/{project}/zones/{zone}/instances/{name}")
    }

    /// An instance's labels now.
    pub fn labels(&self, project: &str, zone: &str, name: &str) -> Value {
        let world = lock(&self.world);
        let key = (project.to_owned(), zone.to_owned(), name.to_owned());
        world.instances.get(&key).map_or(Value::Null, |instance| instance.body["labels"].clone())
    }

    /// Deletes an instance, as someone else would.
    pub fn remove(&self, name: &str) {
        lock(&self.world).instances.retain(|_, instance| instance.body["name"] != name);
    }

    /// Holds every operation where it is (`true`) until released (`false`), as a slow zone
    /// would.
    pub fn hold_operations(&self, held: bool) {
        lock(&self.world).held = held;
    }

    /// The requests served, as `METHOD /path`.
    pub fn requests(&self) -> Vec<String> {
        lock(&self.world).log.clone()
    }
}

/// A service-account key file for `project` with a fresh RSA key, as Google Cloud's console
/// downloads it.
pub fn service_account_key(project: &str) -> Map<String, Value> {
    new_key_file(project).0
}

/// A fresh RSA key as a key file, its id, and its public key (PKCS#1 DER).
fn new_key_file(project: &str) -> (Map<String, Value>, String, Vec<u8>) {
    let pair =
        aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).expect("generate an RSA key");
    let pkcs8 = AsDer::<aws_lc_rs::encoding::Pkcs8V1Der<'_>>::as_der(&pair).expect("PKCS#8");
    let body = base64::engine::general_purpose::STANDARD.encode(pkcs8.as_ref());
    let lines: Vec<&str> =
        body.as_bytes().chunks(64).map(|line| std::str::from_utf8(line).unwrap()).collect();
    let pem = format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n", lines.join("\n"));
    let key_id = uuid::Uuid::new_v4().simple().to_string() + "0123abcd";
    let account = format!("skyclust-{}", &key_id[..6]);
    let email = format!("{account}@{project}.iam.gserviceaccount.com");
    let file = json!({
        "type": "service_account",
        "project_id": project,
        "private_key_id": key_id,
        "private_key": pem,
        "client_email": email,
        "client_id": "104729283746591028374",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_x509_cert_url": format!("https://www.googleapis.com/robot/v1/metadata/x509/{account}%40{project}.iam.gserviceaccount.com"),
        "universe_domain": "googleapis.com"
    });
    (file.as_object().unwrap().clone(), key_id, pair.public_key().as_ref().to_vec())
}

fn zone_link(project: &str, zone: &str) -> String {
    format!("{SELF_LINK}/projects/{project}/zones/{zone}")
}

fn render_instance(instance: &FakeInstance) -> Value {
    let mut body = instance.body.clone();
    let zone = zone_link(&instance.project, &instance.zone);
    let name = body["name"].as_str().unwrap_or_default().to_owned();
    body.insert("kind".into(), json!("compute#instance"));
    body.insert("id".into(), json!(instance.id.to_string()));
    body.insert("status".into(), json!(instance.status));
    body.insert("labelFingerprint".into(), json!(label_fingerprint(instance)));
    body.insert("creationTimestamp".into(), json!("2026-11-30T01:02:03.000-08:00"));
    body.insert("zone".into(), json!(zone));
    body.insert("selfLink".into(), json!(format!("{zone}/instances/{name}")));
    if let Some(machine_type) = body.get("machineType").and_then(Value::as_str).map(str::to_owned) {
        body.insert(
            "machineType".into(),
            json!(format!("{SELF_LINK}/projects/{}/{machine_type}", instance.project)),
        );
    }
    let octet = instance.id % 200 + 2;
    if let Some(interfaces) = body.get_mut("networkInterfaces").and_then(Value::as_array_mut) {
        for (index, interface) in interfaces.iter_mut().enumerate() {
            interface["name"] = json!(format!("nic{index}"));
            interface["networkIP"] = json!(format!("10.128.0.{octet}"));
            for config in interface["accessConfigs"].as_array_mut().into_iter().flatten() {
                config["kind"] = json!("compute#accessConfig");
                config["networkTier"] = json!("PREMIUM");
                // An ephemeral external address exists only while the instance runs.
                if instance.status == "RUNNING" || instance.status == "REPAIRING" {
                    config["natIP"] = json!(instance.nat_ip);
                }
            }
        }
    }
    Value::Object(body)
}

/// The fingerprint of an instance's labels, as Google's: URL-safe base64, new after every change.
fn label_fingerprint(instance: &FakeInstance) -> String {
    base64::engine::general_purpose::URL_SAFE.encode((instance.id ^ instance.label_version).to_be_bytes())
}

fn new_operation(
    world: &mut World,
    project: &str,
    zone: &str,
    kind: &str,
    target: &str,
    request_id: Option<&str>,
    outcome: Outcome,
) -> Value {
    world.serial += 1;
    let name = format!("operation-{}-{:08x}", 1_764_460_000_000u64 + world.serial, world.serial);
    let zone_url = zone_link(project, zone);
    let mut body = json!({
        "kind": "compute#operation",
        "id": (9_000_000 + world.serial).to_string(),
        "name": name,
        "zone": zone_url,
        "operationType": kind,
        "targetLink": format!("{zone_url}/instances/{target}"),
        "status": "PENDING",
        "progress": 0,
        "insertTime": "2026-11-30T00:00:00.000-08:00",
        "selfLink": format!("{zone_url}/operations/{name}"),
    });
    if let Some(request_id) = request_id {
        body["clientOperationId"] = json!(request_id);
        world.request_ids.insert(format!("{project}/{zone}/{request_id}"), name.clone());
    }
    let body = body.as_object().unwrap().clone();
    world.operations.insert(name, FakeOperation { body: body.clone(), status: "PENDING", outcome });
    Value::Object(body)
}

/// The operation a repeated `requestId` answers.
fn repeated(world: &World, project: &str, zone: &str, request_id: Option<&str>) -> Option<Value> {
    let name = world.request_ids.get(&format!("{project}/{zone}/{}", request_id?))?;
    world.operations.get(name).map(render_operation)
}

fn render_operation(operation: &FakeOperation) -> Value {
    let mut body = operation.body.clone();
    body.insert("status".into(), json!(operation.status));
    if operation.status == "DONE" {
        body.insert("progress".into(), json!(100));
        body.insert("endTime".into(), json!("2026-11-30T00:00:05.000-08:00"));
        if let Outcome::Fail { code, message, http_status } = &operation.outcome {
            body.insert("error".into(), json!({"errors": [{"code": code, "message": message}]}));
            body.insert("httpErrorStatusCode".into(), json!(http_status));
            body.insert(
                "httpErrorMessage".into(),
                json!(StatusCode::from_u16(*http_status).unwrap().canonical_reason()),
            );
        }
    }
    Value::Object(body)
}

/// The answer to a change: its operation, or a 503 when the answer is to be lost.
fn answer(operation: Value, fault: Option<&Fault>) -> Response {
    if matches!(fault, Some(Fault::AnswerLost)) {
        return google_error(503, "backendError", "The service is currently unavailable.");
    }
    Json(operation).into_response()
}

fn failing(fault: &Option<Fault>) -> Option<Outcome> {
    match fault {
        Some(Fault::Operation { code, message, http_status }) => {
            Some(Outcome::Fail { code, message: message.clone(), http_status: *http_status })
        }
        _ => None,
    }
}

fn is_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    (1..=63).contains(&bytes.len())
        && bytes[0].is_ascii_lowercase()
        && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && !name.ends_with('-')
}
