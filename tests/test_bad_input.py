"""Bad input: each gets a one-line message and, when it is a document, a record
with its id; the batch goes on; exit codes 0 / 1 / 2."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from extractor import extract
from extractor.cli import app
from extractor.inputs import decode

GOOD = " date 2024-03-09 Kyle Larson won the pole for the NASCAR Cup Series race at Phoenix Raceway.\n"

runner = CliRunner()


def run(args, input=None):
    return runner.invoke(app, args, input=input)


def records(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "a_good.txt").write_text(GOOD, encoding="utf-8")
    (d / "b_empty.txt").write_text("", encoding="utf-8")
    (d / "c_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (d / "d_latin1.txt").write_bytes("Kyle Larson gan\xf3 la carrera".encode("latin-1"))
    (d / "e_french.txt").write_text("Le pilote a remporté la course dimanche sur le circuit de la ville avec une "
                                    "avance confortable sur ses rivaux, qui ont tous eu des problèmes de pneus.",
                                    encoding="utf-8")
    (d / "z_good.txt").write_text(GOOD, encoding="utf-8")
    return d


def test_folder_with_bad_files_goes_on(batch: Path, tmp_path: Path):
    out = tmp_path / "out.jsonl"
    res = run(["extract", str(batch), "-o", str(out)])
    assert res.exit_code == 1
    recs = records(out.read_text(encoding="utf-8"))
    assert [r["doc_id"] for r in recs] == ["a_good", "b_empty", "c_binary", "d_latin1", "e_french", "z_good"]
    by_id = {r["doc_id"]: r for r in recs}
    assert by_id["b_empty"]["error"]["kind"] == "empty"
    assert by_id["c_binary"]["error"]["kind"] == "binary"
    assert by_id["d_latin1"]["error"]["kind"] == "encoding"
    assert any("English" in w for w in by_id["e_french"]["warnings"])
    assert by_id["a_good"]["facts"] and by_id["z_good"]["facts"]
    # one line on stderr per bad document
    errs = [l for l in res.stderr.splitlines() if l.startswith("extractor:")]
    assert len(errs) == 3 and all(len(l) < 200 for l in errs)


def test_huge_article_is_an_error_record(tmp_path: Path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"Kyle Larson won. " * (10 * 1024 * 1024 // 17))
    res = run(["extract", str(big)])
    assert res.exit_code == 1
    (rec,) = records(res.stdout)
    assert rec["doc_id"] == "big" and rec["error"]["kind"] == "too_large"


def test_malformed_jsonl_line(tmp_path: Path):
    src = tmp_path / "batch.jsonl"
    src.write_text(json.dumps({"id": "one", "text": GOOD, "date": "2024-03-09"}) + "\n"
                   + "{not json\n"
                   + json.dumps({"id": "three", "text": GOOD}) + "\n", encoding="utf-8")
    res = run(["extract", str(src)])
    assert res.exit_code == 1
    recs = records(res.stdout)
    assert [r["doc_id"] for r in recs] == ["one", "batch:2", "three"]
    assert recs[1]["error"]["kind"] == "malformed_jsonl"
    assert recs[0]["event"]["published"] == "2024-03-09"


def test_missing_path_is_reported_and_rest_processed(tmp_path: Path):
    good = tmp_path / "g.txt"
    good.write_text(GOOD, encoding="utf-8")
    res = run(["extract", str(tmp_path / "nope.txt"), str(good)])
    assert res.exit_code == 1
    assert "no such file" in res.stderr
    # a missing path is an error record too (issue 10), then the rest goes on
    recs = records(res.stdout)
    assert [r["doc_id"] for r in recs] == ["nope", "g"]
    assert recs[0]["error"]["kind"] == "missing"


def test_stdin_and_exit_zero():
    res = run(["extract", "-"], input=GOOD)
    assert res.exit_code == 0
    (rec,) = records(res.stdout)
    assert rec["doc_id"] == "stdin"


def test_usage_error_exit_two():
    assert run(["extract"]).exit_code == 2
    assert run(["extract", "--jobs", "0", "x"]).exit_code == 2


def test_deterministic_output(tmp_path: Path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    one = run(["extract", str(tmp_path)]).stdout
    two = run(["extract", str(tmp_path)]).stdout
    assert one == two


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_error(data: bytes):
    res = decode(data, "x", None)
    assert res.doc_id == "x"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_extracts_without_crashing(text: str):
    rec = extract(text, doc_id="h", checks=True)
    for f in rec.facts:
        assert text[f.span[0]:f.span[1]] == f.text
