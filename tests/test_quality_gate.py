"""The quality gate on the dev corpus (needs ../shared; skipped without it).

The floors live in quality/baseline.json; `make pin` re-pins them and will not
lower one without --allow-lower.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from extractor.evaluate import evaluate, load_gold
from extractor.gate import corpus_hash, gate_check
from extractor.pipeline import Extractor
from extractor.resources import patterns_dir

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus" / "dev"
pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(not DEV.is_dir(), reason="../shared/corpus/dev is not beside the repository"),
]


def _predict(ex: Extractor) -> dict[str, dict]:
    out = {}
    for p in sorted((DEV / "articles").glob("*.txt")):
        out[p.stem] = ex(p.read_text(encoding="utf-8"), doc_id=p.stem, checks=False).to_dict()
    return out


def _baseline() -> dict:
    return json.loads((ROOT / "quality" / "baseline.json").read_text(encoding="utf-8"))


def test_dev_scores_hold_their_floors():
    result = evaluate(_predict(Extractor(run_checks=False)), load_gold(DEV / "gold"))
    gate = gate_check(result, _baseline(), corpus_sha256=corpus_hash(DEV / "gold"))
    assert gate.passed, gate


def test_gate_fails_on_a_worsened_pattern_set(tmp_path: Path):
    worse = tmp_path / "patterns"
    shutil.copytree(patterns_dir(), worse)
    cues = [json.loads(l) for l in (worse / "cues.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    # Forget how enumerations and poles are written.
    kept = [c for c in cues if c["label"] not in ("FRAME", "POLE", "FOLLOWED")]
    (worse / "cues.jsonl").write_text("".join(json.dumps(c) + "\n" for c in kept), encoding="utf-8")
    result = evaluate(_predict(Extractor(patterns=worse, run_checks=False)), load_gold(DEV / "gold"))
    gate = gate_check(result, _baseline(), corpus_sha256=corpus_hash(DEV / "gold"))
    assert not gate.passed
