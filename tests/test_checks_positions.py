from extractor.models import Enumeration

from test_checks_support import fact, record, run, statuses


def start(driver, pos, at=0, **kw):
    return fact("start_position", driver, pos, text=f"start {pos}", at=at, **kw)


def finish(driver, pos, at=0, **kw):
    return fact("finish_position", driver, pos, text=f"{pos}.", at=at, **kw)


# ------------------------------------------------------- unique_positions
def test_unique_positions_passes():
    rec = record(start("Kyle Larson", 1), start("William Byron", 2), finish("Kyle Larson", 3))
    checks = run(rec, "unique_positions")
    assert statuses(checks) == ["pass", "pass"]


def test_unique_positions_fails_on_a_shared_position():
    rec = record(start("Kyle Larson", 1), start("William Byron", 3), start("Denny Hamlin", 3, at=50))
    [c] = run(rec, "unique_positions")
    assert c.status == "fail" and c.facts == [1, 2]
    assert "William Byron" in c.message and "Denny Hamlin" in c.message and "3" in c.message


def test_unique_positions_two_poles():
    rec = record(start("Kyle Larson", 1), start("William Byron", 1))
    [c] = run(rec, "unique_positions")
    assert c.status == "fail" and "pole" in c.message


def test_unique_positions_groups_are_separate_and_one_driver_two_values_warns():
    rec = record(finish("Kyle Larson", 1, group="Duel 1"), finish("William Byron", 1, group="Duel 2"))
    assert statuses(run(rec, "unique_positions")) == ["pass", "pass"]
    rec = record(start("Kyle Larson", 1), start("Kyle Larson", 4, at=90))
    [c] = run(rec, "unique_positions")
    assert c.status == "warn" and "Kyle Larson" in c.message


def test_unique_positions_skipped_and_other_scope_ignored():
    [c] = run(record(), "unique_positions")
    assert c.status == "skipped"
    rec = record(start("Kyle Larson", 1), start("William Byron", 1, scope="other"))
    [c] = run(rec, "unique_positions")
    assert c.status == "pass"


# ------------------------------------------------------- qualifying_order
def quali(lap_a=29.906, lap_b=29.990, start_a=1, start_b=2, track="Charlotte Motor Speedway", **kw):
    return record(
        fact("lap_time", "Kyle Larson", lap_a, text=str(lap_a), session="qualifying", **kw),
        fact("lap_time", "William Byron", lap_b, text=str(lap_b), session="qualifying", **kw),
        start("Kyle Larson", start_a), start("William Byron", start_b),
        track=track,
    )


def test_qualifying_order_passes():
    [c] = run(quali(), "qualifying_order")
    assert c.status == "pass" and c.facts == [0, 1, 2, 3]


def test_qualifying_order_fails_when_a_faster_lap_starts_behind():
    [c] = run(quali(lap_b=29.806, round=1), "qualifying_order")
    assert c.status == "fail"
    assert "William Byron (29.806 s) was faster than Kyle Larson (29.906 s)" in c.message
    assert c.facts == [0, 1, 2, 3]
    [c] = run(quali(start_a=3, round=1), "qualifying_order")
    assert c.status == "fail"


def test_qualifying_order_without_rounds_only_warns():
    # knockout qualifying: an unlabelled earlier-round lap may be faster
    [c] = run(quali(lap_b=29.806), "qualifying_order")
    assert c.status == "warn" and "round" in c.message


def test_qualifying_order_compares_speeds_and_softens_on_superspeedways():
    rec = record(
        fact("speed_mph", "Kyle Larson", 181.0, text="181.000", session="qualifying", round=1),
        fact("speed_mph", "William Byron", 182.0, text="182.000", session="qualifying", round=1),
        start("Kyle Larson", 1), start("William Byron", 2),
    )
    [c] = run(rec, "qualifying_order")
    assert c.status == "fail"
    rec.event.track = "Daytona International Speedway"
    [c] = run(rec, "qualifying_order")
    assert c.status == "warn"


def test_qualifying_order_only_final_round_orders_the_grid():
    # round 1: Byron quicker, but the grid follows round 2 where Larson was quicker
    rec = record(
        fact("lap_time", "Kyle Larson", 29.990, text="29.990", session="qualifying", round=1),
        fact("lap_time", "William Byron", 29.906, text="29.906", session="qualifying", round=1),
        fact("lap_time", "Kyle Larson", 29.800, text="29.800", session="qualifying", round=2),
        fact("lap_time", "William Byron", 29.850, text="29.850", session="qualifying", round=2),
        start("Kyle Larson", 1), start("William Byron", 2),
    )
    [c] = run(rec, "qualifying_order")
    assert c.status == "pass"


def test_qualifying_order_skipped():
    [c] = run(record(start("Kyle Larson", 1)), "qualifying_order")
    assert c.status == "skipped"
    # practice laps do not order the grid
    rec = record(
        fact("lap_time", "Kyle Larson", 29.906, text="29.906", session="practice"),
        fact("lap_time", "William Byron", 29.806, text="29.806", session="practice"),
        start("Kyle Larson", 1), start("William Byron", 2),
    )
    [c] = run(rec, "qualifying_order")
    assert c.status == "skipped"


# ------------------------------------------------------- enumeration_frame
def enum_record(first=7, last=10, names=4, values=(7, 8, 9, 10)):
    facts = [start(n, v, at=10 * k) for k, (n, v) in
             enumerate(zip(["Kyle Larson", "Denny Hamlin", "Bubba Wallace", "Daniel Suarez"], values))]
    e = Enumeration(kind="start_position", first=first, last=last, names=names,
                    facts=list(range(len(facts))), span=(0, 60), text="A, B, C and D completing the top 10")
    return record(*facts, enumerations=[e])


def test_enumeration_frame_passes():
    [c] = run(enum_record(), "enumeration_frame")
    assert c.status == "pass" and c.facts == [0, 1, 2, 3]


def test_enumeration_frame_fails_when_names_do_not_fill_the_frame():
    [c] = run(enum_record(last=11), "enumeration_frame")
    assert c.status == "fail" and "7-11" in c.message and "4 names" in c.message
    [c] = run(enum_record(values=(7, 8, 9, 11)), "enumeration_frame")
    assert c.status == "fail" and "[7, 8, 9, 11]" in c.message


def test_enumeration_frame_skipped():
    [c] = run(record(), "enumeration_frame")
    assert c.status == "skipped"
    [c] = run(enum_record(last=None), "enumeration_frame")
    assert c.status == "skipped"


# ------------------------------------------------------- results_complete
DRIVERS = ["Kyle Larson", "William Byron", "Denny Hamlin", "Ryan Blaney", "Joey Logano", "Chase Elliott"]


def results(values):
    return record(*[finish(DRIVERS[k], v, at=40 * k) for k, v in enumerate(values)])


def test_results_complete_passes():
    [c] = run(results([1, 2, 3, 4, 5, 6]), "results_complete")
    assert c.status == "pass" and c.facts == [0, 1, 2, 3, 4, 5]


def test_results_complete_warns_on_a_hole():
    [c] = run(results([1, 2, 3, 4, 6, 7]), "results_complete")
    assert c.status == "warn" and "[5]" in c.message


def test_results_complete_skipped_for_prose():
    [c] = run(results([1, 2, 5]), "results_complete")
    assert c.status == "skipped"
    # scattered mentions far apart are not a list
    rec = record(*[finish(DRIVERS[k], v, at=1000 * k) for k, v in enumerate([1, 2, 3, 4, 6, 7])])
    [c] = run(rec, "results_complete")
    assert c.status == "skipped"


def test_results_complete_counts_positions_stated_elsewhere():
    # the winner in the lead paragraph, the list of 2-6 further down
    rec = record(finish(DRIVERS[0], 1, at=0), *[finish(DRIVERS[k], k + 1, at=2000 + 40 * k) for k in range(1, 6)])
    [c] = run(rec, "results_complete")
    assert c.status == "pass" and c.facts == [1, 2, 3, 4, 5]
