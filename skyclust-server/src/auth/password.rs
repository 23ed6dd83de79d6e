//! Password hashing with argon2id, off the async runtime's threads and bounded in
//! concurrency: each hash takes 19 MiB and tens of milliseconds of a core, so an unbounded
//! burst of sign-ins would take the server's memory with it.
//!
//! Hashes run on a fixed set of threads of their own, each hashing into one memory block it
//! allocates once and reuses: allocating 19 MiB per hash let the allocator keep freed blocks in
//! many per-thread arenas, and a burst of 500 sign-ins left the server at 400 MB even with
//! two hashes at a time (`scripts/bench-sign-ins.sh`).

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;

use crate::error::{ApiError, ApiResult};

/// Runs password hashes, at most a fixed number at once; a request that cannot get a slot
/// within the configured wait is refused with 503 and `Retry-After` without hashing anything.
#[derive(Debug, Clone)]
pub struct Hasher {
    slots: Arc<Semaphore>,
    wait: Duration,
    jobs: std::sync::mpsc::SyncSender<Job>,
}

type Job = Box<dyn FnOnce() + Send>;

impl Hasher {
    /// At most `concurrency` hashes at once (0: one per CPU core), each request waiting at most
    /// `wait` for its turn.
    pub fn new(concurrency: usize, wait: Duration) -> Hasher {
        let concurrency = if concurrency == 0 {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        } else {
            concurrency
        };
        let (jobs, queue) = std::sync::mpsc::sync_channel::<Job>(concurrency);
        let queue = Arc::new(parking_lot::Mutex::new(queue));
        for number in 0..concurrency {
            let queue = queue.clone();
            let spawned =
                std::thread::Builder::new().name(format!("password-hash-{number}")).spawn(move || {
                    loop {
                        // The lock is held only while waiting for the next job, not while hashing.
                        let job = queue.lock().recv();
                        match job {
                            Ok(job) => job(),
                            // Every `Hasher` is gone: the server has stopped.
                            Err(_) => return,
                        }
                    }
                });
            if let Err(error) = spawned {
                tracing::error!(error = %error, "cannot start a password-hashing thread");
            }
        }
        Hasher { slots: Arc::new(Semaphore::new(concurrency)), wait, jobs }
    }

    /// Hashes `password` into a PHC string with a random salt.
    pub async fn hash(&self, password: String) -> ApiResult<String> {
        self.run(move || phc_hash(password.as_bytes()))
            .await?
            .map_err(|error| ApiError::internal(format_args!("password hashing failed: {error}")))
    }

    /// Whether `password` matches `stored`. With no stored hash (unknown account) a dummy hash
    /// is checked instead, so both answers take the same time.
    pub async fn verify(&self, password: String, stored: Option<String>) -> ApiResult<bool> {
        self.run(move || {
            let (hash, known) = match stored {
                Some(hash) => (hash, true),
                None => (dummy_hash().to_owned(), false),
            };
            phc_verify(password.as_bytes(), &hash) && known
        })
        .await
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> ApiResult<T> {
        let slot = match tokio::time::timeout(self.wait, self.slots.clone().acquire_owned()).await {
            Ok(Ok(slot)) => slot,
            _ => {
                return Err(ApiError::unavailable("Too many sign-ins are being processed; retry shortly"));
            }
        };
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
            drop(slot);
            let _ = done.send(outcome);
        });
        // Holding a slot means a thread is free (or about to be) and the queue has room.
        self.jobs.try_send(job).map_err(|_| ApiError::internal("the password-hashing threads are gone"))?;
        match result.await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(_)) => Err(ApiError::internal("password hashing panicked")),
            Err(_) => Err(ApiError::internal("the password-hashing thread stopped")),
        }
    }
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| phc_hash(b"skyclust-timing-equaliser").expect("hashing a constant succeeds"))
}

thread_local! {
    /// The argon2 working memory of this hashing thread, kept between hashes.
    static MEMORY: std::cell::RefCell<Vec<Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// argon2 of `password` and `salt` into `out`, in this thread's reusable memory.
fn argon2_into(
    argon: &Argon2<'_>,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), argon2::Error> {
    MEMORY.with_borrow_mut(|memory| {
        memory.resize(argon.params().block_count(), Block::default());
        argon.hash_password_into_with_memory(password, salt, out, &mut memory[..])
    })
}

/// A new argon2id PHC string (default parameters: 19 MiB, 2 passes) with a random salt.
fn phc_hash(password: &[u8]) -> Result<String, String> {
    let salt: [u8; 16] = rand::random();
    let params = Params::default();
    let mut out = vec![0u8; params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN)];
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    argon2_into(&argon, password, &salt, &mut out).map_err(|error| error.to_string())?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|error| error.to_string())?,
        salt: Some(Salt::new(&salt).map_err(|error| error.to_string())?),
        hash: Some(Output::new(&out).map_err(|error| error.to_string())?),
    };
    Ok(hash.to_string())
}

/// Whether `password` matches the PHC string `stored` (compared in constant time).
fn phc_verify(password: &[u8], stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        return false;
    };
    let algorithm = Algorithm::try_from(parsed.algorithm.as_str());
    let version = parsed.version.map_or(Ok(Version::default()), Version::try_from);
    let (Ok(algorithm), Ok(version), Ok(params)) = (algorithm, version, Params::try_from(&parsed)) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    let argon = Argon2::new(algorithm, version, params);
    argon2_into(&argon, password, salt, &mut out).is_ok()
        && Output::new(&out).is_ok_and(|computed| computed == *expected)
}

#[cfg(test)]
mod tests {
    use skyclust_types::ErrorCode;

    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let hasher = Hasher::new(0, Duration::from_secs(5));
        let first = hasher.hash("correct horse".into()).await.unwrap();
        let second = hasher.hash("correct horse".into()).await.unwrap();
        assert_ne!(first, second, "salts are random");
        assert!(first.starts_with("$argon2id$"));
        assert!(hasher.verify("correct horse".into(), Some(first.clone())).await.unwrap());
        assert!(!hasher.verify("wrong horse".into(), Some(first)).await.unwrap());
        assert!(!hasher.verify("skyclust-timing-equaliser".into(), None).await.unwrap());
    }

    #[test]
    fn hashes_agree_with_the_argon2_crate_both_ways() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let ours = phc_hash(b"correct horse").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default().verify_password(b"correct horse", &parsed).is_ok(), "{ours}");
        let theirs = Argon2::default().hash_password(b"correct horse").unwrap().to_string();
        assert!(phc_verify(b"correct horse", &theirs));
        assert!(!phc_verify(b"wrong horse", &theirs));
        assert!(!phc_verify(b"correct horse", "not a phc string"));
    }

    #[tokio::test]
    async fn a_request_without_a_slot_is_refused_at_once_without_hashing() {
        let hasher = Hasher::new(1, Duration::from_millis(50));
        let held = hasher.slots.clone().acquire_owned().await.unwrap();
        let refused = hasher.verify("pw".into(), None).await.unwrap_err();
        assert_eq!(refused.code(), ErrorCode::ServiceUnavailable);
        drop(held);
        assert!(!hasher.verify("pw".into(), None).await.unwrap(), "a freed slot serves the next request");
    }
}
