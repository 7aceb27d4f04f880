"""Query results as the bytes of an HTTP response, one renderer per format.

JSON, CSV and TSV results, Turtle, N-Triples and JSON-LD graphs are written
by :func:`kg.query.format_result`, so the endpoint answers exactly what
``kg query --format ...`` prints. The SPARQL XML results format is written
here.

XML 1.0 cannot hold most control characters (U+0000-U+0008, U+000B, U+000C,
U+000E-U+001F, U+FFFE, U+FFFF): a value holding one is written with U+FFFD
in its place in XML results only; ask for JSON to get it exactly.

Source: SPARQL Query Results XML Format (Second Edition), W3C Recommendation
2013-03-21; XML 1.0 (Fifth Edition) section 2.2 (Char).
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..query import format_result
from ..store.base import QueryResult

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: renderer -> kg.query.format_result format, per result kind.
_SELECT_FORMATS = {"json": "json", "csv": "csv", "tsv": "tsv"}
_GRAPH_FORMATS = {"turtle": "table", "ntriples": "csv", "jsonld": "json"}


def render(result: QueryResult, renderer: str) -> bytes:
    """Write a query result in one format, UTF-8 encoded.

    Args:
        result: a SELECT, ASK or graph result.
        renderer: ``json``, ``xml``, ``csv`` or ``tsv`` for SELECT/ASK;
            ``turtle``, ``ntriples`` or ``jsonld`` for CONSTRUCT/DESCRIBE
            (see :mod:`kg.serve.negotiate`).

    Returns:
        The response body.

    Raises:
        ValueError: a renderer that does not fit the result kind.
    """
    if result.kind == "graph":
        fmt = _GRAPH_FORMATS.get(renderer)
    elif renderer == "xml":
        return _xml(result).encode("utf-8")
    else:
        fmt = _SELECT_FORMATS.get(renderer)
    if fmt is None:
        raise ValueError(f"renderer {renderer!r} cannot write a {result.kind} result")
    return format_result(result, fmt).encode("utf-8")  # type: ignore[arg-type]


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", value))


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{_text(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{_text(str(term))}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{_text(str(term))}</literal>"
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f"<literal datatype={quoteattr(_NOT_XML.sub('', str(term.datatype)))}>{_text(str(term))}</literal>"
        return f"<literal>{_text(str(term))}</literal>"
    return f"<literal>{_text(str(term))}</literal>"


def _xml(result: QueryResult) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n']
    if result.kind == "ask":
        out.append("<head/>\n<boolean>" + ("true" if result.boolean else "false") + "</boolean>\n</sparql>\n")
        return "".join(out)
    out.append("<head>")
    out.extend(f"<variable name={quoteattr(v)}/>" for v in result.variables)
    out.append("</head>\n<results>\n")
    names = [quoteattr(v) for v in result.variables]
    for row in result.rows:
        out.append("<result>")
        out.extend(f"<binding name={name}>{_xml_term(term)}</binding>"
                   for name, term in zip(names, row) if term is not None)
        out.append("</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out)


__all__ = ["render"]
