"""Compare two extraction runs (two JSONL files of records).

Records are matched by ``doc_id``; inside an article, facts are matched by
(type, driver, other) -- names normalised as in scoring -- so that a fact
whose value moved shows up as *changed*, not as removed + added. When several
facts share a key (two speeds for one driver), they are paired by a fixed
preference: identical fact, then same value, then same / overlapping span,
then nearest span start, then order in the record.

Besides facts, the diff reports drivers, event fields, check verdicts (a check
is identified by its name and the facts it concerns, so index shifts caused by
added facts do not read as changes), the ``error`` object and any other key
the records carry. Provenance: a differing ``extractor.version`` /
``ruleset_hash`` between the runs reads "rules changed"; a differing
``text_sha`` (when records carry one) reads "input changed".
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Optional, Union

import typer

from .evaluate import norm_name
from .jsonl import UserError, display_name, duplicate_ids, iter_records, read_records

CONTEXT = 40

# Keys compared on their own (or deliberately not compared) rather than as
# "other" record keys.
_HANDLED_KEYS = {"doc_id", "event", "drivers", "facts", "checks", "source", "extractor", "text_sha"}
# Keys that describe the run rather than the article; never a difference.
_VOLATILE_KEYS = {"timing", "timings", "elapsed", "elapsed_ms", "timestamp", "created", "run_id"}


#: A file that cannot be used: ``InputError(file, reason)``, one line for stderr.
InputError = UserError


# ---------------------------------------------------------------------------
# Loading records and texts


def load_records(path: Union[Path, str], warn: Optional[Callable[[str], None]] = None) -> list[dict]:
    """Read a JSONL file of records (``-`` for stdin, ``.gz`` ok). Raises
    UserError naming the file and line; ``warn`` gets one line per repeated doc_id."""
    name = display_name(path)
    records = read_records(str(path), warn=warn)
    for lineno, rec in enumerate(records, 1):
        for key in ("facts", "drivers", "checks"):
            if key in rec and rec[key] is not None and not isinstance(rec[key], list):
                raise InputError(name, f"record {rec['doc_id']!r}: '{key}' must be a list")
        if rec.get("event") is not None and not isinstance(rec.get("event"), dict):
            raise InputError(name, f"record {rec['doc_id']!r}: 'event' must be an object")
    return records


class Texts:
    """Article texts by doc_id.

    Looks in the given mapping / folder of ``<doc_id>.txt`` / JSONL (``id`` or
    ``doc_id`` plus ``text``) first, then at a record's ``source`` when that is
    a readable path (as given, then relative to ``base_dirs``). Folder and
    source reads are lazy and cached.
    """

    def __init__(self, mapping: Optional[Mapping[str, str]] = None, folder: Optional[Path] = None,
                 base_dirs: Iterable[Path] = ()):
        self._mapping = dict(mapping or {})
        self._folder = Path(folder) if folder else None
        self._base_dirs = [Path(b) for b in base_dirs]
        self._cache: dict[str, Optional[str]] = {}

    @property
    def given(self) -> bool:
        return bool(self._mapping) or self._folder is not None

    def add_base_dir(self, d: Path) -> None:
        if d not in self._base_dirs:
            self._base_dirs.append(Path(d))

    def _read(self, p: Path) -> Optional[str]:
        key = str(p)
        if key not in self._cache:
            try:
                self._cache[key] = p.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                self._cache[key] = None
        return self._cache[key]

    def given_text(self, doc_id: str) -> Optional[str]:
        if doc_id in self._mapping:
            return self._mapping[doc_id]
        if self._folder is not None:
            p = self._folder / f"{doc_id}.txt"
            if p.is_file():
                return self._read(p)
        return None

    def source_text(self, record: Optional[dict]) -> Optional[str]:
        src = (record or {}).get("source")
        if not isinstance(src, str) or not src:
            return None
        cands = [Path(src)] + [b / src for b in self._base_dirs]
        for p in cands:
            try:
                if p.is_file():
                    return self._read(p)
            except OSError:
                continue
        return None

    def get(self, doc_id: str, record: Optional[dict] = None) -> Optional[str]:
        t = self.given_text(doc_id)
        if t is None:
            t = self.source_text(record)
        return t


def load_texts(path: Optional[Path]) -> Texts:
    """``--texts``: a folder of ``<doc_id>.txt``, a ``.jsonl`` with id/text, or one ``.txt``."""
    if path is None:
        return Texts()
    path = Path(path)
    if path.is_dir():
        return Texts(folder=path)
    if not path.exists():
        raise InputError(path, "no such file or folder (--texts)")
    if path.suffix == ".txt":
        try:
            return Texts({path.stem: path.read_text(encoding="utf-8")})
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(path, f"cannot read ({e})") from None
    mapping: dict[str, str] = {}
    for lineno, obj in iter_records(path):
        doc_id = obj.get("id", obj.get("doc_id"))
        text = obj.get("text")
        if not isinstance(doc_id, str) or not isinstance(text, str):
            raise InputError(path, f"line {lineno}: expected an object with id and text")
        mapping[doc_id] = text
    return Texts(mapping)


def as_texts(texts: Union[Texts, Mapping[str, str], Path, str, None]) -> Texts:
    if texts is None:
        return Texts()
    if isinstance(texts, Texts):
        return texts
    if isinstance(texts, (str, Path)):
        return load_texts(Path(texts))
    return Texts(texts)


def text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _record_sha(rec: dict) -> Optional[str]:
    sha = rec.get("text_sha")
    if not sha and isinstance(rec.get("extractor"), dict):
        sha = rec["extractor"].get("text_sha")
    if not isinstance(sha, str) or not sha:
        return None
    return sha.split(":", 1)[1] if sha.startswith("sha256:") else sha


def _sha_equal(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    n = min(len(a), len(b))
    return n >= 8 and a[:n] == b[:n]


# ---------------------------------------------------------------------------
# The diff


def _clean(d: dict) -> dict:
    """A fact/dict for comparison: None values dropped, tuples as lists."""
    out = {}
    for k, v in d.items():
        if v is None:
            continue
        out[k] = list(v) if isinstance(v, tuple) else v
    return out


def _fact_key(f: dict) -> tuple:
    return (f.get("type"), norm_name(f.get("driver")), norm_name(f.get("other")))


def _span(f: dict) -> tuple[int, int]:
    sp = f.get("span") or (0, 0)
    try:
        return int(sp[0]), int(sp[1])
    except (TypeError, ValueError, IndexError):
        return 0, 0


def _pair_cost(a: dict, b: dict) -> tuple:
    (sa, ea), (sb, eb) = _span(a), _span(b)
    if (sa, ea) == (sb, eb):
        span_rank = 0
    elif sa < eb and sb < ea:
        span_rank = 1
    else:
        span_rank = 2
    return (
        0 if _clean(a) == _clean(b) else 1,
        0 if a.get("value") == b.get("value") else 1,
        span_rank,
        abs(sa - sb),
    )


def _pair_facts(old: list[dict], new: list[dict]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs (old index, new index), unpaired old indices, unpaired new indices."""
    groups_old: dict[tuple, list[int]] = defaultdict(list)
    groups_new: dict[tuple, list[int]] = defaultdict(list)
    for i, f in enumerate(old):
        groups_old[_fact_key(f)].append(i)
    for j, f in enumerate(new):
        groups_new[_fact_key(f)].append(j)
    pairs: list[tuple[int, int]] = []
    for key, olds in groups_old.items():
        news = groups_new.get(key)
        if not news:
            continue
        cands = sorted((_pair_cost(old[i], new[j]), i, j) for i in olds for j in news)
        used_i: set[int] = set()
        used_j: set[int] = set()
        for _, i, j in cands:
            if i in used_i or j in used_j:
                continue
            used_i.add(i)
            used_j.add(j)
            pairs.append((i, j))
    pairs.sort()
    paired_old = {i for i, _ in pairs}
    paired_new = {j for _, j in pairs}
    return (pairs, [i for i in range(len(old)) if i not in paired_old],
            [j for j in range(len(new)) if j not in paired_new])


@dataclass
class FactChange:
    old_index: int
    new_index: int
    old: dict
    new: dict
    fields: list[str]

    def as_dict(self) -> dict:
        return {"old_index": self.old_index, "new_index": self.new_index,
                "old": self.old, "new": self.new, "fields": self.fields}


@dataclass
class CheckChange:
    name: str
    old_facts: Optional[list[int]]   # None: the check is only in the new run
    new_facts: Optional[list[int]]   # None: the check is only in the old run
    old_status: Optional[str]
    new_status: Optional[str]
    message: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "old_facts": self.old_facts, "new_facts": self.new_facts,
                "old_status": self.old_status, "new_status": self.new_status, "message": self.message}


@dataclass
class ArticleDiff:
    doc_id: str
    input: str = "unknown"                 # "same" | "changed" | "unknown"
    facts_added: list[tuple[int, dict]] = field(default_factory=list)     # (new index, fact)
    facts_removed: list[tuple[int, dict]] = field(default_factory=list)   # (old index, fact)
    facts_changed: list[FactChange] = field(default_factory=list)
    drivers_added: list[str] = field(default_factory=list)
    drivers_removed: list[str] = field(default_factory=list)
    mentions_changed: list[str] = field(default_factory=list)
    event: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    checks: list[CheckChange] = field(default_factory=list)
    other: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    texts_mismatch: bool = False   # the given texts are not what the new run read
    old_source: Optional[str] = None
    new_source: Optional[str] = None

    @property
    def identical(self) -> bool:
        return not (self.facts_added or self.facts_removed or self.facts_changed or self.drivers_added
                    or self.drivers_removed or self.mentions_changed or self.event or self.checks
                    or self.other)

    def as_dict(self) -> dict:
        return {
            "doc_id": self.doc_id,
            "input": self.input,
            "facts": {
                "added": [{"index": j, "fact": f} for j, f in self.facts_added],
                "removed": [{"index": i, "fact": f} for i, f in self.facts_removed],
                "changed": [c.as_dict() for c in self.facts_changed],
            },
            "drivers": {"added": self.drivers_added, "removed": self.drivers_removed,
                        "mentions_changed": self.mentions_changed},
            "event": {k: list(v) for k, v in self.event.items()},
            "checks": [c.as_dict() for c in self.checks],
            "other": {k: list(v) for k, v in self.other.items()},
        }


def _provenance(records: Iterable[dict]) -> list[tuple[str, str]]:
    seen = set()
    for r in records:
        ex = r.get("extractor")
        if isinstance(ex, dict) and (ex.get("version") or ex.get("ruleset_hash")):
            seen.add((str(ex.get("version")), str(ex.get("ruleset_hash"))))
    return sorted(seen)


@dataclass
class RunDiff:
    old_count: int
    new_count: int
    only_old: list[dict]          # records only in the old run
    only_new: list[dict]          # records only in the new run
    articles: list[ArticleDiff]   # every article in both runs, identical ones included
    old_provenance: list[tuple[str, str]]
    new_provenance: list[tuple[str, str]]
    old_name: str = "old"
    new_name: str = "new"
    # doc_ids that occur more than once in a run: only their first records are
    # compared, so the runs are never called identical.
    old_duplicates: list[str] = field(default_factory=list)
    new_duplicates: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[ArticleDiff]:
        return [a for a in self.articles if not a.identical]

    @property
    def comparable(self) -> bool:
        return not (self.old_duplicates or self.new_duplicates)

    @property
    def identical(self) -> bool:
        return self.comparable and not (self.only_old or self.only_new or self.changed)

    def uncompared_message(self) -> str:
        parts = []
        for name, dups in ((self.old_name, self.old_duplicates), (self.new_name, self.new_duplicates)):
            if dups:
                parts.append(f"{name} repeats doc_id(s) {', '.join(dups)}")
        return ("not fully compared: " + "; ".join(parts) + " (only the first record of each was compared)"
                if parts else "")

    @property
    def rules_changed(self) -> Optional[bool]:
        if not self.old_provenance or not self.new_provenance:
            return None
        return self.old_provenance != self.new_provenance

    @property
    def input_changed(self) -> list[str]:
        return [a.doc_id for a in self.articles if a.input == "changed"]

    def provenance_message(self) -> str:
        def fmt(p: list[tuple[str, str]]) -> str:
            return ", ".join(f"{v} / {h[:12]}" for v, h in p) or "?"
        rc = self.rules_changed
        if rc is None:
            rules = "rules: unknown (records carry no extractor version/ruleset_hash)"
        elif rc:
            rules = f"rules changed: {fmt(self.old_provenance)} -> {fmt(self.new_provenance)}"
        else:
            rules = f"rules unchanged ({fmt(self.new_provenance)})"
        states = defaultdict(int)
        for a in self.articles:
            states[a.input] += 1
        if states["changed"]:
            inp = f"input changed for {states['changed']} article(s)"
        elif states["same"] and not states["unknown"]:
            inp = "input unchanged"
        elif states["same"]:
            inp = f"input unchanged for {states['same']}, unknown for {states['unknown']} (no text_sha)"
        else:
            inp = "input: unknown (records carry no text_sha)"
        return f"{rules}; {inp}"

    def summary(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = defaultdict(lambda: {"added": 0, "removed": 0, "changed": 0})
        for a in self.articles:
            for _, f in a.facts_added:
                out[str(f.get("type"))]["added"] += 1
            for _, f in a.facts_removed:
                out[str(f.get("type"))]["removed"] += 1
            for c in a.facts_changed:
                out[str(c.new.get("type"))]["changed"] += 1
        for r in self.only_new:
            for f in r.get("facts") or []:
                out[str(f.get("type"))]["added"] += 1
        for r in self.only_old:
            for f in r.get("facts") or []:
                out[str(f.get("type"))]["removed"] += 1
        return {k: out[k] for k in sorted(out)}

    def by_rule(self) -> dict[str, dict[str, int]]:
        """Fact changes grouped by the rule that made them ("rule X lost fact
        Y"): an added fact counts for its new rule, a removed one for its old
        rule, a changed one for the new rule (and the old one when it moved)."""
        out: dict[str, dict[str, int]] = defaultdict(lambda: {"added": 0, "removed": 0, "changed": 0})
        for a in self.articles:
            for _, f in a.facts_added:
                out[str(f.get("rule") or "-")]["added"] += 1
            for _, f in a.facts_removed:
                out[str(f.get("rule") or "-")]["removed"] += 1
            for c in a.facts_changed:
                out[str(c.new.get("rule") or "-")]["changed"] += 1
                if c.old.get("rule") != c.new.get("rule"):
                    out[str(c.old.get("rule") or "-")]["changed"] += 1
        for r in self.only_new:
            for f in r.get("facts") or []:
                out[str(f.get("rule") or "-")]["added"] += 1
        for r in self.only_old:
            for f in r.get("facts") or []:
                out[str(f.get("rule") or "-")]["removed"] += 1
        return {k: out[k] for k in sorted(out)}

    def as_dict(self) -> dict:
        def brief(r: dict) -> dict:
            return {"doc_id": r["doc_id"], "facts": len(r.get("facts") or []),
                    "drivers": len(r.get("drivers") or []), "error": r.get("error")}
        return {
            "kind": "extractor-run-diff",
            "old": self.old_name,
            "new": self.new_name,
            "identical": self.identical,
            "comparable": self.comparable,
            "duplicates": {"old": self.old_duplicates, "new": self.new_duplicates},
            "provenance": {
                "old": [{"version": v, "ruleset_hash": h} for v, h in self.old_provenance],
                "new": [{"version": v, "ruleset_hash": h} for v, h in self.new_provenance],
                "rules_changed": self.rules_changed,
                "input_changed": self.input_changed,
                "message": self.provenance_message(),
            },
            "counts": {
                "old": self.old_count, "new": self.new_count,
                "only_old": len(self.only_old), "only_new": len(self.only_new),
                "changed": len(self.changed),
                "identical": len(self.articles) - len(self.changed),
            },
            "only_old": [brief(r) for r in self.only_old],
            "only_new": [brief(r) for r in self.only_new],
            "articles": [a.as_dict() for a in self.changed],
            "summary": self.summary(),
            "by_rule": self.by_rule(),
        }


def _fmt_list(xs: Optional[list]) -> str:
    return "[" + ",".join(str(x) for x in (xs or [])) + "]"


def _diff_checks(old: dict, new: dict, pairs: list[tuple[int, int]]) -> list[CheckChange]:
    ident_old = {i: ("p", n) for n, (i, _) in enumerate(pairs)}
    ident_new = {j: ("p", n) for n, (_, j) in enumerate(pairs)}

    def key(check: dict, ident: dict, side: str) -> tuple:
        facts = check.get("facts") or []
        ids = sorted((ident.get(i, (side, i)) for i in facts if isinstance(i, int)), key=repr)
        return (str(check.get("name")), tuple(ids))

    g_old: dict[tuple, list[dict]] = defaultdict(list)
    g_new: dict[tuple, list[dict]] = defaultdict(list)
    for c in old.get("checks") or []:
        if isinstance(c, dict):
            g_old[key(c, ident_old, "o")].append(c)
    for c in new.get("checks") or []:
        if isinstance(c, dict):
            g_new[key(c, ident_new, "n")].append(c)
    # First pair checks with the same name and the same facts; then pair what
    # is left by name alone (a check that now also covers an added fact), in
    # order; a pair whose verdict did not change is no difference (the facts'
    # own changes are reported with the facts).
    matched: list[tuple[Optional[dict], Optional[dict]]] = []
    left_old: dict[str, list[dict]] = defaultdict(list)
    left_new: dict[str, list[dict]] = defaultdict(list)
    for k in sorted(set(g_old) | set(g_new), key=repr):
        olds, news = g_old.get(k, []), g_new.get(k, [])
        n = min(len(olds), len(news))
        matched += list(zip(olds[:n], news[:n]))
        left_old[k[0]] += olds[n:]
        left_new[k[0]] += news[n:]
    for name in sorted(set(left_old) | set(left_new)):
        olds, news = left_old.get(name, []), left_new.get(name, [])
        for n in range(max(len(olds), len(news))):
            matched.append((olds[n] if n < len(olds) else None, news[n] if n < len(news) else None))
    out: list[CheckChange] = []
    for a, b in matched:
        if a is not None and b is not None and a.get("status") == b.get("status"):
            continue
        ref = b if b is not None else a
        out.append(CheckChange(
            name=str(ref.get("name")),
            old_facts=list(a.get("facts") or []) if a is not None else None,
            new_facts=list(b.get("facts") or []) if b is not None else None,
            old_status=a.get("status") if a is not None else None,
            new_status=b.get("status") if b is not None else None,
            message=str(ref.get("message") or ""),
        ))
    return out


def diff_article(old: dict, new: dict, texts: Optional[Texts] = None) -> ArticleDiff:
    doc_id = new["doc_id"]
    ad = ArticleDiff(doc_id, old_source=old.get("source"), new_source=new.get("source"))

    # Provenance of the input text.
    so, sn = _record_sha(old), _record_sha(new)
    if so and sn:
        ad.input = "same" if _sha_equal(so, sn) else "changed"
    elif texts is not None:
        src_o, src_n = old.get("source"), new.get("source")
        if src_o and src_n and src_o != src_n:
            to, tn = texts.source_text(old), texts.source_text(new)
            if to is not None and tn is not None:
                ad.input = "same" if to == tn else "changed"
    if texts is not None and sn and texts.given:
        t = texts.given_text(doc_id)
        if t is not None and not _sha_equal(text_sha(t), sn):
            ad.texts_mismatch = True

    # Facts.
    of = [f for f in (old.get("facts") or []) if isinstance(f, dict)]
    nf = [f for f in (new.get("facts") or []) if isinstance(f, dict)]
    pairs, rem, add = _pair_facts(of, nf)
    for i, j in pairs:
        a, b = _clean(of[i]), _clean(nf[j])
        if a != b:
            fields = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
            ad.facts_changed.append(FactChange(i, j, of[i], nf[j], fields))
    ad.facts_removed = [(i, of[i]) for i in rem]
    ad.facts_added = [(j, nf[j]) for j in add]

    # Drivers.
    def drivers(r: dict) -> dict[str, list]:
        out = {}
        for d in r.get("drivers") or []:
            if isinstance(d, dict) and d.get("name"):
                out[d["name"]] = [list(m) for m in d.get("mentions") or []]
            elif isinstance(d, str):
                out[d] = []
        return out
    do, dn = drivers(old), drivers(new)
    ad.drivers_added = sorted(set(dn) - set(do))
    ad.drivers_removed = sorted(set(do) - set(dn))
    ad.mentions_changed = sorted(n for n in set(do) & set(dn) if do[n] != dn[n])

    # Event fields.
    eo, en = old.get("event") or {}, new.get("event") or {}
    for k in sorted(set(eo) | set(en)):
        a, b = eo.get(k), en.get(k)
        if a != b and not (a in (None, []) and b in (None, [])):
            ad.event[k] = (a, b)

    ad.checks = _diff_checks({"checks": old.get("checks")}, {"checks": new.get("checks")}, pairs)

    # Anything else the records carry (error, enumerations, warnings, ...).
    for k in sorted((set(old) | set(new)) - _HANDLED_KEYS - _VOLATILE_KEYS):
        a, b = old.get(k), new.get(k)
        if a != b and not (a in (None, [], {}) and b in (None, [], {})):
            ad.other[k] = (a, b)
    return ad


def diff_runs(old: list[dict], new: list[dict], texts: Union[Texts, Mapping[str, str], None] = None,
              old_name: str = "old", new_name: str = "new") -> RunDiff:
    """Compare two runs' records (lists of record dicts). ``texts`` (optional) is
    only used to tell whether an article's input changed."""
    tx = as_texts(texts) if texts is not None else None
    by_old: dict[str, dict] = {}
    by_new: dict[str, dict] = {}
    for r in old:
        by_old.setdefault(r["doc_id"], r)
    for r in new:
        by_new.setdefault(r["doc_id"], r)
    articles = [diff_article(by_old[d], by_new[d], tx) for d in sorted(set(by_old) & set(by_new))]
    return RunDiff(
        old_count=len(by_old), new_count=len(by_new),
        only_old=[by_old[d] for d in sorted(set(by_old) - set(by_new))],
        only_new=[by_new[d] for d in sorted(set(by_new) - set(by_old))],
        articles=articles,
        old_provenance=_provenance(old), new_provenance=_provenance(new),
        old_name=old_name, new_name=new_name,
        old_duplicates=duplicate_ids(old), new_duplicates=duplicate_ids(new),
    )


# ---------------------------------------------------------------------------
# Text output


def _val(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False) if isinstance(v, str) else str(v) if v is not None else "null"


def fact_label(f: dict) -> str:
    who = f.get("driver") or "-"
    if f.get("other"):
        who = f"{who} > {f['other']}"
    extra = [f"{k}={f[k]}" for k in ("session", "round", "group", "scope") if f.get(k) is not None]
    if f.get("approximate"):
        extra.append("approximate")
    if f.get("rule"):
        extra.append(f"rule={f['rule']}" + (f" {f['confidence']:.2f}" if isinstance(f.get("confidence"), (int, float)) else ""))
    tail = f"  ({', '.join(extra)})" if extra else ""
    return f"{f.get('type')}  {who} = {_val(f.get('value'))}{tail}"


def one_line(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def context(text: Optional[str], f: dict, width: int = CONTEXT) -> str:
    """The source text around a fact's span on one line, the span in [[ ]];
    without text (or with a span outside it), the fact's own text."""
    s, e = _span(f)
    own = f.get("text")
    if text is None or not (0 <= s <= e <= len(text)):
        return f"[[{one_line(str(own))}]]" if own is not None else "(no text)"
    a, b = max(0, s - width), min(len(text), e + width)
    out = (("..." if a > 0 else "") + one_line(text[a:s]) + "[[" + one_line(text[s:e]) + "]]"
           + one_line(text[e:b]) + ("..." if b < len(text) else ""))
    if own is not None and text[s:e] != own:
        out += f"   (span text differs from the fact's text {json.dumps(own, ensure_ascii=False)})"
    return out


def _short(v: Any, limit: int = 100) -> str:
    s = json.dumps(v, ensure_ascii=False, default=str)
    return s if len(s) <= limit else s[: limit - 3] + "..."


def format_diff(d: RunDiff, texts: Union[Texts, Mapping[str, str], Path, None] = None) -> str:
    tx = as_texts(texts)
    lines: list[str] = []
    lines.append(f"--- {d.old_name}  ({d.old_count} records)")
    lines.append(f"+++ {d.new_name}  ({d.new_count} records)")
    lines.append(d.provenance_message())
    for a in d.changed:
        head = f"== {a.doc_id}"
        if a.input == "changed":
            head += "   [input changed]"
        if a.texts_mismatch:
            head += "   [the given text is not the one the new run read: context may be off]"
        lines.append("")
        lines.append(head)
        # The new record's text for new/changed facts, the old one's for removed facts.
        t_new = tx.get(a.doc_id, {"source": a.new_source})
        t_old = tx.get(a.doc_id, {"source": a.old_source})
        for fld, (o, n) in a.event.items():
            lines.append(f"  event.{fld}: {_short(o)} -> {_short(n)}")
        for name in a.drivers_added:
            lines.append(f"  + driver {name}")
        for name in a.drivers_removed:
            lines.append(f"  - driver {name}")
        for name in a.mentions_changed:
            lines.append(f"  ~ driver {name}: mentions changed")
        for c in a.facts_changed:
            o, n = c.old, c.new
            lines.append(f"  ~ fact  {fact_label(n)}")
            for fld in c.fields:
                if fld == "text":
                    continue
                lines.append(f"      {fld}: {_short(o.get(fld))} -> {_short(n.get(fld))}")
            if "span" in c.fields:
                lines.append(f"      was: {context(t_old, o)}")
            lines.append(f"      {context(t_new, n)}")
        for j, f in a.facts_added:
            lines.append(f"  + fact  {fact_label(f)}   #{j}")
            lines.append(f"      {context(t_new, f)}")
        for i, f in a.facts_removed:
            lines.append(f"  - fact  {fact_label(f)}   (old #{i})")
            lines.append(f"      {context(t_old, f)}")
        for c in a.checks:
            if c.old_status is None:
                lines.append(f"  + check {c.name} {_fmt_list(c.new_facts)}: {c.new_status}  {c.message}".rstrip())
            elif c.new_status is None:
                lines.append(f"  - check {c.name} {_fmt_list(c.old_facts)}: was {c.old_status}")
            else:
                lines.append(f"  ~ check {c.name} {_fmt_list(c.new_facts)}: {c.old_status} -> {c.new_status}"
                             f"  {c.message}".rstrip())
        for k, (o, n) in a.other.items():
            lines.append(f"  ~ {k}: {_short(o)} -> {_short(n)}")
    for r in d.only_new:
        lines.append("")
        lines.append(f"+ article {r['doc_id']} (only in {d.new_name}): {len(r.get('facts') or [])} facts, "
                     f"{len(r.get('drivers') or [])} drivers" + (" ERROR " + _short(r['error']) if r.get("error") else ""))
    for r in d.only_old:
        lines.append("")
        lines.append(f"- article {r['doc_id']} (only in {d.old_name}): {len(r.get('facts') or [])} facts, "
                     f"{len(r.get('drivers') or [])} drivers")

    # Summary table.
    lines.append("")
    lines.append("summary")
    summ = d.summary()
    lines.append(f"  {'fact type':<20}{'added':>8}{'removed':>9}{'changed':>9}")
    tot = {"added": 0, "removed": 0, "changed": 0}
    for t, c in summ.items():
        lines.append(f"  {t:<20}{c['added']:>8}{c['removed']:>9}{c['changed']:>9}")
        for k in tot:
            tot[k] += c[k]
    lines.append(f"  {'TOTAL':<20}{tot['added']:>8}{tot['removed']:>9}{tot['changed']:>9}")
    rules = d.by_rule()
    if rules:
        lines.append("")
        lines.append("by rule")
        lines.append(f"  {'rule':<44}{'added':>8}{'removed':>9}{'changed':>9}")
        for r, c in rules.items():
            lines.append(f"  {r:<44}{c['added']:>8}{c['removed']:>9}{c['changed']:>9}")
    ch = d.changed
    lines.append(f"  articles: {len(ch)} changed, {len(d.articles) - len(ch)} identical, "
                 f"{len(d.only_new)} only in {d.new_name}, {len(d.only_old)} only in {d.old_name}")
    lines.append(f"  drivers: +{sum(len(a.drivers_added) for a in ch)} -{sum(len(a.drivers_removed) for a in ch)}"
                 f"; event fields changed: {sum(len(a.event) for a in ch)}"
                 f"; check verdicts changed: {sum(len(a.checks) for a in ch)}")
    if not d.comparable:
        lines.append(f"  {d.uncompared_message()}")
        lines.append("different: the runs could not be compared in full")
    else:
        lines.append("identical" if d.identical else "different")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# CLI


def diff_cli(
    old: str = typer.Argument(..., help="The old run's JSONL records (- for stdin, .gz ok)."),
    new: str = typer.Argument(..., help="The new run's JSONL records (- for stdin, .gz ok)."),
    json_: bool = typer.Option(False, "--json", help="Print the diff as JSON."),
    texts: Optional[Path] = typer.Option(None, "--texts", help="Article texts: a folder of <doc_id>.txt or a JSONL with id/text."),
) -> None:
    """Compare two runs (JSONL records): exit 0 identical, 1 different or not comparable, 2 bad input.

    A run that repeats a doc_id is never called identical.

    Example: extractor diff out/old.jsonl out/new.jsonl --texts seeds
    """
    from .clikit import warn
    if old == "-" and new == "-":
        raise InputError("-", "only one of the two runs can be read from stdin")
    old_recs = load_records(old, warn=warn)
    new_recs = load_records(new, warn=warn)
    tx = load_texts(texts)
    for side in (new, old):
        if side != "-":
            tx.add_base_dir(Path(side).resolve().parent)
    d = diff_runs(old_recs, new_recs, tx, old_name=display_name(old), new_name=display_name(new))
    if json_:
        typer.echo(json.dumps(d.as_dict(), ensure_ascii=False, indent=1))
    else:
        typer.echo(format_diff(d, tx))
    raise typer.Exit(0 if d.identical else 1)
