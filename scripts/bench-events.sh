#!/usr/bin/env bash
# The real-time benchmark on a release build: scripts/bench-events.sh [--sockets N] [--events K]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
cargo build --release --locked -p skyclust-server
cargo build --release --locked -p skyclust-examples --example bench_events
target="$(target_dir)"
SKYCLUST_SERVER_BIN="$target/release/skyclust-server" "$target/release/examples/bench_events" "$@"
