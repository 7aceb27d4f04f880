"""The public Python API: :class:`KnowledgeGraph`, one method per CLI command.

Example::

    from kg import KnowledgeGraph
    kg = KnowledgeGraph.build(["seeds/"], out="build")
    kg.query("SELECT ?s WHERE { ?s a kg:State }").dicts()
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from rdflib import Dataset
from rdflib.term import Node

from .build import BuildReport, build, dataset_union
from .namespaces import bind_prefixes
from .query import format_result, prepare_query
from .store import open_store
from .store.base import QueryResult, Store

#: RDF serialisation formats accepted by :meth:`KnowledgeGraph.serialize` (name -> rdflib format).
RDF_FORMATS = {"trig": "trig", "turtle": "turtle", "ttl": "turtle", "nquads": "nquads", "jsonld": "json-ld",
               "ntriples": "nt"}


class KnowledgeGraph:
    """A knowledge graph held in a store.

    Args:
        store: store location: ``memory``, a folder (embedded Oxigraph), or an
            ``http(s)://`` SPARQL endpoint; default ``$KG_STORE`` or ``build/store``.
        create: create an embedded store that does not exist yet (default False:
            a missing store is an error that says to run ``kg build``).

    Raises:
        StoreError: the store cannot be opened.
    """

    def __init__(self, store: str | Path | None = None, *, create: bool = False) -> None:
        self.store: Store = open_store(None if store is None else str(store), create=create)
        self.report: BuildReport | None = None

    @classmethod
    def build(cls, sources: Sequence[str | Path], *, out: str | Path = "build", store: str | None = None,
              view: bool = True) -> "KnowledgeGraph":
        """Build the graph of ``sources`` (see :func:`kg.build.build`) and open its store.

        Returns:
            The knowledge graph; its ``report`` attribute holds the :class:`BuildReport`.
        """
        report = build([Path(s) for s in sources], out=Path(out), store=store, view=view)
        kg = cls(report.store)
        kg.report = report
        return kg

    def ingest(self, sources: Sequence[str | Path]) -> BuildReport:
        """Add (or replace) documents in this store, atomically per document (see :func:`kg.build.ingest`)."""
        from .build import ingest

        return ingest([Path(s) for s in sources], store=self.store.location)

    def remove(self, document: str) -> str:
        """Drop one document and the facts only it supported; returns the graph IRI dropped."""
        from .build import remove

        return str(remove(document, store=self.store.location))

    def query(self, sparql: str, *, bindings: dict[str, Node] | None = None, allow_service: bool = False,
              allow_remote_from: bool = False) -> QueryResult:
        """Run a SPARQL query over the union of all named graphs.

        Args:
            sparql: query text; the project's prefixes (kg:, rdfs:, skos:, prov:, ...) need no declaration.
            bindings: variable values, bound safely (never spliced into the text).
            allow_service: let the query call other endpoints through SERVICE.
            allow_remote_from: let the query read URLs or files through FROM / FROM NAMED.

        Returns:
            The :class:`~kg.store.base.QueryResult`.

        Raises:
            QueryError: malformed query, or one that would fetch from elsewhere (SERVICE,
                FROM/FROM NAMED, LOAD) or update the store, unless allowed.
        """
        from .sparql_policy import check_query

        text = prepare_query(sparql)
        check_query(text, allow_service=allow_service, allow_remote_from=allow_remote_from)
        return self.store.query(text, bindings=bindings)

    def dataset(self) -> Dataset:
        """All quads of the store as an rdflib Dataset (one graph per document)."""
        ds = Dataset()
        bind_prefixes(ds)
        for s, p, o, g in self.store.quads():
            ds.add((s, p, o, g))
        return ds

    def serialize(self, path: str | Path, format: str = "trig") -> Path:
        """Write the graph to ``path`` in ``format`` (trig, turtle, nquads, jsonld, ntriples).

        Turtle and N-Triples hold the union of all graphs; TriG/N-Quads/JSON-LD keep the named graphs.

        Raises:
            ValueError: unknown format.
        """
        if format not in RDF_FORMATS:
            raise ValueError(f"unknown format {format!r}; use one of {', '.join(RDF_FORMATS)}")
        ds = self.dataset()
        target = ds if format in {"trig", "nquads", "jsonld"} else dataset_union(ds)
        path = Path(path)
        target.serialize(path, format=RDF_FORMATS[format])
        return path

    def view(self, path: str | Path = "view.html", **options: object):  # type: ignore[no-untyped-def]
        """Write an interactive HTML view of the graph.

        Args:
            path: output HTML file (self-contained, opens offline).
            options: ``focus``, ``hops``, ``types``, ``predicates``, ``since``, ``until``,
                ``title``, ``max_nodes`` (see :func:`kg.viz.write_view`).

        Returns:
            :class:`kg.viz.ViewStats` (nodes, edges, seconds, degraded, message).

        Raises:
            InputError: an unknown or ambiguous focus, or bad options.
        """
        from .viz import write_view

        return write_view(self.dataset(), Path(path), **options)  # type: ignore[arg-type]

    def _repr_html_(self) -> str:
        """Inline view for Jupyter (self-contained, no CDN)."""
        from .viz import View

        return View(self.dataset())._repr_html_()

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> "KnowledgeGraph":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["KnowledgeGraph", "format_result"]
