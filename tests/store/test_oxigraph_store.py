"""OxigraphStore: opening, locking, read-only use, persistence and crash-safe replace."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from kg.errors import QueryError, StoreError
from kg.namespaces import DOC, ID
from kg.store import OxigraphStore, open_store

DOC_A = URIRef(DOC["a.txt"])
E = URIRef(ID["e"])
REPO = Path(__file__).resolve().parents[2]


def test_data_persists_across_opens(tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "st") as st:
        st.replace_graph(DOC_A, [(E, RDFS.label, Literal("E"))])
    with OxigraphStore(tmp_path / "st", create=False) as st:
        assert st.graph_names() == [DOC_A]
        assert st.capabilities.persistent and st.capabilities.transactions


def test_create_false_refuses_a_missing_store_and_says_to_build(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"No store at .*run `kg build` first"):
        OxigraphStore(tmp_path / "missing", create=False)
    assert not (tmp_path / "missing").exists()


def test_a_file_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        OxigraphStore(tmp_path / "f")


def test_a_folder_of_other_things_is_not_turned_into_a_store(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "note.txt").write_text("x")
    with pytest.raises(StoreError, match="not empty"):
        OxigraphStore(tmp_path / "docs")


#: What a creation killed before CURRENT leaves (seen by killing pyoxigraph.Store(path) at 0-50 ms).
CREATION_LEFTOVERS = {"LOCK": b"", "LOG": b"RocksDB version: 9\n", "IDENTITY": b"0d4c" * 9,
                      "MANIFEST-000001": bytes(52), "000001.dbtmp": b"MANIFEST-000001\n"}


def _write_files(folder: Path, files: dict[str, bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)


def test_a_new_store_is_created_whole_and_says_so(tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "a" / "st") as st:
        assert st.created
        assert (tmp_path / "a" / "st" / "CURRENT").is_file()
    assert os.listdir(tmp_path / "a") == ["st"]  # no hidden folder left beside it
    with OxigraphStore(tmp_path / "a" / "st") as st:
        assert not st.created


def test_an_empty_folder_becomes_the_store(tmp_path: Path) -> None:
    (tmp_path / "st").mkdir()
    with OxigraphStore(tmp_path / "st") as st:
        assert st.created
        st.replace_graph(DOC_A, [(E, RDFS.label, Literal("E"))])
    with OxigraphStore(tmp_path / "st", create=False) as st:
        assert len(st) == 1


def test_a_folder_of_creation_leftovers_is_cleared_and_becomes_the_store(tmp_path: Path) -> None:
    _write_files(tmp_path / "st", CREATION_LEFTOVERS)
    with OxigraphStore(tmp_path / "st") as st:
        assert st.created and len(st) == 0
        st.replace_graph(DOC_A, [(E, RDFS.label, Literal("E"))])
    with OxigraphStore(tmp_path / "st", create=False) as st:
        assert len(st) == 1


def test_leftovers_are_not_cleared_when_opening_without_create(tmp_path: Path) -> None:
    _write_files(tmp_path / "st", CREATION_LEFTOVERS)
    for read_only in (False, True):
        with pytest.raises(StoreError, match="No store at"):
            OxigraphStore(tmp_path / "st", create=False, read_only=read_only)
    assert sorted(os.listdir(tmp_path / "st")) == sorted(CREATION_LEFTOVERS)


@pytest.mark.parametrize("extra", [
    {"000009.sst": b"data"},  # a table file: data
    {"000004.log": b"\x01" * 40},  # a write-ahead log with content
    {"notes.txt": b"mine"},  # a file kg does not know
    {"MANIFEST-000001": bytes(200_000)},  # far larger than a new store's
])
def test_leftovers_with_anything_that_may_be_data_are_never_deleted(tmp_path: Path, extra: dict[str, bytes]) -> None:
    files = {**CREATION_LEFTOVERS, **extra}
    _write_files(tmp_path / "st", files)
    with pytest.raises(StoreError, match="not empty and holds no store"):
        OxigraphStore(tmp_path / "st")
    assert {p.name: p.read_bytes() for p in (tmp_path / "st").iterdir()} == files


def test_leftovers_of_a_creation_still_running_in_another_process_are_kept(tmp_path: Path) -> None:
    _write_files(tmp_path / "st", CREATION_LEFTOVERS)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR); "
                               "fcntl.lockf(fd, fcntl.LOCK_EX); print('ok', flush=True); sys.stdin.read()",
         str(tmp_path / "st" / "LOCK")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"ok"
        with pytest.raises(StoreError, match="another process is creating one there"):
            OxigraphStore(tmp_path / "st")
        assert sorted(os.listdir(tmp_path / "st")) == sorted(CREATION_LEFTOVERS)
    finally:
        holder.kill()
        holder.wait()


def test_a_killed_creation_beside_the_store_is_cleared(tmp_path: Path) -> None:
    _write_files(tmp_path / ".st.kg-new-0badc0de", CREATION_LEFTOVERS)
    _write_files(tmp_path / ".other.kg-new-0badc0de", CREATION_LEFTOVERS)  # another store's: not touched
    with OxigraphStore(tmp_path / "st") as st:
        assert st.created
    assert sorted(os.listdir(tmp_path)) == [".other.kg-new-0badc0de", "st"]


def test_a_store_held_by_another_process_is_reported_as_locked(tmp_path: Path) -> None:
    location = tmp_path / "st"
    OxigraphStore(location).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); print('ok', flush=True); "
                               "sys.stdin.read()", str(location)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"ok"
        with pytest.raises(StoreError, match="is another kg process using it"):
            OxigraphStore(location)
        with OxigraphStore(location, read_only=True) as ro:  # reading needs no lock
            assert len(ro) == 0
    finally:
        holder.kill()
        holder.wait()


def test_read_only_reads_and_refuses_writes(tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "st") as st:
        st.replace_graph(DOC_A, [(E, RDFS.label, Literal("E"))])
    with open_store(tmp_path / "st", read_only=True) as ro:
        assert not ro.capabilities.update
        assert ro.query("SELECT ?l WHERE { ?s ?p ?l }").rows == [(Literal("E"),)]
        for write in (lambda: ro.replace_graph(DOC_A, []), lambda: ro.drop_graph(DOC_A),
                      lambda: ro.update("CLEAR ALL"), lambda: ro.add_quads([])):
            with pytest.raises(StoreError, match="read-only"):
                write()


def test_read_only_needs_an_existing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run `kg build` first"):
        OxigraphStore(tmp_path / "nothing", read_only=True)


def test_a_closed_store_says_so(tmp_path: Path) -> None:
    st = OxigraphStore(tmp_path / "st")
    st.close()
    st.close()  # twice is fine
    with pytest.raises(StoreError, match="closed"):
        st.query("ASK {}")
    OxigraphStore(tmp_path / "st").close()  # the lock was released


def test_in_memory_oxigraph_store() -> None:
    with OxigraphStore() as st:
        assert not st.capabilities.persistent
        st.replace_graph(DOC_A, [(E, RDFS.label, Literal("E"))])
        assert len(st) == 1


def test_len_and_quads_ignore_the_default_graph() -> None:
    with OxigraphStore() as st:
        st.update('INSERT DATA { <http://a> <http://b> "default" }')
        st.replace_graph(DOC_A, [(E, RDFS.label, Literal("E"))])
        assert len(st) == 1
        assert [q[3] for q in st.quads()] == [DOC_A]


def test_union_default_graph_is_a_bag() -> None:
    with OxigraphStore() as st:
        st.replace_graph(DOC_A, [(E, RDFS.label, Literal("E"))])
        st.replace_graph(URIRef(DOC["b.txt"]), [(E, RDFS.label, Literal("E"))])
        assert len(st.query("SELECT ?l WHERE { ?s ?p ?l }").rows) == 2
        assert len(st.query("SELECT DISTINCT ?l WHERE { ?s ?p ?l }").rows) == 1


def test_binding_an_unprojected_variable_falls_back_to_values() -> None:
    with OxigraphStore() as st:
        st.replace_graph(DOC_A, [(E, RDFS.label, Literal("E")), (URIRef(ID["f"]), RDFS.label, Literal("F"))])
        result = st.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?l }", bindings={"l": Literal("F")})
        assert result.rows == [(Literal(1),)]


def test_invalid_graph_name_is_a_store_error() -> None:
    with OxigraphStore() as st, pytest.raises(StoreError, match="graph"):
        st.replace_graph(URIRef("not an iri"), [(E, RDFS.label, Literal("E"))])


def test_replace_graphs_batches_many_graphs(monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.store.oxigraph as module

    monkeypatch.setattr(module, "BATCH_TRIPLES", 3)
    with OxigraphStore() as st:
        graphs = {URIRef(DOC[f"d{i}.txt"]): [(E, RDFS.label, Literal(f"L{i}")), (E, RDFS.comment, Literal("c"))]
                  for i in range(5)}
        st.replace_graphs(graphs)
        assert len(st.graph_names()) == 5 and len(st) == 10


def test_update_error_is_a_query_error_and_writes_nothing() -> None:
    with OxigraphStore() as st:
        with pytest.raises(QueryError, match="line 1"):
            st.update("INSERT DATA { GRAPH <http://g> { <http://a> <http://b> 1 } } ; DROP ALL ; nonsense")
        assert len(st) == 0


CHILD = textwrap.dedent("""
    import sys
    from rdflib import Literal, URIRef
    from kg.store import OxigraphStore
    st = OxigraphStore(sys.argv[1])
    g = URIRef("https://w3id.org/kg/doc/a.txt")
    st.replace_graph(g, [(URIRef(f"https://w3id.org/kg/id/old{i}"), URIRef("http://p"), Literal(i)) for i in range(100)])
    st._store.flush()
    new = [(URIRef(f"https://w3id.org/kg/id/new{i}"), URIRef("http://p"), Literal(i)) for i in range(int(sys.argv[2]))]
    print("writing", flush=True)
    st.replace_graph(g, new)
    print("done", flush=True)
    st.close()
""")


@pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")
def test_a_process_killed_during_replace_leaves_old_or_new_content_never_a_mix(tmp_path: Path) -> None:
    location = tmp_path / "st"
    size = 200_000
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(location), str(size)], cwd=REPO,
                             stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert child.stdout is not None
    assert child.stdout.readline().strip() == b"writing"
    time.sleep(0.3)
    child.send_signal(signal.SIGKILL)
    child.wait()
    with OxigraphStore(location, create=False) as st:
        count = len(st)
        news = st.query("ASK { ?s ?p ?o FILTER(STRSTARTS(STR(?s), 'https://w3id.org/kg/id/new')) }").boolean
        olds = st.query("ASK { ?s ?p ?o FILTER(STRSTARTS(STR(?s), 'https://w3id.org/kg/id/old')) }").boolean
    assert (count, news, olds) in {(100, False, True), (size, True, False)}
