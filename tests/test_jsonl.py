"""The one JSONL reader: split on \\n only, BOM, CRLF, gzip, stdin, errors with file and line."""
from __future__ import annotations

import gzip
import io
import json
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.jsonl import JsonlError, UserError, iter_records, read_records


def write(path, data: bytes):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\u0085", "\r", "\x0b", "\x0c", "\x1c"])
def test_unicode_line_separators_inside_strings_are_text(tmp_path, sep):
    text = f"before{sep}after"
    # ensure_ascii=False writes the separator raw, as the extractor does
    p = write(tmp_path / "r.jsonl", (json.dumps({"doc_id": "a", "text": text}, ensure_ascii=False) + "\n"
                                     + json.dumps({"doc_id": "b"}) + "\n").encode("utf-8"))
    got = list(iter_records(p))
    assert [(n, r["doc_id"]) for n, r in got] == [(1, "a"), (2, "b")]
    assert got[0][1]["text"] == text


@pytest.mark.parametrize("data, ids", [
    (b'\xef\xbb\xbf{"doc_id": "a"}\n{"doc_id": "b"}\n', ["a", "b"]),      # BOM
    (b'{"doc_id": "a"}\r\n{"doc_id": "b"}\r\n', ["a", "b"]),              # CRLF
    (b'{"doc_id": "a"}\n\n   \n{"doc_id": "b"}', ["a", "b"]),             # blank lines, no final newline
    (b'', []),
])
def test_line_forms(tmp_path, data, ids):
    assert [r["doc_id"] for _, r in iter_records(write(tmp_path / "r.jsonl", data))] == ids


def test_line_numbers_count_blank_lines(tmp_path):
    p = write(tmp_path / "r.jsonl", b'{"doc_id": "a"}\n\n{"doc_id": "b"}\n')
    assert [n for n, _ in iter_records(p)] == [1, 3]


def test_gzip_by_suffix_and_by_magic(tmp_path):
    data = b'{"doc_id": "a"}\n'
    gz = write(tmp_path / "r.jsonl.gz", gzip.compress(data))
    assert [r["doc_id"] for _, r in iter_records(gz)] == ["a"]
    hidden = write(tmp_path / "r.jsonl", gzip.compress(data))
    assert [r["doc_id"] for _, r in iter_records(hidden)] == ["a"]


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"doc_id": "s"}\n')))
    assert [r["doc_id"] for _, r in iter_records("-")] == ["s"]


@pytest.mark.parametrize("data, where, reason", [
    (b'{"doc_id": "a"}\nnot json\n', "line 2", "not JSON"),
    (b'[1, 2]\n', "line 1", "expected a JSON object"),
    (b'{"doc_id": "a"}\n{"doc_id": "\xff"}\n', "line 2", "not UTF-8"),
    (b'{"doc_id": "a"', "line 1", "not JSON"),
])
def test_errors_name_file_and_line(tmp_path, data, where, reason):
    p = write(tmp_path / "bad.jsonl", data)
    with pytest.raises(JsonlError) as e:
        list(iter_records(p))
    msg = str(e.value)
    assert msg.startswith(f"{p}: {where}: {reason}") and "\n" not in msg
    assert e.value.file == str(p) and e.value.line == int(where.split()[1])


@pytest.mark.parametrize("name, data, reason", [
    ("missing.jsonl", None, "no such file"),
    ("fake.jsonl.gz", b"plain", "not a gzip file"),
])
def test_file_errors(tmp_path, name, data, reason):
    p = tmp_path / name
    if data is not None:
        p.write_bytes(data)
    with pytest.raises(UserError, match=reason):
        list(iter_records(p))
    with pytest.raises(UserError, match="is a folder"):
        list(iter_records(tmp_path))


def test_duplicate_doc_ids_warn_once_each(tmp_path):
    p = write(tmp_path / "r.jsonl", b'{"doc_id": "a"}\n{"doc_id": "b"}\n{"doc_id": "a"}\n{"doc_id": "a"}\n')
    warnings: list[str] = []
    recs = read_records(p, warn=warnings.append)
    assert len(recs) == 4
    assert len(warnings) == 2 and all("duplicate doc_id 'a'" in w and "first on line 1" in w for w in warnings)
    assert "line 3" in warnings[0] and "line 4" in warnings[1]


def test_missing_doc_id(tmp_path):
    p = write(tmp_path / "r.jsonl", b'{"doc_id": "a"}\n{"x": 1}\n')
    with pytest.raises(JsonlError, match="line 2: record has no doc_id"):
        read_records(p)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=5))
def test_round_trip_of_arbitrary_text(tmp_path_factory, texts):
    p = tmp_path_factory.mktemp("j") / "r.jsonl"
    recs = [{"doc_id": str(i), "text": t} for i, t in enumerate(texts)]
    # surrogates cannot be written as UTF-8 by anyone; everything else must come back byte-exact
    recs = [r for r in recs if not any(0xD800 <= ord(c) <= 0xDFFF for c in r["text"])]
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    assert [r for _, r in iter_records(p)] == recs
