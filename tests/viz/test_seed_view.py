"""The view that `kg build seeds/` writes, opened offline in real headless Chromium."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from kg import KnowledgeGraph

pytestmark = pytest.mark.browser

PROVENANCE = "kg:Document, kg:Sentence, kg:Mention, kg:ExtractedStatement, kg:CandidateStatement"


def _counts(store: Path) -> tuple[int, int]:
    """Entities and distinct relations between them, counted by SPARQL (independently of kg.viz)."""
    with KnowledgeGraph(store) as kg:
        nodes = kg.query(f"""SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a ?c .
            FILTER(STRSTARTS(STR(?c), STR(kg:)) && ?c NOT IN ({PROVENANCE})) }}""").rows[0][0]
        edges = kg.query(f"""SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{
            ?s ?p ?o . ?s a ?cs . ?o a ?co .
            FILTER(STRSTARTS(STR(?p), STR(kg:)) && STRSTARTS(STR(?cs), STR(kg:)) && STRSTARTS(STR(?co), STR(kg:))
                   && ?cs NOT IN ({PROVENANCE}) && ?co NOT IN ({PROVENANCE})) }} }}""").rows[0][0]
    return int(nodes), int(edges)


def _select(page: Any, label: str) -> None:
    page.locator("#kg-search").fill(label)
    page.locator("#kg-search").press("Enter")


def _wait_selected(page: Any, iri: str, timeout_s: float = 3.0) -> None:
    nid = page.evaluate("iri => window.kgView.idOf(iri)", iri)
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if nid in page.evaluate("network.getSelectedNodes()"):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"{iri} was not selected")


def test_seed_view_holds_the_graph_offline(probe: Any, seed_build: Path, artifacts: Path) -> None:
    probe.open(seed_build / "view.html")
    page = probe.page
    nodes, edges = _counts(seed_build / "store")
    assert page.evaluate("network.body.data.nodes.length") == nodes
    assert page.evaluate("network.body.data.edges.length") == edges
    page.screenshot(path=str(artifacts / "seed-view.png"))
    probe.assert_clean()


def test_clicking_somtc_in_the_seed_view_shows_its_details(probe: Any, seed_build: Path) -> None:
    probe.open(seed_build / "view.html")
    page = probe.page
    nid = page.evaluate("iri => window.kgView.idOf(iri)", "https://w3id.org/kg/id/somtc")
    x, y = page.evaluate("""id => { network.focus(id, {scale: 1.5}); const p = network.getPositions([id])[id];
        const d = network.canvasToDOM(p); const r = document.querySelector('#kg-network canvas').getBoundingClientRect();
        return [r.left + d.x, r.top + d.y]; }""", nid)
    page.wait_for_timeout(200)
    x, y = page.evaluate("""id => { const p = network.getPositions([id])[id]; const d = network.canvasToDOM(p);
        const r = document.querySelector('#kg-network canvas').getBoundingClientRect(); return [r.left + d.x, r.top + d.y]; }""", nid)
    page.mouse.click(x, y)
    page.locator("#kg-details").wait_for(state="visible", timeout=3000)
    assert page.locator("#kg-details h2").inner_text() == "ASEAN Senior Officials Meeting on Transnational Crime"
    assert "SectoralBody" in page.locator("#kg-details").inner_text()
    probe.assert_clean()


def test_search_focuses_royal_brunei_police_force(probe: Any, seed_build: Path) -> None:
    probe.open(seed_build / "view.html")
    page = probe.page
    page.locator("#kg-search").type("Royal Brunei Police")
    page.locator("#kg-search").press("Enter")
    _wait_selected(page, "https://w3id.org/kg/id/royal-brunei-police-force")
    assert page.locator("#kg-details h2").inner_text() == "Royal Brunei Police Force"
    probe.assert_clean()


def test_markup_in_an_article_cannot_script_the_view(probe: Any, tmp_path: Path, kg_cli: Any) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "evil.txt").write_text(
        "12-05-2025\nDelegates of Malaysian Immigration <img src=x onerror=alert(1)> attended the ASEAN Workshop on "
        "Border Security in Kuala Lumpur, Malaysia, on 10 May.\nThe <script>alert(2)</script> Border Unit "
        "(BU) attended the workshop.\n", encoding="utf-8")
    kg_cli("build", str(src), "--out", str(tmp_path / "out"), "--no-validate")
    page_html = (tmp_path / "out" / "view.html").read_text(encoding="utf-8")
    assert "<img src=x onerror" not in page_html and "<script>alert(2)" not in page_html
    probe.open(tmp_path / "out" / "view.html")
    page = probe.page
    # open every edge's details: the hostile sentences are shown, as text
    for eid in page.evaluate("edges.getIds()"):
        page.evaluate("id => kgView.showEdge(id)", eid)
    page.wait_for_timeout(200)
    assert page.evaluate("document.querySelectorAll('#kg-details img, #kg-details script').length") == 0
    assert "onerror=alert(1)" in page.evaluate("JSON.stringify(kgView.data)")
    probe.assert_clean()
