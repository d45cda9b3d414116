"""Monitoring data into a store with ``clearpact monitoring``, then availability in ``clearpact
measure`` against the agreement's availability SLA, worked by hand."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from clearpact.cli import app
from tests.ingest.test_store import FIRST_HISTORY, FIRST_TICKETS, write_export

AGREEMENT = Path(__file__).parents[2] / "examples" / "fully-managed-smb.yaml"


def test_availability_is_measured_from_imported_heartbeats(tmp_path: Path) -> None:
    export = write_export(tmp_path / "export", FIRST_TICKETS, FIRST_HISTORY)
    beats = tmp_path / "heartbeats.csv"
    beats.write_text(
        "monitor,status,time\n"
        "files,1,2026-03-02 00:00:00\n"
        "files,0,2026-03-10 10:00:00\n"  # down for one hour
        "files,1,2026-03-10 11:00:00\n"
        "files,1,2026-03-31 23:00:00\n"
        "files,?,2026-03-31 23:30:00\n",  # an unreadable status: quarantined
        encoding="utf-8",
    )
    store = tmp_path / "store"
    runner = CliRunner()
    args = ["import", str(export), "--profile", str(export / "profile.yaml"), "--store", str(store)]
    assert runner.invoke(app, args).exit_code == 0
    result = runner.invoke(
        app,
        [
            "monitoring",
            str(beats),
            "--format",
            "uptime-kuma",
            "--store",
            str(store),
            "--service",
            "files=servers-and-cloud",
            "--timezone",
            "UTC",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "5 rows in = 4 stored + 1 quarantined" in result.output
    out = tmp_path / "out"
    measured = runner.invoke(
        app,
        [
            "measure",
            str(AGREEMENT),
            "--data",
            str(store),
            "--out",
            str(out),
            "--as-of",
            "2026-04-01T00:00Z",
        ],
    )
    assert measured.exit_code == 0, measured.output
    with (out / "availability.csv").open() as rows:
        periods = [r for r in csv.DictReader(rows) if r["sla"] == "availability-core"]
    # Watched from the first heartbeat (2 March 00:00Z) to the last (31 March 23:00Z), in the
    # agreement's Berlin months: April begins 31 March 22:00Z (CEST), so March is 29 days
    # 22 hours = 29 × 86,400 + 79,200 = 2,584,800 s, down 3,600 s, no maintenance:
    # (2,584,800 − 3,600) / 2,584,800 = 99.860724 %; April's first hour was all up.
    march, april = periods
    assert (march["period"], april["period"]) == ("2026-03-01", "2026-04-01")
    assert float(march["period_seconds"]) == 2_584_800
    assert float(march["downtime_seconds"]) == 3_600
    assert abs(float(march["availability"]) - 99.860724) < 1e-6
    assert (float(april["period_seconds"]), float(april["availability"])) == (3_600, 100)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["availability"][0]["service"] == "servers-and-cloud"
    assert "99.861%" in measured.output
