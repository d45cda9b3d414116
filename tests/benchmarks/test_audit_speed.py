"""The audit speed benchmark: a small run in fresh processes, as it is run."""

from __future__ import annotations

import json

import pytest

from benchmarks import audit_speed
from benchmarks.evaluate_audit import DEVELOPMENT


def test_development_contracts_are_the_development_split_only() -> None:
    bodies = audit_speed.development_contracts()
    assert set(bodies) == DEVELOPMENT
    assert audit_speed.megabytes(bodies) > 1.5
    assert list(audit_speed.development_contracts(2)) == sorted(DEVELOPMENT)[:2]


def test_a_small_run_reports_its_speed_and_the_same_audits(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert audit_speed.main(["--contracts", "1", "--repeat", "2", "--json"]) == 0
    out = capsys.readouterr().out
    summary = json.loads(out.splitlines()[-1])
    assert (summary["contracts"], summary["repeat"], len(summary["runs_s"])) == (1, 2, 2)
    assert summary["identical"] is True
    assert summary["source_changed"] is False
    # MB/s is the size over the fastest run's seconds (both rounded)
    assert summary["seconds"] == min(summary["runs_s"])
    assert summary["mb_per_s"] == pytest.approx(summary["mb"] / summary["seconds"], rel=0.05)
    assert {"cpu", "cores", "pysbd"} <= set(summary["machine"])


def test_repeat_is_checked() -> None:
    with pytest.raises(SystemExit):
        audit_speed.main(["--repeat", "0"])
