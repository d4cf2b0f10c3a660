"""Issue 10: a batch that survives anything. A table of bad inputs, each
with the record kinds it must give and the exit code; then the output file's
safety (atomic rename, refusals, disk full) and the CLI under hypothesis."""
from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from extractor import inputs, pipeline
from extractor.cli import app

GOOD = " date 2024-03-09 Kyle Larson won the pole for the NASCAR Cup Series race at Phoenix Raceway.\n"
SEED = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))[0]

runner = CliRunner()


def cli(args, input=None):
    return runner.invoke(app, ["extract", "-q", *args], input=input)


def records(out: str) -> list[dict]:
    # split on \n only: a record may hold U+0085 or U+2028, which splitlines() would cut at
    return [json.loads(line) for line in out.split("\n") if line.startswith("{")]


def line(obj) -> bytes:
    return json.dumps(obj).encode() + b"\n"


# --- the table: each builder writes its input under tmp and returns the CLI
# arguments (and stdin); expected: one error kind (or None) per record, exit code.

def good_txt(tmp):
    (tmp / "g.txt").write_text(GOOD)
    return [str(tmp / "g.txt")], None


def empty_txt(tmp):
    (tmp / "e.txt").write_bytes(b"")
    return [str(tmp / "e.txt")], None


def huge_number(tmp):
    (tmp / "n.jsonl").write_bytes(b'{"id": "n", "text": "x", "n": ' + b"7" * 5000 + b"}\n" + line({"id": "ok", "text": GOOD}))
    return [str(tmp / "n.jsonl")], None


def deep_nesting(tmp):
    (tmp / "d.jsonl").write_bytes(b'{"id": "d", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n")
    return [str(tmp / "d.jsonl")], None


def bad_byte_one_line(tmp):
    bad = line({"id": "b", "text": "Kyle Larson gan"})[:-3] + b"\xff\"}\n"
    (tmp / "b.jsonl").write_bytes(line({"id": "a", "text": GOOD}) + bad + line({"id": "c", "text": GOOD}))
    return [str(tmp / "b.jsonl")], None


def bom_jsonl(tmp):
    (tmp / "bom.jsonl").write_bytes(inputs.BOM + line({"id": "a", "text": GOOD}))
    return [str(tmp / "bom.jsonl")], None


def bad_metadata_date(tmp):
    (tmp / "m.jsonl").write_bytes(line({"id": "a", "text": GOOD.replace(" date 2024-03-09", ""), "date": "2024-13-45"})
                                  + line({"id": "b", "text": GOOD, "date": 20240309})
                                  + line({"id": "c", "text": GOOD, "date": "0001-01-01"}))
    return [str(tmp / "m.jsonl")], None


def fifo(tmp):
    os.mkfifo(tmp / "pipe.txt")
    return [str(tmp / "pipe.txt")], None


def device(tmp):
    return ["/dev/zero"], None


def fifo_in_folder(tmp):
    d = tmp / "in"
    d.mkdir()
    (d / "a.txt").write_text(GOOD)
    os.mkfifo(d / "b.txt")
    return [str(d)], None


def non_utf8_name(tmp):
    name = os.fsdecode(b"caf\xe9.txt")
    Path(os.path.join(str(tmp), name)).write_text(GOOD)
    return [os.path.join(str(tmp), name)], None


def missing(tmp):
    return [str(tmp / "nope.txt"), str(tmp / "gone")], None


def stdin_brace_text(tmp):
    return ["-"], "{Editor's note} " + GOOD


def stdin_jsonl(tmp):
    return ["--format", "jsonl", "-"], (line({"id": "a", "text": GOOD}) + b"\n" + b"{oops\n").decode()


def stdin_forced_text(tmp):
    return ["--format", "text", "-"], line({"id": "a", "text": GOOD}).decode()


def lone_cr(tmp):
    (tmp / "cr.txt").write_bytes(GOOD.replace("\n", "\r").encode() + b"Ryan Blaney qualified second.\r")
    return [str(tmp / "cr.txt")], None


def too_large_chars(tmp):
    # under the byte limit, over spaCy's character limit: refused before spaCy
    (tmp / "big.txt").write_bytes(b"Kyle Larson won. " * (inputs.MAX_CHARS // 17 + 1))
    return [str(tmp / "big.txt")], None


def too_large_bytes(tmp):
    with open(tmp / "huge.txt", "wb") as fh:
        fh.truncate(inputs.MAX_BYTES + 1)
    return [str(tmp / "huge.txt")], None


def jsonl_line_separators(tmp):
    # U+2028, U+0085 and a lone CR inside one JSON line: still one line (split on \n only)
    raw = ('{"id": "sep", "text": "' + GOOD.strip() + '\u2028Ryan Blaney was second.\u0085"}\n').encode()
    (tmp / "s.jsonl").write_bytes(raw + b'{"id": "cr", "text": "a\\rb"}\r\n')
    return [str(tmp / "s.jsonl")], None


def lone_surrogate_id(tmp):
    (tmp / "u.jsonl").write_bytes(b'{"id": "x\\ud800", "text": "' + GOOD.strip().encode() + b'"}\n'
                                  + b'{"id": "t", "text": "bad \\udc80 text"}\n')
    return [str(tmp / "u.jsonl")], None


def not_an_object(tmp):
    (tmp / "o.jsonl").write_bytes(b'[1, 2]\n"text"\n{"id": {"a": 1}, "text": "x"}\n{"id": "t", "text": 5}\n')
    return [str(tmp / "o.jsonl")], None


def timeout(tmp):
    (tmp / "a.txt").write_text(SEED.read_text())
    return ["--timeout", "0.001", str(tmp / "a.txt")], None


def empty_folder(tmp):
    (tmp / "nothing").mkdir()
    return [str(tmp / "nothing")], None


TABLE = [
    (good_txt, [None], 0),
    (empty_txt, ["empty"], 1),
    (huge_number, ["malformed_jsonl", None], 1),
    (deep_nesting, ["malformed_jsonl"], 1),
    (bad_byte_one_line, [None, "encoding", None], 1),
    (bom_jsonl, [None], 0),
    (bad_metadata_date, [None, None, None], 0),
    (fifo, ["not_a_file"], 1),
    (device, ["not_a_file"], 1),
    (fifo_in_folder, [None, "not_a_file"], 1),
    (non_utf8_name, [None], 0),
    (missing, ["missing", "missing"], 1),
    (stdin_brace_text, [None], 0),
    (stdin_jsonl, [None, "malformed_jsonl"], 1),
    (stdin_forced_text, [None], 0),
    (lone_cr, [None], 0),
    (too_large_chars, ["too_large"], 1),
    (too_large_bytes, ["too_large"], 1),
    (jsonl_line_separators, [None, None], 0),
    (lone_surrogate_id, [None, "encoding"], 1),
    (not_an_object, ["malformed_jsonl"] * 4, 1),
    (timeout, ["timeout"], 1),
    (empty_folder, ["no_inputs"], 1),
]


@pytest.mark.parametrize("build,kinds,code", TABLE, ids=[b.__name__ for b, _, _ in TABLE])
def test_bad_input_table(tmp_path: Path, build, kinds, code):
    args, stdin = build(tmp_path)
    res = cli(args, input=stdin)
    assert res.exit_code == code, res.output
    assert "Traceback" not in res.output
    recs = records(res.stdout)
    assert [(r.get("error") or {}).get("kind") for r in recs] == kinds
    errs = [ln for ln in res.stderr.splitlines() if ln.startswith("extractor:")]
    assert len(errs) == sum(k is not None for k in kinds)
    assert all(len(ln) < 400 and "E088" not in ln for ln in errs)
    for r in recs:
        json.dumps(r).encode("utf-8")  # writable: no lone surrogates anywhere


def test_bad_metadata_date_still_extracts(tmp_path: Path):
    args, _ = bad_metadata_date(tmp_path)
    a, b, c = records(cli(args).stdout)
    assert a["facts"] and any("2024-13-45" in w for w in a["warnings"])
    assert a["event"]["published"] is None
    assert b["facts"] and any("20240309" in w for w in b["warnings"])
    assert c["facts"] and c["event"]["published"] == "2024-03-09"  # the text's own date line


def test_non_utf8_name_is_escaped(tmp_path: Path):
    args, _ = non_utf8_name(tmp_path)
    (rec,) = records(cli(args).stdout)
    assert rec["doc_id"] == "caf\\xe9" and rec["facts"]


def test_lone_cr_reads_like_lf_and_spans_index_the_file(tmp_path: Path):
    args, _ = lone_cr(tmp_path)
    (rec,) = records(cli(args).stdout)
    raw = (tmp_path / "cr.txt").read_bytes().decode()
    lf = (tmp_path / "lf.txt")
    lf.write_text(raw.replace("\r", "\n"))
    (ref,) = records(cli([str(lf)]).stdout)
    assert rec["facts"] == ref["facts"] and rec["event"] == ref["event"]
    for f in rec["facts"]:  # one character for one: offsets index the file as read
        assert raw[f["span"][0]:f["span"][1]].replace("\r", "\n") == f["text"]


def test_timeout_leaves_the_extractor_usable(tmp_path: Path):
    (tmp_path / "a.txt").write_text(SEED.read_text())
    slow = cli(["--timeout", "0.001", str(tmp_path / "a.txt")])
    assert records(slow.stdout)[0]["error"]["kind"] == "timeout"
    after = records(cli([str(tmp_path / "a.txt")]).stdout)[0]
    assert not after.get("error") and after["facts"]


def test_limits_agree():
    assert pipeline.MAX_CHARS == inputs.MAX_CHARS == spacy.blank("en").max_length
    assert inputs.MAX_BYTES == 4 * inputs.MAX_CHARS


def test_at_the_limit_is_accepted_one_more_is_refused():
    text = ("Kyle Larson won the pole. " * (inputs.MAX_CHARS // 26 + 1))[: inputs.MAX_CHARS]
    assert isinstance(inputs.check_text(text, "edge", None), inputs.InputDoc)
    spacy.blank("en").make_doc(text)  # spaCy takes it (no E088)
    res = inputs.check_text(text + "x", "edge", None)
    assert isinstance(res, inputs.InputError) and res.kind == "too_large"


# --- the output file


def test_output_is_renamed_at_the_end_and_gzip(tmp_path: Path):
    import gzip
    (tmp_path / "a.txt").write_text(GOOD)
    out = tmp_path / "o.jsonl.gz"
    assert cli([str(tmp_path / "a.txt"), "-o", str(out)]).exit_code == 0
    assert not (tmp_path / "o.jsonl.gz.part").exists()
    (rec,) = records(gzip.decompress(out.read_bytes()).decode())
    assert rec["doc_id"] == "a"


@pytest.mark.parametrize("target,why", [
    ("missing/o.jsonl", "does not exist"),
    ("folder", "is a folder"),
    ("a.txt", "is also an input"),
])
def test_bad_output_is_one_line_exit_two(tmp_path: Path, target, why):
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "folder").mkdir()
    before = (tmp_path / "a.txt").read_bytes()
    res = cli([str(tmp_path / "a.txt"), "-o", str(tmp_path / target)])
    assert res.exit_code == 2
    (msg,) = res.stderr.strip().splitlines()
    assert msg.startswith("extractor: ") and why in msg
    assert (tmp_path / "a.txt").read_bytes() == before


def test_disk_full_is_one_line_exit_two_and_keeps_old_output(tmp_path: Path, monkeypatch):
    from extractor import batch
    (tmp_path / "a.txt").write_text(GOOD)
    out = tmp_path / "o.jsonl"
    out.write_text("previous\n")

    def full(self, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(batch.Output, "write", full)
    res = cli([str(tmp_path / "a.txt"), "-o", str(out)])
    assert res.exit_code == 2
    (msg,) = res.stderr.strip().splitlines()
    assert "No space left on device" in msg
    assert out.read_text() == "previous\n" and not (tmp_path / "o.jsonl.part").exists()


def test_resume_keeps_done_records(tmp_path: Path):
    src = tmp_path / "in.jsonl"
    texts = [p.read_text() for p in sorted(SEED.parent.glob("*.txt"))]
    src.write_bytes(b"".join(line({"id": f"d{i}", "text": t}) for i, t in enumerate(texts)))
    out = tmp_path / "o.jsonl"
    assert cli([str(src), "-o", str(out)]).exit_code == 0
    full = out.read_bytes()
    # an interrupted run: its partial holds the first two records and a cut line
    lines = full.splitlines(True)
    (tmp_path / "o.jsonl.part").write_bytes(lines[0] + lines[1] + lines[2][:50])
    changed = texts[1] + " Extra sentence."
    src.write_bytes(b"".join(line({"id": f"d{i}", "text": changed if i == 1 else t}) for i, t in enumerate(texts)))
    res = runner.invoke(app, ["extract", str(src), "-o", str(out), "--resume"])
    assert res.exit_code == 0
    assert "1 kept from the partial output" in res.stderr  # d0 kept, d1 changed so redone
    new = out.read_bytes().splitlines(True)
    assert new[0] == lines[0] and new[2:] == lines[2:] and new[1] != lines[1]
    assert not (tmp_path / "o.jsonl.part").exists() and not (tmp_path / "o.jsonl.part.prev").exists()


# --- the whole CLI on generated inputs

_names = st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1,
                 max_size=12).filter(lambda n: n not in (".", "..") and not n.startswith("-"))
_texts = st.one_of(st.just(GOOD), st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
_jsonl_line = st.one_of(
    st.builds(lambda i, t, d: json.dumps({"id": i, "text": t, "date": d}), st.text(max_size=8), _texts,
              st.one_of(st.none(), st.text(max_size=12), st.integers())),
    st.binary(max_size=60).map(lambda b: b.replace(b"\n", b" ").decode("latin-1")),
    st.recursive(st.integers() | st.text(max_size=5), lambda c: st.lists(c, max_size=3), max_leaves=6).map(json.dumps),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(files=st.lists(st.tuples(_names, st.binary(max_size=300)), max_size=4, unique_by=lambda f: f[0]),
       lines=st.lists(_jsonl_line, max_size=5), bom=st.booleans())
def test_cli_on_generated_inputs(tmp_path_factory, files, lines, bom):
    tmp = tmp_path_factory.mktemp("h")
    paths, expected = [], 0
    for name, data in files:
        p = tmp / (name + ".txt")
        p.write_bytes(data)
        paths.append(str(p))
        expected += 1
    body = "\n".join(lines).encode("utf-8", "surrogatepass")
    (tmp / "batch.jsonl").write_bytes((inputs.BOM if bom else b"") + body)
    paths.append(str(tmp / "batch.jsonl"))
    expected += sum(1 for ln in body.split(b"\n") if ln.strip(b" \t\r\n\x0b\x0c"))
    expected += not body.strip()  # nothing at all in it: still nothing lost
    res = cli(paths)
    assert res.exit_code in (0, 1, 2)
    assert "Traceback" not in res.output and (res.exception is None or isinstance(res.exception, SystemExit))
    recs = records(res.stdout)
    if body.strip():
        assert len(recs) == expected
    else:
        assert len(recs) == expected - 1


class _Spinner:
    """An extractor stuck in Python code (a runaway loop)."""
    provenance = None

    def __call__(self, text, **kw):
        if text == "spin":
            while True:
                pass
        from extractor.models import Record
        return Record(doc_id=kw.get("doc_id", "doc"))


def _in_thread(fn):
    import threading
    out = {}
    t = threading.Thread(target=lambda: out.setdefault("r", fn()))
    t.start()
    t.join(30)
    assert not t.is_alive(), "the budget did not stop the document"
    return out["r"]


def test_timeout_holds_outside_the_main_thread():
    """Dask runs tasks in worker threads, where no signal arrives: the budget
    is kept there by a timer thread, and the next document runs normally."""
    from extractor.batch import Runner
    from extractor.inputs import InputDoc

    r = Runner(timeout=0.2, extractor=_Spinner())
    r.rebuild_on_timeout = False
    rec = _in_thread(lambda: r.record(InputDoc("d1", "spin")))
    assert rec.error.kind == "timeout"
    ok = _in_thread(lambda: (r.record(InputDoc("d2", "fine")), __import__("time").sleep(0.4))[0])
    assert ok.error is None and ok.doc_id == "d2"  # no late exception after a document that finished in time


def test_a_thread_alarm_that_did_not_fire_leaves_nothing_behind():
    import time

    from extractor.batch import _alarm

    def quick():
        with _alarm(0.05):
            x = sum(range(1000))
        time.sleep(0.2)  # well past the budget: nothing may strike now
        return x

    assert _in_thread(quick) == sum(range(1000))
