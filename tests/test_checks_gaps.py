from test_checks_support import fact, record, run, statuses


def gap_record(gap=".084", lap_a=29.906, lap_b=29.990, *, speeds=False, **gap_kw):
    kind = "speed_mph" if speeds else "lap_time"
    a = round(1.5 * 3600 / lap_a, 3) if speeds else lap_a
    b = round(1.5 * 3600 / lap_b, 3) if speeds else lap_b
    return record(
        fact(kind, "Kyle Larson", a, text=f"{a}", at=10),
        fact(kind, "William Byron", b, text=f"{b}", at=200),
        fact("gap", "Kyle Larson", float(gap), other="William Byron", text=f"{gap} seconds", at=60, **gap_kw),
    )


def test_gap_matches_lap_times():
    [c] = run(gap_record(), "gap_matches")
    assert c.status == "pass" and c.facts == [0, 1, 2]


def test_gap_matches_speeds_through_the_track_length():
    [c] = run(gap_record(speeds=True), "gap_matches")
    assert c.status == "pass", c.message
    assert "mph on 1.5 mi" in c.message


def test_gap_matches_fails_on_a_changed_digit():
    [c] = run(gap_record(".094"), "gap_matches")
    assert c.status == "fail"
    assert "Kyle Larson" in c.message and "William Byron" in c.message and ".094" in c.message
    [c] = run(gap_record(lap_b=29.890), "gap_matches")
    assert c.status == "fail" and "-0.016 s apart" in c.message
    [c] = run(gap_record(lap_b=29.822), "gap_matches")
    assert c.status == "fail" and "the times say William Byron was the faster one" in c.message
    [c] = run(gap_record(".184", speeds=True), "gap_matches")
    assert c.status == "fail"


def test_gap_matches_skipped():
    rec = record(fact("gap", "Kyle Larson", 0.084, other="William Byron", text=".084"))
    [c] = run(rec, "gap_matches")
    assert c.status == "skipped"
    # a race gap (same number as the margin of victory) is not a lap difference
    rec = gap_record(".500")
    rec.facts.append(fact("margin_of_victory", None, 0.5, text=".500 seconds", at=60))
    [c] = run(rec, "gap_matches")
    assert c.status == "skipped" and "race gap" in c.message
    [c] = run(gap_record(".184", session="race"), "gap_matches")
    assert c.status == "skipped"
    # speeds without a known track cannot be compared
    [c] = run(gap_record(speeds=True), "gap_matches", ref=None)
    assert c.status == "skipped"
    # approximate gaps ("over two-tenths") are not compared
    [c] = run(gap_record(".2", approximate=True), "gap_matches")
    assert c.status == "skipped"


def test_gap_matches_respects_rounds():
    rec = record(
        fact("lap_time", "Kyle Larson", 29.906, text="29.906", at=10, round=2),
        fact("lap_time", "William Byron", 29.990, text="29.990", at=20, round=2),
        fact("lap_time", "William Byron", 30.500, text="30.500", at=30, round=1),
        fact("gap", "Kyle Larson", 0.084, other="William Byron", text=".084", at=40, round=2),
    )
    [c] = run(rec, "gap_matches")
    assert c.status == "pass" and c.facts == [0, 1, 3]


def test_margin_plausible():
    rec = record(
        fact("margin_of_victory", None, 0.789, text="0.789 seconds"),
        fact("gap", "Kyle Larson", 0.084, other="William Byron", text=".084"),
    )
    assert statuses(run(rec, "margin_plausible")) == ["pass", "pass"]
    rec.facts[0] = fact("margin_of_victory", None, 78.9, text="78.9 seconds")
    checks = run(rec, "margin_plausible")
    assert statuses(checks) == ["warn", "pass"] and "78.9" in checks[0].message
    rec.facts[0] = fact("margin_of_victory", None, -0.789, text="-0.789 seconds")
    assert statuses(run(rec, "margin_plausible"))[0] == "fail"
    rec.facts[1] = fact("gap", "Kyle Larson", 0.084, other="Kyle Larson", text=".084")
    assert statuses(run(rec, "margin_plausible"))[1] == "fail"
    [c] = run(record(), "margin_plausible")
    assert c.status == "skipped"
