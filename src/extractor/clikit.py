"""What every command shares: one-line errors, warnings, reading records.

Exit codes, the same for every command: 0 done (and, for diff/check/gate,
"no differences / failures"); 1 some inputs failed, or differences / failures
found; 2 the command could not run (usage error, unreadable or malformed
input, a folder that is not there).
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable, TypeVar, Union

import typer

from .jsonl import UserError, display_name, read_records

F = TypeVar("F", bound=Callable)

#: ``-h`` as well as ``--help`` on every command.
CONTEXT = {"help_option_names": ["-h", "--help"]}


def err(msg: str) -> None:
    typer.echo(f"extractor: {msg}", err=True)


def warn(msg: str) -> None:
    err(msg)


def fail(file: object, reason: str, code: int = 2) -> "typer.Exit":
    """Print ``extractor: <file>: <reason>`` and return the Exit to raise."""
    err(f"{display_name(str(file))}: {reason}")
    return typer.Exit(code)


def handle_errors(func: F) -> F:
    """UserError (and its JsonlError) from anywhere below a command becomes
    one line on stderr and exit 2."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except UserError as e:
            err(str(e))
            raise typer.Exit(2) from None
    return wrapper  # type: ignore[return-value]


def records(path: Union[str, Path]) -> list[dict]:
    """Records of a JSONL input (``-``, ``.gz`` ok), a warning per duplicate doc_id."""
    return read_records(str(path), warn=warn)


def output_path(path: Union[str, Path]) -> Path:
    """An output file whose folder must exist (creating folders silently hides typos)."""
    p = Path(path)
    parent = p.parent
    if not parent.is_dir():
        raise UserError(p, f"the folder {parent} does not exist")
    if p.is_dir():
        raise UserError(p, "is a folder, expected a file to write")
    return p
