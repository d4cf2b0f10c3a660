"""Throughput of the extractor against a bare spacy.blank("en") tokenizer pass
over the same texts, in the same run. Prints the ratio (how many times slower
the full extraction is than tokenizing alone).

    python scripts/benchmark.py FOLDER [FOLDER ...] [--repeat N] [--no-checks]
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import spacy

from extractor.pipeline import Extractor


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-checks", action="store_true")
    args = ap.parse_args()
    texts = [p.read_text(encoding="utf-8") for f in args.folders for p in sorted(f.glob("*.txt"))]
    chars = sum(len(t) for t in texts)
    t0 = time.perf_counter()
    ex = Extractor(run_checks=not args.no_checks)
    startup = time.perf_counter() - t0
    nlp = spacy.blank("en")
    base, full = [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        for text in texts:
            nlp(text)
        base.append(time.perf_counter() - t)
        t = time.perf_counter()
        for i, text in enumerate(texts):
            ex(text, doc_id=str(i))
        full.append(time.perf_counter() - t)
    b, f = statistics.median(base), statistics.median(full)
    print(f"texts: {len(texts)}  chars: {chars:,}  repeat: {args.repeat}")
    print(f"start-up (reference + matchers): {startup:.2f} s")
    print(f"spacy.blank('en') tokenizer: {b * 1000:.1f} ms  ({chars / b / 1e6:.2f} M chars/s)")
    print(f"extractor:                  {f * 1000:.1f} ms  ({len(texts) / f:.1f} articles/s)")
    print(f"ratio extractor / tokenizer: {f / b:.1f}x")


if __name__ == "__main__":
    main()
