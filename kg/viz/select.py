"""Narrowing a :class:`~kg.viz.project.Projection` to what a view was asked to show.

The filters run in this order: predicates, time window, classes, focus
neighbourhood. Each returns a new projection; the input is not changed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import InputError
from .project import EdgeData, NodeData, Projection, local_name


@dataclass(frozen=True)
class Selection:
    """What to keep: the keyword options of :func:`kg.viz.write_view`."""

    focus: str | None = None
    hops: int = 1
    types: Sequence[str] = ()
    predicates: Sequence[str] = ()
    since: dt.date | None = None
    until: dt.date | None = None


def _names(values: Sequence[str]) -> set[str]:
    out = set()
    for v in values:
        v = v.strip()
        if v.startswith("kg:"):
            v = v[3:]
        out.add(local_name(v) if ("#" in v or "/" in v) else v)
    return {v for v in out if v}


def _subset(proj: Projection, keep: set[str], edges: list[EdgeData]) -> Projection:
    return Projection(
        nodes={k: n for k, n in proj.nodes.items() if k in keep},
        edges=[e for e in edges if e.s in keep and e.o in keep],
        docs=proj.docs,
    )


def resolve_focus(proj: Projection, focus: str) -> str:
    """Find the entity a ``focus`` string names.

    Args:
        focus: an entity IRI, a ``kgid:`` name, or a label, alternative label or
            acronym (case-insensitive, exact).

    Returns:
        The entity's IRI.

    Raises:
        InputError: no entity, or more than one, is named so.
    """
    if focus in proj.nodes:
        return focus
    key = focus.strip()
    if key.startswith("kgid:"):
        iri = "https://w3id.org/kg/id/" + key[5:]
        if iri in proj.nodes:
            return iri
    low = key.casefold()
    hits = [
        n.iri
        for n in proj.nodes.values()
        if low == n.label.casefold()
        or any(low == a.casefold() for a in n.alt_labels)
        or any(low == a.casefold() for a in n.labels)
        or any(low == a.casefold() for a in n.attrs.get("acronym", ()))
    ]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise InputError(
            f"No entity is named {focus!r} in the graph shown; pass its IRI, label or "
            "acronym exactly (or widen --type/--predicate/--since/--until)."
        )
    raise InputError(
        f"{focus!r} names {len(hits)} entities ({', '.join(sorted(hits)[:5])}); "
        "pass the IRI of the one to focus on."
    )


def _in_window(start: dt.date | None, end: dt.date | None, sel: Selection) -> bool:
    lo = start or end
    hi = end or start
    if lo is None or hi is None:
        return True
    if sel.since and hi < sel.since:
        return False
    if sel.until and lo > sel.until:
        return False
    return True


def select(proj: Projection, sel: Selection) -> tuple[Projection, list[str]]:
    """Apply ``sel`` to ``proj``.

    * ``predicates``: keep only edges with these predicates (local names,
      ``kg:`` names or IRIs).
    * ``since``/``until`` (inclusive): drop events whose dates fall outside the
      window, and facts whose every source document is dated outside it or is
      undated (reference and inferred facts are timeless and stay); entities
      left without any relation by this filter are dropped too.
    * ``types``: keep entities having one of these classes (or a subclass);
      the focus entity always stays.
    * ``focus``/``hops``: keep what lies within ``hops`` relations of the
      focus entity, in either direction.

    Args:
        proj: the full projection.
        sel: the options.

    Returns:
        ``(projection, notes)``: the narrowed projection and notes for the
        view's message (e.g. a class name that matched nothing).

    Raises:
        InputError: ``hops`` is negative, ``since`` is after ``until``, or
            ``focus`` names no entity (see :func:`resolve_focus`).
    """
    notes: list[str] = []
    if sel.hops < 0:
        raise InputError(f"hops must be 0 or more, not {sel.hops}; pass --hops 1 or more.")
    if sel.since and sel.until and sel.since > sel.until:
        raise InputError(
            f"since ({sel.since}) is after until ({sel.until}); swap them or drop one."
        )
    edges = proj.edges
    if sel.predicates:
        wanted = _names(sel.predicates)
        present = {e.p for e in edges}
        missing = sorted(wanted - present)
        if missing:
            notes.append("no relation uses predicate " + ", ".join(missing))
        edges = [e for e in edges if e.p in wanted]

    keep = set(proj.nodes)
    if sel.since or sel.until:
        def dated_ok(e: EdgeData) -> bool:
            if e.reference or e.inferred or e.other:
                return True
            for d in e.docs:
                issued = proj.docs[d].issued if d in proj.docs else None
                if issued is not None and _in_window(issued, issued, sel):
                    return True
            return False

        had = {x for e in edges for x in (e.s, e.o)}
        edges = [e for e in edges if dated_ok(e)]
        keep = {k for k, n in proj.nodes.items() if _in_window(n.start, n.end, sel)}
        edges = [e for e in edges if e.s in keep and e.o in keep]
        still = {x for e in edges for x in (e.s, e.o)}
        keep = {k for k in keep if k in still or k not in had}

    focus_iri = resolve_focus(_subset(proj, keep, edges), sel.focus) if sel.focus else None

    if sel.types:
        wanted = _names(sel.types)
        present = {c for n in proj.nodes.values() for c in n.classes}
        missing = sorted(wanted - present)
        if missing:
            notes.append("no entity has class " + ", ".join(missing))
        keep = {k for k in keep if proj.nodes[k].classes & wanted or k == focus_iri}
        edges = [e for e in edges if e.s in keep and e.o in keep]

    if focus_iri is not None:
        adj: dict[str, set[str]] = defaultdict(set)
        for e in edges:
            adj[e.s].add(e.o)
            adj[e.o].add(e.s)
        dist = {focus_iri: 0}
        todo = deque([focus_iri])
        while todo:
            cur = todo.popleft()
            if dist[cur] >= sel.hops:
                continue
            for nxt in adj.get(cur, ()):
                if nxt not in dist:
                    dist[nxt] = dist[cur] + 1
                    todo.append(nxt)
        keep = set(dist)
    return _subset(proj, keep, edges), notes


def degrees(nodes: dict[str, NodeData], edges: list[EdgeData]) -> dict[str, int]:
    """Return each node's degree (in + out, counting each relation once)."""
    deg = dict.fromkeys(nodes, 0)
    for e in edges:
        deg[e.s] = deg.get(e.s, 0) + 1
        deg[e.o] = deg.get(e.o, 0) + 1
    return deg
