package skyclust_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	skyclust "github.com/skyclust/sdk-go"
	"github.com/skyclust/sdk-go/api"
)

// The live server scripts/conformance.sh starts; the live tests fail without it when
// SKYCLUST_GO_LIVE=required (as the conformance run sets) and are skipped otherwise.
func liveServer(t *testing.T) string {
	t.Helper()
	base := os.Getenv("SKYCLUST_BASE_URL")
	if base == "" {
		if os.Getenv("SKYCLUST_GO_LIVE") == "required" {
			t.Fatal("SKYCLUST_BASE_URL is not set")
		}
		t.Skip("no live server (SKYCLUST_BASE_URL)")
	}
	return base
}

func registered(t *testing.T, base string) (*skyclust.Client, *skyclust.AuthResponse) {
	t.Helper()
	client := skyclust.NewClient(base, "")
	name := fmt.Sprintf("go_%d", time.Now().UnixNano()%1_000_000_000_000)
	session, err := client.Auth.Register(*api.NewRegisterRequest(name, name+"@example.com", "password-"+name))
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	return client, session
}

func TestEveryOperationHasAMethod(t *testing.T) {
	raw, err := os.ReadFile("../../openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var document struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &document); err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	for _, operations := range document.Paths {
		for _, operation := range operations {
			if operation.OperationID != "" {
				declared[operation.OperationID] = true
			}
		}
	}
	client := reflect.ValueOf(skyclust.NewClient("http://127.0.0.1:1/api/v1", "")).Elem()
	for id := range declared {
		method, ok := skyclust.Operations[id]
		if !ok {
			t.Errorf("operation %s has no method in skyclust.Operations", id)
			continue
		}
		parts := strings.SplitN(method, ".", 2)
		service := client.FieldByName(parts[0])
		if !service.IsValid() || !service.MethodByName(parts[1]).IsValid() {
			t.Errorf("operation %s: Client.%s does not exist", id, method)
		}
	}
	for id := range skyclust.Operations {
		if !declared[id] {
			t.Errorf("skyclust.Operations names %s, which openapi.json does not declare", id)
		}
	}
}

// A stand-in server that answers the first `failures` requests with `status` and a
// Retry-After of `retryAfter`, then the health envelope; it counts what it was sent.
func flaky(t *testing.T, failures int32, status int, retryAfter string) (*httptest.Server, *int32) {
	t.Helper()
	var hits int32
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if atomic.AddInt32(&hits, 1) <= failures {
			w.Header().Set("Retry-After", retryAfter)
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"success":false,"error":"slow down","code":"%s","data":{"tier":"anonymous"},"request_id":"req_1","timestamp":"2026-01-01T00:00:00Z"}`,
				map[int]string{429: "RATE_LIMITED", 503: "SERVICE_UNAVAILABLE"}[status])
			return
		}
		fmt.Fprint(w, `{"success":true,"data":{"status":"healthy","uptime":"1s","uptime_seconds":1,"timestamp":"2026-01-01T00:00:00Z"},"request_id":"req_2","timestamp":"2026-01-01T00:00:00Z"}`)
	}))
	t.Cleanup(server.Close)
	return server, &hits
}

func fastRetries() skyclust.RetryPolicy {
	return skyclust.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxRetryAfter: 2 * time.Second}
}

func TestIdempotentCallsAreRetriedHonouringRetryAfter(t *testing.T) {
	server, hits := flaky(t, 2, http.StatusServiceUnavailable, "1")
	client := skyclust.NewClient(server.URL, "", skyclust.WithRetry(fastRetries()))
	started := time.Now()
	health, err := client.Health.Get()
	if err != nil {
		t.Fatalf("health after two 503s: %v", err)
	}
	if health.Status != "healthy" || atomic.LoadInt32(hits) != 3 {
		t.Fatalf("status %s after %d requests", health.Status, atomic.LoadInt32(hits))
	}
	if elapsed := time.Since(started); elapsed < 2*time.Second {
		t.Fatalf("two Retry-After: 1 answers were waited for only %s", elapsed)
	}
}

func TestRetriesStopAtTheLimitAndForLongWaitsAndUnsafeCalls(t *testing.T) {
	server, hits := flaky(t, 10, http.StatusTooManyRequests, "0")
	_, err := skyclust.NewClient(server.URL, "", skyclust.WithRetry(fastRetries())).Health.Get()
	var failure *skyclust.Error
	if !errors.As(err, &failure) || !errors.Is(err, skyclust.ErrRateLimited) || atomic.LoadInt32(hits) != 3 {
		t.Fatalf("want RATE_LIMITED after 3 attempts, got %v after %d", err, atomic.LoadInt32(hits))
	}
	if failure.Status != 429 || failure.RequestID != "req_1" || failure.Data["tier"] != "anonymous" {
		t.Fatalf("error details lost: %#v", failure)
	}

	// A Retry-After beyond MaxRetryAfter is reported, not waited for.
	server, hits = flaky(t, 10, http.StatusTooManyRequests, "120")
	_, err = skyclust.NewClient(server.URL, "", skyclust.WithRetry(fastRetries())).Health.Get()
	if !errors.As(err, &failure) || failure.RetryAfter != 120*time.Second || atomic.LoadInt32(hits) != 1 {
		t.Fatalf("want one attempt with RetryAfter 120s, got %v after %d", err, atomic.LoadInt32(hits))
	}

	// POST without an Idempotency-Key is never repeated; NoRetry makes one attempt of anything.
	server, hits = flaky(t, 10, http.StatusServiceUnavailable, "0")
	_, err = skyclust.NewClient(server.URL, "", skyclust.WithRetry(fastRetries())).Auth.Login("a@example.com", "password")
	if !errors.Is(err, skyclust.ErrServiceUnavailable) || atomic.LoadInt32(hits) != 1 {
		t.Fatalf("a POST was retried: %v after %d", err, atomic.LoadInt32(hits))
	}
	server, hits = flaky(t, 10, http.StatusServiceUnavailable, "0")
	_, _ = skyclust.NewClient(server.URL, "", skyclust.WithRetry(skyclust.NoRetry())).Health.Get()
	if atomic.LoadInt32(hits) != 1 {
		t.Fatalf("NoRetry made %d attempts", atomic.LoadInt32(hits))
	}
}

func TestBackoffIsJitteredUnderItsCeiling(t *testing.T) {
	policy := skyclust.DefaultRetryPolicy()
	seen := map[time.Duration]bool{}
	for attempt := 1; attempt < 8; attempt++ {
		ceiling := policy.BaseDelay << uint(attempt)
		if ceiling > policy.MaxDelay {
			ceiling = policy.MaxDelay
		}
		for i := 0; i < 50; i++ {
			delay := policy.Delay(attempt, 0)
			if delay < 0 || delay > ceiling {
				t.Fatalf("attempt %d waited %s, above %s", attempt, delay, ceiling)
			}
			seen[delay] = true
		}
	}
	if len(seen) < 10 {
		t.Fatalf("delays are not spread: %v", seen)
	}
	if policy.Delay(1, 3*time.Second) != 3*time.Second {
		t.Fatal("Retry-After is not honoured")
	}
}

func TestLiveAccountWorkspacesVMsAndErrors(t *testing.T) {
	base := liveServer(t)
	client, session := registered(t, base)
	if client.Token() != session.Token {
		t.Fatal("the token of the registration is not used")
	}
	me, err := client.Auth.Me()
	if err != nil || me.User.Id != session.User.Id || me.AuthMethod != api.AUTHMETHOD_JWT {
		t.Fatalf("me: %+v %v", me, err)
	}

	// The seed's calls: a list, then a VM without a workspace, which goes to the personal one.
	workspaces, err := client.Workspaces.List()
	if err != nil || workspaces.Pagination.Total != 1 || !workspaces.Workspaces[0].IsPersonal {
		t.Fatalf("a new account lists its personal workspace: %+v %v", workspaces, err)
	}
	vm, err := client.VMs.Create(skyclust.CreateVMRequest{Name: "go-vm", Provider: "sandbox", InstanceType: "t3.micro", Region: "us-east-1"})
	if err != nil || vm.WorkspaceId != workspaces.Workspaces[0].Id || vm.Status != api.VMSTATUS_PENDING {
		t.Fatalf("create: %+v %v", vm, err)
	}
	running, err := client.VMs.WaitUntil(vm.Id, api.VMSTATUS_RUNNING, 30*time.Second, 50*time.Millisecond)
	if err != nil || running.GetPublicIp() == "" {
		t.Fatalf("the VM did not run: %+v %v", running, err)
	}

	// Pages walk into one list; filters are the generated request's setters.
	for i := 0; i < 3; i++ {
		if _, err := client.Workspaces.Create(*api.NewCreateWorkspaceRequest(fmt.Sprintf("team-%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	all, err := client.Workspaces.Iterate(func(r api.ApiListWorkspacesRequest) api.ApiListWorkspacesRequest {
		return r.Sort("name:asc")
	}).All()
	if err != nil || len(all) != 4 || all[0].Name != "Personal" || all[3].Name != "team-2" {
		t.Fatalf("iterate: %d %v", len(all), err)
	}
	paged := 0
	small, err := client.Workspaces.List(func(r api.ApiListWorkspacesRequest) api.ApiListWorkspacesRequest { return r.Limit(2) })
	if err == nil {
		paged = len(small.Workspaces)
	}
	if paged != 2 || !small.Pagination.HasNext {
		t.Fatalf("limit 2 gave %d: %v", paged, err)
	}
	runningVMs, err := client.VMs.Iterate(func(r api.ApiListVmsRequest) api.ApiListVmsRequest {
		return r.Status([]api.VmStatus{api.VMSTATUS_RUNNING})
	}).All()
	if err != nil || len(runningVMs) != 1 || runningVMs[0].Id != vm.Id {
		t.Fatalf("running VMs: %+v %v", runningVMs, err)
	}

	// Typed errors carry the envelope.
	_, err = client.VMs.Get("00000000-0000-4000-8000-000000000000")
	var failure *skyclust.Error
	if !errors.Is(err, skyclust.ErrNotFound) || !errors.As(err, &failure) || failure.Status != 404 || !strings.HasPrefix(failure.RequestID, "req_") {
		t.Fatalf("want NOT_FOUND, got %v", err)
	}
	_, err = client.VMs.Create(skyclust.CreateVMRequest{Name: "x", Provider: "sandbox", InstanceType: "t3.micro", Region: "us-east-9"})
	if !errors.As(err, &failure) || failure.Code != "VALIDATION_ERROR" || failure.Fields["region"] == "" || !strings.Contains(err.Error(), "region") {
		t.Fatalf("want a VALIDATION_ERROR naming region, got %v", err)
	}
	personal := workspaces.Workspaces[0].Id
	if err := client.Workspaces.Delete(personal); !errors.Is(err, skyclust.ErrConflict) {
		t.Fatalf("a personal workspace was not refused deletion: %v", err)
	}
	if _, err := client.VMs.Delete(vm.Id); err != nil {
		t.Fatal(err)
	}

	// A base URL without /api/v1 is named as the likely mistake.
	_, err = skyclust.NewClient(strings.TrimSuffix(base, "/api/v1"), session.Token).Auth.Me()
	if !errors.Is(err, skyclust.ErrNotFound) || !strings.Contains(err.Error(), "/api/v1") {
		t.Fatalf("want the base URL hint, got %v", err)
	}
	// No server at all is a NETWORK_ERROR wrapping the transport's error.
	_, err = skyclust.NewClient("http://127.0.0.1:1/api/v1", "", skyclust.WithRetry(skyclust.NoRetry())).Health.Get()
	if !errors.Is(err, skyclust.ErrNetwork) || errors.Unwrap(err) == nil {
		t.Fatalf("want NETWORK_ERROR, got %v", err)
	}
}

func TestLiveAPIKeysAndSignOut(t *testing.T) {
	base := liveServer(t)
	client, _ := registered(t, base)
	created, err := client.APIKeys.Create(*api.NewCreateApiKeyRequest("go-key"))
	if err != nil || !strings.HasPrefix(created.Key, "sk_") {
		t.Fatalf("create key: %+v %v", created, err)
	}
	byKey := skyclust.NewClient(base, "", skyclust.WithAPIKey(created.Key))
	me, err := byKey.Auth.Me()
	if err != nil || me.AuthMethod != api.AUTHMETHOD_API_KEY {
		t.Fatalf("me by API key: %+v %v", me, err)
	}
	keys, err := client.APIKeys.Iterate().All()
	if err != nil || len(keys) != 1 || keys[0].Id != created.ApiKey.Id {
		t.Fatalf("keys: %+v %v", keys, err)
	}
	if err := client.APIKeys.Delete(created.ApiKey.Id); err != nil {
		t.Fatal(err)
	}
	if _, err := byKey.Auth.Me(); !errors.Is(err, skyclust.ErrUnauthorized) {
		t.Fatalf("a deleted key still works: %v", err)
	}

	token := client.Token()
	if err := client.Auth.Logout(); err != nil || client.Token() != "" {
		t.Fatalf("logout: %v", err)
	}
	if _, err := skyclust.NewClient(base, token).Auth.Me(); !errors.Is(err, skyclust.ErrUnauthorized) {
		t.Fatalf("a revoked token still works: %v", err)
	}
}

func TestAnswersWithoutAnEnvelopeAreNamed(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "404 page not found", http.StatusNotFound)
	}))
	defer server.Close()
	_, err := skyclust.NewClient(server.URL, "").Health.Get()
	var failure *skyclust.Error
	if !errors.As(err, &failure) || failure.Code != "INVALID_RESPONSE" || failure.Status != 404 || !strings.Contains(failure.Message, "/api/v1") {
		t.Fatalf("want INVALID_RESPONSE with the base URL hint, got %v", err)
	}
}

func TestRedirectsAreNotFollowedWithTheCredentials(t *testing.T) {
	var elsewhere int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		atomic.AddInt32(&elsewhere, 1)
	}))
	defer other.Close()
	redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer redirecting.Close()
	client := skyclust.NewClient(redirecting.URL, "", skyclust.WithAPIKey("sk_secret"))
	_, err := client.Auth.Login("ada@example.com", "a-password")
	var failure *skyclust.Error
	if !errors.As(err, &failure) || failure.Status != http.StatusTemporaryRedirect || !strings.Contains(failure.Message, "not followed") {
		t.Fatalf("want the 307 reported, got %v", err)
	}
	if strings.Contains(err.Error(), "sk_secret") || strings.Contains(err.Error(), "a-password") {
		t.Fatalf("a secret is in the error: %v", err)
	}
	if atomic.LoadInt32(&elsewhere) != 0 {
		t.Fatal("the redirect was followed")
	}
}

func TestDeadlinesAreTimeoutsAndBadBaseURLsAreNamed(t *testing.T) {
	stalled := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer stalled.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := skyclust.NewClient(stalled.URL, "").WithContext(ctx).Health.Get()
	if !errors.Is(err, skyclust.ErrTimeout) || !errors.Is(errors.Unwrap(err), context.DeadlineExceeded) {
		t.Fatalf("want TIMEOUT wrapping the deadline, got %v", err)
	}

	for _, base := range []string{"", "/api/v1", "localhost:8080/api/v1", "ftp://example.com/api/v1"} {
		client := skyclust.NewClient(base, "")
		_, err := client.Workspaces.List()
		if !errors.Is(err, skyclust.ErrInvalidRequest) || !strings.Contains(err.Error(), "absolute http(s) URL") {
			t.Fatalf("base %q: want INVALID_REQUEST naming the problem, got %v", base, err)
		}
		if _, err := client.Events.Subscribe(skyclust.Subscription{}); !errors.Is(err, skyclust.ErrInvalidRequest) {
			t.Fatalf("base %q: events: %v", base, err)
		}
	}
}
