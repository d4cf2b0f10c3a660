"""``extractor check RECORDS``: re-run the validators over a JSONL of records."""
from __future__ import annotations

import json

import typer

from ..clikit import records as read_records
from .report import check_records, format_summary


def check_cli(
    records: str = typer.Argument(..., help="Records to check: JSONL (one record per line), - for stdin, .gz ok."),
    json_: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when any check fails."),
) -> None:
    """Re-run the validators on existing records; print a summary and the failing records.

    A file that is not JSONL (or a line that is not a JSON object) exits 2.

    Example: extractor check out/seeds.jsonl --strict
    """
    report = check_records(read_records(records))
    if json_:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(format_summary(report))
    if strict and (report.failing or report.invalid):
        raise typer.Exit(1)
