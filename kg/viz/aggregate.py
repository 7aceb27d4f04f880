"""Graceful degradation: fit a projection into ``max_nodes`` nodes.

First, leaves (entities with a single relation) that hang off the same
neighbour by the same predicate, in the same direction, and share a class are
merged into one aggregate node ("37 Person"), largest groups first, until the
graph fits. If it still does not, the entities with the fewest relations are
left out. Either way the view says so in its message.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .project import EdgeData, NodeData, Projection
from .select import degrees

AGGREGATE_PREFIX = "urn:kg-view:group:"


@dataclass(frozen=True)
class Reduction:
    """What :func:`fit` did, for the view's message."""

    before: int
    merged: int
    groups: int
    dropped: int

    @property
    def changed(self) -> bool:
        """True when the projection was reduced at all."""
        return bool(self.merged or self.dropped)

    def message(self, after: int) -> str:
        """One line for the view's banner, naming what was done and how to avoid it."""
        parts = [f"Showing {after:,} nodes for {self.before:,} entities"]
        if self.merged:
            parts.append(f"{self.merged:,} single-relation entities merged into {self.groups:,} groups")
        if self.dropped:
            parts.append(f"{self.dropped:,} entities with the fewest relations left out")
        return "; ".join(parts) + ". Narrow it with focus, types, predicates or since/until to see every entity."


def fit(proj: Projection, max_nodes: int) -> tuple[Projection, Reduction]:
    """Reduce ``proj`` to at most ``max_nodes`` nodes.

    Args:
        proj: the projection to draw.
        max_nodes: the most nodes the view may have (>= 1).

    Returns:
        ``(projection, reduction)``; the projection is ``proj`` itself when it
        already fits.
    """
    before = len(proj.nodes)
    if before <= max_nodes:
        return proj, Reduction(before, 0, 0, 0)
    deg = degrees(proj.nodes, proj.edges)
    groups: dict[tuple[str, str, bool, str], list[EdgeData]] = defaultdict(list)
    for e in proj.edges:
        for leaf, other, outward in ((e.s, e.o, True), (e.o, e.s, False)):
            if deg.get(leaf) == 1 and deg.get(other, 0) > 1:
                groups[(other, e.p, outward, proj.nodes[leaf].primary)].append(e)
    nodes = dict(proj.nodes)
    removed: set[int] = set()
    new_edges: list[EdgeData] = []
    merged = made = 0
    excess = before - max_nodes
    for (hub, pred, outward, cls), members in sorted(
        groups.items(), key=lambda kv: (-len(kv[1]), kv[0])
    ):
        if excess <= 0:
            break
        if len(members) < 2:
            break
        leaves = [m.s if outward else m.o for m in members]
        gid = f"{AGGREGATE_PREFIX}{made}"
        made += 1
        label = f"{len(leaves)} {cls}"
        agg = NodeData(iri=gid, classes={cls}, primary=cls, labels={label: 1})
        agg.members = sorted(nodes[x].label for x in leaves)
        for x in leaves:
            agg.docs |= nodes[x].docs
            del nodes[x]
        nodes[gid] = agg
        for m in members:
            removed.add(id(m))
        e = EdgeData(s=gid, p=pred, o=hub) if outward else EdgeData(s=hub, p=pred, o=gid)
        e.aggregate = len(members)
        e.reference = any(m.reference for m in members)
        e.docs = set().union(*(m.docs for m in members))
        new_edges.append(e)
        merged += len(leaves)
        excess -= len(leaves) - 1
    edges = [e for e in proj.edges if id(e) not in removed] + new_edges
    dropped = 0
    if len(nodes) > max_nodes:
        deg = degrees(nodes, edges)
        ranked = sorted(nodes, key=lambda k: (-deg[k], k))
        keep = set(ranked[:max_nodes])
        dropped = len(nodes) - len(keep)
        nodes = {k: v for k, v in nodes.items() if k in keep}
        edges = [e for e in edges if e.s in keep and e.o in keep]
    edges.sort(key=lambda e: e.key)
    return Projection(nodes=nodes, edges=edges, docs=proj.docs), Reduction(
        before, merged, made, dropped
    )
