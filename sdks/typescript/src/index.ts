/**
 * SkyClust TypeScript SDK: types generated from openapi.json by openapi-typescript
 * (src/schema.d.ts), calls through openapi-fetch, and this facade in the shape of the seed's
 * example:
 *
 * ```ts
 * const client = new SkyClustClient({ baseURL: "http://localhost:8080/api/v1", token });
 * const me = await client.auth.me();
 * for await (const vm of client.vms.iterate({ status: "running" })) console.log(vm.name);
 * for await (const event of client.events.subscribe({ types: ["vm_status_changed"] })) console.log(event.data.status);
 * ```
 *
 * Every operation of the API has a method here ({@link OPERATIONS}); the coverage test fails
 * when the contract gains one without it.
 */
import createClient, { type Client, type Middleware } from "openapi-fetch";

import { codeForStatus, errorFor, NetworkError, SkyClustError, TimeoutError, type RateLimit } from "./errors.js";
import {
  EventSubscription,
  type ClientMessage,
  type EventOf,
  type EventStreamSource,
  type EventType,
  type SubscribeOptions,
  type WebSocketConstructor,
} from "./events.js";
import { paginate } from "./pages.js";
import { DEFAULT_RETRY_POLICY, parseRateLimit, parseRetryAfter, retryingFetch, type RetryOptions } from "./retry.js";
import {
  AuthResource,
  HealthResource,
  ApiKeysResource,
  UsersResource,
  AuditLogsResource,
  WorkspacesResource,
  CredentialsResource,
  NotificationsResource,
  VmsResource,
  CostAnalysisResource,
  ProvidersResource,
  EventsResource,
} from "./resources.js";
import type { components, operations, paths } from "./schema.js";
import type {
  User,
  Health,
  ErrorResponse,
} from "./types.js";

export type { components, operations, paths } from "./schema.js";
export {
  ConflictError,
  ForbiddenError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ServiceUnavailableError,
  SkyClustError,
  TimeoutError,
  UnauthorizedError,
  ValidationError,
  type ClientErrorCode,
  type ErrorCode,
  type RateLimit,
} from "./errors.js";
export {
  CLOSE_TOO_MANY_SESSIONS,
  CLOSE_TOO_SLOW,
  CLOSE_UNAUTHORIZED,
  EventSubscription,
  websocketURL,
  type ClientMessage,
  type ControlMessage,
  type CostUpdate,
  type Event,
  type EventOf,
  type EventType,
  type ReconnectInfo,
  type ServerMessage,
  type SubscribeOptions,
  type VmStatusChange,
  type WebSocketConstructor,
  type WebSocketLike,
} from "./events.js";
export { MAX_PAGE_SIZE } from "./pages.js";
export { DEFAULT_RETRY_POLICY, retryDelay, type RetryInfo, type RetryOptions, type RetryPolicy } from "./retry.js";
export type * from "./types.js";
export {
  AuthResource,
  HealthResource,
  ApiKeysResource,
  UsersResource,
  AuditLogsResource,
  WorkspacesResource,
  CredentialsResource,
  NotificationsResource,
  VmsResource,
  CostAnalysisResource,
  ProvidersResource,
  EventsResource,
} from "./resources.js";


export interface SkyClustClientOptions {
  /** The API base URL, e.g. `http://localhost:8080/api/v1`. */
  baseURL: string;
  /** A JWT from register or login. */
  token?: string | undefined;
  /** An API key (sent as `X-API-Key`). */
  apiKey?: string | undefined;
  /**
   * A custom fetch implementation. It is called with `redirect: "manual"` and must honour it:
   * a redirect is reported as a {@link NetworkError}, never followed with the credentials.
   */
  fetch?: typeof globalThis.fetch | undefined;
  /** Time limit of each attempt of a request, body included (default 30 000 ms); reported as {@link TimeoutError}. */
  timeoutMs?: number | undefined;
  /**
   * How failed idempotent requests are retried (default: 3 attempts in all, full-jitter
   * backoff from 200 ms, `Retry-After` honoured up to 60 s); `false` disables retries.
   */
  retry?: RetryOptions | false | undefined;
  /** The `WebSocket` constructor for events (default: the global one, else the `ws` package). */
  webSocket?: WebSocketConstructor | undefined;
}

/** What openapi-fetch resolves to. */
interface FetchResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The envelope's `data` type of a successful answer (`void` when the operation returns none). */
type SuccessEnvelope<R> = R extends { data: infer Envelope } ? Envelope : never;
type DataOf<R> = SuccessEnvelope<R> extends { data: infer Data } ? Data : void;

/** The SkyClust API client. */
export class SkyClustClient {
  /** The typed low-level client, for operations the facade does not wrap. */
  readonly http: Client<paths>;
  /** Registration, sign-in, sign-out and the current caller. */
  readonly auth: AuthResource;
  /** Health checks. */
  readonly health: HealthResource;
  /** Your API keys. */
  readonly apiKeys: ApiKeysResource;
  /** User administration. */
  readonly users: UsersResource;
  /** The audit log. */
  readonly auditLogs: AuditLogsResource;
  /** Workspaces and their members. */
  readonly workspaces: WorkspacesResource;
  /** Your cloud credentials. */
  readonly credentials: CredentialsResource;
  /** Your notifications. */
  readonly notifications: NotificationsResource;
  /** Virtual machines. */
  readonly vms: VmsResource;
  /** Cost estimates from metered usage. */
  readonly costAnalysis: CostAnalysisResource;
  /** Enabled providers, their regions, instance types and prices. */
  readonly providers: ProvidersResource;
  /** Real-time events over the WebSocket endpoint. */
  readonly events: EventsResource;
  /** The API base URL, without a trailing slash. */
  readonly baseURL: string;
  private token: string | undefined;
  private apiKey: string | undefined;
  private lastRateLimit: RateLimit | undefined;

  constructor(options: SkyClustClientOptions) {
    this.token = options.token;
    this.apiKey = options.apiKey;
    this.baseURL = options.baseURL.replace(/\/+$/, "");
    const retry: RetryOptions = options.retry === false ? { maxAttempts: 1 } : (options.retry ?? {});
    const policy = {
      maxAttempts: retry.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts,
      baseDelayMs: retry.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
      maxDelayMs: retry.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
      maxRetryAfterMs: retry.maxRetryAfterMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs,
    };
    const baseFetch = options.fetch ?? globalThis.fetch;
    this.http = createClient<paths>({
      baseUrl: this.baseURL,
      // The API never redirects; retryingFetch reports a 3xx as an error rather than following
      // it with the credentials and the body (openapi-fetch's own default is "follow").
      redirect: "manual",
      fetch: retryingFetch(
        (request, init) => baseFetch(request, init),
        policy,
        options.timeoutMs ?? 30_000,
        retry.onRetry,
        (response) => {
          this.lastRateLimit = parseRateLimit(response.headers) ?? this.lastRateLimit;
        },
      ),
    });
    const credentials: Middleware = {
      onRequest: ({ request }) => {
        if (this.token) request.headers.set("Authorization", `Bearer ${this.token}`);
        else if (this.apiKey) request.headers.set("X-API-Key", this.apiKey);
        return request;
      },
    };
    this.http.use(credentials);
    this.auth = new AuthResource(this);
    this.health = new HealthResource(this);
    this.apiKeys = new ApiKeysResource(this);
    this.users = new UsersResource(this);
    this.auditLogs = new AuditLogsResource(this);
    this.workspaces = new WorkspacesResource(this);
    this.credentials = new CredentialsResource(this);
    this.notifications = new NotificationsResource(this);
    this.vms = new VmsResource(this);
    this.costAnalysis = new CostAnalysisResource(this);
    this.providers = new ProvidersResource(this);
    this.events = new EventsResource({
      baseURL: this.baseURL,
      // Read at each connect, so a reconnect uses the credential current then.
      authMessage: (): ClientMessage | undefined => {
        if (this.token) return { type: "auth", token: this.token };
        if (this.apiKey) return { type: "auth", api_key: this.apiKey };
        return undefined;
      },
      webSocket: options.webSocket,
    });
  }

  /** The JWT in use, if any. */
  getToken(): string | undefined {
    return this.token;
  }

  /** Use `token` from now on (`undefined` signs out locally). */
  setToken(token: string | undefined): void {
    this.token = token;
  }

  /** Use an API key from now on. */
  setApiKey(apiKey: string | undefined): void {
    this.apiKey = apiKey;
    this.token = undefined;
  }

  /** The rate limit reported by the last answer that carried one (`X-RateLimit-*`). */
  get rateLimit(): RateLimit | undefined {
    return this.lastRateLimit;
  }

  /**
   * Unwraps the envelope of a call, throwing the {@link SkyClustError} subclass of the
   * answer's code ({@link NotFoundError}, {@link ValidationError}, …) for error answers and
   * {@link NetworkError} / {@link TimeoutError} when no answer came.
   */
  async call<R extends FetchResult>(request: Promise<R>): Promise<DataOf<R>> {
    let result: R;
    try {
      result = await request;
    } catch (cause) {
      if (cause instanceof SkyClustError) throw cause;
      throw new NetworkError(0, "NETWORK_ERROR", `cannot reach the API: ${String(cause)}`, { cause });
    }
    const { data, error, response } = result;
    if (!response.ok || error !== undefined) {
      const envelope = isEnvelope(error) ? error : undefined;
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
      throw errorFor(
        response.status,
        envelope?.code ?? codeForStatus(response.status),
        (envelope?.error ?? `HTTP ${response.status} without a SkyClust error envelope`) + this.baseURLHint(response.status),
        {
          requestId: envelope?.request_id ?? response.headers.get("x-request-id") ?? undefined,
          details: envelope?.data,
          retryAfter: retryAfterMs === undefined ? undefined : retryAfterMs / 1000,
          rateLimit: parseRateLimit(response.headers),
        },
      );
    }
    return (data as { data?: unknown } | undefined)?.data as DataOf<R>;
  }

  /** A 404 from a base URL without the API's prefix is most likely that mistake: say so. */
  private baseURLHint(status: number): string {
    return status === 404 && !/\/api\/v\d+$/.test(this.baseURL)
      ? ` (is the base URL right? ${this.baseURL} does not end in /api/v1, as in http://localhost:8080/api/v1)`
      : "";
  }
}

function isEnvelope(value: unknown): value is Partial<ErrorResponse> & { code: ErrorResponse["code"] } {
  return typeof value === "object" && value !== null && typeof (value as { code?: unknown }).code === "string";
}


/** The client's resources (`auth`, `vms`, …): its object members but the low-level `http`. */
type ResourceName = Exclude<
  {
    [K in keyof SkyClustClient]: SkyClustClient[K] extends (...args: never[]) => unknown
      ? never
      : SkyClustClient[K] extends object
        ? K
        : never;
  }[keyof SkyClustClient],
  "http" | "rateLimit"
>;
type MethodName<R> = { [M in keyof R]: R[M] extends (...args: never[]) => unknown ? M : never }[keyof R] & string;
/** `"resource.method"` of every facade method, e.g. `"vms.create"`. */
export type FacadeMethod = { [K in ResourceName]: `${K}.${MethodName<SkyClustClient[K]>}` }[ResourceName];

/**
 * The facade method of every operation in openapi.json, by operationId. Typed against the
 * generated `operations`, so an operation added to the contract without an entry here fails
 * to compile, and the coverage test checks it against openapi.json itself.
 */
export const OPERATIONS = {
  register: "auth.register",
  login: "auth.login",
  logout: "auth.logout",
  get_current_user: "auth.me",
  get_health: "health.get",
  get_db_health: "health.db",
  get_redis_health: "health.redis",
  list_api_keys: "apiKeys.list",
  create_api_key: "apiKeys.create",
  delete_api_key: "apiKeys.delete",
  list_users: "users.list",
  create_user: "users.create",
  get_user: "users.get",
  update_user: "users.update",
  delete_user: "users.delete",
  list_audit_logs: "auditLogs.list",
  list_workspaces: "workspaces.list",
  create_workspace: "workspaces.create",
  get_workspace: "workspaces.get",
  update_workspace: "workspaces.update",
  delete_workspace: "workspaces.delete",
  list_workspace_members: "workspaces.members",
  add_workspace_member: "workspaces.addMember",
  remove_workspace_member: "workspaces.removeMember",
  list_credentials: "credentials.list",
  create_credential: "credentials.create",
  get_credential: "credentials.get",
  update_credential: "credentials.update",
  delete_credential: "credentials.delete",
  list_credential_instances: "credentials.instances",
  list_notifications: "notifications.list",
  mark_notification_read: "notifications.markRead",
  mark_all_notifications_read: "notifications.markAllRead",
  list_vms: "vms.list",
  create_vm: "vms.create",
  get_vm: "vms.get",
  delete_vm: "vms.delete",
  import_vm: "vms.import",
  start_vm: "vms.start",
  stop_vm: "vms.stop",
  reboot_vm: "vms.reboot",
  get_cost_analysis: "costAnalysis.get",
  get_cost_breakdown: "costAnalysis.breakdown",
  list_providers: "providers.list",
} as const satisfies Record<keyof operations, FacadeMethod>;

/** The iterating method of every paginated list operation, by operationId. */
export const PAGINATED = {
  list_api_keys: "apiKeys.iterate",
  list_users: "users.iterate",
  list_audit_logs: "auditLogs.iterate",
  list_workspaces: "workspaces.iterate",
  list_workspace_members: "workspaces.iterateMembers",
  list_credentials: "credentials.iterate",
  list_credential_instances: "credentials.iterateInstances",
  list_notifications: "notifications.iterate",
  list_vms: "vms.iterate",
} as const satisfies Partial<Record<keyof operations, FacadeMethod>>;
