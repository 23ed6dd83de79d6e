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
import type { components, operations, paths } from "./schema.js";

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

type Schemas = components["schemas"];
export type User = Schemas["User"];
export type AuthResponse = Schemas["AuthResponse"];
export type CurrentUser = Schemas["CurrentUser"];
export type RegisterRequest = Schemas["RegisterRequest"];
export type LoginRequest = Schemas["LoginRequest"];
export type Health = Schemas["Health"];
export type DbHealth = Schemas["DbHealth"];
export type RedisHealth = Schemas["RedisHealth"];
export type ErrorResponse = Schemas["ErrorResponse"];
export type ApiKey = Schemas["ApiKey"];
export type ApiKeyList = Schemas["ApiKeyList"];
export type CreatedApiKey = Schemas["CreatedApiKey"];
export type CreateApiKeyRequest = Schemas["CreateApiKeyRequest"];
export type UserList = Schemas["UserList"];
export type CreateUserRequest = Schemas["CreateUserRequest"];
export type UpdateUserRequest = Schemas["UpdateUserRequest"];
export type AuditLog = Schemas["AuditLog"];
export type AuditLogList = Schemas["AuditLogList"];
export type Pagination = Schemas["Pagination"];
type QueryOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  parameters: { query?: infer Q };
}
  ? NonNullable<Q>
  : never;
/** A list query whose repeatable filters also take a single value (`{ status: "running" }`). */
export type Filters<Q> = { [K in keyof Q]: NonNullable<Q[K]> extends readonly (infer Item)[] ? Item | Item[] : Q[K] };
export type ListApiKeysQuery = Filters<QueryOf<"/api-keys", "get">>;
export type ListUsersQuery = Filters<QueryOf<"/users", "get">>;
export type ListAuditLogsQuery = Filters<QueryOf<"/audit-logs", "get">>;
export type ListWorkspacesQuery = Filters<QueryOf<"/workspaces", "get">>;
export type ListMembersQuery = Filters<QueryOf<"/workspaces/{id}/members", "get">>;
export type ListCredentialsQuery = Filters<QueryOf<"/credentials", "get">>;
export type ListNotificationsQuery = Filters<QueryOf<"/notifications", "get">>;
export type Workspace = Schemas["Workspace"];
export type WorkspaceList = Schemas["WorkspaceList"];
export type CreateWorkspaceRequest = Schemas["CreateWorkspaceRequest"];
export type UpdateWorkspaceRequest = Schemas["UpdateWorkspaceRequest"];
export type WorkspaceMember = Schemas["WorkspaceMember"];
export type MemberList = Schemas["MemberList"];
export type AddMemberRequest = Schemas["AddMemberRequest"];
export type Credential = Schemas["Credential"];
export type CredentialList = Schemas["CredentialList"];
export type CreateCredentialRequest = Schemas["CreateCredentialRequest"];
export type UpdateCredentialRequest = Schemas["UpdateCredentialRequest"];
export type Vm = Schemas["Vm"];
export type VmList = Schemas["VmList"];
export type VmStatus = Schemas["VmStatus"];
export type CreateVmRequest = Schemas["CreateVmRequest"];
export type ListVmsQuery = Filters<QueryOf<"/vms", "get">>;
export type DiscoveredInstance = Schemas["DiscoveredInstance"];
export type InstanceList = Schemas["InstanceList"];
export type ImportVmRequest = Schemas["ImportVmRequest"];
export type ListInstancesQuery = Filters<QueryOf<"/credentials/{id}/instances", "get">>;
export type CostAnalysis = Schemas["CostAnalysis"];
export type CostBreakdown = Schemas["CostBreakdown"];
export type CostPeriod = Schemas["CostPeriod"];
export type ProviderCatalog = Schemas["ProviderCatalog"];
export type CostAnalysisQuery = QueryOf<"/cost-analysis", "get">;
export type CostBreakdownQuery = QueryOf<"/cost-analysis/breakdown", "get">;
export type Notification = Schemas["Notification"];
export type NotificationList = Schemas["NotificationList"];

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

class AuthResource {
  constructor(private readonly client: SkyClustClient) {}

  /** `POST /auth/register`; the client keeps the returned token. */
  async register(body: RegisterRequest): Promise<AuthResponse> {
    const session = await this.client.call(this.client.http.POST("/auth/register", { body }));
    this.client.setToken(session.token);
    return session;
  }

  /** `POST /auth/login`; the client keeps the returned token. */
  async login(body: LoginRequest): Promise<AuthResponse> {
    const session = await this.client.call(this.client.http.POST("/auth/login", { body }));
    this.client.setToken(session.token);
    return session;
  }

  /** `POST /auth/logout`: revokes the token on the server and forgets it here. */
  async logout(): Promise<void> {
    await this.client.call(this.client.http.POST("/auth/logout"));
    this.client.setToken(undefined);
  }

  /** `GET /auth/me`. */
  me(): Promise<CurrentUser> {
    return this.client.call(this.client.http.GET("/auth/me"));
  }
}

class HealthResource {
  constructor(private readonly client: SkyClustClient) {}

  /** `GET /health`. */
  get(): Promise<Health> {
    return this.client.call(this.client.http.GET("/health"));
  }

  /** `GET /health/db` (needs `system:read`). */
  db(): Promise<DbHealth> {
    return this.client.call(this.client.http.GET("/health/db"));
  }

  /** `GET /health/redis` (needs `system:read`). */
  redis(): Promise<RedisHealth> {
    return this.client.call(this.client.http.GET("/health/redis"));
  }
}

class ApiKeysResource {
  constructor(private readonly client: SkyClustClient) {}

  /** `GET /api-keys`. */
  list(query: ListApiKeysQuery = {}): Promise<ApiKeyList> {
    return this.client.call(this.client.http.GET("/api-keys", { params: { query: query as QueryOf<"/api-keys", "get"> } }));
  }

  /** Every item of `GET /api-keys`, page after page (`limit` is the page size, default 100). */
  iterate(query: ListApiKeysQuery = {}): AsyncGenerator<ApiKey, void, undefined> {
    return paginate((page: ListApiKeysQuery) => this.list(page), (page) => page.api_keys, query);
  }

  /** `POST /api-keys`: the answer's `key` is shown this once. */
  create(body: CreateApiKeyRequest): Promise<CreatedApiKey> {
    return this.client.call(this.client.http.POST("/api-keys", { body }));
  }

  /** `DELETE /api-keys/{id}`. */
  async delete(id: string): Promise<void> {
    await this.client.call(this.client.http.DELETE("/api-keys/{id}", { params: { path: { id } } }));
  }
}

class UsersResource {
  constructor(private readonly client: SkyClustClient) {}

  /** `GET /users`. */
  list(query: ListUsersQuery = {}): Promise<UserList> {
    return this.client.call(this.client.http.GET("/users", { params: { query: query as QueryOf<"/users", "get"> } }));
  }

  /** Every item of `GET /users`, page after page (`limit` is the page size, default 100). */
  iterate(query: ListUsersQuery = {}): AsyncGenerator<User, void, undefined> {
    return paginate((page: ListUsersQuery) => this.list(page), (page) => page.users, query);
  }

  /** `POST /users`. */
  create(body: CreateUserRequest): Promise<User> {
    return this.client.call(this.client.http.POST("/users", { body }));
  }

  /** `GET /users/{id}`. */
  get(id: string): Promise<User> {
    return this.client.call(this.client.http.GET("/users/{id}", { params: { path: { id } } }));
  }

  /** `PUT /users/{id}`. */
  update(id: string, body: UpdateUserRequest): Promise<User> {
    return this.client.call(this.client.http.PUT("/users/{id}", { params: { path: { id } }, body }));
  }

  /** `DELETE /users/{id}`. */
  async delete(id: string): Promise<void> {
    await this.client.call(this.client.http.DELETE("/users/{id}", { params: { path: { id } } }));
  }
}

class AuditLogsResource {
  constructor(private readonly client: SkyClustClient) {}

  /** `GET /audit-logs`. */
  list(query: ListAuditLogsQuery = {}): Promise<AuditLogList> {
    return this.client.call(this.client.http.GET("/audit-logs", { params: { query: query as QueryOf<"/audit-logs", "get"> } }));
  }

  /** Every item of `GET /audit-logs`, page after page (`limit` is the page size, default 100). */
  iterate(query: ListAuditLogsQuery = {}): AsyncGenerator<AuditLog, void, undefined> {
    return paginate((page: ListAuditLogsQuery) => this.list(page), (page) => page.audit_logs, query);
  }
}

class WorkspacesResource {
  constructor(private readonly client: SkyClustClient) {}

  /** `GET /workspaces`: the workspaces you own or belong to (admins: all). */
  list(query: ListWorkspacesQuery = {}): Promise<WorkspaceList> {
    return this.client.call(this.client.http.GET("/workspaces", { params: { query: query as QueryOf<"/workspaces", "get"> } }));
  }

  /** Every item of `GET /workspaces`, page after page (`limit` is the page size, default 100). */
  iterate(query: ListWorkspacesQuery = {}): AsyncGenerator<Workspace, void, undefined> {
    return paginate((page: ListWorkspacesQuery) => this.list(page), (page) => page.workspaces, query);
  }

  /** `POST /workspaces`. */
  create(body: CreateWorkspaceRequest): Promise<Workspace> {
    return this.client.call(this.client.http.POST("/workspaces", { body }));
  }

  /** `GET /workspaces/{id}`. */
  get(id: string): Promise<Workspace> {
    return this.client.call(this.client.http.GET("/workspaces/{id}", { params: { path: { id } } }));
  }

  /** `PUT /workspaces/{id}`. */
  update(id: string, body: UpdateWorkspaceRequest): Promise<Workspace> {
    return this.client.call(this.client.http.PUT("/workspaces/{id}", { params: { path: { id } }, body }));
  }

  /** `DELETE /workspaces/{id}`. */
  async delete(id: string): Promise<void> {
    await this.client.call(this.client.http.DELETE("/workspaces/{id}", { params: { path: { id } } }));
  }

  /** `GET /workspaces/{id}/members`. */
  members(id: string, query: ListMembersQuery = {}): Promise<MemberList> {
    const strict = query as QueryOf<"/workspaces/{id}/members", "get">;
    return this.client.call(this.client.http.GET("/workspaces/{id}/members", { params: { path: { id }, query: strict } }));
  }

  /** Every member of workspace `id`, page after page (`limit` is the page size, default 100). */
  iterateMembers(id: string, query: ListMembersQuery = {}): AsyncGenerator<WorkspaceMember, void, undefined> {
    return paginate((page: ListMembersQuery) => this.members(id, page), (page) => page.members, query);
  }

  /** `POST /workspaces/{id}/members`. */
  addMember(id: string, body: AddMemberRequest): Promise<WorkspaceMember> {
    return this.client.call(this.client.http.POST("/workspaces/{id}/members", { params: { path: { id } }, body }));
  }

  /** `DELETE /workspaces/{id}/members/{user_id}`. */
  async removeMember(id: string, userId: string): Promise<void> {
    await this.client.call(
      this.client.http.DELETE("/workspaces/{id}/members/{user_id}", { params: { path: { id, user_id: userId } } }),
    );
  }
}

class CredentialsResource {
  constructor(private readonly client: SkyClustClient) {}

  /** `GET /credentials`. */
  list(query: ListCredentialsQuery = {}): Promise<CredentialList> {
    return this.client.call(this.client.http.GET("/credentials", { params: { query: query as QueryOf<"/credentials", "get"> } }));
  }

  /** Every item of `GET /credentials`, page after page (`limit` is the page size, default 100). */
  iterate(query: ListCredentialsQuery = {}): AsyncGenerator<Credential, void, undefined> {
    return paginate((page: ListCredentialsQuery) => this.list(page), (page) => page.credentials, query);
  }

  /** `POST /credentials`: answers carry a masked `hint`, never the secrets. */
  create(body: CreateCredentialRequest): Promise<Credential> {
    return this.client.call(this.client.http.POST("/credentials", { body }));
  }

  /** `GET /credentials/{id}`. */
  get(id: string): Promise<Credential> {
    return this.client.call(this.client.http.GET("/credentials/{id}", { params: { path: { id } } }));
  }

  /** `PUT /credentials/{id}`. */
  update(id: string, body: UpdateCredentialRequest): Promise<Credential> {
    return this.client.call(this.client.http.PUT("/credentials/{id}", { params: { path: { id } }, body }));
  }

  /** `DELETE /credentials/{id}`. */
  async delete(id: string): Promise<void> {
    await this.client.call(this.client.http.DELETE("/credentials/{id}", { params: { path: { id } } }));
  }

  /**
   * `GET /credentials/{id}/instances`: what the credential's account runs, each instance
   * `managed` (with `vm_id` when you can see the VM) or not; `failed_regions` names the regions
   * the provider did not answer for.
   */
  instances(id: string, query: ListInstancesQuery = {}): Promise<InstanceList> {
    const strict = query as QueryOf<"/credentials/{id}/instances", "get">;
    return this.client.call(this.client.http.GET("/credentials/{id}/instances", { params: { path: { id }, query: strict } }));
  }

  /** Every instance of `GET /credentials/{id}/instances`, page after page. */
  iterateInstances(id: string, query: ListInstancesQuery = {}): AsyncGenerator<DiscoveredInstance, void, undefined> {
    return paginate((page: ListInstancesQuery) => this.instances(id, page), (page) => page.instances, query);
  }
}

class NotificationsResource {
  constructor(private readonly client: SkyClustClient) {}

  /** `GET /notifications`. */
  list(query: ListNotificationsQuery = {}): Promise<NotificationList> {
    return this.client.call(this.client.http.GET("/notifications", { params: { query: query as QueryOf<"/notifications", "get"> } }));
  }

  /** Every item of `GET /notifications`, page after page (`limit` is the page size, default 100). */
  iterate(query: ListNotificationsQuery = {}): AsyncGenerator<Notification, void, undefined> {
    return paginate((page: ListNotificationsQuery) => this.list(page), (page) => page.notifications, query);
  }

  /** `PUT /notifications/{id}/read`. */
  async markRead(id: string): Promise<void> {
    await this.client.call(this.client.http.PUT("/notifications/{id}/read", { params: { path: { id } } }));
  }

  /** `PUT /notifications/read-all`: how many were marked. */
  async markAllRead(): Promise<number> {
    return (await this.client.call(this.client.http.PUT("/notifications/read-all"))).updated;
  }
}

class VmsResource {
  constructor(private readonly client: SkyClustClient) {}

  /** `GET /vms`. */
  list(query: ListVmsQuery = {}): Promise<VmList> {
    return this.client.call(this.client.http.GET("/vms", { params: { query: query as QueryOf<"/vms", "get"> } }));
  }

  /** Every item of `GET /vms`, page after page (`limit` is the page size, default 100). */
  iterate(query: ListVmsQuery = {}): AsyncGenerator<Vm, void, undefined> {
    return paginate((page: ListVmsQuery) => this.list(page), (page) => page.vms, query);
  }

  /**
   * `POST /vms`: answers at once with the VM `pending`; see {@link VmsResource.waitUntil}.
   * With an `idempotencyKey`, repeating the call with the same key and request (for a day)
   * answers the first VM instead of creating another; the key with another request is a
   * `CONFLICT`.
   */
  create(body: CreateVmRequest, idempotencyKey?: string): Promise<Vm> {
    const header = idempotencyKey === undefined ? {} : { "Idempotency-Key": idempotencyKey };
    return this.client.call(this.client.http.POST("/vms", { body, params: { header } }));
  }

  /** `GET /vms/{id}`. */
  get(id: string): Promise<Vm> {
    return this.client.call(this.client.http.GET("/vms/{id}", { params: { path: { id } } }));
  }

  /**
   * `DELETE /vms/{id}`: answers at once with the VM `terminating`. With `release: true`
   * SkyClust stops managing the VM and leaves its instance running, untagged (the answer is
   * the VM `terminated`, released).
   */
  delete(id: string, options: { release?: boolean } = {}): Promise<Vm> {
    const query = options.release ? { release: true } : {};
    return this.client.call(this.client.http.DELETE("/vms/{id}", { params: { path: { id }, query } }));
  }

  /** `POST /vms/import`: brings an existing instance (see `credentials.instances`) under management. */
  import(body: ImportVmRequest): Promise<Vm> {
    return this.client.call(this.client.http.POST("/vms/import", { body }));
  }

  /** `POST /vms/{id}/start`. */
  start(id: string): Promise<Vm> {
    return this.client.call(this.client.http.POST("/vms/{id}/start", { params: { path: { id } } }));
  }

  /** `POST /vms/{id}/stop`. */
  stop(id: string): Promise<Vm> {
    return this.client.call(this.client.http.POST("/vms/{id}/stop", { params: { path: { id } } }));
  }

  /** `POST /vms/{id}/reboot`. */
  reboot(id: string): Promise<Vm> {
    return this.client.call(this.client.http.POST("/vms/{id}/reboot", { params: { path: { id } } }));
  }

  /** Polls until the VM is `status` (or `error`/`terminated`, which end the wait). */
  async waitUntil(id: string, status: VmStatus, timeoutMs = 300_000, intervalMs = 1000): Promise<Vm> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const vm = await this.get(id);
      if (vm.status === status || vm.status === "error" || vm.status === "terminated") return vm;
      if (Date.now() >= deadline) {
        throw new TimeoutError(0, "TIMEOUT", `the VM is ${vm.status} after ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

class CostAnalysisResource {
  constructor(private readonly client: SkyClustClient) {}

  /** `GET /cost-analysis`: total, per provider and per UTC day (estimates; see `source`). */
  get(query: CostAnalysisQuery = {}): Promise<CostAnalysis> {
    return this.client.call(this.client.http.GET("/cost-analysis", { params: { query } }));
  }

  /** `GET /cost-analysis/breakdown`: one provider's cost per service (aws: `EC2`, `EBS`). */
  breakdown(query: CostBreakdownQuery): Promise<CostBreakdown> {
    return this.client.call(this.client.http.GET("/cost-analysis/breakdown", { params: { query } }));
  }
}

class ProvidersResource {
  constructor(private readonly client: SkyClustClient) {}

  /** `GET /providers`. */
  list(): Promise<ProviderCatalog> {
    return this.client.call(this.client.http.GET("/providers", {}));
  }
}

class EventsResource {
  constructor(private readonly source: EventStreamSource) {}

  /**
   * `GET /ws`: the events you may see, as an `AsyncIterable`, authenticated with the client's
   * token or API key (the one current at each connect). The connection starts at once;
   * `await subscription.ready` before acting if the first events matter. Reconnects with
   * full-jitter backoff and re-subscribes after a dropped connection; a close with 4001 ends
   * the iteration with an {@link UnauthorizedError} (`closeCode` 4001); `break` closes the socket.
   *
   * ```ts
   * for await (const event of client.events.subscribe({ types: ["vm_status_changed"], workspaceId })) {
   *   console.log(event.data.vm_id, event.data.status);
   * }
   * ```
   */
  subscribe<K extends EventType = EventType>(options: SubscribeOptions<K> = {}): EventSubscription<EventOf<K>> {
    return new EventSubscription<EventOf<K>>(this.source, options);
  }
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
