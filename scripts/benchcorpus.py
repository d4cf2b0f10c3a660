"""A synthetic bench corpus built at run time from the dev articles.

Paragraphs of the dev articles are recombined into new articles, the driver
names in them swapped for other roster drivers and every digit replaced, so a
benchmark over N articles does not re-tokenize the same few dozen texts (which
would let spaCy's tokenizer cache, and ours, flatter the numbers). Nothing of
the dev articles is written into the project: the corpus lives in memory or in
a temporary file.
"""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "corpus" / "dev" / "articles"


def _roster(patterns: Path) -> list[dict]:
    out = []
    with (patterns / "drivers.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d.get("races", 0) >= 30 and " " in d["name"] and "(" not in d["name"]:
                out.append(d)
    return out


def _paragraphs(folder: Path) -> list[str]:
    paras = []
    for p in sorted(folder.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        text = re.sub(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s*", "", text)
        paras.extend(q.strip() for q in re.split(r"\n\s*\n", text) if len(q.strip()) > 40)
    return paras


class BenchCorpus:
    def __init__(self, folder: Path = DEV, patterns: Path = REPO / "patterns", seed: int = 8) -> None:
        self.paras = _paragraphs(folder)
        if not self.paras:
            raise SystemExit(f"benchcorpus: {folder}: no .txt articles")
        roster = _roster(patterns)
        self.names = [d["name"] for d in roster]
        joined = "\n".join(self.paras)
        # Longest first, ties by name: set order varies with hash seeds, and the
        # corpus must be the same in every run.
        present = sorted({d["name"] for d in roster if d["name"] in joined}, key=lambda n: (-len(n), n))
        self.surname = {d["name"]: d.get("surname") or d["name"].split()[-1] for d in roster}
        # Full names first (longest first), then their surnames alone.
        surnames = sorted({self.surname[n] for n in present}, key=lambda n: (-len(n), n))
        self._full = re.compile(r"\b(?:" + "|".join(map(re.escape, present)) + r")\b") if present else None
        self._sur = re.compile(r"\b(?:" + "|".join(map(re.escape, surnames)) + r")\b") if surnames else None
        self._sur_to_full = {}
        for n in present:
            self._sur_to_full.setdefault(self.surname[n], n)
        self.rng = random.Random(seed)

    def article(self) -> str:
        rng = self.rng
        paras = rng.sample(self.paras, rng.randint(4, 12))
        mapping: dict[str, str] = {}

        def new_name(old: str) -> str:
            if old not in mapping:
                mapping[old] = rng.choice(self.names)
            return mapping[old]

        out = []
        for p in paras:
            if self._full:
                p = self._full.sub(lambda m: new_name(m.group(0)), p)
            if self._sur:
                p = self._sur.sub(lambda m: self.surname[new_name(self._sur_to_full[m.group(0)])], p)
            # Digits: keep the first digit of a number (years stay 19xx/20xx, ranks stay
            # plausible), draw the rest.
            p = re.sub(r"(?<=\d)\d", lambda m: str(rng.randrange(10)), p)
            out.append(p)
        year = rng.randint(2015, 2025)
        return f" date {year}-{rng.randint(2, 11):02d}-{rng.randint(1, 28):02d} " + "\n\n".join(out) + "\n"

    def articles(self, n: int) -> list[str]:
        return [self.article() for _ in range(n)]

    def of_size(self, chars: int) -> str:
        """One text of exactly ``chars`` characters, articles concatenated."""
        parts, total = [], 0
        while total < chars:
            a = self.article()
            parts.append(a)
            total += len(a) + 1
        return "\n".join(parts)[:chars]
