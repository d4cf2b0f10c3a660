"""Builders and a small stand-in reference for the check tests (no tests here).

``reference()`` is the project's real reference (``extractor.reference``)
when it loads, else ``FakeReference``: the tests only use tracks and drivers
both know (Charlotte, Nashville, Phoenix, Martinsville, Daytona, the L.A.
Coliseum; Logano No. 22, Blaney No. 12, Larson No. 5 in the 2024 Cup).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from extractor.models import DateMention, Enumeration, Event, Fact, Record, VenueMention
from extractor.checks import run_checks
from extractor.checks.registry import norm_name


# ---------------------------------------------------------------- fakes
@dataclass
class FakeTrack:
    name: str
    kind: str
    lengths: list[float]
    aliases: tuple[str, ...] = ()
    layouts: list = field(default_factory=list)

    def lengths_for(self, season):
        return list(self.lengths)


class FakeTracks:
    def __init__(self, tracks):
        self._by = {}
        for t in tracks:
            for n in (t.name, *t.aliases):
                self._by[norm_name(n)] = t

    def lookup(self, text):
        return self._by.get(norm_name(text))


@dataclass
class FakeDriver:
    name: str
    cars: dict  # (series, season) -> set of numbers

    def cars_in(self, series, season):
        return set(self.cars.get((series, season), set()))


class FakeRoster:
    def __init__(self, drivers):
        self._drivers = drivers

    def by_name(self, name):
        for d in self._drivers:
            if norm_name(d.name) == norm_name(name):
                return d
        return None

    def number_holders(self, car, series, season):
        return [d for d in self._drivers if car in d.cars_in(series, season)]


@dataclass
class FakeReference:
    tracks: FakeTracks
    roster: FakeRoster


def fake_reference() -> FakeReference:
    tracks = [
        FakeTrack("Charlotte Motor Speedway", "intermediate", [1.5], ("Charlotte",)),
        FakeTrack("Nashville Superspeedway", "intermediate", [1.333, 1.33], ("Nashville",)),
        FakeTrack("Phoenix Raceway", "short", [1.0, 1.022], ("Phoenix",)),
        FakeTrack("Martinsville Speedway", "short", [0.526], ("Martinsville",)),
        FakeTrack("Daytona International Speedway", "superspeedway", [2.5], ("Daytona",)),
        FakeTrack("Los Angeles Memorial Coliseum", "exhibition", [0.25], ("L.A. Coliseum",)),
        FakeTrack("Pocono Raceway", "intermediate", [2.5], ("Pocono",)),
    ]
    drivers = [
        FakeDriver("Joey Logano", {("Cup", 2024): {"22"}}),
        FakeDriver("Ryan Blaney", {("Cup", 2024): {"12"}}),
        FakeDriver("Kyle Larson", {("Cup", 2024): {"5"}}),
    ]
    return FakeReference(FakeTracks(tracks), FakeRoster(drivers))


@lru_cache(maxsize=1)
def reference():
    try:
        from extractor.reference import load_reference
    except ImportError:
        return fake_reference()
    return load_reference()


# ---------------------------------------------------------------- builders
def fact(type_, driver=None, value=None, *, text=None, at=0, **kw) -> Fact:
    text = text if text is not None else str(value)
    return Fact(type=type_, driver=driver, value=value, span=(at, at + len(text)), text=text, **kw)


def record(*facts, track="Charlotte Motor Speedway", series="Cup", season=2024, **event) -> Record:
    enumerations = event.pop("enumerations", [])
    return Record(
        doc_id="t",
        event=Event(track=track, series=series, season=season, **event),
        facts=list(facts),
        enumerations=enumerations,
    )


def run(rec: Record, name: str, ref="default"):
    """The verdicts of one check."""
    if ref == "default":
        ref = reference()
    return run_checks(rec, ref, use_default_reference=False, names=[name])


def statuses(checks) -> list[str]:
    return [c.status for c in checks]


__all__ = [
    "DateMention", "Enumeration", "VenueMention", "FakeReference", "fact", "record",
    "reference", "fake_reference", "run", "statuses",
]
