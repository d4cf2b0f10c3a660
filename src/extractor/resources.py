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


#: A user's own driver aliases (JSONL, the format of patterns/driver_aliases.jsonl),
#: read at load time on top of the shipped ones.
ALIASES_ENV = "EXTRACTOR_ALIASES"


def patterns_dir() -> Path:
    env = os.environ.get("EXTRACTOR_PATTERNS")
    if env:
        from .jsonl import UserError
        p = Path(env)
        if not p.is_dir():
            raise UserError(p, "EXTRACTOR_PATTERNS is not a folder" if p.exists() else
                            "EXTRACTOR_PATTERNS names a folder that does not exist")
        if not (p / "drivers.jsonl").is_file():
            raise UserError(p, "EXTRACTOR_PATTERNS folder has no drivers.jsonl (copy the shipped patterns/ folder)")
        return p
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


def user_aliases_file() -> Path | None:
    """The ``EXTRACTOR_ALIASES`` file, when set; UserError when it is not a file."""
    env = os.environ.get(ALIASES_ENV)
    if not env:
        return None
    p = Path(env)
    if not p.is_file():
        from .jsonl import UserError
        raise UserError(p, f"{ALIASES_ENV} names no file")
    return p


def ruleset_hash(base: Path | None = None) -> str:
    """A hash over every knowledge file (and the user's aliases file), so a
    record says which rules made it."""
    return _ruleset_hash(base or patterns_dir(), user_aliases_file())


@lru_cache(maxsize=8)
def _ruleset_hash(root: Path, aliases: Path | None) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
    if aliases is not None:
        h.update(b"\0user-aliases\0")
        h.update(aliases.read_bytes())
    return h.hexdigest()[:16]
