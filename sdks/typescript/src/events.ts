/**
 * The event stream: `client.events.subscribe()`, an `AsyncIterable` over `GET /ws`.
 *
 * Each connection authenticates with the client's token or API key, then subscribes; after a
 * dropped connection the stream reconnects with full-jitter exponential backoff and
 * re-authenticates and re-subscribes (events published meanwhile are not replayed). A close
 * with 4001 (credentials no longer valid) ends the iteration with an {@link UnauthorizedError},
 * and one with 4029 (too many sessions) with a {@link RateLimitedError}, each carrying the close
 * code, during the handshake or after it; `break` (or `return()`, or
 * {@link EventSubscription.close}) closes the socket. A reader that falls `maxBuffered` events
 * behind has its connection closed, and it is remade only once the reader has caught up again.
 * The protocol is the server's `skyclust-server/src/websocket/mod.rs`.
 */
import { errorFor, NetworkError, RateLimitedError, SkyClustError, TimeoutError, UnauthorizedError, type ErrorCode } from "./errors.js";
import { retryDelay, sleep } from "./retry.js";
import type { components } from "./schema.js";

type Schemas = components["schemas"];
export type Event = Schemas["Event"];
export type EventType = Schemas["EventType"];
export type ClientMessage = Schemas["ClientMessage"];
export type ControlMessage = Schemas["ControlMessage"];
export type ServerMessage = Schemas["ServerMessage"];
export type VmStatusChange = Schemas["VmStatusChange"];
export type CostUpdate = Schemas["CostUpdate"];

/** The event of type `K` (every event when `K` is all of them). */
export type EventOf<K extends EventType> = [K] extends [never] ? Event : Extract<Event, { type: K }>;

/** Close code: authentication missing, late or invalid, or revoked since. */
export const CLOSE_UNAUTHORIZED = 4001;
/** Close code: the client did not read fast enough. */
export const CLOSE_TOO_SLOW = 4008;
/** Close code: the user holds the most sessions allowed. */
export const CLOSE_TOO_MANY_SESSIONS = 4029;

/**
 * The part of the WebSocket API this module uses: what the global `WebSocket` (browsers,
 * Node ≥ 22) and the `ws` package both provide.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open", listener: () => void): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: "error", listener: (event: unknown) => void): void;
}

/** A `WebSocket` constructor: the global one, `ws`'s, or one of your own. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** What {@link SubscribeOptions.onReconnect} is told before each reconnect attempt. */
export interface ReconnectInfo {
  /**
   * Which attempt is next (from 1; back to 1 after a connection that succeeded, but for one
   * closed because the reader fell behind: the backoff then keeps growing).
   */
  attempt: number;
  /** How long until it is made. */
  delayMs: number;
  /** Why the previous connection ended (or the previous attempt failed). */
  reason: string;
}

export interface SubscribeOptions<K extends EventType = EventType> {
  /** Event types to receive; all when absent or empty. */
  types?: K[] | undefined;
  /** Only events about this workspace (events about no workspace still arrive). */
  workspaceId?: string | undefined;
  /** Backoff between reconnect attempts (full jitter; defaults 250 ms and 30 s). */
  reconnect?: { baseDelayMs?: number | undefined; maxDelayMs?: number | undefined } | undefined;
  /** Called before each reconnect attempt. */
  onReconnect?: ((info: ReconnectInfo) => void) | undefined;
  /** How long a connection may take to authenticate and subscribe (default 10 000 ms). */
  handshakeTimeoutMs?: number | undefined;
  /**
   * Events held for a consumer that does not keep up (default 1024, at least 1). An event
   * beyond that is dropped and the connection closed (as the server itself does with 4008)
   * rather than buffering without bound; it is remade, after the backoff, only once the reader
   * has taken events and the buffer is below this bound again.
   */
  maxBuffered?: number | undefined;
}

/** What the stream needs from the client. */
export interface EventStreamSource {
  baseURL: string;
  /** The `auth` message for the current credential, or `undefined` without one. */
  authMessage(): ClientMessage | undefined;
  /** The constructor to use, when the client was given one. */
  webSocket: WebSocketConstructor | undefined;
}

/** `http://host/api/v1` → `ws://host/ws` (a prefix before `/api/v1` is kept). */
export function websocketURL(baseURL: string): string {
  const url = new URL(baseURL);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const path = url.pathname.replace(/\/+$/, "");
  url.pathname = `${path.endsWith("/api/v1") ? path.slice(0, -"/api/v1".length) : path}/ws`;
  url.search = "";
  url.hash = "";
  return url.toString();
}

let wsPackage: Promise<WebSocketConstructor> | undefined;

/** The global `WebSocket`, else the `ws` package (loaded only then, so browsers never fetch it). */
async function webSocketConstructor(given: WebSocketConstructor | undefined): Promise<WebSocketConstructor> {
  if (given) return given;
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (global) return global;
  wsPackage ??= import("ws").then(
    (module) => module.WebSocket as unknown as WebSocketConstructor,
    (cause: unknown) => {
      wsPackage = undefined;
      throw new NetworkError(0, "NETWORK_ERROR", "this runtime has no global WebSocket and the `ws` package is not installed (npm install ws)", { cause });
    },
  );
  return wsPackage;
}

/** How a connection that was established ended. */
interface Ended {
  code: number;
  reason: string;
  /** Closed by the client because the reader fell `maxBuffered` events behind. */
  overflowed: boolean;
}

/** A connection that authenticated and subscribed. */
interface Connection {
  ended: Promise<Ended>;
  /** Closes the socket; `reason` is what the stream reports as the cause. */
  close(reason?: string): void;
}

const EVENT_TYPES: ReadonlySet<string> = new Set<EventType>([
  "vm_status_changed",
  "cost_updated",
  "notification_received",
  "audit_log_created",
]);

/**
 * A subscription: iterate it with `for await`. The first connection starts at once;
 * {@link EventSubscription.ready} settles when it has subscribed (or failed).
 */
export class EventSubscription<T extends Event = Event> implements AsyncIterableIterator<T> {
  /**
   * Resolves once the first connection has authenticated and subscribed — from then on no
   * event is missed; rejects as the iteration would (bad credentials, unreachable server).
   */
  readonly ready: Promise<void>;
  private readonly queue: T[] = [];
  /** `next()` calls waiting for an event, oldest first. */
  private readonly waiters: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void }[] = [];
  private failure: SkyClustError | undefined;
  private finished = false;
  private readonly stopping = new AbortController();
  private connection: Connection | undefined;
  /** Resolves the wait of a stream that overflowed, once the reader has drained the buffer. */
  private drained: (() => void) | undefined;
  private markReady!: () => void;
  private failReady!: (error: unknown) => void;

  constructor(
    private readonly source: EventStreamSource,
    private readonly options: SubscribeOptions<EventType>,
  ) {
    this.ready = new Promise<void>((resolve, reject) => {
      this.markReady = resolve;
      this.failReady = reject;
    });
    // A caller that only iterates still learns of a failure there; this keeps Node from
    // reporting the unobserved `ready` rejection as unhandled.
    this.ready.catch(() => undefined);
    // Anything unforeseen (a base URL that is not a URL) ends the stream rather than escaping.
    this.run().catch((error: unknown) => {
      this.finish(error instanceof SkyClustError ? error : new NetworkError(0, "NETWORK_ERROR", String(error), { cause: error }));
    });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    const event = this.queue.shift();
    if (event !== undefined) {
      if (this.queue.length < this.maxBuffered) this.wake();
      return Promise.resolve({ value: event, done: false });
    }
    if (this.failure) {
      const failure = this.failure;
      this.failure = undefined;
      this.finished = true;
      return Promise.reject(failure);
    }
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
    });
  }

  /** Called by `break`: closes the socket and stops reconnecting. */
  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Closes the socket and ends the iteration (pending `next()` calls resolve as done). */
  close(): void {
    if (this.stopping.signal.aborted) return;
    this.stopping.abort();
    this.connection?.close();
    this.wake();
    this.queue.length = 0;
    this.failure = undefined;
    this.finish();
  }

  /** Whether {@link EventSubscription.close} was called (or the stream ended). */
  get closed(): boolean {
    return this.stopping.signal.aborted || this.finished;
  }

  /** Events received and not read yet (never more than `maxBuffered`). */
  get buffered(): number {
    return this.queue.length;
  }

  private get maxBuffered(): number {
    return Math.max(1, this.options.maxBuffered ?? 1024);
  }

  /** Ends the wait of {@link EventSubscription.untilDrained}. */
  private wake(): void {
    const drained = this.drained;
    this.drained = undefined;
    drained?.();
  }

  /** Resolves once the buffer is below `maxBuffered` (the reader took events) or the stream is closed. */
  private untilDrained(): Promise<void> {
    if (this.queue.length < this.maxBuffered || this.stopping.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      this.drained = resolve;
    });
  }

  private finish(failure?: SkyClustError): void {
    this.failReady(failure ?? new NetworkError(0, "NETWORK_ERROR", "the subscription was closed before it connected"));
    const waiters = this.waiters.splice(0);
    if (failure && waiters.length === 0) {
      // Reported by the next `next()`, after the events still queued.
      this.failure = failure;
      return;
    }
    this.finished = true;
    for (const [index, waiter] of waiters.entries()) {
      if (failure && index === 0) waiter.reject(failure);
      else waiter.resolve({ value: undefined, done: true });
    }
  }

  /** Hands `event` to a waiting `next()` or queues it; `false` (and the event dropped) when the queue is full. */
  private deliver(event: T): boolean {
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.resolve({ value: event, done: false });
      return true;
    }
    if (this.queue.length >= this.maxBuffered) return false;
    this.queue.push(event);
    return true;
  }

  private async run(): Promise<void> {
    const url = websocketURL(this.source.baseURL);
    const backoff = {
      baseDelayMs: this.options.reconnect?.baseDelayMs ?? 250,
      maxDelayMs: this.options.reconnect?.maxDelayMs ?? 30_000,
    };
    let connectedOnce = false;
    let attempt = 0;
    while (!this.stopping.signal.aborted) {
      let reason: string;
      try {
        const connection = await this.connect(url);
        if (this.stopping.signal.aborted) {
          connection.close();
          return;
        }
        this.connection = connection;
        connectedOnce = true;
        this.markReady();
        const ended = await connection.ended;
        this.connection = undefined;
        if (this.stopping.signal.aborted) return;
        const final = closeError(ended.code, ended.reason);
        if (final) {
          this.finish(final);
          return;
        }
        if (ended.overflowed) {
          // No new connection (and its flood of events) until the reader has caught up, and
          // the backoff is not reset: a reader that stays behind is not reconnected over and over.
          reason = ended.reason;
          await this.untilDrained();
          if (this.stopping.signal.aborted) return;
        } else {
          attempt = 0;
          reason = `closed with ${ended.code}${ended.reason ? ` ${ended.reason}` : ""}`;
        }
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        const failure = error instanceof SkyClustError ? error : new NetworkError(0, "NETWORK_ERROR", String(error), { cause: error });
        // The first connection's failure is the caller's to see (as the Rust SDK's subscribe
        // fails); later, only answers that another try cannot change end the stream.
        if (!connectedOnce || isFinal(failure)) {
          this.finish(failure);
          return;
        }
        reason = failure.message;
      }
      attempt += 1;
      const delayMs = retryDelay(backoff, attempt);
      this.options.onReconnect?.({ attempt, delayMs, reason });
      await sleep(delayMs, this.stopping.signal);
    }
  }

  /** Opens a socket, authenticates and subscribes. */
  private async connect(url: string): Promise<Connection> {
    const auth = this.source.authMessage();
    if (!auth) {
      throw new UnauthorizedError(0, "UNAUTHORIZED", "the event stream needs a token or an API key");
    }
    const WebSocketClass = await webSocketConstructor(this.source.webSocket);
    const socket = new WebSocketClass(url);
    const subscribe: ClientMessage = {
      type: "subscribe",
      events: this.options.types ?? [],
      ...(this.options.workspaceId === undefined ? {} : { workspace_id: this.options.workspaceId }),
    };
    return new Promise<Connection>((resolve, reject) => {
      let phase: "auth" | "subscribe" | "open" | "done" = "auth";
      let refusal: SkyClustError | undefined;
      let problem = "";
      let closedBecause: string | undefined;
      let overflowed = false;
      let endedWith: (ended: Ended) => void = () => undefined;
      const ended = new Promise<Ended>((resolveEnded) => {
        endedWith = resolveEnded;
      });
      const closeSocket = (reason?: string): void => {
        closedBecause ??= reason;
        try {
          socket.close(1000, "client closed");
        } catch {
          // Closing a socket that is still connecting throws in some implementations.
        }
      };
      const fail = (error: SkyClustError): void => {
        if (phase === "done") return;
        phase = "done";
        clearTimeout(timer);
        closeSocket();
        reject(error);
      };
      const timeoutMs = this.options.handshakeTimeoutMs ?? 10_000;
      const timer = setTimeout(() => {
        fail(new TimeoutError(0, "TIMEOUT", `the event stream did not authenticate and subscribe within ${timeoutMs} ms`));
      }, timeoutMs);

      socket.addEventListener("open", () => {
        socket.send(JSON.stringify(auth));
      });
      // An `error` means the connection failed (a clean close, 4001 included, has none). Some
      // implementations (Node 20's experimental WebSocket) never follow it with `close`, so
      // it ends the connection here.
      socket.addEventListener("error", (event) => {
        const { message, error } = event as { message?: unknown; error?: { message?: unknown } };
        const text = [error?.message, message].find((candidate) => typeof candidate === "string" && candidate !== "");
        if (typeof text === "string") problem = text;
        if (phase === "open") {
          phase = "done";
          closeSocket();
          endedWith({ code: 1006, reason: closedBecause ?? (problem || "connection failed"), overflowed });
        } else {
          fail(new NetworkError(0, "NETWORK_ERROR", `the event stream cannot connect to ${url}: ${problem || "connection failed"}`));
        }
      });
      socket.addEventListener("message", (event) => {
        if (typeof event.data !== "string") return;
        let message: ServerMessage;
        try {
          message = JSON.parse(event.data) as ServerMessage;
        } catch {
          return;
        }
        if (phase === "open") {
          // What still arrives on a socket being closed is not wanted any more.
          if (closedBecause !== undefined || this.stopping.signal.aborted) return;
          // Control messages after the handshake (pong, a refused message) are not events.
          if (EVENT_TYPES.has(message.type) && "id" in message && !this.deliver(message as T)) {
            overflowed = true;
            closeSocket(`events arrived faster than they were read (more than ${this.maxBuffered} waiting)`);
          }
          return;
        }
        if (message.type === "error") {
          const error = errorFor(statusOf(message.code), message.code, message.message);
          // An unauthorized answer is followed by the 4001 close, and too many sessions by the
          // 4029 close, which completes the error.
          if (message.code === "UNAUTHORIZED" || message.code === "RATE_LIMITED") refusal = error;
          else fail(error);
        } else if (phase === "auth" && message.type === "auth_success") {
          phase = "subscribe";
          socket.send(JSON.stringify(subscribe));
        } else if (phase === "subscribe" && message.type === "subscribed") {
          phase = "open";
          clearTimeout(timer);
          resolve({ ended, close: closeSocket });
        }
        // Events before `subscribed` were sent under the previous filter: dropped.
      });
      socket.addEventListener("close", (event) => {
        clearTimeout(timer);
        if (phase === "open") {
          phase = "done";
          endedWith({ code: event.code, reason: closedBecause ?? event.reason, overflowed });
          return;
        }
        const detail = event.reason || problem || "connection closed";
        // The close code says what ended the stream; a refusal sent before it says so too
        // when the close itself was not a clean one.
        const kind = event.code === CLOSE_UNAUTHORIZED || event.code === CLOSE_TOO_MANY_SESSIONS || !refusal ? event.code : closeCodeOf(refusal);
        const final = closeError(kind, refusal?.message ?? detail, event.code);
        if (final) {
          fail(final);
        } else {
          fail(new NetworkError(0, "NETWORK_ERROR", `the event stream's connection to ${url} ended (${event.code} ${detail})`, { closeCode: event.code }));
        }
      });
    });
  }
}

/**
 * Failures that reconnecting cannot fix: the server refused the credentials or the filter, or
 * closed with 4001 or 4029 (or sent their refusal before a close that was not clean).
 */
function isFinal(error: SkyClustError): boolean {
  return (
    error.closeCode === CLOSE_UNAUTHORIZED ||
    error.closeCode === CLOSE_TOO_MANY_SESSIONS ||
    // Refused by the event stream itself (too many sessions), not an HTTP 429.
    (error.code === "RATE_LIMITED" && error.closeCode !== undefined) ||
    error.code === "UNAUTHORIZED" ||
    error.code === "FORBIDDEN" ||
    error.code === "NOT_FOUND" ||
    error.code === "VALIDATION_ERROR"
  );
}

/**
 * The error that ends the stream for close code `code`, whenever it comes: 4001 (credentials
 * refused or revoked) and 4029 (the user holds the most sessions allowed; another connection
 * would only be refused again). `undefined` for the codes after which the stream reconnects.
 */
function closeError(code: number, reason: string, closeCode: number = code): SkyClustError | undefined {
  if (code === CLOSE_UNAUTHORIZED) {
    return new UnauthorizedError(401, "UNAUTHORIZED", reason || "credentials no longer valid", { closeCode });
  }
  if (code === CLOSE_TOO_MANY_SESSIONS) {
    return new RateLimitedError(429, "RATE_LIMITED", reason || "too many sessions", { closeCode });
  }
  return undefined;
}

/** The close code that goes with a refusal sent before it (`UNAUTHORIZED` → 4001, `RATE_LIMITED` → 4029). */
function closeCodeOf(refusal: SkyClustError): number {
  return refusal.code === "RATE_LIMITED" ? CLOSE_TOO_MANY_SESSIONS : CLOSE_UNAUTHORIZED;
}

function statusOf(code: ErrorCode): number {
  const statuses: Partial<Record<ErrorCode, number>> = {
    VALIDATION_ERROR: 400,
    UNAUTHORIZED: 401,
    FORBIDDEN: 403,
    NOT_FOUND: 404,
    RATE_LIMITED: 429,
    SERVICE_UNAVAILABLE: 503,
  };
  return statuses[code] ?? 500;
}
