"""Official race results as reference data, and the race an article is about.

``patterns/results.zip`` holds every points race of the shared results
(nascaR.data by Kyle Grealis, GPL-3, data from DriverAverages.com): one
member per (series, season), ``Cup/2024.json`` = ``[race, ...]``, each race
``[round, track, name, length, [car row, ...]]`` and each car row
``[finish, start, car, driver, make, team, laps, led, status]``.
``scripts/build_results.py`` builds it; ``extractor reference update`` merges
newer results into it.

Nothing is read at import or when an :class:`Extractor` is built: the zip's
directory is read on the first look-up, and a season is inflated and parsed
only when that (series, season) is asked for, so start-up does not grow and
a look-up costs one small JSON parse.

Driver names are canonicalised as the roster is (``merge`` entries of
``driver_aliases.jsonl`` folded in, the known scrape errors corrected), so
they equal the record's driver names.
"""
from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import re
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from sys import intern as _intern
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, NamedTuple, Optional

from .dates import iso_date
from .reference import norm_name, track_key
from .resources import patterns_dir, read_json, read_jsonl

if TYPE_CHECKING:
    from .models import Record, RaceLink
    from .reference import Reference

__all__ = [
    "RESULTS_FILE",
    "SERIES",
    "CarResult",
    "Race",
    "ResultsTable",
    "load_results",
    "read_results_csv",
    "write_results",
    "merge_results",
    "RaceLinker",
    "race_of",
    "entry_list",
    "official_row",
]

RESULTS_FILE = "results.zip"
LINKING_FILE = "results_linking.json"
SERIES = ("Cup", "Xfinity", "Truck")
SERIES_ORDER = {s: i for i, s in enumerate(SERIES)}
REQUIRED_COLUMNS = ("Series", "Season", "Race", "Track", "Name", "Length", "Finish", "Start", "Car",
                    "Driver", "Make", "Laps", "Led", "Status", "Team")
# Known scrape errors in the results: (series, season, race, driver, car as scraped) -> corrected columns.
# The same table as scripts/build_roster.py's, so roster and results agree.
CORRECTIONS = {
    # Corey LaJoie drove Rick Ware Racing's No. 01 Ford at Atlanta, not Trackhouse's No. 1
    ("Cup", 2025, 18, "Corey LaJoie", "1"): {"Car": "01", "Team": "Rick Ware Racing"},
}
_MISSING = {"", "-"}


class CarResult(NamedTuple):
    finish: Optional[int]
    start: Optional[int]
    car: Optional[str]
    driver: str
    make: Optional[str]
    team: Optional[str]
    laps: Optional[int]
    led: Optional[int]
    status: Optional[str]


@lru_cache(maxsize=16384)
def _driver_key(driver: str) -> str:
    """norm_name of an official driver name, shared by every race he ran: a
    per-race memo of these keys cost 1.6 times the season it sat on, and it
    filled in over a long batch (memory grew with N)."""
    return _intern(norm_name(driver))


@dataclass(frozen=True)
class Race:
    series: str
    season: int
    round: int
    track: str
    name: str
    length: Optional[float]
    cars: tuple[CarResult, ...]

    def __repr__(self) -> str:
        return f"Race({self.series} {self.season} #{self.round} {self.track!r})"

    # indexes built on first use (a linker looks at every race of a season)
    @cached_property
    def _finish(self) -> dict[int, CarResult]:
        return {c.finish: c for c in reversed(self.cars) if c.finish is not None}

    @cached_property
    def _start(self) -> dict[int, CarResult]:
        return {c.start: c for c in reversed(self.cars) if c.start is not None}

    @cached_property
    def _names(self) -> dict[str, CarResult]:
        return {_driver_key(c.driver): c for c in reversed(self.cars)}

    def by_finish(self, pos: int) -> Optional[CarResult]:
        return self._finish.get(pos)

    def by_start(self, pos: int) -> Optional[CarResult]:
        return self._start.get(pos)

    def key_at(self, col: str, pos: int) -> Optional[str]:
        """The normalised driver name at a finish or start position."""
        c = (self._finish if col == "finish" else self._start).get(pos)
        return _driver_key(c.driver) if c else None

    def row(self, driver: str) -> Optional[CarResult]:
        """The official row of a driver (any spelling norm_name folds together)."""
        return self._names.get(norm_name(driver))

    @property
    def winner(self) -> Optional[str]:
        c = self.by_finish(1)
        return c.driver if c else None

    @property
    def pole(self) -> Optional[str]:
        c = self.by_start(1)
        return c.driver if c else None


# ================================================================ the table
# One zip member per (series, season), "Cup/2024.json": the zip's directory is
# the index, so a look-up inflates one season (about 90 kB), never the file.
_MEMBER = re.compile(r"^(\w+)/(\d{4})\.json$")
INDEX_MEMBER = "index.json"  # {series: [[season, round, track, winner, pole], ...]}
_FIXED_TIME = (2026, 1, 5, 0, 0, 0)  # the snapshot date: keeps rebuilds byte-identical


#: Seasons kept parsed (about 0.25 MB each): an article needs one to three,
#: a batch in no particular order a few dozen (a miss costs ~10 ms).
PARSED_SEASONS = 64


class ResultsTable:
    """Races indexed by (series, season); a season is parsed on first use."""

    def __init__(self, raw: dict[tuple[str, int], Callable[[], bytes]],
                 index: Optional[Callable[[], bytes]] = None):
        self._raw = raw
        self._index_blob = index
        self._index: Optional[dict[str, list[list]]] = None
        # Parsed seasons, least recently used first, at most PARSED_SEASONS of
        # them: a batch over an archive touches every season in time, and
        # keeping them all would make memory grow with the batch.
        self._parsed: OrderedDict[tuple[str, int], dict[int, Race]] = OrderedDict()
        self.coverage: dict[str, int] = {}
        self.first: dict[str, int] = {}
        for series, season in raw:
            self.coverage[series] = max(self.coverage.get(series, season), season)
            self.first[series] = min(self.first.get(series, season), season)

    @classmethod
    def from_races(cls, races: Iterable[Race]) -> "ResultsTable":
        """An in-memory table (tests, merges)."""
        seasons = _group(races)
        blobs = {k: _season_json(v) for k, v in seasons.items()}
        index = _index_json(seasons)
        return cls({k: (lambda b=b: b) for k, b in blobs.items()}, lambda: index)

    @classmethod
    def from_zip(cls, path: Path) -> "ResultsTable":
        # Each lazy read opens the file anew: a handle kept open would be
        # shared by forked workers (--jobs), whose reads then race on one
        # file offset and corrupt each other.
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()

        def read(member: str) -> bytes:
            with zipfile.ZipFile(path) as z:
                return z.read(member)

        raw: dict[tuple[str, int], Callable[[], bytes]] = {}
        for name in names:
            m = _MEMBER.match(name)
            if m:
                raw[(m.group(1), int(m.group(2)))] = lambda n=name: read(n)
        index = (lambda: read(INDEX_MEMBER)) if INDEX_MEMBER in names else None
        return cls(raw, index)

    def __len__(self) -> int:
        return len(self._raw)

    def keys(self) -> list[tuple[str, int]]:
        return sorted(self._raw, key=lambda k: (SERIES_ORDER.get(k[0], 9), k[1]))

    def season(self, series: str, season: int) -> dict[int, Race]:
        """round -> Race for one series and season ({} when the data have none)."""
        key = (series, season)
        hit = self._parsed.get(key)
        if hit is None:
            read = self._raw.get(key)
            hit = {} if read is None else _parse_season(series, season, read())
            self._parsed[key] = hit
            if len(self._parsed) > PARSED_SEASONS:
                self._parsed.popitem(last=False)
        else:
            self._parsed.move_to_end(key)
        return hit

    def races(self, series: str, season: int) -> list[Race]:
        return [r for _, r in sorted(self.season(series, season).items())]

    def race(self, series: str, season: int, round: int) -> Optional[Race]:
        return self.season(series, season).get(round)

    def podiums(self, series: str) -> list[list]:
        """[season, round, track, winner, pole] of every race of a series: finds the season of an undated story."""
        if self._index is None:
            self._index = json.loads(self._index_blob()) if self._index_blob else {}
        return self._index.get(series, [])

    def all_races(self) -> Iterator[Race]:
        for series, season in self.keys():
            yield from self.races(series, season)


_make_car = CarResult._make  # C-level construction: a season is ~1,300 rows


def _interned(row: list) -> CarResult:
    # The same few thousand names, makes, teams and statuses recur in every
    # race: one string object each instead of one per row makes a parsed
    # season a third of the size, so more of them stay parsed.
    f, s, car, driver, make, team, laps, led, status = row
    return _make_car((f, s, car and _intern(car), _intern(driver), make and _intern(make), team and _intern(team),
                      laps, led, status and _intern(status)))


def _parse_season(series: str, season: int, blob: bytes) -> dict[int, Race]:
    out: dict[int, Race] = {}
    for rnd, track, name, length, cars in json.loads(blob):
        out[rnd] = Race(series, season, rnd, track, name, length, tuple(map(_interned, cars)))
    return out


def _season_json(races: dict[int, Race]) -> bytes:
    rows = [[r.round, r.track, r.name, r.length, [list(c) for c in r.cars]] for _, r in sorted(races.items())]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _index_json(seasons: dict[tuple[str, int], dict[int, Race]]) -> bytes:
    index: dict[str, list[list]] = {}
    for (series, season) in sorted(seasons, key=lambda k: (SERIES_ORDER.get(k[0], 9), k[1])):
        for _, r in sorted(seasons[(series, season)].items()):
            index.setdefault(series, []).append([season, r.round, r.track, r.winner, r.pole])
    return json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _group(races: Iterable[Race]) -> dict[tuple[str, int], dict[int, Race]]:
    out: dict[tuple[str, int], dict[int, Race]] = {}
    for r in races:
        out.setdefault((r.series, r.season), {})[r.round] = r
    return out


def write_results(path: Path, races: Iterable[Race]) -> int:
    """Write the compact table deterministically (fixed member order and times); returns its size in bytes."""
    seasons = _group(races)
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w") as zf:
        for series, season in sorted(seasons, key=lambda k: (SERIES_ORDER.get(k[0], 9), k[1])):
            info = zipfile.ZipInfo(f"{series}/{season}.json", date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, _season_json(seasons[(series, season)]), compresslevel=9)
        info = zipfile.ZipInfo(INDEX_MEMBER, date_time=_FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        zf.writestr(info, _index_json(seasons), compresslevel=9)
    tmp.replace(path)
    return path.stat().st_size


@lru_cache(maxsize=4)
def _load(path: str, _stamp: tuple[int, int]) -> Optional[ResultsTable]:
    try:
        return ResultsTable.from_zip(Path(path))
    except (FileNotFoundError, zipfile.BadZipFile):
        return None


def load_results(base: Path | None = None) -> Optional[ResultsTable]:
    """The results table of a patterns folder (None when it has none); re-read when the file changes."""
    path = Path(base or patterns_dir()) / RESULTS_FILE
    try:
        st = path.stat()
    except OSError:
        return None
    return _load(str(path), (st.st_mtime_ns, st.st_size))


# ================================================================ building
def _int(s: str) -> Optional[int]:
    s = (s or "").strip()
    if s in _MISSING:
        return None
    try:
        return int(float(s))
    except ValueError:
        return None


def _text(s: str) -> Optional[str]:
    s = (s or "").strip()
    return None if s in _MISSING else s


def driver_renames(base: Path | None = None) -> dict[str, str]:
    """Roster names folded into another (``merge`` in driver_aliases.jsonl), as build_roster.py folds them."""
    out: dict[str, str] = {}
    try:
        for c in read_jsonl("driver_aliases.jsonl", base):
            for other in c.get("merge", []):
                out[other] = c["name"]
    except FileNotFoundError:
        pass
    return out


def read_results_csv(source: Path | io.TextIOBase, base: Path | None = None) -> list[Race]:
    """Races of a results CSV (optionally .gz) with the shared file's columns, names canonicalised.

    Raises ValueError naming the first problem (missing columns, a bad number).
    """
    renames = driver_renames(base)
    if isinstance(source, (str, Path)):
        p = Path(source)
        fh = gzip.open(p, "rt", encoding="utf-8", newline="") if p.suffix == ".gz" else p.open(encoding="utf-8", newline="")
    else:
        fh = source
    races: dict[tuple[str, int, int], dict] = {}
    with fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError("missing column(s): " + ", ".join(missing))
        for n, row in enumerate(reader, 2):
            name = (row["Driver"] or "").strip()
            series = (row["Series"] or "").strip()
            if not name or not series:
                continue
            try:
                season, rnd = int(row["Season"]), int(row["Race"])
            except ValueError:
                raise ValueError(f"line {n}: Season/Race is not a number") from None
            fix = CORRECTIONS.get((series, season, rnd, name, (row["Car"] or "").strip()))
            if fix:
                row = {**row, **fix}
            name = renames.get(name, name)
            key = (series, season, rnd)
            race = races.get(key)
            if race is None:
                try:
                    length = float(row["Length"]) if _text(row["Length"]) else None
                except ValueError:
                    length = None
                race = races[key] = {"track": row["Track"].strip(), "name": row["Name"].strip(),
                                     "length": length, "cars": []}
            race["cars"].append(CarResult(_int(row["Finish"]), _int(row["Start"]), _text(row["Car"]), name,
                                          _text(row["Make"]), _text(row["Team"]), _int(row["Laps"]),
                                          _int(row["Led"]), _text(row["Status"])))
    out = []
    for (series, season, rnd), r in races.items():
        cars = tuple(sorted(r["cars"], key=lambda c: (c.finish is None, c.finish or 0, c.driver)))
        out.append(Race(series, season, rnd, r["track"], r["name"], r["length"], cars))
    return out


def merge_results(old: Iterable[Race], new: Iterable[Race]) -> tuple[list[Race], dict[str, int]]:
    """Old races with the new ones laid over them (a race is replaced whole); counts of added/replaced."""
    merged = {(r.series, r.season, r.round): r for r in old}
    added = replaced = 0
    for r in new:
        key = (r.series, r.season, r.round)
        if key in merged:
            if merged[key] != r:
                replaced += 1
        else:
            added += 1
        merged[key] = r
    return list(merged.values()), {"added": added, "replaced": replaced, "races": len(merged)}


# ================================================================ linking
@dataclass(frozen=True)
class LinkRules:
    """Linking knowledge and weights from patterns/results_linking.json."""

    exhibition: tuple[re.Pattern, ...]
    points_names: tuple[re.Pattern, ...]
    generic_words: frozenset[str]
    weights: dict[str, float]
    season_window: dict[str, tuple[int, int]]
    min_total: float
    min_margin: float
    min_score: float
    strong_driver: float
    strong_margin: float
    season_cues: tuple[re.Pattern, ...] = ()
    max_guessed_seasons: int = 12

    @classmethod
    def load(cls, base: Path | None = None) -> "LinkRules":
        raw = read_json(LINKING_FILE, base)
        return cls(
            # case matters: "the Clash", "All-Star Race", not "a clash between", "an all-star cast"
            exhibition=tuple(re.compile(p) for p in raw["exhibition"]),
            points_names=tuple(re.compile(p) for p in raw.get("points_names", [])),
            generic_words=frozenset(w.lower() for w in raw.get("generic_name_words", [])),
            weights=dict(raw["weights"]),
            season_window={k: tuple(v) for k, v in raw["season_window"].items()},
            min_total=float(raw["min_total"]),
            min_margin=float(raw["min_margin"]),
            min_score=float(raw["min_score"]),
            strong_driver=float(raw["strong_driver"]),
            strong_margin=float(raw["strong_margin"]),
            season_cues=tuple(re.compile(p, re.I) for p in raw.get("season_cues", [])),
            max_guessed_seasons=int(raw.get("max_guessed_seasons", 12)),
        )


_track_key = lru_cache(maxsize=4096)(track_key)  # a few hundred track names, asked for every race


@lru_cache(maxsize=2048)  # race names of the seasons in use and the articles' event names
def _words(name: str | None, generic: frozenset[str]) -> frozenset[str]:
    if not name:
        return frozenset()
    toks = re.findall(r"[a-z0-9]+", name.lower().replace("’", "'").replace("'", ""))
    return frozenset(t for t in toks if t not in generic)


def _day_fraction(day: dt.date, window: tuple[int, int]) -> float:
    """Where a date falls in the season's calendar window (day-of-year from/to), 0..1."""
    a, b = window
    return (day.timetuple().tm_yday - a) / max(1, b - a)


@dataclass
class _Cand:
    race: Race
    points: float
    driver: float  # the part of the points the drivers' positions earn
    weak: bool  # a guessed season or another series than the text's
    why: list[str]


class RaceLinker:
    """Links a record to its official race: ``link(record, text)`` sets ``event.race`` / ``event.race_why``.

    Built once per Extractor; the results and the rules are read on the first
    article, never at construction.
    """

    def __init__(self, reference: "Reference", base: Path | None = None):
        self.ref = reference
        self.base = Path(base) if base is not None else (reference.base if reference is not None else None)
        self._rules: LinkRules | None = None
        self._track_names: dict[str, frozenset[str]] | None = None
        self._track_cache: dict[str | None, tuple[frozenset[str], frozenset[str], bool]] = {}
        self._podium_cache: dict[tuple[int, str], list] = {}
        self._table: Optional[ResultsTable] = None  # fetched once per link(): a changed file is seen next time

    # -- lazy parts ------------------------------------------------------
    @property
    def table(self) -> Optional[ResultsTable]:
        if self._table is None:
            self._table = load_results(self.base)
        return self._table

    @property
    def rules(self) -> LinkRules:
        if self._rules is None:
            self._rules = LinkRules.load(self.base)
        return self._rules

    def _results_names(self) -> dict[str, frozenset[str]]:
        """track id -> the track names the results use for it (and for its layouts)."""
        if self._track_names is None:
            names: dict[str, frozenset[str]] = {}
            for rec in read_jsonl("tracks.jsonl", self.base):
                names[rec["id"]] = frozenset(track_key(n) for n in rec.get("results_names") or [])
            self._track_names = names
        return self._track_names

    def _track_sets(self, track_name: str | None) -> tuple[frozenset[str], frozenset[str], bool]:
        """(results names of the track, of its whole facility, is an exhibition venue)."""
        hit = self._track_cache.get(track_name)
        if hit is None:
            hit = self._track_cache[track_name] = self._track_sets_uncached(track_name)
        return hit

    def _track_sets_uncached(self, track_name: str | None) -> tuple[frozenset[str], frozenset[str], bool]:
        if not track_name or self.ref is None:
            return frozenset(), frozenset(), False
        t = self.ref.tracks.lookup(track_name)
        if t is None:
            return frozenset({track_key(track_name)}), frozenset(), False
        names = self._results_names()
        own = names.get(t.id, frozenset()) or frozenset({track_key(t.name)})
        root = self.ref.tracks.parent_of(t)
        family = set(names.get(root.id, frozenset()))
        for other in self.ref.tracks:
            if other.parent == root.id:
                family |= names.get(other.id, frozenset())
        return own, frozenset(family - own), t.kind == "exhibition"

    # -- the evidence ------------------------------------------------------
    def _positions(self, record: "Record", ftype: str) -> dict[int, set[str]]:
        out: dict[int, set[str]] = {}
        for f in record.facts:
            if f.type != ftype or f.scope == "other" or not f.driver or isinstance(f.value, bool):
                continue
            if ftype == "finish_position" and f.session not in (None, "race"):
                continue
            if ftype == "start_position" and f.session == "practice":
                continue
            if isinstance(f.value, int):
                # The roster's name, which the official rows use ("Darrell
                # Wallace Jr." in the text is "Bubba Wallace" there).
                d = self.ref.roster.by_name(f.driver)
                out.setdefault(f.value, set()).add(norm_name(d.name if d is not None else f.driver))
        return out

    def exhibition_reason(self, record: "Record", text: str) -> Optional[str]:
        ev = record.event
        rules = self.rules
        for rx in rules.exhibition:
            if ev.event_name and rx.search(ev.event_name):
                return f"exhibition race ({ev.event_name!r}): not a points race, not in the results"
        head = _head(text)
        hits = [m.group(0) for rx in rules.exhibition for m in [rx.search(head)] if m]
        if hits and not any(rx.search(head) for rx in rules.points_names):
            return f"exhibition race ({hits[0]!r} in the headline/lede): not a points race, not in the results"
        return None

    def season_of(self, record: "Record") -> tuple[Optional[int], str]:
        ev = record.event
        if ev.season:
            return ev.season, "season"
        for label, d in (("race date", ev.race_date), ("qualifying date", ev.qualifying_date),
                         ("published date", ev.published)):
            day = iso_date(d)
            if day:
                return day.year, label
        return None, ""

    def _score_races(self, record: "Record", series: str, season: int, weak: bool) -> list[_Cand]:
        table = self.table
        races = table.races(series, season) if table else []
        if not races:
            return []
        ev = record.event
        w = self.rules.weights
        own, family, _exh = self._track_sets(ev.track)
        name_words = _words(ev.event_name, self.rules.generic_words)
        finishes = self._positions(record, "finish_position")
        starts = self._positions(record, "start_position")
        day = iso_date(ev.race_date) or iso_date(ev.qualifying_date) or iso_date(ev.published)
        if day and day.year != season:
            day = None
        window = self.rules.season_window.get(series)
        n = len(races)
        out: list[_Cand] = []
        for r in races:
            pts, drv, why = 0.0, 0.0, []
            tk = _track_key(r.track)
            if own:
                if tk in own:
                    pts += w["track"]
                    why.append(f"track {r.track}")
                elif tk in family:
                    pts += w["track_family"]
                    why.append(f"same facility as {r.track}")
                else:
                    pts += w["track_mismatch"]
            if name_words:
                official = _words(r.name, self.rules.generic_words)
                if official:
                    sim = len(name_words & official) / len(name_words | official)
                    if sim >= w["name_min_similarity"]:
                        pts += w["name"] * sim
                        why.append(f"name {r.name!r}")
            anchored = bool(why)  # track, name, winner or pole speak for this race
            for pos_facts, who, label, col in ((finishes, r.winner, "winner", "finish"), (starts, r.pole, "pole", "start")):
                if 1 in pos_facts and who:
                    if r.key_at(col, 1) in pos_facts[1]:
                        pts += w[label]
                        drv += w[label]
                        why.append(f"{label} {who}")
                        anchored = True
                    else:
                        pts += w[label + "_mismatch"]
            agree = disagree = 0
            # A race nothing speaks for, whose winner or pole the text contradicts, cannot win on the
            # rest of the list: skip it (this only ever costs a link, never makes a wrong one).
            skip_list = not anchored and ((1 in finishes and r.winner) or (1 in starts and r.pole))
            for pos_facts, col in (() if skip_list else ((finishes, "finish"), (starts, "start"))):
                for pos, who in pos_facts.items():
                    if pos == 1:
                        continue
                    key = r.key_at(col, pos)
                    if key is None:
                        continue
                    if key in who:
                        agree += 1
                    else:
                        disagree += 1
            if agree or disagree:
                net = max(-w["list_cap"], min(w["list_cap"], w["list"] * (agree - disagree)))
                pts += net
                drv += max(net, 0.0)
                if agree:
                    why.append(f"{agree} of {agree + disagree} listed positions")
            if day and window and n > 1:
                pts += w["date"] * abs(_day_fraction(day, window) - (r.round - 1) / (n - 1))
            out.append(_Cand(r, pts, drv, weak, why))
        return out

    def _hypotheses(self, record: "Record", text: str) -> tuple[list[tuple[str, int]], list[tuple[str, int]], Optional[str]]:
        """(series, season) pairs the record states, the weaker ones worth a look, or why there are none."""
        ev = record.event
        table = self.table
        if table is None:
            return [], [], "no results table in the patterns folder"
        season, _src = self.season_of(record)
        if ev.series == "ARCA":
            # not in the results; a misread series is caught only if the drivers single out a NASCAR race
            if season is None or season > max(table.coverage.values(), default=0):
                return [], [], "ARCA races are not in the results"
            return [], [(s, season) for s in SERIES], None
        others = [s for s in SERIES if s != ev.series]
        if season is not None:
            last = table.coverage.get(ev.series or "Cup")
            if last is not None and season > last:
                return [], [], f"{season} is newer than the data ({ev.series or 'Cup'} results end with {last})"
            stated = [(ev.series, season)] if ev.series in SERIES else []
            return stated, [(s, season) for s in others], None
        cued = {int(m.group("y")) for rx in self.rules.season_cues for m in rx.finditer(text or "")}
        cued = {y for y in cued if any(table.first.get(s, 9999) <= y <= table.coverage.get(s, 0) for s in SERIES)}
        years = sorted({int(y) for y in _YEAR.findall(text or "")}, reverse=True)
        if cued and ev.series in SERIES and max(cued) == years[0]:
            # the newest year of the text, written as a date or a season ("August 22, 2020", "the 2019
            # season", a dated URL): the event's own; older years are histories ("held on June 11, 1989")
            pair = (ev.series, max(cued))
            return [pair], [p for p in self._podium_seasons(record, list(SERIES)) if p != pair], None
        years = [y for y in years if any(table.first.get(s, 9999) <= y <= table.coverage.get(s, 0) for s in SERIES)]
        newest = [int(y) for y in _YEAR.findall(text or "") if int(y) > max(table.coverage.values(), default=0)]
        if newest and not years:
            return [], [], f"{max(newest)} is newer than the data (results end with {max(table.coverage.values())})"
        series = [ev.series] if ev.series in SERIES else list(SERIES)
        weak = [(s, y) for y in years for s in series]
        # no season stated: the seasons whose race at this track this winner won, or this driver started on pole
        for pair in self._podium_seasons(record, list(SERIES)):  # the text's series may be misread too
            if pair not in weak:
                weak.append(pair)
        if not weak:
            return [], [], "the article gives no season (no year, no dated publication)"
        return [], weak, None

    def _podium_keys(self, series: str) -> list[tuple[int, str, Optional[str], Optional[str]]]:
        """(season, track key, winner key, pole key) of every race of a series, normalised once."""
        table = self.table
        key = (id(table), series)
        hit = self._podium_cache.get(key)
        if hit is None:
            hit = [(season, track_key(track), norm_name(w) if w else None, norm_name(p) if p else None)
                   for season, _rnd, track, w, p in (table.podiums(series) if table else [])]
            self._podium_cache = {k: v for k, v in self._podium_cache.items() if k[0] == id(table)}
            self._podium_cache[key] = hit
        return hit

    def _podium_seasons(self, record: "Record", series: list[str]) -> list[tuple[str, int]]:
        table = self.table
        own, family, _ = self._track_sets(record.event.track)
        if not own:
            return []
        track_keys = own | family
        winners = self._positions(record, "finish_position").get(1, set())
        poles = self._positions(record, "start_position").get(1, set())
        if not winners and not poles:
            return []
        out: list[tuple[str, int]] = []
        for s in series:
            for season, tk, winner, pole in self._podium_keys(s):
                if tk in track_keys and (winner in winners or pole in poles) and (s, season) not in out:
                    out.append((s, season))
        return out[: self.rules.max_guessed_seasons] if len(out) <= self.rules.max_guessed_seasons else []

    def candidates(self, record: "Record", text: str = "", weak: bool = True) -> tuple[list[_Cand], Optional[str]]:
        """Races of the stated series and season (and, with ``weak``, of the guesses), scored, best first."""
        stated_h, weak_h, why = self._hypotheses(record, text)
        if why:
            return [], why
        out: list[_Cand] = []
        for series, season in stated_h:
            out.extend(self._score_races(record, series, season, False))
        if weak or not stated_h:
            for series, season in weak_h:
                out.extend(self._score_races(record, series, season, True))
        if not out:
            sea = (stated_h or weak_h)[0]
            return [], f"no {sea[0]} points races in {sea[1]} in the results"
        out.sort(key=lambda c: (-c.points, c.weak, c.race.series != record.event.series, c.race.round))
        return out, None

    def decide(self, cands: list[_Cand]) -> tuple[Optional[_Cand], float, str]:
        """(the linked candidate or None, score, why): the stated series and season first, then the guesses."""
        stated = [c for c in cands if not c.weak]
        if stated:
            best, score, why = self._decide(stated)
            if best is not None:
                return best, score, why
            weak = [c for c in cands if c.weak]
            if weak:
                # another series may fit when the drivers say so beyond doubt, against every race tried
                alt, alt_score, _ = self._decide(weak[:1] + stated + weak[1:])
                if alt is not None and alt.weak:
                    return alt, alt_score, ""
            return None, 0.0, why
        return self._decide(cands)

    def _link_candidate(self, record: "Record", text: str) -> tuple[Optional[_Cand], float, Optional[str]]:
        # the stated series and season alone settle most articles: the guesses are scored only if not
        cands, why = self.candidates(record, text, weak=False)
        if cands and any(not c.weak for c in cands):
            best, score, why = self.decide(cands)
            if best is not None:
                return best, score, why
        elif why:
            return None, 0.0, why
        cands, why2 = self.candidates(record, text, weak=True)
        if not cands:
            return None, 0.0, why or why2
        best, score, why3 = self.decide(cands)
        return best, score, why3 or why

    def _decide(self, cands: list[_Cand]) -> tuple[Optional[_Cand], float, str]:
        rules = self.rules
        best = cands[0]
        rest = [c.points for c in cands[1:]]
        second = max(rest) if rest else 0.0
        margin = best.points - second
        score = _score(best.points, margin)
        # the drivers single out this race: many positions agree, and no other race comes near on them
        # (this can outweigh a track the extraction got wrong: "Daytona" named in a Rockingham story)
        drivers_second = max((c.driver for c in cands[1:]), default=0.0)
        strong = (best.driver >= rules.strong_driver and best.driver - drivers_second >= rules.strong_margin
                  and margin >= rules.min_margin)
        if best.weak:
            # a guessed season or another series: only the drivers can make it sure
            if strong:
                return best, min(score, _score(best.driver, margin)), ""
            return None, 0.0, (f"no sure race: the article's series/season are not stated and "
                               f"the drivers do not single out one race (best {best.race.series} "
                               f"{best.race.season} round {best.race.round})")
        if strong:
            return best, max(score, _score(best.driver, margin)), ""
        if best.points < rules.min_total or not best.why:
            return None, 0.0, f"too little evidence for one {best.race.series} {best.race.season} race"
        if margin < rules.min_margin or score < rules.min_score:
            rivals = [c for c in cands[1:4] if margin < rules.min_margin and best.points - c.points < rules.min_margin]
            return None, 0.0, ("ambiguous: " + ", ".join(
                f"{c.race.series} {c.race.season} round {c.race.round} {c.race.track}" for c in [best, *rivals])
                + " fit about as well")
        return best, score, ""

    def link(self, record: "Record", text: str = "") -> Optional["RaceLink"]:
        """Set and return ``record.event.race`` (None with ``event.race_why`` when there is no sure link)."""
        from .models import RaceLink

        ev = record.event
        link, why = None, None
        self._table = None
        exh = self.exhibition_reason(record, text)
        _own, _fam, exh_venue = self._track_sets(ev.track)
        if exh_venue:
            exh = f"exhibition venue ({ev.track}): not in the points results"
        if exh:
            why = exh
        else:
            best, score, why = self._link_candidate(record, text)
            if best is not None:
                r = best.race
                bits = list(best.why)
                own, family, _ = self._track_sets(ev.track)
                if own and track_key(r.track) not in own | family:
                    bits.append(f"not the {ev.track} the text names")
                if r.series != ev.series:
                    bits.append(f"the drivers say {r.series}, the text reads as {ev.series}")
                if best.weak and r.series == ev.series:
                    bits.append(f"season {r.season} not stated: the drivers single it out")
                link = RaceLink(series=r.series, season=r.season, round=r.round, track=r.track, name=r.name,
                                score=round(score, 3), why="; ".join(bits))
        if link is None and ev.series == "ARCA" and not exh:
            why = "ARCA races are not in the results, and the drivers single out no NASCAR race"
        ev.race = link
        ev.race_why = None if link else why
        return link


_YEAR = re.compile(r"\b(19[4-9]\d|20[0-9]\d)\b")


def _score(points: float, margin: float) -> float:
    """How sure: grows with the evidence for the best race and its lead over the next."""
    import math

    return max(0.0, min(0.99, (1 - math.exp(-max(points, 0) / 2)) * (1 - math.exp(-max(margin, 0) / 1.5))))


def _head(text: str) -> str:
    """The headline and lede: where an article says which event it is about."""
    body = re.sub(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s*\n", "", text or "")
    paras = [p for p in re.split(r"\n\s*\n|\n(?=[A-Z])", body) if p.strip()]
    return " ".join(paras[:2])[:400]


# ================================================================ resolution aids
def race_of(link: "RaceLink | dict | None", base: Path | None = None) -> Optional[Race]:
    """The official race of a RaceLink (or its dict form), None when unlinked or not in the table."""
    if link is None:
        return None
    get = link.get if isinstance(link, dict) else (lambda k: getattr(link, k, None))
    series, season, rnd = get("series"), get("season"), get("round")
    if not (series and season and rnd):
        return None
    table = load_results(base)
    return table.race(series, int(season), int(rnd)) if table else None


def entry_list(race: "Race | RaceLink | dict | None", base: Path | None = None) -> list[str]:
    """The drivers of a race in finishing order: the candidates for a bare surname in its article."""
    r = race if isinstance(race, Race) else race_of(race, base)
    return [c.driver for c in r.cars] if r else []


def official_row(race: "Race | RaceLink | dict | None", driver: str, base: Path | None = None) -> Optional[CarResult]:
    r = race if isinstance(race, Race) else race_of(race, base)
    return r.row(driver) if r else None
