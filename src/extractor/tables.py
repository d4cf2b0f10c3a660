"""Flat tables from records, for downstream datasets.

Four kinds, each a list of dict rows with a fixed column order:

- ``facts``: one row per fact, the value in a typed column (``value_int``,
  ``value_float`` or ``value_str``, by the fact type's declared value type).
- ``results``: one row per (race, driver): start, finish, car, team, make,
  laps led, merged over every article about that race.
- ``qualifying`` / ``practice``: one row per (race, driver, round, group) with
  lap time (s), speed (mph) and rank.

Every row carries the race key: ``series, season, round`` from
``event.race`` when the article is linked to an official race, else
``series, season, track, race_date`` (``round`` empty); ``race_key`` is that
key as one string, for grouping. An unlinked article whose season, track or
race date is unknown gets its doc_id in ``race_key``, so it is never merged
with another article's race. Facts with ``scope: "other"`` (another
event) stay in the facts table, marked, and never enter the per-race tables.

``write_table`` writes CSV, JSONL or Parquet (Parquet needs the
``parquet`` extra: pyarrow).
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Iterable, Optional, Union

from .schema import FACT_VALUES

KINDS = ("facts", "results", "qualifying", "practice")
FORMATS = ("csv", "parquet", "jsonl")

RACE_COLUMNS = ["race_key", "series", "season", "round", "track", "race_date"]

#: column -> type ("int", "float", "str", "bool"); the order is the table's.
COLUMNS: dict[str, dict[str, str]] = {
    "facts": {
        "doc_id": "str", "fact_index": "int", **{c: ("int" if c in ("season", "round") else "str") for c in RACE_COLUMNS},
        "type": "str", "driver": "str", "other": "str",
        "value_int": "int", "value_float": "float", "value_str": "str",
        "session": "str", "session_round": "int", "group": "str", "scope": "str", "approximate": "bool",
        "rule": "str", "confidence": "float", "span_start": "int", "span_end": "int", "text": "str",
    },
    "results": {
        **{c: ("int" if c in ("season", "round") else "str") for c in RACE_COLUMNS},
        "driver": "str", "start": "int", "finish": "int", "car": "str", "team": "str", "make": "str",
        "laps_led": "int", "doc_ids": "str", "conflicts": "str",
    },
}
for _k in ("qualifying", "practice"):
    COLUMNS[_k] = {
        **{c: ("int" if c in ("season", "round") else "str") for c in RACE_COLUMNS},
        "driver": "str", "session_round": "int", "group": "str",
        "lap_time": "float", "speed": "float", "rank": "int", "time_rank": "int", "doc_ids": "str",
    }

# results column <- fact type
_RESULT_FIELDS = {"start_position": "start", "finish_position": "finish", "car_number": "car",
                  "team": "team", "manufacturer": "make", "laps_led": "laps_led"}
_SESSION_FIELDS = {"lap_time": "lap_time", "speed_mph": "speed"}


class TableError(Exception):
    pass


# --------------------------------------------------------------------- keys
def race_key(record: dict) -> dict[str, Any]:
    """The race a record is about: (series, season, round) when linked to an
    official race, else (series, season, track, race_date)."""
    ev = record.get("event") or {}
    race = ev.get("race") if isinstance(ev.get("race"), dict) else None
    series = ev.get("series")
    track = ev.get("track")
    race_date = ev.get("race_date")
    season = ev.get("season")
    if season is None:
        for d in (race_date, ev.get("published")):
            if isinstance(d, str) and d[:4].isdigit():
                season = int(d[:4])
                break
    if race and race.get("round") is not None and race.get("season") is not None:
        series = race.get("series") or series
        season = race["season"]
        rnd = race["round"]
        track = race.get("track") or track
        key = _join(series, season, f"R{rnd}")
    else:
        rnd = None
        key = _join(series, season, track, race_date)
        if season is None or race_date is None or track is None:
            # Too weak to tell races apart (a track can hold two races a
            # season, or a race every year): never merge this article with another.
            key += f"|{record.get('doc_id')}"
    return {"race_key": key, "series": series, "season": season, "round": rnd,
            "track": track, "race_date": race_date}


def _join(*parts: Any) -> str:
    return "|".join("" if p is None else str(p) for p in parts)


def _typed_value(ftype: str, value: Any) -> tuple[Optional[int], Optional[float], Optional[str]]:
    """(value_int, value_float, value_str): the column the fact type declares;
    a value of another type goes to the column of its own type."""
    declared = FACT_VALUES.get(ftype, ("", None, ""))[0]
    if value is None:
        return None, None, None
    if isinstance(value, bool):
        return None, None, str(value).lower()
    if declared == "integer" and isinstance(value, float) and value.is_integer():
        value = int(value)
    if declared == "number" and isinstance(value, int):
        value = float(value)
    if isinstance(value, int):
        return value, None, None
    if isinstance(value, float):
        return None, value, None
    return None, None, str(value)


def _live(records: Iterable[dict]) -> Iterable[dict]:
    for r in records:
        if not r.get("error"):
            yield r


# -------------------------------------------------------------------- facts
def fact_rows(records: Iterable[dict]) -> list[dict]:
    rows = []
    for rec in _live(records):
        key = race_key(rec)
        for i, f in enumerate(rec.get("facts") or []):
            vi, vf, vs = _typed_value(f.get("type", ""), f.get("value"))
            span = f.get("span") or [None, None]
            rows.append({
                "doc_id": rec.get("doc_id"), "fact_index": i, **key,
                "type": f.get("type"), "driver": f.get("driver"), "other": f.get("other"),
                "value_int": vi, "value_float": vf, "value_str": vs,
                "session": f.get("session"), "session_round": f.get("round"), "group": f.get("group"),
                "scope": f.get("scope"), "approximate": f.get("approximate"),
                "rule": f.get("rule"), "confidence": f.get("confidence"),
                "span_start": span[0], "span_end": span[1], "text": f.get("text"),
            })
    return rows


def _event_facts(rec: dict) -> Iterable[dict]:
    for f in rec.get("facts") or []:
        if f.get("scope") != "other" and f.get("driver"):
            yield f


def _merge(row: dict, col: str, value: Any, conflicts: dict[str, set]) -> None:
    """First value wins (input order: records, then facts); a different value
    for the same cell is kept in ``conflicts`` so nothing is silently lost."""
    if value is None:
        return
    if row.get(col) is None:
        row[col] = value
    elif row[col] != value:
        conflicts.setdefault(col, {row[col]}).add(value)


def _fmt_conflicts(conflicts: dict[str, set]) -> Optional[str]:
    if not conflicts:
        return None
    return "; ".join(f"{c}: " + "/".join(sorted(map(str, vs))) for c, vs in sorted(conflicts.items()))


# ------------------------------------------------------------------ results
def result_rows(records: Iterable[dict]) -> list[dict]:
    rows: dict[tuple, dict] = {}
    conflicts: dict[tuple, dict[str, set]] = {}
    docs: dict[tuple, list[str]] = {}
    for rec in _live(records):
        key = race_key(rec)
        for f in _event_facts(rec):
            col = _RESULT_FIELDS.get(f.get("type"))
            if col is None or f.get("session") == "practice":
                continue
            # a qualifying rank inside a round or group is not the start position
            if col == "start" and (f.get("round") is not None or f.get("group") is not None):
                continue
            k = (key["race_key"], f["driver"])
            row = rows.get(k)
            if row is None:
                row = rows[k] = {**key, "driver": f["driver"], **{c: None for c in _RESULT_FIELDS.values()}}
                docs[k] = []
            value = f.get("value")
            if col in ("start", "finish", "laps_led"):
                value = _typed_value(f["type"], value)[0]
            elif value is not None:
                value = str(value)
            _merge(row, col, value, conflicts.setdefault(k, {}))
            if rec.get("doc_id") not in docs[k]:
                docs[k].append(rec.get("doc_id"))
    out = []
    for k, row in rows.items():
        row["doc_ids"] = ";".join(map(str, docs[k]))
        row["conflicts"] = _fmt_conflicts(conflicts.get(k, {}))
        out.append(row)
    out.sort(key=_result_order)
    return out


def _result_order(row: dict) -> tuple:
    big = 10 ** 6
    return (row["race_key"], row["finish"] if row["finish"] is not None else big,
            row["start"] if row["start"] is not None else big, row["driver"])


# ------------------------------------------------------- qualifying/practice
def session_rows(records: Iterable[dict], session: str) -> list[dict]:
    """Lap time and speed per (race, driver, round, group) of one session.

    ``rank`` is the position the text states: for qualifying the start
    position (the grid is the qualifying order), for practice none (the
    contract has no practice-rank fact). ``time_rank`` ranks the drivers the
    records report by lap time (by speed when no time): it equals the real
    rank only when the articles list the session from the top.
    """
    records = list(_live(records))
    rows: dict[tuple, dict] = {}
    conflicts: dict[tuple, dict[str, set]] = {}
    docs: dict[tuple, list[str]] = {}
    ranks: dict[tuple, int] = {}
    for rec in records:
        key = race_key(rec)
        for f in _event_facts(rec):
            if session == "qualifying" and f.get("type") == "start_position" and f.get("session") != "practice" \
                    and f.get("round") is None and f.get("group") is None:
                v = _typed_value("start_position", f.get("value"))[0]
                if v is not None:
                    ranks.setdefault((key["race_key"], f["driver"]), v)
                continue
            col = _SESSION_FIELDS.get(f.get("type"))
            if col is None or f.get("session") != session:
                continue
            k = (key["race_key"], f["driver"], f.get("round"), f.get("group"))
            row = rows.get(k)
            if row is None:
                row = rows[k] = {**key, "driver": f["driver"], "session_round": f.get("round"),
                                 "group": f.get("group"), "lap_time": None, "speed": None}
                docs[k] = []
            _merge(row, col, _typed_value(f["type"], f.get("value"))[1], conflicts.setdefault(k, {}))
            if rec.get("doc_id") not in docs[k]:
                docs[k].append(rec.get("doc_id"))
    out = []
    for k, row in rows.items():
        row["rank"] = ranks.get((k[0], k[1])) if session == "qualifying" else None
        row["doc_ids"] = ";".join(map(str, docs[k]))
        out.append(row)
    # time_rank within (race, round, group): faster first
    groups: dict[tuple, list[dict]] = {}
    for row in out:
        groups.setdefault((row["race_key"], row["session_round"], row["group"]), []).append(row)
    for rows_ in groups.values():
        timed = [r for r in rows_ if r["lap_time"] is not None or r["speed"] is not None]
        timed.sort(key=lambda r: (r["lap_time"] if r["lap_time"] is not None else float("inf"),
                                  -(r["speed"] or 0.0), r["driver"]))
        for i, r in enumerate(timed, 1):
            r["time_rank"] = i
    for row in out:
        row.setdefault("time_rank", None)
    out.sort(key=lambda r: (r["race_key"], r["session_round"] if r["session_round"] is not None else 0,
                            r["group"] or "", r["time_rank"] or 10 ** 6, r["driver"]))
    return [{c: r.get(c) for c in COLUMNS[session]} for r in out]


# ------------------------------------------------------------------- public
def table_rows(records: Iterable[dict], kind: str = "facts") -> list[dict]:
    """The rows of one table kind (see the module docstring), columns in order."""
    if kind == "facts":
        rows = fact_rows(records)
    elif kind == "results":
        rows = result_rows(records)
    elif kind in ("qualifying", "practice"):
        return session_rows(records, kind)
    else:
        raise TableError(f"unknown table kind {kind!r} (one of {', '.join(KINDS)})")
    cols = COLUMNS[kind]
    return [{c: r.get(c) for c in cols} for r in rows]


def _csv_cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)  # shortest round-trip form: 134.741, not 134.74100000000001
    return v


def rows_to_csv(rows: list[dict], kind: str) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(COLUMNS[kind]), lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: _csv_cell(v) for k, v in r.items()})
    return buf.getvalue()


def read_csv_rows(text: str, kind: str) -> list[dict]:
    """Read a table CSV back into typed rows (empty cell = None)."""
    types = COLUMNS[kind]
    out = []
    for r in csv.DictReader(io.StringIO(text)):
        row = {}
        for c, t in types.items():
            v = r.get(c, "")
            if v == "":
                row[c] = None
            elif t == "int":
                row[c] = int(v)
            elif t == "float":
                row[c] = float(v)
            elif t == "bool":
                row[c] = v == "true"
            else:
                row[c] = v
        out.append(row)
    return out


def arrow_table(rows: list[dict], kind: str):
    """A pyarrow Table with typed columns (needs the ``parquet`` extra)."""
    try:
        import pyarrow as pa
    except ImportError:
        raise TableError("Parquet needs pyarrow: pip install 'nascar-extractor[parquet]'") from None
    arrow = {"int": pa.int64(), "float": pa.float64(), "str": pa.string(), "bool": pa.bool_()}
    schema = pa.schema([(c, arrow[t]) for c, t in COLUMNS[kind].items()])
    return pa.Table.from_pylist(rows, schema=schema)


def write_table(rows: list[dict], kind: str, out: Union[str, Path, io.IOBase, None], fmt: str = "csv") -> None:
    """Write rows as CSV, JSONL or Parquet to a path (or a text stream for
    csv/jsonl, a binary stream for parquet)."""
    if fmt not in FORMATS:
        raise TableError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt == "parquet":
        table = arrow_table(rows, kind)  # reports a missing pyarrow
        import pyarrow.parquet as pq
        pq.write_table(table, out if not isinstance(out, (str, Path)) else str(out))
        return
    if fmt == "csv":
        data = rows_to_csv(rows, kind)
    else:
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if isinstance(out, (str, Path)):
        Path(out).write_text(data, encoding="utf-8", newline="")
    else:
        out.write(data)  # type: ignore[union-attr]
