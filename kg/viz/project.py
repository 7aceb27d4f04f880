"""Projection of an RDF Dataset (or Graph) onto the entities and relations a view draws.

Nodes are the entities: subjects and objects typed with a class in the ``kg:``
namespace that is not one of the provenance classes (Document, Sentence,
Mention, ExtractedStatement, CandidateStatement). Edges are ``kg:`` properties
between two entities; literals are kept as node attributes, never as nodes.
Each edge carries its provenance, read as ``docs/provenance.md`` describes it:
the ``kg:ExtractedStatement`` records whose ``rdf:subject``/``rdf:predicate``/
``rdf:object`` match it, their sentence (``prov:wasDerivedFrom`` ->
``kg:text``), confidence and rule, and the document (title, date, URL) of the
named graph they come from. A fact asserted in the reference graph is marked
as such ("reference (gazetteer)").

Held-back candidates (``kg:CandidateStatement``) are not asserted and so are
never drawn.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterator

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import ConjunctiveGraph
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SDO, SKOS
from rdflib.term import Node

from ..namespaces import INFERRED_GRAPH, KG, ONTOLOGY_GRAPH, REFERENCE_GRAPH
from ..ontology import CORE_CLASSES

#: ``kg:`` classes that describe provenance, not the world: never nodes.
PROVENANCE_CLASSES: frozenset[URIRef] = frozenset(
    KG[name]
    for name in ("Document", "Sentence", "Mention", "ExtractedStatement", "CandidateStatement")
)

#: Literal attributes shown first, in this order; others follow by name.
KEY_ATTRIBUTES: tuple[str, ...] = (
    "startDate",
    "endDate",
    "participantCount",
    "countryCount",
    "establishedIn",
    "endorsementDate",
    "periodStart",
    "periodEnd",
    "acronym",
)

_KG = str(KG)
_LABEL_PREDICATES = {RDFS.label, SKOS.altLabel, SKOS.prefLabel}
_STATEMENT = KG.ExtractedStatement
_SENTENCE_TEXT = KG.text
_URL_PREDICATES = (SDO.url, URIRef("http://schema.org/url"))


def local_name(iri: str) -> str:
    """Return the part of ``iri`` after its last ``#`` or ``/``."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[cut + 1 :] if cut >= 0 and cut < len(iri) - 1 else iri


@dataclass
class DocInfo:
    """What a view shows of a source document (the ``kg:Document`` of a named graph)."""

    iri: str
    title: str | None = None
    issued: dt.date | None = None
    url: str | None = None
    publisher: str | None = None


@dataclass
class Source:
    """One piece of evidence for an edge: an extracted statement or a bare assertion.

    Attributes:
        doc: IRI of the document it comes from, if known.
        sentence: the source sentence's text, if recorded.
        confidence: ``kg:confidence`` in [0, 1], if recorded.
        rule: id of the extraction rule (``kg:rule``), if recorded.
    """

    doc: str | None
    sentence: str | None = None
    confidence: float | None = None
    rule: str | None = None


@dataclass
class NodeData:
    """An entity as drawn: classes, labels, literal attributes and source documents."""

    iri: str
    classes: set[str] = field(default_factory=set)
    labels: dict[str, int] = field(default_factory=dict)
    reference_label: str | None = None
    alt_labels: set[str] = field(default_factory=set)
    attrs: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    docs: set[str] = field(default_factory=set)
    primary: str = "Thing"
    start: dt.date | None = None
    end: dt.date | None = None
    #: for aggregate nodes: the labels of the entities it stands for.
    members: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The canonical (full) name: the reference graph's rdfs:label, else the most used one."""
        if self.reference_label:
            return self.reference_label
        if self.labels:
            return min(self.labels, key=lambda s: (-self.labels[s], len(s), s))
        return local_name(self.iri)


@dataclass
class EdgeData:
    """A relation between two entities, with where it is asserted and why."""

    s: str
    p: str
    o: str
    sources: list[Source] = field(default_factory=list)
    docs: set[str] = field(default_factory=set)
    reference: bool = False
    inferred: bool = False
    other: bool = False
    #: for an aggregate edge: how many relations it stands for (else 0).
    aggregate: int = 0

    @property
    def key(self) -> tuple[str, str, str]:
        """``(subject, predicate local name, object)``."""
        return (self.s, self.p, self.o)

    @property
    def confidence(self) -> float | None:
        """The highest confidence among the extracted statements, or None."""
        values = [s.confidence for s in self.sources if s.confidence is not None]
        return max(values) if values else None


@dataclass
class Projection:
    """The view's model: entities, relations and the documents they cite."""

    nodes: dict[str, NodeData]
    edges: list[EdgeData]
    docs: dict[str, DocInfo]


_SPECIAL_GRAPHS = frozenset({REFERENCE_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH})
_DOCUMENT = KG.Document
(_TYPE, _SUBCLASS, _LABEL, _ALT, _TEXT, _STPART, _DOCFIELD, _URL, _PARTOF) = range(1, 10)


def _codes() -> dict[Node, int]:
    """Predicates the projection treats specially, mapped to a small code (one dict lookup a triple)."""
    table: dict[Node, int] = {
        RDF.type: _TYPE,
        RDFS.subClassOf: _SUBCLASS,
        RDFS.label: _LABEL,
        SKOS.prefLabel: _LABEL,
        SKOS.altLabel: _ALT,
        KG.text: _TEXT,
        KG.confidence: _STPART,
        KG.rule: _STPART,
        RDF.subject: _STPART,
        RDF.predicate: _STPART,
        RDF.object: _STPART,
        PROV.wasDerivedFrom: _STPART,
        DCTERMS.title: _DOCFIELD,
        DCTERMS.issued: _DOCFIELD,
        DCTERMS.publisher: _DOCFIELD,
        DCTERMS.isPartOf: _PARTOF,
    }
    for url in _URL_PREDICATES:
        table[url] = _URL
    return table


def _graphs(data: Graph) -> Iterator[tuple[Node | None, Graph]]:
    """Yield ``(graph name, graph)``: every named graph of a Dataset, or the Graph itself."""
    if isinstance(data, Dataset):
        for g in data.graphs():
            yield g.identifier, g
    elif isinstance(data, ConjunctiveGraph):
        for g in data.contexts():
            yield g.identifier, g
    else:
        yield None, data


def _to_date(value: Literal) -> dt.date | None:
    py = value.toPython()
    if isinstance(py, dt.datetime):
        return py.date()
    if isinstance(py, dt.date):
        return py
    text = str(value)
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _to_float(value: Literal) -> float | None:
    try:
        return float(value.toPython())
    except (TypeError, ValueError):
        return None


def _attr_text(value: Literal) -> str:
    py = value.toPython()
    if isinstance(py, (dt.date, dt.datetime)):
        return py.isoformat()
    return str(value)


def project(data: Graph) -> Projection:
    """Read entities, relations and their provenance out of ``data``.

    Args:
        data: an ``rdflib.Dataset`` whose named graphs are documents (plus the
            reference, inferred and ontology graphs), or a plain ``rdflib.Graph``.

    Returns:
        The :class:`Projection`: nodes keyed by IRI, edges in a stable order
        (sorted by subject, predicate, object), documents keyed by IRI.
    """
    types: dict[Node, set[URIRef]] = defaultdict(set)
    subclass_of: dict[URIRef, set[URIRef]] = defaultdict(set)
    labels: dict[Node, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    ref_labels: dict[Node, str] = {}
    alt: dict[Node, set[str]] = defaultdict(set)
    literals: dict[Node, list[tuple[URIRef, Literal]]] = defaultdict(list)
    appears_in: dict[Node, set[Node | None]] = defaultdict(set)
    # candidate edges: (s, p, o) -> set of graph names
    links: dict[tuple[Node, URIRef, Node], set[Node | None]] = defaultdict(set)
    # statement records: node -> fields
    st_parts: dict[Node, dict[str, Node]] = defaultdict(dict)
    st_graph: dict[Node, Node | None] = {}
    statements: set[Node] = set()
    sentence_text: dict[Node, str] = {}
    part_of: dict[Node, Node] = {}
    doc_fields: dict[Node, dict[str, Node]] = defaultdict(dict)
    documents: set[Node] = set()

    codes = _codes()
    kg_prefix = _KG
    for g, graph in _graphs(data):
        is_doc_graph = g is not None and g not in _SPECIAL_GRAPHS and not str(g).startswith(
            "urn:x-rdflib:"
        )
        is_reference = g == REFERENCE_GRAPH
        is_ontology = g == ONTOLOGY_GRAPH
        for s, p, o in graph:
            code = codes.get(p, 0)
            if code == _SUBCLASS:
                if isinstance(o, URIRef):
                    subclass_of[s].add(o)  # type: ignore[index]
                continue
            if is_ontology:
                continue
            o_is_literal = isinstance(o, Literal)
            if is_doc_graph:
                appears_in[s].add(g)
                if not o_is_literal:
                    appears_in[o].add(g)
            if code == _TYPE:
                if isinstance(o, URIRef) and o.startswith(kg_prefix):
                    types[s].add(o)
                    if o == _STATEMENT:
                        statements.add(s)
                        st_graph[s] = g
                    elif o == _DOCUMENT:
                        documents.add(s)
                continue
            if o_is_literal:
                if code == _LABEL:
                    text = str(o)
                    labels[s][text] += 1
                    if is_reference and p == RDFS.label:
                        ref_labels[s] = text
                elif code == _ALT:
                    alt[s].add(str(o))
                elif code == _TEXT:
                    sentence_text[s] = str(o)
                elif code == _STPART:
                    st_parts[s][str(p)] = o
                elif code == _DOCFIELD:
                    doc_fields[s][str(p)] = o
                    literals[s].append((p, o))  # type: ignore[arg-type]
                elif code == _URL:
                    doc_fields[s]["url"] = o
                    literals[s].append((p, o))  # type: ignore[arg-type]
                else:
                    literals[s].append((p, o))  # type: ignore[arg-type]
                continue
            if code == _STPART:
                st_parts[s][str(p)] = o
            elif code == _PARTOF:
                part_of[s] = o
            elif code == _URL:
                doc_fields[s]["url"] = Literal(str(o))
            elif str(p).startswith(kg_prefix):
                links[(s, p, o)].add(g)  # type: ignore[index]

    docs: dict[str, DocInfo] = {}
    for d in documents:
        f = doc_fields.get(d, {})
        title = f.get(str(DCTERMS.title))
        issued = f.get(str(DCTERMS.issued))
        issued = issued if isinstance(issued, Literal) else None
        url = f.get("url")
        pub = f.get(str(DCTERMS.publisher))
        docs[str(d)] = DocInfo(
            iri=str(d),
            title=str(title) if title is not None else None,
            issued=_to_date(issued) if issued is not None else None,
            url=str(url) if url is not None else None,
            publisher=str(pub) if pub is not None else None,
        )

    def classes_of(node: Node) -> set[str]:
        seen: set[URIRef] = set()
        todo = [c for c in types.get(node, ()) if c not in PROVENANCE_CLASSES]
        while todo:
            c = todo.pop()
            if c in seen:
                continue
            seen.add(c)
            todo.extend(sup for sup in subclass_of.get(c, ()) if str(sup).startswith(_KG))
        return {local_name(str(c)) for c in seen}

    nodes: dict[str, NodeData] = {}
    for node, cls in types.items():
        if not isinstance(node, (URIRef, BNode)):
            continue
        if not any(c not in PROVENANCE_CLASSES for c in cls):
            continue
        names = classes_of(node)
        key = str(node)
        nd = NodeData(iri=key, classes=names)
        nd.primary = next((c for c in CORE_CLASSES if c in names), None) or min(names)
        nd.labels = dict(labels.get(node, {}))
        nd.reference_label = ref_labels.get(node)
        nd.alt_labels = set(alt.get(node, ()))
        for p, value in literals.get(node, ()):
            name = local_name(str(p)) if str(p).startswith(_KG) else _prefixed(str(p))
            nd.attrs[name].add(_attr_text(value))
            if p == KG.startDate:
                nd.start = _to_date(value) or nd.start
            elif p == KG.endDate:
                nd.end = _to_date(value) or nd.end
        nd.docs = {str(g) for g in appears_in.get(node, ()) if str(g) in docs}
        nodes[key] = nd

    # provenance records, grouped by the triple they describe
    evidence: dict[tuple[str, str, str], list[Source]] = defaultdict(list)
    for st in statements:
        parts = st_parts.get(st, {})
        rs, rp, ro = (parts.get(str(x)) for x in (RDF.subject, RDF.predicate, RDF.object))
        if rs is None or rp is None or ro is None:
            continue
        sent = parts.get(str(PROV.wasDerivedFrom))
        doc = part_of.get(sent) if sent is not None else None
        if doc is None or str(doc) not in docs:
            home = st_graph.get(st)
            doc = home if home is not None and str(home) in docs else doc
        conf = parts.get(str(KG.confidence))
        rule = parts.get(str(KG.rule))
        evidence[(str(rs), str(rp), str(ro))].append(
            Source(
                doc=str(doc) if doc is not None else None,
                sentence=sentence_text.get(sent) if sent is not None else None,
                confidence=_to_float(conf) if isinstance(conf, Literal) else None,
                rule=str(rule) if rule is not None else None,
            )
        )

    edges: list[EdgeData] = []
    for (s, p, o), graphs in links.items():
        ks, ko = str(s), str(o)
        if ks not in nodes or ko not in nodes:
            continue
        e = EdgeData(s=ks, p=local_name(str(p)), o=ko)
        for g in graphs:
            if g == REFERENCE_GRAPH:
                e.reference = True
            elif g == INFERRED_GRAPH:
                e.inferred = True
            elif g is not None and str(g) in docs:
                e.docs.add(str(g))
            else:
                e.other = True
        e.sources = sorted(
            evidence.get((ks, str(p), ko), []),
            key=lambda x: (-(x.confidence or 0.0), x.doc or "", x.sentence or ""),
        )
        e.docs.update(x.doc for x in e.sources if x.doc is not None and x.doc in docs)
        nodes[ks].docs |= e.docs
        nodes[ko].docs |= e.docs
        edges.append(e)
    edges.sort(key=lambda e: e.key)
    return Projection(nodes=nodes, edges=edges, docs=docs)


_PREFIXES = {
    str(DCTERMS): "dcterms:",
    str(SDO): "schema:",
    "http://schema.org/": "schema:",
    str(SKOS): "skos:",
    str(RDFS): "rdfs:",
}


def _prefixed(iri: str) -> str:
    for base, prefix in _PREFIXES.items():
        if iri.startswith(base):
            return prefix + iri[len(base) :]
    return local_name(iri)
