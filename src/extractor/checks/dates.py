"""Dates: weekdays written beside dates, qualifying before the race."""
from __future__ import annotations

from typing import Iterator

from .registry import CheckContext, Outcome, fail, ok, parse_date, register, skip, warn

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# A race weekend: qualifying at most this many days before the race
# (Daytona 500 qualifying is the Wednesday before).
MAX_WEEKEND_DAYS = 7


def weekday_index(word: str) -> int | None:
    w = "".join(ch for ch in word.lower() if ch.isalpha())
    if len(w) < 2:
        return None
    for n, name in enumerate(WEEKDAYS):  # "Sat.", "Thurs", "Weds", "Sunday"
        if name.startswith(w) or (len(w) >= 3 and w.startswith(name[:3])):
            return n
    return None


@register("weekday_matches_date")
def weekday_matches_date(ctx: CheckContext) -> Iterator[Outcome]:
    """A weekday written next to a date is that date's weekday."""
    any_ = False
    for m in ctx.record.event.dates:
        if not m.weekday or not m.date:
            continue
        d = parse_date(m.date)
        n = weekday_index(m.weekday)
        if d is None or n is None:
            continue
        any_ = True
        real = WEEKDAYS[d.weekday()].capitalize()
        if d.weekday() == n:
            yield ok(f"{m.text!r}: {m.date} is a {real}")
        else:
            yield fail(f"{m.text!r}: {m.date} is a {real}, not a {WEEKDAYS[n].capitalize()}")
    if not any_:
        yield skip("no date written with its weekday")


@register("race_after_qualifying")
def race_after_qualifying(ctx: CheckContext) -> Iterator[Outcome]:
    """The race is not before qualifying (and within a week of it)."""
    ev = ctx.record.event
    q, r = parse_date(ev.qualifying_date), parse_date(ev.race_date)
    if q is None or r is None:
        yield skip("qualifying date or race date unknown")
        return
    days = (r - q).days
    if days < 0:
        yield fail(f"race date {ev.race_date} is before qualifying date {ev.qualifying_date}")
    elif days > MAX_WEEKEND_DAYS:
        yield warn(f"race date {ev.race_date} is {days} days after qualifying date {ev.qualifying_date}")
    else:
        yield ok(f"qualifying {ev.qualifying_date}, race {ev.race_date}")
