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

import click
import typer

from . import __version__
from .clikit import CONTEXT, handle_errors
from .tables import FORMATS, KINDS

app = typer.Typer(add_completion=False, no_args_is_help=True, context_settings=CONTEXT,
                  pretty_exceptions_enable=False,
                  help="Structured, checked facts from NASCAR race articles.\n\n"
                       "Exit codes: 0 done, 1 some inputs failed or differences found, 2 usage or input errors.")


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
@handle_errors
def evaluate_cli(
    predictions: str = typer.Argument(..., help="JSONL records from `extractor extract` (- for stdin, .gz ok)."),
    gold: Path = typer.Argument(..., help="Folder of gold <doc_id>.json files."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    show_errors: bool = typer.Option(False, "--show-errors", help="List the misses per article."),
) -> None:
    """Score records against gold (per type P/R/F1, drivers, event fields).

    Example: extractor evaluate out/dev.jsonl ../shared/corpus/dev/gold --show-errors
    """
    from .clikit import warn
    from .evaluate import evaluate, format_report, load_gold, load_predictions
    result = evaluate(load_predictions(predictions, warn=warn), load_gold(gold))
    if as_json:
        if not show_errors:
            result = {k: v for k, v in result.items() if k != "documents"}
        typer.echo(json.dumps(result, indent=1))
    else:
        typer.echo(format_report(result, show_errors=show_errors))


@app.command("schema")
@handle_errors
def schema_cli() -> None:
    """Print the JSON Schema (draft 2020-12) of a record.

    Example: extractor schema > record.schema.json
    """
    from .schema import record_json_schema
    typer.echo(json.dumps(record_json_schema(), indent=1))


@app.command("table")
@handle_errors
def table_cli(
    records: str = typer.Argument(..., help="JSONL records (- for stdin, .gz ok)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of stdout (parquet needs -o)."),
    fmt: str = typer.Option("csv", "--format", "-f", click_type=click.Choice(FORMATS), metavar="FORMAT",
                            help="csv, parquet (needs pyarrow) or jsonl."),
    kind: str = typer.Option("facts", "--kind", "-k", click_type=click.Choice(KINDS), metavar="KIND",
                             help="facts: one row per fact; results: per (race, driver); qualifying, practice: lap time, speed, rank."),
) -> None:
    """Flatten records into a table: one row per fact, or per (race, driver).

    Example: extractor table out/seeds.jsonl --kind results -o results.csv
    """
    from .clikit import output_path, records as read
    from .jsonl import UserError
    from .tables import FORMATS, KINDS, TableError, table_rows, write_table
    if kind not in KINDS:
        raise UserError("--kind", f"unknown table kind {kind!r} (one of {', '.join(KINDS)})")
    if fmt not in FORMATS:
        raise UserError("--format", f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt == "parquet" and output is None:
        raise UserError("--format", "parquet is binary: give an output file with -o")
    out = output_path(output) if output is not None else None
    rows = table_rows(read(records), kind)
    try:
        write_table(rows, kind, out if out is not None else sys.stdout, fmt)
    except TableError as e:
        raise UserError("--format", str(e)) from None
    except OSError as e:
        raise UserError(out, f"cannot write ({e.strerror or e})") from None
    if out is not None:
        typer.echo(f"wrote {out} ({len(rows)} {kind} rows)", err=True)


def _register_optional() -> None:
    """Commands whose modules live beside this one."""
    from .checks.cli import check_cli
    from .diff import diff_cli
    from .gate import gate_cli, pin_cli
    from .review import review_cli
    app.command("check")(handle_errors(check_cli))
    app.command("diff")(handle_errors(diff_cli))
    app.command("review")(handle_errors(review_cli))
    app.command("gate")(handle_errors(gate_cli))
    app.command("pin")(handle_errors(pin_cli))
    from .results_cli import reference_app
    app.add_typer(reference_app, name="reference", help="Reference data: `reference update RESULTS.csv` merges newer results.")


_register_optional()


def main() -> None:
    """The console script: every error is one line on stderr, no traceback."""
    import os

    import click

    from .jsonl import UserError
    try:
        rc = app(standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort):
        _err("interrupted")
        sys.exit(130)
    except click.exceptions.NoArgsIsHelpError as e:
        e.show()
        sys.exit(2)
    except click.UsageError as e:
        name = e.ctx.info_name if e.ctx is not None and e.ctx.parent is not None else "usage"
        hint = f"extractor {name} -h" if name != "usage" else "extractor -h"
        _err(f"{name}: {e.format_message().splitlines()[0]} (see {hint})")
        sys.exit(2)
    except click.ClickException as e:
        _err(e.format_message())
        sys.exit(e.exit_code)
    except UserError as e:  # raised outside a command body (e.g. while loading patterns)
        _err(str(e))
        sys.exit(2)
    except Exception as e:  # no traceback reaches a user; EXTRACTOR_DEBUG=1 shows it
        if os.environ.get("EXTRACTOR_DEBUG"):
            raise
        _err(f"internal error: {type(e).__name__}: {e} (EXTRACTOR_DEBUG=1 shows the traceback)")
        sys.exit(2)
    sys.exit(rc or 0)


if __name__ == "__main__":
    main()
