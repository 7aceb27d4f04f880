"""How entities look: colour and shape per class, short labels, sizes, date ranges."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

#: (colour, vis-network shape) per class. Shapes are the ones that draw their
#: label below the symbol, so node size can follow degree.
CLASS_STYLE: dict[str, tuple[str, str]] = {
    "RegionalOrganization": ("#1f6fb4", "hexagon"),
    "InternationalOrganization": ("#6a3d9a", "hexagon"),
    "SectoralBody": ("#2a9d8f", "square"),
    "CooperationMechanism": ("#e76f51", "diamond"),
    "GovernmentAgency": ("#8c6d4f", "square"),
    "Programme": ("#f4a261", "triangle"),
    "State": ("#d62839", "dot"),
    "Event": ("#e9b824", "star"),
    "Instrument": ("#3d5a80", "triangleDown"),
    "Person": ("#c77dff", "dot"),
    "Place": ("#52b788", "dot"),
    "Topic": ("#b5838d", "diamond"),
    "Organization": ("#5c677d", "hexagon"),
}
#: Colours for classes outside the core vocabulary, in turn.
EXTRA_COLOURS = ("#7f7f7f", "#17becf", "#bcbd22", "#8c564b", "#e377c2", "#aec7e8")

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def class_styles(classes: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Return ``{class: (colour, shape)}`` for ``classes``, core ones first in vocabulary order."""
    out: dict[str, tuple[str, str]] = {}
    names = set(classes)
    for name in CLASS_STYLE:
        if name in names:
            out[name] = CLASS_STYLE[name]
    for i, name in enumerate(sorted(names - set(CLASS_STYLE))):
        out[name] = (EXTRA_COLOURS[i % len(EXTRA_COLOURS)], "dot")
    return out


def is_all_caps(text: str) -> bool:
    """True for acronym-like names: at least two letters, every letter upper-case, no spaces.

    ``"SOMTC"``, ``"ASEAN-ACT"`` and ``"AMMTC"`` are; ``"Interpol"`` and
    ``"SOMTC WG"`` are not.
    """
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and " " not in text.strip() and all(c.isupper() for c in letters)


def short_label(label: str, alt_labels: Iterable[str], acronyms: Iterable[str] = ()) -> str:
    """Return the name to draw: the shortest all-caps acronym or altLabel, else ``label``.

    Args:
        label: the canonical name (rdfs:label).
        alt_labels: skos:altLabel values.
        acronyms: kg:acronym values.

    Returns:
        The acronym when one exists (shortest, then alphabetical), else the label.
    """
    caps = sorted({a.strip() for a in (*acronyms, *alt_labels) if is_all_caps(a)}, key=lambda s: (len(s), s))
    caps = [c for c in caps if len(c) < len(label) or not label]
    return caps[0] if caps else label


def truncate(text: str, limit: int = 42) -> str:
    """Cut ``text`` to at most ``limit`` characters at a word boundary, adding an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    if cut < limit // 2:
        cut = limit - 1
    return text[:cut].rstrip(" ,;:-") + "\u2026"


def _day(d: dt.date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def date_range(start: dt.date | None, end: dt.date | None) -> str:
    """Human-readable dates of an event: ``"23-24 Apr 2025"``, ``"30 Apr - 2 May 2025"``.

    Returns:
        The range (en dash), one date when only one is known, or ``""``.
    """
    if start and end and end != start:
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}\u2013{_day(end)}"
        if start.year == end.year:
            return f"{start.day} {_MONTHS[start.month - 1]} \u2013 {_day(end)}"
        return f"{_day(start)} \u2013 {_day(end)}"
    one = start or end
    return _day(one) if one else ""


def node_size(degree: int) -> float:
    """Symbol size in pixels for a node with ``degree`` relations (grows with the log)."""
    return round(min(48.0, 10.0 + 6.0 * math.log2(1 + degree)), 1)
