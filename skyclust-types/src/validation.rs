//! Input validation shared by the server (which enforces it) and clients (which may check early).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Per-field validation messages, sent as `data.fields` of a `VALIDATION_ERROR`.
///
/// ```
/// use skyclust_types::FieldErrors;
/// let mut errors = FieldErrors::default();
/// errors.add("email", "must be a valid email address");
/// assert!(!errors.is_empty());
/// assert!(errors.into_result().is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors {
    /// Field name → what is wrong with it.
    pub fields: BTreeMap<String, String>,
}

impl FieldErrors {
    /// A set holding one message.
    pub fn single(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut errors = Self::default();
        errors.add(field, message);
        errors
    }

    /// Records a message for `field`; the first message for a field wins.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.fields.entry(field.into()).or_insert_with(|| message.into());
    }

    /// Whether no field has a message.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// `Ok(())` when empty, otherwise `Err(self)`.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

/// A request type that can check its own fields.
pub trait Validate {
    /// Every problem with the value, by field.
    fn validate(&self) -> Result<(), FieldErrors>;
}

/// Checks a username: 3–50 characters of `[A-Za-z0-9_.-]`.
pub fn check_username(errors: &mut FieldErrors, field: &str, username: &str) {
    let length = username.chars().count();
    if !(3..=50).contains(&length) {
        errors.add(field, "must be between 3 and 50 characters");
    } else if !username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')) {
        errors.add(field, "may contain only letters, digits, '_', '.' and '-'");
    }
}

/// Checks an email address: one `@`, a non-empty local part, a dotted domain, no spaces, ≤ 254 chars.
pub fn check_email(errors: &mut FieldErrors, field: &str, email: &str) {
    let valid = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && local.len() <= 64
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
            }
            None => false,
        };
    if !valid {
        errors.add(field, "must be a valid email address");
    }
}

/// Shortest accepted password.
pub const PASSWORD_MIN_CHARS: usize = 8;
/// Longest accepted password (bounds the cost of hashing).
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Checks a password's length.
pub fn check_password(errors: &mut FieldErrors, field: &str, password: &str) {
    let length = password.chars().count();
    if length < PASSWORD_MIN_CHARS {
        errors.add(field, "must be at least 8 characters");
    } else if length > PASSWORD_MAX_CHARS {
        errors.add(field, "must be at most 128 characters");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email_ok(email: &str) -> bool {
        let mut errors = FieldErrors::default();
        check_email(&mut errors, "email", email);
        errors.is_empty()
    }

    fn username_ok(name: &str) -> bool {
        let mut errors = FieldErrors::default();
        check_username(&mut errors, "username", name);
        errors.is_empty()
    }

    #[test]
    fn emails() {
        assert!(email_ok("ada@example.com"));
        assert!(email_ok("a.b+c@sub.example.co"));
        for bad in [
            "",
            "ada",
            "@example.com",
            "ada@",
            "ada@example",
            "a b@example.com",
            "a@b@c.com",
            "ada@.com",
            "ada@example..com",
        ] {
            assert!(!email_ok(bad), "{bad} accepted");
        }
    }

    #[test]
    fn usernames() {
        assert!(username_ok("ada"));
        assert!(username_ok("ada.lovelace_1-x"));
        assert!(!username_ok("ab"));
        assert!(!username_ok(&"a".repeat(51)));
        assert!(!username_ok("ada lovelace"));
        assert!(!username_ok("ädä"));
    }

    #[test]
    fn passwords() {
        let mut errors = FieldErrors::default();
        check_password(&mut errors, "password", "short");
        assert!(errors.fields.contains_key("password"));
        let mut errors = FieldErrors::default();
        check_password(&mut errors, "password", "long enough");
        assert!(errors.is_empty());
    }
}
