"""The spaCy side: a blank English pipeline plus rule matchers built from data.

No trained model: the tokenizer, a SpanRuler for cue phrases
(patterns/cues.jsonl) and PhraseMatchers for the gazetteers (drivers, teams,
tracks, manufacturers, series) from the reference data.
"""
from __future__ import annotations

from dataclasses import dataclass

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .reference import Reference
from .resources import read_jsonl

GAZETTEERS = ("drivers", "teams", "tracks", "makes", "series")


def longest_first(spans: list[Span]) -> list[Span]:
    """Overlap policy for gazetteers: the longest match wins, then the earliest."""
    return filter_spans(spans)


@dataclass
class Annotator:
    nlp: spacy.Language
    matchers: dict[str, PhraseMatcher]
    values: dict[str, dict[int, str]]   # gazetteer -> match_id -> canonical value

    def __call__(self, text: str) -> Doc:
        doc = self.nlp(text)
        for key, matcher in self.matchers.items():
            spans = []
            for match_id, start, end in matcher(doc):
                if key == "teams" and not (doc[start].text[:1].isupper() or doc[start].text[:1].isdigit()):
                    continue  # proper nouns only: "front row" is not Front Row Motorsports
                span = Span(doc, start, end, label=self.values[key][match_id])
                spans.append(span)
            doc.spans[key] = longest_first(spans)
        doc.spans["teams"] = longest_first(list(doc.spans["teams"]) + list(doc.spans.pop("teams_short", [])))
        return doc


def build_annotator(ref: Reference, base=None) -> Annotator:
    nlp = spacy.blank("en")
    # Split "top-10" like "top-five": a hyphen between a letter and a digit.
    infixes = list(nlp.Defaults.infixes) + [r"(?<=[A-Za-z])-(?=[0-9])", r"(?<=[0-9])-(?=[A-Za-z])"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    ruler = nlp.add_pipe(
        "span_ruler",
        config={"spans_key": "cues", "phrase_matcher_attr": "LOWER", "overwrite": False},
    )
    ruler.add_patterns([
        {"label": r["label"], "pattern": r["pattern"], "id": r["id"]} for r in read_jsonl("cues.jsonl", base)
    ])
    matchers: dict[str, PhraseMatcher] = {}
    values: dict[str, dict[int, str]] = {}
    # Driver names are matched case-sensitively: "Bell" the driver, not "bell".
    specs = {
        "drivers": ("ORTH", [(a, c) for a, c in ref.roster.alias_items()]),
        "teams": ("LOWER", [(a, c) for a, c, short in ref.teams.alias_items_with_short() if not short]),
        # Short forms only as acronyms written in capitals ("RCR", "JGR"): a
        # bare "Gibbs" or "Penske" is as likely a person, "front row" a grid slot.
        "teams_short": ("ORTH", [(a, c) for a, c, short in ref.teams.alias_items_with_short()
                                 if short and a.isupper() and len(a) >= 2]),
        "tracks": ("ORTH", [(a, c) for a, c, _short in ref.tracks.alias_items()]),
        "makes": ("ORTH", [(a, make) for make, aliases in ref.lexicon.raw.get("manufacturers", {}).items()
                           for a in [make, *aliases]]),
        "series": ("LOWER", [(a, s) for a, s in ref.lexicon.series.items()]),
    }
    for key, (attr, items) in specs.items():
        matcher = PhraseMatcher(nlp.vocab, attr=attr)
        vals: dict[int, str] = {}
        by_label: dict[str, list] = {}
        for phrase, value in items:
            by_label.setdefault(value, []).append(phrase)
        for value, phrases in by_label.items():
            label = f"{key}:{value}"
            mid = nlp.vocab.strings.add(label)
            vals[mid] = value
            matcher.add(label, [nlp.make_doc(p) for p in sorted(set(phrases))])
        matchers[key] = matcher
        values[key] = vals
    return Annotator(nlp, matchers, values)
