"""The event an article is about: series, track, race name, season, dates."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from functools import lru_cache

from spacy.tokens import Doc

from .dates import parse_date
from .models import DateMention, Event, VenueMention
from .reference import Reference
from .resources import read_json
from .text import Layout

MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
WEEKDAY = r"(?:Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday)"
FULL_DATE = re.compile(rf"\b{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d\b")
# (?!(?<=\s)\s): no match starts inside a run of spaces. One starting at the
# run's first space takes the whole run anyway, and trying every later space
# again (each with backtracking over the rest) was cubic in the run's length.
DATE_PHRASE = re.compile(
    rf"(?!(?<=\s)\s)(?P<wd>{WEEKDAY})?(?:[’']s)?(?:\s*(?:night|afternoon|morning|evening))?"
    rf"(?:\s*[,(]\s*|\s+)?(?P<md>{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d\d)?)\)?"
    rf"|(?P<wd2>{WEEKDAY})(?:[’']s)?(?:\s+(?:night|afternoon|morning|evening)[’']s)?",
)
_MONTH_STEMS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Sponsor names run long and hold small words: "WinStar World Casino and
# Resort 400", "Bank of America Roval 400". A small word may stand inside a
# name, never first (the cleaner drops leading ones).
EVENT_NAME = re.compile(
    r"(?P<name>(?:(?<![\w’'&./-])(?:[A-Z][\w’'&./-]*|&|(?:and|of|of[ \t]+the|at[ \t]+the|de|on)(?=[ \t]+[A-Z&]))[ \t]+){0,8}?(?:[A-Z][\w’'&./-]*)[ \t]+\d{2,3}"
    r"(?:[ \t]+(?:at|presented[ \t]+by)[ \t]+(?:the|The)[ \t]+[A-Z][a-z]+)?)(?![\d,.]?\d)"
)


@lru_cache(maxsize=1)
def _named_race() -> re.Pattern:
    """Race names without a distance ("Go Bowling at The Glen", "the Clash"), from the lexicon."""
    names = sorted(read_json("lexicon.json").get("event_names", []), key=len, reverse=True)
    alt = "|".join(re.escape(n) for n in names) or "(?!)"
    return re.compile(rf"\b(?P<name>{alt})\b|\bthe\s+(?P<night>(?:[A-Z][\w’'&.-]*\s+){{1,5}}Night\s+Race)\b")


@lru_cache(maxsize=1)
def _event_lex() -> dict:
    lex = read_json("lexicon.json")
    return {
        "not_events": {s.lower() for s in lex.get("not_events", [])},
        "event_prefixes": [p.lower() for p in lex.get("event_prefixes", [])],
    }


def find_series(doc: Doc, layout: Layout, lexicon=None) -> str | None:
    """The series with the most weight of mentions: a name followed by
    'race', 'pole', 'season' votes strongly, one followed by 'driver' or
    'star' weakly, one in the lede a little more."""
    cfg = (lexicon.raw if lexicon is not None else read_json("lexicon.json")).get("series_context", {})
    strong = "|".join(re.escape(w) for w in cfg.get("strong_after", [])) or "(?!)"
    weak = "|".join(re.escape(w) for w in cfg.get("weak_after", [])) or "(?!)"
    strong_rx = re.compile(rf"\s*(?:{strong})\b")
    weak_rx = re.compile(rf"\s*(?:{weak})\b")
    score: Counter = Counter()
    first: dict[str, int] = {}
    for span in doc.spans.get("series", []):
        after = layout.view[span.end_char:span.end_char + 20].lower()
        if re.match(r"\s\d{3}\b(?!\s*(?:laps|miles|points|cars|drivers|entries|starts|races|wins))", after):
            continue  # "the Xfinity 500": a race named for a sponsor, not a series
        w = 1.0
        if weak_rx.match(after):
            w = cfg.get("weak_weight", 0.25)
        elif strong_rx.match(after):
            w = cfg.get("strong_weight", 2.0)
        if span.start_char < cfg.get("lede_chars", 400):
            w += cfg.get("lede_bonus", 0.5)
        score[span.label_] += w
        first.setdefault(span.label_, span.start_char)
    if not score:
        return None
    return max(score, key=lambda k: (score[k], -first[k]))


def find_track(doc: Doc, layout: Layout, ref: Reference) -> tuple[str | None, tuple[int, int] | None, list]:
    score: Counter = Counter()
    first: dict[str, tuple[int, int]] = {}
    spans = []
    text = layout.view
    for span in doc.spans.get("tracks", []):
        if layout.in_quote(span.start_char):
            continue
        before = text[max(0, span.start_char - 45):span.start_char].lower()
        after = text[span.end_char:span.end_char + 25].lower()
        w = 1.0
        lede = layout.sentences[0].end if layout.sentences else 0
        if re.search(r"\b(?:a|his|her|their|the)\s+(?:\w+\s+)?(?:win|victory)\s+at\s+(?:the\s+)?$", before) or span.start_char > lede and re.search(r"\b(?:won|win|wins|victory|winner|victories)\b[^.]{0,25}\bat\s+(?:the\s+)?$|last\s+\w+\s+at\s+$|\bheads\s+to\s+$|\bnext\s+at\s+$|\bsince\s+a\s+victory\s+at\s+$|\breturns?\s+(?:to\s+action\s+)?(?:at|to)\s+$|\bnext\s+(?:race|stop|week)\b[^.]{0,20}$|\bmoves?\s+on\s+to\s+$", before):
            w = 0.2
        if re.match(r"\s*(?:winner|in\s+(?:19|20)\d\d|last|earlier|next)", after):
            w = 0.2
        if span.start_char < 600:
            w += 0.3
        score[span.label_] += w
        first.setdefault(span.label_, (span.start_char, span.end_char))
        spans.append(span)
    if not score:
        return None, None, []
    best = max(score, key=lambda k: (score[k], -first[k][0]))
    return best, first[best], spans


def find_event_name(doc: Doc, layout: Layout, ref: Reference) -> tuple[str | None, tuple[int, int] | None]:
    text = layout.view
    lex = _event_lex()
    series_words = {a.lower() for a in ref.lexicon.series}
    cands: Counter = Counter()
    first: dict[str, tuple[int, int]] = {}
    named = _named_race()
    for rx in (EVENT_NAME, named):
        for m in rx.finditer(text, layout.body_start):
            if layout.in_quote(m.start()):
                continue
            g = "name" if m.group("name") else "night"
            name, a = _clean_name(m.group(g), m.start(g), series_words, lex)
            if not name:
                continue
            num = re.search(r"(\d{2,3})(?:\s+(?:at|presented)|$)", name)
            if rx is EVENT_NAME and (not num or not (100 <= int(num.group(1)) <= 1000)):
                continue
            if name.lower() in lex["not_events"] or len(name) < 5:
                continue
            if re.search(r"\b(?:Series|Cup|NASCAR)\b", name) and not re.search(r"\d", name):
                continue
            cands[name] += 1
            first.setdefault(name, (a, a + len(name)))
    if not cands:
        return None, None
    best = max(cands, key=lambda k: (cands[k], -first[k][0]))
    return best, first[best]


def _clean_name(name: str, start: int, series_words: set[str], lex: dict) -> tuple[str | None, int]:
    # "Phoenix and the Ally 400": the name starts after the last "and the".
    cut = max(name.rfind(" and the "), name.rfind(" and The "))
    if cut >= 0:
        start += cut + len(" and the ")
        name = name[cut + len(" and the "):]
    words = name.split()
    drop = {"the", "at", "of", "for", "and", "in", "a", "nascar", "sunday’s", "saturday’s", "friday’s", "sunday's",
            "saturday's", "friday's", "monday’s", "monday's", "annual", "race", "–", "-", "&", "this", "next",
            "last", "year’s", "year's", "series", "cup", "xfinity", "truck", "tonight’s", "tonight's"}
    while words:
        w0 = words[0]
        if len(words) == 2 and re.fullmatch(r"\d{2,4}", words[1]) and w0[:1].isupper() \
                and w0.lower() in {"xfinity", "cup", "truck", "nascar"}:
            break  # "the Xfinity 500": the sponsor is the series' own, and the name is both words
        # "Truck Series' Lucas Oil 150": a series name, possessive or not, is no part of the race's name.
        joined = " ".join(re.sub(r"(?:[’']s?)$", "", w) for w in words).lower()
        hit = next((sw for sw in sorted(series_words, key=len, reverse=True) if joined.startswith(sw + " ")), None)
        if hit:
            cut = len(hit.split())
            start += len(" ".join(words[:cut])) + 1
            words = words[cut:]
            continue
        # A leading preposition is the sentence's ("In Sunday's Ally 400"),
        # unless the name goes on without another droppable word after it
        # ("In It To Win It 200").
        prep = w0.lower() in ("in", "at", "of", "for", "and", "on") and len(words) > 2 \
            and words[1].lower() not in drop and words[1][:1].isupper() and not words[1].endswith(("’s", "'s"))
        if (w0.lower() in drop and not (prep and w0[:1].isupper())) or re.fullmatch(r"(?:19|20)\d\d|\d+(?:st|nd|rd|th)|[A-Z]+:", w0) \
                or w0.lower() in {p for p in lex["event_prefixes"]}:
            start += len(w0) + 1
            words = words[1:]
            continue
        break
    if not words or re.fullmatch(r"\d+", words[0]):
        return None, start
    return " ".join(words), start


def reference_date(layout: Layout) -> dt.date | None:
    if layout.published:
        return dt.date.fromisoformat(layout.published)
    # A byline date or a tweet signature near the top: the article's own date.
    for m in FULL_DATE.finditer(layout.view[:600]):
        d = parse_date(m.group(0))
        if d:
            return d.date()
    for m in re.finditer(rf"[—–-]\s*[^\n]{{0,60}}\(@\w+\)\s+({MONTHS}\s+\d{{1,2}},\s+\d{{4}})", layout.view):
        d = parse_date(m.group(1))
        if d:
            return d.date()
    return None


def _resolve(md: str | None, wd: str | None, base: dt.date | None, future: bool, stated_year: int | None) -> dt.date | None:
    if md:
        has_year = re.search(r"(?:19|20)\d\d", md)
        if not has_year and base is None and stated_year is None:
            return None
        year = stated_year or (int(has_year.group(0)) if has_year else None)
        rb = dt.datetime.combine(base, dt.time()) if base else dt.datetime(year, 7, 1)
        clean = re.sub(r"(\d)(?:st|nd|rd|th)", r"\1", md)
        d = parse_date(clean, rb)  # = dateparser.parse(clean, RELATIVE_BASE rb, PREFER_DATES_FROM current_period)
        if d and not has_year and stated_year and base is None:
            d = d.replace(year=stated_year)
        return d.date() if d else None
    if wd and base:
        target = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].index(wd.lower())
        delta = (target - base.weekday()) % 7
        if future:
            return base + dt.timedelta(days=delta)
        return base - dt.timedelta(days=(7 - delta) % 7)
    return None


_QUAL_WORDS = re.compile(r"qualif|pole|knockout|top spot|fastest")
_RACE_WORDS = re.compile(r"\brace\b|\b[a-z]+ [1-6]\d0\b|\bwon\b|\bwin\b|victory|captured|coverage|green flag|finale|\bended\b")


SESSION_BEFORE = re.compile(r"\b(practice|qualifying|race)\s+(?:(?:is|was|will\s+be|are|were|begins|began|starts|started|"
                            r"runs|ran|(?:is\s+|was\s+)?(?:set|scheduled|slated)\s+for)\s+)?(?:on\s+)?$", re.I)


@lru_cache(maxsize=1)
def _tense_rx() -> tuple[re.Pattern, re.Pattern]:
    marks = read_json("lexicon.json").get("tense_markers", {})

    def alt(key: str) -> str:
        words = sorted(marks.get(key, []), key=len, reverse=True)
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) or "(?!)"

    anywhere = re.compile(rf"(?<![\w’'])(?:(?P<future>{alt('future')})|(?P<past>{alt('past')}))(?!\w)", re.I)
    adjacent = re.compile(rf"(?<![\w’'])(?:(?P<future>{alt('future_next_to_the_day')})|(?P<past>{alt('past_next_to_the_day')}))"
                          r"\s+(?:the\s+|this\s+)?$", re.I)
    return anywhere, adjacent


def _tense_before(sentence: str, pos: int) -> str | None:
    """'future' or 'past' by the last tense marker before ``pos`` in its clause."""
    anywhere, adjacent = _tense_rx()
    m = adjacent.search(sentence[max(0, pos - 30):pos])
    if m:
        return "future" if m.group("future") else "past"
    a = max(sentence.rfind(",", 0, pos), sentence.rfind(";", 0, pos), sentence.rfind("—", 0, pos),
            sentence.rfind("(", 0, pos))
    last = None
    for m in anywhere.finditer(sentence, a + 1, pos):
        last = m
    if last is None:
        return None
    return "future" if last.group("future") else "past"


def _session_by_words(near: str, kind: str) -> str | None:
    """The session a date belongs to by the session words around it. With
    words of both kinds near ("won the race on Sunday after qualifying
    third", "won the pole for the race at Phoenix on Saturday"), the
    article's own kind decides."""
    q, r = bool(_QUAL_WORDS.search(near)), bool(_RACE_WORDS.search(near))
    if q and r:
        return "race" if kind == "race" else "qualifying"
    return "qualifying" if q else "race" if r else None


def find_dates(layout: Layout, season: int | None, kind: str,
               base: dt.date | None) -> tuple[str | None, str | None, list[DateMention]]:
    text = layout.view
    mentions: list[DateMention] = []
    qual = race = None
    for s in layout.sentences:
        if s.start < layout.body_start:
            continue
        # Every match names a month or a weekday (all end in "day"); the regex is
        # case-sensitive, so plain substring tests are exact.
        if "day" not in s.text and not any(mo in s.text for mo in _MONTH_STEMS):
            continue
        for m in DATE_PHRASE.finditer(s.text):
            a = s.start + m.start()
            if layout.in_quote(a):
                continue
            wd = m.group("wd") or m.group("wd2")
            md = m.group("md")
            clause = s.text
            low = clause.lower()
            around = s.text[max(0, m.start() - 80):m.end() + 80].lower()
            if re.search(r"\b(?:next|last)\s+$", s.text[max(0, m.start() - 6):m.start()].lower()):
                continue
            if re.search(r"\binstead of\b|\bheads to\b|\bnext\b|\binaugural\b", around):
                continue
            if re.search(r"\bwas held\b[^.]{0,40}\b(?:19|20)\d\d\b", around):
                continue  # "the first race was held on May 5, 1990": another year's event
            role = None
            # "Drydene 200 – Saturday, August 22, 2020": a results header
            # names the race and its date on one short line.
            if re.search(r"[A-Z][\w’']*\s+\d{2,3}\s*[–—-]\s*$", s.text[:m.start()]) and md:
                role = "race"
            elif len(re.findall(r"[A-Za-z]+", s.text)) - len(re.findall(r"[A-Za-z]+", m.group(0))) < 5 and (
                    md or re.search(r"\b(?:a\.?m|p\.?m|published|updated|posted)\b", s.text, re.I)):
                continue  # a byline or archive date line, not a date in the story
            near = s.text[max(0, m.start() - 60):m.end() + 40].lower()
            # "Sunday's Ally 400", "Friday's practice": the possessive names the session.
            poss = m.group(0).endswith(("’s", "'s"))
            head = None if role else re.match(r"(?:[’']s)?\s+((?:[\w&’'./-]+\s+){0,7}?)(race|event|\d{3}\b|qualifying|knockout|practice|session)",
                            s.text[m.end():m.end() + 90].lower() if not md else "")
            if head and not poss and not s.text[m.end():m.end() + 2] in ("’s", "'s"):
                head = None
            if head:
                role = {"qualifying": "qualifying", "knockout": "qualifying", "practice": "practice",
                        "session": None}.get(head.group(2), "race")
            if role is None and re.search(r"\bfor\s+$", s.text[max(0, m.start() - 5):m.start()].lower()):
                role = "race"
            if role is None:
                # "Practice is Thursday and qualifying Friday": the session word
                # right before the day is its session, whatever else is near.
                sw = SESSION_BEFORE.search(s.text[max(0, m.start() - 40):m.start()])
                if sw:
                    role = {"practice": "practice", "qualifying": "qualifying"}.get(sw.group(1).lower(), "race")
            if role is None:
                role = _session_by_words(near, kind)
            if re.search(r"practice", near) and role is None:
                role = "practice"
            if kind == "race" and role is None:
                role = "race"
            # "Saturday's qualifying was rained out": no session ran that day.
            if role == "qualifying" and re.search(r"\b(?:cancel(?:l)?ed|rained\s+out|washed\s+out|scrubbed|rainout|called\s+off)\b", near):
                role = None
            future = role == "race" and kind != "race"
            if not md and not re.search(r"\bfor\s+(?:the\s+)?$", s.text[max(0, m.start() - 9):m.start()], re.I):
                # The clause's tense, where it says: "qualifying is Friday" is
                # ahead of a Wednesday preview, "finished third on Friday night"
                # behind a Sunday report, whatever kind the article was taken for.
                # ("won the pole for Sunday's race": the race it is for keeps
                # the article's reading.)
                tense = _tense_before(s.text, m.start())
                if tense is not None:
                    future = tense == "future"
            date = _resolve(md, wd, base, future, season)
            mentions.append(DateMention(text=text[a:s.start + m.end()], span=(a, s.start + m.end()),
                                        date=date.isoformat() if date else None, weekday=wd, role=role))
    mentions.extend(_relative_days(layout, base, kind))
    mentions.sort(key=lambda dm: dm.span[0])
    for dm in mentions:
        if dm.date is None:
            continue
        if dm.role == "qualifying" and qual is None:
            qual = dm.date
            if kind == "qualifying" and re.search(r"\d", dm.text) and race is None and \
                    re.search(r"\b\d{3}\b\s+at\s+[^.]{0,40}$", text[max(0, dm.span[0] - 60):dm.span[0]]):
                race = dm.date
        elif dm.role == "race" and race is None:
            race = dm.date
    if kind == "race":
        qual = None if not any(dm.role == "qualifying" and dm.date for dm in mentions) else qual
    if kind == "practice":
        qual = qual if any(dm.role == "qualifying" for dm in mentions) else None
    return qual, race, mentions


@lru_cache(maxsize=1)
def _relative_rx() -> tuple[re.Pattern, dict[str, int]]:
    days = {k.lower(): int(v) for k, v in read_json("lexicon.json").get("relative_days", {}).items()
            if not k.startswith("_")}
    alt = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(days, key=len, reverse=True)) or "(?!)"
    return re.compile(rf"\b(?P<rel>{alt})(?P<poss>[’']s)?(?![\w-])", re.I), days


SESSION_HEAD = re.compile(r"\s*((?:[\w&’'./-]+\s+){0,7}?)(race|event|\d{3}\b|qualifying|knockout|practice|session|pole)", re.I)


def _relative_days(layout: Layout, base: dt.date | None, kind: str) -> list[DateMention]:
    """'tonight's race', 'qualifying is tomorrow', 'won the pole today': a
    session dated from the article's own date. Only a possessive or a
    session word next to it gives the role; quotes are not the report."""
    if base is None:
        return []
    rx, days = _relative_rx()
    out = []
    text = layout.view
    for s in layout.sentences:
        if s.start < layout.body_start:
            continue
        for m in rx.finditer(text, s.start, s.end):
            a = m.start()
            if layout.in_quote(a):
                continue
            role = None
            after = text[m.end():min(s.end, m.end() + 90)]
            near = text[max(s.start, a - 60):min(s.end, m.end() + 40)].lower()
            head = SESSION_HEAD.match(after) if m.group("poss") else None
            if head:
                role = {"qualifying": "qualifying", "knockout": "qualifying", "pole": "qualifying",
                        "practice": "practice", "session": None}.get(head.group(2).lower(), "race")
            elif re.search(r"qualif|\bpole\b|knockout", near):
                role = "qualifying"
            elif re.search(r"\brace\b|green flag|\bwon\b|\bwins?\b|victory|checkered", near):
                role = "race"
            elif re.search(r"practice", near):
                role = "practice"
            if role is None:
                continue
            d = base + dt.timedelta(days=days[re.sub(r"\s+", " ", m.group("rel").lower())])
            out.append(DateMention(text=text[a:m.end()], span=(a, m.end()), date=d.isoformat(), role=role))
    return out


def find_season(layout: Layout, base: dt.date | None) -> int | None:
    if base:
        return base.year
    # "The 2023 NASCAR Cup Series Ally 400": a year written into the race's name.
    m = re.search(r"\b((?:19[5-9]|20[0-4])\d)\s+(?:NASCAR|Monster|Sprint|Nextel|Xfinity|Cup|Daytona|[A-Z][\w’']+\s+\d{3}\b)", layout.view[:800])
    if m:
        return int(m.group(1))
    return None


def build_event(doc: Doc, layout: Layout, ref: Reference, kind: str | None = None,
                published: str | None = None) -> tuple[Event, str]:
    series = find_series(doc, layout, ref.lexicon)
    track, tspan, tspans = find_track(doc, layout, ref)
    if kind is None:
        kind = article_kind(layout, track)
    name, nspan = find_event_name(doc, layout, ref)
    if series is None:
        series = "Cup" if (name or track) else None
    base = reference_date(layout)
    season = find_season(layout, base)
    try:
        qual, race, dates = find_dates(layout, season, kind, base)
    except (ValueError, TypeError, OverflowError):
        qual, race, dates = None, None, []  # an unreadable date must not cost the record
    ev = Event(published=published or layout.published, series=series, track=track, event_name=name,
               qualifying_date=qual, race_date=race, season=season, track_span=tspan, event_name_span=nspan,
               dates=dates)
    # Tracks named as this race's venue: "The Xfinity Series race at X".
    text = layout.view
    for span in tspans:
        before = text[max(0, span.start_char - 40):span.start_char]
        if re.search(r"\b(?:Series|Cup)\s+race\s+at\s+$|\bthe\s+race\s+(?:at|took\s+place\s+at)\s+$", before):
            ev.venues.append(VenueMention(track=span.label_, span=(span.start_char, span.end_char), text=span.text))
    m = re.search(r"\bthe\s+(\d?\.\d{1,3}|\d(?:\.\d{1,3})?|one|two|half|quarter)[-\s]mile(?:-long)?\s+(?:[a-z-]+\s+)?(?:track|oval|speedway|superspeedway|road course|circuit|layout|distance|tri-oval|intermediate)\b", text, re.I)
    if m:
        word = {"one": 1.0, "two": 2.0, "half": 0.5, "quarter": 0.25}
        raw = m.group(1).lower()
        ev.stated_length = word.get(raw) or float(raw)
        ev.stated_length_span = (m.start(1), m.end())
    return ev, kind


# Words that mark each kind of article, one alternation per kind as named
# groups of one regex, so the text is scanned once for all three (the kinds
# share no words, so the counts are those of three separate scans).
_KIND_WORDS = re.compile("|".join(f"(?P<{k}>{rx})" for k, rx in {
    "practice": r"\bpractice\b|\bhappy hour\b|\bquickest\b|atop the (?:boards|charts)|on the charts|speed chart",
    "qualifying": r"\bqualif\w*|\bpole\b|polesitter|pole-sitter|\bpole position|\bfront row\b",
    "race": r"\bwon\b|\bwins?\b|\bvictory\b|\bfinished\b|checkered|\bcautions?\b|lead changes|\bled\s+\d+|victory lane|"
            r"rounding out the top|rounded out the top",
}.items()))


def _kind_counts(text: str) -> dict[str, int]:
    counts = {"practice": 0, "qualifying": 0, "race": 0}
    # Lower-cased text and a case-sensitive regex of lower-case words: the
    # same matches, 1.7 times faster than re.I over every position.
    for m in _KIND_WORDS.finditer(text.lower()):
        counts[m.lastgroup] += 1
    return counts


def article_kind(layout: Layout, track: str | None = None) -> str:
    text = re.sub(r"\b(?:wins?|won|victory)\s+at\s+(?!" + re.escape(track or "~") + r")[A-Z]\w+", "", layout.view)
    head = " ".join(s.text for s in layout.sentences[:3])
    body, hd = _kind_counts(text), _kind_counts(head)
    scores = {k: body[k] + 3 * hd[k] for k in body}
    lede = layout.sentences[0].text if layout.sentences else ""
    lede = re.sub(r"\b(?:wins?|won|victory)\s+at\s+(?!" + re.escape(track or "~") + r")[A-Z]\w+", "", lede)
    # "Heim, who won the pole on Friday, finished third": a relative clause is
    # background; the main clause says what the story is about.
    lede = re.sub(r",\s+(?:who|whose|which)\b[^,.]{0,90},", ",", lede)
    # "after starting from the pole" is a race report's wording, not a qualifying lede.
    lede_hits = {k: re.search(rx, lede, re.I) for k, rx in {
        "practice": r"\bpractice\b|\bpaces\b",
        "qualifying": r"\b(?:won|wins|win|earns?|earned|claims?|claimed|takes?|took|grabs?|grabbed|nabs?|nabbed|"
                      r"secures?|secured|scores?|scored|captures?|captured|snags?|notche[sd])\b[^.]{0,45}\bpoles?\b|"
                      r"\bqualif|pole position|\bon pole\b|\bpole award|\bpole sitter|\bpole-sitter for|(?<!from )\bthe pole\b",
        "race": r"\bwins?\b|\bwon\b|victory|\bclaim(?:s|ed)\b|\bcapture[sd]?\b|\bprevail(?:s|ed)\b|storms to|"
                r"\btriumph(?:s|ed)\b|checkered flag"}.items()}
    if lede_hits["practice"]:
        return "practice"
    # Between qualifying and race words, the lede's first says it: "won
    # Sunday's race after qualifying third" is a race report, "won the pole
    # for Sunday's race" (one place for both) a qualifying one.
    q, r = lede_hits["qualifying"], lede_hits["race"]
    if q and (not r or q.start() <= r.start()):
        return "qualifying"
    if r:
        return "race"
    if scores["practice"] >= max(scores["qualifying"], scores["race"]) and scores["practice"] > 0:
        return "practice"
    return "qualifying" if scores["qualifying"] > scores["race"] else "race"
