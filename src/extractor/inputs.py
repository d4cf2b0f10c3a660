"""Reading inputs: .txt files, folders of them, JSONL (id/text/date), stdin.

Reading is split in two so a batch streams and its parent process stays light:

- ``iter_tasks(paths)`` *locates* documents: it lists folders, splits JSONL
  files into lines (on ``\\n`` only) and yields one small ``Task`` per
  document, lazily. It never holds more than one JSONL line, and never opens
  a .txt file.
- ``load(task)`` *reads* one document (in a worker when there are workers)
  and returns an ``InputDoc`` or an ``InputError``.

Every input document becomes exactly one of those; a problem with one never
stops the others. What "the text as read" means, so spans index it exactly:
UTF-8 decoded, a leading byte-order mark dropped, and a lone CR (old Mac line
ending) read as LF. That is one character for one, so every offset into the
text is also the offset of the same character in the decoded file.
"""
from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from typing import BinaryIO, Iterable, Iterator

# spaCy refuses texts longer than nlp.max_length (1,000,000 characters, error
# E088). The pipeline uses the same figure (pipeline.MAX_CHARS; a test keeps
# the three equal) so an oversized article is refused here, clearly.
MAX_CHARS = 1_000_000
# UTF-8 takes at most 4 bytes a character: a file larger than this cannot
# hold an acceptable text, so it is refused without being read.
MAX_BYTES = 4 * MAX_CHARS
# A JSONL line holding a MAX_CHARS text escaped as \uXXXX, plus the metadata.
MAX_LINE = 6 * MAX_CHARS + 65_536

TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
FORMATS = ("auto", "text", "jsonl")
BOM = b"\xef\xbb\xbf"
_LONE_CR = re.compile(r"\r(?!\n)")

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

    @property
    def text_sha(self) -> str:
        return text_sha(self.text)


@dataclass
class InputError:
    doc_id: str
    kind: str
    message: str
    source: str | None = None


@dataclass
class Task:
    """One input document, not yet read. Cheap to pickle: a path, one JSONL
    line, the bytes of stdin, or an error found while locating."""
    kind: str                      # "file" | "line" | "data" | "error" | "read" | "skip"
    doc_id: str
    source: str | None
    path: str | None = None        # kind "file"
    payload: bytes | None = None   # kind "line" / "data"
    lineno: int = 0                # kind "line"
    error: InputError | None = None
    item: "InputDoc | None" = None  # kind "read" (already read) / "skip" (done before: --resume)


class PathProblem(Exception):
    """Kept for callers of the old API; paths now become error records."""


def text_sha(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def clean_name(s: str) -> str:
    """A name that can be written as UTF-8: bytes of a non-UTF-8 file name
    (held as surrogate escapes) or lone surrogates from a JSON escape come
    out as ``\\xNN``."""
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        pass
    try:
        raw = s.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = s.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "backslashreplace")


def looks_english(text: str) -> bool:
    words = re.findall(r"[A-Za-z]+", text.lower())
    if len(words) < 12:
        return True
    hits = sum(1 for w in words if w in _EN)
    return hits / len(words) >= 0.08


def _too_large(n: int, unit: str, limit: int) -> str:
    return f"the input is {n:,} {unit}; the limit is {limit:,} {unit}"


def check_text(text: str, doc_id: str, source: str | None) -> InputDoc | InputError:
    """The checks every decoded text goes through, whatever it came from."""
    if not text.strip():
        return InputError(doc_id, "empty", "the input is empty", source)
    if text.startswith("\ufeff"):
        text = text[1:]
    if len(text) > MAX_CHARS:
        return InputError(doc_id, "too_large", _too_large(len(text), "characters", MAX_CHARS), source)
    sample = text[:4096]
    if "\x00" in sample or sum(1 for c in sample if c < "\t" or "\r" < c < " ") > len(sample) * 0.05:
        return InputError(doc_id, "binary", "the input is a binary file, not text", source)
    if re.search(r"[\ud800-\udfff]", text):
        return InputError(doc_id, "encoding", "the text holds a lone surrogate (not valid Unicode)", source)
    if "\r" in text:
        text = _LONE_CR.sub("\n", text)
    doc = InputDoc(doc_id, text, source=source)
    if not looks_english(text):
        doc.warnings.append("the text does not look like English; nothing extracted")
    return doc


def decode(data: bytes, doc_id: str, source: str | None) -> InputDoc | InputError:
    if not data.strip():
        return InputError(doc_id, "empty", "the input is empty", source)
    if len(data) > MAX_BYTES:
        return InputError(doc_id, "too_large", _too_large(len(data), "bytes", MAX_BYTES), source)
    sample = data[:4096]
    if b"\x00" in sample or sum(1 for b in sample if b < 9 or 13 < b < 32) > len(sample) * 0.05:
        return InputError(doc_id, "binary", "the input is a binary file, not text", source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return InputError(doc_id, "encoding", f"invalid UTF-8 at byte {exc.start}", source)
    return check_text(text, doc_id, source)


def _metadata_date(value, doc: InputDoc) -> None:
    """A JSONL ``date``: ISO date or datetime; anything else is a warning and
    the article is extracted without it."""
    if value is None or value == "":
        return
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            day = None
        # A racing article's date; far-off years (0001, 9999) would only
        # overflow the date arithmetic of the event resolution.
        if day and 1900 <= day.year <= 2100:
            doc.published = day.isoformat()
            return
    shown = clean_name(str(value))
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    doc.warnings.append(f"metadata date {shown!r} is not a YYYY-MM-DD date; ignored")


def _doc_id(obj: dict, fallback: str) -> str | None:
    ident = obj.get("id")
    if ident is None or ident == "":
        return fallback
    if isinstance(ident, bool) or not isinstance(ident, (str, int, float)):
        return None
    return clean_name(str(ident))


def parse_jsonl_line(line: bytes, where: str, lineno: int, source: str | None) -> InputDoc | InputError:
    fallback = f"{where}:{lineno}"
    try:
        s = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return InputError(fallback, "encoding", f"line {lineno}: invalid UTF-8 at byte {exc.start}", source)
    try:
        obj = json.loads(s)
    except json.JSONDecodeError as exc:
        return InputError(fallback, "malformed_jsonl", f"line {lineno}: {exc.msg}", source)
    except RecursionError:
        return InputError(fallback, "malformed_jsonl", f"line {lineno}: nested too deeply", source)
    except ValueError as exc:  # e.g. an integer longer than Python converts (4,300 digits)
        return InputError(fallback, "malformed_jsonl", f"line {lineno}: {str(exc).splitlines()[0]}", source)
    if not isinstance(obj, dict):
        return InputError(fallback, "malformed_jsonl", f"line {lineno}: not a JSON object", source)
    doc_id = _doc_id(obj, fallback)
    if doc_id is None:
        return InputError(fallback, "malformed_jsonl", f"line {lineno}: 'id' must be a string or number", source)
    if not isinstance(obj.get("text"), str):
        return InputError(doc_id, "malformed_jsonl", f"line {lineno}: needs a string 'text' field", source)
    res = check_text(obj["text"], doc_id, source)
    if isinstance(res, InputDoc):
        _metadata_date(obj.get("date", obj.get("published")), res)
    return res


def _stem(name: str) -> str:
    base = os.path.basename(name.rstrip("/")) or name
    for suf in (".gz",):
        if base.endswith(suf):
            base = base[: -len(suf)]
    stem, dot, _ = base.rpartition(".")
    return stem if dot and stem else base


def _is_jsonl(name: str, fmt: str) -> bool:
    if fmt == "jsonl":
        return True
    if fmt == "text":
        return False
    return name.endswith(JSONL_SUFFIXES)


def _error_task(doc_id: str, kind: str, message: str, source: str | None) -> Task:
    return Task("error", doc_id, source, error=InputError(doc_id, kind, message, source))


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a regular file; not read"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file; not read"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file; not read"
    return "not a regular file; not read"


def _open_binary(path: str) -> BinaryIO:
    if path.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def iter_lines(fh: BinaryIO, limit: int = MAX_LINE) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) for every line split on ``\\n`` only (never on CR,
    U+2028 or other separators that text-mode reading honours); a line longer
    than ``limit`` comes as ``None`` and is skipped without being held."""
    lineno = 0
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield lineno, None
            continue
        if lineno == 1 and line.startswith(BOM):
            line = line[len(BOM):]
        yield lineno, line


def _jsonl_tasks(fh: BinaryIO, where: str, source: str) -> Iterator[Task]:
    for lineno, line in iter_lines(fh):
        if line is None:
            yield _error_task(f"{where}:{lineno}", "too_large",
                              f"line {lineno} is longer than {MAX_LINE:,} bytes", source)
        elif line.strip():
            yield Task("line", f"{where}:{lineno}", source, payload=line, lineno=lineno)


def _path_tasks(path: str, fmt: str, listed: bool = False, skip: frozenset = frozenset()) -> Iterator[Task]:
    shown = clean_name(path)
    doc_id = clean_name(_stem(path))
    try:
        st = os.stat(path)
    except FileNotFoundError:
        yield _error_task(doc_id, "missing", "no such file or folder", shown)
        return
    except OSError as exc:
        yield _error_task(doc_id, "unreadable", exc.strerror or str(exc), shown)
        return
    if stat.S_ISDIR(st.st_mode) and not listed:
        yield from _folder_tasks(path, fmt, skip)
        return
    problem = _not_regular(st.st_mode)
    if problem:
        yield _error_task(doc_id, "not_a_file", problem, shown)
        return
    if _is_jsonl(path, fmt):
        try:
            fh = _open_binary(path)
        except OSError as exc:
            yield _error_task(doc_id, "unreadable", exc.strerror or str(exc), shown)
            return
        with fh:
            try:
                yield from _jsonl_tasks(fh, doc_id, shown)
            except (OSError, EOFError) as exc:  # a truncated .gz, a read error mid-file
                yield _error_task(doc_id, "unreadable", f"reading stopped: {exc}", shown)
        return
    if st.st_size > MAX_BYTES:
        yield _error_task(doc_id, "too_large", _too_large(st.st_size, "bytes", MAX_BYTES), shown)
        return
    yield Task("file", doc_id, shown, path=path)


def _folder_tasks(path: str, fmt: str, skip: frozenset = frozenset()) -> Iterator[Task]:
    shown = clean_name(path)
    try:
        with os.scandir(path) as it:
            all_names = sorted(e.name for e in it)
    except OSError as exc:
        yield _error_task(clean_name(_stem(path)), "unreadable", exc.strerror or str(exc), shown)
        return
    # A folder's documents are its .txt files; a folder without any is a
    # folder of JSONL shards (a run's own old output beside .txt articles
    # is thus never read as input).
    names = [n for n in all_names if n.endswith(TEXT_SUFFIXES)]
    if not names and fmt != "text":
        names = [n for n in all_names if n.endswith(JSONL_SUFFIXES)]
    found = False
    for name in names:
        full = os.path.join(path, name)
        if os.path.isdir(full) or (skip and os.path.realpath(full) in skip):
            continue  # the run's own output (or its partial) is never an input
        found = True
        yield from _path_tasks(full, "jsonl" if name.endswith(JSONL_SUFFIXES) and fmt != "text" else "text",
                               listed=True)
    if not found:
        yield _error_task(clean_name(_stem(path)), "no_inputs", "no .txt or .jsonl files in this folder", shown)


def _stdin_tasks(stdin: BinaryIO, fmt: str) -> Iterator[Task]:
    if fmt == "auto":
        # Peek at the first non-blank line: JSONL only when it is a JSON object
        # with a string "text"; an article that merely starts with "{" is text.
        head = b""
        for _, line in iter_lines(stdin):
            if line is None:
                break
            head += line
            if line.strip():
                break
        try:
            obj = json.loads(head.lstrip(BOM)) if head.strip() else None
        except (ValueError, RecursionError):
            obj = None
        fmt = "jsonl" if isinstance(obj, dict) and isinstance(obj.get("text"), str) else "text"
        stdin = _Prefixed(head, stdin)  # type: ignore[assignment]
    if fmt == "jsonl":
        yield from _jsonl_tasks(stdin, "stdin", "-")
        return
    data = stdin.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        while stdin.read(1 << 20):
            pass
        yield _error_task("stdin", "too_large", f"the input is more than {MAX_BYTES:,} bytes", "-")
        return
    yield Task("data", "stdin", "-", payload=data)


class _Prefixed:
    """A binary stream with some already-read bytes put back in front."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self.head, self.rest = io.BytesIO(head), rest

    def readline(self, limit: int = -1) -> bytes:
        line = self.head.readline(limit)
        if line.endswith(b"\n") or (limit >= 0 and len(line) >= limit):
            return line
        return line + self.rest.readline(-1 if limit < 0 else limit - len(line))

    def read(self, n: int = -1) -> bytes:
        head = self.head.read(n)
        if n < 0:
            return head + self.rest.read()
        return head + self.rest.read(n - len(head)) if len(head) < n else head


def iter_tasks(paths: Iterable[str], fmt: str = "auto", stdin: BinaryIO | None = None,
               skip: Iterable[str] = ()) -> Iterator[Task]:
    """One task per input document, in input order, lazily. Files named in
    ``skip`` (the run's output) are left out of folders."""
    skipset = frozenset(os.path.realpath(p) for p in skip)
    for p in paths:
        if p == "-":
            yield from _stdin_tasks(stdin or sys.stdin.buffer, fmt)
        else:
            yield from _path_tasks(p, fmt, skip=skipset)


def load(task: Task) -> InputDoc | InputError:
    """Read one located document."""
    if task.kind == "error":
        assert task.error is not None
        return task.error
    if task.kind in ("read", "skip"):
        assert task.item is not None
        return task.item
    if task.kind == "line":
        return parse_jsonl_line(task.payload or b"", task.doc_id.rpartition(":")[0], task.lineno, task.source)
    if task.kind == "data":
        return decode(task.payload or b"", task.doc_id, task.source)
    try:
        st = os.stat(task.path)
        problem = _not_regular(st.st_mode)
        if problem:  # it changed since it was listed
            return InputError(task.doc_id, "not_a_file", problem, task.source)
        with open(task.path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        return InputError(task.doc_id, "unreadable", exc.strerror or str(exc), task.source)
    return decode(data, task.doc_id, task.source)


def count_tasks(paths: Iterable[str], fmt: str = "auto", skip: Iterable[str] = ()) -> int | None:
    """How many documents ``iter_tasks`` will yield (for a progress bar), or
    None when stdin is among the inputs. Reads JSONL files once, quickly."""
    n = 0
    for p in paths:
        if p == "-":
            return None
        for _ in _path_tasks(p, fmt, skip=frozenset(os.path.realpath(s) for s in skip)):
            n += 1
    return n


def iter_path(path: str, stdin: BinaryIO | None = None, fmt: str = "auto") -> Iterator[InputDoc | InputError]:
    """Documents of one path, read in this process (library convenience)."""
    for task in iter_tasks([path], fmt, stdin):
        yield load(task)
