#!/usr/bin/env bash
# Regenerates everything derived from the contract: openapi.json, the Python low-level client
# (sdks/python/skyclust_client), the TypeScript types (sdks/typescript/src/schema.d.ts) and the Go
# low-level client (sdks/go/api).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

banner "openapi.json"
SKYCLUST_UPDATE_OPENAPI=1 cargo test --quiet -p skyclust-types --test openapi_drift
python_env
node_env
banner "sdks/python/skyclust_client"
generate_python_client "$ROOT/sdks/python/skyclust_client"
banner "sdks/typescript/src/schema.d.ts"
generate_typescript_types "$ROOT/sdks/typescript/src/schema.d.ts"
go_env
banner "sdks/go/api"
rm -rf "$ROOT/sdks/go/api"
generate_go_client "$ROOT/sdks/go/api"
banner "done: review with git diff"
