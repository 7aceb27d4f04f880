"""Tests of kg.validate and ontology/shapes.ttl."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import rdflib.namespace as ns
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from kg.errors import ConfigError
from kg.namespaces import DOC, ID, REFERENCE_GRAPH
from kg.ontology import VOCAB_DATATYPE_PROPERTIES, VOCAB_OBJECT_PROPERTIES, load_ontology, shapes_path
from kg.validate import ValidationReport, Violation, validate
from kg.vocab import KG

# rdflib's open DefinedNamespaces warn when pytest probes module-level names.
RDF, RDFS, OWL, SKOS, PROV, DCTERMS = ns.RDF, ns.RDFS, ns.OWL, ns.SKOS, ns.PROV, ns.DCTERMS
XSD = Namespace(str(ns.XSD))
SH = Namespace("http://www.w3.org/ns/shacl#")
KGSH = Namespace("https://w3id.org/kg/shapes#")

BRUNEI = ID["brunei-darussalam"]
MALAYSIA = ID["malaysia"]
ASEAN = ID["asean"]
SOMTC = ID["somtc"]
KL = ID["place/kuala-lumpur"]
WORKSHOP = ID["event/hsu-workshop"]
DOC1 = DOC["news/d1.txt"]
SENTENCE = URIRef(f"{DOC1}#sentence-0")
FACT = URIRef(f"{DOC1}#fact-1")


def _date(value: str) -> Literal:
    return Literal(value, datatype=XSD.date)


def _dataset() -> Dataset:
    """A small, valid build: the reference graph plus one document graph."""
    ds = Dataset()
    ref = ds.graph(REFERENCE_GRAPH)
    for triple in [
        (BRUNEI, RDF.type, KG.State),
        (BRUNEI, RDFS.label, Literal("Brunei Darussalam")),
        (BRUNEI, SKOS.altLabel, Literal("Brunei")),
        (BRUNEI, KG.isoAlpha2, Literal("BN", datatype=XSD.string)),
        (MALAYSIA, RDF.type, KG.State),
        (MALAYSIA, RDFS.label, Literal("Malaysia")),
        (MALAYSIA, SKOS.altLabel, Literal("Malaysia", lang="ms")),
        (ASEAN, RDF.type, KG.RegionalOrganization),
        (ASEAN, RDFS.label, Literal("Association of Southeast Asian Nations")),
        (ASEAN, SKOS.altLabel, Literal("ASEAN")),
        (ASEAN, KG.establishedIn, Literal("1967", datatype=XSD.gYear)),
        (SOMTC, RDF.type, KG.SectoralBody),
        (SOMTC, RDFS.label, Literal("ASEAN Senior Officials Meeting on Transnational Crime")),
        (SOMTC, KG.partOf, ASEAN),
        (BRUNEI, KG.memberOf, ASEAN),
    ]:
        ref.add(triple)
    g = ds.graph(DOC1)
    for triple in [
        (DOC1, RDF.type, KG.Document),
        (DOC1, KG.sourcePath, Literal("news/d1.txt")),
        (DOC1, DCTERMS.issued, _date("2025-04-29")),
        (SENTENCE, RDF.type, KG.Sentence),
        (SENTENCE, DCTERMS.isPartOf, DOC1),
        (SENTENCE, KG.sentenceIndex, Literal(0)),
        (SENTENCE, KG.startOffset, Literal(0)),
        (SENTENCE, KG.endOffset, Literal(60)),
        (SENTENCE, KG.text, Literal("Brunei participated in the workshop held in Kuala Lumpur.")),
        # entities: Brunei typed here too; SOMTC and ASEAN only in the reference graph
        (BRUNEI, RDF.type, KG.State),
        (BRUNEI, RDFS.label, Literal("Brunei Darussalam")),
        (WORKSHOP, RDF.type, KG.Workshop),  # a subclass of Event
        (WORKSHOP, RDFS.label, Literal("ASEAN Workshop on the HSU Process Mechanism")),
        (WORKSHOP, KG.startDate, _date("2025-04-23")),
        (WORKSHOP, KG.endDate, _date("2025-04-24")),
        (WORKSHOP, KG.participantCount, Literal(33)),
        (WORKSHOP, KG.heldIn, KL),
        (WORKSHOP, KG.organizedBy, SOMTC),  # typed SectoralBody in the reference graph only
        (KL, RDF.type, KG.Place),
        (KL, RDFS.label, Literal("Kuala Lumpur")),
        (KL, KG.locatedIn, MALAYSIA),
        (BRUNEI, KG.participatedIn, WORKSHOP),
        (FACT, RDF.type, KG.ExtractedStatement),
        (FACT, RDF.subject, BRUNEI),
        (FACT, RDF.predicate, KG.participatedIn),
        (FACT, RDF.object, WORKSHOP),
        (FACT, PROV.wasDerivedFrom, SENTENCE),
        (FACT, KG.confidence, Literal(Decimal("0.9"), datatype=XSD.decimal)),
        (FACT, KG.rule, Literal("participation.delegation")),
    ]:
        g.add(triple)
    mention = URIRef(f"{DOC1}#mention-0-6")
    for triple in [
        (mention, RDF.type, KG.Mention),
        (mention, KG.mentionOf, BRUNEI),
        (mention, KG.inSentence, SENTENCE),
        (mention, KG.startOffset, Literal(0)),
        (mention, KG.endOffset, Literal(6)),
        (mention, KG.anchorText, Literal("Brunei")),
    ]:
        g.add(triple)
    candidate = URIRef(f"{DOC1}#candidate-1")
    for triple in [
        (candidate, RDF.type, KG.CandidateStatement),
        (candidate, RDF.subject, WORKSHOP),
        (candidate, RDF.predicate, KG.hostedBy),
        (candidate, RDF.object, MALAYSIA),
        (candidate, PROV.wasDerivedFrom, SENTENCE),
        (candidate, KG.confidence, Literal(Decimal("0.4"), datatype=XSD.decimal)),
        (candidate, KG.rule, Literal("host.will")),
        (candidate, KG.modality, Literal("planned")),
    ]:
        g.add(triple)
    return ds


def _doc(ds: Dataset) -> Graph:
    return ds.graph(DOC1)


def _by_shape(report: ValidationReport, name: str) -> list[Violation]:
    return report.grouped().get(str(KGSH[name]), [])


@pytest.fixture
def ds() -> Dataset:
    return _dataset()


# -- conforming data ---------------------------------------------------------------------


def test_small_valid_dataset_conforms(ds: Dataset) -> None:
    report = validate(ds)
    assert report.violations == []
    assert report.conforms


def test_types_from_the_reference_graph_and_subclasses_count(ds: Dataset) -> None:
    """SOMTC is typed only in the reference graph, as a SectoralBody, and satisfies
    organizedBy's range (State or Organization); the Workshop satisfies Event."""
    report = validate(ds)
    assert not _by_shape(report, "organizedBy")
    assert not _by_shape(report, "participatedIn")


def test_validate_leaves_the_dataset_unchanged(ds: Dataset) -> None:
    before = set(ds.quads((None, None, None, None)))
    validate(ds)
    assert set(ds.quads((None, None, None, None))) == before


def test_a_plain_graph_is_validated_too(ds: Dataset) -> None:
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    union.add((WORKSHOP, KG.startDate, Literal("23 April 2025")))
    before = len(union)
    report = validate(union)
    assert not report.conforms
    assert [v.source_documents for v in _by_shape(report, "startDate")][0] == []
    assert len(union) == before


# -- the four required catches --------------------------------------------------------------


def test_string_date_on_start_date_is_caught(ds: Dataset) -> None:
    _doc(ds).remove((WORKSHOP, KG.startDate, None))
    _doc(ds).add((WORKSHOP, KG.startDate, Literal("2025-04-23")))
    report = validate(ds)
    assert not report.conforms
    found = _by_shape(report, "startDate")
    assert any(v.component == "DatatypeConstraintComponent" and v.value == Literal("2025-04-23") for v in found)
    assert all(v.focus_node == WORKSHOP for v in found)


def test_event_with_two_start_dates_is_caught(ds: Dataset) -> None:
    _doc(ds).add((WORKSHOP, KG.startDate, _date("2025-04-22")))
    report = validate(ds)
    assert not report.conforms
    found = _by_shape(report, "startDate")
    assert [v.component for v in found] == ["MaxCountConstraintComponent"]
    assert found[0].source_documents == [str(DOC1)]


def test_participated_in_pointing_at_a_literal_is_caught(ds: Dataset) -> None:
    _doc(ds).add((MALAYSIA, KG.participatedIn, Literal("the workshop")))
    report = validate(ds)
    assert not report.conforms
    found = _by_shape(report, "participatedIn")
    assert {v.component for v in found} == {"NodeKindConstraintComponent", "ClassConstraintComponent"}
    assert all(v.focus_node == MALAYSIA and v.value == Literal("the workshop") for v in found)
    assert all(v.path == KG.participatedIn for v in found)


def test_entity_missing_its_label_is_caught(ds: Dataset) -> None:
    _doc(ds).remove((KL, RDFS.label, None))
    report = validate(ds)
    assert not report.conforms
    found = _by_shape(report, "label")
    assert [(v.focus_node, v.component) for v in found] == [(KL, "MinCountConstraintComponent")]
    assert found[0].source_documents == [str(DOC1)]


# -- more checks -----------------------------------------------------------------------------


def test_two_labels_for_one_entity_across_graphs_are_caught(ds: Dataset) -> None:
    _doc(ds).add((ASEAN, RDFS.label, Literal("ASEAN")))
    found = _by_shape(validate(ds), "label")
    assert [v.component for v in found] == ["MaxCountConstraintComponent"]
    assert found[0].source_documents == [str(DOC1), str(REFERENCE_GRAPH)]


def test_participated_in_pointing_at_an_untyped_iri_is_caught(ds: Dataset) -> None:
    _doc(ds).add((MALAYSIA, KG.participatedIn, ID["event/unknown"]))
    found = _by_shape(validate(ds), "participatedIn")
    assert [v.component for v in found] == ["ClassConstraintComponent"]


def test_wrong_domain_is_caught(ds: Dataset) -> None:
    _doc(ds).add((KL, KG.participatedIn, WORKSHOP))  # a Place cannot participate
    found = _by_shape(validate(ds), "participatedIn-domain")
    assert [v.focus_node for v in found] == [KL]


def test_start_after_end_is_caught(ds: Dataset) -> None:
    _doc(ds).remove((WORKSHOP, KG.endDate, None))
    _doc(ds).add((WORKSHOP, KG.endDate, _date("2025-04-01")))
    found = _by_shape(validate(ds), "startDate")
    assert [v.component for v in found] == ["LessThanOrEqualsConstraintComponent"]


def test_entity_typed_with_two_vocabulary_classes_is_caught(ds: Dataset) -> None:
    _doc(ds).add((SOMTC, RDF.type, KG.State))  # SectoralBody (an Organization) and State
    report = validate(ds)
    assert not report.conforms
    found = [v for v in report.violations if v.focus_node == SOMTC]
    assert {v.shape for v in found} == {str(KGSH.State), str(KGSH.Organization)}
    assert found[0].source_documents == [str(DOC1), str(REFERENCE_GRAPH)]  # where its types come from


def test_sibling_organisation_classes_are_disjoint(ds: Dataset) -> None:
    _doc(ds).add((SOMTC, RDF.type, KG.Programme))
    shapes = {v.shape for v in validate(ds).violations}
    assert shapes == {str(KGSH.SectoralBody), str(KGSH.Programme)}


def test_extracted_statement_whose_triple_is_not_asserted_is_caught(ds: Dataset) -> None:
    _doc(ds).remove((BRUNEI, KG.participatedIn, WORKSHOP))
    found = _by_shape(validate(ds), "ExtractedStatement-asserted")
    assert [(v.focus_node, v.source_documents) for v in found] == [(FACT, [str(DOC1)])]


def test_statement_needs_one_subject_and_a_sentence(ds: Dataset) -> None:
    _doc(ds).add((FACT, RDF.subject, MALAYSIA))
    _doc(ds).remove((FACT, PROV.wasDerivedFrom, None))
    _doc(ds).add((FACT, PROV.wasDerivedFrom, DOC1))  # a document, not a sentence
    report = validate(ds)
    assert [v.component for v in _by_shape(report, "statement-subject")] == ["MaxCountConstraintComponent"]
    assert [v.component for v in _by_shape(report, "statement-wasDerivedFrom")] == ["ClassConstraintComponent"]


@pytest.mark.parametrize(
    "value",
    [Literal(Decimal("1.5"), datatype=XSD.decimal), Literal(0.9)],  # out of range; xsd:double
    ids=["out-of-range", "double"],
)
def test_confidence_must_be_a_decimal_in_0_1(ds: Dataset, value: Literal) -> None:
    _doc(ds).remove((FACT, KG.confidence, None))
    _doc(ds).add((FACT, KG.confidence, value))
    report = validate(ds)
    assert not report.conforms
    assert _by_shape(report, "statement-confidence")


def test_unknown_modality_is_a_warning_only(ds: Dataset) -> None:
    candidate = URIRef(f"{DOC1}#candidate-1")
    _doc(ds).remove((candidate, KG.modality, None))
    _doc(ds).add((candidate, KG.modality, Literal("rumoured")))
    report = validate(ds)
    assert report.conforms
    assert [v.severity for v in report.violations] == ["Warning"]
    assert report.violations[0].shape == str(KGSH["statement-modalityValue"])


def test_report_groups_sorts_and_serialises(ds: Dataset) -> None:
    _doc(ds).add((WORKSHOP, KG.startDate, Literal("soon")))
    _doc(ds).remove((KL, RDFS.label, None))
    report = validate(ds)
    groups = report.grouped()
    assert list(groups) == sorted(groups)
    assert sum(len(v) for v in groups.values()) == len(report.violations)
    data = report.to_dict()
    assert data["conforms"] is False
    assert data["counts"]["kgsh:label"] == 1
    assert {"shape", "focus_node", "path", "value", "message", "severity", "component", "source_documents"} <= set(
        data["violations"][0]
    )


def _many_documents(count: int) -> Dataset:
    """``count`` copies of the valid document graph, each with its own IRIs (~290 quads each)."""
    ds = _dataset()
    template = list(_doc(ds))
    for i in range(count):
        doc = DOC[f"news/copy-{i}.txt"]
        copy = ds.graph(doc)

        def rename(term):  # type: ignore[no-untyped-def]
            text = str(term)
            if text.startswith(str(DOC1)):
                return URIRef(str(doc) + text[len(str(DOC1)):])
            if term in (WORKSHOP, KL):
                return URIRef(f"{text}-{i}")
            return term

        for s, p, o in template:
            copy.add((rename(s), p, rename(o)))
        for j in range(20):  # more sentences and mentions, as in a real article
            sentence = URIRef(f"{doc}#sentence-{j + 1}")
            mention = URIRef(f"{doc}#mention-{j}")
            for triple in [
                (sentence, RDF.type, KG.Sentence), (sentence, DCTERMS.isPartOf, doc),
                (sentence, KG.sentenceIndex, Literal(j + 1)), (sentence, KG.startOffset, Literal(100 * j + 100)),
                (sentence, KG.endOffset, Literal(100 * j + 190)), (sentence, KG.text, Literal("x" * 90)),
                (mention, RDF.type, KG.Mention), (mention, KG.mentionOf, MALAYSIA), (mention, KG.inSentence, sentence),
                (mention, KG.startOffset, Literal(100 * j + 101)), (mention, KG.endOffset, Literal(100 * j + 109)),
                (mention, KG.anchorText, Literal("Malaysia")),
            ]:
                copy.add(triple)
    return ds


def test_validating_five_thousand_triples_takes_seconds_not_minutes() -> None:
    """Guards the shapes' layout: property shapes with their own targets and the
    native checks made this ~0.5 s; the naive layout took ~12 s."""
    import time

    ds = _many_documents(18)
    assert len(list(ds.quads((None, None, None, None)))) > 4000
    validate(ds)  # parse and cache the shapes and the ontology
    start = time.perf_counter()
    report = validate(ds)
    elapsed = time.perf_counter() - start
    assert report.conforms, report.to_dict()["counts"]
    assert elapsed < 6.0, f"validate took {elapsed:.1f} s"


# -- broken shapes --------------------------------------------------------------------------------


def test_unparsable_shapes_file_raises_config_error(ds: Dataset, tmp_path: Path) -> None:
    bad = tmp_path / "shapes.ttl"
    bad.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a> a sh:NodeShape ; sh:path", encoding="utf-8")
    with pytest.raises(ConfigError, match="shapes"):
        validate(ds, shapes=bad)


def test_missing_or_empty_shapes_file_raises_config_error(ds: Dataset, tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        validate(ds, shapes=tmp_path / "absent.ttl")
    empty = tmp_path / "empty.ttl"
    empty.write_text("<a> <b> <c> .\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no sh:NodeShape"):
        validate(ds, shapes=empty)


def test_shape_pyshacl_cannot_load_raises_config_error(ds: Dataset, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<https://x/s> a sh:PropertyShape ; sh:targetClass <https://w3id.org/kg/ontology#State> ;\n"
        '    sh:path <https://x/p> ; sh:minCount "many" .\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError):
        validate(ds, shapes=bad)


def test_unknown_native_check_raises_config_error(ds: Dataset, tmp_path: Path) -> None:
    bad = tmp_path / "native.ttl"
    bad.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix kgsh: <https://w3id.org/kg/shapes#> .\n"
        '<https://x/s> a sh:NodeShape ; sh:deactivated true ; kgsh:nativeCheck "magic" .\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="magic"):
        validate(ds, shapes=bad)


# -- shapes agree with the ontology -----------------------------------------------------------------


def _union_members(graph: Graph, node) -> set:  # type: ignore[no-untyped-def]
    union = graph.value(node, OWL.unionOf)
    return set(Collection(graph, union)) if union is not None else {node}


def _shape_classes(shapes: Graph, shape: URIRef) -> set:  # type: ignore[no-untyped-def]
    direct = set(shapes.objects(shape, SH["class"]))
    for alternatives in shapes.objects(shape, SH["or"]):
        for alternative in Collection(shapes, alternatives):
            direct |= set(shapes.objects(alternative, SH["class"]))
    return direct


@pytest.fixture(scope="module")
def onto() -> Graph:
    return load_ontology()


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(shapes_path())


@pytest.mark.parametrize("name", sorted(VOCAB_OBJECT_PROPERTIES))
def test_object_property_shapes_match_the_ontology(onto: Graph, shapes: Graph, name: str) -> None:
    prop = KG[name]
    assert _shape_classes(shapes, KGSH[name]) == _union_members(onto, onto.value(prop, RDFS.range))
    assert _shape_classes(shapes, KGSH[f"{name}-domain"]) == _union_members(onto, onto.value(prop, RDFS.domain))
    assert shapes.value(KGSH[name], SH.nodeKind) == SH.IRI
    assert shapes.value(KGSH[name], SH.targetSubjectsOf) == prop


@pytest.mark.parametrize("name", sorted(VOCAB_DATATYPE_PROPERTIES))
def test_datatype_property_shapes_match_the_ontology(onto: Graph, shapes: Graph, name: str) -> None:
    assert shapes.value(KGSH[name], SH.datatype) == onto.value(KG[name], RDFS.range)
