//! The Compute Engine calls the fake answers: instances inserted, read, deleted, started, stopped
//! and reset, zone operations, the aggregated list and label changes.

use super::*;

pub(super) async fn insert(
    State(world): State<Shared>,
    Path((project, zone)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Json(body): Json<Map<String, Value>>,
) -> Response {
    let mut world = lock(&world);
    let request_id = query.get("requestId").map(String::as_str);
    let name = body.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
    let line = format!("POST /projects/{project}/zones/{zone}/instances name={name}");
    let fault = match admit(&mut world, &headers, line, &project, Call::Insert) {
        Ok(fault) => fault,
        Err(refusal) => return refusal.into_response(),
    };
    if request_id.is_some_and(|id| uuid::Uuid::parse_str(id).is_err()) {
        return google_error(400, "invalid", "Invalid value for field 'requestId': must be a UUID.");
    }
    if let Some(first) = repeated(&world, &project, &zone, request_id) {
        return answer(first, fault.as_ref());
    }
    if !is_name(&name) {
        return google_error(400, "invalid", &format!("Invalid value for field 'resource.name': '{name}'."));
    }
    let machine_type = body.get("machineType").and_then(Value::as_str).unwrap_or_default();
    if !machine_type.starts_with(&format!("zones/{zone}/machineTypes/")) {
        return google_error(
            400,
            "invalid",
            &format!("Invalid value for field 'resource.machineType': '{machine_type}'."),
        );
    }
    let boot_image = body["disks"][0]["initializeParams"]["sourceImage"].as_str().unwrap_or_default();
    if body["disks"][0]["boot"] != json!(true) || boot_image.is_empty() {
        return google_error(
            400,
            "invalid",
            "Invalid value for field 'resource.disks': a boot disk with a source image is required.",
        );
    }
    if boot_image.contains("does-not-exist") {
        return google_error(404, "notFound", &format!("The resource '{boot_image}' was not found"));
    }
    let key = (project.clone(), zone.clone(), name.clone());
    if world.instances.contains_key(&key) {
        return google_error(
            409,
            "alreadyExists",
            &format!("The resource 'projects/{project}/zones/{zone}/instances/{name}' already exists"),
        );
    }
    let outcome = failing(&fault);
    if outcome.is_none() {
        world.serial += 1;
        let id = 4_000_000_000_000_000_000 + world.serial;
        let nat_ip = format!("34.120.{}.{}", world.serial % 250, world.serial % 200 + 10);
        world.instances.insert(
            key,
            FakeInstance {
                project: project.clone(),
                zone: zone.clone(),
                body,
                status: "PROVISIONING",
                next: VecDeque::from(["STAGING", "RUNNING"]),
                id,
                nat_ip,
                label_version: 0,
            },
        );
    }
    let operation = new_operation(
        &mut world,
        &project,
        &zone,
        "insert",
        &name,
        request_id,
        outcome.unwrap_or(Outcome::Nothing),
    );
    answer(operation, fault.as_ref())
}

pub(super) async fn read(
    State(world): State<Shared>,
    Path((project, zone, name)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let mut world = lock(&world);
    let line = format!("GET /projects/{project}/zones/{zone}/instances/{name}");
    if let Err(refusal) = admit(&mut world, &headers, line, &project, Call::Get) {
        return refusal.into_response();
    }
    let key = (project.clone(), zone.clone(), name.clone());
    let Some(instance) = world.instances.get_mut(&key) else {
        return google_error(
            404,
            "notFound",
            &format!("The resource 'projects/{project}/zones/{zone}/instances/{name}' was not found"),
        );
    };
    match instance.next.pop_front() {
        Some("DELETED") => {
            world.instances.remove(&key);
            return google_error(
                404,
                "notFound",
                &format!("The resource 'projects/{project}/zones/{zone}/instances/{name}' was not found"),
            );
        }
        Some(status) => instance.status = status,
        None => {}
    }
    Json(render_instance(instance)).into_response()
}

pub(super) async fn delete(
    State(world): State<Shared>,
    Path((project, zone, name)): Path<(String, String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    change(world, project, zone, name, "delete", Call::Delete, query, headers).await
}

pub(super) async fn act(
    State(world): State<Shared>,
    Path((project, zone, name, action)): Path<(String, String, String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let call = match action.as_str() {
        "start" => Call::Start,
        "stop" => Call::Stop,
        "reset" => Call::Reset,
        other => return google_error(404, "notFound", &format!("no such method: {other}")),
    };
    change(world, project, zone, name, &action, call, query, headers).await
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn change(
    world: Shared,
    project: String,
    zone: String,
    name: String,
    kind: &str,
    call: Call,
    query: HashMap<String, String>,
    headers: HeaderMap,
) -> Response {
    let mut world = lock(&world);
    let method = if call == Call::Delete { "DELETE" } else { "POST" };
    let suffix = if call == Call::Delete { String::new() } else { format!("/{kind}") };
    let line = format!("{method} /projects/{project}/zones/{zone}/instances/{name}{suffix}");
    let fault = match admit(&mut world, &headers, line, &project, call) {
        Ok(fault) => fault,
        Err(refusal) => return refusal.into_response(),
    };
    let request_id = query.get("requestId").map(String::as_str);
    if let Some(first) = repeated(&world, &project, &zone, request_id) {
        return answer(first, fault.as_ref());
    }
    let outcome = failing(&fault);
    let Some(instance) = world.instances.get_mut(&(project.clone(), zone.clone(), name.clone())) else {
        return google_error(
            404,
            "notFound",
            &format!("The resource 'projects/{project}/zones/{zone}/instances/{name}' was not found"),
        );
    };
    if outcome.is_none() {
        match call {
            Call::Start if instance.status == "TERMINATED" => {
                instance.status = "STAGING";
                instance.next = VecDeque::from(["RUNNING"]);
            }
            Call::Start => {}
            Call::Stop if instance.status != "TERMINATED" => {
                instance.status = "STOPPING";
                instance.next = VecDeque::from(["TERMINATED"]);
            }
            Call::Stop => {}
            Call::Reset if instance.status != "RUNNING" => {
                return google_error(
                    400,
                    "resourceNotReady",
                    &format!("The resource 'projects/{project}/zones/{zone}/instances/{name}' is not ready"),
                );
            }
            Call::Reset => {}
            Call::Delete => {
                instance.status = "STOPPING";
                instance.next = VecDeque::from(["DELETED"]);
            }
            Call::Insert | Call::Get | Call::AggregatedList | Call::SetLabels => unreachable!("not a change"),
        }
    }
    let operation = new_operation(
        &mut world,
        &project,
        &zone,
        kind,
        &name,
        request_id,
        outcome.unwrap_or(Outcome::Nothing),
    );
    answer(operation, fault.as_ref())
}

pub(super) fn advance(world: &mut World, name: &str, to_the_end: bool) -> Option<Value> {
    let held = world.held;
    let operation = world.operations.get_mut(name)?;
    if held {
        return Some(render_operation(operation));
    }
    loop {
        operation.status = match operation.status {
            "PENDING" => "RUNNING",
            _ => "DONE",
        };
        if !to_the_end || operation.status == "DONE" {
            break;
        }
    }
    Some(render_operation(operation))
}

pub(super) async fn operation(
    State(world): State<Shared>,
    Path((project, zone, name)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    poll(world, project, zone, name, headers, false).await
}

/// `zoneOperations.wait`: returns once the operation is done (here at once).
pub(super) async fn wait(
    State(world): State<Shared>,
    Path((project, zone, name)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    poll(world, project, zone, name, headers, true).await
}

pub(super) async fn poll(
    world: Shared,
    project: String,
    zone: String,
    name: String,
    headers: HeaderMap,
    to_the_end: bool,
) -> Response {
    let mut world = lock(&world);
    world.log.push(format!("GET /projects/{project}/zones/{zone}/operations/{name}"));
    if let Err(refusal) = authenticate(&world, &headers, &project) {
        return refusal.into_response();
    }
    match advance(&mut world, &name, to_the_end) {
        Some(body) => Json(body).into_response(),
        None => google_error(
            404,
            "notFound",
            &format!("The resource 'projects/{project}/zones/{zone}/operations/{name}' was not found"),
        ),
    }
}

pub(super) async fn aggregated(
    State(world): State<Shared>,
    Path(project): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let mut world = lock(&world);
    let line = format!("GET /projects/{project}/aggregated/instances");
    if let Err(refusal) = admit(&mut world, &headers, line, &project, Call::AggregatedList) {
        return refusal.into_response();
    }
    let page = query.get("maxResults").and_then(|max| max.parse::<usize>().ok()).unwrap_or(500).clamp(1, 500);
    let start = query.get("pageToken").and_then(|token| token.parse::<usize>().ok()).unwrap_or(0);
    let mut all: Vec<&FakeInstance> =
        world.instances.values().filter(|instance| instance.project == project).collect();
    all.sort_by_key(|instance| instance.id);
    let mut items = Map::new();
    for instance in all.iter().skip(start).take(page) {
        let scope =
            items.entry(format!("zones/{}", instance.zone)).or_insert_with(|| json!({"instances": []}));
        scope["instances"].as_array_mut().unwrap().push(render_instance(instance));
    }
    let mut body = json!({
        "kind": "compute#instanceAggregatedList",
        "id": format!("projects/{project}/aggregated/instances"),
        "items": items,
        "selfLink": format!("{SELF_LINK}/projects/{project}/aggregated/instances"),
    });
    if start + page < all.len() {
        body["nextPageToken"] = json!((start + page).to_string());
    }
    Json(body).into_response()
}

pub(super) async fn set_labels(
    State(world): State<Shared>,
    Path((project, zone, name)): Path<(String, String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    Json(body): Json<Map<String, Value>>,
) -> Response {
    let mut world = lock(&world);
    let line = format!("POST /projects/{project}/zones/{zone}/instances/{name}/setLabels");
    let fault = match admit(&mut world, &headers, line, &project, Call::SetLabels) {
        Ok(fault) => fault,
        Err(refusal) => return refusal.into_response(),
    };
    let request_id = query.get("requestId").map(String::as_str);
    if let Some(first) = repeated(&world, &project, &zone, request_id) {
        return answer(first, fault.as_ref());
    }
    let outcome = failing(&fault);
    let Some(instance) = world.instances.get_mut(&(project.clone(), zone.clone(), name.clone())) else {
        return google_error(
            404,
            "notFound",
            &format!("The resource 'projects/{project}/zones/{zone}/instances/{name}' was not found"),
        );
    };
    if body.get("labelFingerprint").and_then(Value::as_str) != Some(label_fingerprint(instance).as_str()) {
        return google_error(
            412,
            "conditionNotMet",
            "Labels fingerprint either invalid or resource labels have changed",
        );
    }
    if outcome.is_none() {
        // The client leaves `labels` out when there are none left.
        instance.body.insert("labels".into(), body.get("labels").cloned().unwrap_or_else(|| json!({})));
        instance.label_version += 1;
    }
    let operation = new_operation(
        &mut world,
        &project,
        &zone,
        "setLabels",
        &name,
        request_id,
        outcome.unwrap_or(Outcome::Nothing),
    );
    answer(operation, fault.as_ref())
}
