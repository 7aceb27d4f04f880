"""The HTML view in real headless Chromium, offline: counts, clicks, search, filters, safety."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from minigraph import (
    BRUNEI,
    DOC1,
    EDGE_COUNT,
    EVIL,
    EVIL_NAME,
    KL,
    NODE_COUNT,
    RBPF,
    SOMTC,
    SOMTC_FULL,
    WORKSHOP,
)

from kg.viz import View, write_view
from kg.viz.synthetic import synthetic_dataset

pytestmark = pytest.mark.browser


def _render(ds: Any, tmp_path: Path, **options: Any) -> Path:
    out = tmp_path / "view.html"
    write_view(ds, out, title="Mini seed", **options)
    return out


def _node_id(page: Any, iri: str) -> int:
    nid = page.evaluate("iri => window.kgView.idOf(iri)", str(iri))
    assert nid is not None, f"{iri} is not drawn"
    return int(nid)


def _click_node(page: Any, nid: int) -> None:
    """Click a node where it is drawn (network.getPositions + canvasToDOM)."""
    x, y = page.evaluate(
        """id => {
            const p = network.getPositions([id])[id];
            const d = network.canvasToDOM(p);
            const r = document.querySelector('#kg-network canvas').getBoundingClientRect();
            return [r.left + d.x, r.top + d.y];
        }""",
        nid,
    )
    page.mouse.click(x, y)


def test_opens_offline_with_every_entity_and_relation(probe: Any, mini: Any, tmp_path: Path) -> None:
    probe.open(_render(mini, tmp_path))
    page = probe.page
    assert page.evaluate("network.body.data.nodes.length") == NODE_COUNT
    assert page.evaluate("network.body.data.edges.length") == EDGE_COUNT
    assert page.evaluate("nodes.length") == NODE_COUNT and page.evaluate("edges.length") == EDGE_COUNT
    assert page.get_attribute("body", "data-ready") == "true"
    probe.assert_clean()


def test_two_predicates_between_one_pair_are_two_edges(probe: Any, mini: Any, tmp_path: Path) -> None:
    probe.open(_render(mini, tmp_path))
    page = probe.page
    b, w = _node_id(page, BRUNEI), _node_id(page, WORKSHOP)
    preds = page.evaluate(
        """([b, w]) => edges.get().filter(e => e.from === b && e.to === w)
                      .map(e => kgView.data.predicates[kgView.data.edges[e.id].p].name).sort()""",
        [b, w],
    )
    assert preds == ["participatedIn", "presentedAt"]
    # the second one is bent so it does not hide the first
    smooth = page.evaluate(
        "([b, w]) => edges.get().filter(e => e.from === b && e.to === w).map(e => !!e.smooth)", [b, w]
    )
    assert sorted(smooth) == [False, True]
    probe.assert_clean()


def test_literals_are_attributes_not_nodes(probe: Any, mini: Any, tmp_path: Path) -> None:
    probe.open(_render(mini, tmp_path))
    labels = probe.page.evaluate("nodes.get().map(n => n.label)")
    assert not any(lbl.startswith(("2025-", "33")) for lbl in labels)
    workshop = probe.page.evaluate(
        "id => kgView.data.nodes[id].at", _node_id(probe.page, WORKSHOP)
    )
    assert ["participantCount", "33"] in workshop and ["startDate", "2025-04-23"] in workshop
    # events show their dates on the canvas label
    label = probe.page.evaluate("id => nodes.get(id).label", _node_id(probe.page, WORKSHOP))
    assert label.endswith("23\u201324 Apr 2025")


def test_clicking_somtc_shows_its_details(probe: Any, mini: Any, tmp_path: Path, artifacts: Path) -> None:
    probe.open(_render(mini, tmp_path))
    page = probe.page
    assert page.evaluate("id => nodes.get(id).label", _node_id(page, SOMTC)) == "SOMTC"
    _click_node(page, _node_id(page, SOMTC))
    panel = page.locator("#kg-details")
    panel.wait_for(state="visible", timeout=3000)
    assert panel.locator("h2").inner_text() == SOMTC_FULL
    text = panel.inner_text()
    assert "SectoralBody" in text and "SOMTC" in text
    assert "partOf" in text and "underFramework" in text
    page.mouse.move(130, 860)  # off the graph, so no tooltip hides a node
    page.locator("#kg-tooltip").wait_for(state="hidden", timeout=3000)
    page.screenshot(path=str(artifacts / "view.png"))
    probe.assert_clean()


def test_edge_details_cite_sentence_document_and_date(probe: Any, mini: Any, tmp_path: Path) -> None:
    probe.open(_render(mini, tmp_path))
    page = probe.page
    b, w = _node_id(page, BRUNEI), _node_id(page, WORKSHOP)
    eid = page.evaluate(
        """([b, w]) => edges.get().find(e => e.from === b && e.to === w &&
              kgView.data.predicates[kgView.data.edges[e.id].p].name === 'participatedIn').id""",
        [b, w],
    )
    page.evaluate("id => kgView.showEdge(id)", eid)
    text = page.locator("#kg-details").inner_text()
    assert "Brunei's delegation participated" in text
    assert "Brunei joins regional workshop on trafficking" in text and "2025-04-29" in text
    assert "confidence 0.90" in text and "participation.delegation" in text
    link = page.locator("#kg-details a").first
    assert link.get_attribute("href") == "https://example.org/news/1"
    probe.assert_clean()


def test_hovering_a_reference_edge_says_gazetteer(probe: Any, mini: Any, tmp_path: Path) -> None:
    probe.open(_render(mini, tmp_path))
    page = probe.page
    r, b = _node_id(page, RBPF), _node_id(page, BRUNEI)
    # hover the middle of the agencyOf edge
    x, y = page.evaluate(
        """([r, b]) => {
            const p = network.getPositions([r, b]);
            const m = {x: (p[r].x + p[b].x) / 2, y: (p[r].y + p[b].y) / 2};
            const d = network.canvasToDOM(m);
            const c = document.querySelector('#kg-network canvas').getBoundingClientRect();
            return [c.left + d.x, c.top + d.y];
        }""",
        [r, b],
    )
    page.mouse.move(x, y)
    tip = page.locator("#kg-tooltip")
    tip.wait_for(state="visible", timeout=3000)
    text = tip.inner_text()
    assert "agencyOf" in text and "reference (gazetteer)" in text
    probe.assert_clean()


def test_search_focuses_the_matching_entity(probe: Any, mini: Any, tmp_path: Path) -> None:
    probe.open(_render(mini, tmp_path))
    page = probe.page
    rbpf = _node_id(page, RBPF)
    page.locator("#kg-search").type("Royal Brunei")
    _wait_selected(page, rbpf)
    assert page.locator("#kg-matches li").first.inner_text().startswith("Royal Brunei Police Force")
    assert page.locator("#kg-details h2").inner_text() == "Royal Brunei Police Force"
    probe.assert_clean()


def _wait_selected(page: Any, nid: int, timeout_s: float = 3.0) -> None:
    # polled from Python: the page's CSP forbids the eval that wait_for_function needs
    import time

    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if nid in page.evaluate("network.getSelectedNodes()"):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"node {nid} was not selected; selected: {page.evaluate('network.getSelectedNodes()')}")


def test_search_by_acronym_and_enter(probe: Any, mini: Any, tmp_path: Path) -> None:
    probe.open(_render(mini, tmp_path))
    page = probe.page
    page.locator("#kg-search").fill("somtc")
    page.locator("#kg-search").press("Enter")
    _wait_selected(page, _node_id(page, SOMTC))


def test_hostile_names_stay_text(probe: Any, mini: Any, tmp_path: Path) -> None:
    out = _render(mini, tmp_path)
    raw = out.read_text(encoding="utf-8")
    assert EVIL_NAME not in raw and "</script><script>alert(2)" not in raw
    probe.open(out)
    page = probe.page
    evil = _node_id(page, EVIL)
    assert page.evaluate("id => nodes.get(id).label", evil) == EVIL_NAME
    _click_node(page, evil)
    page.locator("#kg-details").wait_for(state="visible", timeout=3000)
    assert page.locator("#kg-details h2").inner_text() == EVIL_NAME
    page.mouse.move(5, 5)
    # hover for the tooltip, open the edge with the hostile sentence and document
    _click_node(page, evil)
    eid = page.evaluate("() => edges.get().find(e => kgView.data.edges[e.id].p === "
                        "kgView.data.predicates.findIndex(p => p.name === 'supportedBy')).id")
    page.evaluate("id => kgView.showEdge(id)", eid)
    text = page.locator("#kg-details").inner_text()
    assert "</script><script>alert(2)</script>" in text
    assert "<script>alert('title')</script> & news" in text
    # the javascript: URL never became a link
    assert page.locator("#kg-details a").count() == 0
    page.locator("#kg-search").fill("<img")
    page.locator("#kg-search").press("Enter")
    _wait_selected(page, evil)
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelectorAll('img, svg, b').length") == 0
    assert page.evaluate("document.querySelectorAll('[onerror], [onload]').length") == 0
    assert page.title() == "Mini seed"
    probe.assert_clean()


def test_class_predicate_and_degree_filters_hide_and_show(probe: Any, mini: Any, tmp_path: Path) -> None:
    probe.open(_render(mini, tmp_path))
    page = probe.page
    brunei = _node_id(page, BRUNEI)
    page.get_by_label("State").uncheck()
    assert page.evaluate("id => nodes.get(id).hidden", brunei) is True
    hidden_edges = page.evaluate("edges.get().filter(e => e.hidden).length")
    assert hidden_edges == 4  # memberOf, agencyOf, participatedIn, presentedAt
    page.get_by_label("State").check()
    assert page.evaluate("id => nodes.get(id).hidden", brunei) is False
    page.get_by_label("presentedAt").uncheck()
    assert page.evaluate("edges.get().filter(e => e.hidden).length") == 1
    page.get_by_label("presentedAt").check()
    page.locator("#kg-mindeg").fill("2")
    hidden = page.evaluate("nodes.get().filter(n => n.hidden).map(n => n.id)")
    assert sorted(hidden) == sorted([_node_id(page, KL), _node_id(page, EVIL)])  # one relation each
    probe.assert_clean()


def test_physics_toggle(probe: Any, mini: Any, tmp_path: Path) -> None:
    probe.open(_render(mini, tmp_path))
    page = probe.page
    assert page.evaluate("network.physics.options.enabled") is False
    page.locator("#kg-physics").check()
    assert page.evaluate("network.physics.options.enabled") is True
    page.locator("#kg-physics").uncheck()
    assert page.evaluate("network.physics.options.enabled") is False
    probe.assert_clean()


def test_notebook_iframe_renders_offline(probe: Any, mini: Any) -> None:
    markup = View(mini, title="Notebook view")._repr_html_()
    assert markup.startswith("<iframe srcdoc=\"") and "<script" not in markup
    page = probe.page
    page.set_content(f"<!DOCTYPE html><html><body>{markup}</body></html>")
    frame = page.frames[1]
    frame.wait_for_selector("body[data-ready=true]", state="attached", timeout=10000)
    assert frame.evaluate("network.body.data.nodes.length") == NODE_COUNT
    probe.assert_clean()


def test_degraded_view_says_so(probe: Any, tmp_path: Path) -> None:
    ds = synthetic_dataset(300, seed=3, provenance=False)
    out = tmp_path / "big.html"
    stats = write_view(ds, out, max_nodes=120)
    assert stats.degraded and stats.nodes <= 120
    probe.open(out)
    assert probe.page.evaluate("network.body.data.nodes.length") == stats.nodes
    message = probe.page.locator("#kg-message")
    assert message.is_visible() and "Showing" in message.inner_text()
    probe.assert_clean()


def test_doc_title_markup_is_escaped_in_page_title(mini: Any, tmp_path: Path) -> None:
    out = tmp_path / "t.html"
    write_view(mini, out, title="<script>alert(5)</script>")
    raw = out.read_text(encoding="utf-8")
    assert "<script>alert(5)" not in raw
    assert html.escape("<script>alert(5)</script>") in raw
    assert str(DOC1) in raw
