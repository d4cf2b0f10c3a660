"""Reading an article's layout: the date line, hard wraps, sentences, quotes.

Everything here keeps character offsets intact: the working view of the text
has exactly the length of the input, so a span found in the view indexes the
input unchanged.
"""
from __future__ import annotations

import re
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

SENT_END = re.compile(r"[.!?]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9#@|])")
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

    def in_quote(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.quotes)

    def sentence_at(self, pos: int) -> Sentence | None:
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
        before = view[seg_start:start + m.start()]
        word = re.findall(r"([A-Za-z.’']+)$", before)
        w = word[0].lower().rstrip(".") if word else ""
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
        layout.sentences.extend(_split_sentences(view, s, e, para))
        para += 0
    for i, s in enumerate(layout.sentences):
        s.index = i
    layout.quotes = [(q.start(), q.end()) for q in QUOTE.finditer(view)]
    return layout
