"""The demo through the real import path: its ConnectWise and Zendesk exports, CSAT answers and
Uptime Kuma database imported with the profiles the demo ships, checked against the demo's own
ground truth (``manifest.json`` and the ``truth/`` tables it writes), and measured."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from clearpact.cli import app
from clearpact.demo.generate import generate_demo
from clearpact.demo.manifest import DemoManifest
from clearpact.ingest.importer import ImportResult, import_export
from clearpact.ingest.monitoring import read_uptime_kuma


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoManifest]:
    out = tmp_path_factory.mktemp("demo")
    return out, generate_demo(out, scale=0.1)


def imported(demo: tuple[Path, DemoManifest], tool: str) -> ImportResult:
    out, _ = demo
    return import_export(out / tool, out / "profiles" / f"{tool}.yaml")


def as_rows(
    result: ImportResult, customer: str
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The imported tickets and events of one customer, as the truth CSV files write them."""
    tickets = [t for t in result.tickets.to_pylist() if t["customer"] == customer]
    ids = {t["ticket_id"] for t in tickets}
    events = [e for e in result.events.to_pylist() if e["ticket_id"] in ids]

    def text(value: object) -> str:
        if value is None:
            return ""
        iso = getattr(value, "strftime", None)
        return value.strftime("%Y-%m-%dT%H:%M:%SZ") if iso else str(value)  # type: ignore[attr-defined]

    keep_t = ("ticket_id", "created_at", "priority", "status", "customer")
    keep_e = ("ticket_id", "at", "kind", "value", "channel")
    return (
        [{k: text(t[k]) for k in keep_t} for t in tickets],
        [{k: text(e[k]) for k in keep_e} for e in events],
    )


def truth(out: Path, slug: str, name: str) -> list[dict[str, str]]:
    with (out / "truth" / slug / f"{name}.csv").open(encoding="utf-8") as rows:
        return list(csv.DictReader(rows))


def ordered(rows: list[dict[str, str]]) -> list[tuple[str, ...]]:
    return sorted(tuple(row.values()) for row in rows)


@pytest.mark.parametrize("tool", ["connectwise", "zendesk"])
def test_every_row_of_the_demo_export_is_accounted_for(
    demo: tuple[Path, DemoManifest], tool: str
) -> None:
    out, manifest = demo
    result = imported(demo, tool)
    customers = [c for c in manifest.customers if c.tool == tool]
    lookups = 0
    if tool == "zendesk":  # the users file is read to tell agents from end users
        lookups = len(json.loads((out / "zendesk" / "users.json").read_text())["users"])
    source_rows = sum(sum(c.source_rows.values()) for c in customers)
    assert result.rows_in == source_rows + lookups
    assert result.rows_in == result.rows_stored + result.rows_quarantined + result.rows_ignored
    assert result.rows_quarantined == sum(c.quarantined_rows for c in customers)
    assert result.tickets.num_rows == sum(c.tickets for c in customers)
    bad = {(b.file, b.row.split(" event id=")[0]) for b in manifest.bad_rows if b.tool == tool}
    # Readers number entries that share a locator ("#2", "(#2)"); the manifest names the place.
    found = {
        (q["file"], re.sub(r" \(?#\d+\)?$", "", q["row"])) for q in result.quarantine.to_pylist()
    }
    assert found == bad


@pytest.mark.parametrize("tool", ["connectwise", "zendesk"])
def test_the_import_stores_exactly_the_demos_true_tickets_and_events(
    demo: tuple[Path, DemoManifest], tool: str
) -> None:
    out, manifest = demo
    result = imported(demo, tool)
    for customer in (c for c in manifest.customers if c.tool == tool):
        tickets, events = as_rows(result, customer.customer_id)
        assert ordered(tickets) == ordered(truth(out, customer.slug, "tickets"))
        assert ordered(events) == ordered(truth(out, customer.slug, "events"))


def test_surveys_and_heartbeats_import_as_the_demo_counted_them(
    demo: tuple[Path, DemoManifest],
) -> None:
    out, manifest = demo
    surveys = import_export(out / "surveys", out / "profiles" / "csat.yaml")
    assert surveys.surveys.num_rows == sum(c.surveys for c in manifest.customers)
    assert surveys.rows_in == surveys.rows_stored
    monitoring = read_uptime_kuma(out / "uptime-kuma" / "kuma.db")
    assert monitoring.rows_in == sum(c.heartbeats for c in manifest.customers)
    assert monitoring.rows_quarantined == 0
    planned = sum(monitoring.outages["planned"].to_pylist())
    assert planned == sum(c.outages_planned for c in manifest.customers)
    unplanned = monitoring.outages.num_rows - planned
    assert unplanned == sum(c.outages_unplanned for c in manifest.customers)


def test_each_customer_measured_from_the_import_equals_its_truth_tables(
    demo: tuple[Path, DemoManifest], tmp_path: Path
) -> None:
    out, manifest = demo
    runner = CliRunner()
    for customer in manifest.customers:
        store = tmp_path / f"store-{customer.tool}"
        agreement = str(out / customer.agreement)
        via_import = tmp_path / f"{customer.slug}-import"
        result = runner.invoke(
            app,
            [
                "measure",
                agreement,
                "--data",
                str(out / customer.tool),
                "--profile",
                str(out / "profiles" / f"{customer.tool}.yaml"),
                "--store",
                str(store),
                "--customer",
                customer.customer_id,
                "--out",
                str(via_import),
                "--as-of",
                manifest.as_of,
            ],
        )
        assert result.exit_code == 0, result.output
        via_truth = tmp_path / f"{customer.slug}-truth"
        zendesk = ["--resolved-status", "solved", "--closed-status", "closed"]
        statuses = zendesk if customer.tool == "zendesk" else []
        result = runner.invoke(
            app,
            [
                "measure",
                agreement,
                "--data",
                str(out / "truth" / customer.slug),
                "--out",
                str(via_truth),
                "--as-of",
                manifest.as_of,
                *statuses,
            ],
        )
        assert result.exit_code == 0, result.output
        columns = ["ticket_id", "sla", "cycle", "state", "elapsed_business_s", "due_at"]
        mine = pq.read_table(via_import / "results.parquet").select(columns).to_pylist()
        true = pq.read_table(via_truth / "results.parquet").select(columns).to_pylist()
        key = lambda row: (row["ticket_id"], row["sla"], row["cycle"])  # noqa: E731  # a sort key
        assert sorted(mine, key=key) == sorted(true, key=key)


def test_demo_data_command_writes_a_folder_that_says_how_to_use_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo-data", str(tmp_path / "demo"), "--scale", "0.02"])
    assert result.exit_code == 0, result.output
    readme = (tmp_path / "demo" / "README.md").read_text(encoding="utf-8")
    assert "clearpact import connectwise --profile profiles/connectwise.yaml" in readme
    assert (tmp_path / "demo" / "profiles" / "csat.yaml").is_file()
