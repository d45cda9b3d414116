"""Reading the register file: every problem with its line, as the agreement loader reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearpact.agreement.model import Agreement
from clearpact.ingest.register import (
    RegisterError,
    check_register,
    load_register,
    load_register_text,
    register_path,
)
from tests.conftest import EXAMPLES

BROKEN = """\
version: clearpact-register/v1
meetings:
  - name: Monthly review
    date: 2026-10-14
    atendees: [Ann]
dr_tests:
  - service: files
    date: 2026-09-12
    rto_achieved: 3x
    result: passed
reports:
  - {name: Monthly report, covers: 2026-13}
"""


def rendered(text: str) -> list[str]:
    with pytest.raises(RegisterError) as caught:
        load_register_text(text, "r.yaml")
    return [d.render() for d in caught.value.diagnostics]


def test_every_problem_is_reported_at_once_with_its_line_and_column() -> None:
    assert rendered(BROKEN) == [
        "r.yaml:5:5: CP102 error: unknown field 'atendees' in meetings[0]\n"
        "  hint: did you mean 'attendees'?",
        "r.yaml:9:19: CP101 error: dr_tests[0].rto_achieved: '3x' is not a duration; write a "
        "number and a unit, e.g. '30m', '4h', '1h30m', '2d', '90d', '3mo' or '1y' (units: s, "
        "m, h, d, w, mo, y)",
        "r.yaml:10:13: CP101 error: dr_tests[0].result: input should be 'pass' or 'fail'; "
        "found 'passed'\n  hint: did you mean 'pass'?",
        "r.yaml:12:5: CP103 error: missing required field 'delivered' in reports[0]\n"
        "  hint: add 'delivered:' — The day it reached its recipients.",
        "r.yaml:12:36: CP101 error: reports[0].covers: '2026-13' is not a period; write a month "
        "'2026-09', a quarter '2026Q3', a half '2026H1', a year '2026' or a date inside the period",
    ]


def test_a_file_that_is_not_a_mapping_or_not_yaml_is_refused() -> None:
    assert rendered("- just a list\n")[0].startswith("r.yaml:1:1: CP108 error: expected a mapping")
    assert rendered("version: [\n")[0].startswith("r.yaml:2:1: CP100 error")
    assert rendered("version: clearpact-register/v2\n")[0].startswith(
        "r.yaml:1:10: CP101 error: version: input should be 'clearpact-register/v1'"
    )


def test_an_unreadable_file_is_cp107(tmp_path: Path) -> None:
    with pytest.raises(RegisterError) as caught:
        load_register(tmp_path / "absent.register.yaml")
    assert caught.value.diagnostics[0].code == "CP107"


def test_the_register_lives_beside_the_agreement() -> None:
    assert register_path(Path("deals/acme.yaml")) == Path("deals/acme.register.yaml")


def test_names_the_agreement_does_not_have_are_located_with_a_hint(agreement: Agreement) -> None:
    document = load_register_text(
        "version: clearpact-register/v1\n"
        "meetings:\n"
        "  - {name: Monthly reveiw, date: 2026-10-14}\n"
        "escalations:\n"
        "  - {level: 3, raised: 2026-10-01T09:00}\n",
        "r.yaml",
    )
    assert [d.render() for d in check_register(agreement, document)] == [
        "r.yaml:3:12: CP109 error: 'Monthly reveiw' is not a meeting of the agreement\n"
        "  hint: did you mean 'Monthly review'?",
        "r.yaml:5:13: CP109 error: '3' is not an escalation level of the agreement\n"
        "  hint: the agreement has: '1', '2'",
    ]


def test_the_example_register_loads_and_names_only_what_its_agreement_has() -> None:
    from clearpact.agreement.loader import load

    agreement = load(EXAMPLES / "fully-managed-smb.yaml")
    document = load_register(register_path(EXAMPLES / "fully-managed-smb.yaml"))
    assert check_register(agreement, document) == []
    assert document.register.agreement == agreement.id
