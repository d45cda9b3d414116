"""The MSP's Uptime Kuma: monitors per customer, their outages, and a thinned heartbeat table.

Uptime Kuma writes a heartbeat every interval (60 s here: 500k rows per monitor per year). The
demo keeps the states and drops the repetition: one heartbeat at every change of state plus one
per hour while nothing changes. A state holds until the monitor's next heartbeat, so an outage
is the time from its first DOWN heartbeat to the next UP one, exactly as with the full table.

Status codes are Uptime Kuma's: 0 DOWN, 1 UP, 2 PENDING (a failed check being retried), 3
MAINTENANCE. ``time`` is UTC text ``YYYY-MM-DD HH:MM:SS.SSS``. ``important`` follows Kuma's rule
(a change between UP, DOWN and MAINTENANCE, and the first beat; PENDING never is).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from clearpact.calendar import Calendar
from clearpact.demo.cast import HARTWELL, PRAIRIEGATE, SONNENHANG, Customer

DOWN, UP, PENDING, MAINTENANCE = 0, 1, 2, 3


@dataclass(frozen=True)
class Monitor:
    """One Uptime Kuma monitor and the agreement service it watches."""

    id: int
    customer: Customer
    name: str
    type: str
    url: str
    service: str  # the service id in the customer's agreement
    critical: bool  # an outage raises a P1 ticket
    latency_ms: float
    failure: str  # Kuma's message when a check fails


MONITORS = (
    Monitor(
        1,
        HARTWELL,
        "Hartwell & Ainsley: Document management",
        "http",
        "https://dms.hartwell-ainsley.example/health",
        "document-systems",
        True,
        85,
        "Request failed with status code 503",
    ),
    Monitor(
        2,
        HARTWELL,
        "Hartwell & Ainsley: File server",
        "port",
        "https://",
        "document-systems",
        True,
        4,
        "connect ECONNREFUSED 10.10.0.12:445",
    ),
    Monitor(
        3,
        HARTWELL,
        "Hartwell & Ainsley: Office internet",
        "ping",
        "https://",
        "service-desk",
        False,
        12,
        "Host unreachable",
    ),
    Monitor(
        4,
        SONNENHANG,
        "Sonnenhang: Practice management",
        "http",
        "https://pms.sonnenhang-vets.example/status",
        "practice-systems",
        True,
        60,
        "timeout of 48000ms exceeded",
    ),
    Monitor(
        5,
        SONNENHANG,
        "Sonnenhang: Imaging archive",
        "port",
        "https://",
        "practice-systems",
        False,
        9,
        "connect ETIMEDOUT 10.20.0.30:104",
    ),
    Monitor(
        6,
        SONNENHANG,
        "Sonnenhang: Clinic VPN",
        "ping",
        "https://",
        "service-desk",
        False,
        18,
        "Host unreachable",
    ),
    Monitor(
        7,
        PRAIRIEGATE,
        "Prairiegate: Dispatch API",
        "keyword",
        "https://dispatch.prairiegate-freight.example/api/health",
        "dispatch-platform",
        True,
        140,
        "Request failed with status code 502",
    ),
    Monitor(
        8,
        PRAIRIEGATE,
        "Prairiegate: Joliet depot Wi-Fi controller",
        "ping",
        "https://",
        "dispatch-platform",
        False,
        25,
        "Host unreachable",
    ),
    Monitor(
        9,
        PRAIRIEGATE,
        "Prairiegate: ERP",
        "http",
        "https://erp.prairiegate-freight.example/",
        "infrastructure-support",
        False,
        210,
        "Request failed with status code 500",
    ),
)
MAJOR = {HARTWELL.slug: (1, 3, 4.5), SONNENHANG.slug: (4, 6, 1.25), PRAIRIEGATE.slug: (7, 8, 0.9)}
"""Per customer, the outage that breaks its availability target: (monitor, month index of the
demo year, hours)."""
PATCH_NIGHT = {
    HARTWELL.slug: (1, 5, 22, 30),
    SONNENHANG.slug: (4, 6, 1, 30),
    PRAIRIEGATE.slug: (7, 6, 0, 30),
}
"""Monthly planned maintenance inside the agreed window: (monitor, weekday, hour, minute) of the
second such weekday of the month, local time."""
OFF_WINDOW = {HARTWELL.slug: (2, 5, 2, 12, 10), PRAIRIEGATE.slug: (7, 9, 5, 14, 0)}
"""Planned maintenance outside the agreed window: (monitor, month index, weekday, hour, minute)."""


@dataclass(frozen=True)
class Incident:
    """A stretch of non-UP state on one monitor. ``kind``: outage, blip (PENDING only),
    maintenance. For an outage, ``start`` is the first DOWN beat (PENDING starts a minute
    before); the monitor is UP again at ``end``."""

    monitor: Monitor
    kind: str
    start: dt.datetime
    end: dt.datetime
    in_window: bool | None = None  # maintenance only: inside the agreed maintenance windows


def _ms(rng: np.random.Generator, at: dt.datetime) -> dt.datetime:
    return at.replace(microsecond=int(rng.integers(1000)) * 1000)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def plan_incidents(
    rng: np.random.Generator,
    months: list[dt.date],
    cut_off: dt.datetime,
    zones: Mapping[str, dt.tzinfo],
    windows: dict[str, Calendar],
) -> list[Incident]:
    """Outages, false alarms and maintenance for every monitor, without overlaps, sorted.
    ``months`` are the first days of the demo's months; ``windows`` each customer's agreed
    maintenance calendar, which decides ``in_window``."""
    start = dt.datetime.combine(months[0], dt.time(), dt.UTC) + dt.timedelta(hours=6)
    span = (cut_off - dt.timedelta(days=2) - start).total_seconds()
    wanted: list[tuple[int, Incident]] = []  # (rank, incident): a lower rank wins an overlap
    for monitor in MONITORS:
        slug = monitor.customer.slug
        for _ in range(int(rng.poisson(1.2))):  # ordinary outages
            down = start + dt.timedelta(seconds=float(rng.uniform(0, span)))
            minutes = float(np.clip(20 * np.exp(0.9 * rng.standard_normal()), 4, 150))
            wanted.append(
                (
                    1,
                    Incident(
                        monitor,
                        "outage",
                        _ms(rng, down),
                        _ms(rng, down + dt.timedelta(minutes=minutes)),
                    ),
                )
            )
        for _ in range(int(rng.poisson(6))):  # false alarms: one failed check, then UP
            at = start + dt.timedelta(seconds=float(rng.uniform(0, span)))
            end = at + dt.timedelta(seconds=float(rng.uniform(50, 150)))
            wanted.append((2, Incident(monitor, "blip", _ms(rng, at), _ms(rng, end))))
        zone = zones[slug]
        if slug in MAJOR and MAJOR[slug][0] == monitor.id and MAJOR[slug][1] < len(months):
            month = months[MAJOR[slug][1]]
            day = month + dt.timedelta(days=int(rng.integers(3, 25)))
            while day.weekday() > 4:
                day += dt.timedelta(days=1)
            local = dt.datetime.combine(day, dt.time(9, 30), zone) + dt.timedelta(
                minutes=float(rng.uniform(0, 300))
            )
            down = local.astimezone(dt.UTC)
            end = down + dt.timedelta(hours=MAJOR[slug][2])
            wanted.append((0, Incident(monitor, "outage", _ms(rng, down), _ms(rng, end))))
        if slug in PATCH_NIGHT and PATCH_NIGHT[slug][0] == monitor.id:
            _, weekday, hour, minute = PATCH_NIGHT[slug]
            for month in months:
                day = _nth_weekday(month.year, month.month, weekday, 2)
                local = dt.datetime.combine(day, dt.time(hour, minute), zone)
                minutes = float(rng.uniform(30, 75))
                wanted.append((0, _maintenance(rng, monitor, local, minutes, windows[slug])))
        if (
            slug in OFF_WINDOW
            and OFF_WINDOW[slug][0] == monitor.id
            and OFF_WINDOW[slug][1] < len(months)
        ):
            _, index, weekday, hour, minute = OFF_WINDOW[slug]
            day = _nth_weekday(months[index].year, months[index].month, weekday, 3)
            local = dt.datetime.combine(day, dt.time(hour, minute), zone)
            minutes = float(rng.uniform(35, 50))
            wanted.append((0, _maintenance(rng, monitor, local, minutes, windows[slug])))
    wanted.sort(key=lambda pair: (pair[0], pair[1].monitor.id, pair[1].start))
    kept: list[Incident] = []
    gap = dt.timedelta(minutes=10)
    for _, incident in wanted:  # an incident that overlaps one of a lower rank is dropped
        inside = (
            start + dt.timedelta(minutes=2)
            < incident.start
            < incident.end
            < cut_off - dt.timedelta(hours=2)
        )
        clash = any(
            other.monitor == incident.monitor
            and incident.start < other.end + gap
            and other.start < incident.end + gap
            for other in kept
        )
        if inside and not clash:
            kept.append(incident)
    return sorted(kept, key=lambda incident: (incident.start, incident.monitor.id))


def _maintenance(
    rng: np.random.Generator, monitor: Monitor, local: dt.datetime, minutes: float, window: Calendar
) -> Incident:
    begin = _ms(rng, local.astimezone(dt.UTC))
    end = _ms(rng, begin + dt.timedelta(minutes=minutes))
    inside = window.elapsed(begin, end) == end - begin
    return Incident(monitor, "maintenance", begin, end, inside)


def _changes(incidents: list[Incident], rng: np.random.Generator) -> list[tuple[dt.datetime, int]]:
    """The state changes of one monitor's incidents."""
    changes = []
    for incident in incidents:
        if incident.kind == "outage":
            retry = dt.timedelta(seconds=float(rng.uniform(55, 65)))
            changes += [
                (incident.start - retry, PENDING),
                (incident.start, DOWN),
                (incident.end, UP),
            ]
        elif incident.kind == "blip":
            changes += [(incident.start, PENDING), (incident.end, UP)]
        else:
            changes += [(incident.start, MAINTENANCE), (incident.end, UP)]
    return changes


IMPORTANT = {
    (UP, DOWN),
    (PENDING, DOWN),
    (DOWN, UP),
    (MAINTENANCE, UP),
    (MAINTENANCE, DOWN),
    (DOWN, MAINTENANCE),
    (UP, MAINTENANCE),
    (PENDING, MAINTENANCE),
}


def write_kuma(
    path: Path,
    incidents: list[Incident],
    begin: dt.datetime,
    cut_off: dt.datetime,
    rng: np.random.Generator,
) -> dict[int, int]:
    """Write ``kuma.db`` (monitor and heartbeat tables) and return heartbeats per monitor."""
    beats: list[tuple[dt.datetime, int, int]] = []  # (time, monitor id, status)
    for monitor in MONITORS:
        own = [incident for incident in incidents if incident.monitor == monitor]
        first = _ms(rng, begin + dt.timedelta(seconds=monitor.id * 7))
        changes = [(first, UP), *_changes(own, rng)]
        phase = dt.timedelta(minutes=(monitor.id * 13) % 60, seconds=monitor.id * 3)
        for (at, status), (following, _) in zip(
            changes, [*changes[1:], (cut_off, UP)], strict=True
        ):
            beats.append((at, monitor.id, status))
            hour = at.replace(minute=0, second=0, microsecond=0) + phase
            if hour <= at:
                hour += dt.timedelta(hours=1)
            hours = max(
                -((hour - following + dt.timedelta(seconds=30)) // dt.timedelta(hours=1)), 0
            )
            for k, ms in enumerate(rng.integers(1000, size=hours)):
                beats.append(
                    (hour + dt.timedelta(hours=k, milliseconds=int(ms)), monitor.id, status)
                )
    beats.sort(key=lambda beat: (beat[0], beat[1]))
    by_id = {monitor.id: monitor for monitor in MONITORS}
    rows = []
    last: dict[int, tuple[dt.datetime, int, int]] = {}  # monitor → (time, status, down count)
    counts = dict.fromkeys(by_id, 0)
    pings = rng.standard_normal(len(beats))
    for row_id, ((at, monitor_id, status), noise) in enumerate(
        zip(beats, pings, strict=True), start=1
    ):
        monitor = by_id[monitor_id]
        previous = last.get(monitor_id)
        important = previous is None or (previous[1], status) in IMPORTANT
        down_count = (
            (previous[2] + 1 if previous and previous[1] == DOWN else 1) if status == DOWN else 0
        )
        duration = round((at - previous[0]).total_seconds()) if previous else 0
        ping = round(monitor.latency_ms * float(np.exp(0.3 * noise))) if status == UP else None
        message = {
            UP: _up_message(monitor),
            DOWN: monitor.failure,
            PENDING: monitor.failure,
            MAINTENANCE: "Monitor under maintenance",
        }[status]
        retries = 1 if status in (DOWN, PENDING) else 0
        time = f"{at:%Y-%m-%d %H:%M:%S}.{at.microsecond // 1000:03d}"
        rows.append(
            (
                row_id,
                int(important),
                monitor_id,
                status,
                message,
                time,
                ping,
                duration,
                down_count,
                None,
                retries,
            )
        )
        last[monitor_id] = (at, status, down_count)
        counts[monitor_id] += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE monitor (id INTEGER PRIMARY KEY, name TEXT, type TEXT, url TEXT, interval INTEGER, active INTEGER)"
        )
        db.execute(
            "CREATE TABLE heartbeat (id INTEGER PRIMARY KEY, important INTEGER, monitor_id INTEGER, status INTEGER, msg TEXT, time DATETIME, ping INTEGER, duration INTEGER, down_count INTEGER, end_time DATETIME, retries INTEGER)"
        )
        db.execute("CREATE INDEX monitor_time_index ON heartbeat (monitor_id, time)")
        db.executemany(
            "INSERT INTO monitor VALUES (?, ?, ?, ?, 60, 1)",
            [(m.id, m.name, m.type, m.url) for m in MONITORS],
        )
        db.executemany("INSERT INTO heartbeat VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.close()
    return counts


def _up_message(monitor: Monitor) -> str:
    return {"http": "200 - OK", "keyword": "200 - OK, keyword is found"}.get(monitor.type, "")
