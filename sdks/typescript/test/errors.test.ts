// Each error code the live server answers arrives as its own SkyClustError subclass.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";

import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  SkyClustClient,
  SkyClustError,
  UnauthorizedError,
  ValidationError,
} from "../src/index.js";
import { baseURL, fresh, rejection } from "./helpers.js";

test("a subclass per code, all SkyClustError, named after the class", async () => {
  const client = new SkyClustClient({ baseURL });
  const account = fresh();
  await client.auth.register(account);

  const invalid = await rejection(client.auth.register({ username: "x", email: "nope", password: "short" }));
  assert.ok(invalid instanceof ValidationError);
  assert.equal(invalid.name, "ValidationError");
  assert.deepEqual(Object.keys(invalid.fields).sort(), ["email", "password", "username"]);
  // The message names every field, whether or not the server's summary did.
  for (const field of ["email", "password", "username"]) assert.match(invalid.message, new RegExp(field));

  const conflict = await rejection(client.auth.register(account));
  assert.ok(conflict instanceof ConflictError);
  assert.equal(conflict.status, 409);

  const missing = await rejection(client.workspaces.get(randomUUID()));
  assert.ok(missing instanceof NotFoundError);
  assert.equal(missing.code, "NOT_FOUND");
  assert.match(missing.requestId ?? "", /^req_/);

  const key = await client.apiKeys.create({ name: "read-only", read_only: true });
  const readOnly = new SkyClustClient({ baseURL, apiKey: key.key });
  const forbidden = await rejection(readOnly.workspaces.create({ name: "nope" }));
  assert.ok(forbidden instanceof ForbiddenError);
  assert.equal(forbidden.status, 403);

  const anonymous = new SkyClustClient({ baseURL });
  const unauthorized = await rejection(anonymous.auth.me());
  assert.ok(unauthorized instanceof UnauthorizedError);
  assert.equal(String(unauthorized).split(":")[0], "UnauthorizedError");

  for (const error of [invalid, conflict, missing, forbidden, unauthorized]) {
    assert.ok(error instanceof SkyClustError && error instanceof Error);
    assert.ok(!(error instanceof RateLimitedError));
  }
});

test("a base URL without /api/v1 says so", async () => {
  const root = new URL(baseURL).origin;
  const client = new SkyClustClient({ baseURL: root, token: "x" });
  const error = await rejection(client.workspaces.list());
  assert.ok(error instanceof NotFoundError);
  assert.match(error.message, /does not end in \/api\/v1/);
  // The right base URL gets no such hint.
  const signedIn = new SkyClustClient({ baseURL });
  await signedIn.auth.register(fresh());
  const right = await rejection(signedIn.workspaces.get(randomUUID()));
  assert.ok(right instanceof NotFoundError);
  assert.doesNotMatch(right.message, /api\/v1/);
});
