"""kg.extract.parse: texts over the parser's length limit are parsed in pieces into one Doc with the same text."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.parse import (
    parse,
    parse_many,
    parse_many_selected,
    parse_selected,
    plan_pieces,
    sentence_spans,
    split_text,
)
from kg.extract.pipeline import Extractor
from kg.extract.select import SentenceSelector
from kg.iri import document_iri
from kg.model import Document

SENTENCE = ("Brunei's delegation participated in the ASEAN Workshop on Strengthening Transnational "
            "Investigative Cooperation in Kuala Lumpur, Malaysia, on 23 April 2025.")
PARAGRAPHS = (f"  \n\n{SENTENCE} The meeting was chaired by Malaysia.\n\n\n"
              f"Thailand hosted the SOMTC in Bangkok. {SENTENCE}\n \n\t\n"
              f"Viet Nam and Indonesia signed a memorandum of understanding on cybercrime.  \n\n")


def _tokens(doc: Doc) -> list[tuple[int, str, str, str, bool]]:
    return [(t.idx, t.text, t.tag_, t.dep_, bool(t.is_sent_start)) for t in doc]


@pytest.mark.parametrize("text", [
    "",
    "   ",
    PARAGRAPHS,
    "\n\n\n" + SENTENCE + "\n\n\n\n",
    (SENTENCE + "\n") * 12,  # no blank line: cut after sentences
    " ".join([SENTENCE.replace(".", "")] * 6),  # no sentence end: cut at spaces
    "x" * 333,  # no white space at all: cut anywhere
])
@pytest.mark.parametrize("size", [1, 7, 60, 200])
def test_split_text_joins_back_and_keeps_each_piece_under_the_size(text: str, size: int) -> None:
    pieces = split_text(text, size)
    assert "".join(pieces) == text
    assert all(0 < len(p) <= size for p in pieces)


def test_split_text_prefers_paragraph_breaks_then_sentence_ends() -> None:
    paragraphs = split_text(PARAGRAPHS, 230)
    assert all(p.endswith("\n") for p in paragraphs[:-1]), paragraphs
    assert paragraphs[1].startswith("Thailand hosted")  # the blank lines stay with the piece before
    lines = split_text((SENTENCE + " ") * 10, 400)
    assert all(p.endswith(". ") for p in lines[:-1]), lines


def test_split_text_refuses_a_size_below_one() -> None:
    with pytest.raises(ValueError, match="max_chars"):
        split_text("abc", 0)


@pytest.mark.parametrize("text", [
    PARAGRAPHS,
    "\n\n\n" + SENTENCE + "  \n\n\n\n",
    (SENTENCE + "\n") * 8,
    "   " + " ".join([SENTENCE.replace(".", "")] * 4) + "   ",
])
def test_a_text_over_the_limit_gives_one_doc_with_exactly_its_text(nlp: Language, text: str) -> None:
    doc = parse(nlp, text, max_chars=150)
    assert doc.text == text
    assert len(doc.text_with_ws) == len(text)
    assert [t.idx for t in doc] == sorted(t.idx for t in doc)
    for token in doc:  # every token sits at its own characters of the original text
        assert text[token.idx:token.idx + len(token.text)] == token.text
    for ent in doc.ents:
        assert text[ent.start_char:ent.end_char] == ent.text


def test_each_piece_starts_a_sentence_and_keeps_its_parse(nlp: Language) -> None:
    doc = parse(nlp, PARAGRAPHS, max_chars=150)
    starts = {s.start_char for s in doc.sents}
    for piece_start in _piece_starts(PARAGRAPHS, 150):
        first = next(t for t in doc if t.idx >= piece_start)
        assert first.is_sent_start and first.idx in starts
    # within a piece the parse is the piece's own parse, shifted to its offset
    pieces = split_text(PARAGRAPHS, 150)
    offset = len(pieces[0])
    alone = nlp(pieces[1])
    assert [(t.idx + offset, t.text, t.tag_, t.dep_) for t in alone] == \
           [(t.idx, t.text, t.tag_, t.dep_) for t in doc if offset <= t.idx < offset + len(pieces[1])]
    assert {(e.start_char, e.text, e.label_) for e in doc.ents} >= {
        (e.start_char + offset, e.text, e.label_) for e in alone.ents}


def _piece_starts(text: str, size: int) -> list[int]:
    starts, at = [], 0
    for piece in split_text(text, size):
        starts.append(at)
        at += len(piece)
    return starts


def test_a_text_under_the_limit_takes_the_one_call_path(nlp: Language) -> None:
    assert _tokens(parse(nlp, PARAGRAPHS)) == _tokens(nlp(PARAGRAPHS))
    assert _tokens(parse(nlp, PARAGRAPHS, max_chars=len(PARAGRAPHS))) == _tokens(nlp(PARAGRAPHS))


def test_the_default_limit_is_the_pipelines_max_length() -> None:
    small = spacy.blank("en")
    small.max_length = 50
    text = "Brunei and ASEAN met.\n\nThailand hosted the SOMTC in Bangkok on 23 April 2025."
    with pytest.raises(ValueError, match="E088"):
        small(text)  # spaCy alone refuses it
    doc = parse(small, text)
    assert doc.text == text and len(list(doc.sents)) >= 2


def test_parse_many_keeps_the_order_and_the_texts(nlp: Language) -> None:
    texts = ["Short one about Brunei.", PARAGRAPHS, "", "Another short one about Thailand.", PARAGRAPHS * 2]
    docs = list(parse_many(nlp, texts, batch_size=2, max_chars=200))
    assert [d.text for d in docs] == texts
    assert _tokens(docs[0]) == _tokens(nlp(texts[0]))
    assert _tokens(docs[3]) == _tokens(nlp(texts[3]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["Brunei", "met", "ASEAN", ".", " ", "  ", "\n", "\n\n", "\t", "\u00a0", "é"]),
                max_size=80), st.integers(min_value=1, max_value=40))
def test_any_text_joins_back_exactly(nlp: Language, parts: list[str], size: int) -> None:
    text = "".join(parts)
    assert "".join(split_text(text, size)) == text
    assert parse(nlp, text, max_chars=size).text == text


@pytest.mark.parametrize("selective", [False, True])
def test_extractor_on_a_long_text_finds_what_it_finds_in_each_part(extractor: Extractor, selective: bool,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The extractor's own path (nlp.max_length lowered): mentions keep their offsets in the whole text."""
    part = f"{SENTENCE} Thailand hosted the meeting in Bangkok.\n\n"
    text = part * 6
    monkeypatch.setattr(extractor.nlp, "max_length", len(part) * 2)
    monkeypatch.setattr(extractor, "selective", selective)
    document = Document(path=Path("long.txt"), iri=document_iri("long.txt"), text=text, published=None)
    ext = extractor.extract(document)
    many = extractor.extract_many([document])[0]
    for m in ext.mentions:
        assert text[m.start:m.end] == m.text
    anchors = {text[m.start:m.end] for m in ext.mentions}
    assert {"Brunei", "Malaysia", "Thailand", "Bangkok"} <= anchors, anchors
    per_part = [m for m in ext.mentions if m.text == "Thailand"]
    assert len(per_part) == 6  # one in each repetition, none lost at a cut
    assert [(m.start, m.end, m.entity) for m in many.mentions] == [(m.start, m.end, m.entity) for m in ext.mentions]


# -- selective parse ---------------------------------------------------------------------

SELECTIVE = ("Thailand hosted the meeting in Bangkok on 23 April 2025. "
             "Officers carried out inspections and looked for forged documents.\n\n"
             "The weather was fine all week. "
             "Brunei and Malaysia sent delegations to the workshop.")


def _mentions_brunei_or_thailand(doc: Doc, sents: list) -> list[bool]:
    return [("Brunei" in s.text or "Thailand" in s.text) for s in sents]


def _sentence_of(doc: Doc, words: str):  # type: ignore[no-untyped-def]
    return next(s for s in doc.sents if words in s.text)


def test_selective_parse_keeps_the_text_and_parses_only_the_picked_sentences(nlp: Language) -> None:
    doc = parse_selected(nlp, SELECTIVE, _mentions_brunei_or_thailand, context=0)
    assert doc.text == SELECTIVE
    assert [(t.idx, t.text) for t in doc] == [(t.idx, t.text) for t in nlp(SELECTIVE)]
    assert doc.has_annotation("DEP")
    for words in ("Officers carried out", "The weather was fine"):
        skipped = _sentence_of(doc, words)
        assert skipped[0].is_sent_start
        assert [t.dep_ for t in skipped] == [""] * len(skipped)
        assert [t.tag_ for t in skipped] == [""] * len(skipped)
        assert not [e for e in doc.ents if skipped.start <= e.start < skipped.end]
    for words in ("Thailand hosted", "Brunei and Malaysia"):
        picked = _sentence_of(doc, words)
        assert all(t.dep_ for t in picked if not t.is_space)
        assert any(t.dep_ == "ROOT" for t in picked)
    assert {e.text for e in doc.ents} >= {"Thailand", "Bangkok", "Brunei", "Malaysia"}


def test_a_picked_sentence_is_parsed_as_it_would_be_alone(nlp: Language) -> None:
    doc = parse_selected(nlp, SELECTIVE, _mentions_brunei_or_thailand, context=0)
    start = SELECTIVE.index("Brunei and Malaysia")
    alone = nlp(SELECTIVE[start:])
    assert [(t.idx + start, t.text, t.tag_, t.dep_, t.head.i - t.i) for t in alone] == \
           [(t.idx, t.text, t.tag_, t.dep_, t.head.i - t.i) for t in doc if t.idx >= start]


def test_context_parses_the_neighbours_of_a_picked_sentence(nlp: Language) -> None:
    doc = parse_selected(nlp, SELECTIVE, _mentions_brunei_or_thailand, context=1)
    for words in ("Officers carried out", "The weather was fine"):
        assert any(t.dep_ == "ROOT" for t in _sentence_of(doc, words))


def test_when_every_sentence_is_picked_the_doc_is_the_whole_parse(nlp: Language) -> None:
    doc = parse_selected(nlp, PARAGRAPHS, lambda d, sents: [True] * len(sents))
    assert _tokens(doc) == _tokens(parse(nlp, PARAGRAPHS))
    assert [(e.start_char, e.label_) for e in doc.ents] == [(e.start_char, e.label_) for e in nlp(PARAGRAPHS).ents]


def test_when_no_sentence_is_picked_the_whole_text_is_parsed(nlp: Language) -> None:
    """spaCy's readers of the parse refuse a Doc with none (noun_chunks: E029), so such a text is parsed whole."""
    doc = parse_selected(nlp, SELECTIVE, lambda d, sents: [False] * len(sents))
    assert _tokens(doc) == _tokens(parse(nlp, SELECTIVE))
    assert list(doc.noun_chunks)
    assert parse_selected(nlp, ":", lambda d, sents: [False] * len(sents)).has_annotation("DEP")
    empty = parse_selected(nlp, "", lambda d, sents: [False] * len(sents))
    assert empty.text == "" and list(empty.noun_chunks) == []


def test_plan_pieces_cover_the_text_and_group_runs(nlp: Language) -> None:
    text = "  " + SELECTIVE + "  \n"
    doc, pieces = plan_pieces(nlp, text, _mentions_brunei_or_thailand, context=0)
    assert pieces[0].start == 0 and pieces[-1].end == len(text)
    assert all(a.end == b.start and a.tok_end == b.tok_start for a, b in zip(pieces, pieces[1:]))
    assert [(p.parse, p.sentences) for p in pieces] == [(True, 1), (False, 2), (True, 1)]
    assert text[pieces[1].start:pieces[1].end] == ("Officers carried out inspections and looked for forged documents.\n\n"
                                                   "The weather was fine all week. ")
    with pytest.raises(ValueError, match="context"):
        plan_pieces(nlp, text, _mentions_brunei_or_thailand, context=-1)
    with pytest.raises(ValueError, match="flags"):
        plan_pieces(nlp, text, lambda d, sents: [True])


def test_sentence_spans_start_at_words_and_cover_every_token(nlp: Language) -> None:
    doc, sents = sentence_spans(nlp, "\n\nFirst one. Second one!\n\nThird one")
    assert [s.text_with_ws for s in sents] == ["\n\nFirst one. ", "Second one!\n\n", "Third one"]
    assert sents[0].start == 0 and sents[-1].end == len(doc)
    assert not doc.has_annotation("DEP")
    assert sentence_spans(nlp, "")[1] == []


@pytest.mark.parametrize(("text", "count"), [
    ("Pol. Col. Somchai Jaidee opened it. He spoke.", 2),  # titles: no cut after "Pol." or "Col."
    ("It cost approx. five dollars. It rained.", 2),  # lower case after the full stop: no cut
    ("It was held in Bali.\nPol. Col. Somchai spoke.", 2),  # a line break always cuts
])
def test_sentence_spans_do_not_cut_after_abbreviations(nlp: Language, text: str, count: int) -> None:
    assert len(sentence_spans(nlp, text)[1]) == count


def test_parse_many_selected_keeps_order_and_cuts_long_pieces(nlp: Language) -> None:
    texts = [SELECTIVE, "", "nothing to see here.", PARAGRAPHS * 2, SELECTIVE]
    docs = list(parse_many_selected(nlp, texts, _mentions_brunei_or_thailand, context=0, batch_size=2,
                                    max_chars=150))
    assert [d.text for d in docs] == texts
    one = parse_selected(nlp, SELECTIVE, _mentions_brunei_or_thailand, context=0)
    assert _tokens(docs[0]) == _tokens(one) == _tokens(docs[4])
    assert docs[2].has_annotation("DEP")  # nothing picked: parsed whole
    for token in docs[3]:
        assert texts[3][token.idx:token.idx + len(token.text)] == token.text


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["Brunei", "met", "ASEAN", ".", "!", " ", "  ", "\n", "\n\n", "\t", "\u00a0", "é"]),
                max_size=80), st.integers(min_value=0, max_value=2), st.integers(min_value=5, max_value=60))
def test_any_text_joins_back_exactly_when_parsed_selectively(nlp: Language, parts: list[str], context: int,
                                                            size: int) -> None:
    text = "".join(parts)
    doc = parse_selected(nlp, text, lambda d, sents: [i % 2 == 0 for i in range(len(sents))], context=context,
                         max_chars=size)
    assert doc.text == text
    for token in doc:
        assert text[token.idx:token.idx + len(token.text)] == token.text


def test_the_extractor_finds_the_same_facts_with_the_selective_parse(extractor: Extractor) -> None:
    text = (f"{SENTENCE} The meeting was chaired by Malaysia.\n\n"
            "The participants discussed the weather and the food at length.\n\n"
            "Pol. Col. Somchai Jaidee of the Royal Thai Police opened the workshop. "
            "He urged closer regional cooperation against trafficking in persons.\n\n"
            "Delegates from seven countries attended. The programme ran smoothly.")
    document = Document(path=Path("sel.txt"), iri=document_iri("sel.txt"), text=text, published=None)
    whole = Extractor(extractor.gazetteer, selective=False)
    selective = Extractor(extractor.gazetteer, selective=True)
    whole.nlp = selective.nlp = extractor.nlp  # type: ignore[misc]  # one model for both
    full, sel, many = whole.extract(document), selective.extract(document), selective.extract_many([document])[0]

    def facts(e):  # type: ignore[no-untyped-def]
        return sorted((str(f.subject), f.predicate, str(f.object)) for f in e.facts)

    select = SentenceSelector(extractor.matcher)
    _, pieces = plan_pieces(extractor.nlp, text, select, context=select.context)
    assert [text[p.start:p.end].strip() for p in pieces if not p.parse] == [
        "The participants discussed the weather and the food at length."]
    assert facts(full), "the text yields facts"
    assert facts(sel) == facts(full) == facts(many)
    assert [(m.start, m.end, m.entity) for m in sel.mentions] == [(m.start, m.end, m.entity) for m in full.mentions]
    assert [(s.start, s.end) for s in sel.sentences] == [(s.start, s.end) for s in full.sentences]
