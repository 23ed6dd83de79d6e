"""The package as published: its version is the contract's, it is typed, its metadata is complete."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import tomllib

import skyclust

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT.parents[1] / "openapi.json"


def test_the_version_is_the_contracts() -> None:
    assert skyclust.__version__ == json.loads(CONTRACT.read_text())["info"]["version"]


def test_the_metadata_declares_what_the_package_needs() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["dynamic"] == ["version"], "the version comes from skyclust/_version.py alone"
    assert project["readme"] == "README.md" and (ROOT / "README.md").is_file()
    needed = {requirement.split(">")[0].split("<")[0].split("=")[0] for requirement in project["dependencies"]}
    assert needed == {"httpx", "attrs", "websockets", "typing_extensions"}
    assert "Typing :: Typed" in project["classifiers"]
    assert (ROOT / "skyclust" / "py.typed").is_file()


def test_the_declared_minimum_python_can_import_the_generated_client() -> None:
    # The facade is checked for 3.9 (check.sh: mypy --python-version 3.9, ruff py39); the
    # generated client decides the floor: it must not be declared lower than that code needs.
    floor = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert floor.startswith(">=3.")
    minor = int(floor.removeprefix(">=3."))
    needs = 9
    for source in (ROOT / "skyclust_client").rglob("*.py"):
        text = source.read_text()
        ast.parse(text, filename=str(source), feature_version=(3, minor))
        if re.search(r"^from enum import .*\bStrEnum\b|^from typing import .*\bSelf\b", text, re.MULTILINE):
            needs = 11
    assert minor >= needs, f"skyclust_client needs Python 3.{needs} (enum.StrEnum, typing.Self)"
