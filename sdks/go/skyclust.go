// Package skyclust is the Go SDK of the SkyClust API, in the shape of the API document's
// example:
//
//	client := skyclust.NewClient("http://localhost:8080/api/v1", "your-jwt-token")
//	workspaces, err := client.Workspaces.List()
//	vm, err := client.VMs.Create(skyclust.CreateVMRequest{
//	    Name: "my-vm", Provider: "aws", InstanceType: "t3.micro", Region: "us-east-1",
//	})
//
// Calls go through the client generated from openapi.json (package api); this package adds
// authentication, retries of idempotent calls honouring Retry-After, typed errors and list
// iteration. Every operation of the API has a method here (see Operations).
package skyclust

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/skyclust/sdk-go/api"
)

// The API's models, under the names the API document uses.
type (
	AuthResponse            = api.AuthResponse
	CurrentUser             = api.CurrentUser
	RegisterRequest         = api.RegisterRequest
	LoginRequest            = api.LoginRequest
	Health                  = api.Health
	DbHealth                = api.DbHealth
	RedisHealth             = api.RedisHealth
	APIKey                  = api.ApiKey
	APIKeyList              = api.ApiKeyList
	CreatedAPIKey           = api.CreatedApiKey
	CreateAPIKeyRequest     = api.CreateApiKeyRequest
	User                    = api.User
	UserList                = api.UserList
	CreateUserRequest       = api.CreateUserRequest
	UpdateUserRequest       = api.UpdateUserRequest
	AuditLog                = api.AuditLog
	AuditLogList            = api.AuditLogList
	Workspace               = api.Workspace
	WorkspaceList           = api.WorkspaceList
	CreateWorkspaceRequest  = api.CreateWorkspaceRequest
	UpdateWorkspaceRequest  = api.UpdateWorkspaceRequest
	WorkspaceMember         = api.WorkspaceMember
	MemberList              = api.MemberList
	AddMemberRequest        = api.AddMemberRequest
	Credential              = api.Credential
	CredentialList          = api.CredentialList
	CreateCredentialRequest = api.CreateCredentialRequest
	UpdateCredentialRequest = api.UpdateCredentialRequest
	Notification            = api.Notification
	NotificationList        = api.NotificationList
	VM                      = api.Vm
	VMList                  = api.VmList
	CreateVMRequest         = api.CreateVmRequest
	ImportVMRequest         = api.ImportVmRequest
	DiscoveredInstance      = api.DiscoveredInstance
	InstanceList            = api.InstanceList
	VMStatus                = api.VmStatus
	Provider                = api.Provider
	CostAnalysis            = api.CostAnalysis
	CostBreakdown           = api.CostBreakdown
	ProviderCatalog         = api.ProviderCatalog
	Pagination              = api.Pagination
)

// Option configures a Client made by NewClient.
type Option func(*Client)

// WithAPIKey authenticates with an API key (the X-API-Key header) instead of a token.
func WithAPIKey(key string) Option {
	return func(c *Client) { c.session.set("", key) }
}

// WithHTTPClient sends requests through httpClient (its Transport is wrapped, not replaced).
func WithHTTPClient(httpClient *http.Client) Option {
	return func(c *Client) { c.base = httpClient }
}

// WithRetry sets how failed idempotent calls are retried; NoRetry disables retries.
func WithRetry(policy RetryPolicy) Option {
	return func(c *Client) { c.retry = policy }
}

// Client calls one SkyClust server. It is safe for concurrent use; WithContext gives a copy
// whose calls use another context, sharing the session.
type Client struct {
	Auth          *AuthService
	Health        *HealthService
	APIKeys       *APIKeysService
	Users         *UsersService
	AuditLogs     *AuditLogsService
	Workspaces    *WorkspacesService
	Credentials   *CredentialsService
	Notifications *NotificationsService
	VMs           *VMsService
	CostAnalysis  *CostAnalysisService
	Providers     *ProvidersService
	Events        *EventsService

	api     *api.APIClient
	session *session
	ctx     context.Context
	base    *http.Client
	retry   RetryPolicy
	invalid *Error
}

// NewClient returns a client of the server at baseURL (ending in /api/v1), authenticated with
// token when it is not empty.
func NewClient(baseURL, token string, options ...Option) *Client {
	c := &Client{session: &session{}, ctx: context.Background(), retry: DefaultRetryPolicy()}
	c.session.set(token, "")
	for _, option := range options {
		option(c)
	}
	base := c.base
	if base == nil {
		base = &http.Client{Timeout: 30 * time.Second}
	}
	next := base.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	httpClient := *base
	httpClient.Transport = &authTransport{session: c.session, next: &retryTransport{policy: c.retry, next: next}}
	// The API never redirects, and a redirect followed would carry the credentials (added by
	// the transport at every hop) and a request body with a password or cloud secret to
	// wherever it points: the 3xx is answered as it is, as an error.
	httpClient.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	config := api.NewConfiguration()
	config.HTTPClient = &httpClient
	config.UserAgent = "skyclust-sdk-go"
	config.Servers = api.ServerConfigurations{{URL: strings.TrimRight(baseURL, "/")}}
	if parsed, err := url.Parse(baseURL); err == nil && (parsed.Scheme == "http" || parsed.Scheme == "https") && parsed.Host != "" {
		config.Host, config.Scheme = parsed.Host, parsed.Scheme
	} else {
		// Reported by every call, rather than as a transport error about an empty scheme.
		c.invalid = &Error{Code: "INVALID_REQUEST", Message: fmt.Sprintf("the base URL %q is not an absolute http(s) URL such as http://localhost:8080/api/v1", baseURL)}
	}
	c.api = api.NewAPIClient(config)
	c.bind()
	return c
}

// WithContext returns a copy of the client whose calls use ctx (for deadlines and
// cancellation); it shares the session with c.
func (c *Client) WithContext(ctx context.Context) *Client {
	copied := *c
	copied.ctx = ctx
	copied.bind()
	return &copied
}

// Token is the token the client authenticates with ("" when none).
func (c *Client) Token() string {
	token, _ := c.session.get()
	return token
}

// SetToken authenticates later calls with token ("" for none).
func (c *Client) SetToken(token string) { c.session.set(token, "") }

// SetAPIKey authenticates later calls with an API key instead.
func (c *Client) SetAPIKey(key string) { c.session.set("", key) }

func (c *Client) bind() {
	c.Auth = &AuthService{c}
	c.Health = &HealthService{c}
	c.APIKeys = &APIKeysService{c}
	c.Users = &UsersService{c}
	c.AuditLogs = &AuditLogsService{c}
	c.Workspaces = &WorkspacesService{c}
	c.Credentials = &CredentialsService{c}
	c.Notifications = &NotificationsService{c}
	c.VMs = &VMsService{c}
	c.CostAnalysis = &CostAnalysisService{c}
	c.Providers = &ProvidersService{c}
	c.Events = &EventsService{c}
}

// session holds the credentials every call carries; sign-in and sign-out change them.
type session struct {
	mu     sync.RWMutex
	token  string
	apiKey string
}

func (s *session) set(token, apiKey string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token, s.apiKey = token, apiKey
}

func (s *session) get() (string, string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.token, s.apiKey
}

type authTransport struct {
	session *session
	next    http.RoundTripper
}

func (t *authTransport) RoundTrip(request *http.Request) (*http.Response, error) {
	token, apiKey := t.session.get()
	if token == "" && apiKey == "" {
		return t.next.RoundTrip(request)
	}
	request = request.Clone(request.Context())
	if token != "" {
		request.Header.Set("Authorization", "Bearer "+token)
	} else {
		request.Header.Set("X-API-Key", apiKey)
	}
	return t.next.RoundTrip(request)
}
