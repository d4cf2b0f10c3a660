"""Memory and CPU of `extractor extract` on N generated documents (issue 8).

Makes N articles from seeds/ with names and numbers varied (so the spaCy
StringStore would grow if nothing bounded it), runs the CLI on them in one
process and with --jobs 2, and prints the peak RSS of the whole process tree
(sampled from /proc), of its largest process, and the CPU seconds of the tree.

    python scripts/measure_batch.py 1000 10000 [--jobs 1 2]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SYL = ["ka", "lo", "mer", "tin", "dra", "vek", "sol", "ban", "rie", "tho", "zan", "quil", "por", "fen"]


def make_docs(n: int, path: Path, seed: int = 8) -> None:
    rng = random.Random(seed)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = seeds[i % len(seeds)]
            # new surnames (new strings for the vocabulary) and new numbers
            fresh = "".join(rng.choice(SYL) for _ in range(3)).capitalize()
            text = re.sub(r"\b(Larson|Byron|Truex|Reddick|Chastain|Blaney|Hamlin|Elliott)\b", fresh, text)
            text = re.sub(r"\d", lambda m: str(rng.randrange(10)), text[20:])
            fh.write(json.dumps({"id": f"gen{i:06d}", "text": seeds[i % len(seeds)][:20] + text}) + "\n")


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


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kb(pid: int) -> int:
    """Proportional set size: shared pages (workers forked from one server
    share the Extractor) counted once across the tree."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return -1.0


def run(src: Path, jobs: int) -> dict:
    out = src.with_suffix(f".out{jobs}.jsonl")
    cmd = [str(ROOT / ".venv" / "bin" / "extractor"), "extract", "-q", str(src), "-o", str(out), "--jobs", str(jobs)]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd)
    peak_total = peak_one = peak_pss = 0
    cpu: dict[int, float] = {}
    parent_cpu = 0.0
    while proc.poll() is None:
        pids = tree(proc.pid)
        sizes = [rss_kb(p) for p in pids]
        peak_total, peak_one = max(peak_total, sum(sizes)), max(peak_one, max(sizes, default=0))
        peak_pss = max(peak_pss, sum(pss_kb(p) for p in pids))
        for p in pids:
            c = cpu_s(p)
            if c >= 0:
                cpu[p] = max(cpu.get(p, 0.0), c)
        parent_cpu = max(parent_cpu, cpu_s(proc.pid))
        time.sleep(0.2)
    wall = time.monotonic() - t0
    # The parent's own rusage at exit (it waited for nothing it did not start)
    # is sampled above; the tree's CPU is the sum over every process seen.
    return {"jobs": jobs, "wall_s": round(wall, 1), "peak_rss_tree_mb": round(peak_total / 1024),
            "peak_rss_largest_mb": round(peak_one / 1024),
            "peak_pss_tree_mb": round(peak_pss / 1024), "cpu_s": round(sum(cpu.values()), 1),
            "parent_cpu_s": round(parent_cpu, 1), "exit": proc.returncode}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", nargs="+", type=int)
    ap.add_argument("--jobs", nargs="+", type=int, default=[1, 2])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        for n in args.sizes:
            src = Path(d) / f"gen{n}.jsonl"
            make_docs(n, src)
            for j in args.jobs:
                r = run(src, j)
                r["docs"] = n
                print(json.dumps(r), flush=True)


if __name__ == "__main__":
    sys.exit(main())
