"""Retries with full-jitter exponential backoff that honour ``Retry-After`` (as the Rust SDK's)."""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["RetryPolicy"]


@dataclass(frozen=True)
class RetryPolicy:
    """When and how often a failed request is tried again.

    Only requests that are safe to repeat are retried: GET, PUT and DELETE, and a POST sent with
    an ``Idempotency-Key`` (``vms.create(..., idempotency_key=...)``); and only after a
    connection failure, a timeout, or a 429, 502, 503 or 504 answer. A ``Retry-After`` from the
    server is waited for; one longer than :attr:`max_retry_after` ends the retries instead.

    ``RetryPolicy.none()`` (or ``retry=None`` on a client) disables retries.
    """

    max_attempts: int = 3
    """Attempts in all, the first included (1 disables retries)."""
    base_delay: float = 0.2
    """The backoff's base in seconds: after attempt ``n`` the wait is random, up to ``base_delay × 2ⁿ``."""
    max_delay: float = 10.0
    """The longest backoff, in seconds."""
    max_retry_after: float = 60.0
    """The longest ``Retry-After`` worth waiting for, in seconds."""

    @classmethod
    def none(cls) -> RetryPolicy:
        """No retries."""
        return cls(max_attempts=1)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before attempt ``attempt + 1`` (``attempt`` counts from 1), given the
        server's ``Retry-After``."""
        if retry_after is not None:
            return retry_after
        ceiling = min(self.base_delay * 2 ** min(attempt, 16), self.max_delay)
        # Full jitter: anywhere between zero and the ceiling, so clients that failed together
        # do not come back together.
        return random.uniform(0.0, ceiling)

    def accepts_wait(self, retry_after: float | None) -> bool:
        """Whether a ``Retry-After`` is short enough to wait for."""
        return retry_after is None or retry_after <= self.max_retry_after
