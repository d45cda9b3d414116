"""Explaining one ticket: the segments the kernel measured, summed to the row's figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from clearpact.agreement import load
from clearpact.cli import app
from clearpact.clock import events_table, tickets_table
from clearpact.clock.evidence import describe, explain_ticket
from tests.clock.conftest import BERLIN
from tests.conftest import EXAMPLES

TICKETS = "ticket_id,created_at,priority,status\nT1,2026-11-20T16:30:00+01:00,P2,New\n"
EVENTS = (
    "ticket_id,at,kind,value\n"
    "T1,2026-11-23 08:20,reply,agent\n"
    "T1,2026-11-23 09:00,status,Waiting on customer\n"
    "T1,2026-11-25 09:00,status,In progress\n"
    "T1,2026-11-25 15:00,status,Resolved\n"
)


def test_segments_add_up_to_the_result() -> None:
    # Office hours Mon–Fri 08–18 Berlin. Opened Fri 16:30; reply Mon 08:20; waiting on the
    # customer Mon 09:00 → Wed 09:00; resolved Wed 15:00. Resolution (P2, 6h under amendment 1.1):
    # running Fri 16:30–18:00 + Mon 08:00–08:20 = 1h50m, Mon 08:20–09:00 = 40m, Wed 09–15 = 6h →
    # 8h30m; paused Mon 09–18 + Tue 08–18 + Wed 08–09 = 20h.
    agreement = load(EXAMPLES / "fully-managed-smb.yaml")
    rows = [
        {
            "ticket_id": "T1",
            "at": dt.datetime(2026, 11, d, h, m, tzinfo=BERLIN),
            "kind": k,
            "value": v,
        }
        for d, h, m, k, v in [
            (23, 8, 20, "reply", "agent"),
            (23, 9, 0, "status", "Waiting on customer"),
            (25, 9, 0, "status", "In progress"),
            (25, 15, 0, "status", "Resolved"),
        ]
    ]
    tickets = tickets_table(
        [
            {
                "ticket_id": "T1",
                "created_at": dt.datetime(2026, 11, 20, 16, 30, tzinfo=BERLIN),
                "priority": "P2",
                "status": "New",
            }
        ]
    )
    explanations = explain_ticket(
        agreement, tickets, events_table(rows), "T1", as_of=dt.datetime(2026, 11, 26, tzinfo=BERLIN)
    )
    resolution = next(e for e in explanations if e.result["sla"] == "resolution")
    running = [s["business_s"] for s in resolution.segments if s["clock"] == "running"]
    paused = [s["business_s"] for s in resolution.segments if s["clock"] == "paused"]
    assert running == [6600, 2400, 21600]
    assert paused == [72000]
    assert sum(running) == resolution.result["elapsed_business_s"] == 8.5 * 3600
    assert "targets.P2: 6h on calendar 'office'" in resolution.clause()
    text = "\n".join(describe(resolution))
    assert "version 1.1" in text
    assert "due Wed 2026-11-25 12:30; breached Wed 2026-11-25 12:30" in text


def test_cli_explains_a_ticket_from_csv_files(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text(TICKETS)
    (tmp_path / "e.csv").write_text(EVENTS)
    args = [
        "explain-ticket",
        str(EXAMPLES / "fully-managed-smb.yaml"),
        "T1",
        "--tickets",
        str(tmp_path / "t.csv"),
        "--events",
        str(tmp_path / "e.csv"),
        "--as-of",
        "2026-11-26T12:00",
        "--timezone",
        "Europe/Berlin",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Wed 2026-11-25 09:00 → Wed 2026-11-25 15:00  running        6h" in result.output
    unknown = CliRunner().invoke(app, [*args[:2], "T9", *args[3:]])
    assert unknown.exit_code == 2
    assert "no ticket with id 'T9'" in unknown.output


def test_cli_refuses_times_without_a_zone_unless_one_is_stated(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text(TICKETS)
    (tmp_path / "e.csv").write_text(EVENTS)
    result = CliRunner().invoke(
        app,
        [
            "explain-ticket",
            str(EXAMPLES / "fully-managed-smb.yaml"),
            "T1",
            "--tickets",
            str(tmp_path / "t.csv"),
            "--events",
            str(tmp_path / "e.csv"),
        ],
    )
    assert result.exit_code == 2
    assert "column at has times without a zone offset" in result.output


def test_trace_under_restart_shows_the_pause_and_the_time_before_the_restart() -> None:
    # P3 opened Mon 23 Nov 09:00, waiting on the customer 10:00–12:00, raised to P2 at 15:00,
    # resolved Tue 12:00, restart_at_change. Shown: Mon 09–10 (1h) and 12–15 (3h) before the
    # restart, 10–12 paused (2h), then one segment running Mon 15:00 → Tue 12:00: 3h + 4h = the
    # row's 7h.
    from tests.clock.conftest import agreement_with
    from tests.clock.test_against_reference import RESOLUTION

    agreement = agreement_with(
        resolution=RESOLUTION | {"priority_change": {"policy": "restart_at_change"}}
    )
    when = {
        "paused": dt.datetime(2026, 11, 23, 10, tzinfo=BERLIN),
        "working": dt.datetime(2026, 11, 23, 12, tzinfo=BERLIN),
        "raised": dt.datetime(2026, 11, 23, 15, tzinfo=BERLIN),
        "resolved": dt.datetime(2026, 11, 24, 12, tzinfo=BERLIN),
    }
    events = events_table(
        [
            {
                "ticket_id": "T1",
                "at": when["paused"],
                "kind": "status",
                "value": "Waiting on customer",
            },
            {"ticket_id": "T1", "at": when["working"], "kind": "status", "value": "In progress"},
            {"ticket_id": "T1", "at": when["raised"], "kind": "priority", "value": "P2"},
            {"ticket_id": "T1", "at": when["resolved"], "kind": "status", "value": "Resolved"},
        ]
    )
    tickets = tickets_table(
        [
            {
                "ticket_id": "T1",
                "created_at": dt.datetime(2026, 11, 23, 9, tzinfo=BERLIN),
                "priority": "P3",
            }
        ]
    )
    (resolution,) = [
        e
        for e in explain_ticket(
            agreement, tickets, events, "T1", as_of=dt.datetime(2026, 11, 26, tzinfo=BERLIN)
        )
        if e.result["sla"] == "resolution"
    ]
    shown = [(s["clock"], s["business_s"] / 3600) for s in resolution.segments]
    assert shown == [
        ("before restart", 1.0),
        ("paused", 2.0),
        ("before restart", 3.0),
        ("running", 7.0),
    ]
    assert resolution.result["elapsed_business_s"] == 7 * 3600
    assert resolution.result["paused_business_s"] == 2 * 3600
