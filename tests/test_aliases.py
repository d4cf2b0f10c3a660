"""Driver aliases are read at load time: the shipped patterns/driver_aliases.jsonl
and a user's file named by EXTRACTOR_ALIASES, without rebuilding the roster."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from extractor.jsonl import UserError
from extractor.reference import load_reference
from extractor.resources import patterns_dir, ruleset_hash

TEXT = " date 2024-03-09 {name} won the pole for the NASCAR Cup Series race at Phoenix Raceway.\n"


def drivers_of(text: str, patterns: Path | None = None) -> list[str]:
    from extractor import Extractor
    rec = Extractor(patterns=patterns, run_checks=False)(text, doc_id="t")
    return [d.name for d in rec.drivers]


def test_user_alias_file(tmp_path, monkeypatch):
    nick = "Yung Money Larson"
    assert "Kyle Larson" not in drivers_of(TEXT.format(name=nick))
    before = ruleset_hash()
    f = tmp_path / "mine.jsonl"
    f.write_text(json.dumps({"name": "Kyle Larson", "aliases": [nick]}) + "\n", encoding="utf-8")
    monkeypatch.setenv("EXTRACTOR_ALIASES", str(f))
    assert load_reference().roster.by_name(nick).name == "Kyle Larson"
    assert drivers_of(TEXT.format(name=nick)) == ["Kyle Larson"]
    assert ruleset_hash() != before  # a record says its rules differ


def test_shipped_aliases_file_is_read_at_load_time(tmp_path):
    copy = tmp_path / "patterns"
    shutil.copytree(patterns_dir(), copy)
    nick = "Dandy Denny Hamlin"
    with (copy / "driver_aliases.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"name": "Denny Hamlin", "aliases": [nick]}) + "\n")
    ref = load_reference(copy)
    assert ref.roster.by_name(nick).name == "Denny Hamlin"
    assert "Dandy Denny Hamlin" not in [a for d in load_reference(patterns_dir()).roster for a in d.aliases]
    assert drivers_of(TEXT.format(name=nick), patterns=copy) == ["Denny Hamlin"]


@pytest.mark.parametrize("content, reason", [
    ('{"name": "Nobody Atall", "aliases": ["N. Atall"]}\n', "not a roster driver"),
    ('{"aliases": ["x"]}\n', 'needs a "name"'),
    ("{broken\n", "not an aliases file"),
    (None, "EXTRACTOR_ALIASES names no file"),
])
def test_bad_user_alias_file(tmp_path, monkeypatch, content, reason):
    f = tmp_path / "mine.jsonl"
    if content is not None:
        f.write_text(content, encoding="utf-8")
    monkeypatch.setenv("EXTRACTOR_ALIASES", str(f))
    with pytest.raises(UserError) as e:
        load_reference()
    assert e.value.file == str(f) and reason in e.value.reason
