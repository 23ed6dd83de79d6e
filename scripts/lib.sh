# Shared helpers of the scripts in this folder (sourced, not run).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

banner() { printf '\n==== %s ====\n' "$*"; }

answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# A virtual environment with the pinned Python tools, reinstalled when the pins change.
python_env() {
    local stamp="$VENV/.requirements"
    if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$ROOT/scripts/requirements.txt" "$stamp"; then
        banner "installing Python tools into .venv"
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/scripts/requirements.txt"
        cp "$ROOT/scripts/requirements.txt" "$stamp"
    fi
    export PATH="$VENV/bin:$PATH"
}

# The TypeScript SDK's pinned packages, reinstalled when the lock file changes.
node_env() {
    local dir="$ROOT/sdks/typescript"
    if [ ! -d "$dir/node_modules" ] || ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.lock-stamp"; then
        banner "installing TypeScript SDK packages (npm ci)"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
        cp "$dir/package-lock.json" "$dir/node_modules/.lock-stamp"
    fi
}

# Generates the Python low-level client into $1; a schema the generator had to skip is an error.
generate_python_client() {
    local output
    output="$(cd "$ROOT/sdks/python" && RUFF_NO_CACHE=true openapi-python-client generate --path "$ROOT/openapi.json" \
        --config openapi-python-client.yaml --output-path "$1" --meta none --overwrite 2>&1)" || { echo "$output" >&2; return 1; }
    if grep -q "Warning" <<<"$output"; then
        echo "$output" >&2
        echo "openapi-python-client could not use every schema of openapi.json" >&2
        return 1
    fi
}


# Generates the Go low-level client (package api) into $1: models, operations and the client's
# support files only (no docs, README or git scripts), formatted as gofmt would.
generate_go_client() {
    local output
    output="$(openapi-generator-cli generate --input-spec "$ROOT/openapi.json" --generator-name go \
        --output "$1" --additional-properties=packageName=api,isGoSubmodule=true,withGoMod=false,enumClassPrefix=true \
        --global-property=models,apis,supportingFiles=client.go:configuration.go:response.go:utils.go,apiTests=false,modelTests=false,apiDocs=false,modelDocs=false \
        2>&1)" || { echo "$output" >&2; return 1; }
    rm -rf "$1/.openapi-generator" "$1/.openapi-generator-ignore" "$1/api"
    gofmt -w "$1"
}

# Generates the TypeScript types into $1.
generate_typescript_types() {
    (cd "$ROOT/sdks/typescript" && npx --no-install openapi-typescript "$ROOT/openapi.json" --output "$1" >/dev/null 2>&1)
}

# Cargo's target directory, wherever configuration puts it.
target_dir() {
    cargo metadata --format-version 1 --no-deps --manifest-path "$ROOT/Cargo.toml" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])'
}

# Makes $1 a Go module that uses the SDK the way its README says to (a Go workspace).
go_module_using_sdk() {
    mkdir -p "$1"
    printf 'module example.com/usesdk\n\ngo 1.19\n' > "$1/go.mod"
    (cd "$1" && rm -f go.work && go work init . "$ROOT/sdks/go")
}

# Go for the Go SDK: Debian's golang-go, installed when missing (CI runs as root; no module
# proxy is needed, the SDK builds offline).
go_env() {
    if ! command -v go >/dev/null; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            banner "installing Go (Debian's golang-go)"
            # A fresh container may have no package lists yet.
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q golang-go >/dev/null \
                || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q golang-go >/dev/null; }
        else
            echo "Go is required for the Go SDK's checks: apt-get install golang-go" >&2
            return 1
        fi
    fi
    export GOPROXY=off GOTOOLCHAIN=local
}
