"""Minting of stable IRIs for entities, documents, sentences and statements.

Every IRI produced here is a pure function of its inputs, so that the same
entity mentioned in two articles, or the same article built twice, gets the
same IRI. Slugs are ASCII (``[a-z0-9-]``) so every minted IRI is valid in
Turtle, N-Triples and SPARQL without escaping.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote

from rdflib import URIRef

from .namespaces import DOC, ID

_MAX_SLUG = 80
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(text: str, *, max_length: int = _MAX_SLUG) -> str:
    """Return an ASCII slug of ``text`` (``[a-z0-9-]+``, never empty).

    Accents are folded (``Türkiye`` -> ``turkiye``); other characters become
    hyphens. A slug longer than ``max_length`` characters, or one that folds
    to nothing (e.g. a name in a non-Latin script), ends in an 8-hex-digit
    hash of the original text so that distinct names stay distinct.

    Args:
        text: any Unicode string.
        max_length: the longest slug returned, in characters (>= 12).

    Returns:
        The slug.
    """
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.replace("'", "").replace("\u2019", "")
    slug = _NON_ALNUM.sub("-", folded.casefold()).strip("-")
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    if not slug:
        return "x-" + digest
    if len(slug) > max_length:
        return slug[: max_length - 9].rstrip("-") + "-" + digest
    return slug


def class_slug(cls_local: str) -> str:
    """Return the path segment for an ontology class local name (``GovernmentAgency`` -> ``government-agency``)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", cls_local).lower()


def entity_iri(cls_local: str, label: str) -> URIRef:
    """Mint the IRI of an entity that is not in the gazetteer.

    Args:
        cls_local: local name of its vocabulary class, e.g. ``"Event"``.
        label: its canonical label; case, accents and punctuation do not matter.

    Returns:
        ``https://w3id.org/kg/id/<class-slug>/<label-slug>``.
    """
    return URIRef(ID[f"{class_slug(cls_local)}/{slugify(label)}"])


def registry_iri(registry_id: str) -> URIRef:
    """Return the IRI of a gazetteer entity from its registry id (``asean`` -> ``.../id/asean``)."""
    return URIRef(ID[slugify(registry_id.replace("_", "-"))])


def topic_iri(label: str) -> URIRef:
    """Return the IRI of a Topic (a SKOS concept) from its canonical label."""
    return URIRef(ID["topic/" + slugify(label)])


def document_iri(relative_path: str) -> URIRef:
    """Return the IRI of a source document, which also names its named graph.

    Args:
        relative_path: the document's path relative to the source folder it was
            found in, with ``/`` separators (e.g. ``"news/d010.txt"``).

    Returns:
        ``https://w3id.org/kg/doc/<percent-encoded path>``.
    """
    safe = quote(relative_path.replace("\\", "/").lstrip("/"), safe="/-._~")
    # "." and ".." segments would let an IRI normaliser climb out of the document namespace
    safe = "/".join({".": "%2E", "..": "%2E%2E"}.get(seg, seg) for seg in safe.split("/"))
    return URIRef(DOC[safe or "unnamed"])


def sentence_iri(doc: URIRef, index: int) -> URIRef:
    """Return the IRI of sentence ``index`` (0-based) of document ``doc``."""
    return URIRef(f"{doc}#sentence-{index}")


def statement_iri(doc: URIRef, subject: str, predicate: str, obj: str, sentence: int) -> URIRef:
    """Return the IRI of the provenance record of one extracted triple in one sentence."""
    key = "\x1f".join((subject, predicate, obj, str(sentence)))
    return URIRef(f"{doc}#fact-{hashlib.sha1(key.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}")
