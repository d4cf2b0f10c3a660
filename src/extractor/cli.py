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


@app.command("extract")
def extract_cli(
    paths: List[str] = typer.Argument(..., help=".txt files, folders (their .txt files, else their .jsonl shards), .jsonl "
                                                "(id/text/date a line) or - for stdin"),
    output: Optional[str] = typer.Option(None, "-o", "--output",
                                         help="Write JSONL here (X.gz: gzipped) instead of stdout; with "
                                              "--engine dask, a folder."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes."),
    no_checks: bool = typer.Option(False, "--no-checks", help="Skip the validators."),
    timeout: float = typer.Option(60.0, "--timeout", min=0,
                                  help="Seconds one document may take (0: no limit); over it, an error record."),
    fmt: str = typer.Option("auto", "--format", help="What the inputs hold: auto (by suffix; stdin: JSONL when "
                                                     "its first line is a JSON object with 'text'), text, jsonl."),
    resume: bool = typer.Option(False, "--resume", help="Keep the records of an interrupted run's partial "
                                                        "output (-o) whose text and rules are unchanged."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress bar and no summary."),
    engine: str = typer.Option("local", "--engine", help="local, or dask (JSONL shards, disk to disk)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler",
                                            help="Dask scheduler address (default: a LocalCluster)."),
) -> None:
    """Extract one JSON record per article."""
    from .inputs import FORMATS
    if fmt not in FORMATS:
        _err(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    if engine not in ("local", "dask"):
        _err(f"--engine: {engine!r} is not local or dask")
        raise typer.Exit(2)
    if engine == "dask":
        from .engines.dask import DaskProblem, run_dask
        if not output:
            _err("--engine dask needs -o FOLDER for the output shards")
            raise typer.Exit(2)
        try:
            stats = run_dask(paths, output, scheduler=scheduler, workers=jobs, checks=not no_checks,
                             timeout=timeout or None, on_error=lambda line: _err(line))
        except DaskProblem as exc:
            _err(str(exc))
            raise typer.Exit(2)
        if not quiet:
            typer.echo(stats.summary(), err=True)
        raise typer.Exit(1 if stats.errors else 0)
    _extract_local(paths, output, jobs, not no_checks, timeout or None, fmt, resume, quiet)


def _same_file(a: str, b: str) -> bool:
    import os
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _extract_local(paths, output, jobs, checks, timeout, fmt, resume, quiet) -> None:
    import signal

    if output and output != "-":
        for p in paths:
            if p != "-" and (_same_file(p, output) or _same_file(p, output + ".part")):
                _err(f"{output}: is also an input; refusing to overwrite it")
                raise typer.Exit(2)
    if resume and not (output and output != "-"):
        _err("--resume needs -o FILE")
        raise typer.Exit(2)
    # SIGTERM stops the run the way Ctrl-C does: workers stopped, the
    # partial output kept, the previous output untouched.
    def _term(signum, frame):
        raise KeyboardInterrupt()

    try:
        old_term = signal.signal(signal.SIGTERM, _term)
    except ValueError:  # not the main thread (an embedding caller): leave signals alone
        old_term = None
    try:
        _run_local(paths, output, jobs, checks, timeout, fmt, resume, quiet)
    finally:
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)


def _run_local(paths, output, jobs, checks, timeout, fmt, resume, quiet) -> None:
    import os

    from .batch import BatchError, Output, OutputError, provenance, run_batch
    from .inputs import count_tasks, iter_tasks

    try:
        out = Output(output, resume=resume, prov=provenance())
    except OutputError as exc:
        _err(str(exc))
        raise typer.Exit(2)
    except OSError as exc:
        _err(f"{output}: {exc.strerror or exc}")
        raise typer.Exit(2)

    skip = [output + suf for suf in ("", ".part", ".part.prev")] if output and output != "-" else []
    show = not quiet and sys.stderr.isatty()
    progress = task_id = None
    if show:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
        total = count_tasks(paths, fmt, skip)
        progress = Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), transient=True,
                            console=None)
        progress.start()
        task_id = progress.add_task("extract", total=total, rate="")
    t0 = __import__("time").monotonic()

    def on_result(task, res) -> None:
        if res.error_kind:
            msg = f"{res.doc_id}: {res.error_message}"
            if progress:
                progress.console.print(f"extractor: {msg}", markup=False, highlight=False)
            else:
                _err(msg)
        if progress:
            done = progress.tasks[0].completed + 1
            rate = done / max(__import__("time").monotonic() - t0, 1e-9)
            progress.update(task_id, advance=1, rate=f"{rate:.1f} docs/s")

    try:
        stats = run_batch(iter_tasks(paths, fmt, skip=skip), out, jobs=jobs, checks=checks, timeout=timeout,
                          on_result=on_result)
        out.commit()
    except OutputError as exc:
        out.abort(keep=False)
        _stop(progress)
        _err(str(exc))
        raise typer.Exit(2)
    except BatchError as exc:
        out.abort(keep=True)
        _stop(progress)
        _err(str(exc))
        raise typer.Exit(2)
    except OSError as exc:
        out.abort(keep=False)
        _stop(progress)
        _err(f"{output or 'stdout'}: {exc.strerror or exc}")
        raise typer.Exit(2)
    except BaseException:
        out.abort(keep=True)
        _stop(progress)
        if output and output != "-" and os.path.exists(output + ".part"):
            _err(f"{output}: stopped; the records so far are in {output}.part (--resume goes on from there)")
        raise
    _stop(progress)
    if not quiet:
        typer.echo(stats.summary(), err=True)
    if stats.errors:
        raise typer.Exit(1)


def _stop(progress) -> None:
    if progress:
        progress.stop()


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


def console() -> None:
    """The console script: :func:`main`, then a quick exit.

    A normal interpreter exit frees every object of the pipeline one by one
    (spaCy's vocabulary, the roster, the results): 0.3 s of a one-article
    run, after all output is written. Everything a command writes is
    written and renamed into place before it returns, so after flushing the
    standard streams the process can end at once. ``main()`` itself stays an
    ordinary function that raises SystemExit, for callers in Python."""
    import os

    try:
        main()
        code = 0
    except SystemExit as e:
        if e.code is None or isinstance(e.code, int):
            code = e.code or 0
        else:  # sys.exit("message"): printed, status 1, as Python does
            print(e.code, file=sys.stderr)
            code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # the reader went away, or a stream was closed
        pass
    os._exit(code)


if __name__ == "__main__":
    console()
