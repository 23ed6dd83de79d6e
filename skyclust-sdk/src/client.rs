//! The client, its builder, and the one function every call goes through.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};
use skyclust_types::{ApiResponse, Endpoint, ErrorCode, ErrorResponse, Payload};

use crate::error::{Error, Result};
use crate::resources::{AuthHandle, HealthHandle};

/// Default time limit of one request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How the client authenticates.
#[derive(Clone, Default)]
enum Credential {
    #[default]
    None,
    Token(String),
    ApiKey(String),
}

/// A SkyClust API client. Cheap to clone: clones share the connection pool and the token.
///
/// ```no_run
/// # async fn run() -> skyclust_sdk::Result<()> {
/// use skyclust_sdk::SkyClustClient;
/// use skyclust_sdk::types::LoginRequest;
///
/// let client = SkyClustClient::builder("http://localhost:8080/api/v1").build()?;
/// client.auth().login(&LoginRequest {
///     email: "ada@example.com".into(),
///     password: "correct horse battery".into(),
/// }).await?;
/// let me = client.auth().me().await?;
/// println!("signed in as {} ({:?})", me.user.username, me.user.role);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct SkyClustClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    credential: RwLock<Credential>,
}

impl std::fmt::Debug for SkyClustClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the credential.
        f.debug_struct("SkyClustClient")
            .field("base_url", &self.inner.base_url)
            .finish_non_exhaustive()
    }
}

/// Configures a [`SkyClustClient`].
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    credential: CredentialDebug,
    timeout: Duration,
    user_agent: String,
    http: Option<reqwest::Client>,
}

/// Wrapper so the builder can derive `Debug` without printing secrets.
struct CredentialDebug(Credential);

impl std::fmt::Debug for CredentialDebug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.0 {
            Credential::None => "None",
            Credential::Token(_) => "Token(…)",
            Credential::ApiKey(_) => "ApiKey(…)",
        })
    }
}

impl ClientBuilder {
    /// Authenticate with a JWT (`Authorization: Bearer`).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.credential = CredentialDebug(Credential::Token(token.into()));
        self
    }

    /// Authenticate with an API key (`X-API-Key`).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.credential = CredentialDebug(Credential::ApiKey(key.into()));
        self
    }

    /// Time limit of each request (default 30 s). Ignored with [`ClientBuilder::http_client`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `User-Agent` sent (default `skyclust-sdk-rust/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Use this `reqwest::Client` (its own timeout and user agent then apply).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<SkyClustClient> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        let parsed = url::Url::parse(&base_url).map_err(|error| {
            Error::InvalidRequest(format!("invalid base URL {base_url:?}: {error}"))
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::InvalidRequest(format!(
                "the base URL must be http or https, not {}",
                parsed.scheme()
            )));
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(self.timeout)
                .user_agent(self.user_agent)
                .build()?,
        };
        Ok(SkyClustClient {
            inner: Arc::new(Inner {
                http,
                base_url,
                credential: RwLock::new(self.credential.0),
            }),
        })
    }
}

impl SkyClustClient {
    /// A builder for a client of the API at `base_url` (e.g. `http://localhost:8080/api/v1`).
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            credential: CredentialDebug(Credential::None),
            timeout: DEFAULT_TIMEOUT,
            user_agent: concat!("skyclust-sdk-rust/", env!("CARGO_PKG_VERSION")).to_owned(),
            http: None,
        }
    }

    /// An unauthenticated client with default settings.
    pub fn new(base_url: impl Into<String>) -> Result<Self> {
        Self::builder(base_url).build()
    }

    /// The API's base URL.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Registration, sign-in, sign-out and the current caller.
    pub fn auth(&self) -> AuthHandle<'_> {
        AuthHandle::new(self)
    }

    /// Health checks.
    pub fn health(&self) -> HealthHandle<'_> {
        HealthHandle::new(self)
    }

    /// The JWT in use, if any.
    pub fn token(&self) -> Option<String> {
        match &*self.credential() {
            Credential::Token(token) => Some(token.clone()),
            _ => None,
        }
    }

    /// Use `token` from now on (in this client and all its clones); `None` signs out locally.
    pub fn set_token(&self, token: Option<String>) {
        *self.credential_mut() = token.map_or(Credential::None, Credential::Token);
    }

    /// Use an API key from now on (in this client and all its clones).
    pub fn set_api_key(&self, key: impl Into<String>) {
        *self.credential_mut() = Credential::ApiKey(key.into());
    }

    fn credential(&self) -> std::sync::RwLockReadGuard<'_, Credential> {
        self.inner
            .credential
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn credential_mut(&self) -> std::sync::RwLockWriteGuard<'_, Credential> {
        self.inner
            .credential
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Calls operation `E`: the one path every SDK method takes. Useful directly for an
    /// operation this SDK version has no method for yet.
    ///
    /// ```no_run
    /// # async fn run(client: skyclust_sdk::SkyClustClient) -> skyclust_sdk::Result<()> {
    /// use skyclust_sdk::types::{Empty, operations::health::GetHealth};
    /// let health = client.send::<GetHealth>(&Empty {}, &Empty {}, &Empty {}).await?;
    /// println!("{:?}", health.status);
    /// # Ok(()) }
    /// ```
    pub async fn send<E: Endpoint>(
        &self,
        path: &E::Path,
        query: &E::Query,
        body: &E::Body,
    ) -> Result<E::Response> {
        let path =
            skyclust_types::endpoint::expand_path(E::PATH, path).map_err(Error::InvalidRequest)?;
        let query = serde_html_form::to_string(query)
            .map_err(|error| Error::InvalidRequest(format!("cannot encode the query: {error}")))?;
        let mut url = format!("{}{}", self.inner.base_url, path);
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query);
        }
        let method = reqwest::Method::from_bytes(E::METHOD.as_str().as_bytes())
            .map_err(|error| Error::InvalidRequest(error.to_string()))?;
        let mut request = self
            .inner
            .http
            .request(method, &url)
            .headers(self.auth_headers()?);
        if E::Body::PRESENT {
            request = request.json(body);
        }
        let response = request.send().await?;
        decode::<E>(response).await
    }

    fn auth_headers(&self) -> Result<HeaderMap> {
        let mut headers = HeaderMap::new();
        let invalid = |what: &str| {
            Error::InvalidRequest(format!(
                "the {what} contains characters not allowed in a header"
            ))
        };
        match &*self.credential() {
            Credential::None => {}
            Credential::Token(token) => {
                let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
                    .map_err(|_| invalid("token"))?;
                value.set_sensitive(true);
                headers.insert(reqwest::header::AUTHORIZATION, value);
            }
            Credential::ApiKey(key) => {
                let mut value = HeaderValue::from_str(key).map_err(|_| invalid("API key"))?;
                value.set_sensitive(true);
                headers.insert("x-api-key", value);
            }
        }
        Ok(headers)
    }
}

async fn decode<E: Endpoint>(response: reqwest::Response) -> Result<E::Response> {
    let status = response.status().as_u16();
    let header_request_id = response
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let bytes = response.bytes().await?;
    if (200..300).contains(&status) {
        let envelope: ApiResponse<serde_json::Value> =
            serde_json::from_slice(&bytes).map_err(|error| Error::Decode {
                status,
                message: format!("not a SkyClust envelope: {error}"),
            })?;
        let data = if E::Response::PRESENT {
            envelope.data.unwrap_or(serde_json::Value::Null)
        } else {
            serde_json::json!({})
        };
        return serde_json::from_value(data).map_err(|error| Error::Decode {
            status,
            message: format!("unexpected data: {error}"),
        });
    }
    match serde_json::from_slice::<ErrorResponse>(&bytes) {
        Ok(envelope) => Err(Error::Api {
            status,
            code: envelope.code,
            message: envelope.error,
            request_id: Some(envelope.request_id).or(header_request_id),
            details: envelope.data,
        }),
        Err(_) => Err(Error::Api {
            status,
            code: ErrorCode::from_status(status),
            message: format!("HTTP {status} without a SkyClust error envelope"),
            request_id: header_request_id,
            details: None,
        }),
    }
}
