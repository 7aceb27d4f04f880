"""Generate the reference pages docs/ontology.md and docs/cli.md, so they cannot drift.

``docs/ontology.md`` is rendered from ``ontology/kg.ttl`` (one table per
class and property: IRI, label, comment, domain, range, super-terms and
alignments to W3C ORG, schema.org, PROV-O, SKOS, Dublin Core); ``docs/cli.md``
from the ``--help`` of every command of :data:`kg.cli.cli`, at a fixed width.
Both are deterministic: the same inputs give the same bytes.

Usage::

    python -m kg.docsgen              # write both pages
    python -m kg.docsgen ontology     # write docs/ontology.md only
    python -m kg.docsgen cli          # write docs/cli.md only
    python -m kg.docsgen --check      # exit 1 if a page is stale (tests/test_docs.py runs it)

A small generator over rdflib rather than pyLODE: pyLODE writes HTML and
pulls in a dozen packages, and a Markdown page reads well on GitHub and in
an editor.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from .namespaces import PREFIXES
from .ontology import ONTOLOGY_IRI, VOCAB_CLASSES, VOCAB_PROPERTIES, load_ontology, ontology_path

#: The docs folder of a source checkout.
DOCS_DIR = Path(__file__).resolve().parent.parent / "docs"
#: Width at which ``--help`` texts are rendered into docs/cli.md, in characters.
HELP_WIDTH = 100

_KG = PREFIXES["kg"]
_VANN = "http://purl.org/vocab/vann/"
_PREFIX_ORDER = ("kg", "rdf", "rdfs", "owl", "xsd", "skos", "prov", "dcterms", "org", "schema", "time")
_EXTRA_PREFIXES = {"vann": _VANN}


# -- rendering terms -------------------------------------------------------------


def _curie(node: Node) -> str:
    """``kg:partOf``, ``org:memberOf``, or ``<iri>`` when no project prefix fits."""
    text = str(node)
    best = ""
    for prefix, ns in {**PREFIXES, **_EXTRA_PREFIXES}.items():
        if text.startswith(ns) and len(ns) > len(best) and text[len(ns):] and "/" not in text[len(ns):] \
                and "#" not in text[len(ns):]:
            best = ns
            name = f"{prefix}:{text[len(ns):]}"
    return name if best else f"<{text}>"


def _local(node: Node) -> str:
    return str(node)[len(_KG):]


def _anchor(node: Node) -> str:
    """The section id of a kg term: lower case (as GitHub matches them), prefixed so that
    ``kg:Organization`` (class) and ``kg:organization`` (property) differ."""
    local = _local(node)
    return ("class-" if local[:1].isupper() else "property-") + local.lower()


def _link(node: Node) -> str:
    """A Markdown link to the term's section for kg terms, else its compact form in backticks."""
    if isinstance(node, URIRef) and str(node).startswith(_KG):
        return f"[{_curie(node)}](#{_anchor(node)})"
    return f"`{_curie(node)}`"


def _cell(text: str) -> str:
    """Text fit for one Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _sorted(nodes: Iterable[Node]) -> list[Node]:
    return sorted(set(nodes), key=lambda n: (not str(n).startswith(_KG), str(n)))


# -- ontology page ---------------------------------------------------------------


@dataclass(frozen=True)
class _Term:
    iri: URIRef
    kind: str  # "class", "object property", "datatype property"


def _terms(g: Graph) -> list[_Term]:
    kinds = ((OWL.Class, "class"), (OWL.ObjectProperty, "object property"), (OWL.DatatypeProperty, "datatype property"))
    out = []
    for cls, kind in kinds:
        for iri in g.subjects(RDF.type, cls):
            if isinstance(iri, URIRef) and str(iri).startswith(_KG):
                out.append(_Term(iri, kind))
    return sorted(out, key=lambda t: (t.kind != "class", t.kind, str(t.iri).lower()))


def _class_expr(g: Graph, node: Node) -> str:
    """A class or a union of classes (``owl:unionOf``), as links joined by "or"."""
    if isinstance(node, BNode):
        members = g.value(node, OWL.unionOf)
        if members is not None:
            return " or ".join(_link(m) for m in g.items(members))
        return "(anonymous class)"
    return _link(node)


def _text(g: Graph, s: Node, p: URIRef) -> str:
    """The English (or untagged) values of an annotation, joined."""
    values = sorted(str(o) for o in g.objects(s, p) if isinstance(o, Literal) and o.language in (None, "en"))
    return "; ".join(values)


def _disjoint(g: Graph) -> dict[Node, set[Node]]:
    out: dict[Node, set[Node]] = {}
    for axiom in g.subjects(RDF.type, OWL.AllDisjointClasses):
        for members in g.objects(axiom, OWL.members):
            classes = list(g.items(members))
            for c in classes:
                out.setdefault(c, set()).update(x for x in classes if x != c)
    for a, b in g.subject_objects(OWL.disjointWith):
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return out


def _characteristics(g: Graph, iri: URIRef) -> str:
    names: dict[Node, str] = {OWL.TransitiveProperty: "transitive", OWL.FunctionalProperty: "functional",
             OWL.SymmetricProperty: "symmetric", OWL.InverseFunctionalProperty: "inverse functional"}
    found = sorted(names[t] for t in g.objects(iri, RDF.type) if t in names)
    return ", ".join(found)


def _split_own(nodes: Iterable[Node]) -> tuple[list[Node], list[Node]]:
    own: list[Node] = []
    external: list[Node] = []
    for n in _sorted(nodes):
        (own if str(n).startswith(_KG) else external).append(n)
    return own, external


def _term_section(g: Graph, term: _Term, disjoint: dict[Node, set[Node]]) -> list[str]:
    iri = term.iri
    rows: list[tuple[str, str]] = [("IRI", f"`{iri}`"), ("kind", term.kind)]
    local = _local(iri)
    core = local in VOCAB_CLASSES or local in VOCAB_PROPERTIES
    rows.append(("core vocabulary", "yes (shared/spec/vocabulary.md)" if core else "no (project term)"))
    for label, p in (("label", RDFS.label), ("comment", RDFS.comment), ("example", SKOS.example)):
        value = _text(g, iri, p)
        if value:
            rows.append((label, _cell(value)))
    if term.kind == "class":
        own, external = _split_own(g.objects(iri, RDFS.subClassOf))
        if own:
            rows.append(("subclass of", ", ".join(_link(n) for n in own)))
        subs = _sorted(s for s in g.subjects(RDFS.subClassOf, iri) if isinstance(s, URIRef))
        if subs:
            rows.append(("superclass of", ", ".join(_link(n) for n in subs)))
        if iri in disjoint:
            rows.append(("disjoint with", ", ".join(_link(n) for n in _sorted(disjoint[iri]))))
        aligned = [f"subclass of {_link(n)}" for n in external]
        aligned += [f"equivalent to {_link(n)}" for n in _sorted(g.objects(iri, OWL.equivalentClass))]
    else:
        traits = _characteristics(g, iri)
        if traits:
            rows.append(("characteristics", traits))
        for label, p in (("domain", RDFS.domain), ("range", RDFS.range)):
            values = sorted(_class_expr(g, o) for o in g.objects(iri, p))
            if values:
                rows.append((label, "; ".join(values)))
        inverse = _sorted([*g.objects(iri, OWL.inverseOf), *g.subjects(OWL.inverseOf, iri)])
        if inverse:
            rows.append(("inverse of", ", ".join(_link(n) for n in inverse)))
        own, external = _split_own(g.objects(iri, RDFS.subPropertyOf))
        if own:
            rows.append(("subproperty of", ", ".join(_link(n) for n in own)))
        subs = _sorted(s for s in g.subjects(RDFS.subPropertyOf, iri) if isinstance(s, URIRef))
        if subs:
            rows.append(("superproperty of", ", ".join(_link(n) for n in subs)))
        aligned = [f"subproperty of {_link(n)}" for n in external]
        aligned += [f"equivalent to {_link(n)}" for n in _sorted(g.objects(iri, OWL.equivalentProperty))]
    if aligned:
        rows.append(("aligned to", ", ".join(aligned)))
    see_also = _sorted(g.objects(iri, RDFS.seeAlso))
    if see_also:
        rows.append(("see also", ", ".join(_link(n) for n in see_also)))
    lines = [f'<a id="{_anchor(iri)}"></a>', "", f"### {_curie(iri)}", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    lines.append("")
    return lines


def render_ontology(graph: Graph | None = None) -> str:
    """Render the ontology reference page (docs/ontology.md) as Markdown.

    Args:
        graph: the ontology; default ``ontology/kg.ttl`` (:func:`kg.ontology.load_ontology`).

    Returns:
        The page text, ending in a newline; the same ontology always gives the same text.

    Raises:
        ConfigError: the ontology file is missing or is not valid Turtle.
    """
    g = load_ontology() if graph is None else graph
    onto = URIRef(ONTOLOGY_IRI)
    terms = _terms(g)
    disjoint = _disjoint(g)
    title = _text(g, onto, DCTERMS.title) or "kg ontology"
    lines = [
        f"# {title}",
        "",
        "<!-- GENERATED from ontology/kg.ttl by `python -m kg.docsgen ontology`; do not edit. "
        "`python -m kg.docsgen --check` (tests/test_docs.py) fails while this page is stale. -->",
        "",
        "| | |",
        "|---|---|",
        f"| ontology IRI | `{onto}` |",
    ]
    version = g.value(onto, OWL.versionIRI)
    if version is not None:
        lines.append(f"| version | {g.value(onto, OWL.versionInfo) or ''} (`{version}`) |")
    lines.append(f"| namespace | `{_KG}` (prefix `kg:`) |")
    license_ = g.value(onto, DCTERMS.license)
    if license_ is not None:
        lines.append(f"| license | `{license_}` |")
    lines.append(f"| source | `ontology/{ontology_path().name}`; SHACL shapes in `ontology/shapes.ttl` |")
    lines += ["", _cell(_text(g, onto, DCTERMS.description)), ""]
    lines += [
        "Alignment policy: a kg term is a subclass or subproperty of a W3C ORG, schema.org, PROV-O, SKOS or "
        "Dublin Core term only where every kg statement is also true in that vocabulary (no `owl:equivalent*`). "
        "How facts that hold for a period are modelled: [time.md](time.md); provenance: "
        "[provenance.md](provenance.md); inferences (`kg infer`) are materialised into the graph "
        "`https://w3id.org/kg/graph/inferred` ([guide.md](guide.md#reasoning)).",
        "",
        "## Prefixes",
        "",
        "| prefix | namespace |",
        "|---|---|",
    ]
    lines += [f"| `{p}:` | `{PREFIXES[p]}` |" for p in _PREFIX_ORDER]
    lines += ["", "## Index", ""]
    for kind, heading in (("class", "Classes"), ("object property", "Object properties"),
                          ("datatype property", "Datatype properties")):
        group = [t for t in terms if t.kind == kind]
        lines += [f"### {heading} ({len(group)})", "", "| term | label | core |", "|---|---|---|"]
        for t in group:
            local = _local(t.iri)
            core = "✓" if local in VOCAB_CLASSES or local in VOCAB_PROPERTIES else ""
            lines.append(f"| {_link(t.iri)} | {_cell(_text(g, t.iri, RDFS.label))} | {core} |")
        lines.append("")
    for kind, heading in (("class", "Classes"), ("object property", "Object properties"),
                          ("datatype property", "Datatype properties")):
        lines += [f"## {heading}", ""]
        for t in terms:
            if t.kind == kind:
                lines += _term_section(g, t, disjoint)
    return "\n".join(lines).rstrip("\n") + "\n"


# -- CLI page ----------------------------------------------------------------------


def render_cli() -> str:
    """Render the command-line reference page (docs/cli.md) from every command's ``--help``.

    Returns:
        The page text: ``kg --help``, then each command of :data:`kg.cli.cli`
        in alphabetical order, rendered by click at :data:`HELP_WIDTH` columns
        (independent of the terminal), ending in a newline.
    """
    import click

    from .cli import cli

    width = {"terminal_width": HELP_WIDTH, "max_content_width": HELP_WIDTH}
    root = click.Context(cli, info_name="kg", **{**cli.context_settings, **width})
    names = sorted(cli.commands)
    lines = [
        "# Command-line reference",
        "",
        "<!-- GENERATED from the commands' --help by `python -m kg.docsgen cli`; do not edit. "
        "`python -m kg.docsgen --check` (tests/test_docs.py) fails while this page is stale. -->",
        "",
        "Every command is a thin layer over one method of `kg.KnowledgeGraph` (see [guide.md](guide.md)). "
        "Exit codes: 0 success, 1 other error, 2 bad usage, 3 unreadable input, 4 store error, "
        "5 bad or refused query, 6 SHACL violations, 7 invalid setting, rule or gazetteer file.",
        "",
        "| command | what it does |",
        "|---|---|",
    ]
    for name in names:
        cmd = cli.commands[name]
        lines.append(f"| [`kg {name}`](#kg-{name}) | {_cell(cmd.get_short_help_str(limit=200))} |")
    lines += ["", "## kg", "", "```text", cli.get_help(root).rstrip(), "```", ""]
    for name in names:
        cmd = cli.commands[name]
        ctx = click.Context(cmd, info_name=name, parent=root, **{**cmd.context_settings, **width})
        lines += [f"## kg {name}", "", "```text", cmd.get_help(ctx).rstrip(), "```", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# -- command line ------------------------------------------------------------------

#: Page name -> (file name under docs/, renderer).
PAGES: dict[str, tuple[str, Callable[[], str]]] = {
    "ontology": ("ontology.md", render_ontology),
    "cli": ("cli.md", render_cli),
}


def stale_pages(docs: Path = DOCS_DIR, pages: Sequence[str] = tuple(PAGES)) -> list[Path]:
    """Return the generated pages whose file differs from what the generator renders now.

    Args:
        docs: the docs folder.
        pages: page names (keys of :data:`PAGES`).

    Returns:
        The paths of the missing or outdated files (empty when all are current).

    Raises:
        ConfigError: the ontology file is missing or invalid.
    """
    out = []
    for name in pages:
        filename, render = PAGES[name]
        path = docs / filename
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current != render():
            out.append(path)
    return out


def write_pages(docs: Path = DOCS_DIR, pages: Sequence[str] = tuple(PAGES)) -> list[Path]:
    """Render the pages and write them into ``docs``.

    Args:
        docs: the docs folder (created if missing).
        pages: page names (keys of :data:`PAGES`).

    Returns:
        The paths written.

    Raises:
        ConfigError: the ontology file is missing or invalid.
        OSError: a file cannot be written.
    """
    docs.mkdir(parents=True, exist_ok=True)
    written = []
    for name in pages:
        filename, render = PAGES[name]
        path = docs / filename
        path.write_text(render(), encoding="utf-8", newline="\n")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m kg.docsgen``.

    Args:
        argv: arguments (default ``sys.argv[1:]``): page names (``ontology``,
            ``cli``; none: both), ``--check``, ``--docs DIR``.

    Returns:
        The exit code: 0, or 1 when ``--check`` finds a stale page.
    """
    parser = argparse.ArgumentParser(prog="python -m kg.docsgen", description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", choices=[*PAGES, []], metavar="PAGE",
                        help=f"pages to generate: {', '.join(PAGES)} (default: all)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a page is stale")
    parser.add_argument("--docs", type=Path, default=DOCS_DIR, help="docs folder (default: %(default)s)")
    args = parser.parse_args(argv)
    pages = args.pages or list(PAGES)
    if args.check:
        stale = stale_pages(args.docs, pages)
        for path in stale:
            print(f"{path} is stale; regenerate it with: python -m kg.docsgen {_page_of(path)}", file=sys.stderr)
        return 1 if stale else 0
    for path in write_pages(args.docs, pages):
        print(f"Wrote {path}")
    return 0


def _page_of(path: Path) -> str:
    return next(name for name, (filename, _r) in PAGES.items() if filename == path.name)


if __name__ == "__main__":
    sys.exit(main())
