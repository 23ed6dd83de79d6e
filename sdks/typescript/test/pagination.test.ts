// `iterate` on every list, against the live server: all items, page after page, in as many
// requests as the pages need; `break` stops fetching.
import assert from "node:assert/strict";
import { test } from "node:test";

import { SkyClustClient, ValidationError } from "../src/index.js";
import { adminEmail, adminPassword, baseURL, fresh, rejection } from "./helpers.js";

/** A client that records the path and query of each request it sends. */
function recording(token?: string): { client: SkyClustClient; requests: URL[] } {
  const requests: URL[] = [];
  const client = new SkyClustClient({
    baseURL,
    ...(token === undefined ? {} : { token }),
    fetch: (input, init) => {
      requests.push(new URL(input instanceof Request ? input.url : String(input)));
      return fetch(input, init);
    },
  });
  return { client, requests };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

test("workspaces, API keys and credentials: every page, ceil(total / limit) requests", async () => {
  const { client, requests } = recording();
  await client.auth.register(fresh());
  const names = ["page-a", "page-b", "page-c", "page-d", "page-e"];
  for (const name of names) await client.workspaces.create({ name });
  const total = (await client.workspaces.list()).pagination.total;
  assert.ok(total >= names.length);

  requests.length = 0;
  const workspaces = await collect(client.workspaces.iterate({ limit: 2, sort: "name:asc" }));
  assert.equal(workspaces.length, total);
  assert.equal(new Set(workspaces.map((w) => w.id)).size, total, "no item twice");
  assert.deepEqual(workspaces.map((w) => w.name).filter((name) => name.startsWith("page-")), names);
  assert.equal(requests.length, Math.ceil(total / 2));
  assert.deepEqual(requests.map((url) => url.searchParams.get("offset")), requests.map((_, page) => String(page * 2)));

  // Without a limit: full pages of 100, so one request here.
  requests.length = 0;
  assert.equal((await collect(client.workspaces.iterate())).length, total);
  assert.deepEqual(requests.map((url) => url.searchParams.get("limit")), ["100"]);

  for (const name of ["k1", "k2", "k3"]) await client.apiKeys.create({ name });
  requests.length = 0;
  const keys = await collect(client.apiKeys.iterate({ limit: 2, sort: "name:asc" }));
  assert.deepEqual(keys.map((key) => key.name), ["k1", "k2", "k3"]);
  assert.equal(requests.length, 2);

  for (const name of ["c1", "c2", "c3"]) {
    await client.credentials.create({ name, provider: "sandbox", data: { region: "us-east-1" } });
  }
  const credentials = await collect(client.credentials.iterate({ provider: "sandbox", limit: 1 }));
  assert.deepEqual(credentials.map((c) => c.name).sort(), ["c1", "c2", "c3"]);

  // A bad query fails the iteration with the server's validation error.
  const invalid = await rejection(collect(client.workspaces.iterate({ limit: 0 })));
  assert.ok(invalid instanceof ValidationError);
  assert.ok("limit" in invalid.fields);
});

test("members, notifications and VMs, with single-value filters", async () => {
  const owner = recording().client;
  await owner.auth.register(fresh());
  const workspace = await owner.workspaces.create({ name: "team" });
  const member = recording();
  await member.client.auth.register(fresh());
  const memberId = (await member.client.auth.me()).user.id;
  const others = ["one", "two", "three"].map(() => new SkyClustClient({ baseURL }));
  for (const other of others) {
    const session = await other.auth.register(fresh());
    await owner.workspaces.addMember(workspace.id, { user_id: session.user.id, role: "viewer" });
  }
  await owner.workspaces.addMember(workspace.id, { user_id: memberId });
  const memberTotal = (await owner.workspaces.members(workspace.id)).pagination.total;
  const members = await collect(owner.workspaces.iterateMembers(workspace.id, { limit: 2 }));
  assert.equal(members.length, memberTotal);
  assert.ok(members.some((m) => m.user_id === memberId));
  assert.equal(members.filter((m) => m.role === "viewer").length, 3);

  // The member was told of each workspace it joined.
  for (const name of ["more-1", "more-2"]) {
    const extra = await owner.workspaces.create({ name });
    await owner.workspaces.addMember(extra.id, { user_id: memberId });
  }
  const newsTotal = (await member.client.notifications.list({ type: "info" })).pagination.total;
  assert.ok(newsTotal >= 3, `${newsTotal} notifications`);
  member.requests.length = 0;
  const news = await collect(member.client.notifications.iterate({ type: "info", limit: 2 }));
  assert.equal(news.length, newsTotal);
  assert.equal(member.requests.length, Math.ceil(newsTotal / 2));
  assert.ok(member.requests.every((url) => url.searchParams.getAll("type").join() === "info"));

  for (const name of ["vm-1", "vm-2", "vm-3"]) {
    await owner.vms.create({ name, provider: "sandbox", instance_type: "t3.micro", region: "us-east-1", workspace_id: workspace.id });
  }
  const created = (await owner.vms.list({ workspace_id: workspace.id })).vms;
  for (const vm of created) assert.equal((await owner.vms.waitUntil(vm.id, "running", 30_000, 100)).status, "running");
  const running: string[] = [];
  for await (const vm of owner.vms.iterate({ status: "running", workspace_id: workspace.id, limit: 2 })) running.push(vm.name);
  assert.deepEqual(running.sort(), ["vm-1", "vm-2", "vm-3"]);
  assert.deepEqual(await collect(owner.vms.iterate({ status: "stopped" })), []);
});

test("users and the audit log: break stops fetching", async () => {
  const { client: admin, requests } = recording();
  await admin.auth.login({ email: adminEmail, password: adminPassword });
  for (let i = 0; i < 3; i++) await admin.users.create({ ...fresh(), role: "viewer" });
  requests.length = 0;
  const viewers = [];
  for await (const user of admin.users.iterate({ role: "viewer", limit: 2 })) {
    assert.equal(user.role, "viewer");
    viewers.push(user);
    if (viewers.length === 3) break;
  }
  assert.equal(viewers.length, 3);
  assert.equal(requests.length, 2, "the third page was never asked for");

  requests.length = 0;
  let entries = 0;
  for await (const entry of admin.auditLogs.iterate({ resource: "user", action: "create", limit: 2 })) {
    assert.deepEqual([entry.resource, entry.action], ["user", "create"]);
    if (++entries === 3) break;
  }
  assert.equal(entries, 3);
  assert.equal(requests.length, 2);
});
