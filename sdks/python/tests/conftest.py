"""Shared helpers: the live server that scripts/conformance.sh started, and a scripted stub HTTP
server for what the live one cannot be made to do on demand (answer 503, then 200)."""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from skyclust import RetryPolicy, SkyClustClient

BASE_URL = os.environ["SKYCLUST_BASE_URL"]
ADMIN_EMAIL = os.environ["SKYCLUST_ADMIN_EMAIL"]
ADMIN_PASSWORD = os.environ["SKYCLUST_ADMIN_PASSWORD"]

# Retries in tests wait milliseconds, not the default hundreds.
FAST_RETRY = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.01)


def fresh() -> dict[str, str]:
    """A new account's registration fields."""
    name = f"py_{uuid.uuid4().hex[:8]}"
    return {"username": name, "email": f"{name}@example.com", "password": f"password-{name}"}


def registered() -> SkyClustClient:
    """A client signed in as a new user."""
    client = SkyClustClient(base_url=BASE_URL)
    client.auth.register(fresh())
    return client


def admin_client() -> SkyClustClient:
    client = SkyClustClient(base_url=BASE_URL)
    client.auth.login(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
    return client


def sandbox_vm(workspace_id: str, name: str = "my-vm") -> dict[str, str]:
    """A ``vms.create`` body for the sandbox provider."""
    return {
        "name": name,
        "provider": "sandbox",
        "instance_type": "t3.micro",
        "region": "us-east-1",
        "workspace_id": workspace_id,
    }


# ---- the stub server ----


def envelope(data: Any) -> dict[str, Any]:
    """A success envelope around ``data``."""
    return {"success": True, "data": data, "request_id": "req_stub", "timestamp": "2024-01-01T00:00:00Z"}


def failure(code: str, message: str) -> dict[str, Any]:
    """An error envelope."""
    return {
        "success": False,
        "error": message,
        "code": code,
        "request_id": "req_stub",
        "timestamp": "2024-01-01T00:00:00Z",
    }


HEALTH = {"status": "healthy", "timestamp": "2024-01-01T00:00:00Z", "uptime": "1s", "uptime_seconds": 1}


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class Stub:
    """An HTTP server answering each request with the next scripted :class:`Answer` (500 when
    none is left), and recording the requests."""

    def __init__(self) -> None:
        self.answers: list[Answer] = []
        self.requests: list[Request] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def handle_one(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                stub.requests.append(Request(self.command, self.path, dict(self.headers), body))
                answer = stub.answers.pop(0) if stub.answers else Answer(500, failure("INTERNAL_ERROR", "unscripted"))
                raw = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
                self.send_response(answer.status)
                content_type = "text/html" if isinstance(answer.body, bytes) else "application/json"
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(raw)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_POST = do_PUT = do_DELETE = handle_one

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/api/v1"

    def script(self, *answers: Answer) -> None:
        self.answers.extend(answers)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def stub() -> Iterator[Stub]:
    server = Stub()
    yield server
    server.stop()
