"""Re-run the checks over existing records and sum them up."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Optional

from pydantic import ValidationError

from ..models import Check, Record
from . import CHECKS, default_reference, run_checks

if TYPE_CHECKING:
    from ..reference import Reference

STATUSES = ("pass", "fail", "warn", "skipped")


@dataclass
class RecordVerdict:
    doc_id: str
    failed: list[Check] = field(default_factory=list)
    warned: list[Check] = field(default_factory=list)
    stale: bool = False  # the record's stored checks differ from this run's

    def as_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "failed": [c.model_dump() for c in self.failed],
            "warned": [c.model_dump() for c in self.warned],
            "stale": self.stale,
        }


@dataclass
class CheckReport:
    # check name -> {"pass": n, "fail": n, "warn": n, "skipped": n} (counts of entries)
    summary: dict[str, dict[str, int]] = field(default_factory=dict)
    # check name -> number of records with at least one fail
    records_failing: dict[str, int] = field(default_factory=dict)
    records: int = 0
    checked: int = 0
    errored: list[str] = field(default_factory=list)            # records carrying an `error`
    invalid: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    failing: list[RecordVerdict] = field(default_factory=list)
    warning: list[RecordVerdict] = field(default_factory=list)
    stale: int = 0

    @property
    def any_failed(self) -> bool:
        return bool(self.failing)

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "checked": self.checked,
            "errored": list(self.errored),
            "invalid": [{"record": w, "message": m} for w, m in self.invalid],
            "stale": self.stale,
            "summary": {
                name: {**counts, "records_failing": self.records_failing.get(name, 0)}
                for name, counts in self.summary.items()
            },
            "failing": [v.as_dict() for v in self.failing],
            "warning": [v.as_dict() for v in self.warning],
        }


def _key(c: Check) -> tuple:
    return (c.name, c.status, c.message, tuple(c.facts))


def check_records(
    records: Iterable[dict],
    reference: Optional["Reference"] = None,
    *,
    use_default_reference: bool = True,
) -> CheckReport:
    """Parse each dict as a Record, run every check, count the verdicts."""
    if reference is None and use_default_reference:
        reference = default_reference()
    rep = CheckReport(summary={name: dict.fromkeys(STATUSES, 0) for name in CHECKS})
    for n, raw in enumerate(records, 1):
        rep.records += 1
        where = str(raw.get("doc_id") or f"#{n}") if isinstance(raw, dict) else f"#{n}"
        try:
            record = Record.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": str(exc)}
            loc = ".".join(str(x) for x in first.get("loc", ()))
            rep.invalid.append((where, f"not a record: {loc}: {first.get('msg')}"))
            continue
        if record.error is not None:
            rep.errored.append(record.doc_id)
            continue
        rep.checked += 1
        checks = run_checks(record, reference, use_default_reference=False)
        verdict = RecordVerdict(doc_id=record.doc_id)
        failed_names = set()
        for c in checks:
            rep.summary.setdefault(c.name, dict.fromkeys(STATUSES, 0))[c.status] += 1
            if c.status == "fail":
                verdict.failed.append(c)
                failed_names.add(c.name)
            elif c.status == "warn":
                verdict.warned.append(c)
        for name in failed_names:
            rep.records_failing[name] = rep.records_failing.get(name, 0) + 1
        if record.checks and [_key(c) for c in record.checks] != [_key(c) for c in checks]:
            verdict.stale = True
            rep.stale += 1
        if verdict.failed:
            rep.failing.append(verdict)
        elif verdict.warned:
            rep.warning.append(verdict)
    return rep


def format_summary(report: CheckReport, *, warnings: bool = False) -> str:
    """A table of verdicts per check, then the failing records."""
    lines = []
    w = max([len(n) for n in report.summary] + [5])
    lines.append(f"{'check':<{w}}  {'pass':>6} {'fail':>6} {'warn':>6} {'skipped':>8}  records failing")
    for name, c in report.summary.items():
        lines.append(
            f"{name:<{w}}  {c['pass']:>6} {c['fail']:>6} {c['warn']:>6} {c['skipped']:>8}  "
            f"{report.records_failing.get(name, 0)}"
        )
    lines.append("")
    tail = (
        f"{report.records} record(s): {report.checked} checked, {len(report.failing)} with failures, "
        f"{len(report.warning)} with warnings only"
    )
    if report.errored:
        tail += f", {len(report.errored)} with an extraction error"
    if report.invalid:
        tail += f", {len(report.invalid)} invalid"
    if report.stale:
        tail += f"; {report.stale} carry stored checks that differ from this run"
    lines.append(tail)
    for where, why in report.invalid:
        lines.append(f"invalid {where}: {why}")
    if report.failing:
        lines.append("")
        lines.append("Failing records:")
        for v in report.failing:
            lines.append(f"  {v.doc_id}")
            for c in v.failed:
                lines.append(f"    FAIL {c.name}: {c.message}" + (f" [facts {', '.join(map(str, c.facts))}]" if c.facts else ""))
            if warnings:
                for c in v.warned:
                    lines.append(f"    warn {c.name}: {c.message}")
    if warnings and report.warning:
        lines.append("")
        lines.append("Records with warnings:")
        for v in report.warning:
            lines.append(f"  {v.doc_id}")
            for c in v.warned:
                lines.append(f"    warn {c.name}: {c.message}" + (f" [facts {', '.join(map(str, c.facts))}]" if c.facts else ""))
    return "\n".join(lines)
