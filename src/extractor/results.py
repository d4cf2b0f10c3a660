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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, NamedTuple, Optional

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

    def by_finish(self, pos: int) -> Optional[CarResult]:
        return next((c for c in self.cars if c.finish == pos), None)

    def by_start(self, pos: int) -> Optional[CarResult]:
        return next((c for c in self.cars if c.start == pos), None)

    def row(self, driver: str) -> Optional[CarResult]:
        """The official row of a driver (any spelling norm_name folds together)."""
        key = norm_name(driver)
        return next((c for c in self.cars if norm_name(c.driver) == key), None)

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
_FIXED_TIME = (2026, 1, 5, 0, 0, 0)  # the snapshot date: keeps rebuilds byte-identical


class ResultsTable:
    """Races indexed by (series, season); a season is parsed on first use."""

    def __init__(self, raw: dict[tuple[str, int], Callable[[], bytes]]):
        self._raw = raw
        self._parsed: dict[tuple[str, int], dict[int, Race]] = {}
        self.coverage: dict[str, int] = {}
        self.first: dict[str, int] = {}
        for series, season in raw:
            self.coverage[series] = max(self.coverage.get(series, season), season)
            self.first[series] = min(self.first.get(series, season), season)

    @classmethod
    def from_races(cls, races: Iterable[Race]) -> "ResultsTable":
        """An in-memory table (tests, merges)."""
        blobs = {k: _season_json(v) for k, v in _group(races).items()}
        return cls({k: (lambda b=b: b) for k, b in blobs.items()})

    @classmethod
    def from_zip(cls, path: Path) -> "ResultsTable":
        zf = zipfile.ZipFile(path)
        raw: dict[tuple[str, int], Callable[[], bytes]] = {}
        for name in zf.namelist():
            m = _MEMBER.match(name)
            if m:
                raw[(m.group(1), int(m.group(2)))] = lambda n=name: zf.read(n)
        table = cls(raw)
        table._zip = zf  # kept open for the lazy reads
        return table

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
        return hit

    def races(self, series: str, season: int) -> list[Race]:
        return [r for _, r in sorted(self.season(series, season).items())]

    def race(self, series: str, season: int, round: int) -> Optional[Race]:
        return self.season(series, season).get(round)

    def all_races(self) -> Iterator[Race]:
        for series, season in self.keys():
            yield from self.races(series, season)


def _parse_season(series: str, season: int, blob: bytes) -> dict[int, Race]:
    out: dict[int, Race] = {}
    for rnd, track, name, length, cars in json.loads(blob):
        out[rnd] = Race(series, season, rnd, track, name, length, tuple(CarResult(*c) for c in cars))
    return out


def _season_json(races: dict[int, Race]) -> bytes:
    rows = [[r.round, r.track, r.name, r.length, [list(c) for c in r.cars]] for _, r in sorted(races.items())]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


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

    @classmethod
    def load(cls, base: Path | None = None) -> "LinkRules":
        raw = read_json(LINKING_FILE, base)
        return cls(
            exhibition=tuple(re.compile(p, re.I) for p in raw["exhibition"]),
            points_names=tuple(re.compile(p, re.I) for p in raw.get("points_names", [])),
            generic_words=frozenset(w.lower() for w in raw.get("generic_name_words", [])),
            weights=dict(raw["weights"]),
            season_window={k: tuple(v) for k, v in raw["season_window"].items()},
            min_total=float(raw["min_total"]),
            min_margin=float(raw["min_margin"]),
            min_score=float(raw["min_score"]),
        )


def _words(name: str | None, generic: frozenset[str]) -> set[str]:
    if not name:
        return set()
    toks = re.findall(r"[a-z0-9]+", name.lower().replace("’", "'").replace("'", ""))
    return {t for t in toks if t not in generic}


def _day_fraction(day: dt.date, window: tuple[int, int]) -> float:
    """Where a date falls in the season's calendar window (day-of-year from/to), 0..1."""
    a, b = window
    return (day.timetuple().tm_yday - a) / max(1, b - a)


def _iso(s: str | None) -> Optional[dt.date]:
    if not s:
        return None
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        return None


@dataclass
class _Cand:
    race: Race
    points: float
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

    # -- lazy parts ------------------------------------------------------
    @property
    def table(self) -> Optional[ResultsTable]:
        return load_results(self.base)

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
                out.setdefault(f.value, set()).add(norm_name(f.driver))
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
            day = _iso(d)
            if day:
                return day.year, label
        return None, ""

    def candidates(self, record: "Record", text: str = "") -> tuple[list[_Cand], Optional[str]]:
        """Every race of the article's series and season, scored, best first; or a reason there are none."""
        ev = record.event
        table = self.table
        if table is None:
            return [], "no results table in the patterns folder"
        if ev.series not in SERIES:
            return [], (f"{ev.series} races are not in the results" if ev.series else "the series is unknown")
        season, season_src = self.season_of(record)
        if season is None:
            return [], "the article gives no season (no year, no dated publication)"
        last = table.coverage.get(ev.series)
        if last is None:
            return [], f"no {ev.series} results in the table"
        if season > last:
            return [], f"{season} is newer than the data ({ev.series} results end with {last})"
        races = table.races(ev.series, season)
        if not races:
            return [], f"no {ev.series} points races in {season} in the results"
        w = self.rules.weights
        own, family, _exh = self._track_sets(ev.track)
        name_words = _words(ev.event_name, self.rules.generic_words)
        winners = self._positions(record, "finish_position")
        starts = self._positions(record, "start_position")
        day = _iso(ev.race_date) or _iso(ev.qualifying_date) or _iso(ev.published)
        if day and day.year != season:
            day = None
        window = self.rules.season_window.get(ev.series)
        n = len(races)
        out: list[_Cand] = []
        for r in races:
            pts, why = 0.0, []
            tk = track_key(r.track)
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
                    if sim >= 0.34:
                        pts += w["name"] * sim
                        why.append(f"name {r.name!r}")
            if 1 in winners:
                if r.winner and norm_name(r.winner) in winners[1]:
                    pts += w["winner"]
                    why.append(f"winner {r.winner}")
                elif r.winner:
                    pts += w["winner_mismatch"]
            if 1 in starts:
                if r.pole and norm_name(r.pole) in starts[1]:
                    pts += w["pole"]
                    why.append(f"pole {r.pole}")
                elif r.pole:
                    pts += w["pole_mismatch"]
            agree = disagree = 0
            for ftype, table_pos, col in (("finish", winners, "finish"), ("start", starts, "start")):
                for pos, who in table_pos.items():
                    if pos == 1:
                        continue
                    row = next((c for c in r.cars if getattr(c, col) == pos), None)
                    if row is None:
                        continue
                    if norm_name(row.driver) in who:
                        agree += 1
                    else:
                        disagree += 1
            if agree or disagree:
                pts += max(-w["list_cap"], min(w["list_cap"], w["list"] * (agree - disagree)))
                if agree:
                    why.append(f"{agree} of {agree + disagree} listed positions")
            if day and window and n > 1:
                gap = abs(_day_fraction(day, window) - (r.round - 1) / (n - 1))
                pts += w["date"] * gap
            out.append(_Cand(r, pts, why))
        out.sort(key=lambda c: (-c.points, c.race.round))
        return out, None

    def link(self, record: "Record", text: str = "") -> Optional["RaceLink"]:
        """Set and return ``record.event.race`` (None with ``event.race_why`` when there is no sure link)."""
        from .models import RaceLink

        ev = record.event
        link, why = None, None
        exh = self.exhibition_reason(record, text)
        _own, _fam, exh_venue = self._track_sets(ev.track)
        if exh_venue:
            exh = f"exhibition venue ({ev.track}): not in the points results"
        if exh:
            why = exh
        else:
            cands, why = self.candidates(record, text)
            if cands:
                best = cands[0]
                second = cands[1].points if len(cands) > 1 else 0.0
                margin = best.points - max(second, 0.0)
                score = _score(best.points, margin)
                r = best.race
                rules = self.rules
                if best.points < rules.min_total or not best.why:
                    why = f"too little evidence for one {r.series} {r.season} race"
                elif best.points - second < rules.min_margin or score < rules.min_score:
                    rivals = [c for c in cands[1:4] if best.points - c.points < rules.min_margin]
                    why = "ambiguous: " + ", ".join(
                        f"round {c.race.round} {c.race.track}" for c in [best, *rivals]) + " fit about as well"
                else:
                    link = RaceLink(series=r.series, season=r.season, round=r.round, track=r.track, name=r.name,
                                    score=round(score, 3), why="; ".join(best.why))
        ev.race = link
        ev.race_why = None if link else why
        return link


def _score(points: float, margin: float) -> float:
    """How sure: grows with the evidence for the best race and its lead over the next."""
    import math

    return max(0.0, min(0.99, (1 - math.exp(-max(points, 0) / 3)) * (1 - math.exp(-max(margin, 0) / 1.5))))


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
