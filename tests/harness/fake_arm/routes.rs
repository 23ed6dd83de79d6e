//! The one handler behind every path: which call a request is, and where it goes.

use super::*;

pub(super) async fn serve(
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
