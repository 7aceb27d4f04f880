"""Finding entities by name, and resolving what a user typed to one entity IRI.

Names are compared after folding: Unicode NFKD decomposition with the
combining marks dropped (``Timor-Lésté`` -> ``timor-leste``), case folding,
apostrophes removed and every other run of non-word characters read as one
space. A query matches a name (``rdfs:label``, ``skos:altLabel``,
``skos:prefLabel`` or ``kg:acronym``) in one of four ways, best first:

=========  =====================================================  ============
match      the folded query ...                                   score
=========  =====================================================  ============
exact      equals the folded name                                 1.0
prefix     starts the folded name                                 0.8 - 0.9
tokens     has every word in the name's words (any order)         0.6 - 0.7
fuzzy      is similar: difflib ratio >= :data:`FUZZY_CUTOFF`      0.5 x ratio
=========  =====================================================  ============

Within the prefix and token classes a closer fit (the query covers more of
the name) scores higher. An entity's score is its best name's score.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from difflib import SequenceMatcher
from typing import Any, Iterator, Mapping

import networkx as nx

from ..errors import QueryError
from ..namespaces import PREFIXES
from ..store.base import Store

#: Lowest difflib similarity ratio a fuzzy match needs (0-1).
FUZZY_CUTOFF = 0.6
#: Most candidates an ambiguity error lists.
MAX_LISTED = 6

_APOSTROPHES = re.compile(r"['\u2019\u2018`\u00b4]")
_NON_WORD = re.compile(r"[\W_]+")
_MATCH_ORDER = {"exact": 0, "prefix": 1, "tokens": 2, "fuzzy": 3}
_FIELD_ORDER = {"label": 0, "acronym": 1, "altLabel": 2}


def fold(text: str) -> str:
    """Fold a name for comparison: accents, case, apostrophes and punctuation removed.

    Args:
        text: any text.

    Returns:
        Lower-case words without diacritics, separated by single spaces
        (``"Prime Minister's Office, Brunéi"`` -> ``"prime ministers office brunei"``).
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _NON_WORD.sub(" ", _APOSTROPHES.sub("", bare)).strip()


def _forms(attrs: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, name) pairs of an entity: its label, acronym and other names."""
    label = attrs.get("label")
    if label:
        yield "label", str(label)
    acronym = attrs.get("acronym")
    if acronym:
        yield "acronym", str(acronym)
    for alt in attrs.get("altLabels") or ():
        yield "altLabel", str(alt)


_Form = tuple[str, str, str, str, frozenset[str]]  # iri, field, name, folded name, its words
_index_cache: "weakref.WeakKeyDictionary[nx.Graph, tuple[tuple[int, int], list[_Form]]]" = \
    weakref.WeakKeyDictionary()


def _index(entities: Mapping[str, Mapping[str, Any]]) -> list[_Form]:
    forms: list[_Form] = []
    for iri, attrs in entities.items():
        for field, name in _forms(attrs):
            folded = fold(name)
            if folded:
                forms.append((iri, field, name, folded, frozenset(folded.split())))
    return forms


def _graph_index(graph: nx.Graph) -> list[_Form]:
    """The folded names of a projection, cached while its node and edge counts stay the same."""
    signature = (graph.number_of_nodes(), graph.number_of_edges())
    cached = _index_cache.get(graph)
    if cached is None or cached[0] != signature:
        cached = (signature, _index(graph.nodes))
        _index_cache[graph] = cached
    return cached[1]


def _close(query: str, query_tokens: frozenset[str], name: str, tokens: frozenset[str]) -> tuple[str, float] | None:
    """Exact, prefix or word match of a folded query against a folded name."""
    if name == query:
        return "exact", 1.0
    if name.startswith(query):
        return "prefix", 0.8 + 0.1 * len(query) / len(name)
    if query_tokens <= tokens:
        return "tokens", 0.6 + 0.1 * len(query_tokens) / len(tokens)
    return None


def find(store_or_graph: Store | nx.MultiDiGraph, text: str, *, limit: int = 10) -> list[dict[str, Any]]:
    """Find entities by name: label, alternative label or acronym, case- and accent-insensitive.

    Fuzzy matching (difflib) only runs when fewer than ``limit`` entities
    match exactly, by prefix or by words: a fuzzy match always ranks below those.

    Args:
        store_or_graph: a store (its entities are read with one query) or a
            projection from :func:`kg.traverse.project`.
        text: the name, or part of it, to look for.
        limit: most candidates returned.

    Returns:
        Candidates, best first (score, then label before acronym before
        alternative label, then label): dicts with ``iri``, ``label``,
        ``type``, ``matched`` (the name that matched, as written),
        ``field`` (``label``, ``acronym`` or ``altLabel``), ``match``
        (``exact``, ``prefix``, ``tokens`` or ``fuzzy``) and ``score`` (0-1,
        see the module docstring). Empty when nothing matches.

    Raises:
        QueryError: ``text`` holds no letter or digit, or ``limit`` < 1.
        StoreError: the store cannot be read.
    """
    if limit < 1:
        raise QueryError(f"find limit must be at least 1, not {limit}; pass --limit 1 or more.")
    query = fold(text)
    if not query:
        raise QueryError(f"Cannot search for {text!r}: it holds no letter or digit; type part of a name.")
    query_tokens = frozenset(query.split())
    if isinstance(store_or_graph, nx.Graph):
        entities: Mapping[str, Mapping[str, Any]] = store_or_graph.nodes
        forms = _graph_index(store_or_graph)
    else:
        from .project import node_table

        entities = node_table(store_or_graph)
        forms = _index(entities)
    best: dict[str, tuple[float, str, str, str]] = {}  # iri -> (score, match, field, name)

    def offer(iri: str, field: str, name: str, match: str, score: float) -> None:
        old = best.get(iri)
        if old is None or (score, -_FIELD_ORDER[field]) > (old[0], -_FIELD_ORDER[old[2]]):
            best[iri] = (score, match, field, name)

    for iri, field, name, folded, tokens in forms:
        hit = _close(query, query_tokens, folded, tokens)
        if hit is not None:
            offer(iri, field, name, *hit)
    if len(best) < limit:
        matcher = SequenceMatcher(autojunk=False)
        matcher.set_seq2(query)
        for iri, field, name, folded, _tokens in forms:
            if iri in best and best[iri][1] != "fuzzy":
                continue
            matcher.set_seq1(folded)
            if (matcher.real_quick_ratio() >= FUZZY_CUTOFF and matcher.quick_ratio() >= FUZZY_CUTOFF
                    and (ratio := matcher.ratio()) >= FUZZY_CUTOFF):
                offer(iri, field, name, "fuzzy", 0.5 * ratio)
    found = [
        {"iri": iri, "label": entities[iri].get("label", iri), "type": entities[iri].get("type", "Thing"),
         "matched": name, "field": field, "match": match, "score": round(score, 4)}
        for iri, (score, match, field, name) in best.items()
    ]
    found.sort(key=lambda c: (-c["score"], _FIELD_ORDER[c["field"]], str(c["label"]).casefold(), c["iri"]))
    return found[:limit]


def expand_iri(text: str) -> str | None:
    """Return the full IRI for ``<iri>``, ``http(s)://...`` or a compact ``prefix:local``, else None.

    Args:
        text: what the user typed.

    Returns:
        The IRI, or None when ``text`` is not written as an IRI (then it is a name).
    """
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    if value.startswith(("http://", "https://", "urn:")):
        return value
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and local and " " not in local:
        return PREFIXES[prefix] + local
    return None


def resolve(graph: nx.MultiDiGraph, entity: str) -> str:
    """Resolve an IRI, compact IRI (``kgid:asean``) or name to one node of ``graph``.

    A name resolves when exactly one entity matches it exactly; with no
    exact match, when exactly one entity matches it best by prefix or by
    words. Fuzzy matches never resolve on their own: they are offered.

    Args:
        graph: a projection from :func:`kg.traverse.project`.
        entity: the IRI, compact IRI or name.

    Returns:
        The node's IRI.

    Raises:
        QueryError: no entity matches, the IRI is not in the graph, or the
            name is ambiguous (the message lists the candidates).
    """
    iri = expand_iri(entity)
    if iri is not None:
        if iri in graph:
            return iri
        raise QueryError(f"No entity {entity} in the graph; check the IRI, or try `kg find {_quote(entity)}`.")
    candidates = find(graph, entity, limit=50)
    if not candidates:
        raise QueryError(f"No entity matches {entity!r}; try `kg find {_quote(entity)}` with part of the name.")
    best = candidates[0]
    tier = [c for c in candidates if c["match"] == best["match"]]
    if best["match"] == "exact" and len(tier) == 1:
        return str(best["iri"])
    if best["match"] in ("prefix", "tokens") and len(tier) == 1:
        return str(best["iri"])
    listed = "; ".join(f"{_compact(c['iri'])} ({c['label']}, {c['type']})" for c in tier[:MAX_LISTED])
    more = f" and {len(tier) - MAX_LISTED} more" if len(tier) > MAX_LISTED else ""
    if best["match"] == "fuzzy":
        raise QueryError(f"No entity is named {entity!r}; did you mean {listed}{more}? Pass the name or IRI.")
    raise QueryError(f"{entity!r} is ambiguous: {listed}{more}; pass one of these IRIs instead.")


def _compact(iri: str) -> str:
    from ..query import compact_iri

    return compact_iri(iri)


def _quote(text: str) -> str:
    return f'"{text}"' if (" " in text or "'" in text) else text


__all__ = ["FUZZY_CUTOFF", "expand_iri", "find", "fold", "resolve"]
