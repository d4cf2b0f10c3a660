"""The review page without a browser: self-contained, spans embedded, diff marks.

``sample_run`` (hand-made articles and records) is shared with
test_review_browser.py.
"""
from __future__ import annotations

import copy
import json
import re

import typer
from typer.testing import CliRunner

from extractor.review import render_review, review_cli

QUALI = (
    "date 2024-05-01\n"
    "Casey Quill won the pole for Sunday's Maple 300 at Birch Hill Speedway with a lap of "
    "29.806 seconds (181.172 mph) in Wednesday's session.\n\n"
    "Dana Reyes, in the No. 07 Ford, will start second after a lap of 29.834 seconds "
    "(181.001 mph), 0.028 seconds slower than Quill. Lee Park qualified third for "
    "Halcyon Motorsports.\n\n"
    "\"The car was on rails,\" Quill said. Notes at https://example.invalid/story </script><b>x</b>\n"
)
RACE = (
    "date 2023-08-12\n"
    "Robin Vance led 88 of the 150 laps and beat Sam Okafor by 0.789 seconds on Friday night "
    "at Quarry Flats Raceway. There were 11 lead changes among six drivers and four cautions.\n"
    "Okafor, driving the No. 41 Toyota for Halcyon Motorsports, settled for second.\n"
)


def _span(text: str, sub: str, nth: int = 0) -> list[int]:
    s = -1
    for _ in range(nth + 1):
        s = text.index(sub, s + 1)
    return [s, s + len(sub)]


def _fact(text: str, type_: str, driver, value, sub: str, nth: int = 0, **kw) -> dict:
    f = {"type": type_, "driver": driver, "value": value, "span": _span(text, sub, nth), "text": sub}
    f.update(kw)
    return f


def _drivers(text: str, names: dict[str, list[str]]) -> list[dict]:
    out = []
    for name, forms in names.items():
        ms = []
        for form in forms:
            for m in re.finditer(re.escape(form), text):
                if not any(a <= m.start() < b for a, b in ms):
                    ms.append([m.start(), m.end()])
        out.append({"name": name, "mentions": sorted(ms)})
    return out


def sample_run() -> tuple[list[dict], list[dict], dict[str, str]]:
    """(old records, new records, texts by doc_id)."""
    t = QUALI
    quali = {
        "schema_version": "1", "doc_id": "q1", "source": None,
        "extractor": {"version": "0.1.0", "ruleset_hash": "r2"},
        "event": {"published": "2024-05-01", "series": "Cup", "track": "Birch Hill Speedway",
                  "event_name": "Maple 300", "qualifying_date": "2024-05-01", "race_date": "2024-05-05"},
        "drivers": _drivers(t, {"Casey Quill": ["Casey Quill", "Quill"], "Dana Reyes": ["Dana Reyes"],
                                "Lee Park": ["Lee Park"]}),
        "facts": [
            _fact(t, "start_position", "Casey Quill", 1, "won the pole"),
            _fact(t, "lap_time", "Casey Quill", 29.806, "29.806 seconds", session="qualifying"),
            _fact(t, "speed_mph", "Casey Quill", 181.172, "181.172 mph", session="qualifying"),
            _fact(t, "car_number", "Dana Reyes", "07", "No. 07"),
            _fact(t, "manufacturer", "Dana Reyes", "Ford", "No. 07 Ford"),      # overlaps the car number
            _fact(t, "start_position", "Dana Reyes", 2, "start second"),
            _fact(t, "lap_time", "Dana Reyes", 29.834, "29.834 seconds", session="qualifying"),
            _fact(t, "speed_mph", "Dana Reyes", 181.101, "181.001 mph", session="qualifying"),
            _fact(t, "gap", "Casey Quill", 0.028, "0.028 seconds", other="Dana Reyes"),
            _fact(t, "start_position", "Lee Park", 3, "qualified third"),
            _fact(t, "team", "Lee Park", "Halcyon Motorsports", "Halcyon Motorsports"),
        ],
        "checks": [
            {"name": "speed_matches_lap_time", "status": "pass", "message": "29.806 s = 181.172 mph", "facts": [1, 2]},
            {"name": "speed_matches_lap_time", "status": "fail",
             "message": "29.834 s is 181.053 mph, not 181.101", "facts": [6, 7]},
            {"name": "gap_matches_lap_times", "status": "warn", "message": "gap 0.028 s vs lap times", "facts": [8, 1, 6]},
        ],
    }
    t = RACE
    race = {
        "schema_version": "1", "doc_id": "r1", "source": None,
        "extractor": {"version": "0.1.0", "ruleset_hash": "r2"},
        "event": {"published": "2023-08-12", "series": "Truck", "track": "Quarry Flats Raceway",
                  "event_name": None, "qualifying_date": None, "race_date": "2023-08-11"},
        "drivers": _drivers(t, {"Robin Vance": ["Robin Vance"], "Sam Okafor": ["Sam Okafor", "Okafor"]}),
        "facts": [
            _fact(t, "finish_position", "Robin Vance", 1, "beat"),
            _fact(t, "laps_led", "Robin Vance", 88, "led 88"),
            _fact(t, "total_laps", None, 150, "150 laps"),
            _fact(t, "finish_position", "Sam Okafor", 2, "second"),
            _fact(t, "margin_of_victory", None, 0.789, "0.789 seconds"),
            _fact(t, "gap", "Robin Vance", 0.789, "0.789 seconds", other="Sam Okafor"),
            _fact(t, "lead_changes", None, 11, "11 lead changes"),
            _fact(t, "leaders", None, 6, "six drivers"),
            _fact(t, "cautions", None, 4, "four cautions"),
            _fact(t, "car_number", "Sam Okafor", "41", "No. 41"),
            _fact(t, "manufacturer", "Sam Okafor", "Toyota", "Toyota"),
            _fact(t, "team", "Sam Okafor", "Halcyon Motorsports", "Halcyon Motorsports"),
        ],
        "checks": [{"name": "positions_unique", "status": "pass", "message": "ok", "facts": [0, 3]}],
    }
    notext = {
        "schema_version": "1", "doc_id": "n1", "source": "nowhere/n1.txt",
        "extractor": {"version": "0.1.0", "ruleset_hash": "r2"},
        "event": {"published": "2022-04-09", "series": "Xfinity", "track": None, "event_name": None,
                  "qualifying_date": None, "race_date": None},
        "drivers": [{"name": "Mara Quist", "mentions": [[0, 10]]}],
        "facts": [{"type": "start_position", "driver": "Mara Quist", "value": 1, "span": [11, 23],
                   "text": "won the pole"}],
        "checks": [],
    }
    new = [quali, race, notext]
    old_q = copy.deepcopy(quali)
    old_q["extractor"]["ruleset_hash"] = "r1"
    old_q["facts"][7]["value"] = 181.001               # changed in the new run
    del old_q["facts"][10]                             # team: added in the new run
    old_q["facts"].append(_fact(QUALI, "speed_mph", "Lee Park", 180.9, "(181.001 mph)"))  # removed
    old_q["checks"][1]["status"] = "pass"
    old_r = copy.deepcopy(race)
    old_r["extractor"]["ruleset_hash"] = "r1"
    gone = copy.deepcopy(notext)
    gone["doc_id"] = "gone1"
    old = [old_q, old_r, gone]
    return old, new, {"q1": QUALI, "r1": RACE}


def _strip_data(page: str) -> str:
    return re.sub(r'<script id="data" type="application/json">.*?</script>', "", page, flags=re.S)


def _data(page: str) -> dict:
    m = re.search(r'<script id="data" type="application/json">(.*?)</script>', page, flags=re.S)
    return json.loads(m.group(1))


def test_page_is_self_contained():
    old, new, texts = sample_run()
    page = render_review(new, texts, None)
    rest = _strip_data(page)
    assert not re.search(r"https?://", rest), "the page itself must not reference http(s) resources"
    assert not re.search(r"""\b(src|href)\s*=""", rest, flags=re.I)
    assert "@import" not in rest and "url(" not in rest
    assert "default-src 'none'" in rest                      # CSP: no network, whatever the data holds
    # An article's "</script>" cannot end the data block early.
    m = re.search(r'<script id="data" type="application/json">(.*?)</script>', page, flags=re.S)
    assert "</" not in m.group(1)


def test_spans_are_embedded_with_text():
    old, new, texts = sample_run()
    data = _data(render_review(new, texts, None))
    docs = {d["id"]: d for d in data["docs"]}
    q = docs["q1"]
    assert q["text"] == QUALI
    for f, rf in zip(q["facts"], new[0]["facts"]):
        s, e = f["s"]
        assert [s, e] == rf["span"] and QUALI[s:e] == rf["text"] == f["x"]
    assert "bad" not in q["facts"][0]
    assert docs["n1"]["text"] is None and data["meta"]["withText"] == 2
    assert {"lap_time", "speed_mph", "car_number", "manufacturer"} <= {t for t, _ in data["types"]}


def test_span_mismatch_is_flagged():
    _, new, texts = sample_run()
    new[0]["facts"][0]["span"] = [0, 4]
    data = _data(render_review(new, texts, None))
    assert "the text at the span is" in data["docs"][0]["facts"][0]["bad"]


def test_diff_marks():
    from extractor.diff import diff_runs
    old, new, texts = sample_run()
    for d in (diff_runs(old, new), diff_runs(old, new).as_dict()):
        data = _data(render_review(new, texts, d))
        q = {x["id"]: x for x in data["docs"]}["q1"]
        assert q["ds"] == "changed"
        assert q["facts"][7]["df"] == "changed" and "value was 181.001" in q["facts"][7]["was"]
        assert q["facts"][10]["df"] == "added"
        assert [f["t"] for f in q["removed"]] == ["speed_mph"]
        assert any("speed_matches_lap_time" in n and "pass \u2192 fail" in n for n in q["dn"])
        assert data["meta"]["diff"]["only_old"] == ["gone1"]


def test_without_texts_shows_a_note():
    _, new, _ = sample_run()
    page = render_review(new, None, None)
    data = _data(page)
    assert data["meta"]["withText"] == 0 and all(d["text"] is None for d in data["docs"])
    assert "No article texts were given" in page


from extractor.cli import app  # the real CLI: its error handling is under test too


@app.command("noop")
def _noop() -> None:
    pass


def test_cli(tmp_path):
    old, new, texts = sample_run()
    rec = tmp_path / "new.jsonl"
    rec.write_text("".join(json.dumps(r) + "\n" for r in new))
    oldp = tmp_path / "old.jsonl"
    oldp.write_text("".join(json.dumps(r) + "\n" for r in old))
    tdir = tmp_path / "texts"
    tdir.mkdir()
    for k, v in texts.items():
        (tdir / f"{k}.txt").write_text(v, encoding="utf-8")
    out = tmp_path / "out" / "review.html"
    missing = CliRunner().invoke(app, ["review", str(rec), "-o", str(out)])
    assert missing.exit_code == 2 and missing.stderr.count("\n") == 1
    assert missing.stderr.startswith(f"extractor: {out}: the folder") and "does not exist" in missing.stderr
    out.parent.mkdir()
    r = CliRunner().invoke(app, ["review", str(rec), "--diff", str(oldp), "-o", str(out), "--texts", str(tdir)])
    assert r.exit_code == 0, r.output
    data = _data(out.read_text(encoding="utf-8"))
    assert data["docs"][0]["text"] == QUALI and data["docs"][0]["ds"] == "changed"
    # texts as JSONL (id/text)
    tj = tmp_path / "texts.jsonl"
    tj.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in texts.items()))
    r = CliRunner().invoke(app, ["review", str(rec), "-o", str(out), "--texts", str(tj)])
    assert r.exit_code == 0 and _data(out.read_text())["docs"][1]["text"] == RACE
    r = CliRunner().invoke(app, ["review", str(tmp_path / "missing.jsonl"), "-o", str(out)])
    assert r.exit_code == 2 and "missing.jsonl" in r.stderr
