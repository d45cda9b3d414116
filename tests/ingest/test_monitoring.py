"""Monitoring readers: Uptime Kuma (database and CSV), Prometheus query_range JSON, UptimeRobot and
Pingdom outage CSVs. Each fixture in ``fixtures/monitoring`` holds good rows and one bad row per
quarantine rule; every expected value below is worked out by hand from those files."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clearpact.ingest.monitoring import (
    GAPS,
    MonitoringImport,
    read_outage_csv,
    read_prometheus,
    read_uptime_kuma,
)
from clearpact.ingest.samples import Sample, State, derive_outages
from clearpact.ingest.schema import CHECKS, OUTAGES, QUARANTINE

FIXTURES = Path(__file__).parent / "fixtures" / "monitoring"
BERLIN = "Europe/Berlin"


def utc(text: str) -> datetime:
    """``"2026-03-02 10:02"`` as an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def outages(result: MonitoringImport) -> list[tuple[str, datetime, datetime | None, bool]]:
    return [
        (o["service"], o["start_at"], o["end_at"], o["planned"]) for o in result.outages.to_pylist()
    ]


def quarantined(result: MonitoringImport) -> list[tuple[str, str, str | None, str]]:
    return [(q["row"], q["field"], q["value"], q["reason"]) for q in result.quarantine.to_pylist()]


@pytest.fixture(scope="module")
def kuma_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """kuma.db built from the committed SQL text (no binary in the repository)."""
    path = tmp_path_factory.mktemp("kuma") / "kuma.db"
    connection = sqlite3.connect(path)
    connection.executescript((FIXTURES / "kuma.sql").read_text(encoding="utf-8"))
    connection.commit()
    connection.close()
    return path


@pytest.fixture(scope="module")
def kuma(kuma_db: Path) -> MonitoringImport:
    return read_uptime_kuma(kuma_db)


@pytest.fixture(scope="module")
def prometheus() -> MonitoringImport:
    return read_prometheus(FIXTURES / "prometheus_up.json")


@pytest.fixture(scope="module")
def uptimerobot() -> MonitoringImport:
    return read_outage_csv(FIXTURES / "uptimerobot_logs.csv", timezone=BERLIN)


@pytest.fixture(scope="module")
def pingdom() -> MonitoringImport:
    return read_outage_csv(FIXTURES / "pingdom_outages.csv", timezone=BERLIN)


# --- every reader: schemas and the row count ----------------------------------------------------


@pytest.mark.parametrize(
    ("reader", "rows_in", "stored_in", "stored", "rejected"),
    [
        ("kuma", 15, "checks", 11, 4),  # 15 heartbeats: ids 12–15 bad
        (
            "prometheus",
            15,
            "checks",
            10,
            5,
        ),  # 11 + 2 + 2 samples: 3 bad in series 1, series 2 unnamed
        ("uptimerobot", 10, "checks", 6, 4),  # rows 7–10 bad
        ("pingdom", 5, "outages", 3, 2),  # rows 4 and 5 bad
    ],
)
def test_every_row_in_is_stored_or_quarantined_whole(
    request: pytest.FixtureRequest,
    reader: str,
    rows_in: int,
    stored_in: str,
    stored: int,
    rejected: int,
) -> None:
    result: MonitoringImport = request.getfixturevalue(reader)
    assert result.checks.schema == CHECKS
    assert result.outages.schema == OUTAGES
    assert result.quarantine.schema == QUARANTINE
    assert result.gaps.schema == GAPS
    assert (result.rows_in, getattr(result, stored_in).num_rows) == (rows_in, stored)
    assert result.rows_quarantined == rejected
    assert result.rows_in == getattr(result, stored_in).num_rows + result.rows_quarantined
    assert all(result.quarantine.column("whole_row").to_pylist())


# --- Uptime Kuma ---------------------------------------------------------------------------------


def test_kuma_heartbeats_become_checks_with_pending_and_maintenance_undecided(
    kuma: MonitoringImport,
) -> None:
    website = [
        (c["at"], c["up"], c["maintenance"])
        for c in kuma.checks.to_pylist()
        if c["service"] == "Website"
    ]
    assert website[:3] == [
        (utc("2026-03-02 10:00"), True, False),  # status 1 UP
        (utc("2026-03-02 10:01"), None, False),  # status 2 PENDING: undecided
        (utc("2026-03-02 10:02"), False, False),  # status 0 DOWN
    ]
    assert website[5] == (utc("2026-03-08 02:00"), None, True)  # status 3 MAINTENANCE


def test_kuma_outages_run_from_the_first_down_to_the_next_up(kuma: MonitoringImport) -> None:
    assert outages(kuma) == [
        # Mail goes down at 23:50 on 31 March and this copy has no later heartbeat: ongoing.
        ("Mail", utc("2026-03-31 23:50"), None, False),
        # PENDING at 10:01 does not start it; PENDING at 10:03 does not end it:
        # 10:02:00 → 10:07:30.5 = 5 min 30.5 s.
        ("Website", utc("2026-03-02 10:02"), utc("2026-03-02 10:07:30.5"), False),
        # MAINTENANCE 02:00 and 02:30 → planned until the DOWN at 03:00, which starts an
        # unplanned outage that the UP at 03:10 ends.
        ("Website", utc("2026-03-08 02:00"), utc("2026-03-08 03:00"), True),
        ("Website", utc("2026-03-08 03:00"), utc("2026-03-08 03:10"), False),
    ]
    assert set(kuma.outages.column("source").to_pylist()) == {
        "uptime_kuma:Mail (id 2)",
        "uptime_kuma:Website (id 1)",
    }


def test_kuma_bad_heartbeats_are_quarantined_by_id(kuma: MonitoringImport) -> None:
    assert quarantined(kuma) == [
        ("id=12", "status", "7", "status is not 0 (down), 1 (up), 2 (pending) or 3 (maintenance)"),
        ("id=13", "time", "?", "unreadable time; write ISO 8601, e.g. '2026-03-01 14:05:00'"),
        ("id=14", "monitor_id", "99", "no monitor with id 99"),
        ("id=15", "monitor_id", "3", "monitor 3 has no name"),
    ]
    assert set(kuma.quarantine.column("file").to_pylist()) == {"kuma.db"}


def test_kuma_monitor_names_map_to_service_ids_and_unmapped_names_stay(kuma_db: Path) -> None:
    result = read_uptime_kuma(kuma_db, services={"Website": "web-shop"})
    assert set(result.checks.column("service").to_pylist()) == {"web-shop", "Mail"}
    assert set(result.outages.column("source").to_pylist()) == {
        "uptime_kuma:Website (id 1)",  # the source keeps the monitor's own name
        "uptime_kuma:Mail (id 2)",
    }


def test_two_kuma_monitors_of_one_name_keep_their_own_outages(tmp_path: Path) -> None:
    path = tmp_path / "kuma.db"
    connection = sqlite3.connect(path)
    connection.executescript((FIXTURES / "kuma.sql").read_text(encoding="utf-8"))
    connection.executescript(
        "INSERT INTO monitor (id, name) VALUES (4, 'Website');"
        "INSERT INTO heartbeat (id, monitor_id, status, time) VALUES"
        " (16, 4, 0, '2026-03-02 10:02:30.000'), (17, 4, 1, '2026-03-02 10:20:00.000');"
    )
    connection.commit()
    connection.close()
    found = read_uptime_kuma(path).outages.to_pylist()
    march_2 = [(o["source"], o["start_at"], o["end_at"]) for o in found if o["start_at"].day == 2]
    # Monitor 4's UP at 10:20 ends its own outage; monitor 1's UP at 10:07:30.5 does not end it.
    assert march_2 == [
        ("uptime_kuma:Website (id 1)", utc("2026-03-02 10:02"), utc("2026-03-02 10:07:30.5")),
        ("uptime_kuma:Website (id 4)", utc("2026-03-02 10:02:30"), utc("2026-03-02 10:20")),
    ]


def test_a_database_without_kuma_tables_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    sqlite3.connect(other).close()
    with pytest.raises(ValueError, match="not an Uptime Kuma database"):
        read_uptime_kuma(other)


def test_kuma_csv_times_without_offset_are_read_in_the_stated_zone() -> None:
    result = read_uptime_kuma(FIXTURES / "kuma_heartbeats.csv", timezone=BERLIN)
    assert outages(result) == [
        # Row 7 carries +00:00 (11:00Z); row 8's 12:30 in Berlin (CET, UTC+1) is 11:30Z.
        ("Mail", utc("2026-03-02 11:00"), utc("2026-03-02 11:30"), False),
        # 10:02 and 10:07 Berlin are 09:02Z and 09:07Z; "down" and "UP" are status names.
        ("Website", utc("2026-03-02 09:02"), utc("2026-03-02 09:07"), False),
    ]
    assert [row[:3] for row in quarantined(result)] == [
        ("4", "status", "5"),
        ("5", "monitor", None),
        ("6", "time", "2026-03-29 02:30:00"),  # the hour Berlin skips on 29 March 2026
    ]
    assert result.rows_in == 8  # the blank last line is not a row


def test_kuma_csv_without_a_zone_is_refused_naming_file_and_column() -> None:
    with pytest.raises(ValueError, match=r"kuma_heartbeats\.csv: column 'time' has times without"):
        read_uptime_kuma(FIXTURES / "kuma_heartbeats.csv")


# --- Prometheus ----------------------------------------------------------------------------------


def test_prometheus_samples_hold_until_the_next_and_long_silences_are_unknown(
    prometheus: MonitoringImport,
) -> None:
    # shop:443 samples every 60 s from 10:00 (median interval 60 s, so gaps are > 120 s):
    # 0 at 10:01 and 10:02, 1 at 10:03 → down 10:01–10:03. 0 at 10:04, then silence until 10:14
    # (600 s > 120 s): the 10:04 sample holds one step, to 10:05; 10:05–10:14 is unknown.
    # 0 at 10:14, 1 at 10:15 → down 10:14–10:15. mail:25 is 0 from 10:01:00.25 on: ongoing.
    assert outages(prometheus) == [
        ("mail:25", utc("2026-03-02 10:01:00.25"), None, False),
        ("shop:443", utc("2026-03-02 10:01"), utc("2026-03-02 10:03"), False),
        ("shop:443", utc("2026-03-02 10:04"), utc("2026-03-02 10:05"), False),
        ("shop:443", utc("2026-03-02 10:14"), utc("2026-03-02 10:15"), False),
    ]
    assert [(g["service"], g["start_at"], g["end_at"]) for g in prometheus.gaps.to_pylist()] == [
        ("shop:443", utc("2026-03-02 10:05"), utc("2026-03-02 10:14"))
    ]


def test_prometheus_bad_samples_are_quarantined_by_series_and_sample(
    prometheus: MonitoringImport,
) -> None:
    assert quarantined(prometheus) == [
        ("series=1 sample=8", "value", "NaN", "the value is not 0 or 1"),
        ("series=1 sample=10", "time", "oops", "the time is not a number of seconds"),
        ("series=1 sample=11", "value", "0.5", "the value is not 0 or 1"),
        ("series=2 sample=1", "instance", None, "the series has no label 'instance'"),
        ("series=2 sample=2", "instance", None, "the series has no label 'instance'"),
    ]


def test_prometheus_service_can_come_from_the_job_label() -> None:
    result = read_prometheus(FIXTURES / "prometheus_up.json", label="job")
    assert set(result.checks.column("service").to_pylist()) == {"blackbox", "node"}
    assert result.rows_quarantined == 3  # series 2 has a job, so only the 3 bad samples remain


def test_a_stated_step_of_five_minutes_bridges_a_ten_minute_silence() -> None:
    # step 300 s → silences up to 2 × 300 = 600 s are not gaps; the 10:04 → 10:14 silence is
    # exactly 600 s, so the 0 at 10:04 holds until the 1 at 10:15.
    result = read_prometheus(FIXTURES / "prometheus_up.json", step=300)
    assert ("shop:443", utc("2026-03-02 10:04"), utc("2026-03-02 10:15"), False) in outages(result)
    assert result.gaps.num_rows == 0


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ('{"status": "error", "errorType": "bad_data"}', "not a successful Prometheus API"),
        ('{"status": "success", "data": {"resultType": "vector", "result": []}}', "not 'matrix'"),
    ],
)
def test_prometheus_answers_that_are_not_ranges_are_refused(
    tmp_path: Path, answer: str, message: str
) -> None:
    path = tmp_path / "answer.json"
    path.write_text(answer, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_prometheus(path)


# --- UptimeRobot and Pingdom ---------------------------------------------------------------------


def test_uptimerobot_down_rows_are_outages_of_their_stated_duration(
    uptimerobot: MonitoringImport,
) -> None:
    assert outages(uptimerobot) == [
        # 23:00 on 31 March in Berlin is CEST (UTC+2): 21:00Z; no duration yet: ongoing.
        ("Mail", utc("2026-03-31 21:00"), None, False),
        # 09:00 CET = 08:00Z, "1 hrs, 5 mins" (the minutes column is empty) → 09:05Z.
        ("Shop", utc("2026-03-05 08:00"), utc("2026-03-05 09:05"), False),
        # 14:05 CET = 13:05Z, 15 minutes → 13:20Z.
        ("Shop", utc("2026-03-10 13:05"), utc("2026-03-10 13:20"), False),
    ]
    assert [(c["service"], c["up"]) for c in uptimerobot.checks.to_pylist()] == [
        ("Mail", None),  # Paused
        ("Mail", None),  # Started
        ("Mail", False),
        ("Shop", False),
        ("Shop", False),
        ("Shop", True),
    ]


def test_uptimerobot_bad_rows_are_quarantined_by_row_number(uptimerobot: MonitoringImport) -> None:
    assert [row[:3] for row in quarantined(uptimerobot)] == [
        ("7", "Date-Time", "yesterday"),
        ("8", "Event", "Flapping"),
        ("9", "Duration", "soon"),
        ("10", "Monitor", None),
    ]


def test_pingdom_rows_are_outages_from_from_to_to(pingdom: MonitoringImport) -> None:
    assert outages(pingdom) == [
        ("Shop", utc("2026-03-03 07:00"), utc("2026-03-03 07:12"), False),  # 08:00 CET = 07:00Z
        # An offset is kept; To is empty, so From + Duration 00:45:00.
        ("Shop", utc("2026-03-12 22:00"), utc("2026-03-12 22:45"), False),
        ("Shop", utc("2026-03-20 22:55"), None, False),  # neither To nor Duration: ongoing
    ]
    assert [row[:4] for row in quarantined(pingdom)] == [
        ("4", "To", "2026-03-21 09:00:00", "ends before it starts"),
        ("5", "From", "not a date", "unreadable time; write ISO 8601, e.g. '2026-03-01 14:05:00'"),
    ]


def test_outage_csv_without_a_zone_is_refused_naming_file_and_column() -> None:
    with pytest.raises(ValueError, match=r"uptimerobot_logs\.csv: column 'Date-Time'"):
        read_outage_csv(FIXTURES / "uptimerobot_logs.csv")
    with pytest.raises(ValueError, match=r"pingdom_outages\.csv: column 'From'"):
        read_outage_csv(FIXTURES / "pingdom_outages.csv")


def test_a_pingdom_export_without_a_check_column_needs_the_service(tmp_path: Path) -> None:
    path = tmp_path / "outages.csv"
    path.write_text("From,To\n2026-03-03T08:00:00Z,2026-03-03T08:10:00Z\n", encoding="utf-8")
    with pytest.raises(ValueError, match="hint: give service="):
        read_outage_csv(path)
    result = read_outage_csv(path, service="web-shop")
    assert outages(result) == [
        ("web-shop", utc("2026-03-03 08:00"), utc("2026-03-03 08:10"), False)
    ]


def test_a_csv_of_another_kind_is_refused_with_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "tickets.csv"
    path.write_text("ticket,opened\n1,2026-03-03\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"neither an UptimeRobot .* found: ticket, opened"):
        read_outage_csv(path)


# --- the derivation on its own --------------------------------------------------------------------


def test_maintenance_ends_an_unplanned_outage_and_starts_a_planned_one() -> None:
    minute = 60_000_000
    states: list[State] = ["down", "maintenance", "pending", "up", "down", "down"]
    samples = [Sample("s", i * minute, state, "x") for i, state in enumerate(states)]
    found, gaps = derive_outages(samples)
    assert [(o["start_at"], o["end_at"], o["planned"]) for o in found] == [
        (0, minute, False),  # down at 0, maintenance at 1 min
        (minute, 3 * minute, True),  # pending at 2 min continues it; up at 3 min ends it
        (4 * minute, None, False),  # down from 4 min to the end of the data
    ]
    assert gaps == []


def test_outages_of_zero_length_are_dropped() -> None:
    samples = [Sample("s", 0, "down", "x"), Sample("s", 0, "up", "x")]
    assert derive_outages(samples) == ([], [])
