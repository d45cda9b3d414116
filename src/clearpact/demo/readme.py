"""The demo folder's README: what is where, in which format, and what the data should show.

Written from the manifest, so every number in it is the generator's own count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path

from clearpact.demo.manifest import CustomerTruth, DemoManifest, OutageTruth
from clearpact.durations import add_months

HOURS = {
    "hartwell-ainsley": "Mon–Fri 08:00–18:00; every priority in business hours",
    "sonnenhang-vets": "Mon–Fri 07:00–20:00, Sat 08:00–14:00; P1 24x7",
    "prairiegate-freight": "Mon–Fri 07:00–19:00; co-managed (the customer's own Zendesk)",
}
PAUSES = {
    "hartwell-ainsley": "`Waiting Customer`",
    "sonnenhang-vets": "`Waiting Customer`, `Waiting Vendor`, `Scheduled`",
    "prairiegate-freight": "`pending`, `hold`",
}
FORMATS = """\
## Formats

Every export has the exact shape (files, field names, value formats) of the fixtures that
clearpact's import profiles are written from: `tests/ingest/fixtures/connectwise/` and
`tests/ingest/fixtures/zendesk/` in the clearpact repository (their `SOURCE.md` files give the
sources and the import rules). Times are UTC, `YYYY-MM-DDTHH:MM:SSZ`.

- **ConnectWise PSA (REST 3.0)** — `connectwise/service_tickets.json` (a bare array, both
  customers; `company.identifier` tells them apart), `notes/{id}.json`, `audittrail/{id}.json`,
  `board_statuses.json`, `priorities.json`. The board has two statuses beyond the fixture's:
  `Waiting Vendor` and `Scheduled` (both `NoEscalation`, like `Waiting Customer`). Member
  `ackbot` sends the automatic acknowledgement; `zAdmin` (a workflow) closes a ticket about
  three days after `Resolved`. E-mail and portal tickets start with the contact's description
  note; phone and monitoring tickets have none. ConnectWise's own SLA fields are filled in
  wall-clock minutes for show; an import reads none of them.
- **Zendesk Support (API v2)** — `zendesk/tickets.json` (all pages in one), `audits/{id}.json`,
  `users.json`: the customer's own desk, exported for the Fernhollow group. `pending` waits on
  the requester, `hold` on a vendor; user 9000000099 (the desk's bot) sends the acknowledgement
  and an automation (author -1) closes a ticket four days after `solved`. Escalations are
  submitted by the customer's IT team (agents) on behalf of a user: their description comment
  is not a reply.
- **Uptime Kuma** — `uptime-kuma/kuma.db`, tables `monitor` and `heartbeat`; status 0 DOWN, 1 UP,
  2 PENDING (a failed check being retried), 3 MAINTENANCE; `time` is UTC text
  `YYYY-MM-DD HH:MM:SS.SSS`. Kuma checks every 60 s; to keep the file small the demo writes one
  heartbeat at every change of state plus one an hour while nothing changes. A state holds until
  the monitor's next heartbeat, so an outage runs from its first DOWN heartbeat to the next UP
  one; a PENDING heartbeat a minute before is the failed retry that led to it.
- **Surveys** — `surveys/csat.csv`, SmileBack-style, one row per answer: `review_id`,
  `rated_at` (UTC), `rating` (`positive`, `neutral`, `negative`; the agreements' CSAT KPIs read
  them as 5, 3, 1), `comment`, `ticket_system` (`connectwise` or `zendesk`), `ticket_id`,
  `company_id` (the customer as that system's export names it), `company`, `contact_email`,
  `agent`.
- **Truth** — `truth/<slug>/tickets.csv` and `events.csv`: the canonical rows an import of that
  customer's export should store (after quarantine), by the fixtures' rules. Measure them today:
  `clearpact measure agreements/<slug>.yaml --data truth/<slug> --out results/<slug> --as-of AS_OF`
  (add `--resolved-status solved --closed-status closed` for the Zendesk customer).
"""


def _counts(customers: tuple[CustomerTruth, ...]) -> list[str]:
    rows: list[tuple[str, Callable[[CustomerTruth], object]]] = [
        ("ticket rows in the export", lambda c: c.ticket_rows),
        ("tickets an import stores", lambda c: c.tickets),
        ("… rejected whole (unreadable creation time)", lambda c: c.tickets_rejected),
        ("… raised by monitoring (an outage)", lambda c: c.alert_tickets),
        ("… still open at the cut-off", lambda c: c.tickets_open),
        ("… that waited in a paused status", lambda c: c.tickets_paused),
        ("status events", lambda c: c.events["status"]),
        ("priority events (= priority changes)", lambda c: c.events["priority"]),
        ("assignment events", lambda c: c.events["assignment"]),
        ("… of which reassignments", lambda c: c.reassignments),
        (
            "reply events: agent / automation / internal / customer",
            lambda c: " / ".join(
                str(c.replies[k]) for k in ("agent", "automation", "internal", "customer")
            ),
        ),
        ("reopenings", lambda c: c.reopenings),
        ("rows to quarantine", lambda c: c.quarantined_rows),
        ("survey answers", lambda c: c.surveys),
        ("monitors / heartbeats", lambda c: f"{c.monitors} / {c.heartbeats}"),
        (
            "outages: unplanned / planned (outside the window)",
            lambda c: (
                f"{c.outages_unplanned} / {c.outages_planned} ({c.outages_planned_outside_window})"
            ),
        ),
    ]
    lines = [
        "| | " + " | ".join(c.name for c in customers) + " |",
        "|---" * (len(customers) + 1) + "|",
    ]
    lines += [
        f"| {label} | " + " | ".join(str(value(c)) for c in customers) + " |"
        for label, value in rows
    ]
    return lines


def _minutes(start: str, end: str) -> int:
    a, b = (dt.datetime.fromisoformat(x) for x in (start, end))
    return round((b - a).total_seconds() / 60)


Availability = Mapping[str, tuple[tuple[str, ...], float]]
"""Per customer: the services its availability SLA covers and its target in percent."""


def write_readme(path: Path, manifest: DemoManifest, availability: Availability) -> None:
    """Write ``README.md`` for a generated demo folder from its manifest and each customer's
    availability terms."""
    m = manifest
    amended = add_months(dt.date.fromisoformat(m.start), 6)
    worst = {c.slug: _missed(m.outages, c.slug, *availability[c.slug]) for c in m.customers}
    lines = [
        "# clearpact demo data",
        "",
        f"Generated by `clearpact demo-data` (seed {m.seed}, scale {m.scale:g}): {m.provider}, an invented",
        "managed-service provider, and three invented customers on three different agreements, for",
        f"the local days {m.start} to {m.end} (exclusive). The exports were taken at `{m.as_of}`",
        "(`as_of`): nothing happens at or after it, and tickets still being worked then are open.",
        "Every name is made up; every e-mail domain ends in `.example`. `manifest.json` holds every",
        "count below, every deliberately bad row and every outage, for tests.",
        "",
        "| customer | agreement | tool | customer in the export | time zone | hours | resolution pauses in |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in m.customers:
        lines.append(
            f"| {c.name} | `{c.agreement}` | {c.tool} | `{c.customer_id}` | {c.timezone} | {HOURS[c.slug]} | {PAUSES[c.slug]} |"
        )
    lines += ["", *_try_it(m), "## What is where", "", "| path | what |", "|---|---|"]
    lines += [f"| `{name}` | {what} |" for name, what in m.files.items()]
    lines += ["", FORMATS, "## Counts", "", *_counts(m.customers), ""]
    lines += [
        "Each source row is stored, quarantined or ignored (ConnectWise: the description note;",
        "Zendesk: the creation audit, read for the ticket row only): `source_rows` =",
        "stored + `quarantined_rows` + `ignored_rows` in `manifest.json`.",
        "",
        "## Deliberately bad rows",
        "",
        "| tool | ticket | file | row | field | value | why |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {b.tool} | {b.ticket_id} | `{b.file}` | `{b.row}` | {b.field} | `{b.value}` | {b.reason} |"
        for b in m.bad_rows
    ]
    lines += [
        "",
        "## Outages and maintenance",
        "",
        "| customer | monitor | from (UTC) | minutes | kind |",
        "|---|---|---|---|---|",
    ]
    for o in m.outages:
        kind = (
            "unplanned"
            if not o.planned
            else "planned, in the window"
            if o.in_window
            else "**planned, outside the agreed window**"
        )
        lines.append(
            f"| {o.customer} | {o.monitor} | {o.start} | {_minutes(o.start, o.end)} | {kind} |"
        )
    lines += [
        "",
        "## The story the data should tell",
        "",
        "- **Rhythm.** Tickets arrive mostly in each customer's office hours with a morning peak;",
        "  Mondays are busiest, Fridays quietest, late January about 50% busier than late July.",
        "  Priorities are about 5/20/50/25% P1..P4, more urgent out of hours.",
        "- **A short-staffed August** (two engineers on leave) and the days around Christmas: the",
        "  MSP works about 1.9× (1.4×) slower, so first-response and resolution attainment dip for",
        "  every customer in August.",
        "- **Hartwell & Ainsley** measures everything in office hours and pauses only for",
        "  `Waiting Customer`: time waiting on a vendor or for a booked visit counts against the",
        f"  MSP. Amendment 1.1 tightens the P2 resolution target from 8h to 6h from {amended},",
        f"  and P2 breaches rise after it. {worst['hartwell-ainsley']} A planned maintenance on a",
        "  weekday lunchtime, outside the Saturday-night window, counts as downtime.",
        "- **Sonnenhang Tierkliniken** has P1 around the clock: at night the on-call engineer calls",
        "  back, so night-time P1 responses are slower than daytime ones. Waits on vendors and booked",
        f"  visits pause its resolution clock. {worst['sonnenhang-vets']}",
        "- **Prairiegate Freight** is co-managed: the MSP works in the customer's Zendesk and its",
        "  queue is the slowest of the three, so attainment hovers below target and credits are due",
        f"  in the weakest months. {worst['prairiegate-freight']} A planned maintenance on a",
        "  Saturday afternoon is outside the window.",
        "- **Satisfaction** follows the service: tickets that missed a target or were reopened are",
        "  rated negative far more often.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def _missed(
    outages: tuple[OutageTruth, ...], slug: str, services: tuple[str, ...], target: float
) -> str:
    """The months (UTC) whose downtime of the covered services (unplanned, or planned outside
    the agreed window) exceeds what the availability target allows, in words."""
    down: dict[str, int] = {}
    for o in outages:
        if o.customer == slug and o.service in services and not (o.planned and o.in_window):
            down[o.start[:7]] = down.get(o.start[:7], 0) + _minutes(o.start, o.end)
    missed = []
    for month, minutes in sorted(down.items()):
        first = dt.date.fromisoformat(month + "-01")
        days = (add_months(first, 1) - first).days
        allowed = (100 - target) / 100 * days * 1440
        if minutes > allowed:
            missed.append(f"{month} ({minutes} minutes down, {allowed:.0f} allowed)")
    if not missed:
        return f"Its {target:g}% availability target is met every month."
    return f"Its {target:g}% availability target is missed in {', '.join(missed)}."


def _try_it(m: DemoManifest) -> list[str]:
    """The commands that import the exports and measure each customer, run from this folder."""
    lines = [
        "## Try it (from this folder)",
        "",
        "```sh",
        "clearpact import connectwise --profile profiles/connectwise.yaml --store store/connectwise",
        "clearpact import zendesk --profile profiles/zendesk.yaml --store store/zendesk",
    ]
    tools = {c.slug: c.tool for c in m.customers}
    for tool in sorted(set(tools.values())):
        mapped = [t for t in m.monitors if tools[t.customer] == tool]
        lines.append(
            f"clearpact monitoring uptime-kuma/kuma.db --format uptime-kuma --store store/{tool} \\"
        )
        for number, monitor in enumerate(mapped, start=1):
            end = " \\" if number < len(mapped) else ""
            lines.append(f"  --service '{monitor.name}={monitor.service}'{end}")
    for c in m.customers:
        lines.append(
            f"clearpact measure {c.agreement} --data store/{c.tool} --customer {c.customer_id} "
            f"--as-of {m.as_of} --out out/{c.slug}"
        )
    lines += [
        "```",
        "",
        "`profiles/connectwise.yaml` is the built-in `connectwise` profile with this board's two",
        "extra statuses added, as an MSP adapts a built-in profile to its instance; without them",
        "every change to `Waiting Vendor` or `Scheduled` is quarantined as an unknown status.",
        "",
    ]
    return lines
