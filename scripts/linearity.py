"""Seconds per 100 KB by text size and shape: is the cost linear in the input?

    python scripts/linearity.py [--sizes 10000,100000,1000000] [--limit 120] [--shapes a,b] [--dev FOLDER]

Each case runs in a forked child of a process that has built the Extractor
(start-up is not charged), with a wall-clock limit; a case over the limit
prints '>Ns'. The goal: every shape within 2x per 100 KB from 10 KB to 1 MB.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchcorpus import DEV, BenchCorpus  # noqa: E402


def _fill(unit: str, size: int, lead: str = "") -> str:
    body = lead + unit * (size // max(1, len(unit)) + 1)
    return body[:size]


def _ordinals(size: int) -> str:
    out, total, i = [], 0, 1
    while total < size:
        suf = "th" if 10 <= i % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(i % 10, "th")
        w = f"{i}{suf} "
        out.append(w)
        total += len(w)
        i = i % 43 + 1
    return "".join(out)[:size]


def _shapes(corpus: BenchCorpus) -> dict:
    return {
        "real text": corpus.of_size,
        "ordinals": _ordinals,
        "dots": lambda n: _fill(".", n, "Kyle Busch won. "),
        "1-1-1-": lambda n: _fill("1-", n),
        "spaces after number": lambda n: _fill(" ", n, "Lap 12"),
        "punctuation runs": lambda n: _fill("!!!!!!!!!!?????????----------,,,,,,,,,,;;;;;;;;;; ", n),
        "one giant sentence": lambda n: _fill("Kyle Larson led 12 laps and finished 3rd ahead of Denny Hamlin, then ", n),
        "many short lines": lambda n: _fill("Lap 7\n", n),
    }


_EX = None


def _child(text: str, q) -> None:
    t = time.process_time()
    _EX(text)
    q.put(time.process_time() - t)


def _run(text: str, limit: float) -> float | None:
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(text, q))
    p.start()
    p.join(limit)
    if p.is_alive():
        p.kill()
        p.join()
        return None
    return q.get() if p.exitcode == 0 else float("nan")


def main() -> None:
    global _EX
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--limit", type=float, default=120.0, help="wall-clock seconds per case (a loaded machine needs more)")
    ap.add_argument("--shapes", default="", help="comma-separated subset of shape names")
    ap.add_argument("--dev", type=Path, default=DEV)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    from extractor.pipeline import Extractor

    _EX = Extractor()
    corpus = BenchCorpus(args.dev)
    _EX(corpus.article())  # warm: first-call set-up is not part of any case
    shapes = _shapes(corpus)
    wanted = [s for s in args.shapes.split(",") if s] or list(shapes)
    head = "".join(f"{f'{n // 1000} KB':>12}" for n in sizes)
    print(f"seconds (CPU) per 100 KB; limit {args.limit:.0f} s of wall time per case")
    print(f"{'shape':22}{head}{'growth':>9}")
    worst = 0.0
    for name in wanted:
        cells, per = [], []
        for n in sizes:
            secs = _run(shapes[name](n), args.limit)
            if secs is None:
                cells.append(f">{args.limit:.0f}s")
                per.append(float("inf"))
            else:
                v = secs / (n / 100_000)
                cells.append(f"{v:.3f}")
                per.append(v)
        # Growth: how much dearer 100 KB gets as the text grows (a fixed per-article
        # cost makes small texts dearer, which is not a slope). Sub-millisecond
        # cases are timer noise: floor at 1 ms per case.
        floor = [max(v, 0.001 / (n / 100_000)) for v, n in zip(per, sizes)]
        spread = max([floor[j] / floor[i] for i in range(len(floor)) for j in range(i + 1, len(floor))] or [1.0])
        worst = max(worst, spread)
        print(f"{name:22}" + "".join(f"{c:>12}" for c in cells) + f"{spread:8.1f}x", flush=True)
    print(f"worst growth: {worst:.1f}x (goal <= 2x)")


if __name__ == "__main__":
    main()
