"""Tests of kg.reason: inferences land in the inferred graph only, and are the ones the ontology entails."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib.namespace as ns
from rdflib import Dataset, Graph, Literal, Namespace, URIRef

import kg.reason as reason
from kg.api import KnowledgeGraph
from kg.errors import KgError
from kg.namespaces import DOC, ID, INFERRED_GRAPH, REFERENCE_GRAPH
from kg.reason import PROVENANCE_CLASSES, infer, write_inferences
from kg.store import open_store
from kg.vocab import KG

# rdflib's open DefinedNamespaces warn when pytest probes module-level names.
RDF, RDFS, OWL = ns.RDF, ns.RDFS, ns.OWL
XSD = Namespace(str(ns.XSD))
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")

SEED_DOC = DOC["000_6bd910b6c424d9d3.txt"]
HTIU = ID["bn-htiu"]
CID = ID["rbpf-cid"]
RBPF = ID["royal-brunei-police-force"]
BRUNEI = ID["brunei-darussalam"]
SOMTC = ID["somtc"]
ASEAN = ID["asean"]


def _load_trig(path: Path, location: Path) -> Path:
    """Write every graph of a TriG file to a new embedded store at ``location``."""
    ds = Dataset()
    ds.parse(path, format="trig")
    with open_store(location) as st:
        st.replace_graphs({URIRef(g.identifier): list(g) for g in ds.graphs() if len(g)})
    return location


@pytest.fixture(scope="module")
def seed_copy(seed_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of its own holding the seed build (the session's seed store stays untouched)."""
    return _load_trig(seed_build / "graph.trig", tmp_path_factory.mktemp("reason") / "store")


@pytest.fixture(scope="module")
def owl_rl(seed_copy: Path):  # type: ignore[no-untyped-def]
    """The seed store after ``KnowledgeGraph.infer("owl-rl")``: (number written, inferred graph, store quads)."""
    with KnowledgeGraph(seed_copy) as kg:
        n = kg.infer("owl-rl")
        inferred = Graph()
        for s, p, o, _g in kg.store.quads(INFERRED_GRAPH):
            inferred.add((s, p, o))
        quads = list(kg.store.quads())
    return n, inferred, quads


@pytest.fixture(scope="module")
def seed_workshop(seed_build: Path) -> URIRef:
    ds = Dataset()
    ds.parse(seed_build / "graph.trig", format="trig")
    events = {s for s, _p, _o in ds.graph(SEED_DOC).triples((None, KG.startDate, None))}
    assert len(events) == 1
    return URIRef(events.pop())


def _asserted(quads, triple) -> set[URIRef]:  # type: ignore[no-untyped-def]
    """The graphs other than the inferred one that hold ``triple``."""
    return {g for s, p, o, g in quads if (s, p, o) == triple and g != INFERRED_GRAPH}


# -- the seed build, OWL 2 RL ---------------------------------------------------


def test_owl_rl_writes_what_infer_returns(owl_rl) -> None:  # type: ignore[no-untyped-def]
    n, inferred, _quads = owl_rl
    assert n == len(inferred) > 0


def test_partof_is_transitive_in_the_inferred_graph_only(owl_rl) -> None:  # type: ignore[no-untyped-def]
    _n, inferred, quads = owl_rl
    # asserted: HTIU partOf CID (document), CID partOf RBPF (document and reference)
    assert _asserted(quads, (HTIU, KG.partOf, CID))
    assert (HTIU, KG.partOf, RBPF) in inferred
    assert not _asserted(quads, (HTIU, KG.partOf, RBPF))
    # partOf+ from HTIU reaches RBPF in one inferred hop
    assert RBPF in set(inferred.objects(HTIU, KG.partOf))


def test_haspart_inverse_of_partof(owl_rl) -> None:  # type: ignore[no-untyped-def]
    _n, inferred, quads = owl_rl
    assert (RBPF, KG.hasPart, CID) in inferred
    assert (RBPF, KG.hasPart, HTIU) in inferred  # the inverse is transitive too
    assert not _asserted(quads, (RBPF, KG.hasPart, CID))


def test_hasparticipant_inverse_of_participatedin(owl_rl, seed_workshop: URIRef) -> None:  # type: ignore[no-untyped-def]
    _n, inferred, quads = owl_rl
    assert _asserted(quads, (BRUNEI, KG.participatedIn, seed_workshop)) == {SEED_DOC}
    assert (seed_workshop, KG.hasParticipant, BRUNEI) in inferred
    assert not _asserted(quads, (seed_workshop, KG.hasParticipant, BRUNEI))


def test_hasmember_inverse_of_memberof(owl_rl) -> None:  # type: ignore[no-untyped-def]
    _n, inferred, _quads = owl_rl
    assert (ASEAN, KG.hasMember, BRUNEI) in inferred


def test_subclass_types_in_the_inferred_graph_only(owl_rl) -> None:  # type: ignore[no-untyped-def]
    _n, inferred, quads = owl_rl
    assert _asserted(quads, (SOMTC, RDF.type, KG.SectoralBody))
    for cls in (KG.Organization, ORG.OrganizationalUnit, ORG.Organization):
        assert (SOMTC, RDF.type, cls) in inferred
        assert not _asserted(quads, (SOMTC, RDF.type, cls))


def test_subproperty_triples(owl_rl, seed_workshop: URIRef) -> None:  # type: ignore[no-untyped-def]
    _n, inferred, _quads = owl_rl
    assert (BRUNEI, ORG.memberOf, ASEAN) in inferred
    assert (BRUNEI, SCHEMA.memberOf, ASEAN) in inferred
    assert (HTIU, ORG.transitiveSubOrganizationOf, RBPF) in inferred
    # a datatype subproperty keeps the literal as it was asserted
    assert (seed_workshop, SCHEMA.startDate, Literal("2025-04-23", datatype=XSD.date)) in inferred


def test_no_inferred_triple_is_asserted_elsewhere(owl_rl) -> None:  # type: ignore[no-untyped-def]
    _n, inferred, quads = owl_rl
    asserted = {(s, p, o) for s, p, o, g in quads if g != INFERRED_GRAPH}
    assert not [t for t in inferred if t in asserted]


def test_inferred_graph_holds_only_facts_about_the_data(owl_rl) -> None:  # type: ignore[no-untyped-def]
    _n, inferred, quads = owl_rl
    provenance = {s for s, p, o, _g in quads if p == RDF.type and o in PROVENANCE_CLASSES}
    for s, p, o in inferred:
        assert isinstance(s, URIRef) and not str(s).startswith(str(KG)), (s, p, o)
        assert s not in provenance, (s, p, o)
        assert not str(s).startswith(str(WD)), (s, p, o)  # owl:sameAs to Wikidata is not followed
        assert not (p == OWL.sameAs and s == o)
        assert (p, o) not in {(RDF.type, OWL.Thing), (RDF.type, RDFS.Resource)}
        assert p not in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range)


def test_document_and_reference_graphs_are_untouched(seed_build: Path, owl_rl) -> None:  # type: ignore[no-untyped-def]
    _n, _inferred, quads = owl_rl
    ds = Dataset()
    ds.parse(seed_build / "graph.trig", format="trig")
    for name in (SEED_DOC, REFERENCE_GRAPH):
        after = {(s, p, o) for s, p, o, g in quads if g == name}
        assert after == set(ds.graph(name)), name


def test_store_query_sees_inferences_by_graph(seed_copy: Path, owl_rl) -> None:  # type: ignore[no-untyped-def]
    with KnowledgeGraph(seed_copy) as kg:
        rows = kg.query("""
            SELECT DISTINCT ?g WHERE { GRAPH ?g { kgid:bn-htiu kg:partOf kgid:royal-brunei-police-force } }
        """).rows
        chain = kg.query("ASK { kgid:bn-htiu kg:partOf+ kgid:royal-brunei-police-force }").boolean
    assert [r[0] for r in rows] == [INFERRED_GRAPH]
    assert chain


def test_validation_still_conforms_after_inference(seed_copy: Path, owl_rl) -> None:  # type: ignore[no-untyped-def]
    with KnowledgeGraph(seed_copy) as kg:
        report = kg.validate()
    assert report.conforms, [v.to_dict() for v in report.violations]


# -- profiles and rewriting -------------------------------------------------------


def test_rdfs_profile_has_types_and_subproperties_but_no_owl(seed_copy: Path, seed_workshop: URIRef) -> None:
    with open_store(seed_copy, read_only=True) as st:
        inferred = infer(st, profile="rdfs")
    assert (SOMTC, RDF.type, KG.Organization) in inferred
    assert (BRUNEI, ORG.memberOf, ASEAN) in inferred
    assert (RBPF, KG.hasPart, CID) not in inferred  # inverses are OWL
    assert (seed_workshop, KG.hasParticipant, BRUNEI) not in inferred
    assert (HTIU, KG.partOf, RBPF) not in inferred  # transitivity is OWL


def test_write_inferences_replaces_the_inferred_graph() -> None:
    with open_store("memory") as st:
        for s, p, o, g in _small_dataset().quads((None, None, None, None)):
            st.add_quads([(s, p, o, g.identifier if isinstance(g, Graph) else g)])
        first = write_inferences(st, "owl-rl")
        again = write_inferences(st, "owl-rl")
        assert first == again == len(list(st.quads(INFERRED_GRAPH)))
        rdfs = write_inferences(st, "rdfs")
        assert 0 < rdfs < first == len(set(infer(st, profile="owl-rl")))
        assert not st.query(
            "ASK { GRAPH ?g { ?s <https://w3id.org/kg/ontology#hasPart> ?o } }"
        ).boolean


def test_unknown_profile_is_refused(tmp_path: Path) -> None:
    with open_store("memory") as st, pytest.raises(KgError, match="Unknown reasoning profile 'owl-dl'"):
        infer(st, profile="owl-dl")  # type: ignore[arg-type]


def test_kg_infer_command(kg_cli, tmp_path: Path, seed_build: Path) -> None:  # type: ignore[no-untyped-def]
    store = _load_trig(seed_build / "graph.trig", tmp_path / "store")
    proc = kg_cli("infer", "--store", str(store), "--profile", "rdfs")
    assert proc.stdout.startswith("Inferred ") and "(rdfs)" in proc.stdout
    with open_store(store, read_only=True) as st:
        n = len(list(st.quads(INFERRED_GRAPH)))
    assert f"Inferred {n} triples" in proc.stdout
    bad = kg_cli("infer", "--store", str(store), "--profile", "owl-dl", check=False)
    assert bad.returncode == 2


# -- small graphs -------------------------------------------------------------------


def _small_dataset() -> Dataset:
    """A reference graph and a document graph with a chain, a membership, an event and a provenance record."""
    doc = DOC["small.txt"]
    unit, dept, agency, state = ID["unit"], ID["dept"], ID["agency"], ID["state"]
    event, org = ID["event/e"], ID["org"]
    ds = Dataset()
    ref = ds.graph(REFERENCE_GRAPH)
    for t in [
        (state, RDF.type, KG.State), (state, RDFS.label, Literal("State")),
        (org, RDF.type, KG.RegionalOrganization), (org, RDFS.label, Literal("Org")),
        (org, OWL.sameAs, WD["Q1"]), (state, KG.memberOf, org),
        (agency, RDF.type, KG.GovernmentAgency), (agency, KG.agencyOf, state),
    ]:
        ref.add(t)
    g = ds.graph(doc)
    statement = URIRef(f"{doc}#fact-1")
    for t in [
        (unit, RDF.type, KG.GovernmentAgency), (dept, RDF.type, KG.GovernmentAgency),
        (unit, KG.partOf, dept), (dept, KG.partOf, agency),
        (event, RDF.type, KG.Workshop), (event, KG.startDate, Literal("2025-04-23", datatype=XSD.date)),
        (unit, KG.participatedIn, event),
        (statement, RDF.type, KG.ExtractedStatement), (statement, RDF.subject, unit),
        (statement, RDF.predicate, KG.partOf), (statement, RDF.object, dept),
    ]:
        g.add(t)
    return ds


def test_infer_reads_an_rdflib_dataset() -> None:
    inferred = infer(_small_dataset(), profile="owl-rl")
    assert (ID["unit"], KG.partOf, ID["agency"]) in inferred
    assert (ID["agency"], KG.hasPart, ID["unit"]) in inferred
    assert (ID["event/e"], KG.hasParticipant, ID["unit"]) in inferred
    assert (ID["event/e"], RDF.type, KG.Event) in inferred  # Workshop subClassOf Event
    assert (ID["org"], KG.hasMember, ID["state"]) in inferred
    assert not [t for t in inferred if WD["Q1"] in t]
    statement = URIRef(f"{DOC['small.txt']}#fact-1")
    assert not list(inferred.triples((statement, None, None)))


@pytest.mark.parametrize("profile", ["rdfs", "owl-rl"])
def test_pruned_reasoner_gives_the_same_output(profile: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ds = _small_dataset()
    pruned = set(infer(ds, profile=profile))  # type: ignore[arg-type]
    original = reason._semantics
    monkeypatch.setattr(reason, "_semantics", lambda p: original(p, prune=False))
    assert set(infer(ds, profile=profile)) == pruned  # type: ignore[arg-type]


def test_inferred_type_clashing_with_an_asserted_one_is_left_out() -> None:
    ds = _small_dataset()
    wrong = ID["org"]  # a RegionalOrganization used as the object of agencyOf (range kg:State)
    ds.graph(DOC["small.txt"]).add((ID["unit"], KG.agencyOf, wrong))
    inferred = infer(ds, profile="owl-rl")
    assert (wrong, RDF.type, KG.State) not in inferred
    assert (wrong, RDF.type, KG.Organization) in inferred  # entailed by its asserted type
    assert (ID["unit"], RDF.type, KG.Organization) in inferred  # other nodes are unaffected


def test_inferred_graph_of_a_previous_run_is_ignored() -> None:
    ds = _small_dataset()
    stale = (ID["state"], KG.partOf, ID["org"])
    ds.graph(INFERRED_GRAPH).add(stale)
    inferred = infer(ds, profile="owl-rl")
    assert stale not in inferred
    assert (ID["org"], KG.hasPart, ID["state"]) not in inferred
