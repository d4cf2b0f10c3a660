"""Start and finish positions: pole and front-row phrases, ordinals tied to a
verb or a name, enumerations ("followed by A and B", "with A, B and C
completing the top 10") and the winner.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .context import PRONOUN_START, Context, SentInfo
from .facts_base import FactSink
from .models import Enumeration
from .numbers import parse_int, parse_ordinal
from .resources import read_json

WEEKDAYS = {"sunday", "saturday", "friday", "monday", "tuesday", "wednesday", "thursday"}
# What may follow an ordinal used as a position (not "third straight", "fourth time").
ORD_NEXT_OK = {"in", "at", "and", "with", "on", "after", "for", "place", "position", "spot", "while", "behind",
               "ahead", "followed", "then", "overall", "to", "when", "but", "as", "despite", "of", "among",
               "or", "sunday", "saturday", "friday", "monday", "tonight", "today", "was", "before", "thanks",
               "respectively", "-", "–", "in", "starting", "quickest", "fastest"}
START_WINDOW_OK = {"from", "the", "in", "on", "at", "today", "'s", "’s", "race", "sunday", "saturday",
                   "friday", "monday", "tonight", "position", "a", "spot", "up", "off"}


@lru_cache(maxsize=1)
def _ordinal_re() -> re.Pattern:
    words = sorted(read_json("lexicon.json").get("ordinals", {}), key=len, reverse=True)
    alt = "|".join(re.escape(w) for w in words)
    return re.compile(
        rf"\b(?P<ord>\d{{1,2}}(?:st|nd|rd|th)|(?:twenty|thirty|forty)-(?:{alt})|{alt})(?P<place>[-\s]place)?\b",
        re.I,
    )


# Any number, digits or words: parse_int (lexicon number words) decides.
TOP_WERE = re.compile(r"\b[Tt]he\s+top[-\s](?P<n>\d{1,2}|[a-z]+(?:-[a-z]+)?)(?:\s+(?:finishers|qualifiers|starters))?"
                      r"\s*(?:were|:)\s+")
# "The top 10 was rounded out by A, B and C": the frame first, passive.
TOP_BY = re.compile(r"\btop[-\s](?P<n>\d{1,2}|[a-z]+(?:-[a-z]+)?)(?:\s+(?:finishers|qualifiers|starters))?\s+"
                    r"(?:was|were|is|are)\s+(?:rounded\s+out|completed|filled\s+out)\s+by\s+", re.I)
# "Elliott and Byron will make up the second row": a row of the grid, inside then outside.
ROW_PAIR = re.compile(r"\s+(?:will\s+|would\s+)?(?:make|makes|made|comprise|comprises|form|forms|formed|fill|fills|share|shares|"
                      r"occupy|occupies)\s+(?:up\s+)?(?:the\s+)?(?P<row>second|third|fourth|fifth|2nd|3rd|4th|5th)\s+row\b", re.I)
FRAME_NUM = re.compile(r"\btop[-\s](?P<n>\d{1,2}|[a-z]+(?:-[a-z]+)?)\b", re.I)


NEXT_IN_ORDER = re.compile(r"\b(?:were|came)\s+next\b(?:,?\s+in\s+that\s+order)?", re.I)
PAIRED = re.compile(r"\b(?P<verb>finished|qualified|will\s+start|started|were\s+scored|were|came\s+(?:home|in)|placed|"
                    r"wound\s+up|ended\s+up|crossed\s+the\s+(?:finish\s+)?line)\s+"
                    r"(?:in\s+)?(?P<o1>\w+)\s+and\s+(?P<o2>\w+)\b", re.I)


def _unread_pair(before: str, after: str) -> bool:
    """One of two places joined by "and" ("took 15th and 16th", "was fifth
    and sixth in the stages") that the paired reading did not take: its
    verb is not one it knows, or there are not two names to share them.
    Read alone, the nearer name would take the first place, which is not
    his; better no fact than that one."""
    m1 = re.match(r"\s+and\s+(\w+)", after)
    m0 = re.search(r"(\w+)\s+and\s+$", before)
    partner = m1.group(1) if m1 else m0.group(1) if m0 else None
    return partner is not None and parse_ordinal(partner) is not None


@lru_cache(maxsize=1)
def _place_adjectives() -> frozenset[str]:
    """Words between a verb and its place: 'finished a distant second'."""
    return frozenset(w.lower() for w in read_json("lexicon.json").get("place_adjectives", []))


def _kind_for(ctx: Context, info: SentInfo) -> str | None:
    """Which position an unlabelled ordinal means in this sentence."""
    if info.session == "practice" or (ctx.kind == "practice" and info.session != "qualifying"):
        return None
    if ctx.kind == "race":
        return "finish_position"
    if ctx.kind == "qualifying":
        return "start_position"
    return None


# A place in the points, not in the race: "second in the standings", "27
# points to 42 for Moffitt in second", "the top seed". "The points leader"
# is only a description of a driver.
STANDINGS = re.compile(r"\b(?:in\s+(?:the\s+)?(?:series\s+|championship\s+|driver\s+|playoff\s+)?(?:points|standings)"
                       r"|standings|playoff\s+points|\w+\s+points\s+(?:to|behind|ahead|back)|points\s+(?:to|behind|ahead)"
                       r"|top\s+seed|seeded|\bseed\b|playoff\s+grid)\b", re.I)


def _standings_context(ctx: Context, info: SentInfo, pos: int) -> bool:
    """'27 playoff points for Moffitt in second', 'second in the standings':
    a place in the points, not in this race."""
    a, b = ctx.clause_bounds(info.sent, pos)
    return bool(STANDINGS.search(ctx.layout.view[a:b]))


# A place inside a stage (segment) of the race, read right after the ordinal.
STAGE_AFTER = re.compile(r"\s*(?:place\s+|position\s+|spot\s+)?in\s+(?:the\s+|both\s+|each\s+of\s+the\s+)?"
                         r"(?:(?:first|second|third|fourth|final|opening|middle|last)\s+(?:two\s+)?)?"
                         r"(?:stages?|segments?)\b", re.I)
# After "took/grabbed/claimed fifth": a place held during the race, not its result.
RUNNING_AFTER = re.compile(r"\s*(?:place\s+|position\s+|spot\s+)?(?:with\s+(?:\d+|\w+)\s+(?:laps?|to\s+go)|on\s+lap"
                           r"|on\s+the\s+(?:restart|ensuing|next|final\s+restart|last\s+restart)|(?:away\s+)?from\b"
                           r"|at\s+the\s+(?:restart|halfway|break|end\s+of\s+stage|white|green)|before\b|early\b|briefly\b"
                           r"|for\s+(?:a\s+)?(?:few|several|\d+|\w+)\s+laps?)", re.I)


def _round_context(ctx: Context, info: SentInfo, pos: int) -> bool:
    a, b = ctx.clause_bounds(info.sent, pos)
    chunk = ctx.layout.view[pos:b]
    if re.match(r"\s*(?:-?\s*(?:fastest|quickest))?\s*in\s+(?:group|round|practice|the\s+(?:first|second|opening)\s+round|heat|happy hour|the session)", chunk, re.I):
        return True
    if re.match(r"\s*(?:and\s+)?with\b", ctx.layout.view[a:b], re.I):
        # "fastest in Group A, with Byron second": the absolute clause shares
        # the main clause's frame (a group, a round).
        a = info.sent.start
        if re.search(r"\b(?:group|heat)\s+[A-D1-4]\b|\bround\b", ctx.layout.view[a:b], re.I):
            return True
    return any(c[0] in ("ROUND",) and a <= c[1] < b for c in info.cues)


def extract_positions(ctx: Context, info: SentInfo, sink: FactSink) -> None:
    s = info.sent
    text = ctx.layout.view
    # Only a sentence that is all quote is skipped: '"...," Gibbs said after
    # finishing third' has a reported place after the quote (ordinals inside
    # quotes are skipped one by one below).
    if all(ctx.layout.in_quote(p) for p in (s.start, (s.start + s.end) // 2, max(s.start, s.end - 2))):
        return
    assigned: dict[tuple[str, str], int] = {}
    anchors: list[tuple[int, str, int]] = []   # (pos, type, value)

    def put(ftype: str, driver: str | None, value: int, span: tuple[int, int], pos: int, rule: str) -> int | None:
        if driver is None or value is None or value <= 0 or value > 60:
            return None
        if (driver, ftype) in assigned:
            return None
        idx = sink.add(ftype, driver, value, span, rule=rule)
        assigned[(driver, ftype)] = value
        anchors.append((pos, ftype, value))
        return idx

    _pole_and_front_row(ctx, info, sink, put)
    if ctx.kind == "race":
        for c in info.cues:
            if c[0] == "RUNNER_UP" and not ctx.is_past(info, c[1]) and not ctx.layout.in_quote(c[1]):
                rel = ctx.relative_owner(info, c[1])
                who = _went_to(info, ctx.layout.view, c[2]) or (rel.name if rel else ctx.owner(info, c[1]))
                if who and who != ctx.winner:
                    put("finish_position", who, 2, (c[1], c[2]), c[1], "position:runner-up-cue")

    # "Marlin and Rudd were ninth and 10th": the pair of names takes the pair
    # of places in order. Read before single ordinals, which would give both
    # places to the nearer name.
    paired: set[int] = set()
    pm = PAIRED.search(text, s.start, s.end)
    if pm and not ctx.layout.in_quote(pm.start()):
        o1, o2 = parse_ordinal(pm.group("o1")), parse_ordinal(pm.group("o2"))
        vpos = pm.start()
        names = [m for m in info.mentions if m.end <= vpos]
        if o1 and o2 and len(names) >= 2 and re.search(r"^\s+and\s+", text[names[-2].end:names[-1].start]) \
                and not ctx.is_past(info, vpos):
            verb = pm.group("verb").lower()
            ftype = "finish_position" if verb.startswith(("finished", "came", "placed", "wound", "ended", "crossed")) \
                or re.match(r"were\s+scored", verb) else \
                "start_position" if verb.startswith(("qualified", "will", "started")) else _kind_for(ctx, info)
            if ftype and (ftype == "start_position" or ctx.kind == "race"):
                put(ftype, names[-2].name, o1, (pm.start("o1"), pm.end("o1")), vpos, "position:paired-ordinals")
                put(ftype, names[-1].name, o2, (pm.start("o2"), pm.end("o2")), vpos, "position:paired-ordinals")
                paired = {pm.start("o1"), pm.start("o2")}

    ord_re = _ordinal_re()
    for m in ord_re.finditer(text, s.start, s.end):
        a, b = m.start(), m.end()
        if ctx.layout.in_quote(a) or a in paired:
            continue
        val = parse_ordinal(m.group("ord"))
        if val is None:
            continue
        before = text[s.start:a]
        after = text[b:s.end]
        if re.match(r"\s*-?\s*row\b", after, re.I):
            continue  # "from the third row": a row of the grid, not a place
        if STAGE_AFTER.match(after):
            continue  # "second in Stage 2", "third in both stages": a stage's order, not the race's
        if re.match(r"\s*-?\s*(?:quickest|fastest)\b(?!\s+in\s+qualifying)", after, re.I) \
                and _kind_for(ctx, info) == "finish_position":
            continue  # "had the second-fastest car all day": a speed rank, never a race result
        if _unread_pair(before, after):
            continue
        nxt = re.match(r"\s*([\w’']+|[^\w\s])", after)
        nxt_word = nxt.group(1).lower() if nxt else ""
        place = bool(m.group("place")) or nxt_word in ("place", "position", "spot")
        ftype = None
        owner = None
        # "qualified sixth", "will start third", "start from the 39th spot"
        verb = _verb_before(ctx, info, a)
        went = _went_to(info, text, b) if not before.strip() or re.search(r"\bthe\s*$", before, re.I) else None
        if went is not None:
            ftype, owner = _kind_for(ctx, info), went
        elif re.match(r"-(?:quickest|fastest)\s+in\s+qualifying|\s+in\s+qualifying|[-\s]starting\s+(?:spot|position)", after, re.I):
            ftype = "start_position"
            owner = ctx.owner(info, a)
        elif verb is not None:
            ftype, vpos = verb
            owner = ctx.owner(info, vpos)
        elif place and ctx.kind == "race" and (
                re.match(r"[-\s]place\s+finish", text[a + len(m.group("ord")):b + 12], re.I)
                or re.search(r"\b(?:landed|earned|claimed|secured|notched|grabbed|posted|scored|career-best|best)\s+(?:a\s+|an\s+|his\s+|her\s+)?(?:career-best\s+|season-best\s+)?$", before, re.I)):
            ftype = "finish_position"
            owner = ctx.owner(info, a)
        elif re.search(r"\b(?:finishing|finished)\s*$", before, re.I) and re.match(r"\s+(?:was|is)\b", after):
            ftype = "finish_position"
            owner = next((mm.name for mm in info.mentions if mm.start > b), None)
        else:
            if nxt_word and nxt_word not in ORD_NEXT_OK and nxt_word.isalpha() and not place:
                continue
            if re.match(r"\s*-?\s*(?:straight|consecutive|time|career|annual|round|stage|caution|lap|race|win|victory|pole|row|year|season|start\b)", after, re.I):
                continue
            adj = ctx.adjacent_before(info, a)
            copula = re.search(r"\b(?:was|is|were|in)\s+$", before)
            if adj is not None and copula and copula.group(0).strip() == "in" \
                    and re.search(r"\bbehind\s+$", text[max(s.start, adj.start - 12):adj.start], re.I):
                adj = None  # "finished 0.6 seconds behind Larson in second": the subject's place, not Larson's
            ftype = _kind_for(ctx, info)
            recent_round = any(c[0] == "ROUND" for other in ctx.sents[max(0, info.sent.index - 2):info.sent.index + 1]
                               for c in other.cues)
            if ftype == "start_position" and not adj and not copula:
                continue
            if adj is not None:
                owner = adj.name
                if ftype == "start_position" and copula and copula.group(0).strip() != "in" and recent_round:
                    continue
            elif copula and (ftype == "finish_position" or copula.group(0).strip() == "in"
                             or (ftype == "start_position" and not recent_round)):
                owner = ctx.owner(info, a, allow_after=False)
            else:
                continue
        if ftype is None or owner is None:
            continue
        if ftype == "finish_position" and ctx.kind != "race":
            continue
        # "topped the second round before qualifying fourth": a qualifying verb
        # right before the place gives the overall result, whatever round the
        # clause also names; only "fourth in round two" after it is a round rank.
        direct = verb is not None and ftype == "start_position" and len(text[verb[1]:a].split()) == 1
        if (_round_context(ctx, info, a) and not (direct and not re.match(r"\s*(?:-?\s*(?:fastest|quickest))?\s*in\s+(?:group|round|the\s+\w+\s+round)", text[b:b + 30], re.I))) \
                or ctx.is_past(info, a) or _standings_context(ctx, info, a):
            continue
        if info.session == "practice" and ftype == "start_position" and verb is None \
                and not re.match(r"-(?:quickest|fastest)\s+in\s+qualifying", after, re.I):
            continue
        put(ftype, owner, val, (a, b), a, "position:ordinal")

    _enumerations(ctx, info, sink, put, anchors, assigned)


def _verb_before(ctx: Context, info: SentInfo, pos: int) -> tuple[str, int] | None:
    """A start/finish verb right before the ordinal, with only filler between."""
    doc = ctx.doc
    span = doc.char_span(info.sent.start, pos, alignment_mode="contract")
    if span is None:
        return None
    toks = list(span[-6:])  # the last six only: listing the whole prefix was quadratic
    skipped = 0
    # START_VERB cues (cues.jsonl) that end on a token: "qualified", "will start".
    start_ends = {c[2] for c in info.cues if c[0] == "START_VERB"}
    # FINISH_VERB cues ending on a token: "finished", "came home", "settled for".
    finish_ends = {c[2] for c in info.cues if c[0] == "FINISH_VERB"}
    # A finish phrase of several words outweighs a one-word start cue ending
    # on the same token: "crossed the line fifth" is a result, not "line up".
    finish_phrase_ends = {c[2] for c in info.cues if c[0] == "FINISH_VERB" and " " in c[3].strip()}
    # PLACE_VERB cues ("took", "grabbed", "claimed") give a place only right
    # before the ordinal, the session saying which: "took fifth" is the race's
    # result, "took fifth with 20 to go" a place held on the way.
    place_ends = {c[2] for c in info.cues if c[0] == "PLACE_VERB"}

    def on_the_way() -> bool:
        """'with 30 laps left', 'on the restart' after the place: held, not finished."""
        return RUNNING_AFTER.match(ctx.layout.view, _ordinal_end(ctx, pos)) is not None

    def by_session(tok) -> tuple[str, int] | None:
        """A verb that names no session: the sentence's (or the story's) says which place."""
        kind = _kind_for(ctx, info)
        return (kind, tok.idx) if kind else None

    for tok in reversed(toks):
        low = tok.lower_
        if skipped == 0 and tok.idx + len(tok.text) in place_ends:
            return None if on_the_way() else by_session(tok)
        if tok.idx + len(tok.text) in finish_phrase_ends:
            return "finish_position", tok.idx
        if tok.idx + len(tok.text) in start_ends and (low not in ("qualifying", "grid", "starters", "spot", "position")
                                                       or (low == "qualifying" and skipped == 0)):
            return "start_position", tok.idx  # "before qualifying fourth": the gerund right before the place
        if low == "running":
            return None  # "running second": a place during the race, not the result
        if low in ("finished", "finish", "finishes", "finishing", "placed", "home") or (
                tok.idx + len(tok.text) in finish_ends and low not in ("place", "line", "up")):
            return "finish_position", tok.idx
        if low == "up" and tok.i > 0 and doc[tok.i - 1].lower_ in ("wound", "ended", "wind", "winds"):
            return "finish_position", tok.idx
        if low in ("him", "her") and tok.i > 0 and doc[tok.i - 1].lower_ in ("put", "puts", "placed", "landed", "left"):
            return by_session(tok)  # "a lap of 133.1 mph put him fourth"
        if low == "for" and tok.i > 0 and doc[tok.i - 1].lower_ == "good":
            return by_session(tok)  # "a lap good for third", "was good for fifth"
        if low == "to" and (tok.i > 1 and doc[tok.i - 1].lower_ == "way" and doc[tok.i - 2].lower_ in ("his", "her", "their")
                            or _drove_before(doc, tok, info.sent.start)):
            # "worked his way to fourth", "drove the No. 1 Chevrolet to seventh";
            # "drove to second with 10 to go" is on the way
            return None if on_the_way() else ("finish_position", tok.idx)
        if low == "to" and tok.i > 0 and doc[tok.i - 1].lower_ in (
                "faded", "fell", "dropped", "slipped", "rallied", "climbed", "recovered", "charged", "rebounded",
                "fading", "falling", "dropping", "slipping", "rallying", "climbing", "recovering", "charging",
                "rebounding"):
            if not re.match(r"\S+\s+with\s+\d+\s+laps", ctx.layout.view[pos:pos + 30]):
                return "finish_position", tok.idx
        if low in START_WINDOW_OK or low in WEEKDAYS or low in _place_adjectives():
            skipped += 1
            if skipped > 5:
                return None
            continue
        return None
    return None


# "Third place went to Hamlin", "the runner-up spot went to Blaney": the
# place is named first, its holder after the verb.
WENT_TO = re.compile(r"\s*(?:place|position|spot|finish)?\s*(?:went|goes|fell|belonged)\s+to\s+", re.I)


def _went_to(info: SentInfo, text: str, end: int) -> str | None:
    m = WENT_TO.match(text, end)
    if m is None:
        return None
    who = next((mm for mm in info.mentions if mm.start >= m.end()), None)
    return who.name if who is not None and who.start - m.end() <= 1 else None


DROVE = frozenset({"drove", "drives", "steered", "steers", "wheeled", "piloted"})


def _drove_before(doc, tok, sent_start: int) -> bool:
    """'drove (his No. 1 Chevrolet) to': a driving verb earlier in the clause."""
    for i in range(tok.i - 1, max(-1, tok.i - 13), -1):
        t = doc[i]
        if t.idx < sent_start or t.text in (",", ";") or t.lower_ in ("and", "but", "after", "before", "who"):
            return False
        if t.lower_ in DROVE:
            return True
    return False


def _subject_after_semicolon(ctx: Context, info: SentInfo, pos: int) -> str | None:
    """The subject of the clause after a semicolon: 'Gibbs edged McDowell;
    McDowell will start alongside him on the front row'."""
    text = ctx.layout.view
    semi = text.rfind(";", info.sent.start, pos)
    if semi < 0:
        return None
    for m in info.mentions:
        if semi < m.start < pos and not ctx.is_object(m, info.sent) and not ctx.layout.in_quote(m.start):
            return m.name
    return None


def _ordinal_end(ctx: Context, pos: int) -> int:
    m = re.match(r"\S+", ctx.layout.view[pos:pos + 20])
    return pos + (m.end() if m else 0)


def _pole_and_front_row(ctx: Context, info: SentInfo, sink: FactSink, put) -> None:
    text = ctx.layout.view
    s = info.sent
    labels = [c for c in info.cues if c[0] in ("POLE", "START_AT", "FRONT_ROW")]
    if not labels or ctx.kind == "practice" and info.session == "practice":
        return
    negated = any(c[0] == "NEGATION" for c in info.cues)
    taken_spans: list[tuple[int, int]] = []
    for label, a, b, ctext, value in sorted(labels, key=lambda c: -(c[2] - c[1])):
        if any(x < b and a < y for x, y in taken_spans):
            continue
        taken_spans.append((a, b))
        if negated or ctx.is_past(info, a, whole=False):
            continue
        before = text[max(s.start, a - 25):a].lower()
        if label == "POLE":
            if re.search(r"\b(?:\d+|\w+teen|twenty|thirty|forty|a|an)\s+(?:career\s+)?$", before) \
                    or re.match(r"\s*(?:of\s+(?:his|her)\s+career|in\s+(?:19|20)\d\d)", text[b:b + 25]):
                continue  # "31 career poles", "a pole at Bristol this year": not this grid
            if re.search(r"(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)-$", before):
                continue  # "ninth-quickest in qualifying" is a rank, not the pole
            if re.search(r"outside\s*$", before) or re.match(r"\s*(?:award|awards|winners?|starts|runs?|day|speed|trim|lap)\b", text[b:b + 12], re.I):
                continue
            if re.search(r"\b(?:front|second|third)\s*$", before):
                continue
            if re.search(r"\b(?:miss(?:ed|es|ing)?|lost|los(?:e|es|ing)|denied|short\s+of)\s+(?:out\s+on\s+)?(?:the\s+)?$",
                         before, re.I):
                continue  # "missing the pole by 0.04 seconds", "lost out on the pole": someone else's
            # "pole-sitter Kyle Larson", "Polesitter Ron Hornaday Jr."
            who = None
            follow = [m for m in info.mentions if m.start >= b and m.start - b <= 2]
            if ctext.lower().replace(" ", "").replace("-", "") in ("polesitter", "polestarter", "polewinner") and follow:
                who = follow[0].name
            elif re.search(r",\s*the\s*$", text[max(s.start, a - 8):a]):
                prev = [m for m in info.mentions if m.end <= a]
                who = prev[-1].name if prev else None
            elif taker := _pole_taker_before(info, text, a):
                who = taker
            else:
                who = ctx.subject(info, before=a)
                if who is None and not re.match(r"\s*(?:\(|,)", text[b:b + 2]):
                    later = [m for m in info.mentions if m.start >= b and not ctx.layout.in_quote(m.start)]
                    who = later[0].name if later else None
                if who is None:
                    who = ctx.owner(info, a)
            if who:
                put("start_position", who, 1, (a, b), a, "position:pole")
                ctx.pole_driver = ctx.pole_driver or who
        elif label == "START_AT":
            rel = ctx.relative_owner(info, a)
            who = rel.name if rel else (ctx.subject(info, before=a) or ctx.owner(info, a))
            if who:
                put("start_position", who, int(value or 2), (a, b), a, "position:start-at")
        elif label == "FRONT_ROW":
            if re.search(r"outside\s+of\s+the\s*$", before):
                continue
            rel = ctx.relative_owner(info, a)
            who = rel.name if rel else (_subject_after_semicolon(ctx, info, a) or ctx.subject(info, before=a))
            if who is None:
                who = info.topic_before
            if who and who == ctx.pole_driver:
                later = [m for m in info.mentions if m.start >= b and m.name != who]
                who = later[0].name if later and re.search(r"\b(?:with|alongside|beside|next to)\s*$", text[b:later[0].start]) else None
            if who and ctx.pole_driver and who != ctx.pole_driver:
                put("start_position", who, 2, (a, b), a, "position:front-row")


FOLLOWED_ACROSS = re.compile(r"\s+(?:followed|trailed)\s+", re.I)
ACROSS_THE_LINE = re.compile(r"\s+(?:across\s+the\s+(?:finish\s+)?line|home|to\s+the\s+(?:finish\s+)?line"
                             r"|to\s+the\s+(?:checkered|checkers|finish)|under\s+the\s+checkered)", re.I)


def _enumerations(ctx: Context, info: SentInfo, sink: FactSink, put, anchors, assigned) -> None:
    text = ctx.layout.view
    s = info.sent
    kind = _kind_for(ctx, info)
    if kind is None:
        return
    # "followed by A, B and C" / "then A and B" continue from an anchor.
    for c in info.cues:
        if c[0] != "FOLLOWED" or c[3].lower() == "ahead of":
            continue
        prior = [an for an in anchors if an[0] < c[1]]
        if prior:
            pos0, ftype, value = prior[-1]
        else:
            # "He was followed by A, B and C": the anchor is the subject's
            # place, stated in an earlier sentence.
            anchor = _subject_place(ctx, info, sink, kind, c[1])
            if anchor is None:
                continue
            ftype, value = kind, anchor
        end = s.end
        fr = [cc for cc in info.cues if cc[0] == "FRAME" and cc[1] > c[2]]
        if fr:
            end = fr[0][1] + 30
        names = [m for m in info.mentions if c[2] <= m.start < end and (m.name, ftype) not in assigned]
        names = _dedupe(names)
        for i, m in enumerate(names, 1):
            if value + i > 60:
                break
            put(ftype, m.name, value + i, (m.start, m.end), m.start, "position:enumeration")
    # "Kulwicki, Martin and Elliott were next, in that order": the places
    # after the last one the passage gave.
    nm = NEXT_IN_ORDER.search(text, s.start, s.end)
    if nm and not ctx.layout.in_quote(nm.start()):
        names = _dedupe(_contiguous_tail(ctx, [m for m in info.mentions if m.end <= nm.start()], nm.start()))
        start = ctx.layout.sentences[max(0, s.index - 2)].start
        prior = [f.value for f in sink.facts if f.type == kind and start <= f.span[0] < s.start and f.scope != "other"]
        if len(names) >= 2 and prior:
            for i, m in enumerate(names, 1):
                put(kind, m.name, max(prior) + i, (m.start, m.end), m.start, "position:enumeration")
    # "Just behind Haley were A, B and C": the next places after Haley's.
    bm = re.search(r"\bbehind\s+", text[s.start:s.end], re.I)
    if bm:
        pos = s.start + bm.end()
        first = next((m for m in info.mentions if m.start == pos), None)
        if first is not None and re.match(r"\s+(?:were|was|came|sat)\b", text[first.end:first.end + 6]):
            val = sink.value_of(kind, first.name)
            if val:
                for i, m in enumerate(_dedupe([m for m in info.mentions if m.start > first.end]), 1):
                    put(kind, m.name, val + i, (m.start, m.end), m.start, "position:enumeration")
    # "Hamlin, Elliott and Byron followed Larson across the line": the
    # places after Larson's, in the order named, for a run of names that
    # opens the sentence.
    fa = FOLLOWED_ACROSS.search(text, s.start, s.end)
    if fa and kind == "finish_position" and not ctx.layout.in_quote(fa.start()) and not ctx.is_past(info, fa.start()):
        first = next((m for m in info.mentions if m.start == fa.end()), None)
        if first is not None and ACROSS_THE_LINE.match(text, first.end):
            names = _dedupe(_contiguous_tail(ctx, [m for m in info.mentions if m.end <= fa.start()], fa.start()))
            val = sink.value_of(kind, first.name) or (1 if first.name == ctx.winner else None)
            if names and val and not text[s.start:names[0].start].strip():
                for i, m in enumerate(names, 1):
                    put(kind, m.name, val + i, (m.start, m.end), m.start, "position:enumeration")
    # "The top 10 was rounded out by A, B and C": the last places of the frame.
    tb = TOP_BY.search(text, s.start, s.end)
    if tb and not ctx.is_past(info, tb.start()) and not ctx.layout.in_quote(tb.start()):
        n = parse_int(tb.group("n"))
        run = _dedupe(_run_after(ctx, info, tb.end())[0])
        first = (n or 0) - len(run) + 1
        if n and run and first >= 2:
            for i, m in enumerate(run):
                put(kind, m.name, first + i, (m.start, m.end), m.start, "position:frame-enumeration")
    # "Elliott and Byron will make up the second row": inside, then outside.
    rp = ROW_PAIR.search(text, s.start, s.end)
    if rp and kind == "start_position" and not ctx.is_past(info, rp.start()):
        before = [m for m in info.mentions if m.end <= rp.start()]
        row = parse_ordinal(rp.group("row"))
        if row and len(before) >= 2 and re.fullmatch(r"\s+and\s+", text[before[-2].end:before[-1].start]) \
                and before[-1].end == rp.start() and before[-2].name != before[-1].name:
            put(kind, before[-2].name, 2 * row - 1, (before[-2].start, before[-2].end), before[-2].start, "position:grid-row-pair")
            put(kind, before[-1].name, 2 * row, (before[-1].start, before[-1].end), before[-1].start, "position:grid-row-pair")
    # "The top five were A, B, C, D and E", "The top 10 finishers: ...": a
    # whole list, so only when it names exactly that many drivers, in a run
    # joined by commas and "and".
    tw = TOP_WERE.search(text, s.start, s.end)
    if tw and not ctx.is_past(info, tw.start()) and not ctx.layout.in_quote(tw.start()):
        n = parse_int(tw.group("n"))
        run, end = _run_after(ctx, info, tw.end())
        run = _dedupe(run)
        if n and len(run) == n and re.match(r"\s*(?:\([^()]{0,60}\))?\s*[.;]?\s*$", text[end:s.end]):
            for i, m in enumerate(run, 1):
                if (m.name, kind) not in assigned:
                    put(kind, m.name, i, (m.start, m.end), m.start, "position:top-n-list")
    # Frames: "completing the top 10", "Rounding out the top five were ..."
    for c in info.cues:
        if c[0] != "FRAME":
            continue
        fm = FRAME_NUM.search(text, c[1], min(s.end, c[2] + 16))
        if not fm:
            continue
        n = parse_int(fm.group("n"))
        if not n:
            continue
        if ctx.is_past(info, c[1]):
            continue
        before_names = [m for m in info.mentions if m.end <= c[1]]
        after_names = [m for m in info.mentions if m.start >= fm.end()]
        anchor_pos = max([an[0] for an in anchors if an[0] < c[1]], default=s.start - 1)
        tail = _contiguous_tail(ctx, [m for m in before_names if m.start > anchor_pos], c[1])
        # "A, B and C completing the top 10" (names before the cue) or
        # "Rounding out the top 10 were A, B and C" (names after it).
        names = tail if tail else after_names
        names = [m for m in _dedupe(names) if (m.name, kind) not in assigned]
        if not names:
            continue
        first = n - len(names) + 1
        if first < 1:
            continue
        idx = []
        for i, m in enumerate(names):
            got = put(kind, m.name, first + i, (m.start, m.end), m.start, "position:frame-enumeration")
            if got is not None:
                idx.append(got)
        sink.enumerations.append(Enumeration(kind=kind, first=first, last=n, names=len(names), facts=idx,
                                             span=(s.start, s.end), text=text[s.start:s.end]))


SUBJ_BEFORE_FOLLOWED = re.compile(
    r"^\s*(?:(?:is|was|will\s+be|were|are|would\s+be)\s+)?(?:closely\s+|just\s+|immediately\s+)?$", re.I)


def _subject_place(ctx: Context, info: SentInfo, sink: FactSink, kind: str, cue: int) -> int | None:
    """The known place of the clause subject right before a 'followed by' cue:
    a name ("Larson is followed by") or, at the sentence start, a pronoun or
    descriptor for the topic driver ("He will be followed by", "The rookie is
    followed by")."""
    text = ctx.layout.view
    s = info.sent
    names = [m for m in info.mentions if m.end <= cue]
    who = None
    if names and SUBJ_BEFORE_FOLLOWED.match(text[names[-1].end:cue]):
        who = names[-1].name
    elif not names:
        m = PRONOUN_START.match(text[s.start:cue])
        if m and SUBJ_BEFORE_FOLLOWED.match(text[s.start + m.end():cue]):
            who = info.topic_before
    if who is None:
        return None
    val = _known_start(ctx, sink, who) if kind == "start_position" else sink.value_of(kind, who)
    if val is None and kind == "finish_position" and who == ctx.winner:
        val = 1
    return val


def _run_after(ctx: Context, info: SentInfo, end: int):
    """Names from ``end`` joined by commas and 'and' (a bracket after a name
    allowed), and where the run ends."""
    text = ctx.layout.view
    run = []
    for m in info.mentions:
        if m.start < end:
            continue
        if re.fullmatch(r"\s*(?:\([^()]{0,60}\))?\s*(?:,\s*(?:and\s+)?|\s+and\s+)?", text[end:m.start]) and \
                (not run or text[end:m.start].strip()):
            run.append(m)
            end = m.end
        else:
            break
    return run, end


def _dedupe(names):
    seen, out = set(), []
    for m in names:
        if m.name not in seen:
            seen.add(m.name)
            out.append(m)
    return out


def _contiguous_tail(ctx: Context, names, end: int):
    """Keep the run of names that reaches the cue, joined by commas/'and'/'with'."""
    text = ctx.layout.view
    out = []
    nxt = end
    for m in reversed(names):
        # A parenthetical after a name ("(No. 20 Joe Gibbs Racing Toyota)")
        # does not break the run.
        between = re.sub(r"\s*\([^()]{0,60}\)", " ", text[m.end:nxt])
        if out and not re.fullmatch(r"\s*(?:[’']s)?\s*(?:\([^)]{0,60}\))?\s*(?:,\s*(?:and\s+)?|\s+and\s+|,?\s*with\s+|\s+)(?:[a-z-]+\s+){0,4}", between):
            break
        if not out and not re.fullmatch(r"[^.;]{0,40}", between):
            break
        out.append(m)
        nxt = m.start
    return list(reversed(out))


ALONGSIDE = re.compile(
    r"\b(?:start|starts|starting|roll\s+off|rolls\s+off|line\s+up|lines\s+up|will\s+be)\s+"
    r"(?:on\s+the\s+front\s+row\s+|in\s+row\s+\w+\s+)?(?:alongside|beside|next\s+to)\s+"
    r"(?:(?:his|her|the)\s+)?(?:(?:\w+\s+)?teammate\s+|fellow\s+[\w-]+\s+)?$", re.I)
INVERTED = re.compile(r"^\s*(?:starting|lining\s+up|rolling\s+off)\s+(?:alongside|beside|next\s+to)\s+$", re.I)


BESIDE_PRONOUN = re.compile(r"\b(?:start|starts|roll\s+off|rolls\s+off|line\s+up|lines\s+up)\s+(?:alongside|beside|next\s+to)\s+(?:him|her)\b", re.I)


def start_alongside(ctx: Context, sink: FactSink) -> None:
    """Row partners: the car beside a known starting spot takes the other
    spot of that row (1 and 2 share row one, 3 and 4 row two).
    'Hamlin will start alongside Kyle Larson' and the inversion 'Starting
    beside Byron on row two is Bell'."""
    text = ctx.layout.view
    for info in ctx.sents:
        # "Denny Hamlin will start beside him": the subject partners the topic.
        for pm in BESIDE_PRONOUN.finditer(text, info.sent.start, info.sent.end):
            subj = [mm for mm in info.mentions if mm.end <= pm.start()]
            if subj and info.topic_before and subj[0].name != info.topic_before:
                p = _known_start(ctx, sink, info.topic_before)
                if p is not None:
                    sink.add("start_position", subj[0].name, _row_partner(p),
                             (subj[0].start, subj[0].end), rule="position:start-alongside")
        for m in info.mentions:
            if ctx.layout.in_quote(m.start):
                continue
            before = text[max(info.sent.start, m.start - 70):m.start]
            sm = ALONGSIDE.search(before)
            if not sm:
                continue
            cut = m.start - (len(before) - sm.start())
            if INVERTED.match(text[info.sent.start:m.start]):
                # "Starting beside X ... is Y": Y is the partner of X.
                later = next((mm for mm in info.mentions if mm.start > m.end), None)
                anchor, partner = m.name, later.name if later else None
                anchor_span, partner_span = (m.start, m.end), (later.start, later.end) if later else None
            else:
                subj = [mm for mm in info.mentions if mm.end <= cut]
                anchor = subj[0].name if subj else (info.topic_before if PRONOUN_START.match(
                    text[info.sent.start:cut]) else None)
                partner = m.name
                anchor_span, partner_span = (subj[0].start, subj[0].end) if subj else None, (m.start, m.end)
            if not anchor or not partner or anchor == partner:
                continue
            p = _known_start(ctx, sink, anchor)
            if p is not None:
                sink.add("start_position", partner, _row_partner(p), partner_span, rule="position:start-alongside")
                continue
            # "Denny Hamlin will start alongside Larson", Larson's spot known:
            # the one beside him takes the other spot of that row.
            q = _known_start(ctx, sink, partner)
            if q is not None and anchor_span is not None:
                sink.add("start_position", anchor, _row_partner(q), anchor_span, rule="position:start-alongside")


# "with William Byron earning the pole", "as Byron took the pole", "with Byron
# on the pole": the name right before the verb owns the pole, whoever the
# sentence's subject is.
_POLE_TAKER = re.compile(
    r"\s+(?:(?:earning|taking|winning|grabbing|securing|claiming|capturing|landing|scoring|nabbing|snagging|"
    r"collecting|earned|took|won|claimed|captured|grabbed|secured|landed|nabbed|snagged|scored|collected)\s+"
    r"(?:the|his|her|a)\s+(?:\w+\s+){0,2}?|(?:sitting\s+|starting\s+)?on\s+(?:the\s+)?)", re.I)


def _pole_taker_before(info: SentInfo, text: str, a: int) -> str | None:
    prev = [m for m in info.mentions if m.end <= a]
    if prev and _POLE_TAKER.fullmatch(text, prev[-1].end, a):
        return prev[-1].name
    return None


def _known_start(ctx: Context, sink: FactSink, who: str) -> int | None:
    """Where the text already put ``who`` on the grid (the pole-sitter at 1)."""
    p = sink.value_of("start_position", who)
    return 1 if p is None and who == ctx.pole_driver else p


def _row_partner(p: int) -> int:
    """The other spot of a grid row: 1 and 2 share row one, 3 and 4 row two."""
    return p + 1 if p % 2 else p - 1


HELD_OFF = re.compile(r"\b(?:(?:held|holding|holds|hold)\s+off|beat|beats|outran|outdueled|nipped|edged|edged\s+out)\s+"
                      r"(?:a\s+(?:hard-)?charging\s+|(?:his|her)\s+teammate\s+|"
                      # "held off a late charge from Zane Smith", "a last-lap challenge by"
                      r"(?:a\s+)?(?:late\s+|last-lap\s+|final-lap\s+|furious\s+|hard\s+)?"
                      r"(?:charge|challenge|bid|push|rally|surge)\s+(?:from|by)\s+)?$", re.I)
# "beat X" is the runner-up only as a race to the line, not "beat X out of the pits".
BEAT_TO_LINE = re.compile(r"^\s*(?:to\s+the\s+(?:finish\s+)?(?:line|checkered(?:\s+flag)?|stripe)|for\s+the\s+win|by\b)", re.I)


def runner_up_held_off(ctx: Context, sink: FactSink) -> None:
    """'Sauter ... held off Stewart Friesen for his fifth victory': the one the
    winner held off to win was second, when nothing else says who was."""
    if ctx.kind != "race" or not ctx.winner or sink.holders("finish_position", 2):
        return
    text = ctx.layout.view
    for info in ctx.sents[:8]:
        if ctx.is_past(info, info.sent.start, whole=True):
            continue
        win_sentence = any(c[0] == "WIN" for c in info.cues)
        for m in info.mentions:
            if m.name == ctx.winner or ctx.layout.in_quote(m.start):
                continue
            hm = HELD_OFF.search(text[max(info.sent.start, m.start - 40):m.start])
            to_line = bool(BEAT_TO_LINE.match(text[m.end:m.end + 30]))
            if hm and not to_line and (not win_sentence or not re.search(r"held|holding|holds|hold", hm.group(0), re.I)):
                continue  # "held off X" counts in a win sentence; "beat X" only to the line
            if hm and \
                    ctx.subject(info, before=m.start) == ctx.winner and sink.value_of("finish_position", m.name) is None:
                sink.add("finish_position", m.name, 2, (m.start, m.end), rule="position:held-off-by-winner")
                return


def runner_up_from_pole(ctx: Context, sink: FactSink) -> None:
    """'won the pole ... over Kyle Larson': Larson starts second, unless
    someone else is already second (a disallowed time moves people up)."""
    if ctx.kind == "practice" or not ctx.pole_driver or sink.holders("start_position", 2):
        return
    text = ctx.layout.view
    for info in ctx.sents:
        if not any(c[0] == "POLE" for c in info.cues) or any(c[0] == "NEGATION" for c in info.cues):
            continue
        if ctx.subject(info) != ctx.pole_driver:
            continue
        for m in info.mentions:
            if m.name == ctx.pole_driver:
                continue
            before = text[max(info.sent.start, m.start - 30):m.start]
            # "over X", "beat X"; in a qualifying report also "ahead of X" (of
            # a list, the first named): in a race report it is the finish.
            ahead = r"|ahead\s+of" if ctx.kind == "qualifying" else ""
            if re.search(r"\b(?:over|edged|edging|edge|topped|beat|beating" + ahead + r")\s+(?:[\w-]+\s+){0,1}$", before):
                sink.add("start_position", m.name, 2, (m.start, m.end), rule="position:beaten-by-pole")
                return


# "won stage 2", "won the pole position", "won the Coors Light Pole Award": not the race.
WIN_SKIP_AFTER = re.compile(r"^\s*(?:both\s+)?(?:stage|stages|the\s+(?:first|second|third|final)\s+stage|stage\s+\d"
                            r"|(?:the\s+|his\s+|her\s+|a\s+)?(?:[A-Z][\w’'-]*\s+){0,3}[Pp]ole\b)", re.I)


def find_winner(ctx: Context, sink: FactSink) -> None:
    """The race winner: the subject of a win phrase about this race."""
    if ctx.kind != "race":
        return
    text = ctx.layout.view
    for info in ctx.sents:
        for c in info.cues:
            if c[0] != "WIN":
                continue
            a, b = c[1], c[2]
            if ctx.layout.in_quote(a) or text[a - 1:a] in ("#", "@"):
                continue  # quotes and hashtags are not the report
            low = c[3].lower()
            if WIN_SKIP_AFTER.match(text[b:b + 30]) or re.search(r"stage\s*\d?\s*$", text[max(0, a - 10):a], re.I):
                continue
            if low == "race winner:":
                who = next((m.name for m in info.mentions if m.start >= b), None)
            else:
                if ctx.is_past(info, a, whole=True):
                    continue
                ca, cb = ctx.clause_bounds(info.sent, a)
                if ctx.other_track_in(info, ca, cb):
                    continue
                if re.match(r"\s*(?:in|at)\s+\d{4}", text[b:b + 10]):
                    continue
                if re.search(r"\b(?:hopes?|chance|seeking|quest|longed|trying|bid|attempt|looking|would|could|chances)\b(?:\s+\w+){0,2}\s+(?:to\s+)?$", text[max(ctx.layout.body_start, a - 40):a], re.I) and low in ("win", "winning", "victory"):
                    continue
                if re.search(r"\b(?:should|would|could)\s+have\s*$", text[max(0, a - 20):a], re.I) or text[b:b + 1] == ":" and low != "race winner:":
                    continue
                if low == "winner" and re.match(r"\s+of\b", text[b:b + 5]):
                    continue
                if low in ("winner",) and re.search(r"(?:’s|'s)\s*$", text[max(0, a - 10):a]) is None \
                        and not re.match(r"\s*:", text[b:b + 2]):
                    prev = [m for m in info.mentions if m.end <= a]
                    if not prev or a - prev[-1].end > 3:
                        continue
                # "Hamlin moved Larson out of the way and held on to win": the subject won.
                who = ctx.subject(info, before=a) or ctx.owner(info, a)
            if who:
                sink.add("finish_position", who, 1, (a, b), rule="position:winner")
                ctx.winner = ctx.winner or who
        if ctx.winner and info.sent.index > 6:
            break
