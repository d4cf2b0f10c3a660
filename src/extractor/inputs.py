"""Reading inputs: .txt files, folders of them, JSONL (id/text/date), stdin.

Every input document becomes either an ``InputDoc`` or an ``InputError``; a
problem with one never stops the others.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, TextIO

MAX_BYTES = 2_000_000
# A few of the commonest English words; an article without them is not English.
_EN = {"the", "and", "of", "to", "a", "in", "was", "his", "for", "on", "with", "at", "he", "is", "that", "by",
       "as", "from", "it", "lap", "race", "after", "laps", "but", "had", "who", "will", "has", "its", "an"}


@dataclass
class InputDoc:
    doc_id: str
    text: str
    published: str | None = None
    source: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class InputError:
    doc_id: str
    kind: str
    message: str
    source: str | None = None


class PathProblem(Exception):
    """A path that is not an input document (missing, unreadable, wrong kind)."""


def looks_english(text: str) -> bool:
    words = re.findall(r"[A-Za-z]+", text.lower())
    if len(words) < 12:
        return True
    hits = sum(1 for w in words if w in _EN)
    return hits / len(words) >= 0.08


def decode(data: bytes, doc_id: str, source: str | None) -> InputDoc | InputError:
    if not data.strip():
        return InputError(doc_id, "empty", "the input is empty", source)
    if len(data) > MAX_BYTES:
        return InputError(doc_id, "too_large", f"the input is {len(data):,} bytes; the limit is {MAX_BYTES:,}", source)
    sample = data[:4096]
    if b"\x00" in sample or sum(1 for b in sample if b < 9 or 13 < b < 32) > len(sample) * 0.05:
        return InputError(doc_id, "binary", "the input is a binary file, not text", source)
    warnings = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return InputError(doc_id, "encoding", f"invalid UTF-8 at byte {exc.start}", source)
    if text.startswith("\ufeff"):
        text = text[1:]
    doc = InputDoc(doc_id, text, source=source, warnings=warnings)
    if not looks_english(text):
        doc.warnings.append("the text does not look like English; nothing extracted")
    return doc


def _from_jsonl_line(line: str, where: str, lineno: int, source: str) -> InputDoc | InputError:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(f"{where}:{lineno}", "malformed_jsonl", f"line {lineno}: {exc.msg}", source)
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        ident = obj.get("id") if isinstance(obj, dict) else None
        return InputError(str(ident or f"{where}:{lineno}"), "malformed_jsonl",
                          f"line {lineno}: needs a string 'text' field", source)
    doc_id = str(obj.get("id") or f"{where}:{lineno}")
    res = decode(obj["text"].encode("utf-8", "surrogatepass"), doc_id, source)
    if isinstance(res, InputDoc):
        date = obj.get("date") or obj.get("published")
        res.published = str(date)[:10] if date else None
    return res


def iter_jsonl(fh: TextIO, where: str, source: str) -> Iterator[InputDoc | InputError]:
    for lineno, line in enumerate(fh, 1):
        if line.strip():
            yield _from_jsonl_line(line, where, lineno, source)


def iter_path(path: str, stdin: TextIO | None = None) -> Iterator[InputDoc | InputError]:
    if path == "-":
        data = (stdin or sys.stdin).read()
        if data.lstrip().startswith("{"):
            yield from iter_jsonl(iter(data.splitlines(True)), "stdin", "-")
        else:
            yield decode(data.encode("utf-8", "surrogateescape"), "stdin", "-")
        return
    p = Path(path)
    if not p.exists():
        raise PathProblem(f"{path}: no such file or folder")
    if p.is_dir():
        files = sorted(f for f in p.iterdir() if f.suffix == ".txt" and f.is_file())
        if not files:
            raise PathProblem(f"{path}: no .txt files in this folder")
        for f in files:
            yield from iter_path(str(f))
        return
    if p.suffix == ".jsonl":
        try:
            with p.open(encoding="utf-8", errors="strict") as fh:
                yield from iter_jsonl(fh, p.stem, str(p))
        except UnicodeDecodeError as exc:
            yield InputError(p.stem, "encoding", f"invalid UTF-8 in {path} at byte {exc.start}", str(p))
        return
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise PathProblem(f"{path}: {exc.strerror or exc}") from None
    yield decode(data, p.stem, str(p))
