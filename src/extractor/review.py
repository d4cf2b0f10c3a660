"""A self-contained HTML page for reviewing an extraction run.

Each article's text is shown with the extracted spans highlighted by fact type
(overlapping spans stack as separate underlines), the facts listed beside it,
failed and warned checks attached to the facts they concern, and -- with a
diff against another run -- added, changed and removed facts marked.

The page makes no network requests (all CSS and JS inline, a
Content-Security-Policy forbids anything else). Records are embedded as JSON
and rendered by page on demand, so a few thousand articles stay responsive;
filters: free text, driver, fact type, check status, diff status.
"""
from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any, Mapping, Optional, Union

import typer

from . import __version__ as _pkg_version
from .diff import InputError, RunDiff, Texts, as_texts, diff_runs, load_records, load_texts

# One colour per fact type (the contract's types; anything else gets grey).
TYPE_COLORS: dict[str, str] = {
    "car_number": "#1f77b4",
    "start_position": "#2ca02c",
    "finish_position": "#0f9fb0",
    "lap_time": "#d62728",
    "speed_mph": "#ff7f0e",
    "laps_led": "#9467bd",
    "manufacturer": "#8c564b",
    "team": "#e377c2",
    "gap": "#a6a619",
    "total_laps": "#5b6b7f",
    "lead_changes": "#393b79",
    "leaders": "#637939",
    "cautions": "#e6a100",
    "margin_of_victory": "#843c39",
    "average_speed_mph": "#d6616b",
    "entries": "#7b4173",
    "race_duration": "#3182bd",
}
_OTHER_COLOR = "#888888"

EVENT_KEYS = ("series", "track", "event_name", "published", "qualifying_date", "race_date")


def _fact_payload(i: int, f: dict, text: Optional[str]) -> dict:
    span = f.get("span") or [0, 0]
    try:
        s, e = int(span[0]), int(span[1])
    except (TypeError, ValueError, IndexError):
        s, e = -1, -1
    out: dict[str, Any] = {"i": i, "t": f.get("type"), "d": f.get("driver"), "v": f.get("value"),
                           "s": [s, e], "x": f.get("text")}
    if f.get("other"):
        out["o"] = f["other"]
    extra = [f"{k}: {f[k]}" for k in ("session", "round", "group", "scope") if f.get(k) is not None]
    if f.get("approximate"):
        extra.append("approximate")
    if f.get("kmh") is not None:
        extra.append(f"{f['kmh']} km/h")
    if extra:
        out["e"] = ", ".join(extra)
    if f.get("scope") == "other":
        out["so"] = 1
    if text is not None:
        if not (0 <= s < e <= len(text)):
            out["bad"] = "span empty or outside the text"
        elif f.get("text") is not None and text[s:e] != f.get("text"):
            out["bad"] = f"the text at the span is {json.dumps(text[s:e], ensure_ascii=False)}"
    return out


def _diff_index(diff: Union[RunDiff, dict, None]) -> tuple[dict, dict[str, dict], set[str]]:
    """(run-level info, per-article diff dicts, doc_ids only in the new run)."""
    if diff is None:
        return {}, {}, set()
    d = diff.as_dict() if isinstance(diff, RunDiff) else diff
    info = {
        "message": (d.get("provenance") or {}).get("message", ""),
        "counts": d.get("counts", {}),
        "only_old": [r.get("doc_id") for r in d.get("only_old", [])],
        "old": d.get("old"), "new": d.get("new"),
    }
    arts = {a["doc_id"]: a for a in d.get("articles", [])}
    return info, arts, {r.get("doc_id") for r in d.get("only_new", [])}


def _same_fact(a: dict, b: dict) -> bool:
    return (a.get("type"), a.get("driver"), a.get("value")) == (b.get("type"), b.get("driver"), b.get("value"))


def _doc_payload(rec: dict, text: Optional[str], dart: Optional[dict], is_new: bool,
                 mismatches: list[int]) -> dict:
    facts = [f for f in (rec.get("facts") or []) if isinstance(f, dict)]
    doc: dict[str, Any] = {
        "id": rec["doc_id"],
        "src": rec.get("source"),
        "text": text,
        "ev": {k: (rec.get("event") or {}).get(k) for k in EVENT_KEYS},
        "drivers": [[d.get("name"), [list(m) for m in d.get("mentions") or []]]
                    for d in rec.get("drivers") or [] if isinstance(d, dict) and d.get("name")],
        "facts": [_fact_payload(i, f, text) for i, f in enumerate(facts)],
        "checks": [[c.get("name"), c.get("status"), c.get("message") or "",
                    [i for i in c.get("facts") or [] if isinstance(i, int)]]
                   for c in rec.get("checks") or [] if isinstance(c, dict)],
    }
    if rec.get("error"):
        err = rec["error"]
        doc["err"] = f"{err.get('kind', 'error')}: {err.get('message', '')}" if isinstance(err, dict) else str(err)
    if is_new:
        doc["ds"] = "new"
        for f in doc["facts"]:
            f["df"] = "added"
    elif dart is not None:
        doc["ds"] = "changed"
        doc["inp"] = dart.get("input", "unknown")
        bad = 0
        fd = dart.get("facts", {})
        for a in fd.get("added", []):
            j = a.get("index")
            if isinstance(j, int) and j < len(facts) and _same_fact(facts[j], a.get("fact", {})):
                doc["facts"][j]["df"] = "added"
            else:
                bad += 1
        for c in fd.get("changed", []):
            j = c.get("new_index")
            if isinstance(j, int) and j < len(facts) and _same_fact(facts[j], c.get("new", {})):
                old = c.get("old", {})
                doc["facts"][j]["df"] = "changed"
                doc["facts"][j]["was"] = "; ".join(
                    f"{k} was {json.dumps(old.get(k), ensure_ascii=False)}"
                    for k in c.get("fields", []) if k != "text")
            else:
                bad += 1
        removed = []
        for r in fd.get("removed", []):
            p = _fact_payload(r.get("index", -1), r.get("fact", {}), text if dart.get("input") != "changed" else None)
            p["df"] = "removed"
            removed.append(p)
        if removed:
            doc["removed"] = removed
        notes = []
        for k, (o, n) in (dart.get("event") or {}).items():
            notes.append(f"event.{k}: {json.dumps(o, ensure_ascii=False)} \u2192 {json.dumps(n, ensure_ascii=False)}")
        drv = dart.get("drivers") or {}
        notes += [f"+ driver {n}" for n in drv.get("added", [])]
        notes += [f"\u2212 driver {n}" for n in drv.get("removed", [])]
        notes += [f"~ driver {n}: mentions changed" for n in drv.get("mentions_changed", [])]
        for c in dart.get("checks") or []:
            if c.get("old_status") is None:
                notes.append(f"+ check {c['name']} {c.get('new_facts')}: {c.get('new_status')}")
            elif c.get("new_status") is None:
                notes.append(f"\u2212 check {c['name']} {c.get('old_facts')}: was {c.get('old_status')}")
            else:
                notes.append(f"~ check {c['name']} {c.get('new_facts')}: {c.get('old_status')} \u2192 {c.get('new_status')}")
        for k, (o, n) in (dart.get("other") or {}).items():
            s = f"{k}: {json.dumps(o, ensure_ascii=False, default=str)} \u2192 {json.dumps(n, ensure_ascii=False, default=str)}"
            notes.append(s if len(s) < 200 else s[:197] + "...")
        if dart.get("input") == "changed":
            notes.insert(0, "input text changed since the old run (removed facts are not placed in the text)")
        if notes:
            doc["dn"] = notes
        if bad:
            mismatches.append(bad)
    return doc


def _json_for_script(obj: Any) -> str:
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def render_review(records: list[dict], texts: Union[Texts, Mapping[str, str], Path, None],
                  diff: Union[RunDiff, dict, None] = None, title: str = "extraction review") -> str:
    """The review page as one HTML string (no external resources)."""
    tx = as_texts(texts)
    info, arts, only_new = _diff_index(diff)
    mismatches: list[int] = []
    docs = []
    with_text = 0
    for rec in records:
        t = tx.get(rec["doc_id"], rec)
        with_text += t is not None
        docs.append(_doc_payload(rec, t, arts.get(rec["doc_id"]), rec["doc_id"] in only_new, mismatches))
    types = sorted({f["t"] for d in docs for f in d["facts"] + d.get("removed", []) if f.get("t")},
                   key=lambda t: (list(TYPE_COLORS).index(t) if t in TYPE_COLORS else 99, str(t)))
    meta = {
        "title": title,
        "version": _pkg_version,
        "n": len(docs),
        "withText": with_text,
        "diff": info or None,
        "diffMismatch": sum(mismatches),
    }
    data = {"meta": meta, "types": [[t, TYPE_COLORS.get(t, _OTHER_COLOR)] for t in types], "docs": docs}
    return (_TEMPLATE
            .replace("__TITLE__", html.escape(title))
            .replace("__DATA__", _json_for_script(data)))


def _load_diff(path: Path, records: list[dict], texts: Texts) -> Union[RunDiff, dict]:
    """``--diff``: a JSON diff (``extractor diff --json``) or the old run's JSONL."""
    from .jsonl import display_name, open_bytes
    with open_bytes(str(path)) as fh:
        raw = fh.read()
    try:
        obj = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        obj = None
    if isinstance(obj, dict) and obj.get("kind") == "extractor-run-diff":
        return obj
    if str(path) == "-":
        raise InputError("-", "--diff cannot be read from stdin; give a file")
    from .clikit import warn
    old = load_records(path, warn=warn)
    return diff_runs(old, records, texts, old_name=display_name(path), new_name="these records")


def review_cli(
    records: str = typer.Argument(..., help="JSONL records (- for stdin, .gz ok)."),
    diff: Optional[Path] = typer.Option(None, "--diff", help="The old run's JSONL, or `extractor diff --json` output."),
    output: Path = typer.Option(..., "-o", "--output", help="The HTML file to write (its folder must exist)."),
    texts: Optional[Path] = typer.Option(None, "--texts", help="Article texts: a folder of <doc_id>.txt or a JSONL with id/text."),
) -> None:
    """Write a self-contained HTML page to review a run in a browser.

    Example: extractor review out/seeds.jsonl --texts seeds -o out/review.html
    """
    from .clikit import output_path, warn
    from .jsonl import display_name
    out = output_path(output)
    recs = load_records(records, warn=warn)
    tx = load_texts(texts)
    if records != "-":
        tx.add_base_dir(Path(records).resolve().parent)
    d = _load_diff(diff, recs, tx) if diff is not None else None
    page = render_review(recs, tx, d, title=f"review: {Path(display_name(records)).name}")
    try:
        out.write_text(page, encoding="utf-8")
    except OSError as e:
        raise InputError(out, f"cannot write ({e.strerror or e})") from None
    typer.echo(f"wrote {out} ({len(recs)} articles)")


_TEMPLATE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>
:root { --fg:#1d2330; --mut:#667085; --line:#e4e7ec; --bg:#f6f7f9; --card:#fff; --fail:#d92d20; --warn:#dc6803; --add:#079455; --chg:#1570ef; --rm:#98a2b3; }
* { box-sizing: border-box; }
[hidden] { display:none !important; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif; color:var(--fg); background:var(--bg); }
header { position:sticky; top:0; z-index:5; background:#fff; border-bottom:1px solid var(--line); padding:10px 18px 8px; box-shadow:0 1px 3px rgba(16,24,40,.06); }
h1 { font-size:16px; margin:0 8px 0 0; display:inline-block; }
.stats { color:var(--mut); font-size:13px; display:inline; }
.bar { display:flex; flex-wrap:wrap; gap:8px; align-items:center; margin-top:8px; }
.bar label { font-size:12px; color:var(--mut); display:flex; align-items:center; gap:4px; }
.bar input[type=search], .bar input[type=text], .bar select { font:inherit; font-size:13px; padding:4px 7px; border:1px solid #d0d5dd; border-radius:6px; background:#fff; color:var(--fg); }
.bar input[type=search] { width:200px; } #f-driver { width:180px; }
button { font:inherit; font-size:13px; padding:3px 10px; border:1px solid #d0d5dd; border-radius:6px; background:#fff; cursor:pointer; }
button:disabled { opacity:.4; cursor:default; }
.pager { margin-left:auto; flex:none; display:flex; gap:6px; align-items:center; font-size:13px; color:var(--mut); }
.row2 { display:flex; align-items:center; gap:10px; margin-top:7px; }
.legend { display:flex; flex-wrap:wrap; gap:5px; }
.chip { display:inline-flex; align-items:center; gap:5px; font-size:11.5px; padding:1px 8px 1px 6px; border-radius:10px; background:var(--b); border:1px solid var(--c); color:var(--fg); cursor:pointer; white-space:nowrap; }
.chip::before { content:""; width:8px; height:8px; border-radius:2px; background:var(--c); }
.chip.on { background:var(--c); color:#fff; }
.chip.on::before { background:#fff; }
.note { background:#fffaeb; border:1px solid #fedf89; color:#93370d; padding:6px 10px; border-radius:6px; margin:10px 18px 0; font-size:13px; }
.note.info { background:#eff8ff; border-color:#b2ddff; color:#175cd3; }
main { padding:12px 18px 40px; }
.empty { color:var(--mut); padding:30px; text-align:center; }
.article { background:var(--card); border:1px solid var(--line); border-radius:10px; margin:0 0 14px; overflow:hidden; }
.ahead { padding:9px 14px; border-bottom:1px solid var(--line); display:flex; flex-wrap:wrap; gap:6px 12px; align-items:baseline; background:#fcfcfd; }
.ahead .id { font-weight:600; font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:13px; }
.ahead .ev { color:var(--fg); } .ahead .dates { color:var(--mut); font-size:12.5px; }
.badge { font-size:11px; font-weight:600; padding:1px 7px; border-radius:9px; background:#f2f4f7; color:#344054; white-space:nowrap; }
.badge.fail { background:#fee4e2; color:var(--fail); } .badge.warn { background:#fef0c7; color:var(--warn); }
.badge.add, .badge.new { background:#dcfae6; color:var(--add); } .badge.chg { background:#d1e9ff; color:var(--chg); }
.badge.rm { background:#f2f4f7; color:#475467; text-decoration:line-through; } .badge.err { background:var(--fail); color:#fff; }
.abody { display:flex; gap:0; align-items:stretch; }
.text { flex:1 1 56%; min-width:0; padding:12px 16px 16px; white-space:pre-wrap; overflow-wrap:anywhere; font-family:Georgia,"Times New Roman",serif; font-size:15px; line-height:calc(1.5em + var(--lv,1) * 5px); border-right:1px solid var(--line); }
.notext { flex:1 1 56%; padding:14px 16px; color:var(--mut); font-style:italic; border-right:1px solid var(--line); }
.side { flex:1 1 44%; min-width:0; padding:0 12px 12px; max-height:85vh; overflow-y:auto; }
@media (max-width: 900px) { .abody { flex-direction:column; } .side { max-height:none; } .text, .notext { border-right:none; border-bottom:1px solid var(--line); } }
.m { --l:0; padding-bottom:calc(1px + var(--l) * 5px); border-bottom:3px solid var(--c); background-color:var(--b); background-clip:content-box; cursor:pointer; }
.m.dim { border-bottom-color:#d0d5dd; background-color:transparent; }
.m.rmv { border-bottom-style:dashed; border-bottom-color:var(--rm); background-color:transparent; text-decoration:line-through #98a2b3; }
.m.hot { background-color:var(--c); color:#fff; }
.m.mf { outline:1.5px dashed var(--fail); outline-offset:1px; } .m.mw { outline:1.5px dashed var(--warn); outline-offset:1px; }
.mn { text-decoration:underline dotted #98a2b3; text-underline-offset:3px; }
.mn.hit { background:#fef7c3; box-shadow:0 0 0 1px #fde272; border-radius:2px; }
.hidementions .mn { text-decoration:none; }
sup.dm { font:700 10px/1 system-ui,sans-serif; padding:0 2px; border-radius:3px; color:#fff; margin-right:1px; vertical-align:top; }
sup.dm.add { background:var(--add); } sup.dm.chg { background:var(--chg); } sup.dm.rm { background:var(--rm); }
table.facts { border-collapse:collapse; width:100%; font-size:12.5px; }
table.facts th { position:sticky; top:0; background:#fff; padding-top:8px !important; text-align:left; font-weight:600; color:var(--mut); font-size:11px; text-transform:uppercase; letter-spacing:.03em; padding:3px 5px; border-bottom:1px solid var(--line); }
table.facts td { padding:3px 5px; border-bottom:1px solid #f2f4f7; vertical-align:top; }
tr.fr:hover, tr.fr.hot { background:#f9fafb; }
tr.fr.flash { animation:flash 1.2s ease-out; }
@keyframes flash { from { background:#fef7c3; } to { background:transparent; } }
tr.fr.removed td { color:#98a2b3; } tr.fr.removed td.val, tr.fr.removed .who { text-decoration:line-through; }
tr.fr.other td { opacity:.55; }
td.idx { color:var(--mut); font-variant-numeric:tabular-nums; width:1%; white-space:nowrap; }
td.fact { min-width:140px; } td.fact .who { white-space:normal; }
td.val { font-variant-numeric:tabular-nums; white-space:nowrap; font-weight:600; }
td.src { overflow-wrap:anywhere; } td.src .x { color:#475467; font-family:Georgia,serif; }
.tchip { display:inline-block; margin-right:2px; font-size:11px; padding:0 6px; border-radius:4px; background:var(--b); border-left:3px solid var(--c); white-space:nowrap; }
.ck { display:block; font-size:11.5px; margin-top:2px; }
.ck.fail { color:var(--fail); } .ck.warn { color:var(--warn); } .ck.bad { color:#7a2e0e; } .ck.was { color:var(--chg); } .ck.extra { color:var(--mut); }
.checks { margin-top:8px; font-size:12.5px; }
.checks .row { padding:2px 0; } .checks .fail b { color:var(--fail); } .checks .warn b { color:var(--warn); }
.checks .mut, .mut { color:var(--mut); }
.dnotes { margin:0; padding:6px 14px; background:#f5faff; border-bottom:1px solid var(--line); font-size:12.5px; color:#175cd3; list-style:none; }
.filtered { font-size:11.5px; color:var(--mut); margin:4px 0 0; }
.errbox { padding:8px 14px; background:#fef3f2; color:var(--fail); border-bottom:1px solid var(--line); font-size:13px; }
</style>
</head>
<body>
<header>
  <h1>__TITLE__</h1><span class="stats" id="stats"></span>
  <div class="bar">
    <label>search <input type="search" id="f-q" placeholder="doc id, track, words in text"></label>
    <label>driver <input type="text" id="f-driver" list="driver-list" placeholder="any driver" autocomplete="off"></label>
    <datalist id="driver-list"></datalist>
    <label>fact type <select id="f-type"><option value="">all types</option></select></label>
    <label>checks <select id="f-check">
      <option value="">any</option><option value="failwarn">failed or warned</option>
      <option value="fail">failed</option><option value="warn">warned</option><option value="error">record error</option>
    </select></label>
    <label id="l-diff" hidden>diff <select id="f-diff">
      <option value="">any</option><option value="any">changed or new</option>
      <option value="changed">changed</option><option value="new">new article</option>
    </select></label>
    <label><input type="checkbox" id="f-mentions" checked> driver mentions</label>
    <button id="f-clear" type="button">clear</button>
  </div>
  <div class="row2"><div class="legend" id="legend"></div>
    <div class="pager"><button id="p-prev" type="button">&#8249; prev</button><span id="p-info"></span><button id="p-next" type="button">next &#8250;</button></div>
  </div>
</header>
<div id="notes"></div>
<main id="list"></main>
<script id="data" type="application/json">__DATA__</script>
<script>
"use strict";
(function () {
const DATA = JSON.parse(document.getElementById("data").textContent);
const META = DATA.meta, DOCS = DATA.docs;
const COLOR = {}; for (const [t, c] of DATA.types) COLOR[t] = c;
const PAGE = 25;
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s == null ? "" : s).replace(/[&<>"']/g, (ch) => ({"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;","'":"&#39;"}[ch]));
const norm = (s) => (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]/g, "");
const col = (t) => COLOR[t] || "#888888";
const cvars = (t) => `--c:${col(t)};--b:${col(t)}2b`;
const UNIT = {lap_time:" s", gap:" s", margin_of_victory:" s", race_duration:" s", speed_mph:" mph", average_speed_mph:" mph"};
const fmtVal = (f) => (typeof f.v === "string" ? f.v : JSON.stringify(f.v)) + (UNIT[f.t] && typeof f.v === "number" ? UNIT[f.t] : "");

// ---- index
const allDrivers = new Map();
for (const d of DOCS) {
  const names = new Set();
  for (const [n] of d.drivers) { names.add(norm(n)); allDrivers.set(norm(n), n); }
  const all = d.facts.concat(d.removed || []);
  for (const f of all) { if (f.d) { names.add(norm(f.d)); if (!allDrivers.has(norm(f.d))) allDrivers.set(norm(f.d), f.d); } if (f.o) names.add(norm(f.o)); }
  d._names = Array.from(names);
  d._types = new Set(all.map((f) => f.t));
  d._fail = d.checks.filter((c) => c[1] === "fail").length;
  d._warn = d.checks.filter((c) => c[1] === "warn").length;
  d._hay = [d.id, d.ev.series, d.ev.track, d.ev.event_name, d.src].join(" ").toLowerCase();
  d._ltext = null;
}

const state = {q: "", driver: "", type: "", check: "", diff: "", page: 0, mentions: true};

function factOk(f) {
  if (state.type && f.t !== state.type) return false;
  if (state.driver) { const k = norm(state.driver); if (!(norm(f.d).includes(k) || norm(f.o).includes(k))) return false; }
  return true;
}
function docOk(d) {
  if (state.q) {
    const q = state.q.toLowerCase();
    if (!d._hay.includes(q)) {
      if (d.text == null) return false;
      if (d._ltext === null) d._ltext = d.text.toLowerCase();
      if (!d._ltext.includes(q)) return false;
    }
  }
  if (state.driver) { const k = norm(state.driver); if (k && !d._names.some((n) => n.includes(k))) return false; }
  if (state.type && !d._types.has(state.type)) return false;
  if (state.type && state.driver && !d.facts.concat(d.removed || []).some(factOk)) return false;
  if (state.check === "fail" && !d._fail) return false;
  if (state.check === "warn" && !d._warn) return false;
  if (state.check === "failwarn" && !(d._fail || d._warn)) return false;
  if (state.check === "error" && !d.err) return false;
  if (state.diff === "any" && !d.ds) return false;
  if ((state.diff === "changed" || state.diff === "new") && d.ds !== state.diff) return false;
  return true;
}

// ---- checks attached to facts
function checksByFact(d) {
  const m = new Map();
  for (const c of d.checks) {
    if (c[1] !== "fail" && c[1] !== "warn") continue;
    for (const i of c[3]) { if (!m.has(i)) m.set(i, []); m.get(i).push(c); }
  }
  return m;
}

// ---- the text with marks
function renderText(d, cbf) {
  const text = d.text, L = text.length;
  const marks = [];
  const add = (f, rm) => {
    const [s, e] = f.s;
    if (!(s >= 0 && e > s && e <= L)) return;
    if (rm && d.inp === "changed") return;   // old spans index another text
    const cs = cbf && !rm ? (cbf.get(f.i) || []) : [];
    marks.push({s, e, f, rm, ok: factOk(f), fail: cs.some((c) => c[1] === "fail"), warn: cs.some((c) => c[1] === "warn")});
  };
  d.facts.forEach((f) => add(f, false));
  (d.removed || []).forEach((f) => add(f, true));
  marks.sort((a, b) => a.s - b.s || (b.e - b.s) - (a.e - a.s));
  const ends = [];
  for (const m of marks) {
    let l = 0; while (l < ends.length && ends[l] > m.s) l++;
    m.l = l; ends[l] = m.e;
  }
  const k = norm(state.driver);
  const ments = [];
  if (state.mentions || k) for (const [name, ms] of d.drivers) {
    const hit = !!k && norm(name).includes(k);
    for (const [s, e] of ms) if (s >= 0 && e > s && e <= L) ments.push({s, e, name, hit});
  }
  const cuts = new Set([0, L]);
  for (const m of marks) { cuts.add(m.s); cuts.add(m.e); }
  for (const m of ments) { cuts.add(m.s); cuts.add(m.e); }
  const pts = Array.from(cuts).sort((a, b) => a - b);
  const out = [];
  for (let p = 0; p + 1 < pts.length; p++) {
    const a = pts[p], b = pts[p + 1];
    let h = esc(text.slice(a, b));
    const act = marks.filter((m) => m.s < b && m.e > a).sort((x, y) => y.l - x.l);
    if (act.length) {
      const tip = act.slice().sort((x, y) => x.l - y.l).map((m) => (m.rm ? "[removed] " : "") + label(m.f)).join("\n");
      act.forEach((m, n) => {
        const cls = ["m"];
        if (!m.ok) cls.push("dim");
        if (m.rm) cls.push("rmv");
        if (m.fail) cls.push("mf"); else if (m.warn) cls.push("mw");
        const key = (m.rm ? "r" : "f") + m.f.i;
        h = `<span class="${cls.join(" ")}" data-t="${esc(m.f.t)}" data-k="${key}" style="${cvars(m.f.t)};--l:${m.l}"${n === 0 ? ` title="${esc(tip)}"` : ""}>${h}</span>`;
      });
    }
    const mn = ments.find((m) => m.s < b && m.e > a);
    if (mn) h = `<span class="mn${mn.hit ? " hit" : ""}" title="${esc(mn.name)}">${h}</span>`;
    const starting = marks.filter((m) => m.s === a && (m.rm || m.f.df));
    for (const m of starting) {
      const kind = m.rm ? "rm" : (m.f.df === "changed" ? "chg" : "add");
      h = `<sup class="dm ${kind}" title="${m.rm ? "removed" : esc(m.f.df)}">${m.rm ? "\u2212" : (kind === "chg" ? "~" : "+")}</sup>` + h;
    }
    out.push(h);
  }
  const lv = ends.length;
  return `<div class="text" style="--lv:${Math.max(1, lv)}">${out.join("")}</div>`;
}

function label(f) {
  let who = f.d || "\u2013";
  if (f.o) who += " > " + f.o;
  return `${f.t}: ${who} = ${fmtVal(f)}${f.e ? " (" + f.e + ")" : ""}`;
}

function factRow(d, f, cbf) {
  const rm = f.df === "removed";
  const cls = ["fr"]; if (rm) cls.push("removed"); if (f.so) cls.push("other");
  let notes = "";
  if (f.df === "added") notes += ` <span class="badge add">added</span>`;
  if (f.df === "changed") notes += ` <span class="badge chg">changed</span>`;
  if (rm) notes += ` <span class="badge rm">removed</span>`;
  if (f.was) notes += `<span class="ck was">${esc(f.was)}</span>`;
  for (const c of (!rm && cbf.get(f.i)) || []) notes += `<span class="ck ${c[1]}" title="${esc(c[2])}">${c[1] === "fail" ? "\u2717" : "!"} ${esc(c[0])}: ${esc(c[2])}</span>`;
  if (f.bad) notes += `<span class="ck bad">\u26a0 ${esc(f.bad)}</span>`;
  if (f.e) notes += `<span class="ck extra">${esc(f.e)}</span>`;
  let who = esc(f.d || "\u2013");
  if (f.o) who += ` <span class="mut">&gt;</span> ${esc(f.o)}`;
  return `<tr class="${cls.join(" ")}" data-k="${rm ? "r" : "f"}${f.i}" data-type="${esc(f.t)}" data-driver="${esc(f.d || "")}">` +
    `<td class="idx">${rm ? "old " : ""}${f.i}</td>` +
    `<td class="fact"><span class="tchip" style="${cvars(f.t)}">${esc(f.t)}</span> <span class="who">${who}</span></td>` +
    `<td class="val">${esc(fmtVal(f))}</td>` +
    `<td class="src"><span class="x" title="span ${esc(f.s.join("\u2013"))}">\u201c${esc(f.x)}\u201d</span>${notes}</td></tr>`;
}

function renderDoc(d) {
  const cbf = checksByFact(d);
  const ev = d.ev;
  const evs = [ev.series, ev.track, ev.event_name].filter(Boolean).map(esc).join(" \u00b7 ");
  const dates = [["published", ev.published], ["qualifying", ev.qualifying_date], ["race", ev.race_date]]
    .filter((x) => x[1]).map((x) => `${x[0]} ${esc(x[1])}`).join(", ");
  let badges = `<span class="badge">${d.facts.length} facts</span><span class="badge">${d.drivers.length} drivers</span>`;
  if (d._fail) badges += `<span class="badge fail">\u2717 ${d._fail} failed</span>`;
  if (d._warn) badges += `<span class="badge warn">! ${d._warn} warned</span>`;
  if (d.ds === "new") badges += `<span class="badge new">new article</span>`;
  if (d.ds === "changed") badges += `<span class="badge chg">changed</span>`;
  if (d.err) badges += `<span class="badge err">error</span>`;
  let h = `<section class="article" data-doc="${esc(d.id)}"><div class="ahead"><span class="id">${esc(d.id)}</span>` +
    `<span class="ev">${evs || '<span class="mut">no event fields</span>'}</span><span class="dates">${dates}</span>${badges}</div>`;
  if (d.err) h += `<div class="errbox">${esc(d.err)}</div>`;
  if (d.dn) h += `<ul class="dnotes">${d.dn.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>`;
  h += `<div class="abody">`;
  h += d.text != null ? renderText(d, cbf)
    : `<div class="notext">Source text not available${d.src ? " (" + esc(d.src) + " is not readable)" : ""} \u2014 pass <code>--texts</code> to see the spans in context. Each fact shows its own text.</div>`;
  const all = d.facts.concat(d.removed || []);
  const shown = all.filter(factOk);
  h += `<div class="side"><table class="facts"><thead><tr><th>#</th><th>fact</th><th>value</th><th>text &amp; notes</th></tr></thead><tbody>`;
  h += shown.map((f) => factRow(d, f, cbf)).join("");
  h += `</tbody></table>`;
  if (shown.length < all.length) h += `<p class="filtered">${shown.length} of ${all.length} facts shown (filtered)</p>`;
  const bad = d.checks.filter((c) => c[1] === "fail" || c[1] === "warn");
  const pass = d.checks.filter((c) => c[1] === "pass").length, skip = d.checks.filter((c) => c[1] === "skipped").length;
  if (d.checks.length) {
    h += `<div class="checks">`;
    for (const c of bad) h += `<div class="row ${c[1]}"><b>${c[1] === "fail" ? "\u2717" : "!"} ${esc(c[0])}</b> ${esc(c[2])} <span class="mut">facts ${esc(c[3].join(", ") || "\u2013")}</span></div>`;
    h += `<div class="row mut">${pass} passed${skip ? ", " + skip + " skipped" : ""}</div></div>`;
  }
  h += `</div></div></section>`;
  return h;
}

// ---- page
let current = [];
function render() {
  current = DOCS.filter(docOk);
  const pages = Math.max(1, Math.ceil(current.length / PAGE));
  if (state.page >= pages) state.page = pages - 1;
  const slice = current.slice(state.page * PAGE, (state.page + 1) * PAGE);
  const list = $("list");
  list.classList.toggle("hidementions", !state.mentions);
  list.innerHTML = slice.length ? slice.map(renderDoc).join("") : `<div class="empty">No article matches the filters.</div>`;
  $("p-info").textContent = current.length ? `${state.page * PAGE + 1}\u2013${state.page * PAGE + slice.length} of ${current.length}` : "0 of 0";
  $("p-prev").disabled = state.page === 0;
  $("p-next").disabled = state.page >= pages - 1;
  for (const el of document.querySelectorAll(".chip")) el.classList.toggle("on", el.dataset.type === state.type);
  window.scrollTo(0, 0);
}

function init() {
  const nf = DOCS.reduce((a, d) => a + d.facts.length, 0);
  const nfail = DOCS.reduce((a, d) => a + d._fail, 0), nwarn = DOCS.reduce((a, d) => a + d._warn, 0);
  $("stats").textContent = `${DOCS.length} articles \u00b7 ${nf} facts \u00b7 ${nfail} failed / ${nwarn} warned checks \u00b7 extractor ${META.version}`;
  const sel = $("f-type");
  const counts = {};
  for (const d of DOCS) for (const f of d.facts) counts[f.t] = (counts[f.t] || 0) + 1;
  for (const [t] of DATA.types) {
    const o = document.createElement("option"); o.value = t; o.textContent = `${t} (${counts[t] || 0})`; sel.appendChild(o);
    const c = document.createElement("span"); c.className = "chip"; c.dataset.type = t; c.style.cssText = cvars(t); c.textContent = t;
    c.title = "show only " + t; c.addEventListener("click", () => { state.type = state.type === t ? "" : t; sel.value = state.type; state.page = 0; render(); });
    $("legend").appendChild(c);
  }
  const dl = $("driver-list");
  for (const n of Array.from(allDrivers.values()).sort()) { const o = document.createElement("option"); o.value = n; dl.appendChild(o); }
  const notes = [];
  if (META.withText < DOCS.length) notes.push(["", META.withText === 0
    ? "No article texts were given (--texts) or readable from the records' source paths: facts are listed with their own text only."
    : `${DOCS.length - META.withText} of ${DOCS.length} articles have no readable text: those show the facts table only.`]);
  if (META.diff) {
    $("l-diff").hidden = false;
    const c = META.diff.counts || {};
    let s = `Diff against ${META.diff.old || "the old run"}: ${c.changed || 0} changed, ${c.only_new || 0} new, ${c.only_old || 0} only in the old run, ${c.identical || 0} identical. ${META.diff.message || ""}`;
    if (META.diff.only_old && META.diff.only_old.length) s += ` Only in the old run: ${META.diff.only_old.slice(0, 20).join(", ")}${META.diff.only_old.length > 20 ? ", \u2026" : ""}.`;
    notes.push(["info", s]);
    if (META.diffMismatch) notes.push(["", `${META.diffMismatch} diff entries do not match these records' facts and are not marked.`]);
  }
  $("notes").innerHTML = notes.map(([k, s]) => `<div class="note ${k}">${esc(s)}</div>`).join("");

  let timer = null;
  const later = () => { clearTimeout(timer); timer = setTimeout(() => { state.page = 0; render(); }, 150); };
  $("f-q").addEventListener("input", (e) => { state.q = e.target.value.trim(); later(); });
  $("f-driver").addEventListener("input", (e) => { state.driver = e.target.value.trim(); later(); });
  sel.addEventListener("change", (e) => { state.type = e.target.value; state.page = 0; render(); });
  $("f-check").addEventListener("change", (e) => { state.check = e.target.value; state.page = 0; render(); });
  $("f-diff").addEventListener("change", (e) => { state.diff = e.target.value; state.page = 0; render(); });
  $("f-mentions").addEventListener("change", (e) => { state.mentions = e.target.checked; render(); });
  $("f-clear").addEventListener("click", () => {
    Object.assign(state, {q: "", driver: "", type: "", check: "", diff: "", page: 0});
    for (const id of ["f-q", "f-driver", "f-type", "f-check", "f-diff"]) $(id).value = "";
    render();
  });
  $("p-prev").addEventListener("click", () => { state.page--; render(); });
  $("p-next").addEventListener("click", () => { state.page++; render(); });

  // fact row <-> marks
  const list = $("list");
  const hot = (art, key, on) => { for (const el of art.querySelectorAll(`[data-k="${key}"]`)) el.classList.toggle("hot", on); };
  list.addEventListener("mouseover", (e) => { const r = e.target.closest("tr.fr"); if (r) hot(r.closest(".article"), r.dataset.k, true); });
  list.addEventListener("mouseout", (e) => { const r = e.target.closest("tr.fr"); if (r) hot(r.closest(".article"), r.dataset.k, false); });
  list.addEventListener("click", (e) => {
    const m = e.target.closest(".m");
    if (m) {
      const row = m.closest(".article").querySelector(`tr.fr[data-k="${m.dataset.k}"]`);
      if (row) { row.scrollIntoView({block: "nearest"}); row.classList.remove("flash"); void row.offsetWidth; row.classList.add("flash"); }
      return;
    }
    const r = e.target.closest("tr.fr");
    if (r) { const mk = r.closest(".article").querySelector(`.m[data-k="${r.dataset.k}"]`); if (mk) mk.scrollIntoView({block: "nearest"}); }
  });
  render();
  document.body.dataset.ready = "1";
}
init();
})();
</script>
</body>
</html>
"""
