package skyclust

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/skyclust/sdk-go/api"
)

// Error is every failure a call reports: the server's error envelope (Status, Code, Message,
// RequestID, Fields), or a client-side NETWORK_ERROR, TIMEOUT, INVALID_RESPONSE or
// INVALID_REQUEST (Status 0 unless an answer arrived).
// Compare with errors.Is against the Err* values, which match by code.
type Error struct {
	// HTTP status; 0 when no answer arrived.
	Status int
	// The machine-readable code, e.g. NOT_FOUND.
	Code string
	// The server's message.
	Message string
	// The request id the server gave the call ("" without an answer).
	RequestID string
	// Field errors of a VALIDATION_ERROR, by field name.
	Fields map[string]string
	// The server's Retry-After, on RATE_LIMITED and SERVICE_UNAVAILABLE answers.
	RetryAfter time.Duration
	// The envelope's data, as sent.
	Data map[string]interface{}
	// The WebSocket close code that ended an event stream (4001, 4029), else 0.
	CloseCode int
	cause     error
}

// The error codes, for errors.Is(err, skyclust.ErrNotFound).
var (
	ErrValidation         = &Error{Code: "VALIDATION_ERROR"}
	ErrUnauthorized       = &Error{Code: "UNAUTHORIZED"}
	ErrForbidden          = &Error{Code: "FORBIDDEN"}
	ErrNotFound           = &Error{Code: "NOT_FOUND"}
	ErrConflict           = &Error{Code: "CONFLICT"}
	ErrRateLimited        = &Error{Code: "RATE_LIMITED"}
	ErrInternal           = &Error{Code: "INTERNAL_ERROR"}
	ErrServiceUnavailable = &Error{Code: "SERVICE_UNAVAILABLE"}
	ErrProvider           = &Error{Code: "PROVIDER_ERROR"}
	ErrNetwork            = &Error{Code: "NETWORK_ERROR"}
	ErrInvalidResponse    = &Error{Code: "INVALID_RESPONSE"}
	ErrTimeout            = &Error{Code: "TIMEOUT"}
	ErrInvalidRequest     = &Error{Code: "INVALID_REQUEST"}
)

func (e *Error) Error() string {
	text := e.Code + ": " + e.Message
	if e.Status != 0 {
		text = fmt.Sprintf("%s (HTTP %d)", text, e.Status)
	}
	if len(e.Fields) > 0 {
		names := make([]string, 0, len(e.Fields))
		for name := range e.Fields {
			names = append(names, name)
		}
		sort.Strings(names)
		parts := make([]string, len(names))
		for i, name := range names {
			parts[i] = name + ": " + e.Fields[name]
		}
		text += " [" + strings.Join(parts, "; ") + "]"
	}
	if e.RequestID != "" {
		text += " request " + e.RequestID
	}
	return text
}

// Is matches another *Error with the same code, so errors.Is works with the Err* values.
func (e *Error) Is(target error) bool {
	other, ok := target.(*Error)
	return ok && other.Code == e.Code
}

// Unwrap is the underlying transport error of a NETWORK_ERROR.
func (e *Error) Unwrap() error { return e.cause }

// failure turns what a generated call returned into an *Error.
func failure(err error, response *http.Response) error {
	if response == nil {
		var timeout interface{ Timeout() bool }
		if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &timeout) && timeout.Timeout()) {
			return &Error{Code: "TIMEOUT", Message: err.Error(), cause: err}
		}
		return &Error{Code: "NETWORK_ERROR", Message: err.Error(), cause: err}
	}
	result := &Error{Status: response.StatusCode, RetryAfter: retryAfter(response)}
	var generated *api.GenericOpenAPIError
	var envelope struct {
		Success   *bool                  `json:"success"`
		Error     string                 `json:"error"`
		Code      string                 `json:"code"`
		Data      map[string]interface{} `json:"data"`
		RequestID string                 `json:"request_id"`
	}
	if errors.As(err, &generated) && json.Unmarshal(generated.Body(), &envelope) == nil &&
		envelope.Success != nil && !*envelope.Success && envelope.Code != "" {
		result.Code, result.Message, result.RequestID, result.Data = envelope.Code, envelope.Error, envelope.RequestID, envelope.Data
		if fields, ok := envelope.Data["fields"].(map[string]interface{}); ok {
			result.Fields = map[string]string{}
			for name, problem := range fields {
				result.Fields[name] = fmt.Sprint(problem)
			}
		}
		return result
	}
	result.Code = "INVALID_RESPONSE"
	result.RequestID = response.Header.Get("X-Request-ID")
	result.cause = err
	if response.StatusCode >= 300 && response.StatusCode < 400 {
		// Not followed (see NewClient): a redirect would take the credentials along.
		result.Message = fmt.Sprintf("HTTP %d redirect to %q not followed: is the base URL right (scheme, host, /api/v1)?", response.StatusCode, response.Header.Get("Location"))
	} else if response.StatusCode == http.StatusNotFound {
		// The usual cause: a base URL without its /api/v1.
		result.Message = "HTTP 404 without a SkyClust error envelope: is the base URL right (it ends in /api/v1)?"
	} else {
		result.Message = fmt.Sprintf("HTTP %d answer the client could not read: %v", response.StatusCode, err)
	}
	return result
}

// retryAfter reads Retry-After in seconds (the only form the server sends).
func retryAfter(response *http.Response) time.Duration {
	seconds, err := strconv.ParseFloat(response.Header.Get("Retry-After"), 64)
	if err != nil || seconds < 0 {
		return 0
	}
	return time.Duration(seconds * float64(time.Second))
}
