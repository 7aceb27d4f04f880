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
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

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


__all__ = ["CHUNK_CHARS", "parse", "parse_many", "split_text"]
