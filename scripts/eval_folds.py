"""Score a run on the tune and check folds of the dev corpus separately.

The check fold (quality/folds.json, drawn once with a fixed seed) is kept out
of tuning: only this script's summary rows are looked at for it, never its
per-article errors, so the gap between the folds measures how far the rules
fit the articles they were tuned on.

    python scripts/eval_folds.py out/dev.jsonl ../shared/corpus/dev/gold [--errors tune]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from extractor.evaluate import evaluate, format_report, load_gold, load_predictions

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("predictions", type=Path)
    ap.add_argument("gold", type=Path)
    ap.add_argument("--folds", type=Path, default=ROOT / "quality" / "folds.json")
    ap.add_argument("--errors", choices=["tune"], help="also list the tune fold's misses")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    folds = json.loads(args.folds.read_text())
    preds, gold = load_predictions(args.predictions), load_gold(args.gold)
    out = {}
    for name in ("tune", "check", "all"):
        ids = set(gold) if name == "all" else set(folds[name])
        res = evaluate(preds, {k: v for k, v in gold.items() if k in ids})
        out[name] = res
    if args.json:
        print(json.dumps({k: {"facts": v["facts"]["overall"], "drivers": v["drivers"], "event": v["event"]}
                          for k, v in out.items()}, indent=1))
        return
    print(f"{'fold':<7}{'n':>4}{'P':>8}{'R':>8}{'F1':>8}{'drivF1':>8}  event acc (series track name qual race)")
    for name, res in out.items():
        o, d, ev = res["facts"]["overall"], res["drivers"], res["event"]
        evs = " ".join(f"{ev[f]['accuracy']:.2f}" for f in ("series", "track", "event_name", "qualifying_date", "race_date") if f in ev)
        print(f"{name:<7}{res['articles']:>4}{o['precision']:>8.3f}{o['recall']:>8.3f}{o['f1']:>8.3f}{d['f1']:>8.3f}  {evs}")
    if args.errors == "tune":
        print(format_report(out["tune"], show_errors=True))


if __name__ == "__main__":
    main()
