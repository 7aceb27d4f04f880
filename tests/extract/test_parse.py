"""kg.extract.parse: texts over the parser's length limit are parsed in pieces into one Doc with the same text."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.parse import parse, parse_many, split_text
from kg.extract.pipeline import Extractor
from kg.iri import document_iri
from kg.model import Document

SENTENCE = ("Brunei's delegation participated in the ASEAN Workshop on Strengthening Transnational "
            "Investigative Cooperation in Kuala Lumpur, Malaysia, on 23 April 2025.")
PARAGRAPHS = (f"  \n\n{SENTENCE} The meeting was chaired by Malaysia.\n\n\n"
              f"Thailand hosted the SOMTC in Bangkok. {SENTENCE}\n \n\t\n"
              f"Viet Nam and Indonesia signed a memorandum of understanding on cybercrime.  \n\n")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def nlp(extractor: Extractor) -> Language:
    return extractor.nlp


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


def test_extractor_on_a_long_text_finds_what_it_finds_in_each_part(extractor: Extractor,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The extractor's own path (nlp.max_length lowered): mentions keep their offsets in the whole text."""
    part = f"{SENTENCE} Thailand hosted the meeting in Bangkok.\n\n"
    text = part * 6
    monkeypatch.setattr(extractor.nlp, "max_length", len(part) * 2)
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
