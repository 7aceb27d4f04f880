"""Writing the projection for graph tools: GraphML, GEXF (Gephi) and CSV.

GraphML and GEXF hold every attribute as a string: lists are joined with
``" | "``, the provenance records are one JSON array, absent values are left
out. Edges get unique ids (``e0``, ``e1``, ...) and keep the predicate in
their ``predicate`` attribute, so parallel edges stay apart in every reader.

CSV: ``PATH`` is a folder (created when missing) that receives two files,
``nodes.csv`` and ``edges.csv`` (UTF-8, header row, comma separated, RFC 4180
quoting), with the same string values:

* nodes.csv: ``id, label, type, types, altLabels, reference, document_count``,
  then every literal attribute (``acronym``, ``startDate``, ...) by name;
* edges.csv: ``source, target, predicate, source_label, target_label,
  sources, documents, confidence, sentence, rule, provenance`` (``sentence``
  and ``rule`` from the best record, ``provenance`` all records as JSON).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import InputError, KgError
from ..store.base import Store
from .walk import best_record

#: Graph formats :func:`export` writes -> the file name ending of the output ("" for a folder).
GRAPH_FORMATS: dict[str, str] = {"graphml": ".graphml", "gexf": ".gexf", "csv": ""}
#: Joins list values in flattened attributes.
LIST_SEPARATOR = " | "

_NODE_FIRST = ("label", "type", "types", "altLabels", "reference", "document_count")


def flat_value(value: Any) -> str | None:
    """Flatten an attribute value to a string (None stays None: the attribute is left out).

    Args:
        value: a str, number, bool, list of str, or list of dicts.

    Returns:
        ``true``/``false`` for booleans, a list of scalars joined with
        :data:`LIST_SEPARATOR`, a list of dicts as a JSON array, else ``str(value)``.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        if any(isinstance(v, dict) for v in value):
            return json.dumps(list(value), ensure_ascii=False, sort_keys=True)
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def flat_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Copy a projection for the GraphML and GEXF writers.

    Args:
        graph: the projection.

    Returns:
        A new MultiDiGraph with the same nodes and edges, every attribute
        flattened by :func:`flat_value` (None left out), unique edge keys
        ``e0, e1, ...`` and the predicate in each edge's ``predicate``.
    """
    flat = nx.MultiDiGraph()
    for node, attrs in graph.nodes(data=True):
        flat.add_node(node, **{k: s for k, v in attrs.items() if (s := flat_value(v)) is not None})
    for i, (u, v, key, attrs) in enumerate(graph.edges(keys=True, data=True)):
        data = {k: s for k, v in attrs.items() if (s := flat_value(v)) is not None}
        data.setdefault("predicate", str(key))
        flat.add_edge(u, v, key=f"e{i}", **data)
    return flat


def _nodes_csv(graph: nx.MultiDiGraph, path: Path) -> None:
    extra = sorted({k for _n, attrs in graph.nodes(data=True) for k in attrs} - set(_NODE_FIRST))
    columns = ["id", *_NODE_FIRST, *extra]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for node, attrs in graph.nodes(data=True):
            writer.writerow([node, *(flat_value(attrs.get(c)) or "" for c in columns[1:])])


def _edges_csv(graph: nx.MultiDiGraph, path: Path) -> None:
    columns = ["source", "target", "predicate", "source_label", "target_label", "sources", "documents",
               "confidence", "sentence", "rule", "provenance"]
    labels = graph.nodes
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for u, v, key, attrs in graph.edges(keys=True, data=True):
            provenance = attrs.get("provenance") or []
            record = best_record(provenance)
            writer.writerow([
                u, v, attrs.get("predicate", key), labels[u].get("label", u), labels[v].get("label", v),
                flat_value(attrs.get("sources")) or "", flat_value(attrs.get("documents")) or "",
                flat_value(attrs.get("confidence")) or "", record.get("sentence") or "", record.get("rule") or "",
                flat_value(provenance) or "",
            ])


def export(store_or_graph: Store | nx.MultiDiGraph, path: str | Path, fmt: str) -> list[Path]:
    """Write the entity graph as GraphML, GEXF or CSV.

    Args:
        store_or_graph: a store (projected with :func:`kg.traverse.project`) or a projection.
        path: the file to write (graphml, gexf), or the folder to write
            ``nodes.csv`` and ``edges.csv`` into (csv; created when missing).
        fmt: ``graphml``, ``gexf`` or ``csv``.

    Returns:
        The files written.

    Raises:
        KgError: unknown format.
        InputError: the file or folder cannot be written.
        StoreError: the store cannot be read.
    """
    if fmt not in GRAPH_FORMATS:
        raise KgError(f"Unknown graph format {fmt!r}; use one of {', '.join(GRAPH_FORMATS)}.")
    if isinstance(store_or_graph, nx.Graph):
        graph = store_or_graph
    else:
        from .project import project

        graph = project(store_or_graph)
    target = Path(path)
    try:
        if fmt == "csv":
            if target.exists() and not target.is_dir():
                raise InputError(f"Cannot write CSV to {target}: it is a file; pass a folder for nodes.csv "
                                 "and edges.csv.")
            target.mkdir(parents=True, exist_ok=True)
            _nodes_csv(graph, target / "nodes.csv")
            _edges_csv(graph, target / "edges.csv")
            return [target / "nodes.csv", target / "edges.csv"]
        flat = flat_graph(graph)
        if fmt == "graphml":
            nx.write_graphml(flat, target, encoding="utf-8")
        else:
            nx.write_gexf(flat, target, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"Cannot write {target}: {exc.strerror or exc}; check the folder exists and is "
                         "writable.") from exc
    return [target]


__all__ = ["GRAPH_FORMATS", "LIST_SEPARATOR", "export", "flat_graph", "flat_value"]
