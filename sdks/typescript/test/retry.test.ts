// Retries, timeouts and the errors of answers the live server does not give on demand (429,
// 502–504, dropped connections), against a local node:http stub that answers from a script.
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, test } from "node:test";

import {
  DEFAULT_RETRY_POLICY,
  NetworkError,
  RateLimitedError,
  retryDelay,
  type RetryInfo,
  type RetryOptions,
  ServiceUnavailableError,
  SkyClustClient,
  SkyClustError,
  TimeoutError,
} from "../src/index.js";
import { rejection } from "./helpers.js";

/** One scripted answer: a status with headers, a dropped connection, or a late answer. */
type Step =
  | { status: number; headers?: Record<string, string>; data?: unknown; code?: string }
  | { drop: true }
  | { delayMs: number; status: number };

interface Hit {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

let script: Step[] = [];
let hits: Hit[] = [];
let stubURL = "";
const server = createServer((request: IncomingMessage, response: ServerResponse) => {
  let body = "";
  request.setEncoding("utf8");
  request.on("data", (chunk: string) => (body += chunk));
  request.on("end", () => {
    hits.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers, body });
    const step = script.shift() ?? { status: 200 };
    if ("drop" in step) {
      request.socket.destroy();
      return;
    }
    const answer = (): void => {
      const ok = step.status < 300;
      const headers = "headers" in step ? step.headers : {};
      const envelope = ok
        ? { success: true, data: ("data" in step ? step.data : undefined) ?? { status: "healthy" }, request_id: "req_stub", timestamp: "2024-01-01T00:00:00Z" }
        : { success: false, error: `stub ${step.status}`, code: ("code" in step ? step.code : undefined) ?? "SERVICE_UNAVAILABLE", request_id: "req_stub", timestamp: "2024-01-01T00:00:00Z" };
      response.writeHead(step.status, { "Content-Type": "application/json", ...headers });
      response.end(JSON.stringify(envelope));
    };
    // unref: a late answer nobody waits for any more must not keep the test process alive.
    if ("delayMs" in step) setTimeout(answer, step.delayMs).unref();
    else answer();
  });
});

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  stubURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  script = [];
  hits = [];
});

/** A client of the stub with a fast backoff, recording each retry. */
function stubClient(retry: RetryOptions | false = {}, timeoutMs?: number): { client: SkyClustClient; retries: RetryInfo[] } {
  const retries: RetryInfo[] = [];
  const client = new SkyClustClient({
    baseURL: stubURL,
    token: "stub-token",
    retry: retry === false ? false : { baseDelayMs: 1, maxDelayMs: 5, onRetry: (info) => retries.push(info), ...retry },
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  return { client, retries };
}

test("backoff is full jitter under a growing ceiling; Retry-After wins", () => {
  const policy = DEFAULT_RETRY_POLICY;
  assert.deepEqual({ ...policy }, { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 });
  for (let attempt = 1; attempt < 10; attempt++) {
    const ceiling = Math.min(policy.baseDelayMs * 2 ** attempt, policy.maxDelayMs);
    for (let i = 0; i < 50; i++) {
      const delay = retryDelay(policy, attempt);
      assert.ok(delay >= 0 && delay <= ceiling, `${delay} within 0..${ceiling}`);
    }
  }
  assert.ok(new Set(Array.from({ length: 20 }, () => retryDelay(policy, 3))).size > 1, "delays are jittered");
  assert.equal(retryDelay(policy, 1, 2000), 2000);
});

test("a 503 with Retry-After is retried after that wait", async () => {
  script = [{ status: 503, headers: { "Retry-After": "1" } }, { status: 200 }];
  const { client, retries } = stubClient();
  const started = Date.now();
  assert.equal((await client.health.get()).status, "healthy");
  assert.ok(Date.now() - started >= 950, "waited for Retry-After");
  assert.deepEqual(retries.map((r) => [r.method, r.attempt, r.status, r.delayMs]), [["GET", 1, 503, 1000]]);
  assert.equal(hits.length, 2);
  assert.equal(hits[1]?.headers.authorization, "Bearer stub-token", "the retry carries the credentials");
});

test("429 and 502 are retried up to maxAttempts; then the last answer is the error", async () => {
  script = [{ status: 429, headers: { "Retry-After": "0" }, code: "RATE_LIMITED" }, { status: 502, code: "PROVIDER_ERROR" }, { status: 200 }];
  const { client, retries } = stubClient();
  assert.equal((await client.health.get()).status, "healthy");
  assert.deepEqual(retries.map((r) => [r.attempt, r.status]), [[1, 429], [2, 502]]);
  assert.equal(retries[0]?.delayMs, 0, "Retry-After: 0 means at once");

  hits = [];
  script = [{ status: 504 }, { status: 504 }, { status: 504 }, { status: 200 }];
  const exhausted = await rejection(client.vms.get("4b7e6f0e-8a7c-4c38-9a4f-1d2e3f4a5b6c"));
  assert.equal(exhausted.status, 504);
  assert.equal(hits.length, 3, "three attempts in all by default");
  assert.ok(hits.every((hit) => hit.url === "/api/v1/vms/4b7e6f0e-8a7c-4c38-9a4f-1d2e3f4a5b6c"));

  hits = [];
  script = [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }, { status: 200 }];
  const patient = stubClient({ maxAttempts: 5 }).client;
  assert.equal((await patient.health.get()).status, "healthy");
  assert.equal(hits.length, 5);
});

test("a Retry-After longer than maxRetryAfterMs ends the retries with a RateLimitedError", async () => {
  script = [
    {
      status: 429,
      code: "RATE_LIMITED",
      headers: { "Retry-After": "120", "X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1700000000" },
    },
  ];
  const { client, retries } = stubClient();
  const error = await rejection(client.workspaces.list());
  assert.ok(error instanceof RateLimitedError);
  assert.equal(error.retryAfter, 120);
  assert.deepEqual(error.rateLimit, { limit: 100, remaining: 0, reset: 1_700_000_000 });
  assert.deepEqual(client.rateLimit, { limit: 100, remaining: 0, reset: 1_700_000_000 });
  assert.equal(error.requestId, "req_stub");
  assert.equal(retries.length, 0);
  assert.equal(hits.length, 1);
});

test("a POST is retried only with an Idempotency-Key, resending the same body", async () => {
  script = [{ status: 503, headers: { "Retry-After": "7" } }];
  const { client, retries } = stubClient();
  const refused = await rejection(client.workspaces.create({ name: "once" }));
  assert.ok(refused instanceof ServiceUnavailableError);
  assert.equal(refused.retryAfter, 7);
  assert.equal(hits.length, 1, "a POST without a key is never repeated");
  assert.equal(retries.length, 0);

  hits = [];
  const vm = { id: "4b7e6f0e-8a7c-4c38-9a4f-1d2e3f4a5b6c", name: "keyed", status: "pending" };
  script = [{ status: 503 }, { drop: true }, { status: 201, data: vm }];
  const request = { name: "keyed", provider: "sandbox", instance_type: "t3.micro", region: "us-east-1" } as const;
  const created = await client.vms.create({ ...request, workspace_id: "5e7c9a1b-2d3f-4a5b-8c6d-7e8f9a0b1c2d" }, "key-1");
  assert.equal(created.id, vm.id);
  assert.equal(hits.length, 3);
  assert.ok(hits.every((hit) => hit.method === "POST" && hit.headers["idempotency-key"] === "key-1"));
  assert.equal(new Set(hits.map((hit) => hit.body)).size, 1, "every attempt sends the same body");
  assert.equal(JSON.parse(hits[2]?.body ?? "{}").name, "keyed");
  assert.deepEqual(retries.map((r) => [r.status, r.error?.code]), [[503, undefined], [0, "NETWORK_ERROR"]]);
});

test("a dropped connection is retried for a GET and a NetworkError for a POST", async () => {
  script = [{ drop: true }, { status: 200 }];
  const { client } = stubClient();
  assert.equal((await client.health.get()).status, "healthy");
  assert.equal(hits.length, 2);

  hits = [];
  script = [{ drop: true }, { status: 200 }];
  const error = await rejection(client.auth.logout());
  assert.ok(error instanceof NetworkError);
  assert.equal(error.status, 0);
  assert.equal(hits.length, 1);
});

test("a request without an answer in time is a TimeoutError, and retried", async () => {
  script = [{ delayMs: 2000, status: 200 }, { status: 200 }];
  const { client, retries } = stubClient({}, 100);
  assert.equal((await client.health.get()).status, "healthy");
  assert.deepEqual(retries.map((r) => r.error?.code), ["TIMEOUT"]);

  script = [{ delayMs: 2000, status: 200 }];
  const once = stubClient(false, 100).client;
  const started = Date.now();
  const error = await rejection(once.health.get());
  assert.ok(error instanceof TimeoutError);
  assert.ok(error instanceof SkyClustError);
  assert.equal(error.code, "TIMEOUT");
  assert.ok(Date.now() - started < 1500, "the timeout, not the answer, ended the call");
});

test("retry: false disables retries", async () => {
  script = [{ status: 503 }, { status: 200 }];
  const { client } = stubClient(false);
  assert.equal((await rejection(client.health.get())).code, "SERVICE_UNAVAILABLE");
  assert.equal(hits.length, 1);
});
