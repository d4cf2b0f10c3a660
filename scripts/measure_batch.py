"""Memory and CPU of `extractor extract` over N bench-corpus articles (issue 8):
is peak memory flat in N, in one process and with --jobs 2?

The articles come from benchcorpus.py (dev paragraphs recombined, names
swapped, digits redrawn), written to a temporary JSONL file one at a time,
so even 100k articles never sit in this script's memory. Each run is sampled
over its whole process tree (proctree.py): CPU of every process, the largest
process's peak RSS, and the tree's peak RSS and PSS.

    python scripts/measure_batch.py 1000 100000 [--jobs 1 2] [--dev FOLDER]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import proctree  # noqa: E402
from benchcorpus import DEV, BenchCorpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def make_docs(n: int, path: Path, dev: Path, seed: int = 8) -> int:
    corpus = BenchCorpus(dev, seed=seed)
    chars = 0
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = corpus.article()
            chars += len(text)
            fh.write(json.dumps({"id": f"b{i:06d}", "text": text}) + "\n")
    return chars


def run(src: Path, jobs: int) -> dict:
    out = src.with_suffix(f".out{jobs}.jsonl")
    cmd = [str(ROOT / ".venv" / "bin" / "extractor"), "extract", "-q", str(src), "-o", str(out), "--jobs", str(jobs)]
    def progress(so_far: proctree.TreeRun) -> None:  # a long run shows how memory goes while it runs
        if len(so_far.rss_timeline_mb) % 60 == 0:
            t, rss = so_far.rss_timeline_mb[-1]
            print(f"  jobs {jobs}: {t:.0f} s, CPU {so_far.cpu_s:.0f} s, largest RSS now {rss:.0f} MB, peaks: "
                  f"largest {so_far.peak_rss_largest_mb:.0f}, tree PSS {so_far.peak_pss_tree_mb:.0f} MB",
                  file=sys.stderr, flush=True)

    r = proctree.run(cmd, interval=0.5, on_second=progress)
    # The largest process's RSS over time, ten points: flat or growing?
    step = max(1, len(r.rss_timeline_mb) // 10)
    return {"jobs": jobs, "wall_s": round(r.wall_s, 1), "cpu_s": round(r.cpu_s, 1), "processes": r.processes,
            "peak_rss_largest_mb": round(r.peak_rss_largest_mb), "peak_rss_tree_mb": round(r.peak_rss_tree_mb),
            "peak_pss_tree_mb": round(r.peak_pss_tree_mb),
            "rss_largest_over_time": r.rss_timeline_mb[::step], "exit": r.returncode}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", nargs="+", type=int)
    ap.add_argument("--jobs", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--dev", type=Path, default=DEV)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        for n in args.sizes:
            src = Path(d) / f"bench{n}.jsonl"
            chars = make_docs(n, src, args.dev)
            for j in args.jobs:
                r = run(src, j)
                r["docs"], r["chars"] = n, chars
                print(json.dumps(r), flush=True)
                Path(src.with_suffix(f".out{j}.jsonl")).unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())
