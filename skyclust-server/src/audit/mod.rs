//! The audit log writer.
//!
//! Trade-off: entries are written by one background task in batches (group commit), so under
//! load concurrent requests share one INSERT instead of paying a round-trip each.
//!
//! What is guaranteed, exactly:
//! - the response to a request that **succeeded** is sent only after its entry is committed,
//!   or after the write has failed four times (retried after 50 ms, 250 ms and 1 s); then the
//!   entry goes to the error log instead (entries never hold secrets) and the response is still
//!   sent, because the action it reports has already happened;
//! - entries of failed requests are queued without waiting;
//! - a full queue makes callers wait for room rather than drop entries, and a graceful shutdown
//!   flushes the queue; entries still queued when the process is killed are lost.

pub mod routes;

use std::time::Duration;

use skyclust_types::AuditLog;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::events::Events;
use crate::storage::{Database, audit};

const QUEUE: usize = 4096;
const RETRIES: [Duration; 3] =
    [Duration::from_millis(50), Duration::from_millis(250), Duration::from_secs(1)];

enum Job {
    Write(Box<AuditLog>, Option<oneshot::Sender<()>>),
    Flush(oneshot::Sender<()>),
}

/// Queues audit entries for the writer task. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AuditRecorder {
    queue: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Job::Write(..) => "Write",
            Job::Flush(_) => "Flush",
        })
    }
}

impl AuditRecorder {
    /// Starts the writer task on `db`; each stored entry is published as `audit_log_created`.
    pub fn start(db: Database, events: Events) -> (AuditRecorder, JoinHandle<()>) {
        let (queue, jobs) = mpsc::channel(QUEUE);
        (AuditRecorder { queue }, tokio::spawn(write_loop(db, events, jobs)))
    }

    /// Records `entry` and waits until it is committed.
    pub async fn record_durably(&self, entry: AuditLog) {
        let (done, committed) = oneshot::channel();
        if self.queue.send(Job::Write(Box::new(entry), Some(done))).await.is_ok() {
            let _ = committed.await;
        }
    }

    /// Records `entry` without waiting for the write.
    pub async fn record(&self, entry: AuditLog) {
        let _ = self.queue.send(Job::Write(Box::new(entry), None)).await;
    }

    /// Entries (and flush requests) waiting for the writer.
    pub fn queued(&self) -> usize {
        self.queue.max_capacity() - self.queue.capacity()
    }

    /// Waits until everything queued so far is written.
    pub async fn flush(&self) {
        let (done, flushed) = oneshot::channel();
        if self.queue.send(Job::Flush(done)).await.is_ok() {
            let _ = flushed.await;
        }
    }
}

async fn write_loop(db: Database, events: Events, mut jobs: mpsc::Receiver<Job>) {
    let mut entries = Vec::new();
    let mut waiting = Vec::new();
    while let Some(first) = jobs.recv().await {
        let mut next = Some(first);
        // Take whatever else is already queued: one INSERT for the whole batch.
        while let Some(job) = next.take() {
            match job {
                Job::Write(entry, done) => {
                    entries.push(*entry);

                    waiting.extend(done);
                }
                Job::Flush(done) => waiting.push(done),
            }
            if entries.len() < audit::MAX_BATCH {
                next = jobs.try_recv().ok();
            }
        }
        if !entries.is_empty() {
            if write_with_retries(&db, &entries).await {
                for entry in entries.drain(..) {
                    events.audit_log_created(entry);
                }
            }
            entries.clear();
        }
        for done in waiting.drain(..) {
            let _ = done.send(());
        }
    }
}

async fn write_with_retries(db: &Database, entries: &[AuditLog]) -> bool {
    let mut attempt = 0;
    loop {
        match audit::insert_batch(db, entries).await {
            Ok(()) => return true,
            Err(error) if attempt < RETRIES.len() => {
                tracing::warn!(error = %error, entries = entries.len(), "audit write failed; retrying");
                tokio::time::sleep(RETRIES[attempt]).await;
                attempt += 1;
            }
            Err(error) => {
                // Entries never hold secrets, so the log can carry them as a last resort.
                for entry in entries {
                    tracing::error!(
                        error = %error,
                        id = %entry.id,
                        action = %entry.action,
                        resource = %entry.resource,
                        user_id = ?entry.user_id,
                        success = entry.success,
                        "audit entry could not be stored"
                    );
                }
                return false;
            }
        }
    }
}
