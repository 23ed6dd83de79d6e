#!/usr/bin/env bash
# The request-path benchmark on a release build:
#   scripts/bench-api.sh [--duration S] [--connections C] [--profile]
#
# Starts, one after the other on this machine, the bare axum handler (examples/bench_bare.rs, the
# transport ceiling), SkyClust on a fresh SQLite file and SkyClust on a fresh schema of the local
# PostgreSQL; drives each with wrk (-t2, C connections, S seconds per request kind) and prints
# req/s, p50 and p99 per request and its ratio to the bare handler measured in the same run, and
# each server's resident memory when idle after start and after the load. --profile samples the
# SQLite server's CPU (perf, cpu-clock) during GET /workspaces/{id} and prints where it went.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

duration=8
connections=64
profile=""
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) duration="$2"; shift 2 ;;
        --connections) connections="$2"; shift 2 ;;
        --profile) profile=1; shift ;;
        *) echo "usage: scripts/bench-api.sh [--duration S] [--connections C] [--profile]" >&2; exit 2 ;;
    esac
done
if ! command -v wrk >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null
fi
cargo build --release --locked -p skyclust-server
cargo build --release --locked -p skyclust-examples --example bench_bare
target="$(target_dir)/release"

work="$(mktemp -d)"
pids=()
postgres_admin="${SKYCLUST_BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
schema="skyclust_bench_api_$$"
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    psql -q "$postgres_admin" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
rss_mb() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
wait_for() { for _ in $(seq 1 200); do answers 127.0.0.1 "$1" && return; sleep 0.05; done; echo "nothing listens on $1" >&2; exit 1; }

# Registers the admin and makes the workspaces the requests read; prints "token workspace-id".
prepare() {
    python3 - "$1" <<'PY'
import json, sys, urllib.request
base = sys.argv[1]
def call(path, body, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(base + path, json.dumps(body).encode(), headers)
    with urllib.request.urlopen(request) as response:
        return json.load(response)["data"]
token = call("/auth/register", {"username": "bench", "email": "bench@example.com", "password": "bench-password"})["token"]
ids = [call("/workspaces", {"name": f"team-{i}", "description": "Customer-facing services"}, token)["id"] for i in range(12)]
print(token, ids[0])
PY
}

cat > "$work/post.lua" <<'LUA'
-- Every POST names a workspace no other request names.
local threads = 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
function init(args) counter = 0 end
function request()
    counter = counter + 1
    local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("TOKEN")}
    return wrk.format("POST", nil, headers, string.format('{"name": "bench-%d-%d"}', id, counter))
end
LUA

results="$work/results"
# Runs wrk against $2 and records "label req/s p50 p99".
measure() {
    local label="$1" url="$2" out="$work/wrk.out"
    shift 2
    TOKEN="$token" wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" "$url" >"$out"
    local rate p50 p99 errors
    rate="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
    p50="$(awk '$1 == "50%" { print $2 }' "$out")"
    p99="$(awk '$1 == "99%" { print $2 }' "$out")"
    errors="$(awk '/Non-2xx or 3xx responses:/ { print $5 }' "$out")"
    if [ -n "$errors" ]; then echo "$label: $errors answers were not 2xx" >&2; cat "$out" >&2; exit 1; fi
    echo "$label $rate $p50 $p99" >>"$results"
    printf '%-34s %10s req/s  p50 %8s  p99 %8s\n' "$label" "$rate" "$p50" "$p99"
}

# Runs every request kind against the server at $2 (labelled $1).
drive() {
    local name="$1" base="$2" auth=(-H "Authorization: Bearer $token")
    measure "$name GET /health" "$base/health"
    if [ -n "$profile" ] && [ "$name" = sqlite ]; then
        perf record -q -e cpu-clock -F 1999 -p "$server_pid" -o "$work/perf.data" -- sleep "$duration" 2>/dev/null &
        local perf_pid=$!
    fi
    measure "$name GET /workspaces/{id}" "$base/workspaces/$workspace" "${auth[@]}"
    if [ -n "${perf_pid:-}" ]; then
        wait "$perf_pid" || true
        banner "where the SQLite server's CPU went during GET /workspaces/{id} (perf, cpu-clock samples)"
        perf report -i "$work/perf.data" --stdio --no-children --sort dso,symbol 2>/dev/null >"$work/perf.txt"
        # By where the time went, then the heaviest symbols (awk reads to the end: no SIGPIPE).
        python3 - "$work/perf.txt" <<'PY'
import re, sys
groups = {}
rows = []
for line in open(sys.argv[1]):
    found = re.match(r"\s+([0-9.]+)%\s+(\S+)\s+\[.\]\s+(.*?)\s*[-\s]*$", line)
    if not found:
        continue
    share, dso, symbol = float(found[1]), found[2], found[3]
    rows.append((share, dso, symbol))
    if dso.startswith("[kernel"):
        group = "kernel: scheduling (thread wake-ups and switches)" if re.search(r"task_switch|spin_unlock_irqrestore|futex|schedule|wake", symbol) else "kernel: network and other"
    elif dso.startswith("libc"):
        group = "libc: malloc/free" if re.search(r"malloc|free|realloc|_int_|unlink_chunk", symbol) else "libc: other (memcpy, locks)"
    elif re.search(r"sqlite3|pcache|btree|Vdbe", symbol):
        group = "SQLite engine"
    elif "sqlx" in symbol:
        group = "sqlx (pool, Any conversions, worker channel)"
    elif re.search(r"tracing", symbol):
        group = "tracing"
    elif re.search(r"serde|json", symbol):
        group = "serde/JSON"
    elif re.search(r"jsonwebtoken|ring|hmac|sha2|aws_lc", symbol):
        group = "JWT signature"
    elif re.search(r"tokio|hyper|tower|axum|h2|http", symbol):
        group = "tokio/hyper/axum"
    else:
        group = "other (SkyClust and the rest)"
    groups[group] = groups.get(group, 0) + share
for group, share in sorted(groups.items(), key=lambda item: -item[1]):
    print(f"{share:6.1f}%  {group}")
print("heaviest symbols:")
for share, dso, symbol in sorted(rows, reverse=True)[:12]:
    print(f"{share:6.2f}%  {dso:18} {symbol[:90]}")
PY
    fi
    measure "$name GET /workspaces?limit=10" "$base/workspaces?limit=10" "${auth[@]}"
    measure "$name POST /workspaces" "$base/workspaces" -s "$work/post.lua"
}

banner "bare axum handler (the transport ceiling)"
port="$(free_port)"
"$target/examples/bench_bare" "127.0.0.1:$port" >"$work/bare.log" 2>&1 &
pids+=($!)
wait_for "$port"
token="none" workspace="3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e"
drive bare "http://127.0.0.1:$port/api/v1"
kill "${pids[-1]}"

run_skyclust() {
    local name="$1" database="$2"
    banner "SkyClust on $name"
    local port
    port="$(free_port)"
    SKYCLUST_BIND="127.0.0.1:$port" SKYCLUST_DATABASE_URL="$database" \
        SKYCLUST_RATE_LIMIT_ANONYMOUS=1000000000 SKYCLUST_RATE_LIMIT_USER=1000000000 \
        SKYCLUST_RATE_LIMIT_API_KEY=1000000000 \
        "$target/skyclust-server" >"$work/$name.log" 2>&1 &
    local pid=$!
    server_pid=$pid
    pids+=("$pid")
    wait_for "$port"
    sleep 1
    local idle
    idle="$(rss_mb "$pid")"
    read -r token workspace < <(prepare "http://127.0.0.1:$port/api/v1")
    drive "$name" "http://127.0.0.1:$port/api/v1"
    echo "$name resident memory: ${idle} MB idle after start, $(rss_mb "$pid") MB after the load"
    echo "$name rss $idle $(rss_mb "$pid")" >>"$results"
    kill "$pid"
}

run_skyclust sqlite "sqlite://$work/bench.db"
if answers 127.0.0.1 5432; then
    psql -q "$postgres_admin" -c "CREATE SCHEMA $schema"
    run_skyclust postgres "$postgres_admin?options[search_path]=$schema"
else
    echo "no PostgreSQL on 127.0.0.1:5432: its figures are skipped" >&2
fi

banner "ratios to the bare handler (req/s), same run"
python3 - "$results" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1])]
rates = {}
for row in rows:
    if row[1] != "rss":
        rates[(row[0], " ".join(row[1:-3]))] = float(row[-3])
for (server, request), rate in sorted(rates.items()):
    if server != "bare":
        print(f"{server:9} {request:26} {rate:10.0f} req/s  {rate / rates[('bare', request)]:.2f}x bare")
PY
