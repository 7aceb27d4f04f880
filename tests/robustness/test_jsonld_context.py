"""JSON-LD never makes kg fetch anything: a remote ``@context`` is refused, not loaded.

kg reads JSON-LD in one place: a remote store's answer to a CONSTRUCT or
DESCRIBE query sent as ``application/ld+json`` (kg/store/remote.py, parsed by
Oxigraph). HTML articles may carry JSON-LD metadata in a script element; it
is read as plain JSON (kg/documents/html_text.py). A local HTTP server plays
both the SPARQL endpoint and the host of the context, and records every
request: the context URL must never be asked for.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

from kg.documents import discover, read_document
from kg.errors import StoreError
from kg.store import open_store

CONTEXT = {"@context": {"name": "http://schema.org/name", "headline": "http://schema.org/headline"}}


class _Server:
    """A local HTTP server: ``/query`` answers JSON-LD pointing at ``/ctx``; every request is recorded."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                server.requests.append(f"{self.command} {self.path}")
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                if self.path.startswith("/ctx"):
                    body, kind = json.dumps(CONTEXT).encode(), "application/ld+json"
                else:
                    body = json.dumps({"@context": server.context_url, "@id": "https://w3id.org/kg/id/brunei",
                                       "name": "Brunei"}).encode()
                    kind = "application/ld+json"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.context_url = f"{self.base}/ctx"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def context_requests(self) -> list[str]:
        return [r for r in self.requests if " /ctx" in r]


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()
    srv.thread.join(timeout=5)


def test_the_server_does_serve_the_context(server: _Server) -> None:
    """The trap works: anything that did fetch the context would be seen."""
    import urllib.request

    with urllib.request.urlopen(server.context_url, timeout=5) as resp:
        assert json.loads(resp.read()) == CONTEXT
    assert server.context_requests() == ["GET /ctx"]


def test_remote_construct_answer_with_a_remote_context_is_refused_without_fetching_it(server: _Server) -> None:
    st = open_store(f"{server.base}/query", timeout=5)
    with pytest.raises(StoreError) as info:
        st.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    message = str(info.value)
    assert "\n" not in message
    assert f"{server.base}/query" in message and "application/ld+json" in message
    assert "remote JSON-LD context" in message, message
    assert [r for r in server.requests if r.startswith("POST /query")]  # the query was sent
    assert server.context_requests() == []  # the context never was fetched


def test_html_json_ld_metadata_with_a_remote_context_is_not_fetched(server: _Server, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>ASEAN workshop</title>"
        '<script type="application/ld+json">'
        + json.dumps({"@context": server.context_url, "@type": "NewsArticle", "headline": "ASEAN workshop",
                      "datePublished": "2025-04-29"})
        + "</script></head><body><article><h1>ASEAN workshop</h1>"
        "<p>Brunei's delegation participated in the ASEAN Workshop on Strengthening Transnational Investigative "
        "Cooperation in Kuala Lumpur, Malaysia, on 23 April 2025. The workshop was held under the SOMTC.</p>"
        "<p>Officials from Thailand and Viet Nam also attended the meeting and shared their experience.</p>"
        "</article></body></html>",
        encoding="utf-8")
    sources, _ = discover([page])
    document = read_document(sources[0])
    assert "Brunei's delegation" in document.text
    assert server.context_requests() == []
