"""Property tests: IRI minting, document reading and the extraction pipeline on arbitrary Unicode.

Hypothesis draws the inputs; example counts are kept small (the pipeline
parses every example with spaCy) and the example database is off so that
no ``.hypothesis/`` folder is written into the repository.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.documents import read_document
from kg.documents.discover import Source
from kg.documents.read import normalise_text
from kg.errors import InputError
from kg.extract.pipeline import Extractor
from kg.iri import document_iri, entity_iri, registry_iri, slugify, topic_iri
from kg.model import Document, Extraction
from kg.rdf import document_triples
from kg.store.oxigraph import OxigraphStore
from kg.vocab import KG

pytestmark = pytest.mark.filterwarnings("ignore:Dataset.*is deprecated:DeprecationWarning")  # rdflib's own serializers

FAST = settings(max_examples=300, deadline=None, database=None)
SLOW = settings(max_examples=30, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: Local names of the vocabulary's classes (what entity_iri is given).
CLASSES = sorted(name for name in KG.__annotations__ if name[:1].isupper())
#: Characters that may not appear in an IRI written in N-Triples, Turtle or SPARQL (RFC 3987 / N-Triples IRIREF).
FORBIDDEN = set(' <>"{}|^`\\')
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

#: Real sentences of the kind the extractor is built for (they produce entities, events and facts).
SENTENCES = [
    "Brunei's delegation participated in the ASEAN Workshop on Strengthening Transnational Investigative "
    "Cooperation under the HSU Process Mechanism, held in Kuala Lumpur on 23-24 April 2025.",
    "Malaysia hosted the 7th Regional Dialogue on Border Security in Penang, Malaysia, on 8 May.",
    "The Philippines and Viet Nam signed a memorandum of understanding on combating trafficking in persons.",
    "INTERPOL and UNODC will hold a training for officers from Thailand and Cambodia in Bangkok next month.",
    "The ASEAN Senior Officials Meeting on Transnational Crime (SOMTC) endorsed the work plan on 12 August 2024.",
    "Delegations from Türkiye and Côte d'Ivoire did not attend the conference in Ankara.",
]
#: Characters that have broken text pipelines before: controls, separators, BOM, bidi, combining marks, quotes.
AWKWARD = ["\x00", "\x0b", "\x0c", "\r", "\r\n", "\u2028", "\u200b", "\u202e", "\ufeff", "\u0301", '"', "'",
           "\\", "<", ">", "{", "}", "|", "^", "`", "\t", "\n\n", "İ", "ß", "ﬁ", "\U0001f600", "Ⅻ", "²", "٣",
           "\x85", "\xa0", "'s", " (", ") "]


def _check_iri(iri: URIRef) -> None:
    """A minted IRI is an rdflib URIRef that Oxigraph accepts and N-Triples round-trips, with no forbidden character."""
    assert isinstance(iri, URIRef)
    text = str(iri)
    assert text.startswith("https://w3id.org/kg/")
    assert not FORBIDDEN & set(text), text
    assert all(0x20 < ord(c) < 0x7F for c in text), text  # minted IRIs are ASCII
    ox.NamedNode(text)  # raises on an invalid IRI
    g = Graph()
    g.add((iri, iri, Literal("x")))
    back = Graph().parse(data=g.serialize(format="nt"), format="nt")
    assert set(back) == set(g)


# --------------------------------------------------------------------------- (a) IRIs


@FAST
@given(label=st.text(), cls=st.sampled_from(CLASSES))
def test_entity_iri_is_valid_and_deterministic(label: str, cls: str) -> None:
    iri = entity_iri(cls, label)
    _check_iri(iri)
    assert entity_iri(cls, "".join(list(label))) == iri


@FAST
@given(text=st.text(), max_length=st.integers(min_value=12, max_value=120))
def test_slugify_gives_a_nonempty_ascii_slug_within_the_length(text: str, max_length: int) -> None:
    slug = slugify(text, max_length=max_length)
    assert SLUG.fullmatch(slug), slug
    assert len(slug) <= max_length
    assert slugify("".join(list(text)), max_length=max_length) == slug


@FAST
@given(path=st.text())
def test_document_iri_is_valid_and_deterministic(path: str) -> None:
    iri = document_iri(path)
    _check_iri(iri)
    assert str(iri).startswith("https://w3id.org/kg/doc/")
    assert document_iri("".join(list(path))) == iri


@FAST
@given(label=st.text())
def test_topic_and_registry_iris_are_valid_and_deterministic(label: str) -> None:
    for mint in (topic_iri, registry_iri):
        iri = mint(label)
        _check_iri(iri)
        assert mint("".join(list(label))) == iri


@pytest.mark.parametrize("path", ["../id/turkiye", "a/./b.txt", "news/../d1.txt"])
def test_document_iri_has_no_dot_segments(path: str) -> None:
    segments = str(document_iri(path)).removeprefix("https://w3id.org/kg/doc/").split("/")
    assert "." not in segments and ".." not in segments


# --------------------------------------------------------------------------- reading arbitrary bytes


@settings(max_examples=150, deadline=None, database=None)
@given(data=st.one_of(st.binary(max_size=300),
                      st.text(max_size=200).map(lambda t: t.encode("utf-8")),
                      st.text(max_size=200).map(lambda t: t.encode("utf-16")),
                      st.text(st.characters(max_codepoint=255), max_size=200).map(lambda t: t.encode("latin-1"))),
       suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_read_document_returns_text_or_raises_a_one_line_input_error(tmp_path_factory: pytest.TempPathFactory,
                                                                     data: bytes, suffix: str) -> None:
    path = tmp_path_factory.mktemp("bytes") / ("doc" + suffix)
    path.write_bytes(data)
    try:
        doc = read_document(Source(path, path.name), warnings=[])
    except InputError as exc:
        assert "\n" not in str(exc) and str(path) in str(exc)
        return
    assert doc.text.strip() and "\r" not in doc.text
    assert doc.text == normalise_text(doc.text)


# --------------------------------------------------------------------------- (b) the pipeline


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    ex = Extractor()
    ex.nlp  # noqa: B018 - load spaCy once for the module
    return ex


@st.composite
def _awkward_sentences(draw: st.DrawFn) -> str:
    """Real sentences with awkward characters inserted at random places (often inside entity names)."""
    chars = list(" ".join(draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3))))
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        at = draw(st.integers(min_value=0, max_value=len(chars)))
        chars.insert(at, draw(st.one_of(st.sampled_from(AWKWARD), st.characters(blacklist_categories=["Cs"]))))
    return "".join(chars)


#: Real English sentences mixed with random Unicode.
MIXED = st.lists(st.one_of(st.sampled_from(SENTENCES), st.text(max_size=40)), max_size=8).map(" ".join)


def _extract(extractor: Extractor, text: str) -> Extraction:
    doc = Document(path=Path("p.txt"), iri=document_iri("p.txt"), text=text, published=None)
    ext = extractor.extract(doc)
    for s in ext.sentences:
        assert text[s.start:s.end] == s.text, s
    for m in ext.mentions:
        assert text[m.start:m.end] == m.text, m
    return ext


def _check_round_trips(ext: Extraction) -> None:
    """The document's triples survive Turtle, N-Quads and the Oxigraph store unchanged."""
    triples = list(document_triples(ext))
    for term in {t for triple in triples for t in triple if isinstance(t, URIRef)}:
        ox.NamedNode(str(term))
    graph = Graph()
    for t in triples:
        graph.add(t)
    turtle = Graph().parse(data=graph.serialize(format="turtle"), format="turtle")
    assert isomorphic(graph, turtle)

    dataset = Dataset()
    named = dataset.graph(ext.document.iri)
    for t in triples:
        named.add(t)
    back = Dataset()
    back.parse(data=dataset.serialize(format="nquads"), format="nquads")
    quads = {(s, p, o) for s, p, o, g in back.quads((None, None, None, None)) if g == ext.document.iri}
    assert len(quads) == len(set(triples))
    assert isomorphic(graph, _graph_of(quads))

    store = OxigraphStore(None)
    store.replace_graph(ext.document.iri, triples)
    assert {(s, p, o) for s, p, o, _ in store.quads(ext.document.iri)} == set(triples)


def _graph_of(triples: set) -> Graph:  # type: ignore[type-arg]
    g = Graph()
    for t in triples:
        g.add(t)
    return g


@SLOW
@given(text=st.text(min_size=0, max_size=400))
def test_pipeline_on_arbitrary_unicode_never_crashes_and_round_trips(extractor: Extractor, text: str) -> None:
    _check_round_trips(_extract(extractor, text))


@SLOW
@given(text=MIXED)
def test_pipeline_on_sentences_mixed_with_unicode_round_trips(extractor: Extractor, text: str) -> None:
    _check_round_trips(_extract(extractor, text))


@SLOW
@given(text=_awkward_sentences())
def test_pipeline_on_sentences_with_awkward_characters_round_trips(extractor: Extractor, text: str) -> None:
    _check_round_trips(_extract(extractor, text))
