"""The ontology commands: ``kg validate`` (SHACL) and ``kg infer`` (RDFS / OWL 2 RL).

Each opens the store, calls one :class:`kg.api.KnowledgeGraph` method
(:meth:`~kg.api.KnowledgeGraph.validate`, :meth:`~kg.api.KnowledgeGraph.infer`)
and renders what it returns. ``kg validate`` exits with code 6
(:class:`kg.errors.ValidationError`) when the graph has violations; warnings
alone do not change the exit code.
"""

from __future__ import annotations

import json
import textwrap
import time
from typing import Any

import click

from ..errors import ValidationError
from .commands import STORE_HELP, cli

#: Width messages are wrapped to, in characters (fixed, so output does not depend on the terminal).
TEXT_WIDTH = 100


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _summary(counts: dict[str, int], shapes: int) -> str:
    """One line: ``3 violations, 1 warning in 2 shapes`` (or ``conforms``)."""
    violations = counts.get("Violation", 0)
    others = [_plural(n, sev.lower()) for sev, n in sorted(counts.items()) if sev != "Violation" and n]
    if not violations:
        return "Conforms: no SHACL violations" + (f" ({', '.join(others)})" if others else "") + "."
    parts = [_plural(violations, "violation"), *others]
    return f"Does not conform: {', '.join(parts)} in {_plural(shapes, 'shape')}."


def _term(node: Any) -> str:
    """Display form of a term: ``kgid:somtc``, ``kgdoc:a.txt#fact-3``, ``"23 April"^^xsd:date``."""
    from rdflib import Graph, URIRef

    from ..namespaces import DOC, bind_prefixes
    from ..query import compact_iri

    if node is None:
        return ""
    if isinstance(node, URIRef):
        text = str(node)
        return "kgdoc:" + text[len(str(DOC)):] if text.startswith(str(DOC)) else compact_iri(text)
    graph = Graph(bind_namespaces="none")
    bind_prefixes(graph)
    return str(node.n3(graph.namespace_manager))


def _render_groups(report: Any) -> str:
    """Render a ValidationReport grouped by shape: each result as the offending triple, message and sources."""
    from rdflib import URIRef

    lines: list[str] = []
    for results in report.grouped().values():
        shape = results[0].to_dict()["shape"]
        severities: dict[str, int] = {}
        for v in results:
            severities[v.severity] = severities.get(v.severity, 0) + 1
        lines.append(f"{shape} ({', '.join(_plural(n, sev.lower()) for sev, n in sorted(severities.items()))})")
        for v in results:
            triple = " ".join(x for x in (_term(v.focus_node), _term(v.path), _term(v.value)) if x)
            lines.append(f"  {v.severity:<9s} {triple}")
            lines.extend(textwrap.wrap(v.message, width=TEXT_WIDTH, initial_indent=" " * 12,
                                       subsequent_indent=" " * 12))
            sources = ", ".join(_term(URIRef(d)) for d in v.source_documents) or "(no document graph)"
            lines.append(f"{'':12s}source: {sources}")
        lines.append("")
    return "\n".join(lines).rstrip("\n")


@cli.command("validate")
@click.option("--store", envvar="KG_STORE", default="build/store", show_default=True, help=STORE_HELP)
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Results grouped by shape, or the report as JSON.")
def validate_cmd(store: str, fmt: str) -> None:
    """Check the graph against the SHACL shapes; list each violation with its node, value and source document.

    Exits with code 6 when there are violations (warnings alone: 0). The
    inferred graph is not validated.
    """
    from ..api import KnowledgeGraph

    t0 = time.perf_counter()
    with KnowledgeGraph(store) as kg:
        report = kg.validate()
    seconds = time.perf_counter() - t0
    counts: dict[str, int] = {}
    for v in report.violations:
        counts[v.severity] = counts.get(v.severity, 0) + 1
    shapes = len({v.shape for v in report.violations if v.severity == "Violation"})
    summary = _summary(counts, shapes)
    if fmt == "json":
        data = report.to_dict()
        data["summary"] = summary
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        if report.violations:
            click.echo(_render_groups(report))
            click.echo("")
        click.echo(f"{summary} ({seconds:.1f} s)")
    if not report.conforms:
        raise ValidationError(
            f"{_plural(counts.get('Violation', 0), 'SHACL violation')} in {store}; fix the facts listed "
            "(or the rule or gazetteer entry that produced them) and rebuild."
        )


@cli.command("infer")
@click.option("--store", envvar="KG_STORE", default="build/store", show_default=True, help=STORE_HELP)
@click.option("--profile", type=click.Choice(["rdfs", "owl-rl"]), default="owl-rl", show_default=True,
              help="rdfs: subclass types, subproperty triples, domain/range types; "
                   "owl-rl: also inverses (hasPart, hasMember, hasParticipant) and transitive partOf.")
def infer_cmd(store: str, profile: str) -> None:
    """Materialise inferences into the graph https://w3id.org/kg/graph/inferred (replacing earlier ones).

    Asserted facts stay in their document graphs; select inferences with
    GRAPH <https://w3id.org/kg/graph/inferred> { ... }.
    """
    from ..api import KnowledgeGraph

    t0 = time.perf_counter()
    with KnowledgeGraph(store) as kg:
        n = kg.infer(profile)
    click.echo(f"Inferred {_plural(n, 'triple')} ({profile}) into <https://w3id.org/kg/graph/inferred> "
               f"in {time.perf_counter() - t0:.1f} s")


__all__ = ["infer_cmd", "validate_cmd"]
