"""The one small interface every store backend implements.

Backends are chosen by a string (see :func:`kg.store.open_store`):
``"memory"``, a folder path (embedded Oxigraph on disk, the default), or an
``http(s)://`` SPARQL 1.1 endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator, Protocol, runtime_checkable

from rdflib import Graph, Literal, URIRef
from rdflib.term import BNode, Node

Quad = tuple[Node, Node, Node, URIRef]


@dataclass(frozen=True)
class Capabilities:
    """What a backend can do."""

    persistent: bool
    update: bool
    transactions: bool
    remote: bool = False


@dataclass
class QueryResult:
    """The result of a SPARQL query, whatever the backend.

    Attributes:
        kind: ``"select"``, ``"ask"`` or ``"graph"`` (CONSTRUCT/DESCRIBE).
        variables: SELECT variable names, in order (no ``?``).
        rows: SELECT rows, one tuple per solution, aligned with ``variables``;
            an unbound variable is None. Terms are rdflib terms.
        boolean: the ASK answer.
        graph: the CONSTRUCT/DESCRIBE triples.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def dicts(self) -> list[dict[str, Node | None]]:
        """Return SELECT rows as dicts keyed by variable name."""
        return [dict(zip(self.variables, r)) for r in self.rows]


@runtime_checkable
class Store(Protocol):
    """A quad store holding one named graph per document plus fixed graphs."""

    capabilities: Capabilities
    location: str

    def replace_graph(self, graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Atomically replace the whole content of named graph ``graph`` with ``triples``.

        Raises:
            StoreError: the store cannot be written; its previous content is kept.
        """
        ...

    def replace_graphs(self, graphs: dict[URIRef, Iterable[tuple[Node, Node, Node]]]) -> None:
        """Replace several named graphs, each atomically (all at once where the backend can)."""
        ...

    def drop_graph(self, graph: URIRef) -> None:
        """Remove named graph ``graph`` (no error when absent)."""
        ...

    def graph_names(self) -> list[URIRef]:
        """Return the IRIs of all named graphs."""
        ...

    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:
        """Iterate over the quads of one named graph, or of all of them."""
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

    def __len__(self) -> int:
        """Number of quads."""
        ...

    def close(self) -> None:
        """Flush and release the store."""
        ...


__all__ = ["BNode", "Capabilities", "Literal", "Quad", "QueryResult", "Store"]
