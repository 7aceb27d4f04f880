"""The registry of known entities (gazetteer), the demonyms and the Topics, validated on load.

Three data files feed it:

* ``seeds/gazetteer.yaml`` (shipped in the wheel as ``kg/data/gazetteer.yaml``):
  one list of entity records; its header comment documents the fields.
* ``kg/rules/demonyms.yaml``: state id -> nationality adjectives.
* ``kg/rules/topics.yaml``: the Topics (fields of cooperation) and their variants.

Every entry is checked when it is loaded; the first problem found is raised as
:class:`kg.errors.ConfigError` naming ``file:line`` and the fix. Forms shared by
two entities (``"MOHA"`` is the home ministry of three states) are not errors:
they are reported as :class:`kg.model.Warn` with code ``W701`` in
:attr:`Gazetteer.warnings`, and the linker must choose between the entities.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from rdflib import URIRef

from .errors import ConfigError
from .iri import registry_iri, topic_iri
from .model import Warn

#: Prefix of a relation target that names a Topic by its label.
TOPIC_PREFIX = "topic:"

#: Vocabulary classes a gazetteer entry may have (vocabulary.md, "Classes"; Topics live in topics.yaml).
ENTITY_CLASSES: frozenset[str] = frozenset({
    "RegionalOrganization", "InternationalOrganization", "SectoralBody", "CooperationMechanism",
    "GovernmentAgency", "Programme", "State", "Event", "Instrument", "Person", "Place",
})

#: Vocabulary object properties usable under ``relations`` (vocabulary.md, "Object properties").
RELATION_PREDICATES: frozenset[str] = frozenset({
    "memberOf", "partOf", "reportsTo", "establishedUnder", "agencyOf", "participatedIn", "observerAt",
    "presentedAt", "organizedBy", "hostedBy", "chairedBy", "supportedBy", "heldIn", "locatedIn",
    "underFramework", "endorsedBy", "leadShepherdOf", "affiliatedWith", "addresses",
    "basedIn",  # an organisation's seat (kg:basedIn, project term, not in vocabulary.md)
})

#: Predicates whose targets may be Topics, and the one whose targets must be.
_TOPIC_PREDICATES = frozenset({"addresses", "leadShepherdOf"})
#: Target classes a predicate accepts where the registry must be strict (vocabulary.md ranges).
_RANGES: dict[str, frozenset[str]] = {
    "agencyOf": frozenset({"State"}),
    "locatedIn": frozenset({"State", "Place"}),
    "basedIn": frozenset({"State", "Place"}),
    "heldIn": frozenset({"State", "Place"}),
    "memberOf": ENTITY_CLASSES - {"State", "Place", "Event", "Instrument", "Person"},
    "partOf": ENTITY_CLASSES - {"State", "Place", "Event", "Instrument", "Person"},
}
#: Predicates that make the target an ancestor whose name may qualify the entry's name.
_ANCESTOR_PREDICATES = ("partOf", "agencyOf")

_ENTRY_FIELDS = (
    "id", "name", "type", "acronyms", "aliases", "local_names", "relations", "established",
    "period", "endorsement_date", "replaces", "wikidata", "iso", "sources",
)
_REQUIRED_FIELDS = ("id", "name", "type", "sources")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_QID_RE = re.compile(r"^Q[1-9][0-9]*$")
_URL_RE = re.compile(r"^https?://\S+$")
_LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_ISO_RE = {"alpha2": re.compile(r"^[A-Z]{2}$"), "alpha3": re.compile(r"^[A-Z]{3}$"), "numeric": re.compile(r"^[0-9]{3}$")}
_YEAR_MIN, _YEAR_MAX = 1000, 2100
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_PAREN_TAIL = re.compile(r"^(?P<head>.+?)\s*\((?P<tail>[^()]+)\)$")
_COMMA_TAIL = re.compile(r"^(?P<head>[^,]+?),\s+(?P<tail>.+)$")
_APOSTROPHES = ("'", "\u2019")
_DASHES = ("-", "\u2013")


# --------------------------------------------------------------------------- data shapes


@dataclass(frozen=True)
class Period:
    """Years a plan or programme runs, both inclusive (gYear)."""

    start: int
    end: int


@dataclass(frozen=True)
class GazetteerEntry:
    """One registry entity, as recorded in the gazetteer file.

    Attributes:
        id: stable registry key (``snake_case``); its IRI is :func:`kg.iri.registry_iri` of it.
        name: canonical full English name (rdfs:label).
        type: vocabulary class local name, e.g. ``"SectoralBody"``.
        acronyms: acronyms and initialisms; compare case-sensitively.
        aliases: other English names and spellings; compare case-insensitively.
        local_names: ``(name, language tag)`` pairs of names in other languages.
        relations: ``(predicate, target)`` pairs; a target is an entry id or ``"topic:<label>"``.
        established: year founded or first convened, if known.
        period: years a plan or programme runs, if known.
        endorsement_date: day an instrument was adopted, endorsed or signed, if known.
        replaces: ids of the entries this one succeeded.
        wikidata: Wikidata Q-id, only where a source gave one.
        iso_alpha2, iso_alpha3, iso_numeric: ISO 3166-1 codes (states only).
        sources: URLs the record's facts come from.
        line: 1-based line of the entry in its file (for messages).
    """

    id: str
    name: str
    type: str
    acronyms: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    local_names: tuple[tuple[str, str], ...] = ()
    relations: tuple[tuple[str, str], ...] = ()
    established: int | None = None
    period: Period | None = None
    endorsement_date: dt.date | None = None
    replaces: tuple[str, ...] = ()
    wikidata: str | None = None
    iso_alpha2: str | None = None
    iso_alpha3: str | None = None
    iso_numeric: str | None = None
    sources: tuple[str, ...] = ()
    line: int = 0

    def targets(self, predicate: str) -> tuple[str, ...]:
        """Return the targets of ``predicate`` (ids or ``topic:`` references), in file order."""
        return tuple(t for p, t in self.relations if p == predicate)


@dataclass(frozen=True)
class Topic:
    """A field of cooperation (kg:Topic, a SKOS concept).

    Attributes:
        label: canonical lower-case label (rdfs:label, skos:prefLabel).
        acronyms: initialisms (``"TIP"``); compare case-sensitively.
        aliases: other wordings of the same field; compare case-insensitively.
        line: 1-based line of the entry in topics.yaml.
    """

    label: str
    acronyms: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    line: int = 0

    @property
    def iri(self) -> URIRef:
        """The Topic's IRI, ``https://w3id.org/kg/id/topic/<slug>``."""
        return topic_iri(self.label)

    @property
    def reference(self) -> str:
        """How gazetteer relations name this Topic: ``"topic:<label>"``."""
        return TOPIC_PREFIX + self.label


@dataclass(frozen=True)
class Gazetteer:
    """The validated registry, with the demonyms and Topics, and lookup helpers.

    Attributes:
        entries: every entity, in file order.
        topics: every Topic, in file order.
        demonyms: nationality adjective (as written, e.g. ``"Vietnamese"``) -> state id.
        source: the gazetteer file it was read from.
        warnings: non-fatal findings (``W701``: a form shared by two entities).
    """

    entries: tuple[GazetteerEntry, ...]
    topics: list[Topic]
    demonyms: dict[str, str]
    source: str = ""
    warnings: tuple[Warn, ...] = ()
    _by_id: dict[str, GazetteerEntry] = field(default_factory=dict, repr=False, compare=False)
    _by_topic: dict[str, Topic] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {e.id: e for e in self.entries})
        object.__setattr__(self, "_by_topic", {t.label: t for t in self.topics})

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[GazetteerEntry]:
        return iter(self.entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._by_id

    def entry(self, entry_id: str) -> GazetteerEntry | None:
        """Return the entry with registry id ``entry_id``, or None if there is none.

        A Topic reference (``"topic:<label>"``) is not an entry and gives None;
        use :meth:`topic` for it.
        """
        return self._by_id.get(entry_id)

    def require(self, entry_id: str) -> GazetteerEntry:
        """Return the entry with registry id ``entry_id``.

        Raises:
            KeyError: no entry has that id.
        """
        try:
            return self._by_id[entry_id]
        except KeyError:
            raise KeyError(f"no gazetteer entry with id {entry_id!r}") from None

    def topic(self, label_or_reference: str) -> Topic:
        """Return the Topic with this label (``"cybercrime"`` or ``"topic:cybercrime"``).

        Raises:
            KeyError: no Topic has that label.
        """
        label = label_or_reference.removeprefix(TOPIC_PREFIX)
        try:
            return self._by_topic[label]
        except KeyError:
            raise KeyError(f"no Topic labelled {label!r}") from None

    def of_type(self, cls: str) -> Iterator[GazetteerEntry]:
        """Yield the entries of vocabulary class ``cls`` (e.g. ``"State"``), in file order."""
        return (e for e in self.entries if e.type == cls)

    def iri(self, entry_id: str) -> URIRef:
        """Return the IRI of an entry id, or of a Topic reference ``"topic:<label>"``.

        Raises:
            KeyError: the id or Topic label is unknown.
        """
        if entry_id.startswith(TOPIC_PREFIX):
            return self.topic(entry_id).iri
        return registry_iri(self.require(entry_id).id)

    def ancestors(self, entry_id: str) -> list[str]:
        """Return the ids reached through ``partOf``/``agencyOf`` from ``entry_id``, nearest first."""
        seen: list[str] = []
        frontier = [entry_id]
        while frontier:
            current = self._by_id.get(frontier.pop(0))
            if current is None:
                continue
            for p, t in current.relations:
                if p in _ANCESTOR_PREDICATES and t not in seen and t != entry_id:
                    seen.append(t)
                    frontier.append(t)
        return seen

    def surface_forms(self) -> Iterator[tuple[str, str]]:
        """Yield every ``(form, entry_id)`` a mention may take, each pair once.

        Forms are the name, acronyms, aliases and local names, each with its
        generated variants (see :func:`form_variants`), plus the name without a
        qualifier that only repeats what the entry's relations say
        (``"Ministry of Justice (Thailand)"`` -> ``"Ministry of Justice"``,
        ``"Criminal Investigation Department, Royal Brunei Police Force"`` ->
        ``"Criminal Investigation Department"``). Such a form may belong to
        several entries; case-folding is left to the matcher.
        """
        state_forms = {
            f.casefold()
            for e in self.of_type("State")
            for f in (e.name, *e.aliases, *e.acronyms)
        }
        for entry in self.entries:
            emitted: set[str] = set()
            qualifiers = set(state_forms)
            qualifiers.update(a.casefold() for a in entry.acronyms)
            for ancestor in self.ancestors(entry.id):
                a = self._by_id[ancestor]
                qualifiers.update(f.casefold() for f in (a.name, *a.aliases, *a.acronyms))
            base = [entry.name, *entry.acronyms, *entry.aliases, *(n for n, _ in entry.local_names)]
            for declared in [*base, *_unqualified(entry.name, entry.aliases, qualifiers)]:
                for form in form_variants(declared):
                    if form not in emitted:
                        emitted.add(form)
                        yield form, entry.id

    def topic_forms(self) -> Iterator[tuple[str, str]]:
        """Yield every ``(form, topic label)``: label, acronyms and aliases with their variants."""
        for topic in self.topics:
            emitted: set[str] = set()
            for declared in (topic.label, *topic.acronyms, *topic.aliases):
                for form in form_variants(declared):
                    if form not in emitted:
                        emitted.add(form)
                        yield form, topic.label

    def demonyms_of(self, state_id: str) -> list[str]:
        """Return the demonyms that stand for state ``state_id`` (maybe empty)."""
        return [d for d, s in self.demonyms.items() if s == state_id]


_PLURAL_POSSESSIVE = re.compile(r"\b(Officials|Ministers|Leaders|Chiefs|Heads|Workers|Women|Children)['’](?=\s)")
_PLURAL_BARE = re.compile(r"\b(Officials|Ministers|Leaders|Chiefs|Heads)(?=\s+(Meeting|Conference|Forum|Dialogue|Retreat|Summit))")


def form_variants(form: str) -> list[str]:
    """Return ``form`` and the spellings a text may use for it, ``form`` first.

    Variants: without a leading "the" (``"the Hague"`` -> ``"Hague"``); typographic
    and straight apostrophes (``'`` <-> ``’``); hyphen and en dash (``-`` <-> ``–``).
    Case variants are not generated: matchers compare case-insensitively.

    Args:
        form: a name, alias or acronym.

    Returns:
        The distinct variants, the original first.
    """
    out = [form]

    def add(variant: str) -> None:
        variant = variant.strip()
        if variant and variant not in out:
            out.append(variant)

    if _LEADING_THE.match(form):
        add(_LEADING_THE.sub("", form))
    # plural possessives written with or without the apostrophe ("Senior Officials' Meeting")
    for f in list(out):
        if _PLURAL_POSSESSIVE.search(f):
            add(_PLURAL_POSSESSIVE.sub(r"\1", f))
        elif _PLURAL_BARE.search(f):
            add(_PLURAL_BARE.sub(r"\1'", f))
    # year ranges written with the other dash, the rest of the name unchanged ("Multi-Year ... 2024–2028")
    for f in list(out):
        add(re.sub(r"(\d)-(\d)", "\\1\u2013\\2", f))
        add(re.sub(r"(\d)\u2013(\d)", "\\1-\\2", f))
    for straight, typographic in (_APOSTROPHES, _DASHES):
        for f in list(out):
            if straight in f:
                add(f.replace(straight, typographic))
            if typographic in f:
                add(f.replace(typographic, straight))
    return out


def _unqualified(name: str, aliases: Iterable[str], qualifiers: set[str]) -> list[str]:
    """Strip trailing ``(X)`` and ``, X`` qualifiers when X is in ``qualifiers`` (case-folded)."""
    out: list[str] = []
    pending = [name, *aliases]
    while pending:
        form = pending.pop(0)
        for pattern in (_PAREN_TAIL, _COMMA_TAIL):
            m = pattern.match(form)
            if m and m.group("tail").strip().casefold() in qualifiers:
                head = m.group("head").strip()
                if head and head not in out:
                    out.append(head)
                    pending.append(head)
    return out


# --------------------------------------------------------------------------- YAML with lines


class _LineDict(dict[Any, Any]):
    """A mapping from YAML that remembers its 1-based line."""

    line: int = 0


class _LineList(list[Any]):
    """A sequence from YAML that remembers its 1-based line."""

    line: int = 0


class _DuplicateKey(Exception):
    def __init__(self, key: object, line: int) -> None:
        super().__init__(key, line)
        self.key, self.line = key, line


_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~20x faster


class _LineLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe loader whose mappings and sequences carry their line and reject duplicate keys."""


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise _DuplicateKey(key, key_node.start_mark.line + 1)
        seen.add(key)
    data = _LineDict(loader.construct_mapping(node, deep=True))
    data.line = node.start_mark.line + 1
    return data


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> _LineList:
    data = _LineList(loader.construct_sequence(node, deep=True))
    data.line = node.start_mark.line + 1
    return data


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def _read_yaml(source: Path | Traversable) -> tuple[Any, str]:
    """Parse a YAML file with line-aware containers; return ``(data, display name)``.

    Raises:
        ConfigError: unreadable file, YAML syntax error or duplicate key (with ``file:line``).
    """
    name = str(source)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{name}: cannot read it ({exc}); restore the file or pass another path") from exc
    try:
        return yaml.load(text, Loader=_LineLoader), name  # noqa: S506 - a SafeLoader subclass
    except _DuplicateKey as exc:
        raise ConfigError(f"{name}:{exc.line}: key {exc.key!r} appears twice in one mapping; keep one") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}" if mark is not None else name
        raise ConfigError(f"{where}: not valid YAML ({exc.problem or exc.context}); fix the syntax") from exc
    except yaml.reader.ReaderError as exc:
        # a character YAML does not allow: the error has a position (in bytes with libyaml), not a
        # line, so the character is looked up again in the text, with the pattern YAML rejects
        found = yaml.reader.Reader.NON_PRINTABLE.search(text)
        if found is None:
            raise ConfigError(f"{name}: not valid YAML ({' '.join(str(exc).split())}); fix the file") from exc
        before = text[: found.start()]
        line, column = before.count("\n") + 1, found.start() - (before.rfind("\n") + 1) + 1
        raise ConfigError(f"{name}:{line}: not valid YAML (character U+{ord(found.group()):04X} at column {column} "
                          "is not allowed); remove it") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}: not valid YAML ({' '.join(str(exc).split())}); fix the syntax") from exc


def _line(obj: object, default: int) -> int:
    return getattr(obj, "line", 0) or default


class _Problems:
    """Collects ``file:line: message`` problems; raises the first with a count of the rest."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.items: list[str] = []

    def add(self, line: int, message: str) -> None:
        self.items.append(f"{self.name}:{line}: {message}")

    def raise_if_any(self) -> None:
        if not self.items:
            return
        more = len(self.items) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''} in this file)" if more else ""
        raise ConfigError(self.items[0] + suffix)


def _str_list(value: object, what: str, line: int, problems: _Problems) -> tuple[str, ...]:
    """Check a list of non-empty, distinct strings; return it as a tuple (empty on error)."""
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.add(line, f"{what} must be a list of strings")
        return ()
    out: list[str] = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            problems.add(line, f"{what} has an empty or non-string item {item!r}; quote it or remove it")
        elif item != item.strip():
            problems.add(line, f"{what} item {item!r} has surrounding spaces; trim it")
        elif item in out:
            problems.add(line, f"{what} lists {item!r} twice; keep one")
        else:
            out.append(item)
    return tuple(out)


# --------------------------------------------------------------------------- default paths


def default_gazetteer_path() -> Path | Traversable:
    """Return where the gazetteer is read from when no path is given.

    The installed wheel's ``kg/data/gazetteer.yaml`` (via importlib.resources)
    if present, else ``seeds/gazetteer.yaml`` of the source tree that holds this package.
    """
    try:
        packaged = resources.files("kg").joinpath("data", "gazetteer.yaml")
        if packaged.is_file():
            return packaged
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError, TypeError):
        pass
    return Path(__file__).resolve().parent.parent / "seeds" / "gazetteer.yaml"


def _rules_file(name: str) -> Path | Traversable:
    try:
        return resources.files("kg.rules").joinpath(name)
    except (ModuleNotFoundError, TypeError):
        return Path(__file__).resolve().parent / "rules" / name


# --------------------------------------------------------------------------- topics


def load_topics(path: Path | None = None) -> list[Topic]:
    """Load and check the Topics.

    Args:
        path: a topics YAML file; default ``kg/rules/topics.yaml`` (package data).

    Returns:
        The Topics in file order.

    Raises:
        ConfigError: the file is malformed, a label is empty or repeated, or one
            form names two Topics (message names ``file:line``).

    Source: shared/spec/annotation-guide.md, "Topics" and "Topic names".
    """
    data, name = _read_yaml(path if path is not None else _rules_file("topics.yaml"))
    problems = _Problems(name)
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise ConfigError(f"{name}:1: expected a mapping with a `topics` list; see the header of kg/rules/topics.yaml")
    topics: list[Topic] = []
    owner: dict[str, str] = {}
    for raw in data["topics"]:
        line = _line(raw, data["topics"].line)
        if not isinstance(raw, dict):
            problems.add(line, "a topic must be a mapping with `label`, `acronyms`, `aliases`")
            continue
        unknown = sorted(set(raw) - {"label", "acronyms", "aliases"})
        if unknown:
            problems.add(line, f"unknown field(s) {', '.join(map(str, unknown))}; use label, acronyms, aliases")
        label = raw.get("label")
        if not isinstance(label, str) or not label.strip():
            problems.add(line, "topic without a label; add `label: <field of cooperation>`")
            continue
        acronyms = _str_list(raw.get("acronyms"), f"topic {label!r} acronyms", line, problems)
        aliases = _str_list(raw.get("aliases"), f"topic {label!r} aliases", line, problems)
        for form in (label, *aliases):
            key = form.casefold()
            if key in owner and owner[key] != label:
                problems.add(line, f"{form!r} already names topic {owner[key]!r}; a form may name one topic only")
            owner.setdefault(key, label)
        for form in acronyms:
            if owner.get(form, label) != label:
                problems.add(line, f"acronym {form!r} already names topic {owner[form]!r}")
            owner.setdefault(form, label)
        topics.append(Topic(label=label, acronyms=acronyms, aliases=aliases, line=line))
    problems.raise_if_any()
    return topics


# --------------------------------------------------------------------------- demonyms


def load_demonyms(path: Path | None = None) -> dict[str, str]:
    """Load the demonyms as adjective -> state id.

    The file maps each state id to its adjectives; it is inverted here. The ids
    are checked against the gazetteer by :func:`load_gazetteer`, not here.

    Args:
        path: a demonyms YAML file; default ``kg/rules/demonyms.yaml`` (package data).

    Returns:
        ``{"Vietnamese": "viet_nam", ...}`` in file order.

    Raises:
        ConfigError: the file is malformed or one adjective is given to two states.

    Source: common English usage; see the header of kg/rules/demonyms.yaml.
    """
    return {adjective: state for adjective, (state, _) in _load_demonyms_with_lines(path)[0].items()}


def _load_demonyms_with_lines(path: Path | None) -> tuple[dict[str, tuple[str, int]], str]:
    data, name = _read_yaml(path if path is not None else _rules_file("demonyms.yaml"))
    problems = _Problems(name)
    if not isinstance(data, dict) or not isinstance(data.get("demonyms"), dict):
        raise ConfigError(f"{name}:1: expected a mapping with a `demonyms` mapping of state id -> adjectives")
    table = data["demonyms"]
    out: dict[str, tuple[str, int]] = {}
    for state, adjectives in table.items():
        line = _line(adjectives, table.line)
        if not isinstance(state, str) or not _ID_RE.match(state):
            problems.add(line, f"{state!r} is not a registry id (snake_case)")
            continue
        for adjective in _str_list(adjectives, f"demonyms of {state}", line, problems):
            if adjective in out and out[adjective][0] != state:
                problems.add(line, f"{adjective!r} is already the demonym of {out[adjective][0]}; "
                                   "an adjective must name one state (drop it if ambiguous)")
                continue
            out[adjective] = (state, line)
    problems.raise_if_any()
    return out, name


# --------------------------------------------------------------------------- gazetteer


def load_gazetteer(
    path: Path | None = None,
    *,
    topics_path: Path | None = None,
    demonyms_path: Path | None = None,
) -> Gazetteer:
    """Load, validate and index the gazetteer with its Topics and demonyms.

    Checks, per entry: only known fields; ``id`` snake_case and unique; ``name``
    non-empty and unique (case-insensitively); ``type`` a vocabulary class;
    acronyms/aliases distinct non-empty strings; relations use vocabulary
    predicates and point at existing ids (or known Topics for ``addresses`` and
    ``leadShepherdOf``), ``agencyOf`` at a State; years plausible; ``iso`` on
    every State and only there; ``sources`` non-empty http(s) URLs. Demonyms
    must point at State entries. A declared form shared by two entries is a
    ``W701`` warning, not an error.

    Args:
        path: the gazetteer YAML; default :func:`default_gazetteer_path`.
        topics_path: the Topics YAML; default ``kg/rules/topics.yaml``.
        demonyms_path: the demonyms YAML; default ``kg/rules/demonyms.yaml``.

    Returns:
        The :class:`Gazetteer`.

    Raises:
        ConfigError: a file is unreadable or malformed, or an entry is invalid;
            the message starts with ``file:line`` of the offending entry.

    Source: seeds/gazetteer.yaml (built from shared/reference/registry-facts.yaml,
    the UN member-state list and ISO 3166-1); shared/spec/vocabulary.md for
    classes and predicates.
    """
    topics = load_topics(topics_path)
    topic_labels = {t.label for t in topics}
    data, name = _read_yaml(path if path is not None else default_gazetteer_path())
    problems = _Problems(name)
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise ConfigError(f"{name}:1: expected a mapping with `format: 1` and an `entities` list")
    if data.get("format") != 1:
        raise ConfigError(f"{name}:1: unsupported `format: {data.get('format')!r}`; this kg reads format 1")

    raw_entries: list[_LineDict] = []
    ids: dict[str, int] = {}
    for raw in data["entities"]:
        line = _line(raw, data["entities"].line)
        if not isinstance(raw, dict):
            problems.add(line, "an entity must be a mapping with at least id, name, type, sources")
            continue
        rid = raw.get("id")
        if not isinstance(rid, str) or not _ID_RE.match(rid):
            problems.add(line, f"id {rid!r} is not snake_case ([a-z][a-z0-9_]*); fix the id")
            continue
        if rid in ids:
            problems.add(line, f"id {rid!r} already used at line {ids[rid]}; ids must be unique")
            continue
        ids[rid] = line
        raw_entries.append(raw)  # type: ignore[arg-type]
    types = {r["id"]: r.get("type") for r in raw_entries}

    entries: list[GazetteerEntry] = []
    for raw in raw_entries:
        entry = _entry(raw, types, topic_labels, problems)
        if entry is not None:
            entries.append(entry)

    warnings = _check_names(entries, problems)
    demonym_lines, demonyms_name = _load_demonyms_with_lines(demonyms_path)
    demonym_problems = _Problems(demonyms_name)
    for adjective, (state, line) in demonym_lines.items():
        if types.get(state) != "State":
            demonym_problems.add(line, f"demonym {adjective!r} points at {state!r}, which is not a State of {name}")
    problems.raise_if_any()
    demonym_problems.raise_if_any()
    return Gazetteer(
        entries=tuple(entries),
        topics=topics,
        demonyms={adjective: state for adjective, (state, _) in demonym_lines.items()},
        source=name,
        warnings=tuple(warnings),
    )


def _entry(
    raw: _LineDict,
    types: Mapping[str, object],
    topic_labels: set[str],
    problems: _Problems,
) -> GazetteerEntry | None:
    """Check one raw record and build its entry (None if a required field is unusable)."""
    line, rid = raw.line, raw["id"]
    where = f"entry {rid!r}"
    unknown = sorted(str(k) for k in raw if k not in _ENTRY_FIELDS)
    if unknown:
        problems.add(line, f"{where}: unknown field(s) {', '.join(unknown)}; known fields: {', '.join(_ENTRY_FIELDS)}")
    missing = [k for k in _REQUIRED_FIELDS if raw.get(k) in (None, "", [])]
    if missing:
        problems.add(line, f"{where}: missing {', '.join(missing)}; every entry needs id, name, type and sources")
    name, cls = raw.get("name"), raw.get("type")
    if not isinstance(name, str) or not name.strip():
        if "name" not in missing:
            problems.add(line, f"{where}: name must be a non-empty string")
        return None
    if name != name.strip():
        problems.add(line, f"{where}: name {name!r} has surrounding spaces; trim it")
    if not isinstance(cls, str) or cls not in ENTITY_CLASSES:
        problems.add(line, f"{where}: unknown type {cls!r}; use one of {', '.join(sorted(ENTITY_CLASSES))}")
        return None

    acronyms = _str_list(raw.get("acronyms"), f"{where} acronyms", line, problems)
    aliases = _str_list(raw.get("aliases"), f"{where} aliases", line, problems)
    for form in (*acronyms, *aliases):
        if form == name:
            problems.add(line, f"{where}: {form!r} repeats the name; remove it from acronyms/aliases")
    doubled = set(acronyms) & set(aliases)
    if doubled:
        problems.add(line, f"{where}: {', '.join(sorted(doubled))} listed as both acronym and alias; keep one")

    local_names: list[tuple[str, str]] = []
    raw_local = raw.get("local_names") or []
    if not isinstance(raw_local, list):
        problems.add(line, f"{where}: local_names must be a list of {{name, lang}}")
        raw_local = []
    for item in raw_local:
        if (not isinstance(item, dict) or set(item) != {"name", "lang"} or not isinstance(item["name"], str)
                or not item["name"].strip() or not isinstance(item["lang"], str) or not _LANG_RE.match(item["lang"])):
            problems.add(_line(item, line), f"{where}: a local name must be {{name: <text>, lang: <BCP 47 tag>}}")
            continue
        local_names.append((item["name"], item["lang"]))

    relations = _relations(raw, where, types, topic_labels, problems)

    established = raw.get("established")
    if established is not None and not _is_year(established):
        problems.add(line, f"{where}: established {established!r} is not a year ({_YEAR_MIN}-{_YEAR_MAX})")
        established = None

    period = None
    raw_period = raw.get("period")
    if raw_period is not None:
        if (not isinstance(raw_period, dict) or set(raw_period) != {"start", "end"}
                or not _is_year(raw_period["start"]) or not _is_year(raw_period["end"])
                or raw_period["start"] > raw_period["end"]):
            problems.add(_line(raw_period, line), f"{where}: period must be {{start: YEAR, end: YEAR}} with start <= end")
        else:
            period = Period(int(raw_period["start"]), int(raw_period["end"]))

    endorsement = raw.get("endorsement_date")
    if endorsement is not None:
        if isinstance(endorsement, str):
            try:
                endorsement = dt.date.fromisoformat(endorsement)
            except ValueError:
                endorsement = None
        if not isinstance(endorsement, dt.date) or isinstance(endorsement, dt.datetime):
            problems.add(line, f"{where}: endorsement_date must be a day, YYYY-MM-DD")
            endorsement = None

    replaces = _str_list(raw.get("replaces"), f"{where} replaces", line, problems)
    for target in replaces:
        if target not in types:
            problems.add(line, f"{where}: replaces {target!r}, which is not an id in this file")

    wikidata = raw.get("wikidata")
    if wikidata is not None and (not isinstance(wikidata, str) or not _QID_RE.match(wikidata)):
        problems.add(line, f"{where}: wikidata {wikidata!r} is not a Q-id like Q7768")
        wikidata = None

    iso: dict[str, str] = {}
    raw_iso = raw.get("iso")
    if raw_iso is not None:
        iso_line = _line(raw_iso, line)
        if cls != "State":
            problems.add(iso_line, f"{where}: iso codes are for States only (type is {cls})")
        elif not isinstance(raw_iso, dict) or set(raw_iso) - set(_ISO_RE) or not {"alpha2", "alpha3"} <= set(raw_iso):
            problems.add(iso_line, f"{where}: iso must be {{alpha2, alpha3, numeric}}")
        else:
            for key, value in raw_iso.items():
                if not isinstance(value, str) or not _ISO_RE[key].match(value):
                    problems.add(iso_line, f"{where}: iso {key} {value!r} is malformed; quote it (\"NO\" is read as false)")
                else:
                    iso[key] = value
    elif cls == "State":
        problems.add(line, f"{where}: a State needs iso: {{alpha2, alpha3, numeric}}")

    sources = _str_list(raw.get("sources"), f"{where} sources", line, problems)
    for url in sources:
        if not _URL_RE.match(url):
            problems.add(line, f"{where}: source {url!r} is not an http(s) URL")

    return GazetteerEntry(
        id=rid,
        name=name,
        type=cls,
        acronyms=acronyms,
        aliases=aliases,
        local_names=tuple(local_names),
        relations=relations,
        established=int(established) if established is not None else None,
        period=period,
        endorsement_date=endorsement,
        replaces=replaces,
        wikidata=wikidata,
        iso_alpha2=iso.get("alpha2"),
        iso_alpha3=iso.get("alpha3"),
        iso_numeric=iso.get("numeric"),
        sources=sources,
        line=line,
    )


def _relations(
    raw: _LineDict,
    where: str,
    types: Mapping[str, object],
    topic_labels: set[str],
    problems: _Problems,
) -> tuple[tuple[str, str], ...]:
    """Check ``relations`` (predicate -> targets) and return ``(predicate, target)`` pairs."""
    raw_relations = raw.get("relations")
    if raw_relations is None:
        return ()
    line = _line(raw_relations, raw.line)
    if not isinstance(raw_relations, dict):
        problems.add(line, f"{where}: relations must map a predicate to a list of targets")
        return ()
    out: list[tuple[str, str]] = []
    for predicate, targets in raw_relations.items():
        plines = _line(targets, line)
        if predicate not in RELATION_PREDICATES:
            problems.add(plines, f"{where}: unknown predicate {predicate!r}; use one of {', '.join(sorted(RELATION_PREDICATES))}")
            continue
        for target in _str_list(targets, f"{where} {predicate}", plines, problems):
            if target.startswith(TOPIC_PREFIX):
                if predicate not in _TOPIC_PREDICATES:
                    problems.add(plines, f"{where}: {predicate} cannot point at a Topic ({target!r})")
                elif target[len(TOPIC_PREFIX):] not in topic_labels:
                    problems.add(plines, f"{where}: {target!r} is not a Topic label; add it to the topics file or fix it")
                else:
                    out.append((predicate, target))
                continue
            if predicate == "addresses":
                problems.add(plines, f"{where}: addresses must point at a Topic (\"topic:<label>\"), not {target!r}")
            elif target == raw["id"]:
                problems.add(plines, f"{where}: {predicate} points at the entry itself")
            elif target not in types:
                problems.add(plines, f"{where}: {predicate} target {target!r} is not an id in this file; "
                                     "add that entity or fix the id")
            elif predicate in _RANGES and types[target] not in _RANGES[predicate]:
                problems.add(plines, f"{where}: {predicate} target {target!r} is a {types[target]}; "
                                     f"{predicate} needs one of {', '.join(sorted(_RANGES[predicate]))}")
            else:
                out.append((predicate, target))
    return tuple(out)


def _is_year(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and _YEAR_MIN <= value <= _YEAR_MAX


def _check_names(entries: list[GazetteerEntry], problems: _Problems) -> list[Warn]:
    """Reject repeated names; warn (W701) about forms declared by two entries."""
    names: dict[str, GazetteerEntry] = {}
    for e in entries:
        key = e.name.casefold()
        if key in names:
            problems.add(e.line, f"entry {e.id!r}: name {e.name!r} is also the name of {names[key].id!r} "
                                 f"(line {names[key].line}); merge them or qualify the name")
        else:
            names[key] = e
    owners: dict[str, list[GazetteerEntry]] = {}
    for e in entries:
        keys = {e.name.casefold(), *(a.casefold() for a in e.aliases), *e.acronyms}
        for key in keys:
            owners.setdefault(key, []).append(e)
    warnings: list[Warn] = []
    for form, shared in owners.items():
        if len(shared) > 1:
            first = shared[0]
            warnings.append(Warn(
                code="W701",
                message=(f"{problems.name}:{first.line}: {form!r} is a form of "
                         f"{', '.join(e.id for e in shared)}; the linker must choose by context"),
                source=problems.name,
            ))
    return warnings
