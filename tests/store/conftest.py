"""Fixtures for the store tests: each backend, including a real Oxigraph server process."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from kg.store import MemoryStore, OxigraphStore, RemoteStore, open_store
from kg.store.base import Store

BACKENDS = ("memory", "oxigraph", "remote")


def _oxigraph_binary() -> str | None:
    """The ``oxigraph`` command installed next to this Python (the ``oxigraph`` package), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    return shutil.which("oxigraph")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on (at the time of the call)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph serve exited with code {process.returncode}")
        try:
            req = urllib.request.Request(url, data=b"ASK {}", method="POST", headers={
                "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
            with urllib.request.urlopen(req, timeout=1) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.05)
    raise RuntimeError(f"oxigraph serve did not answer at {url} within {seconds} s")


@pytest.fixture
def unused_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on."""
    return free_port()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start ``oxigraph serve --union-default-graph`` on a free port; yield its query URL; stop it."""
    binary = _oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server command is not installed (pip install oxigraph)")
    location = tmp_path_factory.mktemp("oxigraph-server")
    port = free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        _wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def remote_store(oxigraph_server: str) -> Iterator[RemoteStore]:
    """A RemoteStore on the session's Oxigraph server, emptied first."""
    store = RemoteStore(oxigraph_server, timeout=10)
    store.update("DROP ALL")
    yield store
    store.close()


@pytest.fixture
def oxigraph_store(tmp_path: Path) -> Iterator[OxigraphStore]:
    """An OxigraphStore in a fresh folder."""
    store = OxigraphStore(tmp_path / "store")
    yield store
    store.close()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Each backend in turn, empty: memory, oxigraph (on tmp_path), remote (real server)."""
    if request.param == "memory":
        st: Store = MemoryStore()
    elif request.param == "oxigraph":
        st = open_store(tmp_path / "store")
    else:
        st = request.getfixturevalue("remote_store")
    yield st
    if request.param != "remote":
        st.close()
