//! Health checks.

use skyclust_types::operations::health;

use super::*;

/// Health checks; from [`SkyClustClient::health`].
#[derive(Debug, Clone, Copy)]
pub struct HealthHandle<'a> {
    client: &'a SkyClustClient,
}

impl<'a> HealthHandle<'a> {
    pub(crate) fn new(client: &'a SkyClustClient) -> Self {
        HealthHandle { client }
    }

    /// `GET /health`: liveness; `metrics` are included for callers with `system:read`.
    pub async fn get(&self) -> Result<Health> {
        self.client.send::<health::GetHealth>(&Empty {}, &Empty {}, &Empty {}).await
    }

    /// `GET /health/db` (needs `system:read`).
    pub async fn db(&self) -> Result<DbHealth> {
        self.client.send::<health::GetDbHealth>(&Empty {}, &Empty {}, &Empty {}).await
    }

    /// `GET /health/redis` (needs `system:read`); `status` is `disabled` without Redis.
    pub async fn redis(&self) -> Result<RedisHealth> {
        self.client.send::<health::GetRedisHealth>(&Empty {}, &Empty {}, &Empty {}).await
    }
}

impl SkyClustClient {
    /// Health checks.
    pub fn health(&self) -> HealthHandle<'_> {
        HealthHandle::new(self)
    }
}
