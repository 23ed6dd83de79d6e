#!/usr/bin/env bash
# The whole SkyClust test suite: every crate's tests on SQLite, plus the PostgreSQL and Redis
# checks whenever those servers answer locally; then contract conformance against the live
# server (schemathesis, the Python and TypeScript SDKs). Run from anywhere: scripts/test.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
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

banner "cargo test --workspace"
cargo test --workspace --locked

scripts/conformance.sh

banner "all suites passed"
python3 scripts/summary.py "$log"
