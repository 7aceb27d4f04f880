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


def test_workers_inherit_a_handed_over_extractor_with_its_own_gazetteer(tmp_path: Path) -> None:
    from kg.gazetteer import load_gazetteer
    from kg.iri import document_iri
    from kg.model import Document

    base = (ROOT / "seeds" / "gazetteer.yaml").read_text(encoding="utf-8")
    extra = ("\n  - id: zz_border_forum\n    name: Zanzibar Border Forum\n    type: SectoralBody\n"
             "    acronyms: [ZBF]\n    sources:\n      - \"https://example.org/zbf\"\n")
    path = tmp_path / "gazetteer.yaml"
    path.write_text(base.rstrip("\n") + extra, encoding="utf-8")
    ex = Extractor(load_gazetteer(path))
    text = "The ZBF attended the 3rd Regional Workshop on Border Management in Mombasa on 4 June 2025."
    docs = [Document(path=Path(f"{i}.txt"), iri=document_iri(f"{i}.txt"), text=text) for i in range(4)]
    many = list(extract_parallel(docs, jobs=2, batch_size=1, extractor=ex))
    labels = {e.label for x in many for e in x.entities.values()}
    assert "Zanzibar Border Forum" in labels  # the workers used this extractor's gazetteer
    assert [_key(e) for e in many] == [_key(ex.extract(d)) for d in docs]
