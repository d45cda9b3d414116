"""What every monitoring reader shares: a collector of rows and their quarantine, the reader of
times, and the outages and gaps a stream of samples implies. Used by
:mod:`clearpact.ingest.monitoring` and :mod:`clearpact.ingest.outage_csv`; imports the standard
library and the core's instant reader.

**Outages from samples.** The samples of one stream (a Kuma monitor, a Prometheus series) are in
time order (equal times keep file order). A sample's state holds until the next sample. An
unplanned outage runs from the first DOWN sample until the next UP sample: PENDING samples in
between continue it, and PENDING samples before it do not start it (the check could not decide;
the outage is not backdated). MAINTENANCE gives a *planned* outage from its first sample until the
next sample that is neither MAINTENANCE nor PENDING; a DOWN sample ends a planned outage and starts
an unplanned one (and the other way round). An outage still open at the last sample has
``end_at`` null. With a gap rule, a sample followed by a silence longer than ``max_gap`` holds for
``hold`` only; the rest of the silence is *unknown* (a gap: neither up nor down), and an outage
open at the sample ends there. Outages of zero length are dropped.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from clearpact.calendar.business import to_micros
from clearpact.calendar.queries import QueryError, read_instant

_UTC = ZoneInfo("UTC")

State = Literal["up", "down", "pending", "maintenance"]


class BadValue(ValueError):
    """One value of one row that cannot be used; the message is the quarantine's reason."""

    def __init__(self, reason: str, field_name: str = "", value: object = None) -> None:
        super().__init__(reason)
        self.field_name = field_name
        self.value = value


@dataclass
class Sample:
    """One check, before it becomes a ``CHECKS`` row: ``stream`` keys the samples whose order
    defines outages (a monitor, a series), ``at`` is epoch µs."""

    service: str
    at: int
    state: State | None
    stream: str


@dataclass
class Rows:
    """What a reader collects: samples or outages stored, quarantine rows, input rows seen."""

    file: str
    samples: list[Sample] = field(default_factory=list)
    outages: list[dict[str, Any]] = field(default_factory=list)
    quarantine: list[dict[str, Any]] = field(default_factory=list)
    rows_in: int = 0

    def reject(self, row: str, field_name: str, value: object, reason: str) -> None:
        """Quarantine the whole input row ``row`` for its field ``field_name``."""
        raw = None if value is None else str(value)
        self.quarantine.append(
            {"file": self.file, "row": row, "ticket_id": None, "field": field_name,
             "value": raw, "reason": reason, "whole_row": True}
        )  # fmt: skip


def read_time(text: object, zone: ZoneInfo | None, path: Path | None, column: str) -> int:
    """Epoch µs of an ISO 8601 time. One with an offset is that instant; one without is read in
    ``zone``; without a zone, a ``ValueError`` naming the file and column refuses the file (UTC is
    never assumed). Unreadable text, and a local time that DST skips or repeats, raise
    :class:`BadValue`."""
    raw = "" if text is None else str(text).strip()
    if not raw:
        raise BadValue("no time")
    try:
        dt.date.fromisoformat(raw)
    except ValueError:
        pass
    else:
        raise BadValue(f"a date without a time; write e.g. '{raw} 00:00:00'")
    try:
        written = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise BadValue(f"unreadable time; write ISO 8601, e.g. '2026-03-01 14:05:00'{_offset_hint(zone)}") from None  # fmt: skip
    if written.tzinfo is None and zone is None:
        raise ValueError(
            f"{path}: column '{column}' has times without a zone offset (e.g. '{raw}'); "
            "hint: give timezone= the zone the export was written in; UTC is never assumed"
        )
    try:
        return to_micros(read_instant(raw, zone or _UTC).at)
    except QueryError as exc:
        raise BadValue(str(exc)) from None


def _offset_hint(zone: ZoneInfo | None) -> str:
    return "" if zone is not None else " or '2026-03-01T14:05:00+01:00'"


def csv_rows(
    path: Path, rows: Rows, needed: Iterable[str] = ()
) -> Iterator[tuple[str, dict[str, str]]]:
    """The data rows of a CSV as (1-based row number, cells by column name); counts them in
    ``rows.rows_in``. Blank lines are skipped, uncounted; short rows are padded with ``""``."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [name.strip() for name in next(reader, [])]
        missing = [name for name in needed if name not in header]
        if missing:
            raise ValueError(
                f"{path}: missing column(s) {', '.join(missing)}; found: "
                f"{', '.join(header) or 'none'}"
            )
        for number, cells in enumerate(reader, start=1):
            if not any(cell.strip() for cell in cells):
                continue
            rows.rows_in += 1
            padded = [*cells, *([""] * (len(header) - len(cells)))]
            yield str(number), dict(zip(header, padded, strict=False))


def derive_outages(
    samples: list[Sample], *, max_gap: int | None = None, hold: int | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Outages and gaps (dicts with epoch-µs times) of one stream's samples, in time order, by
    the module's rules. ``max_gap`` and ``hold`` are µs; ``None`` means no gap rule."""
    outages: list[dict[str, Any]] = []
    gaps: list[dict[str, Any]] = []
    if not samples:
        return outages, gaps
    service, stream = samples[0].service, samples[0].stream
    open_kind: State | None = None
    opened = 0

    def close(at: int | None) -> None:
        nonlocal open_kind
        if open_kind is not None and (at is None or at > opened):
            outages.append(
                {"service": service, "start_at": opened, "end_at": at,
                 "planned": open_kind == "maintenance", "source": stream}
            )  # fmt: skip
        open_kind = None

    for index, current in enumerate(samples):
        state = current.state
        if state == "up":
            close(current.at)
        elif state in ("down", "maintenance") and state != open_kind:
            close(current.at)
            open_kind, opened = state, current.at
        following = samples[index + 1].at if index + 1 < len(samples) else None
        silent = following is not None and max_gap is not None and following - current.at > max_gap
        if silent and hold is not None and following is not None:
            close(current.at + hold)
            gaps.append(
                {"service": service, "start_at": current.at + hold, "end_at": following,
                 "source": stream}
            )  # fmt: skip
    close(None)  # still open at the last sample: ongoing
    return outages, gaps
