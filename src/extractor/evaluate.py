"""Scoring against gold, as the record contract (docs/record.md) describes it.

Facts are compared per article as sets of distinct (type, driver, other,
value) tuples after name normalisation; optional gold facts neither reward
nor punish; facts with ``scope: other`` are ignored.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from .jsonl import JsonlError, UserError, display_name, iter_records

from .reference import norm_name  # the scoring normalisation of RECORD.md

EVENT_FIELDS = ("series", "track", "event_name", "published", "qualifying_date", "race_date")



def _norm_value(ftype: str, value: Any) -> Any:
    if ftype == "car_number":
        return str(value)
    if ftype in ("manufacturer",):
        return norm_name(str(value))
    if ftype == "team":
        return norm_name(str(value))
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return round(float(value), 3)
    try:
        return round(float(value), 3)
    except (TypeError, ValueError):
        return norm_name(str(value))


def _key(fact: dict, value: Any) -> tuple:
    return (
        fact["type"],
        norm_name(fact.get("driver")),
        norm_name(fact.get("other")),
        _norm_value(fact["type"], value),
    )


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "tp": self.tp, "fp": self.fp, "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class DocScore:
    doc_id: str
    missed: list[tuple] = field(default_factory=list)
    spurious: list[tuple] = field(default_factory=list)
    drivers_missed: list[str] = field(default_factory=list)
    drivers_spurious: list[str] = field(default_factory=list)
    event_wrong: dict[str, tuple] = field(default_factory=dict)


def score_document(pred: dict, gold: dict, by_type: dict[str, PRF], drivers: PRF,
                   event: dict[str, list[int]]) -> DocScore:
    doc = DocScore(gold["doc_id"])
    # Gold: required keys (one alternative set per fact) and optional keys.
    required: list[tuple[str, set[tuple]]] = []
    optional: set[tuple] = set()
    seen_required: set[frozenset] = set()
    for f in gold.get("facts", []):
        values = f["value"] if isinstance(f["value"], list) else [f["value"]]
        keys = {_key(f, v) for v in values}
        if f.get("optional"):
            optional |= keys
            continue
        fk = frozenset(keys)
        if fk in seen_required:
            continue
        seen_required.add(fk)
        required.append((f["type"], keys))

    predicted: dict[tuple, str] = {}
    for f in pred.get("facts", []):
        if f.get("scope") == "other":
            continue
        k = _key(f, f.get("value"))
        predicted.setdefault(k, f["type"])

    matched_pred: set[tuple] = set()
    for ftype, keys in required:
        hit = next((k for k in sorted(keys, key=repr) if k in predicted and k not in matched_pred), None)
        if hit is not None:
            matched_pred.add(hit)
            by_type[ftype].tp += 1
        else:
            by_type[ftype].fn += 1
            doc.missed.append(sorted(keys, key=repr)[0])
    for k, ftype in predicted.items():
        if k in matched_pred or k in optional:
            continue
        by_type[ftype].fp += 1
        doc.spurious.append(k)

    gold_drivers = {norm_name(d): d for d in gold.get("drivers", [])}
    pred_drivers = {norm_name(d["name"] if isinstance(d, dict) else d): (d["name"] if isinstance(d, dict) else d)
                    for d in pred.get("drivers", [])}
    for k, name in gold_drivers.items():
        if k in pred_drivers:
            drivers.tp += 1
        else:
            drivers.fn += 1
            doc.drivers_missed.append(name)
    for k, name in pred_drivers.items():
        if k not in gold_drivers:
            drivers.fp += 1
            doc.drivers_spurious.append(name)

    gev = gold.get("event", {})
    pev = pred.get("event", {}) or {}
    for fld in EVENT_FIELDS:
        if fld not in gev:
            continue
        accepted = gev[fld]
        got = pev.get(fld)
        if isinstance(accepted, list):
            ok = got is not None and norm_name(got) in {norm_name(a) for a in accepted}
        elif accepted is None:
            ok = got is None
        else:
            ok = got is not None and norm_name(str(got)) == norm_name(str(accepted))
        event[fld][0] += int(ok)
        event[fld][1] += 1
        if not ok:
            doc.event_wrong[fld] = (got, accepted)
    return doc


def _shape_problem(rec: dict, gold: bool) -> str | None:
    """Why a record (or gold file) cannot be scored, or None."""
    facts = rec.get("facts", [])
    if not isinstance(facts, list):
        return "'facts' must be a list"
    for i, f in enumerate(facts):
        if not isinstance(f, dict):
            return f"fact {i} is not an object"
        if not isinstance(f.get("type"), str):
            return f"fact {i} has no type"
        if gold and "value" not in f:
            return f"fact {i} has no value"
    if not isinstance(rec.get("drivers", []), list):
        return "'drivers' must be a list"
    if rec.get("event") is not None and not isinstance(rec.get("event"), dict):
        return "'event' must be an object"
    return None


def load_predictions(path: Path | str, warn: Callable[[str], None] | None = None) -> dict[str, dict]:
    """Records by doc_id from a JSONL file (``-``, ``.gz`` ok). A repeated
    doc_id is warned about and only its first record is scored; a record that
    cannot be scored raises UserError naming the file and line."""
    name = display_name(path)
    out: dict[str, dict] = {}
    for n, rec in iter_records(path):
        doc_id = rec.get("doc_id")
        if not isinstance(doc_id, str) or not doc_id:
            raise JsonlError(name, n, "record has no doc_id")
        problem = _shape_problem(rec, gold=False)
        if problem:
            raise JsonlError(name, n, problem)
        if doc_id in out:
            if warn:
                warn(f"{name}: warning: line {n}: duplicate doc_id {doc_id!r}; only the first record is scored")
            continue
        out[doc_id] = rec
    return out


def load_gold(gold_dir: Path | str) -> dict[str, dict]:
    """Gold files (``<doc_id>.json``) of a folder; raises UserError on a bad one."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise UserError(gold_dir, "not a folder of gold files" if gold_dir.exists() else "no such folder")
    out = {}
    for p in sorted(gold_dir.glob("*.json")):
        try:
            g = json.loads(p.read_text(encoding="utf-8-sig"))
        except UnicodeDecodeError as e:
            raise UserError(p, f"not UTF-8 text (byte {e.start})") from None
        except json.JSONDecodeError as e:
            raise UserError(p, f"not JSON ({e.msg} at line {e.lineno} column {e.colno})") from None
        except OSError as e:
            raise UserError(p, f"cannot read ({e.strerror or e})") from None
        if not isinstance(g, dict):
            raise UserError(p, "expected a JSON object (a gold record)")
        problem = _shape_problem(g, gold=True)
        if problem:
            raise UserError(p, problem)
        out[g.get("doc_id", p.stem)] = g
    if not out:
        raise UserError(gold_dir, "no gold files (*.json) in this folder")
    return out


def evaluate(predictions: dict[str, dict] | Path, gold: dict[str, dict] | Path) -> dict:
    """Score predictions against gold. Returns a plain dict (see README)."""
    if isinstance(predictions, (Path, str)):
        predictions = load_predictions(predictions)
    if isinstance(gold, (Path, str)):
        gold = load_gold(gold)
    by_type: dict[str, PRF] = defaultdict(PRF)
    drivers = PRF()
    event: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    docs: list[DocScore] = []
    for doc_id, g in sorted(gold.items()):
        p = predictions.get(doc_id, {"doc_id": doc_id, "facts": [], "drivers": [], "event": {}})
        docs.append(score_document(p, g, by_type, drivers, event))
    overall = PRF(
        sum(v.tp for v in by_type.values()),
        sum(v.fp for v in by_type.values()),
        sum(v.fn for v in by_type.values()),
    )
    return {
        "articles": len(gold),
        "missing_predictions": sorted(set(gold) - set(predictions)),
        "facts": {
            "overall": overall.as_dict(),
            "by_type": {t: v.as_dict() for t, v in sorted(by_type.items())},
        },
        "drivers": drivers.as_dict(),
        "event": {
            f: {"correct": c, "total": n, "accuracy": round(c / n, 4) if n else 1.0}
            for f, (c, n) in sorted(event.items())
        },
        "documents": [
            {
                "doc_id": d.doc_id,
                "missed": [list(k) for k in d.missed],
                "spurious": [list(k) for k in d.spurious],
                "drivers_missed": d.drivers_missed,
                "drivers_spurious": d.drivers_spurious,
                "event_wrong": {k: list(v) for k, v in d.event_wrong.items()},
            }
            for d in docs
        ],
    }


def format_report(result: dict, show_errors: bool = False) -> str:
    lines = [f"articles: {result['articles']}"]
    lines.append(f"{'type':<20}{'P':>8}{'R':>8}{'F1':>8}{'tp':>6}{'fp':>6}{'fn':>6}")

    def row(name: str, d: dict) -> str:
        return (f"{name:<20}{d['precision']:>8.3f}{d['recall']:>8.3f}{d['f1']:>8.3f}"
                f"{d['tp']:>6}{d['fp']:>6}{d['fn']:>6}")

    for t, d in result["facts"]["by_type"].items():
        lines.append(row(t, d))
    lines.append(row("FACTS (all)", result["facts"]["overall"]))
    lines.append(row("DRIVERS", result["drivers"]))
    for f, d in result["event"].items():
        lines.append(f"event.{f:<14}{d['accuracy']:>8.3f}  ({d['correct']}/{d['total']})")
    if show_errors:
        for d in result["documents"]:
            if not (d["missed"] or d["spurious"] or d["drivers_missed"] or d["drivers_spurious"] or d["event_wrong"]):
                continue
            lines.append(f"\n== {d['doc_id']}")
            for k in d["missed"]:
                lines.append(f"  MISSED   {k}")
            for k in d["spurious"]:
                lines.append(f"  SPURIOUS {k}")
            for n in d["drivers_missed"]:
                lines.append(f"  DRIVER MISSED   {n}")
            for n in d["drivers_spurious"]:
                lines.append(f"  DRIVER SPURIOUS {n}")
            for f, (got, want) in d["event_wrong"].items():
                lines.append(f"  EVENT {f}: got {got!r}, want {want!r}")
    return "\n".join(lines)

