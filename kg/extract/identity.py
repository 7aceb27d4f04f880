"""Event identity across documents: one node per meeting, however each report names it.

Each document is extracted on its own, so a meeting reported by a press release
("the 17th ASEAN Senior Officials Meeting on Transnational Crime"), a news story
("a meeting of the SOMTC") and a ministry post ("the Seventeenth Senior Officials'
Meeting on Transnational Crime") can come out as several ``kg:Event`` nodes, or as
one node with a different label in each document. :func:`identify_events` finds
the Event nodes of different documents that denote one meeting and rewrites them
to one canonical IRI and label in every extraction (entities, facts, candidates,
mentions); every other name becomes a ``skos:altLabel``, and each document keeps
its own facts and provenance in its own named graph.

Two nodes denote one meeting when (thresholds and word lists in
``kg/rules/event_identity.yaml``):

- their date intervals overlap (when only one side has dates, the other side's
  report was published in a window around them and the names agree fully; two
  undated events never merge unless their IRIs already agree);
- their places are compatible (the same ``kg:heldIn``, one inside the other, or
  one side names none);
- their names are compatible: they name the same body, or their significant
  words overlap enough; and nothing conflicts: a stated session ordinal, the
  bodies named (the SOMTC is not the SOMTC and Canada) and the kind of event
  (a workshop is not a meeting) must agree when both sides state them.

Merging is complete-link: every pair in a group must match, and a group holds at
most one node per document. The canonical IRI does not depend on document
order; in :func:`kg.build.ingest`, an IRI already in the store wins. When the
reports of one meeting disagree on its ``kg:startDate`` or ``kg:endDate``, the
value most reports give is asserted and the others are kept as
``conflicting`` candidates (those properties take one value).

Warnings: ``W202`` for each node merged into another, ``W203`` for each date
held back as conflicting.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ..errors import ConfigError
from ..iri import registry_iri
from ..model import Entity, Extraction, Fact, Warn
from .names import is_ordinal, ordinal_number

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer
    from ..store.base import Store

#: Vocabulary classes of event nodes.
EVENT_CLASSES = frozenset({"Event", "Meeting", "Workshop", "Conference"})
#: Classes of the bodies and parties a name can name ("17th SOMTC", "AMMTC + China Consultation").
PARTY_CLASSES = frozenset({"State", "RegionalOrganization", "InternationalOrganization", "SectoralBody",
                           "CooperationMechanism", "GovernmentAgency", "Programme"})
#: In the IRI of an event known to one document only ("a meeting ..."), minted with the document IRI.
_DOC_LOCAL = "-https-w3id-org-"
_RULES_FILE = "event_identity.yaml"
_WORD = re.compile(r"[a-z0-9]+")
_ACRONYM = re.compile(r"(?<![\w-])[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*(?![\w-])")
_KG = "https://w3id.org/kg/ontology#"

Span = tuple[int, int, URIRef, str]  # start, end (relative to the surface), entity, class


@dataclass(frozen=True)
class IdentityRules:
    """The settings of event identity, from ``kg/rules/event_identity.yaml``.

    Attributes:
        generic_words: words left out of name comparison (case-folded).
        kinds: event word -> kind (``"workshop"`` -> ``"workshop"``, ``"seminar"`` -> ``"workshop"``).
        session_kinds: kinds a numbered session of a body named without an event word can be.
        min_name_overlap: least overlap coefficient of significant words, 0..1.
        date_slack_days: days of slack when comparing date intervals.
        report_days_before, report_days_after: window, in days around the dated side's interval,
            in which an undated report must have been published.
        undated_min_name_overlap: least word overlap when one side is undated, 0..1.

    Source: kg/rules/event_identity.yaml (its header explains each figure).
    """

    generic_words: frozenset[str]
    kinds: Mapping[str, str]
    session_kinds: frozenset[str]
    min_name_overlap: float
    date_slack_days: int
    report_days_before: int
    report_days_after: int
    undated_min_name_overlap: float


def load_identity_rules(text: str | None = None) -> IdentityRules:
    """Load and check the event identity rules.

    Args:
        text: YAML text to read instead of the packaged ``kg/rules/event_identity.yaml``.

    Returns:
        The rules.

    Raises:
        ConfigError: a key is missing or has a value of the wrong type (names the file and key).

    Source: kg/rules/event_identity.yaml.
    """
    where = "kg/rules/event_identity.yaml"
    if text is None:
        text = resources.files("kg.rules").joinpath(_RULES_FILE).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where}: not valid YAML ({exc}); fix the file") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping of settings; fix the file")

    def words(key: str) -> list[str]:
        value = data.get(key)
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            raise ConfigError(f"{where}: {key!r} must be a list of words; fix it")
        return [w.casefold() for w in value]

    def number(key: str, *, lo: float, hi: float, integer: bool = False) -> float:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)) \
                or not lo <= value <= hi:
            kind = "an integer" if integer else "a number"
            raise ConfigError(f"{where}: {key!r} must be {kind} from {lo:g} to {hi:g}, got {value!r}; fix it")
        return value

    kinds_data = data.get("kinds")
    if not isinstance(kinds_data, dict) or not kinds_data:
        raise ConfigError(f"{where}: 'kinds' must map each kind to a list of words; fix it")
    kinds: dict[str, str] = {}
    for kind, kind_words in kinds_data.items():
        if not isinstance(kind_words, list) or not all(isinstance(w, str) and w for w in kind_words):
            raise ConfigError(f"{where}: kind {kind!r} must be a list of words; fix it")
        for w in kind_words:
            if kinds.setdefault(w.casefold(), str(kind)) != kind:
                raise ConfigError(f"{where}: the word {w!r} is listed under two kinds; keep it under one")
    session = words("session_kinds")
    unknown = [k for k in session if k not in set(kinds.values())]
    if unknown:
        raise ConfigError(f"{where}: session_kinds names unknown kind(s) {', '.join(unknown)}; add them under kinds")
    return IdentityRules(
        generic_words=frozenset(words("generic_words")),
        kinds=kinds,
        session_kinds=frozenset(session),
        min_name_overlap=float(number("min_name_overlap", lo=0.0, hi=1.0)),
        date_slack_days=int(number("date_slack_days", lo=0, hi=366, integer=True)),
        report_days_before=int(number("report_days_before", lo=0, hi=366, integer=True)),
        report_days_after=int(number("report_days_after", lo=0, hi=366, integer=True)),
        undated_min_name_overlap=float(number("undated_min_name_overlap", lo=0.0, hi=1.0)),
    )


@lru_cache(maxsize=1)
def _default_rules() -> IdentityRules:
    return load_identity_rules()


@dataclass
class EventReport:
    """What one document says about one event node.

    Attributes:
        iri: the event node.
        document: the document (named graph) IRI.
        published: the document's publication date, if known.
        labels: its label in that document first, then its alternative labels.
        surfaces: each mention's text with the mentions inside it, as
            ``(start, end, entity IRI, class local name)`` relative to the text.
        starts, ends: asserted ``kg:startDate`` / ``kg:endDate`` values.
        places: asserted ``kg:heldIn`` objects.
        stored: True when read from the store (ingest), False for a new extraction.
        cls: vocabulary class local name.
    """

    iri: URIRef
    document: URIRef
    published: dt.date | None = None
    labels: list[str] = field(default_factory=list)
    surfaces: list[tuple[str, tuple[Span, ...]]] = field(default_factory=list)
    starts: set[dt.date] = field(default_factory=set)
    ends: set[dt.date] = field(default_factory=set)
    places: set[URIRef] = field(default_factory=set)
    stored: bool = False
    cls: str = "Event"


@dataclass
class EventIdentity:
    """The result of :func:`identify_events`.

    Attributes:
        extractions: the extractions with event IRIs, labels and conflicting dates rewritten
            (same order as given; an unaffected extraction is returned as it was).
        merged: IRI of each node merged away -> the canonical IRI it now has.
        warnings: ``W202`` (a node merged into another), ``W203`` (a date held back as conflicting).
    """

    extractions: list[Extraction]
    merged: dict[URIRef, URIRef] = field(default_factory=dict)
    warnings: list[Warn] = field(default_factory=list)


@dataclass
class _Node:
    """One event IRI with what every report says about it."""

    iri: URIRef
    reports: list[EventReport]
    docs: frozenset[URIRef]
    stored: bool
    tokens: frozenset[str]
    bodies: frozenset[URIRef]
    ordinals: frozenset[int]
    kinds: frozenset[str]
    start: dt.date | None
    end: dt.date | None
    places: frozenset[URIRef]
    published: frozenset[dt.date]


# -- reports --------------------------------------------------------------------------------


def extraction_reports(ext: Extraction) -> list[EventReport]:
    """Return one :class:`EventReport` per event node of one document's extraction.

    Args:
        ext: a document's extraction.

    Returns:
        The reports, ordered by IRI.
    """
    reports: dict[URIRef, EventReport] = {}
    doc = ext.document
    for ent in ext.entities.values():
        if ent.cls in EVENT_CLASSES:
            reports[ent.iri] = EventReport(ent.iri, doc.iri, doc.published,
                                           [ent.label, *sorted(ent.alt_labels - {ent.label})], cls=ent.cls)
    if not reports:
        return []
    cls_of = {iri: e.cls for iri, e in ext.entities.items()}
    for m in ext.mentions:
        rep = reports.get(m.entity)
        if rep is None:
            continue
        inner = tuple(sorted(
            (o.start - m.start, o.end - m.start, o.entity, cls_of.get(o.entity, ""))
            for o in ext.mentions
            if o.entity != m.entity and m.start <= o.start and o.end <= m.end))
        rep.surfaces.append((m.text, inner))
    for f in ext.facts:
        rep = reports.get(f.subject)  # type: ignore[arg-type]
        if rep is None:
            continue
        if f.predicate in {"startDate", "endDate"} and isinstance(f.object, Literal):
            value = _date(f.object)
            if value is not None:
                (rep.starts if f.predicate == "startDate" else rep.ends).add(value)
        elif f.predicate == "heldIn" and isinstance(f.object, URIRef):
            rep.places.add(f.object)
    return [reports[k] for k in sorted(reports)]


_STORED_EVENTS = """
PREFIX kg: <https://w3id.org/kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?g ?e ?cls ?p ?o WHERE {
  VALUES ?cls { kg:Event kg:Meeting kg:Workshop kg:Conference }
  VALUES ?p { rdfs:label skos:altLabel kg:startDate kg:endDate kg:heldIn }
  GRAPH ?g { ?e a ?cls ; ?p ?o }
}"""

_STORED_MENTIONS = """
PREFIX kg: <https://w3id.org/kg/ontology#>
SELECT ?g ?e ?m ?text ?a ?b ?x ?xa ?xb ?xcls WHERE {
  VALUES ?cls { kg:Event kg:Meeting kg:Workshop kg:Conference }
  GRAPH ?g {
    ?e a ?cls . ?m kg:mentionOf ?e ; kg:anchorText ?text ; kg:inSentence ?s ; kg:startOffset ?a ; kg:endOffset ?b .
    OPTIONAL {
      ?m2 kg:inSentence ?s ; kg:mentionOf ?x ; kg:startOffset ?xa ; kg:endOffset ?xb .
      FILTER (?x != ?e && ?xa >= ?a && ?xb <= ?b)
    }
  }
  OPTIONAL { ?x a ?xcls }
}"""

_STORED_ISSUED = """
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?g ?d WHERE { GRAPH ?g { ?g dcterms:issued ?d } }"""


def stored_reports(store: "Store", *, exclude: Iterable[URIRef] = ()) -> list[EventReport]:
    """Read what the documents already in a store say about their event nodes.

    Args:
        store: an open store.
        exclude: named graphs to leave out (documents about to be replaced).

    Returns:
        One :class:`EventReport` (``stored=True``) per event node and document graph,
        ordered by document and IRI.

    Raises:
        StoreError: the store cannot be read.
    """
    skip = set(exclude)
    reports: dict[tuple[URIRef, URIRef], EventReport] = {}
    labels: dict[tuple[URIRef, URIRef], tuple[list[str], list[str]]] = {}
    issued: dict[URIRef, dt.date] = {}
    for g, d in store.query(_STORED_ISSUED).rows:
        value = _date(d) if isinstance(d, Literal) else None
        if isinstance(g, URIRef) and value is not None:
            issued[g] = value
    for g, e, cls, p, o in store.query(_STORED_EVENTS).rows:
        if not isinstance(g, URIRef) or not isinstance(e, URIRef) or g in skip:
            continue
        key = (g, e)
        rep = reports.get(key)
        if rep is None:
            rep = reports[key] = EventReport(e, g, issued.get(g), stored=True,
                                             cls=str(cls).removeprefix(_KG))
            labels[key] = ([], [])
        pred = str(p)
        if pred.endswith("#label"):
            labels[key][0].append(str(o))
        elif pred.endswith("#altLabel"):
            labels[key][1].append(str(o))
        elif pred == _KG + "heldIn" and isinstance(o, URIRef):
            rep.places.add(o)
        elif isinstance(o, Literal) and (value := _date(o)) is not None:
            (rep.starts if pred == _KG + "startDate" else rep.ends).add(value)
    for key, (main, alts) in labels.items():
        reports[key].labels = sorted(set(main)) + sorted(set(alts) - set(main))
    surfaces: dict[tuple[URIRef, URIRef, URIRef], tuple[str, int, set[Span]]] = {}
    for g, e, m, text, a, b, x, xa, xb, xcls in store.query(_STORED_MENTIONS).rows:
        if (g, e) not in reports or a is None or text is None:
            continue
        start = int(a)  # type: ignore[call-overload]
        entry = surfaces.setdefault((g, e, m), (str(text), start, set()))  # type: ignore[arg-type]
        if isinstance(x, URIRef) and xa is not None and xb is not None:
            entry[2].add((int(xa) - start, int(xb) - start, x,  # type: ignore[call-overload]
                          str(xcls).removeprefix(_KG) if xcls is not None else ""))
    for (graph, event, _m), (surface, _start, inner) in sorted(surfaces.items()):
        # an entity typed in several graphs may come with several classes: keep a party class if any
        best: dict[tuple[int, int, URIRef], str] = {}
        for s, t, ent, c in inner:
            if (s, t, ent) not in best or c in PARTY_CLASSES:
                best[(s, t, ent)] = c
        spans = tuple(sorted((s, t, ent, c) for (s, t, ent), c in best.items()))
        reports[(graph, event)].surfaces.append((surface, spans))
    return [reports[k] for k in sorted(reports)]


# -- signatures ----------------------------------------------------------------------------


def _date(value: Literal) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return _WORD.findall(folded.replace("'", "").replace("\u2019", ""))


def _ordinal(text: str) -> int | None:
    words = text.split()
    while words and words[0].casefold() == "the":
        words = words[1:]
    if not words or not is_ordinal(words[0]):
        return None
    digits = re.match(r"\d+", ordinal_number(words[0]))
    return int(digits.group(0)) if digits else None


def _significant(words: Iterable[str], rules: IdentityRules) -> set[str]:
    return {w for w in words if len(w) > 1 and w not in rules.generic_words and not any(c.isdigit() for c in w)
            and not is_ordinal(w)}


def _node(iri: URIRef, reports: list[EventReport], rules: IdentityRules, world: "_World") -> _Node:
    tokens: set[str] = set()
    bodies: set[URIRef] = set()
    ordinals: set[int] = set()
    kinds: set[str] = set()
    for rep in reports:
        for text, inner in rep.surfaces:
            parties = [s for s in inner if s[3] in PARTY_CLASSES]
            maximal = [s for s in parties
                       if not any(o is not s and o[0] <= s[0] and s[1] <= o[1] and (o[1] - o[0]) > (s[1] - s[0])
                                  for o in parties)]
            # a known acronym outside every mention inside the name names a body too: the mentions
            # inside an unnamed event ("a meeting of the SOMTC") are not recorded
            for w in _ACRONYM.finditer(text):
                body = world.acronyms.get(w.group(0))
                if body is not None and not any(s[0] <= w.start() and w.end() <= s[1] for s in inner):
                    maximal.append((w.start(), w.end(), body, "acronym"))
            residual = list(text)
            for s, t, x, _c in maximal:
                bodies.add(x)
                tokens.add("@" + str(x))
                residual[max(s, 0):max(t, 0)] = " " * (max(t, 0) - max(s, 0))
            kinds.update(rules.kinds[w] for w in _words("".join(residual)) if w in rules.kinds)
            tokens |= _significant(_words(text), rules)
            if (n := _ordinal(text)) is not None:
                ordinals.add(n)
        for label in rep.labels:
            tokens |= _significant(_words(label), rules)
            if (n := _ordinal(label)) is not None:
                ordinals.add(n)
    starts = {d for r in reports for d in r.starts}
    ends = {d for r in reports for d in r.ends}
    start = min(starts) if starts else (min(ends) if ends else None)
    end = max(ends) if ends else (max(starts) if starts else None)
    return _Node(
        iri=iri, reports=reports, docs=frozenset(r.document for r in reports),
        stored=any(r.stored for r in reports), tokens=frozenset(tokens), bodies=frozenset(bodies),
        ordinals=frozenset(ordinals), kinds=frozenset(kinds), start=start, end=end,
        places=frozenset(p for r in reports for p in r.places),
        published=frozenset(r.published for r in reports if r.published is not None))


# -- matching ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _World:
    """What matching knows beyond the reports: which bodies and places contain which."""

    ancestors: Mapping[URIRef, frozenset[URIRef]]
    within: Mapping[URIRef, frozenset[URIRef]]
    acronyms: Mapping[str, URIRef]

    def related_body(self, a: URIRef, b: URIRef) -> bool:
        return a == b or a in self.ancestors.get(b, ()) or b in self.ancestors.get(a, ())

    def related_place(self, a: URIRef, b: URIRef) -> bool:
        return a == b or a in self.within.get(b, ()) or b in self.within.get(a, ())


def _world(gazetteer: "Gazetteer | None", extractions: Sequence[Extraction]) -> _World:
    parents: dict[URIRef, set[URIRef]] = {}
    located: dict[URIRef, set[URIRef]] = {}
    acronyms: dict[str, set[URIRef]] = {}
    if gazetteer is not None:
        for entry in gazetteer:
            iri = registry_iri(entry.id)
            if entry.type in PARTY_CLASSES:
                for acr in entry.acronyms:
                    acronyms.setdefault(acr, set()).add(iri)
            for anc in gazetteer.ancestors(entry.id):
                if not anc.startswith("topic:"):
                    parents.setdefault(iri, set()).add(registry_iri(anc))
            for target in entry.targets("locatedIn"):
                located.setdefault(iri, set()).add(registry_iri(target))
    for ext in extractions:
        for f in ext.facts:
            if f.predicate == "locatedIn" and isinstance(f.object, URIRef):
                located.setdefault(f.subject, set()).add(f.object)

    def closure(graph: dict[URIRef, set[URIRef]]) -> dict[URIRef, frozenset[URIRef]]:
        out: dict[URIRef, frozenset[URIRef]] = {}
        for start in graph:
            seen: set[URIRef] = set()
            frontier = list(graph[start])
            while frontier:
                x = frontier.pop()
                if x not in seen and x != start:
                    seen.add(x)
                    frontier.extend(graph.get(x, ()))
            out[start] = frozenset(seen)
        return out

    unique = {acr: next(iter(iris)) for acr, iris in acronyms.items() if len(iris) == 1}
    return _World(closure(parents), closure(located), unique)


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _effective_kinds(n: _Node, rules: IdentityRules) -> frozenset[str] | None:
    if n.kinds:
        return n.kinds
    if n.ordinals and n.bodies:
        return rules.session_kinds
    return None


def _match(a: _Node, b: _Node, rules: IdentityRules, world: _World) -> tuple[float, int] | None:
    """Score of ``a`` and ``b`` denoting one meeting, or None when they do not."""
    if a.docs & b.docs or (a.stored and b.stored):
        return None
    if a.ordinals and b.ordinals and not a.ordinals & b.ordinals:
        return None
    if a.bodies and b.bodies and not (
            all(any(world.related_body(x, y) for y in b.bodies) for x in a.bodies)
            and all(any(world.related_body(y, x) for x in a.bodies) for y in b.bodies)):
        return None
    ka, kb = _effective_kinds(a, rules), _effective_kinds(b, rules)
    if ka is not None and kb is not None and not ka & kb:
        return None
    if a.places and b.places and not any(world.related_place(x, y) for x in a.places for y in b.places):
        return None
    overlap = _overlap(a.tokens, b.tokens)
    same_body = bool(a.bodies & b.bodies)
    if not same_body and overlap < rules.min_name_overlap:
        return None
    slack = dt.timedelta(days=rules.date_slack_days)
    if a.start is not None and b.start is not None:
        assert a.end is not None and b.end is not None
        if a.start > b.end + slack or b.start > a.end + slack:
            return None
    elif a.start is None and b.start is None:
        return None
    else:
        dated, undated = (a, b) if a.start is not None else (b, a)
        assert dated.start is not None and dated.end is not None
        if not (a.ordinals & b.ordinals) and overlap < rules.undated_min_name_overlap:
            return None
        lo = dated.start - dt.timedelta(days=rules.report_days_before)
        hi = dated.end + dt.timedelta(days=rules.report_days_after)
        if not undated.published or not all(lo <= d <= hi for d in undated.published):
            return None
    return overlap, int(same_body)


def _rank(n: _Node) -> tuple[int, int, int, int, str]:
    """Sort key of the canonical IRI of a group: stored, named, a numbered session, most documents, IRI."""
    return (0 if n.stored else 1, 1 if _DOC_LOCAL in str(n.iri) else 0, 0 if n.ordinals and n.bodies else 1,
            -len(n.docs), str(n.iri))


def _cluster(nodes: list[_Node], rules: IdentityRules, world: _World) -> list[list[_Node]]:
    """Complete-link grouping of nodes, strongest pairs first (independent of input order)."""
    nodes = sorted(nodes, key=lambda n: str(n.iri))
    edges = []
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            score = _match(a, b, rules, world)
            if score is not None:
                edges.append((-score[0], -score[1], str(a.iri), str(b.iri), a, b))
    group_of: dict[URIRef, int] = {n.iri: i for i, n in enumerate(nodes)}
    groups: dict[int, list[_Node]] = {i: [n] for i, n in enumerate(nodes)}
    for *_key, a, b in sorted(edges, key=lambda e: e[:4]):
        ga, gb = group_of[a.iri], group_of[b.iri]
        if ga == gb:
            continue
        if not all(_match(x, y, rules, world) is not None for x in groups[ga] for y in groups[gb]):
            continue
        keep, drop = min(ga, gb), max(ga, gb)
        for n in groups.pop(drop):
            group_of[n.iri] = keep
            groups[keep].append(n)
    return [sorted(g, key=_rank) for _, g in sorted(groups.items())]


def _choose_label(canonical: _Node) -> str:
    """The label of a group: the canonical node's label in most reports (stored ones first), then the longest."""
    reports = [r for r in canonical.reports if r.stored] or canonical.reports
    counts = Counter(r.labels[0] for r in reports if r.labels)
    return min(counts, key=lambda lab: (-counts[lab], -len(lab), lab)) if counts else str(canonical.iri)


def _choose_date(values: list[tuple[dt.date, bool]], *, earliest: bool) -> dt.date:
    """The value most reports give (stored values first); ties: the earliest start, the latest end."""
    pool = [v for v, stored in values if stored] or [v for v, _ in values]
    counts = Counter(pool)
    return min(counts, key=lambda d: (-counts[d], d.toordinal() if earliest else -d.toordinal()))


# -- rewriting -----------------------------------------------------------------------------


def _rewrite(ext: Extraction, iri_map: Mapping[URIRef, URIRef], labels: Mapping[URIRef, str]) -> Extraction:
    """Rewrite event IRIs and labels in one extraction (a new object; ``ext`` is not changed)."""
    if not any(i in iri_map or i in labels for i in ext.entities):
        return ext

    def new(term):  # type: ignore[no-untyped-def]
        return iri_map.get(term, term) if isinstance(term, URIRef) else term

    entities: dict[URIRef, Entity] = {}
    for iri, ent in ext.entities.items():
        target = iri_map.get(iri, iri)
        label = labels.get(target, ent.label)
        alts = set(ent.alt_labels) | {ent.label}
        if target in entities:
            alts |= entities[target].alt_labels | {entities[target].label}
        entities[target] = Entity(target, ent.cls, label, alts - {label}, ent.registry_id)

    def facts(items: list[Fact]) -> list[Fact]:
        out: dict[tuple, Fact] = {}
        for f in items:
            g = replace(f, subject=new(f.subject), object=new(f.object))
            if g.subject == g.object:
                continue
            out.setdefault((g.subject, g.predicate, g.object, g.sentence), g)
        return list(out.values())

    new_facts = facts(ext.facts)
    asserted = {(f.subject, f.predicate, f.object, f.sentence) for f in new_facts}
    new_cands = [c for c in facts(ext.candidates) if (c.subject, c.predicate, c.object, c.sentence) not in asserted]
    mentions, seen = [], set()
    for m in ext.mentions:
        m2 = replace(m, entity=new(m.entity))
        if (m2.start, m2.end, m2.entity) not in seen:
            seen.add((m2.start, m2.end, m2.entity))
            mentions.append(m2)
    return replace(ext, entities=entities, facts=new_facts, candidates=new_cands, mentions=mentions)


def _resolve_dates(exts: list[Extraction], group_iri: URIRef, stored: list[EventReport],
                   warnings: list[Warn]) -> list[Extraction]:
    """Keep one startDate and one endDate for an event: the others become ``conflicting`` candidates."""
    chosen: dict[str, dt.date] = {}
    for pred, earliest in (("startDate", True), ("endDate", False)):
        values = [(v, True) for r in stored for v in (r.starts if pred == "startDate" else r.ends)]
        values += [(d, False) for ext in exts for f in ext.facts
                   if f.subject == group_iri and f.predicate == pred and isinstance(f.object, Literal)
                   and (d := _date(f.object)) is not None]
        if len({v for v, _ in values}) > 1:
            chosen[pred] = _choose_date(values, earliest=earliest)
    if "startDate" in chosen and "endDate" in chosen and chosen["startDate"] > chosen["endDate"]:
        del chosen["endDate"]  # reports too far apart to pick a consistent pair: leave the ends as they are
    if not chosen:
        return exts
    out = []
    for ext in exts:
        moved = [f for f in ext.facts if f.subject == group_iri and f.predicate in chosen
                 and isinstance(f.object, Literal) and _date(f.object) != chosen[f.predicate]]
        if not moved:
            out.append(ext)
            continue
        for f in moved:
            warnings.append(Warn(
                "W203", f"{ext.document.path.name} gives kg:{f.predicate} {f.object} for {group_iri}, other reports "
                f"{chosen[f.predicate].isoformat()}: kept as a conflicting candidate; check the dates in the text",
                str(ext.document.path)))
        keep = [f for f in ext.facts if f not in moved]
        cands = ext.candidates + [replace(f, modality="conflicting") for f in moved]
        out.append(replace(ext, facts=keep, candidates=cands))
    return out


# -- entry point ---------------------------------------------------------------------------


def identify_events(
    extractions: Sequence[Extraction],
    *,
    stored: Sequence[EventReport] = (),
    gazetteer: "Gazetteer | None" = None,
    rules: IdentityRules | None = None,
) -> EventIdentity:
    """Give each meeting one event node across documents.

    Finds the Event nodes of different documents that denote one meeting (overlapping
    dates, compatible places, compatible names, no conflicting ordinal, body or kind),
    and rewrites each group to one IRI and one label in every extraction: entities
    (other names become alternative labels), facts, candidates and mentions. Reports
    of one node that disagree on its start or end date keep the value most reports
    give; the others become ``conflicting`` candidates.

    Args:
        extractions: one extraction per document (not changed).
        stored: what documents already in the store say about their events
            (:func:`stored_reports`); a stored IRI and label win, and stored nodes are
            never merged with each other.
        gazetteer: used to relate bodies (SOMTC is part of ASEAN) and places (Vientiane
            is in Lao PDR); without it only equal bodies and places are compatible.
        rules: thresholds and word lists (default: ``kg/rules/event_identity.yaml``).

    Returns:
        The rewritten extractions (same order), the IRIs merged away and the warnings.
        The result depends only on the set of documents, not on their order.

    Raises:
        ConfigError: the rules file is invalid.

    Source: kg/rules/event_identity.yaml (thresholds, generic words, kinds).
    """
    rules = rules or _default_rules()
    exts = list(extractions)
    by_iri: dict[URIRef, list[EventReport]] = {}
    for rep in [r for ext in exts for r in extraction_reports(ext)] + list(stored):
        by_iri.setdefault(rep.iri, []).append(rep)
    new_iris = {r.iri for ext in exts for r in extraction_reports(ext)}
    if not new_iris:
        return EventIdentity(exts)
    world = _world(gazetteer, exts)
    nodes = [_node(iri, reps, rules, world) for iri, reps in sorted(by_iri.items())]
    fresh = [n for n in nodes if n.iri in new_iris]
    # a node only the store knows takes part only when it matches a new one
    partners = [n for n in nodes if n.iri not in new_iris and any(_match(n, m, rules, world) for m in fresh)]
    groups = _cluster(fresh + partners, rules, world)

    iri_map: dict[URIRef, URIRef] = {}
    labels: dict[URIRef, str] = {}
    result = EventIdentity(exts)
    path_of = {ext.document.iri: str(ext.document.path) for ext in exts}
    touched: list[tuple[URIRef, list[EventReport]]] = []
    for group in groups:
        canonical = group[0]
        reports = [r for n in group for r in n.reports]
        if len({r.document for r in reports}) < 2:
            continue  # one document: nothing to reconcile
        labels[canonical.iri] = _choose_label(canonical)
        touched.append((canonical.iri, [r for r in reports if r.stored]))
        for n in group[1:]:
            iri_map[n.iri] = canonical.iri
            result.merged[n.iri] = canonical.iri
            docs = sorted(str(d) for d in n.docs)
            result.warnings.append(Warn(
                "W202", f"Event {n.iri} ({', '.join(docs)}) is the same meeting as {canonical.iri}: merged into it "
                f"(overlapping dates, compatible place and name); if wrong, tell them apart in the text or "
                f"kg/rules/event_identity.yaml", path_of.get(min(n.docs), docs[0])))
    if not labels:
        return result
    exts = [_rewrite(ext, iri_map, labels) for ext in exts]
    for iri, stored_reps in touched:
        exts = _resolve_dates(exts, iri, stored_reps, result.warnings)
    result.extractions = exts
    return result


__all__ = ["EVENT_CLASSES", "EventIdentity", "EventReport", "IdentityRules", "extraction_reports",
           "identify_events", "load_identity_rules", "stored_reports"]
