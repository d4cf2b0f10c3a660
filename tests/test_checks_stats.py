from test_checks_support import fact, record, run, statuses


def total(n, at=0):
    return fact("total_laps", None, n, text=f"{n} laps", at=at)


def led(driver, n, at=0):
    return fact("laps_led", driver, n, text=f"led {n}", at=at)


def test_laps_led_within_total():
    rec = record(led("Kyle Larson", 99), total(300))
    [c] = run(rec, "laps_led_within_total")
    assert c.status == "pass" and c.facts == [0, 1]
    rec = record(led("Kyle Larson", 399), total(300))
    [c] = run(rec, "laps_led_within_total")
    assert c.status == "fail" and "Kyle Larson led 399" in c.message
    [c] = run(record(led("Kyle Larson", 99)), "laps_led_within_total")
    assert c.status == "skipped"


def test_leaders_within_lead_changes():
    rec = record(fact("leaders", None, 12, text="12 leaders"), fact("lead_changes", None, 21, text="21"))
    [c] = run(rec, "leaders_within_lead_changes")
    assert c.status == "pass"
    rec.facts[1] = fact("lead_changes", None, 2, text="2")
    [c] = run(rec, "leaders_within_lead_changes")
    assert c.status == "fail" and "12 leaders" in c.message and "2 lead changes" in c.message
    [c] = run(record(fact("leaders", None, 12, text="12")), "leaders_within_lead_changes")
    assert c.status == "skipped"


def test_laps_led_sum():
    rec = record(led("Kyle Larson", 99), led("William Byron", 150), led("Kyle Larson", 40), total(300))
    [c] = run(rec, "laps_led_sum")
    assert c.status == "pass" and "249" in c.message  # Larson's biggest figure counts once
    rec.facts[1] = led("William Byron", 250)
    [c] = run(rec, "laps_led_sum")
    assert c.status == "warn" and "349" in c.message
    [c] = run(record(led("Kyle Larson", 99), total(300)), "laps_led_sum")
    assert c.status == "skipped"


def test_entries_cover_positions():
    rec = record(fact("entries", None, 36, text="36 entries"),
                 fact("finish_position", "Kyle Larson", 36, text="36th"))
    [c] = run(rec, "entries_cover_positions")
    assert c.status == "pass"
    rec.facts[1] = fact("finish_position", "Kyle Larson", 38, text="38th")
    [c] = run(rec, "entries_cover_positions")
    assert c.status == "fail" and "Kyle Larson" in c.message and "38" in c.message
    [c] = run(record(fact("entries", None, 36, text="36")), "entries_cover_positions")
    assert c.status == "skipped"


def avg_record(avg=133.414, laps=267, secs=10807, track="Charlotte Motor Speedway"):
    return record(
        fact("average_speed_mph", None, avg, text=f"{avg} mph"),
        total(laps),
        fact("race_duration", None, secs, text="three hours"),
        track=track,
    )


def test_average_speed_matches_duration():
    [c] = run(avg_record(), "average_speed_matches_duration")
    assert c.status == "pass" and c.facts == [0, 1, 2]
    [c] = run(avg_record(avg=143.414), "average_speed_matches_duration")
    assert c.status == "warn" and "143.414" in c.message
    [c] = run(avg_record(track="Nowhere"), "average_speed_matches_duration")
    assert c.status == "skipped"
    rec = avg_record()
    rec.facts.pop(2)
    [c] = run(rec, "average_speed_matches_duration")
    assert c.status == "skipped"


def test_stats_ignore_other_scope():
    rec = record(led("Kyle Larson", 399, ), total(300))
    rec.facts[0].scope = "other"
    [c] = run(rec, "laps_led_within_total")
    assert c.status == "skipped"
