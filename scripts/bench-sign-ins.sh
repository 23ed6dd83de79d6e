#!/usr/bin/env bash
# Peak server memory under a burst of concurrent sign-ins, on a release build:
# scripts/bench-sign-ins.sh [--concurrent N] [--rounds R] [--hash-concurrency C] [--hash-wait-ms MS]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
cargo build --release --locked -p skyclust-server
cargo build --release --locked -p skyclust-examples --example bench_sign_ins
target="$(target_dir)"
SKYCLUST_SERVER_BIN="$target/release/skyclust-server" "$target/release/examples/bench_sign_ins" "$@"
