"""A small HTTP client for SPARQL endpoints: a deadline, bounded retries, clear errors.

Built on :mod:`urllib.request` (no extra dependency). A request is tried at
most :data:`TRIES` times, on connection errors, timeouts and 5xx answers,
waiting 0.25 s, 0.5 s, ... between tries; the whole call, retries included,
ends within ``timeout`` seconds. Retrying is safe for what the store sends:
queries, graph PUTs and DELETEs, and ``DROP``+``INSERT DATA`` updates are
idempotent.

The deadline bounds the whole call, not each socket operation: a socket
timeout alone lets a server that sends one byte a second keep a call going
for as long as it likes. Each attempt's connection is therefore watched by a
timer that shuts its socket down when the deadline passes, and the body is
read in chunks with the deadline checked between them. An answer cut short by
the deadline is never returned as if it were complete.
"""

from __future__ import annotations

import functools
import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import StoreError

#: Attempts per request (the first one included).
TRIES = 3
#: Wait before the second attempt, in seconds; doubled for each further one.
BACKOFF = 0.25
#: Default deadline of a request, retries included, in seconds.
DEFAULT_TIMEOUT = 30.0
#: Largest piece of a body read at once, in bytes.
CHUNK_BYTES = 1 << 16


@dataclass
class Response:
    """An HTTP answer (any status).

    Attributes:
        status: the HTTP status code.
        content_type: the media type without parameters, lower-case (``""`` if none).
        body: the raw body.
    """

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def text(self, limit: int = 300) -> str:
        """Return the body as one line of at most ``limit`` characters (for error messages)."""
        text = " ".join(self.body.decode("utf-8", "replace").split())
        return text if len(text) <= limit else text[: limit - 3] + "..."


class _Expired(Exception):
    """The call's deadline passed while an answer was being read."""


class _Watchdog:
    """Shuts a request's socket down when the deadline passes, ending any read or write on it at once.

    Args:
        deadline: :func:`time.monotonic` time at which the socket is shut down.
    """

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down at the deadline (at once if it has passed)."""
        with self._lock:
            self._sockets.append(sock)
            if self.fired:
                _shutdown(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                _shutdown(sock)

    def cancel(self) -> None:
        """Stop the timer (the request is over)."""
        self._timer.cancel()

    def check(self) -> None:
        """Raise :class:`_Expired` when the deadline has passed."""
        if self.fired or time.monotonic() >= self.deadline:
            raise _Expired()


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


class _Watched:
    """Mixin for an HTTP(S) connection whose socket the watchdog shuts at the deadline."""

    sock: socket.socket

    def __init__(self, *args: Any, watchdog: _Watchdog, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self._watchdog = watchdog

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self._watchdog.watch(self.sock)


class _WatchedHTTPConnection(_Watched, http.client.HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, http.client.HTTPSConnection):
    pass


class _WatchedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watchdog: _Watchdog) -> None:
        super().__init__()
        self._watchdog = watchdog

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_WatchedHTTPConnection, watchdog=self._watchdog), req)  # type: ignore[arg-type]


class _WatchedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watchdog: _Watchdog) -> None:
        super().__init__()
        self._watchdog = watchdog

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_WatchedHTTPSConnection, watchdog=self._watchdog),  # type: ignore[arg-type]
                            req, context=self._context)  # type: ignore[attr-defined]


def _read_all(read1: Callable[[int], bytes], watchdog: _Watchdog, length: int | None) -> bytes:
    """Read a body to its end in chunks, checking the deadline between them.

    Raises:
        _Expired: the deadline passed before the body was complete.
    """
    parts: list[bytes] = []
    size = 0
    while True:
        watchdog.check()
        try:
            chunk = read1(CHUNK_BYTES)
        except (OSError, http.client.HTTPException):
            watchdog.check()  # a read ended by the watchdog is a timeout, not a broken answer
            raise
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    watchdog.check()  # the watchdog may have cut the body short: its end is not the answer's end
    if length is not None and size < length:
        raise http.client.IncompleteRead(b"".join(parts), length - size)
    return b"".join(parts)


class HttpClient:
    """Sends requests with a deadline and bounded retries.

    Args:
        timeout: deadline of one call, retries included, in seconds.
        tries: attempts per call.
        backoff: first wait between attempts, in seconds (doubled each time).
    """

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT, tries: int = TRIES, backoff: float = BACKOFF) -> None:
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout}")
        self.timeout = timeout
        self.tries = max(1, tries)
        self.backoff = backoff

    def request(self, method: str, url: str, *, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Response:
        """Send one request, retrying connection errors and 5xx answers, all within the deadline.

        The deadline (``timeout``) bounds the whole call: connecting, sending,
        waiting, reading the answer to its end, and the retries.

        Args:
            method: ``GET``, ``POST``, ``PUT`` or ``DELETE``.
            url: the full URL.
            body: the request body.
            headers: request headers.

        Returns:
            The last response, its body complete (4xx answers are returned,
            not raised; a 5xx is returned when the tries are used up).

        Raises:
            StoreError: no complete answer within the deadline, or none after
                the last try (one line naming the URL and the deadline).
        """
        started = time.monotonic()
        deadline = started + self.timeout
        wait = self.backoff
        last_error = "no answer"
        attempts = 0
        for attempt in range(1, self.tries + 1):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            attempts = attempt
            response = None
            watchdog = _Watchdog(deadline)
            try:
                response = self._attempt(watchdog, method, url, body, headers, remaining)
            except _Expired:
                last_error = f"no complete answer within the {_seconds(self.timeout)} s deadline"
            except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
                if watchdog.fired:
                    last_error = f"no complete answer within the {_seconds(self.timeout)} s deadline"
                else:
                    reason = getattr(exc, "reason", exc)
                    last_error = " ".join(str(reason).split()) or type(exc).__name__
            finally:
                watchdog.cancel()
            if response is not None:
                if response.status < 500 or attempt == self.tries:
                    return response
                last_error = f"HTTP {response.status}: {response.text(120)}"
            if attempt < self.tries:
                time.sleep(max(0.0, min(wait, deadline - time.monotonic())))
                wait *= 2
        elapsed = time.monotonic() - started
        tries = f"{attempts} {'try' if attempts == 1 else 'tries'}"
        raise StoreError(f"SPARQL endpoint {url} is not answering ({last_error}; {tries} in {elapsed:.1f} s, "
                         f"timeout {_seconds(self.timeout)} s); check that the server is running and the URL "
                         "is right, or raise the timeout ($KG_STORE_TIMEOUT).")

    @staticmethod
    def _attempt(watchdog: _Watchdog, method: str, url: str, body: bytes | None,
                 headers: dict[str, str] | None, remaining: float) -> Response:
        opener = urllib.request.build_opener(_WatchedHTTPHandler(watchdog), _WatchedHTTPSHandler(watchdog))
        req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with opener.open(req, timeout=remaining) as resp:
                return _response(resp.status, resp.headers, _read_all(resp.read1, watchdog, resp.length))
        except urllib.error.HTTPError as exc:  # a 4xx or 5xx answer: its body is the server's message
            try:
                fp = exc.fp
                data = _read_all(getattr(fp, "read1", None) or fp.read, watchdog, None) if fp is not None else b""
            finally:
                exc.close()
            return _response(exc.code, exc.headers, data)


def _seconds(value: float) -> str:
    return f"{value:g}"


def _response(status: int, headers: object, body: bytes) -> Response:
    raw = headers.get("Content-Type", "") if headers is not None else ""  # type: ignore[attr-defined]
    content_type = (raw or "").split(";", 1)[0].strip().lower()
    return Response(status=status, content_type=content_type, body=body,
                    headers=dict(headers.items()) if headers is not None else {})  # type: ignore[attr-defined]


__all__ = ["BACKOFF", "CHUNK_BYTES", "DEFAULT_TIMEOUT", "HttpClient", "Response", "TRIES"]
