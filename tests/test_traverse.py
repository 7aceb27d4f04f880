"""kg.traverse: the networkx projection of the store and what runs on it (find, neighbors, path, rank,
communities, export), on the seed build and on a miniature dataset written here."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset

from kg import traverse
from kg.errors import KgError, QueryError
from kg.store import open_store

ID = "https://w3id.org/kg/id/"
HTIU = ID + "bn-htiu"
CID = ID + "rbpf-cid"
RBPF = ID + "royal-brunei-police-force"
BRUNEI = ID + "brunei-darussalam"
TIMOR = ID + "timor-leste"
SEED_DOC = "https://w3id.org/kg/doc/000_6bd910b6c424d9d3.txt"

# A miniature dataset: one document with a fact, its record and a held-back candidate on the same
# triple; a reference graph; an inferred edge; a Membership record that must not become a node.
MINI_TRIG = """
@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix kgid: <https://w3id.org/kg/id/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://w3id.org/kg/doc/a.txt> {
  <https://w3id.org/kg/doc/a.txt> a kg:Document ; dcterms:title "Doc A" ; dcterms:issued "2025-01-02"^^xsd:date .
  <https://w3id.org/kg/doc/a.txt#sentence-1> a kg:Sentence ; kg:text "Unit U is part of Agency G." .
  <https://w3id.org/kg/doc/a.txt#sentence-2> a kg:Sentence ; kg:text "U may join the Meeting M." .
  kgid:u a kg:GovernmentAgency ; rdfs:label "Unit U (doc name)" ; skos:altLabel "UU" ; kg:partOf kgid:g .
  kgid:g a kg:GovernmentAgency ; rdfs:label "Agency G" .
  kgid:m a kg:Workshop, kg:Event ; rdfs:label "Meeting M" ; kg:startDate "2025-03-04"^^xsd:date ;
      kg:participantCount 12 .
  kgid:m kg:participatedIn kgid:g .
  <https://w3id.org/kg/doc/a.txt#fact-1> a kg:ExtractedStatement ;
      rdf:subject kgid:u ; rdf:predicate kg:partOf ; rdf:object kgid:g ;
      prov:wasDerivedFrom <https://w3id.org/kg/doc/a.txt#sentence-1> ; kg:confidence 0.9 ; kg:rule "r.partof" .
  <https://w3id.org/kg/doc/a.txt#candidate-1> a kg:CandidateStatement ;
      rdf:subject kgid:u ; rdf:predicate kg:partOf ; rdf:object kgid:g ;
      prov:wasDerivedFrom <https://w3id.org/kg/doc/a.txt#sentence-2> ; kg:confidence 0.3 ; kg:rule "r.cand" ;
      kg:modality "planned" .
  <https://w3id.org/kg/doc/a.txt#mention-1> a kg:Mention ; kg:mentionOf kgid:u ;
      kg:inSentence <https://w3id.org/kg/doc/a.txt#sentence-1> .
}
<https://w3id.org/kg/graph/reference> {
  kgid:u a kg:GovernmentAgency ; rdfs:label "Unit U" ; kg:agencyOf kgid:s ; kg:establishedIn "2011"^^xsd:gYear .
  kgid:u kg:partOf kgid:g .
  kgid:s a kg:State ; rdfs:label "Státe S" ; skos:altLabel "SS" .
  kgid:g a kg:GovernmentAgency ; rdfs:label "Agency G" ; kg:agencyOf kgid:s .
  kgid:lonely a kg:Place ; rdfs:label "Lonely Place" .
  kgid:ms a kg:Membership ; kg:member kgid:s ; kg:organization kgid:g .
}
<https://w3id.org/kg/graph/inferred> {
  kgid:s kg:memberOf kgid:g .
}
"""


def _load(store, trig: str) -> None:  # type: ignore[no-untyped-def]
    ds = Dataset()
    ds.parse(data=trig, format="trig")
    store.add_quads((s, p, o, g) for s, p, o, g in ds.quads((None, None, None, None)) if g is not None)


@pytest.fixture(scope="module")
def mini() -> nx.MultiDiGraph:
    """The miniature dataset projected from an in-memory store, inferences included."""
    with open_store("memory") as store:
        _load(store, MINI_TRIG)
        return traverse.project(store, inferred=True)


@pytest.fixture(scope="module")
def seed_graph(seed_build: Path) -> nx.MultiDiGraph:
    """The seed build projected from its Oxigraph store (opened read-only: other tests use it too)."""
    with open_store(seed_build / "store", read_only=True) as store:
        return traverse.project(store)


# -- projection -------------------------------------------------------------------------------


def test_projection_nodes_are_entities_with_literals_as_attributes(mini: nx.MultiDiGraph) -> None:
    assert set(mini) == {ID + "u", ID + "g", ID + "m", ID + "s", ID + "lonely"}
    u = mini.nodes[ID + "u"]
    assert u["label"] == "Unit U"  # the reference graph's label wins over the document's
    assert u["altLabels"] == ["Unit U (doc name)", "UU"]  # sorted case-insensitively
    assert u["type"] == "GovernmentAgency" and u["reference"] is True and u["document_count"] == 1
    assert u["establishedIn"] == "2011"
    m = mini.nodes[ID + "m"]
    assert m["type"] == "Workshop" and m["types"] == ["Event", "Workshop"]
    assert m["startDate"] == "2025-03-04" and m["participantCount"] == 12 and m["reference"] is False


def test_projection_edges_carry_provenance_without_candidates(mini: nx.MultiDiGraph) -> None:
    edge = mini.edges[ID + "u", ID + "g", "partOf"]
    assert edge["sources"] == ["document", "reference"]
    assert edge["documents"] == ["https://w3id.org/kg/doc/a.txt"]
    assert edge["confidence"] == 0.9
    document_records = [r for r in edge["provenance"] if r["source"] == "document"]
    assert document_records == [{"source": "document", "document": "https://w3id.org/kg/doc/a.txt",
                                 "sentence": "Unit U is part of Agency G.", "confidence": 0.9, "rule": "r.partof"}]
    assert mini.edges[ID + "s", ID + "g", "memberOf"]["sources"] == ["inferred"]
    # asserted in a document without a record: kept, marked as from a document
    assert mini.edges[ID + "m", ID + "g", "participatedIn"]["sources"] == ["document"]
    assert mini.graph["documents"]["https://w3id.org/kg/doc/a.txt"] == {
        "title": "Doc A", "issued": "2025-01-02", "url": None}


def test_projection_leaves_inferences_out_unless_asked() -> None:
    with open_store("memory") as store:
        _load(store, MINI_TRIG)
        asserted = traverse.project(store)
    assert not asserted.has_edge(ID + "s", ID + "g")
    assert asserted.edges[ID + "u", ID + "g", "partOf"]["sources"] == ["document", "reference"]


def test_projection_is_the_same_on_oxigraph_and_memory(tmp_path: Path, mini: nx.MultiDiGraph) -> None:
    with open_store(tmp_path / "store", create=True) as store:
        _load(store, MINI_TRIG)
        on_disk = traverse.project(store, inferred=True)
    assert dict(on_disk.nodes(data=True)) == dict(mini.nodes(data=True))
    assert sorted(on_disk.edges(keys=True, data=True)) == sorted(mini.edges(keys=True, data=True))


def test_seed_projection_has_the_article_facts_and_the_gazetteer(seed_graph: nx.MultiDiGraph) -> None:
    assert seed_graph.number_of_nodes() > 500  # the gazetteer's entities are nodes too
    assert not any("#" in n for n in seed_graph)  # no sentence, mention, statement or document nodes
    workshop = next(n for n, d in seed_graph.nodes(data=True) if d["type"] == "Event")
    attrs = seed_graph.nodes[workshop]
    assert (attrs["startDate"], attrs["endDate"], attrs["participantCount"], attrs["countryCount"]) == \
        ("2025-04-23", "2025-04-24", 33, 11)
    # two predicates between the same pair are two edges, keyed by predicate
    assert set(seed_graph[BRUNEI][workshop]) == {"participatedIn", "presentedAt"}
    part_of = seed_graph.edges[HTIU, CID, "partOf"]
    record = part_of["provenance"][0]
    assert record["document"] == SEED_DOC and record["rule"] and 0 < record["confidence"] <= 1
    assert record["sentence"].startswith("Representatives from the Human Trafficking Investigation Unit")
    assert seed_graph.edges[HTIU, BRUNEI, "agencyOf"]["sources"] == ["reference"]
    assert seed_graph.nodes[HTIU]["establishedIn"] == "2011"


# -- find -------------------------------------------------------------------------------------


def test_find_matches_acronym_exactly(seed_graph: nx.MultiDiGraph) -> None:
    best = traverse.find(seed_graph, "htiu")[0]
    assert (best["iri"], best["match"], best["score"], best["matched"]) == (HTIU, "exact", 1.0, "HTIU")


def test_find_ignores_accents_and_case(seed_graph: nx.MultiDiGraph) -> None:
    assert traverse.find(seed_graph, "TIMOR-LÉSTÉ", limit=1)[0]["iri"] == TIMOR
    assert traverse.find(seed_graph, "timor leste", limit=1)[0]["match"] == "exact"


def test_find_ranks_exact_before_prefix_before_tokens_before_fuzzy(seed_graph: nx.MultiDiGraph) -> None:
    found = traverse.find(seed_graph, "Royal Brunei", limit=10)
    matches = [c["match"] for c in found]
    assert matches == sorted(matches, key=["exact", "prefix", "tokens", "fuzzy"].index)
    assert found[0]["iri"] == RBPF and found[0]["match"] == "prefix"
    assert CID in [c["iri"] for c in found if c["match"] == "tokens"]
    assert [c["score"] for c in found] == sorted((c["score"] for c in found), reverse=True)


def test_find_offers_fuzzy_matches_for_typos(seed_graph: nx.MultiDiGraph) -> None:
    found = traverse.find(seed_graph, "Kuala Lumpor")
    assert found[0]["iri"] == ID + "kuala-lumpur" and found[0]["match"] == "fuzzy"


def test_find_reads_the_store_directly(seed_build: Path, seed_graph: nx.MultiDiGraph) -> None:
    with open_store(seed_build / "store", read_only=True) as store:
        assert traverse.find(store, "Human Trafficking Investigation Unit") == \
            traverse.find(seed_graph, "Human Trafficking Investigation Unit")


def test_find_refuses_text_without_letters(mini: nx.MultiDiGraph) -> None:
    with pytest.raises(QueryError, match="no letter or digit"):
        traverse.find(mini, " -- ")


# -- neighbors --------------------------------------------------------------------------------


def test_neighbors_of_a_name_list_each_edge_with_its_sentence(seed_graph: nx.MultiDiGraph) -> None:
    rows = traverse.neighbors(seed_graph, "Human Trafficking Investigation Unit")
    assert {(r["predicate"], r["direction"], r["to"]) for r in rows} >= {
        ("partOf", "out", CID), ("agencyOf", "out", BRUNEI)}
    part_of = next(r for r in rows if r["predicate"] == "partOf")
    assert part_of["distance"] == 1 and part_of["document"] == SEED_DOC
    assert "Criminal Investigation Department" in part_of["sentence"]


def test_neighbors_follow_only_the_given_predicates_and_direction(seed_graph: nx.MultiDiGraph) -> None:
    rows = traverse.neighbors(seed_graph, "kgid:brunei-darussalam", predicates=["kg:agencyOf"], direction="in")
    assert {r["predicate"] for r in rows} == {"agencyOf"} and {r["direction"] for r in rows} == {"in"}
    assert {HTIU, CID, RBPF} <= {r["to"] for r in rows}
    assert traverse.neighbors(seed_graph, BRUNEI, predicates=["agencyOf"], direction="out") == []


def test_neighbors_two_hops_reach_the_units_of_units(mini: nx.MultiDiGraph) -> None:
    rows = traverse.neighbors(mini, "Státe S", hops=2, predicates=["agencyOf", "partOf"])
    assert [(r["distance"], r["from"], r["to"]) for r in rows if r["distance"] == 1] == \
        [(1, ID + "s", ID + "g"), (1, ID + "s", ID + "u")]
    assert [(r["from"], r["predicate"], r["to"]) for r in rows if r["distance"] == 2] == []  # u and g: same level


def test_neighbors_of_an_ambiguous_name_list_the_candidates(seed_graph: nx.MultiDiGraph) -> None:
    with pytest.raises(QueryError, match=r"'royal' is ambiguous: .*kgid:royal-brunei-police-force"):
        traverse.neighbors(seed_graph, "royal")


def test_neighbors_reject_unknown_entities_and_predicates(seed_graph: nx.MultiDiGraph) -> None:
    with pytest.raises(QueryError, match=r"No entity matches 'Zzyzx'; try `kg find Zzyzx`"):
        traverse.neighbors(seed_graph, "Zzyzx")
    with pytest.raises(QueryError, match=r"No entity kgid:nowhere in the graph"):
        traverse.neighbors(seed_graph, "kgid:nowhere")
    with pytest.raises(QueryError, match=r"Unknown predicate 'memberof2'; use one of .*partOf"):
        traverse.neighbors(seed_graph, HTIU, predicates=["memberof2"])
    with pytest.raises(QueryError, match="direction"):
        traverse.neighbors(seed_graph, HTIU, direction="up")


# -- path -------------------------------------------------------------------------------------


def test_shortest_path_is_the_direct_reference_edge(seed_graph: nx.MultiDiGraph) -> None:
    paths = traverse.path(seed_graph, "HTIU", "Brunei Darussalam")
    assert len(paths) == 1 and len(paths[0]) == 1
    hop = paths[0][0]
    assert (hop["from"], hop["predicate"], hop["direction"], hop["to"], hop["source"]) == \
        (HTIU, "agencyOf", "out", BRUNEI, "reference")


def test_all_paths_include_the_partof_chain_with_sentences(seed_graph: nx.MultiDiGraph) -> None:
    paths = traverse.path(seed_graph, HTIU, BRUNEI, max_hops=3, all_paths=True)
    assert [len(p) for p in paths] == sorted(len(p) for p in paths) and max(len(p) for p in paths) == 3
    rendered = [traverse.render_path(p) for p in paths]
    assert ("Human Trafficking Investigation Unit (Brunei) -partOf-> Criminal Investigation Department, Royal Brunei "
            "Police Force -partOf-> Royal Brunei Police Force -agencyOf-> Brunei Darussalam") in rendered
    chain = paths[rendered.index(next(r for r in rendered if r.count("-partOf->") == 2))]
    assert all(h["sentence"] and h["document"] == SEED_DOC for h in chain)


def test_path_follows_edges_backwards(mini: nx.MultiDiGraph) -> None:
    (hops,) = traverse.path(mini, "Meeting M", "Unit U")
    assert [(h["predicate"], h["direction"]) for h in hops] == [("participatedIn", "out"), ("partOf", "in")]
    assert traverse.render_path(hops) == "Meeting M -participatedIn-> Agency G <-partOf- Unit U"


def test_path_is_empty_when_too_long_or_disconnected(mini: nx.MultiDiGraph) -> None:
    assert traverse.path(mini, "Meeting M", "Státe S", max_hops=1) == []
    assert traverse.path(mini, "Lonely Place", "Státe S") == []
    with pytest.raises(QueryError, match="same entity"):
        traverse.path(mini, "UU", "Unit U")


# -- rank and communities ---------------------------------------------------------------------


def test_rank_by_degree_and_type(seed_graph: nx.MultiDiGraph) -> None:
    top = traverse.rank(seed_graph, limit=5)
    assert top[0]["rank"] == 1 and top[0]["score"] == top[0]["degree"] == seed_graph.degree(top[0]["iri"])
    assert ID + "asean" in [r["iri"] for r in top]
    states = traverse.rank(seed_graph, by="pagerank", type="kg:State", limit=10)
    assert len(states) == 10 and {r["type"] for r in states} == {"State"}
    organizations = traverse.rank(seed_graph, type="Organization", limit=50)
    assert {r["type"] for r in organizations} <= {"RegionalOrganization", "InternationalOrganization",
                                                 "SectoralBody", "CooperationMechanism", "GovernmentAgency",
                                                 "Programme"}


def test_rank_rejects_unknown_measure_and_class(mini: nx.MultiDiGraph) -> None:
    with pytest.raises(QueryError, match="Unknown measure 'fame'"):
        traverse.rank(mini, by="fame")
    with pytest.raises(QueryError, match="Unknown class 'Country'; use one of .*State"):
        traverse.rank(mini, type="Country")


def test_pagerank_matches_the_definition() -> None:
    cycle = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "a")])
    assert traverse.pagerank(cycle) == pytest.approx({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3})
    # a -> b, b dangling: x_b = 0.15/2 + 0.85 (x_a + x_b / 2), x_a = 0.15/2 + 0.85 x_b / 2, x_a + x_b = 1
    scores = traverse.pagerank(nx.MultiDiGraph([("a", "b")]))
    assert scores["a"] + scores["b"] == pytest.approx(1)
    assert scores["a"] == pytest.approx(0.075 + 0.425 * scores["b"], abs=1e-6)
    # parallel edges weigh: a -> b twice, a -> c once
    weighted = traverse.pagerank(nx.MultiDiGraph([("a", "b"), ("a", "b"), ("a", "c")]))
    assert weighted["b"] > weighted["c"]


def test_betweenness_puts_the_hubs_first(seed_graph: nx.MultiDiGraph) -> None:
    top = traverse.rank(seed_graph, by="betweenness", limit=5)
    assert ID + "asean" in [r["iri"] for r in top] and 0 < top[0]["score"] <= 1


def test_communities_are_repeatable_and_cover_each_entity_once(seed_graph: nx.MultiDiGraph) -> None:
    first = traverse.communities(seed_graph)
    assert first == traverse.communities(seed_graph)
    sizes = [c["size"] for c in first]
    assert sizes == sorted(sizes, reverse=True) and min(sizes) >= 2
    members = [m["iri"] for c in first for m in c["members"]]
    assert len(members) == len(set(members))
    home = {m["iri"]: c["id"] for c in first for m in c["members"]}
    assert home[HTIU] == home[CID]
    assert all(c["hub"] == c["members"][0]["iri"] and sum(c["types"].values()) == c["size"] for c in first)


# -- export -----------------------------------------------------------------------------------


def test_export_graphml_and_gexf_flatten_attributes(tmp_path: Path, mini: nx.MultiDiGraph) -> None:
    traverse.export(mini, tmp_path / "g.graphml", "graphml")
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert back.number_of_nodes() == mini.number_of_nodes() and back.number_of_edges() == mini.number_of_edges()
    u = back.nodes[ID + "u"]
    assert u["altLabels"] == "Unit U (doc name) | UU" and u["reference"] == "true"
    edge = next(d for a, b, d in back.edges(data=True) if (a, b) == (ID + "u", ID + "g"))
    assert edge["predicate"] == "partOf" and json.loads(edge["provenance"])[0]["rule"] == "r.partof"
    traverse.export(mini, tmp_path / "g.gexf", "gexf")
    gexf = nx.read_gexf(tmp_path / "g.gexf")
    assert gexf.number_of_edges() == mini.number_of_edges()
    assert gexf.nodes[ID + "m"]["label"] == "Meeting M"


def test_export_csv_writes_nodes_and_edges_in_a_folder(tmp_path: Path, mini: nx.MultiDiGraph) -> None:
    written = traverse.export(mini, tmp_path / "out", "csv")
    assert written == [tmp_path / "out" / "nodes.csv", tmp_path / "out" / "edges.csv"]
    with written[0].open(encoding="utf-8") as fh:
        nodes = {row["id"]: row for row in csv.DictReader(fh)}
    assert nodes[ID + "m"]["startDate"] == "2025-03-04" and nodes[ID + "s"]["label"] == "Státe S"
    with written[1].open(encoding="utf-8") as fh:
        edges = list(csv.DictReader(fh))
    assert len(edges) == mini.number_of_edges()
    part_of = next(e for e in edges if e["predicate"] == "partOf")
    assert (part_of["sentence"], part_of["rule"], part_of["sources"]) == \
        ("Unit U is part of Agency G.", "r.partof", "document | reference")
    (tmp_path / "file").write_text("x")
    with pytest.raises(KgError, match="is a file"):
        traverse.export(mini, tmp_path / "file", "csv")
    with pytest.raises(KgError, match="Unknown graph format 'dot'"):
        traverse.export(mini, tmp_path / "g.dot", "dot")


# -- the API ----------------------------------------------------------------------------------


def test_knowledge_graph_methods_use_one_cached_projection(seed_build: Path, tmp_path: Path) -> None:
    from kg import KnowledgeGraph

    with KnowledgeGraph(seed_build / "store") as kg:
        assert kg.find("HTIU", limit=1)[0]["iri"] == HTIU  # from the store: nothing projected yet
        graph = kg.projection()
        assert kg.projection() is graph and kg.projection(refresh=True) is not graph
        assert kg.neighbors("HTIU", predicates=["partOf"])[0]["to"] == CID
        assert len(kg.path("HTIU", "Brunei Darussalam", max_hops=3, all_paths=True)) >= 3
        assert kg.rank(type="State", limit=3)[0]["type"] == "State"
        assert kg.communities()[0]["size"] >= 2
        assert kg.export(tmp_path / "g.ttl", "turtle") == [tmp_path / "g.ttl"]
        assert kg.export(tmp_path / "csv", "csv")[0].name == "nodes.csv"
        with pytest.raises(KgError, match="Unknown export format 'svg'"):
            kg.export(tmp_path / "g.svg", "svg")
    assert "kg:partOf" in (tmp_path / "g.ttl").read_text(encoding="utf-8")
