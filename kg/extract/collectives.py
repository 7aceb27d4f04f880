"""Collectives that stand for states the text lists: "the six governments" where the text names the six.

Source: annotation-guide.md, "Further decisions": "Collectives give per-state triples only
when the text itself lists the states ("the six nations" where the text names the six);
otherwise nothing." A collective is a plural noun for states ("governments", "countries",
"states", "nations") with an exact count; it stands for a list of exactly that many
states joined by commas and "and" somewhere in the same document, when every such list
names the same states. With no list, or lists that disagree, it stands for nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from spacy.tokens import Token

if TYPE_CHECKING:  # pragma: no cover
    from .mentions import RawMention

#: Plural nouns that can stand for a set of states.
COLLECTIVE_NOUNS = frozenset({"governments", "countries", "states", "nations"})

_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen".split())}
_JOIN = re.compile(r"\s*(?:,|and|,\s*and|&)\s*(?:the\s+)?", re.I)


def state_lists(mentions: Iterable["RawMention"], text: str) -> list[list["RawMention"]]:
    """Runs of two or more State mentions joined by commas and "and".

    Args:
        mentions: a document's mentions (any order).
        text: the document's text (the mentions' offsets index it).

    Returns:
        Each run, in text order.
    """
    runs: list[list["RawMention"]] = []
    cur: list["RawMention"] = []
    for m in sorted(mentions, key=lambda m: m.start):
        if m.cls == "State" and cur and _JOIN.fullmatch(text[cur[-1].end:m.start]):
            cur.append(m)
            continue
        if len(cur) >= 2:
            runs.append(cur)
        cur = [m] if m.cls == "State" else []
    if len(cur) >= 2:
        runs.append(cur)
    return runs


def count_of(tok: Token) -> int | None:
    """The exact count a plural noun carries ("six governments", "the 6 countries"), or None."""
    for ch in tok.children:
        if ch.dep_ == "nummod":
            word = ch.lower_
            if word.isdigit():
                return int(word)
            if word in _NUMBERS:
                return _NUMBERS[word]
    return None


def collective_members(tokens: Iterable[Token], lists: list[list["RawMention"]]) -> list["RawMention"]:
    """The listed states a collective among ``tokens`` stands for, or [] when there is none or no single reading.

    Args:
        tokens: the tokens of one argument (a subject's subtree, say).
        lists: the document's state lists (:func:`state_lists`).

    Returns:
        One mention per state of the one list of exactly that many states.
    """
    for tok in tokens:
        if tok.lower_ not in COLLECTIVE_NOUNS:
            continue
        n = count_of(tok)
        if not n or n < 2:
            continue
        fits = [r for r in lists if len({m.key for m in r}) == n]
        if fits and len({frozenset(m.key for m in r) for r in fits}) == 1:
            seen: dict[str, "RawMention"] = {}
            for m in fits[0]:
                seen.setdefault(m.key, m)
            return list(seen.values())
    return []


__all__ = ["COLLECTIVE_NOUNS", "collective_members", "count_of", "state_lists"]
