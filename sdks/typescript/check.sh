#!/usr/bin/env bash
# The TypeScript SDK's checks against the live server that scripts/conformance.sh started: it exports SKYCLUST_BASE_URL,
# SKYCLUST_ADMIN_EMAIL, SKYCLUST_ADMIN_PASSWORD and SKYCLUST_SDK_WORK (a scratch directory).
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$ROOT"
node_env
work="${SKYCLUST_SDK_WORK:?run through scripts/conformance.sh}"

banner "TypeScript SDK (tsc --strict, node --test)"
(cd sdks/typescript && npm test --silent)

banner "TypeScript SDK as a user installs it (npm pack, a fresh project, tsc --strict)"
(
    packaged="$work/ts-package"
    mkdir -p "$packaged/consumer"
    tarball=$(cd sdks/typescript && npm pack --silent --pack-destination "$packaged" | tail -n1)
    cd "$packaged/consumer"
    echo '{"name": "consumer", "private": true, "type": "module"}' > package.json
    cat > tsconfig.json <<'JSON'
{"compilerOptions": {"target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext",
 "strict": true, "exactOptionalPropertyTypes": true, "outDir": "out", "skipLibCheck": false,
 "types": []}, "include": ["main.ts", "run.ts", "readme-*.ts"]}
JSON
    # The seed's TypeScript calls, and the SDK's iteration, events and error classes, typed
    # through the package's own declarations (compiled, not run).
    cat > main.ts <<'TS'
import { NotFoundError, RateLimitedError, SkyClustClient, SkyClustError, type VmStatus } from "@skyclust/sdk";
const client = new SkyClustClient({ baseURL: "http://localhost:8080/api/v1", token: "a-token" });
export async function seed(workspaceId: string): Promise<string> {
  const workspaces = await client.workspaces.list();
  const vm = await client.vms.create({
    name: "my-vm", provider: "sandbox", instance_type: "t3.micro", region: "us-east-1", workspace_id: workspaceId,
  });
  const first: string | undefined = workspaces.workspaces[0]?.name;
  return `${vm.id} ${first ?? ""}`;
}
export async function running(): Promise<string[]> {
  const names: string[] = [];
  for await (const vm of client.vms.iterate({ status: "running" })) names.push(vm.name);
  return names;
}
export async function watch(workspaceId: string): Promise<string | undefined> {
  for await (const event of client.events.subscribe({ types: ["vm_status_changed"], workspaceId })) {
    // Narrowed by `types`: `data` is a VmStatusChange.
    const status: VmStatus = event.data.status;
    if (status === "running") return event.data.vm_id;
  }
  return undefined;
}
export function describe(error: unknown): string {
  if (error instanceof NotFoundError) return `not found (${error.requestId ?? "no request id"})`;
  if (error instanceof RateLimitedError) return `retry in ${error.retryAfter ?? 1} s`;
  if (error instanceof SkyClustError) return `${error.code}: ${error.message}`;
  return String(error);
}
export const isError = (error: unknown): boolean => error instanceof SkyClustError;
TS
    # Run against the live server: the packed classes keep `instanceof`, and the event stream
    # finds a WebSocket (on Node 20, the `ws` package the SDK's install brought along).
    cat > run.ts <<'TS'
import { SkyClustClient, SkyClustError, UnauthorizedError } from "@skyclust/sdk";
declare const process: { env: Record<string, string | undefined> };
const baseURL = process.env.SKYCLUST_BASE_URL ?? "";
try {
  await new SkyClustClient({ baseURL }).auth.me();
  throw new Error("an anonymous me() succeeded");
} catch (error) {
  if (!(error instanceof UnauthorizedError && error instanceof SkyClustError)) throw error;
}
const client = new SkyClustClient({ baseURL });
const name = `consumer_${Math.random().toString(36).slice(2, 10)}`;
await client.auth.register({ username: name, email: `${name}@example.com`, password: `password-${name}` });
const events = client.events.subscribe({ types: ["vm_status_changed"] });
await events.ready;
events.close();
console.log("instanceof holds across the package, and events.subscribe connects");
TS
    npm install --no-audit --no-fund --loglevel=error "$packaged/$tarball" >/dev/null
    test -f node_modules/@skyclust/sdk/dist/src/schema.d.ts
    # Every TypeScript example of the README the package ships compiles against it: each block
    # is a module of its own, with the names earlier blocks define (and `process`) declared. And all of
    # them, in order, are one module (what a reader who pastes them into app.ts gets) that runs
    # against the live server, with an account of its own: the README's differs from the
    # top-level quickstart's `ada`, which that server may hold already.
    node --input-type=module - node_modules/@skyclust/sdk/README.md <<'JS'
import { readFileSync, writeFileSync } from "node:fs";
const blocks = [...readFileSync(process.argv[2] ?? "", "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
if (blocks.length < 6) throw new Error(`only ${blocks.length} TypeScript examples in the README`);
const given = {
  SkyClustClient: 'typeof import("@skyclust/sdk").SkyClustClient',
  client: 'import("@skyclust/sdk").SkyClustClient', baseURL: "string", token: "string | undefined",
  workspaceId: "string", vmId: "string", process: "{ env: Record<string, string | undefined> }",
};
const defines = (code, name) =>
  new RegExp(`\\b(const|let) ${name}\\b|^import \\{[^}]*\\b${name}\\b[^}]*\\}`, "m").test(code);
blocks.forEach((code, i) => {
  const declared = Object.entries(given).filter(([name]) => !defines(code, name));
  const preamble = declared.map(([name, type]) => `declare const ${name}: ${type};`).join("\n");
  writeFileSync(`readme-${i + 1}.ts`, `${preamble}\nexport {};\n${code}`);
});
const all = blocks.join("\n");
if (!all.includes('"linus"') || !all.includes("linus@example.com") || /\bada\b/.test(all)) {
  throw new Error("the README's examples should register `linus`, not the quickstart's `ada`");
}
if (new Set([...all.matchAll(/password: "([^"]*)"/g)].map((m) => m[1])).size !== 1) {
  throw new Error("the README's examples should use one password throughout");
}
const name = `linus_${Math.random().toString(36).slice(2, 10)}`;
const inOrder = all
  .replaceAll("http://localhost:8080/api/v1", process.env.SKYCLUST_BASE_URL ?? "")
  .replaceAll('"linus"', `"${name}"`)
  .replaceAll("linus@example.com", `${name}@example.com`);
writeFileSync("readme-in-order.ts", inOrder);
console.log(`${blocks.length} README examples to compile, one by one and in order`);
JS
    "$ROOT/sdks/typescript/node_modules/.bin/tsc" -p tsconfig.json
    echo "the packed SDK installs and type-checks in a fresh project"
    node out/run.js
    timeout 60 node out/readme-in-order.js >readme-in-order.log 2>&1 || { cat readme-in-order.log >&2; exit 1; }
    echo "the README's examples run in order against the live server"
)
