"""``kg serve``: the SPARQL endpoint command (a thin layer over :func:`kg.serve.serve`)."""

from __future__ import annotations

import click

from .commands import STORE_HELP, cli

# Defaults come from kg.serve.options.ServeOptions; repeated here only so that
# `kg --help` does not import the server. tests/test_serve.py checks they agree.
_DEFAULTS = {"host": "127.0.0.1", "port": 7878, "timeout": 10.0, "max_results": 10_000}


@cli.command("serve")
@click.option("--store", envvar="KG_STORE", default="build/store", show_default=True, help=STORE_HELP)
@click.option("--host", default=_DEFAULTS["host"], show_default=True,
              help="Address to listen on; anything but loopback exposes the graph to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=_DEFAULTS["port"], show_default=True,
              help="TCP port (0 picks a free one).")
@click.option("--allow-update", is_flag=True,
              help="Accept SPARQL Update (POST application/sparql-update) with the bearer token; opens the store writable.")
@click.option("--token", envvar="KG_SERVE_TOKEN", default=None,
              help="Bearer token that updates must carry. [env: KG_SERVE_TOKEN]")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=_DEFAULTS["timeout"],
              show_default=True, help="Seconds a query may run before it is stopped (503).")
@click.option("--max-results", type=click.IntRange(min=1), default=_DEFAULTS["max_results"], show_default=True,
              help="Most rows or triples returned; longer results are cut (header X-KG-Truncated: true).")
@click.option("--cors", "cors", default=None, metavar="ORIGIN",
              help="Let pages from ORIGIN (or '*') read the answers in a browser; no CORS headers without it.")
@click.option("--workers", type=click.IntRange(min=0), default=0, show_default=True,
              help="Query worker processes (0: the CPU count, at most 4; 1 with --allow-update).")
@click.option("--quiet", "-q", is_flag=True, help="Do not log each request to stderr.")
def serve_cmd(store: str, host: str, port: int, allow_update: bool, token: str | None, timeout: float,
              max_results: int, cors: str | None, workers: int, quiet: bool) -> None:
    """Serve the store as a SPARQL 1.1 endpoint at /sparql (read-only unless --allow-update), until Ctrl-C."""
    from ..serve import ServeOptions, is_loopback, serve

    if allow_update and not token:
        raise click.UsageError("--allow-update needs --token TOKEN (or $KG_SERVE_TOKEN).")
    ctx = click.get_current_context()
    if not is_loopback(host):
        if ctx.get_parameter_source("host") is not click.core.ParameterSource.COMMANDLINE:
            raise click.UsageError(f"Refusing to listen on {host} unless given with --host.")
        click.echo(f"kg serve: warning: listening on {host}: anyone who can reach this machine can query the graph"
                   + (" and, with the token, change it over plain HTTP" if allow_update else "") + ".", err=True)
    options = ServeOptions(timeout=timeout, max_results=max_results, allow_update=allow_update,
                           token=token if allow_update else None, cors=cors, workers=workers, log=not quiet)

    def ready(server) -> None:  # type: ignore[no-untyped-def]
        mode = "read-write (updates with the bearer token)" if allow_update else "read-only"
        click.echo(f"Serving {store} ({mode}) at {server.url}/ -- SPARQL endpoint {server.sparql_url}; "
                   "Ctrl-C to stop.", err=False)

    serve(store, host=host, port=port, options=options, ready=ready)
    click.echo("kg serve: stopped.", err=True)
