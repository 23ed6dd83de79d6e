//! Timestamps are stored as fixed-width RFC 3339 UTC text (`2024-01-01T00:00:00.000000Z`):
//! portable across SQLite and PostgreSQL, and ordered correctly by plain text comparison.

use super::DbError;
use chrono::{DateTime, SecondsFormat, Utc};

/// The stored form of `time` (microsecond precision).
pub fn encode(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Parses a stored timestamp.
pub fn decode(text: &str) -> Result<DateTime<Utc>, DbError> {
    DateTime::parse_from_rfc3339(text).map(|time| time.with_timezone(&Utc)).map_err(DbError::corrupt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_sorts_as_text() {
        let earlier = crate::clock::real_now();
        let later = earlier + chrono::Duration::microseconds(1);
        assert_eq!(decode(&encode(earlier)).unwrap(), earlier);
        assert!(encode(earlier) < encode(later));
        assert_eq!(encode(earlier).len(), "2024-01-01T00:00:00.000000Z".len());
    }
}
