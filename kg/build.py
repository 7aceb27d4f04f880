"""The main job: a folder of articles in; a graph with provenance, a store and a view out.

:func:`build` reads every source, extracts each document into its own named
graph, adds the reference graph from the gazetteer, loads everything into the
store (embedded Oxigraph by default), and writes ``graph.trig``, ``graph.ttl``,
``view.html`` and ``report.json`` into the output folder.
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

from rdflib import Dataset, URIRef

from .documents import discover, read_document
from .documents.read import MAX_BYTES
from .errors import InputError, KgError
from .extract.identity import identify_events, stored_reports
from .extract.pipeline import DEFAULT_MODEL, Extractor
from .gazetteer import load_gazetteer
from .model import Extraction, Warn
from .namespaces import INFERRED_GRAPH, REFERENCE_GRAPH, bind_prefixes
from .rdf import document_triples
from .reference import reference_graph
from .store import open_store
from .store.base import Store

ProgressFn = Callable[[str, int, int], None]


@dataclass
class BuildReport:
    """What a build did, as written to ``report.json``.

    Attributes:
        out: output folder.
        store: store location.
        documents: documents extracted; skipped: sources skipped with a warning.
        sentences, mentions, entities, facts, candidates: counts over all documents
            (entities: distinct IRIs).
        triples: quads written to the store, all graphs.
        predicates: asserted facts per vocabulary predicate.
        triples_per_predicate: quads per predicate over all named graphs, as compact IRIs.
        inferred: triples written to the inferred graph (``--infer``).
        warnings: ``{"code", "message", "source"}`` records; warning_counts: per code.
        timings: seconds per stage.
        files: paths of the files written.
        validation: SHACL summary (``conforms``, ``violations``) when validated.
    """

    out: str
    store: str
    documents: int = 0
    skipped: int = 0
    sentences: int = 0
    mentions: int = 0
    entities: int = 0
    facts: int = 0
    candidates: int = 0
    triples: int = 0
    predicates: dict[str, int] = field(default_factory=dict)
    triples_per_predicate: dict[str, int] = field(default_factory=dict)
    inferred: int = 0
    warnings: list[dict[str, str | None]] = field(default_factory=list)
    warning_counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    validation: dict[str, object] = field(default_factory=dict)

    def to_json(self) -> str:
        """The report as pretty-printed JSON."""
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)


def _extract_one(extractor: Extractor, doc) -> Extraction | BaseException:  # type: ignore[no-untyped-def]
    try:
        return extractor.extract(doc)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop a batch
        return exc


def extract_sources(
    sources: Sequence[Path],
    *,
    extractor: Extractor | None = None,
    model: str = DEFAULT_MODEL,
    encoding: str | None = None,
    max_bytes: int = MAX_BYTES,
    jobs: int = 1,
    progress: ProgressFn | None = None,
) -> tuple[list[Extraction], list[Warn]]:
    """Read and extract every article under ``sources``.

    Args:
        sources: files and folders (.txt, .md, .html).
        extractor: a ready extractor (default: a new one over the project gazetteer).
        model: spaCy model name when a new extractor is made.
        encoding: decode every source with this codec instead of detecting it.
        max_bytes: skip (with a warning) sources larger than this, in bytes.
        jobs: worker processes for extraction (1: in this process).
        progress: called as ``progress(name, done, total)`` after each document.

    Returns:
        (one extraction per readable document, warnings). Unreadable files are
        skipped with a warning.

    Raises:
        InputError: a path does not exist, or no source document was found.
    """
    found, warnings = discover(list(sources))
    warnings = list(warnings)
    if not found:
        raise InputError(
            f"No articles found in {', '.join(map(str, sources))}: expected .txt, .md or .html files"
        )
    extractor = extractor or Extractor(model=model)
    documents = []
    for src in found:
        try:
            documents.append(read_document(src, encoding=encoding, max_bytes=max_bytes, warnings=warnings))
        except InputError as exc:
            warnings.append(Warn("W101", str(exc), str(src.path)))
    extractions: list[Extraction] = []
    if jobs > 1 and len(documents) > 1:
        from .parallel import extract_parallel

        results = extract_parallel(documents, jobs=jobs, model=extractor.model, extractor=extractor)
    else:
        results = (_extract_one(extractor, d) for d in documents)
    for i, (d, ext) in enumerate(zip(documents, results), 1):
        if isinstance(ext, KgError):
            raise ext
        if isinstance(ext, BaseException):
            warnings.append(Warn("W102", f"Extraction failed on {d.path}: {type(ext).__name__}: {ext}", str(d.path)))
            continue
        extractions.append(ext)
        warnings.extend(ext.warnings)
        if progress:
            progress(d.path.name, i, len(documents))
    return extractions, warnings


def build(
    sources: Sequence[Path],
    *,
    out: Path = Path("build"),
    store: str | None = None,
    model: str = DEFAULT_MODEL,
    view: bool = True,
    validate: bool = True,
    encoding: str | None = None,
    max_bytes: int = MAX_BYTES,
    jobs: int = 1,
    infer: str | None = None,
    progress: ProgressFn | None = None,
) -> BuildReport:
    """Build the knowledge graph of ``sources`` into ``out``.

    Args:
        sources: article files and folders.
        out: output folder (created); receives graph.trig, graph.ttl, view.html, report.json
            and, unless ``store`` is given, the embedded store in ``out/store``.
        store: store location (``memory``, a folder, or an ``http(s)://`` endpoint);
            default ``out/store``. The store's content is replaced by this build.
        model: spaCy model name.
        view: write ``view.html``.
        validate: run SHACL validation and record it in the report.
        encoding: decode every source with this codec instead of detecting it.
        max_bytes: skip (with a warning) sources larger than this, in bytes.
        jobs: worker processes for extraction.
        infer: ``"rdfs"`` or ``"owl-rl"`` to materialise inferences into the named graph
            ``https://w3id.org/kg/graph/inferred`` (asserted facts stay in their own graphs).
        progress: progress callback ``(name, done, total)``.

    Returns:
        The build report (also written to ``out/report.json``).

    Raises:
        InputError: no readable source; StoreError: the store cannot be written.
    """
    t0 = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    location = store or str(out / "store")
    report = BuildReport(out=str(out), store=location)

    gazetteer = load_gazetteer()
    extractor = Extractor(gazetteer, model=model)
    t = time.perf_counter()
    extractions, warnings = extract_sources(sources, extractor=extractor, encoding=encoding, max_bytes=max_bytes,
                                            jobs=jobs, progress=progress)
    report.timings["extract"] = round(time.perf_counter() - t, 3)
    if not extractions:
        raise InputError("No readable article among the sources: " + "; ".join(w.message for w in warnings[:3]))
    identity = identify_events(extractions, gazetteer=gazetteer)  # one node per meeting across documents
    extractions = identity.extractions
    warnings.extend(identity.warnings)

    t = time.perf_counter()
    graphs: dict[URIRef, list] = {REFERENCE_GRAPH: list(reference_graph(gazetteer))}
    predicates: Counter[str] = Counter()
    entities: set[URIRef] = set()
    for ext in extractions:
        graphs[ext.document.iri] = list(document_triples(ext))
        report.sentences += len(ext.sentences)
        report.mentions += len(ext.mentions)
        report.facts += len(ext.facts)
        report.candidates += len(ext.candidates)
        entities.update(ext.entities)
        predicates.update(f.predicate for f in ext.facts)
    report.documents = len(extractions)
    report.entities = len(entities)
    report.predicates = dict(sorted(predicates.items()))
    report.timings["rdf"] = round(time.perf_counter() - t, 3)

    t = time.perf_counter()
    with open_store(location) as st:
        stale = [g for g in st.graph_names() if g not in graphs]
        st.replace_graphs(graphs)
        for g in stale:
            st.drop_graph(g)
        if infer:
            from .reason import write_inferences

            t_inf = time.perf_counter()
            report.inferred = write_inferences(st, infer)  # type: ignore[arg-type]
            report.timings["infer"] = round(time.perf_counter() - t_inf, 3)
        report.triples = len(st)
        dataset = Dataset()
        bind_prefixes(dataset)
        per_predicate: Counter[str] = Counter()
        for s, p, o, g in st.quads():
            dataset.add((s, p, o, g))
            per_predicate[p] += 1
        nm = dataset.namespace_manager
        report.triples_per_predicate = {nm.normalizeUri(p): n for p, n in sorted(per_predicate.items())}
    report.timings["store"] = round(time.perf_counter() - t, 3)

    t = time.perf_counter()
    trig = out / "graph.trig"
    ttl = out / "graph.ttl"
    dataset.serialize(trig, format="trig")
    merged = dataset_union(dataset)
    merged.serialize(ttl, format="turtle")
    report.files.update(trig=str(trig), ttl=str(ttl), store=location)
    report.timings["serialize"] = round(time.perf_counter() - t, 3)

    if validate:
        t = time.perf_counter()
        from .validate import validate as shacl_validate

        asserted = Dataset()
        for q in dataset.quads((None, None, None, None)):
            if q[3] != INFERRED_GRAPH and getattr(q[3], "identifier", q[3]) != INFERRED_GRAPH:
                asserted.add(q)
        result = shacl_validate(asserted)  # inferences are not checked: a range-inferred type would hide an error
        violations = [v for v in result.violations if str(getattr(v, "severity", "Violation")).endswith("Violation")]
        report.validation = {"conforms": result.conforms, "violations": len(violations),
                             "by_shape": {k: len(v) for k, v in result.grouped().items()}}
        if not result.conforms:
            warnings.append(Warn("W301", f"SHACL validation found {len(violations)} violation(s); run kg validate", None))
        report.timings["validate"] = round(time.perf_counter() - t, 3)

    if view:
        t = time.perf_counter()
        from .viz import write_view

        html = out / "view.html"
        write_view(dataset, html, title="kg: " + ", ".join(Path(s).name for s in sources))
        report.files["view"] = str(html)
        report.timings["view"] = round(time.perf_counter() - t, 3)

    report.warnings = [{"code": w.code, "message": w.message, "source": w.source} for w in warnings]
    report.warning_counts = dict(Counter(w.code for w in warnings))
    report.skipped = sum(1 for w in warnings if w.code.startswith("W1") or w.code in {"W-dup", "W-skip"})
    report.timings["total"] = round(time.perf_counter() - t0, 3)
    rep = out / "report.json"
    report.files["report"] = str(rep)
    rep.write_text(report.to_json(), encoding="utf-8")
    return report


def ingest(
    sources: Sequence[Path],
    *,
    store: "str | Store",
    model: str = DEFAULT_MODEL,
    encoding: str | None = None,
    max_bytes: int = MAX_BYTES,
    progress: ProgressFn | None = None,
) -> BuildReport:
    """Add documents to an existing store, one atomic transaction per document.

    A document already in the store (same document IRI, i.e. same relative path) has
    its named graph replaced, so re-ingesting a changed article leaves no stale or
    duplicate triple. Entities keep their IRIs, so new mentions merge with the
    entities already there. The reference graph is written when the store lacks it.

    Args:
        sources: article files and folders.
        store: store location (a folder, ``memory`` or an ``http(s)://`` endpoint), or an open store.
        model, encoding, max_bytes, progress: as for :func:`build`.

    Returns:
        A report of what was added (no files are written).

    Raises:
        InputError: no readable source; StoreError: the store cannot be written
        (documents written before the failure stay, each complete).
    """
    t0 = time.perf_counter()
    report = BuildReport(out="", store=store if isinstance(store, str) else store.location)
    gazetteer = load_gazetteer()
    extractor = Extractor(gazetteer, model=model)
    extractions, warnings = extract_sources(sources, extractor=extractor, encoding=encoding, max_bytes=max_bytes,
                                            progress=progress)
    if not extractions:
        raise InputError("No readable article among the sources: " + "; ".join(w.message for w in warnings[:3]))
    with _opened(store, create=True) as st:
        if REFERENCE_GRAPH not in st.graph_names():
            st.replace_graph(REFERENCE_GRAPH, list(reference_graph(gazetteer)))
        # one node per meeting, across the new documents and those already stored (a stored IRI wins)
        identity = identify_events(extractions, gazetteer=gazetteer, stored=stored_reports(
            st, exclude={e.document.iri for e in extractions}))
        extractions = identity.extractions
        warnings.extend(identity.warnings)
        predicates: Counter[str] = Counter()
        for ext in extractions:
            st.replace_graph(ext.document.iri, list(document_triples(ext)))  # atomic per document
            report.sentences += len(ext.sentences)
            report.mentions += len(ext.mentions)
            report.facts += len(ext.facts)
            report.candidates += len(ext.candidates)
            predicates.update(f.predicate for f in ext.facts)
        report.triples = len(st)
    report.documents = len(extractions)
    report.entities = len({e for ext in extractions for e in ext.entities})
    report.predicates = dict(sorted(predicates.items()))
    report.warnings = [{"code": w.code, "message": w.message, "source": w.source} for w in warnings]
    report.warning_counts = dict(Counter(w.code for w in warnings))
    report.skipped = sum(1 for w in warnings if w.code.startswith("W1"))
    report.timings["total"] = round(time.perf_counter() - t0, 3)
    return report


def remove(document: str, *, store: "str | Store") -> URIRef:
    """Drop one document's named graph, and with it every fact only that document supported.

    Facts that other documents also state stay: they live in those documents' graphs.

    Args:
        document: the document IRI, or the path (or file name) it was ingested from.
        store: store location, or an open store.

    Returns:
        The IRI of the graph dropped.

    Raises:
        InputError: no document with that IRI or path is in the store.
    """
    from .iri import document_iri

    with _opened(store, create=False) as st:
        names = set(st.graph_names())
        candidates = [URIRef(document)] if document.startswith(("http://", "https://")) else []
        candidates += [document_iri(document), document_iri(Path(document).name)]
        for iri in candidates:
            if iri in names and iri != REFERENCE_GRAPH:
                st.drop_graph(iri)
                return iri
    raise InputError(f"No document {document!r} in store {store}; list them with: kg query "
                     f"'SELECT ?doc WHERE {{ GRAPH ?doc {{ ?doc a kg:Document }} }}'")


@contextmanager
def _opened(store: "str | Store", *, create: bool) -> Iterator["Store"]:
    """The store itself when already open (left open), else opened here and closed after."""
    if not isinstance(store, str):
        yield store
        return
    with open_store(store, create=create) as st:
        yield st


def dataset_union(dataset: Dataset):  # type: ignore[no-untyped-def]
    """All triples of every named graph of ``dataset`` merged into one rdflib Graph."""
    from rdflib import Graph

    g = Graph()
    bind_prefixes(g)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        g.add((s, p, o))
    return g
