"""RDF -> view model: which resources become nodes and edges, and what they carry."""

from __future__ import annotations

import datetime as dt

import pytest
from minigraph import (
    ASEAN,
    BRUNEI,
    DOC1,
    EDGE_COUNT,
    EVIL,
    KL,
    NODE_COUNT,
    RBPF,
    SOMTC,
    SOMTC_FULL,
    WORKSHOP,
    mini_dataset,
)
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS

from kg.errors import InputError
from kg.namespaces import ID, INFERRED_GRAPH, KG, ONTOLOGY_GRAPH, REFERENCE_GRAPH
from kg.viz.aggregate import AGGREGATE_PREFIX, fit
from kg.viz.project import project
from kg.viz.select import Selection, resolve_focus, select
from kg.viz.synthetic import synthetic_dataset


def _edges(proj):
    return {(e.s, e.p, e.o) for e in proj.edges}


def test_entities_are_nodes_and_provenance_records_are_not() -> None:
    proj = project(mini_dataset())
    assert len(proj.nodes) == NODE_COUNT
    assert str(SOMTC) in proj.nodes
    assert not any("#sentence-" in k or "#fact-" in k or "#mention-" in k or k == str(DOC1) for k in proj.nodes)


def test_every_relation_once_and_candidates_never() -> None:
    proj = project(mini_dataset())
    assert len(proj.edges) == EDGE_COUNT
    edges = _edges(proj)
    assert (str(BRUNEI), "participatedIn", str(WORKSHOP)) in edges
    assert (str(BRUNEI), "presentedAt", str(WORKSHOP)) in edges
    assert not any(p == "hostedBy" for _, p, _ in edges)  # held-back candidate


def test_edge_provenance_sentence_document_confidence() -> None:
    proj = project(mini_dataset())
    e = next(e for e in proj.edges if e.key == (str(BRUNEI), "participatedIn", str(WORKSHOP)))
    assert e.confidence == pytest.approx(0.9)
    (src,) = e.sources
    assert src.sentence.startswith("KUALA LUMPUR: Brunei's delegation")
    assert src.doc == str(DOC1) and src.rule == "participation.delegation"
    doc = proj.docs[str(DOC1)]
    assert doc.title == "Brunei joins regional workshop on trafficking"
    assert doc.issued == dt.date(2025, 4, 29) and doc.url == "https://example.org/news/1"


def test_reference_and_document_facts_are_marked() -> None:
    proj = project(mini_dataset())
    by_key = {e.key: e for e in proj.edges}
    ref_only = by_key[(str(RBPF), "agencyOf", str(BRUNEI))]
    assert ref_only.reference and not ref_only.docs and not ref_only.sources
    both = by_key[(str(SOMTC), "partOf", str(ASEAN))]
    assert both.reference and both.docs == {str(DOC1)}


def test_labels_literals_and_source_documents() -> None:
    proj = project(mini_dataset())
    somtc = proj.nodes[str(SOMTC)]
    assert somtc.label == SOMTC_FULL and somtc.alt_labels == {"SOMTC"} and somtc.primary == "SectoralBody"
    w = proj.nodes[str(WORKSHOP)]
    assert w.start == dt.date(2025, 4, 23) and w.end == dt.date(2025, 4, 24)
    assert w.attrs["participantCount"] == {"33"}
    assert len(w.docs) == 2
    assert proj.nodes[str(ASEAN)].attrs["establishedIn"] == {"1967"}


def test_plain_graph_and_subclasses_and_special_graphs() -> None:
    ds = mini_dataset()
    ds.graph(ONTOLOGY_GRAPH).add((KG.Meeting, RDFS.subClassOf, KG.Event))
    ds.graph(ONTOLOGY_GRAPH).add((KG.Meeting, RDF.type, KG.Fake))  # ignored: ontology graph
    meeting = KG["x-meeting"]
    ds.graph(INFERRED_GRAPH).add((meeting, RDF.type, KG.Meeting))
    ds.graph(INFERRED_GRAPH).add((BRUNEI, KG.participatedIn, meeting))
    proj = project(ds)
    assert proj.nodes[str(meeting)].primary == "Event"
    assert proj.nodes[str(meeting)].classes == {"Meeting", "Event"}
    e = next(e for e in proj.edges if e.o == str(meeting))
    assert e.inferred and not e.reference

    g = Graph()
    for s, p, o, _ in mini_dataset().quads((None, None, None, None)):
        g.add((s, p, o))
    flat = project(g)
    assert len(flat.nodes) == NODE_COUNT and len(flat.edges) == EDGE_COUNT
    e = next(e for e in flat.edges if e.key == (str(BRUNEI), "participatedIn", str(WORKSHOP)))
    assert e.sources[0].doc == str(DOC1)  # via the sentence's dcterms:isPartOf


def test_select_by_focus_and_hops() -> None:
    proj = project(mini_dataset())
    one, _ = select(proj, Selection(focus="SOMTC", hops=1))
    assert set(one.nodes) == {str(SOMTC), str(ASEAN), str(WORKSHOP)}
    two, _ = select(proj, Selection(focus=str(SOMTC), hops=2))
    assert str(BRUNEI) in two.nodes and str(EVIL) in two.nodes
    zero, _ = select(proj, Selection(focus="royal brunei police force", hops=0))
    assert set(zero.nodes) == {str(RBPF)}


def test_select_by_types_and_predicates() -> None:
    proj = project(mini_dataset())
    states, notes = select(proj, Selection(types=("State", "kg:RegionalOrganization", "Nonsense")))
    assert set(states.nodes) == {str(BRUNEI), str(ASEAN)}
    assert _edges(states) == {(str(BRUNEI), "memberOf", str(ASEAN))}
    assert notes == ["no entity has class Nonsense"]
    part, _ = select(proj, Selection(predicates=(str(KG.participatedIn),)))
    assert {p for _, p, _ in _edges(part)} == {"participatedIn"}
    assert len(part.nodes) == NODE_COUNT  # nodes stay; only relations are filtered


def test_select_by_dates() -> None:
    proj = project(mini_dataset())
    before, _ = select(proj, Selection(until=dt.date(2025, 4, 1)))
    assert str(WORKSHOP) not in before.nodes
    assert all(e.reference for e in before.edges)
    assert str(KL) not in before.nodes  # its only relation is the workshop's
    may, _ = select(proj, Selection(since=dt.date(2025, 5, 1)))
    # the workshop (April) is out; the hostile document (2 May) loses its only fact with it
    assert str(WORKSHOP) not in may.nodes and str(EVIL) not in may.nodes
    assert str(SOMTC) in may.nodes  # keeps its reference relation


def test_select_errors_name_the_fix() -> None:
    proj = project(mini_dataset())
    with pytest.raises(InputError, match="No entity is named 'Atlantis'"):
        resolve_focus(proj, "Atlantis")
    with pytest.raises(InputError, match="hops"):
        select(proj, Selection(focus="SOMTC", hops=-1))
    with pytest.raises(InputError, match="swap"):
        select(proj, Selection(since=dt.date(2025, 5, 1), until=dt.date(2025, 1, 1)))


def test_fit_merges_leaves_into_groups_first() -> None:
    ds = mini_dataset()
    ref = ds.graph(REFERENCE_GRAPH)
    for i in range(30):  # 30 people who each hold one post at the RBPF
        person = ID[f"officer-{i}"]
        ref.add((person, RDF.type, KG.Person))
        ref.add((person, RDFS.label, Literal(f"Officer {i}")))
        ref.add((person, KG.affiliatedWith, RBPF))
    proj = project(ds)
    small, red = fit(proj, 20)
    assert (red.merged, red.groups, red.dropped) == (30, 1, 0)
    (group,) = [n for k, n in small.nodes.items() if k.startswith(AGGREGATE_PREFIX)]
    assert group.label == "30 Person" and len(group.members) == 30
    (edge,) = [e for e in small.edges if e.s == group.iri]
    assert (edge.p, edge.o, edge.aggregate) == ("affiliatedWith", str(RBPF), 30)
    assert len(small.nodes) == NODE_COUNT + 1


def test_fit_drops_least_connected_when_merging_is_not_enough() -> None:
    proj = project(synthetic_dataset(400, seed=2, provenance=False))
    small, red = fit(proj, 150)
    assert len(small.nodes) == 150 and red.changed and red.before == 400 and red.dropped > 0
    assert all(e.s in small.nodes and e.o in small.nodes for e in small.edges)
    assert "Showing 150 nodes for 400 entities" in red.message(len(small.nodes))
    same, red2 = fit(proj, 400)
    assert same is proj and not red2.changed


def test_untyped_and_literal_objects_never_become_nodes() -> None:
    ds = mini_dataset()
    ds.graph(DOC1).add((BRUNEI, KG.partOf, KG["untyped-thing"]))
    ds.graph(DOC1).add((BRUNEI, KG.memberOf, Literal("ASEAN")))
    proj = project(ds)
    assert len(proj.nodes) == NODE_COUNT and len(proj.edges) == EDGE_COUNT
