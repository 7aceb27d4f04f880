"""--jobs N: extraction over worker processes gives what one process gives, in input order."""

from __future__ import annotations

from pathlib import Path

from kg.documents import discover, read_document
from kg.extract.pipeline import Extractor
from kg.parallel import extract_parallel

ROOT = Path(__file__).resolve().parents[1]


def _key(ext) -> list[tuple[str, str, str, int, str]]:  # type: ignore[no-untyped-def]
    return sorted((str(f.subject), f.predicate, str(f.object), f.sentence, f.rule) for f in ext.facts)


def test_parallel_extraction_matches_one_process_in_order() -> None:
    found, _ = discover([ROOT / "seeds", ROOT / "tests" / "data" / "event_identity", ROOT / "tests" / "data" / "heldout"])
    docs = [read_document(s) for s in found]
    assert len(docs) >= 10
    one = [Extractor().extract(d) for d in docs]
    many = list(extract_parallel(docs, jobs=2, batch_size=3))
    assert [e.document.iri for e in many] == [d.iri for d in docs]
    assert [_key(e) for e in many] == [_key(e) for e in one]
    assert sum(len(e.facts) for e in one) > 100
