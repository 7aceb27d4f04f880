"""Plain data shapes passed between the stages: documents, sentences, mentions, facts.

These carry no behaviour; :mod:`kg.extract` fills them and :mod:`kg.rdf` turns
them into triples with provenance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef


@dataclass(frozen=True)
class Warn:
    """A non-fatal problem, counted by ``code`` in report.json.

    Attributes:
        code: short stable code, e.g. ``"W101"`` (see docs/warnings.md).
        message: one line naming the object and the fix.
        source: file or document the warning is about, if any.
    """

    code: str
    message: str
    source: str | None = None


@dataclass
class Document:
    """One source article, decoded and reduced to its text.

    Attributes:
        path: where it was read from.
        iri: the document IRI, also the name of its named graph.
        text: the main text (Unicode, newlines kept); offsets refer to it.
        title, publisher, url: metadata from the sidecar or the text, if known.
        published: publication date, anchoring dates without a year.
        media_type: ``text/plain``, ``text/markdown`` or ``text/html``.
        encoding: the encoding the bytes were decoded from.
    """

    path: Path
    iri: URIRef
    text: str
    title: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    url: str | None = None
    media_type: str = "text/plain"
    encoding: str = "utf-8"


@dataclass(frozen=True)
class Sentence:
    """A sentence: ``text == document.text[start:end]`` (character offsets)."""

    index: int
    start: int
    end: int
    text: str


@dataclass
class Entity:
    """An entity as the extractor knows it.

    Attributes:
        iri: its stable IRI (registry entities keep their registry IRI).
        cls: local name of its vocabulary class (``"State"``, ``"Event"``, ...).
        label: canonical label (rdfs:label).
        alt_labels: other forms (skos:altLabel), including surface forms seen.
        registry_id: gazetteer id when linked to the registry, else None.
    """

    iri: URIRef
    cls: str
    label: str
    alt_labels: set[str] = field(default_factory=set)
    registry_id: str | None = None


@dataclass(frozen=True)
class Mention:
    """A span of text that refers to an entity (character offsets into the document)."""

    start: int
    end: int
    text: str
    entity: URIRef
    sentence: int
    source: str  # "gazetteer" | "acronym" | "demonym" | "ner" | "pattern"


@dataclass(frozen=True)
class Fact:
    """One extracted triple with where it came from.

    Attributes:
        subject, predicate, object: the triple; ``predicate`` is a vocabulary local name.
        sentence: index of the sentence that states it.
        rule: id of the rule or model that produced it (from the rule files).
        confidence: 0..1.
        modality: ``"asserted"``, or ``"negated"``, ``"planned"``, ``"proposed"``,
            ``"hoped"``, ``"conflicting"`` (a second value where one is allowed) for held-back candidates.
    """

    subject: URIRef
    predicate: str
    object: URIRef | Literal
    sentence: int
    rule: str
    confidence: float
    modality: str = "asserted"


@dataclass
class Extraction:
    """Everything extracted from one document."""

    document: Document
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[URIRef, Entity] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    candidates: list[Fact] = field(default_factory=list)
    warnings: list[Warn] = field(default_factory=list)
