"""The main job end to end on seeds/: files, query answers, provenance, idempotence."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from kg import KnowledgeGraph
from kg.namespaces import KG, REFERENCE_GRAPH

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

BRUNEI_AGENCIES_QUERY = """
SELECT DISTINCT ?label ?sentence WHERE {
  ?top kg:agencyOf ?state . ?state rdfs:label "Brunei Darussalam" .
  ?agency kg:partOf* ?top ; rdfs:label ?label .
  GRAPH ?doc {
    ?agency kg:participatedIn ?e .
    ?st rdf:subject ?agency ; rdf:predicate kg:participatedIn ; rdf:object ?e ; prov:wasDerivedFrom ?s .
    ?s kg:text ?sentence .
  }
}
"""


def test_build_writes_every_output(seed_build: Path) -> None:
    for name in ("graph.trig", "graph.ttl", "view.html", "report.json"):
        assert (seed_build / name).stat().st_size > 0, name
    assert (seed_build / "store").is_dir()
    report = json.loads((seed_build / "report.json").read_text())
    assert report["documents"] == 1 and report["sentences"] > 5
    assert report["triples_per_predicate"]["kg:participatedIn"] >= 4
    assert report["validation"]["conforms"] is True
    assert set(report["timings"]) >= {"extract", "store", "total"}


def test_trig_has_one_graph_per_document_and_the_reference_graph(seed_build: Path) -> None:
    ds = Dataset()
    ds.parse(seed_build / "graph.trig", format="trig")
    names = {g.identifier for g in ds.graphs()} - {ds.default_graph.identifier}
    doc = URIRef("https://w3id.org/kg/doc/000_6bd910b6c424d9d3.txt")
    assert names == {doc, REFERENCE_GRAPH}
    g = ds.graph(doc)
    assert (doc, RDF.type, KG.Document) in g
    assert (doc, DCTERMS.issued, Literal("2025-04-29", datatype=XSD.date)) in g
    assert (doc, DCTERMS.title, Literal("Asean member states share information to strengthen anti-trafficking cooperation")) in g


def test_query_answers_which_brunei_agencies_took_part_and_from_which_sentence(seed_build: Path, kg_cli) -> None:
    proc = kg_cli("query", BRUNEI_AGENCIES_QUERY, "--store", str(seed_build / "store"), "--format", "json")
    rows = json.loads(proc.stdout)["results"]["bindings"]
    labels = {r["label"]["value"] for r in rows}
    assert any("Human Trafficking Investigation Unit" in x for x in labels)
    assert any("Security and Legal Division" in x for x in labels)
    assert any("Immigration and National Registration Department" in x for x in labels)
    assert len({r["label"]["value"].split(" (")[0].split(",")[0] for r in rows}) == 3
    assert {r["sentence"]["value"] for r in rows} == {
        "Representatives from the Human Trafficking Investigation Unit of the Criminal Investigation Department at "
        "the Royal Brunei Police Force, the Security and Legal Division of the Prime Minister's Office, as well as "
        "the Immigration and National Registration Department attended the workshop."}


def test_every_fact_traces_to_its_sentence_and_offsets(seed_build: Path) -> None:
    text = (SEEDS / "000_6bd910b6c424d9d3.txt").read_text(encoding="utf-8")
    with KnowledgeGraph(seed_build / "store") as kg:
        rows = kg.query("""
            SELECT ?s ?p ?o ?sentence ?start ?end WHERE { GRAPH ?doc {
              ?st a kg:ExtractedStatement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                  prov:wasDerivedFrom ?sent .
              ?sent kg:text ?sentence ; kg:startOffset ?start ; kg:endOffset ?end .
              ?s ?p ?o . } }""").dicts()
        facts = kg.query("""SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?doc { ?s ?p ?o .
              FILTER(STRSTARTS(STR(?p), STR(kg:)) && ?p NOT IN (kg:sentenceIndex, kg:startOffset, kg:endOffset,
              kg:text, kg:anchorText, kg:mentionOf, kg:inSentence, kg:confidence, kg:rule, kg:sourcePath, kg:modality)) }
              FILTER(?doc != <https://w3id.org/kg/graph/reference>) }""").rows[0][0]
    assert len(rows) == int(facts) >= 25
    for r in rows:
        assert text[int(r["start"]):int(r["end"])] == str(r["sentence"])


def test_dates_are_normalised_using_the_publication_year(seed_build: Path) -> None:
    with KnowledgeGraph(seed_build / "store") as kg:
        rows = kg.query("SELECT DISTINCT ?s ?e WHERE { ?w kg:startDate ?s ; kg:endDate ?e ; kg:heldIn/rdfs:label 'Kuala Lumpur' }").rows
    assert rows == [(Literal("2025-04-23", datatype=XSD.date), Literal("2025-04-24", datatype=XSD.date))]


def test_one_iri_per_entity_with_label_and_alt_labels(seed_build: Path) -> None:
    with KnowledgeGraph(seed_build / "store") as kg:
        rows = kg.query("""SELECT ?label (GROUP_CONCAT(?alt; separator='|') AS ?alts) WHERE {
            kgid:somtc rdfs:label ?label . OPTIONAL { kgid:somtc skos:altLabel ?alt } } GROUP BY ?label""").rows
    assert len(rows) == 1
    label, alts = rows[0]
    assert str(label) == "ASEAN Senior Officials Meeting on Transnational Crime"
    assert "SOMTC" in str(alts).split("|")


def test_building_twice_gives_the_same_graph(seed_build: Path, tmp_path: Path, kg_cli) -> None:
    kg_cli("build", str(SEEDS), "--out", str(tmp_path), "--no-view")
    kg_cli("build", str(SEEDS), "--out", str(tmp_path), "--no-view")
    first, second = Dataset(), Dataset()
    first.parse(seed_build / "graph.trig", format="trig")
    second.parse(tmp_path / "graph.trig", format="trig")
    q1 = set(first.quads((None, None, None, None)))
    q2 = set(second.quads((None, None, None, None)))
    assert q1 == q2
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["triples"] == len(q2)  # the store holds no duplicates after the rebuild
