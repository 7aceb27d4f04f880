"""kg: build a knowledge graph of regional cooperation mechanisms from text.

The public API is imported lazily so that ``import kg.extract.dates`` (or the
CLI's ``--help``) does not load spaCy, rdflib stores or pyvis.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "KnowledgeGraph": "kg.api",
    "BuildReport": "kg.build",
    "build": "kg.build",
    "KgError": "kg.errors",
    "InputError": "kg.errors",
    "StoreError": "kg.errors",
    "QueryError": "kg.errors",
    "ValidationError": "kg.errors",
    "ConfigError": "kg.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import a public name on first use."""
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
