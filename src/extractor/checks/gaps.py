"""Gaps between two drivers against their lap times or speeds; margins.

A ``gap`` names the faster / ahead driver (``driver``) and the slower /
behind one (``other``). When both have a lap time (or a speed, turned into a
lap time through the track length) in a compatible session, the gap must be
the difference. Sources compute gaps from the printed 3-decimal lap times,
so the bands follow the speed check: pass within the gap's own rounding,
warn within the rounding of the two lap times too, fail beyond.
Race gaps (session "race", or a gap equal to the margin of victory) are
not lap-time differences and are left alone here.
"""
from __future__ import annotations

from itertools import product
from typing import Iterator, NamedTuple

from ..models import Fact
from .registry import (
    CheckContext,
    Outcome,
    compatible,
    decimals_of,
    fail,
    fmt,
    fmt_len,
    half_unit,
    norm_name,
    num,
    ok,
    register,
    skip,
    span_distance,
    warn,
)

MAX_MARGIN_S = 30.0
# A time this close to the gap in the text is the one the gap is about.
NEAR_CHARS = 250


class Timed(NamedTuple):
    seconds: float
    rounding: float       # half-unit of the printed lap time (or derived)
    short: bool           # printed with fewer than 3 decimals
    index: int
    fact: Fact
    how: str              # "lap 29.806 s" / "181.172 mph on 1.5 mi"
    length: float | None  # the track length a speed was turned into a lap with


def _times(ctx: CheckContext, driver: str, gap: Fact) -> list[Timed]:
    key = norm_name(driver)
    out: list[Timed] = []
    for i, f, v in ctx.by_driver("lap_time").get(key, []):
        if v > 0 and f.session != "race" and compatible(f, gap):
            d = decimals_of(v, f.text)
            out.append(Timed(v, half_unit(v, f.text), d < 3, i, f, f"lap {fmt(v, d)} s", None))
    for i, f, v in ctx.by_driver("speed_mph").get(key, []):
        if v > 0 and f.session != "race" and compatible(f, gap):
            hs = half_unit(v, f.text)
            for L in ctx.lengths:
                t = L * 3600 / v
                # a speed printed to 3 decimals pins the lap to ~1e-4 s; that
                # rounding counts in the pass band (short=True)
                how = f"{f.value} mph on {fmt_len(L)} mi = {fmt(t, 3)} s"
                out.append(Timed(t, t * hs / v, True, i, f, how, L))
    return out


def _is_race_gap(ctx: CheckContext, gap: Fact, value: float) -> bool:
    if gap.session == "race":
        return True
    return any(abs(v - value) < 1e-9 for _, _, v in ctx.numeric("margin_of_victory"))


def _rank(s: str) -> int:
    return {"pass": 0, "warn": 1, "fail": 2}[s]


@register("gap_matches")
def gap_matches(ctx: CheckContext) -> Iterator[Outcome]:
    """A gap equals the difference of the two drivers' lap times (or speeds)."""
    seen_gap = False
    for gi, g, gv in ctx.numeric("gap", exact=True):
        if not g.driver or not g.other or gv <= 0:
            continue
        seen_gap = True
        if _is_race_gap(ctx, g, gv):
            yield skip(f"gap {g.value} s between {g.driver} and {g.other} is a race gap", gi)
            continue
        ta, tb = _times(ctx, g.driver, g), _times(ctx, g.other, g)
        if not ta or not tb:
            yield skip(f"no lap time or speed for both {g.driver} and {g.other}", gi)
            continue
        hg = half_unit(gv, g.text)
        results = []
        for a, b in product(ta, tb):
            if not compatible(a.fact, b.fact):
                continue
            if a.length is not None and b.length is not None and a.length != b.length:
                continue
            diff = b.seconds - a.seconds
            tight = hg + 1e-6
            if a.short or b.short:
                tight += a.rounding + b.rounding
            loose = hg + max(a.rounding, 0.0005) + max(b.rounding, 0.0005) + 1e-6
            err = abs(diff - gv)
            status = "pass" if err <= tight else "warn" if err <= loose else "fail"
            near = span_distance(g, a.fact) + span_distance(g, b.fact)
            results.append((_rank(status), near, status, diff, a, b))
        if not results:
            yield skip(f"the times of {g.driver} and {g.other} come from different sessions", gi)
            continue
        results.sort(key=lambda r: (r[0], r[1], r[4].index, r[5].index))
        _, _, status, diff, a, b = results[0]
        gd = max(decimals_of(gv, g.text), 3)
        msg = (
            f"{g.driver} ({a.how}) and {g.other} ({b.how}) are {fmt(diff, gd)} s apart, "
            f"the article says {g.driver} was {g.value} s ahead"
        )
        facts = (gi, a.index, b.index)
        if status == "pass":
            yield ok(msg, *facts)
        elif status == "warn":
            yield warn(msg + " (within the rounding of the lap times only)", *facts)
        else:
            if abs(diff + gv) <= hg + a.rounding + b.rounding + 1e-6:
                msg += f" (the times say {g.other} was the faster one)"
            ambiguous = len({r[4].index for r in results}) > 1 or len({r[5].index for r in results}) > 1
            # Are these the times the gap is about? Knockout qualifying has
            # rounds: "Truex was .01 faster than Logano" (round 2) next to
            # Logano's round-1 speed is no contradiction. Sure when the round
            # is given on all three facts, or both times sit by the gap.
            paired = (
                (g.round is not None and a.fact.round is not None and b.fact.round is not None)
                or (span_distance(g, a.fact) <= NEAR_CHARS and span_distance(g, b.fact) <= NEAR_CHARS)
            )
            if ambiguous:
                yield warn(msg + " (several times to choose from; none matches)", *facts)
            elif not paired:
                yield warn(msg + " (the times are stated away from the gap: maybe another round)", *facts)
            else:
                yield fail(msg, *facts)
    if not seen_gap:
        yield skip("no gap between two named drivers")


@register("margin_plausible")
def margin_plausible(ctx: CheckContext) -> Iterator[Outcome]:
    """Gaps and winning margins are positive and under ~30 s."""
    if not ctx.of_type("gap", "margin_of_victory"):
        yield skip("no gaps or margins")
    for i, f in ctx.of_type("gap", "margin_of_victory"):
        v = num(f)
        if v is None:
            continue
        what = f"margin of victory {f.value} s" if f.type == "margin_of_victory" else (
            f"gap {f.value} s from {f.driver} to {f.other}"
        )
        if f.type == "gap" and f.driver and f.other and norm_name(f.driver) == norm_name(f.other):
            yield fail(f"{what}: a driver cannot be ahead of himself", i)
        elif v <= 0:
            yield fail(f"{what} is not positive", i)
        elif v >= MAX_MARGIN_S:
            yield warn(f"{what} is implausibly large (>= {MAX_MARGIN_S:g} s)", i)
        else:
            yield ok(f"{what} is positive and under {MAX_MARGIN_S:g} s", i)
