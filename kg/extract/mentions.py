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
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

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


def acronym_definitions(doc: Doc) -> list[tuple[int, int, str, int, int]]:
    """Find "Long Name (ACR)" definitions.

    Returns:
        ``(name_tok_start, name_tok_end, acronym, paren_tok_start, paren_tok_end)`` for
        each definition whose acronym letters fit the capitalised words of the
        name just before it (initials in order, allowing skipped words).
    """
    out = []
    text = doc.text
    for m in _ACRONYM_DEF.finditer(text):
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
        while i >= 0 and (is_capitalised(doc[i].text) or doc[i].lower_ in CONNECTORS or doc[i].text in {"-", "’s", "'s"}):
            if doc[i].is_sent_start and not is_capitalised(doc[i].text):
                break
            words.append(i)
            if doc[i].is_sent_start:
                break
            i -= 1
        while words and not is_capitalised(doc[words[-1]].text):
            words.pop()
        if not words:
            continue
        words.reverse()
        initials = [doc[w].text for w in words if is_capitalised(doc[w].text)]
        # trim leading words until the initials can cover the acronym
        best = None
        # "Ministerial Meeting of the Mano River Union (MRU)": the name after "of (the)" whose
        # initials are exactly the acronym's letters, not the whole phrase
        for k in range(1, len(words)):
            cap = [doc[w].text for w in words[k:] if is_capitalised(doc[w].text)]
            if doc[words[k - 1]].lower_ in {"of", "the"} and is_capitalised(doc[words[k]].text) \
                    and "".join(w[0] for w in cap) == "".join(letters):
                best = k
                break
        for k in range(len(words) if best is None else 0):
            cap = [doc[w].text for w in words[k:] if is_capitalised(doc[w].text)]
            if _fits(letters, cap, acr):
                best = k
                break
        if best is None:
            continue
        del initials
        while best < len(words) and not is_capitalised(doc[words[best]].text):
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
                    starts: frozenset[int] = frozenset()) -> list[tuple[int, int, str, str]]:
    """Find capitalised multi-word names not fully covered by gazetteer matches.

    Args:
        doc: parsed document.
        heads: head-word lexicon.
        taken: token indices where a gazetteer name of a state or organisation ends;
            a name does not run on through "and" after one ("Canada and the ...").
        starts: token indices where a gazetteer name of a state or organisation starts.
        places: token indices where a place or state mention starts; a name
            does not run on through "in"/"at" into one ("Workshop ... in Kuala Lumpur").

    Returns:
        ``(tok_start, tok_end, head, cls)`` for names whose head word has a class.
    """
    out = []
    toks = list(doc)  # Token objects made once, not on every doc[k]
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        if not (is_capitalised(t.text) or is_ordinal(t.text)) or t.is_punct:
            i += 1
            continue
        j = i
        last_cap = i
        while j + 1 < n:
            nxt = toks[j + 1]
            if nxt.is_sent_start and j + 1 != i:
                break
            if "\n" in nxt.text_with_ws and j + 1 > i and "\n" in toks[j].whitespace_:
                break
            if is_capitalised(nxt.text) or (is_ordinal(nxt.text) and j + 1 == i) or (
                    nxt.text.isdigit() and len(nxt.text) <= 2 and toks[j].text in {"+", "Plus"}):
                j += 1
                last_cap = j
                continue
            if nxt.text == "+":
                j += 1
                continue
            if nxt.lower_ in {"period", "biennium", "triennium"} and j >= 2 and re.fullmatch(
                    r"(?:19|20)\d\d\s*[-–/]\s*(?:19|20)?\d\d", "".join(x.text for x in toks[j - 2:j + 1])):
                j += 1  # "Work Plan for the 2015-2018 period"
                last_cap = j
                break
            if nxt.lower_ in {"in", "at"} and (j + 2 in places or (j + 3 < n and toks[j + 2].lower_ == "the" and j + 3 in places)):
                regional = nxt.lower_ == "in" and j + 2 < n and toks[j + 2].text in _REGION_WORDS and any(
                    heads.classify(toks[k].text) == "Instrument" for k in range(i, j + 1))
                if not regional:
                    break  # "Workshop ... in Kuala Lumpur"; but "Convention ... Child Welfare in South Asia" goes on
            in_complement = any(toks[k].lower_ in {"of", "on", "for", "against"} for k in range(i, j + 1))
            if nxt.lower_ == "and" and ((j in taken and j + 2 in starts) or (
                    j + 2 < n and toks[j + 2].lower_ in {"the", "a", "an"} and not (
                        in_complement and j + 3 < n and is_capitalised(toks[j + 3].text) and j + 3 not in starts))):
                break  # "Canada and the Asia Dialogue", "Brunei and Malaysia": two names
            if nxt.lower_ == "to" and j + 3 < n and toks[j + 2].pos_ == "VERB" and toks[j + 2].is_lower \
                    and is_capitalised(toks[j + 3].text):
                j += 2  # "Workshop on ... Cooperation to address Trafficking in Persons"
                continue
            if nxt.text == "," and j + 2 < n and is_capitalised(toks[j + 2].text) and j + 2 not in places \
                    and (any(toks[k].lower_ in {"for", "to", "against", "on"} for k in range(i, j + 1))
                         or ((any(toks[k].lower_ == "of" for k in range(i, j + 1)) or _series_head(doc, j + 2, heads))
                             and _comma_series(doc, j + 2, places))):
                j += 1  # "Global Compact for Safe, Orderly and Regular Migration", "Ministry of Women, Children and ..."
                continue
            if nxt.lower_ in {"on", "in", "at", "of", "since", "from"} and j + 2 < n and (
                    toks[j + 2].like_num or toks[j + 2].text.rstrip(".") in _MONTHS):
                break  # "... (SOMTC) on August 12", "... Conference in 2018": a date, not the name
            if nxt.text in {"-", "–", "—"} and (toks[j].whitespace_ or nxt.whitespace_):
                break  # "4 March 2025 - The Khartoum Declaration": a spaced dash separates, "AU-EU" joins
            if nxt.lower_ in CONNECTORS or nxt.text in {"-", "–", "'s", "’s"} or (
                    nxt.text in {"'", "’"} and toks[j].text.endswith("s") and j + 2 < n and is_capitalised(toks[j + 2].text)):
                j += 1  # "Senior Officials' Meeting": a plural possessive inside the name
                continue
            if nxt.text == "(" and j + 3 < n and toks[j + 3].text == ")" and toks[j + 2].text.isupper():
                after = toks[j + 4].lower_ if j + 4 < n else ""
                topic_and = after == "and" and j + 5 < n and toks[j + 5].lower_ == "the" and any(
                    toks[k].lower_ in {"on", "for", "against"} for k in range(i, j + 1))
                if after in {"of", "in", "at", "under", "from", "and", ","} and not topic_and:
                    break  # "Central Committee ... (CCTP) of the Union of Myanmar", "... (SAPS) and Botswana's
                    # Ministry": the acronym closes the name (but "Meeting on ACTIP (ACTIP) and the RPA" goes on)
                j += 3
                continue
            if nxt.text == "(" and j + 2 < n and toks[j + 2].text == ")" and toks[j + 2 - 1].text.isupper():
                # "(HSU)" inside a longer name, keep scanning
                j += 2
                continue
            break
        end = last_cap + 1
        words = [toks[k].text for k in range(i, end)]
        # strip leading stop words ("The", "In")
        start = i
        while start < end and toks[start].lower_ in {"the", "a", "an", "in", "on", "at", "by", "from", "with", "for", "and", "as", "of", "to", "under", "during", "after", "since", "while", "when"}:
            start += 1
        # "Samoa's Immigration Division": the state is a mention of its own, not part of the name
        for k in range(start + 1, min(start + 4, end - 1)):
            if toks[k].text in {"'s", "’s"} and (start in places or start in starts) \
                    and all(is_capitalised(toks[x].text) for x in range(start, k)):
                start = k + 1
                break
        words = [toks[k].text for k in range(start, end)]
        if end - start >= 2:
            head = head_of(words)
            cls = heads.classify_name(words)
            if cls == "Event" and heads.classify(words[-1]) == "Event" and heads.classify(head or "") != "Event":
                head = words[-1]  # "25th Alliance against Trafficking in Persons Conference"
            if cls:
                out.append((start, end, head or "", cls))
            else:
                # a post title is no name, but what it is "of" may be one: "Commissioner of the
                # National Immigration Administration", "Minister of State for the Ministry for Home Affairs"
                k = next((k for k in range(start + 1, end - 1) if toks[k].lower_ in {"of", "for"}
                          and toks[k + 1].lower_ == "the"), None)  # not "Chief of Police", a field
                if k is not None:
                    i = k + 1
                    continue
        i = max(end, i + 1)
    return out


def _series_head(doc: Doc, k: int, heads: HeadLexicon) -> bool:
    """Whether the capitalised run that a comma series ends in ends with a head word ("... and Migration Division")."""
    n = len(doc)
    while k < n and (is_capitalised(doc[k].text) or doc[k].text == "," or doc[k].lower_ == "and"):
        k += 1
    return k > 0 and heads.classify(doc[k - 1].text) is not None


def _comma_series(doc: Doc, k: int, places: frozenset[int]) -> bool:
    """Whether tokens from ``k`` read "Cap Words(, Cap Words)* (,) and Cap Words": one name's own list.

    ("Ministry of Women, Children and Senior Citizens", "Department of Health, Humanitarian
    Affairs and Social Development"; not "Ministry of Interior, Cambodia".)
    """
    n = len(doc)
    seen_word = False
    while k < n:
        t = doc[k]
        if k in places:
            return False
        if is_capitalised(t.text):
            seen_word = True
        elif t.text == "," and seen_word:
            seen_word = False
        elif t.lower_ == "and" and (seen_word or doc[k - 1].text == ","):
            return k + 1 < n and is_capitalised(doc[k + 1].text) and k + 1 not in places
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
    "acronym_definitions",
    "candidate_names",
    "spans_overlap",
    "strip_person_titles",
]
