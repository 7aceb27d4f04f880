"""Find entity mentions: gazetteer matches, in-text acronym definitions, new names, NER.

Produces :class:`RawMention` spans over a parsed spaCy ``Doc``. Gazetteer
forms are matched case-insensitively (``Asean`` = ``ASEAN``) except acronyms
and one-word names, which must match as written or capitalised, so that
"US" is not "us". Overlaps resolve to the longest span; a longer new name
that contains gazetteer matches keeps them as nested mentions (they feed
the name-implied relations: "Royal Brunei Police Force" -> agencyOf Brunei).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from ..gazetteer import Gazetteer
from .names import (
    CONNECTORS,
    HeadLexicon,
    head_of,
    is_capitalised,
    is_ordinal,
)

#: Titles stripped from person names (annotation guide: "Titles are not part of the label").
PERSON_TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "datuk", "dato", "datin",
    "seri", "tan", "sri", "haji", "hajah", "awang", "dayang", "pengiran", "police", "colonel",
    "general", "lieutenant", "major", "brigadier", "senior", "lt", "gen", "lt-gen", "maj", "col",
    "pol", "brig", "ambassador", "minister", "deputy", "director", "executive", "secretary",
    "commissioner", "superintendent", "supt", "dsp", "dac", "acp", "sac", "chief", "president",
    "chairman", "chair", "head", "his", "her", "excellency", "h.e.", "he", "admiral", "captain",
    "inspector", "sergeant", "officer", "assistant", "permanent", "undersecretary", "justice",
    "judge", "attorney", "chairperson", "vice", "senator", "congressman", "hon", "honourable",
    "honorable", "mayor", "governor", "prime", "foreign", "home", "affairs", "interior",
}


@dataclass
class RawMention:
    """A mention before entity resolution.

    Attributes:
        start, end: character offsets; tok_start, tok_end: token offsets.
        text: surface form.
        key: entity key: ``reg:<id>``, ``topic:<label>``, or ``new:<Class>:<label>``.
        cls: vocabulary class local name.
        label: canonical label for a new entity (gazetteer name otherwise).
        source: ``gazetteer`` | ``acronym`` | ``name`` | ``ner`` | ``demonym``.
        nested: mentions inside this one (for name-implied relations).
    """

    start: int
    end: int
    text: str
    key: str
    cls: str
    label: str
    source: str
    nested: list["RawMention"] = field(default_factory=list)
    tok_start: int = 0
    tok_end: int = 0


@dataclass(frozen=True)
class TokenTable:
    """A document's tokens and their strings and flags, read from spaCy once.

    spaCy makes a new ``Token`` object on every ``doc[i]``; the passes that only need a
    token's strings read them here, by token index.

    Attributes:
        tokens: the ``Token`` objects (``tokens[i].i == i``).
        text, lower, space: ``Token.text``, ``Token.lower_``, ``Token.whitespace_``.
        sent_start: whether ``Token.is_sent_start`` is true (False where it is None).
        punct: ``Token.is_punct``.
        cap: :func:`~kg.extract.names.is_capitalised` of the text.
        idx: ``Token.idx``, the character offset.
        doc_text: the document's text (``Doc.text``).
    """

    tokens: list[Token]
    text: list[str]
    lower: list[str]
    space: list[str]
    sent_start: list[bool]
    punct: list[bool]
    cap: list[bool]
    idx: list[int]
    doc_text: str

    @classmethod
    def of(cls, doc: Doc, text: str | None = None) -> "TokenTable":
        """Read the table of ``doc``; ``text`` is ``doc.text`` when the caller has it (it saves a join)."""
        tokens = list(doc)
        words = [t.text for t in tokens]
        return cls(tokens, words, [t.lower_ for t in tokens], [t.whitespace_ for t in tokens],
                   [bool(t.is_sent_start) for t in tokens], [t.is_punct for t in tokens],
                   [is_capitalised(w) for w in words], [t.idx for t in tokens],
                   doc.text if text is None else text)

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text``, sliced from the document's text."""
        end = min(end, len(self.text))
        if end <= start:
            return ""
        return self.doc_text[self.idx[start]:self.idx[end - 1] + len(self.text[end - 1])]

    def token_range(self, start_char: int, end_char: int) -> tuple[int, int] | None:
        """``(span.start, span.end)`` of ``doc.char_span(start_char, end_char)`` (strict alignment), or None.

        For a non-empty character range: it must start where a token starts and end where one ends.
        """
        idx = self.idx
        start = bisect_left(idx, start_char)
        if start == len(idx) or idx[start] != start_char:
            return None
        end = bisect_right(idx, end_char - 1) - 1  # the token holding the last character
        if end < start or idx[end] + len(self.text[end]) != end_char:
            return None
        return start, end + 1


class GazetteerMatcher:
    """Phrase matching of every gazetteer surface form over a spaCy ``Doc``."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        """Build the matchers.

        Args:
            nlp: the pipeline whose tokenizer splits the forms.
            gazetteer: the registry; its surface forms, demonyms and topics are matched.
        """
        self.gazetteer = gazetteer
        self.ci = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.cs = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.targets: dict[str, set[str]] = {}
        ci_forms: dict[str, set[str]] = {}
        cs_forms: dict[str, set[str]] = {}

        def add(form: str, key: str) -> None:
            form = form.strip()
            if not form:
                return
            acronym_like = form.isupper() or (" " not in form and len(form) <= 4)
            one_word = " " not in form
            if acronym_like or one_word:
                cs_forms.setdefault(form, set()).add(key)
                if form.isupper() and len(form) >= 4 and form.isalpha():
                    cs_forms.setdefault(form.capitalize(), set()).add(key)
                if not form.isupper():
                    cs_forms.setdefault(form[:1].upper() + form[1:], set()).add(key)
            else:
                ci_forms.setdefault(form, set()).add(key)

        for form, entry_id in gazetteer.surface_forms():
            add(form, "reg:" + entry_id)
        for form, label in gazetteer.topic_forms():
            add(form, "topic:" + label)
        for forms, matcher in ((ci_forms, self.ci), (cs_forms, self.cs)):
            for form, keys in forms.items():
                mid = ("ci:" if matcher is self.ci else "cs:") + form.casefold()
                self.targets.setdefault(mid, set()).update(keys)
                matcher.add(mid, [nlp.make_doc(form)])

    def __call__(self, doc: Doc) -> list[tuple[int, int, set[str]]]:
        """Return ``(tok_start, tok_end, keys)`` for every match, overlaps included."""
        vocab = doc.vocab.strings
        out = []
        for matcher in (self.ci, self.cs):
            for mid, s, e in matcher(doc):
                out.append((s, e, self.targets[vocab[mid]]))
        return out


_ACRONYM_DEF = re.compile(r"\(\s*([A-Z][A-Za-z0-9\-\+&\./]{1,15})\s*\)")


def acronym_definitions(doc: Doc, table: TokenTable | None = None) -> list[tuple[int, int, str, int, int]]:
    """Find "Long Name (ACR)" definitions.

    Args:
        doc: parsed document.
        table: its token table (read from ``doc`` when not given).

    Returns:
        ``(name_tok_start, name_tok_end, acronym, paren_tok_start, paren_tok_end)`` for
        each definition whose acronym letters fit the capitalised words of the
        name just before it (initials in order, allowing skipped words).
    """
    out = []
    tb = table if table is not None else TokenTable.of(doc)
    texts, lowers, caps, sent_start = tb.text, tb.lower, tb.cap, tb.sent_start
    for m in _ACRONYM_DEF.finditer(tb.doc_text):
        acr = m.group(1)
        letters = [c for c in acr if c.isupper()]
        if len(letters) < 2 and len(acr) < 3:
            continue
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None or span.start == 0:
            continue
        # walk back over the name
        i = span.start - 1
        words: list[int] = []
        while i >= 0 and (caps[i] or lowers[i] in CONNECTORS or texts[i] in {"-", "’s", "'s"}):
            if sent_start[i] and not caps[i]:
                break
            words.append(i)
            if sent_start[i]:
                break
            i -= 1
        while words and not caps[words[-1]]:
            words.pop()
        if not words:
            continue
        words.reverse()
        # trim leading words until the initials can cover the acronym
        best = None
        # "Ministerial Meeting of the Mano River Union (MRU)": the name after "of (the)" whose
        # initials are exactly the acronym's letters, not the whole phrase
        for k in range(1, len(words)):
            cap = [texts[w] for w in words[k:] if caps[w]]
            if lowers[words[k - 1]] in {"of", "the"} and caps[words[k]] \
                    and "".join(w[0] for w in cap) == "".join(letters):
                best = k
                break
        for k in range(len(words) if best is None else 0):
            cap = [texts[w] for w in words[k:] if caps[w]]
            if _fits(letters, cap, acr):
                best = k
                break
        if best is None:
            continue
        while best < len(words) and not caps[words[best]]:
            best += 1
        if best >= len(words):
            continue
        out.append((words[best], span.start, acr, span.start, span.end))
    return out


def _fits(letters: list[str], words: list[str], acr: str) -> bool:
    """Whether an acronym's capitals can come from the words' capitals, in order."""
    if not words:
        return False
    caps = "".join(c for w in words for c in w if c.isupper())
    initials = "".join(w[0] for w in words)
    target = "".join(letters)
    if not target:
        return False
    if not initials.upper().startswith(target[0]) and not acr.lower().startswith(words[0][:3].lower()):
        return False
    # subsequence of all capitals
    it = iter(caps)
    if all(c in it for c in target):
        return words[0][0].upper() == target[0] or acr.lower().startswith(words[0][:4].lower())
    return False


#: First words of a region that an instrument's name can end with ("... in South Asia").
_REGION_WORDS = frozenset({"South", "Southeast", "South-East", "Southern", "East", "Eastern", "West", "Western", "North",
                           "Northern", "Central", "Asia", "Africa", "Europe", "Latin", "Pacific", "Asia-Pacific"})

_MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"}


def candidate_names(doc: Doc, heads: HeadLexicon, taken: set[int], places: frozenset[int] = frozenset(),
                    starts: frozenset[int] = frozenset(), table: TokenTable | None = None
                    ) -> list[tuple[int, int, str, str]]:
    """Find capitalised multi-word names not fully covered by gazetteer matches.

    Args:
        doc: parsed document.
        heads: head-word lexicon.
        taken: token indices where a gazetteer name of a state or organisation ends;
            a name does not run on through "and" after one ("Canada and the ...").
        starts: token indices where a gazetteer name of a state or organisation starts.
        places: token indices where a place or state mention starts; a name
            does not run on through "in"/"at" into one ("Workshop ... in Kuala Lumpur").
        table: the document's token table (read from ``doc`` when not given).

    Returns:
        ``(tok_start, tok_end, head, cls)`` for names whose head word has a class.
    """
    out = []
    tb = table if table is not None else TokenTable.of(doc)
    toks, texts, lowers, spaces, caps = tb.tokens, tb.text, tb.lower, tb.space, tb.cap
    n = len(toks)
    # the tokens that can open a name: capitalised or ordinal words
    openers = [k for k, (w, cap, punct) in enumerate(zip(texts, caps, tb.punct))
               if not punct and (cap or is_ordinal(w))]
    i = 0
    while i < n:
        o = bisect_left(openers, i)
        if o == len(openers):
            break
        i = openers[o]
        j = i
        last_cap = i
        while j + 1 < n:
            nxt_text, nxt_lower = texts[j + 1], lowers[j + 1]
            if tb.sent_start[j + 1] and j + 1 != i:
                break
            if ("\n" in nxt_text or "\n" in spaces[j + 1]) and j + 1 > i and "\n" in spaces[j]:
                break
            if caps[j + 1] or (j + 1 == i and is_ordinal(nxt_text)) or (
                    nxt_text.isdigit() and len(nxt_text) <= 2 and texts[j] in {"+", "Plus"}):
                j += 1
                last_cap = j
                continue
            if nxt_text == "+":
                j += 1
                continue
            if nxt_lower in {"period", "biennium", "triennium"} and j >= 2 and re.fullmatch(
                    r"(?:19|20)\d\d\s*[-–/]\s*(?:19|20)?\d\d", "".join(texts[j - 2:j + 1])):
                j += 1  # "Work Plan for the 2015-2018 period"
                last_cap = j
                break
            if nxt_lower in {"in", "at"} and (j + 2 in places or (j + 3 < n and lowers[j + 2] == "the" and j + 3 in places)):
                regional = nxt_lower == "in" and j + 2 < n and texts[j + 2] in _REGION_WORDS and any(
                    heads.classify(texts[k]) == "Instrument" for k in range(i, j + 1))
                if not regional:
                    break  # "Workshop ... in Kuala Lumpur"; but "Convention ... Child Welfare in South Asia" goes on
            if nxt_lower == "and":
                in_complement = any(lowers[k] in {"of", "on", "for", "against"} for k in range(i, j + 1))
                if (j in taken and j + 2 in starts) or (
                        j + 2 < n and lowers[j + 2] in {"the", "a", "an"} and not (
                            in_complement and j + 3 < n and caps[j + 3] and j + 3 not in starts)):
                    break  # "Canada and the Asia Dialogue", "Brunei and Malaysia": two names
            if nxt_lower == "to" and j + 3 < n and toks[j + 2].pos_ == "VERB" and toks[j + 2].is_lower \
                    and caps[j + 3]:
                j += 2  # "Workshop on ... Cooperation to address Trafficking in Persons"
                continue
            if nxt_text == "," and j + 2 < n and caps[j + 2] and j + 2 not in places \
                    and (any(lowers[k] in {"for", "to", "against", "on"} for k in range(i, j + 1))
                         or ((any(lowers[k] == "of" for k in range(i, j + 1)) or _series_head(tb, j + 2, heads))
                             and _comma_series(tb, j + 2, places))):
                j += 1  # "Global Compact for Safe, Orderly and Regular Migration", "Ministry of Women, Children and ..."
                continue
            if nxt_lower in {"on", "in", "at", "of", "since", "from"} and j + 2 < n and (
                    toks[j + 2].like_num or texts[j + 2].rstrip(".") in _MONTHS):
                break  # "... (SOMTC) on August 12", "... Conference in 2018": a date, not the name
            if nxt_text in {"-", "–", "—"} and (spaces[j] or spaces[j + 1]):
                break  # "4 March 2025 - The Khartoum Declaration": a spaced dash separates, "AU-EU" joins
            if nxt_lower in CONNECTORS or nxt_text in {"-", "–", "'s", "’s"} or (
                    nxt_text in {"'", "’"} and texts[j].endswith("s") and j + 2 < n and caps[j + 2]):
                j += 1  # "Senior Officials' Meeting": a plural possessive inside the name
                continue
            if nxt_text == "(" and j + 3 < n and texts[j + 3] == ")" and texts[j + 2].isupper():
                after = lowers[j + 4] if j + 4 < n else ""
                topic_and = after == "and" and j + 5 < n and lowers[j + 5] == "the" and any(
                    lowers[k] in {"on", "for", "against"} for k in range(i, j + 1))
                if after in {"of", "in", "at", "under", "from", "and", ","} and not topic_and:
                    break  # "Central Committee ... (CCTP) of the Union of Myanmar", "... (SAPS) and Botswana's
                    # Ministry": the acronym closes the name (but "Meeting on ACTIP (ACTIP) and the RPA" goes on)
                j += 3
                continue
            if nxt_text == "(" and j + 2 < n and texts[j + 2] == ")" and texts[j + 1].isupper():
                # "(HSU)" inside a longer name, keep scanning
                j += 2
                continue
            break
        end = last_cap + 1
        # strip leading stop words ("The", "In")
        start = i
        while start < end and lowers[start] in _LEADING_STOP:
            start += 1
        # "Samoa's Immigration Division": the state is a mention of its own, not part of the name
        for k in range(start + 1, min(start + 4, end - 1)):
            if texts[k] in {"'s", "’s"} and (start in places or start in starts) \
                    and all(caps[x] for x in range(start, k)):
                start = k + 1
                break
        if end - start >= 2:
            words = texts[start:end]
            head = head_of(words)
            cls = heads.classify_name(words, head)
            if cls == "Event" and heads.classify(words[-1]) == "Event" and heads.classify(head or "") != "Event":
                head = words[-1]  # "25th Alliance against Trafficking in Persons Conference"
            if cls:
                out.append((start, end, head or "", cls))
            else:
                # a post title is no name, but what it is "of" may be one: "Commissioner of the
                # National Immigration Administration", "Minister of State for the Ministry for Home Affairs"
                k = next((k for k in range(start + 1, end - 1) if lowers[k] in {"of", "for"}
                          and lowers[k + 1] == "the"), None)  # not "Chief of Police", a field
                if k is not None:
                    i = k + 1
                    continue
        i = max(end, i + 1)
    return out


#: Words stripped from the start of a candidate name ("The", "In").
_LEADING_STOP = frozenset({"the", "a", "an", "in", "on", "at", "by", "from", "with", "for", "and", "as", "of", "to",
                           "under", "during", "after", "since", "while", "when"})


def _series_head(tb: TokenTable, k: int, heads: HeadLexicon) -> bool:
    """Whether the capitalised run that a comma series ends in ends with a head word ("... and Migration Division")."""
    n = len(tb.text)
    while k < n and (tb.cap[k] or tb.text[k] == "," or tb.lower[k] == "and"):
        k += 1
    return k > 0 and heads.classify(tb.text[k - 1]) is not None


def _comma_series(tb: TokenTable, k: int, places: frozenset[int]) -> bool:
    """Whether tokens from ``k`` read "Cap Words(, Cap Words)* (,) and Cap Words": one name's own list.

    ("Ministry of Women, Children and Senior Citizens", "Department of Health, Humanitarian
    Affairs and Social Development"; not "Ministry of Interior, Cambodia".)
    """
    n = len(tb.text)
    seen_word = False
    while k < n:
        if k in places:
            return False
        if tb.cap[k]:
            seen_word = True
        elif tb.text[k] == "," and seen_word:
            seen_word = False
        elif tb.lower[k] == "and" and (seen_word or tb.text[k - 1] == ","):
            return k + 1 < n and tb.cap[k + 1] and k + 1 not in places
        else:
            return False
        k += 1
    return False


def strip_person_titles(words: list[str]) -> list[str]:
    """Drop leading titles and ranks from a person's name (``Police Colonel David Vinluan`` -> ``David Vinluan``)."""
    k = 0
    while k < len(words) - 1 and (words[k].casefold().rstrip(".") in PERSON_TITLES or words[k].isupper() and len(words[k]) <= 4):
        k += 1
    return words[k:]


def spans_overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two half-open token ranges overlap."""
    return a[0] < b[1] and b[0] < a[1]


__all__ = [
    "GazetteerMatcher",
    "RawMention",
    "Span",
    "TokenTable",
    "acronym_definitions",
    "candidate_names",
    "spans_overlap",
    "strip_person_titles",
]
