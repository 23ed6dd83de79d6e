// The event stream, against the live server and against a local `ws` stub that drops
// connections. `npm test` runs this file twice: on Node 20 without flags (the `ws` fallback)
// and with --experimental-websocket (the global WebSocket, as on Node ≥ 22 and in browsers).
import assert from "node:assert/strict";
import { once } from "node:events";
import type { IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";

import { type WebSocket as StubSocket, WebSocketServer } from "ws";

import {
  type Event,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  type ReconnectInfo,
  SkyClustClient,
  SkyClustError,
  UnauthorizedError,
  websocketURL,
} from "../src/index.js";
import { baseURL, fresh, rejection, within } from "./helpers.js";

const runtime = typeof (globalThis as { WebSocket?: unknown }).WebSocket === "function" ? "global WebSocket" : "ws package";
const fast = { baseDelayMs: 5, maxDelayMs: 20 };

test("the WebSocket URL follows the API's", () => {
  assert.equal(websocketURL("http://127.0.0.1:8080/api/v1"), "ws://127.0.0.1:8080/ws");
  assert.equal(websocketURL("https://example.com/skyclust/api/v1/"), "wss://example.com/skyclust/ws");
});

test(`[${runtime}] vm_status_changed events of a new VM, with an API key and a workspace filter`, async () => {
  const owner = new SkyClustClient({ baseURL });
  await owner.auth.register(fresh());
  const watched = await owner.workspaces.create({ name: "watched" });
  const other = await owner.workspaces.create({ name: "other" });
  const key = await owner.apiKeys.create({ name: "events" });
  const listener = new SkyClustClient({ baseURL, apiKey: key.key });
  const events = listener.events.subscribe({ types: ["vm_status_changed"], workspaceId: watched.id });
  try {
    await within(5000, events.ready, "subscribing");
    const request = { provider: "sandbox", instance_type: "t3.micro", region: "us-east-1" } as const;
    // Events about this one's workspace must not arrive.
    await owner.vms.create({ ...request, name: "elsewhere", workspace_id: other.id });
    const vm = await owner.vms.create({ ...request, name: "watched-vm", workspace_id: watched.id });
    const changes = await within(20_000, (async () => {
      const seen: { status: string; previous: string | null | undefined }[] = [];
      for await (const event of events) {
        // Typed by the subscription: only vm_status_changed, so `data` is a VmStatusChange.
        assert.equal(event.type, "vm_status_changed");
        assert.equal(event.data.vm_id, vm.id);
        assert.equal(event.data.workspace_id, watched.id);
        seen.push({ status: event.data.status, previous: event.data.previous_status });
        if (event.data.status === "running") break;
      }
      return seen;
    })(), "the VM's events");
    assert.equal(changes.at(-1)?.status, "running");
    assert.equal(changes[0]?.previous, "pending");
    changes.slice(1).forEach((change, i) => assert.equal(change.previous, changes[i]?.status));
    assert.ok(events.closed, "break closed the subscription");
  } finally {
    events.close();
  }
});

test(`[${runtime}] logout closes the stream with 4001: an UnauthorizedError, no reconnect`, async () => {
  const client = new SkyClustClient({ baseURL });
  await client.auth.register(fresh());
  const reconnects: ReconnectInfo[] = [];
  const events = client.events.subscribe({ reconnect: fast, onReconnect: (info) => reconnects.push(info) });
  await within(5000, events.ready, "subscribing");
  const ended = rejection(within(5000, events.next(), "the close"));
  await client.auth.logout();
  const error = await ended;
  assert.ok(error instanceof UnauthorizedError);
  assert.equal(error.code, "UNAUTHORIZED");
  assert.equal(error.closeCode, 4001);
  assert.deepEqual(reconnects, []);
  assert.deepEqual(await events.next(), { value: undefined, done: true }, "the iteration has ended");
});

test(`[${runtime}] refused credentials and filters end the stream before it starts`, async () => {
  const forged = new SkyClustClient({ baseURL, token: "not-a-token" }).events.subscribe();
  const refused = await rejection(within(5000, forged.ready, "the refusal"));
  assert.ok(refused instanceof UnauthorizedError);
  assert.equal(refused.closeCode, 4001);
  const again = await rejection(forged.next());
  assert.ok(again instanceof UnauthorizedError);

  const anonymous = new SkyClustClient({ baseURL }).events.subscribe();
  const unsigned = await rejection(anonymous.next());
  assert.ok(unsigned instanceof UnauthorizedError);
  assert.match(unsigned.message, /token or an API key/);

  const client = new SkyClustClient({ baseURL });
  await client.auth.register(fresh());
  const hidden = client.events.subscribe({ workspaceId: "5e7c9a1b-2d3f-4a5b-8c6d-7e8f9a0b1c2d" });
  assert.ok((await rejection(within(5000, hidden.ready, "the refusal"))) instanceof NotFoundError);

  const unreachable = new SkyClustClient({ baseURL: "http://127.0.0.1:9/api/v1", token: "t" }).events.subscribe();
  assert.ok((await rejection(within(5000, unreachable.next(), "the failure"))) instanceof NetworkError);
});

/**
 * A `ws` server that records each connection and hands it to `serve`. `close` also closes the
 * subscriptions given to `track`, so a failed test leaves nothing reconnecting.
 */
async function stub(serve: (socket: StubSocket, index: number) => void): Promise<{
  baseURL: string;
  connections: { path: string | undefined; received: unknown[]; closed: Promise<number> }[];
  track: <S extends { close(): void }>(subscription: S) => S;
  close: () => Promise<void>;
}> {
  const tracked: { close(): void }[] = [];
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await once(server, "listening");
  const connections: { path: string | undefined; received: unknown[]; closed: Promise<number> }[] = [];
  server.on("connection", (socket: StubSocket, request: IncomingMessage) => {
    const received: unknown[] = [];
    const closed = new Promise<number>((resolve) => socket.on("close", (code: number) => resolve(code)));
    connections.push({ path: request.url, received, closed });
    socket.on("message", (data) => received.push(JSON.parse(String(data))));
    serve(socket, connections.length - 1);
  });
  return {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`,
    connections,
    track: (subscription) => {
      tracked.push(subscription);
      return subscription;
    },
    close: () =>
      new Promise((resolve) => {
        for (const subscription of tracked) subscription.close();
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

/** Answers `auth` and `subscribe` as the server does, then calls `then`. */
function handshake(socket: StubSocket, then: () => void): void {
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { type: string; events?: string[]; workspace_id?: string };
    if (message.type === "auth") {
      socket.send(JSON.stringify({ type: "auth_success", user_id: "7d9f7a4e-3c1b-4f7e-9a55-0c4b8e2d1f3a" }));
    } else if (message.type === "subscribe") {
      socket.send(JSON.stringify({ type: "subscribed", events: message.events ?? [], workspace_id: message.workspace_id ?? null }));
      then();
    }
  });
}

function notification(id: string): Event {
  return {
    type: "notification_received",
    id,
    timestamp: "2024-01-01T00:00:00Z",
    data: {
      id: "5e7c9a1b-2d3f-4a5b-8c6d-7e8f9a0b1c2d",
      title: "t",
      message: "m",
      type: "info",
      priority: "low",
      is_read: false,
      created_at: "2024-01-01T00:00:00Z",
      read_at: null,
    },
  };
}

test(`[${runtime}] a dropped connection is remade: auth and subscribe again, then events flow`, async () => {
  const workspaceId = "3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e";
  const server = await stub((socket, index) =>
    handshake(socket, () => {
      if (index === 0) socket.terminate();
      else socket.send(JSON.stringify(notification("evt_after_reconnect")));
    }),
  );
  try {
    const reconnects: ReconnectInfo[] = [];
    const client = new SkyClustClient({ baseURL: server.baseURL, token: "stub-token" });
    const received: Event[] = [];
    const subscription = server.track(client.events.subscribe({
      types: ["notification_received"],
      workspaceId,
      reconnect: fast,
      onReconnect: (info) => reconnects.push(info),
    }));
    await within(5000, (async () => {
      for await (const event of subscription) {
        received.push(event);
        break;
      }
    })(), "the event after the reconnect");
    assert.deepEqual(received.map((event) => event.id), ["evt_after_reconnect"]);
    assert.equal(server.connections.length, 2);
    for (const connection of server.connections) {
      assert.equal(connection.path, "/ws");
      assert.deepEqual(connection.received, [
        { type: "auth", token: "stub-token" },
        { type: "subscribe", events: ["notification_received"], workspace_id: workspaceId },
      ]);
    }
    assert.equal(reconnects.length, 1);
    assert.equal(reconnects[0]?.attempt, 1);
    assert.match(reconnects[0]?.reason ?? "", /1006/);
    assert.ok((reconnects[0]?.delayMs ?? -1) >= 0 && (reconnects[0]?.delayMs ?? 99) <= 10);
    // `break` closed the socket, and nothing reconnects after it.
    assert.equal(await within(2000, server.connections[1]!.closed, "the close"), 1000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(server.connections.length, 2);
  } finally {
    await server.close();
  }
});

test(`[${runtime}] 4008 and 1001 reconnect; 4001 ends the stream after the events before it`, async () => {
  const server = await stub((socket, index) =>
    handshake(socket, () => {
      if (index === 0) socket.close(4008, "client too slow");
      else if (index === 1) socket.close(1001, "server shutting down");
      else {
        socket.send(JSON.stringify(notification("evt_1")));
        socket.send(JSON.stringify({ type: "pong" }));
        socket.send(JSON.stringify(notification("evt_2")));
        socket.close(4001, "credentials revoked");
      }
    }),
  );
  try {
    const reconnects: ReconnectInfo[] = [];
    const client = new SkyClustClient({ baseURL: server.baseURL, apiKey: "sk_stub" });
    const subscription = server.track(client.events.subscribe({ reconnect: fast, onReconnect: (info) => reconnects.push(info) }));
    const ids: string[] = [];
    const error = await rejection(within(5000, (async () => {
      for await (const event of subscription) ids.push(event.id);
    })(), "the 4001 close"));
    assert.deepEqual(ids, ["evt_1", "evt_2"]);
    assert.ok(error instanceof UnauthorizedError && error instanceof SkyClustError);
    assert.equal(error.closeCode, 4001);
    assert.match(error.message, /credentials revoked/);
    assert.deepEqual(reconnects.map((info) => [info.attempt, info.reason]), [
      [1, "closed with 4008 client too slow"],
      [1, "closed with 1001 server shutting down"],
    ]);
    assert.deepEqual(server.connections.map((c) => c.received[0]), Array(3).fill({ type: "auth", api_key: "sk_stub" }));
  } finally {
    await server.close();
  }
});

/** Resolves once `condition` holds (checked every few milliseconds); fails the test after `ms`. */
function until(what: string, condition: () => boolean, ms = 5000): Promise<void> {
  return within(ms, new Promise<void>((resolve) => {
    const check = (): void => {
      if (condition()) resolve();
      else setTimeout(check, 2);
    };
    check();
  }), what);
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test(`[${runtime}] a reader that stops reading: at most maxBuffered events held, no reconnect until it reads`, async () => {
  // Every connection floods the client with events as soon as it has subscribed.
  const server = await stub((socket, index) =>
    handshake(socket, () => {
      for (let i = 0; i < 20; i++) socket.send(JSON.stringify(notification(`evt_${index}_${i}`)));
    }),
  );
  try {
    const reconnects: ReconnectInfo[] = [];
    const client = new SkyClustClient({ baseURL: server.baseURL, token: "stub-token" });
    const subscription = server.track(client.events.subscribe({
      maxBuffered: 3,
      reconnect: fast,
      onReconnect: (info) => reconnects.push(info),
    }));
    await within(5000, subscription.ready, "subscribing");
    // Nothing is read: the overflow closes the connection…
    await within(5000, server.connections[0]!.closed, "the overflow's close");
    // …and, however long the reader stays away, the buffer stays bounded and nothing reconnects
    // (each reconnect would re-authenticate and bring one more event).
    let most = 0;
    for (let waited = 0; waited < 150; waited += 5) {
      most = Math.max(most, subscription.buffered);
      await pause(5);
    }
    assert.equal(most, 3, "the buffer holds maxBuffered events, no more");
    assert.equal(server.connections.length, 1, "no reconnect while the reader is behind");
    assert.equal(reconnects.length, 0);

    // One event read: the buffer is below its bound, so the stream reconnects (and, read no
    // further, overflows again).
    assert.equal((await subscription.next()).value?.id, "evt_0_0");
    await until("the reconnect after a read", () => server.connections.length === 2);
    await within(5000, server.connections[1]!.closed, "the second overflow's close");
    await pause(30);
    assert.equal(server.connections.length, 2);
    assert.equal(subscription.buffered, 3);
    // Another read, another connection; the backoff was not reset by the overflowing ones.
    assert.equal((await subscription.next()).value?.id, "evt_0_1");
    await until("the second reconnect", () => server.connections.length === 3);
    assert.deepEqual(reconnects.map((info) => info.attempt), [1, 2]);
    for (const info of reconnects) assert.match(info.reason, /faster than they were read \(more than 3 waiting\)/);
    // What was buffered is delivered in order, then the first event of each new connection.
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await within(5000, subscription.next(), "an event")).value?.id ?? "");
    assert.deepEqual(ids, ["evt_0_2", "evt_1_0", "evt_2_0"]);
    for (const connection of server.connections) {
      assert.deepEqual(connection.received[0], { type: "auth", token: "stub-token" });
    }
  } finally {
    await server.close();
  }
});

/** After `auth`: a refusal as the server sends it for too many sessions (the error, then 4029), or the close alone. */
function tooManySessions(socket: StubSocket, withError: boolean): void {
  if (withError) {
    socket.send(JSON.stringify({ type: "error", code: "RATE_LIMITED", message: "too many WebSocket sessions for this user" }));
  }
  socket.close(4029, "too many sessions");
}

test(`[${runtime}] a 4029 close during the handshake ends the stream with RATE_LIMITED: no reconnect`, async () => {
  for (const withError of [false, true]) {
    const server = await stub((socket) =>
      socket.on("message", (data) => {
        if ((JSON.parse(String(data)) as { type: string }).type === "auth") tooManySessions(socket, withError);
      }),
    );
    try {
      const reconnects: ReconnectInfo[] = [];
      const client = new SkyClustClient({ baseURL: server.baseURL, apiKey: "sk_stub" });
      const subscription = server.track(client.events.subscribe({ reconnect: fast, onReconnect: (info) => reconnects.push(info) }));
      const error = await rejection(within(5000, subscription.next(), "the 4029 close"));
      assert.ok(error instanceof RateLimitedError, `${error.name}: ${error.message}`);
      assert.equal(error.code, "RATE_LIMITED");
      assert.equal(error.closeCode, 4029);
      assert.match(error.message, withError ? /too many WebSocket sessions/ : /too many sessions/);
      await pause(50);
      assert.equal(server.connections.length, 1);
      assert.deepEqual(reconnects, []);
      assert.deepEqual(await subscription.next(), { value: undefined, done: true }, "the iteration has ended");
    } finally {
      await server.close();
    }
  }
});

test(`[${runtime}] 4029 ends the stream on a reconnect's handshake and on an open connection alike`, async () => {
  // A reconnect refused with 4029: the stream ends there rather than retrying without end.
  const refusedReconnect = await stub((socket, index) => {
    if (index === 0) handshake(socket, () => socket.close(1001, "server shutting down"));
    else socket.on("message", () => tooManySessions(socket, true));
  });
  // An open connection closed with 4029.
  const closedOpen = await stub((socket) => handshake(socket, () => socket.close(4029, "too many sessions")));
  try {
    for (const [server, connections] of [[refusedReconnect, 2], [closedOpen, 1]] as const) {
      const reconnects: ReconnectInfo[] = [];
      const client = new SkyClustClient({ baseURL: server.baseURL, token: "stub-token" });
      const subscription = server.track(client.events.subscribe({ reconnect: fast, onReconnect: (info) => reconnects.push(info) }));
      await within(5000, subscription.ready, "subscribing");
      const error = await rejection(within(5000, subscription.next(), "the 4029 close"));
      assert.ok(error instanceof RateLimitedError, `${error.name}: ${error.message}`);
      assert.equal(error.closeCode, 4029);
      await pause(50);
      assert.equal(server.connections.length, connections);
      assert.equal(reconnects.length, connections - 1);
    }
  } finally {
    await refusedReconnect.close();
    await closedOpen.close();
  }
});
