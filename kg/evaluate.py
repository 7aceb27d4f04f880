"""Score extraction against gold annotations (``kg eval``).

Implements the scoring rules of shared/spec/gold-format.md: each document
named in the gold file is extracted on its own; system entities (nodes of
its named graph typed with a vocabulary class) match gold entities by
normalised label/alias; unnamed events fall back to start date, then place;
triples are compared after mapping nodes to gold ids; literals match on
lexical value and datatype; type and label triples are not counted;
triples about unmatched entities are false positives. Scores are
micro-averaged over the file and also reported per predicate.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .documents import Source, read_document
from .errors import InputError
from .extract.pipeline import Extractor
from .gazetteer import load_gazetteer
from .rdf import document_triples
from .extract.identity import identify_events
from .reference import reference_graph

#: Classes and properties scored (shared/spec/vocabulary.md).
SCORED_CLASSES = frozenset({
    "RegionalOrganization", "InternationalOrganization", "SectoralBody", "CooperationMechanism",
    "GovernmentAgency", "Programme", "State", "Event", "Instrument", "Person", "Place", "Topic"})
SCORED_PROPERTIES = frozenset({
    "memberOf", "partOf", "reportsTo", "establishedUnder", "agencyOf", "participatedIn", "observerAt",
    "presentedAt", "organizedBy", "hostedBy", "chairedBy", "supportedBy", "heldIn", "locatedIn",
    "underFramework", "endorsedBy", "leadShepherdOf", "affiliatedWith", "addresses", "startDate", "endDate",
    "endorsementDate", "periodStart", "periodEnd", "establishedIn", "participantCount", "countryCount"})


def normalise_label(text: str) -> str:
    """Normalise a label for matching (gold-format.md: NFKC, case-folded, punctuation and "the" stripped)."""
    t = unicodedata.normalize("NFKC", str(text)).casefold()
    t = t.replace("'", "").replace("\u2019", "")
    t = re.sub(r"[^\w\s]", " ", t)
    t = re.sub(r"\bthe\b", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def _local(term: object) -> str:
    return re.split(r"[#/:]", str(term))[-1]


@dataclass
class Counts:
    """True positives, false positives, false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        """Add another count in place."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        """tp / (tp + fp), 0 when undefined."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn), 0 when undefined."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def prf(self) -> dict[str, float | int]:
        """Precision, recall, F1 (3 decimals) and the counts."""
        return {"precision": round(self.precision, 3), "recall": round(self.recall, 3), "f1": round(self.f1, 3),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class DocScore:
    """Scores of one document with its errors."""

    doc: str
    entities: Counts = field(default_factory=Counts)
    triples: Counts = field(default_factory=Counts)
    missed_entities: list[str] = field(default_factory=list)
    spurious_entities: list[str] = field(default_factory=list)
    missed_triples: list[str] = field(default_factory=list)
    false_triples: list[str] = field(default_factory=list)


@dataclass
class EvalResult:
    """Micro-averaged scores over a gold file, per predicate and per document."""

    gold: str
    entities: Counts = field(default_factory=Counts)
    triples: Counts = field(default_factory=Counts)
    per_predicate: dict[str, Counts] = field(default_factory=dict)
    documents: list[DocScore] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return {
            "gold": self.gold,
            "entities": self.entities.prf(),
            "triples": self.triples.prf(),
            "per_predicate": {k: v.prf() for k, v in sorted(self.per_predicate.items())},
            "documents": [
                {"doc": d.doc, "entities": d.entities.prf(), "triples": d.triples.prf(),
                 "missed_entities": d.missed_entities, "spurious_entities": d.spurious_entities,
                 "missed_triples": d.missed_triples, "false_triples": d.false_triples}
                for d in self.documents
            ],
        }

    def to_json(self) -> str:
        """The result as JSON."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)


def score_graph(gold: dict, doc_graph: Graph, labels: Graph) -> tuple[DocScore, dict[str, Counts]]:  # type: ignore[type-arg]
    """Score one document's named graph against its gold record.

    Args:
        gold: one parsed line of the gold file.
        doc_graph: the triples of the document's named graph.
        labels: a graph with rdf:type and label triples of all graphs (document + reference).

    Returns:
        The document's scores and the per-predicate counts.
    """
    ds = DocScore(doc=gold["doc"])
    nodes = {x for s, _, o in doc_graph for x in (s, o) if isinstance(x, URIRef)}
    sys_types: dict[URIRef, set[str]] = {}
    for n in nodes:
        types = {_local(t) for t in labels.objects(n, RDF.type)} & SCORED_CLASSES
        if types:
            sys_types[n] = types
    gold_type = {e["id"]: e["type"] for e in gold["entities"]}
    by_label: dict[str, list[str]] = defaultdict(list)
    pref: dict[str, str] = {}
    for e in gold["entities"]:
        for lab in [e["label"], *e.get("aliases", [])]:
            by_label[normalise_label(lab)].append(e["id"])
        pref[e["id"]] = normalise_label(e["label"])
    node_gold: dict[URIRef, str] = {}
    for n in sorted(sys_types, key=str):
        labs = [normalise_label(x) for p in (RDFS.label, SKOS.altLabel, SKOS.prefLabel) for x in labels.objects(n, p)]
        cands = [g for lab in labs for g in by_label.get(lab, [])]
        if not cands:
            continue
        first = labs[:1]
        choice = [g for g in cands if pref[g] in first] or [g for g in cands if gold_type[g] in sys_types[n]] or cands
        node_gold[n] = choice[0]
    # unnamed events: same start date, else same place
    open_events = [e["id"] for e in gold["entities"] if e["type"] == "Event" and e["id"] not in node_gold.values()]
    g_start = {s: o["value"] for s, p, o in gold["triples"] if p == "startDate" and isinstance(o, dict)}
    g_place = {s: o for s, p, o in gold["triples"] if p == "heldIn" and isinstance(o, str)}
    for n in sorted(sys_types, key=str):
        if n in node_gold or "Event" not in sys_types[n] or not open_events:
            continue
        starts = {str(o) for p, o in labels.predicate_objects(n) if _local(p) == "startDate"}
        places = {node_gold.get(o) for p, o in labels.predicate_objects(n) if _local(p) == "heldIn"}
        hit = [g for g in open_events if g_start.get(g) in starts] or [
            g for g in open_events if g_place.get(g) is not None and g_place.get(g) in places]
        if len(hit) == 1:
            node_gold[n] = hit[0]
            open_events.remove(hit[0])
    first_node: dict[str, URIRef] = {}
    for n, g in node_gold.items():
        first_node.setdefault(g, n)
    for n in sys_types:
        g = node_gold.get(n)
        if g is None or gold_type[g] not in sys_types[n] or first_node[g] != n:
            ds.entities.fp += 1
            ds.spurious_entities.append(_local(n))
        else:
            ds.entities.tp += 1
    found = {g for n, g in node_gold.items() if gold_type[g] in sys_types[n] and first_node[g] == n}
    ds.entities.fn = len(gold["entities"]) - ds.entities.tp
    ds.missed_entities = [e["id"] for e in gold["entities"] if e["id"] not in found]

    gold_t = set()
    for s, p, o in gold["triples"]:
        if isinstance(o, dict):
            o = ("lit", str(o["value"]).strip(), o.get("datatype", "string"))
        gold_t.add((s, p, o))
    sys_t: set[tuple] = set()  # type: ignore[type-arg]
    unmatched: set[tuple[str, str, str]] = set()
    for s, p, o in doc_graph:
        name = _local(p)
        if name not in SCORED_PROPERTIES:
            continue
        if s not in sys_types and not isinstance(o, Literal) and o not in sys_types:
            continue
        gs = node_gold.get(s)  # type: ignore[arg-type]
        if isinstance(o, Literal):
            go: object = ("lit", str(o).strip(), _local(o.datatype) if o.datatype else "string")
        else:
            go = node_gold.get(o)  # type: ignore[arg-type]
        if gs is None or go is None:
            unmatched.add((_local(s), name, str(o) if isinstance(o, Literal) else _local(o)))
        else:
            sys_t.add((gs, name, go))
    per: dict[str, Counts] = defaultdict(Counts)
    for t in sys_t & gold_t:
        per[t[1]].tp += 1
    for t in sys_t - gold_t:
        per[t[1]].fp += 1
    for t in unmatched:
        per[t[1]].fp += 1
    for t in gold_t - sys_t:
        per[t[1]].fn += 1
    ds.triples = Counts(len(sys_t & gold_t), len(sys_t - gold_t) + len(unmatched), len(gold_t - sys_t))
    ds.missed_triples = sorted(map(str, gold_t - sys_t))
    ds.false_triples = sorted(map(str, sys_t - gold_t)) + sorted(map(str, unmatched))
    return ds, per


def evaluate(gold_path: Path, *, extractor: Extractor | None = None) -> EvalResult:
    """Extract every document of a gold file on its own and score it.

    Args:
        gold_path: JSON Lines gold file (shared/spec/gold-format.md); document paths are relative to it.
        extractor: a ready extractor (default: a new one over the project gazetteer).

    Returns:
        The micro-averaged :class:`EvalResult`.

    Raises:
        InputError: the gold file is missing or empty, or a line is not valid JSON (with its line number).
    """
    gold_path = Path(gold_path)
    if not gold_path.is_file():
        raise InputError(f"No such gold file: {gold_path}")
    gazetteer = load_gazetteer()
    extractor = extractor or Extractor(gazetteer)
    ref = Graph()
    for t in reference_graph(gazetteer):
        ref.add(t)
    result = EvalResult(gold=str(gold_path))
    per_all: dict[str, Counts] = defaultdict(Counts)
    for n, line in enumerate(gold_path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            gold = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{gold_path}:{n}:{exc.colno}: not valid JSON ({exc.msg} at column {exc.colno}); fix the line") from exc
        path = gold_path.parent / gold["doc"]
        document = read_document(Source(path=path, name=path.name))
        # the same steps as `kg build` of this one document (event identity reconciles labels)
        ext = identify_events([extractor.extract(document)], gazetteer=gazetteer).extractions[0]
        doc_graph = Graph()
        for t in document_triples(ext):
            doc_graph.add(t)
        labels = Graph()
        for t in ref:
            if t[1] in (RDF.type, RDFS.label, SKOS.altLabel, SKOS.prefLabel):
                labels.add(t)
        for t in doc_graph:
            labels.add(t)
        ds, per = score_graph(gold, doc_graph, labels)
        result.documents.append(ds)
        result.entities.add(ds.entities)
        result.triples.add(ds.triples)
        for k, v in per.items():
            per_all[k].add(v)
    if not result.documents:
        raise InputError(f"{gold_path} names no document (it is empty); add one JSON line per annotated document")
    result.per_predicate = dict(per_all)
    return result


def render_table(result: EvalResult, *, show_errors: bool = False) -> str:
    """Render an :class:`EvalResult` as a plain-text table."""
    lines = [f"{'document':34s} {'entities P/R/F1':>22s} {'triples P/R/F1':>22s}"]
    for d in result.documents:
        e, t = d.entities, d.triples
        lines.append(f"{d.doc:34s} {e.precision:6.3f} {e.recall:6.3f} {e.f1:6.3f}  {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f}")
    lines.append("")
    lines.append(f"{'predicate':20s} {'P':>6s} {'R':>6s} {'F1':>6s} {'tp':>5s} {'fp':>5s} {'fn':>5s}")
    for k, v in sorted(result.per_predicate.items()):
        lines.append(f"{k:20s} {v.precision:6.3f} {v.recall:6.3f} {v.f1:6.3f} {v.tp:5d} {v.fp:5d} {v.fn:5d}")
    if show_errors:
        for d in result.documents:
            lines.append(f"\n## {d.doc}")
            lines += [f"  missed entity   {x}" for x in d.missed_entities]
            lines += [f"  spurious entity {x}" for x in d.spurious_entities]
            lines += [f"  missed triple   {x}" for x in d.missed_triples]
            lines += [f"  false triple    {x}" for x in d.false_triples]
    e, t = result.entities, result.triples
    lines.append("")
    lines.append(f"entities  P {e.precision:.3f}  R {e.recall:.3f}  F1 {e.f1:.3f}  (tp {e.tp}, fp {e.fp}, fn {e.fn})")
    lines.append(f"triples   P {t.precision:.3f}  R {t.recall:.3f}  F1 {t.f1:.3f}  (tp {t.tp}, fp {t.fp}, fn {t.fn})")
    return "\n".join(lines)


__all__ = ["Counts", "DocScore", "EvalResult", "evaluate", "normalise_label", "render_table", "score_graph", "asdict"]
