"""Selection: one consistent set of facts out of the candidates.

The validators' hard constraints become the constraints of a global choice:
- one start, one finish position, one car number, one laps-led figure, one
  make and one team per driver and session;
- one driver per start or finish position and session;
- one driver per car number.
Candidates are taken most confident first (ties: the earlier span, then the
rule id, so the choice is deterministic); a candidate that would break a
constraint with one already taken is dropped. When the loser was itself a
firm reading (confidence at least ``contradiction_floor`` in
patterns/selection.json) the text states both: the record's ``selection``
check then fails, so a reviewer sees the contradiction; a weak loser warns. Nothing is dropped silently:
every loser is returned with the winner it lost to, and the record carries
them as a ``selection`` check.
Facts about other events (``scope: other``) take part in no constraint.
"""
from __future__ import annotations

from dataclasses import dataclass

from .models import Fact

PER_DRIVER = {"start_position", "finish_position", "car_number", "laps_led", "manufacturer", "team"}
PER_VALUE = {"start_position", "finish_position", "car_number"}


@dataclass
class Dropped:
    fact: Fact
    winner: Fact
    why: str

    contradiction: bool = False


def _session(f: Fact) -> str:
    if f.type == "car_number":
        return ""  # one number per driver across the weekend's sessions
    return f.session or ""


def select(facts: list[Fact], contradiction_floor: float = 1.0) -> tuple[list[Fact], list[Dropped]]:
    order = sorted(range(len(facts)), key=lambda i: (-(facts[i].confidence or 0.0), facts[i].span[0],
                                                      facts[i].rule or "", i))
    by_driver: dict[tuple, Fact] = {}
    by_value: dict[tuple, Fact] = {}
    keep: set[int] = set()
    dropped: list[Dropped] = []
    for i in order:
        f = facts[i]
        if f.scope == "other" or f.driver is None:
            keep.add(i)
            continue
        dk = (f.type, f.driver, _session(f)) if f.type in PER_DRIVER else None
        vk = (f.type, str(f.value), _session(f)) if f.type in PER_VALUE else None
        if dk and dk in by_driver and by_driver[dk].value != f.value:
            dropped.append(Dropped(f, by_driver[dk], f"{f.driver} already has {f.type} {by_driver[dk].value}",
                                   (f.confidence or 0) >= contradiction_floor))
            continue
        if vk and vk in by_value and by_value[vk].driver != f.driver:
            dropped.append(Dropped(f, by_value[vk], f"{f.type} {f.value} already belongs to {by_value[vk].driver}",
                                   (f.confidence or 0) >= contradiction_floor))
            continue
        if dk:
            by_driver.setdefault(dk, f)
        if vk:
            by_value.setdefault(vk, f)
        keep.add(i)
    return [facts[i] for i in sorted(keep)], dropped


def selection_check(dropped: list[Dropped], facts: list[Fact]):
    """The record's account of what selection dropped (None when nothing was)."""
    from .models import Check
    if not dropped:
        return None
    index = {id(f): i for i, f in enumerate(facts)}
    status = "fail" if any(d.contradiction for d in dropped) else "warn"
    msg = "; ".join(f"dropped {d.fact.type} {d.fact.value!r} for {d.fact.driver} ({d.fact.rule}, "
                    f"{d.fact.text!r} at {d.fact.span[0]}): {d.why} ({d.winner.rule})" for d in dropped)
    return Check(name="selection", status=status, message=msg,
                 facts=sorted({index[id(d.winner)] for d in dropped if id(d.winner) in index}),
                 dropped=[{"type": d.fact.type, "driver": d.fact.driver, "value": d.fact.value,
                           "span": list(d.fact.span), "rule": d.fact.rule, "confidence": d.fact.confidence,
                           "contradiction": d.contradiction} for d in dropped])
