"""Small article texts and bad input files shared by the robustness tests.

Every good article names gazetteer entities (states, INTERPOL, UNODC...) so a
test can check that its text reached the graph, not only that `kg` survived.
"""

from __future__ import annotations

import os
from pathlib import Path

#: A real sentence of the seed article's kind, repeated to make large files.
SENTENCE = ("Brunei's delegation participated in the ASEAN Workshop on Strengthening Transnational "
            "Investigative Cooperation in Kuala Lumpur, Malaysia, on 23 April 2025.\n")

#: Text markers placed in an HTML page's scripts, navigation and footer; none may reach the graph.
HTML_CHROME_MARKERS = ("SCRIPTMARKER", "NAVMARKER", "FOOTERMARKER", "STYLEMARKER")

HTML_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Border talks</title>
<script>var SCRIPTMARKER = "Thailand and INTERPOL tracking"; function f() { document.write("Viet Nam SCRIPTMARKER"); }</script>
<style>.STYLEMARKER { color: red }</style></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/asean">ASEAN news NAVMARKER</a></li><li>Cambodia desk NAVMARKER</li></ul></nav>
<header><h1>Site banner NAVMARKER</h1></header>
<article><h1>Malaysia and Indonesia hold border security talks</h1>
<p>Malaysia and Indonesia held a bilateral meeting on border security in Penang on 12 May 2025. Delegations from the
Royal Malaysia Police and the Indonesian National Police attended the meeting.</p>
<script>trackEvent("SCRIPTMARKER Myanmar inline");</script>
<p>The two countries agreed to share information on migrant smuggling under the ASEAN framework.</p>
</article>
<aside>Most read: Laos NAVMARKER</aside>
<footer>Copyright Philippines FOOTERMARKER</footer>
<script src="x.js"></script><script>window.dataLayer = ["SCRIPTMARKER Singapore"];</script>
</body></html>
"""

NAV_ONLY_PAGE = """<!doctype html><html><head><script>var x = "Thailand";</script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav><footer>Copyright</footer></body></html>
"""

#: Thai, German and Chinese: no English sentence at all.
NON_ENGLISH = ("ประเทศไทยและมาเลเซียร่วมประชุมความร่วมมือด้านความมั่นคงชายแดนที่กรุงเทพฯ เมื่อวันที่ 12 พฤษภาคม 2568\n"
               "Die Delegationen aus Deutschland und Österreich nahmen am Workshop in Wien teil.\n"
               "中国与东盟国家在北京举行打击跨国犯罪合作会议。\n")

UTF16_TEXT = ("03-03-2025\nAnkara meeting\nDelegations from Türkiye and Côte d'Ivoire attended the regional "
              "workshop on migrant smuggling in Ankara on 3 March 2025.\n")
LATIN1_TEXT = ("05-03-2025\nLisbon meeting\nOfficers from Türkiye and São Tomé and Príncipe joined the INTERPOL "
               "operation in Lisbon on 4 March 2025.\n")
GOOD1_TEXT = ("10-05-2025\nMalaysia hosted the 7th Regional Dialogue on Border Security in Penang, Malaysia, on 8 May. "
              "Delegations from Thailand and Brunei attended.\n")
GOOD2_TEXT = ("02-06-2025\nThe Philippines and Viet Nam signed a memorandum of understanding on combating "
              "trafficking in persons in Manila on 1 June 2025.\n")

#: File name -> (warning code, fragment of its message) for each bad file of :func:`write_batch`.
BAD_FILES: dict[str, tuple[str, str]] = {
    "empty.txt": ("W101", "is empty"),
    "blank.txt": ("W101", "only white space"),
    "image.txt": ("W101", "PNG image"),
    "huge.txt": ("W101", "too large"),
    "broken.txt": ("W101", "symbolic link"),
    "loop.txt": ("W101", "Cannot read"),
    "fifo.txt": ("W101", "not a regular file"),
    "nav-only.html": ("W101", "No main text"),
    "front-matter-only.md": ("W101", "no text"),
}
#: Files of :func:`write_batch` that must be extracted, each with an entity label its graph must mention.
GOOD_FILES: dict[str, str] = {
    "utf16.txt": "Türkiye",
    "utf16-le-no-bom.txt": "Côte d'Ivoire",
    "latin1.txt": "São Tomé and Príncipe",
    "page.html": "Royal Malaysia Police",
    "non-english.txt": "",
    "good1.txt": "Thailand",
    "good2.txt": "Viet Nam",
    "odd name #1?.txt": "Viet Nam",
}
#: Bytes of the oversized file: 50 MB, over the default --max-bytes of 20 MB.
HUGE_BYTES = 50_000_000
#: Characters of the large file that is under --max-bytes but over spaCy's default max_length (1,000,000).
LARGE_CHARS = 2_000_000
#: Repetitions of SENTENCE at each end of the large file.
LARGE_REPEATS = 150


def large_text() -> str:
    """The large file: LARGE_CHARS characters, real sentences at both ends and blank space between them.

    The sentences at the end lie past the parser's limit, so their mentions
    reach the graph only if the whole text is parsed, at the right offsets.
    The text naming entities is kept short on purpose: extraction time grows
    faster than the number of mentions (kg/extract/pipeline.py
    ``Extractor._mentions`` compares each candidate with every other), so
    2 MB of such sentences would take far longer than the command deadline.
    """
    ends = SENTENCE * LARGE_REPEATS
    filler = LARGE_CHARS - 2 * len(ends)
    return ends + "\n" + " " * (filler - 2) + "\n" + ends


def write_batch(folder: Path) -> Path:
    """Write a folder mixing every kind of bad file with good articles; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text(" \n\t\n  \n", encoding="utf-8")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with (folder / "huge.txt").open("w", encoding="utf-8") as handle:
        handle.write(SENTENCE * (HUGE_BYTES // len(SENTENCE) + 1))
    (folder / "large.txt").write_text(large_text(), encoding="utf-8")
    os.symlink(folder / "nowhere.txt", folder / "broken.txt")
    os.symlink(folder / "loop.txt", folder / "loop.txt")
    os.mkfifo(folder / "fifo.txt")
    (folder / "folder-named.txt").mkdir()  # a folder with a source suffix: walked, holds nothing
    (folder / "nav-only.html").write_text(NAV_ONLY_PAGE, encoding="utf-8")
    (folder / "front-matter-only.md").write_text("---\ntitle: Nothing here\ndate: 2025-05-01\n---\n\n", encoding="utf-8")
    (folder / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    (folder / "non-english.txt").write_text(NON_ENGLISH, encoding="utf-8")
    (folder / "utf16.txt").write_text(UTF16_TEXT, encoding="utf-16")  # with a byte-order mark
    (folder / "utf16-le-no-bom.txt").write_bytes(UTF16_TEXT.encode("utf-16-le"))
    (folder / "latin1.txt").write_bytes(LATIN1_TEXT.encode("latin-1"))
    (folder / "good1.txt").write_text(GOOD1_TEXT, encoding="utf-8")
    (folder / "good2.txt").write_text(GOOD2_TEXT, encoding="utf-8")
    (folder / "odd name #1?.txt").write_text(GOOD2_TEXT, encoding="utf-8")
    return folder
