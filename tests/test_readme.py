"""The README's library example runs as written."""
from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def python_block(section: str) -> str:
    text = README.read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", body, re.S)
    assert blocks, f"no python block under '## {section}'"
    return blocks[0]


def test_library_example_runs():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(python_block("Library"), "README.md", "exec"), {"__name__": "readme"})
    lines = out.getvalue().splitlines()
    record = json.loads(lines[0])
    assert record["doc_id"] == "a1" and record["facts"]
    # the results rows the example prints: Truex on the pole, Logano the winner
    # two articles, one race: linked to the official results, round 36 of 2024
    key = "Cup|2024|R36 "
    assert sorted(lines[1:]) == [key + "Joey Logano 2 1", key + "Martin Truex Jr. 1 None"]


def test_readme_documents_exit_codes_and_licence():
    text = README.read_text(encoding="utf-8")
    for code in ("| 0 |", "| 1 |", "| 2 |"):
        assert code in text
    assert "GPL-3.0-or-later" in text and "docs/record.md" in text
