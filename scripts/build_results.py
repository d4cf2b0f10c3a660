#!/usr/bin/env python3
"""Build ``patterns/results.zip`` (the official results, compact) from the shared results file.

    python scripts/build_results.py [RESULTS_CSV_GZ] [--out patterns/results.zip] [--min-season 1949]

Input: ``../shared/reference/nascar_results.csv.gz`` (nascaR.data by Kyle
Grealis, GPL-3, data from DriverAverages.com, snapshot 2026-01-05). Output:
one zip member per (series, season) with each race's round, track,
name, length and per car finish, start, car, driver, make, team, laps, laps
led and status (see extractor.results). Driver names are canonicalised as
the roster is, so they equal the record's names. Deterministic: the same
input gives a byte-identical file.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from extractor.results import RESULTS_FILE, read_results_csv, write_results  # noqa: E402

DEFAULT_CSV = REPO.parent / "shared" / "reference" / "nascar_results.csv.gz"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV, help="nascar_results.csv.gz")
    ap.add_argument("--out", type=Path, default=REPO / "patterns" / RESULTS_FILE)
    ap.add_argument("--patterns", type=Path, default=REPO / "patterns",
                    help="where driver_aliases.jsonl (the roster's name merges) is read from")
    ap.add_argument("--min-season", type=int, default=1949, help="drop seasons before this (default: keep all)")
    args = ap.parse_args(argv)
    if not args.csv.exists():
        print(f"build_results: {args.csv}: not found", file=sys.stderr)
        return 2
    try:
        races = [r for r in read_results_csv(args.csv, args.patterns) if r.season >= args.min_season]
    except ValueError as exc:
        print(f"build_results: {args.csv}: {exc}", file=sys.stderr)
        return 1
    size = write_results(args.out, races)
    print(f"wrote {len(races)} races ({sum(len(r.cars) for r in races)} cars) to {args.out} ({size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
