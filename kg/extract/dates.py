"""Find date expressions in text and normalise them to ``datetime.date`` intervals.

Handles single days ("12 August 2024", "August 12, 2024", "29-04-2025",
"2025-04-29"), ranges within a month ("23-24 April", "April 23 and 24",
"3 to 9 June 2024", "July 19-21") and across months ("30 April to 2 May").
A missing year is taken from the publication date (annotation guide:
"a missing year comes from the publication date"); when that makes the date
fall more than 31 days after publication, the year before is used (a report
looks back). Month-only or year-only expressions yield no date (the guide
records those in the event label only).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_M = r"(?P<{0}>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_D = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_Y = r"(?P<{0}>(?:19|20)\d\d)"
_SEP = r"\s*(?:-|–|—|to|and|until|till|through)\s*"
_DIGIT = re.compile(r"\d")

_PATTERNS: list[re.Pattern[str]] = [
    # 30 April to 2 May 2025 / 30 April - 2 May
    re.compile(rf"\b{_D.format('d1')}\s+{_M.format('m1')}{_SEP}{_D.format('d2')}\s+{_M.format('m2')}(?:,?\s+{_Y.format('y')})?\b"),
    # April 30 to May 2, 2025
    re.compile(rf"\b{_M.format('m1')}\s+{_D.format('d1')}{_SEP}{_M.format('m2')}\s+{_D.format('d2')}(?:,?\s+{_Y.format('y')})?\b"),
    # 23-24 April 2025 / 3 to 9 June / 23 and 24 April
    re.compile(rf"\b{_D.format('d1')}{_SEP}{_D.format('d2')}\s+{_M.format('m1')}(?:,?\s+{_Y.format('y')})?\b"),
    # April 23 and 24, 2025 / July 19-21 / February 14 to 16
    re.compile(rf"\b{_M.format('m1')}\s+{_D.format('d1')}{_SEP}{_D.format('d2')}(?:,?\s+{_Y.format('y')})?\b"),
    # 12 August 2024 / 12 August
    re.compile(rf"\b{_D.format('d1')}\s+(?:of\s+)?{_M.format('m1')}(?:,?\s+{_Y.format('y')})?\b"),
    # August 12, 2024 / August 12
    re.compile(rf"\b{_M.format('m1')}\s+{_D.format('d1')}(?!\d)(?:,?\s+{_Y.format('y')})?\b"),
    # 2025-04-29
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m1>[01]\d)-(?P<d1>[0-3]\d)\b"),
    # 29-04-2025 / 29/04/2025 / 29.04.2025 (day first)
    re.compile(r"\b(?P<d1>[0-3]?\d)[-/.](?P<m1>[01]?\d)[-/.](?P<y>(?:19|20)\d\d)\b"),
]


@dataclass(frozen=True)
class DateMention:
    """A date or date range found in text.

    Attributes:
        start, end: character offsets of the expression in the searched text.
        text: the expression as written.
        first, last: the interval, inclusive (equal for a single day).
        year_given: whether the text stated the year.
    """

    start: int
    end: int
    text: str
    first: dt.date
    last: dt.date
    year_given: bool


def _month(value: str) -> int:
    return int(value) if value.isdigit() else _MONTHS[value.lower().rstrip(".")]


def _anchor_year(month: int, day: int, published: dt.date | None) -> int | None:
    if published is None:
        return None
    year = published.year
    try:
        candidate = dt.date(year, month, day)
    except ValueError:
        return None
    if (candidate - published).days > 31:
        year -= 1
    return year


def find_dates(text: str, *, published: dt.date | None = None) -> list[DateMention]:
    """Return the day-precise date expressions in ``text``, leftmost-longest, non-overlapping.

    Args:
        text: the text to search (a sentence or a whole document).
        published: the document's publication date, used for a missing year.

    Returns:
        Date mentions sorted by start offset. Expressions whose year cannot be
        known (no year, no publication date) or that are not real calendar
        dates (31 February) are left out.
    """
    if not _DIGIT.search(text):
        return []  # every pattern has a digit
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    candidates: list[tuple[int, int, re.Match[str]]] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            candidates.append((m.start(), -(m.end() - m.start()), m))
    for _, _, m in sorted(candidates, key=lambda c: (c[0], c[1])):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        g = m.groupdict()
        try:
            m1 = _month(g["m1"])
            m2 = _month(g["m2"]) if g.get("m2") else m1
            d1 = int(g["d1"])
            d2 = int(g["d2"]) if g.get("d2") else d1
            year_given = bool(g.get("y"))
            year = int(g["y"]) if year_given else _anchor_year(m1, d1, published)
            if year is None:
                continue
            first = dt.date(year, m1, d1)
            last_year = year + 1 if m2 < m1 else year
            last = dt.date(last_year, m2, d2)
        except (ValueError, KeyError):
            continue
        if last < first or (last - first).days > 366:
            continue
        taken.append((m.start(), m.end()))
        found.append(DateMention(m.start(), m.end(), m.group(0), first, last, year_given))
    return sorted(found, key=lambda d: d.start)
