"""The store: an import written whole or not at all, the same export imported twice gives the
same tables, a later export updates tickets instead of duplicating them; and the CLI around it."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from clearpact.cli import app
from clearpact.ingest.importer import import_export
from clearpact.ingest.profile import read_profile
from clearpact.ingest.store import Store, StoreError, write_store

PROFILE = """\
version: clearpact-profile/v1
name: deskcsv
tool: A help desk's CSV export
reader: table
timezone: Europe/Berlin
statuses: {Open: running, Waiting: paused, Done: resolved}
priorities: {High: P1, Low: P4}
tables:
  tickets:
    file: tickets.csv
    columns: {ticket_id: Id, created_at: Opened, priority: Prio, status: State, customer: Client}
  audit:
    - file: history.csv
      columns: {ticket_id: Ticket, at: When, field: Field, value: New}
      fields: {Status: status}
"""


def write_export(folder: Path, tickets: str, history: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tickets.csv").write_text(tickets, encoding="utf-8")
    (folder / "history.csv").write_text(history, encoding="utf-8")
    (folder / "profile.yaml").write_text(PROFILE, encoding="utf-8")
    return folder


FIRST_TICKETS = "Id,Opened,Prio,State,Client\nA1,2026-03-02 09:00,High,Open,Acme\nB1,2026-03-02 10:00,Low,Open,Birch\n"
FIRST_HISTORY = (
    "Ticket,When,Field,New\nA1,2026-03-02 09:30,Status,Done\nB1,2026-03-02 10:05,Colour,Blue\n"
)


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write_export(tmp_path / "export", FIRST_TICKETS, FIRST_HISTORY)


def tables(store: Path) -> dict[str, list[dict[str, object]]]:
    names = ("tickets", "events", "surveys", "quarantine")
    return {name: pq.read_table(store / f"{name}.parquet").to_pylist() for name in names}


def test_importing_the_same_export_twice_gives_the_same_store(export: Path, tmp_path: Path) -> None:
    profile = read_profile(PROFILE, "profile.yaml")
    store = tmp_path / "store"
    write_store(import_export(export, profile), store, source=str(export))
    once = tables(store)
    write_store(import_export(export, profile), store, source=str(export))
    assert tables(store) == once
    # 09:00 in Berlin in March (UTC+1) is 08:00Z; tickets keyed by creation time.
    assert [(t["ticket_id"], t["ticket_key"], t["priority"]) for t in once["tickets"]] == [
        ("A1", 0, "P1"),
        ("B1", 1, "P4"),
    ]
    assert [(e["ticket_id"], e["ticket_key"], e["value"]) for e in once["events"]] == [
        ("A1", 0, "Done")
    ]
    manifest = json.loads((store / "import.json").read_text())
    assert manifest["last_import"]["rows_ignored"] == 1  # the Colour row
    assert manifest["statuses"]["Waiting"] == "paused"


def test_a_later_export_updates_its_tickets_and_keeps_the_others(
    export: Path, tmp_path: Path
) -> None:
    profile = read_profile(PROFILE, "profile.yaml")
    store = tmp_path / "store"
    write_store(import_export(export, profile), store, source="first")
    later = write_export(
        tmp_path / "later",
        "Id,Opened,Prio,State,Client\nA1,2026-03-02 09:00,Low,Open,Acme\nC1,2026-03-03 09:00,High,Open,Acme\n",
        "Ticket,When,Field,New\nA1,2026-03-02 09:40,Status,Waiting\n",
    )
    write_store(import_export(later, profile), store, source="later")
    kept = tables(store)
    # A1 replaced (now P4, one Waiting event instead of Done); B1 kept; C1 added.
    assert [(t["ticket_id"], t["priority"]) for t in kept["tickets"]] == [
        ("A1", "P4"),
        ("B1", "P4"),
        ("C1", "P1"),
    ]
    assert [(e["ticket_id"], e["value"]) for e in kept["events"]] == [("A1", "Waiting")]


def test_a_failed_write_leaves_the_store_as_it_was(
    export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = read_profile(PROFILE, "profile.yaml")
    store = tmp_path / "store"
    write_store(import_export(export, profile), store, source="first")
    before = tables(store)
    calls = {"n": 0}
    real = pq.write_table

    def failing(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        real(*args, **kwargs)  # type: ignore[arg-type]  # passes pyarrow's own arguments on

    monkeypatch.setattr(pq, "write_table", failing)
    with pytest.raises(OSError, match="disk full"):
        write_store(import_export(export, profile), store, source="again")
    monkeypatch.undo()
    assert tables(store) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_store_takes_one_tool(export: Path, tmp_path: Path) -> None:
    profile = read_profile(PROFILE, "profile.yaml")
    store = tmp_path / "store"
    write_store(import_export(export, profile), store, source="first")
    other = profile.model_copy(update={"name": "othertool"})
    with pytest.raises(StoreError, match="import each tool into its own store"):
        write_store(import_export(export, other), store, source="other")
    opened = Store.open(store)
    assert opened is not None
    assert opened.status_meanings().resolved == {"Done"}


def test_import_command_reports_every_row(export: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = CliRunner().invoke(
        app,
        ["import", str(export), "--profile", str(export / "profile.yaml"), "--store", str(store)],
    )
    assert result.exit_code == 0, result.output
    # 2 ticket rows + 2 history rows = 4 in: 3 stored, the Colour row ignored.
    assert "4 rows in = 3 stored + 0 quarantined + 1 ignored" in result.output
    assert "field 'Colour' is not read by this profile" in result.output


def test_import_without_a_zone_fails_and_writes_nothing(export: Path, tmp_path: Path) -> None:
    profile = export / "profile.yaml"
    profile.write_text(PROFILE.replace("timezone: Europe/Berlin\n", ""), encoding="utf-8")
    store = tmp_path / "store"
    result = CliRunner().invoke(
        app, ["import", str(export), "--profile", str(profile), "--store", str(store)]
    )
    assert result.exit_code == 2
    assert "tickets.csv: row 1: Opened" in result.output
    assert "--timezone" in result.output
    assert not store.exists()


def test_measure_takes_one_customers_tickets_from_a_store(export: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    runner = CliRunner()
    args = ["import", str(export), "--profile", str(export / "profile.yaml"), "--store", str(store)]
    assert runner.invoke(app, args).exit_code == 0
    agreement = Path(__file__).parents[2] / "examples" / "fully-managed-smb.yaml"
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "measure",
            str(agreement),
            "--data",
            str(store),
            "--out",
            str(out),
            "--customer",
            "Birch",
            "--as-of",
            "2026-04-01T00:00Z",
        ],
    )
    assert result.exit_code == 0, result.output
    # Only B1 (Birch) is measured: one row per ticket SLA of the agreement.
    results = pq.read_table(out / "results.parquet")
    assert set(results["ticket_id"].to_pylist()) == {"B1"}
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["tickets"], summary["customer"]) == (1, "Birch")
    missing = runner.invoke(
        app,
        [
            "measure",
            str(agreement),
            "--data",
            str(store),
            "--out",
            str(out),
            "--customer",
            "Nobody",
        ],
    )
    assert missing.exit_code == 2
    assert "no ticket of customer 'Nobody'" in missing.output
