"""The record's JSON Schema (``extractor schema``), stricter than the models.

The pydantic models accept older records; the published schema states what
a current record promises (docs/record.md): the keys that are always
present, the value type and unit of each fact type (``if type == X then
value is ...``), and units in the descriptions.
"""
from __future__ import annotations

import copy
from typing import Any

from .models import SCHEMA_VERSION, Record

SCHEMA_ID = f"urn:nascar-extractor:record:{SCHEMA_VERSION}"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

#: fact type -> (JSON type of ``value``, unit or None, what it is). The one
#: table of value types: the schema, the tables and their tests read it.
FACT_VALUES: dict[str, tuple[str, str | None, str]] = {
    "car_number": ("string", None, "the car number as written, leading zeros kept (\"00\", \"07\")"),
    "start_position": ("integer", None, "starting position (1 = pole)"),
    "finish_position": ("integer", None, "finishing position (1 = winner)"),
    "lap_time": ("number", "seconds", "a lap time"),
    "speed_mph": ("number", "mph", "a lap speed"),
    "laps_led": ("integer", "laps", "laps led in the race"),
    "manufacturer": ("string", None, "the make (\"Chevrolet\", \"Ford\", \"Toyota\", ...)"),
    "team": ("string", None, "the team name as written, possessive dropped"),
    "gap": ("number", "seconds", "time between driver (ahead) and other (behind)"),
    "total_laps": ("integer", "laps", "laps the race ran"),
    "lead_changes": ("integer", None, "lead changes in the race"),
    "leaders": ("integer", None, "different leaders in the race"),
    "cautions": ("integer", None, "caution periods in the race"),
    "margin_of_victory": ("number", "seconds", "the winner's margin"),
    "average_speed_mph": ("number", "mph", "the race's average speed"),
    "entries": ("integer", None, "cars entered"),
    "race_duration": ("number", "seconds", "the race's duration"),
}

RECORD_REQUIRED = ["schema_version", "doc_id", "event", "drivers", "facts", "checks"]
EVENT_REQUIRED = ["published", "series", "track", "event_name", "qualifying_date", "race_date"]
FACT_REQUIRED = ["type", "driver", "value", "span", "text"]

_DESCRIPTIONS = {
    ("Record", "doc_id"): "The input's id: a file's stem, or the id of a JSONL input line.",
    ("Record", "text_sha"): "sha256 of the text as read (\"sha256:<hex>\").",
    ("Record", "error"): "Present when the input could not be processed.",
    ("Event", "published"): "Publication date, ISO YYYY-MM-DD.",
    ("Event", "qualifying_date"): "ISO YYYY-MM-DD.",
    ("Event", "race_date"): "ISO YYYY-MM-DD.",
    ("Event", "stated_length"): "The track length the article states, in miles.",
    ("Event", "race"): "The official points race the article is about, or null.",
    ("Fact", "span"): "Character offsets [start, end) into the input text.",
    ("Fact", "text"): "The text the span covers.",
    ("Fact", "kmh"): "The same speed in km/h, when printed beside the mph figure.",
    ("Fact", "rule"): "Id of the rule (defined in patterns/) that produced the fact.",
    ("Fact", "confidence"): "How sure the selection stage is of the fact, in [0, 1].",
    ("Fact", "round"): "Qualifying round (knockout qualifying).",
    ("Fact", "scope"): "\"other\": about another event; ignored by scoring.",
    ("RaceLink", "round"): "The race's number within the season in the official results.",
}


def _value_rule(ftype: str, jtype: str, unit: str | None, what: str) -> dict:
    desc = what + (f", in {unit}" if unit else "")
    value: dict[str, Any] = {"type": jtype, "description": desc}
    if ftype == "car_number":
        value["pattern"] = r"^\d{1,3}$"
    if ftype in ("start_position", "finish_position"):
        value["minimum"] = 1
    elif jtype in ("integer", "number"):
        value["minimum"] = 0
    return {"if": {"properties": {"type": {"const": ftype}}, "required": ["type"]},
            "then": {"properties": {"value": value}}}


def record_json_schema() -> dict:
    """The JSON Schema (draft 2020-12) of one output record."""
    schema = copy.deepcopy(Record.model_json_schema())
    defs = schema.setdefault("$defs", {})
    out: dict[str, Any] = {"$schema": DRAFT, "$id": SCHEMA_ID}
    out.update(schema)
    out["title"] = "extractor record"
    out["description"] = ("One article's record: event, drivers, facts with spans, validator verdicts. "
                          "Contract: docs/record.md. Times are in seconds, speeds in mph.")
    out["required"] = RECORD_REQUIRED
    out["properties"]["schema_version"] = {"const": SCHEMA_VERSION, "description": "Contract version."}
    defs["Event"]["required"] = EVENT_REQUIRED
    fact = defs["Fact"]
    fact["required"] = FACT_REQUIRED
    fact["properties"]["value"]["description"] = "Typed per fact type (see allOf); times in seconds, speeds in mph."
    fact["properties"]["type"]["description"] = "; ".join(
        f"{t}: {j}" + (f" ({u})" if u else "") for t, (j, u, _) in FACT_VALUES.items())
    fact["allOf"] = [_value_rule(t, *spec) for t, spec in FACT_VALUES.items()]
    for (model, key), text in _DESCRIPTIONS.items():
        target = out if model == "Record" else defs.get(model)
        if target and key in target.get("properties", {}):
            target["properties"][key]["description"] = text
    return out
