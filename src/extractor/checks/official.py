"""Official results: the facts of a linked race agree with its official rows.

The record's ``event.race`` (set by :class:`extractor.results.RaceLinker`)
names the race; each finish, start, car number, laps led, make and team fact
of it is compared with the driver's official row: ``pass`` when they agree,
``warn`` naming the official value when not. Facts keep the values the text
states; an article can be wrong, and so can the extraction.
"""
from __future__ import annotations

from typing import Iterator, Optional

from ..models import Fact
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


def _make(reference, value: Optional[str]) -> Optional[str]:
    if not value:
        return None
    lex = getattr(reference, "lexicon", None)
    return (lex.make_of(value) if lex is not None else None) or value


def _team_key(reference, value: str) -> str:
    from ..reference import team_key

    teams = getattr(reference, "teams", None)
    t = teams.lookup(value) if teams is not None else None
    return t.id if t is not None else team_key(value)


def _agree(reference, ftype: str, stated, official) -> Optional[bool]:
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
        return _make(reference, str(stated)) == _make(reference, str(official))
    if ftype == "team":
        if "(Owner)" in official:
            return None  # the older rows name the owner, not the team
        return _team_key(reference, str(stated)) == _team_key(reference, official)
    return None


def compare_fact(fact: Fact, race, reference=None) -> tuple[Optional[bool], object]:
    """(agrees?, the official value) for one fact against an official race.

    ``agrees`` is None when the fact is not comparable: another type or
    session, no driver, or a blank official column; False with official
    value None when the driver is not in the race at all (positions only).
    """
    col = _COLUMNS.get(fact.type)
    if col is None or not fact.driver or fact.value is None or fact.scope == "other":
        return None, None
    if fact.session not in _SESSIONS.get(fact.type, (None, "race", "qualifying", "practice")):
        return None, None
    row = race.row(fact.driver)
    if row is None and reference is not None:
        # The record names a driver as the article does ("Darrell Wallace
        # Jr."); the official rows use the roster's name ("Bubba Wallace").
        d = reference.roster.by_name(fact.driver)
        row = race.row(d.name) if d is not None else None
    if row is None:
        return (False, None) if fact.type in ("finish_position", "start_position") else (None, None)
    official = getattr(row, col)
    return _agree(reference, fact.type, fact.value, official), official


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
        verdict, official = compare_fact(f, race, ctx.reference)
        if verdict is None:
            continue
        if verdict:
            agreed.append(i)
        elif official is None:
            yield warn(f"{ctx.label(i)}: {f.driver} is not in the official results of {label}", i)
        else:
            yield warn(f"{ctx.label(i)}: the official results of {label} give {official}", i)
    if agreed:
        yield ok(f"{len(agreed)} facts agree with the official results of {label}", *agreed)
    else:
        yield skip(f"no fact to compare with the official results of {label}")
