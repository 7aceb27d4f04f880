"""The default backend: an embedded Oxigraph store (RocksDB) in a folder.

Queries run with Oxigraph's union default graph, so the default graph is the
union of all named graphs. Oxigraph's union is a bag: a triple held by two
graphs matches twice; use ``DISTINCT`` when that matters.

Atomic replace: pyoxigraph 0.5 has no Python transaction object, and
``bulk_extend`` is not transactional; ``extend`` is, but only adds. A graph is
therefore replaced by one SPARQL Update request,
``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }``, which Oxigraph
applies in one transaction: if the process dies half way, the store still
holds the previous content. The new triples are read to the end, checked and
serialized (by Oxigraph, as N-Triples) before the store is touched. Measured
against ``remove_graph`` + ``extend`` (not atomic) the cost is the same: the
RocksDB writes dominate, not the parsing.

Creating a store: RocksDB writes its first files (``LOCK``, ``LOG``,
``IDENTITY``, ``MANIFEST-000001``, ``*.dbtmp``) before ``CURRENT``, the file
that marks a complete database, so a process killed in between used to leave
a folder that is neither empty nor a store. A new store is therefore created
in a hidden sibling folder (``.NAME.kg-new-XXXXXXXX``) and renamed into place
once Oxigraph has created it: the folder at the store's path is either absent,
empty, or a complete store. A folder holding only such creation leftovers
(left by an older kg, or by a creation in place where the sibling could not
be made) is cleared and the store created again; anything else in it (data
files, a non-empty write-ahead log, files kg does not know) is never deleted.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import weakref
from pathlib import Path
from typing import Any, Iterable, Iterator

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from ..errors import QueryError, StoreError
from ..namespaces import PREFIXES
from .base import DUMP_FORMATS, Capabilities, DumpFormat, Quad, QueryResult, StoreBase, Triple, _dump_format
from .sparql_text import inject_values, syntax_error_message, variable_name
from .terms import convert_rows, convert_triples, quad_to_oxigraph, to_oxigraph, to_rdflib, triples_from_ntriples

#: Most triples written in one transaction by :meth:`OxigraphStore.replace_graphs`.
BATCH_TRIPLES = 200_000

_RDF_FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
}
_snew = str.__new__


#: Files RocksDB writes while it creates a database, before CURRENT (observed with pyoxigraph 0.5).
_CREATION_FILES = re.compile(r"LOCK|LOG|LOG\.old\.\d+|IDENTITY|\d+\.dbtmp|MANIFEST-\d+|OPTIONS-\d+(?:\.dbtmp)?|\d+\.log")
#: Largest creation leftover kept as such, in bytes (a new MANIFEST is 52 bytes, OPTIONS about 7 KB).
_CREATION_FILE_BYTES = 1 << 16
#: Name of the hidden sibling folder a new store is created in: ``.NAME`` + this + a random suffix.
_NEW_SUFFIX = ".kg-new-"
#: Stores of this process open for writing (their lock is this process's own).
_WRITERS: "weakref.WeakSet[OxigraphStore]" = weakref.WeakSet()


def is_store_folder(path: Path) -> bool:
    """Say whether folder ``path`` holds an Oxigraph store (RocksDB's ``CURRENT`` file marks a complete one)."""
    return (path / "CURRENT").is_file()


def creation_leftovers(folder: Path) -> list[Path] | None:
    """Return the files of a store creation that stopped before RocksDB wrote ``CURRENT``.

    Args:
        folder: an existing folder that holds no ``CURRENT`` file.

    Returns:
        The leftover files (LOCK, LOG, IDENTITY, ``*.dbtmp``, a small
        MANIFEST or OPTIONS file, an empty write-ahead log), or None when the
        folder is empty or holds anything else: a sub-folder, a data file
        (``*.sst``), a write-ahead log with content, a large or unknown file.

    Source: the files a pyoxigraph 0.5 store creation writes before CURRENT,
    seen by killing creations at 0-50 ms (tests/robustness/test_kill_ingest.py).
    """
    entries = list(folder.iterdir())
    if not entries or (folder / "CURRENT").exists():
        return None
    for entry in entries:
        if entry.is_symlink() or not entry.is_file() or not _CREATION_FILES.fullmatch(entry.name):
            return None
        size = entry.stat().st_size
        if entry.name.endswith(".log") and size > 0:
            return None  # a write-ahead log with content may hold data
        if size > _CREATION_FILE_BYTES and not entry.name.startswith("LOG"):
            return None
    return entries


def _locked_by_another_process(folder: Path) -> bool:
    """True when another process holds the RocksDB lock of ``folder`` (POSIX only; False elsewhere)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return False
    real = os.path.realpath(folder)
    if any(st.read_only is False and st._ox is not None and st._real == real for st in list(_WRITERS)):
        return False  # this process's own lock: closing a descriptor of LOCK here would release it
    try:
        fd = os.open(folder / "LOCK", os.O_RDWR)
    except OSError:
        return False
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.lockf(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _clear_unfinished_creations(parent: Path, name: str) -> None:
    """Remove the hidden sibling folders of killed creations of store ``name`` (not those still in use)."""
    try:
        siblings = [p for p in parent.iterdir() if p.name.startswith(f".{name}{_NEW_SUFFIX}") and p.is_dir()]
    except OSError:
        return
    for sibling in siblings:
        if not sibling.is_symlink() and not _locked_by_another_process(sibling):
            shutil.rmtree(sibling, ignore_errors=True)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _create_store(folder: Path, location: str) -> None:
    """Create an empty store at ``folder`` so that the folder is never left half-created.

    The store is created in a hidden sibling folder and renamed into place
    (over ``folder`` when it is an empty folder). Where no sibling can be
    made (a read-only parent, a mount point), it is created in place, and a
    kill then leaves only creation leftovers, which the next creation clears.

    Raises:
        StoreError: the folder holds something else than a store or creation
            leftovers, another process is creating a store in it, or it cannot
            be written.
    """
    if folder.exists():
        leftovers = creation_leftovers(folder)
        if leftovers is None and any(folder.iterdir()):
            raise StoreError(f"Cannot create a store in {location}: the folder is not empty "
                             "and holds no store; choose an empty or new folder.")
        if leftovers:
            if _locked_by_another_process(folder):
                raise StoreError(f"Cannot create a store in {location}: another process is creating one there "
                                 "(it is locked); wait for it, or stop it and run the command again.")
            for path in leftovers:  # an unfinished creation: nothing in it can be data
                path.unlink(missing_ok=True)
    parent = folder.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"Cannot create a store in {location}: {exc.strerror}; "
                         "choose a writable folder.") from exc
    _clear_unfinished_creations(parent, folder.name)
    fresh = parent / f".{folder.name}{_NEW_SUFFIX}{secrets.token_hex(4)}"
    try:
        fresh.mkdir()
    except OSError:
        fresh = None  # type: ignore[assignment]
    if fresh is not None:
        try:
            created = ox.Store(os.fspath(fresh))
            created.flush()
            del created  # closes RocksDB, releasing the lock before the rename
            os.rename(fresh, folder)
            _fsync_folder(parent)
            return
        except OSError:
            shutil.rmtree(fresh, ignore_errors=True)
            if is_store_folder(folder):
                return  # another process created it meanwhile; opening it says whether it is in use
    try:  # in place
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"Cannot create a store in {location}: {exc.strerror}; "
                         "choose a writable folder.") from exc


class OxigraphStore(StoreBase):
    """A persistent quad store in a folder, using pyoxigraph directly.

    Args:
        path: the store folder; None for a temporary in-memory Oxigraph store.
        create: create the folder and an empty store if there is none
            (otherwise a missing store is an error saying to run ``kg build``).
        read_only: open without taking the write lock (``Store.read_only``),
            so queries can run while no other process writes; writes are refused.

    Attributes:
        created: True when this call created the store (the folder held none).

    Raises:
        StoreError: the folder is not a store, is locked by another process,
            or cannot be read.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, create: bool = True,
                 read_only: bool = False) -> None:
        self.read_only = read_only
        self.created = False
        self._real = ""
        if path is None:
            self.location = ":memory:"
            self._ox: ox.Store | None = ox.Store()
            self.capabilities = Capabilities(persistent=False, update=not read_only, transactions=True)
            return
        folder = Path(path)
        self.location = os.fspath(path)
        self.capabilities = Capabilities(persistent=True, update=not read_only, transactions=True)
        if folder.exists() and not folder.is_dir():
            raise StoreError(f"Cannot open store at {self.location}: it is a file, not a store folder; "
                             "pass a folder path, 'memory' or an http(s):// endpoint.")
        self.created = False
        if not is_store_folder(folder):
            if read_only or not create:
                raise StoreError(f"No store at {self.location}; run `kg build` first, or pass --store.")
            _create_store(folder, self.location)
            self.created = True
        try:
            self._ox = ox.Store.read_only(self.location) if read_only else ox.Store(self.location)
        except OSError as exc:
            raise StoreError(_open_message(self.location, exc)) from exc
        self._real = os.path.realpath(folder)
        if not read_only:
            _WRITERS.add(self)

    # -- plumbing -----------------------------------------------------------------

    @property
    def _store(self) -> ox.Store:
        st = self._ox
        if st is None:
            raise StoreError(f"The store at {self.location} is closed; open it again.")
        return st

    def _writable(self) -> ox.Store:
        if self.read_only:
            raise StoreError(f"The store at {self.location} is open read-only; open it without read_only to write.")
        return self._store

    def _update(self, sparql: str, what: str) -> None:
        try:
            self._writable().update(sparql)
        except SyntaxError as exc:
            raise QueryError(syntax_error_message("update", str(exc))) from None
        except OSError as exc:
            raise StoreError(f"Cannot write {what} to the store at {self.location}: {exc}; "
                             "its previous content is kept.") from exc

    # -- writes -------------------------------------------------------------------

    def replace_graph(self, graph: URIRef, triples: Iterable[Triple]) -> None:
        """Atomically replace named graph ``graph`` with ``triples`` (one transaction).

        Args:
            graph: the graph IRI.
            triples: its new content (rdflib terms); read to the end before
                anything is written. No triples drops the graph.

        Raises:
            StoreError: a term is not valid RDF, the store is read-only, or the
                write failed; the previous content is kept in every case.
        """
        self._update(_replace_request(graph, triples), f"graph <{graph}>")

    def replace_graphs(self, graphs: dict[URIRef, Iterable[Triple]]) -> None:
        """Replace several named graphs, a batch of up to :data:`BATCH_TRIPLES` triples per transaction.

        Every graph is replaced atomically; graphs written in the same batch
        are replaced together.

        Args:
            graphs: graph IRI -> its new triples.

        Raises:
            StoreError: a graph cannot be written; the graphs of that batch and
                the batches after it keep their previous content.
        """
        batch: list[str] = []
        size = 0
        for graph, triples in graphs.items():
            request, count = _replace_request_counted(graph, triples)
            if batch and size + count > BATCH_TRIPLES:
                self._update(" ;\n".join(batch), f"{len(batch)} graphs")
                batch, size = [], 0
            batch.append(request)
            size += count
        if batch:
            self._update(" ;\n".join(batch), f"{len(batch)} graphs")

    def drop_graph(self, graph: URIRef) -> None:
        """Remove named graph ``graph`` in one transaction (no error when absent).

        Raises:
            StoreError: the store is read-only or the write failed.
        """
        self._update(f"DROP SILENT GRAPH {_iri(graph)}", f"the drop of <{graph}>")

    def add_quads(self, quads: Iterable[Quad]) -> None:
        """Bulk-load quads into their named graphs (fast, streaming, NOT atomic).

        Args:
            quads: (subject, predicate, object, graph IRI) rdflib terms.

        Raises:
            StoreError: a quad is not valid RDF (the quads before it may be
                written), the store is read-only, or the write failed.
        """
        store = self._writable()

        def converted() -> Iterator[ox.Quad]:
            for s, p, o, g in quads:
                try:
                    yield quad_to_oxigraph(s, p, o, g)
                except ValueError as exc:
                    raise StoreError(f"Cannot load quad into <{g}>: {exc}.") from None

        try:
            store.bulk_extend(converted())
        except OSError as exc:
            raise StoreError(f"Cannot load quads into the store at {self.location}: {exc}.") from exc

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update in one transaction.

        The update's default graph is the store's own (empty) default graph,
        not the union: name graphs with ``GRAPH`` or ``WITH``.

        Raises:
            QueryError: syntax error (message with line and column).
            StoreError: the store is read-only or the write failed.
        """
        self._update(sparql, "the update")

    # -- reads --------------------------------------------------------------------

    def query(self, sparql: str, *, bindings: dict[str, Node] | None = None) -> QueryResult:
        """Run a SPARQL 1.1 query over the union of the named graphs.

        Bindings use Oxigraph's substitution (SEP-0007). Oxigraph refuses to
        substitute a variable a SELECT does not project; such bindings are
        written into the query instead (:func:`kg.store.sparql_text.inject_values`:
        a VALUES block, and the term in place of the variable inside nested
        groups), built from serialized terms, which answers the same. A binding
        that cannot be applied safely either way is refused first.

        Args:
            sparql: the query text (prefixes must be declared; see :func:`kg.query.prepare_query`).
            bindings: variable name (with or without ``?``) -> rdflib term.

        Returns:
            The result, its terms converted to rdflib terms.

        Raises:
            QueryError: syntax error (message with line and column), or a binding
                that is not a valid variable name or RDF term, or that cannot
                be applied safely (see :func:`~kg.store.sparql_text.inject_values`).
            StoreError: the store failed.
        """
        store = self._store
        substitutions = _substitutions(bindings) if bindings else None
        bound = inject_values(sparql, bindings) if bindings else sparql  # checks every binding can be applied
        try:
            try:
                result: Any = store.query(sparql, use_default_graph_as_union=True, substitutions=substitutions)
            except RuntimeError as exc:
                if substitutions is None or "projection" not in str(exc):
                    raise
                result = store.query(bound, use_default_graph_as_union=True)
            if isinstance(result, ox.QuerySolutions):
                variables = [v.value for v in result.variables]
                return QueryResult("select", variables=variables, rows=convert_rows(result))
            if isinstance(result, ox.QueryBoolean):
                return QueryResult("ask", boolean=bool(result))
            return QueryResult("graph", triples=convert_triples(result))
        except SyntaxError as exc:
            raise QueryError(syntax_error_message("query", str(exc))) from None
        except OSError as exc:
            raise StoreError(f"Cannot read the store at {self.location}: {exc}.") from exc
        except RuntimeError as exc:
            raise QueryError(f"SPARQL query failed: {' '.join(str(exc).split())}") from None

    def graph_names(self) -> list[URIRef]:
        """Return the IRIs of the named graphs that hold a triple, sorted."""
        store = self._store
        names = []
        for g in store.named_graphs():
            if isinstance(g, ox.NamedNode) and next(store.quads_for_pattern(None, None, None, g), None) is not None:
                names.append(_snew(URIRef, g.value))
        names.sort()
        return names

    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:
        """Iterate over the quads of named graph ``graph``, or of every named graph.

        Yields:
            (subject, predicate, object, graph IRI) as rdflib terms.
        """
        store = self._store
        if graph is None:
            names = [g for g in store.named_graphs() if isinstance(g, ox.NamedNode)]
        else:
            names = [_named_node(graph)]
        for name in names:
            # One graph at a time, as N-Triples written by Oxigraph: far cheaper
            # than a pyoxigraph object per term.
            data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name) or b""
            g = _snew(URIRef, name.value)
            for s, p, o in _ntriples_to_rdflib(data):
                yield s, p, o, g

    def __len__(self) -> int:
        """Number of quads in named graphs."""
        store = self._store
        in_default = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        return len(store) - in_default

    def dump(self, path: str | Path, format: DumpFormat = "trig") -> Path:
        """Write the store to ``path`` with Oxigraph's serializers (streaming).

        Args:
            path: the file to write.
            format: ``trig`` or ``nquads`` (named graphs kept), ``turtle`` or
                ``ntriples`` (union of the named graphs, each triple once).

        Returns:
            ``path`` as a Path.

        Raises:
            ValueError: unknown format.
            StoreError: the store cannot be read or the file written.
        """
        _dump_format(format)
        store = self._store
        path = Path(path)
        rdf_format = _RDF_FORMATS[format]
        try:
            if DUMP_FORMATS[format][1]:
                store.dump(os.fspath(path), rdf_format, prefixes=PREFIXES if format == "trig" else None)
            else:
                union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
                ox.serialize(union, os.fspath(path), rdf_format,  # type: ignore[arg-type]
                             prefixes=PREFIXES if format == "turtle" else None)
        except OSError as exc:
            raise StoreError(f"Cannot dump the store at {self.location} to {path}: {exc}.") from exc
        return path

    def close(self) -> None:
        """Flush pending writes and release the folder (its lock) for other processes."""
        st = self._ox
        if st is None:
            return
        self._ox = None
        if not self.read_only:
            try:
                st.flush()
            except OSError as exc:
                raise StoreError(f"Cannot flush the store at {self.location}: {exc}.") from exc
        del st


def _ntriples_to_rdflib(data: bytes) -> list[Triple]:
    if data.startswith(b"<<") or b" <<" in data or b"\n<<" in data:  # RDF-star: the slow, exact path
        conv = to_rdflib
        return [(conv(t.subject), conv(t.predicate), conv(t.object))  # type: ignore[misc]
                for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    return triples_from_ntriples(data)


def _open_message(location: str, exc: OSError) -> str:
    text = " ".join(str(exc).split())
    if "lock" in text.lower():
        return (f"Cannot open store at {location}: it is locked; is another kg process using it? "
                "Stop it, or open the store read-only.")
    if isinstance(exc, PermissionError) or "permission" in text.lower():
        return f"Cannot open store at {location}: permission denied; check the folder's owner and mode."
    return f"Cannot open store at {location}: {text}; is it a kg store folder?"


def _named_node(graph: URIRef) -> ox.NamedNode:
    try:
        return ox.NamedNode(graph)
    except (ValueError, TypeError) as exc:
        raise StoreError(f"Invalid graph name {str(graph)!r}: {exc}; graph names are absolute IRIs.") from None


def _iri(graph: URIRef) -> str:
    return str(_named_node(graph))  # N-Triples form: <...>, validated


def _replace_request_counted(graph: URIRef, triples: Iterable[Triple]) -> tuple[str, int]:
    target = _iri(graph)
    conv = to_oxigraph
    items = []
    try:
        for t in triples:
            s, p, o = t
            items.append(ox.Triple(conv(s), conv(p), conv(o)))
    except (ValueError, TypeError) as exc:
        raise StoreError(f"Cannot write graph <{graph}>: {exc}; its previous content is kept.") from None
    if not items:
        return f"DROP SILENT GRAPH {target}", 0
    body = (ox.serialize(items, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
    return f"DROP SILENT GRAPH {target} ;\nINSERT DATA {{ GRAPH {target} {{\n{body}}} }}", len(items)


def _replace_request(graph: URIRef, triples: Iterable[Triple]) -> str:
    return _replace_request_counted(graph, triples)[0]


def _substitutions(bindings: dict[str, Node]) -> dict[ox.Variable, Any]:
    out = {}
    for name, value in bindings.items():
        try:
            out[ox.Variable(variable_name(name))] = to_oxigraph(value)
        except ValueError as exc:
            raise QueryError(f"Cannot bind ?{name.lstrip('?$')}: {exc}.") from None
    return out


__all__ = ["BATCH_TRIPLES", "OxigraphStore", "creation_leftovers", "is_store_folder"]
