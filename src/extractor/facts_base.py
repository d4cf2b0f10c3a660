"""Where the rules put what they find: one list of facts, duplicates folded."""
from __future__ import annotations

from typing import Any

from .models import Enumeration, Fact


class FactSink:
    def __init__(self, text: str) -> None:
        self.text = text
        self.facts: list[Fact] = []
        self.enumerations: list[Enumeration] = []
        self._keys: dict[tuple, int] = {}

    def add(self, ftype: str, driver: str | None, value: Any, span: tuple[int, int], **extra) -> int | None:
        if value is None:
            return None
        if isinstance(value, float) and ftype in {"start_position", "finish_position", "laps_led", "total_laps",
                                                  "lead_changes", "leaders", "cautions", "entries"}:
            value = int(value)
        extra = {k: v for k, v in extra.items() if v is not None}
        key = (ftype, driver, extra.get("other"), value)
        if key in self._keys:
            return self._keys[key]
        a, b = span
        fact = Fact(type=ftype, driver=driver, value=value, span=(a, b), text=self.text[a:b], **extra)
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
