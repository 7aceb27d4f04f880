"""Finding the source files under the paths given on the command line."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..model import Warn

#: Suffixes (lower-case) read as sources, with the media type each is read as.
SUFFIXES: dict[str, str] = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
}

SIDECAR_SUFFIX = ".meta.json"


@dataclass(frozen=True)
class Source:
    """One file to read.

    Attributes:
        path: where the file is (as found: relative paths stay relative).
        name: its path relative to the folder argument it was found under, with
            ``/`` separators, or its file name when it was given as a file.
            The document IRI is minted from it, so it is unique in a run.
    """

    path: Path
    name: str

    @property
    def media_type(self) -> str:
        """``text/plain``, ``text/markdown`` or ``text/html``, from the suffix (plain if unknown)."""
        return SUFFIXES.get(self.path.suffix.lower(), "text/plain")


def is_source_file(name: str) -> bool:
    """Return whether a file name has a source suffix (and is not a ``.meta.json`` sidecar)."""
    lower = name.lower()
    return not lower.endswith(SIDECAR_SUFFIX) and Path(lower).suffix in SUFFIXES


def discover(
    paths: Sequence[Path], *, ignored: list[Path] | None = None
) -> tuple[list[Source], list[Warn]]:
    """Find the source documents under files and folders.

    Folders are walked recursively, entries in sorted order (by path
    components); hidden files and folders (name starting with ``.``) are
    skipped and symbolic links to folders are not followed. A file is a source
    when its suffix is ``.txt``, ``.md``, ``.markdown``, ``.html`` or ``.htm``
    (any case); ``*.meta.json`` sidecars and other files found in folders are
    skipped silently (they are appended to ``ignored``). A file named
    explicitly with another suffix is skipped with a ``W-skip`` warning.

    The same file reached twice (e.g. through its folder and by name) is kept
    once, under its first name. Two different files with the same name (e.g.
    ``a/x.txt`` and ``b/x.txt`` given as files) would get the same document
    IRI: the second is skipped with a ``W-dup`` warning.

    Args:
        paths: files and folders, in the order given.
        ignored: if given, the files found in folders but not read (wrong
            suffix, sidecars, hidden) are appended to it, so callers can count them.

    Returns:
        ``(sources, warnings)``: the sources in discovery order and the
        non-fatal problems met.

    Raises:
        InputError: a path does not exist.
    """
    sources: list[Source] = []
    warnings: list[Warn] = []
    seen_names: dict[str, Path] = {}
    seen_files: set[Path] = set()

    def add(path: Path, name: str) -> None:
        real = Path(os.path.realpath(path))
        if real in seen_files:
            return
        if name in seen_names:
            warnings.append(
                Warn(
                    "W-dup",
                    f"Skipped {path}: another file, {seen_names[name]}, has the same name "
                    f"{name!r}; rename one or pass their common parent folder",
                    str(path),
                )
            )
            return
        seen_files.add(real)
        seen_names[name] = path
        sources.append(Source(path, name))

    for arg in paths:
        arg = Path(arg)
        if arg.is_dir():
            for path, name in _walk(arg, warnings, ignored):
                add(path, name)
        elif arg.exists():
            if is_source_file(arg.name):
                add(arg, arg.name)
            else:
                what = "a metadata sidecar" if arg.name.lower().endswith(SIDECAR_SUFFIX) else "not a supported file type"
                warnings.append(
                    Warn(
                        "W-skip",
                        f"Skipped {arg}: {what}; pass .txt, .md, .markdown, .html or .htm files",
                        str(arg),
                    )
                )
        else:
            raise InputError(broken_link_message(arg) or f"No such file or folder: {arg}")
    return sources, warnings


def broken_link_message(path: Path) -> str | None:
    """Return the one-line error for a symbolic link whose target does not exist, or None if ``path`` is not one.

    Without it a dangling link, which ``ls`` still lists, would be reported as
    "No such file or folder", a message that sends the user looking in the wrong place.
    """
    try:
        if not path.is_symlink():
            return None
        target = os.readlink(path)
    except OSError:
        return None
    return (f"Cannot read {path}: it is a symbolic link to {target}, which does not exist; "
            "fix or remove the link")


def _walk(
    folder: Path, warnings: list[Warn], ignored: list[Path] | None
) -> list[tuple[Path, str]]:
    """Return ``(path, name)`` for each source file under ``folder``, sorted by path components."""
    found: list[tuple[tuple[str, ...], Path]] = []

    def on_error(exc: OSError) -> None:
        warnings.append(
            Warn(
                "W-skip",
                f"Skipped folder {exc.filename}: {exc.strerror or exc}; check its permissions",
                str(exc.filename),
            )
        )

    for dirpath, dirnames, filenames in os.walk(folder, onerror=on_error):
        here = Path(dirpath)
        hidden = [d for d in dirnames if d.startswith(".")]
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if ignored is not None:
            ignored.extend(here / d for d in sorted(hidden))
        for filename in sorted(filenames):
            path = here / filename
            if filename.startswith(".") or not is_source_file(filename):
                if ignored is not None:
                    ignored.append(path)
                continue
            found.append((path.relative_to(folder).parts, path))
    found.sort(key=lambda item: item[0])
    return [(path, "/".join(parts)) for parts, path in found]
