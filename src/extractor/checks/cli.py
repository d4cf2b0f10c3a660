"""``extractor check RECORDS``: re-run the validators over a JSONL of records."""
from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Iterator

import typer

from .report import check_records, format_summary


class _Unreadable(Exception):
    pass


def _read_records(path: Path) -> list[dict]:
    """Records from a JSONL file (optionally .gz) or a JSON array of records."""
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                text = fh.read()
        else:
            text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _Unreadable(f"no such file: {path}") from None
    except IsADirectoryError:
        raise _Unreadable(f"{path} is a directory, not a records file") from None
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise _Unreadable(f"cannot read {path}: {exc}") from None
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise _Unreadable(f"{path}: not JSON: {exc.msg} (line {exc.lineno})") from None
        return [
            d if isinstance(d, dict) else {"doc_id": f"{path.name}[{n}]", "_unparsable": "not an object"}
            for n, d in enumerate(data)
        ]
    return list(_jsonl(path, text))


def _jsonl(path: Path, text: str) -> Iterator[dict]:
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            # a broken line is reported as an invalid record, not fatal
            yield {"doc_id": f"{path.name}:{n}", "_unparsable": exc.msg}
            continue
        yield obj if isinstance(obj, dict) else {"doc_id": f"{path.name}:{n}", "_unparsable": "not an object"}


def check_cli(
    records: Path = typer.Argument(..., help="Records to check: JSONL (one record per line), .gz ok."),
    json_: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when any check fails."),
) -> None:
    """Re-run the validators on existing records; print a summary and the failing records."""
    try:
        raw = _read_records(records)
    except _Unreadable as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    good = [r for r in raw if "_unparsable" not in r]
    report = check_records(good)
    # lines that were not JSON objects are invalid records in the report
    for r in raw:
        if "_unparsable" in r:
            report.records += 1
            report.invalid.append((r["doc_id"], f"not JSON: {r['_unparsable']}"))
    if json_:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(format_summary(report))
    if strict and (report.failing or report.invalid):
        raise typer.Exit(1)

