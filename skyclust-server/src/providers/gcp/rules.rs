//! What SkyClust checks of a Compute Engine request before sending it: zones, images,
//! `ssh-keys` entries and service-account keys.

use super::*;
use crate::providers::Check;

/// The zone a VM of `region` gets when its creator names none: the first of the region's
/// zones in the catalog (see `GET /providers`).
pub fn default_zone(zones: &[String]) -> Option<&str> {
    zones.first().map(String::as_str)
}

/// Whether `image` names a Compute Engine image: `projects/P/global/images/NAME`,
/// `projects/P/global/images/family/FAMILY`, either as a full `https://` URL, or
/// `global/images/…` in the credential's own project.
pub fn is_image(image: &str) -> bool {
    let path = ["https://www.googleapis.com/compute/v1/", "https://compute.googleapis.com/compute/v1/"]
        .iter()
        .find_map(|prefix| image.strip_prefix(prefix))
        .unwrap_or(image);
    let name = |part: &str| {
        (1..=63).contains(&part.len())
            && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let project = |part: &str| {
        (1..=63).contains(&part.len())
            && part
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.' || b == b':')
    };
    let parts: Vec<&str> = path.split('/').collect();
    let images = match parts.as_slice() {
        ["projects", owner, rest @ ..] if project(owner) => rest,
        rest => rest,
    };
    matches!(images, ["global", "images", image] if name(image))
        || matches!(images, ["global", "images", "family", family] if name(family))
}

/// Whether `entry` is an `ssh-keys` metadata entry: `user:TYPE BASE64 [comment]`, one line,
/// with a user name Linux accepts and a key blob that decodes and names its own type.
pub fn is_ssh_keys_entry(entry: &str) -> bool {
    const TYPES: &[&str] = &[
        "ssh-ed25519",
        "ssh-rsa",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com",
    ];
    let Some((user, key)) = entry.split_once(':') else { return false };
    let user_ok = (1..=32).contains(&user.len())
        && user.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && user
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-' || b == b'.');
    user_ok && crate::providers::is_openssh_public_key(key, TYPES)
}

/// Checks that a credential's `data` is a service-account key the client can sign with: the
/// key is parsed and a token signed locally (nothing is sent). The error never quotes the key.
pub async fn check_key(data: &Map<String, Value>) -> Result<(), &'static str> {
    const UNUSABLE: &str =
        "must be the PKCS#8 PEM RSA private key of the key file (\"-----BEGIN PRIVATE KEY-----…\")";
    let credentials =
        service_account::Builder::new(Value::Object(data.clone())).build().map_err(|_| UNUSABLE)?;
    credentials.headers(http::Extensions::new()).await.map(|_| ()).map_err(|_| UNUSABLE)
}

/// What Compute Engine would refuse, refused first: a region, zone or machine type the catalog
/// does not list, an image that is not an image path, a malformed `ssh-keys` entry. Without a
/// zone, the VM runs in the region's default.
pub(super) fn check_request(Check { request, offered, problems }: Check<'_>) -> Option<String> {
    let regions = offered.regions();
    if !regions.contains(&request.region.as_str()) {
        problems.add(
            "region",
            format!("must be a Compute Engine region SkyClust prices: {}", regions.join(", ")),
        );
    } else {
        let zones = offered.zones(&request.region);
        if zones.is_empty() {
            // A replacement catalog may price a region without listing its zones.
            problems.add("region", format!("the price catalog lists no zones of {}", request.region));
        } else if let Some(zone) = &request.zone
            && !zones.contains(zone)
        {
            problems.add("zone", format!("must be a zone of {}: {}", request.region, zones.join(", ")));
        }
        if !offered.prices(&request.region, &request.instance_type) {
            problems.add(
                "instance_type",
                format!(
                    "must be a machine type priced in {} (see GET /providers), e.g. e2-micro",
                    request.region
                ),
            );
        }
    }
    if request.image_id.as_deref().is_some_and(|image| !is_image(image)) {
        problems.add(
            "image_id",
            "must be a Compute Engine image or image family, e.g. projects/debian-cloud/global/images/family/debian-12",
        );
    }
    if request.key_pair.as_deref().is_some_and(|entry| !is_ssh_keys_entry(entry)) {
        problems.add("key_pair", "must be an ssh-keys entry: user:ssh-ed25519 AAAA… [comment]");
    }
    request.zone.clone().or_else(|| default_zone(offered.zones(&request.region)).map(str::to_owned))
}
