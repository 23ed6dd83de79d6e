//! Accepting and serving connections, with the limits `axum::serve` does not set: a cap on
//! open connections (in all and per client address), a deadline for the first request head,
//! hyper's header-read timeout between requests, and an idle timeout. Without them a client
//! that connects and sends nothing (or half a request) holds a socket and a file descriptor
//! forever, and one client could hold every connection the server allows.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use parking_lot::Mutex;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::time::Instant;
use tokio_util::task::TaskTracker;
use tower::ServiceExt;

/// The largest request head (request line and headers) a connection may send.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

/// How many connections may be open, and how long they may take.
#[derive(Debug, Clone)]
pub struct ConnectionLimits {
    /// Connections served at once (WebSocket sessions included); at the cap, new clients wait
    /// in the listen backlog until one closes.
    pub max_connections: usize,
    /// Connections one peer may hold (counted by IPv4 address or IPv6 /64); more are closed as
    /// soon as they are accepted.
    pub max_per_address: usize,
    /// Peers the per-address cap does not apply to (trusted proxies carry many clients).
    pub unlimited_peers: Vec<IpAddr>,
    /// How long a new connection has to deliver its first request head, and (HTTP/1.1) how
    /// long a kept-alive connection may wait for the next one.
    pub header_read_timeout: Duration,
    /// How long a connection may go without a request in progress (HTTP/2 pings and other
    /// bytes do not count) before it is closed.
    pub idle_timeout: Duration,
}

/// The open-connection budget, shared with whoever wants to know how much of it is used.
#[derive(Debug, Clone)]
pub struct ConnectionSlots {
    slots: Arc<Semaphore>,
    open: Arc<AtomicUsize>,
    per_address: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl ConnectionSlots {
    /// A budget of `max` connections.
    pub fn new(max: usize) -> ConnectionSlots {
        ConnectionSlots {
            slots: Arc::new(Semaphore::new(max)),
            open: Arc::default(),
            per_address: Arc::default(),
        }
    }

    /// Connections open right now.
    pub fn open(&self) -> usize {
        self.open.load(Ordering::Relaxed)
    }

    /// Waits for a free slot (`None` once the budget is closed).
    async fn reserve(&self) -> Option<OwnedSemaphorePermit> {
        self.slots.clone().acquire_owned().await.ok()
    }

    /// Counts a connection accepted from `peer` in `permit`'s slot until the returned value is
    /// dropped; `None` (and the permit given back) when `peer` already holds `max_per_address`.
    fn occupy(&self, permit: OwnedSemaphorePermit, peer: IpAddr, limits: &ConnectionLimits) -> Option<Slot> {
        let counted = !crate::http::guard::is_trusted(peer, &limits.unlimited_peers);
        let peer = crate::http::guard::address_bucket(peer);
        if counted {
            let mut per_address = self.per_address.lock();
            let held = per_address.entry(peer).or_insert(0);
            if *held >= limits.max_per_address {
                return None;
            }
            *held += 1;
        }
        self.open.fetch_add(1, Ordering::Relaxed);
        Some(Slot { _permit: permit, slots: self.clone(), peer: counted.then_some(peer) })
    }
}

/// One open connection's place in the budget.
struct Slot {
    _permit: OwnedSemaphorePermit,
    slots: ConnectionSlots,
    peer: Option<IpAddr>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.slots.open.fetch_sub(1, Ordering::Relaxed);
        if let Some(peer) = self.peer {
            let mut per_address = self.slots.per_address.lock();
            if let Some(held) = per_address.get_mut(&peer) {
                *held -= 1;
                if *held == 0 {
                    per_address.remove(&peer);
                }
            }
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then lets in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    slots: ConnectionSlots,
    shutdown: impl Future<Output = ()> + Send,
) {
    let limits = Arc::new(limits);
    let connections = TaskTracker::new();
    let (stop, stopping) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        // A slot first, then accept: at the cap the kernel's backlog holds new clients instead
        // of the server running out of file descriptors.
        let reserved = tokio::select! {
            reserved = slots.reserve() => match reserved {
                Some(reserved) => reserved,
                None => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors or a connection reset before accept: wait a little
                    // rather than spin.
                    tracing::warn!(error = %error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(slot) = slots.occupy(reserved, peer.ip(), &limits) else {
            tracing::debug!(%peer, "closing a connection beyond the per-address cap");
            continue;
        };
        let _ = stream.set_nodelay(true);
        connections.spawn(serve_connection(
            stream,
            peer,
            app.clone(),
            limits.clone(),
            slot,
            stopping.clone(),
        ));
    }
    drop(listener);
    stop.send_replace(true);
    connections.close();
    connections.wait().await;
}

async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    limits: Arc<ConnectionLimits>,
    slot: Slot,
    mut stopping: watch::Receiver<bool>,
) {
    let activity = Arc::new(Activity::new());
    // The slot travels with the socket, so an upgraded (WebSocket) connection keeps counting.
    let io = TokioIo::new(Watched { inner: stream, _slot: slot });
    let service = {
        let activity = activity.clone();
        hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let mut request = request.map(Body::new);
            request.extensions_mut().insert(ConnectInfo(peer));
            let busy = activity.request_started();
            let app = app.clone();
            async move {
                let response = app.oneshot(request).await;
                drop(busy);
                Ok::<_, Infallible>(response.unwrap_or_else(|never| match never {}))
            }
        })
    };
    let mut builder = auto::Builder::new(TokioExecutor::new());
    // A request head larger than the buffer is refused (431) rather than held in memory.
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(MAX_HEAD_BYTES);
    // No WebSockets over HTTP/2 (extended CONNECT): such a socket would share its connection's
    // idle timer, which counts requests, and be cut mid-stream. Clients upgrade over HTTP/1.1.
    builder.http2().timer(TokioTimer::new());
    let connection = builder.serve_connection_with_upgrades(io, service);
    tokio::pin!(connection);
    let mut draining = false;
    loop {
        tokio::select! {
            served = connection.as_mut() => {
                if let Err(error) = served {
                    tracing::trace!(%peer, error = %error, "connection ended with an error");
                }
                return;
            }
            () = activity.expired(&limits) => {
                // Dropping the connection closes the socket.
                tracing::debug!(%peer, "closing a connection that sent no request in time or went idle");
                return;
            }
            _ = stopping.wait_for(|stop| *stop), if !draining => {
                draining = true;
                connection.as_mut().graceful_shutdown();
            }
        }
    }
}

/// When a connection last finished a request and whether it is serving one. Bytes alone do
/// not count as activity: an HTTP/2 client answering pings is still idle.
#[derive(Debug)]
struct Activity {
    opened: Instant,
    /// Milliseconds after `opened` at which the last request finished.
    last_ms: AtomicU64,
    requests: AtomicU64,
    in_flight: AtomicUsize,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            opened: Instant::now(),
            last_ms: AtomicU64::new(0),
            requests: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
        }
    }

    fn touch(&self) {
        let elapsed = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(elapsed, Ordering::Relaxed);
    }

    fn request_started(self: &Arc<Self>) -> Busy {
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        Busy(self.clone())
    }

    /// Completes when the connection has had its chance: no request head within the
    /// header-read timeout of opening, or no request in progress for the idle timeout.
    async fn expired(&self, limits: &ConnectionLimits) {
        loop {
            let deadline = if self.requests.load(Ordering::Relaxed) == 0 {
                self.opened + limits.header_read_timeout
            } else if self.in_flight.load(Ordering::Relaxed) > 0 {
                // A request's own time limit applies while it runs.
                Instant::now() + limits.idle_timeout
            } else {
                self.opened
                    + Duration::from_millis(self.last_ms.load(Ordering::Relaxed))
                    + limits.idle_timeout
            };
            if deadline <= Instant::now() {
                return;
            }
            tokio::time::sleep_until(deadline).await;
        }
    }
}

/// A request in progress on a connection.
struct Busy(Arc<Activity>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
        self.0.touch();
    }
}

/// A socket that holds its connection slot for as long as it is open (upgrades included).
struct Watched {
    inner: TcpStream,
    _slot: Slot,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
