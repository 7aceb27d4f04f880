"""A store behind any SPARQL 1.1 endpoint, over HTTP.

Protocols used:

* **Query** (SPARQL 1.1 Protocol): ``POST`` with ``Content-Type:
  application/sparql-query``; SELECT/ASK answers are read as
  ``application/sparql-results+json``, CONSTRUCT/DESCRIBE answers as
  N-Triples or Turtle.
* **Update**: ``POST`` with ``Content-Type: application/sparql-update`` to the
  update URL (it may differ from the query URL).
* **Graph Store** (SPARQL 1.1 Graph Store HTTP Protocol), when its URL is
  known: a graph is replaced by one ``PUT ?graph=<iri>`` of its N-Triples and
  dropped by one ``DELETE``. The server applies a PUT as a whole or not at all,
  so a graph is never half-written. Without a Graph Store URL, a graph is
  replaced by one Update request ``DROP SILENT GRAPH <g> ; INSERT DATA {...}``,
  which SPARQL 1.1 Update servers apply atomically.

URL layout: give the query URL. When it ends in ``/query`` (Oxigraph, Fuseki)
or ``/sparql``, the update URL defaults to the sibling ``/update``; when it
ends in ``/query`` or is a bare server root (``http://host:7878``), the
layout of an Oxigraph server is assumed and the Graph Store URL defaults to
the sibling ``/store``. Pass ``update_url`` / ``graph_store_url`` otherwise.

**Union default graph.** The endpoint must serve the union of its named
graphs as the default graph of queries, as the embedded store does: start
Oxigraph with ``oxigraph serve --union-default-graph``; in Fuseki set
``tdb2:unionDefaultGraph true``. Queries are sent as they are, not rewritten.

Bindings are written into the query as a VALUES block built from serialized
terms, and as the term itself in place of the variable inside nested groups,
so they answer as a substitution would; a binding that cannot be applied
safely is refused (:func:`kg.store.sparql_text.inject_values`); blank nodes
cannot be bound.
Blank nodes written to the server are renamed by it, as with any SPARQL store.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Iterator
from urllib.parse import quote, urlsplit, urlunsplit

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import QueryError, StoreError
from .base import Capabilities, Quad, QueryResult, StoreBase, Triple
from .http import DEFAULT_TIMEOUT, HttpClient, Response
from .sparql_text import inject_values, syntax_error_message, term_to_sparql
from .terms import convert_triples, to_oxigraph

#: Most triples sent in one Update request by :meth:`RemoteStore.add_quads` and
#: by :meth:`RemoteStore.replace_graphs` without a Graph Store URL.
BATCH_TRIPLES = 50_000

_ACCEPT_QUERY = ("application/sparql-results+json, application/n-triples;q=0.9, "
                 "text/turtle;q=0.8, application/rdf+xml;q=0.5")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
_snew = str.__new__


def endpoint_urls(url: str, *, update_url: str | None = None,
                  graph_store_url: str | None = None) -> tuple[str, str, str | None]:
    """Work out the query, update and Graph Store URLs of an endpoint.

    Args:
        url: the query URL, or the root of an Oxigraph server.
        update_url: the update URL, when not the default.
        graph_store_url: the Graph Store Protocol URL, when not the default;
            ``""`` for none (graphs are then written with Update requests).

    Returns:
        (query URL, update URL, Graph Store URL or None).
    """
    parts = urlsplit(url)
    path = parts.path.rstrip("/")

    def sibling(name: str) -> str:
        base = path.rsplit("/", 1)[0] if path else ""
        return urlunsplit((parts.scheme, parts.netloc, f"{base}/{name}", "", ""))

    query = url
    default_update = url
    default_store = None
    if not path:  # server root: Oxigraph layout
        query = urlunsplit((parts.scheme, parts.netloc, "/query", "", ""))
        default_update = urlunsplit((parts.scheme, parts.netloc, "/update", "", ""))
        default_store = urlunsplit((parts.scheme, parts.netloc, "/store", "", ""))
    elif path.endswith("/query") and not parts.query:
        default_update, default_store = sibling("update"), sibling("store")
    elif path.endswith("/sparql") and not parts.query:
        default_update = sibling("update")
    store = default_store if graph_store_url is None else (graph_store_url or None)
    return query, update_url or default_update, store


class RemoteStore(StoreBase):
    """A store reached through the SPARQL 1.1 Query, Update and Graph Store protocols.

    Args:
        url: the query URL (or an Oxigraph server root); see the module doc for
            the defaults derived from it.
        update_url: the update URL, if not derived from ``url``.
        graph_store_url: the Graph Store Protocol URL, if not derived from ``url``;
            ``""`` to write graphs with Update requests only.
        timeout: deadline of each request, retries included, in seconds.
        read_only: refuse writes.

    Nothing is sent until the first call; an endpoint that is down is reported
    then, as a StoreError naming its URL.
    """

    def __init__(self, url: str, *, update_url: str | None = None, graph_store_url: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT, read_only: bool = False) -> None:
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise StoreError(f"Cannot open store at {url}: not an http(s):// URL with a host.")
        self.location = url
        self.read_only = read_only
        self.query_url, self.update_url, self.graph_store_url = endpoint_urls(
            url, update_url=update_url, graph_store_url=graph_store_url)
        self.capabilities = Capabilities(persistent=True, update=not read_only, transactions=True, remote=True)
        self._http = HttpClient(timeout=timeout)

    # -- HTTP ---------------------------------------------------------------------

    def _check(self, response: Response, url: str, what: str) -> Response:
        status = response.status
        if status < 300:
            return response
        if status == 400:
            raise QueryError(syntax_error_message(what, response.text()) if _looks_like_syntax(response)
                             else f"SPARQL {what} refused by {url}: {response.text()}")
        if status in (401, 403):
            raise StoreError(f"SPARQL endpoint {url} refused access (HTTP {status}); check the credentials or URL.")
        if status == 404:
            raise StoreError(f"No SPARQL {what} service at {url} (HTTP 404); check the URL"
                             + (" or pass update_url / graph_store_url." if what != "query" else "."))
        raise StoreError(f"SPARQL endpoint {url} failed the {what} (HTTP {status}): {response.text()}")

    def _post_update(self, sparql: str, what: str = "update") -> None:
        self._writable()
        response = self._http.request("POST", self.update_url, body=sparql.encode("utf-8"),
                                      headers={"Content-Type": "application/sparql-update; charset=utf-8"})
        self._check(response, self.update_url, what)

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"The store at {self.location} is open read-only; open it without read_only to write.")

    def _graph_url(self, graph: URIRef) -> str:
        assert self.graph_store_url is not None
        sep = "&" if "?" in self.graph_store_url else "?"
        return f"{self.graph_store_url}{sep}graph={quote(_valid_iri(graph), safe='')}"

    # -- writes -------------------------------------------------------------------

    def replace_graph(self, graph: URIRef, triples: Iterable[Triple]) -> None:
        """Replace named graph ``graph`` with ``triples`` in one request (PUT, or one Update).

        Raises:
            StoreError: a bad term (nothing sent), the store is read-only, or the
                server failed; the previous content is kept in every case.
        """
        self._writable()
        body, count = _ntriples(graph, triples)
        if count == 0:
            self.drop_graph(graph)
        elif self.graph_store_url is not None:
            url = self._graph_url(graph)
            response = self._http.request("PUT", url, body=body,
                                          headers={"Content-Type": "application/n-triples; charset=utf-8"})
            self._check(response, url, "graph store")
        else:
            self._post_update(_replace_update(graph, body), "update")

    def replace_graphs(self, graphs: dict[URIRef, Iterable[Triple]]) -> None:
        """Replace several graphs: one PUT per graph, or batched Update requests without a Graph Store URL.

        Raises:
            StoreError: a graph cannot be written; it and the graphs after it
                keep their previous content.
        """
        if self.graph_store_url is not None:
            for graph, triples in graphs.items():
                self.replace_graph(graph, triples)
            return
        self._writable()
        batch: list[str] = []
        size = 0
        for graph, triples in graphs.items():
            body, count = _ntriples(graph, triples)
            request = _replace_update(graph, body) if count else f"DROP SILENT GRAPH <{_valid_iri(graph)}>"
            if batch and size + count > BATCH_TRIPLES:
                self._post_update(" ;\n".join(batch))
                batch, size = [], 0
            batch.append(request)
            size += count
        if batch:
            self._post_update(" ;\n".join(batch))

    def drop_graph(self, graph: URIRef) -> None:
        """Remove named graph ``graph`` (DELETE, or ``DROP SILENT GRAPH``); no error when absent."""
        self._writable()
        if self.graph_store_url is None:
            self._post_update(f"DROP SILENT GRAPH <{_valid_iri(graph)}>")
            return
        url = self._graph_url(graph)
        response = self._http.request("DELETE", url)
        if response.status != 404:
            self._check(response, url, "graph store")

    def add_quads(self, quads: Iterable[Quad]) -> None:
        """Add quads with ``INSERT DATA`` requests of up to :data:`BATCH_TRIPLES` quads (each atomic).

        Raises:
            StoreError: a bad quad (earlier batches are written) or a server failure.
        """
        self._writable()
        batch: dict[str, list[ox.Triple]] = {}
        size = 0
        for s, p, o, g in quads:
            try:
                graph = _valid_iri(g)
                triple = ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))
            except (ValueError, TypeError) as exc:
                raise StoreError(f"Cannot load quad into <{g}>: {exc}.") from None
            batch.setdefault(graph, []).append(triple)
            size += 1
            if size >= BATCH_TRIPLES:
                self._insert(batch)
                batch, size = {}, 0
        if batch:
            self._insert(batch)

    def _insert(self, batch: dict[str, list[ox.Triple]]) -> None:
        parts = []
        for graph, triples in batch.items():
            body = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
            parts.append(f"GRAPH <{graph}> {{\n{body}}}")
        self._post_update("INSERT DATA {\n" + "\n".join(parts) + "\n}")

    def update(self, sparql: str) -> None:
        """Send a SPARQL 1.1 Update to the update URL.

        Raises:
            QueryError: the server refused it (HTTP 400), with its message.
            StoreError: read-only, or the server failed or is down.
        """
        self._post_update(sparql)

    # -- reads --------------------------------------------------------------------

    def query(self, sparql: str, *, bindings: dict[str, Node] | None = None) -> QueryResult:
        """Send a SPARQL 1.1 query (the server's default graph must be the union; see the module doc).

        Args:
            sparql: the query text.
            bindings: variable name -> URIRef or Literal, written into the query
                (:func:`~kg.store.sparql_text.inject_values`).

        Returns:
            The result with rdflib terms.

        Raises:
            QueryError: a bad binding or one that cannot be applied safely, or the
                server refused the query (HTTP 400).
            StoreError: the server failed, is down, or answered in a format that cannot be read.
        """
        text = inject_values(sparql, bindings) if bindings else sparql
        response = self._http.request("POST", self.query_url, body=text.encode("utf-8"), headers={
            "Content-Type": "application/sparql-query; charset=utf-8", "Accept": _ACCEPT_QUERY})
        self._check(response, self.query_url, "query")
        try:
            if response.content_type in ("application/sparql-results+json", "application/json"):
                return _json_result(response.body)
            fmt = _RDF_FORMATS.get(response.content_type)
            if fmt is not None:
                parsed = ox.parse(response.body, format=fmt)
                return QueryResult("graph", triples=convert_triples(parsed))
        except (ValueError, SyntaxError, KeyError, TypeError) as exc:
            reason = " ".join(str(exc).split())
            if "remote context" in reason.lower():  # Oxigraph has no document loader: nothing is fetched
                reason = ("it refers to a remote JSON-LD context, which kg never fetches; "
                          "have the endpoint answer N-Triples or Turtle")
            raise StoreError(f"Cannot read the answer of {self.query_url} ({response.content_type}): {reason}.") from None
        raise StoreError(f"SPARQL endpoint {self.query_url} answered with {response.content_type or 'no type'}, "
                         "not SPARQL JSON results or RDF; is it a SPARQL endpoint?")

    def graph_names(self) -> list[URIRef]:
        """Return the IRIs of the named graphs, sorted."""
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return sorted(r[0] for r in result.rows if isinstance(r[0], URIRef))

    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:
        """Iterate over the quads of named graph ``graph``, or of every named graph (one SELECT)."""
        if graph is None:
            result = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            for s, p, o, g in result.rows:
                yield s, p, o, g  # type: ignore[misc]
            return
        result = self.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{_valid_iri(graph)}> {{ ?s ?p ?o }} }}")
        g = URIRef(graph)
        for s, p, o in result.rows:
            yield s, p, o, g  # type: ignore[misc]

    def __len__(self) -> int:
        """Number of quads in named graphs (one COUNT query)."""
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        value = result.rows[0][0] if result.rows else None
        return int(value.toPython()) if isinstance(value, Literal) else 0

    def close(self) -> None:
        """Nothing to release: every request has its own connection."""


def _looks_like_syntax(response: Response) -> bool:
    text = response.text().lower()
    return "error at" in text or "parse" in text or "syntax" in text or "expected" in text


def _valid_iri(graph: URIRef) -> str:
    try:
        return str(term_to_sparql(URIRef(graph)))[1:-1]
    except QueryError:
        raise StoreError(f"Invalid graph name {str(graph)!r}: graph names are absolute IRIs "
                         "without spaces, quotes, braces or angle brackets.") from None


def _ntriples(graph: URIRef, triples: Iterable[Triple]) -> tuple[bytes, int]:
    _valid_iri(graph)
    conv = to_oxigraph
    items = []
    try:
        for s, p, o in triples:
            items.append(ox.Triple(conv(s), conv(p), conv(o)))
    except (ValueError, TypeError) as exc:
        raise StoreError(f"Cannot write graph <{graph}>: {exc}; its previous content is kept.") from None
    return ox.serialize(items, format=ox.RdfFormat.N_TRIPLES) or b"", len(items)


def _replace_update(graph: URIRef, body: bytes) -> str:
    iri = f"<{_valid_iri(graph)}>"
    return f"DROP SILENT GRAPH {iri} ;\nINSERT DATA {{ GRAPH {iri} {{\n{body.decode('utf-8')}}} }}"


def _json_term(binding: dict[str, Any]) -> Node:
    kind = binding["type"]
    value = binding["value"]
    if kind == "uri":
        return _snew(URIRef, value)
    if kind in ("literal", "typed-literal"):
        language = binding.get("xml:lang")
        datatype = binding.get("datatype")
        if language:
            return Literal(value, lang=language)
        if datatype and datatype != _XSD_STRING:
            return Literal(value, datatype=_snew(URIRef, datatype))
        return Literal(value)
    if kind == "bnode":
        return _snew(BNode, value)
    return Literal(json.dumps(value))  # RDF-star quoted triple: rdflib cannot hold it


def _json_result(body: bytes) -> QueryResult:
    data = json.loads(body)
    if "boolean" in data:
        return QueryResult("ask", boolean=bool(data["boolean"]))
    variables: list[str] = list(data["head"].get("vars", []))
    conv = _json_term
    rows = [
        tuple(conv(b[v]) if v in b else None for v in variables)
        for b in data["results"]["bindings"]
    ]
    return QueryResult("select", variables=variables, rows=rows)


__all__ = ["BATCH_TRIPLES", "RemoteStore", "endpoint_urls"]
