package skyclust_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	skyclust "github.com/skyclust/sdk-go"
	"github.com/skyclust/sdk-go/api"
)

func TestLiveEventsFollowAVMAndEndOnLogout(t *testing.T) {
	base := liveServer(t)
	client, _ := registered(t, base)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stream, err := client.WithContext(ctx).Events.Subscribe(skyclust.Subscription{Types: []api.EventType{api.EVENTTYPE_VM_STATUS_CHANGED}})
	if err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	defer stream.Close()
	vm, err := client.VMs.Create(skyclust.CreateVMRequest{Name: "watched", Provider: "sandbox", InstanceType: "t3.micro", Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	var seen []api.VmStatus
	for stream.Next() {
		event := stream.Event()
		if event.Type != api.EVENTTYPE_VM_STATUS_CHANGED {
			t.Fatalf("a %s event passed the filter", event.Type)
		}
		change, err := event.VMStatusChange()
		if err != nil {
			t.Fatal(err)
		}
		if change.VmId != vm.Id {
			continue
		}
		seen = append(seen, change.Status)
		if change.Status == api.VMSTATUS_RUNNING {
			break
		}
	}
	if len(seen) == 0 || seen[len(seen)-1] != api.VMSTATUS_RUNNING {
		t.Fatalf("statuses seen: %v (stream error %v)", seen, stream.Err())
	}
	if _, err := stream.Event().CostUpdate(); err == nil {
		t.Fatal("a vm_status_changed event decoded as a cost update")
	}

	// A logout closes the session with 4001, which ends the stream with an error.
	if err := client.Auth.Logout(); err != nil {
		t.Fatal(err)
	}
	for stream.Next() {
	}
	var failure *skyclust.Error
	if !errors.As(stream.Err(), &failure) || !errors.Is(failure, skyclust.ErrUnauthorized) || failure.CloseCode != skyclust.CloseUnauthorized {
		t.Fatalf("want UNAUTHORIZED with close code 4001, got %v", stream.Err())
	}
	if _, err := client.Events.Subscribe(skyclust.Subscription{}); !errors.Is(err, skyclust.ErrUnauthorized) {
		t.Fatalf("a signed-out client subscribed: %v", err)
	}
}

func TestLiveSubscribingToAnUnknownWorkspaceIsRefused(t *testing.T) {
	base := liveServer(t)
	client, _ := registered(t, base)
	_, err := client.Events.Subscribe(skyclust.Subscription{WorkspaceID: "00000000-0000-4000-8000-000000000000"})
	if !errors.Is(err, skyclust.ErrNotFound) {
		t.Fatalf("want NOT_FOUND, got %v", err)
	}
}

// A stand-in /ws that records what clients send, closes the first session with 4008 once it
// is subscribed, and sends one event on the next.
func TestStreamsReconnectAndSubscribeAgainAfterADrop(t *testing.T) {
	var mu sync.Mutex
	var received []string
	sessions := 0
	upgrader := websocket.Upgrader{}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/ws" {
			http.NotFound(w, r)
			return
		}
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		mu.Lock()
		sessions++
		session := sessions
		mu.Unlock()
		for _, answer := range []string{`{"type":"auth_success","user_id":"u"}`, `{"type":"subscribed","events":["vm_status_changed"]}`} {
			var message map[string]interface{}
			if conn.ReadJSON(&message) != nil {
				return
			}
			mu.Lock()
			received = append(received, message["type"].(string))
			mu.Unlock()
			_ = conn.WriteMessage(websocket.TextMessage, []byte(answer))
		}
		if session == 1 {
			_ = conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(skyclust.CloseTooSlow, "too slow"))
			return
		}
		_ = conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"pong"}`))
		_ = conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"vm_status_changed","id":"e1","timestamp":"2026-01-01T00:00:00Z","data":{"vm_id":"v1","workspace_id":"w1","status":"running","previous_status":"starting","timestamp":"2026-01-01T00:00:00Z"}}`))
		var ignored map[string]interface{}
		_ = conn.ReadJSON(&ignored) // until the client closes
	}))
	defer server.Close()

	client := skyclust.NewClient(server.URL+"/api/v1", "a-token", skyclust.WithRetry(fastRetries()))
	var reconnects []int
	stream, err := client.Events.Subscribe(skyclust.Subscription{
		Types:       []api.EventType{api.EVENTTYPE_VM_STATUS_CHANGED},
		OnReconnect: func(attempt int, cause error) { reconnects = append(reconnects, attempt) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if !stream.Next() {
		t.Fatalf("no event after the drop: %v", stream.Err())
	}
	if event := stream.Event(); event.ID != "e1" || event.Type != api.EVENTTYPE_VM_STATUS_CHANGED {
		t.Fatalf("event: %+v", event)
	}
	mu.Lock()
	got, _ := json.Marshal(received)
	mu.Unlock()
	if string(got) != `["auth","subscribe","auth","subscribe"]` || len(reconnects) != 1 {
		t.Fatalf("sent %s, reconnects %v", got, reconnects)
	}

	// Close from another goroutine ends a Next that is waiting.
	go func() {
		time.Sleep(50 * time.Millisecond)
		_ = stream.Close()
	}()
	if stream.Next() || stream.Err() != nil {
		t.Fatalf("after Close: Next went on or an error was reported: %v", stream.Err())
	}
}

func TestStreamsGiveUpAfterMaxReconnects(t *testing.T) {
	var mu sync.Mutex
	upgrades := 0
	upgrader := websocket.Upgrader{}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		upgrades++
		first := upgrades == 1
		mu.Unlock()
		if !first {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		var message map[string]interface{}
		_ = conn.ReadJSON(&message)
		_ = conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"auth_success","user_id":"u"}`))
		conn.Close() // dropped without a close frame
	}))
	defer server.Close()
	stream, err := skyclust.NewClient(server.URL+"/api/v1", "a-token", skyclust.WithRetry(fastRetries())).
		Events.Subscribe(skyclust.Subscription{MaxReconnects: 2})
	if err != nil {
		t.Fatal(err)
	}
	if stream.Next() || !errors.Is(stream.Err(), skyclust.ErrNetwork) {
		t.Fatalf("want NETWORK_ERROR after 2 reconnects, got %v", stream.Err())
	}
	mu.Lock()
	defer mu.Unlock()
	if upgrades != 3 {
		t.Fatalf("%d connection attempts, want 1 + 2", upgrades)
	}
}

func TestTooManySessionsEndsTheStreamAtOnce(t *testing.T) {
	var connections int32
	upgrader := websocket.Upgrader{}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		atomic.AddInt32(&connections, 1)
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		var message map[string]interface{}
		_ = conn.ReadJSON(&message)
		_ = conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(skyclust.CloseTooManySessions, "too many sessions"))
	}))
	defer server.Close()
	_, err := skyclust.NewClient(server.URL+"/api/v1", "a-token", skyclust.WithRetry(fastRetries())).
		Events.Subscribe(skyclust.Subscription{})
	var failure *skyclust.Error
	if !errors.As(err, &failure) || !errors.Is(err, skyclust.ErrRateLimited) || failure.CloseCode != skyclust.CloseTooManySessions {
		t.Fatalf("want RATE_LIMITED with close code 4029, got %v", err)
	}
	if atomic.LoadInt32(&connections) != 1 {
		t.Fatalf("%d connections, want 1", atomic.LoadInt32(&connections))
	}
}
