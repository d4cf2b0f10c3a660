"""The spaCy side: a blank English pipeline plus rule matchers built from data.

No trained model: the tokenizer, cue phrases (patterns/cues.jsonl, label
and pattern id kept on each span as a SpanRuler keeps them) and gazetteers
(drivers, teams, tracks, manufacturers, series) from the reference data.

Phrases are matched by Aho-Corasick automata over the article's characters,
not spaCy PhraseMatchers (nor a SpanRuler, which holds one): a PhraseMatcher
must tokenize all ~6,000 names and cues (and make a lexeme for every new
word) at start-up, which took over half a second of a one-article run; the
automata build in milliseconds. A hit counts only when
it starts and ends on token boundaries, so it matches exactly what a
PhraseMatcher over the same tokens would.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick
import numpy
import spacy
from spacy.attrs import IDX, LENGTH
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .reference import Reference
from .resources import read_jsonl

GAZETTEERS = ("drivers", "teams", "tracks", "makes", "series")


def longest_first(spans: list[Span]) -> list[Span]:
    """Overlap policy for gazetteers: the longest match wins, then the earliest."""
    return filter_spans(spans)


def _lower(text: str) -> str:
    """Lower case with every offset kept: the few characters whose lower case
    is longer ("İ") stay as they are."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class Gazetteers:
    """Phrases -> (gazetteer, canonical value), matched case-sensitively or in
    lower case: one automaton per case, shared by all gazetteers, so the text
    is scanned twice however many gazetteers there are."""

    def __init__(self, specs: dict[str, tuple[bool, list[tuple[str, str]]]]) -> None:
        self.keys = list(specs)
        self.automata: dict[bool, ahocorasick.Automaton] = {}
        for lower in (False, True):
            by_phrase: dict[str, list[tuple[str, str]]] = {}
            for gaz, (is_lower, items) in specs.items():
                if is_lower != lower:
                    continue
                for phrase, value in items:
                    key = " ".join(phrase.split())
                    if lower:
                        key = _lower(key)
                    if key:
                        values = by_phrase.setdefault(key, [])
                        if (gaz, value) not in values:
                            values.append((gaz, value))
            if not by_phrase:
                continue
            auto = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
            # Keys in sorted order: the automaton, and so the match order, is
            # the same whatever order the data lists them in.
            for key in sorted(by_phrase):
                auto.add_word(key, (len(key), tuple(by_phrase[key])))
            auto.make_automaton()
            self.automata[lower] = auto

    def matches(self, doc: Doc, text: str) -> dict[str, list[tuple[int, int, str]]]:
        """Token-aligned hits by gazetteer: (start token, end token, value)."""
        out: dict[str, list[tuple[int, int, str]]] = {k: [] for k in self.keys}
        hits: list[tuple[int, int, tuple]] = []
        for lower, auto in self.automata.items():
            for last, (n, values) in auto.iter(_lower(text) if lower else text):
                hits.append((last + 1 - n, last + 1, values))
        if not hits or not len(doc):
            return out
        # Character offsets -> token indices for all hits at once: a hit counts
        # only when it starts at a token's first character and ends at a
        # token's last one.
        idx = doc.to_array(IDX)
        tok_end = idx + doc.to_array(LENGTH)
        hs = numpy.fromiter((h[0] for h in hits), dtype=idx.dtype, count=len(hits))
        he = numpy.fromiter((h[1] for h in hits), dtype=idx.dtype, count=len(hits))
        si = numpy.searchsorted(idx, hs).clip(max=len(idx) - 1)
        ei = numpy.searchsorted(tok_end, he).clip(max=len(idx) - 1)
        ok = ((idx[si] == hs) & (tok_end[ei] == he)).tolist()
        si, ei = si.tolist(), ei.tolist()
        for k, (_, _, values) in enumerate(hits):
            if ok[k]:
                for gaz, value in values:
                    out[gaz].append((si[k], ei[k] + 1, value))
        return out


@dataclass
class Annotator:
    nlp: spacy.Language
    gazetteers: Gazetteers
    # Cue patterns written as token patterns (lists of dicts) go to a spaCy
    # Matcher; phrase cues are in the lower-case automaton. Label and pattern
    # id are kept on every cue span, as a SpanRuler keeps them.
    cue_matcher: Matcher | None = None
    cue_keys: dict[int, tuple[str, str]] | None = None

    def __call__(self, text: str) -> Doc:
        doc = self.nlp(text)
        # The tokenizer keeps every character, so offsets into ``text`` are the
        # doc's (``doc.text`` would rebuild the string from its tokens).
        for key, hits in self.gazetteers.matches(doc, text).items():
            if key == "cues":
                doc.spans[key] = self._cues(doc, hits)
                continue
            spans = []
            for start, end, value in hits:
                if key == "teams" and not (doc[start].text[:1].isupper() or doc[start].text[:1].isdigit()):
                    continue  # proper nouns only: "front row" is not Front Row Motorsports
                spans.append(Span(doc, start, end, label=value))
            doc.spans[key] = longest_first(spans)
        doc.spans["teams"] = longest_first(list(doc.spans["teams"]) + list(doc.spans.pop("teams_short", [])))
        return doc

    def _cues(self, doc: Doc, hits) -> list[Span]:
        found = {(s, e, label, pid) for s, e, (label, pid) in hits}
        if self.cue_matcher is not None and self.cue_keys is not None:
            found.update((s, e, *self.cue_keys[m]) for m, s, e in self.cue_matcher(doc))
        # All overlapping cues, each once, in span order (what a SpanRuler
        # with a spans_key gives).
        return sorted({Span(doc, s, e, label=label, span_id=pid) for s, e, label, pid in found if s != e})


# Split "top-10" like "top-five": a hyphen between a letter and a digit.
_LETTER_DIGIT_HYPHEN = re.compile(r"(?<=[A-Za-z])-(?=[0-9])|(?<=[0-9])-(?=[A-Za-z])")


def _with_letter_digit_hyphens(default_finditer):
    """The default infixes plus letter-digit hyphens, as one regex of
    ``default|extra`` would find them: leftmost first, the default's match
    where both start at one place, none overlapping. Built around the
    compiled default instead of compiling the joined regex again, which took
    a tenth of a second of every start-up."""
    def finditer(text: str):
        if "-" not in text:
            return default_finditer(text)
        found = sorted([*default_finditer(text), *_LETTER_DIGIT_HYPHEN.finditer(text)],
                       key=lambda m: (m.start(), m.re is _LETTER_DIGIT_HYPHEN))
        out, end = [], -1
        for m in found:
            if m.start() >= end:
                out.append(m)
                end = m.end()
        return iter(out)
    return finditer


def build_annotator(ref: Reference, base=None) -> Annotator:
    nlp = spacy.blank("en")
    nlp.tokenizer.infix_finditer = _with_letter_digit_hyphens(nlp.tokenizer.infix_finditer)
    cue_phrases: list[tuple[str, tuple[str, str]]] = []
    cue_matcher, cue_keys = None, {}
    for n, r in enumerate(read_jsonl("cues.jsonl", base), 1):
        label, pid, pattern = r["label"], r.get("id", ""), r["pattern"]
        if isinstance(pattern, str):
            cue_phrases.append((pattern, (label, pid)))
        elif isinstance(pattern, list):
            if cue_matcher is None:
                cue_matcher = Matcher(nlp.vocab, validate=True)
            key = nlp.vocab.strings.add(repr((label, pid)))
            cue_keys[key] = (label, pid)
            try:
                cue_matcher.add(repr((label, pid)), [pattern])
            except (ValueError, KeyError) as exc:
                raise ValueError(f"cues.jsonl: pattern {pid or n}: {str(exc).splitlines()[0]}") from None
        else:
            raise ValueError(f"cues.jsonl: pattern {pid or n}: a pattern is a string or a list of token dicts")
    def build() -> Gazetteers:
        # Driver names are matched case-sensitively: "Bell" the driver, not "bell".
        # Short team forms only as acronyms written in capitals ("RCR", "JGR"): a
        # bare "Gibbs" or "Penske" is as likely a person, "front row" a grid slot.
        teams = ref.teams.alias_items_with_short()
        return Gazetteers({
            "drivers": (False, list(ref.roster.alias_items())),
            "teams": (True, [(a, c) for a, c, short in teams if not short]),
            "teams_short": (False, [(a, c) for a, c, short in teams if short and a.isupper() and len(a) >= 2]),
            "tracks": (False, [(a, c) for a, c, _short in ref.tracks.alias_items()]),
            "makes": (False, [(a, make) for make, aliases in ref.lexicon.raw.get("manufacturers", {}).items()
                              for a in [make, *aliases]]),
            "series": (True, list(ref.lexicon.series.items())),
            "cues": (True, cue_phrases),
        })

    # The automata are pickled in the start-up cache (cache.py): building
    # them from ~10,000 phrases took a tenth of a second; the phrase lists
    # are gathered only when it misses.
    from pathlib import Path

    from .cache import cached
    from .resources import patterns_dir, user_aliases_file

    root = Path(base) if base is not None else (ref.base or patterns_dir())
    gazetteers = cached("gazetteers", root, user_aliases_file(), (Path(__file__), Path(__file__).with_name("reference.py")),
                        build, Gazetteers)
    return Annotator(nlp, gazetteers, cue_matcher, cue_keys or None)
