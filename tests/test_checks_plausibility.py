from extractor.checks.plausibility import speed_range
from extractor.models import VenueMention

from test_checks_support import fact, record, run, statuses


# ------------------------------------------------------- speed_plausible
def test_speed_plausible_passes_per_kind():
    [c] = run(record(fact("speed_mph", "Kyle Larson", 180.566, text="180.566 mph")), "speed_plausible")
    assert c.status == "pass" and "intermediate" in c.message
    rec = record(fact("speed_mph", "Kyle Larson", 65.693, text="65.693 mph"), track="Los Angeles Memorial Coliseum")
    [c] = run(rec, "speed_plausible")
    assert c.status == "pass"


def test_speed_plausible_fails_out_of_range():
    # a km/h figure taken for mph, and a changed hundreds digit
    for v in (290.592, 80.566):
        [c] = run(record(fact("speed_mph", "Kyle Larson", v, text=f"{v} mph")), "speed_plausible")
        assert c.status == "fail" and "Kyle Larson" in c.message and str(v) in c.message
    rec = record(fact("speed_mph", "Kyle Larson", 165.693, text="165.693 mph"), track="Los Angeles Memorial Coliseum")
    [c] = run(rec, "speed_plausible")
    assert c.status == "fail"


def test_speed_plausible_unknown_track_uses_a_broad_range_and_skips_without_speeds():
    [c] = run(record(fact("speed_mph", "Kyle Larson", 180.566, text="x"), track="Nowhere"), "speed_plausible")
    assert c.status == "pass" and "any track" in c.message
    [c] = run(record(), "speed_plausible")
    assert c.status == "skipped"


def test_speed_ranges_mile_short_tracks_run_faster():
    assert speed_range("short", 1.0)[1] >= 165
    assert speed_range("short", 0.526)[1] <= 140
    assert speed_range("exhibition", 0.25) == (45.0, 85.0)
    assert speed_range(None, None) == (40.0, 220.0)


# ------------------------------------------------------- lap_time_plausible
def test_lap_time_plausible():
    [c] = run(record(fact("lap_time", "Kyle Larson", 29.906, text="29.906")), "lap_time_plausible")
    assert c.status == "pass"
    [c] = run(record(fact("lap_time", "Kyle Larson", 19.906, text="19.906")), "lap_time_plausible")
    assert c.status == "fail" and "19.906" in c.message and "271.3 mph" in c.message
    [c] = run(record(fact("lap_time", "Kyle Larson", 29.906, text="29.906"), track="Nowhere"), "lap_time_plausible")
    assert c.status == "skipped"


# ------------------------------------------------------- track_length_matches
def test_track_length_matches():
    [c] = run(record(stated_length=1.5), "track_length_matches")
    assert c.status == "pass"
    [c] = run(record(stated_length=1.33, track="Nashville Superspeedway"), "track_length_matches")
    assert c.status == "pass"
    [c] = run(record(stated_length=1.0, track="Phoenix Raceway"), "track_length_matches")
    assert c.status == "pass"
    [c] = run(record(stated_length=0.5, track="Martinsville Speedway"), "track_length_matches")
    assert c.status == "pass"  # "half-mile"


def test_track_length_mismatch():
    [c] = run(record(stated_length=1.366), "track_length_matches")
    assert c.status == "warn" and "1.366" in c.message and "1.5" in c.message
    [c] = run(record(stated_length=2.5), "track_length_matches")
    assert c.status == "fail"


def test_track_length_skipped():
    [c] = run(record(), "track_length_matches")
    assert c.status == "skipped"
    [c] = run(record(stated_length=1.5, track="Nowhere"), "track_length_matches")
    assert c.status == "skipped"


# ------------------------------------------------------- single_venue
def venue(name, at=0):
    return VenueMention(track=name, span=(at, at + len(name)), text=name)


def test_single_venue():
    rec = record(venues=[venue("Charlotte Motor Speedway"), venue("Charlotte", 100)])
    [c] = run(rec, "single_venue")
    assert c.status == "pass"
    rec = record(venues=[venue("Charlotte Motor Speedway"), venue("Pocono Raceway", 100)])
    [c] = run(rec, "single_venue")
    assert c.status == "warn" and "Pocono Raceway" in c.message
    [c] = run(record(), "single_venue")
    assert c.status == "skipped"
