"""The graph commands: ``kg find``, ``neighbors``, ``path``, ``rank``, ``communities``, ``export``.

Each command opens the store, calls one :class:`kg.api.KnowledgeGraph`
method and renders what it returns: a table (``--format table``, the
default) or the same data as JSON (``--format json``). ``kg export`` writes
files instead; its ``--format`` is the file format.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any, Sequence

import click

from .commands import STORE_HELP, cli

#: Output formats of the graph commands (``kg export`` has its own).
OUTPUT_FORMATS = ("table", "json")
#: ``kg export`` formats -> default output path.
EXPORT_DEFAULTS: dict[str, str] = {
    "turtle": "graph.ttl",
    "trig": "graph.trig",
    "nquads": "graph.nq",
    "jsonld": "graph.jsonld",
    "graphml": "graph.graphml",
    "gexf": "graph.gexf",
    "csv": "graph-csv",
}
#: Longest sentence shown in a table cell, in characters.
SENTENCE_WIDTH = 100


def _store_option(f):  # type: ignore[no-untyped-def]
    return click.option("--store", envvar="KG_STORE", default="build/store", show_default=True, help=STORE_HELP)(f)


def _format_option(f):  # type: ignore[no-untyped-def]
    return click.option("--format", "-f", "fmt", type=click.Choice(OUTPUT_FORMATS), default="table",
                        show_default=True, help="Render a table, or print the result as JSON.")(f)


def _open(store: str):  # type: ignore[no-untyped-def]
    from ..api import KnowledgeGraph

    return KnowledgeGraph(store)


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _compact(iri: str) -> str:
    from ..query import compact_iri

    return compact_iri(iri)


def _short(text: str | None, width: int = SENTENCE_WIDTH) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]], caption: str) -> str:
    """Render rows as a rich table (no colour), trailing spaces trimmed."""
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns, caption=caption, caption_justify="left")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    buffer = io.StringIO()
    width = max(100, shutil.get_terminal_size((140, 24)).columns)
    Console(file=buffer, width=width, color_system=None, force_terminal=False, soft_wrap=False, highlight=False,
            emoji=False, markup=False).print(table)
    return "\n".join(line.rstrip() for line in buffer.getvalue().rstrip("\n").splitlines())


def _arrow(hop: dict[str, Any]) -> str:
    return f"-{hop['predicate']}->" if hop["direction"] == "out" else f"<-{hop['predicate']}-"


def _evidence(hop: dict[str, Any], width: int = SENTENCE_WIDTH) -> str:
    if hop.get("sentence"):
        return _short(hop["sentence"], width)
    if hop.get("source") == "reference":
        return "(reference graph: gazetteer)"
    if hop.get("source") == "inferred":
        return "(inferred)"
    return "(no sentence recorded)"


@cli.command("find")
@click.argument("text")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=10, show_default=True, help="Most candidates.")
@_store_option
@_format_option
def find_cmd(text: str, limit: int, store: str, fmt: str) -> None:
    """Find entities whose label, alternative label or acronym matches TEXT (case and accents ignored)."""
    with _open(store) as kg:
        found = kg.find(text, limit=limit)
    if fmt == "json":
        click.echo(_json(found))
        return
    rows = [(f"{c['score']:.2f}", c["match"], c["label"], c["type"],
             c["matched"] if c["matched"] != c["label"] else "", _compact(c["iri"])) for c in found]
    n = len(found)
    click.echo(_table(("score", "match", "label", "type", "matched name", "iri"), rows,
                      f"{n} candidate{'s' if n != 1 else ''} for {text!r}"))


@cli.command("neighbors")
@click.argument("entity")
@click.option("--hops", type=click.IntRange(min=1), default=1, show_default=True, help="Greatest distance in edges.")
@click.option("--predicate", "-p", "predicates", multiple=True,
              help="Follow only this relation (repeatable), e.g. partOf or kg:agencyOf.")
@click.option("--direction", type=click.Choice(["in", "out", "both"]), default="both", show_default=True,
              help="out: edges from the entity; in: edges to it.")
@_store_option
@_format_option
def neighbors_cmd(entity: str, hops: int, predicates: tuple[str, ...], direction: str, store: str, fmt: str) -> None:
    """List the entities within --hops edges of ENTITY (an IRI, kgid:..., or a name), with the supporting sentence."""
    with _open(store) as kg:
        rows = kg.neighbors(entity, hops=hops, predicates=predicates, direction=direction)
    if fmt == "json":
        click.echo(_json(rows))
        return
    if not rows:
        click.echo(f"No neighbours of {entity!r} within {hops} hop(s) with these options.")
        return
    center = rows[0]["from_label"]
    if hops == 1:
        columns: tuple[str, ...] = ("relation", "entity", "type", "evidence")
        table_rows: list[tuple[Any, ...]] = [(_arrow(r), r["to_label"], r["to_type"], _evidence(r)) for r in rows]
    else:
        columns = ("hop", "from", "relation", "entity", "type", "evidence")
        table_rows = [(r["distance"], r["from_label"], _arrow(r), r["to_label"], r["to_type"], _evidence(r))
                      for r in rows]
    click.echo(_table(columns, table_rows, f"{len(rows)} edge(s) from {center} within {hops} hop(s)"))


@cli.command("path")
@click.argument("a")
@click.argument("b")
@click.option("--max-hops", "-k", type=click.IntRange(min=1), default=6, show_default=True,
              help="Longest path, in edges.")
@click.option("--all", "all_paths", is_flag=True, help="Every simple path up to --max-hops (shortest first), "
              "not only the shortest.")
@_store_option
@_format_option
def path_cmd(a: str, b: str, max_hops: int, all_paths: bool, store: str, fmt: str) -> None:
    """Show how A and B are connected: the shortest path(s) with the sentence behind each hop."""
    from ..traverse import render_path

    with _open(store) as kg:
        paths = kg.path(a, b, max_hops=max_hops, all_paths=all_paths)
    if fmt == "json":
        click.echo(_json(paths))
        return
    if not paths:
        click.echo(f"No path between {a!r} and {b!r} within {max_hops} hop(s).")
        return
    from ..traverse.walk import MAX_PATHS

    blocks = []
    if len(paths) >= MAX_PATHS:
        blocks.append(f"(the first {MAX_PATHS} paths, shortest first; lower --max-hops to see fewer)")
    for i, hops in enumerate(paths, start=1):
        lines = [f"Path {i} of {len(paths)} ({len(hops)} hop{'s' if len(hops) != 1 else ''}):",
                 render_path(hops)]
        for h in hops:
            lines.append(f"  {h['from_label']} {_arrow(h)} {h['to_label']}")
            where = f"  [{h['document_title'] or _compact(h['document'])}]" if h.get("document") else ""
            lines.append(f"      {_evidence(h, 400)}{where}")
        blocks.append("\n".join(lines))
    click.echo("\n\n".join(blocks))


@cli.command("rank")
@click.option("--by", type=click.Choice(["degree", "pagerank", "betweenness"]), default="degree",
              show_default=True, help="Centrality measure.")
@click.option("--type", "type_", default=None, metavar="CLASS", help="Only entities of this class, e.g. State.")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True, help="Most rows.")
@_store_option
@_format_option
def rank_cmd(by: str, type_: str | None, limit: int, store: str, fmt: str) -> None:
    """Rank entities by degree, PageRank or betweenness centrality."""
    with _open(store) as kg:
        rows = kg.rank(by=by, type=type_, limit=limit)
    if fmt == "json":
        click.echo(_json(rows))
        return
    columns = ("#", "degree", "label", "type", "iri") if by == "degree" else ("#", by, "degree", "label", "type", "iri")
    table_rows = [(r["rank"], *(() if by == "degree" else (f"{r['score']:.4f}",)), r["degree"], r["label"], r["type"],
                   _compact(r["iri"])) for r in rows]
    click.echo(_table(columns, table_rows, f"top {len(rows)} by {by}" + (f" among {type_}" if type_ else "")))


@cli.command("communities")
@click.option("--min-size", type=click.IntRange(min=1), default=2, show_default=True,
              help="Leave out smaller communities.")
@click.option("--members", "shown", type=click.IntRange(min=1), default=8, show_default=True,
              help="Members listed per community in the table.")
@_store_option
@_format_option
def communities_cmd(min_size: int, shown: int, store: str, fmt: str) -> None:
    """Group entities into communities (Louvain, fixed seed) and list them, largest first."""
    with _open(store) as kg:
        groups = kg.communities(min_size=min_size)
    if fmt == "json":
        click.echo(_json(groups))
        return
    rows = []
    for c in groups:
        names = [m["label"] for m in c["members"][:shown]]
        more = f" … and {c['size'] - shown} more" if c["size"] > shown else ""
        types = ", ".join(f"{t} {n}" for t, n in c["types"].items())
        rows.append((c["id"], c["size"], c["hub_label"], types, "; ".join(names) + more))
    click.echo(_table(("id", "size", "hub", "types", "members"), rows, f"{len(groups)} communities"))


@cli.command("export")
@click.option("--format", "-f", "fmt", required=True, type=click.Choice(list(EXPORT_DEFAULTS)),
              help="RDF (turtle, trig, nquads, jsonld) or graph tools (graphml, gexf; csv: a folder with "
                   "nodes.csv and edges.csv).")
@click.option("-o", "--out", "out", type=click.Path(path_type=Path), default=None,
              help="Output file (folder for csv). Default: graph.ttl, graph.trig, graph.nq, graph.jsonld, "
                   "graph.graphml, graph.gexf or graph-csv/.")
@_store_option
def export_cmd(fmt: str, out: Path | None, store: str) -> None:
    """Write the graph for other tools: RDF, GraphML, GEXF (Gephi) or CSV."""
    target = out if out is not None else Path(EXPORT_DEFAULTS[fmt])
    with _open(store) as kg:
        written = kg.export(target, fmt)
    for path in written:
        click.echo(f"Wrote {path}")


__all__ = ["EXPORT_DEFAULTS", "OUTPUT_FORMATS"]
