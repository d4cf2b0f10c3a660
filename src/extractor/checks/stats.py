"""Race statistics that bound each other: laps led, leaders, entries, average speed."""
from __future__ import annotations

from typing import Iterator

from .registry import (
    CheckContext,
    Outcome,
    fail,
    fmt,
    fmt_len,
    half_unit,
    norm_name,
    ok,
    register,
    skip,
    warn,
)


def _max(ctx: CheckContext, ftype: str) -> tuple[float, int] | None:
    vals = [(v, i) for i, _, v in ctx.numeric(ftype, exact=True)]
    return max(vals) if vals else None


@register("laps_led_within_total")
def laps_led_within_total(ctx: CheckContext) -> Iterator[Outcome]:
    """No driver leads more laps than the race ran."""
    total = _max(ctx, "total_laps")
    led = ctx.numeric("laps_led", exact=True)
    if total is None or not led:
        yield skip("laps led or total laps unknown")
        return
    tv, ti = total
    bad = False
    for i, f, v in led:
        if v > tv:
            bad = True
            yield fail(f"{f.driver} led {f.value} laps (fact {i}) of a {tv:g}-lap race (fact {ti})", i, ti)
    if not bad:
        yield ok(f"every laps-led figure is within the {tv:g} laps", ti, *[i for i, _, _ in led])


@register("leaders_within_lead_changes")
def leaders_within_lead_changes(ctx: CheckContext) -> Iterator[Outcome]:
    """n different leaders need at least n - 1 lead changes."""
    leaders = ctx.numeric("leaders", exact=True)
    changes = ctx.numeric("lead_changes", exact=True)
    if not leaders or not changes:
        yield skip("leaders or lead changes unknown")
        return
    for li, lf, lv in leaders:
        for ci, cf, cv in changes:
            msg = f"{lv:g} leaders (fact {li}) with {cv:g} lead changes (fact {ci})"
            if lv <= cv + 1:
                yield ok(msg, li, ci)
            else:
                yield fail(msg + f": {lv:g} leaders need at least {lv - 1:g} changes", li, ci)


@register("laps_led_sum")
def laps_led_sum(ctx: CheckContext) -> Iterator[Outcome]:
    """The laps led by all drivers add up to no more than the race's laps."""
    total = _max(ctx, "total_laps")
    per_driver: dict[str, tuple[float, int]] = {}
    for i, f, v in ctx.numeric("laps_led", exact=True):
        if f.driver:
            k = norm_name(f.driver)
            if k not in per_driver or v > per_driver[k][0]:
                per_driver[k] = (v, i)
    if total is None or len(per_driver) < 2:
        yield skip("total laps unknown or fewer than two drivers with laps led")
        return
    tv, ti = total
    s = sum(v for v, _ in per_driver.values())
    facts = [ti, *[i for _, i in per_driver.values()]]
    msg = f"{len(per_driver)} drivers led {s:g} laps in all, the race ran {tv:g} (fact {ti})"
    if s <= tv:
        yield ok(msg, *facts)
    else:
        yield warn(msg, *facts)


@register("entries_cover_positions")
def entries_cover_positions(ctx: CheckContext) -> Iterator[Outcome]:
    """The field is at least as big as the highest start or finish position."""
    entries = _max(ctx, "entries")
    pos = [(v, i, f) for i, f, v in ctx.numeric("start_position", "finish_position", exact=True)]
    if entries is None or not pos:
        yield skip("entries or positions unknown")
        return
    ev, ei = entries
    v, i, f = max(pos, key=lambda t: (t[0], -t[1]))
    msg = f"{ev:g} entries (fact {ei}); the highest position is {f.driver}'s {f.type} {v:g} (fact {i})"
    if v <= ev:
        yield ok(msg, ei, i)
    else:
        yield fail(msg, ei, i)


@register("average_speed_matches_duration")
def average_speed_matches_duration(ctx: CheckContext) -> Iterator[Outcome]:
    """Average speed = laps x length / race duration (warn when off)."""
    avg = ctx.numeric("average_speed_mph", exact=True)
    dur = ctx.numeric("race_duration", exact=True)
    laps = _max(ctx, "total_laps")
    if not avg or not dur or laps is None:
        yield skip("average speed, race duration or total laps unknown")
        return
    if not ctx.lengths:
        yield skip(f"cannot compute the distance: {ctx.track_unknown_reason()}")
        return
    lv, li = laps
    for ai, af, av in avg:
        for di, df, dv in dur:
            if dv <= 0:
                continue
            best = min(ctx.lengths, key=lambda L: abs(lv * L * 3600 / dv - av))
            calc = lv * best * 3600 / dv
            # rounding of the duration (1 s) and of the speed, plus 50 ppm
            tol = half_unit(av, af.text) + calc * max(half_unit(dv, df.text), 0.5) / dv + 5e-5 * calc
            msg = (
                f"{lv:g} laps of {fmt_len(best)} mi in {dv:g} s is {fmt(calc, 3)} mph, "
                f"the article says an average of {af.value} mph"
            )
            if abs(calc - av) <= tol:
                yield ok(msg, ai, di, li)
            else:
                yield warn(msg, ai, di, li)
