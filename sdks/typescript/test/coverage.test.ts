// Every operation of openapi.json has a facade method, and every paginated list an iterator:
// an operation added to the contract without one fails here (and, through the generated
// `operations` type, fails to compile).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { OPERATIONS, PAGINATED, SkyClustClient } from "../src/index.js";

interface Operation {
  operationId?: string;
  responses?: Record<string, { content?: Record<string, { schema?: { properties?: { data?: { $ref?: string } } } }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

// dist/test/ → the repository root.
const document = JSON.parse(readFileSync(new URL("../../../../openapi.json", import.meta.url), "utf8")) as Document;

function operationsOf(doc: Document): Map<string, Operation> {
  const found = new Map<string, Operation>();
  for (const item of Object.values(doc.paths)) {
    for (const operation of Object.values(item)) {
      if (typeof operation === "object" && operation.operationId) found.set(operation.operationId, operation);
    }
  }
  return found;
}

/** Operations whose answer's `data` carries `pagination`. */
function paginatedOf(doc: Document): string[] {
  return [...operationsOf(doc)]
    .filter(([, operation]) => {
      const ref = operation.responses?.["200"]?.content?.["application/json"]?.schema?.properties?.data?.$ref;
      const schema = ref ? doc.components.schemas[ref.replace("#/components/schemas/", "")] : undefined;
      return schema?.properties?.pagination !== undefined;
    })
    .map(([id]) => id);
}

/** What the table lacks and what it has that the document does not. */
function drift(table: Record<string, string>, ids: Iterable<string>): { missing: string[]; stale: string[] } {
  const wanted = new Set(ids);
  return {
    missing: [...wanted].filter((id) => !(id in table)).sort(),
    stale: Object.keys(table).filter((id) => !wanted.has(id)).sort(),
  };
}

/** The function `"resource.method"` names on `client`, if there is one. */
function resolve(client: SkyClustClient, path: string): unknown {
  const [resource, method, ...rest] = path.split(".");
  if (!resource || !method || rest.length > 0) return undefined;
  const target = (client as unknown as Record<string, Record<string, unknown> | undefined>)[resource];
  return target?.[method];
}

test("every operation in openapi.json has a facade method, and nothing else is listed", () => {
  const ids = [...operationsOf(document).keys()];
  assert.ok(ids.length >= 40, `found ${ids.length} operations`);
  assert.deepEqual(drift(OPERATIONS, ids), { missing: [], stale: [] });
  const client = new SkyClustClient({ baseURL: "http://127.0.0.1:9/api/v1" });
  for (const [id, path] of Object.entries(OPERATIONS)) {
    assert.equal(typeof resolve(client, path), "function", `${id} → ${path} is not a method of the client`);
  }
  assert.equal(new Set(Object.values(OPERATIONS)).size, ids.length, "one method per operation");
});

test("every paginated list has an iterator", () => {
  const paginated = paginatedOf(document);
  assert.ok(paginated.includes("list_vms") && paginated.includes("list_workspace_members"), paginated.join());
  assert.deepEqual(drift(PAGINATED, paginated), { missing: [], stale: [] });
  const client = new SkyClustClient({ baseURL: "http://127.0.0.1:9/api/v1" });
  for (const [id, path] of Object.entries(PAGINATED)) {
    assert.equal(typeof resolve(client, path), "function", `${id} → ${path} is not a method of the client`);
  }
});

test("the check notices an operation added to the contract, or one removed", () => {
  const grown = structuredClone(document);
  grown.paths["/vms/{id}/resize"] = { post: { operationId: "resize_vm" } };
  assert.deepEqual(drift(OPERATIONS, operationsOf(grown).keys()), { missing: ["resize_vm"], stale: [] });
  const shrunk = structuredClone(document);
  delete shrunk.paths["/providers"];
  assert.deepEqual(drift(OPERATIONS, operationsOf(shrunk).keys()), { missing: [], stale: ["list_providers"] });
  const client = new SkyClustClient({ baseURL: "http://127.0.0.1:9/api/v1" });
  assert.equal(resolve(client, "vms.resize"), undefined);
  assert.equal(resolve(client, "nothing.here"), undefined);
});
