"""Start and finish positions: unique, ordered by pace, frames that fit."""
from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Iterator

from ..models import Fact
from .registry import (
    CheckContext,
    Outcome,
    fail,
    half_unit,
    norm_name,
    ok,
    register,
    skip,
    warn,
)

POSITION_TYPES = ("start_position", "finish_position")


def _int(v) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str) and v.strip().isdigit():
        return int(v)
    return None


@register("unique_positions")
def unique_positions(ctx: CheckContext) -> Iterator[Outcome]:
    """No two drivers share a start (or finish) position; one pole; one position per driver."""
    groups: dict[tuple[str, str], list[tuple[int, Fact, int]]] = defaultdict(list)
    for i, f in ctx.of_type(*POSITION_TYPES):
        v = _int(f.value)
        if v is None or not f.driver:
            continue
        if v < 1:
            yield fail(f"{f.driver}: {f.type} {f.value} is not a position", i)
            continue
        # Duels / heat races carry a group; everything else is one grid / one result
        groups[(f.type, f.group or "")].append((i, f, v))
    if not groups:
        yield skip("no start or finish positions")
        return
    for (ftype, group), items in sorted(groups.items()):
        what = ftype.replace("_", " ") + (f" in group {group}" if group else "")
        bad = False
        by_value: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        by_driver: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        names: dict[str, str] = {}
        for i, f, v in items:
            k = norm_name(f.driver)
            names[k] = f.driver  # type: ignore[assignment]
            by_value[v][k].append(i)
            by_driver[k][v].append(i)
        for v in sorted(by_value):
            holders = by_value[v]
            if len(holders) > 1:
                bad = True
                who = " and ".join(f"{names[k]} (fact {idx[0]})" for k, idx in holders.items())
                facts = [i for idx in holders.values() for i in idx]
                if ftype == "start_position" and v == 1:
                    yield fail(f"two drivers on the pole{' in group ' + group if group else ''}: {who}", *facts)
                else:
                    yield fail(f"{who} both have {what} {v}", *facts)
        for k in sorted(by_driver, key=lambda k: min(min(x) for x in by_driver[k].values())):
            vals = by_driver[k]
            if len(vals) > 1:
                bad = True
                desc = " and ".join(f"{v} (fact {idx[0]})" for v, idx in sorted(vals.items()))
                yield warn(f"{names[k]} has {what} {desc}", *[i for idx in vals.values() for i in idx])
        if not bad:
            yield ok(f"{len(by_value)} distinct {what}s, one driver each", *[i for i, _, _ in items])


@register("qualifying_order")
def qualifying_order(ctx: CheckContext) -> Iterator[Outcome]:
    """Within one qualifying round, a faster lap never starts behind a slower one."""
    # the grid: one start position per driver, or the driver is left out
    starts: dict[str, tuple[int, int]] = {}
    multi: set[str] = set()
    for i, f in ctx.of_type("start_position"):
        v = _int(f.value)
        if v is None or not f.driver or f.session not in (None, "qualifying"):
            continue
        k = norm_name(f.driver)
        if k in starts and starts[k][0] != v:
            multi.add(k)
        starts.setdefault(k, (v, i))
    for k in multi:
        starts.pop(k, None)
    timed = [
        (i, f, v)
        for i, f, v in ctx.numeric("lap_time", "speed_mph", exact=True)
        if f.session == "qualifying" and f.driver and v > 0 and norm_name(f.driver) in starts
    ]
    if not timed:
        yield skip("no driver has both a qualifying lap time or speed and a start position")
        return
    rounds = [f.round for _, f, _ in timed if f.round is not None]
    final_round = max(rounds) if rounds else None
    # Knockout qualifying: the grid follows the *last* round a driver ran, so
    # only the final round (or an unnumbered single session) orders the grid.
    buckets: dict[tuple, dict[str, dict[str, tuple[int, Fact, float]]]] = defaultdict(lambda: defaultdict(dict))
    for i, f, v in timed:
        if f.round is not None and f.round != final_round:
            continue
        k = norm_name(f.driver)
        buckets[(f.round, f.group or "")][k].setdefault(f.type, (i, f, v))
    # Duels / heat races set most of a superspeedway grid: out-of-order is not an error there
    soft = getattr(ctx.track, "kind", None) == "superspeedway"
    compared = False
    for (rnd, group), drivers in sorted(buckets.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1])):
        bucket_bad = False
        facts_used: list[int] = []
        for a, b in combinations(sorted(drivers), 2):
            da, db = drivers[a], drivers[b]
            if "lap_time" in da and "lap_time" in db:
                (ia, fa, va), (ib, fb, vb) = da["lap_time"], db["lap_time"]
                tol = half_unit(va, fa.text) + half_unit(vb, fb.text)
                faster = a if vb - va > tol else b if va - vb > tol else None
                unit = "s"
            elif "speed_mph" in da and "speed_mph" in db:
                (ia, fa, va), (ib, fb, vb) = da["speed_mph"], db["speed_mph"]
                tol = half_unit(va, fa.text) + half_unit(vb, fb.text)
                faster = a if va - vb > tol else b if vb - va > tol else None
                unit = "mph"
            else:
                continue
            compared = True
            facts_used += [ia, ib, starts[a][1], starts[b][1]]
            if faster is None:
                continue
            slower = b if faster == a else a
            (sf_pos, sf_idx), (sl_pos, sl_idx) = starts[faster], starts[slower]
            if sf_pos > sl_pos:
                bucket_bad = True
                fi, ff, fv = (ia, fa, va) if faster == a else (ib, fb, vb)
                si, sfact, sv = (ib, fb, vb) if faster == a else (ia, fa, va)
                rn = f" round {rnd}" if rnd is not None else ""
                msg = (
                    f"{ff.driver} ({fv:g} {unit}) was faster than {sfact.driver} ({sv:g} {unit}) in qualifying{rn}"
                    f"{' group ' + group if group else ''} but starts {sf_pos} (fact {sf_idx}), behind {sl_pos} (fact {sl_idx})"
                )
                if soft:
                    yield warn(msg + " (qualifying races set much of a superspeedway grid)", fi, si, sf_idx, sl_idx)
                elif rnd is None:
                    # the round is not known: in knockout qualifying an earlier
                    # round's faster lap can start behind a later round's
                    yield warn(msg + " (no round given: maybe the laps come from different rounds)",
                               fi, si, sf_idx, sl_idx)
                else:
                    yield fail(msg, fi, si, sf_idx, sl_idx)
        if not bucket_bad and facts_used:
            label = f"round {rnd}" if rnd is not None else "qualifying"
            yield ok(f"{label}{' group ' + group if group else ''}: the grid follows the lap times", *facts_used)
    if not compared:
        yield skip("fewer than two drivers with a qualifying time and a start position in one round")


@register("enumeration_frame")
def enumeration_frame(ctx: CheckContext) -> Iterator[Outcome]:
    """"X, Y and Z completing the top 10": the names fill the frame exactly."""
    if not ctx.record.enumerations:
        yield skip("no enumerations")
        return
    for e in ctx.record.enumerations:
        facts = [i for i in e.facts if 0 <= i < len(ctx.record.facts)]
        if e.last is None:
            yield skip(f"{e.text!r}: the frame has no end", *facts)
            continue
        size = e.last - e.first + 1
        if size != e.names:
            yield fail(
                f"{e.text!r}: positions {e.first}-{e.last} are {size} places but {e.names} names fill them",
                *facts,
            )
            continue
        values = [_int(ctx.record.facts[i].value) for i in facts]
        expected = list(range(e.first, e.first + len(facts)))
        if facts and (values != expected or any(ctx.record.facts[i].type != e.kind for i in facts)):
            yield fail(
                f"{e.text!r}: the facts give {e.kind} {values}, the frame says {expected}", *facts
            )
            continue
        yield ok(f"{e.text!r}: {e.names} names fill positions {e.first}-{e.last}", *facts)


# A results list: >= 5 finish positions, each within this many characters of
# the previous one, rising, and covering most of 1..N (prose that mentions the
# winner, 5th and 12th is not a list).
LIST_GAP_CHARS = 250
LIST_MIN = 5
LIST_DENSITY = 0.8


@register("results_complete")
def results_complete(ctx: CheckContext) -> Iterator[Outcome]:
    """A results list gives finish positions 1..N without holes."""
    items = sorted(
        ((f.span[0], i, f, _int(f.value)) for i, f in ctx.of_type("finish_position")),
        key=lambda t: (t[0], t[1]),
    )
    items = [t for t in items if t[3] is not None]
    runs: list[list[tuple]] = []
    for it in items:
        if runs and it[0] - runs[-1][-1][2].span[1] <= LIST_GAP_CHARS and it[3] > runs[-1][-1][3] \
                and (it[2].group or "") == (runs[-1][-1][2].group or ""):
            runs[-1].append(it)
        else:
            runs.append([it])
    # positions stated elsewhere (the winner in the lead paragraph) fill holes too
    everywhere: dict[str, set[int]] = defaultdict(set)
    for _, _, f, v in items:
        everywhere[f.group or ""].add(v)
    found = False
    for run in runs:
        values = [t[3] for t in run]
        top = max(values)
        known = everywhere[run[0][2].group or ""]
        if len(run) < LIST_MIN or len(known & set(range(1, top + 1))) / top < LIST_DENSITY:
            continue
        found = True
        holes = sorted(set(range(1, top + 1)) - known)
        facts = [t[1] for t in run]
        if holes:
            yield warn(f"a results list of {len(run)} finish positions up to {top} misses {holes}", *facts)
        else:
            yield ok(f"finish positions 1-{top} without holes (a results list of {len(run)})", *facts)
    if not found:
        yield skip("no results list")
