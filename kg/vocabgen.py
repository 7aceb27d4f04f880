"""Generate :mod:`kg.vocab` (the closed ``KG`` namespace) from ontology/kg.ttl.

Usage::

    python -m kg.vocabgen            # rewrite kg/vocab.py
    python -m kg.vocabgen --check    # exit 1 if kg/vocab.py is stale

Every IRI in the ``kg:`` namespace that the ontology types (class, property,
individual) becomes one annotated attribute of ``class KG(DefinedNamespace)``
with its ``rdfs:label`` as a comment, so a misspelt term raises
``AttributeError`` instead of minting a new IRI.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from .errors import ConfigError
from .ontology import ONTOLOGY_IRI, load_ontology, ontology_path

NAMESPACE = ONTOLOGY_IRI + "#"

#: Default output: kg/vocab.py next to this module.
VOCAB_PATH = Path(__file__).resolve().with_name("vocab.py")

_CLASS_TYPES = {OWL.Class, RDFS.Class}
_PROPERTY_TYPES = {
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDF.Property,
}


def _label(graph: Graph, term: URIRef) -> str:
    """Return the English (else any) rdfs:label of ``term`` on one line, or ``""``."""
    labels = sorted(
        (lbl for lbl in graph.objects(term, RDFS.label) if isinstance(lbl, Literal)),
        key=lambda lbl: (lbl.language not in ("en", None), lbl.language or "", str(lbl)),
    )
    return " ".join(str(labels[0]).split()) if labels else ""


def collect_terms(graph: Graph) -> dict[str, list[tuple[str, str]]]:
    """List the ontology's own terms by kind.

    Args:
        graph: the parsed ontology.

    Returns:
        ``{"classes": [(local name, label), ...], "properties": [...],
        "individuals": [...]}``, each list sorted by local name.

    Raises:
        ConfigError: a term's local name is not a Python identifier.
    """
    kinds: dict[str, dict[str, str]] = {"classes": {}, "properties": {}, "individuals": {}}
    for subject, rdf_type in graph.subject_objects(RDF.type):
        if not isinstance(subject, URIRef) or not str(subject).startswith(NAMESPACE):
            continue
        local = str(subject)[len(NAMESPACE):]
        if not local.isidentifier() or local.startswith("_"):
            raise ConfigError(
                f"Ontology term {subject} has a local name that is not a Python identifier; rename it in kg.ttl."
            )
        if rdf_type in _CLASS_TYPES:
            kind = "classes"
        elif rdf_type in _PROPERTY_TYPES:
            kind = "properties"
        else:
            kind = "individuals"
        kinds[kind][local] = _label(graph, subject)
    # a term typed both ways (e.g. a class that is also an individual) is listed once, as class/property
    for local in list(kinds["individuals"]):
        if local in kinds["classes"] or local in kinds["properties"]:
            del kinds["individuals"][local]
    return {kind: sorted(terms.items()) for kind, terms in kinds.items()}


def _version(graph: Graph) -> str:
    versions = sorted(str(v) for v in graph.objects(URIRef(ONTOLOGY_IRI), OWL.versionInfo))
    return versions[0] if versions else "unversioned"


def render(graph: Graph) -> str:
    """Return the source text of kg/vocab.py for an ontology graph.

    Args:
        graph: the parsed ontology.

    Returns:
        Python source, ``\\n`` line endings, ending in a newline.

    Raises:
        ConfigError: a term's local name is not a Python identifier.
    """
    terms = collect_terms(graph)
    lines = [
        '"""The kg ontology\'s terms as a closed rdflib namespace.',
        "",
        f"GENERATED from ontology/kg.ttl (ontology version {_version(graph)}) by",
        "``python -m kg.vocabgen``. Do not edit: change kg.ttl and run the command",
        "again; ``python -m kg.vocabgen --check`` (run by the tests) fails while this",
        "file is stale.",
        '"""',
        "",
        "from rdflib.namespace import DefinedNamespace, Namespace",
        "from rdflib.term import URIRef",
        "",
        "",
        "class KG(DefinedNamespace):",
        '    """Terms of ``https://w3id.org/kg/ontology#``; an unknown name raises AttributeError."""',
        "",
        "    _fail = True",
        f'    _NS = Namespace("{NAMESPACE}")',
    ]
    titles = {"classes": "Classes", "properties": "Properties", "individuals": "Individuals"}
    for kind in ("classes", "properties", "individuals"):
        if not terms[kind]:
            continue
        lines += ["", f"    # {titles[kind]}"]
        for local, label in terms[kind]:
            lines.append(f"    {local}: URIRef" + (f"  # {label}" if label else ""))
    return "\n".join(lines) + "\n"


def generate(*, ontology: Path | None = None) -> str:
    """Read the ontology and return the text kg/vocab.py should have.

    Args:
        ontology: the ontology file; defaults to :func:`kg.ontology.ontology_path`.

    Returns:
        Python source of the vocabulary module.

    Raises:
        ConfigError: the ontology is missing, unparsable or has a bad local name.
    """
    return render(load_ontology(ontology or ontology_path()))


def is_current(*, ontology: Path | None = None, output: Path = VOCAB_PATH) -> bool:
    """Tell whether ``output`` is exactly what :func:`generate` would write.

    Args:
        ontology: the ontology file; defaults to :func:`kg.ontology.ontology_path`.
        output: the generated module to compare.

    Returns:
        True when the file exists and is current.

    Raises:
        ConfigError: the ontology is missing, unparsable or has a bad local name.
    """
    expected = generate(ontology=ontology)
    try:
        return output.read_text(encoding="utf-8") == expected
    except FileNotFoundError:
        return False


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: write kg/vocab.py, or check it with ``--check``.

    Args:
        argv: arguments without the program name; defaults to ``sys.argv[1:]``.

    Returns:
        0 on success, 1 when ``--check`` finds the file stale, 7 on a
        configuration error (as :class:`kg.errors.ConfigError`).
    """
    parser = argparse.ArgumentParser(prog="python -m kg.vocabgen", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the output is stale; write nothing")
    parser.add_argument("--ontology", type=Path, default=None, help="ontology Turtle file (default: ontology/kg.ttl)")
    parser.add_argument("--output", type=Path, default=VOCAB_PATH, help="module to write (default: kg/vocab.py)")
    args = parser.parse_args(argv)
    try:
        if args.check:
            if not is_current(ontology=args.ontology, output=args.output):
                print(f"{args.output} is stale: run `python -m kg.vocabgen` to regenerate it.", file=sys.stderr)
                return 1
            print(f"{args.output} is current.")
            return 0
        text = generate(ontology=args.ontology)
    except ConfigError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return ConfigError.exit_code
    args.output.write_text(text, encoding="utf-8", newline="\n")
    print(f"Wrote {args.output}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
