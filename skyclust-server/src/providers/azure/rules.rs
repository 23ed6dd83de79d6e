//! What SkyClust checks of an Azure request before sending it: image references and SSH
//! public keys.

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
