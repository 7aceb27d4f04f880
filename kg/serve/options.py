"""The settings of ``kg serve``, declared once: defaults here feed the CLI flags and the API."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ConfigError
from .pages import EXAMPLES

#: Address the endpoint listens on unless told otherwise (loopback only).
DEFAULT_HOST = "127.0.0.1"
#: Port of the endpoint (Oxigraph's own server uses the same).
DEFAULT_PORT = 7878


@dataclass(frozen=True)
class ServeOptions:
    """How the endpoint behaves.

    Attributes:
        timeout: seconds a query or update may run (parse and rendering
            included) before it is stopped and answered 503; also the longest
            wait for a free worker.
        max_results: most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) in an
            answer; a longer result is cut and flagged ``X-KG-Truncated: true``.
        allow_update: accept SPARQL Update (opens the store writable, one worker).
        token: the bearer token updates must carry (required with ``allow_update``).
        cors: the origin allowed to read answers from a browser (``*`` for
            any); None sends no CORS headers.
        workers: query worker processes; 0 picks the CPU count, at most 4.
        max_threads: requests handled at once (HTTP threads); more wait.
        max_body: largest POST body accepted, in bytes (413 above).
        request_timeout: seconds a client may take to send its request.
        allow_service: let queries use SERVICE (off: the server would call any URL).
        allow_remote_from: let queries use FROM/FROM NAMED and updates USING/LOAD.
        examples: (title, query) pairs on the landing page.
        log: write one access-log line per request to stderr.
    """

    timeout: float = 10.0
    max_results: int = 10_000
    allow_update: bool = False
    token: str | None = None
    cors: str | None = None
    workers: int = 0
    max_threads: int = 32
    max_body: int = 1_048_576
    request_timeout: float = 15.0
    allow_service: bool = False
    allow_remote_from: bool = False
    examples: tuple[tuple[str, str], ...] = EXAMPLES
    log: bool = False

    def __post_init__(self) -> None:
        """Check the values.

        Raises:
            ConfigError: a value out of range, or updates without a token.
        """
        if not self.timeout > 0:
            raise ConfigError(f"--timeout must be a positive number of seconds, got {self.timeout}.")
        if self.max_results < 1:
            raise ConfigError(f"--max-results must be at least 1, got {self.max_results}.")
        if self.workers < 0 or self.max_threads < 1 or self.max_body < 1 or not self.request_timeout > 0:
            raise ConfigError("workers, max_threads, max_body and request_timeout must be positive.")
        if self.allow_update and not (self.token and self.token.strip()):
            raise ConfigError("--allow-update needs --token TOKEN (or $KG_SERVE_TOKEN): updates must be "
                              "authorised with 'Authorization: Bearer TOKEN'.")
        if self.token is not None and any(c.isspace() for c in self.token):
            raise ConfigError("The update token cannot hold spaces or line breaks; choose another.")
        if self.cors is not None and (not self.cors.strip() or any(c in self.cors for c in "\r\n,")):
            raise ConfigError(f"--cors takes one origin such as https://example.org, or '*'; got {self.cors!r}.")


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "ServeOptions"]
