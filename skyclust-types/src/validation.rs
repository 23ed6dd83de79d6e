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

/// A field name as an answer shows it: up to 32 characters, then `…`, made [`printable`].
///
/// ```
/// use skyclust_types::validation::shown_name;
/// assert_eq!(shown_name("keypair"), "keypair");
/// assert_eq!(shown_name(&"x".repeat(40)), format!("{}…", "x".repeat(32)));
/// ```
pub fn shown_name(name: &str) -> String {
    match name.char_indices().nth(32) {
        Some((cut, _)) => format!("{}…", printable(&name[..cut])),
        None => printable(name),
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
    STORABLE_YEARS.contains(&time.year())
}

/// The years every timestamp input is held to ([`STORABLE_YEARS_PATTERN`]).
pub(crate) const STORABLE_YEARS: std::ops::RangeInclusive<i32> = 1970..=9999;

// The characters no display name holds, as a regular-expression class body: controls and the
// characters [`is_hidden`] names that lie in the Basic Multilingual Plane (beyond it ECMA-262
// without its `u` flag reads surrogate pairs where Python and Rust read code points, and no
// one pattern names both; the server refuses those few all the same). Written as `\uHHHH`
// escapes, so the document and the code generated from it carry no invisible or bidirectional
// character themselves.
macro_rules! not_in_names {
    () => {
        concat!(r"\x00-\x1F\x7F-\x9F", hidden!())
    };
}

// The characters [`is_hidden`] names in the Basic Multilingual Plane.
macro_rules! hidden {
    () => {
        r"\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B\u200E\u200F\u2028-\u202E\u2060-\u206F\u3164\uFEFF\uFFA0\uFFF0-\uFFFB"
    };
}

// What may not start a name (beside `\s`): the joiners, the blank Braille pattern and the
// variation selectors, which only modify the character before them.
macro_rules! not_first {
    () => {
        r"\u180B-\u180D\u180F\u200C\u200D\u2800\uFE00-\uFE0F"
    };
}

// What may not end a name (beside `\s`): the joiners and the blank Braille pattern.
macro_rules! not_last {
    () => {
        r"\u200C\u200D\u2800"
    };
}

/// The schema pattern of every display name a request sets (workspaces, credentials, VMs,
/// imported instances, API keys): not blank, no space at either end, no control or hidden
/// character ([`is_hidden`]), and no joiner or variation selector where it modifies nothing.
/// Written with `\s`, `\xHH` and `\uHHHH`, which ECMA-262 (the dialect JSON Schema names),
/// Python and Rust read alike (Go's RE2 lacks `\u`; the generated Go client only carries the
/// pattern in a struct tag); [`check_display_name`] is the server's side of the same rule.
pub const DISPLAY_NAME_PATTERN: &str = concat!(
    r"^[^\s",
    not_first!(),
    not_in_names!(),
    "](?:[^",
    not_in_names!(),
    r"]*[^\s",
    not_last!(),
    not_in_names!(),
    "])?$"
);

// What shows nothing of its own ([`shows_nothing`], in the BMP): controls, hidden characters
// and the modifiers a name may not start with.
macro_rules! shows_nothing {
    () => {
        concat!(not_first!(), not_in_names!())
    };
}

/// The schema pattern of a provider's identifier a request names (an instance id): no space,
/// control, hidden or invisible modifying character ([`check_identifier`] is the server's side).
pub const IDENTIFIER_PATTERN: &str = concat!(r"^[^\s", shows_nothing!(), "]+$");

/// The schema pattern of a one-line value the answers show again (an image, a key pair): not
/// blank, no control, hidden or invisible modifying character ([`check_line`]).
pub const LINE_PATTERN: &str =
    concat!("^[^", shows_nothing!(), r"]*[^\s", shows_nothing!(), "][^", shows_nothing!(), "]*$");

/// The schema pattern of free text (a workspace's description): lines, tabs and any other
/// character but a control or hidden one ([`check_text`]).
pub const TEXT_PATTERN: &str = concat!(r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F", hidden!(), "]*$");

/// Checks a provider's identifier: 1 to `max` characters, [`IDENTIFIER_PATTERN`].
pub fn check_identifier(errors: &mut FieldErrors, field: &str, text: &str, max: usize) {
    if has_length(errors, field, text, max) && text.chars().any(|c| c.is_whitespace() || shows_nothing(c)) {
        errors.add(field, "must not contain spaces, control or invisible characters");
    }
}

/// Checks a one-line value: 1 to `max` characters, [`LINE_PATTERN`].
pub fn check_line(errors: &mut FieldErrors, field: &str, text: &str, max: usize) {
    if !has_length(errors, field, text, max) {
        return;
    }
    if text.chars().any(shows_nothing) {
        errors.add(field, "must not contain control, invisible or line-breaking characters");
    } else if text.trim().is_empty() {
        errors.add(field, "must not be blank");
    }
}

/// Whether `text` is 1 to `max` characters long; adds the problem to `errors` when not.
fn has_length(errors: &mut FieldErrors, field: &str, text: &str, max: usize) -> bool {
    let fits = (1..=max).contains(&text.chars().count());
    if !fits {
        errors.add(field, format!("must be between 1 and {max} characters"));
    }
    fits
}

/// Whether `c` is a control, a hidden character ([`is_hidden`]) or one that shows nothing of
/// its own — a joiner, a variation selector, an emoji tag, the blank Braille pattern — which an
/// identifier or a one-line value has no use for (two values that look alike would differ).
fn shows_nothing(c: char) -> bool {
    c.is_control() || is_hidden(c) || (may_not_start(c) && !c.is_whitespace())
}

/// Whether every emoji tag in `text` stands in a tag sequence (a black flag, tag letters, the
/// cancel tag: the flag of Scotland), where it draws a flag; anywhere else a run of tags is
/// invisible text riding along.
fn tags_form_flags(text: &str) -> bool {
    let mut previous = None;
    let mut in_flag = false;
    for c in text.chars() {
        match c {
            '\u{E0020}'..='\u{E007E}' if in_flag || previous == Some('\u{1F3F4}') => in_flag = true,
            '\u{E007F}' if in_flag => in_flag = false,
            '\u{E0020}'..='\u{E007F}' => return false,
            _ if in_flag => return false,
            _ => {}
        }
        previous = Some(c);
    }
    !in_flag
}

/// Checks free text: at most `max` characters, [`TEXT_PATTERN`].
///
/// ```
/// use skyclust_types::validation::{FieldErrors, check_text};
/// let mut errors = FieldErrors::default();
/// check_text(&mut errors, "description", "two\nlines\twith a tab", 2000);
/// assert!(errors.is_empty());
/// check_text(&mut errors, "description", "\u{1b}[2J", 2000);
/// assert!(!errors.is_empty());
/// ```
pub fn check_text(errors: &mut FieldErrors, field: &str, text: &str, max: usize) {
    if text.chars().count() > max {
        errors.add(field, format!("must be at most {max} characters"));
    } else if text.chars().any(|c| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_hidden(c))
        || !tags_form_flags(text)
    {
        errors.add(
            field,
            "must not contain control characters other than tabs and line breaks, or invisible ones",
        );
    }
}

/// Whether `c` is a hidden character a name must not hold: one that shows nothing yet makes
/// two names that look alike differ (zero-width, filler and unassigned default-ignorable
/// characters), breaks the line, or reorders the text around it (the bidirectional overrides
/// and isolates behind "Trojan Source" look-alikes). Of Unicode's default-ignorable code
/// points, the joiners (U+200C, U+200D) and the variation selectors and emoji tags are not
/// hidden in this sense: scripts and emoji need them, and a name may hold them after another
/// character ([`check_display_name`]).
///
/// ```
/// use skyclust_types::validation::is_hidden;
/// assert!(is_hidden('\u{202E}') && is_hidden('\u{200B}') && is_hidden('\u{3164}'));
/// assert!(!is_hidden('\u{200D}') && !is_hidden('\u{FE0F}') && !is_hidden('a'));
/// ```
pub fn is_hidden(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{34F}'
            | '\u{61C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFFB}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E001F}'
            | '\u{E0080}'..='\u{E00FF}'
            | '\u{E01F0}'..='\u{E0FFF}'
    )
}

/// Whether `c` may not start a name: a space, a joiner, the blank Braille pattern, or a
/// modifier of the character before it (variation selectors, emoji tags).
fn may_not_start(c: char) -> bool {
    may_not_end(c)
        || matches!(c, '\u{180B}'..='\u{180D}' | '\u{180F}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0020}'..='\u{E007F}' | '\u{E0100}'..='\u{E01EF}')
}

/// Whether `c` may not end a name: a space, a joiner, the blank Braille pattern.
fn may_not_end(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200C}' | '\u{200D}' | '\u{2800}')
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
    if !has_length(errors, field, name, max) {
        return;
    }
    if name.chars().any(|c| c.is_control() || is_hidden(c)) || !tags_form_flags(name) {
        errors.add(field, "must not contain control, invisible or line-breaking characters");
    } else if name.starts_with(may_not_start) || name.ends_with(may_not_end) {
        errors.add(field, "must not be blank, start or end with a space or joiner, or start with a modifier");
    }
}

/// `text` as an answer may quote it: each control or hidden character ([`is_hidden`]) and each
/// emoji tag written as `\u{…}` (and a backslash doubled, so the two cannot be confused), so a
/// quoted name can neither break a log line, reorder what follows it nor carry invisible text.
///
/// ```
/// use skyclust_types::validation::printable;
/// assert_eq!(printable("a\u{202E}b\n"), "a\\u{202e}b\\u{a}");
/// assert_eq!(printable("a\\u{202e}"), "a\\\\u{202e}");
/// assert_eq!(printable("plain"), "plain");
/// assert_eq!(printable("a\u{E0041}"), "a\\u{e0041}");
/// ```
pub fn printable(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\\' {
            shown.push_str("\\\\");
        } else if c.is_control() || is_hidden(c) || matches!(c, '\u{E0000}'..='\u{E007F}') {
            shown.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            shown.push(c);
        }
    }
    shown
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
mod tests;
