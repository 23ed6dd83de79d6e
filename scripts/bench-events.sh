#!/usr/bin/env bash
# The real-time benchmark on a release build: scripts/bench-events.sh [--sockets N] [--events K]
# With --baseline it first runs the same client against examples/bench_events_baseline.rs (a
# minimal axum + tokio broadcast server that only authenticates and fans out), then against
# SkyClust, and prints SkyClust's delivery p99 as a ratio to the baseline's.
# With --replicas N (N > 1) it starts N replicas on a fresh schema of the local PostgreSQL and
# the local Redis, spreads the sockets over them and causes the events on the first.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
baseline=false
args=()
for arg in "$@"; do
    if [[ "$arg" == "--baseline" ]]; then baseline=true; else args+=("$arg"); fi
done
set -- "${args[@]+"${args[@]}"}"
cargo build --release --locked -p skyclust-server
cargo build --release --locked -p skyclust-examples --example bench_events --example bench_events_baseline
target="$(target_dir)"
extra=()
if [[ " $* " == *" --replicas "* && " $* " != *" --database-url "* ]]; then
    admin="${SKYCLUST_BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
    schema="skyclust_bench_$$"
    psql -q "$admin" -c "CREATE SCHEMA $schema"
    trap 'psql -q "$admin" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null' EXIT
    extra=(--database-url "$admin?options[search_path]=$schema" --redis-url "${SKYCLUST_BENCH_REDIS_URL:-redis://127.0.0.1:6379}")
fi
p99() { sed -n 's/^delivery, publish → every socket: *p50 [0-9.]* ms p99 \([0-9.]*\) ms.*/\1/p' "$1"; }
if $baseline; then
    echo "== baseline: examples/bench_events_baseline.rs"
    "$target/release/examples/bench_events" "$@" --server "$target/release/examples/bench_events_baseline" | tee /tmp/skyclust-bench-baseline.$$
    echo "== SkyClust"
fi
SKYCLUST_SERVER_BIN="$target/release/skyclust-server" "$target/release/examples/bench_events" "$@" "${extra[@]+"${extra[@]}"}" | tee /tmp/skyclust-bench-server.$$
if $baseline; then
    python3 -c 'import sys; b, s = float(sys.argv[1]), float(sys.argv[2]); print(f"delivery p99: SkyClust {s:.1f} ms, baseline {b:.1f} ms: {s / b:.2f}x the baseline")' \
        "$(p99 /tmp/skyclust-bench-baseline.$$)" "$(p99 /tmp/skyclust-bench-server.$$)"
    rm -f /tmp/skyclust-bench-baseline.$$
fi
rm -f /tmp/skyclust-bench-server.$$
