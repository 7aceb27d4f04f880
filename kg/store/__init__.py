"""Quad stores behind one small interface (:class:`~kg.store.base.Store`), chosen by a string.

======================  ==========================  =============================================
location                backend                     what it is
======================  ==========================  =============================================
``memory``              :class:`MemoryStore`        rdflib Dataset in memory (tests, small jobs)
``http://``/``https://``  :class:`RemoteStore`      any SPARQL 1.1 endpoint (union default graph)
anything else           :class:`OxigraphStore`      embedded Oxigraph in that folder (default)
======================  ==========================  =============================================

The location defaults to ``$KG_STORE``, else ``build/store``. A folder called
``memory`` is written ``./memory``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import StoreError
from .base import Capabilities, QueryResult, Store
from .http import DEFAULT_TIMEOUT
from .memory import MemoryStore
from .oxigraph import OxigraphStore, is_store_folder
from .remote import RemoteStore

#: Store location used when none is given and ``$KG_STORE`` is unset.
DEFAULT_LOCATION = "build/store"
#: Environment variable holding the default store location.
ENV_STORE = "KG_STORE"
#: Environment variable holding the remote request deadline, in seconds.
ENV_TIMEOUT = "KG_STORE_TIMEOUT"


@dataclass(frozen=True)
class _Options:
    update_url: str | None
    graph_store_url: str | None
    create: bool
    read_only: bool
    timeout: float


@dataclass(frozen=True)
class Backend:
    """One row of :data:`BACKENDS`: a name, which locations it takes, and how to open one."""

    name: str
    matches: Callable[[str], bool]
    open: Callable[[str, _Options], Store]
    help: str


#: The built-in backends, tried in order; the last one takes any location.
BACKENDS: tuple[Backend, ...] = (
    Backend("memory", lambda loc: loc == "memory",
            lambda loc, o: MemoryStore(read_only=o.read_only),
            "in-memory rdflib Dataset; nothing is persisted"),
    Backend("remote", lambda loc: loc.lower().startswith(("http://", "https://")),
            lambda loc, o: RemoteStore(loc, update_url=o.update_url, graph_store_url=o.graph_store_url,
                                       timeout=o.timeout, read_only=o.read_only),
            "SPARQL 1.1 endpoint serving the union of its named graphs as default graph"),
    Backend("oxigraph", lambda loc: True,
            lambda loc, o: OxigraphStore(loc, create=o.create, read_only=o.read_only),
            "embedded Oxigraph (RocksDB) store in a folder"),
)


def backend_for(location: str) -> Backend:
    """Return the :data:`BACKENDS` row that opens ``location``."""
    return next(b for b in BACKENDS if b.matches(location))


def open_store(
    location: str | os.PathLike[str] | None = None,
    *,
    update_url: str | None = None,
    graph_store_url: str | None = None,
    create: bool = True,
    read_only: bool = False,
    timeout: float | None = None,
) -> Store:
    """Open the store at ``location``, choosing the backend from the string.

    Args:
        location: ``"memory"``, an ``http(s)://`` SPARQL endpoint (query URL),
            or a folder (embedded Oxigraph). None: ``$KG_STORE``, else ``build/store``.
        update_url: a remote endpoint's SPARQL Update URL, when it is not
            the query URL's ``/update`` sibling.
        graph_store_url: a remote endpoint's Graph Store Protocol URL, when it
            is not the query URL's ``/store`` sibling (Oxigraph layout).
        create: create a missing store folder; when False a missing store is
            an error that says to run ``kg build``.
        read_only: refuse writes; a folder is opened without its lock, so
            queries can run while no other process writes.
        timeout: deadline of each remote request, retries included, in
            seconds; default ``$KG_STORE_TIMEOUT``, else 30.

    Returns:
        The opened store (a context manager: ``with open_store(...) as st:``).

    Raises:
        StoreError: the store cannot be opened (missing, locked by another
            process, not a store, bad URL), with a one-line message saying what to do.
    """
    if location is None:
        location = os.environ.get(ENV_STORE) or DEFAULT_LOCATION
    loc = os.fspath(location)
    if not loc.strip():
        raise StoreError("No store location given; pass --store (a folder, 'memory' or an http(s):// URL).")
    options = _Options(update_url=update_url, graph_store_url=graph_store_url, create=create,
                       read_only=read_only, timeout=_timeout(timeout))
    return backend_for(loc).open(loc, options)


def is_new_store(location: str | os.PathLike[str] | None = None) -> bool:
    """Say whether opening ``location`` with ``create=True`` would create a new embedded store.

    Args:
        location: as for :func:`open_store` (None: ``$KG_STORE``, else ``build/store``).

    Returns:
        True for a folder location that holds no store yet (missing, empty, or
        left by a creation that was killed); False for an existing store,
        ``memory`` and ``http(s)://`` endpoints.
    """
    if location is None:
        location = os.environ.get(ENV_STORE) or DEFAULT_LOCATION
    loc = os.fspath(location)
    return backend_for(loc).name == "oxigraph" and not is_store_folder(Path(loc))


def _timeout(timeout: float | None) -> float:
    if timeout is not None:
        value: float = timeout
    else:
        raw = os.environ.get(ENV_TIMEOUT)
        if not raw:
            return DEFAULT_TIMEOUT
        try:
            value = float(raw)
        except ValueError:
            raise StoreError(f"${ENV_TIMEOUT}={raw!r} is not a number of seconds; set it to e.g. 30.") from None
    if value <= 0:
        raise StoreError(f"Store timeout must be a positive number of seconds, got {value}.")
    return value


__all__ = [
    "BACKENDS",
    "Backend",
    "Capabilities",
    "DEFAULT_LOCATION",
    "MemoryStore",
    "OxigraphStore",
    "QueryResult",
    "RemoteStore",
    "Store",
    "backend_for",
    "is_new_store",
    "open_store",
]
