"""The one JSONL reader of the project.

``iter_records(path)`` yields ``(line number, object)`` for every non-blank
line of a JSONL file, ``-`` (stdin) or a ``.gz`` file. Lines are split on
``\\n`` only: U+2028, U+0085 and a lone ``\\r`` inside a string are text, not
line ends (``str.splitlines`` would break a record there). A UTF-8 byte-order
mark is tolerated; a trailing ``\\r`` (CRLF files) is dropped. Every problem
raises :class:`JsonlError`, which names the file and the line.
"""
from __future__ import annotations

import gzip
import io
import json
import sys
import zlib
from pathlib import Path
from typing import BinaryIO, Callable, Iterator, Optional, Union

__all__ = ["UserError", "JsonlError", "iter_records", "read_records", "open_bytes", "display_name"]

PathLike = Union[str, Path]


class UserError(Exception):
    """A problem the user can fix, reported as ``extractor: <file>: <reason>``."""

    def __init__(self, file: object, reason: str):
        self.file = str(file)
        self.reason = reason
        super().__init__(f"{self.file}: {reason}")


class JsonlError(UserError):
    """A JSONL input that cannot be read; ``line`` is None for whole-file problems."""

    def __init__(self, file: object, line: Optional[int], reason: str):
        self.line = line
        where = f"line {line}: " if line is not None else ""
        super().__init__(file, where + reason)
        self.bare_reason = reason


def display_name(path: PathLike) -> str:
    return "stdin" if str(path) == "-" else str(path)


def open_bytes(path: PathLike) -> BinaryIO:
    """The file's bytes (stdin for ``-``), decompressed when it is gzip (by
    suffix or by its magic bytes). Raises UserError with a one-line reason."""
    name = display_name(path)
    if str(path) == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
        raw: BinaryIO = io.BytesIO(data)
    else:
        p = Path(path)
        try:
            raw = p.open("rb")
        except FileNotFoundError:
            raise UserError(name, "no such file") from None
        except IsADirectoryError:
            raise UserError(name, "is a folder, expected a JSONL file") from None
        except OSError as e:
            raise UserError(name, f"cannot read ({e.strerror or e})") from None
    head = raw.peek(2)[:2] if hasattr(raw, "peek") else raw.read(2)
    if not hasattr(raw, "peek"):
        raw.seek(0)
    if head == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    if str(path).endswith(".gz"):
        raise UserError(name, "not a gzip file")
    return raw


def _lines(fh: BinaryIO, name: str) -> Iterator[bytes]:
    try:
        buf = b""
        while True:
            chunk = fh.read(1 << 16)
            if not chunk:
                break
            buf += chunk
            *done, buf = buf.split(b"\n")
            yield from done
        if buf:
            yield buf
    except (OSError, EOFError, zlib.error) as e:
        raise JsonlError(name, None, f"cannot read ({e})") from None


def iter_records(path: PathLike) -> Iterator[tuple[int, dict]]:
    """``(line number, object)`` for each non-blank line; raises JsonlError."""
    name = display_name(path)
    fh = open_bytes(path)
    try:
        for n, raw in enumerate(_lines(fh, name), 1):
            if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if raw.endswith(b"\r"):
                raw = raw[:-1]
            if not raw.strip():
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise JsonlError(name, n, f"not UTF-8 text (byte {e.start})") from None
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as e:
                raise JsonlError(name, n, f"not JSON ({e.msg} at column {e.colno}); expected one JSON object per line") from None
            if not isinstance(obj, dict):
                raise JsonlError(name, n, f"expected a JSON object, got {type(obj).__name__}")
            yield n, obj
    finally:
        fh.close()


def read_records(path: PathLike, warn: Optional[Callable[[str], None]] = None,
                 require_doc_id: bool = True) -> list[dict]:
    """Every record of a JSONL file, in order. A record without a string
    ``doc_id`` is an error (when required); each repeated ``doc_id`` is passed
    to ``warn`` as a one-line message (the records are all kept)."""
    name = display_name(path)
    out: list[dict] = []
    first_line: dict[str, int] = {}
    for n, rec in iter_records(path):
        doc_id = rec.get("doc_id")
        if require_doc_id and (not isinstance(doc_id, str) or not doc_id):
            raise JsonlError(name, n, "record has no doc_id")
        if isinstance(doc_id, str):
            if doc_id in first_line:
                if warn is not None:
                    warn(f"{name}: warning: line {n}: duplicate doc_id {doc_id!r} (first on line {first_line[doc_id]})")
            else:
                first_line[doc_id] = n
        out.append(rec)
    return out


def duplicate_ids(records: list[dict]) -> list[str]:
    """doc_ids that occur more than once, in order of their second occurrence."""
    seen: set[str] = set()
    dups: list[str] = []
    for r in records:
        d = r.get("doc_id")
        if d in seen and d not in dups:
            dups.append(d)
        seen.add(d)
    return dups
