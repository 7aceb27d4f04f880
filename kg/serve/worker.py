"""The query worker: a process that owns an open store and answers one job at a time.

The HTTP threads never run SPARQL themselves. Each job (a query or an update
with the request's ``Accept`` header) goes to a worker process, which checks
it against :mod:`kg.sparql_policy`, negotiates the format, runs it and
returns the finished response body. A worker that overruns the deadline is
killed by :class:`kg.serve.pool.WorkerPool`: Oxigraph cannot cancel a query
from Python, but the operating system can end a process.

Row limit: a SELECT without its own LIMIT (and without a trailing VALUES
clause) is run with ``LIMIT max_results + 1`` appended, so the engine stops
early; any other result is cut after ``max_results`` rows or triples. Either
way one row more than the limit means "truncated".
"""

from __future__ import annotations

import os
import re
import signal
import sys
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection

from ..errors import KgError, QueryError, StoreError
from ..query import prepare_query
from ..sparql_policy import QueryInfo, enforce_policy, inspect_query
from ..store import open_store
from ..store.base import QueryResult, Store
from .formats import render
from .negotiate import negotiate, types_for

#: Python frames a worker allows (pyparsing recurses deeply on nested expressions).
RECURSION_LIMIT = 5000

_LINE = re.compile(r"\bat line (\d+)")


@dataclass(frozen=True)
class WorkerConfig:
    """What every worker of a server needs to know.

    Attributes:
        location: the store location (a folder, or an http(s):// endpoint).
        read_only: open the store read-only (the default of ``kg serve``).
        max_results: most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) returned.
        allow_service: let queries use SERVICE.
        allow_remote_from: let queries use FROM/FROM NAMED and updates USING/LOAD.
    """

    location: str
    read_only: bool = True
    max_results: int = 10_000
    allow_service: bool = False
    allow_remote_from: bool = False


@dataclass(frozen=True)
class Job:
    """One request for a worker.

    Attributes:
        op: ``query`` or ``update`` (the protocol operation the client chose).
        text: the SPARQL text as received.
        accept: the request's Accept header (queries only).
    """

    op: str
    text: str
    accept: str | None = None


@dataclass(frozen=True)
class Reply:
    """A finished HTTP answer.

    Attributes:
        status: the HTTP status code.
        body: the response body.
        content_type: its Content-Type.
        headers: extra headers (name, value).
    """

    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


def error_reply(status: int, message: str) -> Reply:
    """Return a plain-text reply holding a one-line message.

    Args:
        status: the HTTP status code.
        message: the message; line breaks are folded into spaces.

    Returns:
        The :class:`Reply` (``text/plain``, the message and a final newline).
    """
    return Reply(status, (" ".join(message.split()) + "\n").encode("utf-8"))


def run_job(store: Store, job: Job, config: WorkerConfig) -> Reply:
    """Check, run and render one job against an open store.

    Args:
        store: the open store.
        job: the request.
        config: the server's limits and policy.

    Returns:
        200 with the result, 204 after an update, 400 for a malformed or
        refused text, 406 when no acceptable format fits the query form, 500
        when the store fails.
    """
    try:
        info = inspect_query(job.text)
        if job.op == "update":
            if info.form != "UPDATE":
                return error_reply(400, f"This is a {info.form} query, not an update; send it as query= "
                                        "or with Content-Type application/sparql-query.")
            enforce_policy(info, allow_update=True, allow_service=config.allow_service,
                           allow_remote_from=config.allow_remote_from)
            text, shift = _prepared(job.text)
            _run(store.update, text, shift)
            return Reply(204, b"", content_type="")
        enforce_policy(info, allow_update=False, allow_service=config.allow_service,
                       allow_remote_from=config.allow_remote_from)
        offers = types_for(info.form)
        media = negotiate(job.accept, offers)
        if media is None:
            return error_reply(406, f"Cannot answer a {info.form} query as {job.accept!r}; accept one of "
                                    f"{', '.join(o.name for o in offers)}.")
        text, shift = _prepared(job.text)
        result = _run(store.query, _capped(text, info, config.max_results), shift)
        result, truncated = _cut(result, config.max_results)
        headers = (("X-KG-Truncated", "true"),) if truncated else ()
        return Reply(200, render(result, media.renderer), media.content_type, headers)
    except QueryError as exc:
        return error_reply(400, str(exc))
    except StoreError as exc:
        return error_reply(500, str(exc))
    except KgError as exc:
        return error_reply(500, str(exc))
    except Exception as exc:  # a bug: keep serving, say so, leave the trace in the log
        traceback.print_exc(file=sys.stderr)
        return error_reply(500, f"Internal error while running the {job.op}: {type(exc).__name__}: {exc}")


def _prepared(text: str) -> tuple[str, int]:
    """The text with the project prefixes it needs declared, and how many lines that added."""
    prepared = prepare_query(text)
    return prepared, prepared[: len(prepared) - len(text)].count("\n")


def _run(method, text: str, shift: int):  # type: ignore[no-untyped-def]
    """Call the store; line numbers in its error messages refer to the client's text, not the prepared one."""
    try:
        return method(text)
    except QueryError as exc:
        if not shift:
            raise
        message = _LINE.sub(lambda m: f"at line {max(1, int(m.group(1)) - shift)}", str(exc))
        raise QueryError(message) from None


def _capped(text: str, info: QueryInfo, max_results: int) -> str:
    if info.form == "SELECT" and info.limit is None and not info.trailing_values:
        return f"{text}\nLIMIT {max_results + 1}\n"
    return text


def _cut(result: QueryResult, max_results: int) -> tuple[QueryResult, bool]:
    if result.kind == "select" and len(result.rows) > max_results:
        return QueryResult("select", variables=result.variables, rows=result.rows[:max_results]), True
    if result.kind == "graph" and len(result.triples) > max_results:
        return QueryResult("graph", triples=result.triples[:max_results]), True
    return result, False


def worker_main(conn: Connection, config: WorkerConfig) -> None:
    """Body of a worker process: open the store, then answer jobs until told to stop.

    Protocol on ``conn``: the worker first sends ``("ready", pid)`` or
    ``("failed", message)``; then for each :class:`Job` received it sends one
    :class:`Reply`; None (or the pipe closing) ends it.

    Args:
        conn: the worker's end of the pipe to the server.
        config: store location, limits and policy.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))
    try:
        store = open_store(config.location, read_only=config.read_only, create=False)
    except KgError as exc:
        conn.send(("failed", str(exc)))
        return
    except Exception as exc:  # noqa: BLE001 - reported to the server as one line
        conn.send(("failed", f"Cannot open the store at {config.location}: {type(exc).__name__}: {exc}"))
        return
    try:
        inspect_query("ASK {}")  # import and warm the parser before saying ready
        conn.send(("ready", os.getpid()))
        while True:
            try:
                job = conn.recv()
            except (EOFError, OSError):
                break
            if job is None:
                break
            reply = run_job(store, job, config)
            try:
                conn.send(reply)
            except OSError:
                break
    finally:
        try:
            store.close()
        except KgError:
            pass


def main() -> None:
    """Entry point of a worker subprocess: ``python -c "from kg.serve.worker import main; main()" FD``.

    FD is the worker's end of a socket pair; the first message on it is the
    :class:`WorkerConfig`, then the protocol of :func:`worker_main` follows.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    conn = Connection(int(sys.argv[1]))
    try:
        config = conn.recv()
    except (EOFError, OSError):
        return
    worker_main(conn, config)


__all__ = ["main", "Job", "Reply", "WorkerConfig", "error_reply", "run_job", "worker_main"]
