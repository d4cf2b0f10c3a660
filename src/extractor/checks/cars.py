"""Car numbers: one driver per number and one number per driver; the roster agrees."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from .registry import CheckContext, Outcome, fail, norm_name, ok, register, skip, warn


def _numbers(ctx: CheckContext) -> list[tuple[int, str, str]]:
    """(index, driver, number) for car-number facts with a driver."""
    out = []
    for i, f in ctx.of_type("car_number"):
        if f.driver and f.value is not None and str(f.value).strip():
            out.append((i, f.driver, str(f.value).strip()))
    return out


@register("car_number_unique")
def car_number_unique(ctx: CheckContext) -> Iterator[Outcome]:
    """Within the event a car number belongs to one driver and a driver has one number."""
    items = _numbers(ctx)
    if not items:
        yield skip("no car numbers")
        return
    by_number: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    by_driver: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, str] = {}
    for i, d, n in items:
        k = norm_name(d)
        names.setdefault(k, d)
        by_number[n][k].append(i)
        by_driver[k][n].append(i)
    bad = False
    for n in sorted(by_number, key=lambda n: min(min(v) for v in by_number[n].values())):
        holders = by_number[n]
        if len(holders) > 1:
            bad = True
            who = " and ".join(f"{names[k]} (fact {idx[0]})" for k, idx in holders.items())
            yield fail(f"car No. {n} is given to {who}", *[i for idx in holders.values() for i in idx])
    for k in sorted(by_driver, key=lambda k: min(min(v) for v in by_driver[k].values())):
        nums = by_driver[k]
        if len(nums) > 1:
            bad = True
            desc = " and ".join(f"No. {n} (fact {idx[0]})" for n, idx in nums.items())
            yield fail(f"{names[k]} drives {desc}", *[i for idx in nums.values() for i in idx])
    if not bad:
        yield ok(f"{len(by_number)} car numbers, one driver each", *[i for i, _, _ in items])


@register("car_number_roster")
def car_number_roster(ctx: CheckContext) -> Iterator[Outcome]:
    """The roster for the series and season gives the same driver the same number."""
    items = _numbers(ctx)
    if not items:
        yield skip("no car numbers")
        return
    roster = ctx.roster
    series, season = ctx.record.event.series, ctx.season
    if roster is None:
        yield skip("no roster loaded", *[i for i, _, _ in items])
        return
    if not series or not season:
        yield skip("the record has no series or season to look the roster up", *[i for i, _, _ in items])
        return
    seen: set[tuple[str, str]] = set()
    for i, d, n in items:
        key = (norm_name(d), n)
        if key in seen:
            continue
        seen.add(key)
        drv = roster.by_name(d)
        if drv is None:
            yield skip(f"{d} is not in the roster", i)
            continue
        cars = set(drv.cars_in(series, season) or ())
        where = f"{season} {series}"
        if n in cars:
            yield ok(f"the roster has {drv.name} in No. {n} in {where}", i)
            continue
        holders = [h for h in (roster.number_holders(n, series, season) or ())]
        other = [h.name for h in holders if norm_name(h.name) != norm_name(drv.name)]
        if not cars and not other:
            yield skip(f"the roster has neither {drv.name} nor No. {n} in {where}", i)
            continue
        bits = []
        if cars:
            bits.append(f"the roster has {drv.name} in No. {'/'.join(sorted(cars))} in {where}")
        else:
            bits.append(f"the roster has no {where} car for {drv.name}")
        if other:
            bits.append(f"No. {n} belongs to {', '.join(sorted(other))}")
        yield warn(f"the article puts {d} in No. {n}: " + "; ".join(bits), i)
