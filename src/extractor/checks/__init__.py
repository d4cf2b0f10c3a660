"""Validators: cross-check a record's facts and say what disagrees.

``run_checks(record, reference)`` runs every registered check and returns
their verdicts (``Check`` objects), in registry order and, inside a check,
in fact order. Checks never change the record. Facts with ``scope: other``
are never cross-checked.

    from extractor.checks import run_checks
    record.checks = run_checks(record, load_reference())
"""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Optional

from ..models import Check, Record
from .registry import CHECKS, CheckContext, CheckSpec, Outcome, register, run_registered

# The family modules register their checks on import; this order is the
# order of CHECKS and of every record's ``checks``.
from . import speed, gaps, positions, cars, dates, stats, plausibility, official  # noqa: E402,F401

if TYPE_CHECKING:
    from ..reference import Reference

__all__ = [
    "CHECKS",
    "Check",
    "CheckContext",
    "CheckSpec",
    "Outcome",
    "default_reference",
    "register",
    "run_checks",
]


@lru_cache(maxsize=1)
def default_reference() -> Optional["Reference"]:
    """The packaged track table and roster, or None when they cannot be loaded."""
    try:
        from ..reference import load_reference
    except ImportError:
        return None
    try:
        return load_reference()
    except (OSError, ValueError, KeyError):
        return None


def run_checks(
    record: Record,
    reference: Optional["Reference"] = None,
    *,
    use_default_reference: bool = True,
    names: Iterable[str] | None = None,
) -> list[Check]:
    """Every registered check's verdicts on ``record``.

    ``reference`` None means the packaged reference data (pass
    ``use_default_reference=False`` to run without any: checks that need a
    track or the roster then report ``skipped``). ``names`` limits the run
    to some checks.
    """
    if reference is None and use_default_reference:
        reference = default_reference()
    return run_registered(record, reference, names)
