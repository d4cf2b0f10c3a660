"""Car numbers, teams and manufacturers, and whose they are."""
from __future__ import annotations

import re
from bisect import bisect_left

from .context import Context, SentInfo
from .facts_base import FactSink

CAR = re.compile(
    r"(?:\bNo\.\s?|\bNo\s(?=\d)|(?<=\s)no\.\s?(?=\d)|#|\(No\.\)\s*|\bNumber\s)(?P<num>\d{1,3}[A-Z]?)\b(?!\s*(?:seed|ranked|spot\b|starting spot|pick))",
)
PLURAL_MAKES = {"toyotas", "fords", "chevys", "chevies", "chevrolets", "dodges", "pontiacs", "tundras", "camrys",
                "mustangs", "camaros", "silverados", "buicks", "oldsmobiles", "mercurys", "f-150s"}
TEAM_DRIVER = re.compile(r"^\s*(?:driver|pilot|wheelman|racer)\b", re.I)
PAST_WINDOW = re.compile(r"\b(?:debut|in\s+(?:19|20)\d\d|last\s+year|years?\s+ago)\b", re.I)
CAR_BEFORE = re.compile(r"(?:No\.\s?|#)\d{1,3}\s+(?:[\w&.’'-]+\s+){0,5}$")


def _owner_of_vehicle(ctx: Context, info: SentInfo, a: int, b: int) -> str | None:
    """Whose car is the phrase at a..b? Possessives, 'his', 'for X' exclusion,
    'the No. 8 RCR driver' (the topic), then the usual owner rule."""
    text = ctx.layout.view
    s = info.sent
    before = text[max(s.start, a - 40):a]
    # "the No. 24 of William Byron", "the #24 Hendrick Motorsports Chevrolet of Byron"
    of = re.match(r"(?:\s+[\w&.’'-]+){0,4}?\s+of\s+(?:the\s+)?", text[b:min(s.end, b + 70)])
    if of:
        hit = next((mm for mm in info.mentions if mm.start == b + of.end()), None)
        if hit is not None:
            return hit.name
    # "the No. 8 RCR driver", "driver of the No. 78": the person being talked about.
    after = text[b:min(s.end, b + 60)]
    m = re.match(r"^(?:\s+[A-Z][\w&.-]*){0,4}\s+driver\b", after)
    if (m or re.search(r"\bdriver\s+of\s+the\s*(?:[\w’'.-]+\s+){0,4}$", before, re.I)) and not ctx.adjacent_before(info, a):
        rel = ctx.relative_owner(info, a)
        if rel:
            return rel.name
        prev = [mm for mm in info.mentions if mm.end <= a and not ctx.is_object(mm, s)]
        if prev:
            return prev[-1].name
        return info.topic_before
    if re.search(r"\bDriver\s*$", before) and not [mm for mm in info.mentions if mm.end <= a]:
        return info.topic_before
    # "Kenseth's No. 20", "Stewart's orange No. 20"
    prev = [mm for mm in info.mentions if mm.end <= a]
    if prev:
        gap = text[prev[-1].end:a]
        if re.fullmatch(r"[’']s?\s+(?:[\w&.-]+\s+){0,6}", gap):
            return prev[-1].name
    if re.search(r"\b(?:his|her)\s+(?:[\w&.’'-]+\s+){0,4}$", before, re.I):
        return ctx.owner(info, a)
    if re.search(r"\bthe\s*$", before) and prev and not ctx.layout.in_quote(prev[-1].start):
        return prev[-1].name
    return ctx.owner(info, a)


def _excluded_for(ctx: Context, info: SentInfo, b: int) -> set[str]:
    """'the No. 88 ... Chevrolet for Dale Earnhardt Jr., Bowman': not Dale Jr."""
    text = ctx.layout.view
    out = set()
    m = re.match(r"(?:\s+[\w&.’'-]+){0,5}?\s+for\s+", text[b:b + 80])
    if m:
        for mm in info.mentions:
            if b + m.end() - 1 <= mm.start <= b + m.end() + 1:
                out.add(mm.name)
    return out


def extract_cars(ctx: Context, info: SentInfo, sink: FactSink) -> None:
    s = info.sent
    text = ctx.layout.view
    for m in CAR.finditer(text, s.start, s.end):
        a, b = m.start(), m.end()
        if ctx.layout.in_quote(a):
            continue
        if re.match(r"\s*(?:-|–)\s*[A-Z]", text[b:b + 4]):
            continue  # results lists are read elsewhere
        if re.search(r"\b(?:race|round|event|stage|week|lap|heat|game)\s*$", text[max(s.start, a - 8):a], re.I):
            continue  # "Race Number 19", "Round No. 3": an ordinal of the season, not a car
        if re.search(r"\bfrom\s+the\s*$", text[max(s.start, a - 10):a]) and re.match(r"\s+to\s+the\s+No", text[b:b + 12]):
            continue  # "moved from the No. 4 to the No. 8": the ride he left
        num = m.group("num")
        excluded = _excluded_for(ctx, info, b)
        # "the Norm Benning-owned No. 57": the name before "-owned" owns it, not drives it.
        for mm in info.mentions:
            if mm.end <= a and re.fullmatch(r"(?:[’']s)?[- ](?:owned|co-owned|fielded|prepared)\s+(?:the\s+)?", text[mm.end:a], re.I):
                excluded.add(mm.name)
        who = _owner_of_vehicle(ctx, info, a, b)
        if who in excluded:
            alt = [mm for mm in info.mentions if mm.start > b and mm.name not in excluded]
            who = alt[0].name if alt else None
        if who:
            sink.add("car_number", who, num, (a, b), rule="car:number-phrase")


def _spans_in(ctx: Context, key: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(start_char, end_char, label) of the doc's ``key`` spans starting in
    [start, end), in span-group order. Built once per article: walking the whole
    span group for every sentence was quadratic in a long article."""
    cache = ctx.__dict__.setdefault("_span_rows", {})
    if key not in cache:
        rows = [(sp.start_char, sp.end_char, sp.label_) for sp in ctx.doc.spans.get(key, [])]
        at = [r[0] for r in rows]
        cache[key] = (rows, at, all(a <= b for a, b in zip(at, at[1:])))
    rows, at, ordered = cache[key]
    if ordered:
        return rows[bisect_left(at, start):bisect_left(at, end)]
    return [r for r in rows if start <= r[0] < end]


def extract_teams_and_makes(ctx: Context, info: SentInfo, sink: FactSink, event_spans: list[tuple[int, int]]) -> None:
    s = info.sent
    text = ctx.layout.view
    doc = ctx.doc
    items = []
    for ftype, key in (("team", "teams"), ("manufacturer", "makes")):
        items.extend((ftype, a, b, label) for a, b, label in _spans_in(ctx, key, s.start, s.end))
    seen = ctx.__dict__.setdefault("_org_seen", set())
    for ftype, a, b, value in items:
        if any(x <= a < y for x, y in event_spans):
            continue
        if ftype == "manufacturer" and re.match(r"\s+(?:Championship|Performance|Motorsports|Racing|Field|Center|Stadium)", text[b:b + 14]):
            continue
        # "Toyotas dominated the speed charts": a plural make speaks of many
        # cars; it belongs to drivers only as "the Toyotas of A and B" or
        # "led the Fords".
        if ftype == "manufacturer" and re.search(r"(?:s|ies)$", text[a:b]) and not re.match(r"\s+of\s", text[b:b + 5]) \
                and not re.search(r"\b(?:led|leads|lead|leading|top|best|fastest|quickest)\s+(?:of\s+)?(?:all\s+)?(?:the\s+)?$",
                                  text[max(s.start, a - 25):a], re.I) \
                and text[a:b].lower() in PLURAL_MAKES:
            continue
        if ftype == "manufacturer" and (PAST_WINDOW.search(text[b:min(s.end, b + 45)])
                                        or re.search(r"\blike\s+(?:the|a|an)\s*$", text[max(s.start, a - 12):a])):
            continue
        if re.search(r"\b(?:19|20)\d\d\s+$", text[max(s.start, a - 6):a]):
            continue
        # "who drove for Joe Gibbs Racing until 2022", "his former team": not this weekend's team.
        if re.search(r"\b(?:former|ex-|old|previous|once)\s*(?:[\w-]+\s+)?$", text[max(s.start, a - 20):a], re.I):
            continue
        # "who drove for Joe Gibbs Racing until 2022": a past ride, dated.
        if re.search(r"\b(?:drove|raced|ran|competed|drove\s+full-time)\s+for\s+$", text[max(s.start, a - 25):a]) and \
                re.match(r"\s+(?:until|through|from|in|between)\s+(?:19|20)\d\d", text[b:b + 20]):
            continue
        if ctx.layout.in_quote(a):
            who = _speaker(ctx, info, a)
            if who is None:
                continue
            owners = [who]
        else:
            owners = _owners_of_org(ctx, info, a, b, ftype)
        val = _team_value(text[a:b]) if ftype == "team" else value
        for who in owners:
            # One team per driver: "Trackhouse Racing Team" then "Trackhouse" is one fact.
            if (ftype, who, value) in seen:
                continue
            seen.add((ftype, who, value))
            sink.add(ftype, who, val, (a, b), rule="entity:" + ("team" if ftype == "team" else "make") + "-phrase")


def _team_value(text: str) -> str:
    return re.sub(r"[’']s$", "", text.strip())


# Nothing but "The" before it, or a dateline ("MARTINSVILLE, Va. — ").
_SENTENCE_HEAD = re.compile(r"\s*(?:[A-Z][A-Z.' ]+(?:,\s*[A-Z][A-Za-z.]*)?\s*(?:—|–|--|-)\s*)?(?:[Tt]he\s+)?")


def _owners_of_org(ctx: Context, info: SentInfo, a: int, b: int, ftype: str) -> list[str]:
    text = ctx.layout.view
    s = info.sent
    after = text[b:min(s.end, b + 120)]
    before = text[max(s.start, a - 60):a]
    # "Joe Gibbs Racing's Busch", "GMS Racing's Johnny Sauter"
    if re.match(r"[’'](?:s)?\s", after):
        nxt = [m for m in info.mentions if b < m.start <= b + 4]
        if nxt:
            return [nxt[0].name]
    # "Ford driver Brad Keselowski", "Team Penske driver Joey Logano": the
    # name right after the role noun; "Ford drivers Logano and Blaney": all
    # of the names joined to it.
    dm = re.match(r"\s+(?P<role>driver|pilot|racer|rookie|veteran|drivers|pilots|racers)(?:\s*[–—:-]\s*|\s+)", after, re.I)
    if dm:
        names, end = [], b + dm.end()
        for m in info.mentions:
            if m.start < end:
                continue
            if m.start > end + 1 and not (names and re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", text[end:m.start])):
                break
            names.append(m.name)
            end = m.end
            if not dm.group("role").lower().endswith("s"):
                break  # one driver for "driver", every joined name for "drivers"
        if names:
            return names
    # "The Toyotas of A, B, C and D"
    if ftype == "manufacturer" and (re.match(r"s\s+of\s+", after) or
                                    (text[b - 1:b] == "s" and re.match(r"\s+of\s+", after))):
        names = []
        for m in info.mentions:
            if m.start > b:
                gap = text[(names[-1][1] if names else b):m.start]
                if names and not re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", gap):
                    break
                names.append((m.name, m.end))
        return [n for n, _ in names]
    # "his Joe Gibbs Racing teammates A and B", "Bowyer, his RCR teammate"
    tm = re.match(r"\s+teammates?\b", after)
    if tm:
        out = []
        # The subject shares the team only when the sentence names one before
        # it ("Hamlin and his JGR teammate Truex"), not a topic carried over.
        # The subject shares the team only when the sentence names one before
        # it ("Hamlin and his JGR teammate Truex") or says "his": "Hendrick
        # Motorsports teammates Byron and Elliott were third" says nothing of
        # the driver the last sentence was about.
        subj = ctx.owner(info, a, allow_after=False) if (
            any(m.end <= a for m in info.mentions) or re.search(r"\b(?:his|her)\s+$", before, re.I)) else None
        if subj:
            out.append(subj)
        for m in info.mentions:
            if b + tm.end() <= m.start <= b + tm.end() + 60:
                out.append(m.name)
        prev = [m for m in info.mentions if m.end <= a]
        if prev and re.search(r",\s*(?:his|her)\s*$", before):
            out.append(prev[-1].name)
        return list(dict.fromkeys(out))
    # "Joey Logano of Team Penske", "Bell and Hamlin, both of Joe Gibbs Racing"
    if re.search(r",?\s*both\s+of\s*$", before):
        prev = [m for m in info.mentions if m.end <= a]
        if len(prev) >= 2:
            return [prev[-2].name, prev[-1].name]
    if re.search(r"\bof\s*$", before):
        prev = [m for m in info.mentions if m.end <= a]
        if prev and a - prev[-1].end <= 5:
            return [prev[-1].name]
    # "the Stewart-Haas Racing driver", "the Hendrick Motorsports driver"
    if re.match(r"\s+(?:driver|pilot|racer)\b", after) and re.search(r"\bthe\s*(?:\d{4}\s+)?$", before):
        if re.search(r"\b\d{4}\s*$", before):
            return []
        rel = [m for m in info.mentions if m.end <= a and a - m.end < 8]
        if rel:
            return [rel[-1].name]
        return [info.topic_before] if info.topic_before else []
    if not info.mentions and not re.search(r"\b(?:his|her|their)\s+(?:[\w&.’'-]+\s+){0,4}$", before, re.I) \
            and not CAR_BEFORE.search(before) \
            and not re.match(r"(?:\s+[\w&.-]+){0,3}\s+(?:driver|entry|car|truck)\b", after):
        return []  # "significant for JR Motorsports": about the team, not a driver
    # "Hendrick Motorsports swept the front row, with ...", "Toyota took the
    # top three spots": the organisation is the sentence's subject and its
    # verb follows; the sentence is about the team or make, not one driver's
    # car.
    if _SENTENCE_HEAD.fullmatch(text, s.start, a) and re.match(
            r"\s+(?:[a-z]+ed|had|has|was|is|were|are|swept|took|put|won|got|made|will|would|could|did|ran|saw)\b", after):
        return []
    excluded = _excluded_for(ctx, info, b)
    who = _owner_of_vehicle(ctx, info, a, b)
    if who in excluded:
        alt = [m for m in info.mentions if m.start > b and m.name not in excluded]
        who = alt[0].name if alt else None
    return [who] if who else []


def _speaker(ctx: Context, info: SentInfo, pos: int) -> str | None:
    """The driver a quotation is attributed to ('... said Allgaier', 'Gray said')."""
    text = ctx.layout.view
    q = next(((a, b) for a, b in ctx.layout.quotes if a <= pos < b), None)
    if q is None:
        return None
    tail = text[q[1]:q[1] + 80]
    head = text[max(0, q[0] - 80):q[0]]
    for m in ctx.mentions:
        if q[1] <= m.start <= q[1] + 60 and re.search(r"\bsaid|says|added|told\b", tail[:m.start - q[1] + 20], re.I):
            return m.name
        if q[0] - 60 <= m.end <= q[0] and re.search(r"\bsaid|says|added\b", head, re.I):
            return m.name
    # Multi-paragraph quotes: the attribution is on an earlier paragraph.
    later = [m for m in ctx.mentions if q[1] <= m.start <= q[1] + 30]
    if later and re.search(r"said|says", text[q[1]:later[0].end + 12]):
        return later[0].name
    return None
