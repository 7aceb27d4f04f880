"""Fixtures shared by the extraction tests: one loaded extractor and its spaCy pipeline per module."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.extract.pipeline import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def nlp(extractor: Extractor) -> Language:
    return extractor.nlp
