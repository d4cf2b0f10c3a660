"""Where the rules put what they find: candidate facts, each with its rule.

Every candidate names the rule that made it (an id defined in
``patterns/rules.jsonl``) and starts from that rule's confidence. The same
(type, driver, other, value) found twice is one candidate: the more
confident finding keeps its span and rule. Conflicting candidates are all
kept here; ``select.select`` decides among them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .models import Enumeration, Fact

INT_TYPES = {"start_position", "finish_position", "laps_led", "total_laps", "lead_changes", "leaders",
             "cautions", "entries"}


@dataclass(frozen=True)
class Rule:
    id: str
    types: tuple[str, ...]
    confidence: float
    description: str


def load_rules(rows) -> dict[str, Rule]:
    out = {}
    for r in rows:
        if r["id"] in out:
            raise ValueError(f"rules.jsonl: rule id {r['id']!r} defined twice")
        out[r["id"]] = Rule(r["id"], tuple(r["types"]), float(r["confidence"]), r.get("description", ""))
    return out


class UnknownRule(KeyError):
    pass


class FactSink:
    def __init__(self, text: str, rules: dict[str, Rule] | None = None) -> None:
        self.text = text
        self.rules = rules
        self.facts: list[Fact] = []
        self.enumerations: list[Enumeration] = []
        self._keys: dict[tuple, int] = {}

    def add(self, ftype: str, driver: str | None, value: Any, span: tuple[int, int], *, rule: str,
            confidence: float | None = None, **extra) -> int | None:
        if value is None:
            return None
        if self.rules is not None:
            r = self.rules.get(rule)
            if r is None or ftype not in r.types:
                raise UnknownRule(f"rule {rule!r} is not defined for {ftype} in patterns/rules.jsonl")
            if confidence is None:
                confidence = r.confidence
        if isinstance(value, float) and ftype in INT_TYPES:
            value = int(value)
        extra = {k: v for k, v in extra.items() if v is not None}
        key = (ftype, driver, extra.get("other"), value)
        if key in self._keys:
            i = self._keys[key]
            old = self.facts[i]
            if confidence is not None and (old.confidence or 0) < confidence:
                a, b = span
                self.facts[i] = old.model_copy(update={"rule": rule, "confidence": confidence, "span": (a, b),
                                                       "text": self.text[a:b]})
            return i
        a, b = span
        fact = Fact(type=ftype, driver=driver, value=value, span=(a, b), text=self.text[a:b], rule=rule,
                    confidence=confidence, **extra)
        self.facts.append(fact)
        self._keys[key] = len(self.facts) - 1
        return len(self.facts) - 1

    def has(self, ftype: str, driver: str | None = None) -> bool:
        return any(f.type == ftype and (driver is None or f.driver == driver) for f in self.facts)

    def value_of(self, ftype: str, driver: str) -> Any:
        for f in self.facts:
            if f.type == ftype and f.driver == driver:
                return f.value
        return None

    def holders(self, ftype: str, value: Any) -> list[str]:
        return [f.driver for f in self.facts if f.type == ftype and f.value == value and f.driver]

    def sorted(self) -> list[Fact]:
        return sorted(self.facts, key=lambda f: (f.span[0], f.span[1], f.type))
