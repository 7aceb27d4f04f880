"""Incremental ingestion: add, replace a changed document, remove, through the real CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

from kg import KnowledgeGraph

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_6bd910b6c424d9d3.txt"


def _facts(store: Path, doc: str) -> set[tuple[str, str, str]]:
    with KnowledgeGraph(store) as kg:
        rows = kg.query(f"""SELECT ?s ?p ?o WHERE {{ GRAPH <https://w3id.org/kg/doc/{doc}> {{
            ?st a kg:ExtractedStatement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }} }}""").rows
    return {tuple(map(str, r)) for r in rows}


def test_ingest_replace_and_remove(tmp_path: Path, kg_cli) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEED, src / "seed.txt")
    (src / "other.txt").write_text("10-05-2025\nMalaysia hosted the 7th Regional Dialogue on Border Security in "
                                   "Penang, Malaysia, on 8 May. Delegations from Thailand and Brunei attended.\n",
                                   encoding="utf-8")
    store = tmp_path / "store"
    kg_cli("ingest", str(src / "seed.txt"), "--store", str(store))
    first = _facts(store, "seed.txt")
    with KnowledgeGraph(store) as kg:
        quads_once = len(kg.store)
    kg_cli("ingest", str(src / "seed.txt"), "--store", str(store))
    with KnowledgeGraph(store) as kg:
        assert len(kg.store) == quads_once  # re-ingesting the same text changes nothing
    kg_cli("ingest", str(src / "other.txt"), "--store", str(store))
    other = _facts(store, "other.txt")
    assert any(p.endswith("participatedIn") for _, p, _ in other)
    # the same Brunei node in both documents
    with KnowledgeGraph(store) as kg:
        graphs = kg.query("""SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { kgid:brunei-darussalam ?p ?o } }""").rows
    assert int(graphs[0][0]) == 3  # reference graph and both documents

    # a changed article replaces its earlier version: no stale facts
    (src / "seed.txt").write_text(SEED.read_text(encoding="utf-8").replace("A total of 33 participants", "A total of 40 participants"),
                                  encoding="utf-8")
    kg_cli("ingest", str(src / "seed.txt"), "--store", str(store))
    changed = _facts(store, "seed.txt")
    counts = {o for _, p, o in changed if p.endswith("participantCount")}
    assert counts == {"40"}
    assert len(changed) == len(first)

    proc = kg_cli("remove", "other.txt", "--store", str(store))
    assert "https://w3id.org/kg/doc/other.txt" in proc.stdout
    assert _facts(store, "other.txt") == set()
    assert _facts(store, "seed.txt") == changed
    missing = kg_cli("remove", "nope.txt", "--store", str(store), check=False)
    assert missing.returncode == 3 and "No document 'nope.txt'" in missing.stderr


def test_build_never_writes_to_the_store_in_KG_STORE(tmp_path: Path, seed_build: Path, kg_cli) -> None:  # type: ignore[no-untyped-def]
    # an exported KG_STORE (the default of query/ingest/...) must survive a later build elsewhere
    mine = tmp_path / "mine"
    shutil.copytree(seed_build / "store", mine)
    before = kg_cli("query", "--store", str(mine), "--format", "csv",
                    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").stdout
    other = tmp_path / "other.txt"
    other.write_text("The 3rd SARPCCO Meeting was held in Lusaka on 4 May 2025.", encoding="utf-8")
    kg_cli("build", str(other), "--out", str(tmp_path / "out"), "--no-view", "--no-validate",
           env={"KG_STORE": str(mine)})
    after = kg_cli("query", "--store", str(mine), "--format", "csv",
                   "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").stdout
    assert after == before and int(before.split()[1]) > 1000
    assert (tmp_path / "out" / "store").is_dir()
