"""extractor.dates answers as dateparser does for the phrases event.py hands it."""
from __future__ import annotations

import datetime as dt
import itertools

import dateparser
import pytest

from extractor.dates import _MONTHS, parse_date

SPELLINGS = sorted({*_MONTHS, *(k.capitalize() for k in _MONTHS), *(k.upper() for k in ("jan", "june", "sept")),
                    *(k.capitalize() + "." for k in _MONTHS if len(k) <= 4), "Sepember", "Febr"})
DAYS = ["0", "1", "07", "9th", "21st", "22nd", "23rd", "28", "29", "30", "31", "32", "40"]
YEARS = ["", ", 2023", " 2024", ", 1999"]
BASES = [None, dt.datetime(2023, 6, 24), dt.datetime(2024, 2, 10)]
# Every spelling and day once, years and bases rotated: ~500 cases, a few seconds of dateparser.
CASES = [(f"{m} {d}{YEARS[i % 4]}", BASES[(i // 4) % 3])
         for i, (m, d) in enumerate(itertools.product(SPELLINGS, DAYS))]


def _want(phrase: str, base: dt.datetime | None):
    if base is None:
        return dateparser.parse(phrase, languages=["en"])
    return dateparser.parse(phrase, languages=["en"],
                            settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "current_period"})


@pytest.mark.parametrize("phrase,base", CASES, ids=[f"{p}|{b and b.date()}" for p, b in CASES])
def test_same_date_as_dateparser(phrase, base):
    want, got = _want(phrase, base), parse_date(phrase, base)
    assert (want and want.date()) == (got and got.date())


@pytest.mark.parametrize("phrase,base,expected", [
    ("June 24", dt.datetime(2023, 1, 2), dt.date(2023, 6, 24)),
    ("Sept. 5, 2021", None, dt.date(2021, 9, 5)),
    ("Feb 29", dt.datetime(2024, 7, 1), dt.date(2024, 2, 29)),
    ("December 31st 1999", dt.datetime(2024, 7, 1), dt.date(1999, 12, 31)),
])
def test_read_directly_without_dateparser(monkeypatch, phrase, base, expected):
    import extractor.dates as dates

    monkeypatch.setattr(dates, "_dateparser", lambda *a: pytest.fail("dateparser was called"))
    assert parse_date(phrase, base).date() == expected


def test_impossible_day_goes_to_dateparser(monkeypatch):
    import extractor.dates as dates

    seen = []
    monkeypatch.setattr(dates, "_dateparser", lambda p, s: seen.append((p, s)))
    parse_date("June 31", dt.datetime(2023, 1, 1))
    assert seen == [("June 31", {"RELATIVE_BASE": dt.datetime(2023, 1, 1), "PREFER_DATES_FROM": "current_period"})]
