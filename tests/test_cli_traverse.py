"""The graph commands of the command line on the seed build: kg find, neighbors, path, rank,
communities, export.

Most tests run :func:`kg.cli.main` in this process (the same entry point as the ``kg`` script,
exit codes included) to keep the suite fast; one runs ``python -m kg`` as a separate process.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import NamedTuple

import networkx as nx
import pytest

from kg.cli import main

ID = "https://w3id.org/kg/id/"
HTIU = ID + "bn-htiu"
BRUNEI = ID + "brunei-darussalam"
CHAIN = ("Human Trafficking Investigation Unit (Brunei) -partOf-> Criminal Investigation Department, Royal Brunei "
         "Police Force -partOf-> Royal Brunei Police Force -agencyOf-> Brunei Darussalam")


class Run(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture(scope="module")
def store(seed_build: Path) -> str:
    return str(seed_build / "store")


@pytest.fixture
def kg(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run ``kg ARGS...`` in this process; returns (exit code, stdout, stderr)."""

    def run(*args: str) -> Run:
        with pytest.raises(SystemExit) as stop:
            main(list(args))
        out, err = capsys.readouterr()
        return Run(int(stop.value.code or 0), out, err)

    return run


def test_find_prints_candidates_as_json_and_table(kg, store: str) -> None:  # type: ignore[no-untyped-def]
    found = json.loads(kg("find", "htiu", "--store", store, "--format", "json").stdout)
    assert found[0]["iri"] == HTIU and found[0]["match"] == "exact"
    table = kg("find", "Timor-Lésté", "-n", "2", "--store", store).stdout
    assert "Timor-Leste" in table and "kgid:timor-leste" in table and "2 candidates for 'Timor-Lésté'" in table


def test_path_prints_the_chain_with_a_sentence_under_each_hop(kg_cli, kg, store: str) -> None:  # type: ignore[no-untyped-def]
    # a separate process, the store from $KG_STORE
    out = kg_cli("path", "Human Trafficking Investigation Unit", "Brunei Darussalam", "--all", "--max-hops", "3",
                 env={"KG_STORE": store}).stdout
    lines = out.splitlines()
    assert CHAIN in lines
    at = lines.index(CHAIN)
    assert lines[at + 1] == ("  Human Trafficking Investigation Unit (Brunei) -partOf-> Criminal Investigation "
                             "Department, Royal Brunei Police Force")
    assert lines[at + 2].lstrip().startswith("Representatives from the Human Trafficking Investigation Unit")
    assert lines[at + 2].endswith("[Asean member states share information to strengthen anti-trafficking cooperation]")
    shortest = kg("path", "HTIU", "kgid:brunei-darussalam", "--store", store).stdout
    assert shortest.startswith("Path 1 of 1 (1 hop):\nHuman Trafficking Investigation Unit (Brunei) -agencyOf-> "
                               "Brunei Darussalam")
    assert "(reference graph: gazetteer)" in shortest


def test_path_json_gives_the_hops(kg, store: str) -> None:  # type: ignore[no-untyped-def]
    paths = json.loads(kg("path", "HTIU", "Brunei Darussalam", "--all", "-k", "2", "--store", store,
                              "--format", "json").stdout)
    assert [len(p) for p in paths] == [1, 2, 2]
    assert {h["predicate"] for p in paths for h in p} == {"agencyOf", "participatedIn", "partOf"}
    assert all(set(h) >= {"from", "from_label", "predicate", "direction", "to", "to_label", "sentence", "document"}
               for p in paths for h in p)


def test_neighbors_with_predicate_and_direction(kg, store: str) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(kg("neighbors", "Brunei", "--predicate", "agencyOf", "--direction", "in", "--store", store,
                             "-f", "json").stdout)
    assert rows and all(r["to"] != BRUNEI and r["from"] == BRUNEI and r["direction"] == "in" for r in rows)
    assert HTIU in {r["to"] for r in rows}
    table = kg("neighbors", "kgid:bn-htiu", "--store", store).stdout
    assert "-partOf->" in table and "Representatives from the" in table and "edge(s) from Human Trafficking" in table


def test_ambiguous_or_unknown_entity_is_a_query_error(kg, store: str) -> None:  # type: ignore[no-untyped-def]
    proc = kg("neighbors", "royal", "--store", store)
    assert proc.returncode == 5
    assert proc.stderr.startswith("kg: error: 'royal' is ambiguous: ") and "kgid:royal-brunei-police-force" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    proc = kg("path", "Foo Bar Baz", "Brunei", "--store", store)
    assert proc.returncode == 5 and "No entity matches 'Foo Bar Baz'; try `kg find \"Foo Bar Baz\"`" in proc.stderr


def test_missing_store_is_a_store_error(kg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    proc = kg("rank", "--store", str(tmp_path / "nowhere"))
    assert proc.returncode == 4 and "run `kg build` first" in proc.stderr


def test_rank_and_communities(kg, store: str) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(kg("rank", "--by", "pagerank", "--type", "State", "--store", store, "-f", "json").stdout)
    assert len(rows) == 20 and {r["type"] for r in rows} == {"State"} and rows[0]["rank"] == 1
    table = kg("rank", "--store", store, "-n", "3").stdout
    assert "top 3 by degree" in table and "kgid:asean" in table
    groups = json.loads(kg("communities", "--store", store, "-f", "json").stdout)
    assert groups[0]["id"] == 1 and groups[0]["size"] >= groups[-1]["size"] >= 2
    assert "communities" in kg("communities", "--store", store, "--members", "3").stdout


def test_export_writes_graph_files_and_rdf(kg, store: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = kg("export", "--format", "graphml", "-o", str(tmp_path / "g.graphml"), "--store", store).stdout
    assert out.strip() == f"Wrote {tmp_path / 'g.graphml'}"
    graph = nx.read_graphml(tmp_path / "g.graphml")
    assert graph.nodes[HTIU]["label"] == "Human Trafficking Investigation Unit (Brunei)"
    kg("export", "--format", "csv", "-o", str(tmp_path / "csv"), "--store", store)
    with (tmp_path / "csv" / "edges.csv").open(encoding="utf-8") as fh:
        edges = list(csv.DictReader(fh))
    assert len(edges) == graph.number_of_edges()
    kg("export", "-f", "nquads", "-o", str(tmp_path / "g.nq"), "--store", store)
    assert "<https://w3id.org/kg/graph/reference>" in (tmp_path / "g.nq").read_text(encoding="utf-8")
    proc = kg("export", "--format", "svg", "--store", store)
    assert proc.returncode == 2  # click refuses the choice
