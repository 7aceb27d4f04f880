"""Extraction over several processes (``--jobs N``).

Each worker process loads its own :class:`~kg.extract.pipeline.Extractor`
once (spaCy model and gazetteer), then extracts the documents it is sent;
results come back in input order. spaCy's own ``n_process`` is not used
because our stages after parsing are Python too and must run in the workers.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterator, Sequence

from .extract.pipeline import DEFAULT_MODEL, Extractor
from .model import Document, Extraction

_WORKER: Extractor | None = None


def _init(model: str) -> None:
    global _WORKER
    _WORKER = Extractor(model=model)
    _WORKER.matcher  # build the matchers now, not on the first document  # noqa: B018


def _extract(doc: Document) -> Extraction | BaseException:
    assert _WORKER is not None
    try:
        return _WORKER.extract(doc)
    except Exception as exc:  # noqa: BLE001 - reported per document by the caller
        return exc


def _extract_batch(docs: list[Document]) -> list[Extraction | BaseException]:
    """Extract a batch with ``nlp.pipe`` (spaCy's batched parse); one failing document is retried alone."""
    assert _WORKER is not None
    try:
        return list(_WORKER.extract_many(docs))
    except Exception:  # noqa: BLE001 - find which document failed, keep the others
        return [_extract(d) for d in docs]


def extract_parallel(documents: Sequence[Document], *, jobs: int, model: str = DEFAULT_MODEL,
                     batch_size: int = 16, extractor: Extractor | None = None) -> Iterator[Extraction | BaseException]:
    """Extract ``documents`` in ``jobs`` worker processes, yielding results in input order.

    Each worker parses a batch of documents at a time with ``nlp.pipe``, as a single
    process does, so that parallel extraction keeps spaCy's batching.

    Args:
        documents: decoded documents.
        jobs: number of worker processes (>= 2; use the extractor directly for 1).
        model: spaCy model each worker loads (when no ``extractor`` is handed over).
        batch_size: documents sent to a worker at a time (and parsed together).
        extractor: an extractor of this process (its gazetteer, model and options). Where
            worker processes are forked (Linux), it is loaded here once and the workers
            inherit it, as spaCy's own ``nlp.pipe(n_process=...)`` workers inherit the
            model; elsewhere each worker builds ``Extractor(model=extractor.model)``.

    Yields:
        The extraction of each document, or the exception its extraction raised.
    """
    global _WORKER
    workers = max(2, min(jobs, os.cpu_count() or jobs, len(documents) or 1))
    docs = list(documents)
    # small batches when there are few documents, so that every worker gets some
    size = max(1, min(batch_size, -(-len(docs) // (workers * 2))))
    batches = [docs[i:i + size] for i in range(0, len(docs), size)]
    context = multiprocessing.get_context()
    inherit = extractor is not None and context.get_start_method() == "fork"
    previous = _WORKER
    if inherit:
        assert extractor is not None
        extractor.matcher  # noqa: B018 - load the model and build the matchers before the workers fork
        _WORKER = extractor
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    else:
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_init,
                                   initargs=(extractor.model if extractor is not None else model,))
    try:
        with pool:
            for results in pool.map(_extract_batch, batches):
                yield from results
    finally:
        _WORKER = previous


__all__ = ["extract_parallel", "Callable"]
