"""The batch on a Dask cluster: JSONL shards, disk to disk.

Each input shard is one Dask task that reads the shard where the worker
runs (local disk, shared storage, or any fsspec URL such as s3://...),
extracts its documents in order and writes one output shard of the same
name into the output folder (a ``.part`` file renamed at the end). The
records are the ones a local run makes, byte for byte: the same reader
(``inputs``), the same per-document code (``batch.Runner``).

Each worker process builds the Extractor once (cached in this module) and
reuses it for every shard it gets. A shard whose task fails (an exception,
or its worker dying) is retried by Dask; when it still fails, the client
writes the shard's output itself, one error record per document, so no
document is lost.

Needs the optional extra ``extractor[dask]`` (dask[distributed]).
"""
from __future__ import annotations

import os
import posixpath
from dataclasses import asdict
from typing import Callable, Iterable

from ..batch import Runner, Stats, error_record, provenance
from ..inputs import JSONL_SUFFIXES, Task, _jsonl_tasks, clean_name, iter_lines, parse_jsonl_line

RETRIES = 2
_RUNNERS: dict = {}


class DaskProblem(Exception):
    """The Dask run cannot start (usage error)."""


def _fs(path: str):
    import fsspec
    return fsspec.core.url_to_fs(path)


def _open(path: str, mode: str):
    import fsspec
    return fsspec.open(path, mode, compression="infer").open()


def _runner(checks: bool, timeout: float | None) -> Runner:
    """One Runner (one Extractor) per worker process, built on first use."""
    key = (checks, timeout, os.environ.get("EXTRACTOR_PATTERNS"))
    if key not in _RUNNERS:
        _RUNNERS[key] = Runner(checks=checks, timeout=timeout)
    return _RUNNERS[key]


def process_shard(src: str, dst: str, checks: bool = True, timeout: float | None = None) -> dict:
    """Extract one JSONL shard into ``dst``; returns the shard's counts and
    its error lines. Runs on a Dask worker (or anywhere)."""
    runner = _runner(checks, timeout)
    stats = Stats()
    errors: list[str] = []
    where = clean_name(_stem(src))
    part = dst + ".part"
    fs, _ = _fs(dst)
    with _open(src, "rb") as fh, _open(part, "wb") as out:
        for task in _jsonl_tasks(fh, where, clean_name(src)):
            if task.kind == "error":
                rec = runner.record(task.error)
            else:
                rec = runner.record(_load_line(task))
            out.write(rec.to_json().encode("utf-8") + b"\n")
            stats.records += 1
            if rec.error:
                stats.errors += 1
                if len(errors) < 100:
                    errors.append(f"{rec.doc_id}: {rec.error.message}")
            stats.warnings += bool(rec.warnings)
    fs.mv(_fs(part)[1], _fs(dst)[1])
    return {"stats": asdict(stats), "errors": errors}


def _load_line(task: Task):
    return parse_jsonl_line(task.payload or b"", task.doc_id.rpartition(":")[0], task.lineno, task.source)


def failed_shard(src: str, dst: str, reason: str) -> dict:
    """A shard that kept failing: one error record per document, written by
    the client, so the output still has every document."""
    prov = provenance()
    stats = Stats()
    where = clean_name(_stem(src))
    part = dst + ".part"
    fs, _ = _fs(dst)
    msg = f"the shard failed {RETRIES + 1} times on the cluster: {reason}"[:300]
    with _open(src, "rb") as fh, _open(part, "wb") as out:
        for lineno, line in iter_lines(fh):
            if line is not None and not line.strip():
                continue
            doc_id = f"{where}:{lineno}"
            if line is not None:
                item = parse_jsonl_line(line, where, lineno, clean_name(src))
                doc_id = item.doc_id
            rec = error_record(doc_id, "shard_failed", msg, clean_name(src), prov)
            out.write(rec.to_json().encode("utf-8") + b"\n")
            stats.records += 1
            stats.errors += 1
    fs.mv(_fs(part)[1], _fs(dst)[1])
    return {"stats": asdict(stats), "errors": [f"{src}: {msg}"]}


def _stem(path: str) -> str:
    base = posixpath.basename(path.rstrip("/"))
    for suf in (".gz",):
        if base.endswith(suf):
            base = base[: -len(suf)]
    stem, dot, _ = base.rpartition(".")
    return stem if dot and stem else base


def list_shards(paths: Iterable[str]) -> list[str]:
    """The input shards: .jsonl files given, or those in the folders given."""
    shards: list[str] = []
    for p in paths:
        fs, fp = _fs(p)
        if not fs.exists(fp):
            raise DaskProblem(f"{p}: no such file or folder")
        if fs.isdir(fp):
            names = sorted(posixpath.basename(n.rstrip("/")) for n in fs.ls(fp, detail=False))
            found = [n for n in names if n.endswith(JSONL_SUFFIXES)]
            if not found:
                raise DaskProblem(f"{p}: no .jsonl shards in this folder")
            shards.extend(p.rstrip("/") + "/" + n if "://" in p else os.path.join(p, n) for n in found)
        elif p.endswith(JSONL_SUFFIXES):
            shards.append(p)
        else:
            raise DaskProblem(f"{p}: the dask engine reads JSONL shards (.jsonl), not this file")
    return shards


def _output_names(shards: list[str], out_dir: str) -> list[str]:
    names = [posixpath.basename(s.rstrip("/")) for s in shards]
    names = [n[:-3] if n.endswith(".gz") else n for n in names]
    if len(set(names)) != len(names):
        raise DaskProblem("two input shards have the same name; their outputs would collide")
    join = (lambda n: out_dir.rstrip("/") + "/" + n) if "://" in out_dir else (lambda n: os.path.join(out_dir, n))
    return [join(n) for n in names]


def run_dask(paths: list[str], out_dir: str, scheduler: str | None = None, workers: int = 2, checks: bool = True,
             timeout: float | None = None, on_error: Callable[[str], None] | None = None,
             shard_fn: Callable[..., dict] = process_shard, client=None) -> Stats:
    """Process every shard on a Dask cluster (a LocalCluster of ``workers``
    processes when no scheduler address is given)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise DaskProblem("the dask engine needs the optional extra: pip install 'extractor[dask]'") from None
    shards = list_shards(paths)
    fs, fp = _fs(out_dir)
    if fs.exists(fp) and not fs.isdir(fp):
        raise DaskProblem(f"{out_dir}: exists and is not a folder")
    fs.makedirs(fp, exist_ok=True)
    outs = _output_names(shards, out_dir)
    for s, o in zip(shards, outs):
        if os.path.abspath(s) == os.path.abspath(o):
            raise DaskProblem(f"{o}: is also an input; refusing to overwrite it")
    cluster = None
    own_client = client is None
    import time
    t0 = time.monotonic()
    try:
        if client is None:
            if scheduler:
                client = Client(scheduler)
            else:
                cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                                       dashboard_address=None)
                client = Client(cluster)
        futures = [client.submit(shard_fn, s, o, checks, timeout, key=f"extract-{i}-{posixpath.basename(s)}",
                                 retries=RETRIES, pure=False)
                   for i, (s, o) in enumerate(zip(shards, outs))]
        total = Stats()
        for s, o, fut in zip(shards, outs, futures):
            try:
                got = fut.result()
            except Exception as exc:  # retries used up (an exception, or workers that died)
                got = failed_shard(s, o, f"{type(exc).__name__}: {exc}".splitlines()[0])
            st = got["stats"]
            total.records += st["records"]
            total.errors += st["errors"]
            total.warnings += st["warnings"]
            for line in got["errors"]:
                if on_error:
                    on_error(line)
        total.seconds = time.monotonic() - t0
        return total
    finally:
        if own_client and client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
