//! What a storage call fails with, classified once where the driver's error is met, so the
//! rest of the server matches on what happened (a taken value, a vanished reference, an
//! unreachable database) instead of on `sqlx` internals.

/// Which constraint refused a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// A unique index: the value is taken.
    Unique,
    /// A foreign key: what the row refers to was deleted meanwhile.
    ForeignKey,
    /// The live-VM guard (migration 0008): a delete would have taken a live VM's row with it.
    LiveVm,
}

/// A storage failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DbError {
    /// A constraint refused the write; nothing was written.
    #[error("the database refused the write ({kind:?}): {message}")]
    Conflict {
        /// Which kind of constraint.
        kind: Conflict,
        /// Its name, when the database says (PostgreSQL does, SQLite does not).
        constraint: Option<String>,
        /// The database's own words (they name the constraint or columns, never the values).
        message: String,
    },
    /// The row asked for does not exist (any more).
    #[error("no such row")]
    NotFound,
    /// The database is out of reach, busy or cannot write; nothing was committed.
    #[error("the database is unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    /// A stored value could not be read back (damaged, or written by a newer release).
    #[error("a stored value is unreadable: {0}")]
    Corrupt(String),
    /// Anything else the database reported.
    #[error("database: {0}")]
    Other(#[source] sqlx::Error),
}

impl DbError {
    /// A stored value that does not decode, for `reason`.
    pub fn corrupt(reason: impl std::fmt::Display) -> DbError {
        DbError::Corrupt(reason.to_string())
    }

    /// Whether a constraint of `kind` refused the write.
    pub fn is_conflict(&self, kind: Conflict) -> bool {
        matches!(self, DbError::Conflict { kind: refused, .. } if *refused == kind)
    }
}

/// How the database's refusal to delete a live VM's row begins (migration 0008).
const LIVE_VM_MARKER: &str = "live VM: ";

impl From<sqlx::Error> for DbError {
    fn from(error: sqlx::Error) -> DbError {
        if let sqlx::Error::Database(db) = &error {
            let constraint = db.constraint().map(str::to_owned);
            let kind = if db.is_unique_violation() {
                Some(Conflict::Unique)
            } else if db.message().contains(LIVE_VM_MARKER) {
                Some(Conflict::LiveVm)
            } else if db.is_foreign_key_violation() {
                Some(Conflict::ForeignKey)
            } else {
                None
            };
            if let Some(kind) = kind {
                return DbError::Conflict { kind, constraint, message: db.message().to_owned() };
            }
        }
        match error {
            sqlx::Error::RowNotFound => DbError::NotFound,
            sqlx::Error::Decode(reason) => DbError::Corrupt(reason.to_string()),
            error if is_unavailable(&error) => DbError::Unavailable(error),
            error => DbError::Other(error),
        }
    }
}

/// Whether `error` says the database is out of reach or cannot take writes, rather than that
/// the request is wrong: connection failures, PostgreSQL's connection and shutdown classes
/// (`08…`, `57P0…`, `53…` insufficient resources), SQLite's busy, locked, read-only, I/O and
/// full errors.
fn is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolClosed
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Protocol(_) => true,
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            // SQLite's result codes are numbers of up to four digits (an extended code's low
            // byte is its primary code): 5 busy, 6 locked, 8 read-only, 10 I/O, 13 full.
            // PostgreSQL's SQLSTATEs have five characters.
            let sqlite = code.len() < 5
                && code.parse::<u32>().is_ok_and(|code| matches!(code & 0xff, 5 | 6 | 8 | 10 | 13));
            let postgres = code.len() == 5
                && (code.starts_with("08") || code.starts_with("57P0") || code.starts_with("53"));
            sqlite || postgres
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn driver_errors_are_classified_by_meaning() {
        let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        for error in [sqlx::Error::Io(refused), sqlx::Error::PoolClosed, sqlx::Error::PoolTimedOut] {
            assert!(matches!(DbError::from(error), DbError::Unavailable(_)));
        }
        assert!(matches!(DbError::from(sqlx::Error::RowNotFound), DbError::NotFound));
        assert!(matches!(DbError::from(sqlx::Error::ColumnNotFound("x".into())), DbError::Other(_)));
        assert!(matches!(DbError::from(sqlx::Error::Decode("bad".into())), DbError::Corrupt(_)));
    }
}
