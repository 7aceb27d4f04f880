"""Bytes to text: byte-order marks, binary files, UTF-8, UTF-16 and Western code pages.

The order of attempts, for bytes without an explicit encoding:

1. a byte-order mark (UTF-32 LE/BE, UTF-8, UTF-16 LE/BE) decides;
2. known binary signatures (PNG, JPEG, GIF, PDF, ZIP, gzip, OLE) are refused;
3. NUL bytes mean UTF-16/UTF-32 without BOM (when they sit at one byte
   parity and the result reads as text) or else a binary file;
4. more than 10% other control bytes: a binary file;
5. strict UTF-8;
6. UTF-8 text with a few stray cp1252 bytes (a common scraping accident):
   UTF-8, each stray byte read as cp1252;
7. a code page declared by the caller (an HTML ``<meta charset>``);
8. charset-normalizer's best guess (on the first 256 KB), *only* when it
   reads the bytes as a non-Latin script (Cyrillic, Greek, CJK, Thai...)
   with enough non-ASCII letters to be sure;
9. cp1252, then Latin-1.

Source for step 8: on short Western texts charset-normalizer 3.5 ranks cp1250
above cp1252 for Latin-1 bytes ("Săo Tomé") and cp852 for cp1252 smart quotes
(see tests/test_documents.py), so among Latin code pages cp1252 is assumed.
Central European (cp1250) files need ``--encoding``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

# (BOM, codec for the bytes after it, encoding reported, family named in messages)
_BOMS: tuple[tuple[bytes, str, str, str], ...] = (
    # UTF-32 LE first: its BOM starts with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be", "UTF-16"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.odt/.epub file)"),
    (b"\x1f\x8b", "a gzip file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Microsoft Office (.doc/.xls) file"),
)

# Control bytes that never occur in text files (TAB, LF, VT, FF, CR and ESC do).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\x0b\x0c\r\x1b") + b"\x7f"
# The same, as decoded characters, plus C1 controls but NEL (U+0085).
_BAD_CONTROLS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x84\x86-\x9f]")
_MAX_CONTROL_RATIO = 0.10

_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # bytes kept by the surrogateescape handler
_LATIN_1_LABELS = {"latin_1", "iso8859_1", "ascii", "cp1252"}
#: charset-normalizer reads at most this many bytes (cut at a newline): on a 19 MB
#: file it took 16 s, as it decodes the whole input once per candidate code page.
_GUESS_SAMPLE = 262_144
#: A non-Latin guess needs at least this many non-ASCII letters, and this share of all letters.
_MIN_NON_ASCII_LETTERS = 8
_MIN_NON_ASCII_SHARE = 0.3


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes.

    Attributes:
        text: the decoded text (no BOM; newlines not yet normalised).
        encoding: the codec used (``"utf-8"``, ``"utf-8-sig"``, ``"utf-16-le"``,
            ``"cp1252"``...); ``"utf-8+cp1252"`` for UTF-8 with stray cp1252 bytes.
    """

    text: str
    encoding: str

    @property
    def mixed(self) -> bool:
        """Whether the bytes mixed UTF-8 with stray cp1252 bytes."""
        return "+" in self.encoding


def decode_bytes(
    data: bytes, *, path: Path, encoding: str | None = None, declared: str | None = None
) -> Decoded:
    """Decode the bytes of a text file, guessing the encoding if not given.

    Args:
        data: the file's bytes (non-empty).
        path: the file, for messages.
        encoding: a Python codec name to use instead of guessing (``--encoding``);
            a BOM of the same family is dropped.
        declared: an encoding the file declares for itself (HTML ``<meta charset>``),
            tried after UTF-8.

    Returns:
        The text and the codec used.

    Raises:
        InputError: the file is binary, or cannot be decoded (with ``encoding``:
            is not valid in it).
    """
    if encoding:
        return _decode_as(data, encoding, path)

    for bom, codec, label, family in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(codec), label)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"Cannot decode {path}: it starts with a {family} byte-order mark "
                    f"but byte {exc.start + len(bom)} is not valid {codec}; convert it or pass --encoding"
                ) from None

    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{path} is {kind}, not text; convert it to .txt, .md or .html first")

    if b"\x00" in data:
        wide = _decode_wide(data)
        if wide is not None:
            return wide
        raise InputError(
            f"{path} is a binary file (it contains NUL bytes), not text; "
            "pass a .txt, .md or .html file, or --encoding if it is UTF-16/UTF-32 text"
        )

    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > _MAX_CONTROL_RATIO * len(data):
        raise InputError(
            f"{path} is a binary file ({controls} of its {len(data)} bytes are control codes), "
            "not text; pass a .txt, .md or .html file"
        )

    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass

    mixed = _mixed_utf8(data)
    if mixed is not None:
        return Decoded(mixed, "utf-8+cp1252")

    if declared:
        own = _try_declared(data, declared)
        if own is not None:
            return own

    guess = _non_latin_guess(data)
    if guess is not None:
        return guess

    for codec in ("cp1252", "latin-1"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if looks_like_text(text):
            return Decoded(text, codec)
    raise InputError(
        f"Cannot decode {path}: not UTF-8, UTF-16 or Latin-1; convert it or pass --encoding"
    )


def looks_like_text(text: str) -> bool:
    """Return whether decoded text reads as text: no NUL, at most 10% control characters.

    Control characters are Unicode category Cc other than tab, newlines, VT, FF,
    ESC and NEL (so C1 controls from a wrong Latin-1 reading count).
    """
    if "\x00" in text:
        return False
    return len(_BAD_CONTROLS.findall(text)) <= _MAX_CONTROL_RATIO * len(text)


def _decode_as(data: bytes, encoding: str, path: Path) -> Decoded:
    """Decode with an encoding the user named; drop a matching BOM."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise InputError(
            f"Unknown encoding {encoding!r} for {path}; pass a Python codec name such as "
            "utf-8, cp1252, latin-1 or utf-16 to --encoding"
        ) from None
    name = info.name
    if name == "utf-8" and data.startswith(codecs.BOM_UTF8):
        name = "utf-8-sig"
    try:
        text = data.decode(name)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"Cannot decode {path} as {encoding}: byte {exc.start} is not valid in it; "
            "pass the right --encoding or leave it out to guess"
        ) from None
    if not looks_like_text(text):
        raise InputError(
            f"{path} does not read as text in {encoding} (NUL or control characters); "
            "pass the right --encoding or check it is a text file"
        )
    return Decoded(text, name)


def _decode_wide(data: bytes) -> Decoded | None:
    """Decode UTF-16/UTF-32 without BOM, recognised by where the NUL bytes sit.

    Text mostly in Latin script has a NUL in (almost) every high byte, so NULs
    crowd one byte parity (UTF-16) or two of four positions (UTF-32).
    Other scripts are left to charset-normalizer.
    """
    candidates: list[str] = []
    quarter = len(data) // 4
    if len(data) % 4 == 0 and quarter:
        zero = [data[i::4].count(0) / quarter for i in range(4)]
        if zero[2] > 0.9 and zero[3] > 0.9 and zero[0] < 0.5:
            candidates.append("utf-32-le")
        if zero[0] > 0.9 and zero[1] > 0.9 and zero[3] < 0.5:
            candidates.append("utf-32-be")
    half = len(data) // 2
    if len(data) % 2 == 0 and half:
        even = data[0::2].count(0) / half
        odd = data[1::2].count(0) / half
        if odd >= 0.3 and even < 0.05:
            candidates.append("utf-16-le")
        if even >= 0.3 and odd < 0.05:
            candidates.append("utf-16-be")
    guess = _guess_codec(data)
    if guess is not None and guess.startswith(("utf-16", "utf-32")):
        candidates.append(guess)
    for codec in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if looks_like_text(text):
            return Decoded(text, codec)
    return None


def _mixed_utf8(data: bytes) -> str | None:
    """Decode bytes that fail strict UTF-8 but are mostly UTF-8, reading stray bytes as cp1252.

    Returns None unless the valid non-ASCII UTF-8 characters are at least as
    many as the stray bytes (then the file is UTF-8 with a few cp1252 bytes
    pasted in, not a cp1252 file).
    """
    text = data.decode("utf-8", "surrogateescape")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    # escaped bytes are lone surrogates, which UTF-8 cannot encode: "ignore" drops exactly them
    stray = len(text) - len(text.encode("utf-8", "ignore").decode("utf-8"))
    valid = non_ascii - stray
    if valid == 0 or valid < stray:
        return None
    return _ESCAPED_BYTE.sub(lambda m: _cp1252_char(ord(m.group(0)) - 0xDC00), text)


def _cp1252_char(byte: int) -> str:
    """One byte read as cp1252 (as Latin-1 for the five bytes cp1252 leaves undefined)."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def _try_declared(data: bytes, declared: str) -> Decoded | None:
    """Decode with a self-declared code page; Latin-1/ASCII labels mean cp1252 (as browsers do)."""
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return None
    if name.replace("-", "_") in _LATIN_1_LABELS or name.startswith(("utf", "utf_")):
        return None  # UTF-8 already failed; Western code pages are the final fallback anyway
    try:
        text = data.decode(name)
    except UnicodeDecodeError:
        return None
    return Decoded(text, name) if looks_like_text(text) else None


def _guess_codec(data: bytes) -> str | None:
    """charset-normalizer's best codec for (a sample of) the bytes, with hyphens (``utf-16-le``)."""
    from charset_normalizer import from_bytes

    sample = data
    if len(sample) > _GUESS_SAMPLE:
        sample = sample[:_GUESS_SAMPLE]
        newline = -1 if b"\x00" in sample else sample.rfind(b"\n")  # UTF-16/32: keep whole units
        sample = sample[: newline + 1] if newline > 0 else sample[: len(sample) // 4 * 4]
    best = from_bytes(sample).best()
    return best.encoding.replace("_", "-") if best is not None else None


def _non_latin_guess(data: bytes) -> Decoded | None:
    """Decode with charset-normalizer's guess if it reads the bytes as a non-Latin script.

    The decoded text must have at least :data:`_MIN_NON_ASCII_LETTERS`
    non-ASCII letters making up :data:`_MIN_NON_ASCII_SHARE` of all letters,
    most of them not Latin (on "Café" with one stray byte charset-normalizer
    3.5 guesses the Cyrillic cp1125).
    """
    codec = _guess_codec(data)
    if codec is None:
        return None
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    if not looks_like_text(text):
        return None
    letters = [c for c in text[:_GUESS_SAMPLE] if c.isalpha()]
    non_ascii = [c for c in letters if ord(c) > 0x7F]
    if len(non_ascii) < max(_MIN_NON_ASCII_LETTERS, _MIN_NON_ASCII_SHARE * len(letters)):
        return None
    latin = sum(1 for c in non_ascii if unicodedata.name(c, "").startswith("LATIN"))
    return Decoded(text, codec) if latin < 0.5 * len(non_ascii) else None
