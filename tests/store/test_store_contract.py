"""The contract every backend keeps: memory, embedded Oxigraph, and a real Oxigraph server."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Iterator

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from kg.errors import QueryError, StoreError
from kg.namespaces import DOC, ID, KG
from kg.store.base import Capabilities, QueryResult, Store

DOC_A = URIRef(DOC["a.txt"])
DOC_B = URIRef(DOC["b.txt"])
BRUNEI = URIRef(ID["brunei-darussalam"])
ASEAN = URIRef(ID["asean"])
NASTY = 'Brunei "Darussalam" } ; DROP ALL ; # {'


def doc_a() -> list[tuple[URIRef, URIRef, Literal | URIRef]]:
    return [
        (BRUNEI, RDFS.label, Literal("Brunei", lang="en")),
        (BRUNEI, KG.memberOf, ASEAN),
        (BRUNEI, KG.startOffset, Literal(319)),
    ]


def labels(store: Store) -> set[str]:
    result = store.query(f"SELECT ?l WHERE {{ ?s <{RDFS.label}> ?l }}")
    return {str(r[0]) for r in result.rows}


def test_capabilities_and_location_are_declared(store: Store) -> None:
    assert isinstance(store.capabilities, Capabilities)
    assert store.capabilities.update
    assert isinstance(store.location, str) and store.location
    assert isinstance(store, Store)


def test_replace_twice_gives_no_duplicates(store: Store) -> None:
    store.replace_graph(DOC_A, doc_a())
    store.replace_graph(DOC_A, doc_a())
    assert len(store) == 3
    assert sorted(store.quads(DOC_A)) == sorted((s, p, o, DOC_A) for s, p, o in doc_a())
    rows = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").rows
    assert len(rows) == 3


def test_replace_removes_the_old_content(store: Store) -> None:
    store.replace_graph(DOC_A, doc_a())
    store.replace_graph(DOC_A, [(BRUNEI, RDFS.label, Literal("Negara Brunei"))])
    assert labels(store) == {"Negara Brunei"}
    assert len(store) == 1


def test_replace_with_nothing_drops_the_graph(store: Store) -> None:
    store.replace_graph(DOC_A, doc_a())
    store.replace_graph(DOC_A, [])
    assert store.graph_names() == []
    assert len(store) == 0


def test_replace_graphs_writes_each_graph(store: Store) -> None:
    store.replace_graphs({DOC_B: [(ASEAN, RDFS.label, Literal("ASEAN"))], DOC_A: doc_a()})
    assert store.graph_names() == [DOC_A, DOC_B]
    assert len(store) == 4
    store.replace_graphs({DOC_A: [], DOC_B: [(ASEAN, RDFS.label, Literal("ASEAN"))]})
    assert store.graph_names() == [DOC_B]


def test_drop_graph_removes_it_and_ignores_absent_graphs(store: Store) -> None:
    store.replace_graph(DOC_A, doc_a())
    store.replace_graph(DOC_B, [(ASEAN, RDFS.label, Literal("ASEAN"))])
    store.drop_graph(DOC_A)
    store.drop_graph(URIRef(DOC["never-there.txt"]))
    assert store.graph_names() == [DOC_B]
    assert labels(store) == {"ASEAN"}


def test_quads_of_all_graphs_name_their_graph(store: Store) -> None:
    store.replace_graph(DOC_A, doc_a())
    store.replace_graph(DOC_B, [(ASEAN, RDFS.label, Literal("ASEAN"))])
    quads = list(store.quads())
    assert len(quads) == 4
    assert {g for *_, g in quads} == {DOC_A, DOC_B}
    assert (ASEAN, RDFS.label, Literal("ASEAN"), DOC_B) in quads


def test_default_graph_is_the_union_of_named_graphs(store: Store) -> None:
    store.replace_graph(DOC_A, doc_a())
    store.replace_graph(DOC_B, [(ASEAN, RDFS.label, Literal("ASEAN"))])
    assert labels(store) == {"Brunei", "ASEAN"}
    rows = store.query(f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s <{RDFS.label}> \"ASEAN\" }} }}").rows
    assert rows == [(DOC_B,)]


def test_literals_come_back_as_rdflib_builds_them(store: Store) -> None:
    values = {
        "plain": Literal("Brunei"),
        "lang": Literal("Brunei", lang="en"),
        "integer": Literal(319),
        "decimal": Literal(Decimal("0.9")),
        "boolean": Literal(True),
        "date": Literal(dt.date(2025, 4, 29)),
        "iri": URIRef(ID["asean"]),
    }
    store.replace_graph(DOC_A, [(BRUNEI, KG[name], value) for name, value in values.items()])
    rows = dict(store.query(f"SELECT ?p ?o WHERE {{ <{BRUNEI}> ?p ?o }}").rows)
    for name, value in values.items():
        back = rows[KG[name]]
        assert back == value, name
        assert type(back) is type(value)
        if isinstance(value, Literal):
            assert back.value == value.value
            assert back.datatype == value.datatype
    assert rows[KG.plain].datatype is None  # not xsd:string


def test_select_rows_align_with_variables_and_unbound_is_none(store: Store) -> None:
    store.replace_graph(DOC_A, doc_a())
    result = store.query(
        f"SELECT ?s ?missing ?l WHERE {{ ?s <{RDFS.label}> ?l OPTIONAL {{ ?s <{KG.nothing}> ?missing }} }}")
    assert result.kind == "select"
    assert result.variables == ["s", "missing", "l"]
    assert result.rows == [(BRUNEI, None, Literal("Brunei", lang="en"))]
    assert result.dicts() == [{"s": BRUNEI, "missing": None, "l": Literal("Brunei", lang="en")}]


def test_ask_and_construct(store: Store) -> None:
    store.replace_graph(DOC_A, doc_a())
    ask = store.query(f"ASK {{ <{BRUNEI}> <{KG.memberOf}> <{ASEAN}> }}")
    assert ask.kind == "ask" and ask.boolean is True
    assert store.query(f"ASK {{ <{ASEAN}> <{KG.memberOf}> <{BRUNEI}> }}").boolean is False
    graph = store.query(f"CONSTRUCT {{ ?o <{KG.hasMember}> ?s }} WHERE {{ ?s <{KG.memberOf}> ?o }}")
    assert graph.kind == "graph"
    assert graph.triples == [(ASEAN, KG.hasMember, BRUNEI)]
    assert isinstance(graph.graph, Graph) and len(graph.graph) == 1


@pytest.mark.parametrize("name", ["l", "?l", "$l"])
def test_binding_a_nasty_literal_stays_one_query_and_finds_the_row(store: Store, name: str) -> None:
    store.replace_graph(DOC_A, doc_a() + [(ASEAN, RDFS.label, Literal(NASTY))])
    result = store.query(f"SELECT ?s WHERE {{ ?s <{RDFS.label}> ?l }}", bindings={name: Literal(NASTY)})
    assert result.rows == [(ASEAN,)]
    assert len(store) == 4  # nothing was dropped


def test_binding_a_projected_variable(store: Store) -> None:
    store.replace_graph(DOC_A, doc_a() + [(ASEAN, RDFS.label, Literal(NASTY))])
    result = store.query(f"SELECT ?s ?l WHERE {{ ?s <{RDFS.label}> ?l }}", bindings={"l": Literal(NASTY)})
    assert result.rows == [(ASEAN, Literal(NASTY))]


def test_binding_two_values_that_break_rdflib_n3(store: Store) -> None:
    # Literal.n3() writes a broken long string for a value with a newline ending in \"
    tricky = 'line one\nends with \\"'
    store.replace_graph(DOC_A, [(BRUNEI, RDFS.label, Literal(tricky)), (BRUNEI, RDFS.comment, Literal("} #"))])
    result = store.query(
        f"SELECT ?s WHERE {{ ?s <{RDFS.label}> ?a ; <{RDFS.comment}> ?b }}",
        bindings={"a": Literal(tricky), "b": Literal("} #")},
    )
    assert result.rows == [(BRUNEI,)]


def test_binding_an_iri_in_ask_and_construct(store: Store) -> None:
    store.replace_graph(DOC_A, doc_a())
    assert store.query(f"ASK {{ ?s <{KG.memberOf}> ?o }}", bindings={"o": ASEAN}).boolean is True
    assert store.query(f"ASK {{ ?s <{KG.memberOf}> ?o }}", bindings={"o": BRUNEI}).boolean is False
    result = store.query(f"CONSTRUCT {{ ?s <{KG.x}> ?o }} WHERE {{ ?s <{KG.memberOf}> ?o }}", bindings={"s": BRUNEI})
    assert result.triples == [(BRUNEI, KG.x, ASEAN)]


def test_binding_a_value_that_matches_nothing_gives_no_rows(store: Store) -> None:
    store.replace_graph(DOC_A, doc_a())
    result = store.query(f"SELECT ?s WHERE {{ ?s <{RDFS.label}> ?l }}", bindings={"l": Literal("Brunei")})
    assert result.rows == []  # the stored label is "Brunei"@en


#: Queries whose bound variable ?name is used inside a nested group, and their right answer with
#: ?name = "Brunei"@en (the answer of a substitution of ?name, as Oxigraph and rdflib give it).
NESTED_BINDINGS = {
    "filter exists": ("SELECT DISTINCT ?x WHERE { ?x ?p ?o . FILTER EXISTS { ?x <%(label)s> ?l FILTER(?l = ?name) } }",
                      [(BRUNEI,)]),
    "filter not exists": ("SELECT ?x WHERE { ?x <%(label)s> ?o FILTER NOT EXISTS { ?x <%(label)s> ?name } }",
                          [(ASEAN,)]),
    "nested group filter": ("SELECT DISTINCT ?x WHERE { ?x ?p ?o . { ?x <%(label)s> ?l FILTER(?l = ?name) } }",
                            [(BRUNEI,)]),
    "minus": ("SELECT ?x WHERE { ?x <%(label)s> ?o . MINUS { ?x <%(label)s> ?l FILTER(?l = ?name) } }",
              [(ASEAN,)]),
    "union branches": ("SELECT DISTINCT ?x WHERE { { ?x <%(label)s> ?name } UNION { ?x <%(comment)s> ?name } }",
                       [(BRUNEI,)]),
    "optional filter": ("SELECT ?x ?l WHERE { ?x <%(label)s> ?o . OPTIONAL { ?x <%(label)s> ?l FILTER(?l = ?name) } } "
                        "ORDER BY ?x", [(ASEAN, None), (BRUNEI, Literal("Brunei", lang="en"))]),
    "sub-select projecting it": ("SELECT ?x WHERE { ?x <%(member)s> ?y { SELECT ?x ?name WHERE { ?x <%(label)s> ?name } } }",
                                 [(BRUNEI,)]),
    "where group is a sub-select": ("SELECT ?x WHERE { SELECT ?x ?name WHERE { ?x <%(label)s> ?name } }",
                                    [(BRUNEI,)]),
    "ask": ("ASK { ?x <%(member)s> ?y { ?x <%(label)s> ?l FILTER(?l = ?name) } }", True),
}


@pytest.mark.parametrize("case", sorted(NESTED_BINDINGS))
def test_binding_used_inside_a_nested_group_gives_the_substituted_answer(store: Store, case: str) -> None:
    store.replace_graph(DOC_A, doc_a() + [(ASEAN, RDFS.label, Literal("ASEAN", lang="en"))])
    query, expected = NESTED_BINDINGS[case]
    result = store.query(query % {"label": RDFS.label, "comment": RDFS.comment, "member": KG.memberOf},
                         bindings={"name": Literal("Brunei", lang="en")})
    assert (result.boolean if result.kind == "ask" else result.rows) == expected


#: Bindings that cannot be applied safely by writing them into the query text: refused, not answered.
UNSAFE_BINDINGS = {
    "assigned by BIND": ("SELECT ?x WHERE { ?x <%(label)s> ?o BIND(?o AS ?name) }", "assigns it"),
    "assigned by VALUES": ('SELECT ?x WHERE { ?x <%(label)s> ?name VALUES ?name { "x" } }', "assigns it"),
    "assigned in the projection": ("SELECT ?x (STR(?o) AS ?name) WHERE { ?x <%(label)s> ?o }", "assigns it"),
    "inside a sub-select not projecting it": ("SELECT ?x WHERE { { SELECT ?x WHERE { ?x <%(label)s> ?name } } }",
                                              "sub-select"),
}


@pytest.mark.parametrize("store", ["memory", "oxigraph", "remote"], indirect=True)
@pytest.mark.parametrize("case", sorted(UNSAFE_BINDINGS))
def test_binding_that_cannot_be_applied_safely_is_a_query_error(store: Store, case: str) -> None:
    store.replace_graph(DOC_A, doc_a())
    query, fragment = UNSAFE_BINDINGS[case]
    with pytest.raises(QueryError, match=fragment) as info:
        store.query(query % {"label": RDFS.label}, bindings={"name": Literal("Brunei", lang="en")})
    assert "?name" in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("name", ["l }", "a b", "", "l#"])
def test_binding_a_bad_variable_name_is_a_query_error(store: Store, name: str) -> None:
    with pytest.raises(QueryError, match="variable"):
        store.query("SELECT ?s WHERE { ?s ?p ?l }", bindings={name: Literal("x")})


def test_syntax_error_is_a_one_line_query_error_with_position(store: Store) -> None:
    with pytest.raises(QueryError) as info:
        store.query("SELECT ?s WHERE {\n  ?s ?p \n")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("SPARQL query syntax error")
    assert "line" in message


def test_update_syntax_error_is_a_query_error(store: Store) -> None:
    with pytest.raises(QueryError):
        store.update("INSERT DATA { <http://a> <http://b> }")


class Boom(RuntimeError):
    pass


def failing_after(n: int) -> Iterator[tuple[URIRef, URIRef, Literal]]:
    for i in range(n):
        yield BRUNEI, RDFS.label, Literal(f"new {i}")
    raise Boom("extractor crashed")


def test_replace_is_atomic_when_the_triples_fail_half_way(store: Store) -> None:
    store.replace_graph(DOC_A, doc_a())
    with pytest.raises(Boom):
        store.replace_graph(DOC_A, failing_after(2))
    assert sorted(store.quads(DOC_A)) == sorted((s, p, o, DOC_A) for s, p, o in doc_a())


def test_replace_graphs_keeps_a_failing_graph(store: Store) -> None:
    store.replace_graph(DOC_A, doc_a())
    with pytest.raises(Boom):
        store.replace_graphs({DOC_A: failing_after(2)})
    assert labels(store) == {"Brunei"}


def test_an_invalid_triple_is_a_store_error_and_keeps_the_graph(store: Store) -> None:
    store.replace_graph(DOC_A, doc_a())
    with pytest.raises(StoreError, match="a.txt"):
        store.replace_graph(DOC_A, [(BRUNEI, RDFS.label, Literal("ok")), (Literal("subject"), RDFS.label, BRUNEI)])
    assert labels(store) == {"Brunei"}


def test_update_writes_named_graphs(store: Store) -> None:
    store.update(f'INSERT DATA {{ GRAPH <{DOC_B}> {{ <{ASEAN}> <{RDFS.label}> "ASEAN" }} }}')
    assert store.graph_names() == [DOC_B]
    assert labels(store) == {"ASEAN"}


def test_add_quads_loads_into_named_graphs(store: Store) -> None:
    store.replace_graph(DOC_A, doc_a())
    store.add_quads([(ASEAN, RDFS.label, Literal("ASEAN"), DOC_B), (ASEAN, KG.memberOf, ASEAN, DOC_A)])
    assert len(store) == 5
    assert store.graph_names() == [DOC_A, DOC_B]


@pytest.mark.parametrize("fmt, keeps_graphs", [("trig", True), ("nquads", True), ("turtle", False),
                                                ("ntriples", False)])
def test_dump_round_trips(store: Store, tmp_path: Path, fmt: str, keeps_graphs: bool) -> None:
    store.replace_graph(DOC_A, doc_a())
    store.replace_graph(DOC_B, [(ASEAN, RDFS.label, Literal("ASEAN")), (BRUNEI, KG.memberOf, ASEAN)])
    path = store.dump(tmp_path / f"out.{fmt}", fmt)  # type: ignore[arg-type]
    rdflib_format = {"trig": "trig", "nquads": "nquads", "turtle": "turtle", "ntriples": "nt"}[fmt]
    if keeps_graphs:
        ds = Dataset()
        ds.parse(path, format=rdflib_format)
        assert len(list(ds.quads((None, None, None, None)))) == 5
        assert {g.identifier for g in ds.graphs() if len(g)} == {DOC_A, DOC_B}
    else:
        g = Graph()
        g.parse(path, format=rdflib_format)
        assert len(g) == 4  # the memberOf triple is in both graphs, once in the union


def test_dump_refuses_an_unknown_format(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown dump format"):
        store.dump(tmp_path / "x.rdf", "rdfxml")  # type: ignore[arg-type]


def test_query_result_is_a_query_result(store: Store) -> None:
    assert isinstance(store.query("SELECT * WHERE { ?s ?p ?o }"), QueryResult)
