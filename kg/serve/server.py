"""The HTTP side of ``kg serve``: routes, the SPARQL 1.1 Protocol, limits and headers.

=========  ===========  =====================================================
path       methods      answer
=========  ===========  =====================================================
``/``      GET          landing page with example queries that run
``/sparql``  GET, POST  SPARQL 1.1 Protocol query (and update, if enabled)
``/view``  GET          the build's ``view.html`` (the store folder's sibling)
``/health``  GET        JSON: status, workers ready and busy
=========  ===========  =====================================================

Status codes of ``/sparql``: 200 result, 204 update done, 400 malformed or
refused (one-line message), 403 update not allowed, 406 no acceptable
format, 411/413/415 body missing, too large or of another type, 500 store
failure, 503 timed out or busy.

Threads: a :class:`~http.server.ThreadingHTTPServer` that handles at most
``max_threads`` requests at once (the accept loop waits for a free slot and
answers 503 if none frees within :data:`SLOT_WAIT` seconds), one request per
connection, each socket with a read deadline. SPARQL itself runs in the
worker processes of :class:`kg.serve.pool.WorkerPool`.

Browsers: a server on loopback only answers requests whose ``Host`` is a
loopback name (``localhost``, ``127.0.0.1``, ``[::1]``), so a web page cannot
reach it through DNS rebinding; CORS headers are sent only with ``cors``.

Source: SPARQL 1.1 Protocol (W3C Recommendation, 2013-03-21), sections 2.1
(query operation) and 2.2 (update operation).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

from ..errors import ConfigError, KgError
from .negotiate import GRAPH_TYPES, RESULT_TYPES, acceptable_at_all
from .options import DEFAULT_HOST, DEFAULT_PORT, ServeOptions
from .pages import landing_page
from .pool import PoolBusy, QueryTimeout, WorkerCrashed, WorkerPool, default_size
from .worker import Job, Reply, WorkerConfig, error_reply

#: Seconds the accept loop waits for a free request slot before answering 503.
SLOT_WAIT = 2.0
#: Protocol parameters that pick the dataset (refused: they name graphs to fetch).
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri")
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "localhost.localdomain"}
_BUSY_TEXT = b"Server busy: too many requests at once; retry in a moment.\n"
_BUSY = (b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 1\r\n"
         b"Connection: close\r\nContent-Length: " + str(len(_BUSY_TEXT)).encode() + b"\r\n\r\n" + _BUSY_TEXT)


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (so binding to it keeps the endpoint private).

    Args:
        host: a host name or an IPv4/IPv6 address, brackets allowed (``[::1]``).

    Returns:
        True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1);
        False for wildcard (``0.0.0.0``, ``::``), other addresses and names.
    """
    name = host.strip("[]").lower()
    if name in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class KgServer(ThreadingHTTPServer):
    """The endpoint: an HTTP server bound to an address, with its query workers.

    Make one with :func:`make_server`. ``serve_forever()`` answers requests
    until ``shutdown()`` is called from another thread; ``server_close()``
    (or leaving a ``with`` block) releases the socket and stops the workers.

    Attributes:
        options: the :class:`ServeOptions`.
        pool: the query workers.
        store_location: the store served.
        view_path: the ``view.html`` served at ``/view``, if any.
    """

    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], *, options: ServeOptions, pool: WorkerPool, store_location: str,
                 view_path: Path | None) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.options = options
        self.pool = pool
        self.store_location = store_location
        self.view_path = view_path
        self.loopback = is_loopback(address[0])
        self.started_at = time.monotonic()
        self._slots = threading.BoundedSemaphore(options.max_threads)
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        """Bind without the reverse DNS lookup of HTTPServer (slow for some addresses)."""
        import socketserver

        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    @property
    def url(self) -> str:
        """The base URL (``http://127.0.0.1:7878``)."""
        host, port = self.server_address[:2]
        host = str(host)
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    @property
    def sparql_url(self) -> str:
        """The SPARQL endpoint's URL."""
        return self.url + "/sparql"

    def process_request(self, request: Any, client_address: Any) -> None:
        """Start a thread for the request if a slot frees within :data:`SLOT_WAIT` s, else answer 503."""
        if not self._slots.acquire(timeout=SLOT_WAIT):
            try:
                request.sendall(_BUSY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Handle one request in its thread, then free its slot."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def execute(self, job: Job) -> Reply:
        """Run a job on a worker, turning deadlines and crashes into replies.

        Args:
            job: the query or update.

        Returns:
            The worker's reply; 503 when the job overran ``options.timeout``
            or no worker was free within it; 500 when the worker died.
        """
        timeout = self.options.timeout
        try:
            return self.pool.run(job, timeout=timeout, wait=timeout)
        except QueryTimeout:
            return error_reply(503, f"The {job.op} timed out after {timeout:g} s and was stopped; "
                                    "narrow it down (LIMIT, more specific patterns).")
        except PoolBusy as exc:
            return error_reply(503, f"Server busy: {exc}; retry in a moment.")
        except WorkerCrashed as exc:
            return error_reply(500, f"The {job.op} failed: {exc}; it may need more memory than the server has.")

    def server_close(self) -> None:
        """Release the socket and stop the query workers."""
        try:
            super().server_close()
        finally:
            self.pool.close()


class _Handler(BaseHTTPRequestHandler):
    server: KgServer
    protocol_version = "HTTP/1.0"
    server_version = "kg-serve"
    sys_version = ""

    # -- plumbing ------------------------------------------------------------------

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.options.request_timeout)  # a slow client cannot hold a thread

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.options.log:
            sys.stderr.write(f"{self.address_string()} - [{self.log_date_time_string()}] {format % args}\n")

    def _send(self, status: int, body: bytes, content_type: str, headers: tuple[tuple[str, str], ...] = ()) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in headers:
            self.send_header(name, value)
        cors = self.server.options.cors
        if cors is not None:
            self.send_header("Access-Control-Allow-Origin", cors)
            self.send_header("Access-Control-Expose-Headers", "X-KG-Truncated")
            if cors != "*":
                self.send_header("Vary", "Origin")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> None:
        reply = error_reply(status, message)
        self._send(status, reply.body, reply.content_type, headers)

    def _host_allowed(self) -> bool:
        if not self.server.loopback:
            return True
        host = self.headers.get("Host")
        if host is None:
            return True  # HTTP/1.0 clients may leave it out; browsers always send it
        name = host.strip()
        if name.startswith("["):
            name = name[1:].split("]", 1)[0]
        elif name.count(":") == 1:
            name = name.split(":", 1)[0]
        return is_loopback(name)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._dispatch("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._dispatch("HEAD")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def do_OPTIONS(self) -> None:  # noqa: N802
        headers = [("Allow", "GET, HEAD, POST, OPTIONS")]
        if self.server.options.cors is not None:
            headers += [("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                        ("Access-Control-Allow-Headers", "Accept, Authorization, Content-Type"),
                        ("Access-Control-Max-Age", "600")]
        self._send(204, b"", "", tuple(headers))

    def _dispatch(self, method: str) -> None:
        try:
            if not self._host_allowed():
                self._error(403, f"Host {self.headers.get('Host')!r} not allowed: this server only answers "
                                 "requests for localhost or 127.0.0.1.")
                return
            url = urlsplit(self.path)
            routes: dict[str, tuple[Callable[[str, str], None], tuple[str, ...]]] = {
                "/": (self._landing, ("GET", "HEAD")),
                "/sparql": (self._sparql, ("GET", "POST")),
                "/view": (self._view, ("GET", "HEAD")),
                "/health": (self._health, ("GET", "HEAD")),
            }
            route = routes.get(url.path.rstrip("/") or "/")
            if route is None:
                self._error(404, f"No page at {url.path}; the SPARQL endpoint is /sparql, examples are at /.")
                return
            handler, methods = route
            if method not in methods:
                self._error(405, f"{method} is not supported on {url.path}; use {' or '.join(methods)}.",
                            (("Allow", ", ".join(methods)),))
                return
            handler(method, url.query)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            self.close_connection = True
        except Exception as exc:  # a bug: answer 500, keep serving
            import traceback

            traceback.print_exc(file=sys.stderr)
            try:
                self._error(500, f"Internal server error: {type(exc).__name__}")
            except OSError:
                pass

    # -- pages ---------------------------------------------------------------------

    def _landing(self, method: str, query: str) -> None:
        page = landing_page(examples=self.server.options.examples, store_name=_short_name(self.server.store_location),
                            has_view=self.server.view_path is not None and self.server.view_path.is_file(),
                            read_only=not self.server.options.allow_update)
        self._send(200, page.encode("utf-8"), "text/html; charset=utf-8", (
            ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"),))

    def _view(self, method: str, query: str) -> None:
        path = self.server.view_path
        if path is None or not path.is_file():
            self._error(404, "No view.html next to this store; run `kg build` without --no-view.")
            return
        try:
            body = path.read_bytes()
        except OSError as exc:
            self._error(500, f"Cannot read {path.name}: {exc.strerror or exc}.")
            return
        self._send(200, body, "text/html; charset=utf-8")

    def _health(self, method: str, query: str) -> None:
        status = self.server.pool.status()
        body = {
            "status": "ok" if status["ready"] >= status["workers"] else ("degraded" if status["ready"] else "down"),
            **status,
            "read_only": not self.server.options.allow_update,
            "timeout_s": self.server.options.timeout,
            "max_results": self.server.options.max_results,
            "uptime_s": round(time.monotonic() - self.server.started_at, 1),
        }
        code = 200 if status["ready"] else 503
        self._send(code, json.dumps(body).encode("utf-8"), "application/json", (("Cache-Control", "no-store"),))

    # -- SPARQL protocol -------------------------------------------------------------

    def _sparql(self, method: str, query: str) -> None:
        params = _params(query)
        if params is None:
            self._error(400, "Malformed URL query string; URL-encode the SPARQL text (query=...).")
            return
        if method == "GET":
            if "update" in params:
                self._error(400, "Updates must be sent with POST (application/sparql-update or a form field update=).")
                return
            op, text = "query", _single(params, "query")
            if text is None:
                self._error(400, "Missing or repeated 'query' parameter; pass one: /sparql?query=SELECT...")
                return
        else:
            body = self._read_body()
            if body is None:
                return
            ctype = self.headers.get_content_type()
            try:
                decoded = body.decode("utf-8")
            except UnicodeDecodeError:
                self._error(400, "The request body is not UTF-8; send the SPARQL text as UTF-8.")
                return
            if ctype == "application/sparql-query":
                op, text = "query", decoded
            elif ctype == "application/sparql-update":
                op, text = "update", decoded
            elif ctype == "application/x-www-form-urlencoded":
                form = _params(decoded)
                if form is None:
                    self._error(400, "Malformed form body; URL-encode the fields (query=... or update=...).")
                    return
                for key, values in form.items():
                    params.setdefault(key, []).extend(values)
                has_query, has_update = "query" in form, "update" in form
                if has_query == has_update:
                    self._error(400, "Send exactly one form field: query=... or update=...")
                    return
                op = "query" if has_query else "update"
                text = _single(form, op)
                if text is None:
                    self._error(400, f"Repeated form field {op}=; send one.")
                    return
            else:
                self._error(415, f"Cannot take a {ctype} body; send application/sparql-query, "
                                 "application/sparql-update or application/x-www-form-urlencoded.")
                return
        refused = [p for p in DATASET_PARAMS if p in params]
        if refused and not self.server.options.allow_remote_from:
            self._error(400, f"The {refused[0]} parameter is refused here (it names graphs to fetch); to query one "
                             "document's graph use GRAPH <iri> { ... } in the query.")
            return
        if op == "update":
            denied = self._update_denied()
            if denied:
                self._error(403, denied)
                return
            accept = None
        else:
            accept = self.headers.get("Accept")
            if not acceptable_at_all(accept):
                offers = ", ".join(t.name for t in RESULT_TYPES + GRAPH_TYPES)
                self._error(406, f"No acceptable format in Accept: {accept!r}; accept one of {offers}.")
                return
        reply = self.server.execute(Job(op, text, accept))
        headers = reply.headers + ((("Vary", "Accept"), ("Cache-Control", "no-store")) if op == "query" else ())
        self._send(reply.status, reply.body, reply.content_type, headers)

    def _read_body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None:
            self._error(411, "POST needs a Content-Length header.")
            return None
        try:
            size = int(length)
            if size < 0:
                raise ValueError
        except ValueError:
            self._error(400, f"Bad Content-Length {length!r}.")
            return None
        if size > self.server.options.max_body:
            self._error(413, f"Request body of {size} bytes is over the limit of {self.server.options.max_body}; "
                             "send a shorter query.")
            return None
        body = self.rfile.read(size)
        if len(body) < size:
            self._error(400, "The request body ended before Content-Length bytes.")
            return None
        return body

    def _update_denied(self) -> str | None:
        options = self.server.options
        if not options.allow_update:
            return "Updates are disabled: this endpoint is read-only (start kg serve with --allow-update --token TOKEN)."
        scheme, _, credentials = (self.headers.get("Authorization") or "").partition(" ")
        token = options.token or ""
        if scheme.lower() != "bearer" or not hmac.compare_digest(credentials.strip().encode(), token.encode()):
            return "Update refused: send the server's token as 'Authorization: Bearer TOKEN'."
        return None


def _params(query: str) -> dict[str, list[str]] | None:
    try:
        return parse_qs(query, keep_blank_values=True, strict_parsing=False, errors="strict", max_num_fields=100)
    except (ValueError, UnicodeDecodeError):
        return None


def _single(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if not values or len(values) != 1:
        return None
    return values[0]


def _short_name(location: str) -> str:
    path = Path(location)
    if location.lower().startswith(("http://", "https://")):
        return location
    return path.parent.name + "/" + path.name if path.parent.name else path.name


def view_path_for(store_location: str) -> Path | None:
    """Return where ``kg build`` writes ``view.html`` for a store folder.

    Args:
        store_location: the store folder (or an http(s):// endpoint).

    Returns:
        ``view.html`` in the store folder's parent (it may not exist), or
        None for a remote store.
    """
    if store_location.lower().startswith(("http://", "https://")):
        return None
    return Path(store_location).expanduser().resolve().parent / "view.html"


def make_server(store_location: str | os.PathLike[str], *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                options: ServeOptions | None = None) -> KgServer:
    """Open a store and bind an endpoint to it (not serving yet: call ``serve_forever()``).

    Args:
        store_location: a store folder (embedded Oxigraph) or an http(s):// endpoint
            to put this policy in front of. ``memory`` is refused: each worker
            would see its own empty store.
        host: address to listen on; 127.0.0.1 keeps the endpoint on this machine.
        port: TCP port; 0 picks a free one (read it from ``server.url``).
        options: limits and switches; default :class:`ServeOptions()`.

    Returns:
        The bound :class:`KgServer`, its workers started and the store open
        (read-only unless ``options.allow_update``).

    Raises:
        ConfigError: ``memory`` as the store.
        StoreError: the store cannot be opened (missing: run ``kg build``; locked; not a store).
        KgError: the address cannot be bound (port in use, unknown host).
    """
    options = options or ServeOptions()
    location = os.fspath(store_location)
    if location == "memory":
        raise ConfigError("kg serve needs a store folder or an http(s):// endpoint, not 'memory' "
                          "(every worker process would see its own empty store); run `kg build` and pass its store.")
    config = WorkerConfig(location=location, read_only=not options.allow_update, max_results=options.max_results,
                          allow_service=options.allow_service, allow_remote_from=options.allow_remote_from)
    pool = WorkerPool(config, size=options.workers or default_size())
    try:
        server = KgServer((host, port), options=options, pool=pool, store_location=location,
                          view_path=view_path_for(location))
    except OSError as exc:
        raise KgError(f"Cannot listen on {host}:{port}: {exc.strerror or exc}; pass another --port "
                      "(0 picks a free one) or --host.") from None
    try:
        pool.start()
    except BaseException:
        server.server_close()
        raise
    return server


def serve(store_location: str | os.PathLike[str], *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          options: ServeOptions | None = None, ready: Callable[[KgServer], None] | None = None) -> None:
    """Serve a store until interrupted (Ctrl-C or SIGTERM), then stop the workers and return.

    Args:
        store_location: see :func:`make_server`.
        host: address to listen on.
        port: TCP port (0: a free one).
        options: limits and switches.
        ready: called with the server once it listens (the CLI prints the URL).

    Raises:
        ConfigError, StoreError, KgError: as :func:`make_server`.
    """
    server = make_server(store_location, host=host, port=port, options=options)
    previous = None
    if threading.current_thread() is threading.main_thread():
        import signal

        def _terminate(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        if ready is not None:
            ready(server)
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if previous is not None:
            import signal

            signal.signal(signal.SIGTERM, previous)


__all__ = ["DATASET_PARAMS", "KgServer", "is_loopback", "make_server", "serve", "view_path_for"]
