"""The view's data: a projection turned into the compact JSON the page reads.

Everything here is plain data; the page turns it into vis-network DataSets
(with text-only tooltips) and into its legend, filters and details panel.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np

from .aggregate import AGGREGATE_PREFIX
from .layout import positions
from .project import KEY_ATTRIBUTES, Projection
from .select import degrees
from .style import class_styles, date_range, node_size, short_label, truncate

#: Above this many edges, edge labels start hidden (a checkbox shows them).
EDGE_LABELS_UP_TO = 4000
#: A view with more nodes or edges than these starts without names and arrows,
#: which appear for what is on screen once zoomed in (level of detail).
#: Source: bench/bench_view.py - vis-network spends ~0.2 ms a node and
#: ~0.1 ms an edge building, and labels and arrows are a third of a frame.
LARGE_NODES = 2000
LARGE_EDGES = 5000


def is_large(nodes: int, edges: int) -> bool:
    """True when a view of this size is drawn with level of detail."""
    return nodes > LARGE_NODES or edges > LARGE_EDGES


def safe_url(url: str | None) -> str | None:
    """Return ``url`` if it is an absolute http(s) URL, else None (no ``javascript:`` links)."""
    if not url:
        return None
    u = url.strip()
    if u.lower().startswith(("http://", "https://")) and not any(c in u for c in "\"'<> \n\r\t"):
        return u
    return None


def _finite(x: float | None) -> float | None:
    return round(x, 3) if x is not None and math.isfinite(x) else None


def _curves(keys: list[tuple[str, str]]) -> list[list[Any] | None]:
    """Bend the 2nd, 3rd... edge between the same two nodes so none hides another."""
    seen: dict[tuple[str, str], int] = defaultdict(int)
    out: list[list[Any] | None] = []
    for s, o in keys:
        pair = (s, o) if s <= o else (o, s)
        k = seen[pair]
        seen[pair] += 1
        if k == 0 and s != o:
            out.append(None)
            continue
        side = k % 2 == 1
        if s > o:
            side = not side
        out.append(["curvedCW" if side else "curvedCCW", round(0.25 * ((k + 1) // 2), 2)])
    return out


def _split_layout(ids: list[str], proj: Projection, pairs: np.ndarray, *, seed: int) -> np.ndarray:
    """Positions with the documents' entities laid out on their own, the gazetteer-only ones beside them.

    The page hides gazetteer-only entities at first; laying the document entities out among
    themselves keeps them close together and readable instead of scattered across the
    layout of the whole registry.
    """
    in_docs = np.array([bool(proj.nodes[k].docs) for k in ids], dtype=bool)
    if in_docs.all() or not in_docs.any():
        return positions(len(ids), pairs, seed=seed)
    xy = np.zeros((len(ids), 2), dtype=float)
    offset_x = 0.0
    for part in (in_docs, ~in_docs):
        members = np.flatnonzero(part)
        local = {int(g): i for i, g in enumerate(members)}
        sub = np.array([(local[int(a)], local[int(b)]) for a, b in pairs if int(a) in local and int(b) in local],
                       dtype=np.int64).reshape(-1, 2)
        pos = positions(len(members), sub, seed=seed)
        if len(members):
            pos = pos - pos.min(axis=0)
            pos[:, 0] += offset_x
            xy[members] = pos
            offset_x = float(pos[:, 0].max()) + 600.0
    return xy


def build_payload(
    proj: Projection, *, title: str, message: str | None, degraded: bool, seed: int = 42
) -> dict[str, Any]:
    """Turn ``proj`` into the page's JSON data, with node positions laid out.

    Args:
        proj: what to draw.
        title: the page title.
        message: a line shown in the page's banner, or None.
        degraded: whether the view was reduced to fit.
        seed: layout seed.

    Returns:
        A JSON-ready dict with keys ``title``, ``message``, ``degraded``,
        ``classes``, ``predicates``, ``docs``, ``sentences``, ``nodes``,
        ``edges``, ``edgeLabels`` (draw edge labels at first), ``large``
        (level of detail, see :func:`is_large`), ``groups``
        (number of aggregate nodes).
    """
    ids = sorted(proj.nodes, key=lambda k: (proj.nodes[k].primary, proj.nodes[k].label, k))
    index = {k: i for i, k in enumerate(ids)}
    deg = degrees(proj.nodes, proj.edges)
    pairs = np.array([(index[e.s], index[e.o]) for e in proj.edges], dtype=np.int64).reshape(-1, 2)
    xy = _split_layout(ids, proj, pairs, seed=seed)

    class_count: dict[str, int] = defaultdict(int)
    for n in proj.nodes.values():
        class_count[n.primary] += 1
    styles = class_styles(class_count)
    aggregates = [n.primary for n in proj.nodes.values() if n.iri.startswith(AGGREGATE_PREFIX)]
    class_names = list(styles)
    class_index = {c: i for i, c in enumerate(class_names)}
    classes = [
        {"name": c, "colour": styles[c][0], "shape": styles[c][1], "count": class_count[c]}
        for c in class_names
    ]

    doc_index: dict[str, int] = {}
    docs: list[dict[str, Any]] = []

    def doc_ref(iri: str) -> int:
        if iri not in doc_index:
            d = proj.docs.get(iri)
            doc_index[iri] = len(docs)
            docs.append(
                {
                    "iri": iri,
                    "title": d.title if d else None,
                    "issued": d.issued.isoformat() if d and d.issued else None,
                    "url": safe_url(d.url) if d else None,
                    "publisher": d.publisher if d else None,
                }
            )
        return doc_index[iri]

    def doc_sort(iri: str) -> tuple[str, str]:
        d = proj.docs.get(iri)
        return ((d.issued.isoformat() if d and d.issued else ""), iri)

    nodes = []
    for i, k in enumerate(ids):
        n = proj.nodes[k]
        full = n.label
        is_group = k.startswith(AGGREGATE_PREFIX)
        short = full if is_group else short_label(full, n.alt_labels, n.attrs.get("acronym", ()))
        shown = truncate(short)
        if "Event" in n.classes:
            when = date_range(n.start, n.end)
            if when:
                shown = f"{shown}\n{when}"
        attrs = [[a, ", ".join(sorted(n.attrs[a]))] for a in KEY_ATTRIBUTES if n.attrs.get(a)]
        attrs += [
            [a, ", ".join(sorted(v))]
            for a, v in sorted(n.attrs.items())
            if a not in KEY_ATTRIBUTES and v
        ]
        item: dict[str, Any] = {
            "i": k,
            "s": shown,
            "f": full,
            "c": class_index[n.primary],
            "x": round(float(xy[i, 0]), 1),
            "y": round(float(xy[i, 1]), 1),
            "d": deg.get(k, 0),
            "z": node_size(deg.get(k, 0)),
            "a": sorted(n.alt_labels - {full}),
            "t": sorted(n.classes - {n.primary}),
            "at": attrs,
            "dc": [doc_ref(d) for d in sorted(n.docs, key=doc_sort)],
        }
        if is_group:
            item["g"] = 1
            item["m"] = n.members
        nodes.append(item)

    pred_count: dict[str, int] = defaultdict(int)
    for e in proj.edges:
        pred_count[e.p] += 1
    pred_names = sorted(pred_count)
    pred_index = {p: i for i, p in enumerate(pred_names)}
    sent_index: dict[str, int] = {}
    sentences: list[str] = []
    edges = []
    curves = _curves([(e.s, e.o) for e in proj.edges])
    for j, e in enumerate(proj.edges):
        srcs = []
        for src in e.sources:
            sid = -1
            if src.sentence is not None:
                sid = sent_index.setdefault(src.sentence, len(sentences))
                if sid == len(sentences):
                    sentences.append(src.sentence)
            srcs.append(
                [
                    doc_ref(src.doc) if src.doc else -1,
                    sid,
                    _finite(src.confidence),
                    src.rule,
                ]
            )
        item = {
            "f": index[e.s],
            "t": index[e.o],
            "p": pred_index[e.p],
            "c": _finite(e.confidence),
            "r": 1 if e.reference else 0,
            "n": 1 if e.inferred else 0,
            "s": srcs,
            "dc": [doc_ref(d) for d in sorted(e.docs, key=doc_sort)],
        }
        if e.aggregate:
            item["g"] = e.aggregate
        if curves[j] is not None:
            item["sm"] = curves[j]
        edges.append(item)

    return {
        "title": title,
        "message": message,
        "degraded": degraded,
        "classes": classes,
        "predicates": [{"name": p, "count": pred_count[p]} for p in pred_names],
        "docs": docs,
        "sentences": sentences,
        "nodes": nodes,
        "edges": edges,
        "edgeLabels": len(edges) <= EDGE_LABELS_UP_TO,
        "large": is_large(len(nodes), len(edges)),
        "groups": len(aggregates),
    }
