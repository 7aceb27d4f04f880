"""Ranking entities by centrality and grouping them into communities.

PageRank is computed here (power iteration with numpy, the definition and
defaults of :func:`networkx.pagerank`: damping 0.85, dangling nodes spread
evenly, parallel edges counted as weight) because networkx's own
implementation needs scipy, which `kg` does not depend on.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx
import numpy as np

from ..errors import QueryError
from .lookup import expand_iri
from .project import ENTITY_CLASSES, SUBCLASSES, local_name
from .walk import undirected

#: Measures :func:`rank` accepts.
MEASURES = ("degree", "pagerank", "betweenness")
#: Above this many nodes, betweenness is estimated from this many sampled source nodes.
#: Source: networkx ``betweenness_centrality(k=...)`` (Brandes & Pich 2007 pivot sampling).
BETWEENNESS_SAMPLE = 500
#: Seed of the random choices (betweenness pivots, Louvain), so results repeat.
SEED = 42
#: PageRank damping factor. Source: networkx.pagerank default (Page et al. 1999).
DAMPING = 0.85


def class_name(name: str) -> str:
    """Turn a class as a user writes it into its local name.

    Args:
        name: ``state``, ``kg:State`` or the class IRI (case-insensitive).

    Returns:
        The local name, e.g. ``State``.

    Raises:
        QueryError: not a class of :data:`kg.traverse.ENTITY_CLASSES` (the message lists them).
    """
    local = local_name(expand_iri(name) or name.strip())
    by_fold = {c.casefold(): c for c in ENTITY_CLASSES}
    found = by_fold.get(local.casefold())
    if found is None:
        raise QueryError(f"Unknown class {name!r}; use one of {', '.join(sorted(ENTITY_CLASSES))}.")
    return found


def has_class(attrs: dict[str, Any], name: str) -> bool:
    """Tell whether a node is an instance of a class.

    Args:
        attrs: the node's attributes (its ``types``).
        name: a class local name; ``Organization`` and ``Event`` take their subclasses.

    Returns:
        True when ``types`` holds ``name`` or one of its subclasses.
    """
    return any(t == name or SUBCLASSES.get(t) == name for t in attrs.get("types") or ())


def pagerank(graph: nx.MultiDiGraph, *, alpha: float = DAMPING, max_iter: int = 100,
             tol: float = 1.0e-6) -> dict[str, float]:
    """PageRank of every node (parallel edges add weight), as :func:`networkx.pagerank` defines it.

    Args:
        graph: a directed graph.
        alpha: damping factor.
        max_iter: most power iterations.
        tol: convergence when the L1 change is below ``tol`` x number of nodes.

    Returns:
        node -> score; the scores sum to 1. Empty for an empty graph.
    """
    nodes = list(graph)
    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    edges = graph.number_of_edges()
    src = np.fromiter((index[u] for u, _v in graph.edges()), dtype=np.int64, count=edges)
    dst = np.fromiter((index[v] for _u, v in graph.edges()), dtype=np.int64, count=edges)
    out_degree = np.bincount(src, minlength=n).astype(float)
    dangling = out_degree == 0
    share = np.divide(1.0, out_degree, out=np.zeros(n), where=~dangling)
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        previous = x
        spread = np.bincount(dst, weights=(x * share)[src], minlength=n)
        x = alpha * spread + (alpha * x[dangling].sum() + 1.0 - alpha) / n
        if np.abs(x - previous).sum() < n * tol:
            break
    return dict(zip(nodes, x.tolist()))


def _scores(graph: nx.MultiDiGraph, by: str) -> dict[str, float]:
    if by == "degree":
        return {node: float(d) for node, d in graph.degree()}
    if by == "pagerank":
        return pagerank(graph)
    simple = undirected(graph)
    k = BETWEENNESS_SAMPLE if simple.number_of_nodes() > BETWEENNESS_SAMPLE else None
    result: dict[str, float] = nx.betweenness_centrality(simple, k=k, seed=SEED)
    return result


def rank(graph: nx.MultiDiGraph, *, by: str = "degree", type: str | None = None,
         limit: int = 20) -> list[dict[str, Any]]:
    """Rank entities by a centrality measure.

    Args:
        graph: the projection from :func:`kg.traverse.project`.
        by: ``degree`` (number of edges, parallel edges counted), ``pagerank``
            (edges point to the entity they name: agencies to their state,
            units to their parent) or ``betweenness`` (on the undirected
            graph; estimated from :data:`BETWEENNESS_SAMPLE` sampled sources
            above that many nodes).
        type: keep only entities of this class (``State``, ``kg:Event``; a
            superclass takes its subclasses: ``Organization``, ``Event``).
        limit: most rows returned.

    Returns:
        Rows, best first (ties: label): ``rank`` (1-based), ``iri``,
        ``label``, ``type``, ``score`` and ``degree``.

    Raises:
        QueryError: unknown measure or class, or ``limit`` < 1.
    """
    if by not in MEASURES:
        raise QueryError(f"Unknown measure {by!r}; use one of {', '.join(MEASURES)}.")
    if limit < 1:
        raise QueryError(f"rank limit must be at least 1, not {limit}; pass --limit 1 or more.")
    wanted = class_name(type) if type else None
    scores = _scores(graph, by)
    nodes = graph.nodes
    chosen = [n for n in graph if wanted is None or has_class(nodes[n], wanted)]
    chosen.sort(key=lambda n: (-scores.get(n, 0.0), str(nodes[n].get("label", n)).casefold(), n))
    degree = graph.degree
    return [
        {"rank": i, "iri": n, "label": nodes[n].get("label", n), "type": nodes[n].get("type", "Thing"),
         "score": scores.get(n, 0.0), "degree": degree(n)}
        for i, n in enumerate(chosen[:limit], start=1)
    ]


def communities(graph: nx.MultiDiGraph, *, min_size: int = 2, seed: int = SEED) -> list[dict[str, Any]]:
    """Group entities into communities with Louvain modularity on the undirected graph.

    Args:
        graph: the projection from :func:`kg.traverse.project`.
        min_size: leave out communities smaller than this (isolated gazetteer
            entries form communities of one).
        seed: random seed of :func:`networkx.community.louvain_communities`
            (same graph and seed, same communities).

    Returns:
        Communities, largest first (ties: hub label), each ``{id, size, hub,
        hub_label, types, members}``: ``id`` numbers them from 1 in this order,
        ``hub`` is the member with the highest degree, ``types`` counts the
        members per class (most frequent first) and ``members`` lists
        ``{iri, label, type, degree}`` by degree then label.

    Raises:
        QueryError: ``min_size`` < 1.
    """
    if min_size < 1:
        raise QueryError(f"min_size must be at least 1, not {min_size}.")
    simple = undirected(graph)
    if simple.number_of_nodes() == 0:
        return []
    parts = nx.community.louvain_communities(simple, seed=seed)
    nodes = graph.nodes
    degree = dict(graph.degree())
    out: list[dict[str, Any]] = []
    for part in parts:
        if len(part) < min_size:
            continue
        members = sorted(part, key=lambda n: (-degree[n], str(nodes[n].get("label", n)).casefold(), n))
        hub = members[0]
        out.append({
            "size": len(members),
            "hub": hub,
            "hub_label": nodes[hub].get("label", hub),
            "types": dict(Counter(nodes[n].get("type", "Thing") for n in members).most_common()),
            "members": [{"iri": n, "label": nodes[n].get("label", n), "type": nodes[n].get("type", "Thing"),
                         "degree": degree[n]} for n in members],
        })
    out.sort(key=lambda c: (-c["size"], str(c["hub_label"]).casefold(), c["hub"]))
    return [{"id": i, **c} for i, c in enumerate(out, start=1)]


__all__ = ["BETWEENNESS_SAMPLE", "MEASURES", "SEED", "class_name", "communities", "has_class", "pagerank", "rank"]
