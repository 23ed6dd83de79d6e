//! The client, its builder, and the one function every call goes through.

use std::sync::Arc;
use std::time::Duration;

use parking_lot::{Mutex, RwLock};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use skyclust_types::headers as header_names;
use skyclust_types::{ApiResponse, Endpoint, ErrorCode, ErrorResponse, Payload};

use crate::error::{Error, Result};
use crate::retry::RetryPolicy;

/// The caller's rate limit, from the `X-RateLimit-*` headers of the last response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub limit: u64,
    /// Requests left in the window.
    pub remaining: u64,
    /// When the window resets (unix seconds).
    pub reset: i64,
}

impl RateLimit {
    fn from_headers(headers: &HeaderMap) -> Option<RateLimit> {
        let number = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<i64>().ok();
        Some(RateLimit {
            limit: u64::try_from(number(header_names::RATE_LIMIT_LIMIT)?).ok()?,
            remaining: u64::try_from(number(header_names::RATE_LIMIT_REMAINING)?).ok()?,
            reset: number(header_names::RATE_LIMIT_RESET)?,
        })
    }
}

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
    retry: RetryPolicy,
    rate_limit: Mutex<Option<RateLimit>>,
}

impl std::fmt::Debug for SkyClustClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the credential.
        f.debug_struct("SkyClustClient").field("base_url", &self.inner.base_url).finish_non_exhaustive()
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
    retry: RetryPolicy,
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

    /// How failed idempotent requests are retried (default: 3 attempts in all).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Use this `reqwest::Client` (its own timeout, user agent and redirect policy then apply;
    /// the default client follows redirects only within the API's origin, so credentials are
    /// never sent elsewhere).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<SkyClustClient> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        let parsed = url::Url::parse(&base_url)
            .map_err(|error| Error::InvalidRequest(format!("invalid base URL {base_url:?}: {error}")))?;
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
                .redirect(same_origin_redirects())
                .build()?,
        };
        Ok(SkyClustClient {
            inner: Arc::new(Inner {
                http,
                base_url,
                credential: RwLock::new(self.credential.0),
                retry: self.retry,
                rate_limit: Mutex::new(None),
            }),
        })
    }
}

/// Follows at most ten redirects, all within the origin of the request: `X-API-Key` and
/// `Authorization` must never reach another host (reqwest strips `Authorization` on its own, but
/// not custom headers).
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first().map(url::Url::origin);
        if first.is_some_and(|origin| origin != attempt.url().origin()) {
            attempt
                .error("refusing to follow a redirect to another origin (it would receive the credentials)")
        } else if attempt.previous().len() > 10 {
            attempt.error("too many redirects")
        } else {
            attempt.follow()
        }
    })
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
            retry: RetryPolicy::default(),
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

    /// Real-time events over the WebSocket endpoint.
    pub fn events(&self) -> crate::events::EventsHandle<'_> {
        crate::events::EventsHandle::new(self)
    }

    /// The rate limit reported by the last response that carried one.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        *self.inner.rate_limit.lock()
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

    fn credential(&self) -> parking_lot::RwLockReadGuard<'_, Credential> {
        self.inner.credential.read()
    }

    fn credential_mut(&self) -> parking_lot::RwLockWriteGuard<'_, Credential> {
        self.inner.credential.write()
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
        self.send_keyed::<E>(path, query, body, None).await
    }

    /// Sends `E` with an `Idempotency-Key` when given one (on operations that take it); such
    /// a request is safe to repeat, so it is retried like a GET.
    pub(crate) async fn send_keyed<E: Endpoint>(
        &self,
        path: &E::Path,
        query: &E::Query,
        body: &E::Body,
        idempotency_key: Option<&str>,
    ) -> Result<E::Response> {
        let idempotency_key = match idempotency_key {
            Some(_) if !E::IDEMPOTENT_WITH_KEY => {
                return Err(Error::InvalidRequest(format!("{} takes no Idempotency-Key", E::ID)));
            }
            Some(key) if !skyclust_types::endpoint::is_valid_idempotency_key(key) => {
                return Err(Error::InvalidRequest(
                    "an Idempotency-Key is 1 to 255 visible ASCII characters".into(),
                ));
            }
            key => key,
        };
        let path = skyclust_types::endpoint::expand_path(E::PATH, path).map_err(Error::InvalidRequest)?;
        let query = serde_html_form::to_string(query)
            .map_err(|error| Error::InvalidRequest(format!("cannot encode the query: {error}")))?;
        let mut url = format!("{}{}", self.inner.base_url, path);
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query);
        }
        let method = reqwest::Method::from_bytes(E::METHOD.as_str().as_bytes())
            .map_err(|error| Error::InvalidRequest(error.to_string()))?;
        let body = if E::Body::PRESENT {
            Some(serde_json::to_vec(body).map_err(|error| Error::InvalidRequest(error.to_string()))?)
        } else {
            None
        };
        let policy = &self.inner.retry;
        let safe_to_repeat = E::METHOD.is_idempotent() || idempotency_key.is_some();
        let attempts = if safe_to_repeat { policy.max_attempts.max(1) } else { 1 };
        let mut attempt = 1;
        loop {
            let mut request = self.inner.http.request(method.clone(), &url).headers(self.auth_headers()?);
            if let Some(key) = idempotency_key {
                request = request.header(header_names::IDEMPOTENCY_KEY, key);
            }
            if let Some(body) = &body {
                request =
                    request.header(reqwest::header::CONTENT_TYPE, "application/json").body(body.clone());
            }
            let outcome = match request.send().await {
                Ok(response) => {
                    if let Some(rate_limit) = RateLimit::from_headers(response.headers()) {
                        *self.inner.rate_limit.lock() = Some(rate_limit);
                    }
                    decode::<E>(response).await
                }
                Err(error) => Err(Error::Transport(error)),
            };
            let error = match outcome {
                Ok(data) => return Ok(data),
                Err(error) => error,
            };
            let retry_after = error.retry_after();
            if attempt >= attempts || !is_retryable(&error) || !policy.accepts_wait(retry_after) {
                return Err(error);
            }
            tokio::time::sleep(policy.delay(attempt, retry_after)).await;
            attempt += 1;
        }
    }

    /// The `auth` message the event stream sends, from the current credential.
    pub(crate) fn websocket_auth(&self) -> Option<skyclust_types::events::ClientMessage> {
        use skyclust_types::events::ClientMessage;
        match &*self.credential() {
            Credential::None => None,
            Credential::Token(token) => {
                Some(ClientMessage::Auth { token: Some(token.clone()), api_key: None })
            }
            Credential::ApiKey(key) => Some(ClientMessage::Auth { token: None, api_key: Some(key.clone()) }),
        }
    }

    fn auth_headers(&self) -> Result<HeaderMap> {
        let mut headers = HeaderMap::new();
        let invalid = |what: &str| {
            Error::InvalidRequest(format!("the {what} contains characters not allowed in a header"))
        };
        match &*self.credential() {
            Credential::None => {}
            Credential::Token(token) => {
                let mut value =
                    HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| invalid("token"))?;
                value.set_sensitive(true);
                headers.insert(reqwest::header::AUTHORIZATION, value);
            }
            Credential::ApiKey(key) => {
                let mut value = HeaderValue::from_str(key).map_err(|_| invalid("API key"))?;
                value.set_sensitive(true);
                headers.insert(
                    HeaderName::try_from(header_names::API_KEY).map_err(|_| invalid("API key header"))?,
                    value,
                );
            }
        }
        Ok(headers)
    }
}

fn is_retryable(error: &Error) -> bool {
    match error {
        Error::RateLimited { .. } => true,
        Error::Api { status, .. } => matches!(status, 502..=504),
        Error::Transport(error) => error.is_connect() || error.is_timeout(),
        _ => false,
    }
}

async fn decode<E: Endpoint>(response: reqwest::Response) -> Result<E::Response> {
    let status = response.status().as_u16();
    let header_request_id = response
        .headers()
        .get(header_names::REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let rate_limit = RateLimit::from_headers(response.headers());
    let bytes = response.bytes().await?;
    if (200..300).contains(&status) {
        let envelope: ApiResponse<serde_json::Value> = serde_json::from_slice(&bytes).map_err(|error| {
            Error::Decode { status, message: format!("not a SkyClust envelope: {error}") }
        })?;
        let data = if E::Response::PRESENT {
            envelope.data.unwrap_or(serde_json::Value::Null)
        } else {
            serde_json::json!({})
        };
        return serde_json::from_value(data)
            .map_err(|error| Error::Decode { status, message: format!("unexpected data: {error}") });
    }
    let envelope = serde_json::from_slice::<ErrorResponse>(&bytes).ok();
    let request_id = envelope.as_ref().map(|envelope| envelope.request_id.clone()).or(header_request_id);
    if status == 429 {
        return Err(Error::RateLimited {
            retry_after,
            message: envelope.map_or_else(|| "Too many requests".to_owned(), |envelope| envelope.error),
            request_id,
            rate_limit,
        });
    }
    match envelope {
        Some(envelope) => Err(Error::Api {
            status,
            code: envelope.code,
            message: envelope.error,
            request_id,
            details: envelope.data,
        }),
        None => Err(Error::Api {
            status,
            code: ErrorCode::from_status(status),
            message: format!("HTTP {status} without a SkyClust error envelope"),
            request_id,
            details: None,
        }),
    }
}
