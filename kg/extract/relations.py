"""Relations and events from mentions and the dependency parse.

Trigger-verb rules come from ``kg/rules/relations.yaml``; the other rules
(names that imply structure, "X of the Y" units, "Place, State", dates,
counts, observers, frameworks, topics) are the functions below, each with the
rule id it stores in provenance. Statements that are planned, expected,
hoped for or negated are held back as candidates with their modality
(annotation guide, "Modality").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from spacy.tokens import Doc, Span, Token

from .collectives import collective_members, state_lists
from .founding import founding_facts
from ..errors import ConfigError
from ..model import Fact
from .dates import find_dates

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer
    from .mentions import RawMention
    from .pipeline import DocState

ORG = {"RegionalOrganization", "InternationalOrganization", "SectoralBody", "CooperationMechanism",
       "GovernmentAgency", "Programme"}
_PLANNED = {"will", "shall", "would", "plan", "plans", "planned", "expected", "expect", "hope", "hopes",
            "hoped", "propose", "proposed", "proposes", "intend", "intends", "scheduled", "upcoming",
            "forthcoming", "next", "aim", "aims", "could", "may", "might", "should", "to"}
#: A span of years, "2019-2022", "2024–2028", "2015/16".
_YEAR_RANGE = r"\b((?:19|20)\d\d)\s*[-–—/]\s*((?:19|20)?\d\d)\b"
#: Bare unit words that name a unit by what it is part of ("Office of the X Agency").
#: Source: kg/rules/heads.yaml ``units`` (the one-word unit heads).
_UNIT_WORDS = ("office", "secretariat", "bureau", "directorate", "department", "division", "unit", "section")
#: A gathering named by its two sides: "SOMTC-EU meeting", "meeting between SOMTC and Canada".
_BILATERAL = re.compile(r"\S+\s?[-–]\s?.+\s(?:meeting|session|consultations?|dialogue|talks)|"
                        r"(?:meeting|session|consultations?|dialogue|talks)\s+between\s.+\sand\s.+")
_NEG = {"not", "never", "no", "n't", "neither", "nor"}
#: End of a clause for list-reading rules: ";" or a full stop that is not an initial's ("P.R. China").
_FULL_STOP = (r"(?<![A-Z])(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bAmb)(?<!\bHon)(?<!\bProf)(?<!\bGen)"
              r"(?<!\bCol)(?<!\bLt)(?<!\bSt)(?<!\bNo)\.(?=\s|$)")
_CLAUSE_END = r";|" + _FULL_STOP

#: Plural heads of collectives ("ASEAN member states", "OSCE participating States"): no per-party facts.
#: Source: annotation-guide.md ("Collectives are not entities").
_COLLECTIVES = {"state", "country", "member", "partner", "nation", "government", "agency", "organisation",
                "organization", "body", "delegation", "ministry", "authority"}

#: Singular post titles heading a subject: the act is the person's, not their organisation's
#: (annotation guide; "a representative of X" is left out: it speaks for X).
_PERSON_TITLE_HEADS = {"director", "chief", "minister", "head", "secretary", "commissioner", "officer", "ambassador",
                       "president", "chairman", "chairperson", "chairwoman", "spokesperson", "spokesman", "general",
                       "undersecretary", "coordinator", "adviser", "advisor"}


def _outside_subject(head: Token, m: "RawMention", tok2m: dict) -> bool:  # type: ignore[type-arg]
    """Whether a mention inside a subject phrase is not itself a party to the verb.

    - inside a relative clause on the subject ("Timor-Leste, which was admitted as ASEAN's
      11th member, took part": not ASEAN);
    - a modifier of a plural collective ("The 57 OSCE participating States", "Experts from the
      12 Member States of ECOWAS": not OSCE, not ECOWAS; but "Delegations from Brunei" keeps Brunei);
    - another party named with a person who is the subject ("Commander Girma of the Ethiopian
      Federal Police presented": the person, not the police).
    """
    inside = range(m.tok_start, m.tok_end)
    for t in head.subtree:
        if t.dep_ in {"relcl", "acl"} and any(x.i in inside for x in t.subtree):
            return True
        if _singular(t.lower_) in _COLLECTIVES and tok2m.get(t.i) is None:
            if any(x.i in inside for left in t.lefts for x in left.subtree):
                return True
            if any(r.lower_ == "of" and any(x.i in inside for x in r.subtree) for r in t.rights):
                return True
    hm = tok2m.get(head.i)
    if hm is not None and hm.cls == "Person" and m.cls != "Person" and head.i not in inside:
        joined = {x.i for x in head.conjuncts}
        return not any(j in inside for j in joined)
    return False


def _singular(word: str) -> str | None:
    """The singular of a regular English plural ("agencies" -> "agency"), None for a word not ending in s."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else None


#: A list item line: a bullet or a number, then the item.
LIST_ITEM = re.compile(r"^\s*(?:[-–•*·]|\d{1,2}[.)])\s+")

#: Sentences apart within which two gazetteer bodies named in a text are taken as presented
#: together (their known partOf/agencyOf asserted). Source: dev corpus, precision of the link rule.
GAZ_LINK_WINDOW = 1

_EVENT_ANAPHORS = {"workshop", "meeting", "conference", "event", "seminar", "session", "forum",
                   "dialogue", "consultation", "summit", "training", "gathering", "programme", "program"}
#: Words before an event's name that make it the one prepared for, not the one taking place.
_PREPARING_FOR = re.compile(
    r"\b(?:(?:preparations?|preparing|preparatory(?:\s+\w+)?|ready)\s+for|to prepare|since|after|before|following|"
    r"ahead of|towards?|run-up to)\s+(?:the\s+)?$", re.I)
#: "ASEAN member states", "COMMIT countries" after an organisation's name.
_COLLECTIVE_AFTER = re.compile(r"\s+(?:member\s+(?:states|countries|nations)|members|countries|nations|states|member)\b", re.I)
#: "as host of the 38th ASEANAPOL Conference".
_AS_HOST = re.compile(r"\bas\s+(?:the\s+)?(?:co-)?hosts?\s+(?:country\s+)?(?:of|for)\s+(?:the\s+)?", re.I)
#: Words of a sentence that make a trigger in it planned (see ``RelationExtractor._modality``).
_PLANNED_IN_SENTENCE = frozenset({"scheduled", "upcoming", "forthcoming"})
_PLANNED_WORD = re.compile("|".join(sorted(_PLANNED_IN_SENTENCE)), re.I)
_DIGIT = re.compile(r"\d")


def _planned_tokens(doc: Doc, text: str) -> set[int]:
    """Indices of the tokens whose spaCy sentence (``Token.sent``) has a word of ``_PLANNED_IN_SENTENCE``.

    Args:
        doc: the parsed document.
        text: its text (``doc.text``, passed to spare joining the tokens again).

    Returns:
        Token indices; one ``Token.sent`` walk per planned word in the text, none per trigger.
    """
    out: set[int] = set()
    for hit in _PLANNED_WORD.finditer(text):
        span = doc.char_span(hit.start(), hit.end())
        if span is not None and len(span) == 1 and span[0].lower_ in _PLANNED_IN_SENTENCE:
            sent = span[0].sent
            out.update(range(sent.start, sent.end))
    return out


def _trie_alternation(forms: "set[str] | list[str]") -> str | None:
    """A pattern (for ``re.IGNORECASE``) that matches what the alternation of ``forms``, longest first, matches.

    The forms share their prefixes (a trie), so a search tries one branch per letter instead of
    every form at every position; at each position the longest form that fits wins, as in the
    plain alternation sorted by length. None when there are no forms, or when their letters fold
    in a way the trie cannot keep (two letters ``re.IGNORECASE`` identifies that ``str.lower``
    does not, or the reverse): then use the plain alternation.
    """
    forms = set(forms)
    if not forms or "" in forms:
        return None
    alphabet = sorted({ch for f in forms for ch in f})
    if any(len(ch.lower()) != 1 for ch in alphabet):
        return None
    folded = {ch: re.compile(re.escape(ch), re.I) for ch in alphabet}
    for a in alphabet:
        for b in alphabet:
            if a < b and (folded[a].fullmatch(b) is not None) != (a.lower() == b.lower()):
                return None
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for f in forms:
        node = root
        for ch in f:
            node = node.setdefault(ch.lower(), {})
        node[""] = {}

    def emit(node: dict) -> str:  # type: ignore[type-arg]
        alts = [re.escape(k) + emit(child) for k, child in sorted(node.items()) if k]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if "" in node else body  # greedy: the longer form first

    return emit(root)


@dataclass(frozen=True)
class KeyFact:
    """A fact over entity keys (before IRIs are minted)."""

    subject: str
    predicate: str
    object: str | Literal
    sentence: int
    rule: str
    confidence: float
    modality: str = "asserted"

    def resolvable(self, iri_of: dict[str, URIRef]) -> bool:
        """Whether both ends have IRIs."""
        return self.subject in iri_of and (isinstance(self.object, Literal) or self.object in iri_of)

    def resolve(self, iri_of: dict[str, URIRef]) -> Fact:
        """The same fact with IRIs."""
        obj = self.object if isinstance(self.object, Literal) else iri_of[self.object]
        return Fact(iri_of[self.subject], self.predicate, obj, self.sentence, self.rule, self.confidence,
                    self.modality)


@dataclass(frozen=True)
class VerbRule:
    """One trigger-verb rule from relations.yaml."""

    id: str
    predicate: str
    triggers: tuple[str, ...]
    agent: frozenset[str]
    patient: frozenset[str]
    direction: str
    confidence: float
    default_patient: str | None
    not_objects: frozenset[str] = frozenset()


def _expand(classes: list[str]) -> frozenset[str]:
    out = set()
    for c in classes:
        out |= ORG if c == "Organization" else {c}
    return frozenset(out)


@lru_cache(maxsize=1)
def load_verb_rules() -> tuple[VerbRule, ...]:
    """Load and check ``kg/rules/relations.yaml``.

    Raises:
        ConfigError: an entry lacks a field or names an unknown direction (with its position).
    """
    text = resources.files("kg.rules").joinpath("relations.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    rules = []
    for n, item in enumerate(data or [], 1):
        try:
            if item["direction"] not in {"agent->patient", "patient->agent"}:
                raise ValueError(f"unknown direction {item['direction']!r}")
            rules.append(VerbRule(
                item["id"], item["predicate"], tuple(str(t).lower() for t in item["triggers"]),
                _expand(item["agent"]), _expand(item["patient"]), item["direction"],
                float(item["confidence"]), item.get("default_patient"),
                frozenset(str(t).lower() for t in item.get("not_objects") or ()),
            ))
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"kg/rules/relations.yaml: rule #{n}: {exc}; fix the entry") from exc
    return tuple(rules)


class RelationExtractor:
    """Apply every relation rule to one document's mentions and parse."""

    def _membership(self, c: "_Ctx", out: list[KeyFact]) -> None:
        _membership_impl(self, c, out)

    def _cues(self, c: "_Ctx", out: list[KeyFact]) -> None:
        _cues_impl(self, c, out)

    def _founding(self, c: "_Ctx", out: list[KeyFact]) -> None:
        _founding_impl(self, c, out)

    def __init__(self, gazetteer: "Gazetteer") -> None:
        self.gazetteer = gazetteer
        self.verb_rules = load_verb_rules()
        self._single: dict[str, list[VerbRule]] = {}
        self._multi: list[tuple[tuple[str, ...], VerbRule]] = []
        for r in self.verb_rules:
            for t in r.triggers:
                if " " in t:
                    self._multi.append((tuple(t.split()), r))
                else:
                    self._single.setdefault(t, []).append(r)
        self._multi_first = frozenset(words[0] for words, _ in self._multi)
        #: tokens of the document being extracted whose spaCy sentence has a planned word (see
        #: ``_modality``); None between documents
        self._planned: set[int] | None = None

    def extract(self, state: "DocState") -> tuple[list[KeyFact], list[KeyFact]]:
        """Return (asserted facts, held-back candidates) for the document."""
        self._planned = _planned_tokens(state.doc, state.document.text)
        try:
            return self._extract(state)
        finally:
            self._planned = None

    def _extract(self, state: "DocState") -> tuple[list[KeyFact], list[KeyFact]]:
        out: list[KeyFact] = []
        doc = state.doc
        by_sent: dict[int, list["RawMention"]] = {}
        for m in state.mentions:
            by_sent.setdefault(state.sentence_at(m.start), []).append(m)
        current_event: str | None = None
        last_person: "RawMention | None" = None
        prev_subject: str | None = None
        last_instrument: str | None = None
        contexts: list[_Ctx] = []
        lists = state_lists(state.mentions, state.document.text)
        published = state.document.published or _year_of_headline(state.document.text)
        # name-implied facts (names make plain)
        for m in state.mentions:
            self._from_name(state, m, out)
        for sent in state.sentences:
            ms = by_sent.get(sent.index, [])
            span = doc.char_span(sent.start, sent.end, alignment_mode="expand")
            if span is None:
                continue
            text = state.document.text
            events = [m for m in ms if m.cls == "Event"
                      and not _PREPARING_FOR.search(text[max(sent.start, m.start - 25):m.start])]
            prev_event = current_event
            if events:
                current_event = events[0].key
            ctx = _Ctx(state, sent.index, span, ms, None, None, state.table.tokens[span.start:span.end])
            ev = events[0].key if events else (current_event if self._refers_back(ctx) else None)
            fallback = current_event
            if not events and self._names_other_event(ctx):
                fallback = ev = None  # the sentence is about another, unrecognised event: attach nothing to ours
            ctx.event = ev or fallback
            ctx.own_event = ev
            ctx.published = published
            ctx.prev_event = prev_event if fallback else None
            ctx.last_person = last_person
            ctx.state_lists = lists
            ctx.prev_subject = prev_subject
            ctx.last_instrument = last_instrument
            instruments_here = [m for m in ms if m.cls == "Instrument"]
            if instruments_here:
                last_instrument = instruments_here[-1].key
            subjects_here = [m for m in ms if m.cls in self._TOPIC_SUBJECTS]
            if subjects_here:
                prev_subject = subjects_here[0].key
            persons_here = [m for m in ms if m.cls == "Person"]
            if persons_here:
                last_person = persons_here[-1]
            ctx.own_event_start = events[0].start if events else None
            self._structure(ctx, out)
            self._observers(ctx, out)
            self._verbs(ctx, out)
            self._dates_counts(ctx, out)
            self._frameworks(ctx, out)
            self._topics(ctx, out)
            self._persons(ctx, out)
            self._lead_shepherd(ctx, out)
            self._as_chair(ctx, out)
            self._holds_chair(ctx, out)
            self._relative_chair(ctx, out)
            self._at_event_subjects(ctx, out)
            self._listed_bodies(ctx, out)
            self._membership(ctx, out)
            self._cues(ctx, out)
            self._founding(ctx, out)
            founding_facts(self, ctx, out)
            contexts.append(ctx)
        from .lists import list_facts

        list_facts(state, contexts, out)
        self._gazetteer_links(state, out)
        self._named_topics(state, out)
        facts: dict[tuple, KeyFact] = {}
        cands: dict[tuple, KeyFact] = {}
        for f in out:
            if f.subject == f.object:
                continue
            key = (f.subject, f.predicate, f.object)
            target = facts if f.modality == "asserted" and f.confidence >= 0.5 else cands
            if key not in target or target[key].confidence < f.confidence:
                target[key] = f
        for k in list(cands):
            if k in facts:
                del cands[k]
        for pred in ("startDate", "endDate", "endorsementDate", "participantCount", "countryCount", "establishedIn"):
            by_subject: dict[str, list[tuple]] = {}
            for k, f in facts.items():
                if f.predicate == pred:
                    by_subject.setdefault(f.subject, []).append(k)
            for keys in by_subject.values():
                if len(keys) > 1:
                    keys.sort(key=lambda k: (-facts[k].confidence, facts[k].sentence))
                    for k in keys[1:]:
                        f = facts.pop(k)
                        cands[k] = KeyFact(f.subject, f.predicate, f.object, f.sentence, f.rule, f.confidence,
                                           "conflicting")
        return list(facts.values()), list(cands.values())

    # -- helpers -------------------------------------------------------------------------

    @staticmethod
    def _refers_back(c: "_Ctx") -> bool:
        """Whether the sentence refers back to an event ("The workshop ...", "It aimed ...").

        An event noun after "the/this/that" (also across the sentence's start), or a sentence
        opening with "it"/"they"; read from the sentence's precomputed lower-case words.
        """
        lowers = c.lowers
        start = c.span.start
        for k, low in enumerate(lowers):
            if low in _EVENT_ANAPHORS and start + k > 0 and (
                    lowers[k - 1] if k else c.span.doc[start - 1].lower_) in {"the", "this", "that"}:
                return True
        return lowers[0] in {"it", "they"}

    @classmethod
    def _names_other_event(cls, c: "_Ctx") -> bool:
        """:meth:`_other_event` for a sentence, reading only its event nouns as tokens."""
        lemmas, pos = c.lemmas, c.pos
        nouns = [c.tokens[k] for k in range(len(lemmas)) if pos[k] == "NOUN" and lemmas[k] in _EVENT_ANAPHORS]
        return bool(nouns) and cls._other_event(nouns, c.mentions)

    @staticmethod
    def _other_event(span: "Span | list[Token]", mentions: list) -> bool:
        """Whether the sentence names an event that is not one of the recognised ones.

        "at the SOMTC-EU meeting" (a proper-noun modifier), "in another of the meetings",
        "separate sessions": the sentence is about some other gathering than the one the text
        was talking about, so facts must not fall back to that one. A bare anaphor ("the
        meeting", "the two-day workshop") is not another event.
        """
        inside = {i for m in mentions for i in range(m.tok_start, m.tok_end)}
        for t in span:
            if t.pos_ != "NOUN" or t.lemma_.lower() not in _EVENT_ANAPHORS or t.i in inside:
                continue
            if any(ch.dep_ == "compound" and ch.pos_ == "PROPN" for ch in t.children):
                return True
            if any(ch.dep_ == "det" and ch.lower_ in {"another", "other"} for ch in t.children):
                return True
            if any(ch.dep_ == "amod" and ch.lower_ in {"separate", "other", "another", "next", "previous"}
                   for ch in t.children):
                return True
            head = t.head
            if t.tag_ == "NNS" and head.lower_ == "of" and head.head.lower_ in {"another", "one", "each", "some"}:
                return True
        return False

    def _from_name(self, state: "DocState", m: "RawMention", out: list[KeyFact]) -> None:
        sent = state.sentence_at(m.start)
        containers = [m, *m.nested]
        for outer in containers:
            for inner in m.nested:
                if inner is outer or not (outer.start <= inner.start and inner.end <= outer.end):
                    continue
                if inner.key == outer.key:
                    continue
                if any(x is not outer and x is not inner and x.start <= inner.start and inner.end <= x.end
                       and outer.start <= x.start and x.end <= outer.end and (x.start, x.end) != (outer.start, outer.end)
                       for x in m.nested):
                    continue  # not a direct child
                self._name_relation(state, outer, inner, sent, out)
        # the gazetteer's own structure, when the name as written shows it
        self._gazetteer_structure(state, m, sent, out)
        for x in (m, *m.nested):
            self._name_facts(state, x, sent, out)

    _GAZ_STRUCTURE = ("partOf", "agencyOf", "establishedUnder", "reportsTo")

    def _gazetteer_links(self, state: "DocState", out: list[KeyFact]) -> None:
        """Structure the gazetteer knows between two agencies/states that the document both names.

        Only ``agencyOf`` and ``partOf`` of government agencies: the annotation guide
        takes an agency to act for its state when the text presents it with that state.
        """
        first: dict[str, int] = {}
        sents_of: dict[str, set[int]] = {}
        block = list(range(len(state.sentences)))  # a list item counts as its introducing sentence
        for st in state.sentences:
            if st.index and LIST_ITEM.match(st.text):
                block[st.index] = block[st.index - 1]
        for m in state.mentions:
            for x in (m, *m.nested):
                first.setdefault(x.key, state.sentence_at(x.start))
                sents_of.setdefault(x.key, set()).add(block[state.sentence_at(x.start)])

        def near(a: str, b: str) -> bool:
            """Named in the same or the next sentence: presented together, not just both somewhere."""
            return any(abs(i - j) <= GAZ_LINK_WINDOW for i in sents_of.get(a, ()) for j in sents_of.get(b, ()))

        for key, sent in first.items():
            if not key.startswith("reg:"):
                continue
            entry = self.gazetteer.entry(key[4:])
            if entry is None or entry.type not in {"GovernmentAgency", "SectoralBody"}:
                continue
            has_parent = any(p == "partOf" and "reg:" + t in state.entities for p, t in entry.relations)
            for p, target in entry.relations:
                if p == "agencyOf" and has_parent:
                    continue  # a unit belongs to its state through its parent agency
                if p in {"agencyOf", "partOf"} and "reg:" + target in state.entities and near(key, "reg:" + target):
                    out.append(KeyFact(key, p, "reg:" + target, sent, f"gazetteer.{p}", 0.7))

    def _gazetteer_structure(self, state: "DocState", m: "RawMention", sent: int, out: list[KeyFact]) -> None:
        for x in (m, *m.nested):
            if not x.key.startswith("reg:"):
                continue
            entry = self.gazetteer.entry(x.key[4:])
            if entry is None or entry.type in {"InternationalOrganization", "RegionalOrganization"}:
                continue
            for p, target in entry.relations:
                if p not in self._GAZ_STRUCTURE:
                    continue
                tkey = "reg:" + target
                if any(n.key == tkey and x.start <= n.start and n.end <= x.end for n in m.nested):
                    out.append(KeyFact(x.key, p, tkey, sent, f"name.gazetteer.{p}", 0.85))

    def _name_relation(self, state: "DocState", m: "RawMention", inner: "RawMention", sent: int,
                       out: list[KeyFact]) -> None:
        rel = None
        if inner.cls == "State" and m.cls == "GovernmentAgency":
            rel = "agencyOf"
        elif m.cls == inner.cls == "GovernmentAgency" and inner.end == m.end and re.fullmatch(
                r"(?:" + "|".join(_UNIT_WORDS) + r")\s+of\s+(?:the\s+)?", state.document.text[m.start:inner.start], re.I):
            rel = "partOf"  # "Office of the Police Investigation Agency" partOf "Police Investigation Agency"
        elif inner.cls == "RegionalOrganization" and m.cls in {"SectoralBody"} and m.text.startswith(inner.text):
            rel = "partOf"
        elif inner.cls in {"InternationalOrganization", "RegionalOrganization"} and m.key.startswith("new:") \
                and m.cls in {"InternationalOrganization", "SectoralBody"} and m.text.startswith(inner.text):
            rel = "partOf"  # "UNODC Regional Office for Central Asia" partOf UNODC (a new unit of a known body)
        elif m.cls == "Event" and inner.cls in ORG | {"State"} and _BILATERAL.fullmatch(m.text):
            out.append(KeyFact(inner.key, "participatedIn", m.key, sent, "name.bilateral", 0.8))
        elif inner.cls == "Topic" and m.cls in {"Event", "Instrument", "CooperationMechanism", "Programme"}:
            rel = "addresses"
        elif inner.cls in {"CooperationMechanism", "Instrument"} and m.cls == "Event":
            before = state.document.text[max(m.start, inner.start - 12): inner.start].lower()
            if "under" in before or "framework of" in before:
                rel = "underFramework"
            elif inner.start == m.start and re.fullmatch(r"\S+(?:\s+\S+)*?\s+(?:joint\s+)?action\s+(?:days?|week)", m.text):
                rel = "underFramework"  # "EMPACT joint action days": operational action under the mechanism
        elif inner.cls == "Place" and m.cls == "Event":
            before = state.document.text[max(m.start, inner.start - 5): inner.start].lower()
            if re.search(r"\b(in|at)\s+$", before):
                rel = "heldIn"
        if rel:
            out.append(KeyFact(m.key, rel, inner.key, sent, f"name.{rel}", 0.85))

    def _name_facts(self, state: "DocState", m: "RawMention", sent: int, out: list[KeyFact]) -> None:
        """Facts one name states about itself: a demonym's state, an instrument's period."""
        # demonym inside an agency name ("Royal Thai Police", "Malaysian Immigration")
        if m.cls == "GovernmentAgency":
            for word in re.findall(r"[A-Z][a-z]+", m.text):
                sid = self.gazetteer.demonyms.get(word)
                if sid:
                    key = "reg:" + sid
                    entry = self.gazetteer.entry(sid)
                    if entry is not None:
                        if key not in state.entities:
                            from ..model import Entity

                            state.entities[key] = Entity(URIRef(""), entry.type, entry.name, set(), sid)
                        out.append(KeyFact(m.key, "agencyOf", key, sent, "name.demonym.agencyOf", 0.8))
        # year range in an instrument's name
        if m.cls == "Instrument":
            yr = re.search(_YEAR_RANGE, m.text)
            rule = "name.period"
            if yr is None:  # "the SOMTC + ROK Work Plan (2026–2028)": the period in brackets after the name
                yr = re.match(r"\s*\(\s*" + _YEAR_RANGE + r"\s*\)", state.document.text[m.end:m.end + 20])
                rule = "name.period-bracket"
            if yr:
                a, b = yr.group(1), yr.group(2)
                if len(b) == 2:
                    b = a[:2] + b
                out.append(KeyFact(m.key, "periodStart", Literal(a, datatype=XSD.gYear), sent, rule, 0.9))
                out.append(KeyFact(m.key, "periodEnd", Literal(b, datatype=XSD.gYear), sent, rule, 0.9))

    def _structure(self, c: "_Ctx", out: list[KeyFact]) -> None:
        """"X of the Y", "X at the Y", "Y's X", "Place, State" patterns between adjacent mentions."""
        ms = c.mentions
        text = c.state.document.text
        for a, b, d in zip(ms, ms[1:], ms[2:]):
            # "the Office of the Police Investigation Agency in Vietnam's Ministry of Public Security"
            if a.cls == d.cls == "GovernmentAgency" and b.cls == "State" and re.fullmatch(r"\s+(?:in|within)\s+", text[a.end:b.start]) \
                    and text[b.end:d.start] in {"'s ", "’s "}:
                tail = [n for n in a.nested if n.end == a.end and n.cls == "GovernmentAgency"]
                out.append(KeyFact((tail[-1] if tail else a).key, "partOf", d.key, c.index, "structure.unit-in", 0.8))
                c.parents.add(d.key)
        for i, (a, b) in enumerate(zip(ms, ms[1:])):
            between = text[a.end:b.start]
            if i and ms[i - 1].key == a.key and re.fullmatch(r"\s*\(", text[ms[i - 1].end:a.start]):
                a = ms[i - 1]  # "Office of Investigation Police Agency (OIPA) of the Ministry": the name's tail
                between = re.sub(r"^\s*\)", "", between)
            tail = [n for n in a.nested if n.end == a.end and n.cls == a.cls == "GovernmentAgency"]
            if tail and (between.strip().lower() in {"at the", "at", "in the", "within the"}
                         or (between.strip().lower() in {"of the", "of"} and a.text.split()[0].lower() in _UNIT_WORDS
                             and a.text.split()[1].lower() in {"of", "the"})):
                a = tail[-1]  # the office's agency is the unit of the ministry
            bl = between.strip().lower()
            if a.cls == "GovernmentAgency" and b.cls == "GovernmentAgency" and bl in {"of the", "of", "at the", "in the", "under the", "within the"}:
                out.append(KeyFact(a.key, "partOf", b.key, c.index, "structure.unit-of", 0.85))
                c.parents.add(b.key)
            elif a.cls == "GovernmentAgency" and b.cls == "State" and bl in {"of", "of the"}:
                out.append(KeyFact(a.key, "agencyOf", b.key, c.index, "structure.agency-of-state", 0.85))
                c.parents.add(b.key)
            elif a.cls == "State" and b.cls == "GovernmentAgency" and between in {"'s ", "’s ", "' ", "'s", "’s"}:
                out.append(KeyFact(b.key, "agencyOf", a.key, c.index, "structure.possessive-agency", 0.85))
                c.parents.add(a.key)
            elif a.cls in ORG and b.cls in {"GovernmentAgency", "SectoralBody"} and between in {"'s ", "’s "} \
                    and a.cls != "GovernmentAgency" or (a.cls == b.cls == "GovernmentAgency" and between in {"'s ", "’s "}):
                # "the AUC's Department of Health ...", "the ministry's Immigration Division"
                out.append(KeyFact(b.key, "partOf", a.key, c.index, "structure.possessive-unit", 0.8))
                c.parents.add(a.key)
            elif a.cls == "GovernmentAgency" and b.cls == "State" and between.strip() == "," and (
                    b.end >= c.span.end_char - 1 or re.match(r"\s*[,;.)]|\s+and\b", text[b.end:b.end + 6])):
                # "Ministry for Home Affairs, Singapore"
                out.append(KeyFact(a.key, "agencyOf", b.key, c.index, "structure.agency-comma-state", 0.8))
                c.parents.add(b.key)
            elif a.cls == "Place" and b.cls == "State" and between.strip() == ",":
                out.append(KeyFact(a.key, "locatedIn", b.key, c.index, "structure.place-comma-state", 0.9))
                c.parents.add(b.key)
            elif a.cls in ORG - {"GovernmentAgency"} and b.cls == "RegionalOrganization" and bl in {"of", "of the"} and a.cls == "SectoralBody":
                out.append(KeyFact(a.key, "partOf", b.key, c.index, "structure.body-of", 0.8))
                c.parents.add(b.key)
        # "ASEAN member states", "COMMIT countries": a collective, not the organisation itself
        for m in ms:
            if m.cls in ORG and _COLLECTIVE_AFTER.match(text[m.end:m.end + 30]):
                c.parents.add(m.key)
        # "SOMTC Philippines": a body named with a state is that state's delegation to it
        for a, b in zip(ms, ms[1:]):
            if a.cls == "SectoralBody" and b.cls == "State" and text[a.end:b.start] == " ":
                c.parents.add(a.key)
        # heldIn: event followed by in/at a place
        for m in ms:
            if m.cls != "Event":
                continue
            after = [x for x in ms if x.start >= m.end]
            for x in after[:3]:
                gap = text[m.end:x.start].lower()
                if x.cls in {"Place", "State"} and re.search(r"\b(in|at)\s*(the\s*)?$", gap) and len(gap) < 60 and not re.search(r"[.;]", gap):
                    planned = re.search(r"\b(to be held|will be held|scheduled|planned|set to|next|upcoming|forthcoming|"
                                        r"will host|to host|would host|will convene|will meet)\b",
                                        gap + " " + text[max(c.span.start_char, m.start - 40):m.start].lower())
                    gov = c.span.doc[m.tok_start]
                    while gov.pos_ not in {"VERB", "AUX"} and gov.head.i != gov.i:
                        gov = gov.head  # the verb that governs the event's name ("will host the 18th AHG ...")
                    modality = "planned" if planned else self._modality(gov)
                    out.append(KeyFact(m.key, "heldIn", x.key, c.index, "event.held-in", 0.85, modality))
                    break
        # "sent delegates to Hanoi for the 8th SOM and 3rd IMM", "gathered in Manila for the 4th EWG"
        for i, x in enumerate(ms):
            if x.cls != "Place" or not re.search(r"\b(?:to|in)\s+$", text[max(c.span.start_char, x.start - 4):x.start]):
                continue
            evs = [e for e in ms[i + 1:] if e.cls == "Event"]
            if not evs or not re.fullmatch(r"\s+for\s+(?:the\s+)?", text[x.end:evs[0].start]):
                continue
            targets = [evs[0]]
            for e1, e2 in zip(evs, evs[1:]):
                if e1 is targets[-1] and re.fullmatch(r"\s+and\s+(?:the\s+)?", text[e1.end:e2.start]):
                    targets.append(e2)
            gov = c.span.doc[x.tok_start]
            while gov.pos_ not in {"VERB", "AUX"} and gov.head.i != gov.i:
                gov = gov.head
            for ev in targets:
                out.append(KeyFact(ev.key, "heldIn", x.key, c.index, "event.held-in.travel", 0.8, self._modality(gov)))
        # "held in / took place in / met ... at the Hofburg Palace in Vienna": the venue chain
        if c.event:
            places = [x for x in ms if x.cls in {"Place", "State"}]
            for x in places:
                before = text[max(c.span.start_char, x.start - 60):x.start].lower()
                if not re.search(r"\b(held|took place|taking place|met|was staged|convened|ended|opened|closed|came to a close|"
                                 r"gathered|assembled)\s+(?:[\w,]+\s+){0,6}?(in|at)\s+(the\s+)?$", before):
                    continue
                planned = re.search(r"\b(to be held|will be held|will take place|scheduled|planned)\b", before)
                modality = "planned" if planned else "asserted"
                targets = [c.event]
                evs = [e for e in ms if e.cls == "Event"]
                for e1, e2 in zip(evs, evs[1:]):  # "for the 8th Senior Officials Meeting and 3rd Inter Ministerial Meeting"
                    if e1.key in targets and re.fullmatch(r"\s+and\s+(?:the\s+)?", text[e1.end:e2.start]):
                        targets.append(e2.key)
                for ev in targets:
                    out.append(KeyFact(ev, "heldIn", x.key, c.index, "event.held-in.verb", 0.8, modality))
                prev = x
                for y in places[places.index(x) + 1:]:
                    joint = text[prev.end:y.start]
                    if re.fullmatch(r"\s+in\s+(?:the\s+)?", joint) or (
                            re.fullmatch(r"\s*,\s*(?:Metro\s+)?", joint) and y.cls == "Place"):
                        out.append(KeyFact(c.event, "heldIn", y.key, c.index, "event.held-in.chain", 0.75, modality))
                        prev = y
                    else:
                        break
                break
        # "the force's experience as host of the 38th ASEANAPOL Conference"
        for hm in _AS_HOST.finditer(c.text):
            at = c.span.start_char + hm.end()
            event = next((x for x in ms if x.cls == "Event" and x.start == at), None)
            hosts = [x for x in ms if x.cls in {"State"} | ORG and x.end <= c.span.start_char + hm.start()]
            if event and hosts:
                out.append(KeyFact(event.key, "hostedBy", hosts[-1].key, c.index, "hosting.as-host", 0.75))

    def _modality(self, tok: Token) -> str:
        """Modality of a trigger verb from its auxiliaries, negation and governing verbs."""
        if tok.tag_ == "VB" and any(ch.dep_ == "aux" and ch.lower_ == "to" for ch in tok.children) and (
                tok.dep_ in {"ROOT", "acl", "appos"} or any(ch.dep_ == "nsubj" for ch in tok.children)):
            return "planned"  # headline style: "Sar Kheng to chair 16th AMMTC"
        for ch in tok.children:
            if ch.dep_ == "neg" or ch.lower_ in _NEG:
                return "negated"
            if ch.dep_ in {"aux", "auxpass"} and ch.lower_ in {"will", "shall", "would", "could", "may", "might", "should", "'ll"}:
                return "planned"
        head = tok
        for _ in range(3):
            if head.head.i == head.i:
                break
            if head.dep_ in {"xcomp", "ccomp", "advcl"} and head.head.lemma_ in {"plan", "expect", "hope", "propose", "intend", "aim", "agree", "schedule", "seek"}:
                return "planned"
            head = head.head
        if self._planned_sentence(tok):
            return "planned"
        return "asserted"

    def _planned_sentence(self, tok: Token) -> bool:
        """Whether ``tok.sent`` has "scheduled", "upcoming" or "forthcoming" (found once per document)."""
        if self._planned is None:  # outside extract()
            return any(t.lower_ in _PLANNED_IN_SENTENCE for t in tok.sent)
        return tok.i in self._planned

    def _verbs(self, c: "_Ctx", out: list[KeyFact]) -> None:
        span = c.span
        tok2m = c.tok2m
        pos, tags, lemmas, lowers = c.pos, c.tags, c.lemmas, c.lowers
        for k, tok in enumerate(c.tokens):
            if not (pos[k] in {"VERB", "AUX"} or tags[k].startswith("VB")):
                continue
            lem = lemmas[k]
            rules = list(self._single.get(lem, []))
            if lem in self._multi_first or lowers[k] in self._multi_first:
                for words, r in self._multi:
                    if words[0] in {lem, lowers[k]}:
                        seq = [t.lower_ for t in tok.doc[tok.i:tok.i + len(words) + 2]]
                        if all(w in seq for w in words[1:]):
                            rules.append(r)
            if not rules:
                continue
            passive = any(ch.dep_ in {"nsubjpass", "auxpass"} for ch in tok.children) or (
                tok.tag_ == "VBN" and tok.dep_ in {"acl", "relcl", "advcl"}
            )
            agents, patients = self._arguments(tok, passive, tok2m, c)
            modality = self._modality(tok)
            objects = {ch.lemma_.lower() for ch in tok.children if ch.dep_ in {"dobj", "attr"}}
            for r in rules:
                if r.not_objects & objects:
                    continue
                ag = [m for m in agents if (m.cls in r.agent or (r.predicate == "hostedBy" and m.cls == "Place"))
                      and m.key not in c.parents]
                pa = [m for m in patients if m.cls in r.patient]
                pa_keys = [m.key for m in pa]
                if not pa_keys and r.default_patient == "current_event" and c.event and "Event" in r.patient \
                        and self._may_default(tok, passive, patients, c.span):
                    # the event this sentence opens with ("At the 12th AMMTC, X spoke"), else the one
                    # the text was already talking about ("X briefed members on how the Forum was launched")
                    in_subject = {x.i for ch in tok.children if ch.dep_ == "nsubj" for x in ch.subtree}
                    own_in_subject = any(m.key == c.own_event and m.tok_start in in_subject for m in c.mentions)
                    if own_in_subject:
                        # "X, chair of the 42nd Conference, delivered the opening address": the event in
                        # the speaker's title is not where they spoke; the one the text was about is
                        pa_keys = [c.prev_event] if c.prev_event and c.prev_event != c.own_event else []
                    elif c.own_event and c.own_event_start is not None and c.own_event_start < tok.idx:
                        pa_keys = [c.own_event]
                    else:
                        pa_keys = [c.prev_event or c.event]
                for a in ag:
                    for p in pa_keys:
                        if a.key == p:
                            continue
                        s, o = (a.key, p) if r.direction == "agent->patient" else (p, a.key)
                        predicate = r.predicate
                        if predicate == "organizedBy" and self._own_meeting(c, p, a):
                            continue  # "the Mechanism held its first meeting": a body's own session, not one it organised
                        if predicate == "hostedBy" and a.cls == "Place":
                            predicate = "heldIn"  # "Dushanbe hosted the workshop": a place hosts by being the venue
                        out.append(KeyFact(s, predicate, o, c.index, r.id, r.confidence, modality))
                        if r.predicate == "presentedAt" and modality == "asserted":
                            out.append(KeyFact(a.key, "participatedIn", p, c.index, r.id + ".participant", 0.8))

    @staticmethod
    def _own_meeting(c: "_Ctx", event_key: str, agent: "RawMention") -> bool:
        """Whether an event is named as the agent's own meeting ("first meeting of the Consultation Mechanism")."""
        ev = c.state.entities.get(event_key)
        body = c.state.entities.get(agent.key)
        return ev is not None and body is not None and ev.label.casefold().endswith(" of the " + body.label.casefold())

    @classmethod
    def _may_default(cls, tok: Token, passive: bool, patients: list, span: Span) -> bool:
        """Whether a verb with no event argument may take the event the text is talking about.

        Not when its patient is something else: "the Philippine delegation, led by X" (a participle
        on a non-event noun), "The plan was funded by X" (a passive subject that is not an event),
        "Funded by the European Union." (a fragment with no subject at all).
        """
        events = _EVENT_ANAPHORS | {"operation", "action", "mission"}
        if tok.dep_ in {"acl", "relcl"}:
            if any(ch.dep_ == "nsubj" and ch.tag_ in {"WP", "WDT"} for ch in tok.children):
                return True  # "..., who chaired the meeting": the noun is the agent, the event is ours
            return tok.head.lemma_.lower() in events or bool(patients)
        subjects = [ch for ch in tok.children if ch.dep_ in {"nsubj", "nsubjpass"}]
        if not subjects and tok.dep_ == "conj":  # "The operation ... was led by Austria and co-led by Romania"
            subjects = [ch for ch in tok.head.children if ch.dep_ in {"nsubj", "nsubjpass"}]
        if not subjects and tok.tag_ == "VBN" and not any(ch.dep_ in {"aux", "auxpass"} for ch in tok.children) \
                and tok.dep_ == "ROOT":
            return False  # "Funded by the European Union.": a fragment
        if passive:
            if not subjects:  # a parse that lost the subject: "The operation, codenamed X, was led by Y"
                return span[0].lower_ == "the" and span[1].lemma_.lower() in events if len(span) > 1 else False
            return any(ch.lemma_.lower() in events or ch.pos_ == "PRON" for ch in subjects) or bool(patients)
        return True

    def _arguments(self, tok: Token, passive: bool, tok2m: dict, c: "_Ctx"):  # type: ignore[no-untyped-def]
        """Agent and patient mentions of a trigger verb."""
        def mentions_in(t: Token) -> list["RawMention"]:
            seen: dict[str, "RawMention"] = {}
            for x in t.subtree:
                m = tok2m.get(x.i)
                if m is not None:
                    seen.setdefault(m.key, m)
            return list(seen.values())

        agents: list = []
        patients: list = []
        heads = [tok]
        # "co-chaired" is parsed as "co" (the verb) "-" "chaired": read the arguments of both
        if tok.i >= 2 and tok.doc[tok.i - 1].text == "-" and tok.doc[tok.i - 2].lower_ == "co":
            heads.append(tok.doc[tok.i - 2])
            passive = passive or any(ch.dep_ in {"nsubjpass", "auxpass"} for ch in tok.doc[tok.i - 2].children)
        for ch in (c_ for h in heads for c_ in h.children):
            if ch.dep_ in {"nsubj"} and not passive:
                found = mentions_in(ch)
                found = [m for m in found if not _outside_subject(ch, m, tok2m)]
                if tok2m.get(ch.i) is None and ch.lemma_.lower() in _PERSON_TITLE_HEADS \
                        and _singular(ch.lower_) is None:
                    found = []  # "the OIPA Director General spoke": a person's act, not the office's
                if not found and ch.lower_ in {"he", "she"} and c.last_person is not None:
                    found = [c.last_person]  # "He explained ...": the person the text was talking about
                if not found:
                    found = collective_members(ch.subtree, c.state_lists)  # "the six governments" the text lists
                agents += found
            elif ch.dep_ in {"nsubjpass"} or (ch.dep_ == "nsubj" and passive):
                patients += mentions_in(ch)
            elif ch.dep_ == "agent":
                # "hosted by Mr. David Frend, who is Officer-in-Charge of the UNODC Office": Frend, not the office
                agents += [m for m in mentions_in(ch) if not _outside_subject(ch, m, tok2m)]
            elif ch.dep_ in {"dobj", "attr", "oprd"}:
                found = mentions_in(ch)
                # the direct object itself ("attended the 21st SOMTC"), not an event named inside
                # what was presented ("presented the issues of the 39th Conference")
                direct = [m for m in found if m.tok_start <= ch.i < m.tok_end]
                patients += direct if direct else [m for m in found if m.cls != "Event"]
            elif ch.dep_ == "prep" and ch.lower_ in {"in", "at", "to", "during", "for", "with"}:
                pobj = [g for g in ch.children if g.dep_ == "pobj"]
                pobj += [x for g in pobj for x in g.conjuncts]  # "for the 8th SOM and (the) 3rd IMM"
                found = mentions_in(ch)
                direct = [m for m in found if any(m.tok_start <= g.i < m.tok_end for g in pobj)]
                patients += direct if direct else [m for m in found if m.cls != "Event"]
            elif ch.dep_ == "prt":
                for gch in ch.children:
                    patients += mentions_in(gch)
            elif ch.dep_ == "conj" and ch.pos_ != "VERB":
                pass
        # participle/relative clause attached to a noun: "the meeting, hosted by X" / "X, which hosted"
        if tok.dep_ in {"acl", "relcl"}:
            host = tok.head
            hm = tok2m.get(host.i)
            # "the 4th EWG, which the Philippines is hosting": the relative pronoun is the object
            rel_object = any(ch.dep_ in {"dobj", "nsubjpass"} and ch.tag_ in {"WDT", "WP"} for ch in tok.children)
            if hm is not None:
                (patients if passive or tok.dep_ == "acl" or rel_object else agents).append(hm)
        # a conjoined verb shares its subject: "X attended and presented"
        if not agents and tok.dep_ == "conj" and tok.head.pos_ in {"VERB", "AUX"}:
            for ch in tok.head.children:
                if ch.dep_ == "nsubj":
                    agents += mentions_in(ch)
        # "co-chaired by Malaysia together with China and Japan", "attended the Conference, along with the X"
        # "Representatives of civil society also attended, as did experts from the OSCE and INTERPOL"
        for ch in tok.children:
            if ch.dep_ == "advcl" and ch.lemma_ == "do" and any(g.lower_ == "as" for g in ch.children) and not passive:
                for g in ch.children:
                    if g.dep_ == "nsubj":
                        agents += [m for m in mentions_in(g) if not _outside_subject(g, m, tok2m)]
        near = [*tok.children, *(g for o in tok.children if o.dep_ == "dobj" for g in o.children)]
        near += [g for x in near if x.lower_ in {"together", "along", "jointly"} for g in x.children]
        for ch in near:
            if ch.dep_ == "prep" and ch.lower_ == "with" and ch.i > 0 and ch.doc[ch.i - 1].lower_ in {"together", "along", "jointly"}:
                agents += [m for m in mentions_in(ch) if not _outside_subject(ch, m, tok2m)]
        # a person's apposition ("Goh Pei Ming, Minister ..., Singapore") names no agent of its own
        persons = {m.key for m in agents if m.cls == "Person"}
        if persons:
            def in_person_apposition(m: "RawMention") -> bool:
                t = tok.doc[m.tok_start]
                for anc in t.ancestors:
                    if anc.dep_ == "appos" and tok2m.get(anc.head.i) is not None and tok2m[anc.head.i].cls == "Person":
                        return True
                    if anc.i == tok.i:
                        break
                return False
            agents = [m for m in agents if m.cls == "Person" or not in_person_apposition(m)]
        return agents, patients

    def _dates_counts(self, c: "_Ctx", out: list[KeyFact]) -> None:
        text = c.text
        self._day_of_event(c, out)
        pub = c.published
        for d in find_dates(text, published=pub):
            if re.fullmatch(r"\s*[A-Z][A-Z .'’-]+,(?:\s*[A-Z][A-Za-z .'’-]+,)?\s*", text[:d.start]):
                continue  # a dateline ("ADDIS ABABA, 12 March 2024 -") dates the article, not the event
            before = text[max(0, d.start - 60):d.start].lower()
            if re.match(r"\s*:", text[d.end:]) and re.search(r"\b(?:endorsed|adopted|approved|signed|ratified|passed)\s+(?:on\s+)?$",
                                                             before):
                # "saw two conventions signed on 5 January 2002: the X Convention, and the Y Convention"
                for m in c.mentions:
                    if m.cls == "Instrument" and m.start - c.span.start_char >= d.end:
                        out.append(KeyFact(m.key, "endorsementDate", Literal(d.first.isoformat(), datatype=XSD.date),
                                           c.index, "date.endorsement-list", 0.8))
                continue
            instr = [m for m in c.mentions if m.cls == "Instrument" and m.end - c.span.start_char <= d.start]
            since_instr = text[instr[-1].end - c.span.start_char:d.start].lower() if instr else ""
            if instr and len(since_instr) < 250 and re.search(r"\b(endorsed|adopted|approved|signed|ratified|passed)\b", since_instr):
                out.append(KeyFact(instr[-1].key, "endorsementDate", Literal(d.first.isoformat(), datatype=XSD.date),
                                   c.index, "date.endorsement", 0.8))
                continue
            if re.search(r"\b(since|until|by|before|after)\s*$", before):
                continue
            target = c.own_event or c.event
            if not target:
                continue
            modality = "planned" if re.search(r"\b(will|scheduled|to be held|upcoming|forthcoming|next)\b", text.lower()) else "asserted"
            around = before + text[d.end:d.end + 20].lower()
            closing = d.first == d.last and re.search(
                r"\b(?:closed|concluded|ended|came\s+to\s+an?\s+(?:close|end)|wound\s+up|wrapped\s+up|closing)\b", around)
            if not closing:  # "came to a close on 5 December": the last day, not the first
                out.append(KeyFact(target, "startDate", Literal(d.first.isoformat(), datatype=XSD.date), c.index,
                                   "date.event", 0.85, modality))
            if not re.search(r"\b(opened|began|started|opening)\b", before + text[d.end:d.end + 20].lower()) or d.first != d.last:
                out.append(KeyFact(target, "endDate", Literal(d.last.isoformat(), datatype=XSD.date), c.index,
                                   "date.event", 0.85, modality))
        target = c.own_event or c.event
        if target and pub and re.search(r"\b(today|yesterday)\b", text, re.I) and not find_dates(text, published=pub) \
                and c.own_event:
            day = pub - dt.timedelta(days=1) if re.search(r"\byesterday\b", text, re.I) else pub
            for pred in ("startDate", "endDate"):
                out.append(KeyFact(target, pred, Literal(day.isoformat(), datatype=XSD.date), c.index, "date.today", 0.7))
        if target:
            low = _numbers_to_digits(text.lower())
            if not _DIGIT.search(low):
                return  # every count below is written in digits
            m = re.search(r"\b(\d{1,5})\s+(?:participants|delegates|attendees|representatives|officials)\b(?!\s+(?:were|had been|have been)\s+(?:arrested|rescued|identified))", low)
            if m and not re.search(r"(some|about|around|over|more than|nearly|almost|approximately|up to|at least)\s+$", low[:m.start()]):
                out.append(KeyFact(target, "participantCount", Literal(m.group(1), datatype=XSD.integer), c.index,
                                   "count.participants", 0.8))
            # "Thirty-nine countries joined forces ...", "12 countries took part"
            m = re.match(r"\s*(\d{1,3})\s+(?:countries|states|nations)\s+(?:joined|took\s+part|participated|attended|"
                         r"were\s+represented|sent)\b", low)
            if m:
                out.append(KeyFact(target, "countryCount", Literal(m.group(1), datatype=XSD.integer), c.index,
                                   "count.countries-subject", 0.8))
            # "from 17 countries", "from the 12 Member States", "from seven of the eight member states"
            m = re.search(r"\b(?:from|of)\s+(?:the\s+)?(\d{1,3})(?:\s+of\s+the\s+\d{1,3})?\s+"
                          r"(?:member\s+|participating\s+|partner\s+)?(?:countries|states|nations)\b", low)
            if m and not re.search(r"(some|about|around|over|more than|nearly|\bone|\b1)\s+(?:of\s+)?$",
                                   low[:m.start(1)].removesuffix("the ").rstrip() + " ") \
                    and not re.match(r"\s+(?:and|as well as|plus)\b", low[m.end():]):  # "the 57 States and the Partners"
                out.append(KeyFact(target, "countryCount", Literal(m.group(1), datatype=XSD.integer), c.index,
                                   "count.countries", 0.8))

    _DAY_OF_EVENT = re.compile(r"\b(?:on|during)\s+(?:that|the|its)\s+(?P<which>closing|final|last|opening|first)\s+day\b", re.I)

    def _day_of_event(self, c: "_Ctx", out: list[KeyFact]) -> None:
        """ "On that closing day the Declaration was approved": the instruments endorsed then take the
        event's last (or, for "opening day", first) date, as the text has already given it."""
        hit = self._DAY_OF_EVENT.search(c.text)
        if not hit or not c.event or not re.search(r"\b(?:endorsed|adopted|approved|signed|ratified|passed)\b", c.text):
            return
        pred = "startDate" if hit.group("which").lower() in {"opening", "first"} else "endDate"
        day = next((f.object for f in reversed(out) if f.subject == c.event and f.predicate == pred
                    and f.modality == "asserted"), None)
        if day is None:
            return
        for m in c.mentions:
            if m.cls == "Instrument":
                out.append(KeyFact(m.key, "endorsementDate", day, c.index, "date.endorsement-day", 0.75))

    _OBSERVER_LIST = re.compile(
        r"\bobservers?(?:\s+(?:countries|states|nations|organi[sz]ations))?\s*(?:included|were|are|comprised|:|such as|including|from)\s",
        re.I)
    _OBSERVER_STATUS = re.compile(r"\b(?:with|in|as)\s+(?:an?\s+)?observers?(?:\s+status)?\b|\bas observers?\b", re.I)
    _PARTICIPANT_LIST = re.compile(
        r"\b(?:representatives|delegates|delegations|participants|attendees|officials|senior officials|"
        r"participating (?:countries|states|members|organi[sz]ations|agencies)|partner organi[sz]ations|"
        r"partners|dialogue partners|speakers|panellists|panelists|attendance)"
        r"(?:\s*,)?\s+(?:came\s+from|were\s+from|from|of|included|includ\w+|were|comprised|:|among them|such as|"
        r"of\s+\d+\s+\w+(?:\s+\w+)?,\s+among them)\s", re.I)

    def _observers(self, c: "_Ctx", out: list[KeyFact]) -> None:
        """Observers and participant lists ("Observer countries included A, B and C",
        "Representatives came from A, B and C", "A attended with observer status")."""
        text = c.state.document.text
        target = c.event
        if not target:
            return
        sent_text = c.text
        base = c.span.start_char
        parties = [m for m in c.mentions if m.cls in {"State", "Person"} | ORG]
        for m in parties:
            after = text[m.end:m.end + 20].lower()
            before = text[max(base, m.start - 40):m.start].lower()
            if re.match(r"\s*(as|,)\s+(an\s+)?observers?\b", after) or re.search(
                    r"observer (country|countries|state|states|nation)s?\s*(,\s*)?$", before):
                out.append(KeyFact(m.key, "observerAt", target, c.index, "observer.as", 0.85))
                c.parents.add(m.key)
        for regex, pred, rule in ((self._OBSERVER_LIST, "observerAt", "observer.list"),
                                  (self._PARTICIPANT_LIST, "participatedIn", "participation.list")):
            for cue in regex.finditer(sent_text):
                speakers = pred == "participatedIn" and re.match(r"(speakers|panel)", cue.group(0), re.I)
                stop = re.search((_FULL_STOP if speakers else _CLAUSE_END) + r"|\bwhile\b|\bwhereas\b|,\s+(?:which|who|where|whose)\b|\b(?:participated|attended|"
                                 r"took part|joined|were present|gathered|met|signed|agreed|discussed)\b", sent_text[cue.end():])
                end = base + cue.end() + (stop.start() if stop else len(sent_text))
                listed = [m for m in parties if base + cue.end() <= m.start < end]
                # "the United States Federal Bureau of Investigation": the state only qualifies the agency
                listed = [m for m in listed if not (m.cls == "State" and any(
                    x.cls in ORG and x.start == m.end + 1 and text[m.end:x.start] == " " for x in listed))]
                if speakers and any(m.cls == "Person" for m in listed):
                    # "Among the speakers were X, OSCE Secretary General; Y, ...": the persons, not their posts
                    listed = [m for m in listed if m.cls == "Person"]
                for m in listed:
                    if m.key not in c.parents and m.key != target:
                        out.append(KeyFact(m.key, pred, target, c.index, rule, 0.8))
                        if speakers:
                            out.append(KeyFact(m.key, "presentedAt", target, c.index, "presentation.speakers", 0.8))
                        c.parents.add(m.key)
        status = self._OBSERVER_STATUS.search(sent_text)
        if status:
            seg_start = max((sent_text.rfind(x, 0, status.start()) + len(x) for x in (";", ":", " while ", " whereas ", ", but ")
                             if sent_text.rfind(x, 0, status.start()) >= 0), default=0)
            for m in parties:
                if base + seg_start <= m.start < base + status.start() and m.key not in c.parents:
                    out.append(KeyFact(m.key, "observerAt", target, c.index, "observer.status", 0.8))
                    c.parents.add(m.key)

    def _frameworks(self, c: "_Ctx", out: list[KeyFact]) -> None:
        text = c.state.document.text
        target = c.own_event or c.event
        if not target:
            return
        for m in c.mentions:
            if m.cls not in {"Instrument", "CooperationMechanism"}:
                continue
            before = text[max(c.span.start_char, m.start - 45):m.start].lower()
            if re.search(r"\b(under|initiatives? (under|of)|in the framework of|within the framework of|as part of|to implement|implementing)\s+(the\s+)?$", before):
                out.append(KeyFact(target, "underFramework", m.key, c.index, "framework.under", 0.8))

    _TOPIC_VERBS = {"address", "focus", "combat", "counter", "tackle", "fight", "cover", "deal", "target",
                    "centre", "center", "discuss", "prevent", "suppress", "eradicate", "work", "aim", "devote",
                    "dedicate", "strengthen", "enhance", "include", "concern", "respond", "curb", "end",
                    "prioritise", "prioritize", "concentrate", "specialise", "specialize"}
    _TOPIC_SUBJECTS = {"Event", "Instrument", "CooperationMechanism", "SectoralBody", "Programme"}

    def _topics(self, c: "_Ctx", out: list[KeyFact]) -> None:
        """"The workshop aimed to combat X", "AMMTC covers X, Y and Z": the subject addresses each Topic."""
        topics = [m for m in c.mentions if m.cls == "Topic"]
        if not topics:
            return
        tok2m = c.tok2m
        for t in topics:
            tok = c.span.doc[t.tok_start]
            subj = None
            verb_ok = False
            node = tok
            for _ in range(8):
                if node.head.i == node.i:
                    break
                node = node.head
                if node.pos_ in {"VERB", "AUX"} or node.lemma_ in {"agenda", "focus", "theme"}:
                    if node.lemma_.lower() in self._TOPIC_VERBS or node.lemma_ == "be":
                        verb_ok = True
                    for ch in node.children:
                        if ch.dep_ in {"nsubj", "nsubjpass"}:
                            ms = [tok2m[x.i] for x in ch.subtree if x.i in tok2m and tok2m[x.i].cls in self._TOPIC_SUBJECTS]
                            if ms:
                                subj = ms[0].key
                    if subj or node.dep_ not in {"xcomp", "advcl", "pcomp", "conj", "acl", "relcl", "ccomp"}:
                        break
            if subj is None and c.span[0].lower_ in {"it", "its"} and c.prev_subject:
                subj = c.prev_subject  # "The AMMTC ... . It gives special attention to ..."
            if subj is None and (self._refers_back(c) or re.search(
                    r"\bagenda\b|\bdiscussions?\b|\btalks\b|\bcent(?:red|ered) on\b|\bsingled out\b|\bthemes?\b|"
                    r"\bsessions? on\b|\bdiscussed\b", c.text, re.I)):
                subj = c.event
            if subj is None and c.own_event:
                subj = c.own_event
            low = c.text.lower()
            if subj and (verb_ok or re.search(r"\b(aim|aimed|focus|focused|focusing|address|addressed|addressing|combat|combating|combatting|countering|tackle|tackling|devoted|dedicated|discuss|discussed|agenda|attention|priority|priorities)\b", low)):
                out.append(KeyFact(subj, "addresses", t.key, c.index, "topic.subject-verb", 0.75))

    def _named_topics(self, state: "DocState", out: list[KeyFact]) -> None:
        """Topics that the name of an event, instrument, mechanism or programme names, in any form the text uses."""
        seen_sent: dict[str, int] = {}
        for m in state.mentions:
            seen_sent.setdefault(m.key, state.sentence_at(m.start))
        for key, sent in seen_sent.items():
            ent = state.entities.get(key)
            if ent is None or ent.cls not in {"Event", "Instrument", "CooperationMechanism", "Programme"}:
                continue
            if re.match(r"new:Event:\d+(st|nd|rd|th) ", key):
                continue  # a numbered session takes no Topic from its body's name (annotation guide)
            for name in {ent.label, *ent.alt_labels}:
                for form, entry_id in self._body_forms_in(name):
                    name = name.replace(form, " ")
                for label in self._topic_finder(name):
                    tkey = "topic:" + label
                    if tkey not in state.entities:
                        from ..model import Entity

                        state.entities[tkey] = Entity(URIRef(""), "Topic", label, set(), None)
                    out.append(KeyFact(key, "addresses", tkey, sent, "name.topic", 0.8))

    def _body_forms_in(self, name: str) -> list[tuple[str, str]]:
        """Names of standing bodies inside ``name`` (their Topics do not count)."""
        if not hasattr(self, "_body_re"):
            forms = [f for f, eid in self.gazetteer.surface_forms()
                     if (e := self.gazetteer.entry(eid)) is not None and e.type == "SectoralBody"
                     and len(f.split()) >= 3]
            alternation = _trie_alternation(forms) or "|".join(sorted(map(re.escape, forms), key=len, reverse=True))
            self._body_re = re.compile(alternation, re.I)
        return [(m.group(0), "") for m in self._body_re.finditer(name)]

    def _topic_finder(self, name: str) -> list[str]:
        if not hasattr(self, "_topic_re"):
            ci, cs = {}, {}
            for form, label in self.gazetteer.topic_forms():
                (cs if form.isupper() else ci)[form] = label
            self._topic_ci = ci
            self._topic_cs = cs
            alternation = _trie_alternation(ci) or "|".join(sorted(map(re.escape, ci), key=len, reverse=True))
            self._topic_re = re.compile(r"\b(" + alternation + r")\b", re.I)
            self._topic_cs_re = re.compile(r"\b(" + "|".join(sorted(map(re.escape, cs), key=len, reverse=True)) + r")\b")
            self._topic_low = {k.casefold(): v for k, v in ci.items()}
        found = []
        low = self._topic_low
        for m in self._topic_re.finditer(name):
            found.append(low[m.group(1).casefold()])
        for m in self._topic_cs_re.finditer(name):
            found.append(self._topic_cs[m.group(1)])
        return found

    _TITLE_WORD = re.compile(r"^(?:[A-Z][\w.\-]*|of|the|for|and|in|on|&)$")

    def _persons(self, c: "_Ctx", out: list[KeyFact]) -> None:
        """A person's posts: "X, Title of ORG", "ORG Title X", "STATE's Title X", "X, who is Title of ORG"."""
        text = c.state.document.text
        ms = c.mentions
        persons = [m for m in ms if m.cls == "Person"]
        if not persons:
            return
        orgs = [x for x in ms if x.cls in ORG | {"State"}]
        end_of_sent = c.span.end_char
        for p in persons:
            found: list["RawMention"] = []
            # apposition or relative clause after the name
            after = text[p.end:end_of_sent]
            nxt_tok = next((t for t in c.span.doc[p.tok_end:p.tok_end + 3] if not t.is_punct), None)
            if re.match(r"\s*(,|\(|–|—|-)\s*|\s*,?\s*who\s+(is|was|serves|served|heads|leads)\b", after) and not re.match(
                    r"\s*,\s*(?:a\s+|the\s+)?(?:former|ex-|retired|late)\b|\s*,\s*(?:and|or|but|while)\b", after, re.I) \
                    and not (nxt_tok is not None and nxt_tok.pos_ in {"VERB", "AUX"} and nxt_tok.is_lower):
                # (a former post is no affiliation; "X, thanked Y" and "X, and the Z" are no apposition)
                nxt_person = min((q.start for q in persons if q.start > p.end), default=end_of_sent)
                stop = re.search(r"[;.)]\s|\b(said|says|told|stressed|noted|added|delivered|presided|chaired|opened|led|welcomed)\b", after)
                limit = min(nxt_person, p.end + (stop.start() if stop else len(after)), p.end + 220)
                for ev in (x for x in ms if x.cls == "Event" and p.end <= x.start < limit):
                    if re.search(r"\b(?:co-?)?chair(?:man|woman|person)?\s+of\s+(?:the\s+)?$", text[p.end:ev.start], re.I):
                        # "Lt-Gen Win Zaw Moe, Myanmar's police chief and chair of the 42nd ASEANAPOL Conference"
                        out.append(KeyFact(ev.key, "chairedBy", p.key, c.index, "chair.title", 0.75))
                post = [x for x in orgs if p.end <= x.start < limit]
                post = [x for x in post if not any(y is not x and y.start <= x.start and x.end <= y.end
                                                   and y.end - y.start > x.end - x.start for y in post)]
                # "Deputy Chief of the Office ... in Vietnam's Ministry of Public Security": what follows
                # the first organisation through "in"/"of"/"'s" is where it sits, not a second post
                for k, x in enumerate(post):
                    if x.cls == "State" and k + 1 < len(post) and post[k + 1].cls in ORG \
                            and re.fullmatch(r"['’]s\s+", text[x.end:post[k + 1].start]):
                        if found:
                            break  # "Office ... in Vietnam's Ministry": where the first one sits
                        continue  # "Chief of Police of Myanmar's Ministry of Home Affairs": the state qualifies it
                    if k and re.fullmatch(r"\s*\([^)]*", text[post[k - 1].end:x.start]):
                        continue  # "(PAM/WPF)": the acronym of the one before
                    if k and x.start < post[k - 1].end:
                        break  # a name inside the first one
                    if k and re.fullmatch(r"\s*(?:(?:in|of|at|under|within|to)\s+(?:the\s+)?|['’]s\s+)",
                                          text[post[k - 1].end:x.start]) and not (
                            post[k - 1].cls == "State" and post[k - 1] not in found):
                        break
                    found.append(x)
            # title words before the name: "ASEANAPOL Executive Director X", "Malaysia's Minister of Home Affairs, X"
            before_orgs = [x for x in orgs if x.end <= p.start and p.start - x.end < 90]
            if before_orgs:
                x = before_orgs[-1]
                gap = text[x.end:p.start].strip(" ,")
                gap = re.sub(r"^['’]s\s+", "", gap)
                words = gap.split()
                if words and len(words) <= 10 and all(self._TITLE_WORD.match(w.strip(",")) for w in words) and words[0][:1].isupper() and not any(
                        q.end <= p.start and q.start >= x.end for q in persons):
                    found.append(x)
            # "Ministry for Home Affairs, Singapore": a state right after an organisation qualifies it
            qualifiers = {b.key for a, b in zip(ms, ms[1:]) if a.cls in ORG and b.cls == "State"
                          and text[a.end:b.start].strip() == "," and b in found}
            found = [x for x in found if x.key not in qualifiers or all(f.cls == "State" for f in found)]
            seen = set()
            for x in found:
                if x.key in seen or x.key in c.parents and any(f.key != x.key for f in found if f.cls != "State"):
                    continue
                seen.add(x.key)
                out.append(KeyFact(p.key, "affiliatedWith", x.key, c.index, "person.post", 0.75))
                # "Chairman of the National Public Safety Commission", "OSCE Chairperson-in-Office":
                # holding a body's chair gives that body chairedBy (annotation guide)
                if x.cls in ORG:
                    title = (text[p.end:x.start].rsplit(";", 1)[-1].rsplit(" and ", 1)[-1] if x.start > p.end
                             else text[x.end:p.start])
                    title_after = text[x.end:x.end + 25] if x.start > p.end else ""
                    if self._CHAIR_TITLE.search(title) and re.search(r"\bof\s+(?:the\s+)?$", title) or \
                            re.match(r"\s*(?:co-?)?chair(?:man|woman|person)?\b", title_after, re.I) or \
                            (x.end <= p.start and self._CHAIR_TITLE.search(title)):
                        out.append(KeyFact(x.key, "chairedBy", p.key, c.index, "chair.title", 0.75))

    _CHAIR_TITLE = re.compile(r"(?<!vice )(?<!vice-)(?<!deputy )\b(?:co-?)?chair(?:man|woman|person)?\b", re.I)

    _AS_CHAIR = re.compile(r"\bas\s+(?:the\s+)?(?:current\s+|incoming\s+|outgoing\s+)?(?:(?P<pre>[^,;]{1,80}?)\s+)?"
                           r"(?:co-?)?chair(?:man|woman|person)?\b(?:\s+of\s+(?:the\s+)?)?", re.I)

    _CHAIR_NOUNS = {"chair", "chairmanship", "chairpersonship", "chairship", "presidency", "co-chairmanship"}

    def _holds_chair(self, c: "_Ctx", out: list[KeyFact]) -> None:
        """ "Vietnam holds the 2019 presidency of ASEANAPOL", "Finland holds the OSCE Chairpersonship":
        the body is chairedBy the subject (annotation guide: holding a body's chair)."""
        tok2m = c.tok2m
        lemmas, pos = c.lemmas, c.pos
        for k, tok in enumerate(c.tokens):
            if lemmas[k] not in {"hold", "assume", "take", "have"} or pos[k] not in {"VERB", "AUX"}:
                continue
            objs = [ch for ch in tok.children if ch.dep_ == "dobj" and ch.lemma_.lower() in self._CHAIR_NOUNS]
            subj = [tok2m[ch.i] for ch in tok.children if ch.dep_ == "nsubj" and ch.i in tok2m]
            if not objs or not subj or subj[0].cls not in ORG | {"State", "Person"}:
                continue
            for obj in objs:
                # the body the chair is "of" (or that names it): the first one, not one in a bracketed expansion
                bodies = sorted((tok2m[x.i] for x in obj.subtree if x.i in tok2m and tok2m[x.i].cls in ORG),
                                key=lambda m: m.start)[:1]
                for b in (m.key for m in bodies):
                    if b != subj[0].key:
                        out.append(KeyFact(b, "chairedBy", subj[0].key, c.index, "chair.holds", 0.8, self._modality(tok)))

    _RELATIVE_CHAIR = re.compile(
        r"\b(?P<rel>who|which)\s+(?:also\s+|currently\s+|now\s+)*(?:holds|held|has\s+held|is|was|serves\s+as|served\s+as)"
        r"\s+(?:also\s+)?(?:the\s+)?(?:(?:current|incoming|rotating|\d{4})\s+)*(?:co-?)?(?:chair(?:man|woman|person)?"
        r"(?:ship)?|presidency)\s+(?:of|for)\s+(?:the\s+)?", re.I)
    _WHOSE_CHAIRS = re.compile(r"\bwhose\s+(?:current\s+)?(?:co-?)?chair(?:s|men|persons)?\s+(?:is|are|was|were)\s+(?:the\s+)?", re.I)

    def _relative_chair(self, c: "_Ctx", out: list[KeyFact]) -> None:
        """Chairs named in a relative clause: "Brunei, which holds the 2021 chair of SOMTC",
        "X, ..., who is also the current Chairman of ASEANAPOL", "the Working Group ..., whose
        co-chairs are Malaysia and New Zealand" (the body is chairedBy them; annotation guide:
        holding a body's chair)."""
        base = c.span.start_char
        sent = c.text
        text = c.state.document.text
        for cue in self._RELATIVE_CHAIR.finditer(sent):
            body = next((m for m in c.mentions if m.start == base + cue.end() and m.cls in ORG), None)
            want = {"Person"} if cue.group("rel").lower() == "who" else ORG | {"State"}
            before = [m for m in c.mentions if m.end <= base + cue.start() and m.cls in want]
            if body is not None and before and before[-1].key != body.key:
                out.append(KeyFact(body.key, "chairedBy", before[-1].key, c.index, "chair.relative", 0.75))
        for cue in self._WHOSE_CHAIRS.finditer(sent):
            bodies = [m for m in c.mentions if m.end <= base + cue.start() and m.cls in ORG]
            if not bodies:
                continue
            prev_end = base + cue.end()
            for m in (m for m in c.mentions if m.start >= base + cue.end()):
                if m.start > prev_end and not re.fullmatch(r"\s*(?:,|and|,\s*and)\s*(?:the\s+)?", text[prev_end:m.start]):
                    break
                if m.cls in ORG | {"State", "Person"} and m.key != bodies[-1].key:
                    out.append(KeyFact(bodies[-1].key, "chairedBy", m.key, c.index, "chair.whose", 0.75))
                prev_end = m.end

    def _at_event_subjects(self, c: "_Ctx", out: list[KeyFact]) -> None:
        """ "At the 6th AMMTC + ROK Consultation, ASEAN and the Republic of Korea welcomed ...": the
        subjects of the main clause of a sentence opening with "At/During <event>," took part in it."""
        hit = re.match(r"\s*(?:at|during)\s+(?:the\s+)?", c.text, re.I)
        if not hit or c.own_event is None or c.own_event_start != c.span.start_char + hit.end():
            return
        tok2m = c.tok2m
        text = c.state.document.text
        event_end = next(m.end for m in c.mentions if m.key == c.own_event and m.start == c.own_event_start)
        for root in (t for t in c.tokens if t.dep_ == "ROOT" and t.pos_ in {"VERB", "AUX"}):
            if self._modality(root) != "asserted":
                continue
            if not any(ch.dep_ == "nsubj" for ch in root.children):
                # the parser took the subjects for conjuncts of the event: read the words between
                # the event's comma and the verb when they are only names joined by commas and "and"
                inside = [m for m in c.mentions if event_end < m.start and m.end <= root.idx and m.cls in ORG | {"State", "Person"}]
                rest = text[event_end:root.idx]
                for m in sorted(inside, key=lambda m: -m.start):
                    rest = rest[:m.start - event_end] + " " + rest[m.end - event_end:]
                if inside and re.fullmatch(r"\s*,(?:\s|,|\band\b|\bthe\b|\([^)]*\))*", rest, re.I):
                    for m in inside:
                        if m.key not in c.parents:
                            out.append(KeyFact(m.key, "participatedIn", c.own_event, c.index, "participation.at-event", 0.75))
            for ch in root.children:
                if ch.dep_ != "nsubj":
                    continue
                seen: set[str] = set()
                for x in ch.subtree:
                    m = tok2m.get(x.i)
                    if m is None or m.key in seen or m.cls not in ORG | {"State", "Person"} or m.key in c.parents \
                            or _outside_subject(ch, m, tok2m):
                        continue
                    seen.add(m.key)
                    out.append(KeyFact(m.key, "participatedIn", c.own_event, c.index, "participation.at-event", 0.75))

    _SUBSIDIARIES = re.compile(
        r"(?:\s*\([^)]{1,20}\))?\s*(?:,\s*)?(?:together\s+with|and|along\s+with|with)\s+its\s+(?:subsidiary|sub-?)\s*"
        r"(?:bodies|mechanisms|units|organs|committees|groups)\s*,?\s*(?:namely|including|such\s+as|:)\s*(?:the\s+)?", re.I)
    _THESE_ARE = re.compile(r"\s*(?:these|they)\s+(?:are|include)\s+(?:the\s+)?", re.I)
    _DEALT_WITH = re.compile(r"\b(?:is|are)\s+(?:dealt\s+with|handled|addressed|covered|tackled|taken\s+up)\s+by\s+"
                             r"(?:several|many|a\s+number\s+of|various|\w+)\s+(?:\w+\s+){0,3}?(?:bodies|mechanisms|"
                             r"organi[sz]ations|agencies|institutions|sectoral\s+bodies)\b", re.I)

    def _listed_bodies(self, c: "_Ctx", out: list[KeyFact]) -> None:
        """Bodies listed after a sentence or phrase that says what they are.

        "X together with its subsidiary mechanisms, namely A and B" gives A and B ``partOf`` X;
        "TIP is dealt with by several ASEAN Sectoral Bodies. These are A, B and C." gives each
        of them ``addresses`` TIP.
        """
        text = c.state.document.text
        orgs = [m for m in c.mentions if m.cls in ORG]
        for i, x in enumerate(orgs):
            hit = self._SUBSIDIARIES.match(text, x.end)
            if not hit:
                continue
            prev_end = hit.end()
            for m in orgs[i + 1:]:
                gap = re.sub(r"^\s*\)|\([^)]*\)|\(\s*$", " ", text[prev_end:m.start]) if m.start > prev_end else ""
                if gap and not re.fullmatch(r"\s*(?:,|and|,\s*and)?\s*(?:the\s+)?", gap):
                    break
                if re.match(r"\s+[A-Z]", text[m.end:m.end + 2]) and not re.match(r"\s+(?:and|or)\b", text[m.end:m.end + 5]):
                    break  # "the ASEAN Directors-General of ...": a word of a longer name, not a body
                if m.start >= prev_end or m.end > prev_end:
                    if m.key != x.key:
                        out.append(KeyFact(m.key, "partOf", x.key, c.index, "structure.subsidiaries", 0.75))
                    prev_end = m.end
        if c.index == 0 or not self._THESE_ARE.match(c.text):
            return
        prev = c.state.sentences[c.index - 1]
        dealt = self._DEALT_WITH.search(prev.text)
        if not dealt:
            return
        topics = {m.key for m in c.state.mentions if m.cls == "Topic" and prev.start <= m.start < prev.start + dealt.start()}
        if len(topics) != 1:
            return
        topic = topics.pop()
        for m in orgs:
            if not re.match(r"\s+[A-Z]", text[m.end:m.end + 2]) or re.match(r"\s+(?:and|or)\b", text[m.end:m.end + 5]):
                out.append(KeyFact(m.key, "addresses", topic, c.index, "topic.these-are", 0.75))

    def _as_chair(self, c: "_Ctx", out: list[KeyFact]) -> None:
        """ "X, as SOMTC Chair, ...", "in its role as ASEAN Chair", "speaking as Chairman of the Y": Y chairedBy X.

        The chaired body is the organisation named right before "Chair" or right after "Chair of";
        the chair is the first state, organisation or person of the clause before "as" (a "he"/"she"
        there is the person the text was talking about).
        Source: annotation-guide.md ("X, as Chair of SOMTC" gives SOMTC chairedBy X).
        """
        text = c.state.document.text
        base = c.span.start_char
        sent = c.text
        for cue in self._AS_CHAIR.finditer(sent):
            a, b = base + cue.start(), base + cue.end()
            bodies = [m for m in c.mentions if m.cls in ORG and (
                (cue.group("pre") and base + cue.start("pre") <= m.start and m.end == base + cue.end("pre"))
                or (sent[cue.start():cue.end()].lower().rstrip().endswith(("of", "of the")) and m.start == b))]
            if not bodies:
                continue
            clause_start = base + max(sent.rfind(x, 0, cue.start()) for x in (";", ". ")) + 1
            agents = [m for m in c.mentions if clause_start <= m.start and m.end <= a
                      and (m.cls in ORG | {"State", "Person"}) and m.key not in c.parents]
            agent = agents[0].key if agents else None
            if agent is None and re.search(r"\b(?:he|she)\b", text[clause_start:c.span.end_char], re.I) and c.last_person:
                agent = c.last_person.key
            if agent is None:
                continue
            modality = self._modality(c.span.doc[c.span.doc.char_span(a, b, alignment_mode="expand").start])
            for body in bodies:
                if body.key != agent:
                    out.append(KeyFact(body.key, "chairedBy", agent, c.index, "chair.as", 0.8, modality))

    def _lead_shepherd(self, c: "_Ctx", out: list[KeyFact]) -> None:
        text = c.state.document.text
        for m in c.mentions:
            if m.cls != "State":
                continue
            after = text[m.end:m.end + 80]
            if re.match(r"[,\s]*(acting\s+)?as\s+(the\s+)?(voluntary\s+)?lead shepherd\s+(for|on|of)\s+", after, re.I):
                topic = next((x for x in c.mentions if x.cls == "Topic" and x.start > m.end and x.start - m.end < 90), None)
                if topic:
                    out.append(KeyFact(m.key, "leadShepherdOf", topic.key, c.index, "lead-shepherd", 0.85))


def _year_of_headline(text: str) -> dt.date | None:
    """With no publication date, the year a headline or caption states ("Hofburg Palace, Vienna,
    April 2023: ...") anchors dates written without one; None when the first lines name no year."""
    head = "\n".join(text.strip().splitlines()[:2])
    years = re.findall(r"\b(19[5-9]\d|20\d\d)\b", head)
    return dt.date(int(years[-1]), 12, 31) if years else None


_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                     "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i >= 2}
_WORD_NUMBER = re.compile(r"\b(?:(" + "|".join(_TENS) + r")(?:[-\s](" + "|".join(list(_UNITS)[1:10]) + r"))?|(" +
                          "|".join(_UNITS) + r"))\b")


def _numbers_to_digits(text: str) -> str:
    """Write number words as digits ("thirty-nine countries" -> "39 countries"), for counts."""
    def sub(m: re.Match[str]) -> str:
        if m.group(3):
            return str(_UNITS[m.group(3)])
        return str(_TENS[m.group(1)] + (_UNITS[m.group(2)] if m.group(2) else 0))
    return _WORD_NUMBER.sub(sub, text)


def _membership_impl(self: "RelationExtractor", c: "_Ctx", out: list[KeyFact]) -> None:
    """ "X has 10 members: A, B ...", "members of X include A, B", "A, a member of X", "A joined X"."""
    text = c.state.document.text
    base = c.span.start_char
    sent = c.text
    orgs = [m for m in c.mentions if m.cls in ORG]
    parties = [m for m in c.mentions if m.cls in {"State"} | ORG]
    for cue in re.finditer(r"\b(?:members?|member (?:states|countries|nations|governments))\b(?:\s+(?:of|in)\s+(?:the\s+)?(?P<of>[^:;,.]{2,80}?))?"
                           r"\s*(?::|,|\b(?:include[sd]?|including|are|were|comprise[sd]?|namely)\b)\s", sent):
        org = None
        if cue.group("of"):
            org = next((m for m in orgs if base + cue.start("of") <= m.start < base + cue.end("of")), None)
        if org is None:
            before = [m for m in orgs if m.end <= base + cue.start()]
            org = before[-1] if before else None
        if org is None:
            continue
        stop = re.search(_CLAUSE_END, sent[cue.end():])
        end = base + cue.end() + (stop.start() if stop else len(sent))
        for m in parties:
            if base + cue.end() <= m.start < end and m.key != org.key and m.cls == "State":
                out.append(KeyFact(m.key, "memberOf", org.key, c.index, "membership.list", 0.8))
    for m in parties:
        after = text[m.end:m.end + 60]
        hit = re.match(r",?\s+(?:a|an|the)\s+(?:founding\s+|full\s+)?member\s+(?:state\s+|country\s+)?of\s+(?:the\s+)?", after)
        if hit:
            org = next((o for o in orgs if o.start == m.end + hit.end()), None)
            if org:
                out.append(KeyFact(m.key, "memberOf", org.key, c.index, "membership.apposition", 0.8))


def _founding_impl(self: "RelationExtractor", c: "_Ctx", out: list[KeyFact]) -> None:
    """ "X was founded/established/set up in 1967" -> X establishedIn "1967"^^xsd:gYear."""
    text = c.state.document.text
    for m in c.mentions:
        if m.cls not in ORG:
            continue
        after = text[m.end:min(c.span.end_char, m.end + 80)]
        hit = re.match(r"(?:\s*\([^)]*\))?,?\s+(?:which\s+)?(?:was|were|had been|has been)\s+(?:first\s+)?"
                       r"(?:founded|established|created|set up|launched|formed|inaugurated)\s+in\s+((?:19|20)\d\d)\b", after)
        if hit:
            out.append(KeyFact(m.key, "establishedIn", Literal(hit.group(1), datatype=XSD.gYear), c.index,
                               "founding.year", 0.8))


@dataclass(frozen=True)
class CueRule:
    """One cue-phrase rule from cues.yaml."""

    id: str
    predicate: str
    cue: re.Pattern[str]
    subject: str
    object_classes: frozenset[str]
    confidence: float
    objects: str = "after"
    inverse: bool = False  # the parties are the subject: (party, predicate, event)


@lru_cache(maxsize=1)
def load_cue_rules() -> tuple[CueRule, ...]:
    """Load and check ``kg/rules/cues.yaml``.

    Raises:
        ConfigError: an entry lacks a field, has a bad regular expression or subject.
    """
    text = resources.files("kg.rules").joinpath("cues.yaml").read_text(encoding="utf-8")
    rules = []
    for n, item in enumerate(yaml.safe_load(text) or [], 1):
        try:
            if item["subject"] not in {"event", "instrument"}:
                raise ValueError(f"unknown subject {item['subject']!r}")
            if item.get("objects", "after") not in {"after", "before", "list"}:
                raise ValueError(f"unknown objects {item['objects']!r}")
            if not isinstance(item.get("inverse", False), bool):
                raise ValueError("inverse must be true or false")
            rules.append(CueRule(item["id"], item["predicate"], re.compile(item["cue"], re.I), item["subject"],
                                 _expand(item["object_classes"]), float(item["confidence"]),
                                 item.get("objects", "after"), item.get("inverse", False)))
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise ConfigError(f"kg/rules/cues.yaml: rule #{n}: {exc}; fix the entry") from exc
    return tuple(rules)


def _cues_impl(self: "RelationExtractor", c: "_Ctx", out: list[KeyFact]) -> None:
    sent = c.text
    base = c.span.start_char
    for rule in load_cue_rules():
        if rule.objects == "list":
            continue  # read by kg.extract.lists over the list items that follow
        for cue in rule.cue.finditer(sent):
            if rule.objects == "before":
                seg = max(sent.rfind(x, 0, cue.start()) for x in (";", ":", ", where", ", at which", ". ")) + 1
                before = [m for m in c.mentions if base + seg <= m.start and m.end <= base + cue.start()
                          and m.cls in rule.object_classes and m.key not in c.parents]
                subj = c.own_event or c.event
                if any(m.cls == "Person" for m in before):
                    before = [m for m in before if m.cls == "Person"]  # not the state or agency in a title
                with_ = re.match(r"\s+with\s+(?:the\s+)?", sent[cue.end():])
                if with_:  # "X shared the chair with Y": Y too
                    after = [m for m in c.mentions if m.start >= base + cue.end() + with_.end()
                             and m.cls in rule.object_classes and m.key not in c.parents]
                    if before and before[0].cls == "Person":
                        after = [m for m in after if m.cls == "Person"]
                    before += after[:1]
                if subj:
                    for m in before:
                        out.append(KeyFact(subj, rule.predicate, m.key, c.index, rule.id, rule.confidence))
                continue
            stop = re.search(_CLAUSE_END + r"|,\s+(?:which|who|where|while|and\s+(?:the\s+)?\w+\s+(?:was|were|is|are))\b|\s(?:on|in|at|from|since)\s+(?:\d|[A-Z][a-z]+\s+\d)", sent[cue.end():])
            end = base + cue.end() + (stop.start() if stop else len(sent))
            objs = [m for m in c.mentions if base + cue.end() <= m.start < end and m.cls in rule.object_classes
                    and m.key not in c.parents]
            # a list stops at the first mention that is not joined by "," / "and"
            kept = []
            prev_end = base + cue.end()
            for m in objs:
                gap = re.sub(r"^\s*\)|\([^)]*\)|\(\s*$", " ", c.state.document.text[prev_end:m.start])
                if not kept and rule.inverse and not re.fullmatch(r"\s*(?:[Tt]he\s+)?(?:[A-Z][\w-]*\s+)*", gap):
                    break  # "consultations with Dialogue Partners on its last day, ... ASEAN's": no party named
                if kept and not re.fullmatch(r"\s*(,|and|,\s*and|as well as|&|together with|along with)?\s*(the\s+)?"
                                             r"(?-i:[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*['’]s\s+)?", gap, re.I):
                    if kept[0].cls == "Person" and m.cls == "Person" and re.search(r",\s+and\s+$", gap) \
                            and not re.search(_CLAUSE_END, gap):
                        kept.append(m)  # "by A, Minister of X, and B, Chairman of Y": the titles sit between
                        prev_end = m.end
                        continue
                    if kept[0].cls == "Person":
                        continue  # a title's agency or state between two persons is no party
                    break
                kept.append(m)
                prev_end = m.end
            if rule.subject == "event":
                subj = c.own_event or c.event
                if not c.own_event and not sent[:cue.start()].strip() and rule.predicate != "participatedIn":
                    continue  # "Funded by the European Union.": a credit line, not a statement about the event
            else:
                instr = [m for m in c.mentions if m.cls == "Instrument" and m.end <= base + cue.start()]
                subj = instr[-1].key if instr else None
                if subj is None and re.match(r"\s*(?:this|the|that|its)\s+(?:protocol|convention|plan|declaration|"
                                             r"statement|agreement|memorandum|treaty|instrument|strategy|charter)\b",
                                             sent[:cue.start()], re.I):
                    subj = c.last_instrument  # "This protocol was adopted ... by the UN General Assembly"
            if not subj:
                continue
            modality = self._modality(c.span.doc[c.span.doc.char_span(base + cue.start(), base + cue.end(), alignment_mode="expand").start])
            for m in kept:
                s_, o_ = (m.key, subj) if rule.inverse else (subj, m.key)
                out.append(KeyFact(s_, rule.predicate, o_, c.index, rule.id, rule.confidence, modality))


class _Ctx:
    """Per-sentence context handed to the rule functions."""

    def __init__(self, state: "DocState", index: int, span: Span, mentions: list, event: str | None,
                 own_event: str | None, tokens: "list[Token] | None" = None) -> None:
        self.state = state
        self.index = index
        self.span = span
        self.mentions = mentions
        self.event = event
        self.own_event = own_event
        self.prev_event: str | None = None
        self.own_event_start: int | None = None
        self.last_person: "RawMention | None" = None
        self.prev_subject: str | None = None
        self.last_instrument: str | None = None
        self.parents: set[str] = set()
        self.state_lists: list[list["RawMention"]] = []
        self.tokens: list[Token] = list(span) if tokens is None else tokens
        #: per token of the sentence: ``lower_``, ``lemma_.lower()``, ``pos_``, ``tag_`` (read once, not per rule)
        self.lowers: list[str] = [t.lower_ for t in self.tokens]
        self.lemmas: list[str] = [t.lemma_.lower() for t in self.tokens]
        self.pos: list[str] = [t.pos_ for t in self.tokens]
        self.tags: list[str] = [t.tag_ for t in self.tokens]
        #: the document's publication date, else the year its headline states (set by ``extract``)
        self.published: dt.date | None = None
        #: the sentence's text, as ``span.text`` but without making a Token per word
        self.text: str = state.document.text[span.start_char:span.end_char]
        #: token index -> the mention covering it (the later of two that overlap)
        self.tok2m: dict[int, "RawMention"] = {i: m for m in mentions for i in range(m.tok_start, m.tok_end)}


__all__ = ["KeyFact", "RelationExtractor", "VerbRule", "load_verb_rules", "dt"]
