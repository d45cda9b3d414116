"""The amendment log: which terms are in force on a date.

Pure functions over plain data and the model; no files.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clearpact.agreement.model import Agreement


def apply_changes(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``data`` with each dotted path in ``changes`` set to its new value.

    The parent of each path must exist; the last key may be new (a new priority's target).
    Raises ``KeyError(path)`` for a path that does not exist.

    >>> apply_changes({"slas": {"r": {"targets": {"P2": "8h"}}}}, {"slas.r.targets.P2": "6h"})
    {'slas': {'r': {'targets': {'P2': '6h'}}}}
    """
    result = copy.deepcopy(data)
    for path, value in changes.items():
        parts = path.split(".")
        node: Any = result
        for part in parts[:-1]:
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise KeyError(path)
        last = parts[-1]
        if isinstance(node, dict):
            node[last] = copy.deepcopy(value)
        elif isinstance(node, list) and last.isdigit() and int(last) < len(node):
            node[int(last)] = copy.deepcopy(value)
        else:
            raise KeyError(path)
    return result


def in_force(agreement: Agreement, on: dt.date) -> Agreement:
    """The agreement's terms in force on ``on``: every amendment effective on or before it,
    applied in the order of the log. Tickets are measured by the terms in force when opened."""
    applicable = [a for a in agreement.versions if a.effective <= on and a.changes]
    if not applicable:
        return agreement
    data = agreement.model_dump(mode="json", exclude_defaults=True)
    for amendment in sorted(applicable, key=lambda a: a.effective):
        data = apply_changes(data, amendment.changes)
    return type(agreement).model_validate(data)


def version_in_force(agreement: Agreement, on: dt.date) -> str | None:
    """The label of the last amendment effective on ``on``, or None before the first."""
    label = None
    for amendment in sorted(agreement.versions, key=lambda a: a.effective):
        if amendment.effective <= on:
            label = amendment.version
    return label
