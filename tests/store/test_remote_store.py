"""RemoteStore: URL layout, the Update-only path, retries, timeouts and errors (real and fake servers)."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from typing import Iterator

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from kg.errors import QueryError, StoreError
from kg.namespaces import DOC, ID
from kg.store import RemoteStore, open_store
from kg.store.http import HttpClient
from kg.store.remote import endpoint_urls

DOC_A = URIRef(DOC["a.txt"])
E = URIRef(ID["e"])


@pytest.mark.parametrize("url, expected", [
    ("http://h:7878/query", ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store")),
    ("http://h:7878", ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store")),
    ("https://h/ds/sparql", ("https://h/ds/sparql", "https://h/ds/update", None)),
    ("https://h/repositories/kg", ("https://h/repositories/kg", "https://h/repositories/kg", None)),
])
def test_endpoint_urls_follow_the_documented_layout(url: str, expected: tuple[str, str, str | None]) -> None:
    assert endpoint_urls(url) == expected


def test_explicit_urls_win() -> None:
    assert endpoint_urls("http://h/query", update_url="http://u/up", graph_store_url="http://g/gs") == (
        "http://h/query", "http://u/up", "http://g/gs")


def test_open_store_picks_remote_for_http_urls(oxigraph_server: str) -> None:
    with open_store(oxigraph_server) as st:
        assert isinstance(st, RemoteStore)
        assert st.capabilities.remote and st.capabilities.persistent


def test_without_graph_store_updates_do_the_same_job(oxigraph_server: str) -> None:
    st = RemoteStore(oxigraph_server, graph_store_url="", timeout=10)
    assert st.graph_store_url is None
    st.update("DROP ALL")
    st.replace_graph(DOC_A, [(E, RDFS.label, Literal("one"))])
    st.replace_graph(DOC_A, [(E, RDFS.label, Literal("two"))])
    st.replace_graphs({URIRef(DOC["b.txt"]): [(E, RDFS.comment, Literal("b"))], DOC_A: []})
    assert st.graph_names() == [URIRef(DOC["b.txt"])]
    st.drop_graph(URIRef(DOC["b.txt"]))
    assert len(st) == 0


def test_read_only_remote_refuses_writes(oxigraph_server: str) -> None:
    st = RemoteStore(oxigraph_server, read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        st.replace_graph(DOC_A, [])
    assert st.query("ASK {}").boolean is True


def test_blank_nodes_cannot_be_bound_remotely(remote_store: RemoteStore) -> None:
    from rdflib import BNode

    with pytest.raises(QueryError, match="blank node"):
        remote_store.query("SELECT ?s WHERE { ?s ?p ?o }", bindings={"o": BNode()})


def test_nothing_listening_is_a_store_error_naming_the_url(unused_port: int) -> None:
    url = f"http://127.0.0.1:{unused_port}/query"
    st = RemoteStore(url, timeout=5)
    started = time.monotonic()
    with pytest.raises(StoreError, match=rf"SPARQL endpoint {url} is not answering .*3 tries"):
        st.query("ASK {}")
    assert time.monotonic() - started < 5


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A socket that accepts connections and never answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/query"
    sock.close()


def test_a_server_that_never_answers_fails_within_the_timeout(silent_server: str) -> None:
    st = RemoteStore(silent_server, timeout=1.0)
    started = time.monotonic()
    with pytest.raises(StoreError, match="is not answering"):
        st.query("ASK {}")
    assert time.monotonic() - started < 2.0


class _Flaky(http.server.BaseHTTPRequestHandler):
    """Answers 503 to the first ``failures`` requests, then a SPARQL JSON ASK result."""

    failures = 2
    seen = 0

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        type(self).seen += 1
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if type(self).seen <= type(self).failures:
            self.send_response(503)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"busy")
            return
        body = b'{"head":{},"boolean":true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def flaky_server() -> Iterator[type[_Flaky]]:
    handler = type("Handler", (_Flaky,), {"seen": 0, "failures": 2})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    handler.url = f"http://127.0.0.1:{server.server_address[1]}/query"  # type: ignore[attr-defined]
    yield handler
    server.shutdown()
    server.server_close()


def test_5xx_answers_are_retried(flaky_server: type[_Flaky]) -> None:
    st = RemoteStore(flaky_server.url, timeout=10)  # type: ignore[attr-defined]
    assert st.query("ASK {}").boolean is True
    assert flaky_server.seen == 3


def test_tries_are_bounded(flaky_server: type[_Flaky]) -> None:
    flaky_server.failures = 10
    st = RemoteStore(flaky_server.url, timeout=10)  # type: ignore[attr-defined]
    with pytest.raises(StoreError, match=r"HTTP 503.*busy"):
        st.query("ASK {}")
    assert flaky_server.seen == 3


def test_http_client_refuses_a_non_positive_timeout() -> None:
    with pytest.raises(ValueError):
        HttpClient(timeout=0)


def test_a_refused_query_carries_the_server_message(remote_store: RemoteStore) -> None:
    with pytest.raises(QueryError, match=r"SPARQL query syntax error at line 1, column \d+"):
        remote_store.query("SELECT ?s WHERE { ?s ?p }")


def test_a_wrong_path_is_a_store_error(oxigraph_server: str) -> None:
    st = RemoteStore(oxigraph_server.replace("/query", "/nothing-here"), timeout=5)
    with pytest.raises(StoreError, match="HTTP 404"):
        st.query("ASK {}")


def test_not_a_url_is_refused() -> None:
    with pytest.raises(StoreError, match="not an http"):
        RemoteStore("http://")
