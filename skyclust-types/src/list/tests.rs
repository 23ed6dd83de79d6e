use super::*;

#[test]
fn range_bounds_are_read_as_written_and_clamped_to_the_storable_range() {
    let (first, last) = storable_range();
    assert_eq!(parse_time("1970-01-01T00:30:00+01:00"), Some(first));
    assert_eq!(parse_time("9999-12-31T23:59:59-14:00"), Some(last));
    let noon = parse_time("2024-01-31T12:00:00+02:00").unwrap();
    assert_eq!(noon.to_rfc3339(), "2024-01-31T10:00:00+00:00");
    assert_eq!(
        parse_time("2024-01-31").map(|day| day.to_rfc3339()).as_deref(),
        Some("2024-01-31T00:00:00+00:00")
    );
    for refused in [
        "1969-12-31T23:59:59Z",
        "1969-12-31T23:30:00-01:00",
        "1969-12-31",
        "10000-01-01",
        "2024-02-30",
        "soon",
    ] {
        assert_eq!(parse_time(refused), None, "{refused}");
    }
}

#[test]
fn flags_are_true_or_false_and_numbers_name_their_range() {
    use crate::workspaces::WorkspaceListing;
    let read = |query: &str| serde_html_form::from_str::<ListQuery<WorkspaceListing>>(query);
    assert_eq!(read("is_active=false").unwrap().filters.is_active, Some(false));
    assert_eq!(read("is_active=true").unwrap().filters.is_active, Some(true));
    for refused in ["is_active=on", "is_active=off", "is_active=1", "is_active="] {
        let error = read(refused).unwrap_err().to_string();
        assert_eq!(error, "field `is_active`: must be true or false", "{refused}");
    }
    let release = |query: &str| serde_html_form::from_str::<crate::instances::DeleteVmQuery>(query);
    assert!(release("release=true").unwrap().release);
    assert!(!release("").unwrap().release);
    assert_eq!(release("release=on").unwrap_err().to_string(), "must be true or false");
    let error = read("limit=-1").unwrap_err().to_string();
    assert_eq!(error, "field `limit`: must be an integer between 1 and 100");
    let error = read("end_date=2026-12-01T10:00:00").unwrap_err().to_string();
    assert!(error.contains("an RFC 3339 date-time with its offset"), "{error}");
    let error = read("offset=-1").unwrap_err().to_string();
    assert_eq!(error, "field `offset`: must be a non-negative integer");
}

#[test]
fn the_limit_message_names_the_maximum() {
    assert!(LIMIT_RANGE.ends_with(&format!(" and {MAX_LIMIT}")), "{LIMIT_RANGE}");
}
