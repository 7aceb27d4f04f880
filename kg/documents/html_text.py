"""HTML pages to main text and metadata.

The main text comes from trafilatura (precision mode, no comments, no
network), with navigation, headers, footers, asides, forms, scripts and styles
pruned first so that a page of only navigation yields nothing. If trafilatura
finds nothing, a plain tag-stripper over :mod:`html.parser` takes the text
outside those elements.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from ..errors import ConfigError

# Pruned before extraction: page chrome and code, never article text.
_PRUNE_XPATH = [
    "//script",
    "//style",
    "//noscript",
    "//template",
    "//nav",
    "//aside",
    "//form",
    "//footer",
    "//header[not(ancestor::article) and not(ancestor::main)]",
    "//*[@role='navigation' or @role='banner' or @role='contentinfo']",
]

_SKIP_TAGS = frozenset(
    "script style noscript template nav aside form footer header iframe object embed svg "
    "canvas button select textarea head".split()
)
_VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())
_BLOCK_TAGS = frozenset(
    "address article blockquote body br dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 hr "
    "li main ol p pre section table td th tr ul".split()
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


@dataclass(frozen=True)
class HtmlMeta:
    """Metadata found in an HTML page's markup (all optional)."""

    title: str | None = None
    published: dt.date | None = None
    publisher: str | None = None
    url: str | None = None


def declared_charset(data: bytes) -> str | None:
    """Return the charset an HTML page declares in a ``<meta>`` tag in its first 4 KB, if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def _require_html_tools() -> None:
    """Check that the HTML reader's libraries are installed.

    Raises:
        ConfigError: ``lxml_html_clean`` (which trafilatura imports when it meets a page) is
            missing, as happens when an old pip skipped lxml's ``html_clean`` extra.
    """
    try:
        import lxml_html_clean  # noqa: F401
    except ImportError:
        raise ConfigError("Reading HTML needs the lxml_html_clean package, which is not installed; "
                          "run `pip install lxml_html_clean==0.4.6` (or reinstall kg with a recent pip).") from None


def main_text(html: str) -> str:
    """Return the main text of an HTML page, one paragraph per line.

    Args:
        html: the decoded page.

    Returns:
        The article text (paragraphs separated by ``\\n``), or ``""`` when the
        page holds no main text (only navigation, scripts, markup).
    """
    _require_html_tools()
    import trafilatura

    text = trafilatura.extract(
        html,
        output_format="txt",
        include_comments=False,
        favor_precision=True,
        include_tables=True,
        include_images=False,
        include_links=False,
        with_metadata=False,
        prune_xpath=_PRUNE_XPATH,
    )
    if text and text.strip():
        return text.strip()
    return strip_tags(html)


def html_metadata(html: str) -> HtmlMeta:
    """Return the title, publication date, site name and canonical URL declared in a page.

    Uses trafilatura's metadata extraction without its free-text date search
    (only markup: ``<meta>``, JSON-LD, ``<time>``, the URL).

    Args:
        html: the decoded page.

    Returns:
        What was found; missing fields are None.
    """
    _require_html_tools()
    from trafilatura import extract_metadata

    try:
        meta = extract_metadata(html, extensive=False)
    except Exception:  # noqa: BLE001 - metadata is optional; a parser failure must not lose the text
        return HtmlMeta()
    published = None
    if meta.date:
        try:
            published = dt.date.fromisoformat(str(meta.date)[:10])
        except ValueError:
            published = None
    return HtmlMeta(
        title=_clean(meta.title),
        published=published,
        publisher=_clean(meta.sitename),
        url=_clean(meta.url),
    )


def strip_tags(html: str) -> str:
    """Return the text of a page outside scripts, styles, navigation and other chrome.

    A plain fallback for pages trafilatura cannot handle: block elements
    become line breaks, runs of white space one space, empty lines are dropped.

    Args:
        html: the decoded page.

    Returns:
        One line per block, or ``""``.
    """
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


class _TextParser(HTMLParser):
    """Collects text outside skipped elements, with a newline at block boundaries."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            if tag in _BLOCK_TAGS and not self._skip_depth:
                self.parts.append("\n")
            return
        role = dict(attrs).get("role") or ""
        if self._skip_depth or tag in _SKIP_TAGS or role in {"navigation", "banner", "contentinfo"}:
            self._skip_depth += 1
            self._stack.append(tag)
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._skip_depth:
            # close the innermost open skipped element of this name (tolerates bad nesting)
            if tag in self._stack:
                while self._stack:
                    self._skip_depth -= 1
                    if self._stack.pop() == tag:
                        break
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data.replace("\n", " "))


def _clean(value: object) -> str | None:
    """Strip and collapse white space; None for empty."""
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
