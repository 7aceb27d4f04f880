"""Tests of ontology/kg.ttl, kg.ontology and the generated kg.vocab."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib.namespace as ns
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from kg import vocabgen
from kg.errors import ConfigError
from kg.ontology import (
    ORGANIZATION_CLASSES,
    VOCAB_CLASSES,
    VOCAB_DATATYPE_PROPERTIES,
    VOCAB_OBJECT_PROPERTIES,
    VOCAB_PROPERTIES,
    load_ontology,
    ontology_path,
    shapes_path,
)
from kg.vocab import KG

# Namespaces through the module: pytest probes module-level names, and rdflib's
# open DefinedNamespaces (XSD, SDO) warn on unknown attribute look-ups.
OWL, RDF, RDFS = ns.OWL, ns.RDF, ns.RDFS
XSD = Namespace(str(ns.XSD))

REPO = Path(__file__).resolve().parents[1]
SPEC = REPO.parent / "shared" / "spec" / "vocabulary.md"
ONTOLOGY = URIRef("https://w3id.org/kg/ontology")
NS = "https://w3id.org/kg/ontology#"
K = Namespace(NS)

PROVENANCE_CLASSES = ["Document", "Sentence", "Mention", "ExtractedStatement", "CandidateStatement", "Membership"]
PROVENANCE_PROPERTIES = [
    "sourcePath", "sentenceIndex", "startOffset", "endOffset", "text", "anchorText", "mentionOf",
    "inSentence", "confidence", "rule", "modality", "member", "organization", "roleType", "roleTopic",
    "validFrom", "validUntil",
]


@pytest.fixture(scope="module")
def onto() -> Graph:
    return load_ontology()


def _classes_of(graph: Graph, expr: URIRef) -> set[str]:
    """Local names of a named class or of the members of an owl:unionOf."""
    union = graph.value(expr, OWL.unionOf)
    if union is not None:
        return {str(m)[len(NS):] if str(m).startswith(NS) else str(m) for m in Collection(graph, union)}
    if expr == OWL.Thing:
        return {"Thing"}
    return {str(expr)[len(NS):] if str(expr).startswith(NS) else str(expr)}


def _closure(graph: Graph, start: URIRef, prop: URIRef) -> set[URIRef]:
    seen: set[URIRef] = set()
    stack = [start]
    while stack:
        for sup in graph.objects(stack.pop(), prop):
            if sup not in seen:
                seen.add(sup)
                stack.append(sup)
    return seen


def _spec_tables() -> dict[str, list[list[str]]]:
    """Rows of each '## ' section's table in vocabulary.md, cells stripped."""
    tables: dict[str, list[list[str]]] = {}
    section = ""
    for line in SPEC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
            tables[section] = []
        elif line.startswith("|") and section and not set(line) <= set("|- "):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if cells[0] != "local name":
                tables[section].append(cells)
    return tables


def _names(cell: str) -> set[str]:
    return {n.strip() for n in re.split(r",| or ", cell) if n.strip()}


needs_spec = pytest.mark.skipif(not SPEC.exists(), reason="shared/spec/vocabulary.md not beside the repo")


# -- the file ------------------------------------------------------------------


def test_ontology_file_parses_with_header(onto: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in onto
    assert onto.value(ONTOLOGY, OWL.versionInfo) == Literal("0.1.0")
    assert onto.value(ONTOLOGY, OWL.versionIRI) == URIRef("https://w3id.org/kg/ontology/0.1.0")
    for prop in (ns.DCTERMS.title, ns.DCTERMS.description, ns.DCTERMS.license):
        assert onto.value(ONTOLOGY, prop) is not None, prop


def test_paths_point_at_the_checked_in_files() -> None:
    assert ontology_path() == REPO / "ontology" / "kg.ttl"
    assert shapes_path() == REPO / "ontology" / "shapes.ttl"


def test_load_ontology_reports_a_broken_file_as_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "kg.ttl"
    bad.write_text("@prefix kg: <x#> .\nkg:a kg:b", encoding="utf-8")
    with pytest.raises(ConfigError, match="kg.ttl"):
        load_ontology(bad)
    with pytest.raises(ConfigError, match="Cannot find"):
        load_ontology(tmp_path / "missing.ttl")


# -- the vocabulary contract ------------------------------------------------------


@pytest.mark.parametrize("name", sorted(VOCAB_CLASSES))
def test_every_vocabulary_class_is_declared_with_label_and_comment(onto: Graph, name: str) -> None:
    term = K[name]
    assert (term, RDF.type, OWL.Class) in onto
    assert onto.value(term, RDFS.label) is not None
    assert onto.value(term, RDFS.comment) is not None


@pytest.mark.parametrize("name", sorted(VOCAB_PROPERTIES))
def test_every_vocabulary_property_has_label_comment_domain_and_range(onto: Graph, name: str) -> None:
    term = K[name]
    kind = OWL.ObjectProperty if name in VOCAB_OBJECT_PROPERTIES else OWL.DatatypeProperty
    assert (term, RDF.type, kind) in onto
    for prop in (RDFS.label, RDFS.comment, RDFS.domain, RDFS.range):
        assert onto.value(term, prop) is not None, f"{name} lacks {prop}"


@needs_spec
def test_term_lists_match_vocabulary_md() -> None:
    tables = _spec_tables()
    classes = {row[0] for row in tables["Classes"]}
    objects = {row[0] for row in tables["Object properties"]}
    datatypes = set().union(*(_names(row[0].replace("/", ",")) for row in tables["Datatype properties"]))
    assert classes == VOCAB_CLASSES
    assert objects == VOCAB_OBJECT_PROPERTIES
    assert datatypes == VOCAB_DATATYPE_PROPERTIES


@needs_spec
def test_object_property_domains_and_ranges_match_vocabulary_md(onto: Graph) -> None:
    for name, signature, *_ in _spec_tables()["Object properties"]:
        domain, rng = (part.strip() for part in signature.split("->"))
        assert _classes_of(onto, onto.value(K[name], RDFS.domain)) == _names(domain), name
        assert _classes_of(onto, onto.value(K[name], RDFS.range)) == _names(rng), name


@needs_spec
def test_datatype_property_domains_and_ranges_match_vocabulary_md(onto: Graph) -> None:
    for names, domain, rng, *_ in _spec_tables()["Datatype properties"]:
        for name in _names(names.replace("/", ",")):
            expected = {"Thing"} if domain == "any named thing" else _names(domain)
            assert _classes_of(onto, onto.value(K[name], RDFS.domain)) == expected, name
            assert onto.value(K[name], RDFS.range) == XSD[rng.split(":")[1]], name


def test_every_own_term_has_label_comment_and_is_defined_by(onto: Graph) -> None:
    terms = {s for s in onto.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(NS)}
    assert len(terms) > len(VOCAB_CLASSES) + len(VOCAB_PROPERTIES)
    for term in terms:
        assert onto.value(term, RDFS.label) is not None, term
        assert onto.value(term, RDFS.comment) is not None, term
        assert onto.value(term, RDFS.isDefinedBy) == ONTOLOGY, term


# -- structure and alignments ---------------------------------------------------------


def test_organisation_classes_are_organizations_aligned_to_org(onto: Graph) -> None:
    assert (K.Organization, RDFS.subClassOf, ns.ORG.Organization) in onto
    for name in ORGANIZATION_CLASSES:
        assert (K[name], RDFS.subClassOf, K.Organization) in onto, name
    assert (K.State, RDFS.subClassOf, K.Organization) not in onto


def test_meeting_workshop_conference_are_events(onto: Graph) -> None:
    for name in ("Meeting", "Workshop", "Conference"):
        assert (K[name], RDFS.subClassOf, K.Event) in onto


def test_part_of_is_transitive_and_inverses_are_declared(onto: Graph) -> None:
    assert (K.partOf, RDF.type, OWL.TransitiveProperty) in onto
    assert (K.hasPart, OWL.inverseOf, K.partOf) in onto
    assert (K.hasMember, OWL.inverseOf, K.memberOf) in onto
    assert (K.hasParticipant, OWL.inverseOf, K.participatedIn) in onto


def test_alignments_to_w3c_and_schema_org(onto: Graph) -> None:
    expected = [
        (K.Topic, RDFS.subClassOf, ns.SKOS.Concept),
        (K.Event, RDFS.subClassOf, ns.SDO.Event),
        (K.Event, RDFS.subClassOf, ns.PROV.Activity),
        (K.Person, RDFS.subClassOf, ns.SDO.Person),
        (K.Place, RDFS.subClassOf, ns.SDO.Place),
        (K.Document, RDFS.subClassOf, ns.PROV.Entity),
        (K.ExtractedStatement, RDFS.subClassOf, RDF.Statement),
        (K.CandidateStatement, RDFS.subClassOf, RDF.Statement),
        (K.Membership, RDFS.subClassOf, ns.ORG.Membership),
        (K.partOf, RDFS.subPropertyOf, ns.ORG.transitiveSubOrganizationOf),
        (K.memberOf, RDFS.subPropertyOf, ns.ORG.memberOf),
        (K.reportsTo, RDFS.subPropertyOf, ns.ORG.reportsTo),
        (K.startDate, RDFS.subPropertyOf, ns.SDO.startDate),
        (K.endDate, RDFS.subPropertyOf, ns.SDO.endDate),
        (K.addresses, RDFS.subPropertyOf, ns.DCTERMS.subject),
    ]
    for triple in expected:
        assert triple in onto, triple


def test_provenance_datatypes(onto: Graph) -> None:
    assert onto.value(K.confidence, RDFS.range) == XSD.decimal
    assert onto.value(K.rule, RDFS.range) == XSD.string
    assert onto.value(K.modality, RDFS.range) == XSD.string
    assert onto.value(K.isoAlpha2, RDFS.range) == XSD.string
    assert onto.value(K.isoAlpha3, RDFS.range) == XSD.string
    assert onto.value(K.validFrom, RDFS.range) == XSD.date


@pytest.mark.parametrize("name", PROVENANCE_CLASSES)
def test_provenance_and_role_classes_are_not_vocabulary_classes(onto: Graph, name: str) -> None:
    supers = _closure(onto, K[name], RDFS.subClassOf)
    vocabulary = {K[c] for c in VOCAB_CLASSES | {"Organization"}}
    assert not supers & vocabulary


@pytest.mark.parametrize("name", PROVENANCE_PROPERTIES)
def test_provenance_and_role_properties_are_not_vocabulary_properties(onto: Graph, name: str) -> None:
    assert (K[name], None, None) in onto
    supers = _closure(onto, K[name], RDFS.subPropertyOf)
    assert not supers & {K[p] for p in VOCAB_PROPERTIES}


def test_no_vocabulary_term_is_below_another(onto: Graph) -> None:
    """Alignments must not make one contract term a specialisation of another
    (except the six organisation classes under Organization)."""
    vocabulary_props = {K[p] for p in VOCAB_PROPERTIES}
    for name in VOCAB_PROPERTIES:
        assert not _closure(onto, K[name], RDFS.subPropertyOf) & vocabulary_props, name
    vocabulary_classes = {K[c] for c in VOCAB_CLASSES}
    for name in VOCAB_CLASSES:
        assert not _closure(onto, K[name], RDFS.subClassOf) & vocabulary_classes, name


# -- the generated namespace ----------------------------------------------------------


def test_generated_vocab_module_is_current() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kg.vocabgen", "--check"], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_vocabgen_check_fails_on_a_stale_file(tmp_path: Path) -> None:
    stale = tmp_path / "vocab.py"
    stale.write_text("# old\n", encoding="utf-8")
    assert vocabgen.main(["--check", "--output", str(stale)]) == 1
    assert vocabgen.main(["--output", str(stale)]) == 0
    assert vocabgen.main(["--check", "--output", str(stale)]) == 0
    assert "GENERATED" in stale.read_text(encoding="utf-8")


def test_kg_namespace_holds_every_ontology_term(onto: Graph) -> None:
    terms = {str(s)[len(NS):] for s in onto.subjects(RDF.type, None) if str(s).startswith(NS)}
    for name in terms:
        assert getattr(KG, name) == URIRef(NS + name)
    assert VOCAB_CLASSES | VOCAB_PROPERTIES <= terms


def test_kg_namespace_rejects_an_unknown_term() -> None:
    with pytest.raises(AttributeError):
        KG.notATerm  # noqa: B018
    with pytest.raises(AttributeError):
        KG.partof  # noqa: B018  (case matters)


# -- other OWL tools ---------------------------------------------------------------------


def test_owlready2_loads_the_ontology(tmp_path: Path, onto: Graph) -> None:
    owlready2 = pytest.importorskip("owlready2")
    rdfxml = tmp_path / "kg.owl"
    onto.serialize(rdfxml, format="xml")
    world = owlready2.World()
    world.get_ontology(rdfxml.as_uri()).load()
    ns = world.get_namespace(NS)
    assert ns.SectoralBody is not None and ns.Organization in ns.SectoralBody.is_a
    assert owlready2.TransitiveProperty in ns.partOf.is_a
    assert ns.partOf.inverse_property == ns.hasPart
    names = {c.name for c in world.classes() if c.iri.startswith(NS)}
    assert VOCAB_CLASSES <= names
