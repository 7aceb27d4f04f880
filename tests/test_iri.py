"""Stable, valid IRI minting (kg.iri)."""

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kg.iri import document_iri, entity_iri, registry_iri, slugify


def test_entity_iri_ignores_case_accents_and_punctuation() -> None:
    assert entity_iri("Event", "Asean Workshop, Kuala Lumpur") == entity_iri("Event", "ASEAN workshop Kuala-Lumpur")
    assert str(entity_iri("State", "Türkiye")).endswith("/state/turkiye")


def test_long_and_non_latin_names_stay_distinct() -> None:
    a, b = "Workshop " + "x" * 200 + "a", "Workshop " + "x" * 200 + "b"
    assert slugify(a) != slugify(b) and len(slugify(a)) <= 80
    assert slugify("東南アジア") != slugify("ประเทศไทย")
    assert slugify("東南アジア").startswith("x-")


def test_registry_and_document_iris() -> None:
    assert str(registry_iri("asean")) == "https://w3id.org/kg/id/asean"
    assert str(document_iri("news/a b#c.txt")) == "https://w3id.org/kg/doc/news/a%20b%23c.txt"


def test_minted_iris_round_trip_through_turtle() -> None:
    g = Graph()
    for name in ['He said "hi" {}', "<script>", "a#b", "ünïcödé", ""]:
        g.add((entity_iri("Person", name), RDFS.label, Literal(name)))
    g2 = Graph().parse(data=g.serialize(format="turtle"), format="turtle")
    assert len(g2) == len(g) and all(isinstance(s, URIRef) for s in g2.subjects())
