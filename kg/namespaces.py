"""IRI bases of the project and the namespaces reused from W3C vocabularies.

The project's own terms live under :data:`KG` (``https://w3id.org/kg/ontology#``);
entity IRIs under :data:`ID`, document IRIs (which are also the names of the
documents' named graphs) under :data:`DOC`, and the fixed named graphs under
:data:`GRAPH`.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, XSD
from rdflib.namespace import ORG

BASE = "https://w3id.org/kg/"
KG = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
DOC = Namespace(BASE + "doc/")
GRAPH = Namespace(BASE + "graph/")
WD = Namespace("http://www.wikidata.org/entity/")

#: Named graph holding the curated reference facts (the gazetteer).
REFERENCE_GRAPH = URIRef(GRAPH["reference"])
#: Named graph holding materialised inferences (``kg build --infer``).
INFERRED_GRAPH = URIRef(GRAPH["inferred"])
#: Named graph holding the ontology itself when it is loaded into a store.
ONTOLOGY_GRAPH = URIRef(GRAPH["ontology"])

PREFIXES: dict[str, str] = {
    "kg": str(KG),
    "kgid": str(ID),
    "kgdoc": str(DOC),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "org": str(ORG),
    "schema": str(SDO),
    "time": str(TIME),
    "wd": str(WD),
}


def sparql_prefixes() -> str:
    """Return the PREFIX block for :data:`PREFIXES`, one declaration a line."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def bind_prefixes(graph) -> None:  # type: ignore[no-untyped-def]
    """Bind :data:`PREFIXES` on an rdflib Graph or Dataset (in place)."""
    for p, iri in PREFIXES.items():
        graph.bind(p, iri, override=True)
