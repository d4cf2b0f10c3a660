"""Where the knowledge files live, and how to read them.

An installed wheel carries them as ``extractor/patterns``; a source checkout
(editable install, tests) reads the repository's ``patterns/`` directly, so an
edit there takes effect without reinstalling. ``EXTRACTOR_PATTERNS`` points
at another folder, which is how users try their own rules.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator


def patterns_dir() -> Path:
    env = os.environ.get("EXTRACTOR_PATTERNS")
    if env:
        return Path(env)
    packaged = Path(__file__).with_name("patterns")
    if packaged.is_dir():
        return packaged
    repo = Path(__file__).resolve().parents[2] / "patterns"
    if repo.is_dir():
        return repo
    raise FileNotFoundError("no patterns/ folder found (set EXTRACTOR_PATTERNS)")


def _open(path: Path):
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def read_jsonl(name: str, base: Path | None = None) -> Iterator[dict[str, Any]]:
    path = (base or patterns_dir()) / name
    with _open(path) as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: {exc.msg}") from None


def read_json(name: str, base: Path | None = None) -> Any:
    path = (base or patterns_dir()) / name
    with _open(path) as fh:
        return json.load(fh)


@lru_cache(maxsize=8)
def ruleset_hash(base: Path | None = None) -> str:
    """A hash over every knowledge file, so a record says which rules made it."""
    root = base or patterns_dir()
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()[:16]
