#!/usr/bin/env bash
# The Python SDK's checks against the live server that scripts/conformance.sh started: it exports SKYCLUST_BASE_URL,
# SKYCLUST_ADMIN_EMAIL, SKYCLUST_ADMIN_PASSWORD and SKYCLUST_SDK_WORK (a scratch directory).
#
# Leaves the SDK installed from its wheel in $SKYCLUST_SDK_WORK/python-clean-venv, a virtual environment with nothing
# else in it, for tests that run code as a user of the package would (the seed's snippet, say).
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$ROOT"
python_env
work="${SKYCLUST_SDK_WORK:?run through scripts/conformance.sh}"
cd sdks/python

banner "Python SDK: ruff"
ruff check --no-cache .
ruff format --no-cache --check .

banner "Python SDK: mypy --strict (package and tests; the package also as Python 3.9 sees it)"
mypy --cache-dir "$work/mypy-cache"
mypy --cache-dir "$work/mypy-cache-py39" --config-file mypy-py39.ini skyclust

banner "Python SDK: pytest against the live server"
python -m pytest -q -p no:cacheprovider

banner "Python SDK as users install it: sdist and wheel, installed into a clean virtual environment"
dist="$work/python-dist"
clean="$work/python-clean-venv"
rm -rf "$dist" "$clean"
python -m build --no-isolation --sdist --wheel --outdir "$dist" . >"$work/python-build.log" 2>&1 \
    || { cat "$work/python-build.log" >&2; exit 1; }
wheel=("$dist"/skyclust-*.whl)
sdist=("$dist"/skyclust-*.tar.gz)
# The wheel carries both layers and the py.typed marker; the sdist its tests and README too.
python - "${wheel[0]}" "${sdist[0]}" <<'PY'
import sys, tarfile, zipfile
wheel = set(zipfile.ZipFile(sys.argv[1]).namelist())
for needed in ("skyclust/__init__.py", "skyclust/py.typed", "skyclust_client/__init__.py", "skyclust_client/py.typed"):
    assert needed in wheel, f"the wheel lacks {needed}"
sdist = {name.split("/", 1)[1] for name in tarfile.open(sys.argv[2]).getnames() if "/" in name}
for needed in ("pyproject.toml", "README.md", "skyclust/py.typed", "tests/test_live.py"):
    assert needed in sdist, f"the sdist lacks {needed}"
print("wheel and sdist hold what they should")
PY
# (A venv made from .venv's python is based on the same interpreter and shares none of .venv's packages.)
python -m venv "$clean"
"$clean/bin/pip" install --quiet --disable-pip-version-check "${wheel[0]}"
# From a folder of its own, so that neither the sources in sdks/python nor the drift check's
# generated copy in $work is what gets imported (or type-checked).
(
    mkdir -p "$work/python-consumer"
    cd "$work/python-consumer"
    "$clean/bin/python" - <<'PY'
import asyncio, importlib.metadata, os, sys, uuid

import skyclust
from skyclust import AsyncSkyClustClient, SkyClustClient

assert skyclust.__file__.startswith(sys.prefix), f"imported {skyclust.__file__}, not the installed package"
assert importlib.metadata.version("skyclust") == skyclust.__version__
base_url = os.environ["SKYCLUST_BASE_URL"]
name = f"clean_{uuid.uuid4().hex[:8]}"
client = SkyClustClient(base_url=base_url)
client.auth.register(username=name, email=f"{name}@example.com", password=f"password-{name}")
workspaces = client.workspaces.list()

async def total() -> int:
    async with AsyncSkyClustClient(base_url=base_url, token=client.token) as async_client:
        return (await async_client.workspaces.list()).pagination.total

assert asyncio.run(total()) == workspaces.pagination.total
print(f"skyclust {skyclust.__version__} from its wheel: {workspaces.pagination.total} workspace(s) for {name}")
PY
    # A consumer type-checks against the installed package (its py.typed), and mistakes are caught.
    cat >consumer.py <<'PY'
from skyclust_client.models import Vm

from skyclust import SkyClustClient


def names(client: SkyClustClient) -> list[str]:
    running: list[Vm] = list(client.vms.iterate(status="running", region=["us-east-1"]))
    return [vm.name for vm in running] + [w.name for w in client.workspaces.list(limit=5).workspaces]
PY
    cat >mistakes.py <<'PY'
from skyclust import SkyClustClient


def names(client: SkyClustClient) -> list[int]:
    return [vm.name for vm in client.vms.list(stauts="running").vms]
PY
    mypy --strict --no-incremental --python-executable "$clean/bin/python" consumer.py
    if mypy --strict --no-incremental --python-executable "$clean/bin/python" mistakes.py >mistakes.log; then
        echo "mypy accepted a misspelt filter and a wrong item type" >&2
        exit 1
    fi
    grep -q 'Unexpected keyword argument "stauts"' mistakes.log
    grep -qi "List comprehension has incompatible type" mistakes.log
    echo "a consumer type-checks against the installed package; its mistakes are reported"
)
