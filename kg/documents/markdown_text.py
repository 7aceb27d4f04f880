"""Markdown to plain text, one line per paragraph.

A small line-based converter, not a full CommonMark parser: it removes the
markup that would get in the way of sentence splitting and matching and keeps
every word of the text.

- YAML front matter (``---`` ... ``---`` at the top) is taken off and returned;
- headings (``#`` and underlined) become their text;
- emphasis, strike-through and inline code lose their markers;
- links ``[text](url)`` and ``[text][ref]`` become ``text``; images are removed,
  as are link reference definitions and horizontal rules;
- list markers and blockquote ``>`` are dropped, each list item is a line;
- table rows (lines starting with ``|``) keep their cells joined by `` | ``,
  the ``|---|`` row is dropped;
- fenced code blocks keep their lines verbatim (the fences go);
- the lines of a paragraph are joined with single spaces.
"""

from __future__ import annotations

import re
from typing import Any

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^\s{0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$")
_SETEXT_OR_RULE = re.compile(r"^\s{0,3}(?:=+|-+|(?:[-*_]\s*){3,})\s*$")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")

_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
_IMAGE = re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_EM_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")

# Placeholders: escaped characters and code spans must not be read as markup.
_ESC_BASE = 0xF0000  # Supplementary Private Use Area-A


def markdown_to_text(markdown: str) -> tuple[str, dict[str, Any]]:
    """Convert Markdown to plain text, one line per paragraph, heading or list item.

    Args:
        markdown: the document, newlines already ``\\n``.

    Returns:
        ``(text, front_matter)``: the text, and the YAML front matter as a
        dict (empty if there is none or it is not a mapping).
    """
    lines = markdown.split("\n")
    front, lines = _front_matter(lines)
    out: list[str] = []
    paragraph: list[str] = []
    fence: str | None = None

    def flush() -> None:
        if paragraph:
            text = inline_to_text(" ".join(paragraph)).strip()
            if text:
                out.append(text)
            paragraph.clear()

    for line in lines:
        if fence is not None:
            if line.strip().startswith(fence) and set(line.strip()) == {fence[0]}:
                fence = None
            else:
                out.append(line)
            continue
        quoted = _QUOTE.match(line)
        while quoted:
            line = line[quoted.end() :]
            quoted = _QUOTE.match(line)
        opening = _FENCE.match(line)
        if opening:
            flush()
            fence = opening.group(1)
            continue
        stripped = line.strip()
        if not stripped or _SETEXT_OR_RULE.match(line) or _REF_DEF.match(line):
            flush()  # blank line, heading underline, rule, or reference definition
            continue
        heading = _ATX.match(line)
        if heading:
            flush()
            text = inline_to_text(heading.group(1) or "").strip()
            if text:
                out.append(text)
            continue
        if stripped.startswith("|") or _TABLE_SEP.match(stripped):
            flush()
            if not _TABLE_SEP.match(stripped):
                cells = [inline_to_text(c).strip() for c in stripped.strip("|").split("|")]
                row = " | ".join(c for c in cells if c)
                if row:
                    out.append(row)
            continue
        item = _LIST_ITEM.match(line)
        if item:
            flush()
            paragraph.append(line[item.end() :].strip())
            continue
        paragraph.append(stripped)
    flush()
    return "\n".join(out), front


def inline_to_text(text: str) -> str:
    """Remove inline Markdown markup (emphasis, code, links, images, HTML tags) from one line.

    Args:
        text: a line of Markdown.

    Returns:
        The line's text, with link texts kept and images dropped.
    """
    spans: list[str] = []

    def keep_code(match: re.Match[str]) -> str:
        spans.append(match.group(2).strip())
        return f"\ue000{len(spans) - 1}\ue001"

    text = _ESCAPE.sub(lambda m: chr(_ESC_BASE + ord(m.group(1))), text)
    text = _CODE_SPAN.sub(keep_code, text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    for pattern in (_STRONG, _EM_STAR, _EM_UNDERSCORE, _STRIKE):
        previous = None
        while previous != text:  # nested emphasis: ***x*** or **_x_**
            previous = text
            text = pattern.sub(lambda m: m.group(m.lastindex or 1), text)
    text = re.sub("\ue000(\\d+)\ue001", lambda m: spans[int(m.group(1))], text)
    text = re.sub("[\U000f0000-\U000f007f]", lambda m: chr(ord(m.group(0)) - _ESC_BASE), text)
    return re.sub(r"[ \t]{2,}", " ", text)


def _front_matter(lines: list[str]) -> tuple[dict[str, Any], list[str]]:
    """Split off YAML front matter delimited by ``---`` lines at the very top."""
    if not lines or lines[0].strip() != "---":
        return {}, lines
    for end in range(1, min(len(lines), 200)):
        if lines[end].strip() in {"---", "..."}:
            import yaml

            try:
                data = yaml.safe_load("\n".join(lines[1:end]))
            except yaml.YAMLError:
                return {}, lines  # not front matter after all: keep the lines as text
            if not isinstance(data, dict):
                return {}, lines
            return data, lines[end + 1 :]
    return {}, lines
