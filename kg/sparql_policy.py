"""What a SPARQL text may do before a store runs it: parse, inspect, refuse, bind.

A query from the network can make the engine reach out: ``SERVICE <url>``
sends a sub-query to any endpoint (Oxigraph does make that HTTP request),
``LOAD <url>`` reads a URL or a local ``file:`` into the store, and
``FROM``/``FROM NAMED``/``USING`` name graphs that rdflib's engine (the
``memory`` backend) downloads. An endpoint also has to keep updates apart
from queries. :func:`check_query` answers both, from a parse of the text:

* The text is parsed with **rdflib's SPARQL 1.1 parser**
  (:func:`rdflib.plugins.sparql.parser.parseQuery` / ``parseUpdate``), and the
  decision is read from the syntax tree, so a keyword inside a string, an IRI
  or a comment is never taken for the keyword. pyoxigraph is the engine, but
  its parser is not exposed on its own: the only way to parse with it is to
  run the query, which is exactly what must not happen before the check.
* Before parsing, every line break is made one the SPARQL grammar knows
  (``\\r`` ends a comment, as in Oxigraph; pyparsing's comment rule only stops
  at ``\\n``), so ``# x\\r SERVICE <...> {}`` cannot hide a SERVICE clause from
  the check that the engine would then run. A second, independent scan of the
  raw tokens (strings, IRIs and comments skipped by the grammar's own rules)
  refuses ``SERVICE``, ``FROM``, ``LOAD`` and ``USING`` too, so fooling one
  reader is not enough.
* The check accepts standard SPARQL 1.1 only: Oxigraph's extensions
  (``LATERAL``, RDF 1.2 triple terms) are refused as syntax errors.

Parsing costs rdflib 5-40 ms; checks that pass are memoised per process
(:data:`CACHE_SIZE` texts of at most :data:`CACHE_MAX_CHARS` characters).

:func:`bind_values` writes bindings into a query as a ``VALUES`` block, for
endpoints that cannot take them as parameters, and parses the result back.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Iterator

from rdflib.term import Node

from .errors import QueryError
from .store.sparql_text import inject_values

#: Number of texts whose parse is remembered (per process).
CACHE_SIZE = 512
#: Texts longer than this are parsed every time instead of remembered.
CACHE_MAX_CHARS = 16_384
#: Query forms :func:`check_query` returns, and ``UPDATE``.
FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK", "UPDATE")

_QUERY_NODES = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE",
                "AskQuery": "ASK"}
_UPDATE_NAMES = {"Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD",
                 "Move": "MOVE", "Copy": "COPY", "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA",
                 "DeleteWhere": "DELETE WHERE", "Modify": "DELETE/INSERT"}
_GRAMMAR_WORDS = [
    (re.compile(r"\{?SelectQuery \| ConstructQuery \| DescribeQuery \| AskQuery\}?"),
     "SELECT, CONSTRUCT, DESCRIBE or ASK"),
    (re.compile(r"\bSelectQuery\b"), "a valid SELECT query"),
    (re.compile(r"\bConstructQuery\b"), "a valid CONSTRUCT query"),
    (re.compile(r"\bDescribeQuery\b"), "a valid DESCRIBE query"),
    (re.compile(r"\bAskQuery\b"), "a valid ASK query"),
    (re.compile(r"\bend of text\b"), "the end of the text"),
]

# Raw tokens by the SPARQL 1.1 grammar (section 19.8): what is NOT a keyword.
_SCAN = re.compile(
    r"""
    (?P<skip>\s+
      | \#[^\r\n]*
      | '''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
      | \"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
      | '(?:[^'\\\r\n]|\\.)*'
      | "(?:[^"\\\r\n]|\\.)*"
      | <(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>
      | [?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+
      | @[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>[\w.\-%\\:]+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_WATCHED = {"SERVICE", "FROM", "LOAD", "USING"}


@dataclass(frozen=True)
class QueryInfo:
    """What a parsed SPARQL text does, as far as the policy is concerned.

    Attributes:
        form: ``SELECT``, ``CONSTRUCT``, ``DESCRIBE``, ``ASK`` or ``UPDATE``.
        services: the SERVICE targets (``<iri>`` or ``?var``), in text order.
        datasets: the IRIs of FROM, FROM NAMED, USING and USING NAMED clauses.
        loads: the IRIs LOAD reads.
        operations: update operations (``INSERT DATA``, ``LOAD``, ...); empty for a query.
        limit: the LIMIT of the outermost query, None when it has none.
        trailing_values: the outermost query ends with a VALUES clause.
        keywords: SERVICE/FROM/LOAD/USING keywords seen by the raw token scan.
    """

    form: str
    services: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    loads: tuple[str, ...] = ()
    operations: tuple[str, ...] = ()
    limit: int | None = None
    trailing_values: bool = False
    keywords: frozenset[str] = frozenset()


def check_query(sparql: str, *, allow_service: bool = False, allow_update: bool = False,
                allow_remote_from: bool = False) -> str:
    """Parse a SPARQL query or update and refuse what the policy forbids.

    Args:
        sparql: the query or update text (prefixes it uses need not be declared:
            prefixed names are resolved later, by the engine).
        allow_service: allow ``SERVICE`` clauses (the engine then calls other endpoints).
        allow_update: allow SPARQL Update requests (INSERT, DELETE, DROP, ...).
        allow_remote_from: allow ``FROM``, ``FROM NAMED``, ``USING``,
            ``USING NAMED`` and ``LOAD``, which can make an engine read a URL
            or a local file.

    Returns:
        The form: ``SELECT``, ``CONSTRUCT``, ``DESCRIBE``, ``ASK`` or ``UPDATE``.

    Raises:
        QueryError: a syntax error (one line, with line and column), an empty
            text, or a refused query or update (one line naming the clause).
    """
    info = inspect_query(sparql)
    enforce_policy(info, allow_service=allow_service, allow_update=allow_update,
                   allow_remote_from=allow_remote_from)
    return info.form


def inspect_query(sparql: str) -> QueryInfo:
    """Parse a SPARQL query or update and report what it does (no policy applied).

    Args:
        sparql: the query or update text.

    Returns:
        The :class:`QueryInfo`.

    Raises:
        QueryError: syntax error (one line with line and column) or empty text.
    """
    if not isinstance(sparql, str):
        raise QueryError("A SPARQL query must be text.")
    if len(sparql) <= CACHE_MAX_CHARS:
        return _inspect_cached(sparql)
    return _inspect(sparql)


def enforce_policy(info: QueryInfo, *, allow_service: bool = False, allow_update: bool = False,
                   allow_remote_from: bool = False) -> None:
    """Refuse a parsed text the policy forbids (see :func:`check_query` for the flags).

    Raises:
        QueryError: one line naming the refused clause and what to do instead.
    """
    what = "update" if info.form == "UPDATE" else "query"
    if info.form == "UPDATE" and not allow_update:
        ops = ", ".join(dict.fromkeys(info.operations)) or "update"
        raise QueryError(f"SPARQL update refused: updates ({ops}) are not allowed here; "
                         "send a SELECT, CONSTRUCT, DESCRIBE or ASK query.")
    if not allow_service and (info.services or "SERVICE" in info.keywords):
        target = f" {info.services[0]}" if info.services else ""
        raise QueryError(f"SPARQL {what} refused: SERVICE{target} would make this server call another "
                         "endpoint; SERVICE is disabled (kg query --allow-service enables it), or query that endpoint directly.")
    if not allow_remote_from:
        if info.loads or "LOAD" in info.keywords:
            target = f" <{info.loads[0]}>" if info.loads else ""
            raise QueryError(f"SPARQL update refused: LOAD{target} would make the server read a URL or file; "
                             "LOAD is disabled, add the data with `kg build` instead.")
        if info.datasets or {"FROM", "USING"} & info.keywords:
            clause = "FROM/USING" if not info.datasets else f"FROM/USING <{info.datasets[0]}>"
            raise QueryError(f"SPARQL {what} refused: {clause} is disabled here (it can make an engine read a "
                             "URL or file; kg query --allow-from enables it); to query one document's graph use GRAPH <iri> { ... }.")


def bind_values(sparql: str, bindings: dict[str, Node]) -> str:
    """Bind variables of a query by writing a ``VALUES`` block into its text.

    For endpoints that cannot take bindings as parameters. Each value is
    serialized from its RDF term with the escaping the SPARQL grammar needs
    (:func:`kg.store.sparql_text.term_to_sparql`, not rdflib's ``n3()``,
    which writes an unterminated long string for a value holding a newline
    and ending in a backslash and a quote), each name is checked to be a
    variable name, and the result is parsed back, so no value can change the
    structure of the query. The block goes first in the outermost WHERE group.

    Args:
        sparql: a SELECT, CONSTRUCT, DESCRIBE or ASK query.
        bindings: variable name (with or without ``?``) -> URIRef or Literal.

    Returns:
        The query text with one more VALUES block (the text unchanged when
        ``bindings`` is empty).

    Raises:
        QueryError: the text is not a query, a name is not a variable name, a
            value is a blank node or an invalid IRI, or the result does not parse.
    """
    if not bindings:
        return sparql
    text = inject_values(sparql, bindings)
    info = inspect_query(text)
    if info.form == "UPDATE":  # pragma: no cover - inject_values refuses updates first
        raise QueryError("Cannot bind variables of an update; bind them in a query.")
    return text


# -- parsing ------------------------------------------------------------------------


@functools.lru_cache(maxsize=CACHE_SIZE)
def _inspect_cached(sparql: str) -> QueryInfo:
    return _inspect(sparql)


def _inspect(sparql: str) -> QueryInfo:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    keywords = _scan_keywords(sparql)
    # \r ends a comment in SPARQL (and in Oxigraph) but not in rdflib's grammar;
    # both replacements keep every offset, so line and column stay right.
    text = sparql.replace("\r\n", " \n").replace("\r", "\n")
    if not text.strip():
        raise QueryError("Empty SPARQL query; send a SELECT, CONSTRUCT, DESCRIBE or ASK query.")
    try:
        try:
            parsed = parseQuery(text)
        except ParseBaseException as query_error:
            try:
                update = parseUpdate(text)
            except ParseBaseException:
                raise _syntax_error(text, query_error, _update_error(text)) from None
            return _update_info(update, keywords)
        return _query_info(parsed[1], keywords)
    except RecursionError:
        raise QueryError("SPARQL text too deeply nested to check; flatten the query.") from None
    except QueryError:
        raise
    except Exception as exc:  # an rdflib parse action refusing a term (bad IRI, date, ...)
        raise QueryError(f"SPARQL syntax error: {' '.join(str(exc).split())[:240]}") from None


def _update_error(text: str) -> Any:
    """Parse an update with a grammar that does not stop at the first request, for a deeper error position."""
    from pyparsing import ParseBaseException

    try:
        _strict_update().parse_string(text, parse_all=True)
    except ParseBaseException as exc:
        return exc
    return None


@functools.lru_cache(maxsize=1)
def _strict_update() -> Any:
    # rdflib's Update is Prologue (Update1 (';' Update)?)? : every error is reported at
    # offset 0 because the whole optional part backs off. Same language, no back-off.
    import pyparsing as pp
    from rdflib.plugins.sparql.parser import Prologue, Update1, UpdateUnit

    grammar = Prologue + Update1 + pp.ZeroOrMore(";" + Prologue + Update1) + pp.Optional(";" + Prologue)
    for comment in UpdateUnit.ignoreExprs:
        grammar.ignore(comment)
    return grammar


def _syntax_error(text: str, query_error: Any, update_error: Any) -> QueryError:
    what, exc = "query", query_error
    if update_error is not None and update_error.loc > query_error.loc:
        what, exc = "update", update_error
    message = str(exc.msg)
    for pattern, friendly in _GRAMMAR_WORDS:
        message = pattern.sub(friendly, message)
    found = text[exc.loc:exc.loc + 30].split("\n", 1)[0].strip()
    found = f"found {found!r}" if found else "found the end of the text"
    line, column = _line_column(text, exc.loc)
    return QueryError(f"SPARQL {what} syntax error at line {line}, column {column}: {message[:1].lower()}"
                      f"{message[1:]}, {found}.")


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _nodes(tree: Any) -> Iterator[Any]:
    """Every CompValue of a parse tree, depth first, without recursion."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            yield node
            stack.extend(reversed(list(dict.values(node))))
        elif isinstance(node, (ParseResults, list, tuple)):
            stack.extend(reversed(list(node)))


def _term(term: Any) -> str:
    from rdflib.term import Variable

    return f"?{term}" if isinstance(term, Variable) else f"<{term}>"


def _query_info(query: Any, keywords: frozenset[str]) -> QueryInfo:
    services: list[str] = []
    datasets: list[str] = []
    for node in _nodes(query):
        if node.name == "ServiceGraphPattern":
            services.append(_term(dict.get(node, "term")))
        elif node.name == "DatasetClause":
            datasets.append(str(dict.get(node, "default") or dict.get(node, "named")))
    limitoffset: Any = dict.get(query, "limitoffset")
    raw_limit: Any = dict.get(limitoffset, "limit") if limitoffset is not None else None
    limit = int(raw_limit) if raw_limit is not None else None
    return QueryInfo(form=_QUERY_NODES[query.name], services=tuple(services), datasets=tuple(datasets),
                     limit=limit, trailing_values=dict.get(query, "valuesClause") is not None,
                     keywords=keywords)


def _update_info(update: Any, keywords: frozenset[str]) -> QueryInfo:
    requests = list(dict.get(update, "request") or [])
    if not requests:
        raise QueryError("Empty SPARQL text (only prefixes or comments); send a query or an update.")
    operations = [_UPDATE_NAMES.get(r.name, r.name) for r in requests]
    services: list[str] = []
    datasets: list[str] = []
    loads: list[str] = []
    for node in _nodes(requests):
        if node.name == "ServiceGraphPattern":
            services.append(_term(dict.get(node, "term")))
        elif node.name == "UsingClause":
            datasets.append(str(dict.get(node, "default") or dict.get(node, "named")))
        elif node.name == "Load":
            loads.append(str(dict.get(node, "iri")))
    return QueryInfo(form="UPDATE", services=tuple(services), datasets=tuple(datasets), loads=tuple(loads),
                     operations=tuple(operations), keywords=keywords)


def _scan_keywords(sparql: str) -> frozenset[str]:
    """SERVICE/FROM/LOAD/USING written as keywords, by the grammar's token rules (no parse)."""
    found: set[str] = set()
    for m in _SCAN.finditer(sparql):
        if m.lastgroup == "word" and ":" not in m.group():  # a prefixed name or blank node label is no keyword
            found.update(part for part in m.group().upper().split(".") if part in _WATCHED)
    return frozenset(found)


__all__ = ["CACHE_SIZE", "FORMS", "QueryInfo", "bind_values", "check_query", "enforce_policy", "inspect_query"]
