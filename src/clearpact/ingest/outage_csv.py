"""Read UptimeRobot and Pingdom outage exports (CSV). An adapter; the public entry point is
:func:`clearpact.ingest.monitoring.read_outage_csv`. Imports :mod:`clearpact.ingest.samples`.

The format is told from the header. What was confirmed and what was assumed:

- **UptimeRobot** (monitor logs export). The columns ``Event``, ``Date-Time``, ``Monitor``,
  ``Monitor URL``, ``Reason`` and ``Duration (in mins.)``, and a second, formatted ``Duration``,
  are confirmed only from public scripts that read this export (a PowerShell SLA report and an R
  analysis on GitHub, both reading ``uptimerobot-all_monitors-logs.csv``), *not* from
  UptimeRobot's own documentation. Assumed: the ``Event`` values ``Down``, ``Up``, ``Paused`` and
  ``Started`` (the log types of UptimeRobot's API: 1 down, 2 up, 98 started, 99 paused); that
  ``Date-Time`` is ISO-like (``2026-03-01 14:05:00``) in the account's time zone, with no offset;
  that a Down row's duration is the length of that outage (empty while it lasts); and the text of
  the formatted ``Duration`` (``01:05:00``, or ``1 hrs, 5 mins``).
- **Pingdom** (outage list export). Columns ``From``, ``To`` and ``Duration`` are *assumed*; so is
  a service column named ``Check`` or ``Name``. Pingdom's API reports outages as states with
  ``status``, ``timefrom`` and ``timeto`` (confirmed from integration docs that mirror the API),
  which is what these columns would hold; no public description of the CSV itself was found.

**UptimeRobot rows** each become one ``CHECKS`` row: Down → ``up`` false, Up → true, Paused and
Started → null (no check decided). A Down row is also one unplanned outage from ``Date-Time`` for
its duration (``Duration (in mins.)`` when filled, else ``Duration``); without a duration it is
ongoing (``end_at`` null). Outages are not re-derived from the event order: the export states
them. **Pingdom rows** each become one unplanned outage from ``From`` to ``To`` (or ``From`` plus
``Duration`` when ``To`` is empty; ongoing when both are). Quarantined whole: an unreadable time,
an unknown event, an unreadable duration, an end before its start, a row without a service.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo

from clearpact.calendar.business import US
from clearpact.ingest.samples import BadValue, Rows, Sample, State, csv_rows, read_time

_EVENTS: dict[str, State | None] = {"down": "down", "up": "up", "paused": None, "started": None}
_CLOCK = re.compile(r"^(\d+):([0-5]\d)(?::([0-5]\d))?$")
_PART = re.compile(
    r"(\d+(?:\.\d+)?)\s*(days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)(?![a-z])"
)
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def read_outages(
    path: Path, zone: ZoneInfo | None, service: str | None, services: Mapping[str, str]
) -> Rows:
    """The rows of an UptimeRobot or Pingdom export: samples and outages stored, quarantine.
    Raises ``ValueError`` for another format, or a file that names no service and got none."""
    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = [name.strip() for name in next(csv.reader(handle), [])]
    rows = Rows(path.name)
    if {"Event", "Date-Time"} <= set(header):
        column = _service_column(path, header, ("Monitor",), service)
        _uptimerobot(path, rows, zone, column, service, services)
    elif "From" in header and ("To" in header or "Duration" in header):
        column = _service_column(path, header, ("Check", "Name"), service)
        _pingdom(path, rows, zone, column, service, services)
    else:
        raise ValueError(
            f"{path}: neither an UptimeRobot log export (Event, Date-Time, Monitor) nor a "
            f"Pingdom outage export (From, To, Duration); found: {', '.join(header) or 'none'}"
        )
    return rows


def _service_column(
    path: Path, header: list[str], names: tuple[str, ...], service: str | None
) -> str | None:
    for name in names:
        if name in header:
            return name
    if service is None:
        raise ValueError(
            f"{path}: no {' or '.join(names)} column names the service; hint: give service= "
            "the agreement's service id these outages belong to"
        )
    return None


def _name(
    row: str, cells: dict[str, str], column: str | None, service: str | None, rows: Rows,
    services: Mapping[str, str],
) -> str | None:  # fmt: skip
    if column is None:
        return service
    name = cells[column].strip()
    if not name:
        rows.reject(row, column, None, "no service name")
        return None
    return services.get(name, name)


def _uptimerobot(
    path: Path, rows: Rows, zone: ZoneInfo | None, column: str | None, service: str | None,
    services: Mapping[str, str],
) -> None:  # fmt: skip
    for row, cells in csv_rows(path, rows):
        name = _name(row, cells, column, service, rows, services)
        if name is None:
            continue
        event = cells["Event"].strip()
        if event.lower() not in _EVENTS:
            rows.reject(row, "Event", event, "event is not Down, Up, Paused or Started")
            continue
        state = _EVENTS[event.lower()]
        try:
            at = read_time(cells["Date-Time"], zone, path, "Date-Time")
            length = _uptimerobot_duration(cells) if state == "down" else None
        except BadValue as bad:
            rows.reject(row, bad.field_name or "Date-Time", bad.value or cells["Date-Time"], str(bad))  # fmt: skip
            continue
        source = f"uptimerobot:{cells[column].strip() if column else name}"
        rows.samples.append(Sample(name, at, state, source))
        if state == "down":
            end = None if length is None else at + length
            rows.outages.append(
                {"service": name, "start_at": at, "end_at": end, "planned": False,
                 "source": source}
            )  # fmt: skip


def _uptimerobot_duration(cells: dict[str, str]) -> int | None:
    minutes = cells.get("Duration (in mins.)", "").strip()
    if minutes:
        try:
            value = float(minutes)
        except ValueError:
            value = -1.0
        if not value >= 0:  # also refuses NaN
            raise BadValue("not a number of minutes", "Duration (in mins.)", minutes)
        return round(value * 60 * US)
    return parse_outage_duration(cells.get("Duration", ""), "Duration")


def parse_outage_duration(text: str, column: str) -> int | None:
    """µs of an export's duration: ``01:05:00`` or ``1:05`` (hours, minutes[, seconds]), or
    numbers with units (``1 hrs, 5 mins``, ``2d 3h``, ``90s``); ``None`` when empty.

    >>> parse_outage_duration("1 hrs, 5 mins", "Duration") // 1_000_000
    3900
    >>> parse_outage_duration("26:00:30", "Duration") // 1_000_000
    93630
    """
    raw = text.strip()
    if not raw:
        return None
    clock = _CLOCK.match(raw)
    if clock:
        hours, minutes, seconds = (int(part or 0) for part in clock.groups())
        return (hours * 3600 + minutes * 60 + seconds) * US
    lowered = raw.lower()
    parts = _PART.findall(lowered)
    rest = _PART.sub("", lowered).replace(",", "").replace("and", "").strip()
    if not parts or rest:
        raise BadValue("unreadable duration; write e.g. '01:05:00' or '1h 5m'", column, raw)
    return round(sum(float(n) * _UNIT_SECONDS[unit[0]] for n, unit in parts) * US)


def _pingdom(
    path: Path, rows: Rows, zone: ZoneInfo | None, column: str | None, service: str | None,
    services: Mapping[str, str],
) -> None:  # fmt: skip
    for row, cells in csv_rows(path, rows):
        name = _name(row, cells, column, service, rows, services)
        if name is None:
            continue
        field = "From"
        try:
            start = read_time(cells["From"], zone, path, "From")
            field = "To"
            to = cells.get("To", "").strip()
            if to:
                end: int | None = read_time(to, zone, path, "To")
            else:
                length = parse_outage_duration(cells.get("Duration", ""), "Duration")
                end = None if length is None else start + length
        except BadValue as bad:
            rows.reject(row, bad.field_name or field, bad.value or cells.get(field), str(bad))
            continue
        if end is not None and end < start:
            rows.reject(row, "To", cells.get("To") or cells.get("Duration"), "ends before it starts")  # fmt: skip
            continue
        rows.outages.append(
            {"service": name, "start_at": start, "end_at": end, "planned": False,
             "source": f"pingdom:{path.name}"}
        )  # fmt: skip
