"""Official results: the facts of a linked race agree with its official rows.

The record's ``event.race`` (set by :class:`extractor.results.RaceLinker`)
names the race; each finish, start, car number, laps led, make and team fact
of it is compared with the driver's official row: ``pass`` when they agree,
``warn`` naming the official value when not. Facts keep the values the text
states; an article can be wrong, and so can the extraction.
"""
from __future__ import annotations

from typing import Iterator, Optional

from .registry import CheckContext, Outcome, ok, register, skip, warn

# fact type -> official column; positions only for the session the column means
_COLUMNS = {
    "finish_position": "finish",
    "start_position": "start",
    "car_number": "car",
    "laps_led": "led",
    "manufacturer": "make",
    "team": "team",
}
_SESSIONS = {"finish_position": (None, "race"), "laps_led": (None, "race"), "start_position": (None, "race", "qualifying")}


def _make(ctx: CheckContext, value: Optional[str]) -> Optional[str]:
    if not value:
        return None
    lex = getattr(ctx.reference, "lexicon", None)
    return (lex.make_of(value) if lex is not None else None) or value


def _team_key(ctx: CheckContext, value: str) -> str:
    teams = getattr(ctx.reference, "teams", None)
    t = teams.lookup(value) if teams is not None else None
    from ..reference import team_key

    return t.id if t is not None else team_key(value)


def _agree(ctx: CheckContext, ftype: str, stated, official) -> Optional[bool]:
    """True / False, or None when the official column cannot say (blank, an owner's name for a team)."""
    if official is None:
        return None
    if ftype in ("finish_position", "start_position", "laps_led"):
        try:
            return int(stated) == int(official)
        except (TypeError, ValueError):
            return None
    if ftype == "car_number":
        return str(stated).strip().lstrip("#") == str(official).strip()
    if ftype == "manufacturer":
        return _make(ctx, str(stated)) == _make(ctx, str(official))
    if ftype == "team":
        if "(Owner)" in official:
            return None  # the older rows name the owner, not the team
        return _team_key(ctx, str(stated)) == _team_key(ctx, official)
    return None


@register("official_results")
def official_results(ctx: CheckContext) -> Iterator[Outcome]:
    """Finish, start, car number, laps led, make and team agree with the linked race's official results."""
    link = ctx.record.event.race
    if link is None:
        why = getattr(ctx.record.event, "race_why", None)
        yield skip(f"no official race linked ({why})" if why else "no official race linked")
        return
    from ..results import race_of

    base = getattr(ctx.reference, "base", None)
    race = race_of(link, base)
    if race is None:
        yield skip(f"{link.series} {link.season} round {link.round} is not in the results table")
        return
    label = f"{race.season} {race.series} round {race.round} ({race.track})"
    agreed: list[int] = []
    for i, f in ctx.of_type(*_COLUMNS):
        if not f.driver or f.value is None or f.session not in _SESSIONS.get(f.type, (None, "race", "qualifying", "practice")):
            continue
        row = race.row(f.driver)
        if row is None:
            if f.type in ("finish_position", "start_position"):
                yield warn(f"{ctx.label(i)}: {f.driver} is not in the official results of {label}", i)
            continue
        official = getattr(row, _COLUMNS[f.type])
        verdict = _agree(ctx, f.type, f.value, official)
        if verdict is None:
            continue
        if verdict:
            agreed.append(i)
        else:
            yield warn(f"{ctx.label(i)}: the official results of {label} give {official}", i)
    if agreed:
        yield ok(f"{len(agreed)} facts agree with the official results of {label}", *agreed)
    else:
        yield skip(f"no fact to compare with the official results of {label}")
