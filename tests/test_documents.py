"""Tests for kg.documents: discovery, decoding, HTML/Markdown text, metadata.

Every input file is written into ``tmp_path`` by the test itself.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import struct
import zlib
from pathlib import Path

import pytest

from kg.documents import (
    Source,
    TextMeta,
    discover,
    guess_metadata,
    load_sidecar,
    parse_date_line,
    read_document,
)
from kg.documents.html_text import strip_tags
from kg.documents.markdown_text import markdown_to_text
from kg.errors import InputError
from kg.iri import document_iri
from kg.model import Warn

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "000_6bd910b6c424d9d3.txt"
DEV_CORPUS = Path("/work/shared/corpus/dev")

SEED_TITLE = "Asean member states share information to strengthen anti-trafficking cooperation"
SEED_LIKE = (
    "29-04-2025\n"
    f"{SEED_TITLE}\n"
    "KUALA LUMPUR: Brunei's delegation participated in the Asean Workshop on Strengthening "
    "Transnational Investigative Cooperation in Kuala Lumpur from 23 to 24 April.\n"
)


def write(tmp_path: Path, name: str, content: str | bytes, *, encoding: str = "utf-8") -> Source:
    """Write a file under tmp_path and return it as a Source named by its relative path."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return Source(path, name)


def read_error(source: Source, **options: object) -> str:
    """Return the InputError message that reading ``source`` raises."""
    with pytest.raises(InputError) as info:
        read_document(source, **options)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message
    return message


# --- encodings ---------------------------------------------------------------------------


def test_reads_utf8_verbatim_with_iri_from_name(tmp_path: Path) -> None:
    text = "ASEAN ministers met in Hà Nội.\n\n  Indented line kept.\n"
    doc = read_document(write(tmp_path, "news/a.txt", text))
    assert doc.text == text
    assert doc.encoding == "utf-8"
    assert doc.media_type == "text/plain"
    assert doc.iri == document_iri("news/a.txt")
    assert doc.path == tmp_path / "news" / "a.txt"


def test_newlines_become_lf_and_unicode_nfc(tmp_path: Path) -> None:
    decomposed = "Sa\u0303o Tome\u0301"
    doc = read_document(write(tmp_path, "a.txt", f"One\r\nTwo\rThree\u2028{decomposed}\n"))
    assert doc.text == "One\nTwo\nThree\nSão Tomé\n"


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "a.txt", "\ufeffTürkiye joined the meeting.\n"))
    assert doc.text == "Türkiye joined the meeting.\n"
    assert doc.encoding == "utf-8-sig"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_bom(tmp_path: Path, codec: str) -> None:
    text = "Türkiye and São Tomé — “quoted” ✓\n"
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-32-le": b"\xff\xfe\x00\x00", "utf-32-be": b"\x00\x00\xfe\xff"}
    doc = read_document(write(tmp_path, "a.txt", bom[codec] + text.encode(codec)))
    assert doc.text == text
    assert doc.encoding == codec


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(tmp_path: Path, codec: str) -> None:
    text = "Delegates from Türkiye met police chiefs in Kuala Lumpur on 23 April.\n"
    doc = read_document(write(tmp_path, "a.txt", text, encoding=codec))
    assert doc.text == text
    assert doc.encoding == codec


def test_latin1(tmp_path: Path) -> None:
    text = "Türkiye, São Tomé and Príncipe, and Côte d'Ivoire signed the accord in Brasília.\n"
    doc = read_document(write(tmp_path, "a.txt", text, encoding="latin-1"))
    assert doc.text == text
    assert doc.encoding in {"cp1252", "latin-1"}


def test_cp1252_smart_quotes_and_dashes(tmp_path: Path) -> None:
    text = "The minister said \u201cwe will act\u201d \u2014 it\u2019s time\u2026 costs \u20ac5m.\n"
    doc = read_document(write(tmp_path, "a.txt", text, encoding="cp1252"))
    assert doc.text == text
    assert doc.encoding == "cp1252"


def test_utf8_with_stray_cp1252_bytes_warns(tmp_path: Path) -> None:
    data = "Türkiye and São Tomé met in Brasília; ".encode() + "it\u2019s agreed.\n".encode("cp1252")
    warnings: list[Warn] = []
    doc = read_document(write(tmp_path, "a.txt", data), warnings=warnings)
    assert doc.text == "Türkiye and São Tomé met in Brasília; it\u2019s agreed.\n"
    assert [w.code for w in warnings] == ["W-encoding"]


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Министр внутренних дел встретился с делегацией АСЕАН в Москве.\n", "cp1251"),
        ("东盟成员国在吉隆坡举行会议，讨论打击人口贩运合作。各国代表同意加强信息共享。\n", "gb18030"),
        ("东盟成员国在吉隆坡举行会议，讨论打击人口贩运合作。", "utf-16-le"),
    ],
)
def test_non_latin_scripts_guessed_by_charset_normalizer(tmp_path: Path, text: str, codec: str) -> None:
    assert read_document(write(tmp_path, "a.txt", text, encoding=codec)).text == text


def test_short_latin1_text_is_not_read_as_another_code_page(tmp_path: Path) -> None:
    # charset-normalizer 3.5 alone says cp1250 here ("Săo Tomé") or a Cyrillic page
    for text in ["São Tomé", "Café in Nouméa", "Ñandú"]:
        assert read_document(write(tmp_path, "a.txt", text, encoding="latin-1")).text == text


def test_explicit_encoding_is_used(tmp_path: Path) -> None:
    text = "Spotkanie w Łodzi zakończyło się.\n"
    doc = read_document(write(tmp_path, "a.txt", text, encoding="cp1250"), encoding="cp1250")
    assert doc.text == text
    assert doc.encoding == "cp1250"


def test_explicit_encoding_errors(tmp_path: Path) -> None:
    source = write(tmp_path, "a.txt", "Türkiye\n", encoding="latin-1")
    assert "--encoding" in read_error(source, encoding="no-such-codec")
    message = read_error(source, encoding="utf-8")
    assert "Cannot decode" in message and "a.txt" in message and "--encoding" in message


# --- refused files --------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    message = read_error(write(tmp_path, "empty.txt", b""))
    assert "empty.txt is empty" in message


@pytest.mark.parametrize("content", [" \n\t\n  \r\n", "\ufeff  \n"])
def test_whitespace_only_file(tmp_path: Path, content: str) -> None:
    message = read_error(write(tmp_path, "blank.txt", content))
    assert "blank.txt contains only white space" in message


def _png() -> bytes:
    """A valid 1x1 PNG image, built in memory."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")


def test_png_renamed_txt_is_binary(tmp_path: Path) -> None:
    message = read_error(write(tmp_path, "photo.txt", _png()))
    assert "photo.txt is a PNG image, not text" in message


def test_nul_bytes_are_binary(tmp_path: Path) -> None:
    data = bytes(range(256)) * 8
    message = read_error(write(tmp_path, "blob.txt", data))
    assert "blob.txt is a binary file" in message


def test_mostly_control_bytes_are_binary(tmp_path: Path) -> None:
    data = b"ab\x01\x02\x03\x04\x05\x06\x07\x08cd\x0e\x0f\x10\x11" * 20
    message = read_error(write(tmp_path, "ctl.txt", data))
    assert "ctl.txt is a binary file" in message


def test_too_large_names_size_limit_and_option(tmp_path: Path) -> None:
    message = read_error(write(tmp_path, "big.txt", "x" * 2048), max_bytes=1000)
    assert "big.txt is too large" in message
    assert "2,048 bytes" in message and "1,000 bytes" in message and "--max-bytes" in message


def test_file_at_the_limit_is_read(tmp_path: Path) -> None:
    assert read_document(write(tmp_path, "ok.txt", "x" * 1000), max_bytes=1000).text == "x" * 1000


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read chmod 000 files")
def test_unreadable_file_chmod(tmp_path: Path) -> None:
    source = write(tmp_path, "secret.txt", "text\n")
    source.path.chmod(0)
    try:
        message = read_error(source)
    finally:
        source.path.chmod(0o644)
    assert "Cannot read" in message and "secret.txt" in message and "permission denied" in message


def test_unreadable_file_permission_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Works as root too: the OS refusal is simulated where the file is opened.
    source = write(tmp_path, "secret.txt", "text\n")
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self == source.path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", refuse)
    message = read_error(source)
    assert "Cannot read" in message and "secret.txt" in message and "permission denied" in message


def test_missing_file_and_folder_are_refused(tmp_path: Path) -> None:
    assert "No such file or folder" in read_error(Source(tmp_path / "gone.txt", "gone.txt"))
    (tmp_path / "dir.txt").mkdir()
    assert "it is a folder" in read_error(Source(tmp_path / "dir.txt", "dir.txt"))


# --- HTML ----------------------------------------------------------------------------------

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Asean ministers meet in Hanoi | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2025-04-29T08:00:00+07:00">
<style>body { color: red; } .STYLE_TEXT {}</style>
<script>var secret = "SCRIPT_TEXT";</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World NAV_TEXT</a></li></ul></nav>
<header><div class="menu">Menu HEADER_TEXT</div></header>
<article>
<h1>Asean ministers meet in Hanoi</h1>
<p>HANOI: Ministers of the ten Asean member states met in Hanoi on Monday to discuss
cooperation against trafficking in persons and other transnational crime.</p>
<p>The meeting was chaired by Vietnam's Minister of Public Security, who called for closer
information sharing among police forces in the region.</p>
<script>document.write("INLINE_SCRIPT_TEXT")</script>
<p>Delegates agreed to meet again next year in Kuala Lumpur.</p>
</article>
<aside>Related: ASIDE_TEXT other stories</aside>
<footer>Copyright FOOTER_TEXT 2025</footer>
</body></html>
"""


def test_html_main_text_without_scripts_styles_or_navigation(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "page.html", ARTICLE_HTML))
    assert doc.media_type == "text/html"
    lines = doc.text.split("\n")
    assert any(line.startswith("HANOI: Ministers of the ten Asean member states") for line in lines)
    assert "Delegates agreed to meet again next year in Kuala Lumpur." in lines
    for chrome in ("SCRIPT_TEXT", "STYLE_TEXT", "NAV_TEXT", "HEADER_TEXT", "ASIDE_TEXT", "FOOTER_TEXT", "color: red"):
        assert chrome not in doc.text
    assert doc.title == "Asean ministers meet in Hanoi"
    assert doc.published == dt.date(2025, 4, 29)
    assert doc.publisher == "Example News"


def test_html_of_only_navigation_has_no_main_text(tmp_path: Path) -> None:
    html = (
        "<html><head><script>var x = 1;</script></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/asia'>Asia</a></nav>"
        "</body></html>"
    )
    message = read_error(write(tmp_path, "nav.htm", html))
    assert "No main text found in" in message and "nav.htm" in message


def test_html_declared_windows_1252(tmp_path: Path) -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head>'
        "<body><article><p>The minister said \u201cwe will act\u201d on trafficking across the region, "
        "from Türkiye to São Tomé.</p></article></body></html>"
    )
    doc = read_document(write(tmp_path, "page.html", html, encoding="cp1252"))
    assert "\u201cwe will act\u201d" in doc.text and "São Tomé" in doc.text


def test_tag_stripper_fallback_skips_chrome() -> None:
    html = (
        "<html><head><title>T</title><style>p{}</style></head><body><nav>Home <b>World</b></nav>"
        "<div><p>First &amp; foremost.</p><p>Second<br>line</p></div>"
        "<script>alert('x')</script><footer>Footer</footer></body></html>"
    )
    assert strip_tags(html) == "First & foremost.\nSecond\nline"


# --- Markdown ------------------------------------------------------------------------------


def test_markdown_is_stripped_lightly(tmp_path: Path) -> None:
    markdown = (
        "# Asean ministers *meet* in Hanoi\n"
        "\n"
        "![Delegates](img/photo.jpg)\n"
        "Ministers of the **ten** Asean member states met in [Hanoi](https://example.org/hanoi \"Hanoi\")\n"
        "on Monday, said `SOMTC` officials.\n"
        "\n"
        "Sub-heading\n"
        "-----------\n"
        "- First point, see [the report][r1].\n"
        "- Second_point stays snake_case\n"
        "\n"
        "> Quoted words.\n"
        "\n"
        "```\n"
        "code **kept** as text\n"
        "```\n"
        "\n"
        "[r1]: https://example.org/report\n"
    )
    doc = read_document(write(tmp_path, "a.md", markdown))
    assert doc.media_type == "text/markdown"
    assert doc.text.split("\n") == [
        "Asean ministers meet in Hanoi",
        "Ministers of the ten Asean member states met in Hanoi on Monday, said SOMTC officials.",
        "Sub-heading",
        "First point, see the report.",
        "Second_point stays snake_case",
        "Quoted words.",
        "code **kept** as text",
    ]
    assert doc.title == "Asean ministers meet in Hanoi"


def test_markdown_front_matter_gives_metadata() -> None:
    text, front = markdown_to_text("---\ntitle: Front title\ndate: 2025-04-29\n---\n# Heading\n\nBody text.\n")
    assert text == "Heading\nBody text."
    assert front["title"] == "Front title"


def test_markdown_front_matter_date_and_title_are_used(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "a.markdown", "---\ntitle: Front title\ndate: 2025-04-29\n---\n# Heading\n\nBody.\n"))
    assert (doc.title, doc.published) == ("Front title", dt.date(2025, 4, 29))


# --- metadata ------------------------------------------------------------------------------


def test_seed_style_leading_date_and_title(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "seed.txt", SEED_LIKE))
    assert doc.published == dt.date(2025, 4, 29)
    assert doc.title == SEED_TITLE
    assert doc.text == SEED_LIKE  # the date line stays: offsets refer to the text as read


@pytest.mark.skipif(not SEED.exists(), reason="seed article not in this checkout")
def test_seed_article_metadata() -> None:
    doc = read_document(Source(SEED, SEED.name))
    assert doc.published == dt.date(2025, 4, 29)
    assert doc.title == SEED_TITLE
    assert doc.text.startswith("29-04-2025\n")


def test_sidecar_wins_over_text(tmp_path: Path) -> None:
    source = write(tmp_path, "d1.txt", SEED_LIKE)
    meta = {"title": "Sidecar title", "publisher": "The Star", "published": "2025-04-30", "url": "https://example.org/a"}
    (tmp_path / "d1.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    doc = read_document(source)
    assert (doc.title, doc.publisher, doc.published, doc.url) == (
        "Sidecar title", "The Star", dt.date(2025, 4, 30), "https://example.org/a"
    )


def test_sidecar_null_date_falls_back_to_text(tmp_path: Path) -> None:
    source = write(tmp_path, "d1.txt", SEED_LIKE)
    (tmp_path / "d1.meta.json").write_text('{"title": "T", "publisher": null, "published": null, "url": null}')
    doc = read_document(source)
    assert (doc.title, doc.published, doc.publisher) == ("T", dt.date(2025, 4, 29), None)


def test_malformed_sidecar_warns_and_is_ignored(tmp_path: Path) -> None:
    source = write(tmp_path, "d1.txt", SEED_LIKE)
    (tmp_path / "d1.meta.json").write_text('{"title": "Broken", ')
    warnings: list[Warn] = []
    doc = read_document(source, warnings=warnings)
    assert doc.title == SEED_TITLE and doc.published == dt.date(2025, 4, 29)
    assert [w.code for w in warnings] == ["W-meta"]
    assert "d1.meta.json" in warnings[0].message and "not valid JSON" in warnings[0].message


def test_sidecar_bad_field_warns_and_keeps_the_rest(tmp_path: Path) -> None:
    source = write(tmp_path, "d1.txt", "Body text only.\n")
    (tmp_path / "d1.meta.json").write_text('{"title": "Kept", "published": "29/04/2025", "publised": "x"}')
    meta, warnings = load_sidecar(source.path)
    assert meta is not None and meta.title == "Kept" and meta.published is None
    assert sorted(w.message.split(":")[0] for w in warnings) == [
        f"Ignored 'published' in {tmp_path / 'd1.meta.json'}",
        f"Ignored key 'publised' in {tmp_path / 'd1.meta.json'}",
    ]


def test_sidecar_that_is_not_an_object_warns(tmp_path: Path) -> None:
    source = write(tmp_path, "d1.txt", "Body.\n")
    (tmp_path / "d1.meta.json").write_text("[1, 2]")
    meta, warnings = load_sidecar(source.path)
    assert meta is None and [w.code for w in warnings] == ["W-meta"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("29-04-2025", dt.date(2025, 4, 29)),
        ("2025-04-29", dt.date(2025, 4, 29)),
        ("April 29, 2025", dt.date(2025, 4, 29)),
        ("29 April 2025", dt.date(2025, 4, 29)),
        ("Tuesday, 29 April 2025", dt.date(2025, 4, 29)),
        ("29/04/2025", dt.date(2025, 4, 29)),
        ("04/29/2025", dt.date(2025, 4, 29)),  # month first only because 29 cannot be a month
        ("01/02/2025", dt.date(2025, 2, 1)),  # day first when ambiguous
        ("29.04.2025", dt.date(2025, 4, 29)),
        ("Tue, 29 Apr 2025 10:32 GMT", dt.date(2025, 4, 29)),
        ("29th April, 2025", dt.date(2025, 4, 29)),
        ("Sept. 3, 2024", dt.date(2024, 9, 3)),
        ("Published: 29 April 2025", dt.date(2025, 4, 29)),
        ("Date: 2025-04-29", dt.date(2025, 4, 29)),
        ("Posted on April 29, 2025 at 10:30 am", dt.date(2025, 4, 29)),
        ("2025-04-29T08:00:00+07:00", dt.date(2025, 4, 29)),
        ("29 avril 2025", dt.date(2025, 4, 29)),  # other languages: dateparser
        ("31-02-2025", None),
        ("April 2025", None),
        ("Twelfth AHG Senior Officials' Meeting, Kuala Lumpur, 31 October 2017", None),
        (SEED_TITLE, None),
        ("", None),
    ],
)
def test_parse_date_line(line: str, expected: dt.date | None) -> None:
    assert parse_date_line(line) == expected


@pytest.mark.parametrize(
    ("text", "title", "published"),
    [
        ("PRESS RELEASE\n\nSix Mekong countries sign memorandum\n\nBody.", "Six Mekong countries sign memorandum", None),
        ("BULLETIN | Philippines hosts ASEAN experts\n\nBody.", "Philippines hosts ASEAN experts", None),
        ("Delegates at the annual conference.\n\n" + "Long paragraph. " * 20, None, None),
        ("Headline here\nBy Jane Doe\nPublished: 3 May 2024\nUpdated: 4 May 2024\nBody.", "Headline here", dt.date(2024, 5, 3)),
        ("Tuesday, 29 April 2025\nIs ASEAN ready?\nBody.", "Is ASEAN ready?", dt.date(2025, 4, 29)),
        ("Last updated 4 May 2024\nHeadline\nBody.", "Headline", None),
        ("A sentence that ends with a period.\nAnother one.\n", None, None),
    ],
)
def test_guess_metadata(text: str, title: str | None, published: dt.date | None) -> None:
    assert guess_metadata(text) == TextMeta(title=title, published=published)


# --- discovery -----------------------------------------------------------------------------


def test_discover_walks_folders_sorted_skipping_hidden_sidecars_and_others(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    for name in ["b.txt", "a/z.md", "a/y.html", "a/sub/x.htm", "c.markdown", "D.TXT"]:
        write(root, name, "Text.\n")
    for name in ["b.meta.json", "notes.pdf", "README", ".hidden.txt", ".git/config.txt", "a/sub/x.meta.json"]:
        write(root, name, "{}")
    ignored: list[Path] = []
    sources, warnings = discover([root], ignored=ignored)
    assert [s.name for s in sources] == ["D.TXT", "a/sub/x.htm", "a/y.html", "a/z.md", "b.txt", "c.markdown"]
    assert sources[1].path == root / "a" / "sub" / "x.htm"
    assert warnings == []
    assert len(ignored) == 6  # b.meta.json, notes.pdf, README, .hidden.txt, .git/, a/sub/x.meta.json
    assert root / "notes.pdf" in ignored


def test_discover_file_argument_is_named_by_its_file_name(tmp_path: Path) -> None:
    source = write(tmp_path, "deep/folder/d1.txt", "Text.\n")
    assert discover([source.path]) == ([Source(source.path, "d1.txt")], [])


def test_discover_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="No such file or folder: .*nowhere"):
        discover([tmp_path / "nowhere"])


def test_discover_explicit_unsupported_file_warns(tmp_path: Path) -> None:
    pdf = write(tmp_path, "report.pdf", b"%PDF-1.4").path
    sidecar = write(tmp_path, "d1.meta.json", "{}").path
    sources, warnings = discover([pdf, sidecar])
    assert sources == []
    assert [w.code for w in warnings] == ["W-skip", "W-skip"]
    assert "report.pdf" in warnings[0].message and "metadata sidecar" in warnings[1].message


def test_discover_deduplicates(tmp_path: Path) -> None:
    one = write(tmp_path, "a/x.txt", "One.\n").path
    two = write(tmp_path, "b/x.txt", "Two.\n").path
    sources, warnings = discover([tmp_path / "a", one, two])
    assert sources == [Source(one, "x.txt")]  # the same file once; the other x.txt clashes
    assert [w.code for w in warnings] == ["W-dup"]
    assert str(two) in warnings[0].message


# --- the dev corpus ------------------------------------------------------------------------


@pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason="shared dev corpus not present")
def test_every_dev_document_reads_with_metadata() -> None:
    sources, warnings = discover([DEV_CORPUS])
    assert sources and warnings == []
    for source in sources:
        found: list[Warn] = []
        doc = read_document(source, warnings=found)
        assert found == [], source.name
        assert doc.text.strip() and doc.title, source.name
        sidecar = DEV_CORPUS / (source.path.stem + ".meta.json")
        if sidecar.exists():
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
            assert doc.title == meta["title"]
            assert doc.published == (dt.date.fromisoformat(meta["published"]) if meta["published"] else None)
        else:
            assert doc.published is not None
