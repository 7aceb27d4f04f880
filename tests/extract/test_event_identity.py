"""Event identity across documents: one node per meeting, however each report names it.

The fixture texts in tests/data/event_identity/ report the (invented) 17th SOMTC in
Vientiane on 10-11 March 2026 three times: a press release ("17th ASEAN Senior
Officials Meeting on Transnational Crime"), a news story ("a meeting of the SOMTC",
giving 10 March only) and a ministry post ("Seventeenth Senior Officials Meeting on
Transnational Crime"); a fourth text reports the 18th SOMTC in Kuala Lumpur.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import XSD

from kg import KnowledgeGraph
from kg.errors import ConfigError
from kg.extract.identity import EventReport, identify_events, load_identity_rules
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.iri import document_iri
from kg.model import Document, Entity, Extraction, Fact, Mention

DATA = Path(__file__).resolve().parents[1] / "data" / "event_identity"
REPORTS = ["press-release.txt", "news-story.txt", "ministry-post.txt"]
OTHER = "other-session.txt"
ID = "https://w3id.org/kg/id/"
E17 = URIRef(ID + "event/17th-somtc")
E18 = URIRef(ID + "event/18th-somtc")
DOC = "https://w3id.org/kg/doc/"


def _rows(store: Path, sparql: str) -> list[tuple[str, ...]]:
    with KnowledgeGraph(store) as kg:
        return sorted(tuple(str(v) for v in row) for row in kg.query(sparql).rows)


def _quads(trig: Path) -> set[tuple[str, str, str, str]]:
    ds = Dataset()
    ds.parse(trig, format="trig")
    return {(s.n3(), p.n3(), o.n3(), str(getattr(g, "identifier", g))) for s, p, o, g in ds.quads((None, None, None, None))}


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory, kg_cli) -> Path:  # type: ignore[no-untyped-def]
    """``kg build tests/data/event_identity --out DIR --no-view``; returns DIR."""
    out = tmp_path_factory.mktemp("event-identity")
    kg_cli("build", str(DATA), "--out", str(out), "--no-view")
    return out


# -- through the real extractor and kg build -------------------------------------------------


def test_three_reports_of_one_meeting_give_one_event_node_with_every_name(batch: Path) -> None:
    store = batch / "store"
    in_vientiane = _rows(store, "SELECT DISTINCT ?e WHERE { ?e a kg:Event ; kg:heldIn kgid:vientiane }")
    assert in_vientiane == [(str(E17),)]
    events_per_doc = _rows(store, "SELECT DISTINCT ?g ?e WHERE { GRAPH ?g { ?e a kg:Event } }")
    assert events_per_doc == sorted([(DOC + d, str(E17)) for d in REPORTS] + [(DOC + OTHER, str(E18))])
    labels = _rows(store, f"SELECT DISTINCT ?l WHERE {{ <{E17}> rdfs:label ?l }}")
    assert labels == [("17th ASEAN Senior Officials Meeting on Transnational Crime",)]
    alts = {r[0] for r in _rows(store, f"SELECT DISTINCT ?l WHERE {{ <{E17}> skos:altLabel ?l }}")}
    assert {"meeting of the SOMTC", "Seventeenth Senior Officials Meeting on Transnational Crime"} <= alts
    report = json.loads((batch / "report.json").read_text(encoding="utf-8"))
    assert report["warning_counts"].get("W202") == 1  # the news story's node, merged away
    assert report["validation"]["conforms"] is True  # one label and one start/end date on the merged node


@pytest.mark.parametrize("doc, subject, predicate, obj, sentence_part", [
    ("press-release.txt", E17, "hostedBy", URIRef(ID + "lao-pdr"), "Lao PDR hosts the 17th"),
    ("press-release.txt", E17, "heldIn", URIRef(ID + "vientiane"), "was held in Vientiane, Lao PDR"),
    ("news-story.txt", URIRef(ID + "cambodia"), "presentedAt", E17, "Cambodia's delegation presented a report"),
    ("news-story.txt", URIRef(ID + "thailand"), "participatedIn", E17, "Thailand and Myanmar also took part"),
    ("ministry-post.txt", URIRef(ID + "ph-pnp"), "participatedIn", E17, "The Philippine National Police joined"),
])
def test_each_report_attaches_its_facts_to_the_node_with_provenance_to_its_own_sentence(
        batch: Path, doc: str, subject: URIRef, predicate: str, obj: URIRef, sentence_part: str) -> None:
    rows = _rows(batch / "store", f"""SELECT ?g ?doc ?text WHERE {{ GRAPH ?g {{
        <{subject}> kg:{predicate} <{obj}> .
        FILTER (?g = <{DOC + doc}>)
        ?st a kg:ExtractedStatement ; rdf:subject <{subject}> ; rdf:predicate kg:{predicate} ; rdf:object <{obj}> ;
            prov:wasDerivedFrom ?sent .
        ?sent dcterms:isPartOf ?doc ; kg:text ?text }} }}""")
    assert len(rows) == 1, rows
    graph, source, text = rows[0]
    assert graph == source == DOC + doc
    assert sentence_part in text


def test_a_date_the_other_reports_contradict_is_kept_as_a_conflicting_candidate(batch: Path) -> None:
    store = batch / "store"
    ends = _rows(store, f"SELECT DISTINCT ?d WHERE {{ <{E17}> kg:endDate ?d }}")
    assert ends == [("2026-03-11",)]  # press release and ministry post; the news story says 10 March only
    starts = _rows(store, f"SELECT DISTINCT ?d WHERE {{ <{E17}> kg:startDate ?d }}")
    assert starts == [("2026-03-10",)]
    held = _rows(store, f"""SELECT ?g ?d ?m WHERE {{ GRAPH ?g {{ ?c a kg:CandidateStatement ; rdf:subject <{E17}> ;
        rdf:predicate kg:endDate ; rdf:object ?d ; kg:modality ?m }} }}""")
    assert held == [(DOC + "news-story.txt", "2026-03-10", "conflicting")]


def test_another_session_of_the_same_body_stays_a_separate_node(batch: Path) -> None:
    rows = _rows(batch / "store", f"""SELECT DISTINCT ?place ?start WHERE {{
        <{E18}> a kg:Event ; kg:heldIn ?place ; kg:startDate ?start }}""")
    assert rows == [(ID + "kuala-lumpur", "2026-09-15")]
    names = _rows(batch / "store", f"SELECT DISTINCT ?l WHERE {{ <{E18}> skos:altLabel|rdfs:label ?l }}")
    assert names == [("18th ASEAN Senior Officials Meeting on Transnational Crime",), ("18th SOMTC",)]


def test_building_twice_in_another_order_gives_identical_quads(batch: Path, tmp_path: Path, kg_cli) -> None:  # type: ignore[no-untyped-def]
    files = [str(DATA / name) for name in sorted([*REPORTS, OTHER], reverse=True)]
    kg_cli("build", *files, "--out", str(tmp_path / "again"), "--no-view", "--no-validate")
    first, second = _quads(batch / "graph.trig"), _quads(tmp_path / "again" / "graph.trig")
    assert len(first) > 500
    assert first == second


def test_ingesting_one_by_one_gives_the_batch_event_iris(batch: Path, tmp_path: Path, kg_cli) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "store"
    for name in [*REPORTS, OTHER]:
        kg_cli("ingest", str(DATA / name), "--store", str(store))
    query = "SELECT DISTINCT ?g ?e ?l WHERE { GRAPH ?g { ?e a kg:Event ; rdfs:label ?l } }"
    assert _rows(store, query) == _rows(batch / "store", query)
    ends = _rows(store, f"SELECT DISTINCT ?d WHERE {{ <{E17}> kg:endDate ?d }}")
    assert ends == [("2026-03-11",)]


def test_ingest_keeps_the_iri_already_in_the_store(tmp_path: Path, kg_cli) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "store"
    kg_cli("ingest", str(DATA / "news-story.txt"), "--store", str(store))
    (stored,) = _rows(store, "SELECT DISTINCT ?e WHERE { ?e a kg:Event }")
    assert "meeting-of-the-somtc" in stored[0]
    proc = kg_cli("ingest", str(DATA / "press-release.txt"), "--store", str(store))
    assert "W202" in proc.stderr
    assert _rows(store, "SELECT DISTINCT ?e WHERE { ?e a kg:Event }") == [stored]
    assert _rows(store, "SELECT DISTINCT ?l WHERE { ?e a kg:Event ; rdfs:label ?l }") == [("meeting of the SOMTC",)]


def test_reingesting_a_document_does_not_match_its_own_old_version(tmp_path: Path, kg_cli) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "store"
    src = tmp_path / "news-story.txt"
    shutil.copy(DATA / "news-story.txt", src)
    kg_cli("ingest", str(src), "--store", str(store))
    before = _rows(store, "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    proc = kg_cli("ingest", str(src), "--store", str(store))
    assert "W202" not in proc.stderr
    assert _rows(store, "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }") == before


# -- the matching function on hand-made extractions -----------------------------------------


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def _ext(doc: str, iri: str, name: str, *, start: str | None = None, end: str | None = None,
         place: str | None = None, inner: tuple[tuple[str, str], ...] = (), published: str = "2026-03-12") -> Extraction:
    """One document reporting one event, named ``name``; ``inner`` = (surface inside the name, entity id) pairs."""
    d = Document(path=Path(doc), iri=document_iri(doc), text=name, published=dt.date.fromisoformat(published))
    ev = URIRef(ID + "event/" + iri)
    ext = Extraction(document=d)
    ext.entities[ev] = Entity(ev, "Event", name)
    ext.mentions.append(Mention(0, len(name), name, ev, 0, "name"))
    for surface, entity in inner:
        at = name.index(surface)
        e = URIRef(ID + entity)
        cls = "State" if entity in {"canada", "lao-pdr"} else "SectoralBody"
        ext.entities[e] = Entity(e, cls, surface, registry_id=entity)
        ext.mentions.append(Mention(at, at + len(surface), surface, e, 0, "gazetteer"))
    for pred, value in (("startDate", start), ("endDate", end)):
        if value:
            ext.facts.append(Fact(ev, pred, Literal(value, datatype=XSD.date), 0, "test", 0.9))
    if place:
        ext.facts.append(Fact(ev, "heldIn", URIRef(ID + place), 0, "test", 0.9))
    return ext


def _events(result) -> list[set[str]]:  # type: ignore[no-untyped-def]
    return [{str(i).rsplit("/", 1)[-1] for i, e in ext.entities.items() if e.cls == "Event"}
            for ext in result.extractions]


def test_merges_two_names_of_one_meeting_into_the_numbered_session(gazetteer: Gazetteer) -> None:
    a = _ext("a.txt", "17th-somtc", "17th SOMTC", start="2026-03-10", end="2026-03-11", place="vientiane",
             inner=(("SOMTC", "somtc"),))
    b = _ext("b.txt", "meeting-of-the-somtc-https-w3id-org-kg-doc-b-txt-1", "meeting of the SOMTC",
             start="2026-03-10", end="2026-03-10", place="vientiane")
    result = identify_events([b, a], gazetteer=gazetteer)
    assert _events(result) == [{"17th-somtc"}, {"17th-somtc"}]
    merged = result.extractions[0].entities[E17]
    assert merged.label == "17th SOMTC" and merged.alt_labels == {"meeting of the SOMTC"}
    assert [f.modality for f in result.extractions[0].candidates] == ["conflicting"]  # b's end date
    assert [w.code for w in result.warnings] == ["W202", "W203"]
    assert b.entities[URIRef(ID + "event/meeting-of-the-somtc-https-w3id-org-kg-doc-b-txt-1")]  # input unchanged


def test_the_result_does_not_depend_on_document_order(gazetteer: Gazetteer) -> None:
    exts = [_ext("a.txt", "x-workshop-on-scams", "ASEAN Workshop on Online Scam Centres", start="2026-05-04",
                 end="2026-05-05", place="bangkok"),
            _ext("b.txt", "y-workshop-on-scams", "Workshop on Online Scam Centres", start="2026-05-05",
                 end="2026-05-05", place="bangkok"),
            _ext("c.txt", "z-regional-workshop", "regional workshop on online scam centres", start="2026-05-04",
                 end="2026-05-05")]
    forward = identify_events(exts, gazetteer=gazetteer)
    backward = identify_events(exts[::-1], gazetteer=gazetteer)
    assert _events(forward) == [{"x-workshop-on-scams"}] * 3
    assert {str(e.document.path): e for e in forward.extractions} == {str(e.document.path): e for e in backward.extractions}
    assert forward.merged == backward.merged and len(forward.merged) == 2


@pytest.mark.parametrize("other, why", [
    (_ext("b.txt", "16th-somtc", "16th SOMTC", start="2026-03-10", end="2026-03-11", place="vientiane",
          inner=(("SOMTC", "somtc"),)), "conflicting ordinals"),
    (_ext("b.txt", "meeting-of-the-somtc-x", "meeting of the SOMTC", start="2026-03-20", end="2026-03-20",
          place="vientiane"), "dates that do not overlap"),
    (_ext("b.txt", "meeting-of-the-somtc-x", "meeting of the SOMTC", start="2026-03-10", end="2026-03-11",
          place="kuala-lumpur"), "different places"),
    (_ext("b.txt", "17th-somtc-canada-consultation", "17th SOMTC-Canada Consultation", start="2026-03-11",
          end="2026-03-11", place="vientiane", inner=(("SOMTC", "somtc"), ("Canada", "canada"))),
     "another body and kind"),
    (_ext("b.txt", "somtc-workshop-x", "SOMTC workshop", start="2026-03-10", end="2026-03-11", place="vientiane"),
     "another kind of event"),
    (_ext("b.txt", "ammtc-meeting-x", "meeting of the AMMTC", start="2026-03-10", end="2026-03-11",
          place="vientiane"), "another body"),
])
def test_does_not_merge(gazetteer: Gazetteer, other: Extraction, why: str) -> None:
    session = _ext("a.txt", "17th-somtc", "17th SOMTC", start="2026-03-10", end="2026-03-11", place="vientiane",
                   inner=(("SOMTC", "somtc"),))
    result = identify_events([session, other], gazetteer=gazetteer)
    assert result.merged == {}, why
    assert result.extractions == [session, other]


def test_a_city_and_its_state_are_compatible_places(gazetteer: Gazetteer) -> None:
    a = _ext("a.txt", "17th-somtc", "17th SOMTC", start="2026-03-10", end="2026-03-11", place="vientiane",
             inner=(("SOMTC", "somtc"),))
    b = _ext("b.txt", "meeting-of-the-somtc-x", "meeting of the SOMTC", start="2026-03-11", end="2026-03-11",
             place="lao-pdr")
    assert identify_events([a, b], gazetteer=gazetteer).merged == {URIRef(ID + "event/meeting-of-the-somtc-x"): E17}
    assert identify_events([a, b]).merged == {}  # without the gazetteer, Vientiane is not known to be in Lao PDR


def test_two_undated_events_never_merge_but_an_undated_report_published_during_the_meeting_does(
        gazetteer: Gazetteer) -> None:
    a = _ext("a.txt", "17th-somtc", "17th SOMTC", inner=(("SOMTC", "somtc"),))
    b = _ext("b.txt", "seventeenth-somtc-x", "Seventeenth SOMTC", inner=(("SOMTC", "somtc"),))
    assert identify_events([a, b], gazetteer=gazetteer).merged == {}
    dated = _ext("a.txt", "17th-somtc", "17th SOMTC", start="2026-03-10", end="2026-03-11",
                 inner=(("SOMTC", "somtc"),))
    assert identify_events([dated, b], gazetteer=gazetteer).merged == {URIRef(ID + "event/seventeenth-somtc-x"): E17}
    late = _ext("b.txt", "seventeenth-somtc-x", "Seventeenth SOMTC", inner=(("SOMTC", "somtc"),),
                published="2026-06-01")
    assert identify_events([dated, late], gazetteer=gazetteer).merged == {}


def test_a_stored_iri_and_label_win(gazetteer: Gazetteer) -> None:
    stored = EventReport(URIRef(ID + "event/meeting-of-the-somtc-x"), URIRef(DOC + "old.txt"),
                         dt.date(2026, 3, 12), ["meeting of the SOMTC"],
                         [("meeting of the SOMTC", ())], {dt.date(2026, 3, 10)}, {dt.date(2026, 3, 10)},
                         {URIRef(ID + "vientiane")}, stored=True)
    new = _ext("a.txt", "17th-somtc", "17th SOMTC", start="2026-03-10", end="2026-03-11", place="vientiane",
               inner=(("SOMTC", "somtc"),))
    result = identify_events([new], stored=[stored], gazetteer=gazetteer)
    assert result.merged == {E17: stored.iri}
    (ext,) = result.extractions
    event = ext.entities[stored.iri]
    assert event.label == "meeting of the SOMTC" and "17th SOMTC" in event.alt_labels
    # the store says 10 March for the end: the new report's 11 March is held back
    assert [(f.predicate, str(f.object), f.modality) for f in ext.candidates] == [("endDate", "2026-03-11", "conflicting")]


VALID_RULES = ("generic_words: [the]\nkinds: {meeting: [meeting]}\nsession_kinds: [meeting]\nmin_name_overlap: 0.6\n"
               "date_slack_days: 0\nreport_days_before: 0\nreport_days_after: 14\nundated_min_name_overlap: 1.0\n")


def test_rules_file_errors_name_the_file_and_key() -> None:
    assert load_identity_rules(VALID_RULES).min_name_overlap == 0.6
    with pytest.raises(ConfigError, match=r"event_identity\.yaml: 'min_name_overlap' must be a number from 0 to 1"):
        load_identity_rules(VALID_RULES.replace("min_name_overlap: 0.6", "min_name_overlap: 2"))
    with pytest.raises(ConfigError, match="'generic_words' must be a list of words"):
        load_identity_rules(VALID_RULES.replace("[the]", "[the, on]"))  # YAML 1.1 reads a bare `on` as true
    with pytest.raises(ConfigError, match="session_kinds names unknown kind"):
        load_identity_rules(VALID_RULES.replace("session_kinds: [meeting]", "session_kinds: [summit]"))
