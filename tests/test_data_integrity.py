"""Knowledge is data: every label, list and rule in patterns/ is read by the
code, and every rule id the code can emit is defined there.

A label nobody reads is a rule that silently does nothing; an id emitted but
not defined is a fact nobody can trace. Both fail here.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from extractor.resources import patterns_dir, read_jsonl

SRC = Path(__file__).resolve().parents[1] / "src" / "extractor"
CODE = "\n".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py"))


def test_every_cue_label_is_read():
    labels = {r["label"] for r in read_jsonl("cues.jsonl")}
    unread = sorted(lab for lab in labels if f'"{lab}"' not in CODE)
    assert not unread, f"cue labels no code reads: {unread}"


def test_every_lexicon_key_is_read():
    lex = json.loads((patterns_dir() / "lexicon.json").read_text(encoding="utf-8"))
    unread = sorted(k for k in lex if not k.startswith("_") and not k.endswith("_note") and f'"{k}"' not in CODE)
    assert not unread, f"lexicon keys no code reads: {unread}"


def test_every_blocks_key_is_read():
    data = json.loads((patterns_dir() / "blocks.json").read_text(encoding="utf-8"))
    keys = [k for k in data if not k.startswith("_")] + list(data["limits"]) + list(data["headings"])
    unread = sorted(k for k in keys if f'"{k}"' not in CODE)
    assert not unread, f"blocks.json keys no code reads: {unread}"
    roles = set(data["columns"])
    unused = sorted(r for r in roles if f'"{r}"' not in CODE)
    assert not unused, f"column roles no code reads: {unused}"


RULES = {r["id"]: r for r in read_jsonl("rules.jsonl")}
SHAPES = sorted(set(re.findall(r'"(block:[a-z-]+)"', CODE)))
SUFFIXES = sorted(set(re.findall(r'rule \+ ":([a-z-]+)"', CODE)) | {"gap-leader-column", "gap-next-column"})


def _emitted_ids() -> set[str]:
    ids = set(re.findall(r'rule="([a-z_]+:[a-z0-9:-]+)"', CODE))
    families = "|".join(sorted({i.split(":")[0] for i in RULES}))
    ids |= set(re.findall(rf'"((?:{families}):[a-z0-9-]+(?::[a-z0-9-]+)*)"', CODE)) - set(re.findall(r'"(block:[a-z-]+)"', CODE))
    ids |= {r["id"] for r in RULES.values() if r.get("stage") == "stats"}
    return ids


def test_every_rule_is_defined_once_with_known_types():
    from extractor.models import FactType
    known = set(FactType.__args__)
    lines = [ln for ln in (patterns_dir() / "rules.jsonl").read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("//")]
    ids = [json.loads(ln)["id"] for ln in lines]
    assert len(ids) == len(set(ids)), "a rule id is defined twice"
    for r in RULES.values():
        assert set(r["types"]) <= known, r
        assert 0 < r["confidence"] <= 1, r


def test_every_emitted_rule_id_is_defined():
    missing = sorted(i for i in _emitted_ids() if i not in RULES)
    assert not missing, f"rule ids in code but not in rules.jsonl: {missing}"


def test_every_defined_rule_can_be_emitted():
    emitted = _emitted_ids()
    block_ids = {f"{s}:{x}" for s in SHAPES for x in SUFFIXES + ["aligned", "order"]}
    unused = sorted(i for i in RULES if i not in emitted and i not in block_ids
                    and not (i.startswith("entity:") and "entity:" in CODE)
                    and not (i.startswith("stats:") and 'rule="stats:" +' in CODE))
    assert not unused, f"rules no code emits: {unused}"


def test_stat_rule_patterns_compile_and_match_their_examples():
    from extractor.stats import compile_stat_rules
    lex = json.loads((patterns_dir() / "lexicon.json").read_text(encoding="utf-8"))
    rules = compile_stat_rules(list(read_jsonl("rules.jsonl")), lex["number_words"])
    assert rules
    for r in rules:
        ex = RULES[r.id]["description"]
        quoted = re.findall(r"'([^']+)'", ex)
        assert any(r.regex.search(q) for q in quoted), f"{r.id}: no example in its description matches"


def test_a_bad_rule_pattern_names_its_id():
    from extractor.stats import compile_stat_rules
    with pytest.raises(ValueError, match="stats:broken"):
        compile_stat_rules([{"id": "stats:broken", "types": ["cautions"], "stage": "stats", "pattern": "(?P<n>"}], {})


def test_an_undefined_rule_id_is_refused():
    from extractor.facts_base import FactSink, UnknownRule, load_rules
    sink = FactSink("x" * 10, load_rules(read_jsonl("rules.jsonl")))
    with pytest.raises(UnknownRule):
        sink.add("cautions", None, 3, (0, 1), rule="stats:no-such-rule")
