"""Reading one source into a :class:`kg.model.Document`."""

from __future__ import annotations

import datetime as dt
import logging
import re
import stat
import unicodedata
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..iri import document_iri
from ..model import Document, Warn
from .decode import decode_bytes
from .discover import Source, broken_link_message
from .html_text import declared_charset, html_metadata, main_text
from .markdown_text import markdown_to_text
from .sidecar import load_sidecar
from .text_meta import guess_metadata, parse_date_line

log = logging.getLogger(__name__)

#: Default largest file read, in bytes (``--max-bytes``).
MAX_BYTES = 20_000_000

_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029]")


def read_document(
    source: Source,
    *,
    encoding: str | None = None,
    max_bytes: int = MAX_BYTES,
    warnings: list[Warn] | None = None,
) -> Document:
    """Read, decode and reduce one source file to a Document.

    Plain text is kept verbatim apart from newlines (``\\r\\n``, ``\\r``,
    U+2028/9 become ``\\n``), Unicode NFC and a dropped BOM, so offsets into
    ``Document.text`` are stable. HTML is reduced to its main text (see
    :mod:`kg.documents.html_text`), Markdown to plain text (see
    :mod:`kg.documents.markdown_text`).

    Metadata: each field of the ``NAME.meta.json`` sidecar that is set wins;
    the rest comes from HTML metadata (title, date, site name as publisher,
    URL) or Markdown front matter, then from the top of the text (a date line
    such as ``29-04-2025`` -> published, which stays in the text; the first
    short line that is not a date and does not end in a period -> title).

    Args:
        source: the file and its name (the name gives the document IRI).
        encoding: a Python codec name to decode with instead of guessing.
        max_bytes: the largest file accepted, in bytes.
        warnings: if given, non-fatal problems are appended to it (``W-meta``:
            a bad sidecar; ``W-encoding``: UTF-8 mixed with cp1252 bytes);
            otherwise they are logged.

    Returns:
        The document: text, metadata, media type and the encoding used.

    Raises:
        InputError: the file is missing, unreadable, not a regular file,
            larger than ``max_bytes``, empty or only white space, binary, not
            decodable, or an HTML page without main text. The message is one
            line naming the file and the fix.
    """
    path = source.path
    found: list[Warn] = []
    data = _read_bytes(path, max_bytes)
    media_type = source.media_type
    declared = declared_charset(data) if media_type == "text/html" else None
    decoded = decode_bytes(data, path=path, encoding=encoding, declared=declared)
    if decoded.mixed:
        found.append(
            Warn(
                "W-encoding",
                f"{path} is UTF-8 with some cp1252 bytes; read those as cp1252. "
                "Re-save it as UTF-8 to be sure",
                str(path),
            )
        )
    text = normalise_text(decoded.text)
    if not text.strip():
        raise InputError(f"{path} contains only white space; add the article text or remove the file")

    title: str | None = None
    published: dt.date | None = None
    publisher: str | None = None
    url: str | None = None
    if media_type == "text/html":
        meta = html_metadata(text)
        title, published, publisher, url = meta.title, meta.published, meta.publisher, meta.url
        text = normalise_text(main_text(text))
        if not text.strip():
            raise InputError(
                f"No main text found in {path}: the page holds only navigation, scripts or markup; "
                "save the article page itself, or its text as .txt"
            )
    elif media_type == "text/markdown":
        text, front = markdown_to_text(text)
        title, published = _front_matter_meta(front)
        if not text.strip():
            raise InputError(f"{path} has no text once its Markdown markup is removed; add the article text")

    guessed = guess_metadata(text)
    title = title or guessed.title
    published = published or guessed.published

    sidecar, sidecar_warnings = load_sidecar(path)
    found.extend(sidecar_warnings)
    if sidecar is not None:
        title = sidecar.title or title
        publisher = sidecar.publisher or publisher
        published = sidecar.published or published
        url = sidecar.url or url

    if warnings is not None:
        warnings.extend(found)
    else:
        for warn in found:
            log.warning("%s %s", warn.code, warn.message)

    return Document(
        path=path,
        iri=document_iri(source.name),
        text=text,
        title=title,
        publisher=publisher,
        published=published,
        url=url,
        media_type=media_type,
        encoding=decoded.encoding,
    )


def normalise_text(text: str) -> str:
    """Return text with one leading BOM dropped, newlines as ``\\n`` and Unicode in NFC.

    Args:
        text: decoded text.

    Returns:
        The normalised text; nothing else is changed.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    return unicodedata.normalize("NFC", _NEWLINES.sub("\n", text))


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """Read a regular file of at most ``max_bytes`` bytes, with one-line errors."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(broken_link_message(path) or f"No such file or folder: {path}") from None
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror or exc}; check the path and its permissions") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"Cannot read {path}: it is a folder; pass it to discover() or name a file in it")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"Cannot read {path}: not a regular file; save the text to a file first")
    if info.st_size > max_bytes:
        raise InputError(_too_large(path, info.st_size, max_bytes))
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except PermissionError:
        raise InputError(
            f"Cannot read {path}: permission denied; make it readable (chmod u+r) or run as its owner"
        ) from None
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror or exc}; check the file") from None
    if len(data) > max_bytes:  # grew since stat()
        raise InputError(_too_large(path, len(data), max_bytes, at_least=True))
    if not data:
        raise InputError(f"{path} is empty; add the article text or remove the file")
    return data


def _too_large(path: Path, size: int, limit: int, *, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return (
        f"{path} is too large: {more}{_size(size)}, over the limit of {_size(limit)}; "
        "split it or raise the limit with --max-bytes"
    )


def _size(n: int) -> str:
    """``1,234 bytes`` or ``25,300,000 bytes (25.3 MB)``."""
    text = f"{n:,} bytes"
    return f"{text} ({n / 1_000_000:.1f} MB)" if n >= 1_000_000 else text


def _front_matter_meta(front: dict[str, Any]) -> tuple[str | None, dt.date | None]:
    """Title and date from Markdown front matter (``title``; ``date`` or ``published``)."""
    title = front.get("title")
    title = (" ".join(title.split()) or None) if isinstance(title, str) else None
    published: dt.date | None = None
    for key in ("published", "date"):
        value = front.get(key)
        if isinstance(value, dt.datetime):
            published = value.date()
        elif isinstance(value, dt.date):
            published = value
        elif isinstance(value, str):
            published = parse_date_line(value)
        if published is not None:
            break
    return title, published
