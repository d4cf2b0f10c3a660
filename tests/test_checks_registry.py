import pytest

from extractor.checks import CHECKS, register, run_checks
from extractor.checks.registry import decimals_of, half_unit, ok
from extractor.models import DateMention, VenueMention

from test_checks_support import fact, record, reference


def rich_record():
    return record(
        fact("car_number", "Kyle Larson", "5", text="No. 5", at=0),
        fact("lap_time", "Kyle Larson", 29.906, text="29.906 seconds", at=10, session="qualifying"),
        fact("speed_mph", "Kyle Larson", 180.566, text="180.566 mph", at=30, session="qualifying",
             kmh=290.592, kmh_span=(42, 49)),
        fact("lap_time", "William Byron", 29.990, text="29.990", at=60, session="qualifying"),
        fact("gap", "Kyle Larson", 0.084, other="William Byron", text=".084 seconds", at=80),
        fact("start_position", "Kyle Larson", 1, text="pole", at=100),
        fact("start_position", "William Byron", 2, text="second", at=120),
        fact("finish_position", "Kyle Larson", 7, text="seventh at Pocono", at=300, scope="other"),
        stated_length=1.5,
        qualifying_date="2024-05-25", race_date="2024-05-26",
        dates=[DateMention(text="Sunday, May 26", span=(200, 214), date="2024-05-26", weekday="Sunday")],
        venues=[VenueMention(track="Charlotte Motor Speedway", span=(220, 244), text="Charlotte Motor Speedway")],
    )


def test_every_check_reports_once_at_least_in_registry_order():
    checks = run_checks(rich_record(), reference(), use_default_reference=False)
    names = [c.name for c in checks]
    assert set(names) == set(CHECKS)
    order = {n: k for k, n in enumerate(CHECKS)}
    assert names == sorted(names, key=order.__getitem__)
    assert all(c.message for c in checks)


def test_rich_record_has_no_failure_and_is_deterministic():
    rec = rich_record()
    a = run_checks(rec, reference(), use_default_reference=False)
    b = run_checks(rich_record(), reference(), use_default_reference=False)
    assert [c.model_dump() for c in a] == [c.model_dump() for c in b]
    bad = [(c.name, c.message) for c in a if c.status in ("fail", "warn")]
    assert bad == []
    ran = {c.name for c in a if c.status == "pass"}
    assert {"speed_matches_lap_time", "kmh_matches_mph", "gap_matches", "unique_positions",
            "qualifying_order", "weekday_matches_date", "race_after_qualifying",
            "track_length_matches", "single_venue", "speed_plausible"} <= ran


def test_checks_never_change_the_record_and_indices_point_into_facts():
    rec = rich_record()
    before = rec.model_dump()
    checks = run_checks(rec, reference(), use_default_reference=False)
    assert rec.model_dump() == before
    for c in checks:
        assert all(0 <= i < len(rec.facts) for i in c.facts)
        assert 7 not in c.facts  # scope "other" is never cross-checked


def test_a_broken_check_is_reported_not_raised():
    @register("_test_broken")
    def broken(ctx):
        raise RuntimeError("boom")

    try:
        [c] = run_checks(record(), None, use_default_reference=False, names=["_test_broken"])
        assert c.status == "warn" and "boom" in c.message
    finally:
        del CHECKS["_test_broken"]


def test_register_refuses_a_second_function_under_the_same_name():
    with pytest.raises(ValueError):
        @register("speed_matches_lap_time")
        def other(ctx):
            yield ok("x")


def test_decimals_read_from_the_text():
    assert decimals_of(30.1, "30.100 seconds") == 3
    assert decimals_of(77.719, "1:17.719") == 3
    assert decimals_of(0.2, "two-tenths") == 1
    assert half_unit(181.172) == pytest.approx(0.0005)


def test_run_checks_loads_the_packaged_reference_by_default():
    rec = record(
        fact("lap_time", "Kyle Larson", 29.906, text="29.906", at=0),
        fact("speed_mph", "Kyle Larson", 180.566, text="180.566", at=10),
    )
    [c] = [c for c in run_checks(rec) if c.name == "speed_matches_lap_time"]
    assert c.status == "pass"
    [c] = [c for c in run_checks(rec, use_default_reference=False) if c.name == "speed_matches_lap_time"]
    assert c.status == "skipped"
