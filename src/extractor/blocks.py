"""Structured blocks inside articles, detected once, as objects.

News prints results, lineups and speed charts in many shapes; each shape is
read here into the same object, a ``Block`` of ``Row``s of ``Cell``s with a
role per column, and facts are made from rows, never from the shape:

- a header whose cells stand one per line (``|Pos`` ``|Driver`` ... or
  without the bar), followed by rows of as many cells;
- a header line split by bars, tabs, runs of spaces or single spaces
  ("Rank Driver Nbr Time Speed"), followed by rows split the same way;
- rows without a header: "1 22 Joey Logano Ford 29.118 185.402",
  "1- Name", "3 – Name", "1st, Name*", "- Name" under a results heading;
- "Row 1: A, B" starting grids.

A row is kept only when complete (every numeric column numeric); a row that
breaks the pattern ends the block, so a cut-off last row gives nothing. The
owner of a row is its driver cell, resolved against the roster of that
series and season. What the order means (finishing order, starting order,
none for practice) comes from the heading above the block, else from the
article kind. Which rule read a row is kept on every fact it gives.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from .checks.plausibility import speed_range
from .drivers import Mention
from .numbers import parse_float

NUM = re.compile(r"^[-+−–]?\d*\.\d+$|^[-+−–]?\d+$")
DEC = re.compile(r"^[-+−–]?(?:\d+:)?\d*\.\d+$")
INT = re.compile(r"^\d{1,3}$")
CAR = re.compile(r"^[#*]*\s*(?:No\.\s*)?(\d{1,3})\*?$")
ORD = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$", re.I)
NAME_NOISE = re.compile(r"\((?:R|r|i|I|P|p|W|w)\)|[*†#^]+|\bRookie\b")
ROW_LEAD = re.compile(r"^\s*(?:P|Pos\.?\s?)?(?P<pos>\d{1,2})(?:st|nd|rd|th)?\s*(?P<sep>[.):\-–—,]|\s)\s*(?P<rest>\S.*)$")
BULLET = re.compile(r"^\s*[-–—•*·]\s*(?P<rest>[A-Z].*)$")
STANDING_ROW = re.compile(r":\s*(?:Leader\b|[-–−]\s?\d+)|\(\d+\s+wins?\)|\b\d+\s+(?:pts|points)\b", re.I)
GRID_ROW = re.compile(r"^\s*Row\s+(?P<row>\d{1,2})\s*[:.\-–]\s*(?P<rest>.+)$", re.I)


@dataclass
class Cell:
    text: str
    start: int
    end: int


@dataclass
class Row:
    cells: dict[str, Cell]          # role -> cell
    start: int
    end: int
    order: int                      # 1-based order in the block
    # Header-less rows: the decimals after the name, in order, whose roles
    # (lap, speed) are decided later against the track length.
    decimals: list[Cell] = field(default_factory=list)


@dataclass
class Block:
    rule: str
    rows: list[Row]
    start: int
    end: int
    heading: str                    # "finish", "start", "practice" or ""
    roles: list[str] = field(default_factory=list)


def _norm_header(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip().strip("|").strip().lower().rstrip(".:")).strip()


class BlockReader:
    """Built once per Extractor from ``patterns/blocks.json``."""

    def __init__(self, data: dict, is_make=lambda w: False, is_name=lambda w: False) -> None:
        """``is_make`` / ``is_name``: whether a word is a make (lexicon) and a
        phrase a driver's name (roster); they tell where a name cell ends."""
        self.roles: dict[str, str] = {}
        for role, words in data["columns"].items():
            for w in words:
                self.roles[_norm_header(w)] = role
        self.headings = {k: [w.lower() for w in v] for k, v in data["headings"].items()}
        self.front_row_only = data.get("front_row_only", [])
        lim = data["limits"]
        self.min_rows = int(lim["min_rows"])
        # A header naming the columns makes even one complete row trustworthy.
        self.min_rows_header = int(lim["min_rows_with_header"])
        self.optional = set(data.get("optional_columns", []))
        self.lap_range = tuple(lim["lap_time"])
        self.speed_range = tuple(lim["speed_mph"])
        self.gap_range = tuple(lim["gap"])
        self.max_pos = int(lim["max_position"])
        self.tol = float(lim["speed_match_tolerance"])
        self._max_header_words = max(len(k.split()) for k in self.roles)
        self._first_words = {k.split()[0] for k in self.roles if k.split()}
        self.is_make = is_make
        self.is_name = is_name

    # -- lines --------------------------------------------------------------
    @staticmethod
    def _lines(text: str) -> list[tuple[str, int, int]]:
        out, pos = [], 0
        for raw in text.split("\n"):
            a, b = pos, pos + len(raw)
            pos = b + 1
            s = raw.strip()
            if not s:
                continue
            lead = raw.index(s[0])
            out.append((s, a + lead, a + lead + len(s)))
        return out

    def header_role(self, cell: str) -> str | None:
        return self.roles.get(_norm_header(cell))

    def _split_header_words(self, line: str, greedy: bool = True) -> list[tuple[str, int, int]] | None:
        """Header phrases over single-space-separated words: longest first, or single words first."""
        first = line.split(None, 1)[0] if line.strip() else ""
        if _norm_header(first) not in self._first_words:
            return None  # a header starts with a column word: most lines are not headers
        words = [(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+", line)]
        out, i = [], 0
        while i < len(words):
            sizes = range(min(self._max_header_words, len(words) - i), 0, -1)
            for n in (sizes if greedy else reversed(sizes)):
                phrase = " ".join(w[0] for w in words[i:i + n])
                if _norm_header(phrase) in self.roles:
                    out.append((phrase, words[i][1], words[i + n - 1][2]))
                    i += n
                    break
            else:
                return None
        return out

    # -- detection ------------------------------------------------------------
    def find(self, text: str) -> list[Block]:
        lines = self._lines(text)
        blocks: list[Block] = []
        used = [False] * len(lines)
        i = 0
        while i < len(lines):
            got = self._cell_per_line(lines, i) or self._header_line(lines, i)
            if got and got[0].rule == "block:space-rows" and not _columns_by_runs(lines[i][0]):
                # A header over single-space rows is read by guessing where
                # cells end; when reading the same rows without the header
                # fills more typed cells, that reading wins.
                alt = self._numbered(lines, i + 1, list(used))
                if alt and _score(alt[0]) > _score(got[0]):
                    i += 1
                    continue
            if got:
                block, j = got
                blocks.append(block)
                for k in range(i, j):
                    used[k] = True
                i = j
                continue
            i += 1
        # Header-less shapes on what the tables did not take.
        i = 0
        while i < len(lines):
            if used[i]:
                i += 1
                continue
            got = self._numbered(lines, i, used) or self._bullets(lines, i, used) or self._grid(lines, i, used)
            if got:
                block, j = got
                blocks.append(block)
                i = j
                continue
            i += 1
        for b in blocks:
            if not b.heading:
                b.heading = self._heading(text, b.start)
        return sorted(blocks, key=lambda b: b.start)

    def heading_kind(self, line: str) -> str:
        """What a heading line says a block's order is: finish, start, practice, skip or ''."""
        ln = line.strip().lower()
        for kind in ("skip", "practice", "start", "finish"):
            if any(re.search(r"(?<![a-z])" + re.escape(w) + r"(?![a-z])", ln) for w in self.headings[kind]):
                return kind
        return ""

    def _heading(self, text: str, start: int) -> str:
        """What the lines just above a block say its order is."""
        before = text[max(0, start - 300):start]
        lines = [ln.strip().lower() for ln in before.split("\n") if ln.strip()][-3:]
        for ln in reversed(lines):
            if len(ln) > 160:
                continue
            for kind in ("skip", "practice", "start", "finish"):
                if any(re.search(r"(?<![a-z])" + re.escape(w) + r"(?![a-z])", ln) for w in self.headings[kind]):
                    return kind
        return ""

    def _cell_per_line(self, lines, i):
        roles, j = [], i
        while j < len(lines):
            s = lines[j][0].strip("|").strip()
            role = self.header_role(s) if len(s) < 30 else None
            if role is None:
                break
            roles.append(role)
            j += 1
        if len(roles) < 3 or not self._enough(roles):
            return None
        # Rows may leave out optional cells (no gap on the leader's row): try
        # the full width first, then the width without the optional columns.
        short = [r for r in roles if r not in self.optional]
        rows: list[Row] = []
        while j < len(lines):
            got = None
            for width_roles in (roles, short) if short != roles else (roles,):
                k = len(width_roles)
                if j + k > len(lines):
                    continue
                chunk = lines[j:j + k]
                if any(len(c[0]) > 80 for c in chunk):
                    continue
                cells = {}
                for r, (s, a, b) in zip(width_roles, chunk):
                    t = s.strip("|").strip()
                    off = s.find(t) if t else 0
                    cells.setdefault(r, Cell(t, a + off, a + off + len(t)))
                row = Row(cells, chunk[0][1], chunk[-1][2], len(rows) + 1)
                nxt = lines[j + k][0].strip("|").strip() if j + k < len(lines) else None
                if self._valid(row, width_roles) and (
                        nxt is None or width_roles[0] != "pos" or INT.match(nxt) or len(nxt) > 80
                        or self.header_role(nxt) is None and not self._looks_cell(nxt)):
                    got = (row, k)
                    break
            if got is None:
                break
            rows.append(got[0])
            j += got[1]
        if len(rows) < self.min_rows_header:
            return None
        return Block("block:cell-per-line", rows, lines[i][1], rows[-1].end, "", roles), j

    @staticmethod
    def _enough(roles: list[str]) -> bool:
        """A driver column, or (a table whose rows the prose or the car
        numbers tie to drivers) a rank with a car number or a lap/speed."""
        if "driver" in roles:
            return True
        return "pos" in roles and ("car" in roles or "time" in roles or "speed" in roles)

    @staticmethod
    def _looks_cell(s: str) -> bool:
        return len(s) < 40 and not re.search(r"[.!?]\s", s)

    def _split_row(self, s: str, a: int, delim: str) -> list[Cell]:
        cells = []
        if delim == "|":
            parts = [(m.group(0), m.start()) for m in re.finditer(r"[^|]+", s)]
        elif delim == "\t":
            parts = [(m.group(0), m.start()) for m in re.finditer(r"[^\t]+", s)]
        elif delim == "ws":
            parts = [(m.group(0), m.start()) for m in re.finditer(r"\S+", s)]
        else:
            parts = [(m.group(0), m.start()) for m in re.finditer(r"\S+(?: \S+)*", s)]
        for t, off in parts:
            st = t.strip()
            if not st:
                cells.append(Cell("", a + off, a + off))
                continue
            lead = t.index(st[0])
            cells.append(Cell(st, a + off + lead, a + off + lead + len(st)))
        return cells

    def _header_line(self, lines, i):
        s, a, b = lines[i]
        if len(s) > 240:
            return None
        for delim in ("|", "\t", "  "):
            if delim == "  " and not re.search(r"\S {2,}\S", s):
                continue
            if delim != "  " and delim not in s:
                continue
            cells = self._split_row(s, a, delim)
            roles = [self.header_role(c.text) for c in cells if c.text]
            if len(roles) >= 3 and None not in roles and self._enough(roles):
                return self._rows_after(lines, i, roles, delim)
        # Header words can pair up two ways ("Laps Led" is one column or
        # two): try the longest phrases first, then single words, and keep
        # the reading under which more rows parse.
        best = None
        for greedy in (True, False):
            words = self._split_header_words(s, greedy)
            if words and len(words) >= 3:
                roles = [self.roles[_norm_header(w[0])] for w in words]
                if "driver" in roles:
                    got = self._rows_after(lines, i, roles, " ")
                elif self._enough(roles):
                    got = self._rows_after(lines, i, roles, "ws")
                else:
                    got = None
                if got and (best is None or len(got[0].rows) > len(best[0].rows)):
                    best = got
        return best

    def _rows_after(self, lines, i, roles, delim):
        rows, j = [], i + 1
        while j < len(lines):
            s, a, b = lines[j]
            if delim == " ":
                row = self._token_row(s, a, roles)
            else:
                cells = [c for c in self._split_row(s, a, delim)]
                if delim == "|" and cells and not cells[0].text and not s.startswith("|"):
                    cells = cells[1:]
                cells = [c for c in cells if c.text] if len(cells) > len(roles) else cells
                row = None
                if len(cells) == len(roles):
                    cm = {}
                    for r, c in zip(roles, cells):
                        cm.setdefault(r, c)
                    row = Row(cm, a, b, len(rows) + 1)
                elif delim == "  ":
                    row = self._token_row(s, a, roles)
            if row is not None:
                for r in ("pos", "start"):  # "1." under "Pos.": the rank without its full stop
                    c = row.cells.get(r)
                    if c is not None and re.fullmatch(r"\d{1,2}\.", c.text):
                        row.cells[r] = Cell(c.text[:-1], c.start, c.end - 1)
            if row is None or not self._valid(row, roles):
                break
            row.order = len(rows) + 1
            rows.append(row)
            j += 1
        if len(rows) < self.min_rows_header:
            return None
        if delim == " " and "driver" in roles:
            # Splitting on single spaces guesses where names end: trust the
            # guess only when the roster knows most of the names it gives.
            known = sum(1 for r in rows if self.is_name(_clean_name_plain(r.cells["driver"].text)))
            if known < 0.7 * len(rows):
                return None
        rule = {"|": "block:pipe-rows", "\t": "block:tab-rows"}.get(delim, "block:space-rows")
        return Block(rule, rows, lines[i][1], rows[-1].end, "", roles), j

    # -- a row of whitespace-separated tokens under a header ------------------
    def _token_row(self, s: str, a: int, roles: list[str]) -> Row | None:
        toks = [Cell(m.group(0), a + m.start(), a + m.end()) for m in re.finditer(r"\S+", s)]
        if "driver" not in roles:
            return None
        d = roles.index("driver")
        before, after = roles[:d], roles[d + 1:]
        if len(toks) < len(before) + 1:
            return None
        cells: dict[str, Cell] = {}
        for r, t in zip(before, toks):
            cells.setdefault(r, t)
        rest = toks[len(before):]
        n_name = self._name_length(rest, after, self.is_make)
        # The roster knows where a name ends ("Kyle Larson USA Chevrolet").
        for n in range(n_name, 1, -1):
            if self.is_name(" ".join(t.text for t in rest[:n])):
                n_name = n
                break
        if not n_name:
            return None
        name_toks = rest[:n_name]
        cells["driver"] = Cell(" ".join(t.text for t in name_toks), name_toks[0].start, name_toks[-1].end)
        tail = rest[n_name:]
        # Walk the columns after the name left to right: a numeric column
        # takes one number, a make one word, a free text column (team,
        # sponsor, status) the words up to the next number, an ignored
        # column one token of any kind.
        k = 0
        for pos_r, r in enumerate(after):
            if k >= len(tail):
                if r in self.optional:
                    continue
                return None
            t = tail[k]
            isnum = bool(NUM.match(t.text.replace(",", ""))) or t.text in ("--", "—", "-", "—.—")
            if r == "ignore":
                k += 1
            elif r == "make":
                if isnum:
                    return None
                cells["make"] = t
                k += 1
            elif r in ("team", "sponsor_make", "status"):
                if isnum:
                    return None
                z = k
                while z < len(tail) and not (NUM.match(tail[z].text.replace(",", ""))):
                    z += 1
                # leave words for a make column that follows
                if "make" in after[pos_r + 1:] and z - k > 1:
                    z -= 1
                cells[r] = Cell(" ".join(w.text for w in tail[k:z]), tail[k].start, tail[z - 1].end)
                k = z
            else:
                if not isnum:
                    return None
                cells.setdefault(r, t)
                k += 1
        if k != len(tail):
            return None
        return Row(cells, a, a + len(s), 0)

    @staticmethod
    def _name_length(toks: list[Cell], after: list[str], is_make=lambda w: False) -> int:
        """How many tokens the name takes: capitalised words, "Jr." and the like."""
        n = 0
        for t in toks:
            w = t.text
            if n >= 2 and "make" in after and is_make(w):
                break
            if NUM.match(w.replace(",", "")) or not re.match(r"^[\w*'’.(\-][\w.'’(),\-]*$", w):
                break
            if not re.match(r"^[*]?[A-Z(]", w) and w.lower() not in ("van", "de", "der", "jr.", "jr", "sr.", "iii", "ii"):
                break
            n += 1
            if n == 5:
                break
        return n

    # -- header-less rows -----------------------------------------------------
    def _numbered(self, lines, i, used):
        rows, j, expect = [], i, 1
        seps = set()
        while j < len(lines) and not used[j]:
            s, a, b = lines[j]
            # "| 1 | 5 | Name | Make |": bars are separators (same length, so offsets hold).
            s = s.replace("|", " ") if s.startswith("|") else s
            m = ROW_LEAD.match(s)
            if not m or int(m.group("pos")) != expect or len(s) > 200:
                break
            if re.match(r"\d{1,2}\s*\.\d", s):
                break  # a decimal, not a numbered line ("1. 5 Kyle Larson" is one: rank, then car)
            seps.add(m.group("sep").strip() or " ")
            row = self._free_row(m, a)
            if row is None:
                break
            row.order = expect
            rows.append(row)
            expect += 1
            j += 1
        if len(rows) < self.min_rows or len(seps) > 2:
            return None
        for k in range(i, j):
            used[k] = True
        # "2. William Byron: -81 (3 wins)": deficits and win counts make a
        # points table, whatever its heading says.
        standings = sum(1 for k in range(i, j) if STANDING_ROW.search(lines[k][0]))
        return Block("block:numbered-rows", rows, lines[i][1], rows[-1].end,
                     "skip" if standings * 2 >= len(rows) else ""), j

    def _free_row(self, m: re.Match, a: int, with_pos: bool = True) -> Row | None:
        """'1 22 Joey Logano Ford 29.118 185.402', '1- Name', '3rd, Name*, Chevrolet',
        '- Name, No. 18 Team Make, 189.641 mph'."""
        rest, r0 = m.group("rest"), a + m.start("rest")
        cells: dict[str, Cell] = {}
        if with_pos:
            cells["pos"] = Cell(m.group("pos"), a + m.start("pos"), a + m.end("pos"))
        parts = [Cell(x.group(0), r0 + x.start(), r0 + x.end())
                 for x in re.finditer(r"\(\d{1,2}\)|[#]?\d[\d.:]*|[^\s,;|]+(?:[ ][^\s,;|\d(#][^\s,;|]*)*", rest)]
        k = 0
        if k < len(parts) and re.fullmatch(r"\(\d{1,2}\)", parts[k].text):
            c = parts[k]
            cells["start"] = Cell(c.text[1:-1], c.start + 1, c.end - 1)
            k += 1
        if k < len(parts) and CAR.match(parts[k].text) and not DEC.match(parts[k].text):
            c = parts[k]
            digits = CAR.match(c.text).group(1)
            off = c.text.index(digits)
            cells["car"] = Cell(digits, c.start + off, c.start + off + len(digits))
            k += 1
        if k >= len(parts) or not re.match(r"^[*(]?[A-Z]", parts[k].text):
            return None
        cells["driver"] = parts[k]
        tail = parts[k + 1:]
        # "No. 18" / "#18" after the name is the car.
        for t, c in enumerate(tail):
            if "car" in cells:
                break
            # also bracketed: "1. Kyle Larson (No. 5 Chevrolet)"
            if c.text.lstrip("(") in ("No.", "No", "#") and t + 1 < len(tail) and INT.match(tail[t + 1].text):
                cells["car"] = tail[t + 1]
                tail = tail[:t] + tail[t + 2:]
                break
            if re.fullmatch(r"#\d{1,3}", c.text):
                cells["car"] = Cell(c.text[1:], c.start + 1, c.end)
                tail = tail[:t] + tail[t + 1:]
                break
        decs = [c for c in tail if DEC.match(c.text.replace(",", ""))]
        words = [c for c in tail if not NUM.match(c.text.replace(",", "")) and not c.text.startswith("#")
                 and c.text.lower() not in ("mph", "seconds", "sec", "s", "laps", "km/h")]
        words = [_unbracket(c) for c in words]
        if words:
            cells["make?"] = words[0]
            if len(words) > 1:
                cells["team?"] = words[1]
        return Row(cells, a + m.start(), r0 + len(rest), 0, decimals=decs)

    def _bullets(self, lines, i, used):
        """'- Name' lines in order, under a results or lineup heading."""
        rows, j = [], i
        while j < len(lines) and not used[j]:
            s, a, b = lines[j]
            m = BULLET.match(s)
            if not m or len(s) > 160:
                break
            row = self._free_row(m, a, with_pos=False)
            if row is None:
                break
            row.order = len(rows) + 1
            rows.append(row)
            j += 1
        if len(rows) < self.min_rows:
            return None
        for k in range(i, j):
            used[k] = True
        return Block("block:bullet-rows", rows, lines[i][1], rows[-1].end, ""), j

    def _grid(self, lines, i, used):
        """'Row 1: Kyle Busch, Brad Keselowski' — the inside then the outside of each row."""
        rows, j, expect = [], i, 1
        while j < len(lines) and not used[j]:
            s, a, b = lines[j]
            m = GRID_ROW.match(s)
            if not m or int(m.group("row")) != expect:
                break
            r0 = a + m.start("rest")
            parts = [(x.group(0).strip(), r0 + x.start()) for x in re.finditer(r"[^,;]+", m.group("rest"))]
            parts = [(t, o + (len(x) - len(x.lstrip()))) for (t, o), x in zip(parts, [p for p in re.findall(r"[^,;]+", m.group("rest"))])]
            if len(parts) != 2:
                break
            for side, (t, o) in enumerate(parts):
                cells = {}
                cm = re.match(r"#?(\d{1,3})\s*[-–]\s*", t)  # "5-Kyle Larson": the car, then the name
                if cm:
                    cells["car"] = Cell(cm.group(1), o + cm.start(1), o + cm.end(1))
                    t, o = t[cm.end():], o + cm.end()
                nm = re.split(r"\s*\(", t)[0].strip()
                pos = 2 * expect - 1 + side
                cells.update({"driver": Cell(nm, o, o + len(nm)), "pos": Cell(str(pos), a, a + len(s))})
                rows.append(Row(cells, a, b, pos))
            expect += 1
            j += 1
        if expect <= 2:
            return None
        for k in range(i, j):
            used[k] = True
        return Block("block:grid-rows", rows, lines[i][1], rows[-1].end, "start"), j

    # -- validation -------------------------------------------------------------
    def _valid(self, row: Row, roles: list[str]) -> bool:
        c = row.cells
        if "driver" in roles:
            if "driver" not in c or not re.search(r"[A-Za-z]{2}", c["driver"].text):
                return False
            if NUM.match(c["driver"].text):
                return False
        elif "pos" not in c or not INT.match(c["pos"].text.strip("T*")):
            return False
        for r in ("pos", "start"):
            if r in c and c[r].text and not (INT.match(c[r].text.strip("T*")) or ORD.match(c[r].text)):
                return False
        if "car" in c and c["car"].text and not CAR.match(c["car"].text):
            return False
        for r in ("time", "speed"):
            if r in c and c[r].text and not DEC.match(c[r].text.replace(",", "")) and c[r].text not in ("--", "—", "-"):
                return False
        for r in ("laps", "led"):
            if r in c and c[r].text and not re.fullmatch(r"\d{1,4}", c[r].text) and c[r].text not in ("--", "—", "-"):
                return False
        for r in ("gap_leader", "gap_next"):
            if r in c and c[r].text and not re.fullmatch(r"[-+−–]?\d*\.\d+|[-—–.]+|leader|—\.—|-?\d+ laps?|-?\d+ ?l", c[r].text.lower()):
                return False
        return True


def _score(block: Block) -> int:
    """Typed cells a reading of a block fills: ranks, cars, makes, laps, speeds."""
    n = 0
    for r in block.rows:
        c = r.cells
        n += sum(1 for k in ("pos", "start", "car", "time", "speed", "make", "make?", "led", "sponsor_make") if k in c)
        # header-less decimals are untyped: a row fills a lap and a speed at most
        n += min(2, len(r.decimals))
    return n


def _columns_by_runs(header: str) -> bool:
    """A header whose columns are set apart by runs of spaces or tabs (two
    gaps at least): its rows are split where the header is, not guessed."""
    return len(re.findall(r"(?: {2,}|\t)+", header.strip())) >= 2


def position_kind(block: Block, article_kind: str) -> str | None:
    """Which position type the order of a block gives, or None (practice)."""
    if block.heading == "skip":
        return None
    h = block.heading or ("start" if article_kind == "qualifying" else
                          "finish" if article_kind == "race" else "practice")
    return {"finish": "finish_position", "start": "start_position"}.get(h)


def resolve_cell(ctx, raw: str, start: int) -> tuple[str, bool, int, int]:
    """A driver cell to (canonical name, in roster, span of the name in the cell)."""
    clean = _clean_name(raw, ctx)
    words = clean.split()
    if not words:
        return clean, False, start, start
    a = raw.find(words[0])
    a = start + (a if a >= 0 else 0)
    z = raw.rfind(words[-1])
    b = start + z + len(words[-1]) if z >= 0 else a + len(clean)
    roster = ctx.ref.roster
    hits = roster.candidates(clean, ctx.series, ctx.season) or roster.candidates(clean)
    if hits:
        return hits[0].name, True, a, b
    for m in ctx.mentions:
        if a <= m.start < b:
            return m.name, True, a, b
    # "AJ Allmendinger Action Industries", "Kyle Larson USA": a sponsor or a
    # nationality in the name cell; the longest start the roster knows.
    for n in range(len(words) - 1, 1, -1):
        head = " ".join(words[:n])
        hits = roster.candidates(head, ctx.series, ctx.season)
        if hits:
            z = raw.find(words[n - 1])
            return hits[0].name, True, a, start + z + len(words[n - 1]) if z >= 0 else a + len(head)
    return clean, False, a, b


def block_facts(reader: BlockReader, blocks: list[Block], ctx, sink, new_mentions: list[Mention],
                event) -> list[tuple[int, int]]:
    """Facts from every block's rows; returns the spans the blocks cover."""
    covered = []
    limit_front_row = _front_row_only(reader, event)
    for block in blocks:
        if block.heading == "skip":
            # Standings, stage results, long-run averages: not this session's
            # order or laps. The block is still taken so prose rules skip it.
            covered.append((block.start, block.end))
            continue
        ptype = position_kind(block, ctx.kind)
        session = {"start_position": "qualifying", "finish_position": "race"}.get(ptype or "", None)
        if ptype is None:
            session = "practice" if (block.heading == "practice" or ctx.kind == "practice") else \
                ("qualifying" if ctx.kind == "qualifying" else None)
        rows_done = 0
        leader, prev = None, None
        lap_ok, speed_ok = _column_band(block, "time"), _column_band(block, "speed")
        if "driver" not in block.roles and block.rule != "block:numbered-rows" and block.rule not in (
                "block:bullet-rows", "block:grid-rows"):
            continue  # owners come from the prose or the roster: see orphan_rows
        for row in block.rows:
            c = row.cells
            name, known, a, b = resolve_cell(ctx, c["driver"].text, c["driver"].start)
            if not known and (len(name.split()) < 2 or len(name.split()) > 4):
                prev = None
                continue
            if not known and row is block.rows[-1] and not ctx.layout.text[row.end:].strip():
                continue  # the article was cut inside its last row: "- Martin Tr"
            rows_done += 1
            new_mentions.append(Mention(a, b, name, "list", known))
            rule = block.rule
            pos = None
            if "pos" in c and c["pos"].text:
                t = c["pos"].text.strip("T*")
                pos = int(ORD.match(t).group(1)) if ORD.match(t) else int(t)
            elif block.rule in ("block:bullet-rows",) or "pos" not in block.roles:
                pos = row.order
            if ptype and pos and pos <= reader.max_pos:
                if not (ptype == "start_position" and limit_front_row and pos > 2):
                    sink.add(ptype, name, pos, (c.get("pos", c["driver"]).start, c.get("pos", c["driver"]).end),
                             rule=rule + ":order", confidence=0.95)
            if "start" in c and c["start"].text and INT.match(c["start"].text):
                if ptype == "start_position" and block.rule == "block:numbered-rows" and "car" not in c:
                    # "1. (5) Kyle Larson" in a starting lineup: the order is the
                    # start, so the bracketed number is the car.
                    sink.add("car_number", name, c["start"].text, (c["start"].start, c["start"].end),
                             rule=rule + ":car-column", confidence=0.85)
                elif ptype != "start_position":
                    sink.add("start_position", name, int(c["start"].text), (c["start"].start, c["start"].end),
                             rule=rule + ":start-column", confidence=0.95)
            if "car" in c and c["car"].text:
                m = CAR.match(c["car"].text)
                if m:
                    off = c["car"].text.index(m.group(1))
                    sink.add("car_number", name, m.group(1), (c["car"].start + off, c["car"].start + off + len(m.group(1))),
                             rule=rule + ":car-column", confidence=0.95)
            if "make" not in c and "make?" not in c:
                tail_make = _make_after_name(ctx, c["driver"], b)
                if tail_make:
                    sink.add("manufacturer", name, tail_make[0], tail_make[1], rule=rule + ":make-column",
                             confidence=0.9)
            for role in ("make", "make?", "sponsor_make", "team?"):
                if role in c:
                    _make(ctx, sink, name, c[role], rule, whole=role == "make")
                    if role in ("make?", "team?") and "team" not in c:
                        _team_in(ctx, sink, name, c[role], rule)
            if "team" in c and c["team"].text and re.search(r"[A-Za-z]{3}", c["team"].text):
                team = re.sub(r"\s*\((?:owner|Owner)\)\s*$", "", c["team"].text).strip()
                if team and "owner" not in c["team"].text.lower():
                    sink.add("team", name, team, (c["team"].start, c["team"].start + len(team)),
                             rule=rule + ":team-column", confidence=0.9)
            if "led" in c and INT.match(c["led"].text or "x"):
                v = int(c["led"].text)
                if v > 0:
                    sink.add("laps_led", name, v, (c["led"].start, c["led"].end), rule=rule + ":led-column",
                             confidence=0.95)
            lap = speed = None
            if "time" in c and DEC.match(c["time"].text.replace(",", "")):
                lap = (_seconds(c["time"].text), c["time"])
            if "speed" in c and DEC.match(c["speed"].text.replace(",", "")):
                speed = (parse_float(c["speed"].text.replace(",", "")), c["speed"])
            if row.decimals and lap is None and speed is None:
                lap, speed = _lap_and_speed(reader, ctx, row.decimals)
            if lap and lap[0] is not None and reader.lap_range[0] <= lap[0] <= reader.lap_range[1] and lap_ok(lap[0]):
                sink.add("lap_time", name, lap[0], (lap[1].start, lap[1].end), session=session,
                         rule=rule + ":time-column", confidence=0.95)
            if speed and speed[0] is not None and reader.speed_range[0] <= speed[0] <= reader.speed_range[1] and speed_ok(speed[0]):
                sink.add("speed_mph", name, speed[0], (speed[1].start, speed[1].end), session=session,
                         rule=rule + ":speed-column", confidence=0.95)
            if leader is not None:
                for role, who in (("gap_leader", leader), ("gap_next", prev)):
                    g = c.get(role)
                    if who and g and DEC.match(g.text.replace("−", "-")):
                        v = abs(parse_float(g.text.replace("−", "-").replace("–", "-")))
                        if v and reader.gap_range[0] < v <= reader.gap_range[1]:
                            sink.add("gap", who, v, (g.start, g.end), other=name, session=session,
                                     rule=rule + ":" + role.replace("_", "-") + "-column", confidence=0.9)
            else:
                leader = name
            prev = name
        if rows_done:
            covered.append((block.start, block.end))
    return covered


def _column_band(block: Block, role: str):
    """One session's laps (or speeds) lie close together: a cell far from
    the column's median is a shifted or mistyped cell, not a lap."""
    vals = sorted(v for v in (_seconds(r.cells[role].text) for r in block.rows
                              if role in r.cells and DEC.match(r.cells[role].text.replace(",", ""))) if v)
    if len(vals) < 3:
        return lambda v: True
    med = vals[len(vals) // 2]
    return lambda v: 0.7 * med <= v <= 1.3 * med


def _seconds(s: str) -> float | None:
    s = s.replace(",", "")
    if ":" in s:
        m, sec = s.split(":", 1)
        try:
            return round(int(m) * 60 + float(sec), 3)
        except ValueError:
            return None
    return parse_float(s)


def _lap_and_speed(reader: BlockReader, ctx, decs: list[Cell]):
    """Two decimals in a row without a header: which is the lap and which the
    speed. Over a known track length the pair must agree; else the one in
    the lap range that is smaller."""
    vals = [(_seconds(c.text), c) for c in decs]
    vals = [v for v in vals if v[0] is not None]
    if len(vals) == 1:
        # A lone decimal: a speed when no lap could be that long on an oval,
        # a lap when no speed would be that slow; between, say nothing.
        v, c = vals[0]
        tail = ctx.layout.text[c.end:c.end + 5].lower()
        if tail.lstrip().startswith("mph") or v >= 100:
            return None, (v, c)
        if tail.lstrip()[:1] == "s" or v < 60:
            return (v, c), None
        return None, None
    if len(vals) == 3:
        # "133.580  26.950  -0.049": a signed third decimal is the gap column
        signed = [v for v in vals if v[1].text.lstrip()[:1] in "-+−–"]
        if len(signed) == 1:
            vals = [v for v in vals if v is not signed[0]]
    if len(vals) != 2:
        return None, None
    track = ctx.ref.tracks.lookup(ctx.track) if ctx.track else None
    lengths = track.lengths_for(ctx.season) if track else []
    (x, cx), (y, cy) = vals
    # speed x lap = 3600 x length either way round, so the length alone cannot
    # say which is which ("133.823 26.901" at a mile oval fits both): the
    # speed must also be one this kind of track sees.
    lo, hi = speed_range(getattr(track, "kind", None), max(lengths) if lengths else None)
    for lap, speed in (((x, cx), (y, cy)), ((y, cy), (x, cx))):
        for ln in lengths:
            if lap[0] and abs(3600 * ln / lap[0] - speed[0]) <= reader.tol * speed[0] and lo <= speed[0] <= hi:
                return lap, speed
    if lengths:
        return None, None
    if x < y and reader.lap_range[0] <= x and y <= reader.speed_range[1]:
        return (x, cx), (y, cy)
    return None, None


def _make(ctx, sink, name: str, cell: Cell, rule: str, whole: bool) -> None:
    text = cell.text
    words = text.split()
    # The make is the whole cell, or the last words of a "Sponsor Make" cell.
    for n in (3, 2, 1):
        if len(words) < n:
            continue
        cand = " ".join(words[-n:]) if not whole else text
        mk = ctx.ref.lexicon.make_of(cand)
        if mk:
            a = cell.start + text.rfind(cand) if not whole else cell.start
            sink.add("manufacturer", name, mk, (a, a + len(cand)), rule=rule + ":make-column", confidence=0.9)
            return
        if whole:
            return


def _make_after_name(ctx, cell: Cell, name_end: int):
    """'Kyle Larson Chevrolet' in one cell: the make printed after the name."""
    rest = ctx.layout.text[name_end:cell.end]
    m = re.match(r"\s+([A-Z][A-Za-z]+)\s*$", rest)
    if m:
        mk = ctx.ref.lexicon.make_of(m.group(1))
        if mk:
            return mk, (name_end + m.start(1), name_end + m.end(1))
    return None


def _team_in(ctx, sink, name: str, cell: Cell, rule: str) -> None:
    """A known team at the start of a free cell: 'Kyle Busch Motorsports Toyota'."""
    words = cell.text.split()
    for n in range(min(len(words), 5), 0, -1):
        cand = " ".join(words[:n])
        hit = ctx.ref.teams.match(cand)
        if hit and not hit[1]:
            sink.add("team", name, cand, (cell.start, cell.start + len(cand)), rule=rule + ":team-cell",
                     confidence=0.85)
            return


def _clean_name_plain(raw: str) -> str:
    s = NAME_NOISE.sub(" ", raw)
    s = re.sub(r"\s+", " ", s).strip(" ,;-–")
    return re.sub(r",\s*(Jr\.?|Sr\.?|II|III)$", r" \1", s)


def _clean_name(raw: str, ctx) -> str:
    """A name cell as a name: marks and "(R)" dropped, ", Jr." joined, upper
    case turned to title case, a make printed after the name cut off."""
    s = _clean_name_plain(raw)
    if s.isupper() and len(s) > 3:
        s = " ".join(w.capitalize() if not re.fullmatch(r"[A-Z]\.?[A-Z]?\.?", w) else w for w in s.split())
    # A make word printed after the name ("Joey Logano Ford") is not part of it.
    words = s.split()
    while len(words) > 2 and ctx.ref.lexicon.make_of(words[-1]):
        words = words[:-1]
    return " ".join(words)


def _front_row_only(reader: BlockReader, event) -> bool:
    month = None
    for d in (event.qualifying_date, event.race_date, event.published):
        if d:
            month = int(d[5:7])
            break
    for rule in reader.front_row_only:
        if event.series == rule["series"] and event.track == rule["track"] and month in rule["months"]:
            return True
    return False


def orphan_rows(reader: BlockReader, blocks: list[Block], ctx, sink) -> None:
    """Rows of a table with no name column, tied to drivers after the prose
    was read: the driver the prose put at the row's rank, or the only
    driver the roster has in the row's car number that season. When both
    speak and disagree, the row is left alone."""
    for block in blocks:
        if "driver" in block.roles or block.heading == "skip" or block.rule in (
                "block:numbered-rows", "block:bullet-rows", "block:grid-rows"):
            continue
        ptype = position_kind(block, ctx.kind)
        session = {"start_position": "qualifying", "finish_position": "race"}.get(ptype or "", None)
        if ptype is None:
            session = "practice" if (block.heading == "practice" or ctx.kind == "practice") else \
                ("qualifying" if ctx.kind == "qualifying" else None)
        for row in block.rows:
            c = row.cells
            pos = int(c["pos"].text.strip("T*"))
            by_prose = None
            if ptype:
                holders = set(sink.holders(ptype, pos))
                by_prose = holders.pop() if len(holders) == 1 else None
            by_car = None
            car = CAR.match(c["car"].text).group(1) if "car" in c and CAR.match(c["car"].text) else None
            if car:
                hits = ctx.ref.roster.number_holders(car, ctx.series, ctx.season)
                by_car = hits[0].name if len(hits) == 1 else None
            if by_prose and by_car and by_prose != by_car:
                continue
            name = by_prose or by_car
            if not name:
                continue
            rule = block.rule + ":aligned"
            if car:
                a = c["car"].start + c["car"].text.index(car)
                sink.add("car_number", name, car, (a, a + len(car)), rule=rule, confidence=0.75)
            if by_car and ptype and not by_prose:
                sink.add(ptype, name, pos, (c["pos"].start, c["pos"].end), rule=rule, confidence=0.7)
            if "time" in c and DEC.match(c["time"].text.replace(",", "")):
                v = _seconds(c["time"].text)
                if v and reader.lap_range[0] <= v <= reader.lap_range[1]:
                    sink.add("lap_time", name, v, (c["time"].start, c["time"].end), session=session, rule=rule,
                             confidence=0.75)
            if "speed" in c and DEC.match(c["speed"].text.replace(",", "")):
                v = parse_float(c["speed"].text.replace(",", ""))
                if v and reader.speed_range[0] <= v <= reader.speed_range[1]:
                    sink.add("speed_mph", name, v, (c["speed"].start, c["speed"].end), session=session, rule=rule,
                             confidence=0.75)


def name_runs(reader: BlockReader, ctx, sink) -> list[tuple[int, int]]:
    """'Top finishers: Kyle Larson Denny Hamlin Chase Elliott ...': a
    heading, then every name in order on one line with nothing between
    them. Only the roster can split such a line, so a line counts only when
    the driver mentions found in it cover all of it after the heading."""
    text = ctx.layout.text
    covered = []
    pos = 0
    # A line's mentions by bisection when they are in start order (they are,
    # once lists are merged): a scan of all mentions per line was quadratic.
    m_at = [m.start for m in ctx.mentions]
    m_sorted = all(x <= y for x, y in zip(m_at, m_at[1:]))
    for raw in text.split("\n"):
        a, pos = pos, pos + len(raw) + 1
        head = re.match(r"\s*([^:\n]{3,60}):\s*", raw)
        if not head:
            continue
        start = a + head.end()
        if m_sorted:
            ms = ctx.mentions[bisect_left(m_at, start):bisect_left(m_at, a + len(raw))]
        else:
            ms = [m for m in ctx.mentions if start <= m.start < a + len(raw)]
        if len(ms) < reader.min_rows:
            continue
        rest = text[start:a + len(raw)]
        for m in ms:
            rest = rest[:m.start - start] + " " * (m.end - m.start) + rest[m.end - start:]
        if rest.strip(" \t*.,;"):
            continue  # words that are not names: prose, not a list
        kind = reader.heading_kind(head.group(1))
        if kind == "skip":
            continue
        block = Block("block:name-run", [], a, a + len(raw), kind)
        ptype = position_kind(block, ctx.kind)
        if ptype is None:
            continue
        seen = set()
        for i, m in enumerate(ms, 1):
            if m.name in seen:
                break
            seen.add(m.name)
            sink.add(ptype, m.name, i, (m.start, m.end), rule="block:name-run:order")
        covered.append((a, a + len(raw)))
    return covered


def _unbracket(c: Cell) -> Cell:
    """'Chevrolet)' of '(No. 5 Chevrolet)': the word without its brackets."""
    t = c.text
    lead = len(t) - len(t.lstrip("("))
    core = t.strip("()")
    if not core or core == t:
        return c
    return Cell(core, c.start + lead, c.start + lead + len(core))
