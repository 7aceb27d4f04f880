"""The `kg` command line: a thin click layer over :mod:`kg.api`.

Each command parses its options, calls one public function, renders the
result and maps :class:`kg.errors.KgError` subclasses to exit codes (see
:mod:`kg.errors`), in :func:`main` only.
"""

from __future__ import annotations

import logging
import sys

import click

from ..errors import KgError
from .commands import cli
from . import traverse  # noqa: F401
from . import serve  # noqa: F401
from . import ontology  # noqa: F401


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``kg`` script: run the CLI, turning errors into one line and an exit code."""
    # libraries' own warnings (trafilatura's "discarding data") would drown the one-line messages
    logging.basicConfig(level=logging.ERROR, format="kg: %(name)s: %(message)s")
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        cli.main(args=argv, prog_name="kg", standalone_mode=False)
    except KgError as exc:
        click.echo(f"kg: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("kg: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("kg: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(0)


__all__ = ["cli", "main"]
