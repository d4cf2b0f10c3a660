#!/usr/bin/env python3
"""Agreement of extracted facts with the official results, per fact type, and who is wrong where not.

    python scripts/official_agreement.py RECORDS.jsonl [GOLD_DIR] [--markdown docs/official-agreement.md]

For every record linked to an official race (``event.race``), each finish,
start, car number, laps led, make and team fact is compared with the
driver's official row (extractor.checks.official.compare_fact). A
disagreement is blamed on the article when the gold (what the text states)
holds the same fact, and on the extractor when it does not. The gold facts
themselves are compared too, which measures how often the articles and the
official data agree.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from extractor.checks.official import compare_fact  # noqa: E402
from extractor.models import Fact, Record  # noqa: E402
from extractor.reference import load_reference, norm_name  # noqa: E402
from extractor.results import race_of  # noqa: E402

TYPES = ("finish_position", "start_position", "car_number", "laps_led", "manufacturer", "team")


def _gold_keys(gold: dict) -> set[tuple]:
    keys = set()
    for f in gold.get("facts", []):
        vals = f["value"] if isinstance(f.get("value"), list) else [f.get("value")]
        for v in vals:
            keys.add((f["type"], norm_name(f.get("driver") or ""), _val(f["type"], v)))
    return keys


def _val(ftype: str, v):
    if ftype in ("car_number",):
        return str(v)
    if ftype in ("team", "manufacturer"):
        return norm_name(str(v))
    try:
        return round(float(v), 3)
    except (TypeError, ValueError):
        return str(v)


def measure_folds(records: list[dict], gold_dir: Path, folds: Path = REPO / "quality" / "folds.json") -> dict:
    """The measure on the tuning fold and on the check fold (quality/folds.json), apart."""
    check = set(json.loads(folds.read_text(encoding="utf-8"))["check"]) if folds.exists() else set()
    return {"tune": measure([r for r in records if r["doc_id"] not in check], gold_dir),
            "check": measure([r for r in records if r["doc_id"] in check], gold_dir)}


def measure(records: list[dict], gold_dir: Path) -> dict:
    ref = load_reference()
    stats = {t: {"agree": 0, "compared": 0} for t in TYPES}
    gold_stats = {t: {"agree": 0, "compared": 0} for t in TYPES}
    rows = []
    linked = 0
    for d in records:
        rec = Record.model_validate(d)
        race = race_of(rec.event.race)
        if race is None:
            continue
        linked += 1
        gpath = gold_dir / f"{rec.doc_id}.json"
        gold = json.loads(gpath.read_text(encoding="utf-8")) if gpath.exists() else {"facts": []}
        gkeys = _gold_keys(gold)
        label = f"{race.season} {race.series} #{race.round} {race.track}"
        seen = set()
        for f in rec.facts:
            if f.type not in TYPES:
                continue
            verdict, official = compare_fact(f, race, ref)
            if verdict is None:
                continue
            key = (f.type, norm_name(f.driver), _val(f.type, f.value))
            if key in seen:  # a fact stated twice counts once, as the scoring does
                continue
            seen.add(key)
            stats[f.type]["compared"] += 1
            if verdict:
                stats[f.type]["agree"] += 1
                continue
            blame = "article" if key in gkeys else "extractor"
            rows.append({"doc_id": rec.doc_id, "race": label, "type": f.type, "driver": f.driver,
                         "stated": f.value, "official": official if official is not None else "not in the race",
                         "text": f.text, "wrong": blame})
        for g in gold.get("facts", []):
            if g.get("type") not in TYPES or not g.get("driver") or g.get("optional"):
                continue
            vals = g["value"] if isinstance(g.get("value"), list) else [g.get("value")]
            span = (0, 0)
            verdicts = [compare_fact(Fact(type=g["type"], driver=g["driver"], value=v, span=span, text=""), race, ref)[0]
                        for v in vals]
            if all(v is None for v in verdicts):
                continue
            gold_stats[g["type"]]["compared"] += 1
            gold_stats[g["type"]]["agree"] += any(v for v in verdicts)
    return {"linked": linked, "extracted": stats, "gold": gold_stats, "disagreements": rows}


def _rate(s: dict) -> str:
    return f"{s['agree'] / s['compared']:.3f}" if s["compared"] else "-"


def markdown(res: dict) -> str:
    out = ["# Extracted facts against the official results (dev corpus)", "",
           "Made by `scripts/official_agreement.py` from a run of the extractor over",
           "`../shared/corpus/dev/articles` (records linked to an official race only:",
           f"{res['linked']} articles). A fact stated twice counts once. *Gold* compares the",
           "gold facts (what the text states) of the same articles with the same rows.", "",
           "| fact type | extracted agree | compared | rate | gold agree | compared | rate |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    tot = {"agree": 0, "compared": 0}
    gtot = {"agree": 0, "compared": 0}
    for t in TYPES:
        e, g = res["extracted"][t], res["gold"][t]
        for k in tot:
            tot[k] += e[k]
            gtot[k] += g[k]
        out.append(f"| {t} | {e['agree']} | {e['compared']} | {_rate(e)} | {g['agree']} | {g['compared']} | {_rate(g)} |")
    out.append(f"| **all** | {tot['agree']} | {tot['compared']} | {_rate(tot)} | {gtot['agree']} | {gtot['compared']} | {_rate(gtot)} |")
    folds = res.get("folds")
    if folds:
        out += ["", "By fold (`quality/folds.json`; the check fold is kept out of tuning the extractor):", "",
                "| fold | articles | extracted agree / compared | rate | gold rate |", "| --- | ---: | ---: | ---: | ---: |"]
        for name, fr in folds.items():
            e = {k: sum(fr["extracted"][t][k] for t in TYPES) for k in ("agree", "compared")}
            g = {k: sum(fr["gold"][t][k] for t in TYPES) for k in ("agree", "compared")}
            out.append(f"| {name} | {fr['linked']} | {e['agree']} / {e['compared']} | {_rate(e)} | {_rate(g)} |")
    dis = res["disagreements"]
    n_art = sum(r["wrong"] == "article" for r in dis)
    out += ["", f"## Disagreements ({len(dis)}: {n_art} the article's, {len(dis) - n_art} the extractor's)", "",
            "*Wrong* says who: `article` when the gold holds the fact (the text states it and the official",
            "results differ), `extractor` when the gold does not (the text does not state it).", "",
            "| article | race | fact | driver | stated | official | wrong |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in sorted(dis, key=lambda r: (r["wrong"], r["doc_id"], r["type"])):
        out.append(f"| {r['doc_id']} | {r['race']} | {r['type']} | {r['driver']} | {r['stated']} | {r['official']} | {r['wrong']} |")
    out += ["", "## Reading the list", "",
            "- *Article* rows are what the text states and the official results do not: mostly start",
            "  positions, because the official `Start` is the grid as raced (penalties, backup cars, a",
            "  field re-ordered after qualifying), and the odd sponsor-branded team name or make. The",
            "  official data can be wrong too (see the scrape error corrected in `CORRECTIONS`).",
            "- *Extractor* rows are facts the text does not state: a position given to the wrong driver",
            "  (often a driver named nearby, or one not in the race at all), a team or car number taken",
            "  from a neighbouring name, a position from another session. The `official_results` check",
            "  flags every row here with a `warn` naming the official value.",
            "- Only linked articles count; the facts of unlinked ones are not compared."]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("records", type=Path)
    ap.add_argument("gold", nargs="?", type=Path, default=REPO.parent / "shared" / "corpus" / "dev" / "gold")
    ap.add_argument("--markdown", type=Path, help="write the report here")
    args = ap.parse_args(argv)
    records = [json.loads(line) for line in args.records.read_text(encoding="utf-8").splitlines() if line.strip()]
    res = measure(records, args.gold)
    res["folds"] = measure_folds(records, args.gold)
    text = markdown(res)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
