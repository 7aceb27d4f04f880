"""kg.sparql_policy: what a SPARQL text may do, decided from a parse, and safe VALUES binding."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from pyparsing import ParseResults
from rdflib import Literal, URIRef
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from kg.errors import QueryError
from kg.sparql_policy import bind_values, check_query, inspect_query


def refused(sparql: str, **flags: bool) -> str:
    with pytest.raises(QueryError) as info:
        check_query(sparql, **flags)
    message = str(info.value)
    assert "\n" not in message
    return message


# -- forms ------------------------------------------------------------------------------


@pytest.mark.parametrize("sparql, form", [
    ("SELECT ?s WHERE { ?s ?p ?o }", "SELECT"),
    ("construct { ?s ?p ?o } where { ?s ?p ?o }", "CONSTRUCT"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("DESCRIBE <http://example.org/a>", "DESCRIBE"),
    ("PREFIX ex: <http://example.org/>\nASK { ex:a ?p ?o }", "ASK"),
    ("INSERT DATA { GRAPH <http://g> { <http://a> <http://b> <http://c> } }", "UPDATE"),
])
def test_check_query_returns_the_form(sparql: str, form: str) -> None:
    assert check_query(sparql, allow_update=True) == form


def test_undeclared_project_prefixes_are_left_to_the_engine() -> None:
    assert check_query("SELECT ?a WHERE { ?a a kg:GovernmentAgency }") == "SELECT"


# -- keywords in literals, comments and IRIs ----------------------------------------------


def test_keywords_inside_literals_comments_and_iris_pass() -> None:
    sparql = '''SELECT ?s WHERE {
      ?s ?p "SERVICE" .            # LOAD <http://x>
      ?s <http://example.org/FROM> 'FROM <file:///etc/passwd>' .
      ?s ?q """INSERT DATA { <a> <b> <c> } SERVICE <http://evil/> {}""" .
      ?s kg:SERVICE ?o ; kg:load ?l .
      FILTER (?l != "USING")
    } # SERVICE <http://x> { }'''
    assert check_query(sparql) == "SELECT"


def test_a_variable_named_like_a_keyword_passes() -> None:
    assert check_query("SELECT ?service ?from WHERE { ?service ?from ?load }") == "SELECT"


def test_language_tag_spelled_like_a_keyword_passes() -> None:
    assert check_query('SELECT ?s WHERE { ?s ?p "x"@load }') == "SELECT"


# -- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("sparql", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:8080/admin> { ?s ?p ?o } }",
    "SELECT * WHERE { ?x ?y ?z . SERVICE ?endpoint { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://x/> { ?s ?q ?r } } }",
    "ASK { FILTER EXISTS { SERVICE <http://x/> { ?s ?p ?o } } }",
])
def test_service_is_refused(sparql: str) -> None:
    message = refused(sparql)
    assert "SERVICE" in message and "refused" in message


def test_service_is_allowed_when_asked() -> None:
    assert check_query("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", allow_service=True) == "SELECT"


def test_service_hidden_after_a_carriage_return_in_a_comment_is_refused() -> None:
    # SPARQL (and Oxigraph) end a comment at \r; pyparsing's comment rule only at \n.
    sparql = "SELECT * WHERE { ?s ?p ?o # note\r SERVICE <http://127.0.0.1:9/> { ?a ?b ?c }\n}"
    assert "SERVICE" in refused(sparql)


def test_service_written_with_a_unicode_escape_is_refused() -> None:
    assert "SERVICE" in refused("SELECT * { \\u0053ERVICE <http://x/> { ?s ?p ?o } }")


def test_service_right_after_a_dot_is_refused() -> None:
    assert "SERVICE" in refused("SELECT * { ?s ?p ?o.SERVICE <http://x/> { ?a ?b ?c } }")


@pytest.mark.parametrize("sparql", [
    "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } FROM <http://x/> WHERE { ?s ?p ?o }",
    "ASK FROM <http://x/> { ?s ?p ?o }",
])
def test_from_and_from_named_are_refused(sparql: str) -> None:
    message = refused(sparql)
    assert "FROM" in message and "GRAPH <iri>" in message


def test_from_is_allowed_when_asked() -> None:
    assert check_query("SELECT * FROM <http://x/> WHERE { ?s ?p ?o }", allow_remote_from=True) == "SELECT"


@pytest.mark.parametrize("sparql", [
    "INSERT DATA { GRAPH <http://g> { <http://a> <http://b> <http://c> } }",
    "DELETE WHERE { ?s ?p ?o }",
    "DROP ALL",
    "CLEAR GRAPH <http://g>",
    "PREFIX ex: <http://x/>\nWITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_updates_are_refused_unless_allowed(sparql: str) -> None:
    message = refused(sparql)
    assert message.startswith("SPARQL update refused")
    assert check_query(sparql, allow_update=True) == "UPDATE"


@pytest.mark.parametrize("sparql", [
    "LOAD <http://example.org/data.ttl>",
    "LOAD SILENT <file:///etc/passwd> INTO GRAPH <http://g>",
])
def test_load_is_refused_even_with_updates_allowed(sparql: str) -> None:
    assert "LOAD" in refused(sparql, allow_update=True)
    assert check_query(sparql, allow_update=True, allow_remote_from=True) == "UPDATE"


def test_using_is_refused_even_with_updates_allowed() -> None:
    sparql = "INSERT { ?s ?p ?o } USING <http://example.org/x> WHERE { ?s ?p ?o }"
    assert "USING" in refused(sparql, allow_update=True)


def test_update_after_a_query_is_a_syntax_error_not_a_second_request() -> None:
    message = refused("SELECT * WHERE { ?s ?p ?o } ; DROP ALL", allow_update=True)
    assert "syntax error at line 1, column 29" in message


# -- syntax errors ------------------------------------------------------------------------------


def test_syntax_error_gives_line_and_column() -> None:
    message = refused("SELECT ?s WHERE {\n  ?s ?p\n}")
    assert message.startswith("SPARQL query syntax error at line 2, column 3:")


def test_syntax_error_position_counts_crlf_as_one_line_break() -> None:
    message = refused("SELECT ?s\r\nWHERE {\r\n  ?s ?p\r\n}")
    assert "at line 3, column 3" in message


def test_update_syntax_error_points_into_the_update() -> None:
    message = refused("INSERT DATA { <http://a> <http://b> }", allow_update=True)
    assert message.startswith("SPARQL update syntax error at line 1, column 15:")


def test_misspelt_form_is_named() -> None:
    assert "expected SELECT, CONSTRUCT, DESCRIBE or ASK" in refused("SELEC * WHERE { ?s ?p ?o }")


@pytest.mark.parametrize("sparql", ["", "   \n", "# only a comment\n", "PREFIX ex: <http://x/>"])
def test_empty_text_is_refused(sparql: str) -> None:
    assert "Empty SPARQL" in refused(sparql, allow_update=True)


def test_very_deep_nesting_is_an_error_not_a_crash() -> None:
    sparql = "SELECT * WHERE { " + "{ " * 2000 + "?s ?p ?o " + "} " * 2000 + "}"
    assert "nested" in refused(sparql)


def test_inspect_reports_limit_and_trailing_values() -> None:
    info = inspect_query("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s OFFSET 2 LIMIT 7")
    assert (info.form, info.limit, info.trailing_values) == ("SELECT", 7, False)
    info = inspect_query("SELECT * WHERE { ?s ?p ?o } VALUES ?s { <http://a> }")
    assert (info.limit, info.trailing_values) == (None, True)


# -- bind_values ------------------------------------------------------------------------------------

NASTY = [
    'Brunei "Darussalam" } ; DROP ALL ; # {',
    "a } } SERVICE <http://evil/> { ?s ?p ?o } #",
    "line one\nline two\r\n> <http://x> .",
    'ends with a backslash and a quote \\"',
    "newline then backslash-quote\nx\\\"",  # rdflib's n3() writes an unterminated long string for this
    "'''\"\"\"#}{><",
]


def _compvalues(tree: object) -> list[CompValue]:
    found = []
    stack: list[object] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            found.append(node)
            stack.extend(dict.values(node))
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(list(node))
    return found


def _values_blocks(sparql: str) -> list[CompValue]:
    return [n for n in _compvalues(parseQuery(sparql)) if n.name in ("InlineData", "ValuesClause")]


def _literals(block: CompValue) -> list[str]:
    return [str(dict.get(n, "string")) for n in _compvalues(block) if n.name == "literal"]


@pytest.mark.parametrize("value", NASTY)
def test_bind_values_keeps_one_query_with_the_literal_intact(value: str) -> None:
    sparql = "SELECT ?label ?x WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    bound = bind_values(sparql, {"label": Literal(value)})
    assert check_query(bound) == "SELECT"
    blocks = _values_blocks(bound)
    assert len(blocks) == 1
    assert _literals(blocks[0]) == [value]
    # and the engine reads the same single value back
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal(value)))
    rows = store.query(bound)
    assert isinstance(rows, ox.QuerySolutions)
    assert [r["label"].value for r in rows] == [value]  # type: ignore[union-attr]


def test_bind_values_escapes_language_and_datatype_literals_and_iris() -> None:
    sparql = "SELECT * WHERE { ?s ?p ?o }"
    bound = bind_values(sparql, {"o": Literal("x\"}", lang="en"), "p": URIRef("http://example.org/p#1"),
                                 "?s": URIRef("http://example.org/s")})
    assert check_query(bound) == "SELECT" and len(_values_blocks(bound)) == 1
    typed = bind_values(sparql, {"o": Literal("2025-04-23", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))})
    assert "^^<http://www.w3.org/2001/XMLSchema#date>" in typed


@pytest.mark.parametrize("name, value", [
    ("x } DROP ALL", Literal("a")),
    ("s", URIRef("http://example.org/a> } SERVICE <http://evil/")),
])
def test_bind_values_refuses_names_and_iris_that_could_change_the_query(name: str, value: URIRef) -> None:
    with pytest.raises(QueryError):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {name: value})


def test_bind_values_refuses_updates() -> None:
    with pytest.raises(QueryError):
        bind_values("DELETE WHERE { ?s ?p ?o }", {"s": URIRef("http://a")})


def test_bind_values_without_bindings_returns_the_text() -> None:
    assert bind_values("SELECT * { ?s ?p ?o }", {}) == "SELECT * { ?s ?p ?o }"
