"""One way of behaving across commands (all but extract): `-` is stdin, `.gz`
is read transparently, errors are one line `extractor: <file>: <reason>` with
exit 2, duplicate doc_ids are warned about, `-h` works and shows an example."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app

runner = CliRunner()
COMMANDS = ["evaluate", "check", "diff", "review", "gate", "pin", "table"]


def to_gold(rec: dict) -> dict:
    return {"doc_id": rec["doc_id"], "event": {k: rec["event"][k] for k in ("series", "published", "race_date")},
            "drivers": [d["name"] for d in rec["drivers"]],
            "facts": [{k: f.get(k) for k in ("type", "driver", "other", "value")} for f in rec["facts"]]}


@pytest.fixture
def env(tmp_path, seeds_jsonl, seed_records):
    gold = tmp_path / "gold"
    gold.mkdir()
    for r in seed_records:
        (gold / f"{r['doc_id']}.json").write_text(json.dumps(to_gold(r)), encoding="utf-8")
    gz = tmp_path / "seeds.jsonl.gz"
    gz.write_bytes(gzip.compress(seeds_jsonl.read_bytes()))
    base = tmp_path / "baseline.json"
    assert runner.invoke(app, ["pin", str(seeds_jsonl), str(gold), "--baseline", str(base)]).exit_code == 0
    return {"jsonl": seeds_jsonl, "gz": gz, "gold": gold, "base": base, "tmp": tmp_path}


def argv(cmd: str, records: str, env: dict, other: str | None = None) -> list[str]:
    """The command line of `cmd` reading `records` (and a second run `other` for diff)."""
    gold, base, tmp = str(env["gold"]), str(env["base"]), env["tmp"]
    return {
        "evaluate": ["evaluate", records, gold],
        "check": ["check", records],
        "diff": ["diff", records, other or str(env["jsonl"])],
        "review": ["review", records, "-o", str(tmp / "review.html")],
        "gate": ["gate", records, gold, "--baseline", base],
        "pin": ["pin", records, gold, "--baseline", base],
        "table": ["table", records, "--kind", "results"],
    }[cmd]


def one_line_error(res, start: str) -> None:
    assert res.exit_code == 2, res.output
    err = res.stderr
    assert err.count("\n") == 1 and err.startswith(start), err
    assert "Traceback" not in res.output


@pytest.mark.parametrize("cmd", COMMANDS)
def test_stdin(env, cmd):
    res = runner.invoke(app, argv(cmd, "-", env), input=env["jsonl"].read_text(encoding="utf-8"))
    assert res.exit_code == 0, res.output
    assert res.stderr == "" or cmd in ("table",)


@pytest.mark.parametrize("cmd", COMMANDS)
def test_gzip_input(env, cmd):
    res = runner.invoke(app, argv(cmd, str(env["gz"]), env))
    assert res.exit_code == 0, res.output
    plain = runner.invoke(app, argv(cmd, str(env["jsonl"]), env))
    if cmd in ("evaluate", "table", "check"):
        assert res.stdout == plain.stdout


@pytest.mark.parametrize("cmd", COMMANDS)
@pytest.mark.parametrize("content, reason", [
    ("this is not JSONL\n", "line 1: not JSON"),
    ('{"doc_id": "a"}\n[1, 2]\n', "line 2: expected a JSON object"),
    ('{"no_id": 1}\n', "line 1: record has no doc_id"),
    (None, "no such file"),
])
def test_bad_records_file_is_one_line_naming_it(env, cmd, content, reason):
    bad = env["tmp"] / "bad.jsonl"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    res = runner.invoke(app, argv(cmd, str(bad), env))
    one_line_error(res, f"extractor: {bad}: {reason}")


@pytest.mark.parametrize("cmd", ["evaluate", "gate", "pin"])
def test_malformed_predictions_name_the_predictions(env, cmd):
    bad = env["tmp"] / "preds.jsonl"
    bad.write_text('{"doc_id": "a", "facts": {"type": "x"}}\n', encoding="utf-8")
    one_line_error(runner.invoke(app, argv(cmd, str(bad), env)), f"extractor: {bad}: line 1: 'facts' must be a list")


@pytest.mark.parametrize("cmd", ["evaluate", "gate", "pin"])
@pytest.mark.parametrize("content, reason", [
    ("{not json", "not JSON"), ('[1]', "expected a JSON object"), ('{"doc_id": "z", "facts": [{"value": 1}]}', "fact 0 has no type"),
])
def test_malformed_gold_names_the_gold_file(env, cmd, content, reason):
    bad = env["gold"] / "zz_bad.json"
    bad.write_text(content, encoding="utf-8")
    one_line_error(runner.invoke(app, argv(cmd, str(env["jsonl"]), env)), f"extractor: {bad}: {reason}")


@pytest.mark.parametrize("cmd", ["evaluate", "gate", "pin"])
def test_missing_gold_folder(env, cmd):
    args = argv(cmd, str(env["jsonl"]), env)
    missing = env["tmp"] / "nogold"
    args[2] = str(missing)
    one_line_error(runner.invoke(app, args), f"extractor: {missing}: no such folder")


@pytest.mark.parametrize("cmd, args", [
    ("review", ["-o", "{tmp}/no/dir/r.html"]),
    ("table", ["-o", "{tmp}/no/dir/t.csv"]),
    ("pin", ["{gold}", "--baseline", "{tmp}/no/dir/b.json"]),
])
def test_missing_output_folder(env, cmd, args):
    args = [a.replace("{tmp}", str(env["tmp"])).replace("{gold}", str(env["gold"])) for a in args]
    res = runner.invoke(app, [cmd, str(env["jsonl"]), *args])
    one_line_error(res, "extractor: ")
    assert f"the folder {env['tmp']}/no/dir does not exist" in res.stderr


def test_bad_patterns_env_folder(env, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_PATTERNS", str(env["tmp"] / "nowhere"))
    from extractor.checks import default_reference
    default_reference.cache_clear()  # the reference is cached per process
    try:
        res = runner.invoke(app, ["check", str(env["jsonl"])])
    finally:
        default_reference.cache_clear()
    one_line_error(res, f"extractor: {env['tmp'] / 'nowhere'}: EXTRACTOR_PATTERNS")


@pytest.mark.parametrize("cmd", COMMANDS)
def test_duplicate_doc_ids_warn_per_duplicate(env, cmd, seed_records):
    dup = env["tmp"] / "dup.jsonl"
    lines = env["jsonl"].read_text(encoding="utf-8").splitlines()
    dup.write_text("\n".join([*lines, lines[0], lines[1], lines[0]]) + "\n", encoding="utf-8")
    res = runner.invoke(app, argv(cmd, str(dup), env))
    warns = [l for l in res.stderr.splitlines() if "duplicate doc_id" in l]
    assert len(warns) == 3 and all(l.startswith(f"extractor: {dup}: warning: ") for l in warns)
    assert res.exit_code == (1 if cmd == "diff" else 0), res.output


def test_diff_never_calls_runs_with_duplicates_identical(env):
    dup = env["tmp"] / "dup.jsonl"
    text = env["jsonl"].read_text(encoding="utf-8")
    dup.write_text(text + text.splitlines()[0] + "\n", encoding="utf-8")
    res = runner.invoke(app, ["diff", str(dup), str(dup)])
    assert res.exit_code == 1 and "could not be compared" in res.stdout
    js = json.loads(runner.invoke(app, ["diff", str(dup), str(dup), "--json"]).stdout)
    assert js["identical"] is False and js["comparable"] is False
    assert runner.invoke(app, ["diff", str(env["jsonl"]), str(env["gz"])]).exit_code == 0


@pytest.mark.parametrize("cmd", [*COMMANDS, "schema"])
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_has_short_flag_and_an_example(cmd, flag):
    res = runner.invoke(app, [cmd, flag])
    assert res.exit_code == 0
    assert "Usage:" in res.stdout and f"Example: extractor {cmd}" in res.stdout
    assert "<bool>" not in res.stdout and "{" not in res.stdout.split("\n", 3)[1]


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    import os
    return subprocess.run([sys.executable, "-m", "extractor.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


@pytest.mark.parametrize("args, start", [
    (["table"], "extractor: table: Missing argument 'RECORDS'."),
    (["table", "x.jsonl", "--kind", "laps"], "extractor: table: Invalid value for '--kind'"),
    (["check", "--nope"], "extractor: check: No such option"),
    (["nope"], "extractor: usage: No such command 'nope'."),
])
def test_usage_errors_are_one_line_from_the_console_script(args, start):
    res = _cli(*args)
    assert res.returncode == 2 and res.stderr.startswith(start) and res.stderr.count("\n") == 1, res.stderr


def test_console_script_exit_codes(env):
    assert _cli("check", str(env["jsonl"])).returncode == 0
    assert _cli("check", str(env["tmp"] / "none.jsonl")).returncode == 2
    bad_aliases = env["tmp"] / "aliases.jsonl"
    bad_aliases.write_text('{"name": "Nobody Atall", "aliases": ["N. Atall"]}\n', encoding="utf-8")
    res = _cli("check", str(env["jsonl"]), EXTRACTOR_ALIASES=str(bad_aliases))
    assert res.returncode == 2 and res.stderr.startswith(f"extractor: {bad_aliases}: ") and res.stderr.count("\n") == 1


def test_internal_error_is_one_line_without_traceback(monkeypatch, capsys, seeds_jsonl):
    from extractor import cli, tables

    def boom(*a, **k):
        raise RuntimeError("something broke")
    monkeypatch.setattr(tables, "table_rows", boom)
    monkeypatch.setattr(sys, "argv", ["extractor", "table", str(seeds_jsonl)])
    monkeypatch.delenv("EXTRACTOR_DEBUG", raising=False)
    with pytest.raises(SystemExit) as e:
        cli.main()
    err = capsys.readouterr().err
    assert e.value.code == 2 and err.count("\n") == 1
    assert err.startswith("extractor: internal error: RuntimeError: something broke") and "Traceback" not in err


def test_quick_exit_keeps_every_line_and_the_exit_code(tmp_path):
    """The console script ends with os._exit after flushing: all of stdout
    arrives, and the status is the command's."""
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    res = _cli("extract", "-q", str(seeds))
    assert res.returncode == 0
    lines = res.stdout.splitlines()
    assert len(lines) == len(list(seeds.glob("*.txt"))) and all(json.loads(x)["facts"] for x in lines)
    res = _cli("extract", "-q", str(tmp_path / "missing.txt"))
    assert res.returncode == 1 and json.loads(res.stdout)["error"]["kind"] == "missing"
    assert _cli("extract", "--jobs", "0", str(seeds)).returncode == 2
