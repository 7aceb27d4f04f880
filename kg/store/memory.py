"""An in-memory store over an rdflib ``Dataset(default_union=True)``, for tests and small jobs.

Nothing is persisted. rdflib's union default graph is a set: a triple held by
two graphs matches once (Oxigraph's matches twice).
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from pyparsing import ParseBaseException
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from ..errors import QueryError, StoreError
from .base import Capabilities, Quad, QueryResult, StoreBase, Triple
from .sparql_text import inject_values, syntax_error_message, variable_name


class MemoryStore(StoreBase):
    """A non-persistent store held in an rdflib Dataset.

    Args:
        read_only: refuse writes (the store starts empty, so this is for tests
            of read-only behaviour, or to hand a filled store to untrusted code).
    """

    def __init__(self, *, read_only: bool = False) -> None:
        self.location = "memory"
        self.read_only = read_only
        self.capabilities = Capabilities(persistent=False, update=not read_only, transactions=False)
        self._ds: Dataset | None = Dataset(default_union=True)

    @property
    def dataset(self) -> Dataset:
        """The underlying rdflib Dataset (shared, not a copy).

        Raises:
            StoreError: the store is closed.
        """
        if self._ds is None:
            raise StoreError("The in-memory store is closed; its content is gone.")
        return self._ds

    def _writable(self) -> Dataset:
        if self.read_only:
            raise StoreError("The in-memory store is read-only; open it without read_only to write.")
        return self.dataset

    def _view(self, graph: URIRef) -> Graph:
        # A Graph over the same store, restricted to one context, without registering it.
        return Graph(store=self.dataset.store, identifier=graph)

    def replace_graph(self, graph: URIRef, triples: Iterable[Triple]) -> None:
        """Replace named graph ``graph`` with ``triples``.

        The triples are read and checked before the graph is touched, so a
        failing iterator or a bad term leaves the previous content (there is
        no crash to survive: nothing is persisted).

        Raises:
            StoreError: a term is not valid where it stands, or the store is read-only.
        """
        ds = self._writable()
        new = _checked(graph, triples)
        view = self._view(_graph_name(graph))
        view.remove((None, None, None))
        ds.remove_graph(view.identifier)
        if new:
            ds.addN((s, p, o, view) for s, p, o in new)

    def drop_graph(self, graph: URIRef) -> None:
        """Remove named graph ``graph`` (no error when absent).

        Raises:
            StoreError: the store is read-only or closed, or ``graph`` is not a URIRef.
        """
        ds = self._writable()
        view = self._view(_graph_name(graph))
        view.remove((None, None, None))
        ds.remove_graph(view.identifier)

    def add_quads(self, quads: Iterable[Quad]) -> None:
        """Add quads to their named graphs.

        Raises:
            StoreError: a quad is not valid RDF (the quads before it are added).
        """
        ds = self._writable()
        store = ds.store
        views: dict[URIRef, Graph] = {}
        for s, p, o, g in quads:
            g = _graph_name(g)
            _check_triple(g, s, p, o)
            view = views.get(g)
            if view is None:
                view = views[g] = Graph(store=store, identifier=g)
            store.add((s, p, o), view)

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update with rdflib.

        Raises:
            QueryError: syntax error, or the update failed.
            StoreError: the store is read-only.
        """
        ds = self._writable()
        try:
            ds.update(sparql)
        except ParseBaseException as exc:
            raise QueryError(syntax_error_message("update", str(exc))) from None
        except Exception as exc:  # rdflib raises bare Exceptions (unknown prefix, ...)
            raise QueryError(f"SPARQL update failed: {' '.join(str(exc).split())}") from None

    def query(self, sparql: str, *, bindings: dict[str, Node] | None = None) -> QueryResult:
        """Run a SPARQL 1.1 query with rdflib (default graph = union of the named graphs).

        Args:
            sparql: the query text.
            bindings: variable name (with or without ``?``) -> rdflib term, written
                into the query by :func:`kg.store.sparql_text.inject_values` (the same
                rewrite as the other backends, so every store gives the same answer and
                refuses the same unsafe bindings).

        Returns:
            The result.

        Raises:
            QueryError: syntax error (with line and column), a bad binding, or
                an evaluation error.
        """
        ds = self.dataset
        init: dict[str, Any] = {}
        for name, value in (bindings or {}).items():
            if not isinstance(value, (URIRef, Literal, BNode)):
                raise QueryError(f"Cannot bind ?{name.lstrip('?$')}: {value!r} is not an rdflib URIRef, Literal or BNode.")
            init[variable_name(name)] = value
        try:
            if init:
                sparql = inject_values(sparql, init)
            result = ds.query(sparql)
            if result.type == "ASK":
                return QueryResult("ask", boolean=bool(result.askAnswer))
            if result.type in ("CONSTRUCT", "DESCRIBE"):
                return QueryResult("graph", triples=list(result.graph or ()))
            variables = [str(v) for v in (result.vars or [])]
            return QueryResult("select", variables=variables, rows=[tuple(r) for r in result])  # type: ignore[arg-type]
        except ParseBaseException as exc:
            raise QueryError(syntax_error_message("query", str(exc))) from None
        except QueryError:
            raise
        except Exception as exc:  # rdflib raises bare Exceptions (unknown prefix, ...)
            raise QueryError(f"SPARQL query failed: {' '.join(str(exc).split())}") from None

    def graph_names(self) -> list[URIRef]:
        """Return the IRIs of the named graphs that hold a triple, sorted."""
        return sorted(
            g.identifier
            for g in self.dataset.graphs()
            if g.identifier != DATASET_DEFAULT_GRAPH_ID and isinstance(g.identifier, URIRef) and len(g)
        )

    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:
        """Iterate over the quads of named graph ``graph``, or of every named graph."""
        ds = self.dataset
        if graph is not None:
            g = URIRef(graph)
            for s, p, o in self._view(g):
                yield s, p, o, g
            return
        for s, p, o, c in ds.quads((None, None, None, None)):
            if c is not None and c != DATASET_DEFAULT_GRAPH_ID:
                yield s, p, o, c  # type: ignore[misc]

    def __len__(self) -> int:
        """Number of quads in named graphs."""
        return sum(len(g) for g in self.dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID)

    def close(self) -> None:
        """Drop the data."""
        self._ds = None


def _graph_name(graph: Any) -> URIRef:
    if not isinstance(graph, URIRef):
        raise StoreError(f"Invalid graph name {graph!r}: graph names are IRIs (rdflib URIRef).")
    return graph


def _check_triple(graph: URIRef, s: Any, p: Any, o: Any) -> None:
    if not (isinstance(s, (URIRef, BNode)) and isinstance(p, URIRef) and isinstance(o, (URIRef, BNode, Literal))):
        raise StoreError(f"Cannot write graph <{graph}>: ({s!r}, {p!r}, {o!r}) is not a valid RDF triple; "
                         "its previous content is kept.")


def _checked(graph: URIRef, triples: Iterable[Triple]) -> list[Triple]:
    out = list(triples)
    for s, p, o in out:
        _check_triple(graph, s, p, o)
    return out


__all__ = ["MemoryStore"]
