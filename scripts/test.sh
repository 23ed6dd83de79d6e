#!/usr/bin/env bash
# The whole SkyClust test suite: every crate's tests on SQLite, plus the PostgreSQL and Redis
# checks whenever those servers answer locally; then contract conformance against the live
# server (schemathesis, the Python and TypeScript SDKs). Run from anywhere: scripts/test.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

log="$(mktemp)"
exec > >(tee "$log") 2>&1

export SKYCLUST_TEST_DATABASE_URL="${SKYCLUST_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
if answers 127.0.0.1 5432; then
    banner "PostgreSQL answers: end-to-end tests run on SQLite and PostgreSQL ($SKYCLUST_TEST_DATABASE_URL)"
else
    unset SKYCLUST_TEST_DATABASE_URL
    banner "WARNING: no PostgreSQL on 127.0.0.1:5432 — the PostgreSQL suite is SKIPPED (SQLite only)"
fi

export SKYCLUST_TEST_REDIS_URL="${SKYCLUST_TEST_REDIS_URL:-redis://127.0.0.1:6379}"
if answers 127.0.0.1 6379; then
    banner "Redis answers: live Redis checks run ($SKYCLUST_TEST_REDIS_URL)"
else
    unset SKYCLUST_TEST_REDIS_URL
    banner "WARNING: no Redis on 127.0.0.1:6379 — live Redis checks are SKIPPED"
fi

# moto's EC2 server stands in for AWS in the AWS driver's end-to-end tests; like EC2, it refuses
# instance types and images that do not exist.
python_env
moto_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
moto_log="$(mktemp)"
MOTO_EC2_ENABLE_INSTANCE_TYPE_VALIDATION=true MOTO_ENABLE_AMI_VALIDATION=true moto_server -H 127.0.0.1 -p "$moto_port" >"$moto_log" 2>&1 &
moto_pid=$!
# The closing line is printed however the run ends, a failed suite's count included.
trap 'status=$?; kill "$moto_pid" 2>/dev/null || true; python3 scripts/summary.py "$log" || true; rm -f "$log" "$moto_log"; exit "$status"' EXIT
for _ in $(seq 1 100); do answers 127.0.0.1 "$moto_port" && break; sleep 0.1; done
if answers 127.0.0.1 "$moto_port"; then
    export SKYCLUST_TEST_MOTO_URL="http://127.0.0.1:$moto_port"
    # The server is to find it the way every AWS SDK does.
    export AWS_ENDPOINT_URL_EC2="$SKYCLUST_TEST_MOTO_URL"
    banner "moto answers: the AWS driver runs against it ($SKYCLUST_TEST_MOTO_URL)"
else
    cat "$moto_log" >&2
    echo "moto_server did not start" >&2
    exit 1
fi

banner "cargo test --workspace"
cargo test --workspace --locked

if [ -n "${SKYCLUST_TEST_REDIS_URL:-}" ]; then
    banner "the end-to-end suite again, every server with Redis (as a replica of a scaled-out deployment)"
    SKYCLUST_TEST_REDIS_EVERYWHERE="$SKYCLUST_TEST_REDIS_URL" cargo test --locked -p skyclust-tests --test e2e
fi

scripts/conformance.sh

banner "all suites passed"
