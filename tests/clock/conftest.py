"""Fixtures for the clock: agreements with chosen policies, and random ticket histories."""

from __future__ import annotations

import copy
import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa

from clearpact.agreement.model import Agreement
from clearpact.clock import events_table, tickets_table
from tests.conftest import _SMB, build

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def agreement_with(**slas: dict[str, Any]) -> Agreement:
    """The SMB example with SLAs replaced (``None`` removes one), calendars as in the file plus
    ``night`` (Mon–Fri 22:00–06:00 New York, US holidays, a closure on 2026-03-09)."""
    data = copy.deepcopy(_SMB)
    data.pop("versions", None)
    data["calendars"]["night"] = {
        "timezone": "America/New_York",
        "hours": {day: ["22:00-06:00"] for day in ("mon", "tue", "wed", "thu", "fri")},
        "holidays": [{"country": "US"}],
        "closures": {"2026-03-09": ["23:00-24:00"]},
    }
    for key, sla in slas.items():
        if sla is None:
            data["slas"].pop(key, None)
        else:
            data["slas"][key] = sla
    return build(data)


STATUSES = ["In progress", "Waiting on customer", "Waiting on third party", "Resolved", "Closed"]


def random_history(seed: int, tickets: int) -> tuple[pa.Table, pa.Table]:
    """Messy histories: unknown priorities, duplicates, events before creation, reopenings,
    priority changes, shuffled rows, DST weekends, events of no ticket and unknown kinds."""
    rnd = random.Random(seed)
    ticket_rows, event_rows = [], []
    for number in range(tickets):
        created = dt.datetime(2026, 1, 1, tzinfo=BERLIN) + dt.timedelta(
            minutes=rnd.randrange(0, 60 * 24 * 330)
        )
        ticket_rows.append(
            {
                "ticket_id": f"T{number}",
                "created_at": created,
                "priority": rnd.choice(["P1", "P2", "P3", "P4", "P2", "P3", None, "P9"]),
                "status": rnd.choice(["New", "New", "Waiting on customer", None]),
                "customer": rnd.choice(["acme", "globex", None]),
            }
        )
        at = created
        for _ in range(rnd.randrange(0, 10)):
            at += dt.timedelta(minutes=rnd.randrange(-90, 60 * 50))
            kind = rnd.choice(
                ["status"] * 4 + ["priority", "reply", "reply", "assignment", "workaround", "?"]
            )
            value = {
                "status": rnd.choice(STATUSES),
                "priority": rnd.choice(["P1", "P2", "P3", "P4"]),
                "reply": rnd.choice(["agent", "automation", "internal", "customer"]),
                "assignment": "engineer",
                "workaround": None,
                "?": "x",
            }[kind]
            channel = rnd.choice(["portal", "email", None]) if kind == "reply" else None
            event_rows.append(
                {
                    "ticket_id": f"T{number}",
                    "at": at,
                    "kind": kind,
                    "value": value,
                    "channel": channel,
                }
            )
            if rnd.random() < 0.05:
                event_rows.append(dict(event_rows[-1]))
    event_rows.append(
        {
            "ticket_id": "nobody",
            "at": dt.datetime(2026, 5, 1, tzinfo=BERLIN),
            "kind": "status",
            "value": "Resolved",
        }
    )
    rnd.shuffle(event_rows)
    return tickets_table(ticket_rows), events_table(event_rows)
