//! What a VM's Resource Manager representation says: its status (see the module documentation)
//! and image, and whether an error means its resource group is gone.

use super::*;

/// A VM's status from its instance view (see the module documentation).
pub(super) fn status_of(vm: &Value) -> ProviderResult<(VmStatus, Option<String>)> {
    let statuses = vm["properties"]["instanceView"]["statuses"].as_array().cloned().unwrap_or_default();
    let code_of = |prefix: &str| {
        statuses.iter().find_map(|status| {
            let code = status["code"].as_str()?;
            code.strip_prefix(prefix).map(|rest| (rest.to_owned(), status.clone()))
        })
    };
    let provisioning = code_of("ProvisioningState/")
        .map(|(state, _)| state)
        .or_else(|| vm["properties"]["provisioningState"].as_str().map(str::to_ascii_lowercase))
        .unwrap_or_default();
    let power = code_of("PowerState/").map(|(state, _)| state);
    // A VM that has a power state runs (or not) whatever failed later (an extension, an
    // update); only one that never got one has failed.
    if let Some((failed, status)) = code_of("ProvisioningState/failed").filter(|_| power.is_none()) {
        let code = failed.trim_start_matches('/');
        let message =
            status["message"].as_str().or(status["displayStatus"].as_str()).unwrap_or("provisioning failed");
        return Err(
            match arm::classify(None, if code.is_empty() { "ProvisioningFailed" } else { code }, message) {
                // The VM exists in a failed state: asking again will not change it.
                ProviderError::Retryable(text) | ProviderError::NotFound(text) => {
                    ProviderError::InvalidRequest(text)
                }
                other => other,
            },
        );
    }
    if provisioning.eq_ignore_ascii_case("deleting") {
        return Ok((VmStatus::Terminating, None));
    }
    Ok(match power.as_deref() {
        None | Some("starting") => (VmStatus::Starting, None),
        Some("running") => (VmStatus::Running, None),
        Some("stopping" | "deallocating") => (VmStatus::Stopping, None),
        Some("stopped" | "deallocated") => (VmStatus::Stopped, None),
        Some(other) => (
            VmStatus::Running,
            Some(format!("{HELD}PowerState/{other} (Azure does not know the VM's power state)")),
        ),
    })
}

/// The image reference a VM was made from, as `publisher:offer:sku:version`.
pub(super) fn image_of(vm: &Value) -> Option<String> {
    let image = &vm["properties"]["storageProfile"]["imageReference"];
    let part = |name: &str| image[name].as_str();
    let version = part("exactVersion").or(part("version"))?;
    Some(format!("{}:{}:{}:{version}", part("publisher")?, part("offer")?, part("sku")?))
}

/// Whether `error` says the resource group is not there (`404 ResourceGroupNotFound`).
pub(super) fn is_group_gone(error: &ProviderError) -> bool {
    matches!(error, ProviderError::InvalidRequest(text) if text.starts_with("404 ResourceGroupNotFound"))
}
