"""One exception hierarchy for `kg`; the CLI maps each class to an exit code.

Exit codes (documented in the README):

====  =====================  ==================================================
code  exception              meaning
====  =====================  ==================================================
0     -                      success
1     KgError                any other `kg` error
2     (click usage error)    bad command-line usage
3     InputError             an input file or path cannot be read or parsed
4     StoreError             the store cannot be opened, read or written
5     QueryError             a SPARQL query is malformed or refused
6     ValidationError        SHACL validation found violations
7     ConfigError            a setting, rule or gazetteer file is invalid
====  =====================  ==================================================
"""

from __future__ import annotations


class KgError(Exception):
    """Base class of every error `kg` raises on purpose.

    The message is one line that names the object and says what to do.
    """

    exit_code: int = 1


class InputError(KgError):
    """An input document or data file is missing, unreadable or malformed."""

    exit_code = 3


class StoreError(KgError):
    """A store cannot be opened, read or written (or a remote one is down)."""

    exit_code = 4


class QueryError(KgError):
    """A SPARQL query is syntactically wrong or refused by policy."""

    exit_code = 5


class ValidationError(KgError):
    """SHACL validation of a graph found violations."""

    exit_code = 6


class ConfigError(KgError):
    """A setting, rule file or gazetteer entry is invalid."""

    exit_code = 7
