"""SHACL validation of a knowledge graph against ontology/shapes.ttl.

A graph built by ``kg`` is a dataset: one named graph per document plus the
reference graph. An entity is typed in the reference graph and used in a
document graph (or the other way round), so validation runs on the UNION of
all named graphs (except the ontology graph), with the ontology mixed in so
that ``rdfs:subClassOf`` makes a ``kg:SectoralBody`` an instance of
``kg:Organization``. No RDFS inference runs first: ``sh:class`` must find an
asserted type, not one entailed by a property's ``rdfs:range`` (with
``inference="rdfs"`` a participatedIn pointing at an untyped IRI would type it
kg:Event and pass), and it would be several times slower.

Violations are returned, never raised; the CLI decides the exit code.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyshacl
from pyshacl.errors import ReportableRuntimeError
from rdflib import RDF, RDFS, BNode, ConjunctiveGraph, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import SH, NamespaceManager
from rdflib.term import Node

from .errors import ConfigError
from .namespaces import ONTOLOGY_GRAPH, PREFIXES
from .ontology import load_turtle, ontology_path, shapes_path

_PYSHACL_LOGGER = "pyshacl-validate"
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
_SHAPE_TYPES = (SH.NodeShape, SH.PropertyShape)


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result.

    Attributes:
        shape: IRI of the shape that produced it (e.g.
            ``https://w3id.org/kg/shapes#startDate``); for an anonymous shape,
            the named shape that holds it, else its blank-node id.
        focus_node: the node that failed (an IRI, or a blank node).
        path: the property checked, or None for a node-level constraint.
        value: the offending value, when SHACL reports one.
        message: what is wrong, in one line.
        severity: ``"Violation"``, ``"Warning"`` or ``"Info"``.
        component: local name of the SHACL constraint component that failed
            (``"DatatypeConstraintComponent"``, ``"MaxCountConstraintComponent"``, ...).
        source_documents: IRIs of the named graphs that hold the offending
            triples (or, failing that, mention the focus node), sorted; empty
            when a plain Graph was validated.
    """

    shape: str
    focus_node: Node
    path: Node | None
    value: Node | None
    message: str
    severity: str = "Violation"
    component: str = ""
    source_documents: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """Return the result as JSON-ready data, terms in compact Turtle form (``kg:startDate``, ``"x"^^xsd:date``)."""
        return {
            "shape": _compact(URIRef(self.shape)) if not self.shape.startswith("_:") else self.shape,
            "focus_node": _compact(self.focus_node),
            "path": _compact(self.path) if self.path is not None else None,
            "value": _compact(self.value) if self.value is not None else None,
            "message": self.message,
            "severity": self.severity,
            "component": self.component,
            "source_documents": list(self.source_documents),
        }


@dataclass
class ValidationReport:
    """The outcome of :func:`validate`.

    Attributes:
        conforms: True when there is no result of severity ``Violation``
            (warnings and infos do not make a graph non-conforming).
        violations: every result (of any severity), sorted by severity, shape,
            focus node, path and value.
    """

    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    def grouped(self) -> dict[str, list[Violation]]:
        """Return the results grouped by shape IRI, shapes in sorted order."""
        groups: dict[str, list[Violation]] = defaultdict(list)
        for v in self.violations:
            groups[v.shape].append(v)
        return {shape: groups[shape] for shape in sorted(groups)}

    def to_dict(self) -> dict[str, object]:
        """Return the report as JSON-ready data: ``conforms``, ``counts`` by shape and ``violations``."""
        return {
            "conforms": self.conforms,
            "counts": {(_compact(URIRef(s)) if not s.startswith("_:") else s): len(vs) for s, vs in self.grouped().items()},
            "violations": [v.to_dict() for v in self.violations],
        }


def validate(data: Graph | Dataset, *, shapes: Path | None = None) -> ValidationReport:
    """Validate a graph, or the union of a dataset's named graphs, against the SHACL shapes.

    Args:
        data: a Graph, or a Dataset (one named graph per document plus the
            reference graph); for a Dataset every graph except
            ``https://w3id.org/kg/graph/ontology`` is merged before validating,
            so types may come from any graph. ``data`` is not modified.
        shapes: a SHACL shapes file in Turtle; defaults to
            :func:`kg.ontology.shapes_path` (ontology/shapes.ttl).

    Returns:
        A :class:`ValidationReport`; violations are reported, not raised.

    Raises:
        ConfigError: the shapes or ontology file is missing, is not Turtle,
            holds no shapes, or holds a shape pySHACL cannot load.
    """
    shapes_graph = _load_shapes(shapes or shapes_path())
    ont_graph = _load_cached(ontology_path(), "ontology")

    dataset = data if isinstance(data, ConjunctiveGraph) else None  # rdflib's Dataset is a ConjunctiveGraph
    data_graph = _union(dataset) if dataset is not None else data

    quiet = logging.getLogger(_PYSHACL_LOGGER)  # it prints load errors to stderr; we raise them instead
    was_disabled, quiet.disabled = quiet.disabled, True
    try:
        conforms, results_graph, _text = pyshacl.validate(
            data_graph,
            shacl_graph=shapes_graph,
            ont_graph=ont_graph,
            inference="none",
            abort_on_first=False,
            allow_infos=True,
            allow_warnings=True,
            meta_shacl=False,
            advanced=False,
            js=False,
            debug=False,
            inplace=dataset is not None,  # the union is our own copy; a caller's Graph is cloned
        )
    except ReportableRuntimeError as exc:
        detail = str(getattr(exc, "message", exc)).strip().splitlines()[0].rstrip(".")
        raise ConfigError(
            f"Cannot apply the SHACL shapes {shapes or shapes_path()}: {detail}; fix that shape."
        ) from exc
    finally:
        quiet.disabled = was_disabled

    violations = _read_results(results_graph, shapes_graph)
    native = _native_checks(data_graph, shapes_graph, ont_graph)
    violations.extend(native)
    if native and any(v.severity == "Violation" for v in native):
        conforms = False
    if dataset is not None and violations:
        violations = _attach_sources(violations, dataset)
    violations.sort(
        key=lambda v: (
            _SEVERITY_ORDER.get(v.severity, 3), v.shape, str(v.focus_node), str(v.path), str(v.value), v.component
        )
    )
    return ValidationReport(conforms=bool(conforms), violations=violations)


# -- loading ---------------------------------------------------------------


def _load_cached(path: Path, what: str) -> Graph:
    """Return the parsed file, cached while its size and modification time are unchanged."""
    try:
        st = path.stat()
    except OSError as exc:
        raise ConfigError(f"Cannot find the {what} file {path}; restore it or pass another path.") from exc
    return _parse_cached(str(path.resolve()), st.st_mtime_ns, st.st_size, what)


@lru_cache(maxsize=8)
def _parse_cached(path: str, mtime_ns: int, size: int, what: str) -> Graph:
    return load_turtle(Path(path), what=what)


def _load_shapes(path: Path) -> Graph:
    graph = _load_cached(path, "SHACL shapes")
    if not any(True for t in _SHAPE_TYPES for _ in graph.subjects(RDF.type, t)):
        raise ConfigError(f"The SHACL shapes file {path} declares no sh:NodeShape or sh:PropertyShape; check the file.")
    return graph


def _union(data: ConjunctiveGraph) -> Graph:
    """Merge every graph of a dataset except the ontology graph into a new Graph."""
    merged = Graph()
    add = merged.add
    for s, p, o, ctx in data.quads((None, None, None, None)):
        if _graph_id(ctx) == ONTOLOGY_GRAPH:
            continue
        add((s, p, o))
    return merged


def _graph_id(ctx: object) -> Node | None:
    if isinstance(ctx, Graph):
        return ctx.identifier
    return ctx if isinstance(ctx, (URIRef, BNode)) else None


# -- checks run natively ------------------------------------------------------

#: Annotation on a deactivated shape naming the check this module runs in its place.
NATIVE_CHECK = URIRef("https://w3id.org/kg/shapes#nativeCheck")
_KNOWN_NATIVE = frozenset({"disjointClasses", "assertedStatement"})


def _native_checks(data: Graph, shapes_graph: Graph, ont_graph: Graph) -> list[Violation]:
    """Run the deactivated shapes marked ``kgsh:nativeCheck``, with their SHACL semantics.

    pySHACL is too slow on two shape patterns (sh:not/sh:or of sh:class, and
    SPARQL constraints), so shapes.ttl marks them deactivated and names the
    check that evaluates them here. A check runs only while its shape is in
    the shapes graph.

    Raises:
        ConfigError: a shape names an unknown check or does not have the form it needs.
    """
    out: list[Violation] = []
    classes: dict[Node, frozenset[Node]] | None = None
    for shape, name in sorted(shapes_graph.subject_objects(NATIVE_CHECK)):
        check = str(name)
        if check not in _KNOWN_NATIVE:
            raise ConfigError(
                f"Shape {shape} names an unknown kgsh:nativeCheck {check!r}; use one of {sorted(_KNOWN_NATIVE)}."
            )
        message = str(shapes_graph.value(shape, SH.message) or "")
        if check == "disjointClasses":
            if classes is None:
                classes = _instance_classes(data, ont_graph)
            out.extend(_check_disjoint(shape, message, shapes_graph, classes))
        else:
            if not message:
                sparql = shapes_graph.value(shape, SH.sparql)
                message = str(shapes_graph.value(sparql, SH.message) or "") if sparql is not None else ""
            out.extend(_check_asserted(shape, message, shapes_graph, data))
    return out


def _instance_classes(data: Graph, ont_graph: Graph) -> dict[Node, frozenset[Node]]:
    """Map every typed node to all the classes it is a SHACL instance of (``rdf:type/rdfs:subClassOf*``).

    The class hierarchy is read from the ontology and the data graph.
    """
    parents: dict[Node, set[Node]] = defaultdict(set)
    for graph in (ont_graph, data):
        for sub, sup in graph.subject_objects(RDFS.subClassOf):
            parents[sub].add(sup)
    ancestors: dict[Node, frozenset[Node]] = {}

    def up(cls: Node) -> frozenset[Node]:
        found = ancestors.get(cls)
        if found is None:
            seen = {cls}
            stack = [cls]
            while stack:
                for sup in parents.get(stack.pop(), ()):
                    if sup not in seen:
                        seen.add(sup)
                        stack.append(sup)
            found = ancestors[cls] = frozenset(seen)
        return found

    types: dict[Node, set[Node]] = defaultdict(set)
    for node, cls in data.subject_objects(RDF.type):
        types[node] |= up(cls)
    return {node: frozenset(closure) for node, closure in types.items()}


def _check_disjoint(
    shape: Node, message: str, shapes_graph: Graph, classes: dict[Node, frozenset[Node]]
) -> list[Violation]:
    """Evaluate ``sh:targetClass T ; sh:not [ sh:or ( [ sh:class X ] ... ) ]``."""
    targets = set(shapes_graph.objects(shape, SH.targetClass))
    forbidden: set[Node] = set()
    for negated in shapes_graph.objects(shape, SH["not"]):
        for alternatives in shapes_graph.objects(negated, SH["or"]):
            for alternative in shapes_graph.items(alternatives):
                forbidden.update(shapes_graph.objects(alternative, SH["class"]))
    if not targets or not forbidden:
        raise ConfigError(
            f"Shape {shape} is marked kgsh:nativeCheck \"disjointClasses\" but lacks sh:targetClass or "
            "sh:not [ sh:or ( [ sh:class ... ] ) ]; fix it in the shapes file."
        )
    out = []
    for node, closure in classes.items():
        if closure & targets and closure & forbidden:
            out.append(
                Violation(
                    shape=str(shape),
                    focus_node=node,
                    path=None,
                    value=node,
                    message=message or f"{_compact(node)} has classes that {_compact(shape)} declares disjoint.",
                    severity=_severity(shapes_graph, shape),
                    component="NotConstraintComponent",
                )
            )
    return out


def _check_asserted(shape: Node, message: str, shapes_graph: Graph, data: Graph) -> list[Violation]:
    """Every reified statement of the target class has its triple asserted in the data."""
    out = []
    for target in shapes_graph.objects(shape, SH.targetClass):
        for statement in data.subjects(RDF.type, target):
            s = data.value(statement, RDF.subject)
            p = data.value(statement, RDF.predicate)
            o = data.value(statement, RDF.object)
            if s is None or p is None or o is None or (s, p, o) in data:
                continue  # a missing part is reported by the cardinality shapes
            out.append(
                Violation(
                    shape=str(shape),
                    focus_node=statement,
                    path=None,
                    value=statement,
                    message=message or "The recorded triple is asserted in no graph.",
                    severity=_severity(shapes_graph, shape),
                    component="SPARQLConstraintComponent",
                )
            )
    return out


def _severity(shapes_graph: Graph, shape: Node) -> str:
    severity = shapes_graph.value(shape, SH.severity)
    return str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"


# -- results ---------------------------------------------------------------


def _read_results(results: Graph, shapes_graph: Graph) -> list[Violation]:
    out: list[Violation] = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        shape = results.value(result, SH.sourceShape)
        focus = results.value(result, SH.focusNode)
        severity = results.value(result, SH.resultSeverity)
        component = results.value(result, SH.sourceConstraintComponent)
        component_name = str(component).rsplit("#", 1)[-1] if component is not None else ""
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        if not messages:
            messages = [f"Fails sh:{component_name or 'a constraint'}"]
        out.append(
            Violation(
                shape=_shape_name(shape, shapes_graph),
                focus_node=focus if focus is not None else Literal(""),
                path=results.value(result, SH.resultPath),
                value=results.value(result, SH.value),
                message="; ".join(messages),
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
                component=component_name,
            )
        )
    return out


def _shape_name(shape: Node | None, shapes_graph: Graph) -> str:
    """Return the IRI of a shape; for a blank-node shape, of the named shape that holds it."""
    if isinstance(shape, URIRef):
        return str(shape)
    if shape is None:
        return "_:unknown"
    seen = {shape}
    node: Node = shape
    while isinstance(node, BNode):
        parents = [s for s, _p in shapes_graph.subject_predicates(node) if s not in seen]
        if not parents:
            break
        node = parents[0]
        seen.add(node)
    return str(node) if isinstance(node, URIRef) else f"_:{shape}"


def _attach_sources(violations: list[Violation], data: ConjunctiveGraph) -> list[Violation]:
    """Fill ``source_documents``: the named graphs holding the offending triples."""
    focus_nodes = {v.focus_node for v in violations}
    by_triple: dict[tuple[Node, Node], set[str]] = defaultdict(set)
    by_value: dict[tuple[Node, Node, Node], set[str]] = defaultdict(set)
    by_subject: dict[Node, set[str]] = defaultdict(set)
    anywhere: dict[Node, set[str]] = defaultdict(set)
    default = data.default_graph if isinstance(data, Dataset) else data.default_context
    skip = {default.identifier, DATASET_DEFAULT_GRAPH_ID, ONTOLOGY_GRAPH}
    for s, p, o, ctx in data.quads((None, None, None, None)):
        gid = _graph_id(ctx)
        if not isinstance(gid, URIRef) or gid in skip:
            continue
        name = str(gid)
        if s in focus_nodes:
            by_subject[s].add(name)
            by_triple[(s, p)].add(name)
            by_value[(s, p, o)].add(name)
        if o in focus_nodes:
            anywhere[o].add(name)
    out = []
    for v in violations:
        found: set[str] = set()
        if isinstance(v.path, URIRef):
            found = by_value.get((v.focus_node, v.path, v.value), set()) if v.value is not None else set()
            if not found:
                found = by_triple.get((v.focus_node, v.path), set())
        elif v.component == "NotConstraintComponent":  # disjoint classes: where the types come from
            found = by_triple.get((v.focus_node, RDF.type), set())
        if not found:
            found = by_subject.get(v.focus_node, set())
        if not found:
            found = anywhere.get(v.focus_node, set())
        out.append(
            Violation(
                shape=v.shape,
                focus_node=v.focus_node,
                path=v.path,
                value=v.value,
                message=v.message,
                severity=v.severity,
                component=v.component,
                source_documents=sorted(found),
            )
        )
    return out


_NM: NamespaceManager | None = None


def _compact(node: Node) -> str:
    """Render a term in Turtle using the project's prefixes (plus ``kgsh:``)."""
    global _NM
    if _NM is None:
        _NM = NamespaceManager(Graph(), bind_namespaces="none")
        for prefix, iri in PREFIXES.items():
            _NM.bind(prefix, iri, override=True)
        _NM.bind("kgsh", "https://w3id.org/kg/shapes#", override=True)
        _NM.bind("sh", str(SH), override=True)
    try:
        return node.n3(_NM)
    except Exception:  # a term rdflib cannot render compactly
        return str(node)


__all__ = ["ValidationReport", "Violation", "validate"]
