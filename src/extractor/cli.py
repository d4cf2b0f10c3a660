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


_register_optional()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
