"""Month-and-day dates read directly, dateparser only for what this can't read.

The date phrases of an article are already matched by event.py's regexes
("June 24", "Sept. 5th, 2021"); handing each to dateparser cost ~1 ms a call
plus ~0.4 s of set-up on the first, for plain calendar arithmetic. Here a
phrase of the form ``Month Day[,] [Year]`` with a known month spelling and a
real calendar day is built directly, as dateparser builds it (a missing year
is the relative base's year: PREFER_DATES_FROM "current_period" moves
nothing). Anything else, an impossible day, a missing year without a base, an
odd spelling, goes to dateparser unchanged, imported on first need.
tests/test_dates.py holds the two to the same answers.
"""
from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}
_MONTH_DAY = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+((?:19|20)\d\d))?")


def _dateparser(phrase: str, settings: dict | None) -> dt.datetime | None:
    import dateparser

    if settings is None:
        return dateparser.parse(phrase, languages=["en"])
    return dateparser.parse(phrase, languages=["en"], settings=settings)


def parse_date(phrase: str, relative_base: dt.datetime | None = None) -> dt.datetime | None:
    """What ``dateparser.parse(phrase, languages=["en"], settings={"RELATIVE_BASE":
    relative_base, "PREFER_DATES_FROM": "current_period"})`` returns (without
    settings when ``relative_base`` is None), for the phrases event.py matches."""
    m = _MONTH_DAY.fullmatch(phrase)
    if m:
        if not 1 <= int(m.group(2)) <= 31:
            # "Feb 32" is no date; dateparser would read the number as a year
            # (February 2032) on the base's day.
            return None
        month = _MONTHS.get(m.group(1).lower())
        year = int(m.group(3)) if m.group(3) else (relative_base.year if relative_base else None)
        if month is not None and year is not None:
            try:
                return dt.datetime(year, month, int(m.group(2)))
            except ValueError:
                pass  # "June 31", "Feb. 29" off a leap year: dateparser's call
    # dateparser keeps a Settings object and its regex caches for every
    # distinct RELATIVE_BASE it is given, for good (dateparser issues #985,
    # #1140): one per article date would make a long batch's memory grow with
    # it. A month-day phrase takes only the base's year (current_period moves
    # nothing), so the base is pinned to mid-year: one entry per year.
    settings = None if relative_base is None else {"RELATIVE_BASE": dt.datetime(relative_base.year, 7, 1),
                                                   "PREFER_DATES_FROM": "current_period"}
    return _dateparser(phrase, settings)


def iso_date(s: str | None) -> dt.date | None:
    """The date an ISO string starts with ("2024-03-10", "2024-03-10T12:00"), else None."""
    if not s:
        return None
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        return None
