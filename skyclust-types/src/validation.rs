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

/// How many unknown fields an answer names; the rest are counted, so a body of a hundred
/// thousand made-up keys gets a short answer.
pub const UNKNOWN_FIELDS_NAMED: usize = 10;

/// A field name as an answer shows it: up to 32 characters, then `…`.
///
/// ```
/// use skyclust_types::validation::shown_name;
/// assert_eq!(shown_name("keypair"), "keypair");
/// assert_eq!(shown_name(&"x".repeat(40)), format!("{}…", "x".repeat(32)));
/// ```
pub fn shown_name(name: &str) -> String {
    match name.char_indices().nth(32) {
        Some((cut, _)) => format!("{}…", &name[..cut]),
        None => name.to_owned(),
    }
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

    /// Records names a request sent that do not exist, `named` of `total` (see
    /// [`UNKNOWN_FIELDS_NAMED`]), sent in `place`: the first with `first` (which may list the
    /// names that do exist), the others with `message`, and how many more there were under the
    /// place's own name. Names are shortened (see [`shown_name`]): one may be anything, a
    /// secret too.
    pub fn add_unknown(
        &mut self,
        place: Sent<'_>,
        named: &[String],
        total: usize,
        first: &str,
        message: &str,
    ) {
        let (prefix, overflow, kind) = match place {
            Sent::Body => ("", "body", "fields"),
            Sent::Query => ("", "query", "parameters"),
            Sent::Object(name) => (name, name, "fields"),
        };
        for (index, name) in named.iter().take(UNKNOWN_FIELDS_NAMED).enumerate() {
            let name = shown_name(name);
            let path = if prefix.is_empty() { name } else { format!("{prefix}.{name}") };
            self.add(path, if index == 0 { first } else { message });
        }
        if total > UNKNOWN_FIELDS_NAMED {
            let more = total - UNKNOWN_FIELDS_NAMED;
            self.add(overflow, format!("has {more} more {kind} that do not exist"));
        }
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

/// Where a request sent the names [`FieldErrors::add_unknown`] records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent<'a> {
    /// The JSON body's own fields (named as they are).
    Body,
    /// The query string's parameters (named as they are).
    Query,
    /// The fields of one object in the body (named `<object>.<field>`).
    Object(&'a str),
}

/// The schema pattern of timestamp inputs: a year from 1970 to 9999 (the date's own format is
/// checked separately).
pub const STORABLE_YEARS_PATTERN: &str = "^(19[7-9][0-9]|[2-9][0-9]{3})-";

/// Whether `time` lies in the range every timestamp input is held to: years 1970 to 9999,
/// what the server stores and compares as fixed-width text.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use skyclust_types::validation::is_storable_time;
/// assert!(is_storable_time(&Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap()));
/// assert!(!is_storable_time(&Utc.with_ymd_and_hms(10000, 1, 1, 0, 0, 0).unwrap()));
/// ```
pub fn is_storable_time(time: &chrono::DateTime<chrono::Utc>) -> bool {
    use chrono::Datelike;
    (1970..=9999).contains(&time.year())
}

// The characters no display name holds, as a regular-expression class body: controls and
// what [`is_invisible_format`] names, except U+FEFF, which Go source (the generated Go client
// carries the pattern) cannot hold, even in a string; the server refuses it all the same.
macro_rules! not_in_names {
    () => {
        "\\x00-\\x1F\\x7F-\\x9F\u{AD}\u{61C}\u{180E}\u{200B}\u{200E}\u{200F}\u{202A}-\u{202E}\u{2060}-\u{2064}\u{2066}-\u{206F}\u{FFF9}-\u{FFFB}"
    };
}

/// The schema pattern of every display name a request sets (workspaces, credentials, VMs,
/// imported instances, API keys): not blank, no space at either end, no control character and
/// no invisible formatting character ([`is_invisible_format`]). Written with `\\s`, `\\xHH`
/// and the formatting characters themselves (all in the Basic Multilingual Plane, where
/// ECMA-262, Python, Go (RE2) and Rust read a literal alike); [`check_display_name`] is the
/// server's side of the same rule.
pub const DISPLAY_NAME_PATTERN: &str =
    concat!("^[^\\s", not_in_names!(), "](?:[^", not_in_names!(), "]*[^\\s", not_in_names!(), "])?$");

/// Whether `c` is an invisible formatting character a name must not hold: one that shows
/// nothing yet makes two names that look alike differ, or reorders the text around it (the
/// bidirectional overrides and isolates behind "Trojan Source" look-alikes). The zero-width
/// joiner and non-joiner (U+200C, U+200D) are allowed: Persian and Indic writing and emoji
/// sequences need them.
///
/// ```
/// use skyclust_types::validation::is_invisible_format;
/// assert!(is_invisible_format('\u{202E}') && is_invisible_format('\u{200B}'));
/// assert!(!is_invisible_format('\u{200D}') && !is_invisible_format('a'));
/// ```
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{61C}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// Checks a display name: 1 to `max` characters, held to [`DISPLAY_NAME_PATTERN`].
///
/// ```
/// use skyclust_types::validation::{FieldErrors, check_display_name};
/// let mut errors = FieldErrors::default();
/// check_display_name(&mut errors, "name", "web servers", 255);
/// assert!(errors.is_empty());
/// check_display_name(&mut errors, "name", "   ", 255);
/// assert!(!errors.is_empty());
/// ```
pub fn check_display_name(errors: &mut FieldErrors, field: &str, name: &str, max: usize) {
    let length = name.chars().count();
    if length == 0 || length > max {
        errors.add(field, format!("must be between 1 and {max} characters"));
    } else if name.chars().any(|c| c.is_control() || is_invisible_format(c)) {
        errors.add(field, "must not contain control or invisible formatting characters");
    } else if name.starts_with(char::is_whitespace) || name.ends_with(char::is_whitespace) {
        errors.add(field, "must not be blank or start or end with a space");
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

/// The commonest passwords of eight or more characters — the first ones an attacker tries —
/// as the schema pattern that refuses them (an ECMA-262 negative lookahead). The server
/// compares case-insensitively; this one list is both the check and the documentation.
pub const COMMON_PASSWORDS_PATTERN: &str = "^(?!(?:password|password1|password12|password123|password!|\
passw0rd|p@ssw0rd|p@ssword|12345678|123456789|1234567890|0123456789|987654321|87654321|11111111|\
00000000|12341234|12121212|11223344|123123123|123456789a|a1234567|aa123456|abc12345|abcd1234|\
1234abcd|1234qwer|qwer1234|asdf1234|qwerty12|qwerty123|qwertyui|qwertyuiop|asdfghjk|asdfghjkl|\
zxcvbnm1|1q2w3e4r|1q2w3e4r5t|q1w2e3r4|1qaz2wsx|zaq12wsx|123qweasd|qweasdzxc|12345qwert|iloveyou|\
iloveyou1|sunshine|princess|football|baseball|superman|starwars|whatever|computer|trustno1|\
letmein1|letmein!|welcome1|welcome!|welcome123|admin123|administrator|changeme|default1|\
secret123|master123|dragon123|monkey123|hello123|test1234|testtest|guest123|root1234|skyclust|\
skyclust1|skyclust123)$)";

/// The schema of a new password: 8 to 128 characters, not one of [`COMMON_PASSWORDS_PATTERN`].
pub fn password_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Password)))
        .min_length(Some(PASSWORD_MIN_CHARS))
        .max_length(Some(PASSWORD_MAX_CHARS))
        .pattern(Some(COMMON_PASSWORDS_PATTERN))
        .description(Some("8 to 128 characters, not one of the commonest passwords (in any case)"))
        .build()
}

/// Checks a password: its length, and that it is not one of the commonest passwords.
pub fn check_password(errors: &mut FieldErrors, field: &str, password: &str) {
    let length = password.chars().count();
    if length < PASSWORD_MIN_CHARS {
        errors.add(field, "must be at least 8 characters");
    } else if length > PASSWORD_MAX_CHARS {
        errors.add(field, "must be at most 128 characters");
    } else if is_common_password(password) {
        errors.add(field, "is one of the most common passwords; choose another");
    }
}

/// Whether `password`, in any case, is one of [`COMMON_PASSWORDS_PATTERN`]'s passwords.
///
/// ```
/// use skyclust_types::validation::is_common_password;
/// assert!(is_common_password("Password123"));
/// assert!(!is_common_password("correct horse battery"));
/// ```
pub fn is_common_password(password: &str) -> bool {
    let listed = COMMON_PASSWORDS_PATTERN.trim_start_matches("^(?!(?:").trim_end_matches(")$)");
    let lowered = password.to_lowercase();
    listed.split('|').any(|common| common == lowered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_follow_the_documented_pattern() {
        let pattern = regex::Regex::new(DISPLAY_NAME_PATTERN).unwrap();
        let samples = [
            ("web", true),
            ("web servers", true),
            ("Produktion – EU", true),
            ("운영 서버", true),
            ("x", true),
            ("", false),
            (" ", false),
            ("   ", false),
            (" web", false),
            ("web ", false),
            ("web\u{a0}", false),
            ("we\tb", false),
            ("we\nb", false),
            ("a\u{85}b", false),
            ("a\u{7f}b", false),
            ("\u{3000}web", false),
            ("a\u{200b}b", false),
            ("admin\u{202e}nimda", false),
            ("soft\u{ad}hyphen", false),
            // Joiners carry meaning in Persian and in emoji sequences.
            ("\u{645}\u{6cc}\u{200c}\u{62e}\u{648}\u{627}\u{647}\u{645}", true),
            ("\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}", true),
        ];
        for (name, valid) in samples {
            let mut errors = FieldErrors::default();
            check_display_name(&mut errors, "name", name, 255);
            assert_eq!(errors.is_empty(), valid, "server on {name:?}");
            assert_eq!(pattern.is_match(name), valid, "pattern on {name:?}");
        }
        let mut errors = FieldErrors::default();
        check_display_name(&mut errors, "name", "\u{feff}web", 255);
        assert!(!errors.is_empty(), "the server refuses a byte order mark the pattern cannot name");
        // Every character of the Basic Multilingual Plane inside a name: the pattern and the
        // server agree on each.
        for c in (0..=0xFFFF).filter_map(char::from_u32) {
            let name = format!("a{c}b");
            let mut errors = FieldErrors::default();
            check_display_name(&mut errors, "name", &name, 255);
            let documented = pattern.is_match(&name) && c != '\u{FEFF}';
            assert_eq!(errors.is_empty(), documented, "U+{:04X}", c as u32);
        }
    }

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
