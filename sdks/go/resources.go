package skyclust

import (
	"context"
	"net/http"
	"time"

	"github.com/skyclust/sdk-go/api"
)

// Query narrows, orders or pages a list: any setters of the generated request, e.g.
//
//	client.VMs.List(func(r api.ApiListVmsRequest) api.ApiListVmsRequest {
//	    return r.Status([]api.VmStatus{api.VMSTATUS_RUNNING}).Sort("name:asc")
//	})
type Query[R any] func(R) R

func apply[R any](request R, queries []Query[R]) R {
	for _, query := range queries {
		request = query(request)
	}
	return request
}

type enveloped[T any] interface{ GetData() T }

// data runs a generated call and unwraps its envelope's data.
func data[T any, R enveloped[T]](c *Client, run func(context.Context) (R, *http.Response, error)) (*T, error) {
	if c.invalid != nil {
		return nil, c.invalid
	}
	envelope, response, err := run(c.ctx)
	if err != nil {
		return nil, failure(err, response)
	}
	value := envelope.GetData()
	return &value, nil
}

// done runs a generated call whose answer carries no data.
func done[R any](c *Client, run func(context.Context) (R, *http.Response, error)) error {
	if c.invalid != nil {
		return c.invalid
	}
	_, response, err := run(c.ctx)
	if err != nil {
		return failure(err, response)
	}
	return nil
}

// AuthService: sign-up, sign-in, sign-out and the current user.
type AuthService struct{ c *Client }

// Register creates an account; later calls carry its token.
func (s *AuthService) Register(request RegisterRequest) (*AuthResponse, error) {
	session, err := data[api.AuthResponse](s.c, func(ctx context.Context) (*api.Login200Response, *http.Response, error) {
		return s.c.api.AuthAPI.Register(ctx).RegisterRequest(request).Execute()
	})
	if err == nil {
		s.c.SetToken(session.Token)
	}
	return session, err
}

// Login signs in; later calls carry the token.
func (s *AuthService) Login(email, password string) (*AuthResponse, error) {
	session, err := data[api.AuthResponse](s.c, func(ctx context.Context) (*api.Login200Response, *http.Response, error) {
		return s.c.api.AuthAPI.Login(ctx).LoginRequest(*api.NewLoginRequest(email, password)).Execute()
	})
	if err == nil {
		s.c.SetToken(session.Token)
	}
	return session, err
}

// Logout revokes the token; later calls carry none.
func (s *AuthService) Logout() error {
	err := done(s.c, func(ctx context.Context) (*api.DeleteApiKey200Response, *http.Response, error) {
		return s.c.api.AuthAPI.Logout(ctx).Execute()
	})
	if err == nil {
		s.c.SetToken("")
	}
	return err
}

// Me is the caller, with their permissions and how they authenticated.
func (s *AuthService) Me() (*CurrentUser, error) {
	return data[api.CurrentUser](s.c, func(ctx context.Context) (*api.GetCurrentUser200Response, *http.Response, error) {
		return s.c.api.AuthAPI.GetCurrentUser(ctx).Execute()
	})
}

// HealthService: the server's health endpoints.
type HealthService struct{ c *Client }

// Get is the overall health (process figures for admins).
func (s *HealthService) Get() (*Health, error) {
	return data[api.Health](s.c, func(ctx context.Context) (*api.GetHealth200Response, *http.Response, error) {
		return s.c.api.HealthAPI.GetHealth(ctx).Execute()
	})
}

// DB is the database's health (admins).
func (s *HealthService) DB() (*DbHealth, error) {
	return data[api.DbHealth](s.c, func(ctx context.Context) (*api.GetDbHealth200Response, *http.Response, error) {
		return s.c.api.HealthAPI.GetDbHealth(ctx).Execute()
	})
}

// Redis is the Redis connection's health (admins).
func (s *HealthService) Redis() (*RedisHealth, error) {
	return data[api.RedisHealth](s.c, func(ctx context.Context) (*api.GetRedisHealth200Response, *http.Response, error) {
		return s.c.api.HealthAPI.GetRedisHealth(ctx).Execute()
	})
}

// APIKeysService: the caller's API keys.
type APIKeysService struct{ c *Client }

// List is a page of the caller's keys.
func (s *APIKeysService) List(query ...Query[api.ApiListApiKeysRequest]) (*APIKeyList, error) {
	return data[api.ApiKeyList](s.c, func(ctx context.Context) (*api.ListApiKeys200Response, *http.Response, error) {
		return apply(s.c.api.ApiKeysAPI.ListApiKeys(ctx), query).Execute()
	})
}

// Iterate walks every key matching query, page by page.
func (s *APIKeysService) Iterate(query ...Query[api.ApiListApiKeysRequest]) *Iterator[APIKey] {
	return iterate(func(limit, offset int64) ([]APIKey, *Pagination, error) {
		page, err := s.List(append(query, func(r api.ApiListApiKeysRequest) api.ApiListApiKeysRequest { return r.Limit(limit).Offset(offset) })...)
		if err != nil {
			return nil, nil, err
		}
		return page.ApiKeys, &page.Pagination, nil
	})
}

// Create makes a key; its secret is in the answer only.
func (s *APIKeysService) Create(request CreateAPIKeyRequest) (*CreatedAPIKey, error) {
	return data[api.CreatedApiKey](s.c, func(ctx context.Context) (*api.CreateApiKey201Response, *http.Response, error) {
		return s.c.api.ApiKeysAPI.CreateApiKey(ctx).CreateApiKeyRequest(request).Execute()
	})
}

// Delete revokes a key.
func (s *APIKeysService) Delete(id string) error {
	return done(s.c, func(ctx context.Context) (*api.DeleteApiKey200Response, *http.Response, error) {
		return s.c.api.ApiKeysAPI.DeleteApiKey(ctx, id).Execute()
	})
}

// UsersService: accounts (admins).
type UsersService struct{ c *Client }

// List is a page of users.
func (s *UsersService) List(query ...Query[api.ApiListUsersRequest]) (*UserList, error) {
	return data[api.UserList](s.c, func(ctx context.Context) (*api.ListUsers200Response, *http.Response, error) {
		return apply(s.c.api.UsersAPI.ListUsers(ctx), query).Execute()
	})
}

// Iterate walks every user matching query.
func (s *UsersService) Iterate(query ...Query[api.ApiListUsersRequest]) *Iterator[User] {
	return iterate(func(limit, offset int64) ([]User, *Pagination, error) {
		page, err := s.List(append(query, func(r api.ApiListUsersRequest) api.ApiListUsersRequest { return r.Limit(limit).Offset(offset) })...)
		if err != nil {
			return nil, nil, err
		}
		return page.Users, &page.Pagination, nil
	})
}

// Create makes an account with a chosen role.
func (s *UsersService) Create(request CreateUserRequest) (*User, error) {
	return data[api.User](s.c, func(ctx context.Context) (*api.CreateUser201Response, *http.Response, error) {
		return s.c.api.UsersAPI.CreateUser(ctx).CreateUserRequest(request).Execute()
	})
}

// Get is one user.
func (s *UsersService) Get(id string) (*User, error) {
	return data[api.User](s.c, func(ctx context.Context) (*api.CreateUser201Response, *http.Response, error) {
		return s.c.api.UsersAPI.GetUser(ctx, id).Execute()
	})
}

// Update changes a user's name, role or activity.
func (s *UsersService) Update(id string, request UpdateUserRequest) (*User, error) {
	return data[api.User](s.c, func(ctx context.Context) (*api.CreateUser201Response, *http.Response, error) {
		return s.c.api.UsersAPI.UpdateUser(ctx, id).UpdateUserRequest(request).Execute()
	})
}

// Delete removes a user.
func (s *UsersService) Delete(id string) error {
	return done(s.c, func(ctx context.Context) (*api.DeleteApiKey200Response, *http.Response, error) {
		return s.c.api.UsersAPI.DeleteUser(ctx, id).Execute()
	})
}

// AuditLogsService: the audit trail (admins).
type AuditLogsService struct{ c *Client }

// List is a page of audit entries.
func (s *AuditLogsService) List(query ...Query[api.ApiListAuditLogsRequest]) (*AuditLogList, error) {
	return data[api.AuditLogList](s.c, func(ctx context.Context) (*api.ListAuditLogs200Response, *http.Response, error) {
		return apply(s.c.api.AuditLogsAPI.ListAuditLogs(ctx), query).Execute()
	})
}

// Iterate walks every entry matching query.
func (s *AuditLogsService) Iterate(query ...Query[api.ApiListAuditLogsRequest]) *Iterator[AuditLog] {
	return iterate(func(limit, offset int64) ([]AuditLog, *Pagination, error) {
		page, err := s.List(append(query, func(r api.ApiListAuditLogsRequest) api.ApiListAuditLogsRequest { return r.Limit(limit).Offset(offset) })...)
		if err != nil {
			return nil, nil, err
		}
		return page.AuditLogs, &page.Pagination, nil
	})
}

// WorkspacesService: workspaces and their members.
type WorkspacesService struct{ c *Client }

// List is a page of the workspaces the caller owns or belongs to.
func (s *WorkspacesService) List(query ...Query[api.ApiListWorkspacesRequest]) (*WorkspaceList, error) {
	return data[api.WorkspaceList](s.c, func(ctx context.Context) (*api.ListWorkspaces200Response, *http.Response, error) {
		return apply(s.c.api.WorkspacesAPI.ListWorkspaces(ctx), query).Execute()
	})
}

// Iterate walks every workspace matching query.
func (s *WorkspacesService) Iterate(query ...Query[api.ApiListWorkspacesRequest]) *Iterator[Workspace] {
	return iterate(func(limit, offset int64) ([]Workspace, *Pagination, error) {
		page, err := s.List(append(query, func(r api.ApiListWorkspacesRequest) api.ApiListWorkspacesRequest {
			return r.Limit(limit).Offset(offset)
		})...)
		if err != nil {
			return nil, nil, err
		}
		return page.Workspaces, &page.Pagination, nil
	})
}

// Create makes a workspace owned by the caller.
func (s *WorkspacesService) Create(request CreateWorkspaceRequest) (*Workspace, error) {
	return data[api.Workspace](s.c, func(ctx context.Context) (*api.CreateWorkspace201Response, *http.Response, error) {
		return s.c.api.WorkspacesAPI.CreateWorkspace(ctx).CreateWorkspaceRequest(request).Execute()
	})
}

// Get is one workspace.
func (s *WorkspacesService) Get(id string) (*Workspace, error) {
	return data[api.Workspace](s.c, func(ctx context.Context) (*api.CreateWorkspace201Response, *http.Response, error) {
		return s.c.api.WorkspacesAPI.GetWorkspace(ctx, id).Execute()
	})
}

// Update changes a workspace's name, description or activity.
func (s *WorkspacesService) Update(id string, request UpdateWorkspaceRequest) (*Workspace, error) {
	return data[api.Workspace](s.c, func(ctx context.Context) (*api.CreateWorkspace201Response, *http.Response, error) {
		return s.c.api.WorkspacesAPI.UpdateWorkspace(ctx, id).UpdateWorkspaceRequest(request).Execute()
	})
}

// Delete removes a workspace (refused while it holds VMs that are not terminated).
func (s *WorkspacesService) Delete(id string) error {
	return done(s.c, func(ctx context.Context) (*api.DeleteApiKey200Response, *http.Response, error) {
		return s.c.api.WorkspacesAPI.DeleteWorkspace(ctx, id).Execute()
	})
}

// Members is a page of a workspace's members.
func (s *WorkspacesService) Members(id string, query ...Query[api.ApiListWorkspaceMembersRequest]) (*MemberList, error) {
	return data[api.MemberList](s.c, func(ctx context.Context) (*api.ListWorkspaceMembers200Response, *http.Response, error) {
		return apply(s.c.api.WorkspacesAPI.ListWorkspaceMembers(ctx, id), query).Execute()
	})
}

// AddMember adds a user, named by exactly one of user id, email or username.
func (s *WorkspacesService) AddMember(id string, request AddMemberRequest) (*WorkspaceMember, error) {
	return data[api.WorkspaceMember](s.c, func(ctx context.Context) (*api.AddWorkspaceMember201Response, *http.Response, error) {
		return s.c.api.WorkspacesAPI.AddWorkspaceMember(ctx, id).AddMemberRequest(request).Execute()
	})
}

// RemoveMember removes a member.
func (s *WorkspacesService) RemoveMember(id, userID string) error {
	return done(s.c, func(ctx context.Context) (*api.DeleteApiKey200Response, *http.Response, error) {
		return s.c.api.WorkspacesAPI.RemoveWorkspaceMember(ctx, id, userID).Execute()
	})
}

// CredentialsService: the caller's cloud credentials (secrets are never answered).
type CredentialsService struct{ c *Client }

// List is a page of the caller's credentials.
func (s *CredentialsService) List(query ...Query[api.ApiListCredentialsRequest]) (*CredentialList, error) {
	return data[api.CredentialList](s.c, func(ctx context.Context) (*api.ListCredentials200Response, *http.Response, error) {
		return apply(s.c.api.CredentialsAPI.ListCredentials(ctx), query).Execute()
	})
}

// Iterate walks every credential matching query.
func (s *CredentialsService) Iterate(query ...Query[api.ApiListCredentialsRequest]) *Iterator[Credential] {
	return iterate(func(limit, offset int64) ([]Credential, *Pagination, error) {
		page, err := s.List(append(query, func(r api.ApiListCredentialsRequest) api.ApiListCredentialsRequest {
			return r.Limit(limit).Offset(offset)
		})...)
		if err != nil {
			return nil, nil, err
		}
		return page.Credentials, &page.Pagination, nil
	})
}

// Create stores a credential, e.g.
// api.AwsCredentialRequestAsCreateCredentialRequest(api.NewAwsCredentialRequest(...)).
func (s *CredentialsService) Create(request CreateCredentialRequest) (*Credential, error) {
	return data[api.Credential](s.c, func(ctx context.Context) (*api.CreateCredential201Response, *http.Response, error) {
		return s.c.api.CredentialsAPI.CreateCredential(ctx).CreateCredentialRequest(request).Execute()
	})
}

// Get is one credential.
func (s *CredentialsService) Get(id string) (*Credential, error) {
	return data[api.Credential](s.c, func(ctx context.Context) (*api.CreateCredential201Response, *http.Response, error) {
		return s.c.api.CredentialsAPI.GetCredential(ctx, id).Execute()
	})
}

// Update renames, re-keys or (de)activates a credential.
func (s *CredentialsService) Update(id string, request UpdateCredentialRequest) (*Credential, error) {
	return data[api.Credential](s.c, func(ctx context.Context) (*api.CreateCredential201Response, *http.Response, error) {
		return s.c.api.CredentialsAPI.UpdateCredential(ctx, id).UpdateCredentialRequest(request).Execute()
	})
}

// Delete removes a credential.
func (s *CredentialsService) Delete(id string) error {
	return done(s.c, func(ctx context.Context) (*api.DeleteApiKey200Response, *http.Response, error) {
		return s.c.api.CredentialsAPI.DeleteCredential(ctx, id).Execute()
	})
}

// Instances is a page of the instances the credential's account runs, each managed or not;
// FailedRegions names the regions the provider did not answer for.
func (s *CredentialsService) Instances(id string, query ...Query[api.ApiListCredentialInstancesRequest]) (*InstanceList, error) {
	return data[api.InstanceList](s.c, func(ctx context.Context) (*api.ListCredentialInstances200Response, *http.Response, error) {
		return apply(s.c.api.CredentialsAPI.ListCredentialInstances(ctx, id), query).Execute()
	})
}

// IterateInstances walks every instance of the credential's account matching query.
func (s *CredentialsService) IterateInstances(id string, query ...Query[api.ApiListCredentialInstancesRequest]) *Iterator[DiscoveredInstance] {
	return iterate(func(limit, offset int64) ([]DiscoveredInstance, *Pagination, error) {
		page, err := s.Instances(id, append(query, func(r api.ApiListCredentialInstancesRequest) api.ApiListCredentialInstancesRequest {
			return r.Limit(limit).Offset(offset)
		})...)
		if err != nil {
			return nil, nil, err
		}
		return page.Instances, &page.Pagination, nil
	})
}

// NotificationsService: the caller's notifications.
type NotificationsService struct{ c *Client }

// List is a page of notifications, with the unread count.
func (s *NotificationsService) List(query ...Query[api.ApiListNotificationsRequest]) (*NotificationList, error) {
	return data[api.NotificationList](s.c, func(ctx context.Context) (*api.ListNotifications200Response, *http.Response, error) {
		return apply(s.c.api.NotificationsAPI.ListNotifications(ctx), query).Execute()
	})
}

// Iterate walks every notification matching query.
func (s *NotificationsService) Iterate(query ...Query[api.ApiListNotificationsRequest]) *Iterator[Notification] {
	return iterate(func(limit, offset int64) ([]Notification, *Pagination, error) {
		page, err := s.List(append(query, func(r api.ApiListNotificationsRequest) api.ApiListNotificationsRequest {
			return r.Limit(limit).Offset(offset)
		})...)
		if err != nil {
			return nil, nil, err
		}
		return page.Notifications, &page.Pagination, nil
	})
}

// MarkRead marks one notification read.
func (s *NotificationsService) MarkRead(id string) error {
	return done(s.c, func(ctx context.Context) (*api.DeleteApiKey200Response, *http.Response, error) {
		return s.c.api.NotificationsAPI.MarkNotificationRead(ctx, id).Execute()
	})
}

// MarkAllRead marks every notification read and says how many changed.
func (s *NotificationsService) MarkAllRead() (int64, error) {
	result, err := data[api.ReadAllResult](s.c, func(ctx context.Context) (*api.MarkAllNotificationsRead200Response, *http.Response, error) {
		return s.c.api.NotificationsAPI.MarkAllNotificationsRead(ctx).Execute()
	})
	if err != nil {
		return 0, err
	}
	return result.Updated, nil
}

// VMsService: virtual machines on every provider.
type VMsService struct{ c *Client }

// List is a page of the VMs the caller can see.
func (s *VMsService) List(query ...Query[api.ApiListVmsRequest]) (*VMList, error) {
	return data[api.VmList](s.c, func(ctx context.Context) (*api.ListVms200Response, *http.Response, error) {
		return apply(s.c.api.VmsAPI.ListVms(ctx), query).Execute()
	})
}

// Iterate walks every VM matching query.
func (s *VMsService) Iterate(query ...Query[api.ApiListVmsRequest]) *Iterator[VM] {
	return iterate(func(limit, offset int64) ([]VM, *Pagination, error) {
		page, err := s.List(append(query, func(r api.ApiListVmsRequest) api.ApiListVmsRequest { return r.Limit(limit).Offset(offset) })...)
		if err != nil {
			return nil, nil, err
		}
		return page.Vms, &page.Pagination, nil
	})
}

// Create stores the VM as pending and queues its creation; without WorkspaceId it goes to
// the caller's personal workspace. A non-empty idempotencyKey (at most one) makes the call
// safe to repeat, and so retried.
func (s *VMsService) Create(request CreateVMRequest, idempotencyKey ...string) (*VM, error) {
	return data[api.Vm](s.c, func(ctx context.Context) (*api.CreateVm202Response, *http.Response, error) {
		call := s.c.api.VmsAPI.CreateVm(ctx).CreateVmRequest(request)
		if len(idempotencyKey) > 0 && idempotencyKey[0] != "" {
			call = call.IdempotencyKey(idempotencyKey[0])
		}
		return call.Execute()
	})
}

// Get is one VM.
func (s *VMsService) Get(id string) (*VM, error) {
	return data[api.Vm](s.c, func(ctx context.Context) (*api.CreateVm202Response, *http.Response, error) {
		return s.c.api.VmsAPI.GetVm(ctx, id).Execute()
	})
}

// Delete terminates a VM (it passes through terminating).
func (s *VMsService) Delete(id string) (*VM, error) {
	return data[api.Vm](s.c, func(ctx context.Context) (*api.CreateVm202Response, *http.Response, error) {
		return s.c.api.VmsAPI.DeleteVm(ctx, id).Execute()
	})
}

// Release stops managing a running or stopped VM and leaves its instance running at the
// provider, untagged; the answer is the VM terminated, released.
func (s *VMsService) Release(id string) (*VM, error) {
	return data[api.Vm](s.c, func(ctx context.Context) (*api.CreateVm202Response, *http.Response, error) {
		return s.c.api.VmsAPI.DeleteVm(ctx, id).Release(true).Execute()
	})
}

// Import brings an existing instance (see CredentialsService.Instances) under management.
func (s *VMsService) Import(request ImportVMRequest) (*VM, error) {
	return data[api.Vm](s.c, func(ctx context.Context) (*api.CreateVm202Response, *http.Response, error) {
		return s.c.api.VmsAPI.ImportVm(ctx).ImportVmRequest(request).Execute()
	})
}

// Start starts a stopped VM.
func (s *VMsService) Start(id string) (*VM, error) {
	return data[api.Vm](s.c, func(ctx context.Context) (*api.CreateVm202Response, *http.Response, error) {
		return s.c.api.VmsAPI.StartVm(ctx, id).Execute()
	})
}

// Stop stops a running VM.
func (s *VMsService) Stop(id string) (*VM, error) {
	return data[api.Vm](s.c, func(ctx context.Context) (*api.CreateVm202Response, *http.Response, error) {
		return s.c.api.VmsAPI.StopVm(ctx, id).Execute()
	})
}

// Reboot reboots a running VM.
func (s *VMsService) Reboot(id string) (*VM, error) {
	return data[api.Vm](s.c, func(ctx context.Context) (*api.CreateVm202Response, *http.Response, error) {
		return s.c.api.VmsAPI.RebootVm(ctx, id).Execute()
	})
}

// WaitUntil polls the VM every interval until it has status, failing with a TIMEOUT error
// after timeout, or with an error if the VM ends in error or terminated first.
func (s *VMsService) WaitUntil(id string, status VMStatus, timeout, interval time.Duration) (*VM, error) {
	deadline := time.Now().Add(timeout)
	for {
		vm, err := s.Get(id)
		if err != nil {
			return nil, err
		}
		if vm.Status == status {
			return vm, nil
		}
		if vm.Status == api.VMSTATUS_ERROR || vm.Status == api.VMSTATUS_TERMINATED {
			return vm, &Error{Code: "INVALID_RESPONSE", Message: "the VM became " + string(vm.Status) + " while waiting for " + string(status)}
		}
		if time.Now().After(deadline) {
			return vm, &Error{Code: "TIMEOUT", Message: "the VM is still " + string(vm.Status) + " after " + timeout.String()}
		}
		select {
		case <-s.c.ctx.Done():
			return nil, &Error{Code: "TIMEOUT", Message: s.c.ctx.Err().Error(), cause: s.c.ctx.Err()}
		case <-time.After(interval):
		}
	}
}

// CostAnalysisService: what the VMs cost.
type CostAnalysisService struct{ c *Client }

// Get is the cost over a period, by provider and by day.
func (s *CostAnalysisService) Get(query ...Query[api.ApiGetCostAnalysisRequest]) (*CostAnalysis, error) {
	return data[api.CostAnalysis](s.c, func(ctx context.Context) (*api.GetCostAnalysis200Response, *http.Response, error) {
		return apply(s.c.api.CostsAPI.GetCostAnalysis(ctx), query).Execute()
	})
}

// Breakdown is one provider's cost by service and resource.
func (s *CostAnalysisService) Breakdown(provider Provider, query ...Query[api.ApiGetCostBreakdownRequest]) (*CostBreakdown, error) {
	return data[api.CostBreakdown](s.c, func(ctx context.Context) (*api.GetCostBreakdown200Response, *http.Response, error) {
		return apply(s.c.api.CostsAPI.GetCostBreakdown(ctx).Provider(provider), query).Execute()
	})
}

// ProvidersService: the provider catalog.
type ProvidersService struct{ c *Client }

// List is every provider with its regions, zones and prices.
func (s *ProvidersService) List() (*ProviderCatalog, error) {
	return data[api.ProviderCatalog](s.c, func(ctx context.Context) (*api.ListProviders200Response, *http.Response, error) {
		return s.c.api.CostsAPI.ListProviders(ctx).Execute()
	})
}

// IterateMembers walks every member of a workspace.
func (s *WorkspacesService) IterateMembers(id string, query ...Query[api.ApiListWorkspaceMembersRequest]) *Iterator[WorkspaceMember] {
	return iterate(func(limit, offset int64) ([]WorkspaceMember, *Pagination, error) {
		page, err := s.Members(id, append(query, func(r api.ApiListWorkspaceMembersRequest) api.ApiListWorkspaceMembersRequest {
			return r.Limit(limit).Offset(offset)
		})...)
		if err != nil {
			return nil, nil, err
		}
		return page.Members, &page.Pagination, nil
	})
}
