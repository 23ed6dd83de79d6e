#!/usr/bin/env bash
# A local cluster: N replicas of the release server on one PostgreSQL database and the local
# Redis, on consecutive ports, until Ctrl-C.
#   scripts/cluster.sh [N] [FIRST_PORT]          (defaults: 2 replicas from port 8080)
# SKYCLUST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/skyclust_cluster, created if
# missing) and SKYCLUST_REDIS_URL (default redis://127.0.0.1:6379) choose the shared services;
# every other SKYCLUST_* variable applies to all replicas. Development mode keeps its generated
# secrets in the shared database, so every replica signs and checks the same tokens.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
replicas="${1:-2}"
first_port="${2:-8080}"
database="${SKYCLUST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/skyclust_cluster}"
redis="${SKYCLUST_REDIS_URL:-redis://127.0.0.1:6379}"

if [ -z "${SKYCLUST_DATABASE_URL:-}" ]; then
    psql -q "postgres://postgres@127.0.0.1:5432/postgres" -tc \
        "SELECT 1 FROM pg_database WHERE datname = 'skyclust_cluster'" | grep -q 1 \
        || psql -q "postgres://postgres@127.0.0.1:5432/postgres" -c "CREATE DATABASE skyclust_cluster"
fi
cargo build --release --locked -p skyclust-server
server="$(target_dir)/release/skyclust-server"

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait' EXIT INT TERM
for ((n = 0; n < replicas; n++)); do
    port=$((first_port + n))
    SKYCLUST_BIND="127.0.0.1:$port" SKYCLUST_DATABASE_URL="$database" SKYCLUST_REDIS_URL="$redis" \
        "$server" &
    pids+=("$!")
    # The first replica applies the migrations; the others start once it answers.
    for _ in $(seq 1 100); do answers 127.0.0.1 "$port" && break; sleep 0.1; done
    banner "replica $((n + 1)) of $replicas: http://127.0.0.1:$port/api/v1"
done
wait
