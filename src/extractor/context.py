"""Per-document working state shared by the fact rules: sentences with their
driver mentions and cue spans, the topic driver, the article's kind, and
the helpers that decide whose a number is.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from spacy.tokens import Doc

from .drivers import Mention
from .reference import Reference
from .text import Layout, Sentence

PRONOUN_START = re.compile(
    r"^\s*(?:[A-Z][a-z]+,\s+)?(?:he|his|him|she|her|the\s+(?:\d+-year-old|driver|points|rookie|veteran|"
    r"two-time|reigning|defending|former|[a-z-]+-time|\w+\s+driver)|the\s+[a-z-]+\s+(?:winner|leader|champion|racer))\b",
    re.I,
)
# Words right before a name that make it the object of someone else's action.
OBJECT_BEFORE = re.compile(
    r"(?:\b(?:beat\s+out|beating\s+out|beats\s+out|edged\s+out|passed|passing|pass|edged|edge|edging|beat|beating|beats|topped|tops|over|than|join|joined|"
    r"joins|from|behind|ahead\s+of|past|pressured|by|with|to|next\s+to|off\s+of|off|for|challenge\s+from|"
    r"challenges\s+from|replacing|replaced|ahead|outran|held\s+off|holding\s+off|hold\s+off|"
    r"holds\s+off|block|blocking|in\s+front\s+of|like|among|of|moved|moving|ran\s+down|bumped|caught|"
    r"spun|outdueled|fended\s+off|alongside|beside|owned\s+by)\b\s*(?:(?:the|his|her|teammate|rookie|"
    r"defending|race|champion|fellow|[a-z-]+-time)\s+)*(?:[\w’'.&-]+\s+){0,3})$",
    re.I,
)
WITH_ABSOLUTE = re.compile(
    r"\s+(?:(?:finishing|placing|coming\s+home|starting|qualifying|taking|in)\s+)?"
    r"(?:(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,2}(?:st|nd|rd|th))\b|at\s+\d|\()",
    re.I)
CAR_OF = re.compile(r"(?:\bNo\.\s?|#)\d{1,3}(?:\s+[\w&.’'-]+){0,4}\s+of\s+(?:the\s+)?$")
# after "last week's": a person the phrase describes, not an event it dates
PAST_DESCRIBES = re.compile(r"\s*(?:\w+[-\s])?(?:winner|winners|champion|champ|victor|pole-?sitter|pole\s+winner|"
                            r"runner-up|leader|star|hero|standout|surprise)\b", re.I)
SENT_YEAR = re.compile(r"^\s*(?:Back\s+)?(?:In|During|At|Since)\s+(?:the\s+)?(19[4-9]\d|20[0-4]\d)\b")
YEAR = re.compile(r"\b(19[4-9]\d|20[0-4]\d)\b")


@dataclass
class SentInfo:
    sent: Sentence
    mentions: list[Mention]
    cues: list[tuple[str, int, int, str, object]]   # (label, start, end, text, value)
    topic_before: str | None = None
    session: str | None = None


CLAUSE_VERB_AFTER = re.compile(
    r"\s+(?:was|were|is|will|would|had|has|finished|placed|came|took|qualified|started|ended|wound|crossed|rallied|"
    r"settled|led|drove|hung|held|grabbed|claimed|rounded|completed|recovered|fell|faded|dropped|slipped|climbed|"
    r"posted|earned|scored|managed|went|ran|starts|finishes|qualifies|joins|joined)\b")
PLACE_WENT_TO = re.compile(r"\b(?:place|position|spot|pole|honou?rs|\w+(?:st|nd|rd|th))\s+(?:went|goes|fell|belonged)\s+to\s+$",
                           re.I)


@dataclass
class Context:
    layout: Layout
    doc: Doc
    ref: Reference
    mentions: list[Mention]
    season: int | None
    series: str | None
    track: str | None
    kind: str = "race"
    sents: list[SentInfo] = field(default_factory=list)
    cue_values: dict[str, object] = field(default_factory=dict)
    season_guess: int | None = None   # latest year written, when no date is stated
    pole_driver: str | None = None
    winner: str | None = None
    runner_up: str | None = None
    # Words after a gap that say who is ahead ("faster", "behind"), built
    # from the GAP_FASTER / GAP_SLOWER rows of cues.jsonl.
    gap_rx: tuple | None = None

    # -- building ---------------------------------------------------------
    def index(self, cue_values: dict[str, object]) -> None:
        text = self.layout.view
        cues = []
        for span in self.doc.spans.get("cues", []):
            cues.append((span.label_, span.start_char, span.end_char, span.text, cue_values.get(span.id_)))
        cues.sort(key=lambda c: (c[1], -c[2]))
        topic = None
        # Mentions and cues are in start order: each sentence's share by
        # bisection, not a scan of the whole article per sentence.
        m_at = [m.start for m in self.mentions]
        c_at = [c[1] for c in cues]
        m_sorted = all(a <= b for a, b in zip(m_at, m_at[1:]))
        for s in self.layout.sentences:
            if m_sorted:
                ms = self.mentions[bisect_left(m_at, s.start):bisect_left(m_at, s.end)]
            else:
                ms = [m for m in self.mentions if s.start <= m.start < s.end]
            cs = [c for c in cues[bisect_left(c_at, s.start):bisect_left(c_at, s.end)]
                  if not self.layout.in_quote(c[1])]
            info = SentInfo(s, ms, cs, topic_before=topic)
            info.session = self._session(info)
            self.sents.append(info)
            outside = [m for m in ms if not self.layout.in_quote(m.start)]
            subj = next((m for m in outside if not self.is_object(m, s)), None)
            if subj is not None:
                topic = subj.name
            elif PRONOUN_START.match(text[s.start:s.end]) and topic is not None:
                pass  # "He ...", "The points leader ...": still about the topic
            elif outside:
                topic = outside[0].name

    def _session(self, info: SentInfo) -> str | None:
        labels = {c[0] for c in info.cues}
        low = info.sent.text.lower()
        # "practice" names the session; "quickest", "the speed chart" are said
        # of qualifying too, so they make a practice sentence only in a
        # practice story (cues valued only-in-practice-stories).
        if any(c[0] == "PRACTICE" and (c[4] != "only-in-practice-stories" or self.kind == "practice")
               for c in info.cues):
            return "practice"
        if "qualif" in low or "POLE" in labels or "START_AT" in labels:
            return "qualifying"
        if "WIN" in labels or "FINISH_VERB" in labels or " laps" in low:
            return "race"
        return None

    # -- questions the rules ask -------------------------------------------
    def is_object(self, m: Mention, s: Sentence) -> bool:
        before = self.layout.view[max(s.start, m.start - 60):m.start]
        if CAR_OF.search(before):
            return False  # "the No. 24 Chevrolet of William Byron": Byron is the one it is about
        if re.search(r"\band\s+$", before) and CLAUSE_VERB_AFTER.match(self.layout.view, m.end):
            return False  # "held on for fourth and Gragson hung on for 11th": a new clause's subject
        if PLACE_WENT_TO.search(before):
            return False  # "Third place went to Erik Jones at 133.1 mph": the place, and the speed, are his
        if WITH_ABSOLUTE.match(self.layout.view[m.end:min(s.end, m.end + 30)]) and re.search(r"\bwith\s+$", before):
            return False  # "with Denny Hamlin second at 133.580 mph": Hamlin's own clause
        return bool(OBJECT_BEFORE.search(before))

    def clause_bounds(self, s: Sentence, pos: int) -> tuple[int, int]:
        text = self.layout.view
        a = max(text.rfind(",", s.start, pos), text.rfind(";", s.start, pos), text.rfind("–", s.start, pos),
                text.rfind(" - ", s.start, pos))
        a = s.start if a < 0 else a + 1
        b_cands = [i for i in (text.find(",", pos, s.end), text.find(";", pos, s.end)) if i >= 0]
        b = min(b_cands) if b_cands else s.end
        return a, b

    def is_past(self, info: SentInfo, pos: int, whole: bool = False) -> bool:
        """The clause speaks of another event: another year, 'last year', 'ago'."""
        s = info.sent
        a, b = (s.start, s.end) if whole else self.clause_bounds(s, pos)
        chunk = self.layout.view[a:b]
        current = self.season or self.season_guess
        for y in YEAR.findall(chunk):
            if current is None or int(y) != current:
                return True
        # "In 2023, Hamlin started third here": a year heading the sentence
        # dates every clause after it.
        lead = SENT_YEAR.match(self.layout.view[s.start:s.end])
        if lead and (current is None or int(lead.group(1)) != current):
            return True
        # "Last week's winner Ryan Blaney will roll off 12th": a possessive
        # past before a person describes the driver, it does not date the
        # clause; "led 143 laps in last year's race" is dated by it.
        text = self.layout.view

        def dating(c) -> bool:
            return text[c[2]:c[2] + 2] not in ("’s", "'s") or not PAST_DESCRIBES.match(text, c[2] + 2)
        if any(c[0] == "PAST" and a <= c[1] < b and dating(c) for c in info.cues):
            return True
        # "Last week at Atlanta, Blaney finished second": a past phrase in the
        # sentence's opening clause dates the clauses after it, as a year does.
        lead_end = self.clause_bounds(s, s.start)[1]
        # Only a time phrase does (cues valued "dates-sentence"): "Defending race
        # winner Kenseth, McMurray and Busch" describes, it does not date.
        return lead_end < pos and any(c[0] == "PAST" and c[4] == "dates-sentence" and s.start <= c[1] < lead_end
                                      and dating(c) for c in info.cues)

    def other_track_in(self, info: SentInfo, a: int, b: int) -> bool:
        for span in self.doc.spans.get("tracks", []):
            if a <= span.start_char < b and self.track and span.label_ != self.track:
                return True
        return False

    def adjacent_before(self, info: SentInfo, pos: int) -> Mention | None:
        text = self.layout.view
        prev = [m for m in info.mentions if m.end <= pos]
        if not prev:
            return None
        m = prev[-1]
        gap = text[m.end:pos]
        if re.fullmatch(r"\s*(?:[’']s)?\s*(?:\((?:[A-Za-z]+)\))?\s*[(\[,:]?\s*(?:in\s+|at\s+|with\s+|was\s+)?", gap):
            return m
        return None

    def relative_owner(self, info: SentInfo, pos: int) -> Mention | None:
        text = self.layout.view
        prev = [m for m in info.mentions if m.end <= pos]
        for m in reversed(prev):
            after = text[m.end:pos]
            # "Briscoe, who ..." and, without the comma, "Austin Cindric who posted a 27.694"
            if re.match(r"\s*,?\s+(?:who|whose)\b", after) and not any(m.end < o.start < pos for o in info.mentions):
                return m
        return None

    def owner(self, info: SentInfo, pos: int, allow_after: bool = True) -> str | None:
        """Whose number at ``pos`` is it? Adjacent name, relative clause, the
        nearest non-object name before, a pronoun's topic, a name after."""
        s = info.sent
        text = self.layout.view
        m = self.adjacent_before(info, pos)
        if m is not None and not self.layout.in_quote(m.start) and (
                "(" in text[m.end:pos] or not self.is_object(m, s)):
            return m.name  # "edged Kyle Busch (160.392 mph)": the parenthesis is his
        m = self.relative_owner(info, pos)
        if m is not None:
            return m.name
        a, _ = self.clause_bounds(s, pos)
        prev = [m for m in info.mentions if m.end <= pos and not self.layout.in_quote(m.start)]
        for i, m in enumerate(reversed(prev)):
            if self.is_object(m, s):
                continue
            # "Chandler Smith, Creed's teammate, qualified eighth": not Creed.
            earlier = prev[:len(prev) - 1 - i]
            if re.match(r"[’']s?\s", text[m.end:m.end + 3]) and earlier and not self.is_object(earlier[-1], s) \
                    and re.search(r",\s*$", text[earlier[-1].end:m.start]):
                return earlier[-1].name
            return m.name
        lead = text[s.start:pos]
        if PRONOUN_START.match(lead) or re.search(r"\b(?:he|his|the driver of)\b", text[a:pos], re.I):
            if info.topic_before:
                return info.topic_before
        if allow_after:
            for m in info.mentions:
                if m.start >= pos and not self.is_object(m, s) and not self.layout.in_quote(m.start):
                    return m.name
        return info.topic_before

    def subject(self, info: SentInfo, before: int | None = None) -> str | None:
        for m in info.mentions:
            if before is not None and m.start >= before:
                break
            if not self.is_object(m, info.sent) and not self.layout.in_quote(m.start):
                return m.name
        return None

    def second_of(self, session: str | None) -> str | None:
        """The driver ranked second ("Second quickest was X", "X was second")."""
        text = self.layout.view
        for info in self.sents:
            if session and info.session not in (session, None):
                continue
            chunk = text[info.sent.start:info.sent.end]
            m = re.search(r"\bsecond[-\s](?:quickest|fastest)\b|\bwas\s+second\b|\bsecond\s+(?:on|in)\s+the\s+(?:charts|boards|speed chart)", chunk, re.I)
            if m:
                pos = info.sent.start + m.start()
                if re.match(r"\s*(?:was|were|is)\s", chunk[m.end():]):
                    return next((mm.name for mm in info.mentions if mm.start > pos), None)
                return self.owner(info, pos)
        return None
