/**
 * The SDK's errors: {@link SkyClustError} and a subclass per code worth catching on its own,
 * so callers can write `catch (e) { if (e instanceof NotFoundError) … }`.
 */
import type { components } from "./schema.js";

export type ErrorCode = components["schemas"]["ErrorCode"];

/** Codes the client itself reports (`status` 0): the API could not be reached, or a wait ran out. */
export type ClientErrorCode = "NETWORK_ERROR" | "TIMEOUT";

/** The caller's rate limit, from the `X-RateLimit-*` headers of an answer. */
export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  /** Requests left in the window. */
  remaining: number;
  /** When the window resets (unix seconds). */
  reset: number;
}

/** What an error carries besides status, code and message. */
export interface ErrorExtras {
  requestId?: string | undefined;
  /** The envelope's `data` (e.g. `{ fields: {...} }`). */
  details?: unknown;
  /** `Retry-After` in seconds, when the answer had one. */
  retryAfter?: number | undefined;
  rateLimit?: RateLimit | undefined;
  /** The WebSocket close code that ended an event stream. */
  closeCode?: number | undefined;
  cause?: unknown;
}

/** An error answered by the API (or a client-side failure, with `status` 0). */
export class SkyClustError extends Error {
  readonly status: number;
  readonly code: ErrorCode | ClientErrorCode;
  readonly requestId: string | undefined;
  readonly details: unknown;
  /** The WebSocket close code, when the error ended an event stream (e.g. 4001). */
  readonly closeCode: number | undefined;

  constructor(status: number, code: ErrorCode | ClientErrorCode, message: string, requestId?: string, details?: unknown);
  constructor(status: number, code: ErrorCode | ClientErrorCode, message: string, extras?: ErrorExtras);
  constructor(
    status: number,
    code: ErrorCode | ClientErrorCode,
    message: string,
    requestIdOrExtras?: string | ErrorExtras,
    details?: unknown,
  ) {
    const extras: ErrorExtras =
      typeof requestIdOrExtras === "object" ? requestIdOrExtras : { requestId: requestIdOrExtras, details };
    super(withFieldSummary(message, fieldsOf(extras.details)), extras.cause === undefined ? {} : { cause: extras.cause });
    // The subclass's own name, so stack traces and `String(error)` say which error it is.
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.requestId = extras.requestId;
    this.details = extras.details;
    this.closeCode = extras.closeCode;
  }

  /** Per-field messages of a `VALIDATION_ERROR` (`data.fields`). */
  get fields(): Record<string, string> {
    return fieldsOf(this.details);
  }
}

/** `VALIDATION_ERROR` (400): {@link SkyClustError.fields} says what is wrong with each field. */
export class ValidationError extends SkyClustError {}

/** `UNAUTHORIZED` (401, or close code 4001 on the event stream): no credentials, or ones the server refused. */
export class UnauthorizedError extends SkyClustError {}

/** `FORBIDDEN` (403): signed in, but not allowed to do this. */
export class ForbiddenError extends SkyClustError {}

/** `NOT_FOUND` (404): no such resource, or not one you may see. */
export class NotFoundError extends SkyClustError {}

/** `CONFLICT` (409): the request clashes with the resource's state. */
export class ConflictError extends SkyClustError {}

/** `RATE_LIMITED` (429): {@link RateLimitedError.retryAfter} says how many seconds to wait. */
export class RateLimitedError extends SkyClustError {
  /** Seconds until the budget refills (the envelope's `data.retry_after`, else `Retry-After`). */
  readonly retryAfter: number | undefined;
  /** The limit that was hit, from the `X-RateLimit-*` headers. */
  readonly rateLimit: RateLimit | undefined;

  constructor(status: number, code: ErrorCode | ClientErrorCode, message: string, extras: ErrorExtras = {}) {
    super(status, code, message, extras);
    const fromBody = (extras.details as { retry_after?: unknown } | undefined)?.retry_after;
    this.retryAfter = typeof fromBody === "number" ? fromBody : extras.retryAfter;
    this.rateLimit = extras.rateLimit;
  }
}

/** `SERVICE_UNAVAILABLE` (503): busy or timed out on the server; worth retrying. */
export class ServiceUnavailableError extends SkyClustError {
  /** Seconds the server asked to wait (`Retry-After`), when it said. */
  readonly retryAfter: number | undefined;

  constructor(status: number, code: ErrorCode | ClientErrorCode, message: string, extras: ErrorExtras = {}) {
    super(status, code, message, extras);
    this.retryAfter = extras.retryAfter;
  }
}

/** `NETWORK_ERROR` (status 0): the API could not be reached, or the connection broke. */
export class NetworkError extends SkyClustError {}

/** `TIMEOUT` (status 0): a request or a wait ran out of time. */
export class TimeoutError extends SkyClustError {}

type ErrorClass = new (status: number, code: ErrorCode | ClientErrorCode, message: string, extras?: ErrorExtras) => SkyClustError;

const ERROR_CLASSES: Partial<Record<ErrorCode | ClientErrorCode, ErrorClass>> = {
  VALIDATION_ERROR: ValidationError,
  UNAUTHORIZED: UnauthorizedError,
  FORBIDDEN: ForbiddenError,
  NOT_FOUND: NotFoundError,
  CONFLICT: ConflictError,
  RATE_LIMITED: RateLimitedError,
  SERVICE_UNAVAILABLE: ServiceUnavailableError,
  NETWORK_ERROR: NetworkError,
  TIMEOUT: TimeoutError,
};

/** The {@link SkyClustError} subclass of `code` (the base class for the other codes). */
export function errorFor(
  status: number,
  code: ErrorCode | ClientErrorCode,
  message: string,
  extras: ErrorExtras = {},
): SkyClustError {
  const Class = ERROR_CLASSES[code] ?? SkyClustError;
  return new Class(status, code, message, extras);
}

/** The code of an answer without an envelope (a proxy's error page, a wrong base URL). */
export function codeForStatus(status: number): ErrorCode {
  const codes: Record<number, ErrorCode> = {
    400: "VALIDATION_ERROR",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    429: "RATE_LIMITED",
    502: "PROVIDER_ERROR",
    503: "SERVICE_UNAVAILABLE",
  };
  return codes[status] ?? "INTERNAL_ERROR";
}

function fieldsOf(details: unknown): Record<string, string> {
  const fields = (details as { fields?: unknown } | undefined)?.fields;
  if (fields === null || typeof fields !== "object") return {};
  return Object.fromEntries(Object.entries(fields).map(([name, problem]) => [name, String(problem)]));
}

/** The message, followed by the field errors it does not already name. */
function withFieldSummary(message: string, fields: Record<string, string>): string {
  const entries = Object.entries(fields);
  if (entries.length === 0 || entries.every(([name]) => message.includes(`${name} `) || message.includes(`${name}:`))) {
    return message;
  }
  return `${message} — ${entries.map(([name, problem]) => `${name}: ${problem}`).join("; ")}`;
}
