"""Race statistics: laps led, total laps, cautions, lead changes, leaders,
entries, race duration."""
from __future__ import annotations

import re
from functools import lru_cache

from .context import Context, SentInfo
from .facts_base import FactSink
from .numbers import DURATION, parse_duration, parse_int
from .resources import read_json


@lru_cache(maxsize=1)
def _num() -> str:
    words = sorted(read_json("lexicon.json").get("number_words", {}), key=len, reverse=True)
    alt = "|".join(re.escape(w) for w in words)
    return rf"(?:\d{{1,4}}|(?:{alt})(?:-(?:{alt}))?)"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    N = _num()
    return {
        "laps_led": re.compile(
            rf"\b(?:led|leading|leads|lead)\s+(?:a\s+|the\s+)?(?:race-high|race-best|career-high|series-high|"
            rf"race\s+high|race\s+best|dominant|whopping|field-best)?\s*(?P<led>{N})\s+"
            rf"(?:of\s+(?:the\s+)?(?P<total>{N})\s+)?laps\b|"
            rf"\bled\s+(?:a\s+)?(?:race|career|series|field)-(?:high|best)\s+(?P<led2>{N})\b(?!\s*(?:%|percent|mph))", re.I),
        "total_laps": re.compile(
            rf"\b(?:(?P<a>{N})-lap\s+(?:race|event|contest|feature|affair)|(?:a|the)\s+(?:rain|weather)-shortened\s+(?P<b>{N})\s+laps|"
            rf"(?:race|event)\s+(?:went|lasted|ran)\s+(?P<c>{N})\s+laps)\b", re.I),
        "cautions": re.compile(
            rf"\b(?:(?P<a>{N})\s+(?:caution(?:s|\s+flags?|\s+periods?)?|yellow\s+flags?|yellows)\b(?!\s+laps)|"
            rf"last\s+of\s+(?P<b>{N})\s+caution|caution\s+(?:flew|flag\s+flew|came\s+out|waved)\s+(?:only\s+|just\s+)?(?P<c>{N})\s+times|"
            rf"caution\s+flags\s*:\s*(?P<d>{N})\b)",
            re.I),
        "lead_changes": re.compile(
            rf"\b(?P<a>{N})\s+(?:different\s+)?lead\s+changes\b|\blead\s+changed\s+hands\s+(?P<b>{N})\s+times|"
            rf"\blead\s+changes\s*:\s*(?P<c>{N})\b", re.I),
        "leaders": re.compile(rf"\bamong\s+(?P<a>{N})\s+(?:different\s+)?(?:drivers|leaders)\b|"
                              rf"\blead\s+changes\s*:\s*{N}\s+among\s+(?P<b>{N})\b", re.I),
        "entries": re.compile(
            rf"\b(?:a\s+total\s+of\s+(?P<a>{N})\s+entries|(?P<b>{N})\s+(?:entries|cars|trucks|drivers|teams)\s+"
            rf"(?:(?:were|are|had\s+been|was)\s+)?(?:attempting|attempted|entered|on\s+the\s+entry\s+list|will\s+compete|vying|competing|trying))\b", re.I),
    }


# Words every match of a pattern contains (any one of them): a sentence without
# any skips the regex, which tries its alternatives at every position. Exact
# because with re.I only these four non-ASCII letters match ASCII ones (re
# docs); a sentence holding one of them is always scanned.
_NEEDS = {
    "laps_led": ("led", "lead"), "total_laps": ("lap",), "cautions": ("caution", "yellow"),
    "lead_changes": ("lead",), "leaders": ("among",), "entries": ("entr", "enter", "attempt", "compet", "vying", "trying"),
}
_ASCII_FOLDS = re.compile("[\u0130\u0131\u017f\u212a]")


def _may_match(low: str, folds: bool, ftype: str) -> bool:
    return folds or any(w in low for w in _NEEDS[ftype])


def extract_stats(ctx: Context, info: SentInfo, sink: FactSink) -> None:
    s = info.sent
    text = ctx.layout.view
    pats = _patterns()
    low = s.text.lower()
    folds = bool(_ASCII_FOLDS.search(s.text))
    for m in (pats["laps_led"].finditer(text, s.start, s.end) if _may_match(low, folds, "laps_led") else ()):
        if ctx.layout.in_quote(m.start()) or ctx.is_past(info, m.start()):
            continue
        g = "led" if m.group("led") else "led2"
        led = parse_int(m.group(g))
        who = ctx.owner(info, m.start())
        if re.search(r"all\s+but\s*$", text[max(s.start, m.start(g) - 10):m.start(g)]):
            continue
        if led is not None and who and not re.search(r"\bin\s+a\s+row\b", text[m.end():m.end() + 12]):
            sink.add("laps_led", who, led, (m.start(g), m.end()))
        if m.group("total"):
            sink.add("total_laps", None, parse_int(m.group("total")), (m.start("total"), m.end()))
    for ftype in ("total_laps", "cautions", "lead_changes", "leaders", "entries"):
        if not _may_match(low, folds, ftype):
            continue
        for m in pats[ftype].finditer(text, s.start, s.end):
            if ctx.layout.in_quote(m.start()) or ctx.is_past(info, m.start()):
                continue
            grp = next(g for g in ("a", "b", "c", "d") if g in m.groupdict() and m.group(g))
            val = parse_int(m.group(grp))
            if val is None:
                continue
            if ftype == "cautions" and re.match(r"\s+(?:laps|away)", text[m.end():m.end() + 8]):
                continue
            sink.add(ftype, None, val, (m.start(grp), m.end()))
    duration = folds or ("hour" in low and "minute" in low and "second" in low)
    for m in (DURATION.finditer(text, s.start, s.end) if duration else ()):
        val = parse_duration(m.group(0))
        if val is not None and re.search(r"last|lasted|took|duration|time of race|race time", text[max(s.start, m.start() - 40):m.start()], re.I):
            sink.add("race_duration", None, val, (m.start(), m.end()))
