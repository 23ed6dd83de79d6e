/**
 * Retries with full-jitter exponential backoff that honour `Retry-After`, and the per-request
 * timeout, as a `fetch` wrapper under openapi-fetch. The rules are the Rust SDK's
 * (`skyclust-sdk/src/retry.rs`): only requests that are safe to repeat (GET, PUT, DELETE, and
 * a POST sent with an `Idempotency-Key`) are retried, and only after a network failure, a
 * timeout, or a 429/502/503/504 answer.
 *
 * Redirects are never followed: the API does not answer with one, and `fetch` following it
 * would send `X-API-Key` (it drops only `Authorization` across origins) and, after a 307 or
 * 308, the request body (a password, a cloud secret) to wherever it points. A 3xx is a
 * {@link NetworkError} instead, and is not retried.
 */
import { NetworkError, type RateLimit, SkyClustError, TimeoutError } from "./errors.js";

/** When and how often a failed request is tried again. */
export interface RetryPolicy {
  /** Attempts in all, the first included (1 disables retries). Default 3. */
  maxAttempts: number;
  /** The backoff's base: attempt `n` waits a random time up to `baseDelayMs × 2ⁿ`. Default 200. */
  baseDelayMs: number;
  /** The longest backoff. Default 10 000. */
  maxDelayMs: number;
  /** The longest `Retry-After` worth waiting for; a longer one ends the retries. Default 60 000. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
});

/** What {@link RetryOptions.onRetry} is told before each repeat. */
export interface RetryInfo {
  method: string;
  url: string;
  /** The attempt that failed (from 1). */
  attempt: number;
  /** How long the client waits before the next attempt. */
  delayMs: number;
  /** The status that failed, or 0 after a network failure or timeout. */
  status: number;
  /** The failure, when no answer came. */
  error?: SkyClustError;
}

/** Client options for retries: any part of a {@link RetryPolicy}, plus a hook called before each repeat. */
export interface RetryOptions {
  maxAttempts?: number | undefined;
  baseDelayMs?: number | undefined;
  maxDelayMs?: number | undefined;
  maxRetryAfterMs?: number | undefined;
  onRetry?: ((info: RetryInfo) => void) | undefined;
}

/**
 * How long to wait after failed attempt `attempt` (from 1): the server's `Retry-After` when it
 * gave one, else a uniformly random time up to `min(baseDelayMs × 2^attempt, maxDelayMs)`
 * ("full jitter", so many clients that failed together do not retry together).
 */
export function retryDelay(policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">, attempt: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const ceiling = Math.min(policy.baseDelayMs * 2 ** Math.min(attempt, 16), policy.maxDelayMs);
  return Math.random() * ceiling;
}

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
const REDIRECT_STATUSES = new Set([300, 301, 302, 303, 307, 308]);
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The `X-RateLimit-*` headers of an answer, when it has all three. */
export function parseRateLimit(headers: Headers): RateLimit | undefined {
  const number = (name: string): number | undefined => {
    const value = headers.get(name);
    return value !== null && /^\s*-?\d+\s*$/.test(value) ? Number(value) : undefined;
  };
  const limit = number("x-ratelimit-limit");
  const remaining = number("x-ratelimit-remaining");
  const reset = number("x-ratelimit-reset");
  return limit === undefined || remaining === undefined || reset === undefined ? undefined : { limit, remaining, reset };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}

type Fetch = (input: Request, init?: RequestInit) => Promise<Response>;

/**
 * `fetch` with the timeout and retries: what openapi-fetch calls. Failures without an answer
 * become {@link NetworkError} or {@link TimeoutError}; answers (even errors) are returned
 * for the caller to decode, the last one when retries run out.
 */
export function retryingFetch(
  base: Fetch,
  policy: RetryPolicy,
  timeoutMs: number,
  onRetry: ((info: RetryInfo) => void) | undefined,
  onResponse: (response: Response) => void,
): Fetch {
  return async (request, init) => {
    const repeatable = IDEMPOTENT_METHODS.has(request.method) || request.headers.has("Idempotency-Key");
    const attempts = repeatable ? Math.max(1, policy.maxAttempts) : 1;
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= attempts;
      // Each attempt sends a copy: a body can be read only once.
      const outcome = await attemptOnce(base, last ? request : request.clone(), init, timeoutMs);
      let retryAfterMs: number | undefined;
      if (outcome instanceof Response) {
        onResponse(outcome);
        if (last || !RETRYABLE_STATUSES.has(outcome.status)) return outcome;
        retryAfterMs = parseRetryAfter(outcome.headers.get("retry-after"));
        // A wait longer than the policy allows is the caller's to decide on.
        if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) return outcome;
      } else if (last || request.signal.aborted || FINAL_ERRORS.has(outcome)) {
        throw outcome;
      }
      const delayMs = retryDelay(policy, attempt, retryAfterMs);
      onRetry?.({
        method: request.method,
        url: request.url,
        attempt,
        delayMs,
        status: outcome instanceof Response ? outcome.status : 0,
        ...(outcome instanceof Response ? {} : { error: outcome }),
      });
      await sleep(delayMs, request.signal);
      if (request.signal.aborted) throw new NetworkError(0, "NETWORK_ERROR", "the request was aborted");
    }
  };
}

/** Failures another attempt would only repeat (a redirect). */
const FINAL_ERRORS = new WeakSet<SkyClustError>();

/** The error of a redirect `response` to `request`, which is not followed. */
function redirectError(request: Request, response: Response): SkyClustError {
  const location = response.headers.get("location");
  // A browser's manual redirect is opaque: neither its status nor its target can be read.
  const answer = response.type === "opaqueredirect" ? "a redirect" : `${response.status}${location ? ` redirecting to ${location}` : ""}`;
  const error = new NetworkError(
    0,
    "NETWORK_ERROR",
    `${request.method} ${request.url} was answered with ${answer}, which the client does not follow ` +
      "(the API never redirects, and the credentials and request body would go along): is the base URL right?",
  );
  FINAL_ERRORS.add(error);
  return error;
}

/** One attempt: the answer, or the failure as a {@link SkyClustError}. */
async function attemptOnce(base: Fetch, request: Request, init: RequestInit | undefined, timeoutMs: number): Promise<Response | SkyClustError> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  // The caller's own signal (openapi-fetch passes `signal` through) still cancels.
  const cancel = (): void => controller.abort();
  request.signal.addEventListener("abort", cancel, { once: true });
  try {
    // `manual`, not `error`: the 3xx is then reported as what it is rather than as a failed fetch.
    const response = await base(request, { ...init, redirect: "manual", signal: controller.signal });
    if (response.type === "opaqueredirect" || REDIRECT_STATUSES.has(response.status)) {
      await response.body?.cancel().catch(() => undefined);
      return redirectError(request, response);
    }
    // The body is read here, so the timeout covers it too (answers are small JSON).
    const body = NULL_BODY_STATUSES.has(response.status) ? null : await response.arrayBuffer();
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  } catch (cause) {
    if (timedOut) {
      return new TimeoutError(0, "TIMEOUT", `no answer from ${request.method} ${request.url} within ${timeoutMs} ms`, { cause });
    }
    if (cause instanceof SkyClustError) return cause;
    const reason = cause instanceof Error && cause.cause instanceof Error ? cause.cause.message : String(cause);
    return new NetworkError(0, "NETWORK_ERROR", `cannot reach the API (${request.method} ${request.url}): ${reason}`, { cause });
  } finally {
    clearTimeout(timer);
    request.signal.removeEventListener("abort", cancel);
  }
}
