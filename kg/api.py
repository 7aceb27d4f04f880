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

from typing import TYPE_CHECKING
from .namespaces import bind_prefixes
from .query import format_result, prepare_query
from .store import open_store
from .store.base import QueryResult, Store

if TYPE_CHECKING:  # importing kg.build loads spaCy: only the commands that extract pay for it
    from .build import BuildReport

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
        read_only: open the store for reading only (no lock taken, no write possible;
            ``kg query`` and ``kg serve`` use this).

    Raises:
        StoreError: the store cannot be opened.
    """

    def __init__(self, store: str | Path | None = None, *, create: bool = False, read_only: bool = False) -> None:
        self.store: Store = open_store(None if store is None else str(store), create=create and not read_only,
                                       read_only=read_only)
        self.report: BuildReport | None = None

    @classmethod
    def build(cls, sources: Sequence[str | Path], *, out: str | Path = "build", store: str | None = None,
              view: bool = True) -> "KnowledgeGraph":
        """Build the graph of ``sources`` (see :func:`kg.build.build`) and open its store.

        Returns:
            The knowledge graph; its ``report`` attribute holds the :class:`BuildReport`.
        """
        from .build import build

        report = build([Path(s) for s in sources], out=Path(out), store=store, view=view)
        kg = cls(report.store)
        kg.report = report
        return kg

    def ingest(self, sources: Sequence[str | Path]) -> "BuildReport":
        """Add (or replace) documents in this store, atomically per document (see :func:`kg.build.ingest`)."""
        from .build import ingest

        return ingest([Path(s) for s in sources], store=self.store)

    def remove(self, document: str) -> str:
        """Drop one document and the facts only it supported; returns the graph IRI dropped."""
        from .build import remove

        return str(remove(document, store=self.store))

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
        from .build import dataset_union

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

    # -- traversal (kg.traverse) --

    def projection(self, *, refresh: bool = False):  # type: ignore[no-untyped-def]
        """The entity graph as a networkx MultiDiGraph (see :func:`kg.traverse.project`), cached per instance.

        Args:
            refresh: project the store again (after it changed) instead of reusing the cached graph.

        Returns:
            The :class:`networkx.MultiDiGraph`: entities as nodes, predicates as keyed edges with provenance.

        Raises:
            StoreError: the store cannot be read.
        """
        from . import traverse

        cached = getattr(self, "_projection", None)
        if cached is None or refresh:
            cached = self._projection = traverse.project(self.store)
        return cached

    def find(self, text: str, *, limit: int = 10) -> list[dict[str, object]]:
        """Find entities by label, alternative label or acronym (see :func:`kg.traverse.find`).

        Uses the cached projection when there is one, else one query on the store.

        Args:
            text: the name or part of it; case and accents are ignored.
            limit: most candidates.

        Returns:
            Candidates, best first: ``iri``, ``label``, ``type``, ``matched``, ``field``, ``match``, ``score``.

        Raises:
            QueryError: ``text`` holds no letter or digit.
        """
        from . import traverse

        source = getattr(self, "_projection", None)
        return traverse.find(self.store if source is None else source, text, limit=limit)

    def neighbors(self, entity: str, *, hops: int = 1, predicates: Sequence[str] = (),
                  direction: str = "both") -> list[dict[str, object]]:
        """The entities within ``hops`` edges of ``entity`` (see :func:`kg.traverse.neighbors`).

        Args:
            entity: an IRI, a compact IRI (``kgid:asean``) or a name.
            hops: greatest distance in edges.
            predicates: follow only these (``partOf``, ``kg:agencyOf``); empty: all.
            direction: ``out``, ``in`` or ``both``.

        Returns:
            One hop dict per edge reaching a new entity, with its ``distance``.

        Raises:
            QueryError: unknown or ambiguous entity, unknown predicate, bad hops or direction.
        """
        from . import traverse

        return traverse.neighbors(self.projection(), entity, hops=hops, predicates=predicates, direction=direction)

    def path(self, a: str, b: str, *, max_hops: int = 6, all_paths: bool = False) -> list[list[dict[str, object]]]:
        """The shortest path(s), or all simple paths, between two entities (see :func:`kg.traverse.path`).

        Args:
            a: the start entity: IRI, compact IRI or name.
            b: the end entity.
            max_hops: longest path, in edges.
            all_paths: every simple path up to ``max_hops``, shortest first, not only the shortest.

        Returns:
            Paths, each a list of hop dicts; empty when none has at most ``max_hops`` edges.

        Raises:
            QueryError: unknown, ambiguous or identical entities, or bad ``max_hops``.
        """
        from . import traverse

        return traverse.path(self.projection(), a, b, max_hops=max_hops, all_paths=all_paths)

    def rank(self, *, by: str = "degree", type: str | None = None, limit: int = 20) -> list[dict[str, object]]:
        """Entities ranked by degree, PageRank or betweenness (see :func:`kg.traverse.rank`).

        Args:
            by: ``degree``, ``pagerank`` or ``betweenness``.
            type: only entities of this class (``State``, ``Organization``, ...).
            limit: most rows.

        Returns:
            Rows, best first: ``rank``, ``iri``, ``label``, ``type``, ``score``, ``degree``.

        Raises:
            QueryError: unknown measure or class.
        """
        from . import traverse

        return traverse.rank(self.projection(), by=by, type=type, limit=limit)

    def communities(self, *, min_size: int = 2) -> list[dict[str, object]]:
        """Louvain communities of the entity graph, largest first (see :func:`kg.traverse.communities`).

        Args:
            min_size: leave out smaller communities.

        Returns:
            ``{id, size, hub, hub_label, types, members}`` per community.
        """
        from . import traverse

        return traverse.communities(self.projection(), min_size=min_size)

    def export(self, path: str | Path, format: str) -> list[Path]:
        """Write the graph as RDF (turtle, trig, nquads, jsonld) or for graph tools (graphml, gexf, csv).

        RDF goes through :meth:`serialize`; graph formats through :func:`kg.traverse.export`
        (csv: ``path`` is a folder receiving nodes.csv and edges.csv).

        Args:
            path: the output file (the folder for csv).
            format: ``turtle``, ``trig``, ``nquads``, ``jsonld``, ``graphml``, ``gexf`` or ``csv``.

        Returns:
            The files written.

        Raises:
            KgError: unknown format.
            InputError: the output cannot be written.
        """
        from . import traverse
        from .errors import KgError

        if format in ("turtle", "trig", "nquads", "jsonld"):
            return [self.serialize(path, format=format)]
        if format in traverse.GRAPH_FORMATS:
            return traverse.export(self.projection(), path, format)
        raise KgError(f"Unknown export format {format!r}; use turtle, trig, nquads, jsonld, graphml, gexf or csv.")

    # -- validation and reasoning (kg.reason, kg.validate) --

    def validate(self):  # type: ignore[no-untyped-def]  # -> kg.validate.ValidationReport
        """Check the asserted graph against the SHACL shapes (ontology/shapes.ttl).

        Every named graph except the inferred one is validated, as their union
        (an entity may be typed in the reference graph and used in a document):
        inferences are left out because a type entailed by a property's range
        would satisfy the very ``sh:class`` check that should catch a wrong fact.

        Returns:
            The :class:`kg.validate.ValidationReport`: ``conforms`` (no result of
            severity Violation) and every result with its shape, focus node,
            value, message and source documents.

        Raises:
            StoreError: the store cannot be read.
            ConfigError: the shapes or ontology file is missing or invalid.
        """
        from .namespaces import INFERRED_GRAPH
        from .validate import validate as shacl_validate

        ds = Dataset()
        bind_prefixes(ds)
        for s, p, o, g in self.store.quads():
            if g != INFERRED_GRAPH:
                ds.add((s, p, o, g))
        return shacl_validate(ds)

    def infer(self, profile: str = "owl-rl") -> int:
        """Materialise inferences into the graph ``https://w3id.org/kg/graph/inferred``, replacing earlier ones.

        Args:
            profile: ``"rdfs"`` (subclass types, subproperty triples, domain and
                range types) or ``"owl-rl"`` (also the inverses hasPart,
                hasMember, hasParticipant and transitive partOf); see :mod:`kg.reason`.

        Returns:
            The number of inferred triples written (each asserted in no other graph).

        Raises:
            KgError: unknown profile.
            StoreError: the store cannot be read or written.
            ConfigError: the ontology file is missing or invalid.
        """
        from .reason import write_inferences

        n = write_inferences(self.store, profile)  # type: ignore[arg-type]
        self._projection = None  # the entity graph changed
        return n

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> "KnowledgeGraph":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["KnowledgeGraph", "format_result"]
