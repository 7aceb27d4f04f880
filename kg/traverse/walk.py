"""Walking the projection: the neighbourhood of an entity and the paths between two.

A step ("hop") is one edge, followed forwards (``direction`` ``"out"``: the
edge goes from ``from`` to ``to``) or backwards (``"in"``: the edge goes
from ``to`` to ``from``). Each hop is a dict::

    {"from": iri, "from_label": str, "predicate": "partOf", "direction": "out",
     "to": iri, "to_label": str, "to_type": "GovernmentAgency",
     "sentence": str | None, "document": iri | None, "document_title": str | None,
     "confidence": float | None, "rule": str | None, "source": "document" | "reference" | "inferred"}

``sentence`` and ``document`` come from the edge's best provenance record:
the most confident one that has a sentence, else the first one (a
reference-graph edge has ``source`` ``"reference"`` and no sentence).
"""

from __future__ import annotations

import weakref
from typing import Any, Iterable, Iterator

import networkx as nx

from ..errors import QueryError
from ..ontology import VOCAB_OBJECT_PROPERTIES
from .lookup import expand_iri, resolve
from .project import local_name

#: Directions :func:`neighbors` accepts.
DIRECTIONS = ("in", "out", "both")
#: Most paths :func:`path` returns.
MAX_PATHS = 50

_undirected_cache: "weakref.WeakKeyDictionary[nx.MultiDiGraph, tuple[tuple[int, int], nx.Graph]]" = \
    weakref.WeakKeyDictionary()


def undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    """Return the simple undirected graph of a projection, for path search, betweenness and communities.

    Cached per graph while its node and edge counts stay the same.

    Args:
        graph: the projection.

    Returns:
        An :class:`networkx.Graph` with the same nodes, one edge per linked pair
        (parallel edges and directions merged, self-loops dropped), no attributes.
    """
    signature = (graph.number_of_nodes(), graph.number_of_edges())
    cached = _undirected_cache.get(graph)
    if cached is not None and cached[0] == signature:
        return cached[1]
    simple = nx.Graph()
    simple.add_nodes_from(graph)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    _undirected_cache[graph] = (signature, simple)
    return simple


def best_record(provenance: list[dict[str, Any]]) -> dict[str, Any]:
    """Choose the provenance record to show for an edge.

    Args:
        provenance: the edge's ``provenance`` list.

    Returns:
        The most confident record that has a sentence, else the first record,
        else ``{"source": None}``.
    """
    with_sentence = [r for r in provenance if r.get("sentence")]
    if with_sentence:
        return max(with_sentence, key=lambda r: r.get("confidence") or 0.0)
    return provenance[0] if provenance else {"source": None}


def hop(graph: nx.MultiDiGraph, start: str, end: str, key: str, direction: str) -> dict[str, Any]:
    """Describe one step from ``start`` to ``end`` along edge ``key`` (see the module docstring).

    Args:
        graph: the projection.
        start: the node the step leaves.
        end: the node it reaches.
        key: the edge key (predicate local name).
        direction: ``"out"`` when the edge is ``start -> end``, ``"in"`` when it is ``end -> start``.

    Returns:
        The hop dict.
    """
    data = graph.edges[start, end, key] if direction == "out" else graph.edges[end, start, key]
    record = best_record(data.get("provenance") or [])
    document = record.get("document")
    documents = graph.graph.get("documents") or {}
    return {
        "from": start,
        "from_label": graph.nodes[start].get("label", start),
        "predicate": key,
        "direction": direction,
        "to": end,
        "to_label": graph.nodes[end].get("label", end),
        "to_type": graph.nodes[end].get("type", "Thing"),
        "sentence": record.get("sentence"),
        "document": document,
        "document_title": (documents.get(document) or {}).get("title") if document else None,
        "confidence": record.get("confidence"),
        "rule": record.get("rule"),
        "source": record.get("source"),
    }


def predicate_names(graph: nx.MultiDiGraph, predicates: Iterable[str]) -> set[str]:
    """Turn predicates given as local names, compact IRIs or IRIs into edge keys.

    Args:
        graph: the projection (its edge keys are the known predicates, with
            the vocabulary's object properties).
        predicates: e.g. ``("partOf", "kg:agencyOf")``; matched case-insensitively.

    Returns:
        The edge keys; empty when ``predicates`` is empty.

    Raises:
        QueryError: a predicate is unknown (the message lists the known ones).
    """
    wanted = [p for p in predicates if p and p.strip()]
    if not wanted:
        return set()
    known = {k for _u, _v, k in graph.edges(keys=True)} | set(VOCAB_OBJECT_PROPERTIES)
    by_fold = {k.casefold(): k for k in known}
    keys = set()
    for p in wanted:
        name = local_name(expand_iri(p) or p.strip())
        key = by_fold.get(name.casefold())
        if key is None:
            raise QueryError(f"Unknown predicate {p!r}; use one of {', '.join(sorted(known))}.")
        keys.add(key)
    return keys


def _incident(graph: nx.MultiDiGraph, node: str, direction: str) -> Iterator[tuple[str, str, str]]:
    """(other node, edge key, direction) of every edge at ``node``."""
    if direction in ("out", "both"):
        for _u, v, k in graph.out_edges(node, keys=True):
            yield v, k, "out"
    if direction in ("in", "both"):
        for u, _v, k in graph.in_edges(node, keys=True):
            yield u, k, "in"


def neighbors(graph: nx.MultiDiGraph, entity: str, *, hops: int = 1, predicates: Iterable[str] = (),
              direction: str = "both") -> list[dict[str, Any]]:
    """List the entities within ``hops`` steps of ``entity``, with the edges that reach them.

    Breadth first: a row is an edge from an entity at distance d-1 to an
    entity at distance d (edges between two entities at the same distance
    are not rows), so with ``hops=1`` there is one row per edge at the entity.

    Args:
        graph: the projection from :func:`kg.traverse.project`.
        entity: an IRI, a compact IRI (``kgid:asean``) or a name (resolved with :func:`kg.traverse.find`).
        hops: greatest distance, in edges (>= 1).
        predicates: follow only these predicates (local names or IRIs); empty: all.
        direction: ``"out"`` (edges from the entity outwards), ``"in"`` or ``"both"``.

    Returns:
        Hop dicts (see the module docstring) with a ``distance`` key, ordered
        by distance, predicate, then the reached entity's label.

    Raises:
        QueryError: the entity is unknown or ambiguous, a predicate is unknown,
            ``hops`` < 1 or ``direction`` is not in/out/both.
    """
    if hops < 1:
        raise QueryError(f"hops must be at least 1, not {hops}; pass --hops 1 or more.")
    if direction not in DIRECTIONS:
        raise QueryError(f"Unknown direction {direction!r}; use in, out or both.")
    keys = predicate_names(graph, predicates)
    start = resolve(graph, entity)
    distance = {start: 0}
    frontier = [start]
    rows: list[dict[str, Any]] = []
    for d in range(1, hops + 1):
        reached: list[str] = []
        for u in frontier:
            for v, key, way in _incident(graph, u, direction):
                if (keys and key not in keys) or distance.get(v, d) < d:
                    continue
                row = hop(graph, u, v, key, way)
                row["distance"] = d
                rows.append(row)
                if v not in distance:
                    distance[v] = d
                    reached.append(v)
        frontier = reached
        if not frontier:
            break
    rows.sort(key=lambda r: (r["distance"], r["predicate"], r["to_label"].casefold(), r["to"], r["from"]))
    return rows


def _best_step(graph: nx.MultiDiGraph, u: str, v: str) -> dict[str, Any]:
    """The hop from u to v along the best of the edges between them (with a sentence, most confident)."""
    options = [(k, "out") for k in graph.succ[u].get(v, {})] + [(k, "in") for k in graph.pred[u].get(v, {})]
    steps = [hop(graph, u, v, k, way) for k, way in options]
    steps.sort(key=lambda h: (h["sentence"] is None, -(h["confidence"] or 0.0), h["direction"] != "out",
                              h["predicate"]))
    best = steps[0]
    best["also"] = [{"predicate": h["predicate"], "direction": h["direction"]} for h in steps[1:]]
    return best


def path(graph: nx.MultiDiGraph, a: str, b: str, *, max_hops: int = 6, all_paths: bool = False,
         limit: int = MAX_PATHS) -> list[list[dict[str, Any]]]:
    """Find the shortest path(s), or all simple paths, between two entities, following edges either way.

    Args:
        graph: the projection from :func:`kg.traverse.project`.
        a: the start entity: IRI, compact IRI or name.
        b: the end entity: IRI, compact IRI or name.
        max_hops: longest path returned, in edges (>= 1).
        all_paths: False: every shortest path; True: every simple path of at
            most ``max_hops`` edges, shortest first.
        limit: most paths returned.

    Returns:
        Paths, each a list of hop dicts (see the module docstring) from ``a``
        to ``b``; a step between two entities linked by several predicates
        uses the edge with a sentence and the highest confidence and lists the
        others under ``also``. Empty when no path of at most ``max_hops`` exists.

    Raises:
        QueryError: an entity is unknown or ambiguous, both are the same
            entity, or ``max_hops``/``limit`` < 1.
    """
    if max_hops < 1:
        raise QueryError(f"max_hops must be at least 1, not {max_hops}; pass --max-hops 1 or more.")
    if limit < 1:
        raise QueryError(f"path limit must be at least 1, not {limit}.")
    source, target = resolve(graph, a), resolve(graph, b)
    if source == target:
        raise QueryError(f"{a!r} and {b!r} are the same entity ({source}); pass two different entities.")
    simple = undirected(graph)
    found: list[list[str]] = []
    try:
        if all_paths:
            for nodes in nx.shortest_simple_paths(simple, source, target):
                if len(nodes) - 1 > max_hops or len(found) >= limit:
                    break
                found.append(nodes)
        else:
            for nodes in nx.all_shortest_paths(simple, source, target):
                if len(nodes) - 1 > max_hops or len(found) >= limit:
                    break
                found.append(nodes)
    except nx.NetworkXNoPath:
        return []
    return [[_best_step(graph, u, v) for u, v in zip(nodes, nodes[1:])] for nodes in found]


def render_path(hops: list[dict[str, Any]]) -> str:
    """Write a path as one line of labels and arrows.

    Args:
        hops: a path from :func:`path` (or rows of :func:`neighbors` that chain).

    Returns:
        ``"A -partOf-> B <-agencyOf- C"``: ``-p->`` follows an edge forwards,
        ``<-p-`` backwards; empty for no hop.
    """
    if not hops:
        return ""
    parts = [hops[0]["from_label"]]
    for h in hops:
        arrow = f"-{h['predicate']}->" if h["direction"] == "out" else f"<-{h['predicate']}-"
        parts.append(f"{arrow} {h['to_label']}")
    return " ".join(parts)


__all__ = ["DIRECTIONS", "MAX_PATHS", "best_record", "hop", "neighbors", "path", "predicate_names",
           "render_path", "undirected"]
