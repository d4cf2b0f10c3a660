"""Numbers as news writes them: digits, words, ordinals, fractions, durations.

The word tables are data (patterns/lexicon.json); this module only combines
them.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .resources import read_json

_SUFFIX = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.I)


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, int], dict[str, int], dict[str, float]]:
    lex = read_json("lexicon.json")
    words = {k.lower(): int(v) for k, v in lex.get("number_words", {}).items()}
    ords = {k.lower(): int(v) for k, v in lex.get("ordinals", {}).items()}
    fracs = {k.lower(): float(v) for k, v in lex.get("fractions", {}).items()}
    return words, ords, fracs


def parse_int(token: str) -> int | None:
    """'36', '1,200', 'four', 'twenty-one', 'Thirty-eight' -> int."""
    t = token.strip().lower().replace(",", "")
    if t.isdigit():
        return int(t)
    words, _, _ = _tables()
    if t in words:
        return words[t]
    parts = re.split(r"[-\s]+", t)
    if len(parts) == 2 and parts[0] in words and parts[1] in words:
        tens, units = words[parts[0]], words[parts[1]]
        if tens % 10 == 0 and tens >= 20 and 0 < units < 10:
            return tens + units
    return None


def parse_ordinal(token: str) -> int | None:
    """'6th', 'sixth', 'twenty-first', '26th-place' -> int."""
    t = token.strip().lower()
    t = re.sub(r"-place$", "", t)
    m = _SUFFIX.match(t)
    if m:
        return int(m.group(1))
    _, ords, _ = _tables()
    if t in ords:
        return ords[t]
    parts = re.split(r"[-\s]+", t)
    if len(parts) == 2:
        words, _, _ = _tables()
        if parts[0] in words and parts[1] in ords and ords[parts[1]] < 10:
            return words[parts[0]] + ords[parts[1]]
    return None


def parse_float(token: str) -> float | None:
    t = token.strip().replace(",", "")
    if t.startswith("."):
        t = "0" + t
    try:
        return float(t)
    except ValueError:
        return None


def parse_clock(token: str) -> float | None:
    """'1:15.740' -> 75.74 seconds; '3:00:07' -> 10807."""
    parts = token.split(":")
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        return None
    total = 0.0
    for n in nums:
        total = total * 60 + n
    return round(total, 3)


def parse_fraction_phrase(phrase: str) -> float | None:
    """'one-hundredth of a second' -> 0.01; 'two-tenths' -> 0.2; 'a tenth' -> 0.1."""
    t = phrase.lower().strip()
    m = re.match(r"(a|an|one|two|three|four|five|six|seven|eight|nine|[\d]+)[-\s]+([a-z]+)", t)
    if not m:
        return None
    count = 1 if m.group(1) in ("a", "an") else parse_int(m.group(1))
    _, _, fracs = _tables()
    unit = fracs.get(m.group(2))
    if count is None or unit is None:
        return None
    return round(count * unit, 6)


DURATION = re.compile(
    # Start where a [\w-] run starts: from inside "1-1-1-..." each start re-ran to its end.
    r"(?<![\w-])(?P<h>[\w-]+)\s+hours?,?\s+(?P<m>[\w-]+)\s+minutes?,?\s+(?:and\s+)?(?P<s>[\w-]+)\s+seconds?",
    re.I,
)


def parse_duration(phrase: str) -> float | None:
    """'three hours, zero minutes, and seven seconds' -> 10807.0"""
    m = DURATION.search(phrase)
    if not m:
        return None
    vals = [parse_int(m.group(g)) for g in ("h", "m", "s")]
    if any(v is None for v in vals):
        return None
    h, mi, s = vals
    return float(h * 3600 + mi * 60 + s)
