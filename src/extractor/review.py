"""A self-contained HTML page for reviewing an extraction run.

Each article's text is shown with the extracted spans highlighted by fact type
(overlapping spans stack as separate underlines), the facts listed beside it,
failed and warned checks attached to the facts they concern, and -- with a
diff against another run -- added, changed and removed facts marked.

The page makes no network requests (all CSS and JS inline, a
Content-Security-Policy forbids anything else). Records are embedded as JSON
and rendered by page on demand, so a few thousand articles stay responsive;
filters: free text, driver, fact type, check status, diff status.

Records, diffs and texts are treated as hostile: every value reaches the page
as JSON in a data block (with ``<``, ``>``, ``&``, U+2028/2029 escaped) and is
escaped again by the page's script when it becomes markup; the CSP admits
only the page's own script and stylesheet (by sha256), so an injected
``<script>`` or ``onerror=`` would not run even if an escape were missed. The
page skeleton, script and stylesheet live in review_template.html,
review.js and review.css beside this module. Article texts are read only from
what ``--texts`` names: a record's ``source`` is followed only when it resolves
(symlinks included) inside the ``--texts`` folder.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Union

import typer

from . import __version__ as _pkg_version
from .diff import InputError, RunDiff, Texts, diff_runs, load_records, load_texts

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


# ---------------------------------------------------------------------------
# Texts: only from what the user named

class ConfinedTexts(Texts):
    """Article texts for the review page, read only from what ``--texts`` names.

    A mapping (a ``--texts`` JSONL or single ``.txt``) is used as is. With a
    folder, ``<doc_id>.txt`` and a record's ``source`` are read only when the
    path, fully resolved (``..`` and symlinks), lies inside the folder: a
    record cannot make the review read ``/etc/passwd`` or ``../../secret``.
    Without a folder no ``source`` is read at all.
    """

    def __init__(self, mapping: Optional[Mapping[str, str]] = None, folder: Optional[Path] = None):
        super().__init__(mapping, folder)
        self._root = Path(folder).resolve() if folder is not None else None

    @classmethod
    def of(cls, texts: Union[Texts, Mapping[str, str], Path, str, None]) -> "ConfinedTexts":
        if texts is None:
            return cls()
        if isinstance(texts, ConfinedTexts):
            return texts
        if isinstance(texts, Texts):    # keep what was given, drop its base dirs
            return cls(texts._mapping, texts._folder)
        if isinstance(texts, (str, Path)):
            return cls.of(load_texts(Path(texts)))
        return cls(texts)

    @property
    def folder(self) -> Optional[Path]:
        return self._root

    def inside(self, p: Path) -> Optional[Path]:
        """``p`` resolved, when it is a regular file inside the folder; else None."""
        if self._root is None:
            return None
        try:
            r = Path(p).resolve(strict=True)
            ok = r.is_relative_to(self._root) and r.is_file()
        except (OSError, RuntimeError, ValueError):     # missing, loop, NUL byte, name too long
            return None
        return r if ok else None

    def given_text(self, doc_id: str) -> Optional[str]:
        if doc_id in self._mapping:
            return self._mapping[doc_id]
        if self._root is not None and isinstance(doc_id, str):
            r = self.inside(self._root / f"{doc_id}.txt")
            if r is not None:
                return self._read(r)
        return None

    def source_text(self, record: Optional[dict]) -> Optional[str]:
        src = (record or {}).get("source")
        if self._root is None or not isinstance(src, str) or not src:
            return None
        # As given (relative to the working directory, where `extract` ran) or
        # relative to the folder; either way it must land inside the folder.
        for p in (Path(src), self._root / src):
            try:
                r = self.inside(p)
            except ValueError:
                r = None
            if r is not None:
                return self._read(r)
        return None


# ---------------------------------------------------------------------------
# The page data (hostile input: coerce shapes, never trust types)

def _str(x: Any) -> Optional[str]:
    """A label for the page: strings as they are, other JSON as JSON text."""
    if x is None or isinstance(x, str):
        return x
    return json.dumps(x, ensure_ascii=False, default=str)


def _dict(x: Any) -> dict:
    return x if isinstance(x, dict) else {}


def _list(x: Any) -> list:
    return x if isinstance(x, list) else []


def _int(x: Any, default: int = -1) -> int:
    return x if isinstance(x, int) and not isinstance(x, bool) else default


def _pair(x: Any) -> Optional[list[int]]:
    """[start, end] as ints, or None when x is not a pair of integers."""
    try:
        s, e = int(x[0]), int(x[1])
    except (TypeError, ValueError, IndexError, KeyError, OverflowError):
        return None
    return [s, e]


def _fact_payload(i: int, f: dict, text: Optional[str]) -> dict:
    f = _dict(f)
    s, e = _pair(f.get("span")) or [-1, -1]
    out: dict[str, Any] = {"i": i, "t": _str(f.get("type")), "d": _str(f.get("driver")), "v": f.get("value"),
                           "s": [s, e], "x": _str(f.get("text"))}
    if f.get("other"):
        out["o"] = _str(f["other"])
    extra = [f"{k}: {_str(f[k])}" for k in ("session", "round", "group", "scope") if f.get(k) is not None]
    if f.get("approximate"):
        extra.append("approximate")
    if f.get("kmh") is not None:
        extra.append(f"{_str(f['kmh'])} km/h")
    if f.get("rule"):
        # Which rule made the fact, and how sure selection was of it.
        conf = f.get("confidence")
        extra.append(f"rule {_str(f['rule'])}" + (f" ({conf:.2f})" if isinstance(conf, (int, float)) else ""))
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
    d = diff.as_dict() if isinstance(diff, RunDiff) else _dict(diff)
    info = {
        "message": _str(_dict(d.get("provenance")).get("message", "")),
        "counts": {k: _int(v, 0) for k, v in _dict(d.get("counts")).items()},
        "only_old": [_str(_dict(r).get("doc_id")) for r in _list(d.get("only_old"))],
        "old": _str(d.get("old")), "new": _str(d.get("new")),
    }
    arts = {a["doc_id"]: a for a in _list(d.get("articles"))
            if isinstance(a, dict) and isinstance(a.get("doc_id"), str)}
    only_new = {r.get("doc_id") for r in _list(d.get("only_new")) if isinstance(r, dict)}
    return info, arts, {k for k in only_new if isinstance(k, str)}


def _same_fact(a: dict, b: Any) -> bool:
    b = _dict(b)
    return (a.get("type"), a.get("driver"), a.get("value")) == (b.get("type"), b.get("driver"), b.get("value"))


def _js(x: Any) -> str:
    return json.dumps(x, ensure_ascii=False, default=str)


def _old_new(v: Any) -> tuple[Any, Any]:
    return (v[0], v[1]) if isinstance(v, (list, tuple)) and len(v) == 2 else (None, v)


def _diff_notes(dart: dict) -> list[str]:
    notes = []
    for k, v in _dict(dart.get("event")).items():
        o, n = _old_new(v)
        notes.append(f"event.{k}: {_js(o)} \u2192 {_js(n)}")
    drv = _dict(dart.get("drivers"))
    notes += [f"+ driver {_str(n)}" for n in _list(drv.get("added"))]
    notes += [f"\u2212 driver {_str(n)}" for n in _list(drv.get("removed"))]
    notes += [f"~ driver {_str(n)}: mentions changed" for n in _list(drv.get("mentions_changed"))]
    for c in _list(dart.get("checks")):
        c = _dict(c)
        name = _str(c.get("name"))
        if c.get("old_status") is None:
            notes.append(f"+ check {name} {_js(c.get('new_facts'))}: {_str(c.get('new_status'))}")
        elif c.get("new_status") is None:
            notes.append(f"\u2212 check {name} {_js(c.get('old_facts'))}: was {_str(c.get('old_status'))}")
        else:
            notes.append(f"~ check {name} {_js(c.get('new_facts'))}: "
                         f"{_str(c.get('old_status'))} \u2192 {_str(c.get('new_status'))}")
    for k, v in _dict(dart.get("other")).items():
        o, n = _old_new(v)
        s = f"{k}: {_js(o)} \u2192 {_js(n)}"
        notes.append(s if len(s) < 200 else s[:197] + "...")
    if dart.get("input") == "changed":
        notes.insert(0, "input text changed since the old run (removed facts are not placed in the text)")
    return notes


def _doc_payload(rec: dict, text: Optional[str], dart: Optional[dict], is_new: bool,
                 mismatches: list[int], src_why: str) -> dict:
    facts = [f for f in _list(rec.get("facts")) if isinstance(f, dict)]
    ev = _dict(rec.get("event"))
    doc: dict[str, Any] = {
        "id": _str(rec["doc_id"]),
        "src": _str(rec.get("source")),
        "text": text,
        "ev": {k: _str(ev.get(k)) for k in EVENT_KEYS},
        "drivers": [[_str(d.get("name")), [p for p in map(_pair, _list(d.get("mentions"))) if p]]
                    for d in _list(rec.get("drivers")) if isinstance(d, dict) and d.get("name")],
        "facts": [_fact_payload(i, f, text) for i, f in enumerate(facts)],
        "checks": [[_str(c.get("name")), _str(c.get("status")), _str(c.get("message")) or "",
                    [_int(i) for i in _list(c.get("facts")) if _int(i, -2) != -2]]
                   for c in _list(rec.get("checks")) if isinstance(c, dict)],
    }
    if text is None and doc["src"]:
        doc["srcWhy"] = src_why
    if rec.get("error"):
        err = rec["error"]
        doc["err"] = (f"{_str(err.get('kind', 'error'))}: {_str(err.get('message', ''))}"
                      if isinstance(err, dict) else _str(err))
    if is_new:
        doc["ds"] = "new"
        for f in doc["facts"]:
            f["df"] = "added"
    elif dart is not None:
        doc["ds"] = "changed"
        doc["inp"] = _str(dart.get("input", "unknown"))
        bad = 0
        fd = _dict(dart.get("facts"))
        for a in map(_dict, _list(fd.get("added"))):
            j = _int(a.get("index"))
            if 0 <= j < len(facts) and _same_fact(facts[j], a.get("fact")):
                doc["facts"][j]["df"] = "added"
            else:
                bad += 1
        for c in map(_dict, _list(fd.get("changed"))):
            j = _int(c.get("new_index"))
            if 0 <= j < len(facts) and _same_fact(facts[j], c.get("new")):
                old = _dict(c.get("old"))
                doc["facts"][j]["df"] = "changed"
                doc["facts"][j]["was"] = "; ".join(
                    f"{_str(k)} was {_js(old.get(k) if isinstance(k, str) else None)}"
                    for k in _list(c.get("fields")) if k != "text")
            else:
                bad += 1
        removed = []
        for r in map(_dict, _list(fd.get("removed"))):
            p = _fact_payload(_int(r.get("index")), r.get("fact"), text if dart.get("input") != "changed" else None)
            p["df"] = "removed"
            removed.append(p)
        if removed:
            doc["removed"] = removed
        notes = _diff_notes(dart)
        if notes:
            doc["dn"] = notes
        if bad:
            mismatches.append(bad)
    return doc


# ---------------------------------------------------------------------------
# The page

def _json_for_script(obj: Any) -> str:
    """JSON that cannot end (or comment out) the <script> data block it sits in."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str)
    return (s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


_PLACEHOLDER = re.compile(r"\{\{([a-z]+)\}\}")


@functools.lru_cache(maxsize=1)
def _assets() -> tuple[str, str, str]:
    """(template, script, stylesheet), shipped beside this module."""
    here = resources.files(__package__)
    tpl, js, css = (here.joinpath(n).read_text(encoding="utf-8")
                    for n in ("review_template.html", "review.js", "review.css"))
    # The CSP hashes cover exactly these texts, which must not end their own element.
    assert "</script" not in js.lower() and "</style" not in css.lower()
    return tpl, js, css


def _sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(script: str, style: str) -> str:
    """Nothing but the page's own script and stylesheet (no 'unsafe-inline'),
    no network, no forms, no base URL: data: images only."""
    return (f"default-src 'none'; script-src {_sha256_source(script)}; style-src {_sha256_source(style)}; "
            "img-src data:; base-uri 'none'; form-action 'none'")


def fill_template(template: str, values: Mapping[str, str]) -> str:
    """Put each ``{{name}}`` of the template in one pass: substituted text is
    never scanned again, so values holding ``{{data}}`` stay literal."""
    wanted = set(_PLACEHOLDER.findall(template))
    if wanted != set(values):
        raise ValueError(f"template placeholders {sorted(wanted)} do not match values {sorted(values)}")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def render_review(records: Iterable[dict], texts: Union[Texts, Mapping[str, str], Path, None],
                  diff: Union[RunDiff, dict, None] = None, title: str = "extraction review") -> str:
    """The review page as one HTML string (no external resources).

    ``texts``: a mapping doc_id -> text, a ``--texts`` path, or a Texts; a
    record's ``source`` is read only inside a texts folder (see ConfinedTexts).
    """
    tx = ConfinedTexts.of(texts)
    src_why = "is outside the --texts folder or missing" if tx.folder is not None else "is read only from a --texts folder"
    info, arts, only_new = _diff_index(diff)
    mismatches: list[int] = []
    docs = []
    with_text = 0
    for rec in records:
        doc_id = rec["doc_id"]
        if not isinstance(doc_id, str):         # load_records ensures it; a library caller may not
            doc_id = _str(doc_id)
        t = tx.get(doc_id, rec)
        with_text += t is not None
        docs.append(_doc_payload(rec, t, arts.get(doc_id), doc_id in only_new, mismatches, src_why))
    types = sorted({f["t"] for d in docs for f in d["facts"] + d.get("removed", []) if f.get("t")},
                   key=lambda t: (list(TYPE_COLORS).index(t) if t in TYPE_COLORS else 99, t))
    meta = {
        "title": title,
        "version": _pkg_version,
        "n": len(docs),
        "withText": with_text,
        "diff": info or None,
        "diffMismatch": sum(mismatches),
    }
    data = {"meta": meta, "types": [[t, TYPE_COLORS.get(t, _OTHER_COLOR)] for t in types], "docs": docs}
    template, script, style = _assets()
    return fill_template(template, {
        "csp": html.escape(content_security_policy(script, style), quote=False),   # no " in a CSP
        "title": html.escape(title, quote=True),
        "style": style,
        "script": script,
        "data": _json_for_script(data),
    })


def _load_diff(path: Path, records: list[dict], texts: Texts) -> Union[RunDiff, dict]:
    """``--diff``: a JSON diff (``extractor diff --json``) or the old run's JSONL."""
    from .jsonl import display_name, open_bytes
    with open_bytes(str(path)) as fh:
        raw = fh.read()
    try:
        obj = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
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
    texts: Optional[Path] = typer.Option(
        None, "--texts", help="Article texts: a folder of <doc_id>.txt (records' source paths are read only "
                              "inside it) or a JSONL with id/text."),
) -> None:
    """Write a self-contained HTML page to review a run in a browser.

    Example: extractor review out/seeds.jsonl --texts seeds -o out/review.html
    """
    from .clikit import output_path, warn
    from .jsonl import display_name
    out = output_path(output)
    recs = load_records(records, warn=warn)
    tx = ConfinedTexts.of(load_texts(texts))
    d = _load_diff(diff, recs, tx) if diff is not None else None
    page = render_review(recs, tx, d, title=f"review: {Path(display_name(records)).name}")
    try:
        out.write_text(page, encoding="utf-8")
    except OSError as e:
        raise InputError(out, f"cannot write ({e.strerror or e})") from None
    typer.echo(f"wrote {out} ({len(recs)} articles)")
