"""A small HTTP client for SPARQL endpoints: a deadline, bounded retries, clear errors.

Built on :mod:`urllib.request` (no extra dependency). A request is tried at
most :data:`TRIES` times, on connection errors, timeouts and 5xx answers,
waiting 0.25 s, 0.5 s, ... between tries; the whole call, retries included,
ends within ``timeout`` seconds. Retrying is safe for what the store sends:
queries, graph PUTs and DELETEs, and ``DROP``+``INSERT DATA`` updates are
idempotent.
"""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from ..errors import StoreError

#: Attempts per request (the first one included).
TRIES = 3
#: Wait before the second attempt, in seconds; doubled for each further one.
BACKOFF = 0.25
#: Default deadline of a request, retries included, in seconds.
DEFAULT_TIMEOUT = 30.0


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
        self._opener = urllib.request.build_opener()

    def request(self, method: str, url: str, *, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Response:
        """Send one request, retrying connection errors and 5xx answers.

        Args:
            method: ``GET``, ``POST``, ``PUT`` or ``DELETE``.
            url: the full URL.
            body: the request body.
            headers: request headers.

        Returns:
            The last response (4xx answers are returned, not raised; a 5xx is
            returned when the tries are used up).

        Raises:
            StoreError: no answer within the deadline or after the last try
                (the message names the URL).
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
            req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
            try:
                with self._opener.open(req, timeout=remaining) as resp:
                    response = _response(resp.status, resp.headers, resp.read())
            except urllib.error.HTTPError as exc:
                response = _response(exc.code, exc.headers, exc.read() if exc.fp is not None else b"")
            except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                last_error = " ".join(str(reason).split()) or type(exc).__name__
                response = None
            if response is not None:
                if response.status < 500 or attempt == self.tries:
                    return response
                last_error = f"HTTP {response.status}: {response.text(120)}"
            if attempt < self.tries:
                time.sleep(max(0.0, min(wait, deadline - time.monotonic())))
                wait *= 2
        elapsed = time.monotonic() - started
        raise StoreError(f"SPARQL endpoint {url} is not answering ({last_error}; {attempts} tries in {elapsed:.1f} s); "
                         "check that the server is running and the URL is right.")


def _response(status: int, headers: object, body: bytes) -> Response:
    raw = headers.get("Content-Type", "") if headers is not None else ""  # type: ignore[attr-defined]
    content_type = (raw or "").split(";", 1)[0].strip().lower()
    return Response(status=status, content_type=content_type, body=body,
                    headers=dict(headers.items()) if headers is not None else {})  # type: ignore[attr-defined]


__all__ = ["BACKOFF", "DEFAULT_TIMEOUT", "HttpClient", "Response", "TRIES"]
