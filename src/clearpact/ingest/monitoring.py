"""Read monitoring data into the canonical ``checks``, ``outages`` and ``quarantine`` tables.

An adapter: reads files (SQLite, JSON, CSV) with the standard library and pyarrow; imports the
canonical schemas, :mod:`clearpact.ingest.samples` and the core's zone names. Three sources:

- **Uptime Kuma** (:func:`read_uptime_kuma`): its SQLite database ``kuma.db`` (the file in its data
  folder, or a copy from a backup), or a CSV of heartbeats. Kuma writes each heartbeat's ``time``
  as UTC text ``YYYY-MM-DD HH:MM:SS.SSS`` (``server/model/monitor.js``:
  ``bean.time = R.isoDateTimeMillis(dayjs.utc())``) and its ``status`` as 0 DOWN, 1 UP,
  2 PENDING, 3 MAINTENANCE (``src/util.ts``); the tables ``monitor(id, name, …)`` and
  ``heartbeat(id, important, monitor_id, status, msg, time, ping, duration, down_count, …)`` are
  created in ``db/knex_init_db.js`` (louislam/uptime-kuma on GitHub).
- **Prometheus** (:func:`read_prometheus`): the JSON answer of ``/api/v1/query_range`` for ``up``
  or ``probe_success`` (``resultType: matrix``; ``values`` are ``[unix_seconds, "0"|"1"]``, as the
  Prometheus HTTP API documentation shows).
- **Outage CSVs** of UptimeRobot and Pingdom (:func:`read_outage_csv`, in
  :mod:`clearpact.ingest.outage_csv`).

**Outages** are derived from the samples of each monitor (each Prometheus series) by the rules in
:mod:`clearpact.ingest.samples`: down from the first DOWN sample until the next UP sample;
MAINTENANCE gives *planned* outages; still open at the last sample, ``end_at`` is null. Whether
planned time is excluded from downtime is not decided here:
:func:`clearpact.kpi.availability.availability` excludes it only inside the agreement's
maintenance windows.

**Quarantine.** A row that cannot be used is never dropped: it becomes a ``QUARANTINE`` row with
the file's name, the row (``"3"``: 1-based data row of a CSV, header not counted; ``"id=17"``: a
database row; ``"series=2 sample=5"``: 1-based positions in Prometheus JSON), the field, its raw
text and the reason, ``whole_row`` true. So ``rows_in`` = rows stored + ``rows_quarantined``,
always; each reader says which table holds one row per stored input row.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa

from clearpact.calendar.business import US
from clearpact.calendar.queries import zone_named
from clearpact.ingest.outage_csv import read_outages
from clearpact.ingest.samples import (
    BadValue,
    Rows,
    Sample,
    State,
    csv_rows,
    derive_outages,
    read_time,
)
from clearpact.ingest.schema import CHECKS, INSTANT, OUTAGES, QUARANTINE

__all__ = ["GAPS", "MonitoringImport", "read_outage_csv", "read_prometheus", "read_uptime_kuma"]

GAPS = pa.schema(
    [
        pa.field("service", pa.string(), nullable=False),
        pa.field("start_at", INSTANT, nullable=False),
        pa.field("end_at", INSTANT, nullable=False),
        pa.field("source", pa.string()),
    ]
)
"""Silences in the samples longer than a reader's gap rule: the service's state is unknown there
(neither up nor down). Not a canonical table; reported so that unknown time is visible."""

_UTC = ZoneInfo("UTC")
_KUMA_STATUS: dict[str, State] = {"0": "down", "1": "up", "2": "pending", "3": "maintenance"}
_KUMA_CODES: dict[str, str] = {state: code for code, state in _KUMA_STATUS.items()}  # "down" → "0"
_KUMA_CSV_COLUMNS = ("monitor", "status", "time")


@dataclass(frozen=True)
class MonitoringImport:
    """What one monitoring file gave: canonical tables, the quarantine, and the rows read."""

    checks: pa.Table
    """Schema :data:`~clearpact.ingest.schema.CHECKS`, ordered by service, time and file order."""
    outages: pa.Table
    """Schema :data:`~clearpact.ingest.schema.OUTAGES`, ordered by service and start."""
    quarantine: pa.Table
    """Schema :data:`~clearpact.ingest.schema.QUARANTINE`, in file order."""
    rows_in: int
    """Input rows: heartbeats, samples or CSV data rows (blank CSV lines are not rows)."""
    gaps: pa.Table = field(default_factory=GAPS.empty_table)
    """Schema :data:`GAPS`: unknown time (only readers with a gap rule fill it)."""

    @property
    def rows_quarantined(self) -> int:
        """Input rows rejected whole (each counted once, however many fields it failed)."""
        rows = self.quarantine.to_pylist()
        return len({(r["file"], r["row"]) for r in rows if r["whole_row"]})


def read_uptime_kuma(
    path: str | Path,
    *,
    services: Mapping[str, str] | None = None,
    timezone: str | None = None,
) -> MonitoringImport:
    """Heartbeats of an Uptime Kuma database (``kuma.db``) or of a heartbeat CSV.

    Every heartbeat is one ``CHECKS`` row or one quarantined row. ``up`` is true for UP, false
    for DOWN, null for PENDING and MAINTENANCE; ``maintenance`` is true for MAINTENANCE. The
    service is the monitor's name, through ``services`` (monitor name → service id) when given;
    a name the mapping lacks is kept as it is. Outages follow the module's rules, without a gap
    rule: a heartbeat's state holds until the next one, however late.

    The database's times are UTC (Kuma writes them so). The CSV has the columns ``monitor``,
    ``status`` (``0``–``3``, or ``down``, ``up``, ``pending``, ``maintenance``) and ``time`` (ISO
    8601); a time without an offset is read in ``timezone``, and without one the file is refused
    (UTC is never assumed for a CSV). Quarantined: an unknown ``monitor_id``, a monitor without a
    name, a status outside 0–3, an unreadable time. Raises ``ValueError`` for a file that is not
    a Kuma database or lacks a CSV column.
    """
    path = Path(path)
    rows = Rows(path.name)
    if path.suffix.lower() == ".csv":
        _kuma_csv(path, rows, services or {}, _zone(timezone))
    else:
        _kuma_database(path, rows, services or {})
    return _finish(rows)


def _kuma_database(path: Path, rows: Rows, services: Mapping[str, str]) -> None:
    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
        if not {"monitor", "heartbeat"} <= tables:
            raise ValueError(
                f"{path}: not an Uptime Kuma database (no 'monitor' and 'heartbeat' tables); "
                "hint: give the kuma.db from Uptime Kuma's data folder"
            )
        names = dict(connection.execute("SELECT id, name FROM monitor"))
        heartbeats = connection.execute(
            "SELECT id, monitor_id, status, time FROM heartbeat ORDER BY id"
        )
        for beat_id, monitor_id, status, time in heartbeats:
            rows.rows_in += 1
            row = f"id={beat_id}"
            if monitor_id not in names:
                rows.reject(row, "monitor_id", monitor_id, f"no monitor with id {monitor_id}")
            elif not names[monitor_id]:
                rows.reject(row, "monitor_id", monitor_id, f"monitor {monitor_id} has no name")
            else:
                name = str(names[monitor_id])
                stream = f"uptime_kuma:{name} (id {monitor_id})"  # names need not be unique
                _kuma_beat(rows, row, name, stream, services, str(status), time, _UTC)
    finally:
        connection.close()


def _kuma_csv(path: Path, rows: Rows, services: Mapping[str, str], zone: ZoneInfo | None) -> None:
    for number, cells in csv_rows(path, rows, _KUMA_CSV_COLUMNS):
        monitor = cells["monitor"].strip()
        if not monitor:
            rows.reject(number, "monitor", None, "no monitor name")
            continue
        status = cells["status"].strip().lower()
        status = _KUMA_CODES.get(status, status)
        stream = f"uptime_kuma:{monitor}"
        _kuma_beat(rows, number, monitor, stream, services, status, cells["time"], zone, path)


def _kuma_beat(
    rows: Rows,
    row: str,
    monitor: str,
    stream: str,
    services: Mapping[str, str],
    status: str,
    time: object,
    zone: ZoneInfo | None,
    path: Path | None = None,
) -> None:
    """One heartbeat: a sample of ``stream`` (the outages' ``source``), or a quarantined row."""
    state = _KUMA_STATUS.get(status)
    if state is None:
        rows.reject(row, "status", status, "status is not 0 (down), 1 (up), 2 (pending) or 3 (maintenance)")  # fmt: skip
        return
    try:
        at = read_time(time, zone, path, "time")
    except BadValue as bad:
        rows.reject(row, "time", time, str(bad))
        return
    rows.samples.append(Sample(services.get(monitor, monitor), at, state, stream))


def read_prometheus(
    path: str | Path,
    *,
    label: str = "instance",
    services: Mapping[str, str] | None = None,
    step: float | None = None,
    gap_factor: float = 2.0,
) -> MonitoringImport:
    """Samples of ``up`` or ``probe_success`` from a ``/api/v1/query_range`` JSON answer.

    Every sample is one ``CHECKS`` row (``up``: value 1 true, 0 false; ``maintenance`` false) or
    one quarantined row. The service is the series' ``label`` (``instance`` by default; ``job``
    or any other label), through ``services`` when given. Each series is its own stream.

    Gap rule: ``step`` is the query's step in seconds (the answer does not carry it; by default
    each series' median interval between samples). A sample followed by a silence longer than
    ``gap_factor × step`` holds for one ``step`` only; the rest of the silence is unknown (a
    ``gaps`` row): an outage open there ends at the sample plus ``step``, and no time in the
    silence counts as up or down. Quarantined: a series without ``label`` (all its samples), a
    time that is not a number of seconds, a value other than 0 or 1 (``NaN`` included). Raises
    ``ValueError`` for an error answer or one that is not a matrix.
    """
    path = Path(path)
    rows = Rows(path.name)
    answer = json.loads(path.read_text(encoding="utf-8"))
    answer = answer if isinstance(answer, dict) else {}
    data = answer.get("data")
    if answer.get("status") != "success" or not isinstance(data, dict):
        raise ValueError(f"{path}: not a successful Prometheus API answer (status {answer.get('status')!r})")  # fmt: skip
    if data.get("resultType") != "matrix":
        raise ValueError(
            f"{path}: resultType is {data.get('resultType')!r}, not 'matrix'; "
            "hint: save the answer of /api/v1/query_range, not /api/v1/query"
        )
    rules: dict[str, tuple[int, int]] = {}
    for series_number, series in enumerate(data.get("result", []), start=1):
        metric = series.get("metric", {})
        stream = "prometheus:" + ",".join(f"{k}={v}" for k, v in sorted(metric.items()))
        name = metric.get(label)
        times: list[int] = []
        for sample_number, pair in enumerate(series.get("values", []), start=1):
            rows.rows_in += 1
            row = f"series={series_number} sample={sample_number}"
            if not name:
                rows.reject(row, label, None, f"the series has no label '{label}'")
                continue
            try:
                at, up = _prometheus_sample(pair)
            except BadValue as bad:
                rows.reject(row, bad.field_name, bad.value, str(bad))
                continue
            times.append(at)
            service = (services or {}).get(name, name)
            rows.samples.append(Sample(service, at, "up" if up else "down", stream))
        intervals = sorted(b - a for a, b in itertools.pairwise(sorted(times)) if b > a)
        held = round(step * US) if step is not None else None
        if held is None and intervals:
            held = int(statistics.median(intervals))
        if held is not None:
            rules[stream] = (round(held * gap_factor), held)
    return _finish(rows, gap_rules=rules)


def _prometheus_sample(pair: object) -> tuple[int, bool]:
    if not isinstance(pair, list) or len(pair) != 2:
        raise BadValue("a sample is [unix_seconds, value]", "values", json.dumps(pair))
    seconds, value = pair
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise BadValue("the time is not a number of seconds", "time", seconds)
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if number not in (0.0, 1.0):
        raise BadValue("the value is not 0 or 1", "value", value)
    return round(seconds * US), number == 1.0


def read_outage_csv(
    path: str | Path,
    *,
    timezone: str | None = None,
    service: str | None = None,
    services: Mapping[str, str] | None = None,
) -> MonitoringImport:
    """An UptimeRobot or Pingdom outage export (``.csv``): ``CHECKS`` rows for UptimeRobot's
    events, ``OUTAGES`` rows for its Down events and for every Pingdom row. Times without an
    offset are read in ``timezone``; without one the file is refused with a ``ValueError``
    naming the file and column. The service is the export's ``Monitor`` (UptimeRobot) or
    ``Check``/``Name`` column (Pingdom), through ``services``; an export without such a column
    needs ``service``. :mod:`clearpact.ingest.outage_csv` lists the columns read, which were
    confirmed from public sources and which assumed, and the quarantine rules."""
    rows = read_outages(Path(path), _zone(timezone), service, services or {})
    return _finish(rows, derive=False)


# -- building the result ----------------------------------------------------------------------


def _zone(name: str | None) -> ZoneInfo | None:
    return None if name is None else zone_named(name)


def _finish(
    rows: Rows, *, derive: bool = True, gap_rules: Mapping[str, tuple[int, int]] | None = None
) -> MonitoringImport:
    """The tables from what a reader collected. With ``derive``, outages and gaps are derived
    from its samples, with the gap rule ``(max_gap, hold)`` (µs) of each stream that has one."""
    order = sorted(range(len(rows.samples)), key=lambda i: (rows.samples[i].service, rows.samples[i].at, i))  # fmt: skip
    samples = [rows.samples[i] for i in order]
    checks = [
        {"service": s.service, "at": s.at, "up": {"up": True, "down": False}.get(s.state or ""),
         "maintenance": s.state == "maintenance"}
        for s in samples
    ]  # fmt: skip
    streams: dict[str, list[Sample]] = {}
    for sample in samples:
        streams.setdefault(sample.stream, []).append(sample)
    outages, gaps = list(rows.outages), []
    for stream, series in streams.items() if derive else ():
        max_gap, hold = (gap_rules or {}).get(stream, (None, None))
        found, silent = derive_outages(series, max_gap=max_gap, hold=hold)
        outages += found
        gaps += silent
    outages.sort(key=lambda o: (o["service"], o["start_at"], o["end_at"] is None, o["end_at"] or 0))
    gaps.sort(key=lambda g: (g["service"], g["start_at"]))
    return MonitoringImport(
        checks=_table(checks, CHECKS),
        outages=_table(outages, OUTAGES),
        quarantine=pa.Table.from_pylist(rows.quarantine, schema=QUARANTINE),
        rows_in=rows.rows_in,
        gaps=_table(gaps, GAPS),
    )


def _table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """Rows whose instants are epoch µs, as a table of ``schema``."""
    columns = []
    for column in schema:
        values = [row[column.name] for row in rows]
        if column.type == INSTANT:
            columns.append(pa.array(values, type=pa.int64()).cast(INSTANT))
        else:
            columns.append(pa.array(values, type=column.type))
    return pa.Table.from_arrays(columns, schema=schema)
