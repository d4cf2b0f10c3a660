"""Speeds against lap times, and km/h against mph.

Tolerance for speed vs lap time
-------------------------------
Timing sheets (and every article in the dev corpus that prints both) give
the speed as ``length * 3600 / lap`` computed from the *printed* 3-decimal lap
time with the official length, then rounded to 3 decimals: the computed value
lands within half a unit of the speed's last digit (observed: <= 0.0004 mph).
So, trying every length the track table accepts for the season (Nashville
1.333 and 1.33, Phoenix 1.0 and 1.022), with ``diff`` the smallest
``|computed - stated|``:

* pass  when ``diff <= half_unit(speed) + 1 ppm`` (+ the lap's own rounding
  when the lap was printed with fewer than 3 decimals: then the speed came
  from a finer time than we see);
* warn  only for laps printed with fewer than 3 decimals, when ``diff`` is
  within the rounding of both inputs plus 10 ppm: the speed may come from a
  finer time than the one printed;
* fail  beyond. A 3-decimal lap pins the speed to its last digit (every pair
  in the dev corpus agrees within 0.0004 mph), so a changed last digit of
  the speed or a changed digit of the lap fails.

A relative slack (0.02 %, ~0.036 mph) was considered and rejected: it would
let every changed thousandths and most hundredths digits through, and the
sources do not need it once all published lengths are tried.
"""
from __future__ import annotations

from typing import Iterator

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
    ok,
    register,
    skip,
    span_distance,
    warn,
    where,
)

KM_PER_MILE = 1.609344
# Facts this close in the text are stated together ("29.806 seconds (181.172 mph)").
NEAR_CHARS = 200


def lap_speed_bands(speed: float, speed_text: str | None, lap: float, lap_text: str | None) -> tuple[float, float]:
    """(pass tolerance, warn tolerance) in mph for a speed computed from a lap."""
    hs = half_unit(speed, speed_text)
    hl = half_unit(lap, lap_text)
    tight = hs + 1e-6 * speed
    if decimals_of(lap, lap_text) < 3:
        tight += speed * hl / lap
        loose = hs + speed * max(hl, 0.0005) / lap + 10e-6 * speed
        return tight, max(tight, loose)
    # Published speeds are computed from the printed 3-decimal lap (every
    # pair in the dev corpus agrees within 0.0004 mph), so anything beyond
    # the speed's own rounding is a changed digit, not rounding.
    return tight, tight


def _rank(status: str) -> int:
    return {"pass": 0, "warn": 1, "fail": 2}[status]


@register("speed_matches_lap_time")
def speed_matches_lap_time(ctx: CheckContext) -> Iterator[Outcome]:
    """mph = miles * 3600 / seconds for the same driver (and session/round)."""
    speeds = ctx.by_driver("speed_mph")
    laps = ctx.by_driver("lap_time")
    pairs: list[tuple[int, Fact, float, list[tuple[int, Fact, float]]]] = []
    for key, svals in speeds.items():
        for si, sf, sv in svals:
            cands = [(li, lf, lv) for li, lf, lv in laps.get(key, []) if lv > 0 and compatible(sf, lf)]
            if cands and sv > 0:
                pairs.append((si, sf, sv, cands))
    if not pairs:
        yield skip("no driver has both a lap time and a speed")
        return
    if not ctx.lengths:
        yield skip(f"cannot convert lap times: {ctx.track_unknown_reason()}", *[p[0] for p in pairs])
        return
    pairs.sort(key=lambda p: p[0])
    for si, sf, sv, cands in pairs:
        results = []
        for li, lf, lv in cands:
            best = min(ctx.lengths, key=lambda L: abs(L * 3600 / lv - sv))
            calc = best * 3600 / lv
            diff = abs(calc - sv)
            tight, loose = lap_speed_bands(sv, sf.text, lv, lf.text)
            status = "pass" if diff <= tight else "warn" if diff <= loose else "fail"
            results.append((_rank(status), span_distance(sf, lf), status, li, lf, lv, best, calc))
        results.sort(key=lambda r: (r[0], r[1], r[3]))
        _, _, status, li, lf, lv, L, calc = results[0]
        sdec = max(3, decimals_of(sv, sf.text))
        ldec = decimals_of(lv, lf.text)
        msg = (
            f"{sf.driver}: lap {fmt(lv, ldec)} s{where(lf)} at {ctx.track_name} ({fmt_len(L)} mi) "
            f"gives {fmt(calc, sdec)} mph, the article says {fmt(sv, sdec)} mph"
        )
        if status == "pass":
            yield ok(msg, si, li)
        elif status == "warn":
            yield warn(msg + " (within the rounding of the lap time only)", si, li)
        else:
            # Is the nearest lap really this speed's lap? Sure when they are
            # stated together, or both carry the (same) round; a session alone
            # does not say (knockout rounds, several practices).
            nearest = min(cands, key=lambda c: span_distance(sf, c[1]))
            paired = span_distance(sf, nearest[1]) <= NEAR_CHARS or (
                sf.round is not None and nearest[1].round is not None
            )
            if nearest[0] != li:
                nl, nf = nearest[2], nearest[1]
                L = min(ctx.lengths, key=lambda x: abs(x * 3600 / nl - sv))
                msg = (
                    f"{sf.driver}: lap {fmt(nl, decimals_of(nl, nf.text))} s{where(nf)} at {ctx.track_name} "
                    f"({fmt_len(L)} mi) gives {fmt(L * 3600 / nl, sdec)} mph, the article says {fmt(sv, sdec)} mph"
                )
                li = nearest[0]
            if len(cands) > 1:
                msg += f" (none of {sf.driver}'s {len(cands)} lap times matches)"
            if paired:
                yield fail(msg, si, li)
            else:
                yield warn(msg + " (stated far apart: maybe different sessions)", si, li)


# Coarse factors writers use; a km/h figure matching one of them is a warn.
COARSE_FACTORS = (1.609, 1.61, 1.6)


@register("kmh_matches_mph")
def kmh_matches_mph(ctx: CheckContext) -> Iterator[Outcome]:
    """km/h printed beside an mph speed = mph * 1.609344."""
    any_ = False
    for i, f in ctx.of_type("speed_mph", "average_speed_mph"):
        if f.kmh is None or f.approximate:
            continue
        try:
            mph = float(f.value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        any_ = True
        kmh = float(f.kmh)
        hk = half_unit(kmh)
        hm = half_unit(mph, f.text)
        calc = mph * KM_PER_MILE
        # rounding of both printed numbers, plus 5 ppm for sources that convert
        # from an unrounded speed or a km length (seen: 181.172 mph / 291.568 km/h)
        tol = hk + KM_PER_MILE * hm + 1e-6 * kmh
        kd = max(decimals_of(kmh), 1)
        msg = f"{f.driver or 'speed'}: {f.value} mph is {fmt(calc, kd)} km/h, the article says {fmt(kmh, kd)} km/h"
        if abs(calc - kmh) <= tol:
            yield ok(msg, i)
            continue
        coarse = [c for c in COARSE_FACTORS if abs(mph * c - kmh) <= hk + c * hm + 1e-9]
        if coarse:
            yield warn(msg + f" (converted with {coarse[0]})", i)
        else:
            yield fail(msg, i)
    if not any_:
        yield skip("no speed carries a km/h figure")
