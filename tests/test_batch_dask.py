"""The Dask engine (issue 8): JSONL shards disk to disk on a LocalCluster of
worker processes; output equal to the local run byte for byte; a shard that
fails is retried, and one that keeps failing still gives every document a
record."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

distributed = pytest.importorskip("distributed")

from extractor.cli import app  # noqa: E402
from extractor.engines import dask as engine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]


def flaky_shard(src: str, dst: str, checks: bool, timeout) -> dict:
    """Fails the first time it runs for a shard (a marker file records it),
    then does the real work: a transient failure on the cluster."""
    flag = Path(dst + ".failed-once")
    if not flag.exists():
        flag.write_text("x")
        raise OSError("transient storage error")
    return engine.process_shard(src, dst, checks, timeout)


def always_fails(src: str, dst: str, checks: bool, timeout) -> dict:
    raise RuntimeError("this shard cannot be processed")


@pytest.fixture(scope="module")
def client():
    import cloudpickle
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture
def shards(tmp_path: Path) -> Path:
    d = tmp_path / "shards"
    d.mkdir()
    for k in range(3):
        lines = [json.dumps({"id": f"{k}-{i}", "text": t}) for i, t in enumerate(SEEDS[k:k + 2])]
        if k == 1:
            lines.append("{not json")
        (d / f"part-{k}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d


def local(shards: Path, tmp_path: Path) -> bytes:
    out = tmp_path / "local.jsonl"
    CliRunner().invoke(app, ["extract", "-q", str(shards), "-o", str(out)])
    return out.read_bytes()


def joined(out: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(out.glob("*.jsonl")))


def test_dask_equals_local_and_retries_a_failed_shard(client, shards: Path, tmp_path: Path):
    out = tmp_path / "out"
    stats = engine.run_dask([str(shards)], str(out), client=client, shard_fn=flaky_shard)
    assert sorted(p.name for p in out.glob("*.jsonl")) == ["part-0.jsonl", "part-1.jsonl", "part-2.jsonl"]
    assert len(list(out.glob("*.failed-once"))) == 3  # every shard failed once, then was retried
    assert stats.records == 7 and stats.errors == 1
    assert joined(out) == local(shards, tmp_path)
    assert not list(out.glob("*.part"))


def test_a_shard_that_keeps_failing_still_has_its_records(client, shards: Path, tmp_path: Path):
    out = tmp_path / "out"
    stats = engine.run_dask([str(shards / "part-1.jsonl")], str(out), client=client, shard_fn=always_fails)
    recs = [json.loads(ln) for ln in (out / "part-1.jsonl").read_text().splitlines()]
    assert [r["doc_id"] for r in recs] == ["1-0", "1-1", "part-1:3"]
    assert {r["error"]["kind"] for r in recs} == {"shard_failed"}
    assert stats.errors == 3


def test_cli_usage_errors(tmp_path: Path):
    (tmp_path / "a.txt").write_text("x")
    runner = CliRunner()
    assert runner.invoke(app, ["extract", "--engine", "dask", str(tmp_path)]).exit_code == 2  # no -o
    res = runner.invoke(app, ["extract", "--engine", "dask", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o")])
    assert res.exit_code == 2 and "JSONL shards" in res.stderr
