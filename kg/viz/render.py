"""Self-contained HTML views: one file, every script and style inline, no network.

The page is our own small template around the vis-network build that pyvis
ships in its package (``pyvis/lib/vis-9.1.2``), so it opens from disk, in a
notebook iframe or behind a firewall alike. The data goes in as one JSON
block, escaped for a ``<script>`` element; the page's Content-Security-Policy
allows only its own two scripts (by hash) and no connections at all.
"""

from __future__ import annotations

import base64
import gc
import datetime as dt
import hashlib
import html
import json
import os
import re
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from rdflib import Graph

from ..errors import InputError, KgError
from .aggregate import fit
from .payload import build_payload, is_large
from .project import project
from .select import Selection, select

#: vis-network version inlined into every page (the one pyvis 0.3.2 ships).
VIS_VERSION = "9.1.2"
#: Default most nodes a view draws before it aggregates (see :mod:`kg.viz.aggregate`).
MAX_NODES = 20000

_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")


@dataclass(frozen=True)
class ViewStats:
    """What a view holds and how long it took to make.

    Attributes:
        nodes: nodes drawn.
        edges: edges drawn.
        seconds: wall time to build the HTML (projection, layout, rendering).
        degraded: True when the graph was reduced to fit ``max_nodes``.
        message: the note shown in the page's banner ("" when none): what was
            reduced, options that matched nothing, or that a large view draws
            names and arrows only once zoomed in.
    """

    nodes: int
    edges: int
    seconds: float
    degraded: bool
    message: str


def json_for_script(value: Any) -> str:
    """Serialise ``value`` as JSON safe to place inside a ``<script>`` element.

    ``<``, ``>``, ``&``, U+2028 and U+2029 are written as ``\\uXXXX`` escapes,
    so no string in the data can close the element or open a comment.

    Args:
        value: JSON-ready data (no NaN or infinity).

    Returns:
        The JSON text.

    Raises:
        ValueError: ``value`` holds NaN or infinity.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group(0)], text)


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    here = resources.files("kg.viz") / "assets"
    vis = resources.files("pyvis") / "lib" / f"vis-{VIS_VERSION}"
    out = {
        "template": (here / "view.html").read_text(encoding="utf-8"),
        "view_css": (here / "view.css").read_text(encoding="utf-8"),
        "view_js": (here / "view.js").read_text(encoding="utf-8"),
        "vis_css": (vis / "vis-network.css").read_text(encoding="utf-8"),
        "vis_js": (vis / "vis-network.min.js").read_text(encoding="utf-8"),
    }
    # no source-map comment: nothing on the page may ask for another file
    out["vis_js"] = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", out["vis_js"])
    for name in ("view_js", "vis_js"):
        if "</script" in out[name].lower():
            raise KgError(f"{name} contains '</script' and cannot be inlined; reinstall kg/pyvis.")
    for name in ("view_css", "vis_css"):
        if "</style" in out[name].lower():
            raise KgError(f"{name} contains '</style' and cannot be inlined; reinstall kg/pyvis.")
    return out


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _page(payload: dict[str, Any], title: str) -> str:
    a = _assets()
    csp = "; ".join(
        [
            "default-src 'none'",
            f"script-src {_sha256(a['vis_js'])} {_sha256(a['view_js'])}",
            "style-src 'unsafe-inline'",
            "img-src data:",
            "font-src 'none'",
            "connect-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    values = {
        "CSP": html.escape(csp, quote=True),
        "TITLE": html.escape(title, quote=True),
        "VIS_CSS": a["vis_css"],
        "VIEW_CSS": a["view_css"],
        "DATA": json_for_script(payload),
        "VIS_JS": a["vis_js"],
        "VIEW_JS": a["view_js"],
    }
    # one pass, so nothing substituted is ever scanned for placeholders again
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], a["template"])


def _build(
    data: Graph,
    *,
    focus: str | None,
    hops: int,
    types: Sequence[str],
    predicates: Sequence[str],
    since: dt.date | None,
    until: dt.date | None,
    title: str,
    max_nodes: int,
) -> tuple[str, ViewStats]:
    started = time.perf_counter()
    if not isinstance(data, Graph):
        raise InputError(
            f"A view needs an rdflib Dataset or Graph, not {type(data).__name__}; "
            "load the store or file into rdflib first."
        )
    if max_nodes < 1:
        raise InputError(f"max_nodes must be at least 1, not {max_nodes}.")
    if isinstance(types, str) or isinstance(predicates, str):
        raise InputError("types and predicates take a sequence of names, e.g. ('State',), not a string.")
    with _gc_paused():
        return _build_unpaused(
            data, focus=focus, hops=hops, types=types, predicates=predicates,
            since=since, until=until, title=title, max_nodes=max_nodes, started=started,
        )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: building creates many small objects and
    no cycles, and full collections over a large rdflib store cost seconds."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _build_unpaused(
    data: Graph,
    *,
    focus: str | None,
    hops: int,
    types: Sequence[str],
    predicates: Sequence[str],
    since: dt.date | None,
    until: dt.date | None,
    title: str,
    max_nodes: int,
    started: float,
) -> tuple[str, ViewStats]:
    proj, notes = select(
        project(data),
        Selection(focus=focus, hops=hops, types=tuple(types), predicates=tuple(predicates), since=since, until=until),
    )
    proj, reduction = fit(proj, max_nodes)
    lines = []
    if reduction.changed:
        lines.append(reduction.message(len(proj.nodes)))
    if notes:
        lines.append("Note: " + "; ".join(notes) + ".")
    if not proj.nodes:
        lines.append("Nothing to show: no entity matches these options.")
    if is_large(len(proj.nodes), len(proj.edges)):
        lines.append(
            f"Large view ({len(proj.nodes):,} entities): names and arrows appear as you zoom in; "
            "narrow it with search, the filters, or focus/types."
        )
    message = " ".join(lines)
    payload = build_payload(proj, title=title, message=message or None, degraded=reduction.changed)
    page = _page(payload, title)
    stats = ViewStats(
        nodes=len(proj.nodes),
        edges=len(proj.edges),
        seconds=round(time.perf_counter() - started, 3),
        degraded=reduction.changed,
        message=message,
    )
    return page, stats


def view_html(
    data: Graph,
    *,
    focus: str | None = None,
    hops: int = 1,
    types: Sequence[str] = (),
    predicates: Sequence[str] = (),
    since: dt.date | None = None,
    until: dt.date | None = None,
    title: str = "kg view",
    max_nodes: int = MAX_NODES,
) -> str:
    """Return a self-contained interactive HTML page of ``data``.

    Takes the same arguments as :func:`write_view`.

    Returns:
        The whole HTML document (UTF-8 text), with vis-network, styles and
        data inline.

    Raises:
        InputError: see :func:`write_view`.
    """
    page, _ = _build(
        data, focus=focus, hops=hops, types=types, predicates=predicates,
        since=since, until=until, title=title, max_nodes=max_nodes,
    )
    return page


def write_view(
    data: Graph,
    out: Path,
    *,
    focus: str | None = None,
    hops: int = 1,
    types: Sequence[str] = (),
    predicates: Sequence[str] = (),
    since: dt.date | None = None,
    until: dt.date | None = None,
    title: str = "kg view",
    max_nodes: int = MAX_NODES,
) -> ViewStats:
    """Write an interactive, self-contained HTML view of the knowledge graph.

    Nodes are entities (typed with a ``kg:`` class other than the provenance
    classes), coloured and shaped by class, sized by degree; edges are ``kg:``
    relations between them, one per distinct predicate, with their source
    sentences, documents and confidence in the tooltip. Literals are node
    attributes. The page has search, class and predicate filters, a
    minimum-degree filter, a physics toggle and a details panel; it sets
    ``window.kgReady = true`` once drawn.

    Args:
        data: an ``rdflib.Dataset`` (named graphs = documents, plus the
            reference graph) or a plain ``rdflib.Graph``.
        out: the HTML file to write (parent folders are created).
        focus: an entity IRI, label or acronym: show only its neighbourhood.
        hops: with ``focus``, how many relations away to go (>= 0).
        types: keep only entities of these classes (local names such as
            ``"State"``, ``kg:`` names or IRIs).
        predicates: keep only relations with these predicates.
        since: drop events that ended, and document facts published, before
            this date (inclusive window).
        until: drop events that started, and document facts published, after
            this date.
        title: the page title.
        max_nodes: the most nodes to draw; a larger graph is aggregated
            (single-relation entities merged into groups, then the
            least-connected left out) and the page says so.

    Returns:
        :class:`ViewStats` with the node and edge counts, the seconds taken,
        whether the view was degraded, and its message.

    Raises:
        InputError: ``data`` is not an rdflib graph, ``focus`` names no entity
            (or several), ``hops`` is negative, ``since`` is after ``until``,
            or ``max_nodes`` is below 1.
        KgError: ``out`` cannot be written.
    """
    page, stats = _build(
        data, focus=focus, hops=hops, types=types, predicates=predicates,
        since=since, until=until, title=title, max_nodes=max_nodes,
    )
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".kg-view-", suffix=".html", dir=out.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="\n") as fh:
                fh.write(page)
            os.chmod(tmp, 0o644)  # mkstemp makes it owner-only
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise KgError(
            f"Cannot write the view to {out}: {exc.strerror or exc}; choose a writable output path."
        ) from exc
    return stats


class View:
    """A view for notebooks: displays itself as an iframe holding the whole page.

    Example::

        View(dataset, focus="SOMTC", hops=2)   # last expression in a cell

    Args:
        data: as for :func:`write_view`; so are the keyword options (focus,
            hops, types, predicates, since, until, title, max_nodes).
        height: CSS height of the iframe in the notebook (e.g. ``"650px"``).

    Attributes:
        html: the whole page.
        stats: its :class:`ViewStats`.

    Raises:
        InputError: see :func:`write_view`.
    """

    def __init__(
        self,
        data: Graph,
        *,
        focus: str | None = None,
        hops: int = 1,
        types: Sequence[str] = (),
        predicates: Sequence[str] = (),
        since: dt.date | None = None,
        until: dt.date | None = None,
        title: str = "kg view",
        max_nodes: int = MAX_NODES,
        height: str = "650px",
    ) -> None:
        self.html, self.stats = _build(
            data, focus=focus, hops=hops, types=types, predicates=predicates,
            since=since, until=until, title=title, max_nodes=max_nodes,
        )
        self.title = title
        self.height = height

    def _repr_html_(self) -> str:
        """Return an ``<iframe srcdoc=...>`` holding the page (escaped; scripts run sandboxed)."""
        height = html.escape(self.height if re.fullmatch(r"[0-9.]+(px|em|rem|vh|%)", self.height) else "650px")
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
            f'title="{html.escape(self.title, quote=True)}" '
            'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
            f'style="width:100%;height:{height};border:1px solid #ddd" loading="lazy"></iframe>'
        )

    def save(self, out: Path) -> Path:
        """Write the page to ``out`` and return the path.

        Raises:
            KgError: ``out`` cannot be written.
        """
        out = Path(out)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(self.html, encoding="utf-8", errors="replace")
        except OSError as exc:
            raise KgError(
                f"Cannot write the view to {out}: {exc.strerror or exc}; choose a writable output path."
            ) from exc
        return out
