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
    body = b'{"head": {}, "boolean": true}'

    def answer(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(body))
        for byte in body:
            if stop.wait(0.15):
                return
            conn.send(bytes([byte]))

    yield from _serve_each(answer)


def _serve_each(answer: Callable[[socket.socket, threading.Event], None]) -> Iterator[str]:
    """Serve every connection with ``answer(conn, stop)`` on a thread; yield the URL; stop."""
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
                try:
                    answer(conn, stop)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/sparql"
    stop.set()
    thread.join(timeout=5)
    server.close()


@pytest.fixture
def slow_headers_url() -> Iterator[str]:
    """A URL whose server sends its status line and headers one byte every 0.15 s."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: 29\r\n\r\n"

    def answer(conn: socket.socket, stop: threading.Event) -> None:
        for byte in head:
            if stop.wait(0.15):
                return
            conn.send(bytes([byte]))
        conn.sendall(b'{"head": {}, "boolean": true}')

    yield from _serve_each(answer)


@pytest.fixture
def truncating_url() -> Iterator[str]:
    """A URL whose server announces a 29-byte body, sends 10 bytes of it and closes the connection."""

    def answer(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                     b"Content-Length: 29\r\n\r\n" + b'{"head": {}, "boolean": true}'[:10])

    yield from _serve_each(answer)


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


@pytest.mark.parametrize("operation", ["query", "replace_graph"])
def test_slow_endpoint_fails_within_the_deadline(slow_url: str, operation: str) -> None:
    # each byte comes well within any socket timeout; only a deadline on the whole call ends it
    st = open_store(slow_url, timeout=1)
    started = time.monotonic()
    with pytest.raises(StoreError) as info:
        OPERATIONS[operation](st)
    assert time.monotonic() - started < 1 + SLACK
    message = str(info.value)
    assert "\n" not in message
    endpoint = slow_url.rsplit("/", 1)[0] + "/"  # a write goes to the sibling /update URL
    assert endpoint in message and "timeout 1 s" in message and "deadline" in message, message


def test_slow_headers_fail_within_the_deadline(slow_headers_url: str) -> None:
    st = open_store(slow_headers_url, timeout=1)
    started = time.monotonic()
    with pytest.raises(StoreError, match="not answering") as info:
        st.query("ASK {}")
    assert time.monotonic() - started < 1 + SLACK
    assert slow_headers_url in str(info.value)


def test_slow_endpoint_within_a_long_enough_deadline_gives_the_whole_answer(slow_url: str) -> None:
    # the body is read in chunks as it trickles in, and put together again
    assert open_store(slow_url, timeout=60).query("ASK {}").boolean is True


def test_answer_cut_short_is_an_error_not_a_result(truncating_url: str) -> None:
    st = open_store(truncating_url, timeout=5)
    with pytest.raises(StoreError) as info:
        st.query("ASK {}")
    assert truncating_url in str(info.value) and "\n" not in str(info.value)


def test_cli_query_against_a_silent_endpoint_exits_4_with_one_line(silent_url: str, kg_cli) -> None:  # type: ignore[no-untyped-def]
    # the process deadline (30 s) bounds the test; KG_STORE_TIMEOUT=3 must end the request well before it
    proc = kg_cli("query", "--store", silent_url, "ASK {}", check=False, timeout=30,
                  env={"KG_STORE_TIMEOUT": "3"})
    assert proc.returncode == 4, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), proc.stderr
    assert silent_url in lines[0] and "not answering" in lines[0]
