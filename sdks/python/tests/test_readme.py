"""The README's Python examples, run in order against the live server: what it shows is true."""

from __future__ import annotations

import re
import threading
import uuid
from pathlib import Path
from typing import Any

from conftest import BASE_URL

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_examples_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)
    assert len(blocks) >= 8, "install, auth, lists, a VM, errors, pagination, retries, events, async"
    script = "\n".join(blocks)
    # Its account is its own, not the top-level quickstart's (`ada`, which may exist already on
    # the server a reader follows both on), and it signs in with the password it registered.
    assert '"grace"' in script and "grace@example.com" in script
    assert "ada" not in re.findall(r"\w+", script)
    assert len(set(re.findall(r'password="([^"]*)"', script))) == 1, "one password throughout"
    name = f"grace_{uuid.uuid4().hex[:8]}"
    # The server and the account differ from the README's; nothing else does.
    script = script.replace("http://localhost:8080/api/v1", BASE_URL)
    script = script.replace('"grace"', f'"{name}"').replace("grace@example.com", f"{name}@example.com")
    outcome: list[BaseException | None] = []

    def run() -> None:
        namespace: dict[str, Any] = {"__name__": "readme"}
        try:
            exec(compile(script, str(README), "exec"), namespace)  # noqa: S102 (the README's own code)
            outcome.append(None)
        except BaseException as error:  # noqa: BLE001 (handed to the test's thread, raised there)
            outcome.append(error)

    # In a thread, so that an example waiting for an event that never comes fails the test.
    runner = threading.Thread(target=run, daemon=True)
    runner.start()
    runner.join(timeout=60)
    assert outcome, "the README examples did not finish within 60 s"
    if outcome[0] is not None:
        raise outcome[0]
