"""The check registry, the context every check reads, and small helpers.

A check is a function ``fn(ctx: CheckContext) -> Iterable[Outcome]``,
registered once with ``@register("name")``. It yields one outcome per thing
it looked at (a lap/speed pair, a date, a track length ...), each naming the
indices of the facts involved. A check that finds nothing it can look at
yields nothing, or one ``skip(reason)``; the runner turns "nothing" into a
single ``skipped`` entry, so every registered check shows up in every
record. Checks read the record and never change it.

Adding a check touches no other check: write the function in a family
module, decorate it, and make sure the module is imported by
``extractor.checks`` (the family modules are imported there in a fixed
order, which is the order of ``CHECKS`` and of a record's ``checks``).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Optional

from ..dates import iso_date
from ..models import Check, Fact, Record

if TYPE_CHECKING:  # the reference loader lands separately; only its API is used
    from ..reference import Reference, Track

PASS, FAIL, WARN, SKIPPED = "pass", "fail", "warn", "skipped"


@dataclass(frozen=True)
class Outcome:
    status: str
    message: str
    facts: tuple[int, ...] = ()


def ok(message: str, *facts: int) -> Outcome:
    return Outcome(PASS, message, tuple(sorted(set(facts))))


def fail(message: str, *facts: int) -> Outcome:
    return Outcome(FAIL, message, tuple(sorted(set(facts))))


def warn(message: str, *facts: int) -> Outcome:
    return Outcome(WARN, message, tuple(sorted(set(facts))))


def skip(message: str, *facts: int) -> Outcome:
    return Outcome(SKIPPED, message, tuple(sorted(set(facts))))


CheckFunc = Callable[["CheckContext"], Optional[Iterable[Outcome]]]


@dataclass(frozen=True)
class CheckSpec:
    name: str
    func: CheckFunc
    family: str
    description: str


CHECKS: dict[str, CheckSpec] = {}


def register(name: str | None = None) -> Callable[[CheckFunc], CheckFunc]:
    """Register a check under ``name`` (default: the function's name)."""

    def deco(func: CheckFunc) -> CheckFunc:
        cname = name or func.__name__
        spec = CheckSpec(
            name=cname,
            func=func,
            family=func.__module__.rsplit(".", 1)[-1],
            description=(func.__doc__ or "").strip().split("\n")[0],
        )
        old = CHECKS.get(cname)
        if old is not None and (old.func.__module__, old.func.__qualname__) != (
            func.__module__,
            func.__qualname__,
        ):
            raise ValueError(f"check {cname!r} is registered twice")
        CHECKS[cname] = spec
        return func

    return deco


# --------------------------------------------------------------------------
# helpers shared by the families


@lru_cache(maxsize=2048)  # the same few dozen names per article, asked for by every check
def norm_name(name: str | None) -> str:
    """Name key: accents gone, lowercased, letters and digits only."""
    if not name:
        return ""
    folded = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in folded.lower() if ch.isalnum())


_NUM = re.compile(r"\d*\.\d+|\d+")


def decimals_of(value: Any, text: str | None = None) -> int:
    """How many decimals the number was written with.

    The fact's ``text`` knows about trailing zeros ("29.800 s") that the float
    lost; it is used when one of its numbers is the value (or, for
    "1:17.719", the value's seconds part).
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        return 0
    r = repr(v)
    if "e" in r or "E" in r:
        d = 6
    else:
        d = len(r.split(".")[1].rstrip("0")) if "." in r else 0
    if text:
        for tok in _NUM.findall(text):
            if "." not in tok:
                continue
            t = float(tok)
            if abs(t - v) < 1e-9 or (v >= 60 and abs(t - (v % 60)) < 1e-6):
                d = max(d, len(tok.split(".")[1]))
    return d


def half_unit(value: Any, text: str | None = None) -> float:
    """Half of the last written digit: the rounding a published number carries."""
    return 0.5 * 10 ** -decimals_of(value, text)


def fmt(value: float, decimals: int = 3) -> str:
    return f"{value:.{decimals}f}"


def fmt_len(miles: float) -> str:
    return f"{miles:g}"


def num(fact: Fact) -> float | None:
    v = fact.value
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return float(v)
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def compatible(a: Fact, b: Fact) -> bool:
    """Same session / round / group wherever both facts say."""
    for attr in ("session", "round", "group"):
        x, y = getattr(a, attr), getattr(b, attr)
        if x is not None and y is not None and x != y:
            return False
    return True


def span_distance(a: Fact, b: Fact) -> int:
    (s1, e1), (s2, e2) = a.span, b.span
    if e1 <= s2:
        return s2 - e1
    if e2 <= s1:
        return s1 - e2
    return 0


def where(fact: Fact) -> str:
    """" in qualifying round 2 (group A)" - the fact's session, if any."""
    bits = []
    if fact.session:
        bits.append(fact.session)
    if fact.round is not None:
        bits.append(f"round {fact.round}")
    if fact.group:
        bits.append(f"group {fact.group}")
    return (" in " + " ".join(bits)) if bits else ""


@dataclass
class CheckContext:
    """What a check reads: the record, the reference data, derived helpers."""

    record: Record
    reference: Optional["Reference"] = None

    # -- facts ------------------------------------------------------------
    @cached_property
    def facts(self) -> list[tuple[int, Fact]]:
        """(index, fact) for the facts of this event (``scope: other`` left out)."""
        return [(i, f) for i, f in enumerate(self.record.facts) if f.scope != "other"]

    @cached_property
    def _by_type(self) -> dict[str, list[tuple[int, Fact]]]:
        out: dict[str, list[tuple[int, Fact]]] = {}
        for i, f in self.facts:
            out.setdefault(f.type, []).append((i, f))
        return out

    def of_type(self, *types: str) -> list[tuple[int, Fact]]:
        # From an index by type: every check scanning all facts of a long
        # article was quadratic. Several types come back in fact order.
        if len(types) == 1:
            return list(self._by_type.get(types[0], ()))
        return sorted((x for t in dict.fromkeys(types) for x in self._by_type.get(t, ())), key=lambda x: x[0])

    def numeric(self, *types: str, exact: bool = False) -> list[tuple[int, Fact, float]]:
        """(index, fact, value) for facts with a number; ``exact`` drops approximate ones."""
        out = []
        for i, f in self.of_type(*types):
            v = num(f)
            if v is None or (exact and f.approximate):
                continue
            out.append((i, f, v))
        return out

    def by_driver(self, *types: str, exact: bool = True) -> dict[str, list[tuple[int, Fact, float]]]:
        out: dict[str, list[tuple[int, Fact, float]]] = {}
        for i, f, v in self.numeric(*types, exact=exact):
            if f.driver:
                out.setdefault(norm_name(f.driver), []).append((i, f, v))
        return out

    def label(self, i: int) -> str:
        """"Kyle Larson's lap_time 29.906 (fact 3)"."""
        f = self.record.facts[i]
        who = f"{f.driver}'s " if f.driver else ""
        return f"{who}{f.type} {f.value!s} (fact {i})"

    # -- event ------------------------------------------------------------
    @cached_property
    def season(self) -> int | None:
        ev = self.record.event
        if ev.season:
            return ev.season
        for d in (ev.race_date, ev.qualifying_date, ev.published):
            if d and len(d) >= 4 and d[:4].isdigit():
                return int(d[:4])
        return None

    @cached_property
    def track(self) -> Optional["Track"]:
        name = self.record.event.track
        if not name or self.reference is None:
            return None
        try:
            return self.reference.tracks.lookup(name)
        except (KeyError, LookupError):
            return None

    def track_unknown_reason(self) -> str:
        if self.reference is None:
            return "no reference data loaded"
        if not self.record.event.track:
            return "the record names no track"
        return f"track {self.record.event.track!r} is not in the track table"

    @cached_property
    def lengths(self) -> list[float]:
        """Every accepted length (miles) of this event's track for its season."""
        t = self.track
        if t is None:
            return []
        try:
            raw = t.lengths_for(self.season)
        except (TypeError, ValueError, KeyError):
            raw = []
        out = sorted({float(x) for x in raw if x and float(x) > 0})
        return out

    @property
    def track_name(self) -> str:
        t = self.track
        return getattr(t, "name", None) or self.record.event.track or "?"

    def describe_track(self) -> str:
        """"Charlotte Motor Speedway (1.5 mi)"."""
        ls = "/".join(fmt_len(x) for x in self.lengths)
        return f"{self.track_name} ({ls} mi)" if ls else self.track_name

    @property
    def roster(self):
        return getattr(self.reference, "roster", None) if self.reference is not None else None


parse_date = iso_date  # the checks' name for it


# --------------------------------------------------------------------------
# running


def run_registered(
    record: Record,
    reference: Optional["Reference"],
    names: Iterable[str] | None = None,
) -> list[Check]:
    ctx = CheckContext(record=record, reference=reference)
    wanted = list(CHECKS) if names is None else list(names)
    out: list[Check] = []
    for name in wanted:
        spec = CHECKS[name]
        out.extend(_run_one(spec, ctx))
    return out


def _run_one(spec: CheckSpec, ctx: CheckContext) -> Iterator[Check]:
    try:
        outcomes = list(spec.func(ctx) or ())
    except Exception as exc:  # a broken check must not sink the record
        yield Check(
            name=spec.name,
            status=WARN,
            message=f"the check itself failed: {type(exc).__name__}: {exc}",
            facts=[],
        )
        return
    if not outcomes:
        outcomes = [skip("nothing to check")]
    # one skipped entry is enough when nothing ran; drop skips beside results
    ran = [o for o in outcomes if o.status != SKIPPED]
    if ran:
        outcomes = ran
    else:
        msgs = list(dict.fromkeys(o.message for o in outcomes))
        facts = sorted({i for o in outcomes for i in o.facts})
        outcomes = [Outcome(SKIPPED, "; ".join(msgs), tuple(facts))]
    for o in outcomes:
        yield Check(name=spec.name, status=o.status, message=o.message, facts=list(o.facts))
