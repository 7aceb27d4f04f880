"""A remote SPARQL store that is down, silent or slow: a StoreError within the deadline, exit 4 from the CLI.

The deadline of a remote request, retries included, is ``open_store(timeout=)``
or ``$KG_STORE_TIMEOUT`` (default 30 s; kg/store/http.py tries 3 times with
0.25 s, 0.5 s backoff). Three fake endpoints: a port nobody listens on
(connection refused), a socket that accepts connections but never answers,
and a server that answers at one byte per 0.15 s.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Callable, Iterator

import pytest
from rdflib import Literal, URIRef

from kg.errors import StoreError
from kg.store import open_store

G = URIRef("https://w3id.org/kg/doc/remote-down.txt")
TRIPLE = (URIRef("https://w3id.org/kg/id/x"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("x"))
#: Slack allowed over the deadline, in seconds (thread start-up, a loaded machine).
SLACK = 2.0


@pytest.fixture
def refused_url() -> str:
    """A URL on a local port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/sparql"


@pytest.fixture
def silent_url() -> Iterator[str]:
    """A URL whose socket accepts connections (kernel backlog) but never reads or answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(16)
        yield f"http://127.0.0.1:{s.getsockname()[1]}/sparql"


@pytest.fixture
def slow_url() -> Iterator[str]:
    """A URL whose server answers ASK with 'true', one byte every 0.15 s (about 4 s in all)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.recv(65536)
                body = b'{"head": {}, "boolean": true}'
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                             b"Content-Length: %d\r\n\r\n" % len(body))
                for byte in body:
                    if stop.wait(0.15):
                        break
                    try:
                        conn.send(bytes([byte]))
                    except OSError:
                        break

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/sparql"
    stop.set()
    thread.join(timeout=5)
    server.close()


OPERATIONS: dict[str, Callable[[object], object]] = {
    "query": lambda st: st.query("ASK {}"),  # type: ignore[attr-defined]
    "replace_graph": lambda st: st.replace_graph(G, [TRIPLE]),  # type: ignore[attr-defined]
    "drop_graph": lambda st: st.drop_graph(G),  # type: ignore[attr-defined]
    "graph_names": lambda st: st.graph_names(),  # type: ignore[attr-defined]
    "len": lambda st: len(st),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_refused_endpoint_is_a_store_error_naming_the_url(refused_url: str, operation: str) -> None:
    st = open_store(refused_url, timeout=5)  # nothing is sent yet
    with pytest.raises(StoreError, match="127.0.0.1") as info:
        OPERATIONS[operation](st)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("operation", ["query", "replace_graph"])
def test_silent_endpoint_fails_within_the_deadline(silent_url: str, operation: str) -> None:
    st = open_store(silent_url, timeout=1.5)
    started = time.monotonic()
    with pytest.raises(StoreError, match="not answering"):
        OPERATIONS[operation](st)
    assert time.monotonic() - started < 1.5 + SLACK


def test_store_timeout_comes_from_the_environment(silent_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_STORE_TIMEOUT", "1")
    st = open_store(silent_url)
    started = time.monotonic()
    with pytest.raises(StoreError):
        st.query("ASK {}")
    assert time.monotonic() - started < 1 + SLACK


@pytest.mark.parametrize("value", ["abc", "0", "-3"])
def test_a_bad_store_timeout_setting_is_a_store_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("KG_STORE_TIMEOUT", value)
    with pytest.raises(StoreError, match="timeout|KG_STORE_TIMEOUT"):
        open_store("http://127.0.0.1:9/sparql")


@pytest.mark.xfail(strict=True, reason="BUG: the deadline only bounds each socket operation, not the call: "
                                       "HttpClient.request (kg/store/http.py) reads the body with resp.read(), so a "
                                       "server sending a byte every 0.15 s keeps a 1 s call going for about 4 s")
def test_slow_endpoint_fails_within_the_deadline(slow_url: str) -> None:
    st = open_store(slow_url, timeout=1)
    started = time.monotonic()
    try:
        st.query("ASK {}")
    except StoreError:
        pass
    assert time.monotonic() - started < 1 + SLACK


def test_cli_query_against_a_silent_endpoint_exits_4_with_one_line(silent_url: str, kg_cli) -> None:  # type: ignore[no-untyped-def]
    # the process deadline (30 s) bounds the test; KG_STORE_TIMEOUT=3 must end the request well before it
    proc = kg_cli("query", "--store", silent_url, "ASK {}", check=False, timeout=30,
                  env={"KG_STORE_TIMEOUT": "3"})
    assert proc.returncode == 4, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), proc.stderr
    assert silent_url in lines[0] and "not answering" in lines[0]
