"""Timing facts: lap times, speeds (mph and km/h), gaps and winning margins."""
from __future__ import annotations

import re

from .context import Context, SentInfo
from .facts_base import FactSink
from .numbers import parse_clock, parse_float, parse_fraction_phrase, parse_ordinal

NUM = r"\d{1,3}(?:\.\d{1,4})?"
CLOCK = re.compile(r"(?<![\d:.])(\d{1,2}:\d{2}\.\d{1,4})(?!\d|\.\d)")
SECONDS = re.compile(
    r"(?<![\d.:])(\d{1,3}\.\d{1,4})\s*(?:-?\s*(?:seconds?|secs?\.?)\b|s\b)(?!\s*(?:ahead|behind|back|faster|slower|off|clear|from|of a|margin|better|quicker|shy|short))",
    re.I,
)
SPEED = re.compile(r"(?<![\d.])(\d{2,3}\.\d{1,4})\s*-?\s*(?:mph|m\.p\.h\.)\b", re.I)
SPEED_INT = re.compile(r"(?<![\d.])(\d{2,3})\s*-?\s*mph\b", re.I)
KMH = re.compile(r"(?<![\d.])(\d{2,3}(?:\.\d{1,4})?)\s*-?\s*(?:km/h|kph|kmh)\b", re.I)
PAIR = re.compile(r"\((\d{1,3}\.\d{1,4})\s*/\s*(\d{2,3}\.\d{1,4})\)")
BARE_PAREN = re.compile(r"\((\d{2,3}\.\d{1,3})\)")
TIME_OF = re.compile(r"\b(?:lap|time|lap\s+time|best\s+lap|best\s+time|fast\s+lap)\s+(?:of|at)\s+(\d{2,3}\.\d{2,4})\b"
                     r"(?!\s*(?:mph|miles|m\.p\.h|km|%|-))", re.I)
BARE_AT = re.compile(r"\bat\s+(\d{2,3}\.\d{3})\b(?!\s*(?:mph|miles|m\.p\.h|km|sec|s\b|%|-))", re.I)
GAP = re.compile(
    r"(?P<by>\bby\s+(?:a\s+margin\s+of\s+)?)?(?:just\s+|only\s+|about\s+|roughly\s+|nearly\s+|over\s+|more\s+than\s+)?"
    r"(?P<num>(?:\d{1,2})?\.\d{1,4}|\d{1,2}\.\d{1,4})\s*-?\s*(?:seconds?|secs?\.?|s)\b",
    re.I,
)
FRACTION_GAP = re.compile(
    # Without the hedge word, start only where a run of spaces starts (the
    # leftmost match did anyway): every later space re-scanned the run.
    r"(?:(?P<approx>over|about|more than|nearly|roughly|almost|less than|under)\s*|(?<!\s)\s*)"
    r"(?P<frac>(?:a|an|one|two|three|four|five|six|seven|eight|nine)[-\s](?:tenths?|hundredths?|thousandths?))"
    r"\s+of\s+a\s+second",
    re.I,
)
_DOT_DIGIT = re.compile(r"\.\d")
_ASCII_FOLDS = re.compile("[\u0130\u0131\u017f\u212a]")
THRESHOLD_BEFORE = re.compile(r"\b(?:under|over|below|above|less than|more than|sub-?)\s*$", re.I)


def _session(ctx: Context, info: SentInfo) -> str | None:
    return info.session or ctx.kind


def extract_timing(ctx: Context, info: SentInfo, sink: FactSink) -> None:
    s = info.sent
    text = ctx.layout.view
    chunk = text[s.start:s.end]
    session = _session(ctx, info)
    if session == "race":
        session = None  # race laps are not qualifying speeds; leave it unset
    round_no = _round(chunk)
    used: list[tuple[int, int]] = []

    def take(a: int, b: int) -> bool:
        if any(x < b and a < y for x, y in used):
            return False
        used.append((a, b))
        return True

    # "(29.001/131.333)": lap and speed in one parenthesis.
    for m in PAIR.finditer(chunk):
        a = s.start + m.start()
        if ctx.layout.in_quote(a):
            continue
        who = ctx.owner(info, a)
        lt, sp = parse_float(m.group(1)), parse_float(m.group(2))
        if who and take(a, s.start + m.end()):
            sink.add("lap_time", who, lt, (s.start + m.start(1), s.start + m.end(1)), session=session, round=round_no,
                     rule="timing:lap-speed-pair")
            sink.add("speed_mph", who, sp, (s.start + m.start(2), s.start + m.end(2)), session=session, round=round_no,
                     rule="timing:lap-speed-pair")

    for m in CLOCK.finditer(chunk):
        a, b = s.start + m.start(1), s.start + m.end(1)
        if ctx.layout.in_quote(a) or not take(a, b):
            continue
        who = ctx.owner(info, a)
        if who:
            sink.add("lap_time", who, parse_clock(m.group(1)), (a, b), session=session, round=round_no,
                     rule="timing:clock-lap")
        # "1:16.534 mph" is a lap time mislabelled; swallow the unit.
        tail = re.match(r"\s*mph", chunk[m.end():], re.I)
        if tail:
            used.append((b, b + tail.end()))

    average_ctx = re.compile(r"average\s+(?:lap\s+)?speed|consecutive|lap average|average of", re.I)
    speeds = []
    for m in SPEED.finditer(chunk):
        a, b = s.start + m.start(1), s.start + m.end()
        if ctx.layout.in_quote(a) or not take(a, b):
            continue
        if THRESHOLD_BEFORE.search(chunk[:m.start()]):
            continue
        val = parse_float(m.group(1))
        before = chunk[max(0, m.start() - 60):m.start()]
        race_avg = _race_average(ctx, info, a, before, s.start + max(0, m.start() - 60))
        if (race_avg or re.search(r"(?:average\s+speed\s+(?:of\s+(?:race\s+winner\s*)?)?:?|\baveraged)\s*$", before, re.I)) \
                and not re.search(r"consecutive|\blap\b", before[-40:], re.I):
            prev = ctx.adjacent_before(info, a)
            if race_avg or prev is None or re.search(r"averaged\s*$", before) or re.search(r"race\s+winner", before, re.I):
                sink.add("average_speed_mph", None, val, (a, b), rule="timing:average-speed")
                continue
        who = ctx.owner(info, a)
        if not who:
            continue
        extra = {}
        if average_ctx.search(before[-40:]) or average_ctx.search(chunk[m.end():m.end() + 25]):
            # An average over a run of laps ("best 10-lap average") is not one
            # lap's speed, and the record has no fact for it: precision first.
            continue
        k = KMH.match(chunk[m.end():].lstrip(" ([/,").rstrip()) or KMH.search(chunk[m.end():m.end() + 24])
        if k:
            off = m.end() + chunk[m.end():].find(k.group(0))
            extra["kmh"] = parse_float(k.group(1))
            extra["kmh_span"] = (s.start + off, s.start + off + len(k.group(0)))
            used.append(extra["kmh_span"])
        sink.add("speed_mph", who, val, (a, b), session=session, round=round_no, rule="timing:mph-speed", **extra)
        speeds.append(val)

    # A bare "(165.738)" after a name, in a sentence that gives mph speeds.
    if speeds:
        lo, hi = min(speeds) * 0.8, max(speeds) * 1.2
        for m in BARE_PAREN.finditer(chunk):
            a, b = s.start + m.start(1), s.start + m.end(1)
            val = parse_float(m.group(1))
            if not (lo <= val <= hi) or not take(a, b):
                continue
            prev = ctx.adjacent_before(info, a)
            if prev is None:
                # "and Ben Rhodes third (178.9)": one word, a place, between.
                before_m = [mm for mm in info.mentions if mm.end <= a - 1]
                if before_m and re.fullmatch(r"\s*(?:(?:was|in)\s+)?[a-z0-9-]+\s*\(", text[before_m[-1].end:a]):
                    prev = before_m[-1]
            if prev:
                sink.add("speed_mph", prev.name, val, (a, b), session=session, round=round_no,
                             rule="timing:bare-paren-speed")

    for m in SECONDS.finditer(chunk):
        a, b = s.start + m.start(1), s.start + m.end()
        val = parse_float(m.group(1))
        if val is None or val < 10 or ctx.layout.in_quote(a) or not take(a, b):
            continue
        if THRESHOLD_BEFORE.search(chunk[:m.start()]):
            continue
        if re.search(r"\b(?:lasted|pit|spent|penalty)\b", chunk[max(0, m.start() - 40):m.start()], re.I):
            continue
        who = ctx.owner(info, a)
        if who:
            sink.add("lap_time", who, val, (a, s.start + m.end(1)), session=session, round=round_no,
                     rule="timing:seconds-lap")

    # "posted a time of 26.951", "a best lap of 15.09": a lap with no unit.
    for m in TIME_OF.finditer(chunk):
        a, b = s.start + m.start(1), s.start + m.end(1)
        val = parse_float(m.group(1))
        if val is None or not (10 <= val < 200) or ctx.layout.in_quote(a) or not take(a, b):
            continue
        who = ctx.owner(info, a)
        if who:
            sink.add("lap_time", who, val, (a, b), session=session, round=round_no, rule="timing:time-of-lap")

    # "Hamlin was third at 28.136": a bare decimal after "at", in a passage
    # that states lap times with their unit, near those laps.
    # Indices of the lap and speed facts so far, kept up to date per article:
    # reading all facts for every sentence was quadratic in a long text. Facts
    # are only appended or replaced in place (same type), so the indices stay right.
    bare_at = list(BARE_AT.finditer(chunk))  # most sentences have none: then nothing below runs
    if bare_at:
        seen = ctx.__dict__.get("_lap_idx")
        if seen is None or seen[2] is not sink:
            seen = ctx.__dict__["_lap_idx"] = [0, [], sink]
        seen[1].extend(i for i in range(seen[0], len(sink.facts)) if sink.facts[i].type in ("lap_time", "speed_mph"))
        seen[0] = len(sink.facts)
        p0 = _passage_start(ctx, info)  # once, not per fact
        near = [f for f in (sink.facts[i] for i in seen[1]) if f.type in ("lap_time", "speed_mph") and f.span[0] >= p0
                and (f.session == session or None in (f.session, session))]
        laps = [f.value for f in near if f.type == "lap_time"]
        spds = [f.value for f in near if f.type == "speed_mph"]
    if bare_at and (laps or spds):
        for m in bare_at:
            a, b = s.start + m.start(1), s.start + m.end(1)
            val = parse_float(m.group(1))
            if val is None or ctx.layout.in_quote(a):
                continue
            ftype = ("lap_time" if laps and min(laps) * 0.95 <= val <= max(laps) * 1.05 else
                     "speed_mph" if spds and min(spds) * 0.95 <= val <= max(spds) * 1.05 else None)
            if ftype is None or not take(a, b):
                continue
            who = ctx.owner(info, a)
            if who:
                sink.add(ftype, who, val, (a, b), session=session, round=round_no,
                         rule="timing:bare-at-lap" if ftype == "lap_time" else "timing:bare-at-speed")

    extract_gaps(ctx, info, sink, used)


# The race's average speed, worded after a winner or with none named:
RACE_AVG = re.compile(  # "the winner's average speed was", "a winning average of"
    r"\b(?:winning|race(?:['’]s)?|the\s+race\s+had\s+an?)\s+average(?:\s+(?:race\s+)?speed)?\s+"
    r"(?:was|of|:|stood\s+at|came\s+to)?\s*$", re.I)
AVERAGE_WORD = re.compile(  # "at an average of", "averaging", "the average speed of the race was"
    r"\baverag(?:e|ed|ing)(?:\s+(?:winning|race|race[’']s))?(?:\s+(?:speed|pace))?"
    r"(?:\s+of\s+the\s+(?:race|event))?\s*(?:was|of|:|stood\s+at|came\s+to)?\s*$", re.I)
POSSESSIVE_AVG = re.compile(r"[’']s\s+average\s+(?:race\s+)?speed\s+(?:was\s+|of\s+|:\s*)?$", re.I)
NOT_RACE_AVG = re.compile(r"consecutive|\blap\b|-lap|practice|qualif", re.I)


def _race_average(ctx: Context, info: SentInfo, a: int, before: str, before_start: int) -> bool:
    """Is the speed at ``a`` the race's average? ``before`` is the text just
    before it, starting at ``before_start``. Only in a race report: a
    "winning"/"race" average; an "average(d|ing)" speed no driver but the
    winner owns; the winner's possessive average speed."""
    if ctx.kind != "race":
        return False
    if RACE_AVG.search(before):
        return True
    if not NOT_RACE_AVG.search(before) and AVERAGE_WORD.search(before):
        prev = ctx.adjacent_before(info, a)
        if (prev is None or prev.name == ctx.winner) and ctx.owner(info, a) in (None, ctx.winner):
            return True
    pm = POSSESSIVE_AVG.search(before) if ctx.winner else None
    if pm:
        owner = ctx.adjacent_before(info, before_start + pm.start())
        return owner is not None and owner.name == ctx.winner
    return False


def _passage_start(ctx: Context, info: SentInfo) -> int:
    """Where the two sentences before this one begin: the passage whose units carry over."""
    i = max(0, info.sent.index - 2)
    return ctx.layout.sentences[i].start


def _round(chunk: str) -> int | None:
    m = re.search(r"\b(first|second|third|opening)\s+round\b|\bround\s+(\d)\b", chunk, re.I)
    if not m:
        # Group A/B sessions are the first round of group qualifying.
        return 1 if re.search(r"\bGroup\s+[A-D]\b", chunk) else None
    if m.group(2):
        return int(m.group(2))
    return {"first": 1, "opening": 1, "second": 2, "third": 3}[m.group(1).lower()]


def gap_word_regexes(cue_rows) -> tuple[re.Pattern, re.Pattern]:
    """'.084 seconds faster', '.2 behind': the first word of each GAP_FASTER /
    GAP_SLOWER cue that stands after the number."""
    def rx(label: str) -> re.Pattern:
        words = sorted({r["pattern"].split(" than")[0].split(" of")[0] for r in cue_rows
                        if r["label"] == label and r.get("where") == "after"}, key=len, reverse=True)
        return re.compile(r"^\s*(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")\b", re.I)
    return rx("GAP_FASTER"), rx("GAP_SLOWER")


def extract_gaps(ctx: Context, info: SentInfo, sink: FactSink, used: list[tuple[int, int]]) -> None:
    s = info.sent
    text = ctx.layout.view
    chunk = text[s.start:s.end]
    found = []
    # Every GAP match holds ".<digit>", every FRACTION_GAP one "second" (see
    # stats._NEEDS for why the lower-case test is exact): skip hopeless scans.
    for m in (GAP.finditer(chunk) if _DOT_DIGIT.search(chunk) else ()):
        a = s.start + m.start("num")
        b = s.start + m.end()
        val = parse_float(m.group("num"))
        if val is None or val >= 10 or any(x < b and a < y for x, y in used):
            continue
        found.append((m, a, b, val, False, bool(m.group("by"))))
    for m in (FRACTION_GAP.finditer(chunk) if "second" in chunk.lower() or _ASCII_FOLDS.search(chunk) else ()):
        val = parse_fraction_phrase(m.group("frac"))
        if val is None:
            continue
        a, b = s.start + m.start("frac"), s.start + m.end()
        found.append((m, a, b, val, bool(m.group("approx")), False))
    for m, a, b, val, approx, by in found:
        if ctx.layout.in_quote(a):
            continue
        after = text[b:s.end]
        before = text[s.start:a]
        if re.search(r"\b(?:roughly|about|some)\s*$", before, re.I):
            approx = True
        faster_rx, slower_rx = ctx.gap_rx
        faster, slower = faster_rx.match(after), slower_rx.match(after)
        driver = other = None
        race = ctx.kind == "race"
        if faster:
            driver = ctx.owner(info, a, allow_after=False)
            other = _next_name(ctx, info, b + faster.end(), s.end)
        elif slower:
            other = ctx.owner(info, a, allow_after=False)
            tail = after[slower.end():]
            driver = None
            cand = _next_name(ctx, info, b + slower.end(), s.end, window=40)
            if cand and re.match(r"\s*(?:of\s+|from\s+|than\s+)?(?:the\s+)?(?:leader\s+|winner\s+|pole-sitter\s+|polesitter\s+)?[A-Z]", tail):
                driver = cand
            if driver is None and re.match(r"\s*(?:of\s+)?(?:the\s+)?(?:fastest|pole|top)", tail, re.I):
                driver = ctx.pole_driver
            if driver is None and race and not tail.strip(" .,;") or (driver is None and race and re.match(r"\s*[,.]", tail)):
                driver = ctx.winner
            if driver is None and race and re.match(r"\s*(?:of\s+)?(?:the\s+)?(?:winner|leader|him)\b", tail, re.I):
                driver = ctx.winner
        elif (sep := _separated(ctx, info, sink, a, b, after)) is not None:
            driver, other = sep
        elif race and (re.match(r"\s*margin\s+of\s+victory", after, re.I)
                       or re.search(r"(?:margin\s+of\s+victory|winning\s+margin)\s*(?:was|:|of)\s*(?:just\s+|only\s+)?$",
                                    before, re.I)):
            driver = ctx.winner
            over = re.match(r"\s*(?:over|ahead\s+of)\s+", after, re.I)
            # "his winning margin was 1.2 seconds over Blaney": the runner-up named
            other = (_next_name(ctx, info, b + over.end(), s.end, window=4) if over else None) or ctx.runner_up
        elif by:
            driver = ctx.owner(info, a, allow_after=False)
            pre = text[max(s.start, a - 160):a]
            objs = [mm for mm in info.mentions if mm.start < a and mm.start >= a - 160 and mm.name != driver]
            if re.search(r"\bover\s+[A-Z]", text[b:b + 40]):
                other = _next_name(ctx, info, b, s.end)
            elif objs:
                other = objs[-1].name if ctx.is_object(objs[-1], s) else None
            if other is None and re.search(r"leading the field|over the field", pre + text[b:b + 20], re.I):
                other = ctx.second_of(ctx.kind if ctx.kind != "race" else None)
        else:
            continue
        if driver and driver == other:
            continue
        is_margin = race and driver is not None and driver == ctx.winner and "qualif" not in s.text.lower()
        extra = {"approximate": True} if approx else {}
        if race and any(c[0] == "MARGIN" and a <= c[1] < b + 30 for c in info.cues):
            is_margin = True
        if race and driver is None and other is not None and ctx.winner and other != ctx.winner:
            driver = ctx.winner
            is_margin = True
        if is_margin and other is not None and other != ctx.winner:
            # The winner's gap to the runner-up is the margin; "Hamlin was 3.2
            # seconds back in third" and "finished third, 3.2 seconds behind"
            # are only gaps.
            place = sink.value_of("finish_position", other)
            in_place = re.match(r"\s*(?:back|behind|off\s+the\s+pace)?\s*,?\s*in\s+(\w+)", after, re.I)
            if place is None and in_place:
                place = parse_ordinal(in_place.group(1))
            if place not in (None, 2) or ctx.runner_up not in (None, other):
                is_margin = False
        if is_margin and not approx:
            sink.add("margin_of_victory", None, val, (a, b), rule="margin:winning-margin")
            if other is None:
                other = ctx.runner_up
            elif not sink.holders("finish_position", 2):
                # "won by 0.504 seconds over X": X was the runner-up.
                sink.add("finish_position", other, 2, (a, b), rule="margin:runner-up")
        if driver and other:
            sink.add("gap", driver, val, (a, b), other=other, rule="gap:seconds-between", **extra)
            if is_margin and ctx.runner_up is None:
                ctx.runner_up = other


# "Only 0.041 seconds separated Larson and Hamlin", "Larson and Hamlin were
# separated by 0.041 seconds": two drivers named, the order unsaid.
SEPARATED_AFTER = re.compile(r"\s+(?:separated|split|divided)\s+(?=[A-Z])")
SEPARATED_BEFORE = re.compile(r"\s+(?:were|are|was)\s+(?:separated|split)\s+(?:by\s+)?(?:just\s+|only\s+)?$", re.I)


def _separated(ctx: Context, info: SentInfo, sink: FactSink, a: int, b: int, after: str) -> tuple[str, str] | None:
    """(ahead, behind) of the two drivers a 'separated' gap names. The text
    does not say which is ahead: a known place does (the winner, the pole, a
    stated position); with none known nothing is emitted."""
    text = ctx.layout.view
    pair = None
    sm = SEPARATED_AFTER.match(after)
    if sm:
        pos = b + sm.end()
        ms = [m for m in info.mentions if m.start >= pos]
        if len(ms) >= 2 and ms[0].start - pos <= 12 and re.fullmatch(r"\s+(?:and|from)\s+", text[ms[0].end:ms[1].start]):
            pair = ms[0], ms[1]
    else:
        head = text[info.sent.start:a]
        sb = SEPARATED_BEFORE.search(head)
        if sb:
            ms = [m for m in info.mentions if m.end <= info.sent.start + sb.start()]
            if len(ms) >= 2 and re.fullmatch(r"\s+and\s+", text[ms[-2].end:ms[-1].start]) \
                    and not text[ms[-1].end:info.sent.start + sb.start()].strip():
                pair = ms[-2], ms[-1]
    if pair is None:
        return None
    x, y = pair[0].name, pair[1].name
    if x == y:
        return None
    kind = "finish_position" if ctx.kind == "race" else "start_position"
    lead = ctx.winner if ctx.kind == "race" else ctx.pole_driver
    px = 1 if x == lead else sink.value_of(kind, x)
    py = 1 if y == lead else sink.value_of(kind, y)
    if px is None and py is None:
        return None
    if py is None or (px is not None and px < py):
        return x, y
    if px is None or py < px:
        return y, x
    return None


def _next_name(ctx: Context, info: SentInfo, pos: int, end: int, window: int = 80) -> str | None:
    for m in info.mentions:
        if pos <= m.start < min(end, pos + window):
            return m.name
    return None
