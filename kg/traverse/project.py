"""The entity graph of a store as a networkx ``MultiDiGraph``, read with three SPARQL queries.

Nodes are the entities: IRIs typed (in any named graph) with one of
:data:`ENTITY_CLASSES`, never the provenance nodes (``kg:Document``,
``kg:Sentence``, ``kg:Mention``, ``kg:ExtractedStatement``,
``kg:CandidateStatement``) nor ``kg:Membership`` records. Edges are the
``kg:`` properties between two entities, one edge per (subject, predicate,
object) whatever the number of graphs asserting it; the edge key is the
predicate's local name, so two predicates between the same pair are two
edges. Literals (labels, alternative labels, dates, counts, codes) are node
attributes.

Node attributes:

==================  ============================================================
``label``           the canonical name: the reference graph's ``rdfs:label``,
                    else the ``rdfs:label`` most graphs hold (ties: the shortest)
``altLabels``       every other name (``skos:altLabel``, ``skos:prefLabel``,
                    other ``rdfs:label`` values), sorted
``type``            the most specific class, local name (``Workshop`` before ``Event``)
``types``           all the entity's vocabulary classes, local names, sorted
``document_count``  how many document graphs type it (counted per class, the highest)
``reference``       True when the reference graph (gazetteer) types it
``startDate``,      any literal ``kg:`` property, by local name: dates and years
``acronym``, ...    as ISO text, integers as int, decimals as float; with several
                    values, the reference graph's, else the one most graphs hold
==================  ============================================================

Edge attributes:

==============  ================================================================
``predicate``   local name (also the edge key); ``iri`` the full predicate IRI
``provenance``  list of ``{source, document, sentence, confidence, rule}``: one
                per ``kg:ExtractedStatement`` of the edge (``source``
                ``"document"``, ``sentence`` its text), sorted by document then
                confidence; one ``{source: "document", document: None}`` when
                documents assert the edge without any record; one
                ``{source: "reference"}`` for the gazetteer and one
                ``{source: "inferred"}`` for the inferred graph (with
                ``project(store, inferred=True)`` only)
``sources``     the distinct ``source`` values, sorted
``documents``   the IRIs of the documents with a record for it, sorted
``confidence``  the highest ``kg:confidence`` among the records, or None
==============  ================================================================

``graph.graph["documents"]`` maps each document IRI to ``{title, issued, url}``.

Speed: Oxigraph answers single-pattern index scans fast but pays for every
term it decodes and for every index lookup of a nested-loop join. So
:data:`TRIPLES_QUERY` binds predicates and classes with VALUES (index scans,
no string filters) and aggregates in the store, so each distinct triple is
decoded once; :data:`STATEMENTS_QUERY` joins the parts of the provenance
records as sub-selects, which the store hash-joins.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any, Iterable, Iterator

import networkx as nx
from rdflib import Literal
from rdflib.term import Node

from ..namespaces import INFERRED_GRAPH, KG, REFERENCE_GRAPH
from ..ontology import CORE_CLASSES, ORGANIZATION_CLASSES, VOCAB_CLASSES
from ..store.base import Store
from ..store.terms import gc_paused as _gc_paused
from ..vocab import KG as KG_TERMS

_KG = str(KG)

#: Subclasses of the core classes found in the ontology (kg.ttl): local name -> superclass.
SUBCLASSES: dict[str, str] = {
    **{name: "Organization" for name in ORGANIZATION_CLASSES},
    "Meeting": "Event",
    "Workshop": "Event",
    "Conference": "Event",
}

#: Classes whose instances are nodes (local names). Source: shared/spec/vocabulary.md
#: ("Classes") plus kg:Organization and the Event subclasses of ontology/kg.ttl.
ENTITY_CLASSES: frozenset[str] = frozenset(VOCAB_CLASSES | set(SUBCLASSES) | {"Organization", "Event"})

#: Most specific first: the first class an entity has is its ``type`` (the event
#: subclasses, then the vocabulary's core classes).
TYPE_ORDER: tuple[str, ...] = ("Workshop", "Meeting", "Conference", *CORE_CLASSES)

_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

#: ``kg:`` properties that describe provenance or ``kg:Membership`` records, not entities.
NON_ENTITY_PROPERTIES: frozenset[str] = frozenset({
    "anchorText", "confidence", "endOffset", "inSentence", "mentionOf", "modality", "rule", "sentenceIndex",
    "sourcePath", "startOffset", "text", "member", "organization", "roleTopic", "roleType", "validFrom",
    "validUntil",
})
#: ``kg:`` properties read for entities: every property of the generated vocabulary (kg/vocab.py) but those.
ENTITY_PROPERTIES: tuple[str, ...] = tuple(sorted(
    name for name in KG_TERMS.__annotations__ if name[:1].islower() and name not in NON_ENTITY_PROPERTIES
))

_PROLOGUE = f"""PREFIX kg: <{_KG}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
"""
_CLASSES = " ".join(f"kg:{c}" for c in sorted(ENTITY_CLASSES))
_PROPERTIES = "rdfs:label skos:altLabel skos:prefLabel " + " ".join(f"kg:{p}" for p in ENTITY_PROPERTIES)

#: Every entity triple (typing, names, literals, relations), each once, with the number of graphs
#: holding it and flags (0/1) for the reference and inferred graphs. Built from index scans bound by
#: VALUES and aggregated in the store, so only distinct triples are decoded and sent.
TRIPLES_QUERY = _PROLOGUE + f"""SELECT ?s ?p ?o (COUNT(DISTINCT ?g) AS ?graphs) (MAX(?r) AS ?reference)
       (MAX(?i) AS ?inferred) WHERE {{
  {{ VALUES ?o {{ {_CLASSES} }} GRAPH ?g {{ ?s a ?o }} BIND(rdf:type AS ?p) BIND(0 AS ?r) BIND(0 AS ?i) }}
  UNION {{ VALUES ?p {{ {_PROPERTIES} }} GRAPH ?g {{ ?s ?p ?o }} BIND(0 AS ?r) BIND(0 AS ?i) }}
  UNION {{ VALUES ?p {{ rdf:type {_PROPERTIES} }} GRAPH <{REFERENCE_GRAPH}> {{ ?s ?p ?o }} BIND(1 AS ?r) BIND(0 AS ?i) }}
  UNION {{ VALUES ?p {{ rdf:type {_PROPERTIES} }} GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} BIND(0 AS ?r) BIND(1 AS ?i) }}
}} GROUP BY ?s ?p ?o"""

#: The provenance records (``kg:ExtractedStatement``, not candidates) with their graph, sentence
#: text, confidence and rule. Each part is its own sub-select so the store joins them by hash
#: instead of one index lookup per statement and part (measured 2-3 x faster on Oxigraph).
STATEMENTS_QUERY = _PROLOGUE + """SELECT ?s ?p ?o ?g ?text ?conf ?rule WHERE {
  { SELECT ?st ?s ?g WHERE { GRAPH ?g { ?st rdf:subject ?s } } }
  { SELECT ?st ?p WHERE { ?st rdf:predicate ?p } }
  { SELECT ?st ?o WHERE { ?st rdf:object ?o } }
  MINUS { SELECT ?st WHERE { ?st a kg:CandidateStatement } }
  OPTIONAL { { SELECT ?st ?text WHERE {
    { SELECT ?st ?sent WHERE { ?st prov:wasDerivedFrom ?sent } }
    { SELECT ?sent ?text WHERE { ?sent kg:text ?text } } } } }
  OPTIONAL { { SELECT ?st ?conf WHERE { ?st kg:confidence ?conf } } }
  OPTIONAL { { SELECT ?st ?rule WHERE { ?st kg:rule ?rule } } }
}"""

#: The source documents: title, publication date, URL.
DOCUMENTS_QUERY = _PROLOGUE + """SELECT ?d ?title ?issued ?url WHERE {
  GRAPH ?d { ?d a kg:Document . OPTIONAL { ?d dcterms:title ?title } OPTIONAL { ?d dcterms:issued ?issued }
             OPTIONAL { ?d schema:url ?url } }
}"""

_REFERENCE = str(REFERENCE_GRAPH)
_INFERRED = str(INFERRED_GRAPH)


def local_name(iri: str) -> str:
    """Return the local name of an IRI.

    Args:
        iri: an IRI.

    Returns:
        The part after its last ``#`` or ``/``; the whole IRI when there is none
        or it ends with one.
    """
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[cut + 1:] if 0 <= cut < len(iri) - 1 else iri


def python_value(term: Node) -> Any:
    """Return a plain, JSON-friendly value for a literal.

    Args:
        term: an rdflib term.

    Returns:
        int for integers, float for decimals and doubles, bool for booleans,
        ISO text for dates, otherwise the lexical form (dates, gYears, strings).
    """
    if isinstance(term, Literal):
        value = term.value
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value
        if isinstance(value, (float, Decimal)):
            return float(value)
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
    return str(term)


def primary_type(types: Iterable[str]) -> str:
    """Return the most specific of an entity's classes.

    Args:
        types: class local names (``{"Event", "Workshop"}``).

    Returns:
        The first of :data:`TYPE_ORDER` among them, ``"Thing"`` when none is known.
    """
    have = set(types)
    for name in TYPE_ORDER:
        if name in have:
            return name
    return "Thing"



def _flag(term: Node | None) -> bool:
    return term is not None and str(term) not in ("0", "false")


def project(store: Store, *, inferred: bool = False) -> nx.MultiDiGraph:
    """Project the store's entity graph onto a networkx MultiDiGraph.

    Runs :data:`TRIPLES_QUERY`, :data:`STATEMENTS_QUERY` and :data:`DOCUMENTS_QUERY`.

    Args:
        store: any :class:`~kg.store.base.Store` (embedded Oxigraph, memory, remote).
        inferred: also take the triples only the inferred graph holds (``kg infer``:
            superclass types, inverse properties such as ``hasPart``, the transitive
            closure of ``partOf``). Off by default: those would double every
            ``partOf`` edge and short-cut every chain of units.

    Returns:
        The graph: entity IRIs as nodes, ``kg:`` object properties as keyed
        edges (key = predicate local name), attributes as the module
        docstring lists them.

    Raises:
        QueryError: the store refused one of the queries.
        StoreError: the store cannot be read.
    """
    triples = store.query(TRIPLES_QUERY).rows
    documents = store.query(DOCUMENTS_QUERY).rows
    statements = store.query(STATEMENTS_QUERY).rows
    with _gc_paused():
        nodes, links = _entities(triples, inferred=inferred)
        graph = nx.MultiDiGraph(documents=_documents(documents))
        graph.add_nodes_from(nodes.items())
        _add_edges(graph, links, statements)
    return graph


def node_table(store: Store, *, inferred: bool = False) -> dict[str, dict[str, Any]]:
    """Return every entity of the store with its attributes, without the edges (one query).

    Args:
        store: the store to read.
        inferred: also take the triples only the inferred graph holds (see :func:`project`).

    Returns:
        entity IRI -> node attributes (see the module docstring), in IRI order.

    Raises:
        QueryError: the store refused the query.
        StoreError: the store cannot be read.
    """
    rows = store.query(TRIPLES_QUERY).rows
    with _gc_paused():
        return _entities(rows, inferred=inferred)[0]


_Link = tuple[str, str, str, int, bool, bool]


def _entities(rows: list[tuple[Node | None, ...]], *, inferred: bool) -> tuple[dict[str, dict[str, Any]], list[_Link]]:
    """Fold :data:`TRIPLES_QUERY` rows into node attributes and candidate edges."""
    types: dict[str, set[str]] = defaultdict(set)
    doc_count: dict[str, int] = defaultdict(int)
    in_reference: set[str] = set()
    # entity -> property IRI -> value -> (graphs holding it, held by the reference graph)
    literals: dict[str, dict[str, dict[Node, tuple[int, bool]]]] = defaultdict(lambda: defaultdict(dict))
    links: list[_Link] = []
    kg_len = len(_KG)
    for s, p, o, n, ref, inf in rows:
        if o is None or s is None:
            continue
        s_iri, p_iri = str(s), str(p)
        reference, in_inferred = _flag(ref), _flag(inf)
        graphs = int(n) if n is not None else 0  # type: ignore[call-overload]
        if in_inferred and not inferred:
            graphs -= 1  # as if the inferred graph were not there
            in_inferred = False
            if graphs <= 0:
                continue
        if p_iri == _TYPE:
            c = str(o)
            if c.startswith(_KG) and c[kg_len:] in ENTITY_CLASSES:
                types[s_iri].add(c[kg_len:])
                documents = graphs - reference - in_inferred
                if documents > doc_count[s_iri]:
                    doc_count[s_iri] = documents
                if reference:
                    in_reference.add(s_iri)
        elif isinstance(o, Literal):
            literals[s_iri][p_iri][o] = (graphs, reference)
        else:
            links.append((s_iri, p_iri, str(o), graphs - reference - in_inferred, reference, in_inferred))
    table: dict[str, dict[str, Any]] = {}
    for s_iri in sorted(types):
        table[s_iri] = _node_attributes(s_iri, types[s_iri], literals.get(s_iri, {}), doc_count[s_iri],
                                        s_iri in in_reference)
    return table, links


def _best(values: dict[Node, tuple[int, bool]]) -> Node:
    """The value the reference graph holds, else the one most graphs hold, else the shortest."""
    if len(values) == 1:
        return next(iter(values))
    return min(values, key=lambda v: (not values[v][1], -values[v][0], len(str(v)), str(v)))


def _node_attributes(iri: str, types: set[str], props: dict[str, dict[Node, tuple[int, bool]]], documents: int,
                     reference: bool) -> dict[str, Any]:
    labels = props.get(_LABEL, {})
    label = str(_best(labels)) if labels else local_name(iri)
    names = {str(v) for p in (_LABEL, _ALT, _PREF) for v in props.get(p, {})}
    names.discard(label)
    attrs: dict[str, Any] = {
        "label": label,
        "altLabels": sorted(names, key=lambda x: (x.casefold(), x)),
        "type": primary_type(types),
        "types": sorted(types),
        "document_count": documents,
        "reference": reference,
    }
    for p_iri, values in props.items():
        if p_iri.startswith(_KG):
            attrs[p_iri[len(_KG):]] = python_value(_best(values))
    return attrs


def _documents(rows: list[tuple[Node | None, ...]]) -> dict[str, dict[str, Any]]:
    documents: dict[str, dict[str, Any]] = {}
    for d, title, issued, url in rows:
        documents[str(d)] = {
            "title": None if title is None else str(title),
            "issued": None if issued is None else python_value(issued),
            "url": None if url is None else str(url),
        }
    return documents


def _add_edges(graph: nx.MultiDiGraph, links: list[_Link], statements: list[tuple[Node | None, ...]]) -> None:
    nodes = graph._node  # plain dict: membership tests in the hot loops
    records: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for s, p, o, g, text, conf, rule in statements:
        key = (str(s), str(p), str(o))
        if key[0] not in nodes or key[2] not in nodes:
            continue
        records[key].append({
            "source": "document",
            "document": str(g),
            "sentence": None if text is None else str(text),
            "confidence": None if conf is None else float(conf),  # type: ignore[arg-type]
            "rule": None if rule is None else str(rule),
        })
    kg_len = len(_KG)
    edges = []
    for s_iri, p_iri, o_iri, in_documents, reference, inferred in links:
        if s_iri not in nodes or o_iri not in nodes or not p_iri.startswith(_KG):
            continue
        provenance = _unique(records.get((s_iri, p_iri, o_iri), []))
        if in_documents > 0 and not provenance:
            provenance.append(_bare("document"))
        if reference:
            provenance.append(_bare("reference"))
        if inferred:
            provenance.append(_bare("inferred"))
        confidences = [r["confidence"] for r in provenance if r["confidence"] is not None]
        predicate = p_iri[kg_len:]
        edges.append((s_iri, o_iri, predicate, {
            "predicate": predicate,
            "iri": p_iri,
            "provenance": provenance,
            "sources": sorted({r["source"] for r in provenance}),
            "documents": sorted({r["document"] for r in provenance if r["document"]}),
            "confidence": max(confidences) if confidences else None,
        }))
    graph.add_edges_from(edges)


def _bare(source: str) -> dict[str, Any]:
    return {"source": source, "document": None, "sentence": None, "confidence": None, "rule": None}


def _unique(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records sorted by document, then confidence (highest first), without repeats."""
    if len(records) < 2:
        return list(records)
    records.sort(key=lambda r: (r["document"], -(r["confidence"] or 0.0), r["sentence"] or "", r["rule"] or ""))
    seen: set[tuple[Any, ...]] = set()
    out = []
    for r in records:
        key = (r["document"], r["sentence"], r["confidence"], r["rule"])
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


__all__ = [
    "DOCUMENTS_QUERY",
    "ENTITY_CLASSES",
    "ENTITY_PROPERTIES",
    "STATEMENTS_QUERY",
    "SUBCLASSES",
    "TRIPLES_QUERY",
    "TYPE_ORDER",
    "local_name",
    "node_table",
    "primary_type",
    "project",
    "python_value",
]
