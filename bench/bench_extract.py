"""Extraction throughput against raw spaCy, on a corpus of generated documents.

Builds a corpus of N documents (default 1,000) by replicating the dev corpus
(or seeds/ when the dev corpus is absent) with the entity names and dates varied,
then measures in one run, on the same texts:

* raw ``nlp.pipe`` of the same spaCy model, 1 process and ``n_process=2``;
* the whole ``kg`` extraction (parse + mentions + relations), 1 process and ``--jobs 2``;

and prints words/s, documents/s, peak memory (RSS, MiB) and the ratio of kg to raw.

Usage: python bench/bench_extract.py [--docs 1000] [--jobs 2]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.documents import discover, read_document  # noqa: E402
from kg.extract.pipeline import DEFAULT_MODEL, Extractor  # noqa: E402
from kg.iri import document_iri  # noqa: E402
from kg.model import Document  # noqa: E402

VARIANTS = [("Brunei", "Cambodia"), ("Malaysia", "Thailand"), ("Kuala Lumpur", "Bangkok"), ("April", "May"),
            ("Vietnam", "Indonesia"), ("Myanmar", "the Philippines"), ("UNODC", "IOM"), ("2025", "2024")]


def corpus(n: int) -> list[Document]:
    """``n`` documents made from the dev corpus (or seeds/), with names and dates varied."""
    dev = ROOT.parent / "shared" / "corpus" / "dev"
    found, _ = discover([dev if dev.is_dir() else ROOT / "seeds"])
    base = [read_document(s) for s in found]
    rng = random.Random(7)
    docs = []
    for i in range(n):
        d = base[i % len(base)]
        text = d.text
        for a, b in rng.sample(VARIANTS, 3):
            text = text.replace(a, b)
        docs.append(Document(path=Path(f"gen/{i}.txt"), iri=document_iri(f"gen/{i}.txt"), text=text,
                             published=d.published, title=d.title))
    return docs


def peak_mib() -> float:
    """Peak RSS of this process and its finished children, MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    docs = corpus(args.docs)
    texts = [d.text for d in docs]
    words = sum(len(t.split()) for t in texts)
    print(f"corpus: {len(docs)} documents, {words:,} words (whitespace tokens)")

    import spacy

    rows = []
    nlp = spacy.load(DEFAULT_MODEL)
    t = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    rows.append(("raw nlp.pipe, 1 process", time.perf_counter() - t))
    t = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32, n_process=args.jobs):
        pass
    rows.append((f"raw nlp.pipe, n_process={args.jobs}", time.perf_counter() - t))

    ex = Extractor(model=DEFAULT_MODEL)
    ex.matcher  # noqa: B018 - built before timing, as nlp was loaded before timing
    t = time.perf_counter()
    facts = sum(len(e.facts) for e in ex.extract_many(docs))
    rows.append(("kg extraction, 1 process", time.perf_counter() - t))

    from kg.parallel import extract_parallel

    t = time.perf_counter()
    facts_p = sum(len(e.facts) for e in extract_parallel(docs, jobs=args.jobs) if not isinstance(e, BaseException))
    rows.append((f"kg extraction, --jobs {args.jobs}", time.perf_counter() - t))
    assert facts == facts_p, (facts, facts_p)

    print(f"{'run':32s} {'seconds':>8s} {'words/s':>9s} {'docs/s':>7s}")
    for name, sec in rows:
        print(f"{name:32s} {sec:8.1f} {words / sec:9.0f} {len(docs) / sec:7.1f}")
    raw1, rawn, kg1, kgn = (r[1] for r in rows)
    print(f"ratio kg/raw throughput: 1 process {raw1 / kg1:.2f}, {args.jobs} processes {rawn / kgn:.2f}")
    print(f"facts extracted: {facts}; peak RSS {peak_mib():.0f} MiB")


if __name__ == "__main__":
    main()
