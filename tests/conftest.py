"""Shared fixtures: the seed records, extracted once per test session."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLDEN = ROOT / "tests" / "fixtures" / "golden"


@pytest.fixture(scope="session")
def seed_records() -> list[dict]:
    from extractor import Extractor
    ex = Extractor()
    return [ex(p.read_text(encoding="utf-8"), doc_id=p.stem, source=f"seeds/{p.name}").to_dict() for p in SEEDS]


@pytest.fixture(scope="session")
def golden_records() -> list[dict]:
    return [json.loads((GOLDEN / f"{p.stem}.json").read_text(encoding="utf-8")) for p in SEEDS]


@pytest.fixture
def seeds_jsonl(tmp_path, seed_records) -> Path:
    p = tmp_path / "seeds.jsonl"
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in seed_records), encoding="utf-8")
    return p
