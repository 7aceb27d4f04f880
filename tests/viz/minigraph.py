"""A miniature of the seed article's graph, with provenance, plus a hostile document."""

from __future__ import annotations

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SDO, SKOS, XSD

from kg.namespaces import DOC, ID, KG, REFERENCE_GRAPH

ASEAN = ID["asean"]
SOMTC = ID["somtc"]
BRUNEI = ID["brunei-darussalam"]
RBPF = ID["royal-brunei-police-force"]
WORKSHOP = ID["event-asean-workshop-hsu-2025-04-23"]
EVIL = ID["evil-org"]
KL = ID["kuala-lumpur"]

DOC1 = DOC["000_6bd910b6c424d9d3.txt"]
DOC2 = DOC["001_hostile.txt"]

EVIL_NAME = "<img src=x onerror=alert(1)>"
SOMTC_FULL = "ASEAN Senior Officials Meeting on Transnational Crime"
WORKSHOP_NAME = "ASEAN Workshop on Strengthening Transnational Investigative Cooperation under the HSU Process Mechanism"

#: entities drawn: ASEAN, SOMTC, Brunei, RBPF, the workshop, the hostile organisation, Kuala Lumpur
NODE_COUNT = 7
#: relations drawn (participatedIn and presentedAt join the same pair)
EDGE_COUNT = 9


def _entity(g, iri, cls, label, *alts):
    g.add((iri, RDF.type, KG[cls]))
    g.add((iri, RDFS.label, Literal(label)))
    for a in alts:
        g.add((iri, SKOS.altLabel, Literal(a)))


def _fact(g, doc, n, s, p, o, sentence, confidence=0.9, rule="test.rule"):
    g.add((s, p, o))
    st = URIRef(f"{doc}#fact-{n}")
    g.add((st, RDF.type, KG.ExtractedStatement))
    g.add((st, RDF.subject, s))
    g.add((st, RDF.predicate, p))
    g.add((st, RDF.object, o))
    g.add((st, PROV.wasDerivedFrom, sentence))
    g.add((st, KG.confidence, Literal(str(confidence), datatype=XSD.decimal)))
    g.add((st, KG.rule, Literal(rule)))


def _sentence(g, doc, i, text):
    sent = URIRef(f"{doc}#sentence-{i}")
    g.add((sent, RDF.type, KG.Sentence))
    g.add((sent, DCTERMS.isPartOf, doc))
    g.add((sent, KG.sentenceIndex, Literal(i)))
    g.add((sent, KG.text, Literal(text)))
    return sent


def _document(g, doc, title, issued, url):
    g.add((doc, RDF.type, KG.Document))
    g.add((doc, DCTERMS.title, Literal(title)))
    g.add((doc, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
    g.add((doc, SDO.url, Literal(url, datatype=XSD.anyURI)))


def mini_dataset() -> Dataset:
    """Build the miniature Dataset: reference graph + two document graphs."""
    ds = Dataset()
    ref = ds.graph(REFERENCE_GRAPH)
    _entity(ref, ASEAN, "RegionalOrganization", "Association of Southeast Asian Nations", "ASEAN")
    _entity(ref, SOMTC, "SectoralBody", SOMTC_FULL, "SOMTC")
    _entity(ref, BRUNEI, "State", "Brunei Darussalam", "Brunei")
    _entity(ref, RBPF, "GovernmentAgency", "Royal Brunei Police Force", "RBPF")
    _entity(ref, KL, "Place", "Kuala Lumpur")
    ref.add((SOMTC, KG.partOf, ASEAN))
    ref.add((BRUNEI, KG.memberOf, ASEAN))
    ref.add((RBPF, KG.agencyOf, BRUNEI))
    ref.add((ASEAN, KG.establishedIn, Literal("1967", datatype=XSD.gYear)))

    g = ds.graph(DOC1)
    _document(g, DOC1, "Brunei joins regional workshop on trafficking", "2025-04-29", "https://example.org/news/1")
    for iri in (ASEAN, SOMTC, BRUNEI, RBPF):
        g.add((iri, RDF.type, next(ref.objects(iri, RDF.type))))
        g.add((iri, RDFS.label, next(ref.objects(iri, RDFS.label))))
    _entity(g, WORKSHOP, "Event", WORKSHOP_NAME)
    _entity(g, KL, "Place", "Kuala Lumpur")
    g.add((WORKSHOP, KG.startDate, Literal("2025-04-23", datatype=XSD.date)))
    g.add((WORKSHOP, KG.endDate, Literal("2025-04-24", datatype=XSD.date)))
    g.add((WORKSHOP, KG.participantCount, Literal(33)))
    s3 = _sentence(g, DOC1, 3, "KUALA LUMPUR: Brunei's delegation participated in the ASEAN Workshop on "
                   "Strengthening Transnational Investigative Cooperation under the HSU Process Mechanism.")
    s4 = _sentence(g, DOC1, 4, "The Royal Brunei Police Force presented the country's experience.")
    s5 = _sentence(g, DOC1, 5, "The workshop, held under SOMTC, took place on 23-24 April 2025 in Kuala Lumpur.")
    _fact(g, DOC1, 1, BRUNEI, KG.participatedIn, WORKSHOP, s3, 0.9, "participation.delegation")
    _fact(g, DOC1, 2, BRUNEI, KG.presentedAt, WORKSHOP, s4, 0.7, "presentation.agency")
    _fact(g, DOC1, 3, RBPF, KG.participatedIn, WORKSHOP, s4, 0.8)
    _fact(g, DOC1, 4, WORKSHOP, KG.underFramework, SOMTC, s5, 0.85)
    _fact(g, DOC1, 5, WORKSHOP, KG.heldIn, KL, s5, 0.95)
    _fact(g, DOC1, 6, SOMTC, KG.partOf, ASEAN, s5, 0.6)  # also in the reference graph
    cand = URIRef(f"{DOC1}#candidate-1")  # held back: never drawn
    g.add((cand, RDF.type, KG.CandidateStatement))
    g.add((cand, RDF.subject, BRUNEI))
    g.add((cand, RDF.predicate, KG.hostedBy))
    g.add((cand, RDF.object, WORKSHOP))
    g.add((cand, PROV.wasDerivedFrom, s5))
    g.add((cand, KG.confidence, Literal("0.4", datatype=XSD.decimal)))
    mention = URIRef(f"{DOC1}#mention-1")
    g.add((mention, RDF.type, KG.Mention))
    g.add((mention, KG.mentionOf, BRUNEI))
    g.add((mention, KG.inSentence, s3))

    h = ds.graph(DOC2)
    _document(h, DOC2, "<script>alert('title')</script> & news", "2025-05-02", "javascript:alert(3)")
    _entity(h, EVIL, "InternationalOrganization", EVIL_NAME, "<b>EVIL</b>")
    _entity(h, WORKSHOP, "Event", WORKSHOP_NAME)
    s1 = _sentence(h, DOC2, 1, "It was supported by </script><script>alert(2)</script>\u2028 <!-- and \u2029 more.")
    _fact(h, DOC2, 1, WORKSHOP, KG.supportedBy, EVIL, s1, 0.75)
    h.add((EVIL, KG.acronym, Literal("<svg onload=alert(4)>")))
    return ds
