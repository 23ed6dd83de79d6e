/** The API's models and list queries, named after the schemas of openapi.json. */
import type { components, paths } from "./schema.js";

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
/** The query parameters of the operation at `path` with method `M`. */
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
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
