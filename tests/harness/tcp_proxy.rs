//! A TCP forwarder between a server and its database, which a test can cut (every connection
//! dropped, new ones refused — as when the database stops) and restore on the same port, so
//! outages are tested without stopping a PostgreSQL other runs share.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// The forwarder: `127.0.0.1:<port>` → `upstream`.
pub struct TcpProxy {
    address: SocketAddr,
    upstream: SocketAddr,
    running: Arc<Mutex<Option<JoinSet<()>>>>,
}

impl std::fmt::Debug for TcpProxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TcpProxy").field("address", &self.address).field("upstream", &self.upstream).finish()
    }
}

impl TcpProxy {
    /// Forwards an ephemeral port to `upstream`.
    pub async fn start(upstream: SocketAddr) -> TcpProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the proxy");
        let address = listener.local_addr().unwrap();
        let proxy = TcpProxy { address, upstream, running: Arc::default() };
        proxy.serve(listener);
        proxy
    }

    /// Where clients connect.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    fn serve(&self, listener: TcpListener) {
        let upstream = self.upstream;
        let mut tasks = JoinSet::new();
        tasks.spawn(async move {
            let mut connections = JoinSet::new();
            while let Ok((mut client, _)) = listener.accept().await {
                connections.spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        });
        *self.running.lock().unwrap() = Some(tasks);
    }

    /// Drops every connection and refuses new ones.
    pub fn cut(&self) {
        // Dropping the set aborts the accept loop, and with it (it owns them) every connection.
        self.running.lock().unwrap().take();
    }

    /// Accepts connections again, on the same port.
    pub async fn restore(&self) {
        let listener = TcpListener::bind(self.address).await.expect("re-bind the proxy's port");
        self.serve(listener);
    }
}

impl Drop for TcpProxy {
    fn drop(&mut self) {
        self.cut();
    }
}
