//! What SkyClust checks of a Compute Engine request before sending it: zones, images,
//! `ssh-keys` entries and service-account keys.

use super::*;

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
