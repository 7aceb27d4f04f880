"""Recognise proper names that are not in the gazetteer and type them by their head word.

A name is a run of capitalised tokens, possibly joined by lower-case
connectors ("of", "on", "for", "and", "the", "in", "against", "to") and
ending in a capitalised token or a year range; an ordinal may open it
("25th", "Sixth"). Its class comes from the head word (the last capitalised
word before the first connector) through ``kg/rules/heads.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from ..errors import ConfigError

CONNECTORS = {"of", "on", "for", "and", "the", "in", "against", "to", "de", "&", "under"}
_SPLITTERS = {"of", "on", "for", "against", "to", "in", "under"}
ORDINAL_WORDS = {
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth", "twentieth", "inaugural", "annual",
}
_ORDINAL_RE = re.compile(r"^\d+(st|nd|rd|th)$", re.I)
_YEAR_RANGE_RE = re.compile(r"^(19|20)\d\d([-–—/](19|20)?\d\d)?$")
_STOP_START = {
    "the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we",
    "in", "on", "at", "by", "from", "with", "for", "and", "but", "as", "of", "to", "under",
    "during", "after", "before", "since", "while", "when", "there", "here", "his", "her", "their",
    "our", "representatives", "delegates", "delegations", "members", "officials", "participants",
}


@dataclass(frozen=True)
class HeadLexicon:
    """Head word -> class local name, and the heads whose class depends on context."""

    classes: dict[str, str]
    context_dependent: frozenset[str]
    international_prefixes: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()

    def classify(self, head: str, previous: str | None = None) -> str | None:
        """Return the class for a head word (case-insensitive), or None.

        Args:
            head: the head word.
            previous: the word before it, for two-word heads ("Task Force").
        """
        if previous:
            two = self.classes.get(f"{previous} {head}".casefold())
            if two:
                return two
        return self.classes.get(head.casefold())

    def classify_name(self, words: list[str], head: str | None = None) -> str | None:
        """Class of a whole name from its head and opening words (None when the head has no class).

        Args:
            words: the name's tokens.
            head: ``head_of(words)`` when the caller has it already.
        """
        if head is None:
            head = head_of(words)
        if not head:
            return None
        if len(words) > 2 and is_ordinal(words[0]) and self.classes.get(words[-1].casefold()) == "Event":
            return "Event"  # "25th Alliance against Trafficking in Persons Conference": a numbered session
        idx = max(i for i, w in enumerate(words) if w == head or w.endswith("-" + head))
        prev = words[idx - 1] if idx > 0 else None
        cls = self.classify(head, prev)
        if cls in {"GovernmentAgency", "SectoralBody"} and words and words[0].casefold() in self.international_prefixes \
                and head.casefold() not in {"police"} and (idx >= 2 or len(words) > idx + 1):  # not "International Division"
            return "InternationalOrganization"
        return cls


@lru_cache(maxsize=1)
def load_heads() -> HeadLexicon:
    """Load ``kg/rules/heads.yaml``.

    Raises:
        ConfigError: the file is malformed (names the file and entry).
    """
    text = resources.files("kg.rules").joinpath("heads.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ConfigError("kg/rules/heads.yaml: expected a mapping of class -> head words")
    classes: dict[str, str] = {}
    ctx: frozenset[str] = frozenset()
    intl: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()
    for cls, words in data.items():
        if not isinstance(words, list):
            raise ConfigError(f"kg/rules/heads.yaml: entry {cls!r} must be a list of words")
        if cls == "context_dependent":
            ctx = frozenset(w.casefold() for w in words)
            continue
        if cls == "international_prefixes":
            intl = frozenset(w.casefold() for w in words)
            continue
        if cls == "units":
            units = frozenset(w.casefold() for w in words)
            continue
        for w in words:
            classes.setdefault(str(w).casefold(), cls)
    return HeadLexicon(classes, ctx, intl, units)


@lru_cache(maxsize=65536)
def is_capitalised(text: str) -> bool:
    """True for tokens that can be part of a proper name (``Asean``, ``SOMTC``, ``Anti-Trafficking``, ``e-ADS``)."""
    if text[:1].isupper():
        return True
    if not text or not any(c.isalpha() for c in text):
        return bool(_YEAR_RANGE_RE.match(text))
    # lower-case prefix with upper inside: e-ADS, eu-LISA
    return bool(re.match(r"^[a-z]{1,3}-[A-Z]", text))


def is_ordinal(text: str) -> bool:
    """True for ``25th`` or ``Sixth``-style ordinals that may open an event name."""
    if text[:1].isdigit():  # cheap test first: most words are neither
        return bool(_ORDINAL_RE.match(text))
    return text.casefold() in ORDINAL_WORDS


def head_of(words: list[str]) -> str | None:
    """Return the head word of a name given as its tokens.

    The head is the last capitalised word before the first splitting connector
    ("of", "on", "for", "against", "to", "in", "under"), skipping years and
    acronym parentheses.
    """
    head = None
    for w in words:
        folded = w.casefold()
        if head is not None and folded in _SPLITTERS:
            break
        if w in {"(", ")"} or (w[:2] in {"19", "20"} and _YEAR_RANGE_RE.match(w)) \
                or not (w.isalpha() or any(c.isalpha() for c in w)):
            continue
        if is_capitalised(w) or folded in ORDINAL_WORDS:
            head = w
    if head and "-" in head:
        head = head.rsplit("-", 1)[-1] or head
    return head


_ORDINAL_NUMBERS = {w: i for i, w in enumerate(
    ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
     "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
     "eighteenth", "nineteenth", "twentieth"], 1)}


def ordinal_number(text: str) -> str:
    """Normalise an ordinal to digits with its suffix (``Sixth`` -> ``6th``, ``21ST`` -> ``21st``)."""
    low = text.casefold()
    if low in _ORDINAL_NUMBERS:
        n = _ORDINAL_NUMBERS[low]
    else:
        digits = re.match(r"\d+", low)
        if not digits:
            return text
        n = int(digits.group(0))
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
