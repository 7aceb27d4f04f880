"""open_store: one table of built-in backends chosen by the location string."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from kg.errors import StoreError
from kg.store import BACKENDS, MemoryStore, OxigraphStore, RemoteStore, backend_for, open_store


@pytest.mark.parametrize("location, name", [
    ("memory", "memory"),
    ("http://localhost:7878/query", "remote"),
    ("HTTPS://example.org/sparql", "remote"),
    ("build/store", "oxigraph"),
    ("./memory", "oxigraph"),
    ("/abs/path", "oxigraph"),
])
def test_backend_is_chosen_by_the_string(location: str, name: str) -> None:
    assert backend_for(location).name == name


def test_the_table_ends_with_a_catch_all() -> None:
    assert BACKENDS[-1].matches("anything at all")
    assert [b.name for b in BACKENDS] == ["memory", "remote", "oxigraph"]


def test_memory() -> None:
    with open_store("memory") as st:
        assert isinstance(st, MemoryStore)
        assert not st.capabilities.persistent


def test_folder_path_like(tmp_path: Path) -> None:
    with open_store(tmp_path / "st") as st:
        assert isinstance(st, OxigraphStore)
        assert st.location == str(tmp_path / "st")


def test_remote_is_lazy_and_takes_the_update_url() -> None:
    st = open_store("http://127.0.0.1:1/sparql", update_url="http://127.0.0.1:1/up", timeout=3)
    assert isinstance(st, RemoteStore)
    assert st.update_url == "http://127.0.0.1:1/up"
    assert st._http.timeout == 3


def test_kg_store_environment_variable_is_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_STORE", "memory")
    with open_store() as st:
        assert isinstance(st, MemoryStore)


def test_default_location_is_build_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_STORE", raising=False)
    monkeypatch.chdir(tmp_path)
    with open_store() as st:
        assert st.location == "build/store"
    assert (tmp_path / "build" / "store" / "CURRENT").is_file()


def test_create_false_says_to_run_kg_build(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        open_store(tmp_path / "nothing", create=False)
    assert "run `kg build` first" in str(info.value)
    assert "\n" not in str(info.value)


def test_timeout_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_STORE_TIMEOUT", "7.5")
    st = open_store("http://127.0.0.1:1/query")
    assert isinstance(st, RemoteStore) and st._http.timeout == 7.5
    monkeypatch.setenv("KG_STORE_TIMEOUT", "soon")
    with pytest.raises(StoreError, match="KG_STORE_TIMEOUT"):
        open_store("http://127.0.0.1:1/query")


def test_empty_location_is_refused() -> None:
    with pytest.raises(StoreError, match="No store location"):
        open_store("  ")


def test_memory_read_only_refuses_writes() -> None:
    st = open_store("memory", read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        st.replace_graph(URIRef("http://g"), [(URIRef("http://s"), RDFS.label, Literal("x"))])
    st.close()
    with pytest.raises(StoreError, match="closed"):
        st.query("ASK {}")


def test_is_new_store_says_whether_opening_would_create_one(tmp_path: Path) -> None:
    from kg.store import is_new_store

    assert is_new_store(tmp_path / "typo")
    assert not (tmp_path / "typo").exists()  # asking creates nothing
    (tmp_path / "empty").mkdir()
    assert is_new_store(str(tmp_path / "empty"))
    with open_store(tmp_path / "st"):
        pass
    assert not is_new_store(tmp_path / "st")
    assert not is_new_store("memory") and not is_new_store("http://127.0.0.1:1/query")
