"""kg serve: the SPARQL 1.1 Protocol endpoint, driven over real HTTP on 127.0.0.1."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from rdflib import Graph

from kg.errors import ConfigError, StoreError
from kg.serve import KgServer, ServeOptions, is_loopback, make_server
from kg.serve.negotiate import RESULT_TYPES, negotiate

ASEAN = "https://w3id.org/kg/id/asean"
LABELS = "SELECT ?label WHERE { kgid:asean rdfs:label ?label }"
ALL_TRIPLES = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
ASEAN_GRAPH = "CONSTRUCT { kgid:asean ?p ?o } WHERE { kgid:asean ?p ?o }"
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TOKEN = "s3cret-token"
ROOT = Path(__file__).resolve().parents[1]
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> dict:  # type: ignore[type-arg]
        return json.loads(self.body)


def request(url: str, *, method: str = "GET", data: bytes | None = None, headers: dict[str, str] | None = None,
            timeout: float = 30) -> Response:
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            return Response(resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read())
    except urllib.error.HTTPError as err:
        return Response(err.code, {k.lower(): v for k, v in err.headers.items()}, err.read())


def get_query(server: KgServer, sparql: str, accept: str | None = None, headers: dict[str, str] | None = None) -> Response:
    headers = {**({"Accept": accept} if accept else {}), **(headers or {})}
    return request(server.sparql_url + "?query=" + urllib.parse.quote(sparql), headers=headers)


def post_query(server: KgServer, sparql: str, accept: str | None = None) -> Response:
    headers = {"Content-Type": "application/sparql-query"}
    if accept:
        headers["Accept"] = accept
    return request(server.sparql_url, method="POST", data=sparql.encode("utf-8"), headers=headers)


def post_update(server: KgServer, sparql: str, token: str | None = None, form: bool = False) -> Response:
    headers = {"Content-Type": "application/x-www-form-urlencoded" if form else "application/sparql-update"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = urllib.parse.urlencode({"update": sparql}).encode() if form else sparql.encode("utf-8")
    return request(server.sparql_url, method="POST", data=data, headers=headers)


def bindings(response: Response) -> list[dict[str, str]]:
    assert response.status == 200, response.text
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


@pytest.fixture(scope="module")
def store_path(seed_build: Path) -> Path:
    return seed_build / "store"


def _start(store: Path | str, **options: object) -> KgServer:
    server = make_server(store, host="127.0.0.1", port=0, options=ServeOptions(**{"workers": 2, **options}))  # type: ignore[arg-type]
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


def _stop(server: KgServer) -> None:
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def server(store_path: Path) -> Iterator[KgServer]:
    """The seed store, served with the default options (read-only, no CORS)."""
    srv = _start(store_path, timeout=20)
    yield srv
    _stop(srv)


@pytest.fixture(scope="module")
def limited(store_path: Path) -> Iterator[KgServer]:
    """The seed store with a 1 s deadline, at most 5 results, and CORS for one origin."""
    srv = _start(store_path, timeout=1, max_results=5, cors="https://app.example.org")
    yield srv
    _stop(srv)


# -- queries --------------------------------------------------------------------------------


def test_get_query_answers_sparql_json_by_default(server: KgServer) -> None:
    resp = get_query(server, LABELS)
    assert resp.headers["content-type"] == "application/sparql-results+json"
    assert {"Association of Southeast Asian Nations"} <= {b["label"] for b in bindings(resp)}
    assert "x-kg-truncated" not in resp.headers


def test_post_sparql_query_body(server: KgServer) -> None:
    assert bindings(post_query(server, LABELS)) == bindings(get_query(server, LABELS))


def test_post_form_encoded_query(server: KgServer) -> None:
    resp = request(server.sparql_url, method="POST", data=urllib.parse.urlencode({"query": LABELS}).encode(),
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert bindings(resp) == bindings(get_query(server, LABELS))


def test_select_as_sparql_xml(server: KgServer) -> None:
    resp = get_query(server, LABELS, "application/sparql-results+xml")
    assert resp.status == 200 and resp.headers["content-type"].startswith("application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(resp.body)
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["label"]
    assert "Association of Southeast Asian Nations" in {e.text for e in root.iterfind(".//r:literal", ns)}


def test_select_as_csv(server: KgServer) -> None:
    resp = get_query(server, LABELS, "text/csv")
    assert resp.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(resp.text)))
    assert rows[0] == ["label"] and ["Association of Southeast Asian Nations"] in rows


def test_select_as_tsv(server: KgServer) -> None:
    resp = get_query(server, LABELS, "text/tab-separated-values")
    assert resp.headers["content-type"].startswith("text/tab-separated-values")
    lines = resp.text.splitlines()
    assert lines[0] == "?label" and '"Association of Southeast Asian Nations"' in lines


@pytest.mark.parametrize("accept, expected", [
    ("application/sparql-results+json", '"boolean": true'),
    ("application/sparql-results+xml", "<boolean>true</boolean>"),
    ("text/csv", "true"),
    ("text/tab-separated-values", "true"),
])
def test_ask_in_each_result_format(server: KgServer, accept: str, expected: str) -> None:
    resp = get_query(server, "ASK { kgid:asean a kg:RegionalOrganization }", accept)
    assert resp.status == 200 and expected in resp.text


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser
@pytest.mark.parametrize("accept, rdf_format", [
    ("text/turtle", "turtle"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"),
])
def test_construct_in_each_graph_format(server: KgServer, accept: str, rdf_format: str) -> None:
    resp = get_query(server, ASEAN_GRAPH, accept)
    assert resp.status == 200 and resp.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=resp.text, format=rdf_format)
    assert len(graph) > 3 and all(str(s) == ASEAN for s in graph.subjects())


def test_construct_defaults_to_turtle_and_select_to_json_for_a_browser(server: KgServer) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert get_query(server, ASEAN_GRAPH, browser).headers["content-type"].startswith("text/turtle")
    assert get_query(server, LABELS, browser).headers["content-type"] == "application/sparql-results+json"


def test_accept_q_values_pick_the_preferred_format(server: KgServer) -> None:
    resp = get_query(server, LABELS, "application/sparql-results+json;q=0.5, text/csv")
    assert resp.headers["content-type"].startswith("text/csv")


def test_format_that_does_not_fit_the_query_form_is_406(server: KgServer) -> None:
    resp = get_query(server, LABELS, "text/turtle")
    assert resp.status == 406 and "text/csv" in resp.text


def test_format_the_endpoint_never_produces_is_406(server: KgServer) -> None:
    resp = get_query(server, LABELS, "image/png")
    assert resp.status == 406 and resp.text.count("\n") == 1


# -- errors and refusals ------------------------------------------------------------------------


def test_malformed_query_is_400_with_a_one_line_message(server: KgServer) -> None:
    resp = get_query(server, "SELECT ?s WHERE {\n  ?s ?p\n}")
    assert resp.status == 400
    assert resp.text.startswith("SPARQL query syntax error at line 2, column 3") and resp.text.count("\n") == 1


def test_undeclared_prefix_is_named(server: KgServer) -> None:
    resp = get_query(server, "SELECT ?s WHERE {\n  ?s a nope:Thing\n}")
    assert resp.status == 400 and "Unknown prefix 'nope:'" in resp.text


def test_engine_syntax_error_line_refers_to_the_clients_text(server: KgServer) -> None:
    # the project prefixes added for the client go on its first line: line numbers stay the client's
    resp = get_query(server, "SELECT ?s WHERE {\n  ?s a kg:Thing .\n  ?s ?p }")
    assert resp.status == 400 and "line 3" in resp.text


def test_service_is_refused_with_400(server: KgServer) -> None:
    resp = post_query(server, "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }")
    assert resp.status == 400 and "SERVICE" in resp.text and "refused" in resp.text


def test_from_is_refused_with_400(server: KgServer) -> None:
    resp = get_query(server, "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }")
    assert resp.status == 400 and "FROM" in resp.text


def test_dataset_protocol_parameters_are_refused(server: KgServer) -> None:
    url = server.sparql_url + "?" + urllib.parse.urlencode({"query": LABELS, "default-graph-uri": "file:///etc/passwd"})
    resp = request(url)
    assert resp.status == 400 and "default-graph-uri" in resp.text


def test_keywords_in_literals_and_comments_do_not_refuse_a_query(server: KgServer) -> None:
    sparql = 'SELECT ?label WHERE { kgid:asean rdfs:label ?label FILTER(?label != "SERVICE") } # LOAD <http://x>'
    assert len(bindings(get_query(server, sparql))) >= 1


def test_update_is_refused_with_403_on_a_read_only_server(server: KgServer) -> None:
    resp = post_update(server, "DROP ALL", token=TOKEN)
    assert resp.status == 403 and "read-only" in resp.text
    assert bindings(get_query(server, LABELS))  # nothing was dropped


def test_update_sent_as_a_query_is_400(server: KgServer) -> None:
    resp = post_query(server, "DROP ALL")
    assert resp.status == 400 and "update" in resp.text


def test_update_by_get_is_400(server: KgServer) -> None:
    resp = request(server.sparql_url + "?update=" + urllib.parse.quote("DROP ALL"))
    assert resp.status == 400 and "POST" in resp.text


def test_missing_query_parameter_is_400(server: KgServer) -> None:
    assert request(server.sparql_url).status == 400


def test_unsupported_body_type_is_415_and_oversized_body_413(server: KgServer) -> None:
    resp = request(server.sparql_url, method="POST", data=b"{}", headers={"Content-Type": "application/json"})
    assert resp.status == 415
    # announce an oversized body and send none of it: the server must refuse on the header alone
    # (sending the body races the server's early 413 and can end in a broken pipe on the client)
    import http.client
    from urllib.parse import urlsplit

    url = urlsplit(server.sparql_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        conn.putrequest("POST", url.path)
        conn.putheader("Content-Type", "application/sparql-query")
        conn.putheader("Content-Length", str(server.options.max_body + 1))
        conn.endheaders()
        assert conn.getresponse().status == 413
    finally:
        conn.close()


def test_unknown_path_is_404_and_wrong_method_405(server: KgServer) -> None:
    assert request(server.url + "/nope").status == 404
    resp = request(server.url + "/health", method="POST", data=b"")
    assert resp.status == 405 and "GET" in resp.headers["allow"]


def test_requests_for_another_host_name_are_refused(server: KgServer) -> None:
    # a page on evil.example whose name was re-bound to 127.0.0.1 must not read the graph
    resp = get_query(server, LABELS, headers={"Host": f"evil.example:{server.server_port}"})
    assert resp.status == 403


# -- limits -------------------------------------------------------------------------------------


def test_timeout_is_503_quickly_and_the_server_answers_the_next_query(limited: KgServer) -> None:
    started = time.monotonic()
    resp = post_query(limited, EXPENSIVE)
    elapsed = time.monotonic() - started
    assert resp.status == 503 and "timed out after 1 s" in resp.text
    assert elapsed < 3
    started = time.monotonic()
    assert bindings(get_query(limited, LABELS))
    assert time.monotonic() - started < 2
    # the killed worker is replaced
    deadline = time.monotonic() + 30
    while limited.pool.status()["ready"] < limited.pool.size and time.monotonic() < deadline:
        time.sleep(0.1)
    assert limited.pool.status()["ready"] == limited.pool.size


def test_max_results_cuts_and_flags_the_answer(limited: KgServer) -> None:
    resp = get_query(limited, ALL_TRIPLES)
    assert resp.headers.get("x-kg-truncated") == "true"
    assert len(bindings(resp)) == 5
    resp = get_query(limited, ALL_TRIPLES + " LIMIT 50", "text/csv")  # its own LIMIT, cut after the fact
    assert resp.headers.get("x-kg-truncated") == "true" and len(resp.text.strip().splitlines()) == 6
    resp = get_query(limited, ASEAN_GRAPH, "application/n-triples")
    assert resp.headers.get("x-kg-truncated") == "true" and len(resp.text.strip().splitlines()) == 5


def test_small_answers_are_not_flagged(limited: KgServer) -> None:
    resp = get_query(limited, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5")
    assert len(bindings(resp)) == 5 and "x-kg-truncated" not in resp.headers


def test_requests_beyond_max_threads_get_503_instead_of_hanging(store_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    import kg.serve.server

    monkeypatch.setattr(kg.serve.server, "SLOT_WAIT", 0.2)
    srv = _start(store_path, workers=1, max_threads=1, request_timeout=5)
    try:
        idle = socket.create_connection(srv.server_address[:2])  # holds the only slot, sends nothing
        try:
            time.sleep(0.2)
            started = time.monotonic()
            resp = get_query(srv, LABELS)
            assert resp.status == 503 and "busy" in resp.text
            assert time.monotonic() - started < 2
        finally:
            idle.close()
        time.sleep(0.2)
        assert bindings(get_query(srv, LABELS))
    finally:
        _stop(srv)


# -- CORS ----------------------------------------------------------------------------------------


def test_no_cors_headers_by_default(server: KgServer) -> None:
    resp = get_query(server, LABELS, headers={"Origin": "https://app.example.org"})
    assert not any(h.startswith("access-control-") for h in resp.headers)
    assert not any(h.startswith("access-control-") for h in request(server.sparql_url, method="OPTIONS").headers)


def test_cors_headers_with_cors(limited: KgServer) -> None:
    resp = get_query(limited, LABELS, headers={"Origin": "https://app.example.org"})
    assert resp.headers["access-control-allow-origin"] == "https://app.example.org"
    assert "X-KG-Truncated" in resp.headers["access-control-expose-headers"]
    preflight = request(limited.sparql_url, method="OPTIONS", headers={
        "Origin": "https://app.example.org", "Access-Control-Request-Method": "POST"})
    assert preflight.status == 204
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()


# -- pages ---------------------------------------------------------------------------------------


def test_landing_page_links_run_the_examples(server: KgServer) -> None:
    page = request(server.url + "/").text
    links = re.findall(r'href="(/sparql\?query=[^"]+)"', page)
    assert len(links) == len(server.options.examples)
    for link in links:
        resp = request(server.url + link.replace("&amp;", "&"))
        assert resp.status == 200, resp.text


def test_landing_page_escapes_titles_and_queries(server: KgServer) -> None:
    title = '<script>alert("t")</script> & co'
    query = 'SELECT ?x WHERE { ?x ?p "</pre><img src=x onerror=alert(1)>" } # & "quoted"'
    original = server.options
    server.options = dataclasses.replace(original, examples=((title, query),))
    try:
        page = request(server.url + "/").text
    finally:
        server.options = original
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; co" in page
    href = re.search(r'href="(/sparql\?query=[^"]+)"', page).group(1)  # type: ignore[union-attr]
    assert urllib.parse.unquote(href.split("=", 1)[1]) == query
    assert request(server.url + href).status == 200


def test_view_serves_the_builds_view_html(server: KgServer, seed_build: Path) -> None:
    resp = request(server.url + "/view")
    assert resp.status == 200 and resp.headers["content-type"].startswith("text/html")
    assert resp.body == (seed_build / "view.html").read_bytes()


def test_view_is_404_without_a_view_html(server: KgServer, tmp_path: Path) -> None:
    original = server.view_path
    server.view_path = tmp_path / "view.html"  # as for a store built with --no-view
    try:
        resp = request(server.url + "/view")
    finally:
        server.view_path = original
    assert resp.status == 404 and "kg build" in resp.text


def test_health_is_json(server: KgServer) -> None:
    body = request(server.url + "/health").json()
    assert body["status"] == "ok" and body["read_only"] is True and body["workers"] == 2


# -- updates ----------------------------------------------------------------------------------------


def test_update_needs_the_token_and_is_applied_with_it(tmp_path: Path, store_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(store_path, store)
    srv = _start(store, allow_update=True, token=TOKEN)
    insert = ('INSERT DATA { GRAPH <https://w3id.org/kg/graph/test> { '
              '<https://w3id.org/kg/id/asean> <http://www.w3.org/2000/01/rdf-schema#label> "Added \\"by\\" test" } }')
    try:
        assert srv.pool.size == 1  # a writable store has one owner
        assert post_update(srv, insert).status == 403
        assert post_update(srv, insert, token="wrong").status == 403
        resp = post_update(srv, insert, token=TOKEN)
        assert resp.status == 204, resp.text
        assert 'Added "by" test' in {b["label"] for b in bindings(get_query(srv, LABELS))}
        resp = post_update(srv, "DELETE WHERE { GRAPH <https://w3id.org/kg/graph/test> { ?s ?p ?o } }",
                           token=TOKEN, form=True)
        assert resp.status == 204, resp.text
        assert 'Added "by" test' not in {b["label"] for b in bindings(get_query(srv, LABELS))}
        assert "LOAD" in post_update(srv, "LOAD <file:///etc/passwd>", token=TOKEN).text
        assert post_update(srv, "SELECT * WHERE { ?s ?p ?o }", token=TOKEN).status == 400
    finally:
        _stop(srv)
    from kg.store import open_store

    with open_store(store_path, read_only=True, create=False) as original:  # the copy took the writes
        assert "https://w3id.org/kg/graph/test" not in {str(g) for g in original.graph_names()}


def test_allow_update_without_token_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="--token"):
        ServeOptions(allow_update=True)


# -- making a server -----------------------------------------------------------------------------


def test_missing_store_says_to_build(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="kg build"):
        make_server(tmp_path / "nothing", host="127.0.0.1", port=0, options=ServeOptions(workers=1))


def test_memory_store_is_refused() -> None:
    with pytest.raises(ConfigError, match="memory"):
        make_server("memory", host="127.0.0.1", port=0)


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True), ("127.0.0.2", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.10", False), ("example.org", False),
])
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_negotiate_respects_q_zero_and_specificity() -> None:
    assert negotiate("text/*;q=0.5, text/csv;q=0", RESULT_TYPES).name == "text/tab-separated-values"  # type: ignore[union-attr]
    assert negotiate("*/*", RESULT_TYPES).name == "application/sparql-results+json"  # type: ignore[union-attr]
    assert negotiate("text/csv;q=0", RESULT_TYPES[2:3]) is None


def test_cli_defaults_match_serve_options() -> None:
    from kg.cli.serve import _DEFAULTS
    from kg.serve.options import DEFAULT_HOST, DEFAULT_PORT

    options = ServeOptions()
    assert _DEFAULTS == {"host": DEFAULT_HOST, "port": DEFAULT_PORT, "timeout": options.timeout,
                         "max_results": options.max_results}


# -- the real command --------------------------------------------------------------------------------


def _children(pid: int) -> set[int]:
    kids = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.add(int(entry.name))
    return kids


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the worker processes")
def test_kg_serve_command_serves_and_stops(store_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store_path), "--port", "0",
                             "--workers", "1", "--quiet"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        match = re.search(r"SPARQL endpoint (http://127\.0\.0\.1:\d+/sparql)", line)
        assert match, line + proc.stderr.read()  # type: ignore[union-attr]
        url = match.group(1)
        resp = request(url + "?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"))
        assert resp.status == 200 and resp.json()["boolean"] is True
        workers = _children(proc.pid)
        assert workers
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert proc.returncode == 0, proc.stderr.read()  # type: ignore[union-attr]
    time.sleep(0.2)
    assert not any(Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid) for pid in workers)


def _state(pid: int) -> str:
    try:
        return (Path(f"/proc/{pid}") / "status").read_text().split("State:", 1)[1].split("\n", 1)[0].lower()
    except (OSError, IndexError):
        return "zombie"


def test_kg_serve_refuses_a_missing_store_with_exit_code_4(tmp_path: Path, kg_cli) -> None:  # type: ignore[no-untyped-def]
    proc = kg_cli("serve", "--store", str(tmp_path / "none"), "--port", "0", check=False, timeout=60)
    assert proc.returncode == 4 and "kg build" in proc.stderr


def test_kg_serve_allow_update_needs_a_token(kg_cli) -> None:  # type: ignore[no-untyped-def]
    proc = kg_cli("serve", "--allow-update", "--port", "0", check=False, timeout=60,
                  env={"KG_SERVE_TOKEN": ""})
    assert proc.returncode == 2 and "--token" in proc.stderr
