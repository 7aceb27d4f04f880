"""kg.store.sparql_text: bindings become a VALUES block that cannot change the query's shape."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from kg.errors import QueryError
from kg.store.sparql_text import (
    inject_values,
    prefix_names,
    query_form,
    syntax_error_message,
    term_to_sparql,
    variable_name,
    where_group_offset,
)


@pytest.mark.parametrize("query, form", [
    ("SELECT * { ?s ?p ?o }", "SELECT"),
    ("PREFIX select: <http://x/> # ASK\nconstruct { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("BASE <http://x/> PREFIX : <http://y/> ASK { ?s :p ?o }", "ASK"),
    ("DESCRIBE <http://x>", "DESCRIBE"),
    ("INSERT DATA { <http://a> <http://b> <http://c> }", None),
    ("PREFIX kg: <https://w3id.org/kg/ontology#> DELETE WHERE { ?s ?p ?o }", None),
])
def test_query_form_skips_the_prologue_and_comments(query: str, form: str | None) -> None:
    assert query_form(query) == form


@pytest.mark.parametrize("query, before", [
    ('SELECT ?s WHERE { ?s ?p "{" }', "SELECT ?s WHERE {"),
    ("select (CONCAT('}', ?x) AS ?y) FROM <http://g> where { ?x ?p ?o }", "<http://g> where {"),
    ("CONSTRUCT { ?s <http://p> ?o } WHERE { ?s ?p ?o }", "} WHERE {"),
    ("ASK { ?s ?p ?o }", "ASK {"),
    ("# { in a comment\nSELECT * WHERE { ?s ?p ?o }", "SELECT * WHERE {"),
])
def test_where_group_is_found_past_strings_iris_comments_and_templates(query: str, before: str) -> None:
    at = where_group_offset(query)
    assert at is not None and query[:at].endswith(before)


def test_short_forms_have_no_where_group() -> None:
    assert where_group_offset("CONSTRUCT WHERE { ?s ?p ?o }") is None
    assert where_group_offset("DESCRIBE <http://x>") is None


def test_inject_values_puts_one_block_first_in_the_where_group() -> None:
    text = inject_values("SELECT ?s WHERE { ?s ?p ?l FILTER(?l != \"}\") }", {"l": Literal('a"}#{')})
    assert text == 'SELECT ?s WHERE { VALUES (?l) { ("a\\"}#{") }  ?s ?p ?l FILTER(?l != "}") }'


def test_inject_values_appends_to_short_forms() -> None:
    text = inject_values("CONSTRUCT WHERE { ?s ?p ?o }", {"s": URIRef("http://x")})
    assert text.rstrip().endswith("VALUES (?s) { (<http://x>) }")


def test_inject_values_refuses_updates() -> None:
    with pytest.raises(QueryError, match="not a SELECT"):
        inject_values("DELETE WHERE { ?s ?p ?o }", {"s": URIRef("http://x")})


@pytest.mark.parametrize("term, text", [
    (URIRef("http://x/a#b"), "<http://x/a#b>"),
    (Literal("a\"b\\c\nd\re\tf"), '"a\\"b\\\\c\\nd\\re\\tf"'),
    (Literal("x", lang="en-GB"), '"x"@en-GB'),
    (Literal(3), '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'),
    (Literal("x", datatype=XSD.string), '"x"^^<http://www.w3.org/2001/XMLSchema#string>'),
])
def test_term_to_sparql(term: URIRef | Literal, text: str) -> None:
    assert term_to_sparql(term) == text


@pytest.mark.parametrize("term", [URIRef("http://x/a> } DROP ALL #"), URIRef("http://x y"), BNode("b"), "str"])
def test_term_to_sparql_refuses_what_cannot_be_written_safely(term: object) -> None:
    with pytest.raises(QueryError):
        term_to_sparql(term)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["x y", "x}", "x#", "", "?", "x.y", "x)"])
def test_variable_name_refuses_non_names(name: str) -> None:
    with pytest.raises(QueryError, match="variable"):
        variable_name(name)


def test_variable_name_strips_the_sigil() -> None:
    assert variable_name("?label") == "label" and variable_name("$x_1") == "x_1" and variable_name("é") == "é"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",))), min_size=1, max_size=3))
def test_any_bound_text_round_trips_through_a_real_parser(values: list[str]) -> None:
    names = [f"v{i}" for i in range(len(values))]
    query = "SELECT " + " ".join("?" + n for n in names) + " WHERE { }"
    text = inject_values(query, {n: Literal(v) for n, v in zip(names, values)})
    rows = list(ox.Store().query(text))
    assert len(rows) == 1
    assert [rows[0][n].value for n in names] == values


def test_prefix_names_ignores_strings_iris_and_comments() -> None:
    used, declared = prefix_names(
        'PREFIX kg: <https://w3id.org/kg/ontology#>\n'
        'SELECT ?s WHERE { ?s a kg:Event ; rdfs:label "skos:no" ; <http://x/a:b> ?o . # prov:no\n'
        ' FILTER(xsd:integer(?o) > 1) }')
    assert declared == {"kg"}
    assert used == {"kg", "rdfs", "xsd"}


def test_syntax_error_message_is_one_line_with_position() -> None:
    oxigraph = syntax_error_message("query", 'error at 3:19: expected one of "\\"",\n BNODE, [_]')
    assert oxigraph.startswith("SPARQL query syntax error at line 3, column 19: expected one of")
    assert "\n" not in oxigraph
    pyparsing = syntax_error_message("update", "Expected end of text, found 'INSERT'  (at char 0), (line:1, col:1)")
    assert pyparsing == "SPARQL update syntax error at line 1, column 1: Expected end of text, found 'INSERT'"
    assert len(syntax_error_message("query", "x" * 1000)) < 300


def test_inject_values_writes_the_term_in_place_of_the_variable_inside_nested_groups() -> None:
    query = 'SELECT ?s WHERE { ?s ?p ?l . { ?s ?q ?l FILTER(?l != "?l") } MINUS { ?s ?r $l } }'
    text = inject_values(query, {"l": Literal("x")})
    assert text.startswith('SELECT ?s WHERE { VALUES (?l) { ("x") }  ?s ?p ?l . { ?s ?q  "x"  FILTER( "x"  != "?l") }')
    assert text.endswith('MINUS { ?s ?r  "x"  } }')  # $l is the same variable; the string "?l" is untouched
    rows = list(ox.Store().query(text))
    assert rows == []


def test_inject_values_leaves_a_sub_select_that_projects_the_variable_to_the_join() -> None:
    query = "SELECT ?s WHERE { { SELECT ?s ?l WHERE { ?s ?p ?l } } }"
    assert inject_values(query, {"l": Literal("x")}) == (
        'SELECT ?s WHERE { VALUES (?l) { ("x") }  { SELECT ?s ?l WHERE { ?s ?p ?l } } }')


def test_inject_values_wraps_a_where_group_that_is_a_sub_select() -> None:
    text = inject_values("SELECT ?s WHERE { SELECT * WHERE { ?s ?p ?l } }", {"l": Literal("x")})
    assert text == 'SELECT ?s WHERE { VALUES (?l) { ("x") } {  SELECT * WHERE { ?s ?p ?l }  } }'
    ox.Store().query(text)  # parses


@pytest.mark.parametrize("query, fragment", [
    ("SELECT ?s WHERE { ?s ?p ?o BIND(?o AS ?l) }", "assigns it itself (with AS)"),
    ("SELECT ?s (STR(?o) AS ?l) WHERE { ?s ?p ?o }", "assigns it itself (with AS)"),
    ('SELECT ?s WHERE { ?s ?p ?l { VALUES (?x ?l) { (1 "a") } } }', "assigns it itself (with VALUES)"),
    ('SELECT ?s WHERE { ?s ?p ?l } VALUES ?l { "a" }', "assigns it itself (with VALUES)"),
    ("SELECT ?s WHERE { ?s ?p ?o { SELECT ?s WHERE { ?s ?q ?l } } }", "sub-select that does not project it"),
    ("SELECT ?s WHERE { { SELECT ?s (MIN(?l) AS ?m) WHERE { ?s ?q ?l } GROUP BY ?s } }", "sub-select"),
])
def test_inject_values_refuses_a_binding_it_cannot_apply_safely(query: str, fragment: str) -> None:
    with pytest.raises(QueryError, match=r"Cannot bind \?l: .*" + re.escape(fragment)):
        inject_values(query, {"l": Literal("x")})


def test_inject_values_accepts_a_sub_select_that_assigns_its_own_variables() -> None:
    query = "SELECT ?s ?m WHERE { { SELECT ?s (MIN(?x) AS ?m) WHERE { ?s ?q ?x } GROUP BY ?s } }"
    assert "VALUES (?m)" in inject_values(query, {"m": Literal("x")})
