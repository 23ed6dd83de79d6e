//! Compute Engine failures sorted into the provider error classes: a finished operation's error,
//! and a client error by HTTP status and Google's `error.errors[].reason`.

use super::*;

/// A finished operation's error, classified; `None` when it succeeded.
pub(super) fn operation_failure(operation: &Operation) -> Option<ProviderError> {
    let error = operation.error.as_ref()?;
    let first = error.errors.first();
    let code = first.and_then(|first| first.code.as_deref()).unwrap_or("UNKNOWN");
    let message = format!(
        "{code}: {}",
        first
            .and_then(|first| first.message.as_deref())
            .or(operation.http_error_message.as_deref())
            .unwrap_or("no message")
    );
    Some(match code {
        code if code.contains("QUOTA") => ProviderError::Quota(message),
        "ZONE_RESOURCE_POOL_EXHAUSTED"
        | "ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS"
        | "RESOURCE_NOT_READY"
        | "RATE_LIMIT_EXCEEDED"
        | "INTERNAL_ERROR"
        | "SERVICE_UNAVAILABLE" => ProviderError::Retryable(message),
        _ => match operation.http_error_status_code {
            Some(401 | 403) => ProviderError::Auth(message),
            Some(404) => ProviderError::NotFound(message),
            Some(429 | 500..=599) => ProviderError::Retryable(message),
            _ => ProviderError::InvalidRequest(message),
        },
    })
}

/// Sorts a client failure into the provider error classes, by HTTP status and Google's
/// `error.errors[].reason`.
pub(super) fn classify(error: &GaxError) -> ProviderError {
    if error.is_timeout() || error.is_exhausted() {
        return ProviderError::Retryable("Compute Engine did not answer in time".into());
    }
    if error.is_connect() || error.is_io() || error.is_transport() {
        return ProviderError::Retryable("cannot reach Compute Engine".into());
    }
    if error.is_authentication() {
        return ProviderError::Auth("the service-account key could not sign a token".into());
    }
    if error.is_deserialization() {
        return ProviderError::Retryable("Compute Engine's answer was unreadable".into());
    }
    let Some(code) = error.http_status_code() else {
        return ProviderError::InvalidRequest(format!("Compute Engine refused the request: {error}"));
    };
    let status = error.status();
    let details = status.into_iter().flat_map(|status| status.details.iter());
    // Compute Engine names reasons in the legacy `errors[].reason` (`quotaExceeded`) or in an
    // `ErrorInfo` detail (`QUOTA_EXCEEDED`); both reach here as ErrorInfo. Compared without
    // case or underscores.
    let reasons: Vec<&str> = details
        .clone()
        .filter_map(|detail| match detail {
            StatusDetails::ErrorInfo(info) => Some(info.reason.as_str()),
            _ => None,
        })
        .collect();
    let quota_failure = details.clone().any(|detail| matches!(detail, StatusDetails::QuotaFailure(_)));
    let message = format!(
        "{code} {}: {}",
        reasons.first().copied().unwrap_or("error"),
        status.map(|status| status.message.as_str()).filter(|text| !text.is_empty()).unwrap_or("no message")
    );
    let has = |wanted: &[&str]| {
        reasons.iter().any(|reason| {
            let reason = reason.replace('_', "").to_ascii_lowercase();
            wanted.contains(&reason.as_str())
        })
    };
    if quota_failure || has(&["quotaexceeded", "resourcequotaexceeded"]) {
        return ProviderError::Quota(message);
    }
    if has(&["ratelimitexceeded", "userratelimitexceeded", "resourcenotready"]) {
        return ProviderError::Retryable(message);
    }
    match code {
        401 | 403 => ProviderError::Auth(message),
        404 => ProviderError::NotFound(message),
        429 | 500..=599 => ProviderError::Retryable(message),
        _ => ProviderError::InvalidRequest(message),
    }
}

pub(super) fn is_conflict(error: &GaxError) -> bool {
    error.http_status_code() == Some(409)
}
