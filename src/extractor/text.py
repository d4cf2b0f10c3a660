"""Reading an article's layout: the date line, hard wraps, sentences, quotes.

Everything here keeps character offsets intact: the working view of the text
has exactly the length of the input, so a span found in the view indexes the
input unchanged.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

DATE_LINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b")

# Abbreviations after which a full stop does not end a sentence.
_ABBREV = {
    "no", "nos", "jr", "sr", "mr", "mrs", "ms", "dr", "st", "vs", "mt", "ft", "inc", "int'l", "int’l",
    "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec",
    "ariz", "ala", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan", "ky", "la",
    "mass", "md", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "n.c", "n.h", "n.j", "n.m",
    "n.y", "okla", "ore", "pa", "s.c", "tenn", "tex", "va", "vt", "wash", "wis", "wyo", "d.c",
    "p.m", "a.m", "u.s", "e.g", "i.e", "approx", "etc",
}

# A match always takes a whole run of stops and closers, so only a run's first
# stop can start one and nothing is given back: linear on "......".
SENT_END = re.compile(r"(?<![.!?])[.!?]++[\"”’)\]]*+(?=\s+[\"“‘(\[]?[A-Z0-9#@|])")
_WORD_CH = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.’'")
QUOTE = re.compile(r"[“\"]([^”\"]{3,2000}?)(?:[”\"]|(?=\n\s*\n))", re.S)


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int
    index: int = 0


@dataclass
class Layout:
    text: str          # the input, untouched
    view: str          # same length; hard-wrap newlines turned into spaces
    body_start: int    # offset after a leading " date YYYY-MM-DD" marker
    published: str | None
    sentences: list[Sentence] = field(default_factory=list)
    quotes: list[tuple[int, int]] = field(default_factory=list)
    # Start offsets for bisection, rebuilt when the list changes (see _starts).
    _index: dict = field(default_factory=dict, repr=False, compare=False)

    def _starts(self, key: str, items: list, bounds) -> list[int] | None:
        """Sorted start offsets of sorted, disjoint spans; None when they are not
        (then the callers scan, as before). Both lookups ran per candidate over
        the whole article: quadratic in a long text."""
        got = self._index.get(key)
        if got is not None and got[0] is items and got[1] == len(items):
            return got[2]
        spans = [bounds(x) for x in items]
        ok = all(a[1] <= b[0] for a, b in zip(spans, spans[1:])) and all(a <= b for a, b in spans)
        starts = [a for a, _ in spans] if ok else None
        self._index[key] = (items, len(items), starts)
        return starts

    def in_quote(self, pos: int) -> bool:
        starts = self._starts("quotes", self.quotes, lambda q: q)
        if starts is None:
            return any(s <= pos < e for s, e in self.quotes)
        i = bisect_right(starts, pos) - 1
        return i >= 0 and pos < self.quotes[i][1]

    def sentence_at(self, pos: int) -> Sentence | None:
        starts = self._starts("sentences", self.sentences, lambda s: (s.start, s.end))
        if starts is not None:
            i = bisect_right(starts, pos) - 1
            s = self.sentences[i] if i >= 0 else None
            return s if s is not None and s.start <= pos < s.end else None
        for s in self.sentences:
            if s.start <= pos < s.end:
                return s
        return None


def _is_hard_wrapped(text: str) -> bool:
    """Blog exports break lines mid-sentence; many lines then continue in lower case."""
    lines = text.split("\n")
    cont = sum(
        1 for a, b in zip(lines, lines[1:])
        if a.strip() and b[:1].islower() and not a.rstrip().endswith((".", "!", "?", ":"))
    )
    return cont >= 3


def _unwrap(text: str) -> str:
    chars = list(text)
    n = len(text)
    for i, ch in enumerate(text):
        if ch != "\n":
            continue
        prev_nl = i > 0 and text[i - 1] == "\n"
        next_nl = i + 1 < n and text[i + 1] == "\n"
        if prev_nl or next_nl:
            continue
        nxt = text[i + 1] if i + 1 < n else ""
        if nxt == "|" or re.match(r"\s*(?:\d{1,2}[.)]\s|#\d|\(\d{1,2}\)\s)", text[i + 1:i + 8]):
            continue  # table cells and numbered result lines keep their line breaks
        chars[i] = " "
    return "".join(chars)


def _split_sentences(view: str, start: int, end: int, paragraph: int) -> list[Sentence]:
    out: list[Sentence] = []
    seg_start = start
    chunk = view[start:end]
    for m in SENT_END.finditer(chunk):
        cut = start + m.end()
        # Only the tail before the stop matters; slicing the whole growing
        # segment for each candidate stop was quadratic in a long paragraph.
        stop = start + m.start()
        j = stop
        while j > seg_start and view[j - 1] in _WORD_CH:
            j -= 1
        w = view[j:stop].lower().rstrip(".")
        if len(w) == 1 and w.isalpha():
            k = stop - 1
            while k > seg_start and view[k - 1].isspace():
                k -= 1
            before = view[max(seg_start, k - 6):stop]   # 5-letter keyword + one char for \b
        initial = len(w) == 1 and w.isalpha() and not re.search(
            r"\b(?:group|heat|class|round|stage|turn|lap|plan|car|row)\s+[a-z]$", before.lower())
        if m.group(0).startswith(".") and (w in _ABBREV or initial
                                           or re.fullmatch(r"(?:[a-z]\.)+[a-z]", w)):
            continue
        out.append(Sentence(seg_start, cut, view[seg_start:cut], paragraph))
        seg_start = cut
        while seg_start < end and view[seg_start].isspace():
            seg_start += 1
    if seg_start < end and view[seg_start:end].strip():
        out.append(Sentence(seg_start, end, view[seg_start:end], paragraph))
    return out


# Longest sentence the rules see. Many rules look at the whole sentence around
# each number or name, so their cost grows with the square of its length; a
# "sentence" of a hundred thousand characters (a pasted table without stops, a
# run of ordinals) is cut into pieces of this size at a space. Real sentences
# are far shorter (the longest in the dev and probe sets: ~700 characters).
MAX_SENTENCE = 2000


def _cap_length(view: str, sents: list[Sentence]) -> list[Sentence]:
    if all(s.end - s.start <= MAX_SENTENCE for s in sents):
        return sents
    out: list[Sentence] = []
    for s in sents:
        a = s.start
        while s.end - a > MAX_SENTENCE:
            cut = view.rfind(" ", a + MAX_SENTENCE // 2, a + MAX_SENTENCE)
            cut = cut + 1 if cut > 0 else a + MAX_SENTENCE
            out.append(Sentence(a, cut, view[a:cut], s.paragraph))
            a = cut
            while a < s.end and view[a].isspace():
                a += 1
        if a < s.end:
            out.append(Sentence(a, s.end, view[a:s.end], s.paragraph))
    return out


def analyse(text: str) -> Layout:
    published = None
    body_start = 0
    m = DATE_LINE.match(text)
    if m:
        published = m.group(1)
        body_start = m.end()
    view = _unwrap(text) if _is_hard_wrapped(text) else text
    # A date marker is not part of the prose.
    view = " " * body_start + view[body_start:]
    layout = Layout(text=text, view=view, body_start=body_start, published=published)
    # Paragraphs: blank-line separated blocks; single newlines that survived
    # unwrapping are line-level boundaries (headlines, table cells).
    para = 0
    for block in re.finditer(r"[^\n]+", view):
        if block.start() > 0 and view[max(0, block.start() - 2):block.start()].count("\n") >= 2:
            para += 1
        s, e = block.start(), block.end()
        while s < e and view[s].isspace():
            s += 1
        if s >= e:
            continue
        layout.sentences.extend(_cap_length(view, _split_sentences(view, s, e, para)))
        para += 0
    for i, s in enumerate(layout.sentences):
        s.index = i
    layout.quotes = [(q.start(), q.end()) for q in QUOTE.finditer(view)]
    return layout
