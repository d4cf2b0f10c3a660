"""The record contract (../shared/spec/RECORD.md) as pydantic models.

Keys named in the contract keep their names and types; anything else the
project adds is optional so records from older runs still load.
"""
from __future__ import annotations

import json
from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"

FactType = Literal[
    "car_number",
    "start_position",
    "finish_position",
    "lap_time",
    "speed_mph",
    "laps_led",
    "manufacturer",
    "team",
    "gap",
    "total_laps",
    "lead_changes",
    "leaders",
    "cautions",
    "margin_of_victory",
    "average_speed_mph",
    "entries",
    "race_duration",
]

CheckStatus = Literal["pass", "fail", "warn", "skipped"]
Session = Literal["practice", "qualifying", "race"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class Fact(_Model):
    type: FactType
    driver: Optional[str] = None
    value: Union[int, float, str, None]
    span: tuple[int, int]
    text: str
    other: Optional[str] = None
    approximate: Optional[bool] = None
    session: Optional[Session] = None
    round: Optional[int] = None
    group: Optional[str] = None
    scope: Optional[Literal["event", "other"]] = None
    # A km/h figure printed beside an mph speed ("181.172mph (291.568km/h)")
    # rides on the speed fact: it is the same fact in other units.
    kmh: Optional[float] = None
    kmh_span: Optional[tuple[int, int]] = None
    # Which rule (an id defined in patterns/) produced the fact, and how sure
    # the selection stage is of it, in [0, 1].
    rule: Optional[str] = None
    confidence: Optional[float] = None


class DateMention(_Model):
    """A date the text states, with the weekday written beside it if any."""
    text: str
    span: tuple[int, int]
    date: Optional[str] = None
    weekday: Optional[str] = None
    role: Optional[Literal["qualifying", "race", "practice", "published", "other"]] = None


class VenueMention(_Model):
    """A track the text names as the venue of this event's race."""
    track: str
    span: tuple[int, int]
    text: str


class RaceLink(_Model):
    """The official points race an article is about (see RECORD.md)."""
    series: Optional[str] = None
    season: Optional[int] = None
    round: Optional[int] = None
    track: Optional[str] = None
    name: Optional[str] = None
    score: Optional[float] = None
    why: str = ""


class Event(_Model):
    published: Optional[str] = None
    series: Optional[Literal["Cup", "Xfinity", "Truck", "ARCA"]] = None
    track: Optional[str] = None
    event_name: Optional[str] = None
    qualifying_date: Optional[str] = None
    race_date: Optional[str] = None
    season: Optional[int] = None
    track_span: Optional[tuple[int, int]] = None
    event_name_span: Optional[tuple[int, int]] = None
    # "the 1.366-mile track": what the article says the track measures.
    stated_length: Optional[float] = None
    stated_length_span: Optional[tuple[int, int]] = None
    dates: list[DateMention] = Field(default_factory=list)
    venues: list[VenueMention] = Field(default_factory=list)
    # null when the article cannot be tied to one official race; the reason
    # then sits in ``race_why``.
    race: Optional[RaceLink] = None
    race_why: Optional[str] = None


class DriverEntry(_Model):
    name: str
    mentions: list[tuple[int, int]] = Field(default_factory=list)
    in_roster: Optional[bool] = None


class Enumeration(_Model):
    """A list of names that fills a frame: "X qualified sixth, with A, B, C
    and D completing the top 10" is first=7, last=10, four names."""
    kind: Literal["start_position", "finish_position"]
    first: int
    last: Optional[int] = None
    names: int
    facts: list[int] = Field(default_factory=list)
    span: tuple[int, int]
    text: str


class Check(_Model):
    name: str
    status: CheckStatus
    message: str
    facts: list[int] = Field(default_factory=list)


class ErrorInfo(_Model):
    kind: str
    message: str


class Provenance(_Model):
    version: str
    ruleset_hash: str


class Record(_Model):
    schema_version: str = SCHEMA_VERSION
    doc_id: str
    source: Optional[str] = None
    # sha256 of the text as read: lets a diff tell "input changed" from "rules changed".
    text_sha: Optional[str] = None
    extractor: Optional[Provenance] = None
    event: Event = Field(default_factory=Event)
    drivers: list[DriverEntry] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    enumerations: list[Enumeration] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    error: Optional[ErrorInfo] = None

    def to_dict(self) -> dict:
        """Contract keys are always present (null when unknown); optional
        extras appear only when set, which keeps the lines short."""
        d = self.model_dump(mode="json", exclude_none=True)
        ev = d.setdefault("event", {})
        for key in ("published", "series", "track", "event_name", "qualifying_date", "race_date"):
            ev.setdefault(key, None)
        if "race_why" in ev:  # an unlinked race says so: null beside its reason
            ev.setdefault("race", None)
        for f in d.get("facts", []):
            f.setdefault("driver", None)
            f.setdefault("value", None)
        d.setdefault("checks", [])
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


def record_json_schema() -> dict:
    return Record.model_json_schema()
