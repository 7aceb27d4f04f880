"""Turn one document's :class:`~kg.model.Extraction` into the triples of its named graph.

The layout (documents, sentences, mentions, facts and their reified
provenance records, held-back candidates) is described in docs/provenance.md.
Output is deterministic: the same extraction always gives the same triples
(no blank nodes, no timestamps), so rebuilding changes nothing.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Iterator

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SDO, SKOS, XSD
from rdflib.term import Node

from .iri import sentence_iri, statement_iri
from .model import Extraction, Fact
from .namespaces import KG, bind_prefixes

Triple = tuple[Node, Node, Node]

#: Classes that also get a SKOS type so Topic nodes are concepts (vocabulary.md: "a SKOS concept").
_EXTRA_TYPES = {"Topic": (SKOS.Concept,)}


def document_triples(ext: Extraction) -> Iterator[Triple]:
    """Yield every triple of the document's named graph.

    Args:
        ext: one document's extraction.

    Yields:
        ``(subject, predicate, object)`` rdflib terms.
    """
    doc = ext.document
    d = doc.iri
    yield d, RDF.type, KG.Document
    yield d, KG.sourcePath, Literal(str(doc.path.name if doc.path else ""))
    if doc.title:
        yield d, DCTERMS.title, Literal(doc.title)
    if doc.publisher:
        yield d, DCTERMS.publisher, Literal(doc.publisher)
    if doc.published:
        yield d, DCTERMS.issued, Literal(doc.published.isoformat(), datatype=XSD.date)
    if doc.url:
        yield d, SDO.url, Literal(doc.url, datatype=XSD.anyURI)
    yield d, DCTERMS.format, Literal(doc.media_type)

    used_sentences = {f.sentence for f in ext.facts} | {f.sentence for f in ext.candidates} | {
        m.sentence for m in ext.mentions
    }
    for s in ext.sentences:
        if s.index not in used_sentences:
            continue
        si = sentence_iri(d, s.index)
        yield si, RDF.type, KG.Sentence
        yield si, DCTERMS.isPartOf, d
        yield si, KG.sentenceIndex, Literal(s.index)
        yield si, KG.startOffset, Literal(s.start)
        yield si, KG.endOffset, Literal(s.end)
        yield si, KG.text, Literal(s.text)

    for ent in sorted(ext.entities.values(), key=lambda e: str(e.iri)):
        yield ent.iri, RDF.type, KG[ent.cls]
        for extra in _EXTRA_TYPES.get(ent.cls, ()):
            yield ent.iri, RDF.type, extra
        yield ent.iri, RDFS.label, Literal(ent.label)
        for alt in sorted(ent.alt_labels):
            if alt != ent.label:
                yield ent.iri, SKOS.altLabel, Literal(alt)

    for m in ext.mentions:
        # one span can name two entities (a name and the body inside it): the entity is part of the IRI
        mi = URIRef(f"{d}#mention-{m.start}-{m.end}-{hashlib.sha1(str(m.entity).encode()).hexdigest()[:8]}")
        yield mi, RDF.type, KG.Mention
        yield mi, KG.mentionOf, m.entity
        yield mi, KG.inSentence, sentence_iri(d, m.sentence)
        yield mi, KG.startOffset, Literal(m.start)
        yield mi, KG.endOffset, Literal(m.end)
        yield mi, KG.anchorText, Literal(m.text)

    for f in ext.facts:
        yield f.subject, KG[f.predicate], f.object
        yield from _statement(d, f, KG.ExtractedStatement, "fact")
    for f in ext.candidates:
        yield from _statement(d, f, KG.CandidateStatement, "candidate")


def _statement(d: URIRef, f: Fact, cls: URIRef, kind: str) -> Iterator[Triple]:
    st = statement_iri(d, str(f.subject), f.predicate, f.object.n3(), f.sentence)
    if kind != "fact":
        st = URIRef(str(st).replace("#fact-", "#candidate-"))
    yield st, RDF.type, cls
    yield st, RDF.subject, f.subject
    yield st, RDF.predicate, KG[f.predicate]
    yield st, RDF.object, f.object
    yield st, PROV.wasDerivedFrom, sentence_iri(d, f.sentence)
    yield st, KG.confidence, Literal(Decimal(str(round(f.confidence, 3))), datatype=XSD.decimal)
    yield st, KG.rule, Literal(f.rule)
    if kind != "fact":
        yield st, KG.modality, Literal(f.modality)


def document_graph(ext: Extraction) -> Graph:
    """Return the document's named graph as an rdflib Graph whose identifier is the document IRI."""
    g = Graph(identifier=ext.document.iri)
    bind_prefixes(g)
    for t in document_triples(ext):
        g.add(t)
    return g


__all__ = ["document_graph", "document_triples"]
