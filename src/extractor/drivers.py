"""Finding racing drivers in a document and naming them canonically.

Order of evidence: a full name from the roster (any alias); a near-miss
spelling of a roster name ("Chase Elliot"); a surname alone, resolved to a
driver named earlier in the article, else to the only roster driver with
that surname in the series and season. An ambiguous surname is left alone.
"""
from __future__ import annotations

import difflib
import re
from bisect import bisect_left, insort
from dataclasses import dataclass

from spacy.tokens import Doc

from .reference import Reference, norm_name
from .text import Layout

# Words before a name that make its bearer something other than a driver.
NON_DRIVER_ROLES = {"owner", "owners", "chief", "president", "reporter", "spokesman", "spokesperson",
                    "executive", "coach", "analyst", "commentator", "announcer", "ceo", "chairman"}
_TEAM_TAIL = {"racing", "motorsports", "motorsport", "inc", "inc.", "incorporated", "enterprises",
              "garage", "team", "company"}
# Capitalised words that start sentences but are never given names.
_NOT_GIVEN = {"The", "A", "An", "But", "And", "With", "When", "While", "After", "Before", "In", "On",
              "At", "For", "From", "Of", "To", "By", "As", "Since", "Then", "That", "This", "His", "Her",
              "Their", "Rookie", "Driver", "Teammate", "Polesitter", "Pole", "Defending", "Champion",
              "Sunday", "Saturday", "Friday", "Monday", "Tuesday", "Wednesday", "Thursday", "NASCAR",
              "Cup", "Series", "Xfinity", "XFINITY", "Truck", "Stage", "Race", "Winner", "Both", "Also",
              "Seven-time", "Former", "Veteran", "Points", "Leader", "Playoff", "Tag", "Category", "Enter",
              "Meanwhile", "Finally", "However", "Only", "Even", "Still", "Now", "Today", "Yesterday",
              "Teammates", "Crew", "Owner", "Both", "Behind", "Like", "Unlike", "Despite", "Where", "Why",
              "Who", "What", "How", "Just", "Ahead", "Fellow", "Young", "Sophomore", "Announcer"}


class RosterIndex:
    """Lookups the resolver needs and the roster does not keep."""

    def __init__(self, roster) -> None:
        self.by_given: dict[str, list] = {}
        self.surname_of: dict[str, str] = {}
        for d in roster.drivers:
            given = (d.given or d.name.split()[0])
            self.by_given.setdefault(given, []).append(d)
            self.surname_of[d.name] = norm_name(d.surname)


_INDEX: dict[int, RosterIndex] = {}


def roster_index(roster) -> RosterIndex:
    idx = _INDEX.get(id(roster))
    if idx is None:
        idx = _INDEX[id(roster)] = RosterIndex(roster)
    return idx


@dataclass
class Mention:
    start: int
    end: int
    name: str          # canonical
    kind: str          # "full", "fuzzy", "surname", "list"
    in_roster: bool = True


def _overlaps(a0: int, a1: int, spans) -> bool:
    return any(s.start_char < a1 and a0 < s.end_char for s in spans)


class _Intervals:
    """"Does [a, b) overlap any interval so far?" by bisection instead of a scan
    per candidate (quadratic in a long article). Intervals sorted by start with
    a running maximum of their ends; answers exactly as the scan did."""

    def __init__(self, spans=()) -> None:
        self.items = sorted(spans)
        self.starts = [a for a, _ in self.items]
        self.maxend: list[int] = []
        for _, b in self.items:
            self.maxend.append(max(b, self.maxend[-1]) if self.maxend else b)
        self.disjoint = all(x[1] <= y[0] for x, y in zip(self.items, self.items[1:]))

    def overlaps(self, a: int, b: int) -> bool:
        i = bisect_left(self.starts, b)      # intervals starting before b
        return i > 0 and self.maxend[i - 1] > a

    def add(self, a: int, b: int) -> None:
        if self.disjoint and a < b and not self.overlaps(a, b):
            # Disjoint intervals in start order have their ends in order too, so
            # the running maximum is the end itself.
            i = bisect_left(self.starts, a)
            self.items.insert(i, (a, b))
            self.starts.insert(i, a)
            self.maxend.insert(i, b)
        else:
            self.__init__(self.items + [(a, b)])


def _is_non_driver_context(text: str, start: int, end: int) -> bool:
    if re.search(r"\b(?:owned|co-owned|fielded|founded)\s+by\s+(?:[A-Z][\w.’'-]*\s+){0,3}(?:and\s+)?$", text[max(0, start - 60):start]):
        return True
    before = text[max(0, start - 30):start].lower()
    words = re.findall(r"[a-z]+", before)[-2:]
    if any(w in NON_DRIVER_ROLES for w in words):
        return True
    after = text[end:end + 25].lower()
    if re.match(r"\s*,?\s*(?:the\s+)?(?:team\s+|car\s+)?(?:owner|crew chief|president)\b", after):
        return True
    if re.match(r"\s*\(\s*\w+\s*,\s*(?:owner|crew chief)", text[end:end + 30].lower()):
        return True
    return False


def find_mentions(doc: Doc, layout: Layout, ref: Reference, series: str | None,
                  season: int | None) -> list[Mention]:
    text = layout.view
    roster = ref.roster
    blocked = list(doc.spans["teams"]) + list(doc.spans["tracks"]) + list(doc.spans["series"])
    people = ref.teams.people() | {norm_name(n) for n in ref.lexicon.non_drivers}
    owner_drivers = ref.teams.owner_drivers()
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []
    blocked_ix = _Intervals((sp.start_char, sp.end_char) for sp in blocked)
    taken_ix = _Intervals()

    for span in doc.spans["drivers"]:
        s, e = span.start_char, span.end_char
        if blocked_ix.overlaps(s, e):
            continue
        nxt = doc[span.end].lower_ if span.end < len(doc) else ""
        if nxt in _TEAM_TAIL:
            continue
        if s < layout.body_start:
            continue
        key = norm_name(span.label_)
        if key in people and key not in owner_drivers:
            # Owners and crew chiefs are not drivers, even ones who once raced;
            # one who raced in this very series and season is taken at his word.
            d = roster.by_name(span.label_)
            driving = re.match(r"\s+(?:finished|qualified|won|led|started|drove|crashed|spun|was\s+\w+th)\b", text[e:e + 20])
            racing_now = d is not None and season is not None and d.active(series, season)
            if not (racing_now or (season is None and driving)) or _is_non_driver_context(text, s, e):
                continue
        if _is_non_driver_context(text, s, e):
            continue
        mentions.append(Mention(s, e, span.label_, "full"))
        taken.append((s, e))
        taken_ix.add(s, e)

    def free(s: int, e: int) -> bool:
        return not taken_ix.overlaps(s, e) and not blocked_ix.overlaps(s, e)

    # Near-miss spellings of two-word names: "Chase Elliot", "Matt Tiftt".
    index = roster_index(roster)
    given_names = index.by_given
    fuzzy_seen: dict[str, tuple] = {}
    for m in re.finditer(r"\b([A-Z][a-z]+)\s+([A-Z][a-zA-Z'’-]+(?:\s+(?:Jr\.?|Sr\.?|II|III))?)", text):
        s, e = m.start(), m.end()
        if s < layout.body_start or not free(s, e) or m.group(1) not in given_names:
            continue
        if norm_name(m.group(0)) in people:
            continue
        cands = index.by_given[m.group(1)]
        best, best_ratio = None, 0.0
        target = norm_name(m.group(0))
        if target in fuzzy_seen:
            best, best_ratio = fuzzy_seen[target]
        else:
            for d in cands:
                sm = difflib.SequenceMatcher(None, target, norm_name(d.name))
                # Upper bounds first: below the 0.88 bar a candidate can never be taken.
                if sm.real_quick_ratio() < 0.88 or sm.quick_ratio() < 0.88:
                    continue
                r = sm.ratio()
                if r > best_ratio:
                    best, best_ratio = d, r
            fuzzy_seen[target] = (best, best_ratio)
        if best is not None and best_ratio >= 0.88 and best.active(series, season):
            mentions.append(Mention(s, e, best.name, "fuzzy"))
            taken.append((s, e))
            taken_ix.add(s, e)

    mentions.sort(key=lambda m: m.start)
    # Where each surname was named so far: resolve_surname's scan of all
    # earlier mentions, per capitalised word, was quadratic in a long article.
    named: dict[str, dict[str, list[int]]] = {}
    for mm in mentions:
        _note(named, index, mm)
    # Surnames alone.
    for tok in doc:
        if not tok.is_alpha or not tok.text[:1].isupper() or tok.idx < layout.body_start:
            continue
        s, e = tok.idx, tok.idx + len(tok.text)
        if not free(s, e):
            continue
        if tok.text.isupper() and len(tok.text) > 1 and not tok.text == "JJ":
            continue
        prev = doc[tok.i - 1] if tok.i > 0 else None
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        # Part of an unknown multi-word name ("Coy Gibbs", "DeLana Harvick").
        if prev is not None and prev.text[:1].isupper() and prev.is_alpha and prev.text not in _NOT_GIVEN \
                and prev.idx + len(prev.text) + 1 == s:
            continue
        if nxt is not None and nxt.is_alpha and nxt.text[:1].isupper() and s + len(tok.text) + 1 == nxt.idx \
                and nxt.text not in {"Jr", "Sr"}:
            continue
        if nxt is not None and nxt.lower_ in _TEAM_TAIL:
            continue
        key = norm_name(tok.text)
        name = resolve_surname(key, s, mentions, layout, roster, series, season, named)
        if name:
            if _is_non_driver_context(text, s, e):
                continue
            new = Mention(s, e, name, "surname")
            insort(mentions, new, key=lambda m: m.start)  # = append + stable sort
            _note(named, index, new)
            taken.append((s, e))
            taken_ix.add(s, e)
    return sorted(mentions, key=lambda m: m.start)


def _note(named: dict, index: RosterIndex, m: Mention) -> None:
    d_sur = index.surname_of.get(m.name)
    if d_sur and m.kind in ("full", "fuzzy", "list", "surname"):
        insort(named.setdefault(d_sur, {}).setdefault(m.name, []), m.start)


def resolve_surname(key: str, pos: int, mentions: list[Mention], layout: Layout, roster,
                    series: str | None, season: int | None, named: dict | None = None) -> str | None:
    cands: dict[str, int] = {}
    if named is not None:
        # The same answer from the index find_mentions keeps of ``mentions``.
        for name, starts in named.get(key, {}).items():
            i = bisect_left(starts, pos)
            if i:
                cands[name] = starts[i - 1]
    else:
        prior = [m for m in mentions if m.start < pos and m.kind in ("full", "fuzzy", "list", "surname")]
        for m in prior:
            d_sur = roster_index(roster).surname_of.get(m.name)
            if d_sur and d_sur == key:
                cands[m.name] = max(cands.get(m.name, -1), m.start)
    if len(cands) == 1:
        return next(iter(cands))
    if len(cands) > 1:
        # Recency decides only when one candidate was just named (same or
        # previous two sentences) and the others much earlier.
        here = layout.sentence_at(pos)
        ranked = sorted(cands.items(), key=lambda kv: -kv[1])
        top_s = layout.sentence_at(ranked[0][1])
        second_s = layout.sentence_at(ranked[1][1])
        if here and top_s and second_s and here.index - top_s.index <= 2 and top_s.index > second_s.index:
            return ranked[0][0]
        return None
    found = roster.surname_candidates(key, series, season)
    if len(found) == 1:
        return found[0].name
    return None


# ---------------------------------------------------------- names as written
def names_as_written(text: str, mentions: list[Mention], ref) -> dict[str, str]:
    """The article's own full-name spelling of a driver, when it is another
    spelling of the same roster driver ("Darrell Wallace Jr." for Bubba
    Wallace, "Ron Hornaday" for Ron Hornaday Jr.): the record names a driver
    the way the article does, as a careful reader would."""
    out: dict[str, str] = {}
    seen: set[str] = set()
    for m in mentions:
        if m.name in seen or m.kind != "full":
            continue
        seen.add(m.name)
        written = re.sub(r"[’']s$", "", text[m.start:m.end]).strip()
        written = re.sub(r",\s*(Jr\.?|Sr\.?|II|III)$", r" \1", written)
        if len(written.split()) < 2 or norm_name(written) == norm_name(m.name) or written.isupper():
            continue
        hits = ref.roster.candidates(written)
        if len(hits) != 1 or hits[0].name != m.name:
            continue
        if _same_but_suffix(written, m.name) or _legal_name_of(written, hits[0]) or _given_variant(written, m.name):
            out[m.name] = written
    return out


_SUFFIX = re.compile(r"\s+(?:Jr|Sr|II|III|IV)\.?$")


def _same_but_suffix(a: str, b: str) -> bool:
    """'Ron Hornaday' and 'Ron Hornaday Jr.': one name, with or without its suffix."""
    return norm_name(_SUFFIX.sub("", a)) == norm_name(_SUFFIX.sub("", b))


def _given_variant(a: str, b: str) -> bool:
    """'Geoffrey Bodine' and 'Geoff Bodine', 'Kenny' and 'Ken': one surname,
    given names that are forms of one name (one starts the other, or they
    share their first three letters)."""
    wa, wb = _SUFFIX.sub("", a).split(), _SUFFIX.sub("", b).split()
    if len(wa) != len(wb) or len(wa) < 2 or norm_name(wa[-1]) != norm_name(wb[-1]):
        return False
    ga, gb = norm_name(" ".join(wa[:-1])), norm_name(" ".join(wb[:-1]))
    return ga.startswith(gb) or gb.startswith(ga) or (len(ga) >= 3 and ga[:3] == gb[:3])


def _legal_name_of(written: str, driver) -> bool:
    """'Darrell Wallace Jr.' for a driver the roster calls by a nickname
    ('Bubba', quoted inside one of his aliases): the written name is his own
    name, not a nickname of ours. A nickname written by the article
    ('Yung Money Larson') is never taken over."""
    given = driver.name.split()[0]
    quoted = any(re.search(rf"[\"“'‘]{re.escape(given)}[\"”'’]", a) for a in driver.aliases)
    return quoted and _SUFFIX.sub("", written).split()[-1] in driver.name
