import json

import pytest
import typer
from typer.testing import CliRunner

from extractor.checks import CHECKS
from extractor.checks.cli import check_cli
from extractor.checks import report as report_module
from extractor.checks.report import check_records, format_summary

from test_checks_support import fact, record, reference


def good():
    rec = record(
        fact("lap_time", "Kyle Larson", 29.906, text="29.906", at=0),
        fact("speed_mph", "Kyle Larson", 180.566, text="180.566", at=10),
    )
    rec.doc_id = "good"
    return rec.model_dump()


def bad():
    rec = record(
        fact("lap_time", "Kyle Larson", 29.906, text="29.906", at=0),
        fact("speed_mph", "Kyle Larson", 181.566, text="181.566", at=10),
    )
    rec.doc_id = "bad"
    return rec.model_dump()


def test_check_records_summarises():
    errored = {"doc_id": "err", "error": {"kind": "io", "message": "x"}}
    invalid = {"doc_id": "inv", "facts": "nope"}
    rep = check_records([good(), bad(), errored, invalid], reference(), use_default_reference=False)
    assert rep.records == 4 and rep.checked == 2
    assert rep.errored == ["err"] and rep.invalid[0][0] == "inv"
    s = rep.summary["speed_matches_lap_time"]
    assert (s["pass"], s["fail"]) == (1, 1)
    assert set(rep.summary) == set(CHECKS)
    assert [v.doc_id for v in rep.failing] == ["bad"]
    assert rep.records_failing["speed_matches_lap_time"] == 1
    text = format_summary(rep)
    assert "speed_matches_lap_time" in text and "bad" in text and "181.566" in text
    d = rep.as_dict()
    json.dumps(d)
    assert d["failing"][0]["doc_id"] == "bad"
    assert d["summary"]["speed_matches_lap_time"]["fail"] == 1


def test_check_records_flags_stale_stored_checks():
    rec = good()
    rec["checks"] = [{"name": "speed_matches_lap_time", "status": "fail", "message": "old", "facts": [0, 1]}]
    rep = check_records([rec], reference(), use_default_reference=False)
    assert rep.stale == 1


@pytest.fixture(autouse=True)
def _same_reference(monkeypatch):
    # the CLI loads the packaged reference; use the tests' one
    monkeypatch.setattr(report_module, "default_reference", reference)


def app():
    from extractor.clikit import handle_errors
    a = typer.Typer()
    a.command()(handle_errors(check_cli))
    return a


def write(path, recs, extra=""):
    path.write_text("".join(json.dumps(r) + "\n" for r in recs) + extra, encoding="utf-8")
    return path


def test_check_cli_prints_summary_and_exit_codes(tmp_path):
    runner = CliRunner()
    f = write(tmp_path / "r.jsonl", [good(), bad()])
    res = runner.invoke(app(), [str(f)])
    assert res.exit_code == 0, res.output
    assert "speed_matches_lap_time" in res.output and "bad" in res.output
    res = runner.invoke(app(), [str(f), "--strict"])
    assert res.exit_code == 1
    ok = write(tmp_path / "ok.jsonl", [good()])
    assert runner.invoke(app(), [str(ok), "--strict"]).exit_code == 0
    res = runner.invoke(app(), [str(f), "--json"])
    assert res.exit_code == 0
    d = json.loads(res.stdout)
    assert d["checked"] == 2 and d["failing"][0]["doc_id"] == "bad"


def test_check_cli_missing_file_and_broken_lines(tmp_path):
    runner = CliRunner()
    res = runner.invoke(app(), [str(tmp_path / "missing.jsonl")])
    assert res.exit_code == 2
    assert res.stderr.strip().count("\n") == 0 and "missing.jsonl" in res.stderr
    res = runner.invoke(app(), [str(tmp_path)])
    assert res.exit_code == 2
    f = write(tmp_path / "r.jsonl", [good()], extra="{not json\n")
    # a line that is not JSON: the file is not JSONL, an input error (exit 2) naming file and line
    res = runner.invoke(app(), [str(f), "--strict"])
    assert res.exit_code == 2
    assert res.stderr.startswith(f"extractor: {f}: line 2: not JSON") and res.stderr.count("\n") == 1
