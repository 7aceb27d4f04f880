"""Docs that cannot drift: generated pages are current, examples run, links resolve, the tutorial executes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef

from kg import docsgen
from kg.cli import cli
from kg.namespaces import ID
from kg.store import open_store

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
#: Pages written by hand (generated ones are checked by docsgen --check).
HAND_WRITTEN = ("guide.md", "time.md")


# -- generated pages ---------------------------------------------------------------


def test_generated_pages_are_current() -> None:
    """``python -m kg.docsgen --check``: regenerate docs/ontology.md and docs/cli.md when this fails."""
    proc = subprocess.run([sys.executable, "-m", "kg.docsgen", "--check"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_check_fails_on_a_stale_page(tmp_path: Path) -> None:
    assert docsgen.main(["--docs", str(tmp_path)]) == 0
    assert docsgen.main(["--check", "--docs", str(tmp_path)]) == 0
    page = tmp_path / "cli.md"
    page.write_text(page.read_text(encoding="utf-8").replace("kg validate", "kg check"), encoding="utf-8")
    assert docsgen.main(["--check", "--docs", str(tmp_path)]) == 1
    assert docsgen.main(["--check", "--docs", str(tmp_path), "ontology"]) == 0
    (tmp_path / "ontology.md").unlink()
    assert docsgen.stale_pages(tmp_path) == [tmp_path / "ontology.md", tmp_path / "cli.md"]


def test_every_command_is_in_cli_md() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert cli.commands, "no commands registered"
    for name in cli.commands:
        assert f"\n## kg {name}\n" in text, name
        assert f"Usage: kg {name} [OPTIONS]" in text, name


def test_cli_page_does_not_depend_on_the_terminal_width() -> None:
    code = "import sys; from kg.docsgen import render_cli; sys.stdout.write(render_cli())"
    pages = {
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                       env={**os.environ, "COLUMNS": columns}).stdout
        for columns in ("40", "200")
    }
    assert len(pages) == 1


def test_ontology_page_has_a_table_per_term() -> None:
    from kg.ontology import load_ontology
    from rdflib.namespace import OWL, RDF

    text = (DOCS / "ontology.md").read_text(encoding="utf-8")
    g = load_ontology()
    kg_ns = "https://w3id.org/kg/ontology#"
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in g.subjects(RDF.type, kind):
            if str(term).startswith(kg_ns):
                local = str(term)[len(kg_ns):]
                assert f"\n### kg:{local}\n" in text, local
                assert f"| IRI | `{term}` |" in text, local
    # unions, inverses and alignments are rendered
    assert "| domain | [kg:State](#class-state) or [kg:Organization](#class-organization) |" in text
    assert "| inverse of | [kg:hasPart](#property-haspart) |" in text
    assert "subproperty of `org:transitiveSubOrganizationOf`" in text


def test_ontology_page_is_deterministic() -> None:
    assert docsgen.render_ontology() == docsgen.render_ontology()


# -- hand-written pages -------------------------------------------------------------

_LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("page", [*HAND_WRITTEN, "ontology.md", "cli.md"])
def test_relative_links_resolve(page: str) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    for target in _LINK.findall(text):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        path, _, anchor = target.partition("#")
        file = (DOCS / page).parent / path if path else DOCS / page
        assert file.exists(), f"{page}: broken link {target}"
        if anchor and file.suffix == ".md":
            body = file.read_text(encoding="utf-8")
            headings = {_slug(h) for h in re.findall(r"^#+ (.+)$", body, flags=re.M)}
            ids = set(re.findall(r'<a id="([^"]+)">', body))
            assert anchor in headings | ids, f"{page}: no anchor #{anchor} in {path or page}"


def _slug(heading: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_guide_mentions_every_command() -> None:
    text = (DOCS / "guide.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"kg {name}" in text, name


def test_guide_links_provenance_and_queries() -> None:
    text = (DOCS / "guide.md").read_text(encoding="utf-8")
    assert "](provenance.md)" in text and "](queries/)" in text and "](time.md)" in text


# -- docs/time.md: the example graph and the "as of" query ---------------------------


def _block(text: str, marker: str, language: str) -> str:
    """The fenced code block that follows ``<!-- example: MARKER ... -->``."""
    match = re.search(rf"<!-- example: {re.escape(marker)}[^>]*-->\s*```{language}\n(.*?)```", text, re.S)
    assert match, f"no {language} block after the marker {marker!r}"
    return match.group(1)


@pytest.fixture(scope="module")
def time_doc() -> str:
    return (DOCS / "time.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def time_store(time_doc: str, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    graph = Graph().parse(data=_block(time_doc, "graph", "turtle"), format="turtle")
    store = open_store(tmp_path_factory.mktemp("time") / "store")
    store.replace_graph(URIRef("https://w3id.org/kg/graph/curated"), list(graph))
    yield store
    store.close()


def _as_of(time_doc: str, store, role: str, day: str) -> list[str]:  # type: ignore[no-untyped-def]
    query = _block(time_doc, "as-of query", "sparql")
    assert '(kgid:asean "observer" "2024-01-01"^^xsd:date)' in query
    query = query.replace('"observer" "2024-01-01"', f'"{role}" "{day}"')
    return [str(row[0]) for row in store.query(query).rows]


def test_as_of_query_answers_as_documented(time_doc: str, time_store) -> None:  # type: ignore[no-untyped-def]
    observers = _as_of(time_doc, time_store, "observer", "2024-01-01")
    assert observers == ["Papua New Guinea", "Timor-Leste"]
    table = time_doc.split("<!-- example: result as of 2024-01-01 -->", 1)[1].split("\n\n", 1)[0]
    assert [line.split("|")[1].strip() for line in table.strip().splitlines()[2:]] == observers
    assert _as_of(time_doc, time_store, "observer", "2025-12-01") == ["Papua New Guinea"]
    assert _as_of(time_doc, time_store, "member", "2025-12-01") == ["Brunei Darussalam", "Timor-Leste"]
    # the interval is closed: the last day of observer status counts, the next does not
    assert "Timor-Leste" in _as_of(time_doc, time_store, "observer", "2025-10-25")
    assert "Timor-Leste" not in _as_of(time_doc, time_store, "observer", "2025-10-26")


def test_time_example_graph_conforms_to_the_shapes(time_doc: str) -> None:
    from kg.validate import validate

    ds = Dataset()
    curated = ds.graph(URIRef("https://w3id.org/kg/graph/curated"))
    curated.parse(data=_block(time_doc, "graph", "turtle"), format="turtle")
    assert (ID["membership/timor-leste-asean-observer"], None, None) in curated
    report = validate(ds)
    assert report.conforms, [v.to_dict() for v in report.violations]


# -- the tutorial notebook ------------------------------------------------------------


def test_tutorial_notebook_executes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run docs/tutorial.ipynb in a real Jupyter kernel (seed build only), so it cannot rot."""
    import nbclient  # test extras: nbclient, nbformat and ipykernel (the python3 kernel)
    import nbformat

    monkeypatch.setenv("KG_TUTORIAL_SKIP_DEV", "1")  # inherited by the kernel
    notebook = nbformat.read(DOCS / "tutorial.ipynb", as_version=4)
    assert not any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), \
        "commit the notebook without outputs"
    t0 = time.perf_counter()
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(DOCS)}}).execute()
    seconds = time.perf_counter() - t0
    text = "\n".join(
        output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
        for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    )
    assert "dev corpus: skipped" in text
    assert "SHACL conforms: True" in text
    assert "Royal Brunei Police Force" in text and "kg-tutorial" in text
    assert any("text/html" in output.get("data", {}) for output in notebook.cells[-2].outputs), "no inline view"
    assert seconds < 120, f"the tutorial took {seconds:.0f} s; keep it under a minute"


def test_time_doc_claim_reversed_interval_is_a_violation(time_doc: str) -> None:
    """time.md says SHACL checks validFrom <= validUntil."""
    from kg.validate import validate

    text = _block(time_doc, "graph", "turtle").replace('"2022-11-11"^^xsd:date', '"2025-11-11"^^xsd:date')
    ds = Dataset()
    ds.graph(URIRef("https://w3id.org/kg/graph/curated")).parse(data=text, format="turtle")
    report = validate(ds)
    assert not report.conforms
    assert [v.shape for v in report.violations] == ["https://w3id.org/kg/shapes#Membership-validFrom"]
