"""The HTML page as text: self-contained, escaped, with its API's contract."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import numpy as np
import pytest
from minigraph import EVIL_NAME, mini_dataset
from rdflib import Dataset

from kg.errors import InputError
from kg.viz import View, ViewStats, view_html, write_view
from kg.viz.layout import grid_force_layout, positions
from kg.viz.payload import safe_url
from kg.viz.render import json_for_script
from kg.viz.style import date_range, is_all_caps, short_label, truncate


def test_json_for_script_escapes_markup_and_line_separators() -> None:
    text = json_for_script({"s": "</script><!-- & \u2028\u2029 >"})
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"s": "</script><!-- & \u2028\u2029 >"}


def test_page_is_self_contained(tmp_path: Path) -> None:
    page = view_html(mini_dataset())
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page, re.I)
    assert "bootstrap" not in page.lower() and "cdnjs" not in page.lower()
    assert page.count("\n<script") == 3  # data, vis-network, view
    assert "sourceMappingURL" not in page
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1))
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "unsafe-inline" not in csp.split("style-src")[0]


def test_hostile_strings_never_appear_raw() -> None:
    page = view_html(mini_dataset(), title="<b>t</b>")
    assert EVIL_NAME not in page
    assert "<b>t</b>" not in page and "&lt;b&gt;t&lt;/b&gt;" in page
    body = page.split('<script type="application/json" id="kg-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in body and "\u2028" not in body
    data = json.loads(body)
    assert any(n["f"] == EVIL_NAME for n in data["nodes"])
    assert all(d["url"] is None or d["url"].startswith("https://") for d in data["docs"])


def test_write_view_returns_stats_and_writes_file(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "dir" / "view.html"
    stats = write_view(mini_dataset(), out)
    assert isinstance(stats, ViewStats)
    assert (stats.nodes, stats.edges, stats.degraded, stats.message) == (7, 9, False, "")
    assert stats.seconds >= 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_empty_dataset_gives_a_page_that_says_so(tmp_path: Path) -> None:
    stats = write_view(Dataset(), tmp_path / "e.html")
    assert stats.nodes == 0 and "Nothing to show" in stats.message


def test_bad_arguments_raise_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="rdflib"):
        write_view({"not": "a graph"}, tmp_path / "x.html")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="max_nodes"):
        write_view(mini_dataset(), tmp_path / "x.html", max_nodes=0)
    with pytest.raises(InputError, match="sequence"):
        write_view(mini_dataset(), tmp_path / "x.html", types="State")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="Atlantis"):
        write_view(mini_dataset(), tmp_path / "x.html", focus="Atlantis")


def test_repr_html_is_an_escaped_sandboxed_iframe() -> None:
    v = View(mini_dataset(), height="400px\" onload=\"alert(1)")
    markup = v._repr_html_()
    assert markup.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts' in markup
    assert "<script" not in markup and "onload=\"alert" not in markup
    assert "height:650px" in markup
    assert v.stats.nodes == 7


def test_labels_prefer_all_caps_acronyms() -> None:
    assert short_label("ASEAN Senior Officials Meeting on Transnational Crime", ["SOMTC", "Somtc"]) == "SOMTC"
    assert short_label("Brunei Darussalam", ["Brunei"]) == "Brunei Darussalam"
    assert short_label("ASEAN-Australia Counter Trafficking", ["ASEAN-ACT", "ACT"]) == "ACT"
    assert is_all_caps("ASEAN-ACT") and not is_all_caps("SOMTC WG") and not is_all_caps("Interpol")
    assert truncate("a " * 40, 12).endswith("\u2026")


def test_date_ranges_read_naturally() -> None:
    import datetime as dt

    d = dt.date
    assert date_range(d(2025, 4, 23), d(2025, 4, 24)) == "23\u201324 Apr 2025"
    assert date_range(d(2025, 4, 30), d(2025, 5, 2)) == "30 Apr \u2013 2 May 2025"
    assert date_range(d(2025, 4, 23), None) == "23 Apr 2025" and date_range(None, None) == ""


def test_safe_url_only_keeps_http() -> None:
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", "data:text/html,x", "https://x.org/\"onmouseover=", None, ""):
        assert safe_url(bad) is None


def test_layouts_are_deterministic_and_spread() -> None:
    edges = np.array([[i, (i * 7 + 3) % 600] for i in range(600)] + [[i, i + 1] for i in range(599)])
    a = positions(600, edges)
    assert np.allclose(a, positions(600, edges))
    assert a.shape == (600, 2) and np.isfinite(a).all()
    small = positions(5, np.array([[0, 1], [1, 2], [2, 3], [3, 4]]))
    d = np.sqrt(((small[[0, 1, 2, 3]] - small[[1, 2, 3, 4]]) ** 2).sum(axis=1))
    assert 120 < float(np.median(d)) < 300  # room for labels
    g = grid_force_layout(2000, np.array([[i, i // 2] for i in range(1, 2000)]))
    nn = np.sort(np.sqrt(((g[:200, None, :] - g[None, :, :]) ** 2).sum(axis=2)), axis=1)[:, 1]
    assert float(np.median(nn)) > 0.2  # nodes do not pile up
