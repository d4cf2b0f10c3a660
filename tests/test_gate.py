"""The quality gate: floors, noise, corpus pinning, pin refusing to lower."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from extractor.evaluate import evaluate, load_gold
from extractor.gate import PinRefused, corpus_hash, gate_check, gate_cli, metrics, pin, pin_cli

GOLD = Path(__file__).parent / "fixtures" / "gate" / "gold"
REPO = Path(__file__).resolve().parent.parent


def perfect_predictions(gold: dict[str, dict]) -> dict[str, dict]:
    """A prediction set that reproduces the gold (first accepted spelling)."""
    out = {}
    for doc_id, g in gold.items():
        facts = []
        for f in g["facts"]:
            if f.get("optional"):
                continue
            v = f["value"][0] if isinstance(f["value"], list) else f["value"]
            facts.append({"type": f["type"], "driver": f.get("driver"), "other": f.get("other"),
                          "value": v, "span": [0, 1], "text": "x"})
        event = {k: (v[0] if isinstance(v, list) else v) for k, v in g["event"].items()}
        out[doc_id] = {"doc_id": doc_id, "event": event, "facts": facts,
                       "drivers": [{"name": n, "mentions": []} for n in g["drivers"]], "checks": []}
    return out


def without_type(preds: dict[str, dict], ftype: str) -> dict[str, dict]:
    worse = copy.deepcopy(preds)
    for r in worse.values():
        r["facts"] = [f for f in r["facts"] if f["type"] != ftype]
    return worse


@pytest.fixture(scope="module")
def gold():
    return load_gold(GOLD)


@pytest.fixture(scope="module")
def good(gold):
    return perfect_predictions(gold)


@pytest.fixture
def baseline(tmp_path, gold, good):
    path = tmp_path / "baseline.json"
    pin(evaluate(good, gold), corpus_hash(GOLD), path)
    return path


def test_perfect_predictions_score_one(gold, good):
    m = metrics(evaluate(good, gold))
    assert m and all(v == 1.0 for v in m.values()), m
    assert {"facts.overall.f1", "drivers.f1", "facts.lap_time.f1", "event.track.accuracy"} <= set(m)


def test_worsened_predictions_fail_the_gate(gold, good, baseline):
    base = json.loads(baseline.read_text())
    assert gate_check(evaluate(good, gold), base, corpus_sha256=corpus_hash(GOLD)).passed
    worse = without_type(good, "lap_time")
    gr = gate_check(evaluate(worse, gold), base, corpus_sha256=corpus_hash(GOLD))
    assert not gr.passed
    failed = {r.metric for r in gr.failures}
    assert {"facts.lap_time.f1", "facts.overall.f1"} <= failed
    assert "facts.speed_mph.f1" not in failed
    assert "gate FAILED" in gr.format()


def _result(overall: float, lap: float = 1.0) -> dict:
    def prf(f1):
        return {"tp": 1, "fp": 0, "fn": 1, "precision": f1, "recall": f1, "f1": f1}
    return {"articles": 1, "facts": {"overall": prf(overall), "by_type": {"lap_time": prf(lap)}},
            "drivers": prf(1.0), "event": {"track": {"correct": 1, "total": 1, "accuracy": 1.0}}}


BASE = {"corpus_sha256": "a" * 64,
        "floors": {"facts.overall.f1": 0.80, "facts.lap_time.f1": 0.9, "drivers.f1": 0.9,
                   "event.track.accuracy": 1.0}}


def test_below_floor_fails():
    gr = gate_check(_result(0.78), BASE, noise=0.01, corpus_sha256="a" * 64)
    assert not gr.passed
    assert [r.metric for r in gr.failures] == ["facts.overall.f1"]


def test_within_noise_passes():
    gr = gate_check(_result(0.795), BASE, noise=0.01, corpus_sha256="a" * 64)
    assert gr.passed, gr.format()
    assert gate_check(_result(0.85), BASE, noise=0.0).passed


def test_corpus_hash_mismatch_fails():
    gr = gate_check(_result(0.9), BASE, corpus_sha256="b" * 64)
    assert not gr.passed and not gr.failures
    assert "re-pin" in gr.problems[0]


def test_missing_floored_metric_fails():
    r = _result(0.9)
    del r["facts"]["by_type"]["lap_time"]
    gr = gate_check(r, BASE, corpus_sha256="a" * 64)
    assert not gr.passed and [x.metric for x in gr.failures] == ["facts.lap_time.f1"]


def test_pin_refuses_to_lower_without_flag(gold, good, baseline):
    before = baseline.read_text()
    worse = evaluate(without_type(good, "lap_time"), gold)
    with pytest.raises(PinRefused, match="facts.lap_time.f1"):
        pin(worse, corpus_hash(GOLD), baseline)
    assert baseline.read_text() == before
    pin(worse, corpus_hash(GOLD), baseline, allow_lower=True)
    assert json.loads(baseline.read_text())["floors"]["facts.lap_time.f1"] == 0.0
    # Raising floors never needs the flag.
    pin(evaluate(good, gold), corpus_hash(GOLD), baseline)
    assert json.loads(baseline.read_text())["floors"]["facts.lap_time.f1"] == 1.0


def test_corpus_hash_sees_names_and_bytes(tmp_path):
    d = tmp_path / "g"
    d.mkdir()
    (d / "a.json").write_text("{}")
    h1 = corpus_hash(d)
    (d / "a.json").write_text("{ }")
    h2 = corpus_hash(d)
    (d / "a.json").rename(d / "b.json")
    h3 = corpus_hash(d)
    assert len({h1, h2, h3}) == 3


# -- CLI ---------------------------------------------------------------------

from extractor.cli import app  # the real CLI: its error handling is under test too
runner = CliRunner()


def _write(path: Path, preds: dict[str, dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in preds.values()), encoding="utf-8")
    return path


def test_cli_gate_and_pin(tmp_path, good):
    base = tmp_path / "q" / "baseline.json"
    good_p = _write(tmp_path / "good.jsonl", good)
    r = runner.invoke(app, ["pin", str(good_p), str(GOLD), "--baseline", str(base)])
    assert r.exit_code == 2 and r.stderr.startswith(f"extractor: {base}: the folder")  # no silent mkdir
    base.parent.mkdir()
    bad_p = _write(tmp_path / "bad.jsonl", without_type(good, "lap_time"))

    r = runner.invoke(app, ["pin", str(good_p), str(GOLD), "--baseline", str(base)])
    assert r.exit_code == 0, r.output
    assert json.loads(base.read_text())["corpus_sha256"] == corpus_hash(GOLD)

    r = runner.invoke(app, ["gate", str(good_p), str(GOLD), "--baseline", str(base)])
    assert r.exit_code == 0, r.output
    assert "facts.lap_time.f1" in r.output and "gate passed" in r.output

    r = runner.invoke(app, ["gate", str(bad_p), str(GOLD), "--baseline", str(base)])
    assert r.exit_code == 1
    assert "gate FAILED" in r.output

    r = runner.invoke(app, ["pin", str(bad_p), str(GOLD), "--baseline", str(base)])
    assert r.exit_code == 1 and "--allow-lower" in r.stderr
    r = runner.invoke(app, ["pin", str(bad_p), str(GOLD), "--baseline", str(base), "--allow-lower"])
    assert r.exit_code == 0, r.output


def test_committed_baseline_is_well_formed():
    base = json.loads((REPO / "quality" / "baseline.json").read_text())
    assert len(base["corpus_sha256"]) == 64
    assert {"facts.overall.f1", "drivers.f1"} <= set(base["floors"])
    assert all(0.0 <= v <= 1.0 for v in base["floors"].values())


@pytest.mark.shared
def test_committed_baseline_matches_dev_corpus():
    base = json.loads((REPO / "quality" / "baseline.json").read_text())
    gold = (REPO / base["corpus"]).resolve()
    if not gold.is_dir():
        pytest.skip(f"{gold} not available")
    assert corpus_hash(gold) == base["corpus_sha256"], "dev gold changed: re-pin quality/baseline.json"
