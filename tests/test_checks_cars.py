from test_checks_support import fact, fake_reference, record, run, statuses


def car(driver, number, at=0):
    return fact("car_number", driver, number, text=f"No. {number}", at=at)


# ------------------------------------------------------- car_number_unique
def test_car_number_unique_passes():
    rec = record(car("Joey Logano", "22"), car("Ryan Blaney", "12"), car("Joey Logano", "22", at=90))
    [c] = run(rec, "car_number_unique")
    assert c.status == "pass" and c.facts == [0, 1, 2]


def test_car_number_unique_fails_on_shared_number_or_two_numbers():
    rec = record(car("Joey Logano", "22"), car("Ryan Blaney", "22"))
    [c] = run(rec, "car_number_unique")
    assert c.status == "fail" and "No. 22" in c.message and "Ryan Blaney" in c.message
    rec = record(car("Joey Logano", "22"), car("Joey Logano", "12"))
    [c] = run(rec, "car_number_unique")
    assert c.status == "fail" and "Joey Logano drives No. 22" in c.message


def test_car_number_unique_keeps_leading_zeros_apart():
    rec = record(car("Joey Logano", "07"), car("Ryan Blaney", "7"))
    [c] = run(rec, "car_number_unique")
    assert c.status == "pass"


def test_car_number_unique_skipped():
    [c] = run(record(), "car_number_unique")
    assert c.status == "skipped"


# ------------------------------------------------------- car_number_roster
def test_car_number_roster_passes():
    rec = record(car("Joey Logano", "22"), car("Ryan Blaney", "12"))
    assert statuses(run(rec, "car_number_roster")) == ["pass", "pass"]


def test_car_number_roster_warns_on_a_changed_number():
    rec = record(car("Joey Logano", "12"))
    [c] = run(rec, "car_number_roster")
    assert c.status == "warn"
    assert "Joey Logano" in c.message and "No. 22" in c.message and "Ryan Blaney" in c.message


def test_car_number_roster_skipped():
    # not in the roster
    [c] = run(record(car("Nobody Atall", "99")), "car_number_roster")
    assert c.status == "skipped" and "Nobody Atall" in c.message
    # no series / season to look it up in
    [c] = run(record(car("Joey Logano", "22"), series=None), "car_number_roster")
    assert c.status == "skipped"
    [c] = run(record(car("Joey Logano", "22")), "car_number_roster", ref=None)
    assert c.status == "skipped"
    [c] = run(record(), "car_number_roster", ref=fake_reference())
    assert c.status == "skipped"
