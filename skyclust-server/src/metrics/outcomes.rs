//! What callers report to the metrics: how a VM operation ended, what a database failure means
//! for the caller, why events did not reach a socket.

/// How a VM operation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VmOutcome {
    /// It reached its target status.
    Succeeded,
    /// It ended in an error (the VM's `status_reason` says why).
    Failed,
    /// A later request took over the VM before it finished.
    Superseded,
}

impl VmOutcome {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            VmOutcome::Succeeded => "succeeded",
            VmOutcome::Failed => "failed",
            VmOutcome::Superseded => "superseded",
        }
    }
}

/// A database error met while answering a request, by what it means for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseFailure {
    /// The database could not be reached or gave no connection in time (503).
    Unavailable,
    /// A constraint refused the write (409).
    Conflict,
    /// Anything else (500).
    Other,
}

impl DatabaseFailure {
    /// The class of `error`; none for a row deleted meanwhile, which is the caller's 404 and
    /// no failure of the database.
    pub fn of(error: &crate::storage::DbError) -> Option<DatabaseFailure> {
        use crate::storage::DbError;
        Some(match error {
            DbError::NotFound => return None,
            DbError::Conflict { .. } => DatabaseFailure::Conflict,
            DbError::Unavailable(_) => DatabaseFailure::Unavailable,
            _ => DatabaseFailure::Other,
        })
    }

    pub(super) fn as_str(self) -> &'static str {
        match self {
            DatabaseFailure::Unavailable => "unavailable",
            DatabaseFailure::Conflict => "conflict",
            DatabaseFailure::Other => "other",
        }
    }
}

/// Why events did not reach a socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropReason {
    /// Queued for a session closed with 4008 because its client read too slowly.
    SlowClient,
    /// Not handed to Redis because its publishing queue was full (other replicas miss it).
    RedisQueueFull,
    /// Not published on Redis because it could not be reached (other replicas miss it).
    RedisUnavailable,
}
