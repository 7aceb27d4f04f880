"""Conversion between pyoxigraph terms and rdflib terms, fast enough for bulk results.

Query results leave Oxigraph as text, not as Python objects: Oxigraph writes
SELECT solutions as SPARQL TSV and CONSTRUCT triples as canonical N-Triples
(in Rust), and each cell is turned into an rdflib term here. That costs less
than creating a pyoxigraph object per term and reading its attributes.

rdflib's constructors validate and convert every value (``URIRef`` checks the
IRI, ``Literal`` parses the lexical form into a Python value and checks it is
well formed). Terms coming out of Oxigraph were validated when they went in,
so IRIs, blank nodes, plain and language-tagged strings, and canonical
integers, decimals, booleans and dates are built directly, with exactly the
attributes rdflib would give them. Other datatypes go through the rdflib
constructor, memoised per result (dates and doubles repeat), never across
results.

Bulk conversion pauses the cyclic garbage collector while it allocates: a
million new objects otherwise trigger collections that scan the growing
result list and cost more than the conversion itself. Nothing created here
is cyclic.
"""

from __future__ import annotations

import datetime as dt
import gc
import operator
import re
from contextlib import contextmanager
from itertools import repeat
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Iterable, Iterator, Sequence

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = _XSD + "string"
_snew = str.__new__
_NamedNode = ox.NamedNode
_OxLiteral = ox.Literal
_BlankNode = ox.BlankNode
_INTEGER = URIRef(_XSD + "integer")
_DECIMAL = URIRef(_XSD + "decimal")
_BOOLEAN = URIRef(_XSD + "boolean")
_DATE = URIRef(_XSD + "date")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_UNESCAPE_RE = re.compile(r'\\(?:([tbnrf"\'\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))')
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _integer(lexical: str) -> int:
    value = int(lexical)
    if str(value) != lexical:  # rdflib would normalise "+5" or "007"
        raise ValueError(lexical)
    return value


def _decimal(lexical: str) -> Decimal:
    if not (lexical.isascii() and lexical.lstrip("-").replace(".", "", 1).isdigit()):
        raise ValueError(lexical)
    return Decimal(lexical)


def _boolean(lexical: str) -> bool:
    if lexical == "true":
        return True
    if lexical == "false":
        return False
    raise ValueError(lexical)


def _date(lexical: str) -> dt.date:
    if not _DATE_RE.fullmatch(lexical):
        raise ValueError(lexical)
    return dt.date.fromisoformat(lexical)


#: Datatypes built without the rdflib constructor: IRI -> (datatype URIRef, lexical -> value).
_FAST_TYPED: dict[str, tuple[URIRef, Callable[[str], Any]]] = {
    _XSD + "integer": (_INTEGER, _integer),
    _XSD + "decimal": (_DECIMAL, _decimal),
    _XSD + "boolean": (_BOOLEAN, _boolean),
    _XSD + "date": (_DATE, _date),
}


def _plain(lexical: str, language: str | None = None) -> Literal:
    lit = _snew(Literal, lexical)
    lit._language = language
    lit._datatype = None
    lit._value = lexical
    lit._ill_typed = None
    return lit


def _typed(lexical: str, datatype: str) -> Literal:
    """Build the Literal rdflib would build for ``"lexical"^^<datatype>``."""
    if datatype == _XSD_STRING:
        return _plain(lexical)
    fast = _FAST_TYPED.get(datatype)
    if fast is not None:
        try:
            value = fast[1](lexical)
        except (ValueError, InvalidOperation):
            pass  # not canonical or ill-typed: let rdflib decide
        else:
            lit = _snew(Literal, lexical)
            lit._language = None
            lit._datatype = fast[0]
            lit._value = value
            lit._ill_typed = False
            return lit
    return Literal(lexical, datatype=_snew(URIRef, datatype))


def to_rdflib(term: Any) -> Node | None:
    """Convert a pyoxigraph term to the equal rdflib term.

    Args:
        term: a pyoxigraph NamedNode, BlankNode, Literal, DefaultGraph or Triple, or None.

    Returns:
        URIRef, BNode or Literal (an ``xsd:string`` literal becomes a plain
        ``Literal`` without datatype, as rdflib writes it); None for None and
        for the default graph. An RDF-star quoted triple, which rdflib cannot
        hold, becomes a Literal of its N-Triples text.
    """
    cls = term.__class__
    if cls is _NamedNode:
        return _snew(URIRef, term.value)
    if cls is _OxLiteral:
        language = term.language
        if language is not None:
            return _plain(term.value, language)
        return _typed(term.value, term.datatype.value)
    if term is None:
        return None
    if cls is _BlankNode:
        return _snew(BNode, term.value)
    if cls is ox.DefaultGraph:
        return None
    return Literal(str(term))


def _unescape(text: str) -> str:
    return _UNESCAPE_RE.sub(lambda m: _ECHARS[m[1]] if m[1] else chr(int(m[2] or m[3], 16)), text)


def _convert_token(_owner: object, token: str) -> Node | None:
    """Convert one TSV / N-Triples token (``<iri>``, ``_:b``, ``"lex"@lang``, ``"lex"^^<dt>``, ``12``).

    ``_owner`` is ignored: it lets this function serve as ``__missing__`` and
    be mapped over two iterables without a wrapper.
    """
    first = token[:1]
    if first == '"':
        end = token.rindex('"')
        lexical = token[1:end]
        if "\\" in lexical:
            lexical = _unescape(lexical)
        if end == len(token) - 1:
            lit = _snew(Literal, lexical)
            lit._language = None
            lit._datatype = None
            lit._value = lexical
            lit._ill_typed = None
            return lit
        if token[end + 1] == "@":
            return _plain(lexical, token[end + 2:])
        return _typed(lexical, token[end + 4:-1])  # after ^^<
    if first == "<":
        return _snew(URIRef, token[1:-1])
    if first == "":
        return None
    if first == "_":
        return _snew(BNode, token[2:])
    # A Turtle short form: integer, decimal, double or boolean.
    if token == "true" or token == "false":
        return _typed(token, _XSD + "boolean")
    if "e" in token or "E" in token:
        return _typed(token, _XSD + "double")
    if "." in token:
        return _typed(token, _XSD + "decimal")
    return _typed(token, _XSD + "integer")


class _Memo(dict):  # type: ignore[type-arg]
    """Token -> rdflib term for one result; a token seen before is found in C.

    The memo lives as long as one conversion and holds nothing the result
    does not (besides the token strings).
    """

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__()
        self[""] = None

    def __missing__(self, token: str) -> Node | None:
        term = self[token] = _convert_token(self, token)
        return term


#: Leading tokens of a column that decide how it is converted.
_PROBE = 4096
#: Share of distinct tokens among them above which a column is not memoised.
_DISTINCT = 0.95
_strip = operator.itemgetter(slice(1, -1))
_is_iri = operator.methodcaller("startswith", "<")
_is_quoted_triple = operator.methodcaller("startswith", "<<")


def _convert_column(column: Sequence[str], memo: _Memo) -> list[Node | None]:
    """Convert one column of tokens.

    Columns go through the shared memo, unless their first :data:`_PROBE`
    tokens are (almost) all distinct: then a column of IRIs is converted
    without a Python call per token, and any other column token by token.
    (A contiguous probe, not a spread sample: a spread sample of a large
    result hardly ever sees a value twice.)
    """
    n = len(column)
    probe = column[:_PROBE]
    if len(set(probe)) <= _DISTINCT * len(probe):
        return list(map(memo.__getitem__, column))
    if all(map(_is_iri, column)) and not any(map(_is_quoted_triple, column)):
        return list(map(_snew, repeat(URIRef, n), map(_strip, column)))
    return list(map(_convert_token, repeat(None, n), column))


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many objects are built (store results, the
    traversal projection): collections triggered by hundreds of thousands of new objects rescan
    everything built so far (measured: half the Python time on a 1 M-quad store). Nothing built
    under it may be cyclic."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def rows_from_tsv(data: bytes) -> list[tuple[Node | None, ...]]:
    """Convert SELECT results in SPARQL TSV (as Oxigraph writes them) to rows of rdflib terms.

    The cells are converted column by column (see :func:`_convert_column`)
    and zipped back into rows.

    Args:
        data: the TSV document, header line included; at least one variable,
            no RDF-star quoted triple.

    Returns:
        One tuple per solution, unbound variables as None.
    """
    lines = data.decode("utf-8").split("\n")
    del lines[0], lines[-1]  # the header, and the empty string after the last newline
    if not lines:
        return []
    memo = _Memo()
    with gc_paused():
        if "\t" not in lines[0]:  # one variable
            return list(zip(_convert_column(lines, memo)))
        columns = list(zip(*map(str.split, lines, repeat("\t", len(lines)))))
        del lines
        return list(zip(*[_convert_column(column, memo) for column in columns]))


def convert_rows(solutions: Any) -> list[tuple[Node | None, ...]]:
    """Convert pyoxigraph query solutions to tuples of rdflib terms.

    Args:
        solutions: a pyoxigraph ``QuerySolutions`` (consumed).

    Returns:
        One tuple per solution, aligned with ``solutions.variables``;
        unbound variables as None.
    """
    if solutions.variables:
        data = solutions.serialize(format=ox.QueryResultsFormat.TSV)
        if b"\t<<" not in data and b"\n<<" not in data:
            return rows_from_tsv(data)
        parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV)
        solutions = parsed
    conv = to_rdflib
    with gc_paused():
        return [tuple(map(conv, solution)) for solution in solutions]


def triples_from_ntriples(data: bytes) -> list[tuple[Node, Node, Node]]:
    """Convert canonical N-Triples (one triple a line, no RDF-star) to rdflib triples, column by column."""
    lines = data.decode("utf-8").split("\n")
    if lines and not lines[-1]:
        del lines[-1]
    if not lines:
        return []
    memo = _Memo()
    with gc_paused():
        # "<s> <p> object ." -> s, p, object (subjects and predicates hold no space)
        columns = list(zip(*[line[:-2].split(" ", 2) for line in lines]))
        del lines
        return list(zip(*[_convert_column(column, memo) for column in columns]))


def convert_triples(triples: Any) -> list[tuple[Node, Node, Node]]:
    """Convert pyoxigraph triples (a ``QueryTriples`` or any iterable of Triples) to rdflib triples."""
    if isinstance(triples, ox.QueryTriples):
        data = triples.serialize(format=ox.RdfFormat.N_TRIPLES) or b""
        if not data.startswith(b"<<") and b" <<" not in data and b"\n<<" not in data:
            return triples_from_ntriples(data)
        triples = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
    conv = to_rdflib
    with gc_paused():
        return [(conv(t.subject), conv(t.predicate), conv(t.object)) for t in triples]  # type: ignore[misc]


def to_oxigraph(node: Node) -> Any:
    """Convert an rdflib term to the equal pyoxigraph term.

    Args:
        node: a URIRef, BNode or Literal.

    Returns:
        The pyoxigraph NamedNode, BlankNode or Literal.

    Raises:
        ValueError: ``node`` is not a valid RDF term (e.g. an IRI with a space,
            or a Variable).
    """
    if isinstance(node, URIRef):
        return _NamedNode(node)
    if isinstance(node, Literal):
        language = node.language
        if language:
            return _OxLiteral(node, language=language)
        datatype = node.datatype
        if datatype is not None and str(datatype) != _XSD_STRING:
            return _OxLiteral(node, datatype=_NamedNode(datatype))
        return _OxLiteral(node)
    if isinstance(node, BNode):
        return _BlankNode(node)
    raise ValueError(f"{node!r} is not an IRI, blank node or literal")


def quad_to_oxigraph(s: Node, p: Node, o: Node, g: Node) -> ox.Quad:
    """Convert one rdflib quad to a pyoxigraph Quad.

    Raises:
        ValueError: a term is not valid where it stands (e.g. a literal subject).
    """
    try:
        return ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), to_oxigraph(g))
    except TypeError as exc:  # pyoxigraph refuses e.g. a Literal as subject
        raise ValueError(f"({s!r}, {p!r}, {o!r}) is not a valid triple: {exc}") from exc


__all__ = [
    "convert_rows",
    "gc_paused",
    "convert_triples",
    "quad_to_oxigraph",
    "rows_from_tsv",
    "to_oxigraph",
    "to_rdflib",
    "triples_from_ntriples",
]
