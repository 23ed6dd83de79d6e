#!/usr/bin/env bash
# Contract conformance against the live server: the generated SDKs match openapi.json,
# schemathesis finds no failure in any operation, and every SDK's suite passes.
#
#   scripts/conformance.sh                     everything
#   scripts/conformance.sh python typescript   only the named parts (drift, schemathesis, readme,
#                                              python, typescript, go, deploy), e.g. while working on one SDK
# SKYCLUST_SERVER_BIN=path runs that server binary instead of building one.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 1; }
command -v npm >/dev/null || { echo "node and npm are required" >&2; exit 1; }
python_env
node_env
go_env

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

parts=" ${*:-drift schemathesis readme python typescript go deploy} "
want() { [[ "$parts" == *" $1 "* ]]; }

if want drift; then
    banner "generated SDK code matches openapi.json"
    generate_python_client "$work/skyclust_client"
    generate_typescript_types "$work/schema.d.ts"
    generate_go_client "$work/go-api"
    if ! diff -r -x __pycache__ sdks/python/skyclust_client "$work/skyclust_client" \
        || ! diff sdks/typescript/src/schema.d.ts "$work/schema.d.ts" \
        || ! diff -r sdks/go/api "$work/go-api"; then
        echo "The generated SDK code is out of date with openapi.json; regenerate it with: scripts/regenerate.sh" >&2
        exit 1
    fi
fi

banner "starting the server on a fresh SQLite database"
# The same targets as `cargo test --workspace`, so the server binary shares its dependencies'
# features and nothing (aws-sdk-ec2 above all) is compiled a second time.
server_bin="${SKYCLUST_SERVER_BIN:-}"
if [ -z "$server_bin" ]; then
    cargo build --quiet --locked --workspace --all-targets
    server_bin="$(target_dir)/debug/skyclust-server"
fi
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port/api/v1"
metrics_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
# Fuzzing sends thousands of requests from one address: lift the rate limits for this run.
SKYCLUST_BIND="127.0.0.1:$port" SKYCLUST_METRICS_BIND="127.0.0.1:$metrics_port" SKYCLUST_DATABASE_URL="sqlite://$work/conformance.db" RUST_LOG=warn \
    SKYCLUST_RATE_LIMIT_ANONYMOUS=1000000 SKYCLUST_RATE_LIMIT_USER=1000000 SKYCLUST_RATE_LIMIT_API_KEY=1000000 \
    SKYCLUST_SANDBOX_DELAY_MS=200 SKYCLUST_WORKER_POLL_MS=50 SKYCLUST_VM_POLL_MS=50 \
    SKYCLUST_MAX_API_KEYS_PER_USER=10000 \
    "$server_bin" >"$work/server.log" 2>&1 &
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

if want schemathesis; then
    banner "schemathesis: every operation but logout, as an admin"
    schemathesis_run -H "Authorization: Bearer $admin_token" --exclude-operation-id logout
    banner "schemathesis: logout, with a token of its own (the first success revokes it)"
    schemathesis_run -H "Authorization: Bearer $(token_for conformance)" --include-operation-id logout
fi

if want readme; then
    banner "the README's quickstart (curl) and WebSocket lines, against this server"
    readme_block() {  # the README's first fenced block of language $1 after the heading "## Quickstart"
        python3 - "$1" <<'PY'
import re, sys
text = open("README.md").read().split("## Quickstart", 1)[1]
print(re.search(r"```" + sys.argv[1] + r"\n(.*?)```", text, re.S).group(1))
PY
    }
    readme_block sh | sed "s#^API=.*#API=$base#" > "$work/quickstart.sh"
    (cd "$work" && timeout 120 bash -euo pipefail quickstart.sh >/dev/null)
    { readme_block js
      echo 'setTimeout(() => { console.error("no auth_success within 10 s"); process.exit(1); }, 10000);'
      echo 'ws.addEventListener("message", (m) => { if (JSON.parse(m.data).type === "auth_success") process.exit(0); });'
    } | sed "s#ws://127.0.0.1:8080#ws://127.0.0.1:$port#" > "$work/websocket.mjs"
    TOKEN="$admin_token" node --experimental-websocket --no-warnings "$work/websocket.mjs" >/dev/null
    echo "the quickstart ran and the WebSocket lines authenticated"
fi

if want deploy; then
    banner "deploy/: the Grafana dashboard and the alert rules load"
    python3 scripts/check-deploy.py
    banner "GET /metrics on the metrics listener after the run"
    python3 - "http://127.0.0.1:$metrics_port/metrics" <<'PY'
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=10) as response:
    kind, text = response.headers.get("Content-Type", ""), response.read().decode()
assert kind.startswith("application/openmetrics-text"), kind
assert text.endswith("# EOF\n"), "the exposition does not end with # EOF"
counted = {}
for line in text.splitlines():
    if line.startswith("skyclust_http_requests_total{"):
        status = line.split('status_class="', 1)[1][:3]
        counted[status] = counted.get(status, 0) + float(line.rsplit(" ", 1)[1])
assert counted.get("2xx", 0) > 0, f"no successful request counted: {counted}"
print("the metrics listener answers; requests counted by status class:", counted)
PY
fi

# Each SDK's own checks against this live server (SKYCLUST_BASE_URL and the admin account above).
export SKYCLUST_SDK_WORK="$work"
want python && sdks/python/check.sh
want typescript && sdks/typescript/check.sh
want go && sdks/go/check.sh
if want python && want typescript && want go; then tests/seed-snippets/run.sh; fi

if grep -q "panicked" "$work/server.log"; then
    echo "the server panicked during the conformance run:" >&2
    cat "$work/server.log" >&2
    exit 1
fi
