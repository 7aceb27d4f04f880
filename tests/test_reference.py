"""Tests of kg.reference: the reference named graph built from the gazetteer."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib.namespace
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import SDO, DCTERMS, OWL, RDF, RDFS, SKOS

from kg.gazetteer import Gazetteer, load_gazetteer
from kg.iri import registry_iri, topic_iri
from kg.namespaces import ID, KG, REFERENCE_GRAPH, WD
from kg.reference import TOPIC_SCHEME, reference_graph

# a plain Namespace: pytest's collection probes module attributes, which rdflib's strict XSD warns about
XSD = Namespace(str(rdflib.namespace.XSD))

_OBJECT_PROPERTIES = ("memberOf", "partOf", "reportsTo", "establishedUnder", "agencyOf", "observerAt",
                      "chairedBy", "supportedBy", "locatedIn", "underFramework", "endorsedBy",
                      "leadShepherdOf", "addresses")


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="module")
def ref(gaz: Gazetteer) -> Graph:
    return reference_graph(gaz)


def test_graph_is_the_reference_named_graph(ref: Graph) -> None:
    assert ref.identifier == REFERENCE_GRAPH
    assert len(ref) > 4000


def test_brunei_has_plain_label_and_short_form_alt_label(ref: Graph) -> None:
    brunei = registry_iri("brunei_darussalam")
    assert brunei == URIRef(ID["brunei-darussalam"])
    assert (brunei, RDF.type, KG["State"]) in ref
    assert (brunei, RDFS.label, Literal("Brunei Darussalam")) in ref
    assert (brunei, SKOS.altLabel, Literal("Brunei")) in ref
    labels = list(ref.objects(brunei, RDFS.label))
    assert labels == [Literal("Brunei Darussalam")]
    label = labels[0]
    assert isinstance(label, Literal) and label.language is None and label.datatype is None
    assert (brunei, KG["isoAlpha2"], Literal("BN", datatype=XSD.string)) in ref
    assert (brunei, KG["isoAlpha3"], Literal("BRN", datatype=XSD.string)) in ref
    assert (brunei, KG["memberOf"], registry_iri("asean")) in ref


def test_somtc_is_typed_and_linked_to_asean_and_ammtc(ref: Graph) -> None:
    somtc = registry_iri("somtc")
    assert (somtc, RDF.type, KG["SectoralBody"]) in ref
    assert (somtc, KG["partOf"], registry_iri("asean")) in ref
    assert (somtc, KG["reportsTo"], registry_iri("ammtc")) in ref
    assert (somtc, KG["addresses"], topic_iri("transnational crime")) in ref
    assert (somtc, SKOS.altLabel, Literal("SOMTC")) in ref


def test_wikidata_ids_give_same_as_and_exact_match(ref: Graph) -> None:
    asean = registry_iri("asean")
    assert (asean, OWL.sameAs, URIRef(WD["Q7768"])) in ref
    assert (asean, SKOS.exactMatch, URIRef(WD["Q7768"])) in ref
    assert (registry_iri("eu"), OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q458")) in ref
    # none invented where the fact sheet gave none
    assert not list(ref.objects(registry_iri("african_union"), OWL.sameAs))


def test_years_periods_and_dates_are_typed_literals(ref: Graph) -> None:
    assert (registry_iri("asean"), KG["establishedIn"], Literal("1967", datatype=XSD.gYear)) in ref
    act = registry_iri("asean_act")
    # a programme's years are schema:startDate/endDate: kg:periodStart is for Instruments (vocabulary.md)
    assert (act, SDO.startDate, Literal("2018", datatype=XSD.gYear)) in ref
    assert (act, SDO.endDate, Literal("2028", datatype=XSD.gYear)) in ref
    assert not list(ref.objects(act, KG["periodStart"]))
    assert (act, DCTERMS.replaces, registry_iri("aaptip")) in ref
    plan = registry_iri("asean_multi_year_work_plan_2024_2028")
    assert (plan, KG["endorsementDate"], Literal("2024-08-12", datatype=XSD.date)) in ref


def test_sources_are_any_uri_literals(ref: Graph) -> None:
    sources = list(ref.objects(registry_iri("somtc"), DCTERMS.source))
    assert sources
    assert all(isinstance(s, Literal) and s.datatype == XSD.anyURI for s in sources)
    assert Literal(
        "https://asean.org/our-communities/asean-political-security-community/peaceful-secure-and-stable-region/"
        "irregular-movement-of-people-people-smuggling-and-trafficking-in-persons/major-sectoral-bodies-committees",
        datatype=XSD.anyURI,
    ) in sources


def test_local_names_keep_their_language_tag(ref: Graph) -> None:
    rmp = registry_iri("royal_malaysia_police")
    assert (rmp, SKOS.altLabel, Literal("Polis Diraja Malaysia", lang="ms")) in ref
    assert (rmp, SKOS.altLabel, Literal("PDRM")) in ref


def test_topics_are_skos_concepts_in_the_topic_scheme(ref: Graph) -> None:
    tip = topic_iri("trafficking in persons")
    assert TOPIC_SCHEME == URIRef(ID["topics"])
    assert (TOPIC_SCHEME, RDF.type, SKOS.ConceptScheme) in ref
    assert (tip, RDF.type, KG["Topic"]) in ref
    assert (tip, RDF.type, SKOS.Concept) in ref
    assert (tip, RDFS.label, Literal("trafficking in persons")) in ref
    assert (tip, SKOS.prefLabel, Literal("trafficking in persons")) in ref
    for alias in ("human trafficking", "TIP", "anti-trafficking"):
        assert (tip, SKOS.altLabel, Literal(alias)) in ref
    assert (tip, SKOS.inScheme, TOPIC_SCHEME) in ref
    assert (TOPIC_SCHEME, SKOS.hasTopConcept, tip) in ref
    assert len(list(ref.subjects(RDF.type, KG["Topic"]))) == 20


def test_every_relation_target_is_described_in_the_graph(ref: Graph) -> None:
    count = 0
    for name in _OBJECT_PROPERTIES:
        for _s, o in ref.subject_objects(KG[name]):
            count += 1
            assert (o, RDFS.label, None) in ref, (name, o)
            assert (o, RDF.type, None) in ref, (name, o)
    assert count > 400


def test_every_entry_has_one_type_and_one_label(ref: Graph, gaz: Gazetteer) -> None:
    for entry in gaz:
        subject = registry_iri(entry.id)
        assert list(ref.objects(subject, RDF.type)) == [KG[entry.type]]
        assert list(ref.objects(subject, RDFS.label)) == [Literal(entry.name)]


def test_iris_of_distinct_entries_do_not_collide(gaz: Gazetteer) -> None:
    iris = [registry_iri(e.id) for e in gaz]
    assert len(set(iris)) == len(iris)


def test_output_is_deterministic_across_processes(ref: Graph) -> None:
    code = (
        "import hashlib, sys\n"
        "from kg.gazetteer import load_gazetteer\n"
        "from kg.reference import reference_graph\n"
        "data = reference_graph(load_gazetteer()).serialize(format='turtle')\n"
        "sys.stdout.write(hashlib.sha256(data.encode()).hexdigest())\n"
    )
    root = Path(__file__).resolve().parent.parent
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=root)
        digests.add(out.stdout)
    digests.add(hashlib.sha256(ref.serialize(format="turtle").encode()).hexdigest())
    assert len(digests) == 1
