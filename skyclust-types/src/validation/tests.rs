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
        ("w\u{2028}x", false),
        ("\u{3164}", false),
        ("\u{200d}", false),
        ("\u{2800}\u{2800}", false),
        ("\u{200c}web", false),
        ("br\u{2800}aille", true),
        ("admin\u{202e}nimda", false),
        ("soft\u{ad}hyphen", false),
        // Joiners carry meaning in Persian and in emoji sequences.
        ("\u{645}\u{6cc}\u{200c}\u{62e}\u{648}\u{627}\u{647}\u{645}", true),
        ("\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}", true),
        // A variation selector may end a name (a red heart is U+2764 U+FE0F), not start one.
        ("I \u{2764}\u{fe0f}", true),
        ("\u{fe0f}", false),
        ("\u{fe0f}x", false),
        ("\u{180b}", false),
        ("\u{feff}web", false),
        ("a\u{17b4}b", false),
    ];
    for (name, valid) in samples {
        let mut errors = FieldErrors::default();
        check_display_name(&mut errors, "name", name, 255);
        assert_eq!(errors.is_empty(), valid, "server on {name:?}");
        assert_eq!(pattern.is_match(name), valid, "pattern on {name:?}");
    }
    // The pattern names no character itself: the document stays plain ASCII.
    assert!(DISPLAY_NAME_PATTERN.is_ascii());
    // Beyond the BMP, which the pattern cannot name, the server alone refuses; a subdivision
    // flag (tags after U+1F3F4) is a name.
    for name in ["a\u{1d173}b", "a\u{e0001}b", "a\u{1bca0}b", "\u{e0067}x"] {
        let mut errors = FieldErrors::default();
        check_display_name(&mut errors, "name", name, 255);
        assert!(!errors.is_empty(), "{name:?}");
    }
    // Emoji tags draw a flag after a black flag and before the cancel tag; anywhere else they
    // are invisible text riding along.
    for name in [
        "ws\u{e0041}b",
        "\u{1f3f4}\u{e0067}\u{e0062}",
        "\u{1f3f4}\u{e0067}\u{e007f}x\u{e0041}",
        "a\u{e007f}",
        "\u{1f3f4}\u{e0067}x\u{e007f}",
    ] {
        let mut errors = FieldErrors::default();
        check_display_name(&mut errors, "name", name, 255);
        assert!(!errors.is_empty(), "{name:?}");
        let mut errors = FieldErrors::default();
        check_text(&mut errors, "description", name, 2000);
        assert!(!errors.is_empty(), "{name:?}");
    }
    let scotland = "\u{1f3f4}\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}";
    let mut errors = FieldErrors::default();
    check_display_name(&mut errors, "name", scotland, 255);
    assert!(errors.is_empty(), "{errors:?}");
    // Every character of the Basic Multilingual Plane, inside a name and alone: the pattern
    // and the server agree on each.
    for c in (0..=0xFFFF).filter_map(char::from_u32) {
        for name in [format!("a{c}b"), c.to_string()] {
            let mut errors = FieldErrors::default();
            check_display_name(&mut errors, "name", &name, 255);
            assert_eq!(errors.is_empty(), pattern.is_match(&name), "{name:?} (U+{:04X})", c as u32);
        }
    }
}

// Unicode's default-ignorable code points (DerivedCoreProperties.txt): characters that show
// nothing. None may start a name, so no name is made of them alone.
#[test]
fn no_name_is_default_ignorable_characters_alone() {
    const DEFAULT_IGNORABLE: &[(u32, u32)] = &[
        (0xAD, 0xAD),
        (0x34F, 0x34F),
        (0x61C, 0x61C),
        (0x115F, 0x1160),
        (0x17B4, 0x17B5),
        (0x180B, 0x180F),
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2060, 0x206F),
        (0x3164, 0x3164),
        (0xFE00, 0xFE0F),
        (0xFEFF, 0xFEFF),
        (0xFFA0, 0xFFA0),
        (0xFFF0, 0xFFF8),
        (0x1BCA0, 0x1BCA3),
        (0x1D173, 0x1D17A),
        (0xE0000, 0xE0FFF),
    ];
    for &(first, last) in DEFAULT_IGNORABLE {
        for c in (first..=last).filter_map(char::from_u32) {
            for name in [c.to_string(), format!("{c}{c}"), format!("{c}a")] {
                let mut errors = FieldErrors::default();
                check_display_name(&mut errors, "name", &name, 255);
                assert!(!errors.is_empty(), "U+{:04X}", c as u32);
            }
        }
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

#[test]
fn identifiers_lines_and_text_follow_their_documented_patterns() {
    type Check = fn(&mut FieldErrors, &str, &str, usize);
    let rules: [(&str, Check); 3] =
        [(IDENTIFIER_PATTERN, check_identifier), (LINE_PATTERN, check_line), (TEXT_PATTERN, check_text)];
    for (pattern, check) in rules {
        assert!(pattern.is_ascii(), "{pattern}");
        let regex = regex::Regex::new(pattern).unwrap();
        for c in (0..=0xFFFF_u32).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            let mut errors = FieldErrors::default();
            check(&mut errors, "field", &text, 100);
            assert_eq!(errors.is_empty(), regex.is_match(&text), "{pattern} on {c:?}");
        }
    }
    let accepts = |check: Check, text: &str| {
        let mut errors = FieldErrors::default();
        check(&mut errors, "field", text, 100);
        errors.is_empty()
    };
    assert!(accepts(check_identifier, "/subscriptions/x/resourceGroups/rg(1)/providers/vm-1"));
    assert!(!accepts(check_identifier, "i-1 2") && !accepts(check_identifier, "i-x\u{202e}"));
    assert!(accepts(check_line, "ssh-ed25519 AAAAC3Nz me@host") && !accepts(check_line, "k\u{1b}[2J"));
    assert!(accepts(check_text, "two\nlines\r\n\tand a tab") && !accepts(check_text, "evil\u{2066}"));
    assert!(!accepts(check_line, "") && accepts(check_text, ""));
    // An identifier or a one-line value holds nothing that shows nothing, and is not blank.
    for invisible in ['\u{200d}', '\u{200c}', '\u{fe0f}', '\u{180b}', '\u{2800}', '\u{e0041}', '\u{e0100}'] {
        let text = format!("ami-1{invisible}2");
        assert!(!accepts(check_identifier, &text) && !accepts(check_line, &text), "{text:?}");
    }
    assert!(!accepts(check_line, "   ") && accepts(check_line, "my key"));
    let scotland = "\u{1f3f4}\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}";
    assert!(accepts(check_text, &format!("our {scotland} team")));
}
