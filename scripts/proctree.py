"""CPU and memory of a command's whole process tree, sampled from /proc.

`getrusage(RUSAGE_CHILDREN)` only counts descendants that were waited for:
the workers of `--jobs` are forked by multiprocessing's fork server, which
outlives the CLI by a moment and is never reaped by it, so their CPU would
go uncounted and `--jobs 2` would look nearly free. Sampling every process
of the tree while it runs sees them all.

Memory is reported three ways: the largest single process's RSS, the sum of
RSS over the tree (which counts the pages that forked workers share with
their server once per process), and the sum of PSS (each shared page split
between the processes sharing it: the tree's real footprint).
"""
from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for t in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in Path(f"/proc/{p}/task/{t}/children").read_text().split()]
        except OSError:
            pass
    return out


def _status_kb(pid: int, key: str, name: str = "status") -> int:
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kb(pid: int) -> int:
    return _status_kb(pid, "VmRSS:")


def hwm_kb(pid: int) -> int:
    """The process's own peak RSS so far (the kernel's high-water mark)."""
    return _status_kb(pid, "VmHWM:")


def pss_kb(pid: int) -> int:
    return _status_kb(pid, "Pss:", "smaps_rollup")


def cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK
    except (OSError, IndexError, ValueError):
        return -1.0


@dataclass
class TreeRun:
    wall_s: float = 0.0
    cpu_s: float = 0.0                 # every process of the tree
    processes: int = 0
    peak_rss_largest_mb: float = 0.0   # one process, by its own high-water mark
    peak_rss_tree_mb: float = 0.0      # summed RSS, shared pages counted in each process
    peak_pss_tree_mb: float = 0.0      # summed PSS: shared pages counted once
    rss_timeline_mb: list[tuple[float, float]] = field(default_factory=list)  # (seconds, largest RSS)
    returncode: int = 0


def run(cmd: list[str], interval: float = 0.1, pss: bool = True, on_second=None, **popen) -> TreeRun:
    """Run ``cmd`` to the end, sampling its tree every ``interval`` seconds;
    ``on_second(run_so_far)`` is called about once a second."""
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, **popen)
    cpu: dict[int, float] = {}
    out = TreeRun()
    last_line = 0.0
    while True:
        done = proc.poll() is not None
        pids = tree(proc.pid) if not done else []
        sizes = [rss_kb(p) for p in pids]
        for p in pids:
            c = cpu_s(p)
            if c >= 0:
                cpu[p] = max(cpu.get(p, 0.0), c)
            out.peak_rss_largest_mb = max(out.peak_rss_largest_mb, hwm_kb(p) / 1024)
        out.peak_rss_tree_mb = max(out.peak_rss_tree_mb, sum(sizes) / 1024)
        if pss and pids:
            out.peak_pss_tree_mb = max(out.peak_pss_tree_mb, sum(pss_kb(p) for p in pids) / 1024)
        now = time.monotonic() - t0
        if sizes and now - last_line >= 1.0:
            out.rss_timeline_mb.append((round(now, 1), round(max(sizes) / 1024, 1)))
            last_line = now
            if on_second is not None:
                out.cpu_s, out.processes = sum(cpu.values()), len(cpu)
                on_second(out)
        if done:
            break
        time.sleep(interval)
    out.wall_s = time.monotonic() - t0
    # Each process's CPU as last sampled: at most one interval short of its
    # total, a few tenths of a second over a run.
    out.cpu_s = sum(cpu.values())
    out.processes = len(cpu)
    out.returncode = proc.returncode
    return out
