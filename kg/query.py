"""SPARQL queries: reading saved queries, predeclaring prefixes, formatting results.

Formats of :func:`format_result`:

======  =================================  ==========================================
format  SELECT / ASK                       CONSTRUCT / DESCRIBE
======  =================================  ==========================================
table   rich table, IRIs as ``kg:Thing``   Turtle with the project prefixes
csv     SPARQL 1.1 CSV results             N-Triples
tsv     SPARQL 1.1 TSV results             N-Triples
json    SPARQL 1.1 JSON results            JSON-LD compacted with the project prefixes
======  =================================  ==========================================

The SPARQL 1.1 CSV/TSV formats have no form for an ASK answer; ``true`` or
``false`` is written on its own line.

Source: SPARQL 1.1 Query Results CSV and TSV Formats (W3C Recommendation,
2013-03-21); SPARQL 1.1 Query Results JSON Format (W3C Recommendation, 2013-03-21).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any, Literal as TypingLiteral

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .errors import InputError
from .errors import QueryError
from .namespaces import PREFIXES, sparql_prefixes
from .store.base import QueryResult
from .store.sparql_text import prefix_names

ResultFormat = TypingLiteral["table", "csv", "json", "tsv"]
FORMATS: tuple[str, ...] = ("table", "csv", "json", "tsv")
#: File name endings taken as a saved query by :func:`read_query`.
QUERY_SUFFIXES = (".rq", ".sparql")

_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = _XSD + "string"
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_ECHAR_RE = re.compile(r'[\\"\n\r\t\b\f]')
# Turtle's abbreviated numeric and boolean forms, keyed by datatype.
_SHORT = {
    _XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    _XSD + "double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+"),
    _XSD + "boolean": re.compile(r"true|false"),
}
# Longest namespace first, so kgid: wins over a shorter prefix of the same IRI.
_NAMESPACES = sorted(((iri, p) for p, iri in PREFIXES.items()), key=lambda x: -len(x[0]))
_DISPLAY_LOCAL = re.compile(r"[^\s<>\"{}|^`\\#]*")


def read_query(text_or_path: str) -> str:
    """Return query text from a saved-query file or from the text itself.

    Args:
        text_or_path: a path to a ``.rq``/``.sparql`` file (or to any existing
            file), or the query text.

    Returns:
        The query text.

    Raises:
        InputError: a ``.rq`` path that does not exist or cannot be read, or an
            empty query.
    """
    candidate = text_or_path.strip()
    if not candidate:
        raise InputError("Empty SPARQL query; pass the query text or a .rq file.")
    looks_like_path = "\n" not in candidate and "{" not in candidate
    if looks_like_path:
        path = Path(candidate).expanduser()
        if path.suffix.lower() in QUERY_SUFFIXES or path.is_file():
            try:
                text = path.read_text(encoding="utf-8-sig")
            except FileNotFoundError:
                raise InputError(f"Query file {candidate} not found; check the path (or pass the query text).") from None
            except UnicodeDecodeError:
                raise InputError(f"Cannot decode {candidate}: not UTF-8; save the query as UTF-8.") from None
            except OSError as exc:
                raise InputError(f"Cannot read query file {candidate}: {exc.strerror or exc}.") from None
            if not text.strip():
                raise InputError(f"Query file {candidate} is empty; write a SPARQL query in it.")
            return text
    return text_or_path


def prepare_query(sparql: str) -> str:
    """Add ``PREFIX`` declarations for the project prefixes a query uses without declaring.

    Args:
        sparql: a query or update.

    Returns:
        The text, preceded by the declarations it needs from
        :data:`kg.namespaces.PREFIXES` (in that table's order); unchanged when
        it needs none. A prefix the query declares itself is left alone.
    """
    used, declared = prefix_names(sparql)
    unknown = sorted(p for p in used if p not in declared and p not in PREFIXES)
    if unknown:
        raise QueryError(f"Unknown prefix '{unknown[0]}:' in the query; declare it (PREFIX {unknown[0]}: <...>) "
                         f"or use one of {', '.join(p + ':' for p in PREFIXES)}")
    missing = [p for p in PREFIXES if p in used and p not in declared]
    if not missing:
        return sparql
    wanted = {f"PREFIX {p}:" for p in missing}
    # on the query's first line, so that a syntax error's line number is the user's line number
    block = " ".join(line for line in sparql_prefixes().splitlines()
                     if line.split(" <", 1)[0] in wanted)
    return block + " " + sparql


def format_result(result: QueryResult, fmt: ResultFormat = "table") -> str:
    """Render a query result as text.

    Args:
        result: the result of :meth:`kg.store.base.Store.query`.
        fmt: ``table``, ``csv``, ``tsv`` or ``json`` (see the module doc for
            what each gives for graph results).

    Returns:
        The rendered text (CSV lines end in CRLF, as the standard says).

    Raises:
        ValueError: unknown format or result kind.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown result format {fmt!r}; use one of {', '.join(FORMATS)}")
    if result.kind == "select":
        return _SELECT[fmt](result)
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.boolean)})
        return ("true" if result.boolean else "false") + ("\r\n" if fmt == "csv" else "\n")
    if result.kind == "graph":
        return _graph(result, fmt)
    raise ValueError(f"unknown result kind {result.kind!r}")


# -- terms ----------------------------------------------------------------------------


def compact_iri(iri: str) -> str:
    """Return ``prefix:local`` for an IRI under a project namespace, else ``<iri>`` (for display).

    The local part may hold ``/`` (``kgid:event/asean-summit``), which reads well
    but is not valid Turtle; IRIs with a ``#`` after the namespace stay whole.
    """
    for namespace, prefix in _NAMESPACES:
        if iri.startswith(namespace):
            local = iri[len(namespace):]
            if _DISPLAY_LOCAL.fullmatch(local):
                return f"{prefix}:{local}"
    return f"<{iri}>"


def _quoted(text: str) -> str:
    return '"' + _ECHAR_RE.sub(lambda m: _ECHAR[m.group()], text) + '"'


def turtle_term(term: Node | None) -> str:
    """Write a term in Turtle syntax (as the TSV results format requires).

    Args:
        term: an rdflib term, or None (unbound: empty string).

    Returns:
        ``<iri>``, ``_:id``, ``"text"@lang``, ``"lex"^^<datatype>``, or the bare
        Turtle form of a canonical integer, decimal, double or boolean.
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        if term.language:
            return f"{_quoted(term)}@{term.language}"
        datatype = term.datatype
        if datatype is None or str(datatype) == _XSD_STRING:
            return _quoted(term)
        short = _SHORT.get(str(datatype))
        if short is not None and short.fullmatch(term):
            return str(term)
        return f"{_quoted(term)}^^<{datatype}>"
    return str(term)


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and str(term.datatype) != _XSD_STRING:
            out["datatype"] = str(term.datatype)
        return out
    return {"type": "literal", "value": str(term)}


def _cell(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact_iri(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal) and term.language:
        return f"{term}@{term.language}"
    return str(term)


# -- SELECT ---------------------------------------------------------------------------


def _select_table(result: QueryResult) -> str:
    from rich.console import Console
    from rich.table import Table

    n = len(result.rows)
    table = Table(*result.variables)
    for row in result.rows:
        table.add_row(*(_cell(t) for t in row))
    buffer = io.StringIO()
    width = max(80, shutil.get_terminal_size((120, 24)).columns)
    Console(file=buffer, width=width, color_system=None, force_terminal=False, soft_wrap=False,
            highlight=False, emoji=False, markup=False).print(table)
    lines = [line.rstrip() for line in buffer.getvalue().rstrip("\n").splitlines()]
    lines.append(f"{n} row{'s' if n != 1 else ''}")
    return "\n".join(lines)


def _csv_value(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _select_csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_value(t) for t in row])
    return buffer.getvalue()


def _select_tsv(result: QueryResult) -> str:
    lines = ["\t".join("?" + v for v in result.variables)]
    lines.extend("\t".join(turtle_term(t) for t in row) for row in result.rows)
    return "\n".join(lines) + "\n"


def _select_json(result: QueryResult) -> str:
    variables = result.variables
    bindings: list[dict[str, Any]] = [
        {v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in result.rows
    ]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False)


_SELECT = {"table": _select_table, "csv": _select_csv, "tsv": _select_tsv, "json": _select_json}


# -- CONSTRUCT / DESCRIBE --------------------------------------------------------------


def _graph(result: QueryResult, fmt: str) -> str:
    if fmt in ("csv", "tsv"):
        return "".join(f"{turtle_term(s)} {turtle_term(p)} {_ntriples_object(o)} .\n" for s, p, o in result.triples)
    graph = result.graph
    assert graph is not None
    if fmt == "json":
        return graph.serialize(format="json-ld", context=dict(PREFIXES), indent=2)
    return graph.serialize(format="turtle")


def _ntriples_object(term: Node) -> str:
    if isinstance(term, Literal) and not term.language and term.datatype is not None \
            and str(term.datatype) != _XSD_STRING:
        return f"{_quoted(term)}^^<{term.datatype}>"
    return turtle_term(term)


__all__ = [
    "FORMATS",
    "QUERY_SUFFIXES",
    "ResultFormat",
    "compact_iri",
    "format_result",
    "prepare_query",
    "read_query",
    "turtle_term",
]
