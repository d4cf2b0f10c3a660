"""The reference loader against the committed patterns/ files (no ../shared needed, except the marked rebuild test)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.reference import load_reference, norm_name, track_key
from extractor.resources import patterns_dir

REPO = Path(__file__).resolve().parents[1]
SHARED_RESULTS = REPO.parent / "shared" / "reference" / "nascar_results.csv.gz"
KINDS = {"superspeedway", "intermediate", "short", "road", "street", "dirt", "exhibition"}


@pytest.fixture(scope="module")
def ref():
    return load_reference()


# ------------------------------------------------------------------ normalisation
@pytest.mark.parametrize(
    "text, key",
    [
        ("A. J. Allmendinger", "ajallmendinger"),
        ("AJ Allmendinger", "ajallmendinger"),
        ("A.J. Allmendinger", "ajallmendinger"),
        ("Daniel Suárez", "danielsuarez"),
        ("Ricky Stenhouse Jr.", "rickystenhousejr"),
        ("", ""),
    ],
)
def test_norm_name(text, key):
    assert norm_name(text) == key


# ------------------------------------------------------------------ drivers by alias
@pytest.mark.parametrize(
    "text, canonical",
    [
        ("Bubba Wallace", "Bubba Wallace"),
        ("Darrell Wallace Jr.", "Bubba Wallace"),
        ("Darrell Wallace Jr", "Bubba Wallace"),
        ('Darrell "Bubba" Wallace Jr.', "Bubba Wallace"),
        ("AJ Allmendinger", "A.J. Allmendinger"),
        ("A.J. Allmendinger", "A.J. Allmendinger"),
        ("A. J. Allmendinger", "A.J. Allmendinger"),
        ("Ricky Stenhouse Jr", "Ricky Stenhouse Jr."),
        ("Ricky Stenhouse Jr.", "Ricky Stenhouse Jr."),
        ("Daniel Suárez", "Daniel Suarez"),
        ("Daniel Suarez", "Daniel Suarez"),
        ("Martin Truex Jr", "Martin Truex Jr."),
        ("Martin Truex", "Martin Truex Jr."),
        ("Martin Truex Jr.'s", "Martin Truex Jr."),
        ("Dale Jr.", "Dale Earnhardt Jr."),
        ("Dale Earnhardt", "Dale Earnhardt"),
        ("Dale Earnhardt Sr.", "Dale Earnhardt"),
        ("John H. Nemechek", "John Hunter Nemechek"),
        ("John Hunter Nemechek", "John Hunter Nemechek"),
        ("Joe Nemechek", "Joe Nemechek"),
        ("Sam Hornish", "Sam Hornish Jr."),
        ("Nelsinho Piquet", "Nelson Piquet Jr."),
        ("Jeffery Earnhardt", "Jeffrey Earnhardt"),
        ("Kurt Busch", "Kurt Busch"),
        ("Kyle Busch", "Kyle Busch"),
        ("JJ Yeley", "J.J. Yeley"),
        ("Shane Van Gisbergen", "Shane van Gisbergen"),
        ("Kimi Räikkönen", "Kimi Raikkonen"),
    ],
)
def test_by_name(ref, text, canonical):
    d = ref.roster.by_name(text)
    assert d is not None, text
    assert d.name == canonical


@pytest.mark.parametrize("text", ["Junior", "Busch", "Nobody Atall", ""])
def test_by_name_misses(ref, text):
    assert ref.roster.by_name(text) is None


def test_display_spelling(ref):
    assert ref.roster.by_name("Daniel Suarez").display == "Daniel Suárez"


@pytest.mark.parametrize(
    "text, series, season, names",
    [
        ("Ron Hornaday", "Truck", 2005, ["Ron Hornaday Jr."]),
        ("Ron Hornaday", "Cup", 1960, ["Ron Hornaday"]),
        ("Dale Earnhardt", None, None, ["Dale Earnhardt"]),
    ],
)
def test_candidates_by_season(ref, text, series, season, names):
    assert [d.name for d in ref.roster.candidates(text, series, season)] == names


# ------------------------------------------------------------------ surnames
@pytest.mark.parametrize(
    "surname, series, season, names",
    [
        ("Busch", "Cup", 2018, {"Kurt Busch", "Kyle Busch"}),
        ("Busch", "Cup", 2024, {"Kyle Busch"}),
        ("Truex", "Cup", 2023, {"Martin Truex Jr."}),
        ("Truex Jr.", "Cup", 2023, {"Martin Truex Jr."}),
        ("Suárez", "Cup", 2023, {"Daniel Suarez"}),
        ("van Gisbergen", "Cup", 2025, {"Shane van Gisbergen"}),
        ("Wallace", "Cup", 2023, {"Bubba Wallace"}),
        ("Larson", "Cup", 2026, {"Kyle Larson"}),  # one season past the data reads as 2025
    ],
)
def test_surname_candidates(ref, surname, series, season, names):
    assert {d.name for d in ref.roster.surname_candidates(surname, series, season)} == names


def test_surname_candidates_unfiltered_includes_everyone(ref):
    names = {d.name for d in ref.roster.surname_candidates("Truex")}
    assert {"Martin Truex Jr.", "Martin Truex Sr.", "Ryan Truex"} <= names


# ------------------------------------------------------------------ numbers, seasons, teams
@pytest.mark.parametrize(
    "car, series, season, first",
    [
        ("19", "Cup", 2023, "Martin Truex Jr."),
        ("#19", "Cup", 2023, "Martin Truex Jr."),
        ("24", "Cup", 2023, "William Byron"),
        ("48", "Cup", 2010, "Jimmie Johnson"),
        ("3", "Cup", 1995, "Dale Earnhardt"),
    ],
)
def test_number_holders(ref, car, series, season, first):
    holders = ref.roster.number_holders(car, series, season)
    assert holders and holders[0].name == first


def test_number_holders_keep_leading_zeros(ref):
    zero_zero = {d.name for d in ref.roster.number_holders("00", "Cup", 2008)}
    zero = {d.name for d in ref.roster.number_holders("0", "Cup", 2008)}
    assert zero_zero and zero_zero != zero


def test_driver_seasons_and_cars(ref):
    truex = ref.roster.by_name("Martin Truex Jr.")
    assert truex.active("Cup", 2023)
    assert not truex.active("Truck", 2015)
    assert truex.active() and truex.active(None, 2010)
    assert truex.cars_in("Cup", 2023) == {"19"}
    assert "Joe Gibbs Racing" in truex.teams_in("Cup", 2023)
    assert truex.makes_in("Cup", 2023) == {"Toyota"}
    assert truex.surname == "Truex" and truex.given == "Martin"


def test_roster_is_sorted_and_unique(ref):
    names = [d.name for d in ref.roster.drivers]
    assert names == sorted(names)
    assert len(names) == len(set(names))


def test_alias_items_cover_curated_aliases(ref):
    items = set(ref.roster.alias_items())
    assert ("Darrell Wallace Jr.", "Bubba Wallace") in items
    assert ("AJ Allmendinger", "A.J. Allmendinger") in items
    assert ("Rowdy", "Kyle Busch") not in items  # nicknames stay apart
    assert ("Rowdy", "Kyle Busch") in set(ref.roster.nickname_items())


def test_generated_alias_never_steals_a_canonical_name(ref):
    # "Dale Earnhardt" would be Dale Jr. without his suffix; it is Dale Sr.'s name
    jr = ref.roster.by_name("Dale Earnhardt Jr.")
    assert "Dale Earnhardt" not in jr.aliases
    assert ref.roster.by_name("Bobby Hamilton").name == "Bobby Hamilton"


def test_every_curated_driver_is_in_the_roster(ref):
    names = {d.name for d in ref.roster.drivers}
    for rec in _jsonl(patterns_dir() / "driver_aliases.jsonl"):
        assert rec["name"] in names, rec["name"]


# ------------------------------------------------------------------ tracks
@pytest.mark.parametrize(
    "text, canonical, short",
    [
        ("Darlington (S.C.) Raceway", "Darlington Raceway", False),
        ("Darlington Raceway", "Darlington Raceway", False),
        ("the Lady in Black", "Darlington Raceway", False),
        ("the Monster Mile", "Dover Motor Speedway", False),
        ("Dover International Speedway", "Dover Motor Speedway", False),
        ("Dover Int’l Speedway", "Dover Motor Speedway", False),
        ("Dover Int'l Speedway", "Dover Motor Speedway", False),
        ("L.A. Coliseum", "Los Angeles Memorial Coliseum", False),
        ("the Coliseum", "Los Angeles Memorial Coliseum", False),
        ("Loudon", "New Hampshire Motor Speedway", True),
        ("New Hampshire International Speedway", "New Hampshire Motor Speedway", False),
        ("Phoenix International Raceway", "Phoenix Raceway", False),
        ("Phoenix", "Phoenix Raceway", True),
        ("California Speedway", "Auto Club Speedway", False),
        ("Sears Point Raceway", "Sonoma Raceway", False),
        ("Infineon Raceway", "Sonoma Raceway", False),
        ("Lowe's Motor Speedway", "Charlotte Motor Speedway", False),
        ("Lowe’s Motor Speedway", "Charlotte Motor Speedway", False),
        ("Gateway International Raceway", "World Wide Technology Raceway", False),
        ("O'Reilly Raceway Park", "Lucas Oil Indianapolis Raceway Park", False),
        ("the Brickyard", "Indianapolis Motor Speedway", False),
        ("The Glen", "Watkins Glen International", False),
        ("Dega", "Talladega Superspeedway", False),
        ("the Roval", "Charlotte Motor Speedway Road Course", False),
        ("the Magic Mile", "New Hampshire Motor Speedway", False),
        ("EchoPark Speedway", "Atlanta Motor Speedway", False),
        ("Nashville Super Speedway", "Nashville Superspeedway", False),
        ("Autódromo Hermanos Rodríguez", "Autodromo Hermanos Rodriguez", False),
        ("Martinsville Speedway's", "Martinsville Speedway", False),
        ("Langhorne Speedway", "Langhorne Speedway", False),  # old tracks from the results still resolve
    ],
)
def test_track_lookup(ref, text, canonical, short):
    m = ref.tracks.match(text)
    assert m is not None, text
    assert (m[0].name, m[1]) == (canonical, short)
    assert ref.tracks.lookup(text).name == canonical


@pytest.mark.parametrize("text", ["Nowhere Speedway", "", "the"])
def test_track_lookup_misses(ref, text):
    assert ref.tracks.lookup(text) is None


def test_track_key():
    assert track_key("Darlington (S.C.) Raceway") == track_key("Darlington Raceway")
    assert track_key("Dover Int’l Speedway") == track_key("Dover International Speedway")


@pytest.mark.parametrize(
    "track, season, expected",
    [
        ("Nashville Superspeedway", 2023, {1.33, 1.333}),
        ("Phoenix Raceway", 2024, {1.0, 1.022}),
        ("Pocono Raceway", 2022, {2.5}),
        ("Dover Motor Speedway", 2023, {1.0}),
        ("Sonoma Raceway", 2020, {2.52}),
        ("Sonoma Raceway", 2023, {1.99}),
        ("Circuit of the Americas", 2022, {3.41}),
        ("Circuit of the Americas", 2024, {2.4}),
        ("Los Angeles Memorial Coliseum", 2023, {0.25}),
        ("Bowman Gray Stadium", 2025, {0.25}),
        ("Watkins Glen International", 2023, {2.45}),
        ("Iowa Speedway", 2024, {0.875}),
    ],
)
def test_lengths_for(ref, track, season, expected):
    lengths = set(ref.tracks.lookup(track).lengths_for(season))
    assert expected <= lengths


def test_lengths_for_unknown_season_falls_back_to_all(ref):
    t = ref.tracks.lookup("Kentucky Speedway")
    assert t.lengths_for(2030) == t.lengths_for(None) == [1.5]


def test_tracks_table_is_well_formed(ref):
    ids = [t.id for t in ref.tracks.tracks]
    assert len(ids) == len(set(ids))
    assert len(ref.tracks.tracks) > 200
    for t in ref.tracks.tracks:
        assert t.kind in KINDS, t.name
        for lay in t.layouts:
            assert 0.1 < lay.length < 5, t.name
            assert lay.length in lay.published or not lay.published
        if t.parent:
            assert ref.tracks.by_id(t.parent) is not None, t.name
    rc = ref.tracks.lookup("the Roval")
    assert ref.tracks.parent_of(rc).name == "Charlotte Motor Speedway"


def test_track_alias_items(ref):
    items = set(ref.tracks.alias_items())
    assert ("the Monster Mile", "Dover Motor Speedway", False) in items
    assert ("Dover", "Dover Motor Speedway", True) in items


# ------------------------------------------------------------------ teams
@pytest.mark.parametrize(
    "text, canonical",
    [
        ("Joe Gibbs Racing", "Joe Gibbs Racing"),
        ("Joe Gibbs Racing's", "Joe Gibbs Racing"),
        ("JGR", "Joe Gibbs Racing"),
        ("HMS", "Hendrick Motorsports"),
        ("Roush Fenway Racing", "RFK Racing"),
        ("Penske Racing", "Team Penske"),
        ("Earnhardt Ganassi Racing", "Chip Ganassi Racing"),
        ("Petty GMS Motorsports", "Legacy Motor Club"),
        ("Trackhouse Racing Team", "Trackhouse Racing"),
        ("KBM", "Kyle Busch Motorsports"),
        ("TRICON Garage", "TRICON Garage"),
        ("Niece Motorsports", "Niece Motorsports"),  # listed from the results' Team column
    ],
)
def test_team_lookup(ref, text, canonical):
    t = ref.teams.lookup(text)
    assert t is not None and t.name == canonical


def test_team_people_are_not_drivers(ref):
    people = ref.teams.people()
    assert {"joegibbs", "rickhendrick", "rogerpenske", "richardchildress"} <= people
    assert "kylebusch" not in people and "kylebusch" in ref.teams.owner_drivers()
    assert "stevephelps" in ref.non_drivers()


def test_team_alias_items_are_pairs(ref):
    assert ("JGR", "Joe Gibbs Racing") in set(ref.teams.alias_items())
    assert ("Gibbs", "Joe Gibbs Racing", True) in set(ref.teams.alias_items_with_short())


# ------------------------------------------------------------------ lexicon
@pytest.mark.parametrize(
    "text, make",
    [
        ("Camaro", "Chevrolet"),
        ("Chevy", "Chevrolet"),
        ("Camaro ZL1", "Chevrolet"),
        ("Camry", "Toyota"),
        ("GR Supra", "Toyota"),
        ("Mustang", "Ford"),
        ("Dark Horse", "Ford"),
        ("Charger", "Dodge"),
        ("Grand Prix", "Pontiac"),
        ("Chevrolet", "Chevrolet"),
    ],
)
def test_manufacturers(ref, text, make):
    assert ref.lexicon.manufacturers[text.lower()] == make
    assert ref.lexicon.make_of(text) == make


@pytest.mark.parametrize(
    "text, series",
    [
        ("Sprint Cup", "Cup"),
        ("Winston Cup Series", "Cup"),
        ("Busch Grand National", "Xfinity"),
        ("Nationwide Series", "Xfinity"),
        ("XFINITY Series", "Xfinity"),
        ("Camping World Truck Series", "Truck"),
        ("Gander RV & Outdoors Truck Series", "Truck"),
        ("ARCA Menards Series", "ARCA"),
    ],
)
def test_series(ref, text, series):
    assert ref.lexicon.series_of(text) == series


def test_word_tables(ref):
    lex = ref.lexicon
    assert lex.number_words["twenty"] == 20 and lex.number_words["zero"] == 0
    assert lex.ordinals["first"] == 1 and lex.ordinals["fortieth"] == 40 and lex.ordinals["twenty-third"] == 23
    assert lex.fractions["hundredths"] == 0.01
    start = lex.position_phrases["start"]
    assert start["pole"] == 1 and start["outside of the front row"] == 2
    assert start["inside of the second row"] == 3 and start["outside of the second row"] == 4
    assert lex.position_phrases["finish"]["runner-up"] == 2


def test_manufacturer_items(ref):
    items = set(ref.lexicon.manufacturer_items())
    assert ("Camaro", "Chevrolet") in items and ("Camry", "Toyota") in items


# ------------------------------------------------------------------ loading
def test_load_reference_is_cached(ref):
    assert load_reference() is ref


def _jsonl(path: Path):
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("//"):
                yield json.loads(line)


@pytest.mark.shared
@pytest.mark.skipif(not SHARED_RESULTS.exists(), reason="needs ../shared/reference")
def test_committed_roster_is_up_to_date(tmp_path):
    out = tmp_path / "drivers.jsonl"
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_roster.py"), str(SHARED_RESULTS), "--out", str(out)],
        check=True, capture_output=True,
    )
    assert out.read_bytes() == (REPO / "patterns" / "drivers.jsonl").read_bytes()
