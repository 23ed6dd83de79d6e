//! Errors in Google's shape, and the checks every call passes first: the bearer token, the
//! project, and injected faults.

use super::*;

pub(super) fn google_error(code: u16, reason: &str, message: &str) -> Response {
    Refusal { code, reason: reason.to_owned(), message: message.to_owned() }.into_response()
}

/// An error answer in Google's shape.
pub(super) struct Refusal {
    pub(super) code: u16,
    pub(super) reason: String,
    pub(super) message: String,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let Refusal { code, reason, message } = self;
        let status = match code {
            400 => "INVALID_ARGUMENT",
            401 => "UNAUTHENTICATED",
            403 => "PERMISSION_DENIED",
            404 => "NOT_FOUND",
            409 => "ALREADY_EXISTS",
            412 => "FAILED_PRECONDITION",
            429 => "RESOURCE_EXHAUSTED",
            503 => "UNAVAILABLE",
            _ => "UNKNOWN",
        };
        let body = json!({"error": {"code": code, "message": message, "status": status, "errors": [{"message": message, "domain": "global", "reason": reason}]}});
        (StatusCode::from_u16(code).unwrap(), Json(body)).into_response()
    }
}

/// Checks the bearer token: an RS256 JWT by a key of this project, unexpired.
pub(super) fn authenticate(world: &World, headers: &HeaderMap, project: &str) -> Result<(), Refusal> {
    let unauthenticated = || Refusal {
        code: 401,
        reason: "authError".into(),
        message: "Request had invalid authentication credentials. Expected OAuth 2 access token.".into(),
    };
    let token = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .ok_or_else(unauthenticated)?;
    let header = jsonwebtoken::decode_header(token).map_err(|_| unauthenticated())?;
    let key = header.kid.as_deref().and_then(|kid| world.keys.get(kid)).ok_or_else(unauthenticated)?;
    if header.alg != jsonwebtoken::Algorithm::RS256 {
        return Err(unauthenticated());
    }
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.validate_aud = false;
    validation.set_issuer(&[key.email.as_str()]);
    let claims = jsonwebtoken::decode::<Value>(
        token,
        &jsonwebtoken::DecodingKey::from_rsa_der(&key.public_der),
        &validation,
    )
    .map_err(|_| unauthenticated())?
    .claims;
    // A self-signed token is good for the scopes it names; Compute Engine needs cloud-platform
    // (or compute).
    let scopes = claims["scope"].as_str().unwrap_or_default();
    if !scopes.split(' ').any(|scope| {
        scope == "https://www.googleapis.com/auth/cloud-platform"
            || scope == "https://www.googleapis.com/auth/compute"
    }) {
        return Err(Refusal {
            code: 403,
            reason: "insufficientPermissions".into(),
            message: "Request had insufficient authentication scopes.".into(),
        });
    }
    if key.project != project {
        return Err(Refusal {
            code: 403,
            reason: "forbidden".into(),
            message: format!("Required 'compute.instances.get' permission for 'projects/{project}'"),
        });
    }
    Ok(())
}

/// Logs the request, authenticates it and takes an injected fault for `call`, if any.
pub(super) fn admit(
    world: &mut World,
    headers: &HeaderMap,
    line: String,
    project: &str,
    call: Call,
) -> Result<Option<Fault>, Refusal> {
    world.log.push(line);
    authenticate(world, headers, project)?;
    let fault =
        world.faults.iter().position(|(due, _)| *due == call).and_then(|index| world.faults.remove(index));
    match fault {
        Some((_, Fault::Http { status, reason, message })) => {
            Err(Refusal { code: status, reason: reason.into(), message })
        }
        Some((_, fault)) => Ok(Some(fault)),
        None => Ok(None),
    }
}
