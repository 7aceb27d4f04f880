"""The entity graph as a networkx graph: find, neighbours, paths, ranking, communities, export.

:func:`project` reads the store with three SPARQL queries (every entity
triple once: types, names, literals and relations; the provenance records
with their sentences; the documents) into a :class:`networkx.MultiDiGraph`
whose nodes are entities and whose edges are keyed by predicate local name. Everything
else works on that graph and returns plain data (lists of dicts)::

    from kg.store import open_store
    from kg import traverse

    with open_store("build/store", read_only=True) as store:
        g = traverse.project(store)
    traverse.find(g, "HTIU")                       # [{'iri': ..., 'label': ..., 'score': 1.0, ...}]
    traverse.neighbors(g, "kgid:brunei-darussalam", predicates=["agencyOf"], direction="in")
    traverse.path(g, "Human Trafficking Investigation Unit", "Brunei Darussalam", all_paths=True)
    traverse.rank(g, by="pagerank", type="State")
    traverse.communities(g)
    traverse.export(g, "graph.graphml", "graphml")

Modules: :mod:`.project` (the projection), :mod:`.lookup` (names),
:mod:`.walk` (neighbours and paths), :mod:`.measure` (centrality,
communities), :mod:`.export` (GraphML, GEXF, CSV).

Projection time (embedded Oxigraph, measured on a shared 2-core machine): the dev
corpus build (17 000 quads, 759 entities) 0.25 s; 82 copies of its documents (1.04 M
quads, 32 000 provenance records) 4 s; a synthetic store from
:func:`kg.viz.synthetic.synthetic_dataset` (0.93 M quads, 40 000 entities, 90 000 edges,
80 000 records) about 20 s, of which 12 s in the store's queries.
"""

from __future__ import annotations

from .export import GRAPH_FORMATS, export
from .lookup import find, fold, resolve
from .measure import MEASURES, communities, pagerank, rank
from .project import ENTITY_CLASSES, node_table, project
from .walk import DIRECTIONS, neighbors, path, render_path

__all__ = [
    "DIRECTIONS",
    "ENTITY_CLASSES",
    "GRAPH_FORMATS",
    "MEASURES",
    "communities",
    "export",
    "find",
    "fold",
    "neighbors",
    "node_table",
    "pagerank",
    "path",
    "project",
    "rank",
    "render_path",
    "resolve",
]
