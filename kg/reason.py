"""Materialise RDFS or OWL 2 RL inferences into their own named graph.

:func:`infer` runs the `owlrl <https://pypi.org/project/owlrl/>`_ forward
chainer over the union of a store's named graphs plus the ontology and
returns only the triples that are new: asserted in no graph. :func:`write_inferences`
puts them in the named graph ``https://w3id.org/kg/graph/inferred``
(:data:`kg.namespaces.INFERRED_GRAPH`), replacing what an earlier run left
there, so asserted and inferred facts stay apart (``GRAPH <.../inferred>``
selects the inferences, a document graph holds only what its text said).

What each profile adds:

==========  ===================================================================
profile     inferences
==========  ===================================================================
``rdfs``    subclass types (a ``kg:SectoralBody`` is a ``kg:Organization``,
            ``org:OrganizationalUnit``, ``prov:Agent`` ...), subproperty triples
            (``kg:memberOf`` -> ``org:memberOf``, ``schema:memberOf``), types
            entailed by a property's ``rdfs:domain`` / ``rdfs:range`` when that
            is a named class
``owl-rl``  the above, plus the inverses (``kg:hasPart``, ``kg:hasMember``,
            ``kg:hasParticipant``) and the transitive closure of ``kg:partOf`` /
            ``kg:hasPart``
==========  ===================================================================

The reasoner is pure Python and re-reads its whole graph on every cycle, so
the input is cut to what can take part in an inference. Measured on a 2-core
machine, OWL 2 RL over the whole development-corpus build (17,500 quads plus
the ontology) took 76 s and RDFS 38 s; restricted as below, 6-9 s and 3 s:

* provenance records are left out: ``kg:Document``, ``kg:Sentence``,
  ``kg:Mention``, ``kg:ExtractedStatement``, ``kg:CandidateStatement`` nodes
  and every triple about them (no axiom of the ontology applies to them but
  the trivial ones);
* of the remaining triples only ``rdf:type`` and those whose predicate the
  ontology says something about (a super-property, inverse, domain, range,
  transitivity) are kept: labels, alternative labels and source URLs entail
  nothing;
* the ontology is reduced to its axioms between named terms: subclass,
  subproperty, equivalence, inverse, domain and range, transitive and
  symmetric properties. Annotations, anonymous class expressions
  (``owl:unionOf`` domains), disjointness and functional or
  inverse-functional characteristics are left out: cardinality and
  disjointness are SHACL's job (:mod:`kg.validate`), where an open-world
  reasoner would instead equate the two values of a functional property;
* ``owl:sameAs`` links to other datasets (Wikidata) are not followed: OWL
  would copy every fact about ASEAN onto ``wd:Q7768``, and every query
  would then count ASEAN twice.

The reasoner is also kept from deriving triples that no rule reads back and
the output drops (``x owl:sameAs x``, ``x rdf:type owl:Thing``; see
:func:`_semantics`), which halves its time again.

The output is filtered to facts about the graph's own nodes: no blank node,
no literal subject, no reflexive ``owl:sameAs``, no typing with
``owl:Thing``, ``rdfs:Resource`` or another RDF/RDFS/OWL/XSD class, and no
triple about the ontology's own classes and properties. When the inferred
types of a node would make it an instance of two disjoint classes (an
extraction error, e.g. an entity used as the object of ``kg:agencyOf`` but
typed an Organization), only the types its asserted types entail are
written, and ``kg validate`` reports the offending triple.

Example::

    from kg.reason import infer, write_inferences
    from kg.store import open_store

    with open_store("build/store") as store:
        n = write_inferences(store, "owl-rl")
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Iterator, Literal as TypingLiteral, get_args

from rdflib import OWL, RDF, RDFS, XSD, BNode, ConjunctiveGraph, Graph, Literal, URIRef
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from .errors import KgError
from .namespaces import BASE, INFERRED_GRAPH, ONTOLOGY_GRAPH, bind_prefixes
from .ontology import load_ontology
from .store.base import Store
from .vocab import KG

Profile = TypingLiteral["rdfs", "owl-rl"]
#: The reasoning profiles :func:`infer` accepts.
PROFILES: tuple[str, ...] = get_args(Profile)

#: Classes whose instances are provenance records, left out of reasoning.
PROVENANCE_CLASSES: frozenset[URIRef] = frozenset(
    {KG.Document, KG.Sentence, KG.Mention, KG.ExtractedStatement, KG.CandidateStatement}
)

# Ontology axioms kept for the reasoner, by profile (triples between named terms only).
_RDFS_AXIOMS = frozenset({RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range})
_OWL_AXIOMS = _RDFS_AXIOMS | {OWL.equivalentClass, OWL.equivalentProperty, OWL.inverseOf}
_OWL_CHARACTERISTICS = frozenset({OWL.TransitiveProperty, OWL.SymmetricProperty})
# Namespaces whose classes are metamodel classes, never a type worth materialising.
_META_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))


def infer(dataset_or_store: Store | Graph, *, profile: Profile, ontology: Graph | None = None) -> Graph:
    """Compute the triples the ontology entails from a graph that none of its graphs asserts.

    Args:
        dataset_or_store: a :class:`kg.store.base.Store`, an rdflib ``Dataset``
            / ``ConjunctiveGraph`` (all named graphs are read) or a plain
            ``Graph``. The graph ``https://w3id.org/kg/graph/inferred`` is
            ignored (it holds a previous run's output); the ontology graph, if
            the store has one, adds to the ontology.
        profile: ``"rdfs"`` (subclass types, subproperty triples, domain and
            range types) or ``"owl-rl"`` (also inverses and transitive
            properties). See the module docstring.
        ontology: the ontology to reason with; default ``ontology/kg.ttl``
            (:func:`kg.ontology.load_ontology`).

    Returns:
        A new rdflib Graph (project prefixes bound) holding only inferred
        triples: each is asserted in no graph of the input nor in the
        ontology, and mentions no blank node.

    Raises:
        KgError: ``profile`` is not one of :data:`PROFILES`.
        ConfigError: the ontology file is missing or invalid.
        StoreError: the store cannot be read.
    """
    semantics = _semantics(profile)
    ontology = load_ontology() if ontology is None else ontology

    asserted: set[tuple[Node, Node, Node]] = set()
    extra_ontology: list[tuple[Node, Node, Node]] = []
    for s, p, o, g in _quads(dataset_or_store):
        if g == INFERRED_GRAPH:
            continue
        asserted.add((s, p, o))
        if g == ONTOLOGY_GRAPH:
            extra_ontology.append((s, p, o))
    if extra_ontology:
        merged = Graph()
        for t in ontology:
            merged.add(t)
        for t in extra_ontology:
            merged.add(t)
        ontology = merged

    tbox = _reasoning_tbox(ontology, owl=profile == "owl-rl")
    work = Graph(store=SimpleMemory())  # no contexts: about twice as fast under owlrl as the default store
    for t in tbox:
        work.add(t)
    for t in _reasoning_input(asserted, tbox):
        work.add(t)

    import owlrl  # type: ignore[import-untyped]  # imported here: only reasoning needs it

    # improved_datatypes=False: the default swaps rdflib's literal converters process-wide while it runs
    owlrl.DeductiveClosure(semantics, improved_datatypes=False, axiomatic_triples=False,
                           datatype_axioms=False).expand(work)

    ontology_triples = set(ontology)
    terms = _ontology_terms(ontology)
    inferred = Graph()
    bind_prefixes(inferred)
    candidates = [t for t in work if t not in asserted and t not in ontology_triples and _keep(t, terms)]
    for t in _drop_clashing_types(candidates, asserted, ontology):
        inferred.add(t)
    return inferred


def write_inferences(store: Store, profile: Profile) -> int:
    """Replace the store's inferred graph with the inferences of its current content.

    Args:
        store: an open, writable store.
        profile: ``"rdfs"`` or ``"owl-rl"`` (see :func:`infer`).

    Returns:
        The number of inferred triples written to ``https://w3id.org/kg/graph/inferred``
        (0 drops the graph).

    Raises:
        KgError: unknown profile.
        ConfigError: the ontology file is missing or invalid.
        StoreError: the store cannot be read or written (the old inferred graph is kept).
    """
    triples = list(infer(store, profile=profile))
    store.replace_graph(INFERRED_GRAPH, triples)
    return len(triples)


# -- input --------------------------------------------------------------------


#: Types that no rule of the reduced ontology reads back: owlrl derives one per node and re-reads
#: each on every cycle, and the output drops them; not deriving them halves the time.
_DEAD_END_TYPES = frozenset({OWL.Thing, RDFS.Resource, RDF.Property})


def _semantics(profile: str, *, prune: bool = True):  # type: ignore[no-untyped-def]
    """The owlrl closure class of ``profile``; with ``prune``, one that skips dead-end triples.

    Pruning leaves out ``x owl:sameAs x`` (OWL RL rule eq-ref), ``x rdf:type
    owl:Thing`` / ``rdfs:Resource`` (rdfs4a, rdfs4b, the owl:Thing of scm-cls
    through cax-sco) and ``p rdf:type rdf:Property`` (rdf1). With the reduced
    ontology of :func:`_reasoning_tbox` (no class expressions, nothing said
    about owl:Thing or rdfs:Resource) no rule derives anything else from
    them, so the output is the same (tests/test_reason.py checks it), and
    owlrl, which re-reads every triple of its graph on every cycle, runs about
    twice as fast (OWL 2 RL on the dev corpus: 10.5 s -> 5.5 s).
    """
    import owlrl  # type: ignore[import-untyped]

    if profile == "rdfs":
        base = owlrl.RDFS_Semantics
    elif profile == "owl-rl":
        base = owlrl.OWLRL_Semantics
    else:
        raise KgError(f"Unknown reasoning profile {profile!r}; use one of {', '.join(PROFILES)}.")
    if not prune:
        return base

    class Pruned(base):  # type: ignore[misc, valid-type]
        def store_triple(self, t):  # type: ignore[no-untyped-def]
            s, p, o = t
            if (p == RDF.type and o in _DEAD_END_TYPES) or (p == OWL.sameAs and s == o):
                return
            super().store_triple(t)

    Pruned.__name__ = Pruned.__qualname__ = f"Pruned{base.__name__}"
    return Pruned


def _quads(source: Store | Graph) -> Iterator[tuple[Node, Node, Node, Node | None]]:
    """Yield (s, p, o, graph name) from a store, a Dataset/ConjunctiveGraph or a Graph."""
    if isinstance(source, ConjunctiveGraph):  # rdflib's Dataset is a ConjunctiveGraph
        for s, p, o, ctx in source.quads((None, None, None, None)):
            yield s, p, o, ctx.identifier if isinstance(ctx, Graph) else ctx
    elif isinstance(source, Graph):
        for s, p, o in source:
            yield s, p, o, None
    else:
        yield from source.quads()


def _reasoning_tbox(ontology: Graph, *, owl: bool) -> Graph:
    """The ontology's axioms between named terms that the profile uses (see the module docstring)."""
    axioms = _OWL_AXIOMS if owl else _RDFS_AXIOMS
    tbox = Graph(store=SimpleMemory())
    for s, p, o in ontology:
        if not isinstance(s, URIRef) or not isinstance(o, URIRef):
            continue
        if p in axioms or (owl and p == RDF.type and o in _OWL_CHARACTERISTICS):
            tbox.add((s, p, o))
    return tbox


def _reasoning_input(asserted: Iterable[tuple[Node, Node, Node]], tbox: Graph) -> Iterator[tuple[Node, Node, Node]]:
    """The asserted triples that can take part in an inference under ``tbox``."""
    triples = list(asserted)
    provenance = {s for s, p, o in triples if p == RDF.type and o in PROVENANCE_CLASSES}
    # a predicate matters when the TBox relates it to something: super-property, inverse, domain, ...
    relevant = {s for s in tbox.subjects()} | {o for o in tbox.objects() if isinstance(o, URIRef)}
    for s, p, o in triples:
        if s in provenance or isinstance(s, Literal):
            continue
        if p == RDF.type:
            if o not in PROVENANCE_CLASSES:
                yield s, p, o
        elif p == OWL.sameAs:
            if _own(s) and _own(o):  # never smush our entities with another dataset's
                yield s, p, o
        elif p in relevant:
            yield s, p, o


def _own(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(BASE)


# -- output -------------------------------------------------------------------


def _ontology_terms(ontology: Graph) -> set[Node]:
    """Every IRI the ontology describes or types (its classes, properties, the ontology itself)."""
    return {s for s in ontology.subjects() if isinstance(s, URIRef)}


def _keep(t: tuple[Node, Node, Node], terms: set[Node]) -> bool:
    """Whether an entailed triple is a fact about the data worth materialising."""
    s, p, o = t
    if not isinstance(s, URIRef) or isinstance(o, BNode) or s in terms:
        return False
    if p == RDF.type:
        return isinstance(o, URIRef) and not str(o).startswith(_META_NAMESPACES)
    if p == OWL.sameAs:
        return s != o
    return not str(p).startswith(_META_NAMESPACES)


def _drop_clashing_types(
    candidates: list[tuple[Node, Node, Node]], asserted: set[tuple[Node, Node, Node]], ontology: Graph
) -> Iterator[tuple[Node, Node, Node]]:
    """Leave out inferred types that would make a node an instance of two disjoint classes.

    For such a node only the inferred types that its asserted types entail
    through ``rdfs:subClassOf`` are kept; its other inferred triples stay.
    """
    supers = _superclasses(ontology)
    disjoint = _disjoint_pairs(ontology, supers)
    if not disjoint:
        yield from candidates
        return
    asserted_types: dict[Node, set[Node]] = defaultdict(set)
    for s, p, o in asserted:
        if p == RDF.type:
            asserted_types[s].add(o)
    all_types: dict[Node, set[Node]] = defaultdict(set)
    for node, types in asserted_types.items():
        all_types[node] |= types
    for s, p, o in candidates:
        if p == RDF.type:
            all_types[s].add(o)
    clashing = {node for node, types in all_types.items() if _clash(types, disjoint)}
    for t in candidates:
        s, p, o = t
        if p == RDF.type and s in clashing:
            entailed: set[Node] = set()
            for cls in asserted_types.get(s, ()):
                entailed |= supers.get(cls, {cls})
            if o not in entailed:
                continue
        yield t


def _superclasses(ontology: Graph) -> dict[Node, set[Node]]:
    """Map each named class to itself and all its named superclasses (``rdfs:subClassOf*``)."""
    parents: dict[Node, set[Node]] = defaultdict(set)
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            parents[sub].add(sup)
    closure: dict[Node, set[Node]] = {}
    for cls in list(parents):
        seen = {cls}
        stack = [cls]
        while stack:
            for sup in parents.get(stack.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    stack.append(sup)
        closure[cls] = seen
    return closure


def _disjoint_pairs(ontology: Graph, supers: dict[Node, set[Node]]) -> set[frozenset[Node]]:
    """Pairs of named classes declared disjoint (``owl:disjointWith``, ``owl:AllDisjointClasses``)."""
    pairs: set[frozenset[Node]] = set()
    for a, b in ontology.subject_objects(OWL.disjointWith):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            pairs.add(frozenset((a, b)))
    for axiom in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        for members in ontology.objects(axiom, OWL.members):
            classes = [c for c in ontology.items(members) if isinstance(c, URIRef)]
            for i, a in enumerate(classes):
                for b in classes[i + 1:]:
                    pairs.add(frozenset((a, b)))
    return pairs


def _clash(types: set[Node], disjoint: set[frozenset[Node]]) -> bool:
    return any(pair <= types for pair in disjoint)


__all__ = ["PROFILES", "PROVENANCE_CLASSES", "Profile", "infer", "write_inferences"]
