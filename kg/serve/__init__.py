"""``kg serve``: a SPARQL 1.1 Protocol endpoint over a store, safe to leave running.

Read-only by default, on loopback by default; every query is checked by
:mod:`kg.sparql_policy` (no SERVICE, FROM or LOAD; no updates unless enabled
with a token), runs in a worker process under a deadline, and is cut after
``max_results`` rows. In-process use (tests, notebooks)::

    import threading
    from kg.serve import ServeOptions, make_server

    server = make_server("build/store", host="127.0.0.1", port=0, options=ServeOptions(timeout=5))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.sparql_url)
    ...
    server.shutdown(); server.server_close()

Modules: :mod:`~kg.serve.server` (HTTP), :mod:`~kg.serve.pool` (worker
processes, deadlines), :mod:`~kg.serve.worker` (check, run, render one job),
:mod:`~kg.serve.negotiate` (Accept), :mod:`~kg.serve.formats` (result bodies),
:mod:`~kg.serve.pages` (landing page), :mod:`~kg.serve.options` (settings).
"""

from __future__ import annotations

from .options import DEFAULT_HOST, DEFAULT_PORT, ServeOptions
from .server import KgServer, is_loopback, make_server, serve

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "KgServer", "ServeOptions", "is_loopback", "make_server", "serve"]
