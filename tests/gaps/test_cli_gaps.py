"""`clearpact gaps` as a user runs it: views, JSON fields and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from clearpact.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()
SMB = str(EXAMPLES / "fully-managed-smb.yaml")
EMAILS = EXAMPLES / "emails"


def test_the_example_emails_have_gaps_and_exit_1() -> None:
    result = runner.invoke(app, ["gaps", SMB, str(EMAILS)])
    assert result.exit_code == 1, result.output
    assert "stricter “Someone will be on site within the hour.”" in result.output
    assert "clause: slas.first-response.targets.P2" in result.output
    assert "Friday 20 November 2026 at 17:30 CET" in result.output
    assert "note: " in result.output  # the HTML-only and bad-bytes messages say how they were read
    assert result.output.rstrip().endswith(
        "15 commitment(s) in 9 message(s) from 7 file(s); 11 gap(s): 2 contradicts_policy, "
        "3 out_of_scope, 5 stricter, 1 vague"
    )


def test_json_lists_every_commitment_with_the_fields_an_evaluation_needs() -> None:
    result = runner.invoke(app, ["gaps", SMB, str(EMAILS), "--format", "json"])
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert payload["messages"] == 9
    assert payload["gaps"] == 11
    first = payload["commitments"][0]
    assert {k: first[k] for k in ("text", "kind", "time_expression", "sender", "date", "gap")} == {
        "text": "Someone will be on site within the hour.",
        "kind": "response_time",
        "time_expression": "within the hour",
        "sender": "Jana Vogel <jana.vogel@brightline.example>",
        "date": "2026-11-20T17:30:00+01:00",
        "gap": "stricter",
    }
    assert first["clause"] == "slas.first-response.targets.P2"
    assert first["suggestion"].startswith("To be exact:")
    assert first["time"] == {
        "form": "duration",
        "seconds": 3600,
        "days": None,
        "day": None,
        "at": None,
        "first_thing": False,
    }
    assert first["promised_by"] == "2026-11-20T18:30:00+01:00"
    assert first["agreement_due"] == "2026-11-23T08:30:00+01:00"
    consistent = [c for c in payload["commitments"] if c["gap"] is None]
    assert all(c["suggestion"] is None for c in consistent)
    assert {
        "source": str(EMAILS / "03-plotter-html.eml"),
        "note": "HTML only: the text was taken from the HTML, tags stripped",
    } in payload["notes"]


def test_messages_that_keep_to_the_agreement_exit_0() -> None:
    result = runner.invoke(app, ["gaps", SMB, str(EMAILS / "06-consistent.eml")])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2 commitment(s) in 1 message(s) from 1 file(s); no gaps"


def test_all_shows_the_consistent_commitments_with_their_note() -> None:
    result = runner.invoke(app, ["gaps", SMB, str(EMAILS / "06-consistent.eml"), "--all"])
    assert result.exit_code == 0
    assert (
        "consistent “Home printers are not covered, but we can send you a quote.”" in result.output
    )
    assert "note: says correctly that it is not included" in result.output


def test_an_unreadable_file_is_an_error_on_stderr_and_exit_2_after_the_others(
    tmp_path: Path,
) -> None:
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["gaps", SMB, str(empty), str(EMAILS / "06-consistent.eml")])
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"error: {empty}: is empty\n  hint: give a file that holds at least one message\n"
    )
    assert "no gaps" in result.stdout


def test_an_unknown_extension_names_the_types_that_are_read(tmp_path: Path) -> None:
    notes = tmp_path / "notes.docx"
    notes.write_bytes(b"PK")
    result = runner.invoke(app, ["gaps", SMB, str(notes)])
    assert result.exit_code == 2
    assert "unknown file type '.docx'" in result.stderr
    assert "give .eml, .mbox, .msg or .txt files" in result.stderr


def test_a_file_over_max_size_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["gaps", SMB, str(EMAILS / "thread.mbox"), "--max-size", "1KB"])
    assert result.exit_code == 2
    assert "over the limit of 1 KB" in result.stderr
    assert "--max-size" in result.stderr


def test_a_bad_max_size_is_a_usage_error() -> None:
    result = runner.invoke(app, ["gaps", SMB, str(EMAILS), "--max-size", "lots"])
    assert result.exit_code == 2
    assert "--max-size: 'lots' is not a size" in result.stderr


def test_an_invalid_agreement_is_reported_as_lint_reports_it(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: clearpact/v1\ntitle: x\n", encoding="utf-8")
    result = runner.invoke(app, ["gaps", str(bad), str(EMAILS)])
    assert result.exit_code == 1
    assert "the agreement could not be loaded" in result.output


def test_an_outlook_msg_is_read_and_its_promise_compared(tmp_path: Path) -> None:
    import datetime as dt

    from tests.ingest.msgfile import write_msg

    path = write_msg(
        tmp_path / "promise.msg",
        subject="RE: file server down",
        body="Hi Tom,\r\n\r\nWe'll have someone on site within the hour.\r\n\r\nDana",
        sender_name="Dana Reyes",
        sender_smtp="dana@brightpath-it.example",
        sent=dt.datetime(2026, 11, 17, 8, 14, tzinfo=dt.UTC),
    )
    result = runner.invoke(app, ["gaps", SMB, str(path)])
    assert result.exit_code == 1, result.output
    assert "Dana Reyes <dana@brightpath-it.example>, Tuesday 17 November 2026 at 09:14 CET" in result.output  # fmt: skip
    assert "stricter “We'll have someone on site within the hour.”" in result.output
