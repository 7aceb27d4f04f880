"""Title and publication date read from the top of a text.

Only the first few non-empty lines are looked at (:data:`TOP_LINES`): news
texts put their date and headline there; further down, a short line is a
sub-heading or a caption, not the title.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

#: How many non-empty lines at the top are searched for a date or a title.
TOP_LINES = 6
#: A title is shorter than this (characters); longer first lines are paragraphs.
MAX_TITLE_CHARS = 200

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_ORDINAL = r"(?:st|nd|rd|th)?"
_TIME = (
    r"(?:\s*(?:,|\||-|–|—|at|@|T)?\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?"
    r"(?:\s*[ap]\.?m\.?)?(?:\s*(?:z|utc|gmt|[a-z]{3,4})?\s*(?:\(?[+-]\d{1,2}(?::?\d{2})?\)?)?)?)?"
)
_END = _TIME + r"\s*[.,;]?\s*$"
_DATE_FORMS = [
    # Tuesday, 29 April 2025 / 29th of April, 2025 / 29 Apr. 2025
    re.compile(r"^" + _WEEKDAY + r"(?P<day>\d{1,2})" + _ORDINAL + r"\.?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<year>\d{4})" + _END, re.I),
    # April 29, 2025 / Tue, Apr 29 2025
    re.compile(r"^" + _WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})" + _ORDINAL + r",?\s+(?P<year>\d{4})" + _END, re.I),
    # 2025-04-29 / 2025/04/29 / 2025.04.29 (ISO order)
    re.compile(r"^" + _WEEKDAY + r"(?P<year>\d{4})(?P<sep>[-/.])(?P<first>\d{1,2})(?P=sep)(?P<second>\d{1,2})" + _END, re.I),
    # 29-04-2025 / 29/04/2025 / 29.04.2025 (day first unless impossible)
    re.compile(r"^" + _WEEKDAY + r"(?P<first>\d{1,2})(?P<sep>[-/.])(?P<second>\d{1,2})(?P=sep)(?P<year>\d{4})" + _END, re.I),
]
_PUBLISHED_LABEL = re.compile(
    r"^(?:(?:first\s+)?published|publication\s+date|date(?:\s+published)?|posted|dated|released|issued)"
    r"(?:\s+on)?\s*[:\-–—]?\s*",
    re.I,
)
_LABEL_LINE = re.compile(
    r"^(?:(?:first\s+|last\s+)?(?:published|updated|modified|posted|released|issued)(?:\s+on)?"
    r"|publication\s+date|date(?:\s+published)?|dated|by|authors?|source|photo|image|credits?)\s*:",
    re.I,
)
_UPDATED = re.compile(r"^(?:last\s+)?(?:updated|modified)(?:\s+on)?\s+(?P<rest>.+)$", re.I)
_BYLINE = re.compile(r"^by\s+[A-Z][\w.'-]*(?:\s+(?:[A-Z][\w.'-]*|and|&)){0,5}$")
_KICKERS = {
    "press release", "for immediate release", "news release", "media release", "bulletin",
    "news", "breaking news", "breaking", "update", "statement", "media statement",
}  # fmt: skip
_KICKER_PREFIX = re.compile(r"^(?P<kicker>[A-Za-z ]{3,30}?)\s*(?:\||:|–|—|-)\s+(?P<rest>\S.*)$")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
#: Languages dateparser tries for non-English date lines: the region's and major European ones.
#: Source: letting dateparser detect among all its languages took 3.7 s on "Updated: 4 May 2024"
#: (dateparser 1.5.0), against 5 ms with this list.
DATE_LANGUAGES = ["en", "fr", "de", "es", "pt", "it", "nl", "id", "ms", "vi", "tl", "th", "ru", "zh", "ja", "ko", "ar", "tr"]


@dataclass(frozen=True)
class TextMeta:
    """What the top of a text says about itself (None when not found)."""

    title: str | None = None
    published: dt.date | None = None


def parse_date_line(line: str) -> dt.date | None:
    """Return the date a line consists of, or None if the line is not just a date.

    Recognised: ``29-04-2025``, ``29/04/2025``, ``29.04.2025`` (day first
    unless the day would be an impossible month: ``04/29/2025`` is 29 April),
    ``2025-04-29``, ``April 29, 2025``, ``29 April 2025``, ``Tuesday, 29 April
    2025``, abbreviated months and weekdays, ordinals, an optional time and
    zone after the date, an optional label (``Published:``, ``Date:``,
    ``Posted on``...). Other short lines with a year (e.g. ``29 avril 2025``)
    are given to dateparser (:data:`DATE_LANGUAGES`) with day, month and year required.

    Args:
        line: one line of text.

    Returns:
        The date, or None.
    """
    text = _PUBLISHED_LABEL.sub("", line.strip(), count=1).strip()
    if not text or len(text) > 60:
        return None
    for form in _DATE_FORMS:
        match = form.match(text)
        if match:
            return _date_from(match)
    if len(text) <= 40 and _YEAR.search(text) and re.search(r"\b\d{1,2}\b", _YEAR.sub("", text)):
        return _dateparser_date(text)
    return None


def guess_metadata(text: str) -> TextMeta:
    """Guess the title and publication date of an article from its first lines.

    The date is the first of the top lines that is only a date (optionally
    labelled ``Published:``, ``Date:``...). The title is the first top line
    that is not a date, a label line (``Updated:``, ``By ...``) or a kicker
    (``PRESS RELEASE``; a ``BULLETIN | Headline`` line gives ``Headline``),
    is shorter than :data:`MAX_TITLE_CHARS`, has a letter and does not end in
    a period (a caption or a sentence); the search stops at the first long
    line (a paragraph).

    Args:
        text: the document text.

    Returns:
        The title (white space collapsed) and date found, each possibly None.
    """
    lines = [line.strip() for line in text.split("\n")]
    top = [line for line in lines if line][:TOP_LINES]
    published: dt.date | None = None
    title: str | None = None
    title_closed = False
    for line in top:
        date = parse_date_line(line)
        if date is not None:
            published = published or date
            continue
        if _is_label_line(line):
            continue
        candidate = _strip_kicker(line)
        if candidate is None or title_closed or title is not None:
            continue
        if len(candidate) >= MAX_TITLE_CHARS:
            title_closed = True  # a paragraph: the body has begun
            continue
        if candidate.endswith(".") and not candidate.endswith("..."):
            continue  # a caption or a sentence
        if any(c.isalpha() for c in candidate):
            title = " ".join(candidate.split())
    return TextMeta(title=title, published=published)


def _is_label_line(line: str) -> bool:
    """Whether a line is a metadata line (``Updated: ...``, ``Last updated 30 April 2025``, a byline)."""
    if _LABEL_LINE.match(line) or _BYLINE.match(line):
        return True
    updated = _UPDATED.match(line)
    return bool(updated and parse_date_line(updated.group("rest")))


def _strip_kicker(line: str) -> str | None:
    """Drop a kicker: None for a line that is only one, the headline for ``KICKER | headline``."""
    folded = line.strip(" :|-–—").casefold()
    if folded in _KICKERS:
        return None
    match = _KICKER_PREFIX.match(line)
    if match and match.group("kicker").strip().casefold() in _KICKERS:
        return match.group("rest").strip()
    return line


def _date_from(match: re.Match[str]) -> dt.date | None:
    """Build a date from a matched form; numeric forms are day first unless impossible."""
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("month"):
        month = _MONTHS[groups["month"].lower().rstrip(".")]
        day = int(groups["day"])
    elif match.re is _DATE_FORMS[2]:
        month, day = int(groups["first"]), int(groups["second"])
    else:
        day, month = int(groups["first"]), int(groups["second"])
        if month > 12 and day <= 12:
            day, month = month, day
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _dateparser_date(text: str) -> dt.date | None:
    """Ask dateparser for a full date (day, month and year required, day first)."""
    import dateparser

    settings: dict[str, Any] = {
        "STRICT_PARSING": True,
        "REQUIRE_PARTS": ["day", "month", "year"],
        "DATE_ORDER": "DMY",
        "PREFER_LOCALE_DATE_ORDER": False,
    }
    try:
        parsed: dt.datetime | None = dateparser.parse(text, languages=DATE_LANGUAGES, settings=settings)
    except Exception:  # noqa: BLE001 - dateparser raises assorted errors on odd input
        return None
    if parsed is None or not 1900 <= parsed.year <= 2100:
        return None
    return parsed.date()
