"""Safe handling of SPARQL text: term serialization, VALUES injection, error messages.

Bindings sent to a remote endpoint cannot be passed as parameters (the SPARQL
protocol has none), so they are written into the query as a ``VALUES`` block
at the start of the outermost ``WHERE`` group. A binding means what Oxigraph's
substitution and rdflib's ``initBindings`` mean: the variable has that value
everywhere in the query. A VALUES block alone does not give that inside a
nested group (``{ ... FILTER(?l = ?name) }``, ``MINUS { ... }``, a union
branch): such a group is evaluated on its own, where the variable is unbound.
So every use of a bound variable inside a nested group is also replaced by
the serialized term. Where neither can be done safely the binding is refused
with a QueryError rather than answered wrongly: a variable the query assigns
itself (``BIND(... AS ?v)``, ``VALUES ?v``, ``(... AS ?v)``), or one used
inside a sub-select that does not project it. Every value is serialized here
from its RDF term, with the escaping the SPARQL grammar requires, and every
variable name is checked against the grammar; user text is never spliced in
as it is. rdflib's ``Literal.n3()`` is not used for literals: it writes a
broken long string for a value that has a newline and ends in ``\\"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import QueryError

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
             |\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
             |'(?:[^'\\\r\n]|\\.)*'
             |"(?:[^"\\\r\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<word>[\w:][\w:.\-%\\]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
_VARNAME = re.compile(r"[A-Za-z0-9_\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF"
                      r"\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD"
                      r"\U00010000-\U000EFFFF\u00B7\u0300-\u036F\u203F-\u2040]+")
_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_LANGTAG = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_ECHAR_RE = re.compile(r'[\\"\n\r\t\b\f]')


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int


def _tokens(sparql: str) -> list[_Token]:
    out = []
    for m in _TOKEN.finditer(sparql):
        kind = m.lastgroup or "other"
        if kind not in ("ws", "comment"):
            out.append(_Token(kind, m.group(), m.start(), m.end()))
    return out


def query_form(sparql: str) -> str | None:
    """Return ``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK`` for a query, None for anything else.

    Comments, strings and IRIs in the prologue are skipped, so a ``# SELECT``
    comment or a prefix IRI never decides the form.
    """
    for tok in _tokens(sparql):
        if tok.kind == "iri" or (tok.kind == "word" and (tok.text.upper() in ("PREFIX", "BASE") or tok.text.endswith(":"))):
            continue  # the prologue
        if tok.kind == "word" and tok.text.upper() in _FORMS:
            return tok.text.upper()
        return None
    return None


def prefix_names(sparql: str) -> tuple[set[str], set[str]]:
    """Return the prefixes a query or update uses and those it declares.

    Prefixed names inside strings, IRIs and comments are not counted.

    Returns:
        (used, declared): prefix labels without the colon (``""`` for the
        default prefix ``:``).
    """
    used: set[str] = set()
    declared: set[str] = set()
    after_prefix = False
    for tok in _tokens(sparql):
        if tok.kind == "word":
            if after_prefix and tok.text.endswith(":"):
                declared.add(tok.text[:-1])
            elif ":" in tok.text:
                used.add(tok.text.split(":", 1)[0])
            after_prefix = tok.text.upper() == "PREFIX"
        else:
            after_prefix = False
    return used, declared


def where_group_offset(sparql: str) -> int | None:
    """Return the offset just after the ``{`` that opens the outermost WHERE group.

    Returns:
        The offset, or None when the query has no separate WHERE group
        (``CONSTRUCT WHERE { ... }`` short form, ``DESCRIBE <x>``).
    """
    toks = _tokens(sparql)
    form_at = next((i for i, t in enumerate(toks) if t.kind == "word" and t.text.upper() in _FORMS), None)
    if form_at is None:
        return None
    i = form_at + 1
    if toks[form_at].text.upper() == "CONSTRUCT":
        if i >= len(toks) or toks[i].kind != "open":
            return None  # short form: the template is the pattern
        depth = 0
        while i < len(toks):  # skip the template
            if toks[i].kind == "open":
                depth += 1
            elif toks[i].kind == "close":
                depth -= 1
                if depth == 0:
                    i += 1
                    break
            i += 1
    for tok in toks[i:]:
        if tok.kind == "open":
            return tok.end
    return None


def variable_name(name: str) -> str:
    """Return ``name`` without a leading ``?``/``$`` after checking it is a SPARQL variable name.

    Raises:
        QueryError: not a valid variable name.
    """
    bare = name[1:] if name[:1] in ("?", "$") else name
    if not _VARNAME.fullmatch(bare):
        raise QueryError(f"Cannot bind variable {name!r}: not a SPARQL variable name (letters, digits, _).")
    return bare


def term_to_sparql(term: Node) -> str:
    """Serialize an RDF term as SPARQL text that parses back to exactly that term.

    Args:
        term: a URIRef or Literal.

    Returns:
        ``<iri>`` or a quoted literal with its language tag or datatype.

    Raises:
        QueryError: a blank node (SPARQL cannot name one), an IRI with characters
            an IRI cannot hold, a bad language tag, or another kind of object.
    """
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(term):
            raise QueryError(f"Cannot bind {str(term)!r}: not a valid IRI (it contains a space, quote, brace or angle bracket).")
        return f"<{term}>"
    if isinstance(term, Literal):
        quoted = '"' + _ECHAR_RE.sub(lambda m: _ECHAR[m.group()], str(term)) + '"'
        if term.language:
            if not _LANGTAG.fullmatch(term.language):
                raise QueryError(f"Cannot bind literal with language tag {term.language!r}: not a valid tag.")
            return f"{quoted}@{term.language}"
        if term.datatype is not None:
            return f"{quoted}^^{term_to_sparql(URIRef(term.datatype))}"
        return quoted
    if isinstance(term, BNode):
        raise QueryError("Cannot bind a blank node: SPARQL has no way to name an existing one; use its IRI.")
    raise QueryError(f"Cannot bind {term!r}: give an rdflib URIRef or Literal.")


def values_block(bindings: dict[str, Node]) -> str:
    """Return ``VALUES (?a ?b) { (<x> "y") }`` for ``bindings`` (names checked, terms serialized)."""
    names = " ".join("?" + variable_name(k) for k in bindings)
    values = " ".join(term_to_sparql(v) for v in bindings.values())
    return f"VALUES ({names}) {{ ({values}) }}"


def inject_values(sparql: str, bindings: dict[str, Node]) -> str:
    """Bind variables of a query by writing their values into its text.

    A VALUES block goes first in the outermost WHERE group, so the values are
    joined before any FILTER of that group sees the variables, and the
    projection, ORDER BY, GROUP BY and a CONSTRUCT template see them. Every
    use of a bound variable inside a nested group of the WHERE clause
    (``OPTIONAL``, ``MINUS``, ``FILTER EXISTS``, a union branch, a plain
    ``{ }``) is also replaced by its term, since such a group is evaluated
    apart from the block. The result answers as a substitution of the
    variables would (SEP-0007, Oxigraph's ``substitutions``). Queries
    without a separate WHERE group get a trailing VALUES clause.

    Args:
        sparql: the query.
        bindings: variable name (with or without ``?``) -> URIRef or Literal.

    Returns:
        The query text with the bindings in it.

    Raises:
        QueryError: a name or value that cannot be bound, not a query, or a
            binding that cannot be applied safely: the query assigns the
            variable itself (``AS ?v``, ``VALUES ?v``), or uses it inside a
            sub-select that does not project it.
    """
    if not bindings:
        return sparql
    if query_form(sparql) is None:
        raise QueryError("Cannot bind variables: the text is not a SELECT, CONSTRUCT, DESCRIBE or ASK query.")
    block = values_block(bindings)
    terms = {variable_name(k): term_to_sparql(v) for k, v in bindings.items()}
    toks = _tokens(sparql)
    _refuse_assigned(toks, terms)
    at = where_group_offset(sparql)
    if at is None:
        return f"{sparql}\n{block}\n"
    first = next(i for i, t in enumerate(toks) if t.start == at - 1 and t.kind == "open")
    close = _matching_close(toks, first)
    replaced = _nested_uses(toks, first, close, terms)
    out: list[str] = []
    last = 0
    for tok, term in replaced:
        out.append(sparql[last:tok.start])
        out.append(f" {term} ")
        last = tok.end
    out.append(sparql[last:])
    text = "".join(out)  # every replacement lies after ``at``
    body = toks[first + 1] if first + 1 < len(toks) else None
    if body is not None and body.kind == "word" and body.text.upper() == "SELECT":
        # the WHERE group is a sub-select, where nothing is replaced: ``{ VALUES ... { SELECT ... } }``
        end = toks[close].start
        return f"{text[:at]} {block} {{ {text[at:end]} }} {text[end:]}"
    return f"{text[:at]} {block} {text[at:]}"


def _matching_close(toks: list[_Token], open_at: int) -> int:
    """Index of the ``}`` that closes the ``{`` at ``toks[open_at]`` (the last token if unbalanced)."""
    depth = 0
    for i in range(open_at, len(toks)):
        if toks[i].kind == "open":
            depth += 1
        elif toks[i].kind == "close":
            depth -= 1
            if depth == 0:
                return i
    return len(toks) - 1


def _refuse_assigned(toks: list[_Token], terms: dict[str, str]) -> None:
    """Refuse a bound variable the query assigns itself (``AS ?v``, ``VALUES ?v``) outside its sub-selects."""
    sub_ends = _subselect_spans(toks)
    in_values = False
    for i, tok in enumerate(toks):
        if any(a <= i <= b for a, b in sub_ends):
            continue
        if tok.kind == "word" and tok.text.upper() == "VALUES":
            in_values = True
            continue
        if in_values and not (tok.kind == "var" or tok.text == "("):
            in_values = False
        if tok.kind != "var" or tok.text[1:] not in terms:
            continue
        prev = toks[i - 1] if i else None
        if in_values or (prev is not None and prev.kind == "word" and prev.text.upper() == "AS"):
            raise QueryError(f"Cannot bind ?{tok.text[1:]}: the query assigns it itself (with "
                             f"{'VALUES' if in_values else 'AS'}); bind another variable, or drop the binding.")


def _subselect_spans(toks: list[_Token]) -> list[tuple[int, int]]:
    """Token index spans ``(open, close)`` of the groups that hold a sub-select (the outermost ones only)."""
    spans: list[tuple[int, int]] = []
    form_at = next((i for i, t in enumerate(toks) if t.kind == "word" and t.text.upper() in _FORMS), None)
    if form_at is None:
        return spans
    stack: list[int] = []
    for i in range(form_at + 1, len(toks)):
        tok = toks[i]
        if tok.kind == "open":
            stack.append(i)
        elif tok.kind == "close":
            if stack:
                stack.pop()
        elif tok.kind == "word" and tok.text.upper() == "SELECT" and stack and toks[i - 1].kind == "open":
            start = stack[-1]
            if not any(a <= start <= b for a, b in spans):
                spans.append((start, _matching_close(toks, start)))
    return spans


def _projection(toks: list[_Token], select_at: int) -> tuple[set[str], bool]:
    """Variables a sub-select starting at ``toks[select_at]`` projects, and whether it is ``SELECT *``."""
    names: set[str] = set()
    depth = 0
    for i in range(select_at + 1, len(toks)):
        tok = toks[i]
        if tok.kind == "open" or (tok.kind == "word" and tok.text.upper() == "WHERE" and depth == 0):
            break
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif tok.text == "*" and depth == 0:
            return names, True
        elif tok.kind == "var":
            prev = toks[i - 1]
            if depth == 0 or (prev.kind == "word" and prev.text.upper() == "AS"):
                names.add(tok.text[1:])
    return names, False


def _nested_uses(toks: list[_Token], first: int, close: int, terms: dict[str, str]) -> list[tuple[_Token, str]]:
    """The uses of bound variables to replace: inside a nested group of the WHERE group, not in a sub-select.

    Raises:
        QueryError: a bound variable used inside a sub-select that does not project it.
    """
    out: list[tuple[_Token, str]] = []
    subs = [(a, b) for a, b in _subselect_spans(toks) if first <= a <= close]
    depth = 0
    for i in range(first, close + 1):
        tok = toks[i]
        if tok.kind == "open":
            depth += 1
            continue
        if tok.kind == "close":
            depth -= 1
            continue
        if tok.kind != "var" or tok.text[1:] not in terms:
            continue
        name = tok.text[1:]
        sub = next(((a, b) for a, b in subs if a <= i <= b), None)
        if sub is not None:
            projected, star = _projection(toks, sub[0] + 1)
            if not star and name not in projected:
                raise QueryError(f"Cannot bind ?{name}: it is used inside a sub-select that does not project it, "
                                 "where a binding from outside cannot reach; put a VALUES block inside the "
                                 "sub-select instead.")
            continue  # projected: the block joins with the sub-select's answers
        if depth >= 2:
            out.append((tok, terms[name]))
    return out


_POSITION = re.compile(r"^error at (\d+):(\d+):\s*")


def syntax_error_message(what: str, message: str, *, limit: int = 240) -> str:
    """Turn a parser's message into one line: ``SPARQL syntax error at line L, column C: ...``.

    Args:
        what: ``"query"`` or ``"update"``.
        message: the parser's message (Oxigraph ``error at 1:25: expected ...``,
            pyparsing ``Expected ..., found ... (at char 18), (line:1, col:19)``,
            or anything else).
        limit: the longest message kept from the parser, in characters.

    Returns:
        The one-line message.
    """
    text = " ".join(message.split())
    where = ""
    m = _POSITION.match(text)
    if m:
        where = f" at line {m.group(1)}, column {m.group(2)}"
        text = text[m.end():]
    else:
        m2 = re.search(r"\(line:(\d+), col:(\d+)\)", text)
        if m2:
            where = f" at line {m2.group(1)}, column {m2.group(2)}"
            text = (text[: m2.start()] + text[m2.end():]).replace("  ", " ").strip(" ,")
            text = re.sub(r"\s*\(at char \d+\),?", "", text).strip(" ,")
    if len(text) > limit:
        text = text[: limit - 3].rstrip() + "..."
    return f"SPARQL {what} syntax error{where}: {text}"


__all__ = [
    "inject_values",
    "prefix_names",
    "query_form",
    "syntax_error_message",
    "term_to_sparql",
    "values_block",
    "variable_name",
    "where_group_offset",
]
