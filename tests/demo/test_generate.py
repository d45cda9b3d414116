"""The demo generator: deterministic, its manifest true to its files (counted back independently
with json, sqlite3 and csv in ``readback``), its agreements clean, its times readable, its
tickets plausible under each agreement. Most tests run on a small demo (scale 0.05)."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import time
from pathlib import Path

import pyarrow.compute as pc
import pytest

from clearpact.agreement.loader import load
from clearpact.clock import StatusMeanings, compute
from clearpact.demo import DemoManifest, generate_demo
from clearpact.demo.manifest import EventRow, Ledger, Meanings, TicketRow, tally
from clearpact.ingest.canonical import read_events, read_tickets
from clearpact.lint import lint_agreement
from tests.demo import readback

SMALL = 0.05


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoManifest]:
    """A small demo (seed 7, scale 0.05, twelve months from 2025-12-01) and its manifest."""
    out = tmp_path_factory.mktemp("demo")
    return out, generate_demo(out, seed=7, scale=SMALL)


def digests(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the SHA-256 of its bytes."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def truth_of(manifest: DemoManifest, slug: str) -> dict[str, object]:
    return vars(manifest.customer(slug))


def unreadable_rows(manifest: DemoManifest, tool: str) -> set[tuple[str, str]]:
    """(file, row) of every row of a tool injected with an unreadable time."""
    return {
        (b.file, b.row)
        for b in manifest.bad_rows
        if b.tool == tool and b.reason.startswith("unreadable timestamp")
    }


# -- determinism -------------------------------------------------------------------------------


def test_the_same_seed_writes_byte_identical_files(
    demo: tuple[Path, DemoManifest], tmp_path: Path
) -> None:
    out, manifest = demo
    again = generate_demo(tmp_path, seed=7, scale=SMALL)
    assert again == manifest
    assert digests(tmp_path) == digests(out)


def test_another_seed_writes_other_tickets_and_heartbeats(
    demo: tuple[Path, DemoManifest], tmp_path: Path
) -> None:
    out, _ = demo
    generate_demo(tmp_path, seed=8, scale=SMALL)
    ours, theirs = digests(out), digests(tmp_path)
    for name in (
        "connectwise/service_tickets.json",
        "zendesk/tickets.json",
        "uptime-kuma/kuma.db",
        "surveys/csat.csv",
    ):
        assert ours[name] != theirs[name], name
    assert ours["agreements/hartwell-ainsley.yaml"] == theirs["agreements/hartwell-ainsley.yaml"]


def test_a_second_run_replaces_the_first_and_leaves_other_files_alone(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me", encoding="utf-8")
    generate_demo(tmp_path, seed=1, scale=SMALL, months=2)
    first = digests(tmp_path)
    generate_demo(tmp_path, seed=1, scale=SMALL, months=2)
    assert digests(tmp_path) == first
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "keep me"


def test_manifest_json_is_the_returned_manifest(demo: tuple[Path, DemoManifest]) -> None:
    out, manifest = demo
    assert DemoManifest.from_json((out / "manifest.json").read_text(encoding="utf-8")) == manifest
    # 2025-12-01 + 12 months = 2026-12-01; the cut-off is its first instant in UTC
    assert (manifest.start, manifest.end, manifest.as_of) == (
        "2025-12-01",
        "2026-12-01",
        "2026-12-01T00:00:00Z",
    )


# -- agreements ----------------------------------------------------------------------------------


def test_every_agreement_lints_without_errors(demo: tuple[Path, DemoManifest]) -> None:
    out, manifest = demo
    for truth in manifest.customers:
        agreement = load(out / truth.agreement)
        assert lint_agreement(agreement).errors == 0, truth.agreement
        assert agreement.term is not None
        assert agreement.term.start == dt.date(2025, 12, 1)


def test_the_three_agreements_differ_where_it_matters(demo: tuple[Path, DemoManifest]) -> None:
    out, manifest = demo
    agreements = {t.slug: load(out / t.agreement) for t in manifest.customers}
    zones = {slug: next(iter(a.calendars.values())).timezone for slug, a in agreements.items()}
    assert zones == {
        "hartwell-ainsley": "Europe/London",
        "sonnenhang-vets": "Europe/Berlin",
        "prairiegate-freight": "America/Chicago",
    }
    models = {slug: a.engagement.model.value for slug, a in agreements.items() if a.engagement}
    assert models["prairiegate-freight"] == "co_managed"
    assert agreements["sonnenhang-vets"].calendars["always"].is_24x7  # P1 around the clock
    assert len(agreements["hartwell-ainsley"].versions) == 2  # one amendment, six months in


# -- the manifest against the files --------------------------------------------------------------


def test_connectwise_counts_match_the_files(demo: tuple[Path, DemoManifest]) -> None:
    out, manifest = demo
    by_company = readback.connectwise_tickets(out / "connectwise")
    rows = readback.load(out / "connectwise" / "service_tickets.json")
    for slug, pauses in (
        ("hartwell-ainsley", {"Waiting Customer"}),
        ("sonnenhang-vets", {"Waiting Customer", "Waiting Vendor", "Scheduled"}),
    ):
        truth = manifest.customer(slug)
        counted = readback.count(by_company[truth.customer_id], "New", pauses, "Resolved", "Closed")
        assert {k: truth_of(manifest, slug)[k] for k in counted} == counted, slug
        in_file = [r for r in rows if r["company"]["identifier"] == truth.customer_id]
        assert truth.ticket_rows == len(in_file) == truth.tickets + truth.tickets_rejected


def test_zendesk_counts_match_the_files(demo: tuple[Path, DemoManifest]) -> None:
    out, manifest = demo
    truth = manifest.customer("prairiegate-freight")
    tickets = readback.zendesk_tickets(out / "zendesk")[truth.customer_id]
    counted = readback.count(tickets, "new", {"pending", "hold"}, "solved", "closed")
    assert {k: truth_of(manifest, "prairiegate-freight")[k] for k in counted} == counted
    in_file = readback.load(out / "zendesk" / "tickets.json")["tickets"]
    assert truth.ticket_rows == len(in_file) == truth.tickets + truth.tickets_rejected


def test_every_source_row_is_stored_quarantined_or_ignored(demo: tuple[Path, DemoManifest]) -> None:
    out, manifest = demo
    for truth in manifest.customers[:2]:  # ConnectWise: one row, one event
        replies, events = sum(truth.replies.values()), truth.events
        bad = [b.file.split("/")[0] for b in manifest.bad_rows if b.customer == truth.customer_id]
        assert truth.source_rows["notes"] == replies + truth.ignored_rows[
            "description_notes"
        ] + bad.count("notes")
        changes = events["status"] + events["priority"] + events["assignment"]
        assert truth.source_rows["audit_entries"] == changes + bad.count("audittrail")
    zendesk = manifest.customer("prairiegate-freight")
    tickets = readback.load(out / "zendesk" / "tickets.json")["tickets"]
    unreadable = {t["id"] for t in tickets if readback.parse(t["created_at"]) is None}
    audits = stored = 0
    for path in (out / "zendesk" / "audits").glob("*.json"):
        seen: set[int] = set()
        rejected = int(path.stem) in unreadable
        for audit in readback.load(path)["audits"]:
            audits += 1
            creation = any(e["type"] == "Create" for e in audit["events"])
            readable = readback.parse(audit["created_at"]) is not None and audit["id"] not in seen
            known = [
                e
                for e in audit["events"]
                if e["type"] == "Comment" or e.get("value") != "escalated"
            ]
            stored += readable and not (creation or rejected) and bool(known)
            seen.add(audit["id"])
    bad = sum(b.file.startswith("audits/") for b in manifest.bad_rows)
    assert zendesk.source_rows == {"audits": audits, "tickets": zendesk.ticket_rows}
    assert audits == stored + zendesk.ignored_rows["creation_audits"] + bad


def test_every_bad_row_is_where_the_manifest_says(demo: tuple[Path, DemoManifest]) -> None:
    out, manifest = demo
    kinds = {(b.tool, b.reason.split(";")[0].split(" (")[0]) for b in manifest.bad_rows}
    assert kinds >= {
        ("connectwise", "unreadable timestamp"),
        ("connectwise", "status not among the board's statuses"),
        ("connectwise", "duplicate of the audit entry before it"),
        ("zendesk", "unreadable timestamp"),
        ("zendesk", "not a Zendesk status"),
        ("zendesk", "duplicate of the audit before it"),
    }
    for bad in manifest.bad_rows:
        text = (out / bad.tool / bad.file).read_text(encoding="utf-8")
        assert str(bad.value) in text, bad
        for part in bad.row.split(" "):  # "id=…", "enteredDate=…", "audit id=… event id=…"
            if "=" in part:
                assert part.split("=", 1)[1] in text, bad
        assert bad.ticket_id in (bad.file if "/" in bad.file else text), bad
    duplicates = [b for b in manifest.bad_rows if b.reason.startswith("duplicate")]
    for bad in duplicates:  # the row is there twice, one after the other
        rows = readback.load(out / bad.tool / bad.file)
        rows = rows["audits"] if bad.tool == "zendesk" else rows
        assert any(a == b for a, b in itertools.pairwise(rows)), bad


def test_heartbeats_and_outages_match_the_database(demo: tuple[Path, DemoManifest]) -> None:
    out, manifest = demo
    beats = readback.heartbeats(out / "uptime-kuma" / "kuma.db")
    owner = {m.id: m.customer for m in manifest.monitors}
    for truth in manifest.customers:
        assert truth.heartbeats == sum(owner[m] == truth.slug for m, _, _ in beats)
        assert truth.monitors == sum(slug == truth.slug for slug in owner.values())
    found = readback.outages(beats)
    assert found == {(o.monitor_id, o.start, o.end, o.planned) for o in manifest.outages}
    for truth in manifest.customers:
        own = [o for o in manifest.outages if o.customer == truth.slug]
        assert truth.outages_unplanned == sum(not o.planned for o in own) >= 2
        assert truth.outages_planned == sum(o.planned for o in own) >= 12  # a patch night a month
    outside = {o.customer for o in manifest.outages if o.planned and not o.in_window}
    assert outside == {"hartwell-ainsley", "prairiegate-freight"}


def test_heartbeats_are_thinned_to_state_changes_and_one_an_hour(
    demo: tuple[Path, DemoManifest],
) -> None:
    out, _ = demo
    beats = readback.heartbeats(out / "uptime-kuma" / "kuma.db")
    for (monitor, status, time_a), (other, following, time_b) in itertools.pairwise(beats):
        if monitor != other or status != following:
            continue
        a, b = (readback.parse(t, readback.KUMA) for t in (time_a, time_b))
        assert a is not None
        assert b is not None
        assert b - a <= dt.timedelta(hours=1, seconds=1), (monitor, time_a, time_b)
    # a year has 8,760 hours: about that many heartbeats per monitor, not 500,000
    assert 8700 * 9 < len(beats) < 8800 * 9 + 500


def test_survey_counts_match_the_csv(demo: tuple[Path, DemoManifest]) -> None:
    out, manifest = demo
    answers = readback.surveys(out / "surveys" / "csat.csv")
    assert answers, "no survey answers at all"
    for truth in manifest.customers:
        assert truth.surveys == sum(a["company_id"] == truth.customer_id for a in answers)
    assert {a["rating"] for a in answers} <= {"positive", "neutral", "negative"}
    rejected = {b.ticket_id for b in manifest.bad_rows if b.reason == "ticket rejected"}
    assert not rejected & {a["ticket_id"] for a in answers}


def test_truth_tables_are_canonical_and_hold_the_manifest_counts(
    demo: tuple[Path, DemoManifest],
) -> None:
    out, manifest = demo
    for truth in manifest.customers:
        tickets = read_tickets(out / "truth" / truth.slug / "tickets.csv")
        events = read_events(out / "truth" / truth.slug / "events.csv")
        assert tickets.num_rows == truth.tickets
        kinds = pc.value_counts(events["kind"]).to_pylist()
        assert {k["values"]: k["counts"] for k in kinds} == {
            k: n for k, n in truth.events.items() if n
        }


# -- times -----------------------------------------------------------------------------------------


def test_every_timestamp_parses_in_the_tools_format_except_the_injected_ones(
    demo: tuple[Path, DemoManifest],
) -> None:
    out, manifest = demo
    unreadable: set[tuple[str, str]] = set()
    cw = out / "connectwise"
    stamps = (
        "dateEntered",
        "lastUpdated",
        "closedDate",
        "dateResponded",
        "dateResolved",
        "dateResplan",
        "escalationStartDateUTC",
    )
    for ticket in readback.load(cw / "service_tickets.json"):
        values = [ticket.get(k) for k in stamps] + [
            ticket["_info"][k] for k in ("dateEntered", "lastUpdated")
        ]
        if any(v is not None and readback.parse(v) is None for v in values):
            unreadable.add(("service_tickets.json", f"id={ticket['id']}"))
        for note in readback.load(cw / "notes" / f"{ticket['id']}.json"):
            if (
                readback.parse(note["dateCreated"]) is None
                or readback.parse(note["_info"]["lastUpdated"]) is None
            ):
                unreadable.add((f"notes/{ticket['id']}.json", f"id={note['id']}"))
        for entry in readback.load(cw / "audittrail" / f"{ticket['id']}.json"):
            assert readback.parse(entry["enteredDate"]) is not None, entry
    assert unreadable == unreadable_rows(manifest, "connectwise")
    unreadable = set()
    zd = out / "zendesk"
    for ticket in readback.load(zd / "tickets.json")["tickets"]:
        if (
            readback.parse(ticket["created_at"]) is None
            or readback.parse(ticket["updated_at"]) is None
        ):
            unreadable.add(("tickets.json", f"id={ticket['id']}"))
        for audit in readback.load(zd / "audits" / f"{ticket['id']}.json")["audits"]:
            if readback.parse(audit["created_at"]) is None:
                unreadable.add((f"audits/{ticket['id']}.json", f"audit id={audit['id']}"))
    # the rejected ticket's creation audit repeats its unreadable creation time (as in 5107)
    rejected = [
        b.ticket_id for b in manifest.bad_rows if b.tool == "zendesk" and b.file == "tickets.json"
    ]
    creation = {(f"audits/{key}.json", f"audit id={int(key) * 100000 + 100}") for key in rejected}
    assert unreadable == unreadable_rows(manifest, "zendesk") | creation
    for _, _, stamp in readback.heartbeats(out / "uptime-kuma" / "kuma.db"):
        assert readback.parse(stamp, readback.KUMA) is not None, stamp
        assert len(stamp) == len("2026-01-01 00:00:00.000"), stamp
    for answer in readback.surveys(out / "surveys" / "csat.csv"):
        assert readback.parse(answer["rated_at"]) is not None, answer


def test_no_event_precedes_its_ticket_or_follows_the_cut_off(
    demo: tuple[Path, DemoManifest],
) -> None:
    out, manifest = demo
    cut_off = readback.parse(manifest.as_of)
    assert cut_off is not None
    readable = [
        *readback.connectwise_tickets(out / "connectwise").values(),
        *readback.zendesk_tickets(out / "zendesk").values(),
    ]
    for tickets in readable:
        for ticket, events in tickets:
            created = readback.parse(
                ticket["_info"]["dateEntered"] if "_info" in ticket else ticket["created_at"]
            )
            assert created is not None
            assert created < cut_off
            assert all(created < at < cut_off for at, _, _ in events), ticket["id"]


# -- plausibility ---------------------------------------------------------------------------------


def test_most_tickets_meet_their_targets_and_some_breach(demo: tuple[Path, DemoManifest]) -> None:
    out, manifest = demo
    as_of = dt.datetime.fromisoformat(manifest.as_of.replace("Z", "+00:00"))
    meanings = StatusMeanings(
        resolved=frozenset({"Resolved", "solved"}), closed=frozenset({"Closed", "closed"})
    )
    for truth in manifest.customers:
        tickets = read_tickets(out / "truth" / truth.slug / "tickets.csv")
        events = read_events(out / "truth" / truth.slug / "events.csv")
        run = compute(load(out / truth.agreement), tickets, events, as_of=as_of, statuses=meanings)
        assert run.rejected_events.num_rows == 0
        states = run.results["state"].cast("string").to_pylist()
        met, breached = (
            states.count("met"),
            states.count("breached") + states.count("open_breached"),
        )
        assert met / (met + breached) > 0.75, (truth.slug, met, breached)
        assert breached > 0, truth.slug


def test_tally_counts_reassignments_reopenings_pauses_and_open_tickets_by_hand() -> None:
    at = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    minute = dt.timedelta(minutes=1)
    ledger = Ledger("connectwise")
    ledger.tickets += [TicketRow("1", at, "P3", "New", "C"), TicketRow("2", at, "P2", "New", "C")]
    ledger.events += [
        EventRow("1", at + minute, "assignment", "amy", None),  # first assignment
        EventRow("1", at + 2 * minute, "status", "Waiting Customer", None),  # a pause
        EventRow("1", at + 3 * minute, "assignment", "ben", None),  # reassignment 1
        EventRow("1", at + 4 * minute, "status", "Resolved", None),
        EventRow("1", at + 5 * minute, "status", "Re-Opened", None),  # reopening 1
        EventRow("1", at + 6 * minute, "status", "Resolved", None),
        EventRow("1", at + 7 * minute, "status", "Closed", None),  # closing is no reopening
        EventRow("2", at + minute, "reply", "agent", None),  # ticket 2 stays New: open
    ]
    counts = tally(
        ledger,
        "C",
        Meanings(frozenset({"Waiting Customer"}), frozenset({"Resolved"}), frozenset({"Closed"})),
    )
    # ticket 1: 2 assignments (1 reassignment), 5 statuses, 1 reopening, paused; ticket 2: open
    assert counts["events"] == {"status": 5, "priority": 0, "reply": 1, "assignment": 2}
    assert (
        counts["reassignments"],
        counts["reopenings"],
        counts["tickets_paused"],
        counts["tickets_open"],
    ) == (1, 1, 1, 1)


@pytest.mark.slow
def test_a_full_year_has_two_to_four_thousand_tickets_in_under_ten_seconds(tmp_path: Path) -> None:
    started = time.process_time()  # CPU time: other work on a shared machine does not count
    manifest = generate_demo(tmp_path)
    assert time.process_time() - started < 10
    tickets = sum(t.ticket_rows for t in manifest.customers)
    assert 2000 <= tickets <= 4000
    exported = json.loads(
        (tmp_path / "connectwise" / "service_tickets.json").read_text(encoding="utf-8")
    )
    assert len(exported) == sum(
        t.ticket_rows for t in manifest.customers if t.tool == "connectwise"
    )
