/** One class per resource of the client (`client.vms`, `client.workspaces`, …). */
import {
  EventSubscription,
  type EventOf,
  type EventStreamSource,
  type EventType,
  type SubscribeOptions,
} from "./events.js";
import { TimeoutError } from "./errors.js";
import type { SkyClustClient } from "./index.js";
import { paginate } from "./pages.js";
import type {
  QueryOf,
  User,
  AuthResponse,
  CurrentUser,
  RegisterRequest,
  LoginRequest,
  Health,
  DbHealth,
  RedisHealth,
  ApiKey,
  ApiKeyList,
  CreatedApiKey,
  CreateApiKeyRequest,
  UserList,
  CreateUserRequest,
  UpdateUserRequest,
  AuditLog,
  AuditLogList,
  ListApiKeysQuery,
  ListUsersQuery,
  ListAuditLogsQuery,
  ListWorkspacesQuery,
  ListMembersQuery,
  ListCredentialsQuery,
  ListNotificationsQuery,
  Workspace,
  WorkspaceList,
  CreateWorkspaceRequest,
  UpdateWorkspaceRequest,
  WorkspaceMember,
  MemberList,
  AddMemberRequest,
  Credential,
  CredentialList,
  CreateCredentialRequest,
  UpdateCredentialRequest,
  Vm,
  VmList,
  VmStatus,
  CreateVmRequest,
  ListVmsQuery,
  DiscoveredInstance,
  InstanceList,
  ImportVmRequest,
  ListInstancesQuery,
  CostAnalysis,
  CostBreakdown,
  ProviderCatalog,
  CostAnalysisQuery,
  CostBreakdownQuery,
  Notification,
  NotificationList,
} from "./types.js";

export class AuthResource {
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

export class HealthResource {
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

export class ApiKeysResource {
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

export class UsersResource {
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

export class AuditLogsResource {
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

export class WorkspacesResource {
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

export class CredentialsResource {
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

export class NotificationsResource {
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

export class VmsResource {
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

export class CostAnalysisResource {
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

export class ProvidersResource {
  constructor(private readonly client: SkyClustClient) {}

  /** `GET /providers`. */
  list(): Promise<ProviderCatalog> {
    return this.client.call(this.client.http.GET("/providers", {}));
  }
}

export class EventsResource {
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
