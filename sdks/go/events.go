package skyclust

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/skyclust/sdk-go/api"
)

// Close codes the server ends a /ws session with.
const (
	// CloseUnauthorized: authentication missing, late or invalid, or revoked since (logout,
	// key deletion, deactivation). The stream ends.
	CloseUnauthorized = 4001
	// CloseTooSlow: the client could not keep up. The stream reconnects.
	CloseTooSlow = 4008
	// CloseTooManySessions: the user holds too many sessions. The stream ends.
	CloseTooManySessions = 4029
)

// handshakeTimeout bounds connecting, authenticating and subscribing.
const handshakeTimeout = 10 * time.Second

// maxMessageBytes is the largest message the stream reads.
const maxMessageBytes = 1 << 20

// EventsService: real-time events over the /ws WebSocket.
type EventsService struct{ c *Client }

// Subscription says which events a stream receives.
type Subscription struct {
	// Event types to receive; all when empty.
	Types []api.EventType
	// Only events about this workspace (events about no workspace still arrive); all the
	// caller can see when empty.
	WorkspaceID string
	// Reconnections tried in a row before the stream gives up; 0 for no limit.
	MaxReconnects int
	// Called before each reconnection with its number (from 1) and what ended the connection.
	OnReconnect func(attempt int, cause error)
}

// Event is one event: Type says which, Data holds it (decode it with the typed accessors).
type Event struct {
	Type      api.EventType   `json:"type"`
	ID        string          `json:"id"`
	Timestamp time.Time       `json:"timestamp"`
	Data      json.RawMessage `json:"data"`
}

// VMStatusChange is the data of a vm_status_changed event.
func (e Event) VMStatusChange() (*api.VmStatusChange, error) {
	return decodeEvent[api.VmStatusChange](e, api.EVENTTYPE_VM_STATUS_CHANGED)
}

// CostUpdate is the data of a cost_updated event.
func (e Event) CostUpdate() (*api.CostUpdate, error) {
	return decodeEvent[api.CostUpdate](e, api.EVENTTYPE_COST_UPDATED)
}

// Notification is the data of a notification_received event.
func (e Event) Notification() (*api.Notification, error) {
	return decodeEvent[api.Notification](e, api.EVENTTYPE_NOTIFICATION_RECEIVED)
}

// AuditLog is the data of an audit_log_created event.
func (e Event) AuditLog() (*api.AuditLog, error) {
	return decodeEvent[api.AuditLog](e, api.EVENTTYPE_AUDIT_LOG_CREATED)
}

func decodeEvent[T any](e Event, want api.EventType) (*T, error) {
	if e.Type != want {
		return nil, fmt.Errorf("a %s event has no %s data", e.Type, want)
	}
	var value T
	if err := json.Unmarshal(e.Data, &value); err != nil {
		return nil, &Error{Code: "INVALID_RESPONSE", Message: "undecodable " + string(want) + " event: " + err.Error(), cause: err}
	}
	return &value, nil
}

// Subscribe connects to /ws, authenticates with the client's token or API key and subscribes
// before it returns, so no event published afterwards is missed. The stream reconnects after a
// dropped connection (full-jitter backoff, then authentication and subscription again); events
// published while it was disconnected are not replayed. It ends on close code 4001 or 4029, on
// Close, or when the client's context ends.
//
//	stream, err := client.Events.Subscribe(skyclust.Subscription{Types: []api.EventType{api.EVENTTYPE_VM_STATUS_CHANGED}})
//	defer stream.Close()
//	for stream.Next() {
//	    change, _ := stream.Event().VMStatusChange()
//	    fmt.Println(change.VmId, change.Status)
//	}
//	err = stream.Err() // nil after Close; an *Error (UNAUTHORIZED, CloseCode 4001) after a logout
func (s *EventsService) Subscribe(subscription Subscription) (*EventStream, error) {
	if s.c.invalid != nil {
		return nil, s.c.invalid
	}
	stream := &EventStream{client: s.c, subscription: subscription}
	conn, err := stream.connect()
	if err != nil {
		return nil, err
	}
	stream.conn = conn
	return stream, nil
}

// EventStream is a live subscription; Next blocks for the next event.
type EventStream struct {
	client       *Client
	subscription Subscription
	mu           sync.Mutex
	conn         *websocket.Conn
	closed       bool
	current      Event
	err          error
	lastDrop     error
}

// Next waits for the next event; false when the stream has ended (see Err).
func (s *EventStream) Next() bool {
	failures := 0
	for {
		conn, closed := s.connection()
		if closed || s.err != nil {
			return false
		}
		if conn == nil {
			failures++
			if s.subscription.MaxReconnects > 0 && failures > s.subscription.MaxReconnects {
				s.err = &Error{Code: "NETWORK_ERROR", Message: fmt.Sprintf("the event stream could not reconnect after %d attempts", failures-1)}
				return false
			}
			if !s.reconnect(failures) {
				return false
			}
			continue
		}
		_, frame, err := conn.ReadMessage()
		if err != nil {
			if s.ended(err) {
				return false
			}
			s.drop(err)
			continue
		}
		failures = 0
		var message struct {
			Type    string `json:"type"`
			Code    string `json:"code"`
			Message string `json:"message"`
		}
		if json.Unmarshal(frame, &message) != nil {
			continue
		}
		switch message.Type {
		case "auth_success", "subscribed", "pong", "error":
			// Control messages after the handshake need nothing from the reader.
			continue
		}
		var event Event
		if json.Unmarshal(frame, &event) != nil {
			continue
		}
		s.current = event
		return true
	}
}

// Event is the event Next moved to.
func (s *EventStream) Event() Event { return s.current }

// Err is why the stream ended: nil after Close.
func (s *EventStream) Err() error { return s.err }

// Close ends the stream; a Next blocked in another goroutine returns false.
func (s *EventStream) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	if s.conn != nil {
		_ = s.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
		return s.conn.Close()
	}
	return nil
}

func (s *EventStream) connection() (*websocket.Conn, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conn, s.closed
}

// ended says whether a read error ends the stream (and records why).
func (s *EventStream) ended(err error) bool {
	if _, closed := s.connection(); closed {
		return true
	}
	if s.client.ctx.Err() != nil {
		s.err = &Error{Code: "NETWORK_ERROR", Message: "the event stream's context ended", cause: s.client.ctx.Err()}
		return true
	}
	if final := closedFor(err); final != nil {
		s.err = final
		return true
	}
	return false
}

// closedFor is the error that ends a stream for a close another connection cannot change
// (4001, 4029), or nil.
func closedFor(err error) *Error {
	var closing *websocket.CloseError
	if !errors.As(err, &closing) {
		return nil
	}
	switch closing.Code {
	case CloseUnauthorized:
		return &Error{Code: "UNAUTHORIZED", Message: "the event stream was closed: " + closing.Text, CloseCode: closing.Code, cause: err}
	case CloseTooManySessions:
		return &Error{Code: "RATE_LIMITED", Message: "the event stream was closed: " + closing.Text, CloseCode: closing.Code, cause: err}
	}
	return nil
}

func (s *EventStream) drop(cause error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil {
		s.conn.Close()
		s.conn = nil
	}
	s.err = nil
	s.lastDrop = cause
}

// reconnect waits its backoff, then connects again; false when the stream ends meanwhile.
func (s *EventStream) reconnect(attempt int) bool {
	if s.subscription.OnReconnect != nil {
		s.subscription.OnReconnect(attempt, s.lastDrop)
	}
	timer := time.NewTimer(s.client.retry.Delay(attempt, 0))
	select {
	case <-s.client.ctx.Done():
		timer.Stop()
		s.err = &Error{Code: "NETWORK_ERROR", Message: "the event stream's context ended", cause: s.client.ctx.Err()}
		return false
	case <-timer.C:
	}
	conn, err := s.connect()
	if err != nil {
		var failure *Error
		if errors.As(err, &failure) && (failure.CloseCode != 0 || failure.Code == "UNAUTHORIZED" || failure.Code == "NOT_FOUND" || failure.Code == "VALIDATION_ERROR") {
			s.err = err
			return false
		}
		s.lastDrop = err
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		conn.Close()
		return false
	}
	s.conn = conn
	return true
}

// connect opens /ws, authenticates and subscribes.
func (s *EventStream) connect() (*websocket.Conn, error) {
	address, err := socketURL(s.client.api.GetConfig().Servers[0].URL)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(s.client.ctx, handshakeTimeout)
	defer cancel()
	dialer := websocket.Dialer{Proxy: http.ProxyFromEnvironment, HandshakeTimeout: handshakeTimeout}
	conn, response, err := dialer.DialContext(ctx, address, nil)
	if err != nil {
		if response != nil {
			return nil, &Error{Status: response.StatusCode, Code: "NETWORK_ERROR", Message: fmt.Sprintf("the event stream's upgrade was refused (HTTP %d)", response.StatusCode), RetryAfter: retryAfter(response), cause: err}
		}
		return nil, &Error{Code: "NETWORK_ERROR", Message: err.Error(), cause: err}
	}
	// The server's messages are small; a peer sending a huge one is cut off, not buffered.
	conn.SetReadLimit(maxMessageBytes)
	deadline, _ := ctx.Deadline()
	_ = conn.SetReadDeadline(deadline)
	token, apiKey := s.client.session.get()
	auth := map[string]string{"type": "auth"}
	if token != "" {
		auth["token"] = token
	} else {
		auth["api_key"] = apiKey
	}
	if err := s.exchange(conn, auth, "auth_success"); err != nil {
		conn.Close()
		return nil, err
	}
	if len(s.subscription.Types) > 0 || s.subscription.WorkspaceID != "" {
		subscribe := map[string]interface{}{"type": "subscribe", "events": s.subscription.Types}
		if s.subscription.Types == nil {
			subscribe["events"] = []api.EventType{}
		}
		if s.subscription.WorkspaceID != "" {
			subscribe["workspace_id"] = s.subscription.WorkspaceID
		}
		if err := s.exchange(conn, subscribe, "subscribed"); err != nil {
			conn.Close()
			return nil, err
		}
	}
	_ = conn.SetReadDeadline(time.Time{})
	return conn, nil
}

// exchange sends message and waits for the answer of type want (events before it are for a
// subscription being replaced and are skipped).
func (s *EventStream) exchange(conn *websocket.Conn, message interface{}, want string) error {
	if err := conn.WriteJSON(message); err != nil {
		return &Error{Code: "NETWORK_ERROR", Message: err.Error(), cause: err}
	}
	for {
		_, frame, err := conn.ReadMessage()
		if err != nil {
			if final := closedFor(err); final != nil {
				return final
			}
			return &Error{Code: "NETWORK_ERROR", Message: err.Error(), cause: err}
		}
		var answer struct {
			Type    string `json:"type"`
			Code    string `json:"code"`
			Message string `json:"message"`
		}
		if json.Unmarshal(frame, &answer) != nil {
			continue
		}
		switch answer.Type {
		case want:
			return nil
		case "error":
			return &Error{Code: answer.Code, Message: answer.Message}
		}
	}
}

// socketURL is the /ws address of the server whose API is at base (…/api/v1).
func socketURL(base string) (string, error) {
	parsed, err := url.Parse(base)
	if err != nil {
		return "", &Error{Code: "NETWORK_ERROR", Message: "bad base URL: " + err.Error(), cause: err}
	}
	switch parsed.Scheme {
	case "https":
		parsed.Scheme = "wss"
	default:
		parsed.Scheme = "ws"
	}
	parsed.Path = strings.TrimSuffix(strings.TrimSuffix(parsed.Path, "/"), "/api/v1") + "/ws"
	parsed.RawQuery, parsed.Fragment = "", ""
	return parsed.String(), nil
}
