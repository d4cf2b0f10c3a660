"""Tabular bits inside prose: results lists and flattened timing tables.

- "#5 - Kyle Larson #11 - Denny Hamlin ..." : car numbers in finishing order
- "(4) Chase Elliott, Chevrolet, 312. (2) Joey Logano, Ford, 312." : (start)
  driver, make, laps, in finishing order
- a practice/qualifying table flattened one cell per line ("|Cla", "|#", ...)
"""
from __future__ import annotations

import re

from .context import Context
from .drivers import Mention
from .facts_base import FactSink
from .numbers import parse_float

HASH_ENTRY = re.compile(
    r"#(?P<car>\d{1,3})\s*[-–]\s*(?P<name>[A-Z][^#\n,]*?)\s*(?:,\s*(?P<make>[A-Z][A-Za-z]+)[^#\n]*?)?\s*(?=#\d{1,3}\s*[-–]|\n|$)")
PAREN_ENTRY = re.compile(
    r"\((?P<start>\d{1,2})\)\s+(?P<name>[A-Z][^,()\n]{2,40}?),\s*(?P<make>[A-Z][a-z]+),\s*(?P<laps>\d{1,3})(?:,\s*[^.]*)?\.")
# "1. (3) Kyle Busch, Toyota, 500 laps, 150 rating" / "2) #11 Denny Hamlin, Toyota, 28.123, 180.456 mph"
LINE_ENTRY = re.compile(
    r"^[ \t]*(?P<pos>\d{1,2})[.)][ \t]+(?:\((?P<start>\d{1,2})\)[ \t]+)?(?:(?:#|No\.\s?)(?P<car>\d{1,3})[ \t]*[-,]?[ \t]+)?"
    r"(?P<name>[A-Z][A-Za-z.'’ -]{2,40}?)[ \t]*(?:\((?:R|i|I|r)\))?[ \t]*(?=,|[ \t]+-[ \t]|[ \t]*$|[ \t]+\d)"
    r"(?P<rest>[^\n]*)$", re.M)
NAME_TAIL = re.compile(r"\s*\((?:R|i|I|r)\)\s*$")
# "Top 10 qualifiers: 1. Kyle Larson, 135.794 mph; 2. Denny Hamlin, 135.1; ..."
# (the news-agency inline list): numbered entries in one paragraph, split by
# semicolons.
INLINE_ENTRY = re.compile(
    r"(?:(?<=[:;])|(?<=^)|(?<=\n))[ \t]*(?P<pos>\d{1,2})\.[ \t]+(?:\((?P<start>\d{1,2})\)[ \t]+)?"
    r"(?:(?:#|No\.\s?)(?P<car>\d{1,3})[ \t]*,?[ \t]+)?(?P<name>[A-Z][A-Za-z.'’ -]{2,40}?)[ \t]*(?:\((?:R|i|I|r)\))?"
    r"(?P<rest>(?:,[^;\n]*)?)[ \t]*(?=;|\.?[ \t]*(?:\n|$))")
# "Kyle Larson 135.1 mph, Denny Hamlin 134.9, Chase Elliott 134.8": a run of
# names each followed by a speed.
NAME_SPEED = re.compile(r"(?P<name>[A-Z][A-Za-z.'’ -]{2,40}?)[ \t]+(?:\((?:\d{1,3})\)[ \t]+)?"
                        r"(?P<speed>\d{2,3}\.\d{1,4})(?:[ \t]*mph)?(?=[ \t]*(?:[,;]|\.?[ \t]*(?:\n|$)|\.\s))")
HEAD_KIND = re.compile(r"(?P<q>qualif|line-?up|starting|grid)|(?P<r>finish|results|finishers)|(?P<p>practice)", re.I)


def _resolve(ctx: Context, raw: str, start: int) -> tuple[str, bool, int, int]:
    name = NAME_TAIL.sub("", raw).strip().rstrip(",;")
    end = start + len(name)
    d = ctx.ref.roster.by_name(name)
    if d is not None:
        return d.name, True, start, end
    for m in ctx.mentions:
        if start <= m.start < end:
            return m.name, True, start, end
    return name, False, start, end


def _runs(entries: list[re.Match], continues) -> list[list[re.Match]]:
    """Consecutive entries split into runs: ``continues(prev, m)`` says
    whether ``m`` goes on the run ``prev`` ends."""
    runs, cur = [], []
    for m in entries:
        if cur and not continues(cur[-1], m):
            runs.append(cur)
            cur = []
        cur.append(m)
    if cur:
        runs.append(cur)
    return runs


def _counts_on(prev: re.Match, m: re.Match) -> bool:
    return int(m.group("pos")) == int(prev.group("pos")) + 1


def _order_kind(ctx: Context) -> str | None:
    """What a list's order means by the article's kind alone."""
    return "finish_position" if ctx.kind == "race" else ("start_position" if ctx.kind == "qualifying" else None)


def _make_after(ctx: Context, sink: FactSink, name: str, rest: str, r0: int, rule: str) -> None:
    """'Name, Chevrolet, ...': the make right after the name."""
    mk = re.match(r"\s*,\s*([A-Z][a-z]+)\b", rest)
    make = ctx.ref.lexicon.manufacturers.get(mk.group(1).lower()) if mk else None
    if make:
        sink.add("manufacturer", name, make, (r0 + mk.start(1), r0 + mk.end(1)), rule=rule)


def extract_lists(ctx: Context, sink: FactSink, new_mentions: list[Mention],
                  covered: list[tuple[int, int]] = ()) -> None:
    text = ctx.layout.view

    def free(m: re.Match) -> bool:
        return not any(a <= m.start() < b for a, b in covered)
    finish_type = _order_kind(ctx)
    # Runs of "#N - Name": at least three in a row make a results list.
    entries = [m for m in HASH_ENTRY.finditer(text) if free(m)]
    for run in _runs(entries, lambda prev, m: m.start() - prev.end() <= 3):
        if len(run) < 3:
            continue
        for pos, m in enumerate(run, 1):
            name, known, a, b = _resolve(ctx, m.group("name"), m.start("name"))
            new_mentions.append(Mention(a, b, name, "list", known))
            sink.add("car_number", name, m.group("car"), (m.start(), m.start("car") + len(m.group("car"))), rule="list:hash-entry:car")
            make = ctx.ref.lexicon.manufacturers.get((m.group("make") or "").lower())
            if make:
                sink.add("manufacturer", name, make, (m.start("make"), m.end("make")), rule="list:hash-entry:make")
            if finish_type:
                sink.add(finish_type, name, pos, (m.start(), b), rule="list:hash-entry:order")
    # "(start) Driver, Make, laps." in finishing order: a run of two or more
    # (one such entry alone is no list: it may be the tail of another list).
    entries = [m for m in PAREN_ENTRY.finditer(text) if free(m)]
    for run in _runs(entries, lambda prev, m: m.start() - prev.end() <= 4):
        if len(run) < 2:
            continue
        for pos, m in enumerate(run, 1):
            name, known, a, b = _resolve(ctx, m.group("name"), m.start("name"))
            new_mentions.append(Mention(a, b, name, "list", known))
            sink.add("start_position", name, int(m.group("start")), (m.start("start") - 1, m.end("start") + 1), rule="list:paren-entry:start")
            if ctx.kind == "race":
                sink.add("finish_position", name, pos, (m.start(), b), rule="list:paren-entry:order")
            make = ctx.ref.lexicon.manufacturers.get(m.group("make").lower())
            if make:
                sink.add("manufacturer", name, make, (m.start("make"), m.end("make")), rule="list:paren-entry:make")
    _numbered_lines(ctx, sink, new_mentions, free)
    _inline_numbered(ctx, sink, new_mentions, free)
    _name_speed_runs(ctx, sink, free)


def _known(ctx: Context, raw: str, start: int) -> tuple[str, int, int] | None:
    """A name in an inline list counts only when it is a driver we know: the
    entries carry no header to vouch for them."""
    name, known, a, b = _resolve(ctx, raw, start)
    return (name, a, b) if known else None


def _list_kind(ctx: Context, head: str) -> str | None:
    """What an inline list's order means: its heading says, else the article."""
    hm = None
    for hm in HEAD_KIND.finditer(head):
        pass
    if hm is not None:
        if hm.group("q"):
            return "start_position"
        if hm.group("p"):
            return None
        return "finish_position" if ctx.kind == "race" else None
    return _order_kind(ctx)


def _inline_numbered(ctx: Context, sink: FactSink, new_mentions: list[Mention], free) -> None:
    text = ctx.layout.view
    entries = [m for m in INLINE_ENTRY.finditer(text) if free(m)]
    for run in _runs(entries, lambda prev, m: _counts_on(prev, m) and m.start() - prev.end() <= 3):
        # Three entries counting up from 1, in one paragraph (the line reader
        # takes lists of one entry per line).
        if len(run) < 3 or int(run[0].group("pos")) != 1 or "\n" in text[run[0].start():run[-1].end()].strip():
            continue
        if any(_taken_by_list(sink, m.start("pos")) for m in run):
            continue
        para = text.rfind("\n", 0, run[0].start()) + 1
        head = text[max(para, run[0].start() - 80):run[0].start()]
        ftype = _list_kind(ctx, head)
        session = "qualifying" if ftype == "start_position" else (
            "practice" if ctx.kind == "practice" or re.search(r"practice", head, re.I) else None)
        for m in run:
            got = _known(ctx, m.group("name"), m.start("name"))
            if got is None:
                continue
            name, a, b = got
            new_mentions.append(Mention(a, b, name, "list", True))
            if ftype:
                sink.add(ftype, name, int(m.group("pos")), (m.start("pos"), m.end("pos")), rule="list:inline-numbered:order")
            if m.group("start") and ftype == "finish_position":
                sink.add("start_position", name, int(m.group("start")), (m.start("start") - 1, m.end("start") + 1),
                         rule="list:inline-numbered:start")
            if m.group("car"):
                sink.add("car_number", name, m.group("car"), (m.start("car"), m.end("car")), rule="list:inline-numbered:car")
            rest, r0 = m.group("rest"), m.start("rest")
            _make_after(ctx, sink, name, rest, r0, "list:inline-numbered:make")
            sp = re.search(r"(?<![\d.])(\d{2,3}\.\d{1,4})(?!\d|\.\d)", rest)
            if session and sp and 60 < float(sp.group(1)) < 250:
                sink.add("speed_mph", name, float(sp.group(1)), (r0 + sp.start(1), r0 + sp.end(1)), session=session,
                         rule="list:inline-numbered:speed")


def _taken_by_list(sink: FactSink, pos: int) -> bool:
    """Another list reader already took this entry."""
    return any(f.rule.startswith("list:") and f.span[0] == pos for f in sink.facts)


def _name_speed_runs(ctx: Context, sink: FactSink, free) -> None:
    text = ctx.layout.view
    if ctx.kind not in ("practice", "qualifying"):
        return
    entries = [m for m in NAME_SPEED.finditer(text) if free(m)]
    joined = re.compile(r"[ \t]*(?:mph)?[ \t]*[,;][ \t]*(?:and[ \t]+)?")
    for run in _runs(entries, lambda prev, m: joined.fullmatch(text, prev.end(), m.start()) is not None):
        if len(run) < 3:
            continue
        session = "practice" if ctx.kind == "practice" else "qualifying"
        for m in run:
            raw = m.group("name")
            # the name is the tail of the captured words: "speeds: Kyle Larson"
            got = None
            words = raw.split(" ")
            for i in range(len(words)):
                cand = " ".join(words[i:])
                off = m.start("name") + len(" ".join(words[:i])) + (1 if i else 0)
                got = _known(ctx, cand, off)
                if got is not None:
                    break
            if got is None:
                continue
            val = float(m.group("speed"))
            if 60 < val < 250:
                sink.add("speed_mph", got[0], val, (m.start("speed"), m.end("speed")), session=session,
                         rule="list:name-speed-run:speed")


def _numbered_lines(ctx: Context, sink: FactSink, new_mentions: list[Mention], free) -> None:
    """Numbered result lines; a run of at least three counting up from 1."""
    text = ctx.layout.view
    entries = [m for m in LINE_ENTRY.finditer(text) if free(m)]
    ftype = _order_kind(ctx)
    for run in _runs(entries, _counts_on):
        if len(run) < 3 or int(run[0].group("pos")) != 1:
            continue
        for m in run:
            name, known, a, b = _resolve(ctx, m.group("name"), m.start("name"))
            if not known and len(name.split()) < 2:
                continue
            new_mentions.append(Mention(a, b, name, "list", known))
            if ftype:
                sink.add(ftype, name, int(m.group("pos")), (m.start("pos"), m.end("pos")), rule="list:numbered-line:order")
            if m.group("start") and ctx.kind == "race":
                sink.add("start_position", name, int(m.group("start")), (m.start("start") - 1, m.end("start") + 1), rule="list:numbered-line:start")
            if m.group("car"):
                sink.add("car_number", name, m.group("car"), (m.start("car"), m.end("car")), rule="list:numbered-line:car")
            rest, r0 = m.group("rest"), m.start("rest")
            _make_after(ctx, sink, name, rest, r0, "list:numbered-line:make")
            session = "qualifying" if ctx.kind == "qualifying" else ("practice" if ctx.kind == "practice" else None)
            sp = re.search(r"(?<![\d.])(\d{2,3}\.\d{2,4})\s*(?:mph)?", rest)
            lt = re.search(r"(?<![\d.])(\d{2}\.\d{3})(?:\s*(?:s|sec|seconds))?\b", rest)
            if session and sp and float(sp.group(1)) > 60:
                sink.add("speed_mph", name, float(sp.group(1)), (r0 + sp.start(1), r0 + sp.end(1)), session=session, rule="list:numbered-line:speed")
            if session and lt and lt.start() != (sp.start() if sp else -1) and float(lt.group(1)) < 200:
                sink.add("lap_time", name, float(lt.group(1)), (r0 + lt.start(1), r0 + lt.end(1)), session=session, rule="list:numbered-line:lap")
