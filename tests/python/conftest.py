"""Shared fixtures: the generated bindings on sys.path, one real `gocua serve` per test session, and
enrolled profiles."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BINDINGS = Path(os.environ.get("GOCUA_PYTHON_BINDINGS", REPO / "build" / "bindings" / "python"))
if not (BINDINGS / "gocua_ffi.py").is_file():
    raise pytest.UsageError(f"{BINDINGS}/gocua_ffi.py is missing: run scripts/bindings.sh first")
sys.path.insert(0, str(BINDINGS))

import gocua_ffi as fk  # noqa: E402  (gocua_protocol and gocua_core come with it)

from gocua_server import GoCuaServer  # noqa: E402


@pytest.fixture(scope="session")
def server():
    s = GoCuaServer().start()
    yield s
    s.stop()


@pytest.fixture
def enrol(server, tmp_path):
    """enrol(member_name) -> an open FieldProfile enrolled in the test team (closed afterwards)."""
    opened = []

    def make(member_name: str, data_dir: Path | None = None, key: bytes | None = None) -> fk.FieldProfile:
        d = data_dir or tmp_path / f"profile-{len(opened)}"
        p = fk.FieldProfile.open(str(d), key or fk.generate_key())
        asyncio.run(p.enrol(server.url, server.enrol_code(member_name), "pytest phone", "0.1.0-test"))
        opened.append(p)
        return p

    yield make
    for p in opened:
        p.close_profile()


@pytest.fixture(scope="session")
def bindings_dir() -> Path:
    """Where the generated gocua_ffi.py and the host library are."""
    return BINDINGS
