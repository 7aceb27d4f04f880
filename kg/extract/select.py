"""Which sentences can yield a fact: the cheap pass of the selective parse, before any parsing.

The selective parse (:func:`kg.extract.parse.parse_selected`) splits a text into
sentences with spaCy's rule-based sentencizer over the model's tokenizer, asks a
selector which sentences can yield a fact, and runs the whole pipeline only on
those (and their neighbours). :class:`SentenceSelector` is that selector: a
sentence is picked when it has a gazetteer match, a name-like token, a digit, or a
trigger word of ``kg/rules/triggers.yaml`` (see that file for why each kind).
Everything it reads is set by the tokenizer alone (``ORTH``/``LOWER``, character
classes), so it costs about as much as tokenizing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable, Iterable, Sequence

import yaml
from spacy.tokens import Doc, Span, Token

from ..errors import ConfigError

#: The rules file, in the ``kg.rules`` package.
TRIGGERS_FILE = "triggers.yaml"

#: A phrase matcher over a Doc: ``(tok_start, tok_end, keys)`` per match, as
#: :class:`kg.extract.mentions.GazetteerMatcher` returns.
Matcher = Callable[[Doc], Iterable[tuple[int, int, object]]]


@dataclass(frozen=True)
class Triggers:
    """The data of ``kg/rules/triggers.yaml``.

    Attributes:
        words: lower-case words that pick a sentence (as whole tokens; a plural in ``-s`` too).
        context: sentences either side of a picked one that are parsed with it (>= 0).
    """

    words: frozenset[str]
    context: int


def load_triggers(text: str | None = None) -> Triggers:
    """Read the trigger rules (``kg/rules/triggers.yaml``, or ``text`` in its format).

    Args:
        text: YAML text to read instead of the packaged file (for tests).

    Returns:
        The rules, with the Event head words of ``heads.yaml`` (the classes under
        ``heads_of``) added to ``words``.

    Raises:
        ConfigError: the file is malformed (names the file and the entry).
    """
    if text is None:
        return _packaged_triggers()
    return _parse_triggers(text)


@lru_cache(maxsize=1)
def _packaged_triggers() -> Triggers:
    return _parse_triggers(resources.files("kg.rules").joinpath(TRIGGERS_FILE).read_text(encoding="utf-8"))


def _parse_triggers(text: str) -> Triggers:
    where = f"kg/rules/{TRIGGERS_FILE}"
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping with context, heads_of and words")
    context = data.get("context", 1)
    if not isinstance(context, int) or isinstance(context, bool) or context < 0:
        raise ConfigError(f"{where}: context must be a whole number >= 0, got {context!r}")
    groups = data.get("words") or {}
    if not isinstance(groups, dict):
        raise ConfigError(f"{where}: words must be a mapping of group name -> list of words")
    words: set[str] = set()
    for name, group in groups.items():
        if not isinstance(group, list) or not all(isinstance(w, str) and w.strip() for w in group):
            raise ConfigError(f"{where}: words.{name} must be a list of words")
        words.update(w.strip().casefold() for w in group)
    words.update(_head_words(data.get("heads_of") or [], where))
    return Triggers(frozenset(words), context)


def _head_words(classes: object, where: str) -> set[str]:
    """The head words of the given classes in ``heads.yaml`` (their last word, for two-word heads)."""
    if not isinstance(classes, list):
        raise ConfigError(f"{where}: heads_of must be a list of class names of heads.yaml")
    heads = yaml.safe_load(resources.files("kg.rules").joinpath("heads.yaml").read_text(encoding="utf-8"))
    out: set[str] = set()
    for cls in classes:
        entry = heads.get(cls) if isinstance(heads, dict) else None
        if not isinstance(entry, list):
            raise ConfigError(f"{where}: heads_of names {cls!r}, which is no class of kg/rules/heads.yaml")
        out.update(str(w).split()[-1].casefold() for w in entry)
    return out


class SentenceSelector:
    """Pick the sentences of a tokenized, unparsed Doc that can yield a fact.

    Args:
        matcher: the gazetteer phrase matcher (any callable ``doc -> [(start, end, keys)]``), or
            None to go by names, digits and trigger words only.
        triggers: the trigger rules (default: ``kg/rules/triggers.yaml``).
    """

    def __init__(self, matcher: Matcher | None, triggers: Triggers | None = None) -> None:
        self.matcher = matcher
        self.triggers = triggers or load_triggers()

    @property
    def context(self) -> int:
        """Sentences either side of a picked one to parse with it (from the rules)."""
        return self.triggers.context

    def __call__(self, doc: Doc, sentences: Sequence[Span]) -> list[bool]:
        """One flag per sentence: whether it can yield a fact.

        Args:
            doc: the tokenized text (no parse needed).
            sentences: spans of ``doc``, in order, not overlapping.

        Returns:
            ``[reason(s) is not None for s in sentences]``.
        """
        return [r is not None for r in self.reasons(doc, sentences)]

    def reasons(self, doc: Doc, sentences: Sequence[Span]) -> list[str | None]:
        """Why each sentence is picked: ``"gazetteer"``, ``"name"``, ``"digit"``, ``"word"``, or None.

        Args:
            doc: the tokenized text.
            sentences: spans of ``doc``, in order, not overlapping.

        Returns:
            The first reason found for each sentence (None: it cannot yield a fact).
        """
        starts = sorted({s for s, _, _ in self.matcher(doc)}) if self.matcher is not None else []
        out: list[str | None] = []
        k = 0
        for sent in sentences:
            while k < len(starts) and starts[k] < sent.start:
                k += 1
            if k < len(starts) and starts[k] < sent.end:
                out.append("gazetteer")
            else:
                out.append(self._token_reason(sent))
        return out

    def _token_reason(self, sent: Span) -> str | None:
        first = True
        words = self.triggers.words
        for tok in sent:
            if tok.is_space or tok.is_punct:
                continue
            if _name_like(tok, first):
                return "name"
            first = False
            if any(c.isdigit() for c in tok.text):
                return "digit"
            low = tok.lower_
            if low in words or (low.endswith("s") and low[:-1] in words):
                return "word"
        return None


def _name_like(tok: Token, first: bool) -> bool:
    """A capitalised word that is not the first of its sentence, or one with a capital inside it."""
    text = tok.text
    if not text[:1].isupper():
        return False
    return not first or any(c.isupper() for c in text[1:])


__all__ = ["Matcher", "SentenceSelector", "TRIGGERS_FILE", "Triggers", "load_triggers"]
