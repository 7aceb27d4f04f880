"""The ``NAME.meta.json`` metadata sidecar (see shared spec gold-format.md, "Document metadata")."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..model import Warn

_KEYS = ("title", "publisher", "published", "url")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class SidecarMeta:
    """The metadata a sidecar gives; a field that is null or absent is None."""

    title: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    url: str | None = None


def sidecar_path(path: Path) -> Path:
    """Return where the sidecar of a source file would be: same folder, same stem, ``.meta.json``."""
    return path.with_name(path.stem + ".meta.json")


def load_sidecar(path: Path) -> tuple[SidecarMeta | None, list[Warn]]:
    """Read the sidecar of a source file, if it has one.

    The sidecar is ``{"title", "publisher", "published": "YYYY-MM-DD" or null, "url"}``.
    A sidecar that cannot be read, is not JSON or is not an object is ignored
    with a ``W-meta`` warning. A field of the wrong type or a date not in
    ``YYYY-MM-DD`` form is ignored with a ``W-meta`` warning and the other
    fields are kept; so are unknown keys (often a misspelt one).

    Args:
        path: the source file (not the sidecar).

    Returns:
        ``(meta, warnings)``; ``meta`` is None when there is no usable sidecar.
    """
    meta_path = sidecar_path(path)
    if not meta_path.is_file():
        return None, []
    where = str(meta_path)
    try:
        raw = meta_path.read_bytes().decode("utf-8-sig")
        data = json.loads(raw)
    except OSError as exc:
        return None, [Warn("W-meta", f"Ignored {meta_path}: cannot read it ({exc.strerror}); check its permissions", where)]
    except UnicodeDecodeError:
        return None, [Warn("W-meta", f"Ignored {meta_path}: not UTF-8; save it as UTF-8", where)]
    except json.JSONDecodeError as exc:
        return None, [
            Warn(
                "W-meta",
                f"Ignored {meta_path}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); fix or delete it",
                where,
            )
        ]
    if not isinstance(data, dict):
        return None, [
            Warn("W-meta", f"Ignored {meta_path}: expected a JSON object with {', '.join(_KEYS)}; fix or delete it", where)
        ]

    warnings: list[Warn] = []
    for key in data:
        if key not in _KEYS:
            warnings.append(
                Warn("W-meta", f"Ignored key {key!r} in {meta_path}: expected only {', '.join(_KEYS)}; fix its spelling or remove it", where)
            )
    fields: dict[str, str | None] = {}
    for key in ("title", "publisher", "url"):
        value = data.get(key)
        if isinstance(value, str):
            fields[key] = " ".join(value.split()) or None
        elif value is None:
            fields[key] = None
        else:
            warnings.append(Warn("W-meta", f"Ignored {key!r} in {meta_path}: expected a string or null, got {value!r}", where))
            fields[key] = None
    published = None
    value = data.get("published")
    if value is not None:
        if isinstance(value, str) and _ISO_DATE.match(value.strip()):
            try:
                published = dt.date.fromisoformat(value.strip())
            except ValueError:
                published = None
        if published is None:
            warnings.append(
                Warn("W-meta", f"Ignored 'published' in {meta_path}: {value!r} is not a date in YYYY-MM-DD form; fix it or use null", where)
            )
    meta = SidecarMeta(title=fields["title"], publisher=fields["publisher"], published=published, url=fields["url"])
    return meta, warnings
