"""`extractor table`: rows per kind, typed values, race keys, round trips in
every format, pandas in one line, and a results CSV of the seeds that agrees
with their golden records."""
from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.schema import FACT_VALUES
from extractor.tables import COLUMNS, FORMATS, KINDS, race_key, read_csv_rows, rows_to_csv, table_rows, write_table

runner = CliRunner()


def rec(doc_id="a", facts=(), **event):
    ev = {"published": "2024-03-09", "series": "Cup", "track": "Phoenix Raceway", "event_name": None,
          "qualifying_date": None, "race_date": "2024-03-10", **event}
    return {"schema_version": "1", "doc_id": doc_id, "event": ev, "drivers": [], "facts": list(facts), "checks": []}


def fact(type_, driver, value, **kw):
    return {"type": type_, "driver": driver, "value": value, "span": [0, 1], "text": "x", **kw}


def read_back(path, fmt, kind):
    if fmt == "csv":
        return read_csv_rows(path.read_text(encoding="utf-8"), kind)
    if fmt == "jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    import pyarrow.parquet as pq
    return pq.read_table(path).to_pylist()


# ---------------------------------------------------------------- race keys
@pytest.mark.parametrize("event, key, rnd", [
    ({}, "Cup|2024|Phoenix Raceway|2024-03-10", None),
    ({"race": {"series": "Cup", "season": 2024, "round": 3, "track": "Phoenix Raceway", "why": "date"}},
     "Cup|2024|R3", 3),
    ({"race": None, "race_date": None, "season": 2023}, "Cup|2023|Phoenix Raceway||a", None),
    ({"race_date": None, "published": None}, "Cup||Phoenix Raceway||a", None),
    ({"race": {"series": None, "season": None, "round": None, "why": "exhibition"}},
     "Cup|2024|Phoenix Raceway|2024-03-10", None),
])
def test_race_key(event, key, rnd):
    k = race_key(rec(**event))
    assert k["race_key"] == key and k["round"] == rnd


# ------------------------------------------------------------ typed values
@pytest.mark.parametrize("ftype, value, col, want", [
    ("start_position", 3, "value_int", 3),
    ("start_position", 3.0, "value_int", 3),
    ("race_duration", 10807, "value_float", 10807.0),
    ("lap_time", 29.806, "value_float", 29.806),
    ("car_number", "07", "value_str", "07"),
    ("manufacturer", "Ford", "value_str", "Ford"),
])
def test_value_goes_to_the_declared_column(ftype, value, col, want):
    (row,) = table_rows([rec(facts=[fact(ftype, "A B", value)])], "facts")
    assert row[col] == want and type(row[col]) is type(want)
    others = {"value_int", "value_float", "value_str"} - {col}
    assert all(row[c] is None for c in others)


def test_every_fact_type_has_a_column():
    int_types = {t for t, (j, _, _) in FACT_VALUES.items() if j == "integer"}
    assert {"start_position", "finish_position", "laps_led"} <= int_types


# ------------------------------------------------------------------ results
def test_results_merge_articles_and_keep_conflicts():
    a = rec("a", [fact("finish_position", "Kyle Larson", 1), fact("car_number", "Kyle Larson", "5"),
                  fact("laps_led", "Kyle Larson", 99), fact("start_position", "Kyle Larson", 2)])
    b = rec("b", [fact("finish_position", "Kyle Larson", 2), fact("manufacturer", "Kyle Larson", "Chevrolet"),
                  fact("finish_position", "Other Guy", 7, scope="other"),
                  fact("start_position", "Kyle Larson", 9, session="qualifying", round=1)])
    (row,) = table_rows([a, b], "results")
    assert (row["start"], row["finish"], row["car"], row["make"], row["laps_led"]) == (2, 1, "5", "Chevrolet", 99)
    assert row["doc_ids"] == "a;b" and row["conflicts"] == "finish: 1/2"


def test_error_records_make_no_rows():
    bad = {"doc_id": "x", "error": {"kind": "empty", "message": "the input is empty"}, "facts": []}
    assert all(table_rows([bad], k) == [] for k in KINDS)


def test_qualifying_and_practice_rows():
    r = rec("q", [fact("lap_time", "A A", 29.9, session="qualifying"), fact("speed_mph", "A A", 180.5, session="qualifying"),
                  fact("lap_time", "B B", 29.8, session="qualifying"), fact("start_position", "B B", 1),
                  fact("lap_time", "C C", 30.1, session="practice"), fact("speed_mph", "D D", 181.0, session="practice")])
    q = table_rows([r], "qualifying")
    assert [(x["driver"], x["lap_time"], x["speed"], x["rank"], x["time_rank"]) for x in q] == \
        [("B B", 29.8, None, 1, 1), ("A A", 29.9, 180.5, None, 2)]
    p = table_rows([r], "practice")
    assert [(x["driver"], x["rank"], x["time_rank"]) for x in p] == [("C C", None, 1), ("D D", None, 2)]


# ------------------------------------------------ round trips of the seeds
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_writes_and_reads_back(seeds_jsonl, seed_records, tmp_path, kind, fmt):
    out = tmp_path / f"t.{fmt}"
    res = runner.invoke(app, ["table", str(seeds_jsonl), "--kind", kind, "--format", fmt, "-o", str(out)])
    assert res.exit_code == 0, res.output
    back = read_back(out, fmt, kind)
    assert back == table_rows(seed_records, kind)
    assert all(list(r) == list(COLUMNS[kind]) for r in back)


def test_facts_table_is_the_records_facts(seeds_jsonl, seed_records, tmp_path):
    out = tmp_path / "facts.csv"
    assert runner.invoke(app, ["table", str(seeds_jsonl), "-o", str(out)]).exit_code == 0
    rows = read_csv_rows(out.read_text(encoding="utf-8"), "facts")
    want = [(r["doc_id"], i, f["type"], f["driver"], f.get("other"), f["value"], tuple(f["span"]), f["text"])
            for r in seed_records for i, f in enumerate(r["facts"])]
    got = [(x["doc_id"], x["fact_index"], x["type"], x["driver"], x["other"],
            next(x[c] for c in ("value_int", "value_float", "value_str") if x[c] is not None),
            (x["span_start"], x["span_end"]), x["text"]) for x in rows]
    assert got == want and len(got) > 100


def test_stdout_and_stdin(seeds_jsonl, seed_records):
    res = runner.invoke(app, ["table", "-", "--kind", "results"], input=seeds_jsonl.read_text(encoding="utf-8"))
    assert res.exit_code == 0
    assert read_csv_rows(res.stdout, "results") == table_rows(seed_records, "results")


def test_pandas_loads_each_format_in_one_line(seeds_jsonl, seed_records, tmp_path):
    pd = pytest.importorskip("pandas")
    for kind in KINDS:
        rows = table_rows(seed_records, kind)
        for fmt, read in (("csv", pd.read_csv), ("parquet", pd.read_parquet),
                          ("jsonl", lambda p: pd.read_json(p, lines=True))):
            path = tmp_path / f"{kind}.{fmt}"
            write_table(rows, kind, path, fmt)
            df = read(path)
            assert len(df) == len(rows), (kind, fmt)
            if rows or fmt != "jsonl":  # an empty JSONL file has no column names to carry
                assert list(df.columns) == list(COLUMNS[kind]), (kind, fmt)
    facts = table_rows(seed_records, "facts")
    for fmt, read in (("csv", pd.read_csv), ("parquet", pd.read_parquet)):
        df = read(tmp_path / f"facts.{fmt}", **({"dtype": {"value_str": str}} if fmt == "csv" else {}))
        assert df["value_float"].dropna().tolist() == [r["value_float"] for r in facts if r["value_float"] is not None]
        assert df["value_int"].dropna().astype(int).tolist() == [r["value_int"] for r in facts if r["value_int"] is not None]
        assert df["value_str"].dropna().tolist() == [r["value_str"] for r in facts if r["value_str"] is not None]


# ------------------------------------------- the seeds' results vs golden
_RESULT = {"start_position": "start", "finish_position": "finish", "car_number": "car",
           "team": "team", "manufacturer": "make", "laps_led": "laps_led"}


def test_results_csv_of_the_seeds_matches_golden(seeds_jsonl, golden_records, tmp_path):
    out = tmp_path / "results.csv"
    res = runner.invoke(app, ["table", str(seeds_jsonl), "--kind", "results", "-o", str(out)])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    by_key = {(r["race_key"], r["driver"]): r for r in rows}
    expected_pairs = set()
    checked = 0
    for g in golden_records:
        # The golden record's own race: its official link when it has one.
        from extractor.tables import race_key
        key = race_key(g)["race_key"]
        for f in g["facts"]:
            col = _RESULT.get(f["type"])
            if col is None or f.get("scope") == "other" or not f.get("driver") or f.get("session") == "practice":
                continue
            if col == "start" and (f.get("round") is not None or f.get("group") is not None):
                continue
            expected_pairs.add((key, f["driver"]))
            row = by_key[(key, f["driver"])]
            assert row[col] == str(f["value"]) or f"{col}: " in row["conflicts"] and str(f["value"]) in row["conflicts"], \
                (g["doc_id"], f)
            assert g["doc_id"] in row["doc_ids"].split(";")
            checked += 1
    assert set(by_key) == expected_pairs
    assert checked > 100


# -------------------------------------------------------------- CLI errors
@pytest.mark.parametrize("args, reason", [
    (["--format", "parquet"], "parquet is binary"),
    (["-o", "{tmp}/no/such/folder/t.csv"], "does not exist"),
])
def test_cli_errors_are_one_line(seeds_jsonl, tmp_path, args, reason):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    res = runner.invoke(app, ["table", str(seeds_jsonl), *args])
    assert res.exit_code == 2 and res.stderr.startswith("extractor: ") and res.stderr.count("\n") == 1
    assert reason in res.stderr


def test_missing_pyarrow_is_one_line(monkeypatch, seed_records, tmp_path):
    import builtins
    real = builtins.__import__

    def fake(name, *a, **k):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real(name, *a, **k)
    monkeypatch.setattr(builtins, "__import__", fake)
    from extractor.tables import TableError
    with pytest.raises(TableError, match=r"nascar-extractor\[parquet\]"):
        write_table(table_rows(seed_records, "facts"), "facts", tmp_path / "x.parquet", "parquet")
