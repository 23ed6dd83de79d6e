// Redirects are never followed: against two local node:http stubs, one answering every request
// with a redirect to the other, which must receive nothing (fetch would otherwise forward
// X-API-Key to it, and re-send a 307/308's body with the secrets in it).
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, test } from "node:test";

import { NetworkError, SkyClustClient } from "../src/index.js";
import { rejection } from "./helpers.js";

interface Hit {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A server recording each request, answered by `answer`. */
function recording(hits: Hit[], answer: (request: IncomingMessage, response: ServerResponse) => void): Server {
  return createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      hits.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers, body });
      answer(request, response);
    });
  });
}

const redirected: Hit[] = [];
const stolen: Hit[] = [];
let status = 307;
let targetURL = "";
let apiURL = "";
// Where the redirects point: answers as the API would, so a followed redirect would succeed.
const target = recording(stolen, (_request, response) => {
  response.writeHead(200, { "Content-Type": "application/json" });
  response.end(JSON.stringify({ success: true, data: { status: "healthy" }, request_id: "req_elsewhere", timestamp: "2024-01-01T00:00:00Z" }));
});
const redirector = recording(redirected, (request, response) => {
  response.writeHead(status, { Location: `${targetURL}${request.url ?? "/"}`, "Content-Type": "text/plain" });
  response.end("moved");
});

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

before(async () => {
  targetURL = await listen(target);
  apiURL = `${await listen(redirector)}/api/v1`;
});
after(() => {
  for (const server of [target, redirector]) {
    server.closeAllConnections();
    server.close();
  }
});
beforeEach(() => {
  redirected.length = 0;
  stolen.length = 0;
});

test("a 307 to another host is not followed: no credentials or body reach it, and the call fails clearly", async () => {
  status = 307;
  const client = new SkyClustClient({ baseURL: apiURL, apiKey: "sk_secret_key" });
  const error = await rejection(
    client.credentials.create({
      name: "prod",
      provider: "aws",
      data: { access_key: "AKIAEXAMPLE", secret_key: "the-cloud-secret", region: "us-east-1" },
    }),
  );
  assert.ok(error instanceof NetworkError, `${error.name}: ${error.message}`);
  assert.equal(error.code, "NETWORK_ERROR");
  assert.match(error.message, /POST .*\/api\/v1\/credentials was answered with 307 redirecting to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/credentials/);
  assert.match(error.message, /does not follow/);
  assert.deepEqual(stolen, [], "the redirect's target received nothing");
  assert.equal(redirected.length, 1);
  assert.equal(redirected[0]?.headers["x-api-key"], "sk_secret_key");
});

test("no redirect status is followed, and a GET redirected is not retried", async () => {
  for (const code of [301, 302, 303, 307, 308]) {
    status = code;
    redirected.length = 0;
    const withToken = new SkyClustClient({ baseURL: apiURL, token: "the-token", retry: { baseDelayMs: 1 } });
    const error = await rejection(withToken.workspaces.list());
    assert.ok(error instanceof NetworkError, `${code}: ${error.name}: ${error.message}`);
    assert.match(error.message, new RegExp(`GET .* was answered with ${code} redirecting to`));
    assert.equal(redirected.length, 1, `${code}: tried once (another attempt would be redirected again)`);

    // The typed low-level client goes through the same fetch.
    const raw = await rejection(new SkyClustClient({ baseURL: apiURL, apiKey: "sk_secret_key" }).http.GET("/health"));
    assert.ok(raw instanceof NetworkError);
  }
  assert.deepEqual(stolen, [], "the redirects' target received nothing");
});
