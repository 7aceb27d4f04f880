"""The reference named graph: the gazetteer's records and the Topic scheme as RDF.

The graph is named :data:`kg.namespaces.REFERENCE_GRAPH` and holds, for each
gazetteer entry (subject: its registry IRI):

* ``rdf:type kg:<Class>``; ``rdfs:label`` the canonical name and
  ``skos:altLabel`` each acronym and alias, as plain literals (no language
  tag, so a label equals the same label in a document graph); local names as
  ``skos:altLabel`` with their language tag;
* each relation as ``kg:<predicate>`` to the target's IRI (a Topic's for
  ``"topic:<label>"`` targets);
* ``kg:establishedIn``, ``kg:periodStart``, ``kg:periodEnd`` (``xsd:gYear``),
  ``kg:endorsementDate`` (``xsd:date``), ``dcterms:replaces``;
* ``owl:sameAs`` and ``skos:exactMatch`` to ``wd:<Q-id>`` where known;
* ``kg:isoAlpha2`` / ``kg:isoAlpha3`` (``xsd:string``) for states;
* ``dcterms:source`` for each source URL (``xsd:anyURI`` literal).

Each Topic is a ``kg:Topic`` and ``skos:Concept`` with ``rdfs:label``,
``skos:prefLabel`` and ``skos:altLabel``s, in (and a top concept of) the
``skos:ConceptScheme`` ``kgid:topics``.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SDO, DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from .gazetteer import TOPIC_PREFIX, Gazetteer, GazetteerEntry
from .iri import registry_iri
from .namespaces import ID, KG, REFERENCE_GRAPH, WD, bind_prefixes

#: IRI of the SKOS concept scheme that holds every Topic.
TOPIC_SCHEME = URIRef(ID["topics"])


def reference_graph(gazetteer: Gazetteer) -> Graph:
    """Build the reference named graph from a loaded gazetteer.

    The result depends only on the gazetteer's content: triples are added in
    file order, so two builds serialise identically.

    Args:
        gazetteer: the registry, e.g. from :func:`kg.gazetteer.load_gazetteer`.

    Returns:
        An rdflib ``Graph`` whose identifier is :data:`kg.namespaces.REFERENCE_GRAPH`,
        with the project's prefixes bound.

    Raises:
        KeyError: a relation points at an unknown id or Topic (cannot happen for
            a gazetteer from :func:`kg.gazetteer.load_gazetteer`, which checks them).

    Source: seeds/gazetteer.yaml and kg/rules/topics.yaml, through the loader.
    """
    graph = Graph(identifier=REFERENCE_GRAPH)
    bind_prefixes(graph)

    graph.add((TOPIC_SCHEME, RDF.type, SKOS.ConceptScheme))
    graph.add((TOPIC_SCHEME, RDFS.label, Literal("Topics of regional cooperation against transnational crime")))
    for topic in gazetteer.topics:
        iri = topic.iri
        graph.add((iri, RDF.type, KG["Topic"]))
        graph.add((iri, RDF.type, SKOS.Concept))
        graph.add((iri, RDFS.label, Literal(topic.label)))
        graph.add((iri, SKOS.prefLabel, Literal(topic.label)))
        for form in (*topic.acronyms, *topic.aliases):
            graph.add((iri, SKOS.altLabel, Literal(form)))
        graph.add((iri, SKOS.inScheme, TOPIC_SCHEME))
        graph.add((iri, SKOS.topConceptOf, TOPIC_SCHEME))
        graph.add((TOPIC_SCHEME, SKOS.hasTopConcept, iri))

    for entry in gazetteer.entries:
        _add_entry(graph, gazetteer, entry)
    return graph


def _add_entry(graph: Graph, gazetteer: Gazetteer, entry: GazetteerEntry) -> None:
    """Add one entry's triples to ``graph``."""
    subject = registry_iri(entry.id)
    graph.add((subject, RDF.type, KG[entry.type]))
    graph.add((subject, RDFS.label, Literal(entry.name)))
    for form in (*entry.acronyms, *entry.aliases):
        graph.add((subject, SKOS.altLabel, Literal(form)))
    for name, lang in entry.local_names:
        graph.add((subject, SKOS.altLabel, Literal(name, lang=lang)))
    for predicate, target in entry.relations:
        obj = gazetteer.topic(target).iri if target.startswith(TOPIC_PREFIX) else gazetteer.iri(target)
        graph.add((subject, KG[predicate], obj))
    if entry.established is not None:
        graph.add((subject, KG["establishedIn"], _year(entry.established)))
    if entry.period is not None:
        # kg:periodStart/periodEnd are defined on Instruments (vocabulary.md); a programme's
        # years go to schema:startDate/endDate
        start, end = (KG["periodStart"], KG["periodEnd"]) if entry.type == "Instrument" else (SDO.startDate, SDO.endDate)
        graph.add((subject, start, _year(entry.period.start)))
        graph.add((subject, end, _year(entry.period.end)))
    if entry.endorsement_date is not None:
        graph.add((subject, KG["endorsementDate"], Literal(entry.endorsement_date.isoformat(), datatype=XSD.date)))
    for predecessor in entry.replaces:
        graph.add((subject, DCTERMS.replaces, gazetteer.iri(predecessor)))
    if entry.wikidata is not None:
        item = URIRef(WD[entry.wikidata])
        graph.add((subject, OWL.sameAs, item))
        graph.add((subject, SKOS.exactMatch, item))
    if entry.iso_alpha2 is not None:
        graph.add((subject, KG["isoAlpha2"], Literal(entry.iso_alpha2, datatype=XSD.string)))
    if entry.iso_alpha3 is not None:
        graph.add((subject, KG["isoAlpha3"], Literal(entry.iso_alpha3, datatype=XSD.string)))
    for url in entry.sources:
        graph.add((subject, DCTERMS.source, Literal(url, datatype=XSD.anyURI)))


def _year(year: int) -> Literal:
    """Return ``year`` as an ``xsd:gYear`` literal (four digits)."""
    return Literal(f"{year:04d}", datatype=XSD.gYear)
