"""Race statistics: laps led, total laps, cautions, lead changes, leaders,
entries, race duration."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .context import Context, SentInfo
from .facts_base import FactSink
from .numbers import DURATION, parse_duration, parse_float, parse_int

FLOAT_STATS = {"margin_of_victory", "average_speed_mph"}


def number_alternation(number_words) -> str:
    """Digits or number words ("nine", "twenty-one"), as a regex group."""
    words = sorted(number_words, key=len, reverse=True)
    alt = "|".join(re.escape(w) for w in words)
    return rf"(?:\d{{1,4}}|(?:{alt})(?:-(?:{alt}))?)"


_ASCII_FOLDS = re.compile("[\u0130\u0131\u017f\u212a]")


@dataclass(frozen=True)
class StatRule:
    """A race-statistic rule from patterns/rules.jsonl: its id, the fact type
    its match makes, the regex (``{N}`` stands for a number in digits or
    words) and the lower-case substrings a sentence must hold for the regex
    to be worth running."""
    id: str
    ftype: str
    regex: re.Pattern
    pretest: tuple[str, ...]


def compile_stat_rules(rows, number_words) -> list[StatRule]:
    n = number_alternation(number_words)
    out = []
    for r in rows:
        if r.get("stage") != "stats":
            continue
        flags = re.I if "i" in r.get("flags", "") else 0
        try:
            rx = re.compile(r["pattern"].replace("{N}", n), flags)
        except re.error as exc:
            raise ValueError(f"rules.jsonl: rule {r['id']}: bad pattern: {exc}") from None
        out.append(StatRule(r["id"], r["types"][0], rx, tuple(p.lower() for p in r.get("pretest", []))))
    return out


def _laps_led(ctx: Context, info: SentInfo, sink: FactSink, rule: StatRule, m: re.Match) -> None:
    s = info.sent
    text = ctx.layout.view
    led = parse_int(m.group("led"))
    who = ctx.owner(info, m.start())
    if re.search(r"all\s+but\s*$", text[max(s.start, m.start("led") - 10):m.start("led")]):
        return
    if led is not None and who and not re.search(r"\bin\s+a\s+row\b", text[m.end():m.end() + 12]):
        sink.add("laps_led", who, led, (m.start("led"), m.end()), rule=rule.id)
    if "total" in m.groupdict() and m.group("total"):
        sink.add("total_laps", None, parse_int(m.group("total")), (m.start("total"), m.end()), rule=rule.id)


def extract_stats(ctx: Context, info: SentInfo, sink: FactSink, rules: list[StatRule]) -> None:
    s = info.sent
    text = ctx.layout.view
    low = s.text.lower()
    for rule in rules:
        if rule.pretest and not any(p in low for p in rule.pretest):
            continue
        for m in rule.regex.finditer(text, s.start, s.end):
            if ctx.layout.in_quote(m.start()) or ctx.is_past(info, m.start()):
                continue
            if rule.ftype == "laps_led":
                _laps_led(ctx, info, sink, rule, m)
                continue
            val = parse_float(m.group("n")) if rule.ftype in FLOAT_STATS else parse_int(m.group("n"))
            if val is None:
                continue
            if rule.ftype == "cautions" and re.match(r"\s+(?:laps|away)", text[m.end():m.end() + 8]):
                continue
            sink.add(rule.ftype, None, val, (m.start("n"), m.end()), rule=rule.id)
    # A duration names hours, minutes and seconds; a sentence holding one of the
    # four letters re.I folds onto ASCII (re docs) is scanned whatever it says.
    if not ("hour" in low and "minute" in low and "second" in low) and not _ASCII_FOLDS.search(s.text):
        return
    for m in DURATION.finditer(text, s.start, s.end):
        val = parse_duration(m.group(0))
        if val is not None and re.search(r"last|lasted|took|duration|time of race|race time", text[max(s.start, m.start() - 40):m.start()], re.I):
            sink.add("race_duration", None, val, (m.start(), m.end()), rule="stats:race-duration")
