"""The batch runner (issues 8 and 10): order and bytes equal across --jobs,
a killed worker costs one document, a killed parent leaves no worker behind
and its previous output intact, --resume finishes the job."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.batch import Runner, run_tasks
from extractor.cli import app
from extractor.inputs import iter_tasks

ROOT = Path(__file__).resolve().parents[1]
SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
N_SLOW = 6


def cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "extractor.cli", "extract", "-q", *args]


def children(pid: int) -> list[int]:
    out = []
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            out += [int(c) for c in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
        except OSError:
            pass
    return out


def descendants(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        try:
            kids = children(p)
        except OSError:
            continue
        seen += kids
        todo += kids
    return seen


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] not in "ZX"
    except OSError:
        return False


@pytest.fixture(scope="module")
def slow(tmp_path_factory) -> tuple[Path, bytes]:
    """A JSONL of articles slow enough (~0.25 s each: 25 seed articles joined) to
    catch a worker mid-document, a bad line among them, and the reference output
    made in this process. Three seeds were enough while an article cost 0.3 s;
    once the pipeline got faster the workers were idle before the test looked."""
    d = tmp_path_factory.mktemp("slow")
    src = d / "slow.jsonl"
    lines = []
    for i in range(N_SLOW):
        text = f" date 2024-0{1 + i % 9}-1{i % 9}\n" + "\n\n".join(((SEEDS[i % 5:] + SEEDS[:i % 5]) * 5)[:25])
        lines.append(json.dumps({"id": f"doc{i}", "text": text}))
    lines.insert(3, "{broken")
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ref = d / "ref.jsonl"
    res = CliRunner().invoke(app, ["extract", "-q", str(src), "-o", str(ref)])
    assert res.exit_code == 1
    return src, ref.read_bytes()


def wait_for_lines(path: Path, n: int, proc: subprocess.Popen, limit: float = 60) -> None:
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if path.exists() and path.read_bytes().count(b"\n") >= n:
            return
        assert proc.poll() is None, "the run ended too early"
        time.sleep(0.02)
    raise AssertionError("no output in time")


def busy_worker(proc: subprocess.Popen, limit: float = 60) -> int:
    """A worker that is extracting right now: its main thread is running (R),
    not asleep on the pipe (S). Workers are the grandchildren: forked by the
    worker server, the parent's child. Killing an idle worker costs no
    document, so the test would prove nothing."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        for w in (w for c in children(proc.pid) for w in children(c)):
            try:
                state = Path(f"/proc/{w}/stat").read_text().split(") ")[1][0]
            except OSError:
                continue
            if state == "R":
                return w
        assert proc.poll() is None, "the run ended before a worker was seen busy"
        time.sleep(0.005)
    raise AssertionError("no busy worker in time")


def test_killed_worker_costs_only_its_document(slow, tmp_path: Path):
    src, ref = slow
    out = tmp_path / "o.jsonl"
    proc = subprocess.Popen(cmd(str(src), "-o", str(out), "--jobs", "2"), stderr=subprocess.PIPE)
    wait_for_lines(Path(str(out) + ".part"), 1, proc)
    # workers are the grandchildren: forked by the worker server, the parent's child
    victim = busy_worker(proc)
    os.kill(victim, signal.SIGKILL)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    got = [json.loads(ln) for ln in out.read_bytes().splitlines()]
    want = [json.loads(ln) for ln in ref.splitlines()]
    assert [r["doc_id"] for r in got] == [r["doc_id"] for r in want]
    died = [r for r in got if (r.get("error") or {}).get("kind") == "worker_died"]
    assert len(died) == 1 and "signal 9" in died[0]["error"]["message"]
    # every other document is exactly what one process makes
    assert [g for g in got if g not in died] == [w for w, g in zip(want, got) if g not in died]
    assert b"Traceback" not in err


def test_killed_parent_leaves_no_workers_and_the_old_output(slow, tmp_path: Path):
    src, ref = slow
    out = tmp_path / "o.jsonl"
    out.write_bytes(b"previous run\n")
    proc = subprocess.Popen(cmd(str(src), "-o", str(out), "--jobs", "2"), stderr=subprocess.PIPE)
    part = Path(str(out) + ".part")
    wait_for_lines(part, 2, proc)
    family = descendants(proc.pid)
    assert len(family) >= 3  # the worker server and two workers
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    t0 = time.monotonic()
    while any(alive(p) for p in family) and time.monotonic() - t0 < 10:
        time.sleep(0.1)
    assert not any(alive(p) for p in family), "orphaned workers"
    assert out.read_bytes() == b"previous run\n"
    kept = part.read_bytes()
    assert kept and ref.startswith(kept[: kept.rfind(b"\n") + 1])
    # --resume keeps what the partial has and finishes: the same bytes as one clean run
    resume = [a for a in cmd(str(src), "-o", str(out), "--jobs", "2", "--resume") if a != "-q"]
    res = subprocess.run(resume, capture_output=True, timeout=120)
    assert res.returncode == 1, res.stderr
    assert out.read_bytes() == ref
    assert b"kept from the partial output" in res.stderr
    assert not part.exists()


def test_sigterm_stops_cleanly_with_a_message(slow, tmp_path: Path):
    src, _ = slow
    out = tmp_path / "o.jsonl"
    proc = subprocess.Popen(cmd(str(src), "-o", str(out)), stderr=subprocess.PIPE)
    wait_for_lines(Path(str(out) + ".part"), 1, proc)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.decode().strip().splitlines()[-1].startswith("extractor: ")
    assert b"Traceback" not in err and not out.exists()


def _tasks(tmp_path: Path):
    d = tmp_path / "in"
    d.mkdir()
    for i, t in enumerate(SEEDS):
        (d / f"{i:02d}.txt").write_text(t, encoding="utf-8")
    (d / "05_empty.txt").write_text("")
    return list(iter_tasks([str(d)]))


def test_pool_output_equals_one_process_in_order(tmp_path: Path):
    tasks = _tasks(tmp_path)
    one = [r.line for _, r in run_tasks(tasks, jobs=1)]
    two = [r.line for _, r in run_tasks(tasks, jobs=2, max_tasks=2)]  # recycling workers changes nothing
    assert one == two and len(one) == len(tasks)


def test_pool_timeout_is_a_record_and_the_run_goes_on(tmp_path: Path):
    tasks = _tasks(tmp_path)[:2]
    got = [r for _, r in run_tasks(tasks, jobs=2, timeout=0.001)]
    assert [r.error_kind for r in got] == ["timeout"] * 2
    assert [r.doc_id for r in got] == [t.doc_id for t in tasks]


def test_memory_zone_keeps_records_identical():
    from extractor.inputs import check_text
    r = Runner(timeout=None)
    r.record(check_text(SEEDS[0], "warm", None))  # lazy parts built outside the count
    r.close()
    strings = len(r.ex.annotator.nlp.vocab.strings)
    recs = [r.record(check_text(t, f"s{i}", None)).to_json() for i, t in enumerate(SEEDS)]
    assert len(r.ex.annotator.nlp.vocab.strings) > strings  # the zone holds the seeds' words ...
    r.close()
    assert len(r.ex.annotator.nlp.vocab.strings) == strings  # ... and drops them: the store does not grow
    again = [r.record(check_text(t, f"s{i}", None)).to_json() for i, t in enumerate(SEEDS)]
    assert recs == again
    r.close()
    plain = [r.ex(t, doc_id=f"s{i}").to_json() for i, t in enumerate(SEEDS)]
    assert plain == recs


def test_a_memory_zone_spans_a_window_of_documents(monkeypatch):
    from extractor import batch
    from extractor.inputs import check_text
    monkeypatch.setattr(batch, "ZONE_DOCS", 2)
    r = Runner(timeout=None)
    r.record(check_text(SEEDS[0], "a", None))
    assert r._zone is not None
    r.record(check_text(SEEDS[1], "b", None))
    assert r._zone is None  # closed after two documents
    r.record(check_text(SEEDS[2], "c", None))
    assert r._zone is not None
    r.close()
