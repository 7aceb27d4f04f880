"""Reading source documents: finding them, decoding them, reducing them to text.

Public API:

- :func:`discover` walks the paths given on the command line and returns the
  :class:`Source` files to read (``.txt``, ``.md``/``.markdown``,
  ``.html``/``.htm``).
- :func:`read_document` turns one source into a :class:`kg.model.Document`:
  bytes are decoded (BOM, UTF-8, UTF-16 without BOM, cp1252/Latin-1, or a
  non-Latin code page charset-normalizer is sure of), HTML and Markdown are
  reduced to their text, and title/date/publisher/url come from the
  ``NAME.meta.json`` sidecar, the HTML metadata or the top of the text.

Modules: ``discover`` (finding files), ``decode`` (bytes to str),
``html_text`` and ``markdown_text`` (markup to text), ``sidecar`` and
``text_meta`` (metadata), ``read`` (the pipeline).
"""

from __future__ import annotations

from .discover import SUFFIXES, Source, discover
from .read import read_document
from .sidecar import SidecarMeta, load_sidecar, sidecar_path
from .text_meta import TextMeta, guess_metadata, parse_date_line

__all__ = [
    "SUFFIXES",
    "SidecarMeta",
    "Source",
    "TextMeta",
    "discover",
    "guess_metadata",
    "load_sidecar",
    "parse_date_line",
    "read_document",
    "sidecar_path",
]
