"""The one small interface every store backend implements.

Backends are chosen by a string (see :func:`kg.store.open_store`):
``"memory"``, a folder path (embedded Oxigraph on disk, the default), or an
``http(s)://`` SPARQL 1.1 endpoint.

Conventions shared by every backend:

* Data lives in **named graphs** (one per document, plus the fixed reference,
  inferred and ontology graphs). :meth:`Store.quads`, :meth:`Store.graph_names`
  and ``len(store)`` only see named graphs.
* The **default graph of a query is the union of all named graphs**, so
  ``SELECT * { ?s ?p ?o }`` sees everything and ``GRAPH ?g { ... }`` tells
  where a triple comes from.
* Results are **rdflib terms**. A plain literal comes back without a datatype
  (``Literal("x")``, not ``Literal("x", datatype=XSD.string)``), as rdflib
  builds it.
* A graph that holds no triple does not exist: replacing a graph with nothing
  drops it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Iterable, Iterator, Literal as TypingLiteral, Protocol, Self, runtime_checkable

from rdflib import Graph, Literal, URIRef
from rdflib.term import BNode, Node

Quad = tuple[Node, Node, Node, URIRef]
Triple = tuple[Node, Node, Node]

#: Formats accepted by :meth:`Store.dump`: name -> (rdflib format name, keeps named graphs).
DUMP_FORMATS: dict[str, tuple[str, bool]] = {
    "trig": ("trig", True),
    "nquads": ("nquads", True),
    "turtle": ("turtle", False),
    "ntriples": ("nt", False),
}
DumpFormat = TypingLiteral["trig", "nquads", "turtle", "ntriples"]


@dataclass(frozen=True)
class Capabilities:
    """What a backend can do.

    Attributes:
        persistent: the data outlives the process.
        update: writes (replace, drop, SPARQL Update) are allowed.
        transactions: a write is all-or-nothing even if the process dies in
            the middle of it (not only when Python raises).
        remote: the store is reached over HTTP.
    """

    persistent: bool
    update: bool
    transactions: bool
    remote: bool = False


class QueryResult:
    """The result of a SPARQL query, whatever the backend.

    Attributes:
        kind: ``"select"``, ``"ask"`` or ``"graph"`` (CONSTRUCT/DESCRIBE).
        variables: SELECT variable names, in order (no ``?``).
        rows: SELECT rows, one tuple per solution, aligned with ``variables``;
            an unbound variable is None. Terms are rdflib terms.
        boolean: the ASK answer.
        triples: the CONSTRUCT/DESCRIBE triples (rdflib terms), in the order
            the store returned them.
        graph: the same triples as an rdflib :class:`~rdflib.Graph` with the
            project prefixes bound, built on first access (indexing triples in
            rdflib costs far more than the query, so it is only done when asked).
    """

    __slots__ = ("kind", "variables", "rows", "boolean", "triples", "_graph")

    def __init__(
        self,
        kind: str,
        variables: list[str] | None = None,
        rows: list[tuple[Node | None, ...]] | None = None,
        boolean: bool | None = None,
        graph: Graph | None = None,
        triples: list[Triple] | None = None,
    ) -> None:
        """Make a result; give ``graph`` or ``triples`` (or neither) for a graph result."""
        self.kind = kind
        self.variables: list[str] = variables if variables is not None else []
        self.rows: list[tuple[Node | None, ...]] = rows if rows is not None else []
        self.boolean = boolean
        self._graph = graph
        if triples is None:
            triples = list(graph) if graph is not None else []
        self.triples: list[Triple] = triples

    @property
    def graph(self) -> Graph | None:
        """The CONSTRUCT/DESCRIBE triples as an rdflib Graph (None for SELECT/ASK)."""
        if self._graph is None and self.kind == "graph":
            from ..namespaces import bind_prefixes

            g = Graph()
            bind_prefixes(g)
            add = g.add
            for t in self.triples:
                add(t)
            self._graph = g
        return self._graph

    def to_dataframe(self):  # type: ignore[no-untyped-def]
        """The SELECT rows as a pandas DataFrame (one column per variable; IRIs and literals as Python values).

        IRIs become strings, typed literals their Python value (``xsd:date`` -> ``datetime.date``,
        ``xsd:integer`` -> ``int``), unbound -> None. pandas is an optional dependency
        (``pip install 'kg[notebook]'``).

        Raises:
            ImportError: pandas is not installed (the message says how to install it).
            ValueError: the result is not a SELECT result.
        """
        try:
            import pandas as pd
        except ImportError as exc:
            raise ImportError("QueryResult.to_dataframe needs pandas: pip install 'kg[notebook]'") from exc
        if self.kind != "select":
            raise ValueError(f"only SELECT results convert to a DataFrame (this is {self.kind})")

        def value(term: Node | None) -> object:
            if term is None:
                return None
            if isinstance(term, Literal):
                v = term.toPython()
                return v if not isinstance(v, Literal) else str(v)
            return str(term)

        return pd.DataFrame([[value(t) for t in row] for row in self.rows], columns=self.variables)

    def _repr_html_(self) -> str:
        """A table for Jupyter: SELECT rows (first 200), ASK answer or the number of triples; text escaped."""
        from html import escape

        if self.kind == "ask":
            return f"<p>ASK: <b>{escape(str(self.boolean).lower())}</b></p>"
        if self.kind == "graph":
            return f"<p>{len(self.triples)} triples</p>"
        head = "".join(f"<th>{escape(v)}</th>" for v in self.variables)
        body = "".join("<tr>" + "".join(f"<td>{'' if t is None else escape(str(t))}</td>" for t in row) + "</tr>"
                       for row in self.rows[:200])
        more = f"<p>{len(self.rows) - 200} more rows</p>" if len(self.rows) > 200 else ""
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"

    def dicts(self) -> list[dict[str, Node | None]]:
        """Return SELECT rows as dicts keyed by variable name."""
        return [dict(zip(self.variables, r)) for r in self.rows]

    def __len__(self) -> int:
        """Number of rows (SELECT), triples (graph) or 1 (ASK)."""
        if self.kind == "select":
            return len(self.rows)
        if self.kind == "graph":
            return len(self.triples)
        return 1

    def __repr__(self) -> str:
        if self.kind == "ask":
            return f"QueryResult(kind='ask', boolean={self.boolean})"
        if self.kind == "graph":
            return f"QueryResult(kind='graph', triples={len(self.triples)})"
        return f"QueryResult(kind='select', variables={self.variables}, rows={len(self.rows)})"


@runtime_checkable
class Store(Protocol):
    """A quad store holding one named graph per document plus fixed graphs."""

    capabilities: Capabilities
    location: str

    def replace_graph(self, graph: URIRef, triples: Iterable[Triple]) -> None:
        """Atomically replace the whole content of named graph ``graph`` with ``triples``.

        ``triples`` is read to the end before the store is touched, so an
        iterator that raises leaves the previous content in place.

        Raises:
            StoreError: the store cannot be written; its previous content is kept.
        """
        ...

    def replace_graphs(self, graphs: dict[URIRef, Iterable[Triple]]) -> None:
        """Replace several named graphs, each atomically (all at once where the backend can)."""
        ...

    def drop_graph(self, graph: URIRef) -> None:
        """Remove named graph ``graph`` (no error when absent)."""
        ...

    def graph_names(self) -> list[URIRef]:
        """Return the IRIs of all named graphs that hold a triple, sorted."""
        ...

    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:
        """Iterate over the quads of one named graph, or of all of them."""
        ...

    def add_quads(self, quads: Iterable[Quad]) -> None:
        """Add quads to their named graphs without removing anything (bulk loading).

        Not atomic on every backend: use :meth:`replace_graph` for that.
        """
        ...

    def query(self, sparql: str, *, bindings: dict[str, Node] | None = None) -> QueryResult:
        """Run a SPARQL 1.1 query (default graph = union of all named graphs).

        Args:
            sparql: the query text.
            bindings: values substituted for variables, safely (never by string concatenation).

        Raises:
            QueryError: syntax error or refused query.
            StoreError: the store failed.
        """
        ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update (refused when ``capabilities.update`` is False)."""
        ...

    def dump(self, path: str | Path, format: DumpFormat = "trig") -> Path:
        """Write the store to ``path``: TriG/N-Quads keep the named graphs, Turtle/N-Triples hold their union."""
        ...

    def __len__(self) -> int:
        """Number of quads in named graphs."""
        ...

    def close(self) -> None:
        """Flush and release the store."""
        ...

    def __enter__(self) -> Self:
        ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        ...


class StoreBase:
    """Behaviour shared by the built-in backends: context manager, batch replace, dump."""

    capabilities: Capabilities
    location: str

    def replace_graph(self, graph: URIRef, triples: Iterable[Triple]) -> None:  # pragma: no cover - abstract
        """See :meth:`Store.replace_graph`."""
        raise NotImplementedError

    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:  # pragma: no cover - abstract
        """See :meth:`Store.quads`."""
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover - abstract
        """See :meth:`Store.close`."""
        raise NotImplementedError

    def replace_graphs(self, graphs: dict[URIRef, Iterable[Triple]]) -> None:
        """Replace several named graphs, each atomically, one after the other.

        Args:
            graphs: graph IRI -> its new triples.

        Raises:
            StoreError: a graph cannot be written; it and the graphs after it keep
                their previous content, the graphs before it are replaced.
        """
        for graph, triples in graphs.items():
            self.replace_graph(graph, triples)

    def dump(self, path: str | Path, format: DumpFormat = "trig") -> Path:
        """Write the store to ``path``.

        Args:
            path: the file to write (its folder must exist).
            format: ``trig`` or ``nquads`` (named graphs kept), ``turtle`` or
                ``ntriples`` (union of the named graphs).

        Returns:
            ``path`` as a Path.

        Raises:
            ValueError: unknown format.
            StoreError: the store cannot be read or the file written.
        """
        from rdflib import Dataset

        from ..errors import StoreError
        from ..namespaces import bind_prefixes

        rdflib_format, keeps_graphs = _dump_format(format)
        path = Path(path)
        ds = Dataset()
        bind_prefixes(ds)
        if keeps_graphs:
            ds.addN(self.quads())  # type: ignore[arg-type]  # rdflib accepts graph IRIs
            target: Graph = ds
        else:
            target = Graph()
            bind_prefixes(target)
            for s, p, o, _g in self.quads():
                target.add((s, p, o))
        try:
            target.serialize(path, format=rdflib_format, encoding="utf-8")
        except OSError as exc:
            raise StoreError(f"Cannot write {path}: {exc.strerror or exc}; check the folder exists and is writable.") from exc
        return path

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.location!r})"


def _dump_format(format: str) -> tuple[str, bool]:
    try:
        return DUMP_FORMATS[format]
    except KeyError:
        raise ValueError(f"unknown dump format {format!r}; use one of {', '.join(DUMP_FORMATS)}") from None


__all__ = [
    "BNode",
    "Capabilities",
    "DUMP_FORMATS",
    "DumpFormat",
    "Literal",
    "Quad",
    "QueryResult",
    "Store",
    "StoreBase",
    "Triple",
]
