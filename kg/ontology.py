"""Where the ontology and the SHACL shapes are, and the core vocabulary's term lists.

In an installed wheel the two Turtle files are package data under
``kg/data/ontology/`` (see ``[tool.hatch.build.targets.wheel.force-include]``
in pyproject.toml); in a source checkout they are in ``<repo>/ontology/``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from rdflib import Graph

from .errors import ConfigError

ONTOLOGY_FILE = "kg.ttl"
SHAPES_FILE = "shapes.ttl"

#: IRI of the ontology (``owl:Ontology``); terms are in ``ONTOLOGY_IRI + "#"``.
ONTOLOGY_IRI = "https://w3id.org/kg/ontology"

#: Core classes of the vocabulary, most specific first: the first one an entity has is
#: its type (colour and shape in views, ``type`` in traversal results).
#: Source: shared/spec/vocabulary.md.
CORE_CLASSES: tuple[str, ...] = (
    "Event",
    "SectoralBody",
    "CooperationMechanism",
    "GovernmentAgency",
    "Programme",
    "RegionalOrganization",
    "InternationalOrganization",
    "State",
    "Instrument",
    "Person",
    "Place",
    "Topic",
    "Organization",
)

# Source: shared/spec/vocabulary.md, section "Classes" (the contract).
VOCAB_CLASSES: frozenset[str] = frozenset(
    {
        "RegionalOrganization",
        "InternationalOrganization",
        "SectoralBody",
        "CooperationMechanism",
        "GovernmentAgency",
        "Programme",
        "State",
        "Event",
        "Instrument",
        "Person",
        "Place",
        "Topic",
    }
)

#: The six organisation-like classes, subclasses of ``kg:Organization``.
#: Source: shared/spec/vocabulary.md ("Every Organization-like class above (the first six)").
ORGANIZATION_CLASSES: frozenset[str] = frozenset(
    {
        "RegionalOrganization",
        "InternationalOrganization",
        "SectoralBody",
        "CooperationMechanism",
        "GovernmentAgency",
        "Programme",
    }
)

# Source: shared/spec/vocabulary.md, section "Object properties".
VOCAB_OBJECT_PROPERTIES: frozenset[str] = frozenset(
    {
        "memberOf",
        "partOf",
        "reportsTo",
        "establishedUnder",
        "agencyOf",
        "participatedIn",
        "observerAt",
        "presentedAt",
        "organizedBy",
        "hostedBy",
        "chairedBy",
        "supportedBy",
        "heldIn",
        "locatedIn",
        "underFramework",
        "endorsedBy",
        "leadShepherdOf",
        "affiliatedWith",
        "addresses",
    }
)

# Source: shared/spec/vocabulary.md, section "Datatype properties".
VOCAB_DATATYPE_PROPERTIES: frozenset[str] = frozenset(
    {
        "startDate",
        "endDate",
        "endorsementDate",
        "periodStart",
        "periodEnd",
        "establishedIn",
        "participantCount",
        "countryCount",
        "acronym",
    }
)

#: Every property of the core vocabulary (object and datatype), by local name.
VOCAB_PROPERTIES: frozenset[str] = VOCAB_OBJECT_PROPERTIES | VOCAB_DATATYPE_PROPERTIES


def _locate(filename: str) -> Path:
    """Return the path of ``filename`` in the package data, else in ``<repo>/ontology``."""
    try:
        candidate = resources.files("kg").joinpath("data", "ontology", filename)
        if candidate.is_file():
            return Path(str(candidate))
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError, TypeError, ValueError):
        pass
    return Path(__file__).resolve().parent.parent / "ontology" / filename


def ontology_path() -> Path:
    """Return the path of the ontology file ``kg.ttl``.

    Returns:
        ``kg/data/ontology/kg.ttl`` inside an installed wheel, otherwise
        ``<repo>/ontology/kg.ttl``. The file is not checked to exist.
    """
    return _locate(ONTOLOGY_FILE)


def shapes_path() -> Path:
    """Return the path of the SHACL shapes file ``shapes.ttl``.

    Returns:
        ``kg/data/ontology/shapes.ttl`` inside an installed wheel, otherwise
        ``<repo>/ontology/shapes.ttl``. The file is not checked to exist.
    """
    return _locate(SHAPES_FILE)


def load_turtle(path: Path, *, what: str) -> Graph:
    """Parse a Turtle file into a new graph.

    Args:
        path: the file to read.
        what: what the file is, for the error message (e.g. ``"ontology"``).

    Returns:
        A new :class:`rdflib.Graph` with the file's triples.

    Raises:
        ConfigError: the file is missing, unreadable or not valid Turtle.
    """
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise ConfigError(f"Cannot find the {what} file {path}; reinstall kg or restore the file.") from exc
    except OSError as exc:
        raise ConfigError(f"Cannot read the {what} file {path}: {exc.strerror or exc}; check its permissions.") from exc
    except Exception as exc:  # rdflib raises several parser exception types
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"Cannot parse the {what} file {path} as Turtle: {first_line}; fix the syntax.") from exc
    return graph


def load_ontology(path: Path | None = None) -> Graph:
    """Load the ontology into a new graph (the caller may modify it).

    Args:
        path: an ontology file to read instead of :func:`ontology_path`.

    Returns:
        A new :class:`rdflib.Graph` holding ``kg.ttl``.

    Raises:
        ConfigError: the file is missing or is not valid Turtle.
    """
    return load_turtle(path or ontology_path(), what="ontology")
