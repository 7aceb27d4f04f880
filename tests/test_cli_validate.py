"""``kg validate`` through the real command line: the seed build conforms; broken graphs exit 6 naming the shape.

Each broken store is the seed build's document graph with one defect, plus the
reference graph, written with :func:`kg.store.open_store` into a store of its own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pytest
import rdflib.namespace as ns
from rdflib import Dataset, Graph, Literal, Namespace, URIRef

from kg.errors import ValidationError
from kg.namespaces import DOC, ID, REFERENCE_GRAPH
from kg.store import open_store
from kg.vocab import KG

# rdflib's open DefinedNamespaces warn when pytest probes module-level names.
RDF, RDFS = ns.RDF, ns.RDFS
XSD = Namespace(str(ns.XSD))

SEED_DOC = DOC["000_6bd910b6c424d9d3.txt"]
BRUNEI = ID["brunei-darussalam"]

Triple = tuple[URIRef, URIRef, object]


@pytest.fixture(scope="module")
def seed_graphs(seed_build: Path) -> dict[URIRef, list[Triple]]:
    """The seed build's graphs (graph.trig), as lists of triples by graph IRI."""
    ds = Dataset()
    ds.parse(seed_build / "graph.trig", format="trig")
    graphs = {URIRef(g.identifier): list(g) for g in ds.graphs() if len(g)}
    assert {SEED_DOC, REFERENCE_GRAPH} <= set(graphs)
    return graphs


def _workshop(doc: Graph) -> URIRef:
    """The one event of the seed article (the one with a start date)."""
    events = sorted({s for s, _p, _o in doc.triples((None, KG.startDate, None))})
    assert len(events) == 1, events
    return URIRef(events[0])


def _broken_store(tmp_path: Path, graphs: dict[URIRef, list[Triple]], edit: Callable[[Graph], None]) -> Path:
    """Write the reference graph and the seed document graph, changed by ``edit``, to a new store."""
    doc = Graph()
    for t in graphs[SEED_DOC]:
        doc.add(t)
    edit(doc)
    location = tmp_path / "store"
    with open_store(location) as st:
        st.replace_graph(REFERENCE_GRAPH, graphs[REFERENCE_GRAPH])
        st.replace_graph(SEED_DOC, list(doc))
    return location


def _replace_object(doc: Graph, s: URIRef, p: URIRef, old: object, new: object) -> None:
    """Replace a triple's object, and the object its provenance record names, so that only the intended shape fails."""
    doc.remove((s, p, old))
    doc.add((s, p, new))
    for statement in list(doc.subjects(RDF.object, old)):
        if (statement, RDF.subject, s) in doc and (statement, RDF.predicate, p) in doc:
            doc.set((statement, RDF.object, new))


def _validate(kg_cli, store: Path, *args: str):  # type: ignore[no-untyped-def]
    return kg_cli("validate", "--store", str(store), *args, check=False)


def _json_report(kg_cli, store: Path) -> dict:  # type: ignore[no-untyped-def, type-arg]
    proc = _validate(kg_cli, store, "--format", "json")
    assert proc.returncode == ValidationError.exit_code, proc.stderr
    return json.loads(proc.stdout)


def _shape_header(output: str, shape: str) -> bool:
    """Whether the table output has a group for exactly this shape (``kgsh:startDate (...)``)."""
    return any(line.startswith(f"{shape} (") for line in output.splitlines())


def test_seed_build_reports_no_violation(kg_cli, seed_build: Path) -> None:
    proc = _validate(kg_cli, seed_build / "store")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Conforms: no SHACL violations" in proc.stdout
    assert "Violation" not in proc.stdout


def test_seed_build_json_report_conforms(kg_cli, seed_build: Path) -> None:
    proc = _validate(kg_cli, seed_build / "store", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["conforms"] is True
    assert not [v for v in report["violations"] if v["severity"] == "Violation"]


def test_string_start_date_exits_6_naming_startdate_shape(kg_cli, seed_graphs, tmp_path: Path) -> None:
    def edit(doc: Graph) -> None:
        event = _workshop(doc)
        old = doc.value(event, KG.startDate)
        _replace_object(doc, event, KG.startDate, old, Literal("23 April"))

    store = _broken_store(tmp_path, seed_graphs, edit)
    proc = _validate(kg_cli, store)
    assert proc.returncode == 6, proc.stdout + proc.stderr
    assert _shape_header(proc.stdout, "kgsh:startDate"), proc.stdout
    assert '"23 April"' in proc.stdout  # the offending value
    assert "kgdoc:000_6bd910b6c424d9d3.txt" in proc.stdout  # its source document
    assert "Does not conform" in proc.stdout
    assert proc.stderr.startswith("kg: error:") and len(proc.stderr.strip().splitlines()) == 1


def test_two_start_dates_exit_6_with_max_count(kg_cli, seed_graphs, tmp_path: Path) -> None:
    def edit(doc: Graph) -> None:
        doc.add((_workshop(doc), KG.startDate, Literal("2025-04-22", datatype=XSD.date)))

    store = _broken_store(tmp_path, seed_graphs, edit)
    report = _json_report(kg_cli, store)
    assert report["conforms"] is False
    found = [v for v in report["violations"] if v["shape"] == "kgsh:startDate"]
    assert [v["component"] for v in found] == ["MaxCountConstraintComponent"]
    assert found[0]["source_documents"] == [str(SEED_DOC)]


def test_participated_in_a_literal_exits_6(kg_cli, seed_graphs, tmp_path: Path) -> None:
    def edit(doc: Graph) -> None:
        doc.add((BRUNEI, KG.participatedIn, Literal("the ASEAN workshop")))

    store = _broken_store(tmp_path, seed_graphs, edit)
    proc = _validate(kg_cli, store)
    assert proc.returncode == 6, proc.stdout + proc.stderr
    assert _shape_header(proc.stdout, "kgsh:participatedIn"), proc.stdout
    assert '"the ASEAN workshop"' in proc.stdout


def test_entity_without_label_exits_6(kg_cli, seed_graphs, tmp_path: Path) -> None:
    def edit(doc: Graph) -> None:
        event = _workshop(doc)  # only the document graph describes the event
        assert doc.value(event, RDFS.label) is not None
        doc.remove((event, RDFS.label, None))

    store = _broken_store(tmp_path, seed_graphs, edit)
    proc = _validate(kg_cli, store)
    assert proc.returncode == 6, proc.stdout + proc.stderr
    assert _shape_header(proc.stdout, "kgsh:label"), proc.stdout
    assert "kgid:event/asean-workshop" in proc.stdout


def test_warnings_alone_exit_0(kg_cli, seed_graphs, tmp_path: Path) -> None:
    def edit(doc: Graph) -> None:
        statement = sorted(doc.subjects(RDF.type, KG.ExtractedStatement))[0]
        doc.add((statement, KG.modality, Literal("rumoured")))

    store = _broken_store(tmp_path, seed_graphs, edit)
    proc = _validate(kg_cli, store)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _shape_header(proc.stdout, "kgsh:statement-modalityValue"), proc.stdout
    assert "Conforms: no SHACL violations (1 warning)." in proc.stdout


def test_inferred_graph_is_not_validated(seed_graphs, tmp_path: Path) -> None:
    """A range-entailed type in the inferred graph must not hide a participatedIn to an untyped IRI."""
    from kg.api import KnowledgeGraph
    from kg.namespaces import INFERRED_GRAPH

    untyped = ID["event/never-typed"]

    def edit(doc: Graph) -> None:
        doc.add((BRUNEI, KG.participatedIn, untyped))

    store = _broken_store(tmp_path, seed_graphs, edit)
    with open_store(store) as st:
        st.replace_graph(INFERRED_GRAPH, [(untyped, RDF.type, KG.Event), (untyped, RDFS.label, Literal("x"))])
    with KnowledgeGraph(store) as kg:
        report = kg.validate()
    assert not report.conforms
    assert any(v.shape.endswith("#participatedIn") and v.value == untyped for v in report.violations)
