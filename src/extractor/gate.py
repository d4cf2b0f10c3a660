"""Quality gate: scores from ``evaluate`` against pinned floors.

The baseline (``quality/baseline.json``) holds one floor per metric -- F1 per
fact type, overall facts F1, drivers F1, the accuracy of each event field --
and a sha256 over the gold corpus (file names and bytes, sorted by name), so
that floors pinned on one corpus are never silently applied to another.

``gate_check`` fails when a score is below its floor by more than ``noise``,
when a floored metric is missing from the result, or when the corpus hash
differs from the pinned one. ``pin`` writes the current scores as the new
floors and refuses to lower any floor unless asked to.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import typer

from .evaluate import evaluate, load_gold, load_predictions
from .jsonl import UserError

BASELINE_VERSION = 1
DEFAULT_NOISE = 0.01
DEFAULT_BASELINE = Path("quality/baseline.json")


def corpus_hash(gold_dir: Path) -> str:
    """sha256 over the gold files (``*.json``), sorted by name: name, NUL, size, NUL, bytes."""
    h = hashlib.sha256()
    files = sorted(p for p in Path(gold_dir).glob("*.json") if p.is_file())
    for p in files:
        data = p.read_bytes()
        h.update(p.name.encode("utf-8") + b"\0" + str(len(data)).encode() + b"\0")
        h.update(data)
    return h.hexdigest()


def metrics(result: dict) -> dict[str, float]:
    """The gated metrics of an ``evaluate`` result, by name. A fact type with
    no gold facts (only spurious predictions) has no F1 of its own to gate: it
    counts in the overall F1."""
    out: dict[str, float] = {}
    facts = result.get("facts", {})
    if "overall" in facts:
        out["facts.overall.f1"] = float(facts["overall"]["f1"])
    for t, d in sorted(facts.get("by_type", {}).items()):
        if d.get("tp", 0) + d.get("fn", 0) == 0:
            continue
        out[f"facts.{t}.f1"] = float(d["f1"])
    if "drivers" in result:
        out["drivers.f1"] = float(result["drivers"]["f1"])
    for f, d in sorted(result.get("event", {}).items()):
        out[f"event.{f}.accuracy"] = float(d["accuracy"])
    return out


@dataclass
class GateRow:
    metric: str
    score: Optional[float]
    floor: Optional[float]
    status: str        # "ok" | "FAIL" | "new" (no floor yet; not gated)

    @property
    def delta(self) -> Optional[float]:
        if self.score is None or self.floor is None:
            return None
        return self.score - self.floor


@dataclass
class GateResult:
    rows: list[GateRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)   # failures not tied to one metric
    noise: float = DEFAULT_NOISE

    @property
    def failures(self) -> list[GateRow]:
        return [r for r in self.rows if r.status == "FAIL"]

    @property
    def passed(self) -> bool:
        return not self.problems and not self.failures

    def __bool__(self) -> bool:
        return self.passed

    def format(self) -> str:
        lines = [f"{'metric':<32}{'score':>8}{'floor':>8}{'delta':>9}  status"]
        for r in self.rows:
            sc = f"{r.score:.4f}" if r.score is not None else "-"
            fl = f"{r.floor:.4f}" if r.floor is not None else "-"
            de = f"{r.delta:+.4f}" if r.delta is not None else ""
            lines.append(f"{r.metric:<32}{sc:>8}{fl:>8}{de:>9}  {r.status}")
        for p in self.problems:
            lines.append(f"FAIL: {p}")
        fails = self.failures
        if self.passed:
            lines.append(f"gate passed ({len(self.rows)} metrics, noise {self.noise})")
        else:
            names = ", ".join(r.metric for r in fails)
            what = [f"{len(fails)} metric(s) below floor by more than {self.noise}: {names}"] if fails else []
            probs = [self.problems[0]] if len(self.problems) == 1 and not fails else (
                [f"{len(self.problems)} problem(s) listed above"] if self.problems else [])
            lines.append("gate FAILED: " + "; ".join(what + probs))
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {"passed": self.passed, "noise": self.noise, "problems": self.problems,
                "rows": [{"metric": r.metric, "score": r.score, "floor": r.floor, "status": r.status}
                         for r in self.rows]}


def gate_check(result: dict, baseline: dict, noise: float = DEFAULT_NOISE,
               corpus_sha256: Optional[str] = None) -> GateResult:
    """Compare an ``evaluate`` result with the baseline's floors.

    The corpus hash is taken from ``corpus_sha256`` or ``result["corpus_sha256"]``;
    when known and different from the baseline's, the gate fails (re-pin).
    """
    gr = GateResult(noise=noise)
    floors: dict[str, float] = baseline.get("floors", {})
    scores = metrics(result)
    got_hash = corpus_sha256 or result.get("corpus_sha256")
    want_hash = baseline.get("corpus_sha256")
    if got_hash and want_hash and got_hash != want_hash:
        gr.problems.append(
            f"the gold corpus changed (sha256 {got_hash[:12]} != pinned {want_hash[:12]}): "
            "the floors were pinned on other gold files; re-pin with `extractor pin` "
            "(add --allow-lower if scores legitimately drop)")
    elif got_hash and not want_hash:
        gr.problems.append("the baseline has no corpus_sha256; re-pin with `extractor pin`")
    for m in sorted(set(floors) | set(scores), key=_metric_order):
        sc, fl = scores.get(m), floors.get(m)
        if fl is None:
            gr.rows.append(GateRow(m, sc, None, "new"))
        elif sc is None:
            gr.rows.append(GateRow(m, None, float(fl), "FAIL"))
        else:
            gr.rows.append(GateRow(m, sc, float(fl), "FAIL" if sc < float(fl) - noise - 1e-9 else "ok"))
    missing = [r.metric for r in gr.rows if r.status == "FAIL" and r.score is None]
    if missing:
        gr.problems.append(f"metric(s) with a floor missing from the result: {', '.join(missing)}")
    return gr


def _metric_order(m: str) -> tuple:
    group = {"facts.overall.f1": 0, "drivers.f1": 1}.get(m)
    if group is not None:
        return (group, m)
    return (2 if m.startswith("facts.") else 3, m)


class PinRefused(Exception):
    pass


def pin(result: dict, corpus_sha256: str, baseline_path: Path, allow_lower: bool = False,
        gold: Optional[str] = None) -> dict:
    """Write the current scores as floors. Refuses (PinRefused) to lower or drop
    any existing floor unless ``allow_lower``. Returns the new baseline."""
    baseline_path = Path(baseline_path)
    old: dict = {}
    if baseline_path.exists():
        old = json.loads(baseline_path.read_text(encoding="utf-8"))
    old_floors: dict[str, float] = old.get("floors", {})
    new_floors = {m: round(v, 4) for m, v in sorted(metrics(result).items(), key=lambda kv: _metric_order(kv[0]))}
    lowered = [f"{m} {old_floors[m]:.4f} -> {new_floors[m]:.4f}" for m in old_floors
               if m in new_floors and new_floors[m] < float(old_floors[m])]
    dropped = [m for m in old_floors if m not in new_floors]
    if (lowered or dropped) and not allow_lower:
        parts = []
        if lowered:
            parts.append("would lower " + "; ".join(lowered))
        if dropped:
            parts.append("would drop " + ", ".join(dropped))
        raise PinRefused("refusing to pin: " + " and ".join(parts) + " (pass --allow-lower to accept)")
    base = {
        "version": BASELINE_VERSION,
        "corpus": gold if gold is not None else old.get("corpus"),
        "corpus_sha256": corpus_sha256,
        "articles": result.get("articles", old.get("articles")),
        "noise": old.get("noise", DEFAULT_NOISE),
        "floors": new_floors,
    }
    baseline_path.parent.mkdir(parents=True, exist_ok=True)
    baseline_path.write_text(json.dumps(base, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return base


def _load_baseline(path: Path) -> dict:
    try:
        base = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(path, "no baseline; create one with `extractor pin`") from None
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(path, f"cannot read the baseline ({e})") from None
    except json.JSONDecodeError as e:
        raise UserError(path, f"the baseline is not JSON ({e.msg} at line {e.lineno})") from None
    if not isinstance(base, dict) or not isinstance(base.get("floors", {}), dict):
        raise UserError(path, "not a baseline (expected an object with 'floors')")
    return base


def _score(predictions: str, gold: Path) -> tuple[dict, str]:
    from .clikit import warn
    preds = load_predictions(predictions, warn=warn)
    golds = load_gold(Path(gold))
    return evaluate(preds, golds), corpus_hash(Path(gold))


def gate_cli(
    predictions: str = typer.Argument(..., help="JSONL records of the gold articles (- for stdin, .gz ok)."),
    gold: Path = typer.Argument(..., help="Folder of gold <doc_id>.json files."),
    baseline: Path = typer.Option(DEFAULT_BASELINE, "--baseline", help="The pinned floors."),
) -> None:
    """Fail (exit 1) when a score drops below its pinned floor by more than the noise.

    Example: extractor gate out/dev.jsonl ../shared/corpus/dev/gold
    """
    base = _load_baseline(baseline)
    result, sha = _score(predictions, gold)
    gr = gate_check(result, base, noise=float(base.get("noise", DEFAULT_NOISE)), corpus_sha256=sha)
    typer.echo(gr.format())
    if result.get("missing_predictions"):
        typer.echo(f"note: {len(result['missing_predictions'])} gold article(s) have no prediction")
    raise typer.Exit(0 if gr.passed else 1)


def pin_cli(
    predictions: str = typer.Argument(..., help="JSONL records of the gold articles (- for stdin, .gz ok)."),
    gold: Path = typer.Argument(..., help="Folder of gold <doc_id>.json files."),
    baseline: Path = typer.Option(DEFAULT_BASELINE, "--baseline", help="The floors file to write."),
    allow_lower: bool = typer.Option(False, "--allow-lower", help="Accept floors lower than the pinned ones."),
) -> None:
    """Pin the current scores (and the gold corpus hash) as the floors.

    Example: extractor pin out/dev.jsonl ../shared/corpus/dev/gold
    """
    from .clikit import fail, output_path
    if Path(baseline).exists():
        _load_baseline(baseline)  # a broken baseline is an input error, not something to overwrite
    output_path(baseline)
    result, sha = _score(predictions, gold)
    try:
        base = pin(result, sha, baseline, allow_lower=allow_lower, gold=str(gold))
    except PinRefused as e:
        raise fail(baseline, str(e), code=1)
    except OSError as e:
        raise UserError(baseline, f"cannot write ({e.strerror or e})") from None
    typer.echo(f"pinned {len(base['floors'])} floors on corpus {sha[:12]} -> {baseline}")
