"""Imported once by the worker server of ``--jobs`` (multiprocessing's
forkserver preload): the Extractor is built here, once, and every worker is
forked with it ready, sharing its memory copy-on-write; a replaced worker
(after a crash or a timeout) starts in milliseconds instead of seconds."""
from __future__ import annotations

EXTRACTOR = None
PATTERNS_DIR = None
try:
    from .pipeline import Extractor
    from .resources import patterns_dir

    PATTERNS_DIR = str(patterns_dir())
    EXTRACTOR = Extractor()
    # Warm the lazy parts (caches filled on first use) once, here, so that
    # workers share them too.
    EXTRACTOR("Kyle Larson won the pole at Phoenix Raceway on Saturday.", doc_id="warm-up")
    # Keep the collector away from these objects in the workers: a GC pass
    # touching them would copy their pages into every worker.
    import gc
    gc.collect()
    gc.freeze()
except Exception:  # a worker then builds its own and reports any problem itself
    EXTRACTOR = None
