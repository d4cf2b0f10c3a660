"""Running many inputs: streamed, in order, optionally in worker processes,
one record out per input document, errors as records.

- Inputs are located lazily (``inputs.iter_tasks``) and read where they are
  processed, so the parent of a ``--jobs`` run only splits JSONL lines and
  passes small tasks; memory holds a bounded window of documents, never the
  batch.
- Each document runs under a time budget. In one process a SIGALRM timer
  interrupts it (the extractor is then rebuilt, so no half-updated state is
  kept); with workers the parent also kills a worker that overruns and
  starts another. A worker that dies for any reason costs only the document
  it held: that document gets an error record and the run goes on.
- spaCy's StringStore would grow with every new token string of every
  article; documents run inside ``nlp.memory_zone()`` (spaCy >= 3.8), which
  drops what they added. A zone spans ZONE_DOCS documents, not one: words
  recur from article to article, and re-creating every lexeme for every
  document cost a tenth of the run.
- Records come out in input order, whatever order workers finish in.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Callable, Iterable, Iterator

from .inputs import InputDoc, InputError, Task, load
from .models import ErrorInfo, Provenance, Record

DEFAULT_TIMEOUT = 60.0
# How long past the budget a worker gets to stop by itself (its own alarm)
# before the parent kills it.
KILL_GRACE = 5.0
# Documents in flight per worker: enough to keep workers busy, small enough
# that memory stays flat whatever the batch size.
WINDOW_PER_JOB = 16
# Documents per spaCy memory zone: the strings of this many articles at most
# are held (a few MB), then dropped together.
ZONE_DOCS = 100
# Documents a worker process extracts before a fresh one is forked in its
# place (in milliseconds, ready-built, from the worker server). Whatever a
# worker accumulates (bounded caches filling, pages copied from the server
# as objects are touched, allocator fragmentation) is then dropped with it,
# so a --jobs run's memory cannot grow with the batch; the cost is the new
# worker re-reading the result seasons it needs, about 1 % of the time.
WORKER_DOCS = 2000


class DocTimeout(BaseException):
    """Raised by the alarm inside a document. A BaseException so that no
    ``except Exception`` in the extraction code can swallow it."""


class BatchError(Exception):
    """The batch cannot run at all (workers cannot start)."""


def provenance(patterns=None) -> Provenance:
    from . import __version__
    from .resources import ruleset_hash
    return Provenance(version=__version__, ruleset_hash=ruleset_hash(patterns))


@dataclass
class Result:
    """One finished document: its JSON line, or ``None`` when ``--resume``
    found it already done (``skip_sha`` says which text)."""
    doc_id: str
    line: bytes | None
    error_kind: str | None = None
    error_message: str | None = None
    warned: bool = False
    skip_sha: str | None = None


def error_record(doc_id: str, kind: str, message: str, source: str | None, prov: Provenance | None) -> Record:
    return Record(doc_id=doc_id, source=source, extractor=prov, error=ErrorInfo(kind=kind, message=message))


def _result(rec: Record) -> Result:
    return Result(rec.doc_id, rec.to_json().encode("utf-8"),
                  rec.error.kind if rec.error else None, rec.error.message if rec.error else None,
                  bool(rec.warnings))


@contextmanager
def _alarm(seconds: float | None):
    """Raise DocTimeout in this thread after ``seconds``.

    In the main thread a SIGALRM timer does it. Signals reach only the main
    thread, so elsewhere (a Dask worker runs tasks in threads, so may a
    library caller) a timer thread raises DocTimeout in this one through
    ``PyThreadState_SetAsyncExc``. Either way the exception arrives between
    two Python steps: a document stuck inside one long C call (a regex) is
    stopped when that call returns."""
    if not seconds or seconds <= 0:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        with _thread_alarm(seconds):
            yield
        return

    def fire(signum, frame):
        raise DocTimeout()

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@contextmanager
def _thread_alarm(seconds: float):
    import ctypes

    set_async = ctypes.pythonapi.PyThreadState_SetAsyncExc
    target = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state = {"active": True, "fired": False}

    def fire() -> None:
        with lock:
            if state["active"]:
                state["fired"] = True
                set_async(target, ctypes.py_object(DocTimeout))

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["active"] = False
            if state["fired"]:
                # Fired just as the document finished: take back an exception
                # not yet delivered, so it cannot strike the caller later.
                set_async(target, None)
        timer.cancel()


class Runner:
    """Extracts documents in this process, one at a time, under the budget."""

    def __init__(self, checks: bool = True, timeout: float | None = DEFAULT_TIMEOUT, patterns=None,
                 extractor=None) -> None:
        self.checks, self.timeout, self.patterns = checks, timeout, patterns
        self.timed_out = 0
        self.rebuild_on_timeout = True
        self._zone = None
        self._zone_docs = 0
        self.ex = extractor
        if self.ex is None:
            self._build()
        self.prov = self.ex.provenance

    def _build(self, fresh: bool = False) -> None:
        from .pipeline import Extractor, default_extractor
        if self.patterns is None:
            # The process-wide extractor: a library caller (or a test) that
            # runs many batches builds it once.
            if fresh:
                default_extractor.cache_clear()
            self.ex = default_extractor()
        else:
            self.ex = Extractor(self.patterns, run_checks=self.checks)

    def _enter_zone(self) -> None:
        if self._zone is None:
            nlp = getattr(getattr(self.ex, "annotator", None), "nlp", None)
            zone = getattr(nlp, "memory_zone", None)
            if zone is not None:
                self._zone = zone()
                self._zone.__enter__()
                self._zone_docs = 0

    def close(self) -> None:
        """Drop the strings of the open memory zone (the Runner stays usable)."""
        zone, self._zone = self._zone, None
        if zone is not None:
            zone.__exit__(None, None, None)

    def record(self, item: InputDoc | InputError) -> Record:
        if isinstance(item, InputError):
            return error_record(item.doc_id, item.kind, item.message, item.source, self.prov)
        if any("English" in w for w in item.warnings):
            return Record(doc_id=item.doc_id, source=item.source, text_sha=item.text_sha,
                          extractor=self.prov, warnings=item.warnings)
        self._enter_zone()
        try:
            with _alarm(self.timeout):
                rec = self.ex(item.text, doc_id=item.doc_id, published=item.published, source=item.source,
                              checks=self.checks)
        except DocTimeout:
            # The alarm may have struck anywhere: start from a fresh extractor
            # (a worker instead exits after this record and is replaced by a
            # fresh fork, which is faster than building one).
            self.timed_out += 1
            self.close()
            if self.rebuild_on_timeout:
                self._build(fresh=True)
            return error_record(item.doc_id, "timeout", f"extraction took longer than {self.timeout:g} s",
                                item.source, self.prov)
        except RecursionError:
            return error_record(item.doc_id, "RecursionError", "the text is nested too deeply to analyse",
                                item.source, self.prov)
        except Exception as exc:  # one bad article must not stop the batch
            msg = (str(exc) or repr(exc)).splitlines()[0][:300]
            return error_record(item.doc_id, type(exc).__name__, msg, item.source, self.prov)
        finally:
            self._zone_docs += 1
            if self._zone_docs >= ZONE_DOCS:
                self.close()
        rec.warnings.extend(item.warnings)
        return rec

    def run_task(self, task: Task) -> Result:
        if task.kind == "skip":
            assert task.item is not None
            return Result(task.item.doc_id, None, skip_sha=task.item.text_sha)
        return _result(self.record(load(task)))


def process_one(item: InputDoc | InputError, extractor=None) -> Record:
    """One document with a given Extractor (library use; no time budget)."""
    from .pipeline import default_extractor
    runner = Runner(timeout=None, extractor=extractor or default_extractor())
    try:
        return runner.record(item)
    finally:
        runner.close()


# ---------------------------------------------------------------- workers


def _watch_parent(parent: int) -> None:
    # A worker outlives nothing: when the process that started it is gone
    # (killed with SIGKILL, so no clean-up ran), the worker exits.
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(3)


def _worker_main(conn, checks: bool, timeout: float | None, patterns) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    runner = Runner(checks=checks, timeout=timeout, patterns=patterns, extractor=_preloaded(patterns))
    runner.rebuild_on_timeout = False
    conn.send(("ready", None))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        seq, task = msg
        res = runner.run_task(task)
        # Interrupted mid-document: say so with the record, then exit, and a
        # fresh worker (forked ready-built) takes over.
        leaving = runner.timed_out > 0
        conn.send((seq, res, leaving))
        if leaving:
            return


def _preloaded(patterns):
    """The forkserver's ready-built Extractor, when it was built from the
    same knowledge files this run uses."""
    try:
        from . import _preload
        from .resources import patterns_dir, ruleset_hash
    except Exception:
        return None
    ex = _preload.EXTRACTOR
    if ex is None or str(patterns or patterns_dir()) != _preload.PATTERNS_DIR:
        return None
    if ex.provenance.ruleset_hash != ruleset_hash(patterns):
        return None
    return ex


_CTX = None


def _context():
    global _CTX
    if _CTX is None:
        # forkserver: workers are forked from a clean server that has spaCy
        # imported once, not from a parent with threads (the progress bar).
        _CTX = mp.get_context("forkserver")
        _CTX.set_forkserver_preload(["extractor._preload"])
    return _CTX


class _Worker:
    def __init__(self, ctx, checks, timeout, patterns) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, checks, timeout, patterns), daemon=True)
        self.proc.start()
        child.close()
        self.ready = False
        self.seq: int | None = None
        self.task: Task | None = None
        self.deadline = 0.0
        self.started = time.monotonic()
        self.count = 0

    def stop(self, kill: bool = False) -> None:
        try:
            if not kill and self.proc.is_alive():
                self.conn.send(None)
        except OSError:
            pass
        self.conn.close()
        if kill:
            self.proc.kill()
        self.proc.join(2 if not kill else None)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()


class Pool:
    """Worker processes fed one document at a time, so the parent always
    knows which document a worker holds."""

    STARTUP = 120.0  # seconds a new worker may take to build its Extractor

    def __init__(self, jobs: int, checks: bool = True, timeout: float | None = DEFAULT_TIMEOUT, patterns=None,
                 max_tasks: int | None = WORKER_DOCS) -> None:
        self.jobs, self.checks, self.timeout, self.patterns = jobs, checks, timeout, patterns
        self.max_tasks = max_tasks
        self.ctx = _context()
        self.prov = provenance(patterns)
        self.workers: list[_Worker] = []
        self.failed_starts = 0
        self.restarts = 0

    def _spawn(self) -> _Worker:
        w = _Worker(self.ctx, self.checks, self.timeout, self.patterns)
        self.workers.append(w)
        return w

    def _replace(self, w: _Worker, kill: bool, recycled: bool = False) -> None:
        w.stop(kill=kill)
        self.workers.remove(w)
        self._spawn()
        if not recycled:  # a worker retired after WORKER_DOCS is no failure
            self.restarts += 1

    def close(self) -> None:
        for w in self.workers:
            w.stop(kill=True)
        self.workers = []

    def _fail(self, w: _Worker, kind: str, message: str) -> tuple[int, Result]:
        task = w.task
        assert task is not None and w.seq is not None
        doc_id = task.doc_id
        if task.kind == "line":  # its id is inside the line: read it (only now, on failure)
            doc_id = load(task).doc_id
        rec = error_record(doc_id, kind, message, task.source, self.prov)
        return w.seq, _result(rec)

    def run(self, next_task: Callable[[], object]) -> Iterator[tuple[int, Result]]:
        """Results as they complete (any order). ``next_task()`` gives
        ``(seq, task)``, ``WAIT`` (nothing now: the window is full) or
        ``None`` (no more input)."""
        for _ in range(self.jobs):
            self._spawn()
        hard = (self.timeout + KILL_GRACE) if self.timeout and self.timeout > 0 else None
        exhausted = False
        try:
            while True:
                for w in list(self.workers):
                    while not exhausted and w.ready and w.seq is None:
                        nxt = next_task()
                        if nxt is None:
                            exhausted = True
                        elif nxt is WAIT:
                            break
                        else:
                            seq, task = nxt
                            if task.kind == "error":  # nothing to extract
                                assert task.error is not None
                                yield seq, _result(error_record(task.doc_id, task.error.kind, task.error.message,
                                                                task.source, self.prov))
                                continue
                            if task.kind == "skip":
                                assert task.item is not None
                                yield seq, Result(task.item.doc_id, None, skip_sha=task.item.text_sha)
                                continue
                            w.seq, w.task = seq, task
                            w.deadline = time.monotonic() + hard if hard else float("inf")
                            try:
                                w.conn.send((seq, task))
                            except OSError:
                                pass  # it died; found below
                    if exhausted:
                        break
                busy = [w for w in self.workers if w.seq is not None or not w.ready]
                if exhausted and not any(w.seq is not None for w in self.workers):
                    return
                now = time.monotonic()
                limits = [w.deadline if w.ready else w.started + self.STARTUP for w in busy]
                wait_for = max(0.0, min(limits) - now) if limits else None
                ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy],
                                 timeout=min(wait_for, 1.0) if wait_for is not None else 1.0))
                for w in busy:
                    msg = None
                    if w.conn in ready or w.proc.sentinel in ready:
                        try:
                            if w.conn.poll():
                                msg = w.conn.recv()
                        except (EOFError, OSError):
                            msg = None
                        if msg is None:
                            w.proc.join(1)
                            code = w.proc.exitcode
                            if not w.ready:
                                self.failed_starts += 1
                                if self.failed_starts > 3 * self.jobs:
                                    raise BatchError(f"worker processes keep dying at start (exit code {code})")
                            if w.seq is not None:
                                how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
                                yield self._fail(w, "worker_died",
                                                 f"the worker process died ({how}) while extracting this document")
                            self._replace(w, kill=True)
                            continue
                        if msg[0] == "ready":
                            w.ready = True
                            continue
                        seq, res, leaving = msg
                        w.seq = w.task = None
                        w.count += 1
                        if leaving or (self.max_tasks and w.count >= self.max_tasks):
                            self._replace(w, kill=False, recycled=not leaving)
                        yield seq, res
                        continue
                    now = time.monotonic()
                    if w.ready and w.seq is not None and now > w.deadline:
                        yield self._fail(w, "timeout", f"extraction took longer than {self.timeout:g} s "
                                                       "(the worker was stopped)")
                        self._replace(w, kill=True)
                    elif not w.ready and now > w.started + self.STARTUP:
                        raise BatchError("a worker process did not start in time")
        finally:
            self.close()


# ---------------------------------------------------------------- the batch


@dataclass
class Stats:
    records: int = 0
    errors: int = 0
    warnings: int = 0
    skipped: int = 0
    seconds: float = 0.0
    restarts: int = 0

    def summary(self) -> str:
        extra = f", {self.skipped:,} kept from the partial output" if self.skipped else ""
        return (f"{self.records:,} records, {self.errors:,} errors, {self.warnings:,} with warnings{extra} "
                f"in {self.seconds:.1f} s")


def _resumed(tasks: Iterable[Task], done: Callable[[str], frozenset | None]) -> Iterator[Task]:
    """With --resume every document is read here first (its id and text are
    needed to know whether the partial output has it): one done before
    becomes a "skip", any other goes on already read."""
    for task in tasks:
        item = load(task)
        if isinstance(item, InputError):
            yield Task("error", item.doc_id, item.source, error=item)
            continue
        shas = done(item.doc_id)
        kind = "skip" if shas and item.text_sha in shas else "read"
        yield Task(kind, item.doc_id, item.source, item=item)


def run_tasks(tasks: Iterable[Task], jobs: int = 1, checks: bool = True, timeout: float | None = DEFAULT_TIMEOUT,
              patterns=None, done: Callable[[str], frozenset | None] | None = None,
              max_tasks: int | None = WORKER_DOCS) -> Iterator[tuple[Task, Result]]:
    """(task, result) per task, in input order. ``done(doc_id)`` gives the
    text hashes already in a partial output (``--resume``)."""
    if done:
        tasks = _resumed(tasks, done)
    if jobs <= 1:
        runner = Runner(checks=checks, timeout=timeout, patterns=patterns)
        try:
            for task in tasks:
                if task.kind == "error":
                    yield task, _result(runner.record(task.error))
                else:
                    yield task, runner.run_task(task)
        finally:
            runner.close()
        return

    window = jobs * WINDOW_PER_JOB
    pool = Pool(jobs, checks=checks, timeout=timeout, patterns=patterns, max_tasks=max_tasks)
    pending: dict[int, Result] = {}
    held: dict[int, Task] = {}
    source = iter(tasks)
    state = {"seq": 0, "out": 0}

    def next_task():
        # Read ahead at most ``window`` documents past the oldest unwritten one.
        if state["seq"] - state["out"] >= window:
            return WAIT
        task = next(source, None)
        if task is None:
            return None
        seq = state["seq"]
        state["seq"] += 1
        held[seq] = task
        return seq, task

    try:
        for seq, res in pool.run(next_task):
            pending[seq] = res
            while state["out"] in pending:
                s = state["out"]
                state["out"] += 1
                yield held.pop(s), pending.pop(s)
    finally:
        pool.close()


WAIT = object()


def run(items: Iterable[InputDoc | InputError], jobs: int = 1, checks: bool = True) -> Iterator[str]:
    """Library helper kept from the first API: JSON lines for documents
    already read, in order, in this process."""
    runner = Runner(checks=checks, timeout=None)
    try:
        for item in items:
            yield runner.record(item).to_json()
    finally:
        runner.close()


# ---------------------------------------------------------------- output


class OutputError(Exception):
    """The output cannot be written (a usage error: exit 2)."""


def _os_reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


class Output:
    """Records go to ``TARGET.part`` beside the target and are renamed over it
    only when the run has finished, so a previous output is never truncated
    by a run that does not finish. ``TARGET.gz`` is written gzipped
    (reproducibly: no name or time in the header). ``resume`` keeps the
    records of an earlier partial output whose text and rules are unchanged."""

    FLUSH_EVERY = 0.5   # seconds: a killed run leaves (almost) all it did
    GZ_FLUSH_LINES = 256

    def __init__(self, target: str | None, resume: bool = False, prov: Provenance | None = None) -> None:
        import sys
        self.target = None if target in (None, "-") else str(target)
        self.prev_path: str | None = None
        self.prev_fh = None
        self.done: dict[str, dict[str, tuple[int, int]]] = {}
        self._last_flush = time.monotonic()
        self._lines = 0
        if self.target is None:
            self.raw = sys.stdout.buffer
            self.fh = self.raw
            self.partial = None
            return
        t = self.target
        folder = os.path.dirname(os.path.abspath(t))
        if os.path.isdir(t):
            raise OutputError(f"{t}: is a folder, not a file")
        if not os.path.isdir(folder):
            raise OutputError(f"{t}: the folder {folder} does not exist")
        if os.path.exists(t) and not os.path.isfile(t):
            raise OutputError(f"{t}: not a regular file")
        self.partial = t + ".part"
        if resume and os.path.exists(self.partial):
            self.prev_path = self.partial + ".prev"
            os.replace(self.partial, self.prev_path)
            self._load_prev(prov)
        try:
            self.raw = open(self.partial, "wb")
        except OSError as exc:
            raise OutputError(f"{t}: {_os_reason(exc)}") from None
        if t.endswith(".gz"):
            import gzip
            self.fh = gzip.GzipFile(filename="", fileobj=self.raw, mode="wb", mtime=0)
        else:
            self.fh = self.raw

    def _load_prev(self, prov: Provenance | None) -> None:
        """Index the earlier partial output: doc_id -> text_sha -> (offset, length)
        of its complete, error-free lines made by the same rules."""
        import json
        import shutil
        import tempfile
        path = self.prev_path
        assert path is not None
        if path.endswith(".gz.part.prev"):
            import gzip
            plain = tempfile.NamedTemporaryFile(dir=os.path.dirname(os.path.abspath(path)), prefix=".resume-",
                                                delete=False)
            try:
                with gzip.open(path, "rb") as src:
                    shutil.copyfileobj(src, plain)
            except (EOFError, OSError):
                pass  # a partial gzip stream: keep what decompressed
            plain.close()
            os.replace(plain.name, path)
        self.prev_fh = open(path, "rb")
        offset = 0
        for line in self.prev_fh:
            if not line.endswith(b"\n"):
                break  # cut off by the interruption
            try:
                rec = json.loads(line)
                ok = (isinstance(rec, dict) and not rec.get("error") and rec.get("text_sha")
                      and (prov is None or rec.get("extractor") == prov.model_dump()))
            except (ValueError, RecursionError):
                ok = False
            if ok:
                self.done.setdefault(str(rec["doc_id"]), {})[rec["text_sha"]] = (offset, len(line))
            offset += len(line)

    def done_shas(self, doc_id: str) -> frozenset | None:
        got = self.done.get(doc_id)
        return frozenset(got) if got else None

    def previous_line(self, doc_id: str, sha: str) -> bytes:
        off, n = self.done[doc_id][sha]
        assert self.prev_fh is not None
        self.prev_fh.seek(off)
        return self.prev_fh.read(n)

    def write(self, line: bytes) -> None:
        if not line.endswith(b"\n"):
            line += b"\n"
        self.fh.write(line)
        self._lines += 1
        gz = self.fh is not self.raw
        now = time.monotonic()
        if (gz and self._lines % self.GZ_FLUSH_LINES == 0) or (not gz and now - self._last_flush > self.FLUSH_EVERY) \
                or self.partial is None:
            self.fh.flush()
            self._last_flush = now

    def _close_prev(self) -> None:
        if self.prev_fh:
            self.prev_fh.close()
            self.prev_fh = None

    def commit(self) -> None:
        """The run finished: put the output in place."""
        self.fh.flush()
        if self.partial is None:
            return
        if self.fh is not self.raw:
            self.fh.close()
        self.raw.flush()
        os.fsync(self.raw.fileno())
        self.raw.close()
        os.replace(self.partial, self.target)
        self._close_prev()
        if self.prev_path and os.path.exists(self.prev_path):
            os.remove(self.prev_path)

    def abort(self, keep: bool = True) -> None:
        """The run stopped: leave the partial output (for ``--resume``) or remove it."""
        if self.partial is None:
            try:
                self.fh.flush()
            except OSError:
                pass
            return
        for fh in ((self.fh, self.raw) if self.fh is not self.raw else (self.raw,)):
            try:
                fh.close()
            except OSError:
                pass
        self._close_prev()
        if not keep:
            for p in (self.partial, self.prev_path):
                if p and os.path.exists(p):
                    os.remove(p)


def run_batch(tasks: Iterable[Task], out: Output, jobs: int = 1, checks: bool = True,
              timeout: float | None = DEFAULT_TIMEOUT, patterns=None,
              on_result: Callable[[Task, Result], None] | None = None, max_tasks: int | None = WORKER_DOCS) -> Stats:
    """Extract every task into ``out`` (the caller commits or aborts it)."""
    stats = Stats()
    t0 = time.monotonic()
    for task, res in run_tasks(tasks, jobs=jobs, checks=checks, timeout=timeout, patterns=patterns,
                               done=out.done_shas if out.done else None, max_tasks=max_tasks):
        if res.line is None:
            assert res.skip_sha is not None
            line = out.previous_line(res.doc_id, res.skip_sha)
            stats.skipped += 1
            res.warned = b'"warnings": [' in line and b'"warnings": []' not in line
        else:
            line = res.line
        try:
            out.write(line)
        except OSError as exc:
            raise OutputError(f"{out.target or 'stdout'}: {_os_reason(exc)}") from None
        stats.records += 1
        stats.errors += res.error_kind is not None
        stats.warnings += res.warned
        if on_result:
            on_result(task, res)
    stats.seconds = time.monotonic() - t0
    return stats
