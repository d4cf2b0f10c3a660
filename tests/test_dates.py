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
    got = parse_date(phrase, base)
    day = int("".join(ch for ch in phrase.split()[1] if ch.isdigit()))
    if not 1 <= day <= 31:
        # the one deliberate difference: dateparser reads "Feb 32" as February
        # 2032 on the base's day, a wrong date; no day above 31 is a date
        assert got is None
        return
    want = _want(phrase, base)
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
    assert seen == [("June 31", {"RELATIVE_BASE": dt.datetime(2023, 7, 1), "PREFER_DATES_FROM": "current_period"})]


def test_dateparser_sees_one_base_per_year(monkeypatch):
    """dateparser caches per distinct RELATIVE_BASE without limit: a batch of
    articles from every day of a season must hand it one base, not 365."""
    import extractor.dates as dates

    bases = set()
    monkeypatch.setattr(dates, "_dateparser", lambda p, s: bases.add(s["RELATIVE_BASE"]))
    for day in range(365):
        parse_date("Febr 31", dt.datetime(2023, 1, 1) + dt.timedelta(days=day))
    assert bases == {dt.datetime(2023, 7, 1)}
