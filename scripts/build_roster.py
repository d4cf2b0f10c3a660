#!/usr/bin/env python3
"""Build ``patterns/drivers.jsonl`` from the shared race-results file.

    python scripts/build_roster.py [RESULTS_CSV_GZ] [--min-season 1949] [--out patterns/drivers.jsonl]

Input: ``../shared/reference/nascar_results.csv.gz`` (nascaR.data by Kyle
Grealis, GPL-3, data from DriverAverages.com, snapshot 2026-01-05), one row per
car per points race. Output: one JSON object per driver, sorted by name,
written deterministically (same input -> byte-identical file).

The curated ``patterns/driver_aliases.jsonl`` is merged in: nicknames and
alternate spellings, an accented ``display`` spelling, a ``surname``
override, ``merge`` (other roster names that are the same person) and weak
one-word ``nicknames``. Every curated ``name`` must be a roster name; the
build fails otherwise.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CSV = REPO.parent / "shared" / "reference" / "nascar_results.csv.gz"
DEFAULT_OUT = REPO / "patterns" / "drivers.jsonl"
CURATED = REPO / "patterns" / "driver_aliases.jsonl"

SERIES_ORDER = {"Cup": 0, "Xfinity": 1, "Truck": 2, "ARCA": 3}
SUFFIX_FORMS = {
    "Jr.": ["Jr.", "Jr"],
    "Sr.": ["Sr.", "Sr"],
    "II": ["II"],
    "III": ["III"],
    "IV": ["IV"],
}
SUFFIX_ALIASES = {"jr.": "Jr.", "jr": "Jr.", "sr.": "Sr.", "sr": "Sr.", "ii": "II", "iii": "III", "iv": "IV"}
PARTICLES = {"van", "von", "de", "da", "del", "della", "der", "den", "di", "du", "la", "le", "st.", "st", "dos", "das"}
MISSING_MAKES = {"", "-"}
# Known scrape errors in the results: (series, season, race, driver, car as scraped) -> corrected columns.
CORRECTIONS = {
    # Corey LaJoie drove Rick Ware Racing's No. 01 Ford at Atlanta, not Trackhouse's No. 1
    ("Cup", 2025, 18, "Corey LaJoie", "1"): {"Car": "01", "Team": "Rick Ware Racing"},
}


def norm_name(s: str) -> str:
    """Same normalisation as extractor.reference.norm_name (kept dependency-free here)."""
    try:
        from unidecode import unidecode

        s = unidecode(s)
    except ImportError:  # pragma: no cover - the venv has Unidecode
        s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", s.lower())


# ---------------------------------------------------------------- name parts
def split_name(name: str) -> dict:
    """Parse a roster name into given / surname / suffix / qualifier / alternates.

    "Jack Smith (Ohio)"      -> base "Jack Smith", qualifier "Ohio"
    "Jim (J.C.) Danielson"   -> base "Jim Danielson", alt_given ["J.C."]
    "Martin Truex Jr."       -> given "Martin", surname "Truex", suffix "Jr."
    "Shane van Gisbergen"    -> surname "van Gisbergen"
    """
    alt_given: list[str] = []
    qualifier = None
    m = re.search(r"\s*\(([^)]*)\)\s*$", name)
    if m:
        qualifier = m.group(1)
        name = name[: m.start()]
    m = re.search(r"\s*\(([^)]*)\)\s*", name)
    if m:
        inner = m.group(1).strip()
        if len(re.sub(r"[^A-Za-z]", "", inner)) > 1:
            alt_given.append(inner)
        name = (name[: m.start()] + " " + name[m.end():]).strip()
    tokens = name.split()
    suffix = None
    if len(tokens) > 2 and tokens[-1].lower() in SUFFIX_ALIASES:
        suffix = SUFFIX_ALIASES[tokens[-1].lower()]
        tokens = tokens[:-1]
    if len(tokens) == 1:
        return {"base": name, "given": "", "surname": tokens[0], "suffix": suffix,
                "qualifier": qualifier, "alt_given": alt_given, "given_tokens": []}
    i = len(tokens) - 1
    while i > 1 and tokens[i - 1].lower() in PARTICLES:
        i -= 1
    given_tokens = tokens[:i]
    return {
        "base": " ".join(tokens),
        "given": " ".join(given_tokens),
        "surname": " ".join(tokens[i:]),
        "suffix": suffix,
        "qualifier": qualifier,
        "alt_given": alt_given,
        "given_tokens": given_tokens,
    }


def initials_of(tokens: list[str]) -> str | None:
    """"A.J." / "A. J." / "AJ" / "A J" -> "AJ"; None when the tokens are not all initials."""
    if not tokens:
        return None
    joined = " ".join(tokens)
    if re.fullmatch(r"(?:[A-Z]\.?\s?){1,3}", joined + " ") and not re.fullmatch(r"[A-Z][a-z]+", joined):
        letters = re.sub(r"[^A-Z]", "", joined)
        if len(letters) >= 2 or "." in joined:
            return letters
    return None


def given_variants(tokens: list[str]) -> list[list[str]]:
    """Variants of the given-name tokens: dotted / undotted / spaced initials, a middle initial dropped."""
    letters = initials_of(tokens)
    if letters:
        forms = [tokens, [".".join(letters) + "."], [letters]]
        if len(letters) > 1:
            forms.append([f"{c}." for c in letters])
        return forms
    out = [tokens]
    # "Jack D. McCoy" / "Austin J. Hill": the middle initial dotted, undotted, dropped
    if len(tokens) == 2 and re.fullmatch(r"[A-Z]\.?", tokens[1]) and len(tokens[0]) > 2:
        c = tokens[1][0]
        out += [[tokens[0], c + "."], [tokens[0], c], [tokens[0]]]
    return out


def name_variants(name: str) -> list[str]:
    """Spelling variants of one full name (the name itself first)."""
    p = split_name(name)
    givens: list[list[str]] = []
    for g in [p["given_tokens"], *[alt.split() for alt in p["alt_given"]]]:
        for v in given_variants(g):
            if v not in givens:
                givens.append(v)
    suffixes: list[str | None]
    if p["suffix"]:
        suffixes = list(SUFFIX_FORMS[p["suffix"]]) + [None]
    else:
        suffixes = [None]
    res = [name]
    for g in givens:
        stem = " ".join([*g, p["surname"]]).strip()
        for suf in suffixes:
            forms = [stem] if suf is None else [f"{stem} {suf}"] + ([f"{stem}, {suf}"] if suf.endswith(".") else [])
            for a in forms:
                if a not in res:
                    res.append(a)
    return res


# ---------------------------------------------------------------- helpers
def merge_ranges(seasons: set[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for s in sorted(seasons):
        if out and s == out[-1][1] + 1:
            out[-1][1] = s
        else:
            out.append([s, s])
    return out


def read_curated(path: Path) -> list[dict]:
    if not path.exists():
        return []
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                sys.exit(f"{path}:{n}: {exc.msg}")
    return out


def build(csv_path: Path, min_season: int, curated_path: Path) -> list[dict]:
    curated = read_curated(curated_path)
    rename: dict[str, str] = {}
    for c in curated:
        for other in c.get("merge", []):
            rename[other] = c["name"]

    races: dict[str, int] = defaultdict(int)
    seasons: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    cars: dict[str, dict[tuple, list[int]]] = defaultdict(lambda: defaultdict(list))
    teams: dict[str, dict[tuple, int]] = defaultdict(dict)
    makes: dict[str, dict[tuple, int]] = defaultdict(dict)

    everyone: set[str] = set()  # before the --min-season cut, to validate the curated names
    with gzip.open(csv_path, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            name = row["Driver"].strip()
            if not name:
                continue
            name = rename.get(name, name)
            everyone.add(name)
            season = int(row["Season"])
            if season < min_season:
                continue
            series = row["Series"].strip()
            race = int(row["Race"])
            fix = CORRECTIONS.get((series, season, race, row["Driver"].strip(), row["Car"].strip()))
            if fix:
                row = {**row, **fix}
            races[name] += 1
            seasons[name][series].add(season)
            car = row["Car"].strip()
            if car:
                cars[name][(series, season, car)].append(race)
            order = (SERIES_ORDER.get(series, 9), season, race)
            team = row["Team"].strip()
            if team:
                key = (series, season, team)
                teams[name][key] = min(teams[name].get(key, order), order)
            make = row["Make"].strip()
            if make not in MISSING_MAKES:
                key = (series, season, make)
                makes[name][key] = min(makes[name].get(key, order), order)

    roster_names = set(races)
    missing = [c["name"] for c in curated if c["name"] not in everyone]
    if missing:
        sys.exit("driver_aliases.jsonl: canonical name(s) not in the roster: " + ", ".join(missing))
    curated = [c for c in curated if c["name"] in roster_names]  # drivers cut by --min-season drop out
    cur_by_name: dict[str, list[dict]] = defaultdict(list)
    for c in curated:
        cur_by_name[c["name"]].append(c)

    canon_norm: dict[str, str] = {norm_name(n): n for n in roster_names}
    # curated aliases are claims too: a generated variant never overrides another driver's curated alias
    for c in curated:
        for a in [*c.get("aliases", []), *c.get("merge", [])]:
            canon_norm.setdefault(norm_name(a), c["name"])

    records = []
    for name in sorted(roster_names):
        p = split_name(name)
        cur = cur_by_name.get(name, [])
        display = next((c["display"] for c in cur if c.get("display")), None)
        surname = next((c["surname"] for c in cur if c.get("surname")), p["surname"])
        given = next((c["given"] for c in cur if c.get("given")), p["given"])

        generated = name_variants(name)
        explicit: list[str] = []
        for c in cur:
            explicit.extend(c.get("aliases", []))
            explicit.extend(c.get("merge", []))
        if display:
            explicit.append(display)
            generated.extend(name_variants(display))
        for a in list(explicit):
            generated.extend(name_variants(a))

        aliases: list[str] = []
        seen: set[str] = set()
        for a in [name, *explicit]:
            if a not in seen:
                seen.add(a)
                aliases.append(a)
        for a in generated:
            if a in seen:
                continue
            owner = canon_norm.get(norm_name(a))
            if owner is not None and owner != name:
                continue  # another driver's canonical name (or curated alias)
            seen.add(a)
            aliases.append(a)

        nicknames: list[str] = []
        for c in cur:
            for nick in c.get("nicknames", []):
                if nick not in nicknames:
                    nicknames.append(nick)

        rec = {
            "name": name,
            "aliases": aliases,
            "surname": surname,
            "given": given,
        }
        if display:
            rec["display"] = display
        if nicknames:
            rec["nicknames"] = nicknames
        if cur and cur[0].get("id"):
            rec["id"] = cur[0]["id"]
        rec["races"] = races[name]
        rec["seasons"] = {
            s: merge_ranges(v) for s, v in sorted(seasons[name].items(), key=lambda kv: SERIES_ORDER.get(kv[0], 9))
        }
        rec["cars"] = [
            [series, season, car, min(rs), max(rs), len(rs)]
            for (series, season, car), rs in sorted(
                cars[name].items(), key=lambda kv: (SERIES_ORDER.get(kv[0][0], 9), kv[0][1], min(kv[1]), kv[0][2])
            )
        ]
        rec["teams"] = [list(k) for k, _ in sorted(teams[name].items(), key=lambda kv: (kv[1], kv[0][2]))]
        rec["makes"] = [list(k) for k, _ in sorted(makes[name].items(), key=lambda kv: (kv[1], kv[0][2]))]
        records.append(rec)
    return records


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV, help="nascar_results.csv.gz")
    ap.add_argument("--min-season", type=int, default=1949, help="drop seasons before this (default 1949: keep all)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--curated", type=Path, default=CURATED)
    args = ap.parse_args(argv)
    if not args.csv.exists():
        print(f"input not found: {args.csv}", file=sys.stderr)
        return 2
    records = build(args.csv, args.min_season, args.curated)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(args.out.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
    tmp.replace(args.out)
    size = args.out.stat().st_size
    print(f"wrote {len(records)} drivers to {args.out} ({size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
