//! Azure Resource Manager over HTTPS: OAuth2 client-credentials tokens from Microsoft Entra ID
//! (cached per credential until shortly before they expire), one request helper that adds the
//! token and `api-version`, waits out short throttling (`429` + `Retry-After`) and renews a
//! token ARM calls expired, long-running operations followed through `Azure-AsyncOperation`
//! or `Location`, and ARM's error body (`{"error": {"code", "message"}}`) sorted into
//! [`ProviderError`] classes. Nothing here ever quotes the client secret.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::Value;
use url::Url;

use crate::providers::client_cache::{self, ClientCache};
use crate::providers::{ProviderError, ProviderResult, Secrets};

/// The longest a token is kept, whatever `expires_in` says.
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 3600);
/// Token holders kept at once, one per credential.
const MAX_TOKENS: usize = 256;
/// A token holder unused this long is dropped, with its token.
const TOKEN_IDLE: Duration = Duration::from_secs(3600);
/// How early a token is renewed: five minutes before it expires, or half-way through the
/// lifetime of a short-lived one.
const RENEW_MARGIN: Duration = Duration::from_secs(300);
/// The longest `Retry-After` waited out inside one call; a longer one goes back to the
/// durable operation, which retries later.
const MAX_INLINE_WAIT: Duration = Duration::from_secs(10);
/// Throttled answers waited out inside one call before giving up to the operation's retry.
const MAX_THROTTLED: u32 = 2;

/// The service principal a credential names, and where SkyClust creates its resources.
#[derive(Clone, Copy)]
pub struct Account<'a> {
    /// The Entra ID tenant (directory) id.
    pub tenant_id: &'a str,
    /// The application (client) id.
    pub client_id: &'a str,
    client_secret: &'a str,
    /// The subscription.
    pub subscription_id: &'a str,
    /// The resource group SkyClust creates its resources in.
    pub resource_group: &'a str,
}

impl std::fmt::Debug for Account<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Account")
            .field("tenant_id", &self.tenant_id)
            .field("client_id", &self.client_id)
            .field("subscription_id", &self.subscription_id)
            .field("resource_group", &self.resource_group)
            .finish_non_exhaustive()
    }
}

impl<'a> Account<'a> {
    /// The account of a credential's decrypted fields.
    pub fn of(secrets: &'a Secrets) -> ProviderResult<Account<'a>> {
        let field = |name: &str| {
            secrets
                .get(name)
                .filter(|value| !value.is_empty())
                .ok_or_else(|| ProviderError::Auth(format!("the credential has no {name}")))
        };
        Ok(Account {
            tenant_id: field("tenant_id")?,
            client_id: field("client_id")?,
            client_secret: field("client_secret")?,
            subscription_id: field("subscription_id")?,
            resource_group: field("resource_group")?,
        })
    }

    /// `/subscriptions/{subscription}/resourceGroups/{group}`.
    pub fn group_path(&self) -> String {
        format!("/subscriptions/{}/resourceGroups/{}", self.subscription_id, self.resource_group)
    }
}

/// An answer from Resource Manager.
#[derive(Debug)]
pub struct Reply {
    /// The HTTP status.
    pub status: StatusCode,
    /// The JSON body (`Null` when empty).
    pub body: Value,
    /// Where to follow the operation this request started, if it started one.
    operation: Option<Tracker>,
    retry_after: Option<Duration>,
}

#[derive(Debug, Clone)]
enum Tracker {
    /// `Azure-AsyncOperation`: answers `{"status": "InProgress" | "Succeeded" | "Failed" | "Canceled"}`.
    AsyncOperation(Url),
    /// `Location`: answers 202 while the operation runs, then 200/204 (or its error).
    Location(Url),
}

/// A cached token.
struct Token {
    bearer: String,
    renew_at: Instant,
}

/// One credential's token, renewed by one caller at a time (the others wait for it).
#[derive(Default)]
struct TokenSlot {
    current: tokio::sync::Mutex<Option<Token>>,
}

/// Resource Manager and the authority it takes tokens from.
pub struct Arm {
    http: reqwest::Client,
    endpoint: Url,
    authority: Url,
    scope: String,
    operation_wait: Duration,
    poll: Duration,
    tokens: ClientCache<Arc<TokenSlot>>,
}

impl std::fmt::Debug for Arm {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Arm")
            .field("endpoint", &self.endpoint.as_str())
            .field("authority", &self.authority.as_str())
            .finish_non_exhaustive()
    }
}

impl Arm {
    /// Resource Manager at `endpoint`, tokens from `authority`; each HTTP attempt limited to
    /// `attempt_timeout`, each long-running operation followed for up to `operation_wait`,
    /// polled every `poll` unless Azure says otherwise (`Retry-After`).
    pub fn new(
        endpoint: Url,
        authority: Url,
        attempt_timeout: Duration,
        operation_wait: Duration,
        poll: Duration,
    ) -> Arm {
        let http = reqwest::Client::builder()
            .timeout(attempt_timeout)
            .connect_timeout(attempt_timeout.min(Duration::from_secs(5)))
            // A redirect would carry the bearer token elsewhere; Resource Manager sends none.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("skyclust/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("a client with a timeout and no redirects builds");
        // The token's audience is the Resource Manager it is for (`https://management.azure.com/.default`).
        let scope = format!("{}/.default", endpoint.origin().ascii_serialization());
        Arm {
            http,
            endpoint,
            authority,
            scope,
            operation_wait,
            poll,
            tokens: ClientCache::new(MAX_TOKENS, TOKEN_IDLE),
        }
    }

    fn slot(&self, account: &Account<'_>) -> Arc<TokenSlot> {
        let key = client_cache::key(&[
            self.authority.as_str().as_bytes(),
            account.tenant_id.as_bytes(),
            account.client_id.as_bytes(),
            account.client_secret.as_bytes(),
        ]);
        self.tokens.get_or_insert_with(key, Arc::default)
    }

    /// A token for `account`: the cached one while it is fresh, else a new one.
    async fn token(&self, account: &Account<'_>, stale: Option<&str>) -> ProviderResult<String> {
        let slot = self.slot(account);
        let mut current = slot.current.lock().await;
        if let Some(token) = current.as_ref()
            && Instant::now() < token.renew_at
            && stale != Some(token.bearer.as_str())
        {
            return Ok(token.bearer.clone());
        }
        let token = self.request_token(account).await?;
        let bearer = token.bearer.clone();
        *current = Some(token);
        Ok(bearer)
    }

    /// The client-credentials grant: `POST {authority}/{tenant}/oauth2/v2.0/token`.
    async fn request_token(&self, account: &Account<'_>) -> ProviderResult<Token> {
        let mut url = self.authority.clone();
        url.path_segments_mut()
            .map_err(|_| ProviderError::InvalidRequest("the Azure authority URL cannot take a path".into()))?
            .pop_if_empty()
            .extend([account.tenant_id, "oauth2", "v2.0", "token"]);
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "client_credentials")
            .append_pair("client_id", account.client_id)
            .append_pair("client_secret", account.client_secret)
            .append_pair("scope", &self.scope)
            .finish();
        let asked = Instant::now();
        let response = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .map_err(|error| unreachable_error(&error, "Microsoft Entra ID"))?;
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if status.is_success() {
            let bearer =
                body["access_token"].as_str().filter(|token| !token.is_empty()).ok_or_else(|| {
                    ProviderError::Retryable("Microsoft Entra ID answered without an access token".into())
                })?;
            // `expires_in` is a number of seconds (a string in the older v1 endpoint).
            let lifetime = body["expires_in"]
                .as_u64()
                .or_else(|| body["expires_in"].as_str().and_then(|text| text.parse().ok()))
                .map(Duration::from_secs)
                .unwrap_or(Duration::from_secs(300))
                .min(MAX_LIFETIME);
            let early = RENEW_MARGIN.min(lifetime / 2);
            return Ok(Token { bearer: bearer.to_owned(), renew_at: asked + lifetime - early });
        }
        Err(token_refusal(status, &body))
    }

    /// `method path` (which may carry a query) with `api-version` and `body`, as `account`.
    /// Errors are classified; only a missing resource itself is [`ProviderError::NotFound`].
    pub async fn call(
        &self,
        account: &Account<'_>,
        method: Method,
        path: &str,
        api_version: &str,
        body: Option<&Value>,
    ) -> ProviderResult<Reply> {
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let mut url = self.endpoint.clone();
        url.set_path(&format!("{}{path}", self.endpoint.path().trim_end_matches('/')));
        url.set_query((!query.is_empty()).then_some(query));
        url.query_pairs_mut().append_pair("api-version", api_version);
        self.send(account, method, url, body).await
    }

    /// A `nextLink` Resource Manager handed out (absolute, with its own `api-version`), as
    /// `account`; one pointing at another host is refused, so a token goes nowhere else.
    pub async fn follow(&self, account: &Account<'_>, link: &str) -> ProviderResult<Reply> {
        let url = Url::parse(link).map_err(|_| {
            ProviderError::Retryable("Azure Resource Manager gave an unreadable nextLink".into())
        })?;
        if url.origin() != self.endpoint.origin() {
            return Err(ProviderError::Retryable(
                "Azure Resource Manager's nextLink points at another host; it was not followed".into(),
            ));
        }
        self.send(account, Method::GET, url, None).await
    }

    async fn send(
        &self,
        account: &Account<'_>,
        method: Method,
        url: Url,
        body: Option<&Value>,
    ) -> ProviderResult<Reply> {
        let mut stale: Option<String> = None;
        let mut throttled = 0;
        loop {
            let token = self.token(account, stale.as_deref()).await?;
            let mut request = self.http.request(method.clone(), url.clone()).bearer_auth(&token);
            if let Some(body) = body {
                request = request.json(body);
            }
            let response =
                request.send().await.map_err(|error| unreachable_error(&error, "Azure Resource Manager"))?;
            let status = response.status();
            let headers = response.headers().clone();
            let text = response.text().await.unwrap_or_default();
            let body: Value = if text.trim().is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text).unwrap_or(Value::Null)
            };
            let retry_after = headers
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            let code = body["error"]["code"].as_str().unwrap_or_default();
            // A token Resource Manager calls expired (clocks differ, or it was revoked): one
            // new token, one more try.
            if status == StatusCode::UNAUTHORIZED && stale.is_none() {
                stale = Some(token);
                continue;
            }
            if status == StatusCode::TOO_MANY_REQUESTS || code == "RetryableError" {
                let wait = retry_after.unwrap_or(Duration::from_secs(1));
                if throttled < MAX_THROTTLED && wait <= MAX_INLINE_WAIT {
                    throttled += 1;
                    tokio::time::sleep(wait).await;
                    continue;
                }
            }
            if !status.is_success() {
                return Err(arm_error(status, &body, retry_after));
            }
            let operation = self.tracker(&headers)?;
            return Ok(Reply { status, body, operation, retry_after });
        }
    }

    /// Where to follow an operation: only on Resource Manager's own host, so the token
    /// never goes anywhere else.
    fn tracker(&self, headers: &reqwest::header::HeaderMap) -> ProviderResult<Option<Tracker>> {
        let header = |name: &str| {
            headers.get(name).and_then(|value| value.to_str().ok()).and_then(|value| Url::parse(value).ok())
        };
        let tracker = match (header("azure-asyncoperation"), header("location")) {
            (Some(url), _) => Tracker::AsyncOperation(url),
            (None, Some(url)) => Tracker::Location(url),
            (None, None) => return Ok(None),
        };
        let url = match &tracker {
            Tracker::AsyncOperation(url) | Tracker::Location(url) => url,
        };
        if url.origin() != self.endpoint.origin() {
            return Err(ProviderError::Retryable(
                "Azure Resource Manager pointed an operation at another host; it was not followed".into(),
            ));
        }
        Ok(Some(tracker))
    }

    /// When following operations that start now must stop: one budget for all the steps of
    /// one driver call, so the call ends well inside the worker's lease.
    pub fn deadline(&self) -> Instant {
        Instant::now() + self.operation_wait
    }

    /// Follows the operation `reply` started until it succeeds (`Ok(true)`), fails (its
    /// error, classified), or `deadline` passes (`Ok(false)`). A reply that started none is
    /// done.
    pub async fn settle(
        &self,
        account: &Account<'_>,
        reply: &Reply,
        deadline: Instant,
    ) -> ProviderResult<bool> {
        let Some(tracker) = reply.operation.clone() else {
            return Ok(true);
        };
        let mut pause = reply.retry_after.unwrap_or_default().max(self.poll).min(self.operation_wait);
        loop {
            if Instant::now() + pause > deadline {
                return Ok(false);
            }
            tokio::time::sleep(pause).await;
            let (url, by_status) = match &tracker {
                Tracker::AsyncOperation(url) => (url.clone(), false),
                Tracker::Location(url) => (url.clone(), true),
            };
            let polled = match self.send(account, Method::GET, url, None).await {
                Ok(polled) => polled,
                // A hiccup while polling: poll again.
                Err(ProviderError::Retryable(_)) if Instant::now() < deadline => {
                    pause = self.poll;
                    continue;
                }
                Err(error) => return Err(error),
            };
            // Never faster than the poll interval, whatever `Retry-After` says (`0` included).
            pause = polled.retry_after.unwrap_or_default().max(self.poll);
            if by_status {
                if polled.status != StatusCode::ACCEPTED {
                    return Ok(true);
                }
                continue;
            }
            match polled.body["status"].as_str().unwrap_or("InProgress") {
                "Succeeded" => return Ok(true),
                "Failed" | "Canceled" => {
                    let error = &polled.body["error"];
                    return Err(
                        match classify(
                            None,
                            error["code"].as_str().unwrap_or("OperationFailed"),
                            error["message"].as_str().unwrap_or("the operation failed"),
                        ) {
                            // What an operation could not find is something it refers to; the
                            // resource it was started on exists.
                            ProviderError::NotFound(text) => ProviderError::InvalidRequest(text),
                            other => other,
                        },
                    );
                }
                _ => {}
            }
        }
    }
}

/// A request that never got an answer.
fn unreachable_error(error: &reqwest::Error, whom: &str) -> ProviderError {
    if error.is_timeout() {
        ProviderError::Retryable(format!("{whom} did not answer in time"))
    } else {
        ProviderError::Retryable(format!("cannot reach {whom}"))
    }
}

/// Entra ID's refusal of a token request: `{"error": "invalid_client", "error_description":
/// "AADSTS7000215: Invalid client secret provided. … Trace ID: …"}`, kept to its first line up
/// to the trace id (the description never holds the secret; the trace ids are noise).
fn token_refusal(status: StatusCode, body: &Value) -> ProviderError {
    let error = body["error"].as_str().unwrap_or("error");
    let description = body["error_description"].as_str().unwrap_or("no description");
    let first = description.split(['\r', '\n']).next().unwrap_or_default();
    let first = first.split(" Trace ID:").next().unwrap_or(first).trim();
    let message = format!("Microsoft Entra ID refused the credential: {error}: {first}");
    if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        ProviderError::Retryable(message)
    } else {
        ProviderError::Auth(message)
    }
}

/// An ARM error answer, classified.
fn arm_error(status: StatusCode, body: &Value, retry_after: Option<Duration>) -> ProviderError {
    let error = &body["error"];
    let code = error["code"].as_str().unwrap_or("error");
    let message = error["message"].as_str().unwrap_or("no message");
    let mut classified = classify(Some(status), code, message);
    if let (ProviderError::Retryable(text), Some(wait)) = (&mut classified, retry_after) {
        text.push_str(&format!(" (retry after {} s)", wait.as_secs()));
    }
    classified
}

/// Sorts an ARM error code (and HTTP status, when there is one) into the provider error
/// classes. Only `ResourceNotFound` / `NotFound` mean the resource is gone: a missing
/// resource group or subscription is the credential's problem, not a deleted VM.
pub fn classify(status: Option<StatusCode>, code: &str, message: &str) -> ProviderError {
    let text = format!("{} {code}: {message}", status.map_or(String::new(), |s| s.as_u16().to_string()));
    let text = text.trim_start().to_owned();
    let quota = code.contains("Quota")
        || (code == "OperationNotAllowed" && message.to_ascii_lowercase().contains("quota"));
    if quota {
        return ProviderError::Quota(text);
    }
    match code {
        "ResourceNotFound" | "NotFound" => return ProviderError::NotFound(text),
        "AuthorizationFailed"
        | "AuthenticationFailed"
        | "InvalidAuthenticationToken"
        | "InvalidAuthenticationTokenTenant"
        | "ExpiredAuthenticationToken"
        | "LinkedAuthorizationFailed"
        | "SubscriptionNotFound"
        | "InvalidSubscriptionId" => return ProviderError::Auth(text),
        "ResourceGroupNotFound" => {
            return ProviderError::InvalidRequest(format!(
                "{text} (create the credential's resource group first)"
            ));
        }
        "AnotherOperationInProgress"
        | "RetryableError"
        | "Conflict"
        | "OperationPreempted"
        | "AllocationFailed"
        | "ZonalAllocationFailed"
        | "OverconstrainedAllocationRequest"
        | "OverconstrainedZonalAllocationRequest"
        | "InternalServerError"
        | "InternalExecutionError"
        | "ServiceUnavailable"
        | "GatewayTimeout"
        | "TooManyRequests" => return ProviderError::Retryable(text),
        _ => {}
    }
    match status.map(|status| status.as_u16()) {
        Some(401 | 403) => ProviderError::Auth(text),
        Some(404) => ProviderError::InvalidRequest(text),
        Some(408 | 429 | 500..=599) => ProviderError::Retryable(text),
        _ => ProviderError::InvalidRequest(text),
    }
}

#[cfg(test)]
mod tests;
