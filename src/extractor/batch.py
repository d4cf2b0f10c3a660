"""Running many inputs: in order, optionally in worker processes, one record
out per input document, errors as records."""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from typing import Iterable, Iterator

from .inputs import InputDoc, InputError
from .models import ErrorInfo, Record

_WORKER = None


def _init_worker(checks: bool) -> None:
    global _WORKER
    from .pipeline import Extractor
    _WORKER = Extractor(run_checks=checks)


def process_one(item: InputDoc | InputError, extractor=None) -> Record:
    ex = extractor or _WORKER
    if isinstance(item, InputError):
        return Record(doc_id=item.doc_id, source=item.source, extractor=ex.provenance if ex else None,
                      error=ErrorInfo(kind=item.kind, message=item.message))
    if item.warnings and any("English" in w for w in item.warnings):
        return Record(doc_id=item.doc_id, source=item.source, extractor=ex.provenance, warnings=item.warnings)
    try:
        rec = ex(item.text, doc_id=item.doc_id, published=item.published, source=item.source)
    except Exception as exc:  # one bad article must not stop the batch
        return Record(doc_id=item.doc_id, source=item.source, extractor=ex.provenance,
                      error=ErrorInfo(kind=type(exc).__name__, message=str(exc) or repr(exc)))
    rec.warnings.extend(item.warnings)
    return rec


def _work(item):
    return process_one(item).to_json()


def run(items: Iterable[InputDoc | InputError], jobs: int = 1, checks: bool = True) -> Iterator[str]:
    """Yield one JSON line per item, in input order."""
    if jobs <= 1:
        from .pipeline import Extractor
        ex = Extractor(run_checks=checks)
        for item in items:
            yield process_one(item, ex).to_json()
        return
    jobs = min(jobs, os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(checks,)) as pool:
        yield from pool.map(_work, items, chunksize=4)
