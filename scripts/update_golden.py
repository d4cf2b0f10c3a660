"""Rewrite tests/fixtures/golden/ from the current extractor (review the diff!)."""
from __future__ import annotations

import json
from pathlib import Path

from extractor import extract

ROOT = Path(__file__).resolve().parents[1]

for path in sorted((ROOT / "seeds").glob("*.txt")):
    rec = extract(path.read_text(encoding="utf-8"), doc_id=path.stem, source=f"seeds/{path.name}").to_dict()
    rec.pop("extractor", None)
    out = ROOT / "tests" / "fixtures" / "golden" / f"{path.stem}.json"
    out.write_text(json.dumps(rec, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print("wrote", out.relative_to(ROOT))
