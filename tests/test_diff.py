"""diff_runs / format_diff / diff_cli on hand-made record pairs."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from extractor.diff import diff_cli, diff_runs, format_diff, load_records

TEXT = ("Casey Quill won the pole at Birch Hill Speedway with a lap of 29.806 seconds "
        "(181.172 mph). Dana Reyes, in the No. 07 Ford, qualified second at 181.001 mph.")


def span_of(sub: str, text: str = TEXT) -> list[int]:
    s = text.index(sub)
    return [s, s + len(sub)]


def fact(type_, driver, value, sub, **kw) -> dict:
    f = {"type": type_, "driver": driver, "value": value, "span": span_of(sub), "text": sub}
    f.update(kw)
    return f


def record(doc_id: str = "a1", **over) -> dict:
    rec = {
        "schema_version": "1",
        "doc_id": doc_id,
        "source": None,
        "extractor": {"version": "0.1.0", "ruleset_hash": "abc123abc123"},
        "event": {"published": "2024-05-01", "series": "Cup", "track": "Birch Hill Speedway",
                  "event_name": None, "qualifying_date": None, "race_date": None},
        "drivers": [{"name": "Casey Quill", "mentions": [span_of("Casey Quill")]},
                    {"name": "Dana Reyes", "mentions": [span_of("Dana Reyes")]}],
        "facts": [
            fact("start_position", "Casey Quill", 1, "won the pole"),
            fact("lap_time", "Casey Quill", 29.806, "29.806 seconds"),
            fact("speed_mph", "Casey Quill", 181.172, "181.172 mph"),
            fact("car_number", "Dana Reyes", "07", "No. 07"),
            fact("start_position", "Dana Reyes", 2, "qualified second"),
            fact("speed_mph", "Dana Reyes", 181.001, "181.001 mph"),
        ],
        "checks": [{"name": "speed_matches_lap_time", "status": "pass", "message": "ok", "facts": [1, 2]}],
    }
    rec.update(over)
    return rec


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_identical_runs():
    d = diff_runs([record("a1"), record("a2")], [record("a2"), record("a1")])
    assert d.identical
    assert d.changed == [] and d.only_old == [] and d.only_new == []
    assert d.rules_changed is False
    out = format_diff(d)
    assert out.rstrip().endswith("identical")


def test_value_changed_is_a_change_not_remove_add():
    new = record()
    new["facts"][2] = fact("speed_mph", "Casey Quill", 181.271, "181.172 mph")
    d = diff_runs([record()], [new])
    assert not d.identical
    (a,) = d.changed
    assert a.facts_added == [] and a.facts_removed == []
    (c,) = a.facts_changed
    assert c.fields == ["value"]
    assert (c.old["value"], c.new["value"]) == (181.172, 181.271)
    assert d.summary()["speed_mph"] == {"added": 0, "removed": 0, "changed": 1}
    # The text around the span, on one line.
    out = format_diff(d, {"a1": TEXT})
    assert "29.806 seconds ([[181.172 mph]])" in out
    assert "value: 181.172 -> 181.271" in out


def test_fact_added_and_removed():
    new = record()
    del new["facts"][3]                      # car number gone
    new["facts"].append(fact("manufacturer", "Dana Reyes", "Ford", "Ford"))
    d = diff_runs([record()], [new])
    (a,) = d.changed
    assert [f["type"] for _, f in a.facts_removed] == ["car_number"]
    assert [(j, f["type"]) for j, f in a.facts_added] == [(5, "manufacturer")]
    assert a.facts_changed == []
    # The check still concerns the same two facts (indices unchanged) -> no check change.
    assert a.checks == []
    # A check that now also covers the added fact, same verdict: no difference;
    # with another verdict: one change, not a removed + an added check.
    new["checks"][0]["facts"] = [1, 2, 5]
    assert diff_runs([record()], [new]).changed[0].checks == []
    new["checks"][0]["status"] = "warn"
    (c,) = diff_runs([record()], [new]).changed[0].checks
    assert (c.old_facts, c.new_facts, c.old_status, c.new_status) == ([1, 2], [1, 2, 5], "pass", "warn")
    new["checks"][0] = {"name": "speed_matches_lap_time", "status": "pass", "message": "ok", "facts": [1, 2]}
    summ = d.summary()
    assert summ["car_number"]["removed"] == 1 and summ["manufacturer"]["added"] == 1
    out = format_diff(d)                     # without texts: the fact's own text
    assert "+ fact  manufacturer  Dana Reyes = \"Ford\"" in out
    assert "[[No. 07]]" in out
    js = d.as_dict()
    json.dumps(js)
    assert js["articles"][0]["facts"]["added"][0]["index"] == 5


def test_shared_key_pairs_by_value_and_span():
    # Two speeds for one driver: only the second one's value changes.
    old = record()
    old["facts"].append(fact("speed_mph", "Casey Quill", 180.5, "181.001 mph"))
    new = copy.deepcopy(old)
    new["facts"][6]["value"] = 180.6
    d = diff_runs([old], [new])
    (a,) = d.changed
    (c,) = a.facts_changed
    assert (c.old_index, c.new_index) == (6, 6)
    # Reordered facts with the same content are not a difference at all.
    new2 = copy.deepcopy(old)
    new2["facts"][2], new2["facts"][6] = new2["facts"][6], new2["facts"][2]
    new2["checks"][0]["facts"] = [1, 6]
    assert diff_runs([old], [new2]).identical


def test_check_status_change_and_event_and_drivers():
    new = record()
    new["checks"][0]["status"] = "fail"
    new["event"]["track"] = "Birch Hill"
    new["drivers"].append({"name": "Lee Park", "mentions": [[0, 3]]})
    d = diff_runs([record()], [new])
    (a,) = d.changed
    (c,) = a.checks
    assert (c.name, c.old_status, c.new_status) == ("speed_matches_lap_time", "pass", "fail")
    assert a.event == {"track": ("Birch Hill Speedway", "Birch Hill")}
    assert a.drivers_added == ["Lee Park"]
    out = format_diff(d)
    assert "~ check speed_matches_lap_time [1,2]: pass -> fail" in out
    assert "event.track" in out and "+ driver Lee Park" in out


def test_articles_added_and_removed():
    d = diff_runs([record("a1"), record("gone")], [record("a1"), record("fresh")])
    assert [r["doc_id"] for r in d.only_old] == ["gone"]
    assert [r["doc_id"] for r in d.only_new] == ["fresh"]
    assert not d.identical
    out = format_diff(d)
    assert "+ article fresh" in out and "- article gone" in out
    assert d.summary()["speed_mph"] == {"added": 2, "removed": 2, "changed": 0}


def test_provenance_rules_and_input_changed():
    old = record(text_sha="1" * 64)
    new = record(text_sha="2" * 64, extractor={"version": "0.2.0", "ruleset_hash": "def456def456"})
    d = diff_runs([old], [new])
    assert d.rules_changed is True
    assert d.input_changed == ["a1"]
    msg = d.provenance_message()
    assert "rules changed" in msg and "input changed" in msg
    # Same outputs: the content is identical even though rules changed.
    assert d.identical


def test_input_changed_from_source_files(tmp_path):
    from extractor.diff import Texts
    (tmp_path / "old.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "new.txt").write_text(TEXT.replace("Casey", "Casey J."), encoding="utf-8")
    old = record(source=str(tmp_path / "old.txt"))
    new = record(source=str(tmp_path / "new.txt"))
    d = diff_runs([old], [new], Texts())
    assert d.input_changed == ["a1"]
    assert diff_runs([old], [record(source=str(tmp_path / "old.txt"))], Texts()).articles[0].input == "unknown"


def test_source_paths_used_for_context(tmp_path):
    (tmp_path / "a1.txt").write_text(TEXT, encoding="utf-8")
    new = record(source=str(tmp_path / "a1.txt"))
    new["facts"][0]["value"] = 2
    d = diff_runs([record()], [new])
    out = format_diff(d)
    assert "Casey Quill [[won the pole]] at Birch Hill" in out


# -- CLI ---------------------------------------------------------------------

from extractor.cli import app  # the real CLI: its error handling is under test too


@app.command("noop")
def _noop() -> None:  # a second command keeps typer from collapsing to a single-command app
    pass


runner = CliRunner()


def test_cli_exit_codes(tmp_path):
    a = write_jsonl(tmp_path / "a.jsonl", [record("a1"), record("a2")])
    b = write_jsonl(tmp_path / "b.jsonl", [record("a1"), record("a2")])
    r = runner.invoke(app, ["diff", str(a), str(b)])
    assert r.exit_code == 0, r.output

    changed = record("a2")
    changed["facts"][0]["value"] = 3
    c = write_jsonl(tmp_path / "c.jsonl", [record("a1"), changed])
    r = runner.invoke(app, ["diff", str(a), str(c)])
    assert r.exit_code == 1
    assert "== a2" in r.output and "summary" in r.output

    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a2.txt").write_text(TEXT, encoding="utf-8")
    r = runner.invoke(app, ["diff", str(a), str(c), "--json", "--texts", str(texts)])
    assert r.exit_code == 1
    js = json.loads(r.stdout)
    assert js["identical"] is False
    assert js["articles"][0]["facts"]["changed"][0]["fields"] == ["value"]


@pytest.mark.parametrize("content", [None, "not json\n", '{"no_doc_id": 1}\n', "[1, 2]\n"])
def test_cli_bad_input_exit_2(tmp_path, content):
    good = write_jsonl(tmp_path / "good.jsonl", [record()])
    bad = tmp_path / "bad.jsonl"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    r = runner.invoke(app, ["diff", str(good), str(bad)])
    assert r.exit_code == 2
    err = r.stderr.strip()
    assert err.startswith("extractor:") and "bad.jsonl" in err and "\n" not in err


def test_load_records_reports_line(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text(json.dumps(record()) + "\n{broken\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"x.jsonl: line 2"):
        load_records(p)


def test_diff_groups_fact_changes_by_rule():
    from extractor.diff import diff_runs, format_diff
    f = {"type": "start_position", "driver": "Kyle Larson", "value": 1, "span": [0, 4], "text": "pole",
         "rule": "position:pole", "confidence": 0.9}
    g = {"type": "lap_time", "driver": "Kyle Larson", "value": 27.1, "span": [5, 9], "text": "27.1",
         "rule": "timing:seconds-lap", "confidence": 0.8}
    old = [{"doc_id": "a", "facts": [f, g]}]
    new = [{"doc_id": "a", "facts": [f]}]
    d = diff_runs(old, new)
    assert d.by_rule() == {"timing:seconds-lap": {"added": 0, "removed": 1, "changed": 0}}
    text = format_diff(d)
    assert "by rule" in text and "timing:seconds-lap" in text
    assert d.as_dict()["by_rule"]["timing:seconds-lap"]["removed"] == 1
