"""The core: text + metadata -> record. Built once per process, pure after that.

read -> tokenize/match -> extract facts -> resolve drivers -> check -> record
"""
from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path

from . import __version__
from .blocks import BlockReader, block_facts, name_runs, orphan_rows
from .context import Context
from .drivers import Mention, find_mentions, names_as_written
from .entities import extract_cars, extract_teams_and_makes
from .event import build_event
from .facts_base import FactSink, load_rules
from .lists import extract_lists
from .measures import extract_timing, gap_word_regexes
from .models import DriverEntry, Provenance, Record
from .select import select, selection_check
from .nlp import build_annotator
from .positions import extract_positions, find_winner, runner_up_from_pole, runner_up_held_off, start_alongside
from .reference import load_reference
from .resources import read_json, read_jsonl, ruleset_hash
from .stats import compile_stat_rules, extract_stats
from .text import analyse

MAX_CHARS = 1_000_000  # spaCy's nlp.max_length; inputs.MAX_CHARS is the same (a test keeps them equal)


def _merged(spans) -> tuple[list[int], list[int]]:
    """Spans merged into disjoint, sorted (starts, ends)."""
    starts: list[int] = []
    ends: list[int] = []
    for a, b in sorted(spans):
        if starts and a < ends[-1]:
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends


def _overlaps(merged: tuple[list[int], list[int]], a: int, b: int) -> bool:
    """Does [a, b) overlap any merged span? By bisection, not a scan."""
    starts, ends = merged
    k = bisect_left(starts, b) - 1  # the last span starting before b
    return k >= 0 and ends[k] > a


class Extractor:
    """Holds the reference data and the spaCy pipeline; call it per article."""

    def __init__(self, patterns: Path | None = None, run_checks: bool = True) -> None:
        self.ref = load_reference(patterns)
        self.annotator = build_annotator(self.ref, patterns)
        cue_rows = list(read_jsonl("cues.jsonl", patterns))
        self.cue_values = {r["id"]: r.get("value") for r in cue_rows}
        self.gap_rx = gap_word_regexes(cue_rows)
        rule_rows = list(read_jsonl("rules.jsonl", patterns))
        self.rules = load_rules(rule_rows)
        self.stat_rules = compile_stat_rules(rule_rows, read_json("lexicon.json", patterns).get("number_words", {}))
        self.selection = read_json("selection.json", patterns)
        self.blocks = BlockReader(read_json("blocks.json", patterns),
                                  is_make=lambda w: self.ref.lexicon.make_of(w) is not None,
                                  is_name=lambda w: self.ref.roster.by_name(w) is not None)
        self.provenance = Provenance(version=__version__, ruleset_hash=ruleset_hash(patterns))
        self.run_checks = run_checks

    def __call__(self, text: str, doc_id: str = "doc", published: str | None = None,
                 source: str | None = None, checks: bool | None = None) -> Record:
        if len(text) > MAX_CHARS:
            raise ValueError(f"article is {len(text):,} characters; the limit is {MAX_CHARS:,}")
        layout = analyse(text)
        if published and not layout.published:
            layout.published = published
        doc = self.annotator(layout.view)
        event, kind = build_event(doc, layout, self.ref, published=layout.published)
        mentions = find_mentions(doc, layout, self.ref, event.series, event.season)
        ctx = Context(layout, doc, self.ref, mentions, event.season, event.series, event.track, kind,
                      gap_rx=self.gap_rx)
        sink = FactSink(text, self.rules)
        list_mentions: list[Mention] = []
        blocks = self.blocks.find(layout.text)
        covered = block_facts(self.blocks, blocks, ctx, sink, list_mentions, event)
        extract_lists(ctx, sink, list_mentions, covered)
        if list_mentions:
            taken = _merged((m.start, m.end) for m in list_mentions)
            ctx.mentions = sorted(
                [m for m in mentions if not _overlaps(taken, m.start, m.end)] + list_mentions,
                key=lambda m: m.start,
            )
        if event.season is None:
            years = [int(y) for y in re.findall(r"\b((?:19[5-9]|20[0-4])\d)\b", text)]
            ctx.season_guess = max(years) if years else None
        covered += name_runs(self.blocks, ctx, sink)
        ctx.index(self.cue_values)
        # Prose rules do not read inside a block the block reader took.
        if covered:
            ctx.sents = [si for si in ctx.sents
                         if not any(a <= si.sent.start and si.sent.end <= b + 1 for a, b in covered)]
        listed = sink.holders("finish_position", 1)
        ctx.winner = listed[0] if listed else None
        find_winner(ctx, sink)
        for info in ctx.sents:
            extract_positions(ctx, info, sink)
        runner_up_from_pole(ctx, sink)
        runner_up_held_off(ctx, sink)
        start_alongside(ctx, sink)
        orphan_rows(self.blocks, blocks, ctx, sink)
        # Names of the event ("Ford EcoBoost 300") are not manufacturers.
        event_spans = _event_name_spans(layout.view, event.event_name)
        for info in ctx.sents:
            extract_timing(ctx, info, sink)
            extract_cars(ctx, info, sink)
            extract_teams_and_makes(ctx, info, sink, event_spans)
            extract_stats(ctx, info, sink, self.stat_rules)

        kept, dropped = select(sink.facts, float(self.selection["contradiction_floor"]))
        names = names_as_written(layout.text, ctx.mentions, self.ref)
        if names:
            kept = [f.model_copy(update={"driver": names.get(f.driver, f.driver), "other": names.get(f.other, f.other)})
                    for f in kept]
            ctx.mentions = [Mention(m.start, m.end, names.get(m.name, m.name), m.kind, m.in_roster) for m in ctx.mentions]
        facts = sorted(kept, key=lambda f: (f.span[0], f.span[1], f.type))
        order = {id(f): i for i, f in enumerate(facts)}
        for en in sink.enumerations:
            en.facts = sorted(order[id(sink.facts[i])] for i in en.facts
                              if i < len(sink.facts) and id(sink.facts[i]) in order)
        record = Record(
            doc_id=doc_id,
            source=source,
            text_sha="sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
            extractor=self.provenance,
            event=event,
            drivers=_drivers(ctx.mentions, facts),
            facts=facts,
            enumerations=sink.enumerations,
        )
        if getattr(self, "_linker", None) is None:  # built once, reads the results on first use
            from .results import RaceLinker
            self._linker = RaceLinker(self.ref)
        self._linker.link(record, text)
        if checks if checks is not None else self.run_checks:
            from .checks import run_checks
            record.checks = run_checks(record, self.ref)
            # The text gave conflicting candidates; the less sure ones were
            # dropped, and the record says which and why.
            sel = selection_check(dropped, facts)
            if sel is not None:
                record.checks.append(sel)
        return record


def _event_name_spans(text: str, name: str | None) -> list[tuple[int, int]]:
    if not name:
        return []
    out, i = [], text.find(name)
    while i >= 0:
        out.append((i, i + len(name)))
        i = text.find(name, i + 1)
    return out


def _drivers(mentions: list[Mention], facts) -> list[DriverEntry]:
    entries: dict[str, DriverEntry] = {}
    for m in mentions:
        e = entries.setdefault(m.name, DriverEntry(name=m.name, mentions=[], in_roster=m.in_roster))
        e.mentions.append((m.start, m.end))
    for f in facts:
        for who in (f.driver, f.other):
            if who and who not in entries:
                entries[who] = DriverEntry(name=who, mentions=[], in_roster=None)
    return list(entries.values())


@lru_cache(maxsize=1)
def default_extractor() -> Extractor:
    return Extractor()


def extract(text: str, doc_id: str = "doc", published: str | None = None, source: str | None = None,
            checks: bool = True) -> Record:
    """Extract one article with the process-wide default extractor."""
    return default_extractor()(text, doc_id=doc_id, published=published, source=source, checks=checks)
