"""``extractor reference update RESULTS.csv[.gz]``: merge newer official results into the patterns folder.

A user's weekly update: a CSV with the shared results' columns (Series,
Season, Race, Track, Name, Length, Finish, Start, Car, Driver, Make, Laps,
Led, Status, Team; others are ignored). Each race in it replaces the race of
the same series, season and number, or is added; nothing else changes, and
no code is touched. The record's ruleset hash changes with the file.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

reference_app = typer.Typer(no_args_is_help=True, add_completion=False,
                            help="Reference data kept in the patterns folder.")


def _err(msg: str) -> None:
    print(f"extractor: {msg}", file=sys.stderr)


@reference_app.command("update")
def update_cli(
    results: Path = typer.Argument(..., help="Results CSV (or .csv.gz) with the official results' columns."),
    patterns: Optional[Path] = typer.Option(None, "--patterns", help="Patterns folder (default: the one in use)."),
) -> None:
    """Merge newer official results into the patterns folder's results table."""
    from .resources import patterns_dir
    from .results import RESULTS_FILE, load_results, merge_results, read_results_csv, write_results

    base = patterns or patterns_dir()
    if not results.is_file():
        _err(f"{results}: no such file")
        raise typer.Exit(2)
    if not Path(base).is_dir():
        _err(f"{base}: no such patterns folder")
        raise typer.Exit(2)
    try:
        new = read_results_csv(results, base)
    except (ValueError, OSError, UnicodeDecodeError, EOFError) as exc:
        _err(f"{results}: {exc}")
        raise typer.Exit(1)
    if not new:
        _err(f"{results}: no result rows")
        raise typer.Exit(1)
    table = load_results(base)
    old = list(table.all_races()) if table is not None else []
    merged, counts = merge_results(old, new)
    target = Path(base) / RESULTS_FILE
    try:
        size = write_results(target, merged)
    except OSError as exc:
        _err(f"{target}: {exc.strerror or exc}")
        raise typer.Exit(1)
    fresh = load_results(base)
    ends = ", ".join(f"{s} {y}" for s, y in sorted(fresh.coverage.items())) if fresh else "-"
    print(f"merged {len(new)} races from {results} into {target}: {counts['added']} added, "
          f"{counts['replaced']} replaced, {counts['races']} in all ({size / 1e6:.2f} MB); results end {ends}")
