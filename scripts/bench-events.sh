#!/usr/bin/env bash
# The real-time benchmark on a release build: scripts/bench-events.sh [--sockets N] [--events K]
# With --replicas N (N > 1) it starts N replicas on a fresh schema of the local PostgreSQL and
# the local Redis, spreads the sockets over them and causes the events on the first.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
cargo build --release --locked -p skyclust-server
cargo build --release --locked -p skyclust-examples --example bench_events
target="$(target_dir)"
extra=()
if [[ " $* " == *" --replicas "* && " $* " != *" --database-url "* ]]; then
    admin="${SKYCLUST_BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
    schema="skyclust_bench_$$"
    psql -q "$admin" -c "CREATE SCHEMA $schema"
    trap 'psql -q "$admin" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null' EXIT
    extra=(--database-url "$admin?options[search_path]=$schema" --redis-url "${SKYCLUST_BENCH_REDIS_URL:-redis://127.0.0.1:6379}")
fi
SKYCLUST_SERVER_BIN="$target/release/skyclust-server" "$target/release/examples/bench_events" "$@" "${extra[@]}"
