/**
 * SkyClust TypeScript SDK: types generated from openapi.json by openapi-typescript
 * (src/schema.d.ts), calls through openapi-fetch, and this small facade in the shape of
 * the seed's example:
 *
 * ```ts
 * const client = new SkyClustClient({ baseURL: "http://localhost:8080/api/v1", token });
 * const me = await client.auth.me();
 * ```
 *
 * Every resource of the API gets a member here in the same change that adds it to the contract.
 */
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, paths } from "./schema.js";

type Schemas = components["schemas"];
export type User = Schemas["User"];
export type AuthResponse = Schemas["AuthResponse"];
export type CurrentUser = Schemas["CurrentUser"];
export type RegisterRequest = Schemas["RegisterRequest"];
export type LoginRequest = Schemas["LoginRequest"];
export type Health = Schemas["Health"];
export type DbHealth = Schemas["DbHealth"];
export type RedisHealth = Schemas["RedisHealth"];
export type ErrorCode = Schemas["ErrorCode"];
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
export type ListApiKeysQuery = QueryOf<"/api-keys", "get">;
export type ListUsersQuery = QueryOf<"/users", "get">;
export type ListAuditLogsQuery = QueryOf<"/audit-logs", "get">;
export type ListWorkspacesQuery = QueryOf<"/workspaces", "get">;
export type ListMembersQuery = QueryOf<"/workspaces/{id}/members", "get">;
export type ListCredentialsQuery = QueryOf<"/credentials", "get">;
export type ListNotificationsQuery = QueryOf<"/notifications", "get">;
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
export type ListVmsQuery = QueryOf<"/vms", "get">;
export type CostAnalysis = Schemas["CostAnalysis"];
export type CostBreakdown = Schemas["CostBreakdown"];
export type CostPeriod = Schemas["CostPeriod"];
export type ProviderCatalog = Schemas["ProviderCatalog"];
export type CostAnalysisQuery = QueryOf<"/cost-analysis", "get">;
export type CostBreakdownQuery = QueryOf<"/cost-analysis/breakdown", "get">;
export type Notification = Schemas["Notification"];
export type NotificationList = Schemas["NotificationList"];

/** Codes the client itself reports (`status` 0): the API could not be reached, or a wait ran out. */
export type ClientErrorCode = "NETWORK_ERROR" | "TIMEOUT";

/** An error answered by the API (or a client-side failure, with `status` 0). */
export class SkyClustError extends Error {
  readonly status: number;
  readonly code: ErrorCode | ClientErrorCode;
  readonly requestId: string | undefined;
  readonly details: unknown;

  constructor(status: number, code: ErrorCode | ClientErrorCode, message: string, requestId?: string, details?: unknown) {
    super(message);
    this.name = "SkyClustError";
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.details = details;
  }

  /** Per-field messages of a `VALIDATION_ERROR` (`data.fields`). */
  get fields(): Record<string, string> {
    const details = this.details as { fields?: Record<string, string> } | undefined;
    return details?.fields ?? {};
  }
}

export interface SkyClustClientOptions {
  /** The API base URL, e.g. `http://localhost:8080/api/v1`. */
  baseURL: string;
  /** A JWT from register or login. */
  token?: string;
  /** An API key (sent as `X-API-Key`). */
  apiKey?: string;
  /** A custom fetch implementation. */
  fetch?: typeof globalThis.fetch;
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
  private token: string | undefined;
  private apiKey: string | undefined;

  constructor(options: SkyClustClientOptions) {
    this.token = options.token;
    this.apiKey = options.apiKey;
    this.http = createClient<paths>({
      baseUrl: options.baseURL.replace(/\/+$/, ""),
      ...(options.fetch ? { fetch: options.fetch } : {}),
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

  /** Unwraps the envelope of a call, throwing {@link SkyClustError} for error answers. */
  async call<R extends FetchResult>(request: Promise<R>): Promise<DataOf<R>> {
    let result: R;
    try {
      result = await request;
    } catch (cause) {
      throw new SkyClustError(0, "NETWORK_ERROR", `cannot reach the API: ${String(cause)}`);
    }
    const { data, error, response } = result;
    if (!response.ok || error !== undefined) {
      const envelope = error as Partial<ErrorResponse> | undefined;
      throw new SkyClustError(
        response.status,
        envelope?.code ?? "INTERNAL_ERROR",
        envelope?.error ?? `HTTP ${response.status}`,
        envelope?.request_id ?? response.headers.get("x-request-id") ?? undefined,
        envelope?.data,
      );
    }
    return (data as { data?: unknown } | undefined)?.data as DataOf<R>;
  }
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
    return this.client.call(this.client.http.GET("/api-keys", { params: { query } }));
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
    return this.client.call(this.client.http.GET("/users", { params: { query } }));
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
    return this.client.call(this.client.http.GET("/audit-logs", { params: { query } }));
  }
}

class WorkspacesResource {
  constructor(private readonly client: SkyClustClient) {}

  /** `GET /workspaces`: the workspaces you own or belong to (admins: all). */
  list(query: ListWorkspacesQuery = {}): Promise<WorkspaceList> {
    return this.client.call(this.client.http.GET("/workspaces", { params: { query } }));
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
    return this.client.call(this.client.http.GET("/workspaces/{id}/members", { params: { path: { id }, query } }));
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
    return this.client.call(this.client.http.GET("/credentials", { params: { query } }));
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
}

class NotificationsResource {
  constructor(private readonly client: SkyClustClient) {}

  /** `GET /notifications`. */
  list(query: ListNotificationsQuery = {}): Promise<NotificationList> {
    return this.client.call(this.client.http.GET("/notifications", { params: { query } }));
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
    return this.client.call(this.client.http.GET("/vms", { params: { query } }));
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

  /** `DELETE /vms/{id}`: answers at once with the VM `terminating`. */
  delete(id: string): Promise<Vm> {
    return this.client.call(this.client.http.DELETE("/vms/{id}", { params: { path: { id } } }));
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
        throw new SkyClustError(0, "TIMEOUT", `the VM is ${vm.status} after ${timeoutMs} ms`);
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
