"""The review page without a browser: self-contained, spans embedded, diff marks.

``sample_run`` (hand-made articles and records) is shared with
test_review_browser.py.
"""
from __future__ import annotations

import base64
import copy
import hashlib
import html.parser
import json
import re
from typing import Optional

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st
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


# ---------------------------------------------------------------------------
# Hostile records, diffs, texts and file names

# Each payload would run script (or forge markup) if it reached the page
# unescaped; every one sets window.__pwned so the browser test can tell.
PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror="window.__pwned=1">',
    '"><img src=x onerror=alert(1)>',
    "'><img src=x onerror=window.__pwned=1>",
    "</script><script>window.__pwned=1</script>",
    "<!--<script>window.__pwned=1</script>",
    "<svg onload=window.__pwned=1>",
    "{{data}}{{script}}{{title}}__DATA__",
    "`${window.__pwned=1}`",
    "line\u2028sep\u2029para",
]
EVIL = "".join(PAYLOADS)


def _evil(tag: str) -> str:
    """A distinct hostile string per field, so a test can find each one."""
    return f"{tag}:{EVIL}"


def hostile_run() -> tuple[list[dict], dict, dict[str, str]]:
    """(records, a JSON diff against them, texts) with a payload in every value
    the page shows: doc_id, source, event, drivers, facts, checks, error, and
    the diff's message, names, counts, indexes, notes and fields."""
    text = f"Casey Quill won the pole. {_evil('text')} Dana Reyes was second.\n"
    doc_id = _evil("doc")
    q = text.index("won the pole")
    rec = {
        "schema_version": "1", "doc_id": doc_id, "source": _evil("source"),
        "event": {k: _evil(k) for k in ("series", "track", "event_name", "published", "qualifying_date", "race_date")},
        "drivers": [{"name": _evil("driver"), "mentions": [[0, 11], ["<b>", 3]]},
                    {"name": "Dana Reyes", "mentions": [_span(text, "Dana Reyes")]}],
        "facts": [
            {"type": "start_position", "driver": _evil("driver"), "value": 1, "span": [q, q + 12], "text": "won the pole"},
            {"type": _evil("type"), "driver": "Dana Reyes", "value": _evil("value"), "span": _span(text, "Dana Reyes"),
             "text": _evil("facttext"), "other": _evil("other"), "session": _evil("session"), "kmh": _evil("kmh")},
            {"type": "start_position", "driver": "Dana Reyes", "value": 2, "span": ["</script>", None], "text": "second"},
        ],
        "checks": [
            {"name": _evil("checkname"), "status": "fail", "message": _evil("checkmsg"), "facts": [0, "<i>", 1]},
            {"name": "speed", "status": _evil("status"), "message": "m", "facts": [1]},
            {"name": "ok", "status": "warn", "message": _evil("warnmsg"), "facts": [0]},
        ],
        "error": {"kind": _evil("errkind"), "message": _evil("errmsg")},
    }
    new_doc = dict(rec, doc_id=_evil("newdoc"), error=None)
    diff = {
        "kind": "extractor-run-diff",
        "old": _evil("oldname"), "new": _evil("newname"),
        "provenance": {"message": _evil("diffmsg")},
        "counts": {"changed": _evil("count"), "only_new": 1, "only_old": 1, "identical": 0},
        "only_old": [{"doc_id": _evil("onlyold")}],
        "only_new": [{"doc_id": new_doc["doc_id"]}],
        "articles": [{
            "doc_id": doc_id, "input": _evil("input"),
            "event": {_evil("evkey"): [_evil("evold"), _evil("evnew")], "track": "not a pair"},
            "drivers": {"added": [_evil("drvadd")], "removed": [_evil("drvrm")], "mentions_changed": _evil("drvmc")},
            "checks": [{"name": _evil("dcheck"), "old_status": None, "new_status": _evil("dnew"), "new_facts": [_evil("dnf")]},
                       {"name": _evil("dcheck2"), "old_status": "pass", "new_status": "fail", "new_facts": [0]},
                       "not a check"],
            "other": {_evil("otherkey"): [_evil("otherold"), _evil("othernew")]},
            "facts": {
                "added": [{"index": _evil("addidx"), "fact": {}}, {"index": 0, "fact": rec["facts"][0]}],
                "changed": [{"new_index": 1, "new": rec["facts"][1], "old": {_evil("field"): 1},
                             "fields": [_evil("field"), "value", {"x": 1}]}],
                "removed": [{"index": _evil("rmidx"), "fact": {"type": _evil("rmtype"), "driver": _evil("rmdriver"),
                                                             "value": 3, "span": [0, 5], "text": _evil("rmtext")}},
                            {"index": 7, "fact": "not a fact"}, "not an entry"],
            },
        }, {"doc_id": ["not", "a", "string"]}, "junk"],
    }
    return [rec, new_doc], diff, {doc_id: text, new_doc["doc_id"]: text}


class _Tags(html.parser.HTMLParser):
    """The elements of a page as a browser's tokenizer sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.texts: dict[str, str] = {}
        self._in: Optional[str] = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag

    def handle_data(self, data):
        if self._in == "script":
            self.scripts.append((self.tags[-1][1], data))
        elif self._in in ("title", "h1"):
            self.texts[self._in] = self.texts.get(self._in, "") + data

    def handle_endtag(self, tag):
        self._in = None


def _parse(page: str) -> _Tags:
    p = _Tags()
    p.feed(page)
    p.close()
    return p


SKELETON_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "span", "div", "label",
                 "input", "datalist", "select", "option", "button", "main", "script"}


def assert_inert(page: str) -> dict:
    """The page holds exactly its own markup and two scripts (the data block and
    its own, hash-admitted script), with no event-handler attribute anywhere;
    returns the embedded data."""
    from extractor.review import _assets
    p = _parse(page)
    assert {t for t, _ in p.tags} <= SKELETON_TAGS, {t for t, _ in p.tags} - SKELETON_TAGS
    assert [a for t, a in p.tags if t == "script"] == [{"id": "data", "type": "application/json"}, {}]
    assert not [(t, a) for t, a in p.tags for k in a if k.lower().startswith("on")]
    assert [s for _, s in p.scripts][1] == _assets()[1]
    data_text = p.scripts[0][1]
    assert "<" not in data_text and ">" not in data_text and "&" not in data_text
    assert "\u2028" not in data_text and "\u2029" not in data_text
    assert page.count("<script") == 2 and page.count("</script>") == 2
    return json.loads(data_text)


def _walk(x):
    if isinstance(x, dict):
        for k, v in x.items():
            yield from _walk(k)
            yield from _walk(v)
    elif isinstance(x, list):
        for v in x:
            yield from _walk(v)
    elif isinstance(x, str):
        yield x


@pytest.mark.parametrize("field", [
    "doc", "series", "track", "event_name", "published", "race_date", "driver", "type", "value", "facttext",
    "other", "session", "kmh", "checkname", "checkmsg", "status", "warnmsg", "errkind", "errmsg", "text",
    "oldname", "diffmsg", "onlyold", "newdoc", "evkey", "evold", "evnew", "drvadd", "drvrm", "dcheck", "dnew",
    "dnf", "dcheck2", "otherkey", "field", "rmtype", "rmdriver", "rmtext", "input",
])
def test_hostile_values_are_data_not_markup(field):
    recs, diff, texts = hostile_run()
    page = render_review(recs, texts, diff, title=_evil("title"))
    data = assert_inert(page)
    # The value survives as data (the page shows it as text), whole or inside a note.
    tag = f"{field}:"
    assert any(tag in s and "<script>window.__pwned=1</script>" in s for s in _walk(data)), field


def test_hostile_diff_indexes_are_not_passed_through():
    recs, diff, texts = hostile_run()
    data = assert_inert(render_review(recs, texts, diff))
    d = data["docs"][0]
    assert all(isinstance(f["i"], int) for f in d["facts"] + d["removed"])
    assert [f["i"] for f in d["removed"]] == [-1, 7, -1]
    assert d["facts"][0]["df"] == "added" and d["facts"][1]["df"] == "changed"
    assert data["meta"]["diffMismatch"] == 1                     # the entry with a string index
    assert data["meta"]["diff"]["counts"]["changed"] == 0         # counts are numbers
    assert d["checks"][0][3] == [0, 1]                            # only integer fact indexes
    assert [d["drivers"][0][1]] == [[[0, 11]]]                    # mentions that are not int pairs dropped
    assert data["docs"][1]["ds"] == "new"


def test_hostile_title_and_placeholders_stay_literal():
    recs, diff, texts = hostile_run()
    title = "review: {{data}}{{script}}{{csp}}<script>window.__pwned=1</script>\u2028.jsonl"
    page = render_review(recs, texts, diff, title=title)
    assert_inert(page)
    p = _parse(page)
    assert p.texts["title"] == title and p.texts["h1"] == title
    csp = [a for t, a in p.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert len(csp) == 1 and "unsafe-inline" not in csp[0]["content"]


def test_csp_admits_only_the_pages_own_script_and_style():
    from extractor.review import _assets, content_security_policy
    _, new, texts = sample_run()
    page = render_review(new, texts, None)
    _, js, css = _assets()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    for name, body in (("script-src", js), ("style-src", css)):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert directives[name] == f"'sha256-{digest}'", name
    assert policy == content_security_policy(js, css)
    assert f"<script>{js}</script>" in page and f"<style>{css}</style>" in page


def test_page_script_builds_markup_only_through_escaping():
    """Static guard for review.js: markup goes into the DOM only as H`...`
    results, never inline handlers or style attributes (the CSP would block
    them, and they are where escaping bugs turn into script)."""
    from extractor.review import _assets
    tpl, js, css = _assets()
    assigns = re.findall(r"\.(?:innerHTML|outerHTML)\s*=\s*([^;]*)", js)
    assert assigns and all(re.match(r"\(?.*H`", a) and a.rstrip(")").endswith(".s") for a in assigns), assigns
    assert "insertAdjacentHTML" not in js and "document.write" not in js and "eval(" not in js
    for name, body in (("review.js", js), ("review_template.html", tpl)):
        assert not re.search(r"""\son[a-z]+\s*=\s*["'`$]""", body), name
        assert not re.search(r"""\sstyle\s*=\s*["']""", body), name


@pytest.mark.parametrize("values, text", [
    ({"a": "{{b}}", "b": "x"}, "{{a}}|{{b}}"),
    ({"a": "\\1\\g<0>", "b": "$b"}, "{{b}}{{a}}"),
])
def test_template_fill_is_single_pass(values, text):
    from extractor.review import fill_template
    out = fill_template(text, values)
    assert out == text.replace("{{a}}", "\0").replace("{{b}}", values["b"]).replace("\0", values["a"])


def test_template_fill_refuses_unknown_or_missing_placeholders():
    from extractor.review import fill_template
    with pytest.raises(ValueError):
        fill_template("{{a}}", {})
    with pytest.raises(ValueError):
        fill_template("{{a}}", {"a": "1", "b": "2"})


@given(st.lists(st.text(max_size=40), min_size=6, max_size=6))
@settings(max_examples=60, deadline=None)
def test_arbitrary_values_never_become_markup(vals):
    doc_id, driver, ftext, msg, typ, src = vals
    text = "abc " + ftext
    rec = {"doc_id": doc_id or "d", "source": src, "event": {"track": driver},
           "drivers": [{"name": driver, "mentions": [[0, 3]]}],
           "facts": [{"type": typ, "driver": driver, "value": msg, "span": [4, 4 + len(ftext)], "text": ftext}],
           "checks": [{"name": msg, "status": "fail", "message": msg, "facts": [0]}]}
    data = assert_inert(render_review([rec], {rec["doc_id"]: text}, None, title=msg))
    d = data["docs"][0]
    assert (d["id"], d["facts"][0]["d"], d["facts"][0]["x"], d["checks"][0][2], d["text"]) == \
        (rec["doc_id"], driver, ftext, msg, text)


# ---------------------------------------------------------------------------
# Texts are read only from the --texts folder

SECRET = "SECRET-do-not-read\n"


@pytest.fixture
def texts_tree(tmp_path):
    """tmp/texts/{ok.txt, link.txt -> ../secret.txt, sub/inner.txt}, tmp/secret.txt."""
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    tdir = tmp_path / "texts"
    (tdir / "sub").mkdir(parents=True)
    (tdir / "ok.txt").write_text("ok text\n", encoding="utf-8")
    (tdir / "sub" / "inner.txt").write_text("inner text\n", encoding="utf-8")
    try:
        (tdir / "link.txt").symlink_to(tmp_path / "secret.txt")
    except OSError:
        pass
    return tmp_path, tdir


def _rec(doc_id: str, source=None) -> dict:
    return {"doc_id": doc_id, "source": source, "facts": [], "drivers": [], "checks": []}


@pytest.mark.parametrize("doc_id, source, expect", [
    ("ok", None, "ok text\n"),                                  # <doc_id>.txt in the folder
    ("x1", "sub/inner.txt", "inner text\n"),                    # source relative to the folder
    ("x2", "{tdir}/sub/inner.txt", "inner text\n"),             # absolute source inside the folder
    ("x3", "{tmp}/secret.txt", None),                           # absolute, outside
    ("x4", "../secret.txt", None),                              # relative escape
    ("x5", "sub/../../secret.txt", None),
    ("x6", "link.txt", None),                                   # symlink out of the folder
    ("../secret", None, None),                                  # doc_id escape via <doc_id>.txt
    ("link", None, None),                                       # symlinked <doc_id>.txt
    ("x7", "/etc/passwd", None),
    ("x8", "sub\0/inner.txt", None),                            # NUL byte: refused, no crash
])
def test_sources_are_read_only_inside_the_texts_folder(texts_tree, doc_id, source, expect):
    tmp, tdir = texts_tree
    if source:
        source = source.format(tdir=tdir, tmp=tmp)
    page = render_review([_rec(doc_id, source)], tdir, None)
    data = assert_inert(page)
    assert data["docs"][0]["text"] == expect
    assert "SECRET" not in page and "root:" not in page


def test_sources_are_not_read_without_texts(texts_tree):
    tmp, tdir = texts_tree
    recs = [_rec("a", str(tmp / "secret.txt")), _rec("b", str(tdir / "ok.txt"))]
    from extractor.diff import Texts
    for texts in (None, {}, Texts(base_dirs=[tmp])):
        page = render_review(recs, texts, None)
        data = assert_inert(page)
        assert [d["text"] for d in data["docs"]] == [None, None]
        assert "SECRET" not in page
        assert all("only from a --texts folder" in d["srcWhy"] for d in data["docs"])


def test_cli_hostile_file_names_and_sources(tmp_path, texts_tree):
    tmp, tdir = texts_tree
    recs, diff, texts = hostile_run()
    recs.append(_rec("leak", str(tmp / "secret.txt")))
    recs.append(_rec("near", "secret.txt"))                     # next to the records file
    name = "{{data}}<script>window.__pwned=1<\u2028"
    rec = tmp / f"{name}.jsonl"
    rec.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    dpath = tmp / f"{name}diff.json"
    dpath.write_text(json.dumps(diff), encoding="utf-8")
    out = tmp / "out.html"
    for extra in ([], ["--texts", str(tdir)]):
        r = CliRunner().invoke(app, ["review", str(rec), "--diff", str(dpath), "-o", str(out)] + extra)
        assert r.exit_code == 0, r.output
        page = out.read_text(encoding="utf-8")
        data = assert_inert(page)
        assert "SECRET" not in page
        assert _parse(page).texts["title"] == f"review: {name}.jsonl"
        assert data["docs"][0]["dn"] and data["docs"][-1]["text"] is None
    # The old run as JSONL (diffed here) with hostile values, hostile name too.
    old = tmp / f"{name}old.jsonl"
    old.write_text("".join(json.dumps(dict(r, facts=r["facts"][:1])) + "\n" for r in recs), encoding="utf-8")
    r = CliRunner().invoke(app, ["review", str(rec), "--diff", str(old), "-o", str(out), "--texts", str(tdir)])
    assert r.exit_code == 0, r.output
    data = assert_inert(out.read_text(encoding="utf-8"))
    assert name in data["meta"]["diff"]["old"]


@pytest.mark.parametrize("rec, diff", [
    ({"doc_id": ["x"], "facts": "no", "drivers": [{"name": 5, "mentions": 7}], "checks": [{"facts": 3}], "event": None},
     {"articles": "x", "counts": [1], "only_old": "y"}),
    ({"doc_id": "d", "facts": [{"type": {"a": 1}, "driver": 3, "span": [1e308, "x"], "value": [1]}], "error": ["e"]},
     {"articles": [{"doc_id": "d", "facts": {"added": "x", "changed": [1], "removed": [{"index": True}]},
                    "event": {"k": 1}, "checks": [{}], "other": []}]}),
])
def test_malformed_shapes_render(rec, diff):
    data = assert_inert(render_review([rec], {"d": "some text"}, diff))
    assert len(data["docs"]) == 1 and isinstance(data["docs"][0]["id"], str)


def test_review_shows_each_facts_rule_and_confidence(tmp_path):
    from extractor.review import render_review
    rec = {"doc_id": "r1", "event": {}, "drivers": [], "checks": [],
           "facts": [{"type": "start_position", "driver": "Kyle Larson", "value": 1, "span": [0, 4], "text": "pole",
                      "rule": "position:pole", "confidence": 0.9}]}
    page = render_review([rec], None)
    assert "rule position:pole (0.90)" in page
