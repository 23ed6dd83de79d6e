#!/usr/bin/env bash
# The Go SDK's checks against the live server that scripts/conformance.sh started: it exports
# SKYCLUST_BASE_URL, SKYCLUST_ADMIN_EMAIL, SKYCLUST_ADMIN_PASSWORD and SKYCLUST_SDK_WORK.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$ROOT/sdks/go"
go_env
work="${SKYCLUST_SDK_WORK:?run through scripts/conformance.sh}"

banner "Go SDK (gofmt, go vet, go test against the live server)"
unformatted="$(gofmt -l ./*.go)"
[ -z "$unformatted" ] || { echo "not gofmt-formatted: $unformatted" >&2; exit 1; }
go vet ./...
# -v for one line per test (counted by scripts/summary.py); the rest of its chatter is left out.
SKYCLUST_GO_LIVE=required go test -race -count=1 -v ./... 2>&1 | grep -E '^(--- |ok |FAIL|panic|\s+\S+_test\.go:[0-9]+:)'

banner "Go SDK: the README's program against the live server"
tour="$work/go-readme"
go_module_using_sdk "$tour"
python3 -c '
import re, sys
blocks = re.findall(r"```go\n(.*?)```", open("README.md").read(), re.S)
print(next(block for block in blocks if block.startswith("package main")))
' > "$tour/main.go"
(cd "$tour" && go run .)
