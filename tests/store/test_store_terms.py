"""kg.store.terms: the fast conversion gives exactly what rdflib's constructors give."""

from __future__ import annotations

import datetime as dt
import gc
from decimal import Decimal

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from kg.store.terms import (
    convert_rows,
    convert_triples,
    rows_from_tsv,
    to_oxigraph,
    to_rdflib,
    triples_from_ntriples,
)

S = URIRef("https://w3id.org/kg/id/s")
G = ox.NamedNode("https://w3id.org/kg/doc/g")

SAMPLES = [
    Literal("Brunei"),
    Literal("Brunei", lang="en"),
    Literal("tab\there\nnew line \"quoted\" back\\slash \x00\x07\x7f\u2028 é 😀"),
    Literal(319),
    Literal(-12),
    Literal(Decimal("0.9")),
    Literal(Decimal("1.0")),
    Literal(True),
    Literal(False),
    Literal(0.5),
    Literal(dt.date(2025, 4, 29)),
    Literal("2025-04-29T10:00:00", datatype=XSD.dateTime),
    Literal("2025", datatype=XSD.gYear),
    Literal("abc", datatype=XSD.integer),
    Literal("https://example.org/x", datatype=XSD.anyURI),
    URIRef("https://w3id.org/kg/id/é-x?a=1&b=2#frag"),
    BNode("b0"),
]


def round_trip(values: list) -> list:
    """Store each value as the object of a triple and read the objects back through OxigraphStore's path."""
    store = ox.Store()
    for i, v in enumerate(values):
        store.add(ox.Quad(to_oxigraph(S), ox.NamedNode(f"https://w3id.org/kg/ontology#p{i:05d}"), to_oxigraph(v), G))
    result = store.query("SELECT ?p ?o WHERE { ?s ?p ?o } ORDER BY ?p", use_default_graph_as_union=True)
    return [o for _p, o in convert_rows(result)]


def test_samples_round_trip_to_what_rdflib_builds() -> None:
    back = round_trip(SAMPLES)
    for value, got in zip(SAMPLES, back):
        if isinstance(value, BNode):
            assert isinstance(got, BNode)
            continue
        assert type(got) is type(value)
        if not isinstance(value, Literal):
            assert got == value
            continue
        # exactly the Literal rdflib's constructor makes from what Oxigraph returned ...
        rebuilt = Literal(str(got), lang=got.language, datatype=got.datatype)
        assert got == rebuilt and got.datatype == rebuilt.datatype and got.language == rebuilt.language
        assert got.ill_typed == rebuilt.ill_typed, repr(value)
        assert got.value == rebuilt.value and type(got.value) is type(rebuilt.value), repr(value)
        # ... and the same value as what went in (Oxigraph canonicalises lexical forms: 1.0 -> 1)
        assert got.datatype == value.datatype, repr(value)
        if not value.ill_typed:
            assert got.value == value.value, repr(value)
    assert back[0] == Literal("Brunei") and back[0].datatype is None


def test_object_path_and_text_path_agree() -> None:
    store = ox.Store()
    for i, v in enumerate(SAMPLES):
        store.add(ox.Quad(to_oxigraph(S), ox.NamedNode(f"https://w3id.org/kg/ontology#p{i:05d}"), to_oxigraph(v), G))
    query = "SELECT ?p ?o WHERE { ?s ?p ?o } ORDER BY ?p"
    by_object = [tuple(to_rdflib(t) for t in s) for s in store.query(query, use_default_graph_as_union=True)]
    by_text = rows_from_tsv(store.query(query, use_default_graph_as_union=True).serialize(
        format=ox.QueryResultsFormat.TSV))
    assert by_text[:-1] == by_object[:-1]  # the last one is a blank node, renamed by nothing but compared by label
    assert by_text[-1][1] == by_object[-1][1]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",))), min_size=1, max_size=8))
def test_any_text_survives_the_tsv_path(texts: list[str]) -> None:
    values = [Literal(t) for t in texts]
    assert round_trip(values) == values


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(st.characters(blacklist_categories=("Cs",))),
                          st.sampled_from(["en", "ms", "zh-hant", "en-gb"])), min_size=1, max_size=5))
def test_any_language_tagged_text_survives(pairs: list[tuple[str, str]]) -> None:
    values = [Literal(t, lang=lang) for t, lang in pairs]
    assert round_trip(values) == values


def test_unbound_values_are_none_and_single_columns_work() -> None:
    store = ox.Store()
    rows = convert_rows(store.query("SELECT ?x ?y WHERE { VALUES (?x ?y) { (1 UNDEF) (UNDEF \"b\") } }"))
    assert rows == [(Literal(1), None), (None, Literal("b"))]
    assert convert_rows(store.query("SELECT ?z WHERE { VALUES ?x { 1 2 } }")) == [(None,), (None,)]
    assert convert_rows(store.query("SELECT * WHERE { }")) == [()]
    assert convert_rows(store.query("SELECT ?x WHERE { FILTER(false) }")) == []


def test_repeated_terms_are_shared_not_copied() -> None:
    store = ox.Store()
    rows = convert_rows(store.query(
        "SELECT ?x WHERE { VALUES ?x { <http://a> <http://a> <http://a> <http://b> } }"))
    assert rows[0][0] is rows[1][0]
    assert rows[3][0] == URIRef("http://b")


def test_large_distinct_iri_columns_take_the_bulk_path() -> None:
    store = ox.Store()
    store.extend(ox.Quad(ox.NamedNode(f"http://e/{i}"), ox.NamedNode("http://p"), ox.Literal(f"label {i}"), G)
                 for i in range(6000))
    rows = convert_rows(store.query("SELECT ?s ?l WHERE { ?s ?p ?l }", use_default_graph_as_union=True))
    assert len(rows) == 6000
    assert all(type(s) is URIRef and type(lit) is Literal for s, lit in rows)
    assert {str(s) for s, _ in rows} == {f"http://e/{i}" for i in range(6000)}


def test_conversion_leaves_the_garbage_collector_as_it_found_it() -> None:
    store = ox.Store()
    assert gc.isenabled()
    convert_rows(store.query("SELECT ?x WHERE { VALUES ?x { 1 } }"))
    assert gc.isenabled()
    gc.disable()
    try:
        convert_rows(store.query("SELECT ?x WHERE { VALUES ?x { 1 } }"))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_construct_triples_convert_from_ntriples() -> None:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://s"), ox.NamedNode("http://p"), ox.Literal("a \"b\"\n", language="en"), G))
    triples = convert_triples(store.query("CONSTRUCT WHERE { ?s ?p ?o }", use_default_graph_as_union=True))
    assert triples == [(URIRef("http://s"), URIRef("http://p"), Literal('a "b"\n', lang="en"))]
    assert triples_from_ntriples(b"") == []


def test_to_oxigraph_refuses_what_is_not_a_term() -> None:
    with pytest.raises(ValueError):
        to_oxigraph(URIRef("not an iri"))
    with pytest.raises(ValueError):
        to_oxigraph("plain string")  # type: ignore[arg-type]


def test_xsd_string_literal_comes_back_plain() -> None:
    [back] = round_trip([Literal("x", datatype=XSD.string)])
    assert back == Literal("x") and back.datatype is None
