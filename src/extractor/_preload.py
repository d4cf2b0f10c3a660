"""Imported once by the worker server of ``--jobs`` (multiprocessing's
forkserver preload): the Extractor is built here, once, and every worker is
forked with it ready, sharing its memory copy-on-write; a replaced worker
(after a crash or a timeout) starts in milliseconds instead of seconds."""
from __future__ import annotations

EXTRACTOR = None
PATTERNS_DIR = None
WARM_UP = (" date 2024-03-11\nKyle Larson won Sunday's NASCAR Cup Series race at Phoenix Raceway in the "
           "No. 5 Chevrolet, leading 120 of 312 laps. Ryan Blaney finished second and Denny Hamlin third. "
           "Larson had qualified third on Friday, March 8, with a lap of 26.512 seconds (135.794 mph). "
           "There were seven cautions.\n")
try:
    from .pipeline import Extractor
    from .resources import patterns_dir

    PATTERNS_DIR = str(patterns_dir())
    EXTRACTOR = Extractor()
    # Warm the lazy parts (caches filled on first use) once, here, so that
    # workers share them too.
    # An article that reaches them all: a dated race with a car number (the
    # car index), a lap time and speed (the track table), a weekday date
    # (dateparser's tables) and a result to link (the results reader).
    EXTRACTOR(WARM_UP, doc_id="warm-up")
    EXTRACTOR.ref.warm()
    # Keep the collector away from these objects in the workers: a GC pass
    # touching them would copy their pages into every worker.
    import gc
    gc.collect()
    gc.freeze()
except Exception:  # a worker then builds its own and reports any problem itself
    EXTRACTOR = None
