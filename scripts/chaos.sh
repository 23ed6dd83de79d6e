#!/usr/bin/env bash
# The slow fault tests: a kill -9 of the server mid-operations under load (a minute, for the
# dead server's leases to run out), then the soak — a steady mixed workload with 1,000 open
# sockets for SOAK_MINUTES (default 10), failing on any 5xx or failed request, a lost socket,
# or 10 % growth in memory or descriptors after the warm-up. CI runs it after scripts/test.sh.
#
#   scripts/chaos.sh                      both, on the debug build the test suite uses
#   SOAK_MINUTES=60 scripts/chaos.sh      the long soak
#   SKYCLUST_SERVER_BIN=path scripts/chaos.sh   soak that server binary (e.g. a release build)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

banner "kill -9 mid-operations under load, then a restart"
cargo test --locked -p skyclust-server --test process -- --ignored --nocapture

banner "soak: ${SOAK_MINUTES:-10} minutes of mixed traffic with 1,000 sockets"
# The same targets as `cargo test --workspace`, so nothing is compiled a second time.
cargo build --quiet --locked --workspace --all-targets
target="$(target_dir)"
"$target/debug/examples/soak" --minutes "${SOAK_MINUTES:-10}" \
    --server "${SKYCLUST_SERVER_BIN:-$target/debug/skyclust-server}"
