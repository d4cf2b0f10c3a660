"""The five seed articles against their golden records, field by field.

Regenerate after an intended change with:
    python scripts/update_golden.py
and review the diff (``extractor diff``) before committing.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor import extract

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLDEN = ROOT / "tests" / "fixtures" / "golden"


def _record(path: Path) -> dict:
    rec = extract(path.read_text(encoding="utf-8"), doc_id=path.stem, source=f"seeds/{path.name}")
    return rec.to_dict()


@pytest.fixture(scope="module", params=SEEDS, ids=[p.stem for p in SEEDS])
def pair(request):
    path = request.param
    golden = json.loads((GOLDEN / f"{path.stem}.json").read_text(encoding="utf-8"))
    return _record(path), golden


def test_event(pair):
    got, want = pair
    for key in ("published", "series", "track", "event_name", "qualifying_date", "race_date"):
        assert got["event"][key] == want["event"][key], key


def test_drivers(pair):
    got, want = pair
    assert [d["name"] for d in got["drivers"]] == [d["name"] for d in want["drivers"]]
    assert [d["mentions"] for d in got["drivers"]] == [d["mentions"] for d in want["drivers"]]


def test_facts(pair):
    got, want = pair
    strip = lambda fs: [{k: f.get(k) for k in ("type", "driver", "other", "value", "span", "text")} for f in fs]
    g, w = strip(got["facts"]), strip(want["facts"])
    for i, (a, b) in enumerate(zip(g, w)):
        assert a == b, f"fact {i}"
    assert len(g) == len(w)


def test_checks(pair):
    got, want = pair
    assert [(c["name"], c["status"], c["facts"]) for c in got["checks"]] == \
        [(c["name"], c["status"], c["facts"]) for c in want["checks"]]


def test_spans_index_the_text(pair):
    got, _ = pair
    text = (ROOT / "seeds" / f"{got['doc_id']}.txt").read_text(encoding="utf-8")
    for f in got["facts"]:
        a, b = f["span"]
        assert text[a:b] == f["text"]
