#!/usr/bin/env bash
# Runs the API document's three SDK examples as written (see README.md) against the live server
# of scripts/conformance.sh, after the Python and TypeScript checks (whose clean virtual
# environment and packed-package project it uses).
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
here="$ROOT/tests/seed-snippets"
work="${SKYCLUST_SDK_WORK:?run through scripts/conformance.sh}"
base="${SKYCLUST_BASE_URL:?}"
go_env

banner "the API document's SDK examples, as written (TypeScript, Python, Go)"
# A new account with an AWS credential: the examples create an aws VM in the personal workspace.
token="$(python3 - "$base" <<'PY'
import json, sys, uuid, urllib.request
base = sys.argv[1]
def call(path, body, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(base + path, json.dumps(body).encode(), headers)
    with urllib.request.urlopen(request) as response:
        return json.load(response)["data"]
name = f"seed_{uuid.uuid4().hex[:8]}"
token = call("/auth/register", {"username": name, "email": f"{name}@example.com", "password": f"password-{name}"})["token"]
call("/credentials", {"name": "aws", "provider": "aws", "data": {
    "access_key": "AKIAIOSFODNN7EXAMPLE", "secret_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "region": "us-east-1"}}, token)
print(token)
PY
)"
# Only the placeholders change.
placed() { sed -e "s#http://localhost:8080/api/v1#$base#" -e "s#your-jwt-token#$token#" "$here/$1"; }

# Each example then prints the VM it made, which must be an aws VM in the personal workspace.
check_vm() {
    SEED_TOKEN="$token" python3 - "$base" "$1" "$2" <<'PY'
import json, os, sys, urllib.request
base, language, output = sys.argv[1:]
token = os.environ["SEED_TOKEN"]
vm_id = output.split()[-1]
def get(path):
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)["data"]
vm = get(f"/vms/{vm_id}")
personal = [w for w in get("/workspaces")["workspaces"] if w["is_personal"]]
assert vm["name"] == "my-vm" and vm["provider"] == "aws", vm
assert vm["workspace_id"] == personal[0]["id"], (vm, personal)
print(f"{language}: the example ran and created {vm_id} ({vm['status']}) in the personal workspace")
PY
}

# TypeScript, in the fresh project where the packed package is installed (sdks/typescript/check.sh).
consumer="$work/ts-package/consumer"
[ -d "$consumer/node_modules/@skyclust/sdk" ] || { echo "run the typescript part first" >&2; exit 1; }
mkdir -p "$consumer/seed"
{ placed seed.ts; echo 'console.log(workspaces.pagination.total, vm.id);'; } > "$consumer/seed/seed.ts"
cat > "$consumer/seed/tsconfig.json" <<'JSON'
{"compilerOptions": {"target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext",
 "strict": true, "outDir": ".", "types": []}, "files": ["seed.ts"]}
JSON
echo '{"type": "module"}' > "$consumer/seed/package.json"
"$ROOT/sdks/typescript/node_modules/.bin/tsc" -p "$consumer/seed/tsconfig.json"
check_vm TypeScript "$(cd "$consumer/seed" && node seed.js)"

# Python, in the clean virtual environment where the built wheel is installed (sdks/python/check.sh).
python="$work/python-clean-venv/bin/python"
[ -x "$python" ] || { echo "run the python part first" >&2; exit 1; }
# In a folder of its own: nothing beside the script shadows the installed package.
mkdir -p "$work/python-seed"
{ placed seed.py; echo 'print(workspaces.pagination.total, vm.id)'; } > "$work/python-seed/seed.py"
check_vm Python "$(cd "$work/python-seed" && "$python" seed.py)"

# Go, in a module of its own beside the SDK in a Go workspace, as its README says to install it.
module="$work/go-seed"
go_module_using_sdk "$module"
placed seed.go.txt | python3 -c '
import sys
text = sys.stdin.read()
head, body = text.split(")\n", 1)  # the import block ends the file header
print(head + "\n    \"fmt\"\n)\n\nfunc main() {\n" + body + "\n    if err != nil {\n        panic(err)\n    }\n    fmt.Println(workspaces.Pagination.Total, vm.Id)\n}")
' > "$module/main.go"
check_vm Go "$(cd "$module" && go run .)"
