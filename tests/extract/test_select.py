"""kg.extract.select: which sentences can yield a fact, from tokens alone (the selective parse's cheap pass)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.errors import ConfigError
from kg.extract.parse import plan_pieces, sentence_spans
from kg.extract.pipeline import Extractor
from kg.extract.select import SentenceSelector, load_triggers

TEXT = ("Thailand hosted the SOMTC in Bangkok. "
        "Officers carried out inspections and looked for forged documents. "
        "The talks were led by Somchai Jaidee. "
        "He urged closer cooperation against the crime. "
        "Delegates from seven countries took part. "
        "A meeting to prepare the next round was held. "
        "Cases with child victims were given particular attention. "
        "It cost 300 dollars. "
        "UNXYZ coordinated the action.")


def test_each_sentence_is_picked_for_its_reason_or_not_at_all(extractor: Extractor, nlp: Language) -> None:
    doc, sents = sentence_spans(nlp, TEXT)
    select = SentenceSelector(extractor.matcher)
    assert select.reasons(doc, sents) == [
        "gazetteer",  # Thailand, SOMTC, Bangkok
        None,  # nothing to extract
        "name",  # a new person name
        "word",  # "He" stands for the last person named
        "word",  # a count in words
        "word",  # an unnamed event ("A meeting to prepare ...")
        None,
        "digit",
        "name",  # an acronym as the first word
    ]
    assert select(doc, sents) == [True, False, True, True, True, True, False, True, True]


def test_without_a_matcher_a_known_name_still_counts_as_a_name(nlp: Language) -> None:
    doc, sents = sentence_spans(nlp, "Officers met in Bangkok. Officers met in the capital.")
    assert SentenceSelector(None).reasons(doc, sents) == ["name", None]


def test_a_capitalised_first_word_alone_is_no_name(nlp: Language) -> None:
    doc, sents = sentence_spans(nlp, "Investigators concentrated on forced begging.")
    assert SentenceSelector(None)(doc, sents) == [False]


def test_the_packaged_rules_add_the_event_heads_of_heads_yaml() -> None:
    triggers = load_triggers()
    assert {"he", "she", "seven", "today", "workshop", "exercise", "operation", "retreat"} <= triggers.words
    assert "one" not in triggers.words and "may" not in triggers.words  # too common to pick a sentence
    assert triggers.context == 0


def test_plural_trigger_words_count(nlp: Language) -> None:
    doc, sents = sentence_spans(nlp, "the workshops ended well.")
    assert SentenceSelector(None).reasons(doc, sents) == ["word"]


@pytest.mark.parametrize(("text", "message"), [
    ("[1, 2]", "expected a mapping"),
    ("context: -1\nwords: {}", "context must be a whole number"),
    ("context: yes\nwords: {}", "context must be a whole number"),
    ("context: 0\nwords: [he]", "words must be a mapping"),
    ("context: 0\nwords: {pronouns: he}", "words.pronouns must be a list"),
    ("context: 0\nheads_of: [Nothing]\nwords: {}", "no class of kg/rules/heads.yaml"),
])
def test_malformed_rules_name_the_file_and_the_entry(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        load_triggers(text)
    assert "kg/rules/triggers.yaml" in str(info.value)


def test_rules_given_as_text_are_read_as_the_file_is() -> None:
    triggers = load_triggers("context: 2\nheads_of: []\nwords: {x: [Alpha, beta]}")
    assert triggers.words == frozenset({"alpha", "beta"}) and triggers.context == 2


def test_the_selective_parse_extracts_what_the_whole_parse_does_on_the_heldout_texts(extractor: Extractor) -> None:
    """The contract that lets the selective parse be the default: a rule that reads a sentence the
    selector skips makes this fail; give that sentence a trigger in kg/rules/triggers.yaml."""
    from pathlib import Path

    from kg.documents import discover, read_document

    found, _ = discover([Path(__file__).resolve().parents[1] / "data" / "heldout"])
    docs = [read_document(s) for s in found]
    assert len(docs) == 10
    whole = Extractor(extractor.gazetteer, selective=False)
    selective = Extractor(extractor.gazetteer, selective=True)
    whole.nlp = selective.nlp = extractor.nlp  # type: ignore[misc]  # one model for both

    def outcome(e):  # type: ignore[no-untyped-def]
        return (sorted((str(f.subject), f.predicate, str(f.object)) for f in e.facts),
                sorted((str(f.subject), f.predicate, str(f.object)) for f in e.candidates),
                sorted((m.start, m.end, str(m.entity)) for m in e.mentions),
                sorted(map(str, e.entities)),
                [(s.start, s.end) for s in e.sentences])

    skipped = 0
    select = SentenceSelector(extractor.matcher)
    for doc, sel in zip(docs, selective.extract_many(docs)):
        assert outcome(sel) == outcome(whole.extract(doc)), doc.path.name
        _, pieces = plan_pieces(extractor.nlp, doc.text, select, context=select.context)
        skipped += sum(p.sentences for p in pieces if not p.parse)
    assert skipped > 0  # the comparison means something: some sentences were not parsed
