//! What SkyClust checks of an Azure request before sending it: image references and SSH
//! public keys.

use crate::providers::Check;

/// An image reference `publisher:offer:sku:version`: four non-empty parts of letters, digits,
/// `.`, `_` and `-` (each at most 64 characters).
///
/// ```
/// use skyclust_server::providers::azure::is_image_reference;
/// assert!(is_image_reference("Canonical:ubuntu-24_04-lts:server:latest"));
/// assert!(!is_image_reference("ami-12345678"));
/// ```
pub fn is_image_reference(image: &str) -> bool {
    let parts: Vec<&str> = image.split(':').collect();
    parts.len() == 4
        && parts.iter().all(|part| {
            (1..=64).contains(&part.len())
                && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-')
        })
}

/// Whether `key` is an OpenSSH public key Azure accepts for a Linux VM (RSA or Ed25519).
pub fn is_ssh_public_key(key: &str) -> bool {
    crate::providers::is_openssh_public_key(key, &["ssh-rsa", "ssh-ed25519"])
}

/// What Azure would refuse, refused first: a region, zone or VM size the catalog does not list,
/// an image that is not an image reference, a missing or malformed SSH public key.
pub(super) fn check_request(Check { request, offered, problems }: Check<'_>) -> Option<String> {
    let regions = offered.regions();
    if !regions.contains(&request.region.as_str()) {
        problems.add("region", format!("must be an Azure region SkyClust prices: {}", regions.join(", ")));
    } else {
        let zones = offered.zones(&request.region);
        if let Some(zone) = &request.zone
            && !zones.contains(zone)
        {
            let listed = if zones.is_empty() { "none".to_owned() } else { zones.join(", ") };
            problems.add("zone", format!("must be an availability zone of {}: {listed}", request.region));
        }
        if !offered.prices(&request.region, &request.instance_type) {
            problems.add(
                "instance_type",
                format!(
                    "must be a VM size priced in {} (see GET /providers), e.g. Standard_B1s",
                    request.region
                ),
            );
        }
    }
    if request.image_id.as_deref().is_some_and(|image| !is_image_reference(image)) {
        problems.add(
            "image_id",
            format!("must be an image reference publisher:offer:sku:version, e.g. {}", super::DEFAULT_IMAGE),
        );
    }
    match request.key_pair.as_deref() {
        None => {
            problems.add("key_pair", "is required for azure: an OpenSSH public key (ssh-ed25519 or ssh-rsa)")
        }
        Some(key) if !is_ssh_public_key(key) => problems
            .add("key_pair", "must be an OpenSSH public key: ssh-ed25519 AAAA… [comment] or ssh-rsa AAAA…"),
        Some(_) => {}
    }
    request.zone.clone()
}
