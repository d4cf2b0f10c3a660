"""Official results: the compact table, race linking, the official_results check, `reference update`.

Every test but the two marked ``shared`` builds its own small results table
in a temporary patterns folder (no network, no ../shared).
"""
from __future__ import annotations

import dataclasses
import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.checks import run_checks
from extractor.models import Event, Fact, RaceLink, Record
from extractor.reference import load_reference
from extractor.resources import patterns_dir, ruleset_hash
from extractor.results import (
    CarResult,
    Race,
    RaceLinker,
    ResultsTable,
    entry_list,
    load_results,
    merge_results,
    official_row,
    race_of,
    read_results_csv,
    write_results,
)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SHARED_RESULTS = SHARED / "reference" / "nascar_results.csv.gz"
DEV = SHARED / "corpus" / "dev"

HEADER = "Series,Season,Race,Track,Name,Length,Surface,Finish,Start,Car,Driver,Make,Pts,Laps,Led,Status,Team,Rating,Win"

# A made-up season: three races at two tracks (Bristol twice), four cars each.
RACES = {
    1: ("Phoenix Raceway", "Spring Phoenix 312", [
        ("Kyle Larson", "5", "Chevrolet", "Hendrick Motorsports", 2, 120),
        ("Denny Hamlin", "11", "Toyota", "Joe Gibbs Racing", 1, 80),
        ("Ryan Blaney", "12", "Ford", "Team Penske", 4, 10),
        ("Austin J. Hill", "33", "Chevrolet", "Richard Childress Racing", 3, 2)]),
    2: ("Bristol Motor Speedway", "Food City 500", [
        ("Denny Hamlin", "11", "Toyota", "Joe Gibbs Racing", 3, 200),
        ("Kyle Larson", "5", "Chevrolet", "Hendrick Motorsports", 1, 150),
        ("Ryan Blaney", "12", "Ford", "Team Penske", 2, 100),
        ("Chase Elliott", "9", "Chevrolet", "Hendrick Motorsports", 4, 50)]),
    3: ("Bristol Motor Speedway", "Bass Pro Shops Night Race", [
        ("Ryan Blaney", "12", "Ford", "Team Penske", 1, 300),
        ("Chase Elliott", "9", "Chevrolet", "Hendrick Motorsports", 2, 100),
        ("Kyle Larson", "5", "Chevrolet", "Hendrick Motorsports", 4, 90),
        ("Denny Hamlin", "11", "Toyota", "Joe Gibbs Racing", 3, 10)]),
}


def _csv(season: int, races: dict = RACES, series: str = "Cup") -> str:
    lines = [HEADER]
    for rnd, (track, name, cars) in races.items():
        for fin, (driver, car, make, team, start, led) in enumerate(cars, 1):
            lines.append(f"{series},{season},{rnd},{track},{name},0.533,paved,{fin},{start},{car},{driver},{make},,500,"
                         f"{led},running,{team},,{1.0 if fin == 1 else 0.0}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """A patterns folder whose results table is the made-up 2030 season (the other files are the project's)."""
    d = tmp_path_factory.mktemp("patterns")
    for name in ("tracks.jsonl", "results_linking.json", "driver_aliases.jsonl", "lexicon.json", "teams.jsonl"):
        shutil.copy(patterns_dir() / name, d / name)
    src = d / "results.csv"
    src.write_text(_csv(2030), encoding="utf-8")
    write_results(d / "results.zip", read_results_csv(src, d))
    return d


@pytest.fixture(scope="module")
def ref(base):
    return dataclasses.replace(load_reference(), base=base)


@pytest.fixture()
def linker(ref):
    return RaceLinker(ref)


def _record(*facts: tuple, **event) -> Record:
    fs = [Fact(type=t, driver=d, value=v, span=(0, 1), text="x", **extra) for t, d, v, *rest in facts
          for extra in [rest[0] if rest else {}]]
    return Record(doc_id="t", event=Event(**event), facts=fs)


# ------------------------------------------------------------------ the table
def test_table_reads_back_what_was_written(base):
    table = load_results(base)
    assert table.coverage == {"Cup": 2030}
    bristol = table.race("Cup", 2030, 2)
    assert (bristol.track, bristol.name, bristol.winner, bristol.pole) == (
        "Bristol Motor Speedway", "Food City 500", "Denny Hamlin", "Kyle Larson")
    assert bristol.row("denny hamlin") == CarResult(1, 3, "11", "Denny Hamlin", "Toyota", "Joe Gibbs Racing", 500, 200, "running")
    assert table.race("Cup", 2030, 9) is None and table.races("Xfinity", 2030) == []


def test_driver_names_are_canonicalised_as_the_roster(base):
    """A name the roster folds into another ("Austin J. Hill" -> "Austin Hill") is folded here too."""
    race = load_results(base).race("Cup", 2030, 1)
    assert "Austin Hill" in entry_list(race) and "Austin J. Hill" not in entry_list(race)


def test_build_is_deterministic(tmp_path, base):
    races = list(load_results(base).all_races())
    a, b = tmp_path / "a.zip", tmp_path / "b.zip"
    write_results(a, races)
    write_results(b, list(reversed(races)))
    assert a.read_bytes() == b.read_bytes()


def test_csv_gz_and_missing_columns(tmp_path, base):
    gz = tmp_path / "r.csv.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as fh:
        fh.write(_csv(2031))
    assert {r.season for r in read_results_csv(gz, base)} == {2031}
    bad = tmp_path / "bad.csv"
    bad.write_text("Series,Season\nCup,2030\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing column"):
        read_results_csv(bad, base)


def _race(series, season, rnd, winner):
    return Race(series, season, rnd, "Phoenix Raceway", "R", 1.0, (CarResult(1, 1, "1", winner, None, None, 1, 1, None),))


races_st = st.lists(
    st.builds(_race, st.sampled_from(["Cup", "Truck"]), st.integers(2020, 2022), st.integers(1, 4),
              st.sampled_from(["A B", "C D"])), max_size=12)


@settings(max_examples=60, deadline=None)
@given(old=races_st, new=races_st)
def test_merge_lays_new_races_over_old(old, new):
    merged, counts = merge_results(old, new)
    keys = {(r.series, r.season, r.round): r for r in merged}
    last_new = {(r.series, r.season, r.round): r for r in new}
    assert len(keys) == len(merged) == counts["races"]
    assert all(keys[k] == r for k, r in last_new.items())  # every new race is in, as given
    assert set(keys) == {(r.series, r.season, r.round) for r in old} | set(last_new)
    again, _ = merge_results(merged, merged)
    assert sorted(map(repr, again)) == sorted(map(repr, merged))


def test_table_is_lazy_per_season(base):
    table = ResultsTable.from_zip(base / "results.zip")
    assert table._parsed == {}
    table.races("Cup", 2030)
    assert list(table._parsed) == [("Cup", 2030)]


def test_parsed_seasons_are_bounded_and_reread_the_same(monkeypatch):
    """A batch over an archive touches every season: only the most recently
    used stay parsed, and one read again after eviction is the same."""
    import extractor.results as results_mod

    monkeypatch.setattr(results_mod, "PARSED_SEASONS", 3)
    table = ResultsTable.from_zip(patterns_dir() / "results.zip")
    keys = [k for k in table.keys() if k[0] == "Cup"][-6:]
    first = table.races(*keys[0])
    for k in keys[1:]:
        table.races(*k)
    assert list(table._parsed) == keys[-3:]
    table.races(*keys[-3])  # a hit moves to the back
    assert list(table._parsed) == [keys[-2], keys[-1], keys[-3]]
    assert table.races(*keys[0]) == first and first
    assert len(table._parsed) == 3


# ------------------------------------------------------------------ linking
@pytest.mark.parametrize(
    "event, facts, round_",
    [
        ({"track": "Phoenix Raceway"}, [], 1),  # the only race at the track that season
        ({"track": "Bristol Motor Speedway"}, [("finish_position", "Ryan Blaney", 1)], 3),  # the winner tells them apart
        ({"track": "Bristol Motor Speedway"}, [("start_position", "Kyle Larson", 1)], 2),  # the pole-sitter does
        ({"track": "Bristol Motor Speedway", "event_name": "Bass Pro Shops Night Race"}, [], 3),  # the race's name
        ({"track": "Bristol Motor Speedway", "race_date": "2030-07-04"}, [], 2),  # mid-season, by the date
        ({"track": "Bristol Motor Speedway", "race_date": "2030-11-15"}, [], 3),  # the finale
    ],
)
def test_links_the_race(linker, event, facts, round_):
    rec = _record(*facts, series="Cup", season=2030, **event)
    link = linker.link(rec, "")
    assert link is not None, rec.event.race_why
    assert (link.series, link.season, link.round) == ("Cup", 2030, round_)
    assert 0 < link.score <= 1 and link.why
    assert rec.event.race is link and rec.event.race_why is None


def test_qualifying_article_links_to_the_race_of_its_weekend(linker):
    rec = _record(("start_position", "Kyle Larson", 1), ("start_position", "Denny Hamlin", 3, {"session": "qualifying"}),
                  series="Cup", season=2030, track="Bristol Motor Speedway")
    assert linker.link(rec, "").round == 2


def test_two_races_at_the_track_and_nothing_to_tell_them_apart_is_null(linker):
    rec = _record(series="Cup", season=2030, track="Bristol Motor Speedway")
    assert linker.link(rec, "") is None
    assert rec.event.race is None and rec.event.race_why.startswith("ambiguous")
    assert "race_why" in rec.to_dict()["event"] and rec.to_dict()["event"]["race"] is None


@pytest.mark.parametrize(
    "event, text",
    [
        ({"event_name": "Busch Light Clash"}, ""),
        ({}, "Larson wins the All-Star Race at North Wilkesboro\n\nKyle Larson won the All-Star Race on Sunday."),
        ({"track": "Los Angeles Memorial Coliseum"}, ""),
    ],
)
def test_exhibition_race_is_null(linker, event, text):
    rec = _record(("finish_position", "Kyle Larson", 1), series="Cup", season=2030, **event)
    assert linker.link(rec, text) is None
    assert "exhibition" in rec.event.race_why


def test_article_newer_than_the_data_is_null(linker):
    rec = _record(("finish_position", "Kyle Larson", 1), series="Cup", published="2031-03-01",
                  track="Phoenix Raceway")
    assert linker.link(rec, "") is None
    assert "newer than the data" in rec.event.race_why and "2030" in rec.event.race_why


@pytest.mark.parametrize(
    "event, why",
    [
        ({"series": "ARCA", "season": 2030}, "ARCA"),
        ({"series": "Cup", "track": "Phoenix Raceway"}, "no season"),
        ({"series": "Truck", "season": 2030, "track": "Phoenix Raceway"}, "no Truck points races in 2030"),
    ],
)
def test_null_reasons(linker, event, why):
    rec = _record(**event)
    assert linker.link(rec, "") is None and why in rec.event.race_why


def test_a_wrong_track_does_not_force_a_wrong_link(linker):
    """The winner and pole contradict the only Phoenix race: no link rather than a doubtful one."""
    rec = _record(("finish_position", "Chase Elliott", 1), ("start_position", "Ryan Blaney", 1),
                  series="Cup", season=2030, track="Phoenix Raceway")
    assert linker.link(rec, "") is None


def test_year_from_the_text_needs_a_dated_cue(linker):
    dated = _record(series="Cup", track="Phoenix Raceway")
    assert linker.link(dated, "PHOENIX, March 9, 2030 - practice notes").round == 1
    history = _record(series="Cup", track="Phoenix Raceway")
    assert linker.link(history, "He won here in 2030 and in 2031.") is None


def test_undated_story_is_linked_only_on_the_drivers_word(linker):
    """No year anywhere: the seasons where the winner won at the track are tried, and the list decides."""
    full = _record(("finish_position", "Ryan Blaney", 1), ("finish_position", "Chase Elliott", 2),
                   ("finish_position", "Kyle Larson", 3), series="Cup", track="Bristol Motor Speedway")
    link = linker.link(full, "")
    assert (link.season, link.round) == (2030, 3) and "not stated" in link.why
    winner_only = _record(("finish_position", "Ryan Blaney", 1), series="Cup", track="Bristol Motor Speedway")
    assert linker.link(winner_only, "") is None and "no sure race" in winner_only.event.race_why


def test_podium_index_is_written_and_read(base):
    table = load_results(base)
    assert table.podiums("Cup") == [[2030, 1, "Phoenix Raceway", "Kyle Larson", "Denny Hamlin"],
                                    [2030, 2, "Bristol Motor Speedway", "Denny Hamlin", "Kyle Larson"],
                                    [2030, 3, "Bristol Motor Speedway", "Ryan Blaney", "Ryan Blaney"]]
    mem = ResultsTable.from_races(table.all_races())
    assert mem.podiums("Cup") == table.podiums("Cup") and mem.podiums("Truck") == []


_drivers = st.sampled_from(["Kyle Larson", "Denny Hamlin", "Ryan Blaney", "Chase Elliott", "Nobody Atall", ""])
_facts = st.lists(st.tuples(st.sampled_from(["finish_position", "start_position", "laps_led", "car_number"]),
                            _drivers, st.integers(0, 45)), max_size=8)


@settings(max_examples=80, deadline=None)
@given(series=st.sampled_from([None, "Cup", "Xfinity", "Truck", "ARCA"]),
       season=st.one_of(st.none(), st.integers(1940, 2040)),
       track=st.sampled_from([None, "Phoenix Raceway", "Bristol Motor Speedway", "Los Angeles Memorial Coliseum",
                              "Nowhere Speedway"]),
       name=st.one_of(st.none(), st.text(max_size=30)), facts=_facts, text=st.text(max_size=200))
def test_linker_never_fails_and_links_only_real_races(base, ref, series, season, track, name, facts, text):
    rec = _record(*[(t, d or None, v if t != "car_number" else str(v)) for t, d, v in facts],
                  series=series, season=season, track=track, event_name=name)
    link = RaceLinker(ref).link(rec, text)
    if link is None:
        assert rec.event.race_why
    else:
        assert race_of(link, base) is not None and 0 < link.score <= 1 and rec.event.race_why is None


# ------------------------------------------------------------------ resolution aids
def test_entry_list_and_official_row(base):
    link = RaceLink(series="Cup", season=2030, round=3, track="Bristol Motor Speedway")
    assert entry_list(link, base) == ["Ryan Blaney", "Chase Elliott", "Kyle Larson", "Denny Hamlin"]
    assert official_row(link.model_dump(), "Chase Elliott", base).car == "9"
    assert entry_list(None, base) == [] and race_of({"series": "Cup"}, base) is None


# ------------------------------------------------------------------ the check
def _checked(ref, *facts):
    rec = _record(*facts, series="Cup", season=2030, track="Bristol Motor Speedway",
                  race=RaceLink(series="Cup", season=2030, round=2, track="Bristol Motor Speedway"))
    before = [f.model_dump() for f in rec.facts]
    checks = [c for c in run_checks(rec, ref, names=["official_results"])]
    assert [f.model_dump() for f in rec.facts] == before  # the check never changes a fact
    return checks


def test_official_results_warns_on_a_wrong_fact_and_names_the_official_value(ref):
    checks = _checked(ref,
                      ("finish_position", "Denny Hamlin", 1),
                      ("finish_position", "Kyle Larson", 3),  # he was second
                      ("car_number", "Kyle Larson", "5"),
                      ("laps_led", "Ryan Blaney", 99),  # 100
                      ("manufacturer", "Chase Elliott", "Chevrolet"),
                      ("team", "Denny Hamlin", "JGR"),
                      ("team", "Ryan Blaney", "Joe Gibbs Racing"),  # Team Penske
                      ("start_position", "Chase Elliott", 4))
    warns = {tuple(c.facts): c.message for c in checks if c.status == "warn"}
    assert set(warns) == {(1,), (3,), (6,)}
    assert "give 2" in warns[(1,)] and "give 100" in warns[(3,)] and "Team Penske" in warns[(6,)]
    passed = [c for c in checks if c.status == "pass"]
    assert len(passed) == 1 and passed[0].facts == [0, 2, 4, 5, 7]


def test_official_results_on_a_driver_not_in_the_race_and_on_no_link(ref):
    checks = _checked(ref, ("finish_position", "Austin Hill", 5))
    assert [c.status for c in checks] == ["warn"] and "not in the official results" in checks[0].message
    unlinked = _record(("finish_position", "Kyle Larson", 1), series="Cup", season=2030)
    unlinked.event.race_why = "ambiguous: two races"
    (c,) = run_checks(unlinked, ref, names=["official_results"])
    assert c.status == "skipped" and "ambiguous" in c.message


def test_official_results_is_registered():
    from extractor.checks import CHECKS

    assert CHECKS["official_results"].family == "official"


# ------------------------------------------------------------------ reference update
def _uncached_hash(pats):
    from extractor.resources import _ruleset_hash, user_aliases_file
    return _ruleset_hash.__wrapped__(pats, user_aliases_file())


def test_reference_update_merges_a_new_season(tmp_path, base):
    from typer.testing import CliRunner

    from extractor.cli import app

    pats = tmp_path / "patterns"
    shutil.copytree(base, pats)
    before = _uncached_hash(pats)
    update = tmp_path / "week.csv"
    new = {1: ("Phoenix Raceway", "Phoenix 2031", [("Chase Elliott", "9", "Chevrolet", "Hendrick Motorsports", 1, 77)])}
    update.write_text(_csv(2031, new), encoding="utf-8")
    res = CliRunner().invoke(app, ["reference", "update", str(update), "--patterns", str(pats)])
    assert res.exit_code == 0, res.output
    assert "1 added" in res.output and "Cup 2031" in res.output
    table = load_results(pats)
    assert table.coverage["Cup"] == 2031 and table.race("Cup", 2030, 3).winner == "Ryan Blaney"
    assert _uncached_hash(pats) != before
    rec = _record(("finish_position", "Chase Elliott", 1), series="Cup", season=2031, track="Phoenix Raceway")
    assert RaceLinker(dataclasses.replace(load_reference(), base=pats)).link(rec, "").season == 2031
    # the same file again replaces nothing; a missing file is a usage error
    again = CliRunner().invoke(app, ["reference", "update", str(update), "--patterns", str(pats)])
    assert again.exit_code == 0 and "0 added, 0 replaced" in again.output
    missing = CliRunner().invoke(app, ["reference", "update", str(tmp_path / "nope.csv"), "--patterns", str(pats)])
    assert missing.exit_code == 2


# ------------------------------------------------------------------ the committed table, the pipeline
def test_committed_table_ships_in_patterns_and_is_compact():
    path = REPO / "patterns" / "results.zip"
    assert path.stat().st_size < 4_000_000
    table = load_results(REPO / "patterns")
    assert table.coverage == {"Cup": 2025, "Xfinity": 2025, "Truck": 2025}


def test_pipeline_links_an_article():
    """End to end, on the committed table: a report written for this test of the 2018 spring Bristol race."""
    from extractor.pipeline import extract

    text = ("date 2018-04-16\nKyle Busch wins Food City 500 at Bristol\n\n"
            "Kyle Busch won the Food City 500 at Bristol Motor Speedway on Monday in the NASCAR Cup Series, "
            "holding off Kyle Larson, who finished second.\n")
    rec = extract(text, doc_id="bristol")
    link = rec.event.race
    assert link is not None, rec.event.race_why
    assert (link.series, link.season, link.round, link.track) == ("Cup", 2018, 8, "Bristol Motor Speedway")
    names = {c.name for c in rec.checks}
    assert "official_results" in names


@pytest.mark.shared
@pytest.mark.skipif(not (DEV / "manifest.jsonl").exists(), reason="needs ../shared/corpus/dev")
def test_dev_corpus_linking():
    """>= 95 % of the dated points-race reports linked right, no wrong link, exhibitions null."""
    sys.path.insert(0, str(REPO / "scripts"))
    from eval_linking import evaluate_links

    from extractor.pipeline import default_extractor

    ex = default_extractor()
    records = []
    for p in sorted((DEV / "articles").glob("*.txt")):
        records.append(ex(p.read_text(encoding="utf-8"), doc_id=p.stem, checks=False).to_dict())
    res = evaluate_links(records, DEV)
    assert res["wrong"] == [] and res["exhibition_linked"] == []
    assert res["rate"] >= 0.95, res


@pytest.mark.shared
@pytest.mark.skipif(not SHARED_RESULTS.exists(), reason="needs ../shared/reference")
def test_committed_results_are_up_to_date(tmp_path):
    out = tmp_path / "results.zip"
    subprocess.run([sys.executable, str(REPO / "scripts" / "build_results.py"), str(SHARED_RESULTS), "--out", str(out)],
                   check=True, capture_output=True)
    assert out.read_bytes() == (REPO / "patterns" / "results.zip").read_bytes(), "run `make results` and commit"
