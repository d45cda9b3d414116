"""`clearpact measure` as a user runs it: canonical tables in, result files and a summary out.

The agreement is the benchmark's without its overnight SLA: calendar `office` Mon–Fri
08:00–18:00 Europe/Berlin (no Bavarian holiday falls in the week used); `first-response` P2 1h,
P3 4h; `resolution` P2 8h, P3 20h, paused while "Waiting on customer"; at risk at 75%.
Monday 2026-03-02, Berlin is UTC+1. Worked by hand:

- T1 (P2, Mon 09:00): agent reply 09:30 → first response 30 min ≤ 1h, met; resolved 15:00 →
  6h ≤ 8h, met.
- T2 (P2, Mon 09:00): agent reply 11:00 → 2h > 1h, breached; waiting on the customer from
  12:00 to Tue 10:00 (Mon 12–18 = 6h, Tue 08–10 = 2h: 8h paused); resolved Tue 16:00 → running
  Mon 09–12 (3h) + Tue 10–16 (6h) = 9h > 8h, breached.
- T3 (P3, Mon 17:00), nothing happens; as of Tue 17:00: Mon 17–18 (1h) + Tue 08–17 (9h) = 10h;
  first response 10h > 4h, open and breached; resolution 10h of 20h, open, not at risk (< 15h).
- An event of ticket T9 (no such ticket) and one of kind "note" are quarantined with their rows.

So first response: 1 met, 2 breached (1/3 attainment); resolution: 1 met, 1 breached, 1 open
(1/2).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from clearpact.cli import app
from clearpact.ingest.canonical import read_events, read_tickets

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-03-03T17:00:00+01:00"

TICKETS = [
    ("ticket_id", "created_at", "priority", "status", "customer"),
    ("T1", "2026-03-02T09:00:00+01:00", "P2", "New", "acme"),
    ("T2", "2026-03-02T09:00:00+01:00", "P2", "New", "acme"),
    ("T3", "2026-03-02T17:00:00+01:00", "P3", "New", "globex"),
]
EVENTS = [
    ("ticket_id", "at", "kind", "value", "channel"),
    ("T1", "2026-03-02T09:30:00+01:00", "reply", "agent", "email"),
    ("T1", "2026-03-02T15:00:00+01:00", "status", "Resolved", ""),
    ("T2", "2026-03-02T11:00:00+01:00", "reply", "agent", "portal"),
    ("T2", "2026-03-02T12:00:00+01:00", "status", "Waiting on customer", ""),
    ("T9", "2026-03-02T12:00:00+01:00", "status", "Resolved", ""),
    ("T2", "2026-03-03T10:00:00+01:00", "status", "In progress", ""),
    ("T2", "2026-03-03T10:30:00+01:00", "note", "called the customer", ""),
    ("T2", "2026-03-03T16:00:00+01:00", "status", "Resolved", ""),
]


@pytest.fixture
def agreement(tmp_path: Path) -> Path:
    yaml = YAML()
    data = yaml.load(ROOT / "benchmarks" / "agreement.yaml")
    del data["slas"]["overnight-resolution"]
    path = tmp_path / "agreement.yaml"
    with path.open("w") as out:
        yaml.dump(data, out)
    return path


def write_csv(folder: Path) -> Path:
    folder.mkdir()
    for name, rows in (("tickets", TICKETS), ("events", EVENTS)):
        with (folder / f"{name}.csv").open("w", newline="") as out:
            csv.writer(out).writerows(rows)
    return folder


def measure(agreement: Path, data: Path, out: Path, *extra: str) -> dict[str, object]:
    result = runner.invoke(
        app,
        [
            "measure",
            str(agreement),
            "--data",
            str(data),
            "--out",
            str(out),
            "--as-of",
            AS_OF,
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    summary: dict[str, object] = json.loads((out / "summary.json").read_text())
    return summary


def by_sla(summary: dict[str, object]) -> dict[str, dict[str, object]]:
    return {row["sla"]: row for row in summary["slas"]}  # type: ignore[attr-defined, index]


def test_a_folder_of_csv_tables_gives_the_hand_worked_results(
    agreement: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    summary = measure(agreement, write_csv(tmp_path / "data"), out)
    slas = by_sla(summary)
    assert (slas["first-response"]["met"], slas["first-response"]["breached"]) == (1, 2)
    assert slas["first-response"]["attainment"] == pytest.approx(1 / 3)
    assert (slas["resolution"]["met"], slas["resolution"]["breached"]) == (1, 1)
    assert (slas["resolution"]["open"], slas["resolution"]["at_risk"]) == (1, 0)
    assert slas["resolution"]["attainment"] == 0.5
    assert slas["resolution"]["target"] == 0.9
    assert (summary["tickets"], summary["events"], summary["events_quarantined"]) == (3, 8, 2)
    by_priority = {
        (sla["sla"], row["priority"]): (row["met"], row["breached"], row["open"])
        for sla in summary["slas"]  # type: ignore[attr-defined]
        for row in sla["priorities"]
    }
    assert by_priority == {
        ("first-response", "P2"): (1, 1, 0),  # T1 met, T2 breached
        ("first-response", "P3"): (0, 1, 0),  # T3 open and breached
        ("resolution", "P2"): (1, 1, 0),
        ("resolution", "P3"): (0, 0, 1),
    }

    results = pq.read_table(out / "results.parquet")
    t2 = results.filter(
        pc.and_(pc.equal(results["ticket_id"], "T2"), pc.equal(results["sla"], "resolution"))
    ).to_pylist()[0]
    assert (t2["elapsed_business_s"], t2["paused_business_s"]) == (9 * 3600, 8 * 3600)
    assert t2["state"] == "breached"

    quarantine = pq.read_table(out / "quarantine.parquet").to_pylist()
    events_file = str(tmp_path / "data" / "events.csv")
    event = {"ticket_id": None, "field": "(event)", "value": None, "whole_row": True}
    assert quarantine == [  # 1-based data rows, the header not counted
        {"file": events_file, "row": "5", "reason": "no ticket has this ticket_id"} | event,
        {"file": events_file, "row": "7", "reason": "unknown event kind"} | event,
    ]
    with (out / "attainment.csv").open() as rows:
        monthly = {(r["sla"], r["priority"], r["period_start"]): r for r in csv.DictReader(rows)}
    assert monthly[("resolution", "P2", "2026-03-01")]["met"] == "1"
    assert monthly[("resolution", "P2", "2026-03-01")]["breached"] == "1"


def test_parquet_and_duckdb_give_the_same_rows_as_csv(agreement: Path, tmp_path: Path) -> None:
    csv_folder = write_csv(tmp_path / "csv")
    tickets, events = (
        read_tickets(csv_folder / "tickets.csv"),
        read_events(csv_folder / "events.csv"),
    )
    parquet_folder = tmp_path / "parquet"
    parquet_folder.mkdir()
    pq.write_table(tickets, parquet_folder / "tickets.parquet")
    pq.write_table(events, parquet_folder / "events.parquet")
    database = tmp_path / "store.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.sql("CREATE TABLE tickets AS SELECT * FROM tickets")
        connection.sql("CREATE TABLE events AS SELECT * FROM events")
    outputs = []
    for name, data in (("csv", csv_folder), ("parquet", parquet_folder), ("duckdb", database)):
        measure(agreement, data, tmp_path / f"out-{name}")
        table = pq.read_table(tmp_path / f"out-{name}" / "results.parquet")
        rows = sorted(
            pa.table({c: pc.cast(table[c], pa.string()) for c in table.column_names}).to_pylist(),
            key=lambda r: (r["sla"], r["ticket_id"]),
        )
        outputs.append(rows)
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(outputs[0]) == 6


def test_times_without_a_zone_need_the_zone_they_were_written_in(
    agreement: Path, tmp_path: Path
) -> None:
    folder = write_csv(tmp_path / "data")
    for name in ("tickets", "events"):
        path = folder / f"{name}.csv"
        path.write_text(path.read_text().replace("+01:00", ""))
    args = ["measure", str(agreement), "--data", str(folder), "--out", str(tmp_path / "o")]
    refused = runner.invoke(app, [*args, "--as-of", AS_OF])
    assert refused.exit_code == 2
    assert "tickets.csv: column created_at has times without a zone offset" in refused.output
    summary = measure(agreement, folder, tmp_path / "o", "--timezone", "Europe/Berlin")
    assert by_sla(summary)["resolution"]["breached"] == 1


def test_a_folder_without_tables_is_a_usage_error(agreement: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = runner.invoke(
        app, ["measure", str(agreement), "--data", str(tmp_path / "empty"), "--out", "x"]
    )
    assert result.exit_code == 2
    assert "no tickets.parquet or tickets.csv" in result.output


def test_bad_input_is_a_usage_error_naming_what_is_wrong(agreement: Path, tmp_path: Path) -> None:
    folder = write_csv(tmp_path / "data")
    out = str(tmp_path / "o")
    args = ["measure", str(agreement), "--data", str(folder), "--out", out, "--as-of", AS_OF]
    unknown_zone = runner.invoke(app, [*args, "--timezone", "Europe/Berln"])
    assert unknown_zone.exit_code == 2
    assert "--timezone" in unknown_zone.output
    assert "Europe/Berlin" in unknown_zone.output  # the nearest known zone
    database = tmp_path / "text-times.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.sql(
            "CREATE TABLE tickets AS SELECT 'T1' AS ticket_id, '2026-03-02 09:00' AS created_at"
        )
        connection.sql(
            "CREATE TABLE events AS SELECT 'T1' AS ticket_id, '2026-03-02 10:00' AS \"at\", "
            "'reply' AS kind"
        )
    text_times = runner.invoke(
        app, ["measure", str(agreement), "--data", str(database), "--out", out, "--as-of", AS_OF]
    )
    assert text_times.exit_code == 2
    assert "tickets.created_at must be a timestamp column" in text_times.output


def test_keyed_csv_events_need_no_ticket_id(agreement: Path, tmp_path: Path) -> None:
    # Tickets keyed 0, 1, 2 and events carrying only those keys: the same results as with ids.
    folder = write_csv(tmp_path / "data")
    keys = {"T1": 0, "T2": 1, "T3": 2}
    with (folder / "tickets.csv").open("w", newline="") as out:
        rows = [[*row, "ticket_key" if n == 0 else n - 1] for n, row in enumerate(TICKETS)]
        csv.writer(out).writerows(rows)
    with (folder / "events.csv").open("w", newline="") as out:
        header, *events = EVENTS
        csv.writer(out).writerows(
            [["ticket_key", *header[1:]]] + [[keys.get(row[0], 99), *row[1:]] for row in events]
        )
    keyed = by_sla(measure(agreement, folder, tmp_path / "keyed"))
    plain = by_sla(measure(agreement, write_csv(tmp_path / "plain"), tmp_path / "ids"))
    assert keyed == plain


def test_clocks_started_before_the_term_are_counted_and_said(tmp_path: Path) -> None:
    # The same three tickets, all opened Mon 2026-03-02, against a term that starts on Tuesday:
    # their 6 clocks (2 SLAs each) ran before the agreement applied.
    yaml = YAML()
    data = yaml.load(ROOT / "benchmarks" / "agreement.yaml")
    del data["slas"]["overnight-resolution"]
    data["term"] = {"start": "2026-03-03"}
    path = tmp_path / "agreement.yaml"
    with path.open("w") as out:
        yaml.dump(data, out)
    folder = write_csv(tmp_path / "data")
    args = ["measure", str(path), "--data", str(folder), "--out", str(tmp_path / "o")]
    result = runner.invoke(app, [*args, "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert "6 clocks started before the agreement's term began (03 March 2026)" in result.stdout
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert summary["results_before_term"] == 6


def test_tickets_without_a_priority_have_their_own_row_not_the_totals(
    agreement: Path, tmp_path: Path
) -> None:
    # T3 loses its priority: its clocks have no target (no_target), counted in a priority row of
    # their own; the SLA's totals still count all three tickets' clocks.
    folder = write_csv(tmp_path / "data")
    path = folder / "tickets.csv"
    path.write_text(path.read_text().replace(",P3,", ",,"))
    summary = measure(agreement, folder, tmp_path / "o")
    first_response = by_sla(summary)["first-response"]
    assert (first_response["rows"], first_response["met"], first_response["breached"]) == (3, 1, 1)
    assert first_response["no_target"] == 1
    rows = {row["priority"]: row for row in first_response["priorities"]}
    assert set(rows) == {"P2", None}
    assert (rows[None]["rows"], rows[None]["no_target"]) == (1, 1)
