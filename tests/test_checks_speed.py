from test_checks_support import fact, record, run, statuses


def lap_and_speed(lap="29.906", speed="180.566", **kw):
    track = kw.pop("track", "Charlotte Motor Speedway")
    return record(
        fact("lap_time", "Kyle Larson", float(lap), text=f"{lap} seconds", at=100, **kw),
        fact("speed_mph", "Kyle Larson", float(speed), text=f"{speed} mph", at=120, **kw),
        track=track,
    )


# ------------------------------------------------------- speed_matches_lap_time
def test_speed_matches_lap_time_passes():
    [c] = run(lap_and_speed(), "speed_matches_lap_time")
    assert c.status == "pass"
    assert c.facts == [0, 1]
    assert "180.566 mph" in c.message and "Charlotte Motor Speedway (1.5 mi)" in c.message


def test_speed_matches_lap_time_accepts_every_published_length():
    # Nashville: 1.333 in the results, 1.33 in the news; both are accepted
    for speed in ("160.099", "159.738"):
        [c] = run(lap_and_speed("29.974", speed, track="Nashville Superspeedway"), "speed_matches_lap_time")
        assert c.status == "pass", c.message


def test_speed_matches_lap_time_fails_on_a_changed_units_digit():
    [c] = run(lap_and_speed(speed="181.566"), "speed_matches_lap_time")
    assert c.status == "fail"
    assert "Kyle Larson" in c.message and "181.566" in c.message and "180.566" in c.message
    assert c.facts == [0, 1]


def test_speed_matches_lap_time_fails_on_a_changed_lap_digit():
    for lap in ("29.916", "28.906", "29.806"):
        [c] = run(lap_and_speed(lap=lap), "speed_matches_lap_time")
        assert c.status == "fail", (lap, c.message)
        assert lap in c.message


def test_speed_matches_lap_time_last_digit_of_speed_fails():
    [c] = run(lap_and_speed(speed="180.567"), "speed_matches_lap_time")
    assert c.status == "fail"  # a 3-decimal lap pins the speed to its last digit
    [c] = run(lap_and_speed(speed="180.572"), "speed_matches_lap_time")
    assert c.status in ("warn", "fail")


def test_speed_matches_lap_time_skipped_without_track_or_pairs():
    [c] = run(lap_and_speed(track="Nowhere Speedway"), "speed_matches_lap_time")
    assert c.status == "skipped" and "Nowhere Speedway" in c.message
    rec = record(fact("speed_mph", "Kyle Larson", 180.566, text="180.566 mph"))
    [c] = run(rec, "speed_matches_lap_time")
    assert c.status == "skipped"
    [c] = run(lap_and_speed(), "speed_matches_lap_time", ref=None)
    assert c.status == "skipped" and "reference" in c.message


def test_speed_matches_lap_time_pairs_by_session_and_round():
    rec = record(
        fact("lap_time", "Kyle Larson", 30.101, text="30.101 s", at=10, session="practice"),
        fact("speed_mph", "Kyle Larson", 180.566, text="180.566 mph", at=500, session="qualifying"),
    )
    [c] = run(rec, "speed_matches_lap_time")
    assert c.status == "skipped"
    rec = record(
        fact("lap_time", "Kyle Larson", 29.906, text="29.906 s", at=10, round=1),
        fact("speed_mph", "Kyle Larson", 180.566, text="180.566 mph", at=30, round=1),
        fact("lap_time", "Kyle Larson", 30.101, text="30.101 s", at=200, round=2),
        fact("speed_mph", "Kyle Larson", 179.396, text="179.396 mph", at=220, round=2),
    )
    assert statuses(run(rec, "speed_matches_lap_time")) == ["pass", "pass"]


def test_speed_matches_lap_time_unlabelled_sessions_pick_the_matching_lap():
    rec = record(
        fact("lap_time", "Kyle Larson", 30.101, text="30.101 s", at=10),
        fact("speed_mph", "Kyle Larson", 179.396, text="179.396 mph", at=30),
        fact("lap_time", "Kyle Larson", 29.906, text="29.906 s", at=400),
        fact("speed_mph", "Kyle Larson", 180.566, text="180.566 mph", at=420),
    )
    checks = run(rec, "speed_matches_lap_time")
    assert statuses(checks) == ["pass", "pass"]
    assert [c.facts for c in checks] == [[0, 1], [2, 3]]


def test_speed_matches_lap_time_far_apart_mismatch_is_only_a_warn():
    rec = record(
        fact("lap_time", "Kyle Larson", 30.101, text="30.101 s", at=10),
        fact("speed_mph", "Kyle Larson", 180.566, text="180.566 mph", at=900),
    )
    [c] = run(rec, "speed_matches_lap_time")
    assert c.status == "warn" and "far apart" in c.message


def test_speed_matches_lap_time_ignores_other_scope_and_approximate():
    rec = lap_and_speed(speed="181.566")
    rec.facts[1].scope = "other"
    [c] = run(rec, "speed_matches_lap_time")
    assert c.status == "skipped"
    rec = lap_and_speed(speed="181.566")
    rec.facts[1].approximate = True
    [c] = run(rec, "speed_matches_lap_time")
    assert c.status == "skipped"


def test_speed_matches_lap_time_trailing_zero_in_text_counts():
    # "30.100 seconds" -> value 30.1 but printed to 3 decimals: the tight band applies
    rec = record(
        fact("lap_time", "Kyle Larson", 30.1, text="30.100 seconds", at=0),
        fact("speed_mph", "Kyle Larson", 179.402, text="179.402 mph", at=20),
    )
    [c] = run(rec, "speed_matches_lap_time")
    assert c.status == "pass"
    rec.facts[1] = fact("speed_mph", "Kyle Larson", 179.404, text="179.404 mph", at=20)
    [c] = run(rec, "speed_matches_lap_time")
    assert c.status == "fail"


# ------------------------------------------------------- kmh_matches_mph
def kmh_record(mph=180.566, kmh=290.592):
    return record(fact("speed_mph", "Kyle Larson", mph, text=f"{mph}mph ({kmh}km/h)", kmh=kmh, kmh_span=(9, 16)))


def test_kmh_matches_mph_passes():
    [c] = run(kmh_record(), "kmh_matches_mph")
    assert c.status == "pass" and c.facts == [0]
    # a source converting from an unrounded speed is a thousandth off: still fine
    [c] = run(kmh_record(181.172, 291.568), "kmh_matches_mph")
    assert c.status == "pass"


def test_kmh_matches_mph_fails_on_a_changed_digit():
    [c] = run(kmh_record(kmh=290.692), "kmh_matches_mph")
    assert c.status == "fail"
    assert "Kyle Larson" in c.message and "290.692" in c.message
    [c] = run(kmh_record(kmh=290.582), "kmh_matches_mph")
    assert c.status == "fail"


def test_kmh_matches_mph_coarse_factor_warns():
    [c] = run(kmh_record(kmh=round(180.566 * 1.609, 3)), "kmh_matches_mph")
    assert c.status == "warn" and "1.609" in c.message


def test_kmh_matches_mph_skipped_without_kmh():
    rec = record(fact("speed_mph", "Kyle Larson", 180.566, text="180.566 mph"))
    [c] = run(rec, "kmh_matches_mph")
    assert c.status == "skipped"


def test_speed_matches_lap_time_far_apart_but_same_round_fails():
    rec = record(
        fact("lap_time", "Kyle Larson", 29.906, text="29.906 s", at=10, session="qualifying", round=2),
        fact("speed_mph", "Kyle Larson", 181.566, text="181.566 mph", at=900, session="qualifying", round=2),
    )
    [c] = run(rec, "speed_matches_lap_time")
    assert c.status == "fail" and "round 2" in c.message
