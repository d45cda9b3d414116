"""The report's "Governance obligations" section: states from the register beside the
agreement, and "not tracked" only when there is none."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearpact.agreement.loader import load
from clearpact.ingest.importer import import_export
from clearpact.ingest.profile import read_profile
from clearpact.ingest.register import register_path
from clearpact.ingest.store import write_store
from clearpact.report.data import gather
from clearpact.report.period import ReportPeriod
from clearpact.report.render import render_html
from tests.report.test_report import AGREEMENT, HISTORY, PROFILE, TICKETS

REGISTER = """\
version: clearpact-register/v1
meetings:
  - name: Monthly review
    date: 2026-10-14
    actions:
      - {id: A1, owner: Ann, due: 2026-10-20, text: Replace the plotter queue}
      - {id: A2, owner: Bo, due: 2026-10-20, text: Rename the shared drive, closed: 2026-10-19}
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report-register")
    export = root / "export"
    export.mkdir()
    (export / "tickets.csv").write_text(TICKETS)
    (export / "history.csv").write_text(HISTORY)
    (root / "agreement.yaml").write_text(AGREEMENT)
    write_store(import_export(export, read_profile(PROFILE, "p.yaml")), root / "store", source="x")
    return root


def test_without_a_register_obligations_are_not_tracked(folder: Path) -> None:
    agreement = load(folder / "agreement.yaml")
    period = ReportPeriod.parse_month("2026-10", agreement.home_zone)
    report = gather(agreement, folder / "store", period, register=folder / "absent.register.yaml")
    (only,) = report.obligations
    assert (only.name, only.state) == ("Monthly review", None)
    assert "not tracked" in only.status
    assert "not tracked" in render_html(report)


def test_with_a_register_the_section_shows_state_evidence_and_action_items(folder: Path) -> None:
    agreement_path = folder / "agreement.yaml"
    register_path(agreement_path).write_text(REGISTER, encoding="utf-8")
    agreement = load(agreement_path)
    period = ReportPeriod.parse_month("2026-10", agreement.home_zone)
    report = gather(agreement, folder / "store", period, register=register_path(agreement_path))
    # Sorted by due day, then kind and name. As of 1 November: October's review was held on the 14th; A1 was due 20 October and is
    # open → overdue; A2 closed on the 19th, inside October, still shows (done).
    assert [(o.kind, o.name, o.state, o.evidence, o.owner) for o in report.obligations] == [
        ("action_item", "Rename the shared drive", "done", "2026-10-19", "Bo"),
        ("action_item", "Replace the plotter queue", "overdue", None, "Ann"),
        ("meeting", "Monthly review", "done", "2026-10-14", None),
    ]
    html = render_html(report)
    assert "not tracked" not in html
    assert "Judged against the evidence register as of 2026-11-01" in html
    assert (
        '<tr class="state-done"><td>Monthly review</td><td>meeting</td><td>October 2026</td>'
        in html
    )
    assert "<h3>Action items</h3>" in html
    assert (
        "<td>Replace the plotter queue</td><td>Ann</td><td>2026-10-20</td><td><strong>overdue</strong></td><td>open</td>"
        in html
    )
