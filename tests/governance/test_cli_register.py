"""``clearpact record …`` appends valid entries and refuses invalid ones; ``clearpact
obligations`` prints the states as a table or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clearpact.cli import app
from clearpact.ingest.register import load_register
from tests.conftest import EXAMPLES
from tests.governance.conftest import AGREEMENT

runner = CliRunner()


@pytest.fixture
def agreement_file(tmp_path: Path) -> Path:
    path = tmp_path / "acme.yaml"
    path.write_text(AGREEMENT, encoding="utf-8")
    return path


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_record_meeting_creates_the_register_beside_the_agreement(agreement_file: Path) -> None:
    code, output = invoke(
        "record", "meeting", str(agreement_file), "--name", "Monthly review",
        "--date", "2026-10-14", "--attendee", "Ann", "--attendee", "Bo",
        "--action", "Ann|2026-10-31|Replace the switch", "--action", "Bo|2026-11-15|Write the runbook",
    )  # fmt: skip
    assert code == 0, output
    register = load_register(agreement_file.with_name("acme.register.yaml")).register
    (meeting,) = register.meetings
    assert (meeting.name, meeting.level, meeting.attendees) == (
        "Monthly review", "operational", ["Ann", "Bo"],  # the level comes from the agreement
    )  # fmt: skip
    assert [(a.id, a.owner, a.due.isoformat(), a.text) for a in meeting.actions] == [
        ("A-20261014-1", "Ann", "2026-10-31", "Replace the switch"),
        ("A-20261014-2", "Bo", "2026-11-15", "Write the runbook"),
    ]
    assert register.agreement == "gov-test"
    assert "A-20261014-1, A-20261014-2" in output


def test_record_appends_and_keeps_the_files_comments(agreement_file: Path) -> None:
    path = agreement_file.with_name("acme.register.yaml")
    path.write_text(
        "# kept by hand\nversion: clearpact-register/v1\nmeetings:\n"
        "  - {name: Monthly review, date: 2026-09-09}  # the first one\n",
        encoding="utf-8",
    )
    code, output = invoke(
        "record", "dr-test", str(agreement_file), "--service", "files", "--date", "2026-10-03",
        "--rto-achieved", "3h", "--rpo-achieved", "30m", "--result", "pass", "--finding", "Slow DNS",
    )  # fmt: skip
    assert code == 0, output
    text = path.read_text(encoding="utf-8")
    assert "# kept by hand" in text
    assert "# the first one" in text
    register = load_register(path).register
    assert len(register.meetings) == 1
    (test,) = register.dr_tests
    assert (str(test.rto_achieved), str(test.rpo_achieved), test.findings) == (
        "3h",
        "30m",
        ["Slow DNS"],
    )


def test_record_refuses_a_wrong_value_and_writes_nothing(agreement_file: Path) -> None:
    code, output = invoke(
        "record", "dr-test", str(agreement_file), "--service", "files", "--date", "2026-10-03",
        "--rto-achieved", "3x", "--result", "passed",
    )  # fmt: skip
    assert code == 2
    assert "--rto-achieved: '3x' is not a duration" in output
    assert "--result: Input should be 'pass' or 'fail' (found 'passed')" in output
    assert not agreement_file.with_name("acme.register.yaml").exists()


def test_record_refuses_a_name_the_agreement_does_not_have(agreement_file: Path) -> None:
    code, output = invoke(
        "record", "meeting", str(agreement_file), "--name", "Monthly reveiw", "--date", "2026-10-14"
    )
    assert code == 2
    assert (
        "'Monthly reveiw' is not a meeting of the agreement; did you mean 'Monthly review'?"
        in output
    )
    code, output = invoke(
        "record", "meeting", str(agreement_file), "--name", "Monthly review", "--date", "2026-10-14",
        "--action", "Ann|next week|Fix it",
    )  # fmt: skip
    assert code == 2
    assert "'next week' is not a date" in output


def test_record_close_action_closes_an_item(agreement_file: Path) -> None:
    invoke(
        "record", "meeting", str(agreement_file), "--name", "Monthly review",
        "--date", "2026-10-14", "--action", "Ann|2026-10-31|Replace the switch",
    )  # fmt: skip
    code, output = invoke(
        "record",
        "close-action",
        str(agreement_file),
        "--id",
        "A-20261014-1",
        "--date",
        "2026-10-20",
    )
    assert code == 0, output
    register = load_register(agreement_file.with_name("acme.register.yaml")).register
    assert register.meetings[0].actions[0].closed is not None
    code, output = invoke(
        "record", "close-action", str(agreement_file), "--id", "A-nope", "--date", "2026-10-20"
    )
    assert code == 2
    assert "no action item 'A-nope'" in output


def test_every_record_kind_appends_one_entry(agreement_file: Path) -> None:
    a = str(agreement_file)
    commands = [
        [
            "report",
            a,
            "--name",
            "Monthly report",
            "--delivered",
            "2026-10-05",
            "--covers",
            "2026-09",
        ],
        [
            "escalation",
            a,
            "--level",
            "1",
            "--raised",
            "2026-10-01T09:00",
            "--answered",
            "2026-10-01T10:00",
        ],
        ["restore-test", a, "--date", "2026-09-10", "--result", "pass"],
        ["bcp-review", a, "--date", "2026-09-11", "--reviewer", "Ann"],
        ["exit-plan-review", a, "--date", "2026-09-12"],
        ["certification", a, "--framework", "ISO 27001", "--expires", "2027-10-30"],
        ["amendment", a, "--version", "1.1", "--signed", "2026-08-01", "--signed-by", "Ann"],
    ]
    for command in commands:
        code, output = invoke("record", *command)
        assert code == 0, output
    register = load_register(agreement_file.with_name("acme.register.yaml")).register
    assert [
        len(register.reports), len(register.escalations), len(register.restore_tests),
        len(register.bcp_reviews), len(register.exit_plan_reviews),
        len(register.certifications), len(register.amendments),
    ] == [1] * 7  # fmt: skip


def test_obligations_of_the_example_as_of_a_day_in_json() -> None:
    code, output = invoke(
        "obligations", str(EXAMPLES / "fully-managed-smb.yaml"), "--as-of", "2026-10-20",
        "--format", "json",
    )  # fmt: skip
    assert code == 1  # overdue, failed and never-evidenced obligations exist
    payload = json.loads(output)
    assert payload["counts"] == {
        "done": 25, "due_soon": 2, "failed": 3, "never_evidenced": 3, "overdue": 3, "upcoming": 8,
    }  # fmt: skip
    failed = {(r["kind"], r["name"]) for r in payload["obligations"] if r["state"] == "failed"}
    assert failed == {
        ("report", "Monthly service report"),  # August's, 3 days late
        ("dr_test", "servers-and-cloud"),  # RTO 9h against 8h
        ("escalation", "Repeated VPN drops"),  # answered the next morning
    }
    assert payload["warnings"] == []


def test_obligations_text_table_and_no_register(agreement_file: Path) -> None:
    code, output = invoke("obligations", str(agreement_file), "--as-of", "2026-07-20")
    # Nothing is past due on 20 July; the certificate (expires 30 October) is never evidenced.
    assert code == 1
    assert "no register at" in output
    assert "never_evidenced" in output
    assert "ISO 27001" in output
    assert output.rstrip().endswith("8 obligation(s): 1 due_soon, 1 never_evidenced, 6 upcoming")
    code, output = invoke("obligations", str(agreement_file), "--as-of", "20 July")
    assert code == 2
    assert "is not a date" in output
