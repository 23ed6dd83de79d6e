package skyclust

import (
	"io"
	"math/rand"
	"net/http"
	"time"
)

// RetryPolicy says when and how often a failed call is tried again, as the Rust SDK does:
// only idempotent requests (GET, PUT, DELETE, and POSTs with an Idempotency-Key) are retried,
// and only after a connection failure or a 429/502/503/504 answer. A Retry-After from the
// server is honoured; one longer than MaxRetryAfter ends the retries instead.
type RetryPolicy struct {
	// Attempts in all, the first included (1 disables retries).
	MaxAttempts int
	// The backoff's base: attempt n waits a random time up to BaseDelay × 2ⁿ (full jitter).
	BaseDelay time.Duration
	// The longest backoff.
	MaxDelay time.Duration
	// The longest Retry-After worth waiting for.
	MaxRetryAfter time.Duration
}

// DefaultRetryPolicy is 3 attempts, 200 ms base, 10 s cap, Retry-After up to a minute.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 3, BaseDelay: 200 * time.Millisecond, MaxDelay: 10 * time.Second, MaxRetryAfter: time.Minute}
}

// NoRetry makes one attempt only.
func NoRetry() RetryPolicy {
	policy := DefaultRetryPolicy()
	policy.MaxAttempts = 1
	return policy
}

// Delay is how long to wait after attempt (counting from 1) failed, given the server's
// Retry-After (0 when it sent none).
func (p RetryPolicy) Delay(attempt int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return retryAfter
	}
	if attempt > 16 {
		attempt = 16
	}
	ceiling := p.BaseDelay << uint(attempt)
	if ceiling > p.MaxDelay || ceiling <= 0 {
		ceiling = p.MaxDelay
	}
	if ceiling <= 0 {
		return 0
	}
	return time.Duration(rand.Int63n(int64(ceiling) + 1))
}

type retryTransport struct {
	policy RetryPolicy
	next   http.RoundTripper
}

func (t *retryTransport) RoundTrip(request *http.Request) (*http.Response, error) {
	safe := request.Method == http.MethodGet || request.Method == http.MethodHead ||
		request.Method == http.MethodPut || request.Method == http.MethodDelete ||
		request.Header.Get("Idempotency-Key") != ""
	for attempt := 1; ; attempt++ {
		response, err := t.next.RoundTrip(request)
		if !safe || attempt >= t.policy.MaxAttempts || request.Context().Err() != nil || !retryable(response, err) {
			return response, err
		}
		var wait time.Duration
		if response != nil {
			wait = retryAfter(response)
			if wait > t.policy.MaxRetryAfter {
				return response, err
			}
			_, _ = io.Copy(io.Discard, io.LimitReader(response.Body, 64<<10))
			response.Body.Close()
		}
		if request.GetBody != nil {
			body, bodyErr := request.GetBody()
			if bodyErr != nil {
				return nil, bodyErr
			}
			request = request.Clone(request.Context())
			request.Body = body
		}
		timer := time.NewTimer(t.policy.Delay(attempt, wait))
		select {
		case <-request.Context().Done():
			timer.Stop()
			return nil, request.Context().Err()
		case <-timer.C:
		}
	}
}

func retryable(response *http.Response, err error) bool {
	if err != nil {
		return true
	}
	switch response.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}
