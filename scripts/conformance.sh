#!/usr/bin/env bash
# Contract conformance against the live server: the generated SDKs match openapi.json,
# schemathesis finds no failure in any operation, and the Python and TypeScript SDK suites pass.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 1; }
command -v npm >/dev/null || { echo "node and npm are required" >&2; exit 1; }
python_env
node_env

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

banner "generated SDK code matches openapi.json"
generate_python_client "$work/skyclust_client"
generate_typescript_types "$work/schema.d.ts"
if ! diff -r -x __pycache__ sdks/python/skyclust_client "$work/skyclust_client" \
    || ! diff sdks/typescript/src/schema.d.ts "$work/schema.d.ts"; then
    echo "The generated SDK code is out of date with openapi.json; regenerate it with: scripts/regenerate.sh" >&2
    exit 1
fi

banner "starting the server on a fresh SQLite database"
# The same targets as `cargo test --workspace`, so the server binary shares its dependencies'
# features and nothing (aws-sdk-ec2 above all) is compiled a second time.
cargo build --quiet --locked --workspace --all-targets
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port/api/v1"
# Fuzzing sends thousands of requests from one address: lift the rate limits for this run.
SKYCLUST_BIND="127.0.0.1:$port" SKYCLUST_DATABASE_URL="sqlite://$work/conformance.db" RUST_LOG=warn \
    SKYCLUST_RATE_LIMIT_ANONYMOUS=1000000 SKYCLUST_RATE_LIMIT_USER=1000000 SKYCLUST_RATE_LIMIT_API_KEY=1000000 \
    SKYCLUST_SANDBOX_DELAY_MS=200 SKYCLUST_WORKER_POLL_MS=50 SKYCLUST_VM_POLL_MS=50 \
    SKYCLUST_MAX_API_KEYS_PER_USER=10000 \
    "$(target_dir)/debug/skyclust-server" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    answers 127.0.0.1 "$port" && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.1
done
answers 127.0.0.1 "$port" || { echo "the server did not start listening" >&2; cat "$work/server.log" >&2; exit 1; }

# Signs in (registering first when needed) and prints the token.
token_for() {
    python3 - "$base" "$1" <<'PY'
import json, sys, urllib.request, urllib.error
base, name = sys.argv[1], sys.argv[2]
account = {"username": name, "email": f"{name}@example.com", "password": f"password-{name}"}
def post(path, body):
    request = urllib.request.Request(base + path, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)["data"]["token"]
try:
    print(post("/auth/register", account))
except urllib.error.HTTPError:
    print(post("/auth/login", {"email": account["email"], "password": account["password"]}))
PY
}

export SKYCLUST_BASE_URL="$base" SKYCLUST_ADMIN_EMAIL="conformance@example.com" SKYCLUST_ADMIN_PASSWORD="password-conformance"
admin_token="$(token_for conformance)"

schemathesis_run() {
    schemathesis --config-file scripts/schemathesis.toml run openapi.json --url "$base" \
        --checks all --seed 42 --max-examples 50 --generation-database none --no-color "$@"
}

banner "schemathesis: every operation but logout, as an admin"
schemathesis_run -H "Authorization: Bearer $admin_token" --exclude-operation-id logout
banner "schemathesis: logout, with a token of its own (the first success revokes it)"
schemathesis_run -H "Authorization: Bearer $(token_for conformance)" --include-operation-id logout

banner "Python SDK (ruff, pytest)"
(cd sdks/python && ruff check --no-cache . && ruff format --no-cache --check . && python -m pytest -q -p no:cacheprovider)


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
 "strict": true, "exactOptionalPropertyTypes": true, "noEmit": true, "skipLibCheck": false,
 "types": []}, "files": ["main.ts"]}
JSON
    # The seed's TypeScript calls, typed through the package's own declarations.
    cat > main.ts <<'TS'
import { SkyClustClient, SkyClustError } from "@skyclust/sdk";
const client = new SkyClustClient({ baseURL: "http://localhost:8080/api/v1", token: "a-token" });
export async function seed(workspaceId: string): Promise<string> {
  const workspaces = await client.workspaces.list();
  const vm = await client.vms.create({
    name: "my-vm", provider: "sandbox", instance_type: "t3.micro", region: "us-east-1", workspace_id: workspaceId,
  });
  const first: string | undefined = workspaces.workspaces[0]?.name;
  return `${vm.id} ${first ?? ""}`;
}
export const isError = (error: unknown): boolean => error instanceof SkyClustError;
TS
    npm install --no-audit --no-fund --loglevel=error "$packaged/$tarball" >/dev/null
    test -f node_modules/@skyclust/sdk/dist/src/schema.d.ts
    "$ROOT/sdks/typescript/node_modules/.bin/tsc" -p tsconfig.json
    echo "the packed SDK installs and type-checks in a fresh project"
)

if grep -q "panicked" "$work/server.log"; then
    echo "the server panicked during the conformance run:" >&2
    cat "$work/server.log" >&2
    exit 1
fi
