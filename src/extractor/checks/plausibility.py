"""Numbers in a sane range for the track; the stated length; one venue."""
from __future__ import annotations

from typing import Iterator

from .registry import (
    CheckContext,
    Outcome,
    decimals_of,
    fail,
    fmt,
    fmt_len,
    norm_name,
    ok,
    register,
    skip,
    warn,
)

# Qualifying / practice / fastest-lap speeds, mph, by track kind. Generous on
# purpose: the point is to catch a km/h figure read as mph, a lap time read as
# a speed, a wrong track, a units digit gone wrong; close calls are the speed
# check's job. (Michigan poles reach ~206 mph; Dover ~165; Martinsville ~100;
# the Coliseum ~70.)
SPEED_RANGES: dict[str, tuple[float, float]] = {
    "superspeedway": (150.0, 215.0),
    "intermediate": (120.0, 210.0),
    "short": (70.0, 140.0),
    "road": (60.0, 140.0),
    "street": (40.0, 110.0),
    "dirt": (40.0, 110.0),
    "exhibition": (45.0, 85.0),
}
ANY_TRACK = (40.0, 220.0)
# Short ovals of a mile or so (Dover, Phoenix, New Hampshire, Gateway) run faster.
SHORT_MILE = (70.0, 170.0)
SHORT_MILE_FROM = 0.8
# A race's average includes cautions: only the top of the range applies.
AVERAGE_FLOOR = 25.0


def speed_range(kind: str | None, length: float | None) -> tuple[float, float]:
    if kind == "short" and length and length >= SHORT_MILE_FROM:
        return SHORT_MILE
    if kind == "exhibition" and length and length > 0.3:
        # exhibition races at real ovals (North Wilkesboro, the All-Star at Texas)
        return SHORT_MILE if length < 1.2 else SPEED_RANGES["intermediate"]
    return SPEED_RANGES.get(kind or "", ANY_TRACK)


def _kind_and_range(ctx: CheckContext) -> tuple[str, tuple[float, float]]:
    kind = getattr(ctx.track, "kind", None)
    length = max(ctx.lengths) if ctx.lengths else None
    rng = speed_range(kind, length)
    if kind:
        return f"{kind} track {ctx.track_name}", rng
    return "any track", rng


@register("speed_plausible")
def speed_plausible(ctx: CheckContext) -> Iterator[Outcome]:
    """Speeds (mph) in a sane range for the kind of track."""
    speeds = ctx.numeric("speed_mph", "average_speed_mph")
    if not speeds:
        yield skip("no speeds")
        return
    what, (lo, hi) = _kind_and_range(ctx)
    good = []
    for i, f, v in speeds:
        low = AVERAGE_FLOOR if f.type == "average_speed_mph" else lo
        if low <= v <= hi:
            good.append(i)
        else:
            name = "average speed" if f.type == "average_speed_mph" else "speed"
            who = f"{f.driver}'s " if f.driver else ""
            yield fail(f"{who}{name} {f.value} mph is outside {low:g}-{hi:g} mph for a {what}", i)
    if good:
        yield ok(f"{len(good)} speed(s) within {lo:g}-{hi:g} mph for a {what}", *good)


@register("lap_time_plausible")
def lap_time_plausible(ctx: CheckContext) -> Iterator[Outcome]:
    """A lap time gives a sane speed over the track's length."""
    laps = [(i, f, v) for i, f, v in ctx.numeric("lap_time") if v > 0]
    if not laps:
        yield skip("no lap times")
        return
    if not ctx.lengths:
        yield skip(f"cannot turn lap times into speeds: {ctx.track_unknown_reason()}", *[i for i, _, _ in laps])
        return
    what, (lo, hi) = _kind_and_range(ctx)
    good = []
    for i, f, v in laps:
        mphs = [L * 3600 / v for L in ctx.lengths]
        if any(lo <= s <= hi for s in mphs):
            good.append(i)
            continue
        L = ctx.lengths[0]
        yield fail(
            f"{f.driver or 'a driver'}'s lap {f.value} s at {ctx.track_name} ({fmt_len(L)} mi) is "
            f"{fmt(L * 3600 / v, 1)} mph, outside {lo:g}-{hi:g} mph for a {what}",
            i,
        )
    if good:
        yield ok(f"{len(good)} lap time(s) give {lo:g}-{hi:g} mph on {ctx.describe_track()}", *good)


# Stated length: written "1-mile" or "2-mile" covers 0.9-1.1 / 1.9-2.1
# (New Hampshire 1.058, Phoenix 1.022); "half-mile" / "1.5-mile" covers
# half a unit of the last digit (Martinsville 0.526, Atlanta 1.54); with two
# or three decimals, half a unit plus 0.001 mi. Beyond that it is a warn
# while within 15 % (a rounder or older figure), a fail further off (a
# different track).
LENGTH_WARN_REL = 0.15


def length_tolerance(stated: float) -> float:
    d = decimals_of(stated)
    if d == 0:
        return 0.1
    if d == 1:
        return 0.05
    return 0.5 * 10 ** -d + 0.001


@register("track_length_matches")
def track_length_matches(ctx: CheckContext) -> Iterator[Outcome]:
    """The length the article states is one the track table accepts."""
    stated = ctx.record.event.stated_length
    if stated is None:
        yield skip("the article states no track length")
        return
    if not ctx.lengths:
        yield skip(f"cannot compare the stated length: {ctx.track_unknown_reason()}")
        return
    nearest = min(ctx.lengths, key=lambda L: abs(L - stated))
    diff = abs(nearest - stated)
    accepted = "/".join(fmt_len(L) for L in ctx.lengths)
    msg = f"the article says {fmt_len(stated)} mi, the track table has {accepted} mi for {ctx.track_name}"
    if diff <= length_tolerance(stated) + 1e-9:
        yield ok(msg)
    elif diff <= LENGTH_WARN_REL * nearest:
        yield warn(msg)
    else:
        yield fail(msg)


@register("single_venue")
def single_venue(ctx: CheckContext) -> Iterator[Outcome]:
    """Every track the text names as this race's venue is the record's track."""
    ev = ctx.record.event
    if not ev.track or not ev.venues:
        yield skip("no track or no venue mentions")
        return
    own = norm_name(getattr(ctx.track, "name", None) or ev.track)
    others = []
    for v in ev.venues:
        name = v.track
        if ctx.reference is not None:
            try:
                t = ctx.reference.tracks.lookup(v.track)
            except (KeyError, LookupError):
                t = None
            if t is not None:
                name = t.name
        if norm_name(name) != own:
            others.append((v, name))
    if others:
        for v, name in others:
            yield warn(f"the text also names {name} ({v.text!r} at {v.span[0]}) as the venue, the record has {ev.track}")
    else:
        yield ok(f"{len(ev.venues)} venue mention(s), all {ev.track}")
