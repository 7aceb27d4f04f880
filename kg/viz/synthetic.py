"""Synthetic graphs shaped like ours, for benchmarks and scale tests of the views.

The class mix, predicates (with their domains and ranges) and about 2.5
relations per entity follow shared/spec/vocabulary.md and the seed articles:
many events, agencies and people; few states and regional organisations,
which become hubs. Every document-derived fact carries an
``kg:ExtractedStatement`` record and a sentence, as in docs/provenance.md.
"""

from __future__ import annotations

import datetime as dt
import random

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SDO, SKOS, XSD

from ..namespaces import DOC, ID, KG, REFERENCE_GRAPH

#: Share of each class among the entities (sums to 1).
CLASS_MIX: dict[str, float] = {
    "Event": 0.24,
    "Person": 0.18,
    "GovernmentAgency": 0.16,
    "Instrument": 0.09,
    "Place": 0.08,
    "SectoralBody": 0.07,
    "CooperationMechanism": 0.05,
    "State": 0.04,
    "Programme": 0.03,
    "InternationalOrganization": 0.025,
    "RegionalOrganization": 0.015,
    "Topic": 0.02,
}
_ORG = ("RegionalOrganization", "InternationalOrganization", "SectoralBody", "GovernmentAgency", "Programme")

#: (predicate, subject classes, object classes, how many per subject)
RELATIONS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], float], ...] = (
    ("participatedIn", ("State", "GovernmentAgency", "Person", "InternationalOrganization"), ("Event",), 1.6),
    ("organizedBy", ("Event",), ("SectoralBody", "RegionalOrganization", "State"), 1.0),
    ("heldIn", ("Event",), ("Place",), 0.9),
    ("underFramework", ("Event",), ("CooperationMechanism", "Instrument"), 0.6),
    ("supportedBy", ("Event",), ("Programme", "InternationalOrganization"), 0.4),
    ("addresses", ("Event", "CooperationMechanism"), ("Topic",), 0.5),
    ("agencyOf", ("GovernmentAgency",), ("State",), 1.0),
    ("partOf", ("SectoralBody",), ("RegionalOrganization", "SectoralBody"), 1.0),
    ("reportsTo", ("SectoralBody",), ("SectoralBody",), 0.4),
    ("affiliatedWith", ("Person",), ("GovernmentAgency", "SectoralBody", "InternationalOrganization"), 1.0),
    ("locatedIn", ("Place",), ("State",), 1.0),
    ("endorsedBy", ("Instrument",), ("SectoralBody", "RegionalOrganization"), 1.0),
    ("establishedUnder", ("CooperationMechanism",), ("SectoralBody", "Instrument"), 1.0),
    ("memberOf", ("State",), ("RegionalOrganization", "InternationalOrganization"), 1.5),
    ("presentedAt", ("State", "GovernmentAgency"), ("Event",), 0.3),
)


def synthetic_dataset(
    n_nodes: int, *, seed: int = 0, facts_per_document: int = 25, provenance: bool = True
) -> Dataset:
    """Make a Dataset of about ``n_nodes`` entities and 2-3 relations each.

    Args:
        n_nodes: number of entities (>= 20).
        seed: random seed (same seed, same graph).
        facts_per_document: facts per document named graph.
        provenance: write an ExtractedStatement and a sentence for every
            document fact (False: bare facts only, faster to build).

    Returns:
        A Dataset with a reference graph (states, organisations and their
        structure) and one named graph per synthetic document.

    Raises:
        ValueError: ``n_nodes`` is below 20.
    """
    if n_nodes < 20:
        raise ValueError(f"n_nodes must be at least 20, not {n_nodes}")
    rng = random.Random(seed)
    by_class: dict[str, list[URIRef]] = {c: [] for c in CLASS_MIX}
    classes = list(CLASS_MIX)
    counts = {c: max(1, round(CLASS_MIX[c] * n_nodes)) for c in classes}
    counts["Event"] += n_nodes - sum(counts.values())
    ds = Dataset()
    ref = ds.graph(REFERENCE_GRAPH)
    base = dt.date(2020, 1, 1)
    entity_triples: list[tuple[URIRef, URIRef, Literal | URIRef]] = []
    for c in classes:
        for k in range(counts[c]):
            iri = ID[f"{c.lower()}-{k}"]
            by_class[c].append(iri)
            label = f"{c} {k}"
            entity_triples.append((iri, RDF.type, KG[c]))
            entity_triples.append((iri, RDFS.label, Literal(label)))
            if c in _ORG and k % 2 == 0:
                entity_triples.append((iri, SKOS.altLabel, Literal(f"{c[:3].upper()}{k}")))
            if c == "Event":
                start = base + dt.timedelta(days=rng.randrange(0, 5 * 365))
                entity_triples.append((iri, KG.startDate, Literal(start.isoformat(), datatype=XSD.date)))
                entity_triples.append(
                    (iri, KG.endDate, Literal((start + dt.timedelta(days=rng.randrange(0, 3))).isoformat(), datatype=XSD.date))
                )
                entity_triples.append((iri, KG.participantCount, Literal(rng.randrange(10, 200))))
    for t in entity_triples:
        ref.add(t)

    # hubs: a Zipf-like weight inside each class
    weights = {c: [1.0 / (1 + i) ** 0.9 for i in range(len(by_class[c]))] for c in classes}
    reference_preds = {"agencyOf", "partOf", "locatedIn", "memberOf", "reportsTo"}
    facts: list[tuple[URIRef, str, URIRef]] = []
    seen: set[tuple[URIRef, str, URIRef]] = set()
    for pred, subj_cls, obj_cls, per in RELATIONS:
        for sc in subj_cls:
            for s in by_class[sc]:
                n = int(per) + (1 if rng.random() < per - int(per) else 0)
                for _ in range(n):
                    oc = rng.choice(obj_cls)
                    o = rng.choices(by_class[oc], weights=weights[oc])[0]
                    if o == s or (s, pred, o) in seen:
                        continue
                    seen.add((s, pred, o))
                    if pred in reference_preds and rng.random() < 0.7:
                        ref.add((s, KG[pred], o))
                    else:
                        facts.append((s, pred, o))
    rng.shuffle(facts)
    for d in range(0, len(facts), facts_per_document):
        doc = DOC[f"synthetic-{d // facts_per_document:06d}.txt"]
        g = ds.graph(doc)
        g.add((doc, RDF.type, KG.Document))
        g.add((doc, DCTERMS.title, Literal(f"Synthetic article {d // facts_per_document}")))
        issued = base + dt.timedelta(days=rng.randrange(0, 5 * 365))
        g.add((doc, DCTERMS.issued, Literal(issued.isoformat(), datatype=XSD.date)))
        g.add((doc, SDO.url, Literal(f"https://example.org/{d // facts_per_document}", datatype=XSD.anyURI)))
        for k, (s, pred, o) in enumerate(facts[d : d + facts_per_document]):
            p = KG[pred]
            g.add((s, p, o))
            if not provenance:
                continue
            sent = URIRef(f"{doc}#sentence-{k}")
            g.add((sent, RDF.type, KG.Sentence))
            g.add((sent, DCTERMS.isPartOf, doc))
            g.add((sent, KG.text, Literal(f"Sentence {k}: {s.split('/')[-1]} {pred} {o.split('/')[-1]}.")))
            st = URIRef(f"{doc}#fact-{k}")
            g.add((st, RDF.type, KG.ExtractedStatement))
            g.add((st, RDF.subject, s))
            g.add((st, RDF.predicate, p))
            g.add((st, RDF.object, o))
            g.add((st, PROV.wasDerivedFrom, sent))
            g.add((st, KG.confidence, Literal(f"{rng.uniform(0.5, 1.0):.2f}", datatype=XSD.decimal)))
    return ds
