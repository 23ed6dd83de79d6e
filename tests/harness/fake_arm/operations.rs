//! Tokens, the checks every Resource Manager request passes, and asynchronous operations.

use super::*;

pub(super) fn token(shared: &Shared, path: &str, body: &[u8]) -> Response {
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
pub(super) fn refusal(world: &mut World, headers: &HeaderMap, subscription: &str) -> Option<Response> {
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
pub(super) struct Started {
    pub(super) status: u16,
    pub(super) effect: Effect,
    pub(super) failure: Option<(String, String)>,
    /// Tracked by `Location` rather than `Azure-AsyncOperation`.
    pub(super) by_location: bool,
    pub(super) body: Value,
}

/// Starts an operation, answering its status with its tracking header.
pub(super) fn start_operation(
    world: &mut World,
    location: &str,
    subscription: &str,
    started: Started,
) -> Response {
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

pub(super) fn poll(world: &mut World, id: &str) -> Response {
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
