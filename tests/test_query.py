"""kg.query: saved queries, predeclared prefixes, and the four result formats."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from kg.errors import InputError
from kg.namespaces import ID, KG, PREFIXES
from kg.query import compact_iri, format_result, prepare_query, read_query, turtle_term
from kg.store import open_store
from kg.store.base import QueryResult

BRUNEI = URIRef(ID["brunei-darussalam"])
TRICKY = 'Brunei, "the" abode\tof\npeace'


def select() -> QueryResult:
    return QueryResult(
        "select",
        variables=["s", "label", "n", "missing"],
        rows=[
            (BRUNEI, Literal(TRICKY, lang="en"), Literal(3), None),
            (BNode("b1"), Literal("plain"), Literal(Decimal("0.9")), Literal("2025-04-29", datatype=XSD.date)),
        ],
    )


# -- read_query ----------------------------------------------------------------------


def test_read_query_reads_a_rq_file(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    assert read_query(str(path)) == "SELECT * WHERE { ?s ?p ?o }\n"


def test_read_query_returns_query_text_unchanged() -> None:
    text = "SELECT ?s WHERE { ?s a kg:Event }"
    assert read_query(text) == text


def test_a_missing_rq_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"Query file .*missing\.rq not found"):
        read_query(str(tmp_path / "missing.rq"))


def test_an_empty_query_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Empty"):
        read_query("   ")
    (tmp_path / "e.rq").write_text("\n")
    with pytest.raises(InputError, match="empty"):
        read_query(str(tmp_path / "e.rq"))


def test_a_non_utf8_query_file_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "l.rq").write_bytes(b"SELECT * { ?s ?p \"caf\xe9\" }")
    with pytest.raises(InputError, match="UTF-8"):
        read_query(str(tmp_path / "l.rq"))


# -- prepare_query -------------------------------------------------------------------


def test_prepare_query_declares_only_used_undeclared_prefixes() -> None:
    text = prepare_query('PREFIX kg: <http://other/>\nSELECT ?s WHERE { ?s a kg:X ; rdfs:label "prov:no" ; skos:altLabel ?a }')
    first = text.split("\n")[0]  # added on the first line, so error line numbers stay the user's
    assert first == (f"PREFIX rdfs: <{PREFIXES['rdfs']}> PREFIX skos: <{PREFIXES['skos']}> "
                     "PREFIX kg: <http://other/>")  # the query's own declaration is kept, not overridden
    assert "prov:" not in text.split("SELECT")[0]


def test_prepare_query_leaves_a_complete_query_alone() -> None:
    query = "SELECT * WHERE { ?s <http://x/p> ?o }"
    assert prepare_query(query) == query


def test_prepared_query_runs() -> None:
    with open_store("memory") as st:
        st.replace_graph(URIRef("https://w3id.org/kg/doc/a"), [(BRUNEI, RDFS.label, Literal("Brunei"))])
        assert st.query(prepare_query("SELECT ?l WHERE { kgid:brunei-darussalam rdfs:label ?l }")).rows == [
            (Literal("Brunei"),)]


# -- SELECT formats ----------------------------------------------------------------------


def test_csv_follows_sparql_csv() -> None:
    text = format_result(select(), "csv")
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["s", "label", "n", "missing"]
    assert rows[1] == [str(BRUNEI), TRICKY, "3", ""]
    assert rows[2] == ["_:b1", "plain", "0.9", "2025-04-29"]


def test_tsv_follows_sparql_tsv() -> None:
    lines = format_result(select(), "tsv").split("\n")
    assert lines[0] == "?s\t?label\t?n\t?missing"
    assert lines[1] == f'<{BRUNEI}>\t"Brunei, \\"the\\" abode\\tof\\npeace"@en\t3\t'
    assert lines[2] == '_:b1\t"plain"\t0.9\t"2025-04-29"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert lines[3] == "" and len(lines) == 4


def test_json_follows_sparql_json() -> None:
    data = json.loads(format_result(select(), "json"))
    assert data["head"]["vars"] == ["s", "label", "n", "missing"]
    first, second = data["results"]["bindings"]
    assert first == {
        "s": {"type": "uri", "value": str(BRUNEI)},
        "label": {"type": "literal", "value": TRICKY, "xml:lang": "en"},
        "n": {"type": "literal", "value": "3", "datatype": str(XSD.integer)},
    }
    assert second["s"] == {"type": "bnode", "value": "b1"}
    assert second["label"] == {"type": "literal", "value": "plain"}


def test_json_results_parse_back_with_rdflib() -> None:
    from rdflib.query import Result

    parsed = Result.parse(io.StringIO(format_result(select(), "json")), format="json")
    assert [str(v) for v in parsed.vars] == ["s", "label", "n", "missing"]
    assert list(parsed)[0][0] == BRUNEI


def test_table_compacts_iris_and_counts_rows() -> None:
    text = format_result(select(), "table")
    assert "kgid:brunei-darussalam" in text
    assert "s" in text.splitlines()[1] and "label" in text.splitlines()[1]
    assert text.splitlines()[-1] == "2 rows"
    assert all(line == line.rstrip() for line in text.splitlines())


def test_table_of_no_rows() -> None:
    assert format_result(QueryResult("select", variables=["x"]), "table").splitlines()[-1] == "0 rows"


def test_compact_iri() -> None:
    assert compact_iri(str(KG.memberOf)) == "kg:memberOf"
    assert compact_iri(str(ID["event/asean-summit"])) == "kgid:event/asean-summit"
    assert compact_iri("https://w3id.org/kg/doc/a.txt#sentence-3") == "<https://w3id.org/kg/doc/a.txt#sentence-3>"
    assert compact_iri("http://example.org/x") == "<http://example.org/x>"


def test_turtle_term_abbreviates_only_canonical_numbers() -> None:
    assert turtle_term(Literal(3)) == "3"
    assert turtle_term(Literal(True)) == "true"
    assert turtle_term(Literal("1", datatype=XSD.decimal)) == '"1"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    assert turtle_term(Literal("x", datatype=XSD.string)) == '"x"'
    assert turtle_term(None) == ""


# -- ASK and graph results -----------------------------------------------------------------


@pytest.mark.parametrize("fmt, text", [("table", "true\n"), ("csv", "true\r\n"), ("tsv", "true\n"),
                                       ("json", '{"head": {}, "boolean": true}')])
def test_ask(fmt: str, text: str) -> None:
    assert format_result(QueryResult("ask", boolean=True), fmt) == text  # type: ignore[arg-type]


def graph_result() -> QueryResult:
    return QueryResult("graph", triples=[(BRUNEI, RDFS.label, Literal(TRICKY, lang="en")),
                                         (BRUNEI, KG.startOffset, Literal(319))])


def test_graph_table_is_turtle_with_prefixes() -> None:
    text = format_result(graph_result(), "table")
    assert "@prefix kgid:" in text and "kgid:brunei-darussalam" in text
    g = Graph()
    g.parse(data=text, format="turtle")
    assert len(g) == 2


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_graph_csv_and_tsv_are_ntriples(fmt: str) -> None:
    text = format_result(graph_result(), fmt)  # type: ignore[arg-type]
    g = Graph()
    g.parse(data=text, format="nt")
    assert set(g) == set(graph_result().triples)


def test_graph_json_is_json_ld() -> None:
    text = format_result(graph_result(), "json")
    assert json.loads(text)["@context"]["kg"] == PREFIXES["kg"]
    ds = Dataset()
    ds.parse(data=text, format="json-ld")
    assert len(ds) == 2


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown result format"):
        format_result(select(), "xml")  # type: ignore[arg-type]


def test_every_format_of_a_real_store_result() -> None:
    with open_store("memory") as st:
        st.replace_graph(URIRef("https://w3id.org/kg/doc/a"), [(BRUNEI, RDFS.label, Literal(TRICKY, lang="en"))])
        result = st.query(prepare_query("SELECT ?s ?l WHERE { ?s rdfs:label ?l }"))
    for fmt in ("table", "csv", "tsv", "json"):
        assert format_result(result, fmt)  # type: ignore[arg-type]
