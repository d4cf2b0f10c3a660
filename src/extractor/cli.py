"""The command line: a thin typer layer over the library.

Exceptions become one-line messages on stderr. Exit codes: 0 all processed,
1 some inputs failed (or, for diff/check/gate, "differences/failures found"),
2 usage errors.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Structured, checked facts from NASCAR race articles.")


def _err(msg: str) -> None:
    typer.echo(f"extractor: {msg}", err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    pass


def _inputs(paths: list[str], problems: list[str]):
    from .inputs import PathProblem, iter_path
    for p in paths:
        try:
            yield from iter_path(p)
        except PathProblem as exc:
            _err(str(exc))
            problems.append(str(exc))


@app.command("extract")
def extract_cli(
    paths: List[str] = typer.Argument(..., help=".txt files, folders of .txt, .jsonl (id/text/date) or - for stdin"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write JSONL here instead of stdout."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes."),
    no_checks: bool = typer.Option(False, "--no-checks", help="Skip the validators."),
) -> None:
    """Extract one JSON record per article."""
    from .batch import run
    from .inputs import InputError

    problems: list[str] = []
    failed = 0
    items = list(_inputs(paths, problems))
    for it in items:
        if isinstance(it, InputError):
            _err(f"{it.doc_id}: {it.message}")
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    progress = None
    try:
        if sys.stderr.isatty() and len(items) > 1:
            from rich.progress import Progress
            progress = Progress(transient=True)
            progress.start()
            task = progress.add_task("extracting", total=len(items))
        for line in run(items, jobs=jobs, checks=not no_checks):
            out.write(line + "\n")
            out.flush()
            if '"error": {' in line:
                rec = json.loads(line)
                if rec.get("error"):
                    failed += 1
                    if rec["error"]["kind"] not in {"empty", "binary", "encoding", "too_large", "malformed_jsonl"}:
                        _err(f"{rec['doc_id']}: {rec['error']['message']}")
            if progress:
                progress.advance(task)
    finally:
        if progress:
            progress.stop()
        if output:
            out.close()
    if failed or problems:
        raise typer.Exit(1)


@app.command("evaluate")
def evaluate_cli(
    predictions: Path = typer.Argument(..., help="JSONL records from `extractor extract`."),
    gold: Path = typer.Argument(..., help="Folder of gold <doc_id>.json files."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    show_errors: bool = typer.Option(False, "--show-errors", help="List the misses per article."),
) -> None:
    """Score records against gold (per type P/R/F1, drivers, event fields)."""
    from .evaluate import evaluate, format_report
    if not predictions.is_file():
        _err(f"{predictions}: no such file")
        raise typer.Exit(2)
    if not gold.is_dir():
        _err(f"{gold}: not a folder of gold files")
        raise typer.Exit(2)
    try:
        result = evaluate(predictions, gold)
    except (json.JSONDecodeError, KeyError) as exc:
        _err(f"cannot read {predictions}: {exc}")
        raise typer.Exit(2)
    if as_json:
        if not show_errors:
            result = {k: v for k, v in result.items() if k != "documents"}
        typer.echo(json.dumps(result, indent=1))
    else:
        typer.echo(format_report(result, show_errors=show_errors))


@app.command("schema")
def schema_cli() -> None:
    """Print the JSON Schema of a record."""
    from .models import record_json_schema
    typer.echo(json.dumps(record_json_schema(), indent=1))


def _register_optional() -> None:
    """Commands whose modules live beside this one."""
    from .checks.cli import check_cli
    from .diff import diff_cli
    from .gate import gate_cli, pin_cli
    from .review import review_cli
    app.command("check", help="Re-run the validators on existing records and summarise.")(check_cli)
    app.command("diff", help="Compare two extraction runs.")(diff_cli)
    app.command("review", help="Write a self-contained HTML review page.")(review_cli)
    app.command("gate", help="Fail when dev-set scores fall below the pinned floors.")(gate_cli)
    app.command("pin", help="Re-pin the quality floors from a run.")(pin_cli)
    from .results_cli import reference_app
    app.add_typer(reference_app, name="reference", help="Reference data: `reference update RESULTS.csv` merges newer results.")


_register_optional()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
