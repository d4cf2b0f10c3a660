#!/usr/bin/env python3
"""Measure race linking on the dev corpus: is each article tied to the right official race?

    python scripts/eval_linking.py RECORDS.jsonl [DEV_DIR]    # DEV_DIR default ../shared/corpus/dev

The truth is the manifest's year, series and track per file (for the files
the manifest lacks, the gold event's published year, series and track). A
link is right when its season, series and track (or the track's facility)
agree. Counted as required: race, qualifying and practice reports of a
points race whose year the text or the published date gives; exhibition
weekends (All-Star, Clash, Duels) must be null. Every link, required or not,
must be right. Exit 1 when the rate is under --floor or a link is wrong.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from extractor.reference import load_reference, track_key  # noqa: E402
from extractor.resources import read_jsonl  # noqa: E402

EXHIBITION = re.compile(r"All-Star|Clash|Duels?\b|Shootout", re.I)


def _truth(dev: Path) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for line in (dev / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            m = json.loads(line)
            out[Path(m["file"]).stem] = {"year": m.get("year"), "series": m.get("series"),
                                         "track": re.sub(r"\s*\(.*", "", m.get("track") or ""),
                                         "exhibition": bool(EXHIBITION.search(m.get("track") or "")),
                                         "kind": m.get("kind")}
    for g in sorted((dev / "gold").glob("*.json")):
        if g.stem in out:
            continue
        ev = json.loads(g.read_text(encoding="utf-8")).get("event", {})
        day = ev.get("published") or ev.get("race_date") or ev.get("qualifying_date")
        year = int(day[:4]) if day else None
        tracks = ev.get("track") or []
        out[g.stem] = {"year": year, "series": ev.get("series"), "track": tracks[0] if tracks else "",
                       "exhibition": False, "kind": None}
    return out


def _facility_names(patterns: Path | None) -> dict[str, set[str]]:
    """track id -> results names of its whole facility (a road course counts with its oval)."""
    ref = load_reference(patterns)
    names = {rec["id"]: {track_key(n) for n in rec.get("results_names") or []} for rec in read_jsonl("tracks.jsonl", patterns)}
    out: dict[str, set[str]] = {}
    for t in ref.tracks:
        root = ref.tracks.parent_of(t)
        fam = set(names.get(root.id, set()))
        for o in ref.tracks:
            if o.parent == root.id:
                fam |= names.get(o.id, set())
        out[t.id] = fam or {track_key(t.name)}
    return out


def evaluate_links(records: list[dict], dev: Path, patterns: Path | None = None) -> dict:
    truth = _truth(dev)
    ref = load_reference(patterns)
    fam = _facility_names(patterns)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (dev / "articles").glob("*.txt")}
    rows = []
    for rec in records:
        doc = rec["doc_id"]
        t = truth.get(doc)
        if t is None:
            continue
        ev = rec.get("event") or {}
        link = ev.get("race")
        text = texts.get(doc, "")
        track = ref.tracks.lookup(t["track"]) if t["track"] else None
        if track is not None and track.kind == "exhibition":
            t = {**t, "exhibition": True}
        year_given = bool(t["year"]) and (str(t["year"]) in text or bool(ev.get("published")))
        required = year_given and not t["exhibition"]
        verdict = "null"
        if link:
            ok_track = track is not None and track_key(link["track"]) in fam.get(track.id, set())
            ok = link["season"] == t["year"] and link["series"] == t["series"] and ok_track and not t["exhibition"]
            verdict = "right" if ok else "wrong"
        rows.append({"doc_id": doc, "required": required, "exhibition": t["exhibition"], "verdict": verdict,
                     "truth": f"{t['series']} {t['year']} {t['track']}",
                     "link": (f"{link['series']} {link['season']} #{link['round']} {link['track']} ({link['score']})"
                              if link else None),
                     "why": (link or {}).get("why") or ev.get("race_why")})
    req = [r for r in rows if r["required"]]
    right = sum(r["verdict"] == "right" for r in req)
    return {
        "articles": len(rows),
        "required": len(req),
        "linked_right": right,
        "rate": right / len(req) if req else 1.0,
        "wrong": [r for r in rows if r["verdict"] == "wrong"],
        "exhibition_linked": [r for r in rows if r["exhibition"] and r["verdict"] != "null"],
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("records", type=Path)
    ap.add_argument("dev", nargs="?", type=Path, default=REPO.parent / "shared" / "corpus" / "dev")
    ap.add_argument("--floor", type=float, default=0.95)
    ap.add_argument("-v", "--verbose", action="store_true", help="one line per article")
    args = ap.parse_args(argv)
    records = [json.loads(line) for line in args.records.read_text(encoding="utf-8").splitlines() if line.strip()]
    res = evaluate_links(records, args.dev)
    for r in res["rows"]:
        if args.verbose or r["verdict"] == "wrong" or (r["required"] and r["verdict"] != "right"):
            flag = {"right": "ok  ", "wrong": "WRONG", "null": "null"}[r["verdict"]]
            need = "required" if r["required"] else ("exhibition" if r["exhibition"] else "optional")
            print(f"{flag:5} {r['doc_id'][:44]:44} {need:10} truth {r['truth']:32} link {r['link']}  -- {r['why']}")
    print(f"linked right {res['linked_right']}/{res['required']} = {res['rate']:.3f} of required; "
          f"wrong links {len(res['wrong'])}; exhibition linked {len(res['exhibition_linked'])}")
    bad = res["rate"] < args.floor or res["wrong"] or res["exhibition_linked"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
