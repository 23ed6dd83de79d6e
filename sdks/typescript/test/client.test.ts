// The TypeScript SDK against a live server (started by scripts/conformance.sh), via node's test runner.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";

import { type CostBreakdownQuery, NetworkError, type RetryInfo, SkyClustClient } from "../src/index.js";
import { adminEmail, adminPassword, baseURL, fresh, rejection } from "./helpers.js";

test("register, me, logout and the revoked token", async () => {
  const client = new SkyClustClient({ baseURL });
  const account = fresh();
  const session = await client.auth.register(account);
  assert.equal(session.user.username, account.username);
  assert.equal(session.user.role, "user");
  assert.equal(client.getToken(), session.token);

  const me = await client.auth.me();
  assert.equal(me.user.id, session.user.id);
  assert.equal(me.auth_method, "jwt");
  assert.ok(me.permissions.includes("vm:read"));

  await client.auth.logout();
  assert.equal(client.getToken(), undefined);
  const revoked = new SkyClustClient({ baseURL, token: session.token });
  const error = await rejection(revoked.auth.me());
  assert.equal(error.status, 401);
  assert.equal(error.code, "UNAUTHORIZED");
  assert.match(error.requestId ?? "", /^req_/);
});

test("login and validation errors", async () => {
  const account = fresh();
  await new SkyClustClient({ baseURL }).auth.register(account);
  const client = new SkyClustClient({ baseURL });
  const wrong = await rejection(client.auth.login({ email: account.email, password: "not-the-password" }));
  assert.equal(wrong.code, "UNAUTHORIZED");
  const session = await client.auth.login({ email: account.email, password: account.password });
  assert.equal(session.user.email, account.email);

  const invalid = await rejection(client.auth.register({ username: "x", email: "nope", password: "short" }));
  assert.equal(invalid.status, 400);
  assert.equal(invalid.code, "VALIDATION_ERROR");
  assert.deepEqual(Object.keys(invalid.fields).sort(), ["email", "password", "username"]);

  const taken = await rejection(client.auth.register(account));
  assert.equal(taken.code, "CONFLICT");
});

test("health for anonymous callers and admins", async () => {
  const anonymous = new SkyClustClient({ baseURL });
  const health = await anonymous.health.get();
  assert.equal(health.status, "healthy");
  assert.equal(health.metrics, undefined);
  assert.equal((await rejection(anonymous.health.db())).code, "UNAUTHORIZED");

  const admin = new SkyClustClient({ baseURL });
  await admin.auth.login({ email: adminEmail, password: adminPassword });
  assert.ok((await admin.health.get()).metrics);
  const db = await admin.health.db();
  assert.equal(db.status, "healthy");
  assert.equal(db.backend, "sqlite");
  assert.equal((await admin.health.redis()).status, "disabled");
});

test("an unreachable server is a network error, after the retries", async () => {
  const retries: RetryInfo[] = [];
  const client = new SkyClustClient({
    baseURL: "http://127.0.0.1:9/api/v1",
    retry: { baseDelayMs: 1, onRetry: (info) => retries.push(info) },
  });
  const error = await rejection(client.health.get());
  assert.ok(error instanceof NetworkError);
  assert.equal(error.code, "NETWORK_ERROR");
  assert.equal(error.status, 0);
  assert.deepEqual(retries.map((retry) => [retry.attempt, retry.status, retry.error?.code]), [
    [1, 0, "NETWORK_ERROR"],
    [2, 0, "NETWORK_ERROR"],
  ]);
});

test("API keys are shown once and revocable", async () => {
  const owner = new SkyClustClient({ baseURL });
  await owner.auth.register(fresh());
  const created = await owner.apiKeys.create({ name: "typescript", read_only: true });
  assert.ok(created.key.startsWith(created.api_key.prefix));
  const service = new SkyClustClient({ baseURL, apiKey: created.key });
  assert.equal((await service.auth.me()).auth_method, "api_key");
  assert.equal((await rejection(service.apiKeys.create({ name: "escalate" }))).code, "FORBIDDEN");
  const listed = await owner.apiKeys.list({ sort: "name:asc" });
  assert.deepEqual(listed.api_keys.map((key) => key.name), ["typescript"]);
  await owner.apiKeys.delete(created.api_key.id);
  assert.equal((await rejection(service.auth.me())).code, "UNAUTHORIZED");
});

test("user administration and the audit log", async () => {
  const admin = new SkyClustClient({ baseURL });
  await admin.auth.login({ email: adminEmail, password: adminPassword });
  const account = fresh();
  const user = await admin.users.create({ ...account, role: "viewer" });
  assert.equal(user.role, "viewer");
  const viewers = await admin.users.list({ role: ["viewer"], sort: "username:asc", limit: 100 });
  assert.ok(viewers.users.some((listed) => listed.id === user.id));
  assert.equal((await admin.users.get(user.id)).email, account.email);
  assert.equal((await admin.users.update(user.id, { is_active: false })).is_active, false);
  await admin.users.delete(user.id);
  assert.equal((await rejection(admin.users.get(user.id))).code, "NOT_FOUND");
  const invalid = await rejection(admin.users.list({ limit: 0 }));
  assert.deepEqual(invalid.fields, { limit: "must be an integer between 1 and 100" });

  const log = await admin.auditLogs.list({ resource: ["user"], action: ["delete"] });
  assert.ok(log.audit_logs.some((entry) => entry.resource_id === user.id));
  assert.equal(log.pagination.limit, 50);
});

test("the seed example: workspaces, members and notifications", async () => {
  const client = new SkyClustClient({ baseURL });
  await client.auth.register(fresh());
  const token = client.getToken();
  assert.ok(token);
  const seeded = new SkyClustClient({ baseURL, token });
  // A personal workspace may come with the account: count relative to what is there.
  const before = await seeded.workspaces.list();
  const created = await seeded.workspaces.create({ name: "typescript", description: "from the facade" });
  const after = await seeded.workspaces.list();
  assert.equal(after.pagination.total, before.pagination.total + 1);
  assert.deepEqual(after.workspaces.filter((w) => w.id === created.id).map((w) => w.name), ["typescript"]);
  assert.equal((await seeded.workspaces.update(created.id, { name: "ts" })).name, "ts");
  assert.equal((await rejection(seeded.workspaces.create({ name: "TS" }))).code, "CONFLICT");

  const member = new SkyClustClient({ baseURL });
  const memberId = (await member.auth.register(fresh())).user.id;
  assert.equal((await seeded.workspaces.addMember(created.id, { user_id: memberId, role: "viewer" })).role, "viewer");
  assert.equal((await seeded.workspaces.members(created.id)).pagination.total, 1);
  const news = await member.notifications.list({ unread_only: true, type: ["info"] });
  assert.equal(news.unread_count, 1);
  const first = news.notifications[0];
  assert.ok(first);
  await member.notifications.markRead(first.id);
  assert.equal(await member.notifications.markAllRead(), 0);
  await seeded.workspaces.removeMember(created.id, memberId);
  await seeded.workspaces.delete(created.id);
  assert.equal((await rejection(seeded.workspaces.get(created.id))).code, "NOT_FOUND");
});

test("credentials never come back", async () => {
  const client = new SkyClustClient({ baseURL });
  await client.auth.register(fresh());
  const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  const credential = await client.credentials.create({
    name: "aws",
    provider: "aws",
    data: { access_key: "AKIAIOSFODNN7EXAMPLE", secret_key: secret, region: "us-east-1" },
  });
  assert.equal(credential.hint, "AKIA…MPLE");
  const listed = await client.credentials.list({ provider: ["aws"] });
  assert.deepEqual(listed.credentials.map((c) => c.name), ["aws"]);
  assert.ok(!JSON.stringify(listed).includes(secret));
  const invalid = await rejection(
    client.credentials.create({ name: "bad", provider: "aws", data: { access_key: "lower" } as never }),
  );
  assert.equal(invalid.code, "VALIDATION_ERROR");
  assert.ok("data.secret_key" in invalid.fields);
  await client.credentials.delete(credential.id);
});

test("the seed example: a VM on the sandbox cloud", async () => {
  const client = new SkyClustClient({ baseURL });
  await client.auth.register(fresh());
  const workspace = await client.workspaces.create({ name: "vms" });
  const vm = await client.vms.create({
    name: "my-vm",
    provider: "sandbox",
    instance_type: "t3.micro",
    region: "us-east-1",
    workspace_id: workspace.id,
  });
  assert.equal(vm.status, "pending");
  const running = await client.vms.waitUntil(vm.id, "running", 60_000, 200);
  assert.equal(running.status, "running");
  assert.ok(running.public_ip);
  assert.deepEqual((await client.vms.list({ status: ["running"] })).vms.map((v) => v.name), ["my-vm"]);
  assert.equal((await rejection(client.vms.start(vm.id))).code, "CONFLICT");
  const request = {
    name: "keyed",
    provider: "sandbox",
    instance_type: "t3.micro",
    region: "us-east-1",
    workspace_id: workspace.id,
  } as const;
  const keyed = await client.vms.create(request, "ts-1");
  assert.equal((await client.vms.create(request, "ts-1")).id, keyed.id);
  assert.equal((await rejection(client.vms.create({ ...request, name: "other" }, "ts-1"))).code, "CONFLICT");
  // A wait that runs out says so (not an internal error).
  const timedOut = await rejection(client.vms.waitUntil(vm.id, "stopped", 50, 10));
  assert.equal(timedOut.code, "TIMEOUT");
  assert.equal(timedOut.status, 0);
  assert.equal((await client.vms.delete(vm.id)).status, "terminating");
  assert.equal((await client.vms.waitUntil(vm.id, "terminated", 60_000, 200)).status, "terminated");
});

test("prices and cost analysis", async () => {
  const client = new SkyClustClient({ baseURL });
  await client.auth.register(fresh());
  const catalog = await client.providers.list();
  const sandbox = catalog.providers.find((offer) => offer.provider === "sandbox");
  const east = sandbox?.regions.find((region) => region.region === "us-east-1");
  assert.equal(east?.instance_types.find((price) => price.instance_type === "t3.micro")?.hourly_cost, 0.0104);
  const workspace = await client.workspaces.create({ name: "costs" });
  const costs = await client.costAnalysis.get({ period: "7d", workspace_id: workspace.id });
  assert.deepEqual([costs.total_cost, costs.currency, costs.source], [0, "USD", "estimate"]);
  assert.deepEqual(costs.trend.map((point) => point.cost), [0, 0, 0, 0, 0, 0, 0]);
  const breakdown = await client.costAnalysis.breakdown({ provider: "sandbox", period: "1d" });
  assert.deepEqual(breakdown.services.map((service) => service.service), ["Compute", "Block Storage"]);
  const unknown = { provider: "aws", service: "S3" } as unknown as CostBreakdownQuery;
  const badService = await rejection(client.costAnalysis.breakdown(unknown));
  assert.ok("service" in badService.fields, JSON.stringify(badService));
  const hidden = await rejection(client.costAnalysis.get({ workspace_id: randomUUID() }));
  assert.equal(hidden.code, "NOT_FOUND");
});
