"""`clearpact calendar elapsed|due` as a user runs it, on the fully managed SMB example.

Its calendars: `office` Mon–Fri 08:00–18:00 Europe/Berlin without Bavarian public holidays,
12-24 and 12-31; `always` 24x7 Europe/Berlin; `maintenance` Saturday 22:00–04:00 Europe/Berlin.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from clearpact.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()
SMB = str(EXAMPLES / "fully-managed-smb.yaml")


def due(*args: str) -> dict[str, object]:
    result = runner.invoke(app, ["calendar", "due", SMB, *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    payload: dict[str, object] = json.loads(result.stdout)
    return payload


def elapsed(*args: str) -> dict[str, object]:
    result = runner.invoke(app, ["calendar", "elapsed", SMB, *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    payload: dict[str, object] = json.loads(result.stdout)
    return payload


def test_p2_opened_friday_evening_is_due_monday_morning() -> None:
    # Fri 2026-11-20 17:30 → 18:00 is 30m; the other 30m run Mon 2026-11-23 08:00 → 08:30.
    result = runner.invoke(app, ["calendar", "due", SMB, "office", "2026-11-20T17:30", "1h"])
    assert result.exit_code == 0, result.output
    assert "due    Monday 2026-11-23 08:30 CET  (2026-11-23T08:30:00+01:00)" in result.stdout
    assert "'2026-11-20T17:30' read as Europe/Berlin local time" in result.stdout


def test_due_skips_christmas_holidays() -> None:
    # Wed 2026-12-23 17:00 → 18:00 is 1h; Thu 12-24 (yearly), Fri 12-25 and Sat 12-26 (Bavarian
    # public holidays) and Sunday are off; the second hour runs Mon 2026-12-28 08:00 → 09:00.
    payload = due("office", "2026-12-23T17:00", "2h")
    assert payload["due_at"] == "2026-12-28T09:00:00+01:00"
    assert payload["due"] == "Monday 2026-12-28 09:00 CET"
    assert payload["duration_s"] == 7200


def test_due_across_easter_and_into_summer_time() -> None:
    # Thu 2026-04-02 17:00 → 18:00 is 1h; Good Friday 04-03 and Easter Monday 04-06 are holidays
    # (and the clocks went forward on Sun 03-29); 3h more run Tue 04-07 08:00 → 11:00 CEST.
    assert due("office", "2026-04-02T17:00", "4h")["due_at"] == "2026-04-07T11:00:00+02:00"


def test_elapsed_across_the_autumn_clock_change_counts_real_hours() -> None:
    # Berlin, Sun 2026-10-25: 00:00 CEST (22:00 UTC the day before) to 06:00 CET (05:00 UTC) is
    # 7 real hours, one more than the clock faces show.
    payload = elapsed("always", "2026-10-25T00:00", "2026-10-25T06:00")
    assert payload["elapsed_business_s"] == 25200
    assert payload["elapsed"] == "7h"
    assert payload["end"] == {
        "input": "2026-10-25T06:00",
        "read_as": "Europe/Berlin",
        "at": "2026-10-25T06:00:00+01:00",
        "readable": "Sunday 2026-10-25 06:00 CET",
    }


def test_elapsed_prints_duration_and_exact_seconds() -> None:
    # Mon 2026-11-23 08:00 → Tue 10:00 on `office`: 10h Monday + 2h Tuesday = 12h = 43200 s.
    result = runner.invoke(
        app, ["calendar", "elapsed", SMB, "office", "2026-11-23T08:00", "2026-11-24T10:00"]
    )
    assert result.exit_code == 0, result.output
    assert "12h of business time on 'office' (43200 s; 26h on the wall clock)" in result.stdout


def test_elapsed_is_negative_when_end_comes_first() -> None:
    # Sat 2026-11-21 21:00 → Sun 05:00 holds the maintenance window 22:00–04:00: 6h, reversed.
    payload = elapsed("maintenance", "2026-11-22T05:00", "2026-11-21T21:00")
    assert payload["elapsed_business_s"] == -21600
    assert payload["elapsed"] == "-6h"


def test_naive_and_offset_timestamps_of_the_same_instant_agree() -> None:
    # 17:30 in Berlin (CET, +01:00) is 16:30 UTC is 11:30 in New York (EST, −05:00).
    naive = due("office", "2026-11-20T17:30", "1h")
    with_offset = due("office", "2026-11-20T16:30Z", "1h")
    stated_zone = due("office", "2026-11-20T11:30", "1h", "--timezone", "America/New_York")
    assert naive["due_at"] == with_offset["due_at"] == stated_zone["due_at"]
    assert naive["due_at"] == "2026-11-23T08:30:00+01:00"
    assert naive["start"]["read_as"] == "Europe/Berlin"  # type: ignore[index]
    assert with_offset["start"]["read_as"] is None  # type: ignore[index]
    assert stated_zone["start"]["read_as"] == "America/New_York"  # type: ignore[index]


def test_offset_input_is_stated_as_such() -> None:
    result = runner.invoke(app, ["calendar", "due", SMB, "office", "2026-11-20T16:30Z", "1h"])
    assert "'2026-11-20T16:30Z' offset given" in result.stdout
    assert "read as" not in result.stdout


def test_batch_elapsed_keeps_every_row_and_reports_the_bad_one(tmp_path: Path) -> None:
    source = tmp_path / "tickets.csv"
    source.write_text(
        "ticket,start,end,team\n"
        "T1,2026-11-20T17:30,2026-11-23T08:30,desk\n"  # 30m Friday + 30m Monday = 1h
        "T2,2026-13-01T09:00,2026-11-23T08:30,desk\n"  # month 13
        '"T3, reopened",2026-11-23T08:00+01:00,2026-11-23T09:15,"field, Munich"\n',  # 1h15m
        encoding="utf-8",
    )
    result = runner.invoke(app, ["calendar", "elapsed", SMB, "office", "--csv", str(source)])
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["ticket"] for r in rows] == ["T1", "T2", "T3, reopened"]
    assert [r["elapsed_business_s"] for r in rows] == ["3600", "", "4500"]
    assert [r["elapsed"] for r in rows] == ["1h", "", "1h 15m"]
    assert rows[2]["team"] == "field, Munich"
    assert rows[1]["error"].startswith("row 2, start: '2026-13-01T09:00' is not a valid timestamp")
    assert rows[0]["error"] == rows[2]["error"] == ""
    assert "1 of 3 rows rejected" in result.stderr


def test_batch_due_writes_the_out_file(tmp_path: Path) -> None:
    source, target = tmp_path / "open.csv", tmp_path / "due.csv"
    # Fri 17:30 + 1h → Mon 08:30 (as above); Wed 2026-12-23 17:00 + 2h → Mon 12-28 09:00.
    source.write_text(
        "\ufeffstart,duration\n2026-11-20T17:30,1h\n2026-12-23T17:00,2h\n", encoding="utf-8"
    )
    result = runner.invoke(
        app, ["calendar", "due", SMB, "office", "--csv", str(source), "--out", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == (
        "start,duration,due_at,error\n"
        "2026-11-20T17:30,1h,2026-11-23T08:30:00+01:00,\n"
        "2026-12-23T17:00,2h,2026-12-28T09:00:00+01:00,\n"
    )
    assert result.stdout == ""
    assert "wrote" in result.stderr


def test_batch_due_reads_and_writes_semicolons_as_spreadsheets_save_them(
    tmp_path: Path,
) -> None:
    # A spreadsheet in a German locale saves "start;duration" (with a byte-order mark); the
    # answer keeps the semicolons. Same rows as above: Fri 17:30 + 1h → Mon 08:30.
    source = tmp_path / "open.csv"
    source.write_text("\ufeffstart;duration\n2026-11-20T17:30;1h\n", encoding="utf-8")
    result = runner.invoke(app, ["calendar", "due", SMB, "office", "--csv", str(source)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "start;duration;due_at;error\n2026-11-20T17:30;1h;2026-11-23T08:30:00+01:00;\n"
    )


def test_batch_due_rejects_month_durations_row_by_row(tmp_path: Path) -> None:
    source = tmp_path / "open.csv"
    source.write_text("start,duration\n2026-11-20T17:30,3mo\n2026-11-20T17:30,30m\n")
    result = runner.invoke(app, ["calendar", "due", SMB, "office", "--csv", str(source)])
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["due_at"] == ""
    assert rows[0]["error"].startswith("row 1, duration: '3mo' is in months or years")
    assert rows[1]["due_at"] == "2026-11-20T18:00:00+01:00"


def test_unknown_calendar_is_a_usage_error_with_a_hint() -> None:
    result = runner.invoke(app, ["calendar", "due", SMB, "ofice", "2026-11-20T17:30", "1h"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {SMB}: no calendar 'ofice' in the agreement; did you mean 'office'?\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["due", SMB, "office", "2026-11-20T25:00", "1h"],
            "START: '2026-11-20T25:00' is not a valid",
        ),
        (
            ["due", SMB, "office", "2026-11-20T17:30", "1 hour"],
            "DURATION: '1 hour' is not a duration",
        ),
        (
            ["due", SMB, "office", "2026-11-20T17:30", "1mo"],
            "DURATION: '1mo' is in months or years",
        ),
        (
            ["elapsed", SMB, "office", "2026-11-20", "2026-11-21T10:00"],
            "START: '2026-11-20' is a date",
        ),
        (["elapsed", SMB, "always", "2026-10-25T02:30", "2026-10-25T06:00"], "happens twice"),
        (
            ["due", SMB, "office", "2026-11-20T17:30", "1h", "--timezone", "Europe/Berln"],
            "--timezone: 'Europe/Berln' is not an IANA time zone name; did you mean 'Europe/Berlin'?",
        ),
        (["due", SMB, "office", "2026-11-20T17:30"], "give START DURATION, or --csv FILE"),
        (["due", SMB, "office", "2026-11-20T17:30", "1h", "--csv", "x.csv"], "not both"),
        (["elapsed", SMB, "office", "--csv", "missing.csv"], "cannot read the CSV"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["calendar", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_a_csv_without_the_needed_column_is_a_usage_error(tmp_path: Path) -> None:
    source = tmp_path / "x.csv"
    source.write_text("opened,closed\n2026-11-20T17:30,2026-11-23T08:30\n")
    result = runner.invoke(app, ["calendar", "elapsed", SMB, "office", "--csv", str(source)])
    assert result.exit_code == 2
    assert "the CSV has no column 'start'" in result.stderr


def test_load_errors_print_and_exit_as_lint_does(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: clearpact/v1\ntitle: x\nparties: {provider: {name: a}, customer: {name: b}}\nterm: {strat: 2026-01-01}\n"
    )
    for path, code in ((bad, 1), (tmp_path / "nope.yaml", 2)):
        lint = runner.invoke(app, ["lint", str(path)])
        query = runner.invoke(
            app, ["calendar", "due", str(path), "office", "2026-11-20T17:30", "1h"]
        )
        assert lint.exit_code == query.exit_code == code
        assert query.stdout == lint.stdout


def test_an_amended_calendar_is_flagged(tmp_path: Path) -> None:
    yaml = YAML()
    data = yaml.load((EXAMPLES / "fully-managed-smb.yaml").read_text(encoding="utf-8"))
    data["versions"].append(
        {
            "version": "1.2",
            "effective": "2026-09-01",
            "summary": "Office closes at 17:00 on Fridays.",
            "changes": {"calendars.office.hours.fri": ["08:00-17:00"]},
        }
    )
    amended = tmp_path / "amended.yaml"
    with amended.open("w", encoding="utf-8") as file:
        yaml.dump(data, file)
    result = runner.invoke(
        app, ["calendar", "due", str(amended), "office", "2026-11-20T17:30", "1h"]
    )
    assert result.exit_code == 0, result.output
    assert "note: amendment 1.2 (effective 2026-09-01) changes this calendar" in result.stderr
