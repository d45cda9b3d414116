"""Compare the engine's result rows with the reference's, field by field, with no tolerance.

Times are exact integers of microseconds and durations are computed from them, so any
difference is a difference. Imports pyarrow only.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

KEY = ("ticket_id", "sla", "cycle")
"""What identifies a result row: one per ticket per SLA per cycle."""


@dataclass(frozen=True)
class Mismatches:
    """How two result tables differ. ``rows`` counts keys whose rows differ in any field, keys
    on one side only, and extra rows under a repeated key."""

    rows: int
    compared: int  # keys present on both sides
    only_engine: int
    only_reference: int
    fields: Counter[str] = field(default_factory=Counter)  # field name → rows differing there
    examples: list[str] = field(default_factory=list)

    @property
    def total_fields(self) -> int:
        return sum(self.fields.values())


def compare_results(engine: pa.Table, reference: pa.Table, *, examples: int = 5) -> Mismatches:
    """Every field of every row of ``engine`` against the row with the same :data:`KEY` in
    ``reference``; both tables follow the RESULTS schema (columns are matched by name).

    >>> from clearpact.clock.tables import RESULTS
    >>> row = {"ticket_id": "T1", "sla": "resolution", "metric": "resolution", "cycle": 0,
    ...        "state": "met", "at_risk": False}
    >>> same = pa.Table.from_pylist([row], schema=RESULTS)
    >>> late = pa.Table.from_pylist([{**row, "state": "breached"}], schema=RESULTS)
    >>> compare_results(same, late).rows, compare_results(same, same).rows
    (1, 0)
    """
    names = [name for name in reference.column_names if name in engine.column_names]
    left, left_extra = _by_key(engine, names)
    right, right_extra = _by_key(reference, names)
    fields: Counter[str] = Counter()
    shown: list[str] = []
    differing = 0
    for key in left.keys() & right.keys():
        a, b = left[key], right[key]
        wrong = [name for name in names if not _same(a[name], b[name])]
        if wrong:
            differing += 1
            fields.update(wrong)
            if len(shown) < examples:
                detail = ", ".join(
                    f"{name}: engine {a[name]!r} ≠ reference {b[name]!r}" for name in wrong
                )
                shown.append(f"{'/'.join(map(str, key))}: {detail}")
    only_engine = sorted(left.keys() - right.keys())
    only_reference = sorted(right.keys() - left.keys())
    for side, keys in (("engine", only_engine), ("reference", only_reference)):
        shown.extend(f"{'/'.join(map(str, key))}: only in the {side}" for key in keys[:examples])
    rows = differing + len(only_engine) + len(only_reference) + left_extra + right_extra
    return Mismatches(
        rows=rows,
        compared=len(left.keys() & right.keys()),
        only_engine=len(only_engine),
        only_reference=len(only_reference),
        fields=fields,
        examples=shown[: 2 * examples],
    )


def _by_key(table: pa.Table, names: list[str]) -> tuple[dict[tuple[Any, ...], dict[str, Any]], int]:
    """Rows by key, and how many rows repeated a key already seen."""
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    repeated = 0
    for row in table.select(names).to_pylist():
        key = tuple(row[name] for name in KEY)
        if key in rows:
            repeated += 1
        rows[key] = row
    return rows, repeated


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)
