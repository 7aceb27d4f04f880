"""Parse texts of any length with spaCy: long texts in pieces, joined into one Doc with the same text.

spaCy refuses a text longer than ``nlp.max_length`` characters (error E088;
1,000,000 by default) because the parser and the entity recognizer need about
1 GB of temporary memory per 100,000 characters. A text under that limit is
parsed in one call, exactly as before. A longer one is cut into pieces of at
most :data:`CHUNK_CHARS` characters, at a paragraph break when there is one,
else after a sentence end or a line break, else at white space, else anywhere;
the pieces are parsed with ``nlp.pipe`` and joined with ``Doc.from_docs``
without adding white space, so the joined Doc's text is the original text
character for character and every character offset stays where it was. Each
piece starts a sentence.

The selective parse (:func:`parse_selected`, :func:`parse_many_selected`) runs
the whole pipeline only on the sentences that a selector picks (see
:mod:`kg.extract.select`): the text is tokenized and split into sentences by
spaCy's rule-based sentencizer (no model), consecutive sentences that are picked,
or next to a picked one, are parsed together as one piece, and the others keep
their tokens and sentence starts only (``token.dep_ == ""``, no entities). The
pieces are joined into one Doc with exactly the original text, as above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence

import numpy
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span

#: Most characters parsed at once when a text is cut into pieces.
#: Source: spaCy's E088 message and ``Language.max_length`` docs (about 1 GB of
#: temporary memory per 100,000 characters for the parser and NER).
CHUNK_CHARS = 100_000

#: Places to cut, best first: after a blank line; after a sentence end or a
#: line break; after white space.
_CUTS = (
    re.compile(r"\n[^\S\n]*\n\s*"),
    re.compile(r"[.!?][\"'\u2019\u201d)\]]*\s+|\n\s*"),
    re.compile(r"\s+"),
)


def split_text(text: str, max_chars: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``max_chars`` characters that join back to it.

    Each cut is the last paragraph break of the window, else its last sentence
    end or line break, else its last white space, else the window's end; a cut
    in the window's first half is taken only when the kinds before give none
    in its second half (so the pieces stay large).

    Args:
        text: the text.
        max_chars: the longest piece, in characters (>= 1).

    Returns:
        The pieces, none empty (none at all for an empty text); ``"".join(pieces) == text``.

    Raises:
        ValueError: ``max_chars`` is below 1.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, got {max_chars}")
    pieces: list[str] = []
    start = 0
    while len(text) - start > max_chars:
        end = start + max_chars
        pieces.append(text[start:(cut := _cut(text, start, end))])
        start = cut
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _cut(text: str, start: int, end: int) -> int:
    """The offset to cut ``text[start:end]`` at (``start < cut <= end``)."""
    half = start + (end - start) // 2
    fallback = 0
    for pattern in _CUTS:
        last = 0
        for m in pattern.finditer(text, start, end):
            if m.end() > start:
                last = m.end()
        if last > half:
            return last
        fallback = fallback or last
    return fallback or end


def parse(nlp: Language, text: str, *, max_chars: int | None = None, chunk_chars: int = CHUNK_CHARS) -> Doc:
    """Parse ``text`` with ``nlp``, in pieces when it is longer than ``max_chars``.

    Args:
        nlp: the spaCy pipeline.
        text: the text, of any length.
        max_chars: the longest text parsed in one call, in characters (default
            ``nlp.max_length``); a text up to this long is parsed by ``nlp(text)``.
        chunk_chars: the longest piece of a longer text, in characters (at most
            ``max_chars`` is used).

    Returns:
        One Doc whose ``text`` is exactly ``text``; a text parsed in pieces
        has a sentence start at the start of each piece.

    Raises:
        ValueError: ``max_chars`` or ``chunk_chars`` below 1.
    """
    limit = nlp.max_length if max_chars is None else max_chars
    if len(text) <= limit:
        return nlp(text)
    return _parse_pieces(nlp, text, min(limit, chunk_chars))


def parse_many(nlp: Language, texts: Iterable[str], *, batch_size: int = 16, max_chars: int | None = None,
               chunk_chars: int = CHUNK_CHARS) -> Iterator[Doc]:
    """Parse ``texts`` in order: runs of texts up to ``max_chars`` with ``nlp.pipe``, longer ones with :func:`parse`.

    Args:
        nlp: the spaCy pipeline.
        texts: the texts.
        batch_size: texts per ``nlp.pipe`` batch.
        max_chars: as for :func:`parse` (default ``nlp.max_length``).
        chunk_chars: as for :func:`parse`.

    Yields:
        One Doc per text, in order, each with exactly that text.
    """
    limit = nlp.max_length if max_chars is None else max_chars
    run: list[str] = []
    for text in texts:
        if len(text) <= limit:
            run.append(text)
            continue
        if run:
            yield from nlp.pipe(run, batch_size=batch_size)
            run = []
        yield _parse_pieces(nlp, text, min(limit, chunk_chars))
    if run:
        yield from nlp.pipe(run, batch_size=batch_size)


def _parse_pieces(nlp: Language, text: str, size: int) -> Doc:
    pieces = split_text(text, size)
    doc = Doc.from_docs(list(nlp.pipe(pieces)), ensure_whitespace=False)
    if doc.text != text:  # pragma: no cover - split_text joins back to the text by construction
        raise AssertionError("the pieces of a long text did not join back to it")
    return doc


#: Picks the sentences to parse: given the tokenized Doc (sentence starts set, nothing
#: parsed) and its sentences, one flag per sentence (see :mod:`kg.extract.select`).
Selector = Callable[[Doc, Sequence[Span]], Sequence[bool]]

_SENTENCIZER = Sentencizer()

#: A sentence that ends in a short capitalised abbreviation ("Pol.", "Col.", "Brig.", "Dr."):
#: the sentencizer cuts there, the parser mostly does not ("Pol. Col. Somchai Jaidee").
#: Source: the dev corpus' titles (d007 "Brig. Gen.", d024), kg/extract/pipeline.py's titles.
_TITLE_END = re.compile(r"(?:^|[\s(])[A-Z][a-z]{0,3}\.$")


@dataclass(frozen=True)
class Piece:
    """A run of consecutive sentences, parsed or not.

    Attributes:
        start, end: character offsets in the text (``end`` exclusive; trailing white space included).
        tok_start, tok_end: token offsets in the tokenized text.
        sentences: how many sentences it holds.
        parse: whether the whole pipeline runs on it.
    """

    start: int
    end: int
    tok_start: int
    tok_end: int
    sentences: int
    parse: bool


def sentence_spans(nlp: Language, text: str) -> tuple[Doc, list[Span]]:
    """Tokenize ``text`` and split it into sentences without the model.

    The sentencizer's sentences are adjusted so that each starts at a word (white
    space between sentences stays with the sentence before) and only where the
    character before is white space, so that a piece parsed alone tokenizes as it
    does inside the whole text. A sentence joins the one before when it could not
    start there, or when, on the same line, it opens in lower case ("approx. five")
    or follows a short capitalised abbreviation ("Pol. Col. Somchai"), where the
    sentencizer ends sentences that the parser does not.

    Args:
        nlp: the pipeline whose tokenizer is used (its ``max_length`` does not apply).
        text: the text.

    Returns:
        The tokenized Doc, its sentence starts set, and its sentences in order; they
        cover every token (none for an empty text).
    """
    doc = _SENTENCIZER(nlp.tokenizer(text))
    starts = [0] if len(doc) else []
    for sent in doc.sents:
        if sent.start == 0:
            continue  # the first sentence keeps the white space before it
        i = sent.start
        while i < sent.end and doc[i].is_space:
            i += 1
        if i < sent.end and (doc[i - 1].whitespace_ or doc[i - 1].is_space) and _may_start(doc, text, starts[-1], i):
            starts.append(i)
    flags = numpy.full(len(doc), -1, dtype="int32")
    flags[starts] = 1
    _set_sent_starts(doc, flags)
    ends = [*starts[1:], len(doc)]
    return doc, [doc[a:b] for a, b in zip(starts, ends)]


def _may_start(doc: Doc, text: str, prev: int, i: int) -> bool:
    """Whether token ``i`` of ``doc`` (of ``text``) may start a sentence after the one starting at token ``prev``."""
    k = i - 1
    while k > prev and doc[k].is_space:
        k -= 1
    end = doc[k].idx + len(doc[k])
    if "\n" in text[end:doc[i].idx]:
        return True
    if doc[i].text[:1].islower():
        return False
    return not _TITLE_END.search(text[doc[prev].idx:end])


def plan_pieces(nlp: Language, text: str, select: Selector, *, context: int = 0) -> tuple[Doc, list[Piece]]:
    """Tokenize ``text``, pick its sentences with ``select`` and group them into pieces.

    Args:
        nlp: the pipeline (its tokenizer).
        text: the text.
        select: one flag per sentence (see :data:`Selector`).
        context: sentences either side of a picked one that are parsed too (>= 0).

    Returns:
        The tokenized Doc and its pieces in order: runs of consecutive sentences with
        the same parse flag, covering the text (``pieces[0].start == 0``, each
        ``end`` the next ``start``, the last ``end == len(text)``). When ``select``
        picks no sentence, the whole text is one piece to parse (spaCy's readers of the
        parse, such as ``Doc.noun_chunks``, refuse a Doc with none).

    Raises:
        ValueError: ``context`` below 0, or ``select`` gave a flag count unlike the sentence count.
    """
    if context < 0:
        raise ValueError(f"context must be at least 0, got {context}")
    doc, sents = sentence_spans(nlp, text)
    flags = list(select(doc, sents))
    if len(flags) != len(sents):
        raise ValueError(f"the selector gave {len(flags)} flags for {len(sents)} sentences")
    # a text with no sentence picked is parsed whole: a Doc with no parse at all is refused
    # by spaCy's readers of the parse (Doc.noun_chunks raises E029), and there are few such texts
    picked = [i for i, f in enumerate(flags) if f] or list(range(len(sents)))
    wanted = [False] * len(sents)
    for i in picked:
        for j in range(max(0, i - context), min(len(sents), i + context + 1)):
            wanted[j] = True
    pieces: list[Piece] = []
    for i, sent in enumerate(sents):
        if pieces and pieces[-1].parse == wanted[i]:
            last = pieces[-1]
            pieces[-1] = Piece(last.start, len(text), last.tok_start, sent.end, last.sentences + 1, last.parse)
            continue
        if pieces:
            last = pieces[-1]
            pieces[-1] = Piece(last.start, sent.start_char, last.tok_start, last.tok_end, last.sentences, last.parse)
        start = 0 if not pieces else sent.start_char
        pieces.append(Piece(start, len(text), sent.start, sent.end, 1, wanted[i]))
    return doc, pieces


def parse_selected(nlp: Language, text: str, select: Selector, *, context: int = 0, max_chars: int | None = None,
                   chunk_chars: int = CHUNK_CHARS) -> Doc:
    """Parse only the sentences of ``text`` that ``select`` picks, and their neighbours.

    Args:
        nlp: the spaCy pipeline.
        text: the text, of any length.
        select: one flag per sentence of the tokenized text (see :data:`Selector`).
        context: sentences either side of a picked one that are parsed too (>= 0).
        max_chars: the longest piece parsed in one call (default ``nlp.max_length``).
        chunk_chars: the longest part of a longer piece, as for :func:`parse`.

    Returns:
        One Doc whose ``text`` is exactly ``text``. Parsed pieces carry the whole
        pipeline's annotations and sentence starts; the others tokens and the
        sentencizer's sentence starts only. Each piece starts a sentence. When every
        sentence is parsed, or none is picked, the Doc is ``parse(nlp, text)``'s.

    Raises:
        ValueError: as :func:`plan_pieces`.
    """
    return next(parse_many_selected(nlp, [text], select, context=context, max_chars=max_chars,
                                    chunk_chars=chunk_chars))


def parse_many_selected(nlp: Language, texts: Iterable[str], select: Selector, *, context: int = 0,
                        batch_size: int = 16, max_chars: int | None = None,
                        chunk_chars: int = CHUNK_CHARS) -> Iterator[Doc]:
    """:func:`parse_selected` over ``texts``; the picked pieces of ``batch_size`` texts are parsed together.

    They go through ``nlp.pipe`` in batches of at most ``min(max_chars, chunk_chars)``
    characters, so that a batch never needs more of the parser's temporary memory than one
    piece of :func:`parse` does.

    Args:
        nlp: the spaCy pipeline.
        texts: the texts.
        select: as for :func:`parse_selected`.
        context: as for :func:`parse_selected`.
        batch_size: texts whose pieces are parsed together.
        max_chars: as for :func:`parse_selected`.
        chunk_chars: as for :func:`parse_selected`.

    Yields:
        One Doc per text, in order, each with exactly that text.
    """
    limit = min(nlp.max_length if max_chars is None else max_chars, chunk_chars)
    group: list[str] = []
    for text in texts:
        group.append(text)
        if len(group) >= batch_size:
            yield from _parse_group(nlp, group, select, context, limit)
            group = []
    if group:
        yield from _parse_group(nlp, group, select, context, limit)


def _parse_group(nlp: Language, texts: list[str], select: Selector, context: int, limit: int) -> list[Doc]:
    plans = [plan_pieces(nlp, text, select, context=context) for text in texts]
    jobs: list[str] = []  # texts to parse, in order: the picked pieces, long ones cut
    for text, (_, pieces) in zip(texts, plans):
        for p in pieces:
            if p.parse:
                jobs.extend(split_text(text[p.start:p.end], limit))
    parsed = _pipe(nlp, jobs, limit)
    return [_join(text, cheap, pieces, parsed, limit) for text, (cheap, pieces) in zip(texts, plans)]


def _pipe(nlp: Language, texts: list[str], budget: int) -> Iterator[Doc]:
    """``nlp.pipe`` over ``texts`` in order, in batches of at most ``budget`` characters (or one text)."""
    batch: list[str] = []
    size = 0
    for text in texts:
        if batch and size + len(text) > budget:
            yield from nlp.pipe(batch, batch_size=len(batch))
            batch, size = [], 0
        batch.append(text)
        size += len(text)
    if batch:
        yield from nlp.pipe(batch, batch_size=len(batch))


def _join(text: str, cheap: Doc, pieces: list[Piece], parsed: Iterator[Doc], limit: int) -> Doc:
    """Join the parsed pieces (taken from ``parsed`` in order) and the unparsed ones into one Doc."""
    if not any(p.parse for p in pieces):
        return cheap  # the empty text (plan_pieces parses a text with no sentence picked whole)
    parts: list[Doc] = []
    firsts: list[int] = []  # token offset of each part in the joined Doc
    unparsed: list[tuple[int, Doc]] = []
    at = 0
    for p in pieces:
        if p.parse:
            for _ in split_text(text[p.start:p.end], limit):
                parts.append(next(parsed))
                firsts.append(at)
                at += len(parts[-1])
        else:
            part = cheap[p.tok_start:p.tok_end].as_doc()
            unparsed.append((at, part))
            parts.append(part)
            firsts.append(at)
            at += len(part)
    if len(parts) == 1:
        return parts[0]
    # no tensor: the unparsed parts have none to stack with the parsed ones' (nothing after parsing reads it)
    doc = Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor"])  # type: ignore[call-arg]  # stub lags spaCy 3.8
    if doc.text != text:  # pragma: no cover - the pieces cover the text by construction
        raise AssertionError("the pieces of a selectively parsed text did not join back to it")
    # Doc.from_docs recomputes sentence starts from the parse, which leaves the unparsed
    # parts without any: put theirs back, and start a sentence at each part.
    starts = doc.to_array(["SENT_START"]).astype("int64").reshape(-1)
    for offset, part in unparsed:
        starts[offset:offset + len(part)] = part.to_array(["SENT_START"]).astype("int64").reshape(-1)
    starts[[f for f in firsts if f < len(doc)]] = 1
    _set_sent_starts(doc, starts)
    return doc


def _set_sent_starts(doc: Doc, values: numpy.ndarray) -> None:  # type: ignore[type-arg]
    """Set every token's sentence start (1 starts, -1 does not) without touching the parse."""
    doc.from_array(["SENT_START"], values.astype("uint64").reshape(-1, 1))  # type: ignore[arg-type]


__all__ = ["CHUNK_CHARS", "Piece", "Selector", "parse", "parse_many", "parse_many_selected", "parse_selected",
           "plan_pieces", "sentence_spans", "split_text"]
