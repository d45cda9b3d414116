"""What the vendor-profile tests share: each tool's fixture folder and ``expected.json``, rows
written as ``expected.json`` writes them, and the quarantine as (file, locator, ticket, field)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clearpact.ingest.importer import ImportResult

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(tool: str) -> Path:
    """The fixture folder of ``tool`` (its export, as the tool's API returns it)."""
    return FIXTURES / tool


def expected_of(tool: str) -> dict[str, Any]:
    """The tool's ``expected.json``."""
    loaded: dict[str, Any] = json.loads((fixture(tool) / "expected.json").read_text("utf-8"))
    return loaded


def iso(value: object) -> object:
    """An instant as expected.json writes it (UTC, ``Z``, the fraction without trailing zeros:
    14:00:00.470000 → ``14:00:00.47Z``); anything else unchanged."""
    if not isinstance(value, datetime):
        return value
    moment = value.astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}".rstrip("0")
    return text + "Z"


def with_iso_times(rows: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """``rows`` with the instants of column ``name`` as expected.json writes them."""
    return [{**row, name: iso(row[name])} for row in rows]


def rows(table: Any, columns: list[str]) -> list[dict[str, object]]:
    """The ``columns`` of an Arrow table's rows, instants as expected.json writes them."""
    return [{name: iso(row[name]) for name in columns} for row in table.to_pylist()]


def quarantine_found(result: ImportResult) -> Counter[tuple[str, str, str | None, str]]:
    """The import's quarantine as (file, row, ticket, field)."""
    return Counter(
        (q["file"], q["row"], q["ticket_id"], q["field"]) for q in result.quarantine.to_pylist()
    )


def quarantine_expected(expected: dict[str, Any]) -> Counter[tuple[str, str, str | None, str]]:
    """expected.json's quarantine as (file, locator, ticket, field)."""
    return Counter(
        (q["file"], q["locator"], q["ticket_id"], q["field"]) for q in expected["quarantine"]
    )
