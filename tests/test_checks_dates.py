from extractor.models import DateMention

from test_checks_support import record, run


def dated(text, date, weekday):
    return record(dates=[DateMention(text=text, span=(0, len(text)), date=date, weekday=weekday)])


def test_weekday_matches_date_passes():
    [c] = run(dated("Sunday (June 25)", "2023-06-25", "Sunday"), "weekday_matches_date")
    assert c.status == "pass"
    [c] = run(dated("Sat., Nov. 9", "2024-11-09", "Sat."), "weekday_matches_date")
    assert c.status == "pass"


def test_weekday_matches_date_fails_on_a_changed_day():
    [c] = run(dated("Sunday (June 24)", "2023-06-24", "Sunday"), "weekday_matches_date")
    assert c.status == "fail"
    assert "June 24" in c.message and "Saturday" in c.message


def test_weekday_matches_date_skipped():
    [c] = run(dated("June 25", "2023-06-25", None), "weekday_matches_date")
    assert c.status == "skipped"
    [c] = run(record(), "weekday_matches_date")
    assert c.status == "skipped"


def test_race_after_qualifying():
    [c] = run(record(qualifying_date="2024-11-09", race_date="2024-11-10"), "race_after_qualifying")
    assert c.status == "pass"
    [c] = run(record(qualifying_date="2024-11-09", race_date="2024-11-08"), "race_after_qualifying")
    assert c.status == "fail" and "2024-11-08" in c.message
    [c] = run(record(qualifying_date="2024-10-09", race_date="2024-11-10"), "race_after_qualifying")
    assert c.status == "warn"
    [c] = run(record(race_date="2024-11-10"), "race_after_qualifying")
    assert c.status == "skipped"
