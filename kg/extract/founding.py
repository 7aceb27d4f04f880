"""Founding facts over the dependency parse: "The HSU was set up under SOMTC in 2004".

A passive (or participial) founding verb from ``kg/rules/founding.yaml`` whose subject is a
body or mechanism gives ``establishedUnder`` for the body, mechanism or instrument named
after "under"/"within" ("within the DGICM framework" names the DGICM) and ``establishedIn``
for a year after "in". Planned or negated founding ("will be set up") gives nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml
from rdflib import Literal
from rdflib.namespace import XSD
from spacy.tokens import Token

from ..errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from .mentions import RawMention
    from .relations import KeyFact, RelationExtractor, _Ctx

#: Classes that can be founded, and classes they can be founded under.
FOUNDED = frozenset({"RegionalOrganization", "InternationalOrganization", "SectoralBody", "CooperationMechanism",
                     "GovernmentAgency", "Programme"})
UNDER = FOUNDED | {"Instrument"}


@dataclass(frozen=True)
class FoundingRules:
    """The founding verbs and prepositions of ``kg/rules/founding.yaml``."""

    verbs: frozenset[tuple[str, str | None]]  # (lemma, particle or None)
    under: frozenset[str]
    confidence: float


@lru_cache(maxsize=1)
def load_founding_rules() -> FoundingRules:
    """Load and check ``kg/rules/founding.yaml``.

    Returns:
        The rules.

    Raises:
        ConfigError: a field is missing or has the wrong type.
    """
    text = resources.files("kg.rules").joinpath("founding.yaml").read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
        verbs = set()
        for v in data["verbs"]:
            words = str(v).lower().split()
            if not 1 <= len(words) <= 2:
                raise ValueError(f"verb {v!r} must be a lemma or 'lemma particle'")
            verbs.add((words[0], words[1] if len(words) == 2 else None))
        conf = float(data["confidence"])
        if not 0 < conf <= 1:
            raise ValueError("confidence must be in (0, 1]")
        return FoundingRules(frozenset(verbs), frozenset(str(u).lower() for u in data["under"]), conf)
    except (KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
        raise ConfigError(f"kg/rules/founding.yaml: {exc}; fix the file") from exc


def _is_founding(tok: Token, rules: FoundingRules) -> bool:
    lemma = tok.lemma_.lower()
    for verb, particle in rules.verbs:
        if verb != lemma:
            continue
        if particle is None or any(ch.dep_ == "prt" and ch.lower_ == particle for ch in tok.children):
            return True
    return False


@lru_cache(maxsize=4)
def _founding_lemmas(rules: FoundingRules) -> frozenset[str]:
    """The lemmas of the founding verbs (without particles)."""
    return frozenset(verb for verb, _ in rules.verbs)


def _passive(tok: Token) -> bool:
    return any(ch.dep_ in {"nsubjpass", "auxpass"} for ch in tok.children) or (
        tok.tag_ == "VBN" and tok.dep_ in {"acl", "relcl"})


def founding_facts(extractor: "RelationExtractor", c: "_Ctx", out: list["KeyFact"]) -> None:
    """Append founding facts of one sentence to ``out``.

    Args:
        extractor: the relation extractor (for modality).
        c: the sentence context.
        out: facts found so far; appended to.
    """
    rules = load_founding_rules()
    lemmas = _founding_lemmas(rules)
    tok2m = c.tok2m

    def first_in(tokens: list[Token], classes: frozenset[str]) -> "RawMention | None":
        for t in sorted(tokens, key=lambda t: t.i):
            m = tok2m.get(t.i)
            if m is not None and m.cls in classes:
                return m
        return None

    for k, tok in enumerate(c.tokens):
        if c.lemmas[k] not in lemmas:  # cheap test first: _is_founding needs one of the verbs' lemmas
            continue
        if not (c.pos[k] == "VERB" or c.tags[k].startswith("VB")) or not _is_founding(tok, rules) or not _passive(tok):
            continue
        from .relations import KeyFact  # here, not at the top: relations imports this module

        if extractor._modality(tok) != "asserted":
            continue
        subj = next((ch for ch in tok.children if ch.dep_ == "nsubjpass"), None)
        if subj is not None:
            founded = first_in(list(subj.subtree), FOUNDED)
        elif tok.dep_ in {"acl", "relcl"}:
            founded = tok2m.get(tok.head.i)
            founded = founded if founded is not None and founded.cls in FOUNDED else None
        else:
            founded = None
        if founded is None:
            continue
        for ch in tok.children:
            if ch.dep_ != "prep":
                continue
            if ch.lower_ in rules.under:
                parent = first_in([t for t in ch.subtree if t.i != ch.i], UNDER)
                if parent is not None and parent.key != founded.key:
                    out.append(KeyFact(founded.key, "establishedUnder", parent.key, c.index, "founding.under",
                                       rules.confidence))
            elif ch.lower_ == "in":
                year = next((t for t in ch.children if t.dep_ == "pobj" and t.like_num and len(t.text) == 4
                             and t.text[:2] in {"19", "20"}), None)
                if year is not None:
                    out.append(KeyFact(founded.key, "establishedIn", Literal(year.text, datatype=XSD.gYear), c.index,
                                       "founding.in-year", rules.confidence))


__all__ = ["FoundingRules", "founding_facts", "load_founding_rules"]
