"""The fast paths of the extraction give exactly what the spaCy calls they stand for give.

The mention and relation stages read token strings from a per-document table, find the
planned-word sentences once per document and match name lists with a prefix-tree regex; each
must agree with the plain spaCy / ``re`` reading on the same input.
"""

from __future__ import annotations

import random
import re

from spacy.language import Language

from kg.extract.mentions import TokenTable
from kg.extract.pipeline import _noun_chunks_holding
from kg.extract.relations import _PLANNED_IN_SENTENCE, _planned_tokens, _trie_alternation

TEXT = (
    "ASEAN Senior Officials Meet in Kuala Lumpur\n\n"
    "KUALA LUMPUR, 23 April 2025 - The 25th SOMTC (Senior Officials Meeting on Transnational Crime) "
    "opened today. Brunei's delegation, led by Pol. Gen. Hj. Ahmad, attended; the re-scheduled "
    "workshop on people smuggling is Upcoming.\n"
    "A forthcoming meeting in Bangkok   will follow.  Nothing else was SCHEDULED.\n"
)


def test_token_table_span_text_matches_spacy(nlp: Language) -> None:
    doc = nlp(TEXT)
    table = TokenTable.of(doc, TEXT)
    assert [t.i for t in table.tokens] == list(range(len(doc)))
    for start in range(len(doc)):
        for end in range(start, min(start + 8, len(doc)) + 1):
            assert table.span_text(start, end) == doc[start:end].text, (start, end)


def test_token_table_token_range_matches_char_span(nlp: Language) -> None:
    doc = nlp(TEXT)
    table = TokenTable.of(doc, TEXT)
    rng = random.Random(3)
    pairs = [(t.idx, t.idx + len(t.text)) for t in doc] + [
        (a, a + rng.randint(1, 40)) for a in (rng.randrange(len(TEXT) - 1) for _ in range(2000))]
    for a, b in pairs:
        span = doc.char_span(a, min(b, len(TEXT)))
        expected = None if span is None else (span.start, span.end)
        assert table.token_range(a, min(b, len(TEXT))) == expected, (a, b)


def test_planned_tokens_are_those_whose_spacy_sentence_has_a_planned_word(nlp: Language) -> None:
    doc = nlp(TEXT)
    expected = {t.i for t in doc if any(w.lower_ in _PLANNED_IN_SENTENCE for w in t.sent)}
    assert expected  # the text has planned words ("Upcoming", "forthcoming", "SCHEDULED")
    assert _planned_tokens(doc, TEXT) == expected


def test_planned_tokens_ignore_a_planned_word_inside_a_longer_token(nlp: Language) -> None:
    text = "The unscheduled visit took place. The forthcomingness of it was noted."
    doc = nlp(text)
    assert _planned_tokens(doc, text) == set()


def test_trie_alternation_matches_what_the_plain_alternation_matches() -> None:
    forms = ["Trafficking in Persons", "trafficking", "Trafficking in Persons and Smuggling", "people smuggling",
             "Smuggling of Migrants", "smuggling", "drug trafficking", "cybercrime", "Cyber Crime", "TIP"]
    trie = _trie_alternation(forms)
    assert trie is not None
    plain = "|".join(sorted(map(re.escape, forms), key=len, reverse=True))
    fast, slow = re.compile(r"\b(" + trie + r")\b", re.I), re.compile(r"\b(" + plain + r")\b", re.I)
    texts = [
        "Combating Trafficking in Persons and Smuggling of Migrants in the region",
        "work on drug trafficking, people smuggling and CYBERCRIME; trafficking in persons",
        "TIP and tip and Cyber Crime and cyber crimes", "nothing here", "",
    ]
    rng = random.Random(5)
    texts += [" ".join(rng.choice(forms + ["and", "of", "the"]).swapcase() if rng.random() < 0.3
                       else rng.choice(forms + ["and", "of", "the"]) for _ in range(8)) for _ in range(300)]
    for text in texts:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in slow.finditer(text)], text


def test_trie_alternation_has_no_pattern_for_no_forms() -> None:
    assert _trie_alternation([]) is None
    assert _trie_alternation([""]) is None


def test_noun_chunks_holding_tokens_are_the_documents_chunks_that_hold_them(nlp: Language) -> None:
    doc = nlp(TEXT + " The meeting, a workshop and an action day were held. Officials met at the seminar.")
    chunks = [(c.start, c.end, c.label_) for c in doc.noun_chunks]
    everything = set(range(len(doc)))
    assert [(c.start, c.end, c.label_) for c in _noun_chunks_holding(doc, everything)] == chunks
    some = {t.i for t in doc if t.lower_ in {"meeting", "workshop", "day", "seminar"}}
    assert some
    expected = [c for c in chunks if not some.isdisjoint(range(c[0], c[1]))]
    assert [(c.start, c.end, c.label_) for c in _noun_chunks_holding(doc, some)] == expected
    assert list(_noun_chunks_holding(doc, set())) == []
