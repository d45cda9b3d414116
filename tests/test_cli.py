"""The `clearpact` command as a user runs it: outputs, formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from clearpact.agreement import load
from clearpact.cli import app
from clearpact.lint import RULES
from tests.conftest import EXAMPLES

runner = CliRunner()
SMB = str(EXAMPLES / "fully-managed-smb.yaml")
VAGUE = str(EXAMPLES / "vague-msp.yaml")


def test_clean_agreement_exits_0_with_score_100() -> None:
    result = runner.invoke(app, ["lint", SMB])
    assert result.exit_code == 0, result.output
    assert "clarity score 100/100" in result.output


def test_vague_agreement_exits_1_and_shows_located_findings() -> None:
    result = runner.invoke(app, ["lint", VAGUE])
    assert result.exit_code == 1
    assert f"{VAGUE}:25:18: CP507 error (round-the-clock-claim)" in result.output
    assert "'as determined by QuickFix'" in result.output


def test_json_output_lists_findings_with_rule_severity_section_path_and_line() -> None:
    result = runner.invoke(app, ["lint", VAGUE, "--format", "json"])
    payload = json.loads(result.output)
    assert payload["score"] < 70
    finding = next(f for f in payload["findings"] if f["rule"] == "CP411")
    assert finding | {"message": None, "hint": None} == {
        "rule": "CP411",
        "name": "percentage-out-of-range",
        "severity": "error",
        "section": "slas",
        "message": None,
        "hint": None,
        "path": "slas.fix.attainment.target",
        "line": 64,  # `attainment: {target: 110%, …}` in examples/vague-msp.yaml
        "column": 26,
    }


def test_sarif_output_is_sarif_2_1_0_with_rules_and_regions() -> None:
    result = runner.invoke(app, ["lint", VAGUE, "--format", "sarif"])
    sarif = json.loads(result.output)
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    assert len(run["tool"]["driver"]["rules"]) == len(RULES)
    first = run["results"][0]
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
    assert {r["level"] for r in run["results"]} <= {"error", "warning", "note"}


def test_invalid_agreement_exits_1_with_compiler_style_lines(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: clearpact/v1\ntitle: x\nparties: {provider: {name: a}, customer: {name: b}}\nterm: {strat: 2026-01-01}\n"
    )
    result = runner.invoke(app, ["lint", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:4:8: CP102 error: unknown field 'strat' in term" in result.output
    assert "hint: did you mean 'start'?" in result.output


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["lint", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "CP107" in result.output


def test_list_rules_prints_every_rule() -> None:
    result = runner.invoke(app, ["lint", "--list-rules", "--format", "json"])
    rows = json.loads(result.output)
    assert [r["rule"] for r in rows] == list(RULES)
    assert {"rule", "name", "severity", "family", "section", "summary", "hint"} <= set(rows[0])


def test_list_kpis_prints_formula_ids() -> None:
    result = runner.invoke(app, ["lint", "--list-kpis"])
    assert "sla_attainment" in result.output
    assert "csat_mean" in result.output


def test_unknown_rule_to_disable_is_refused() -> None:
    result = runner.invoke(app, ["lint", SMB, "--disable", "CP999"])
    assert result.exit_code == 2


def test_schema_prints_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert json.loads(result.output)["title"] == "clearpact agreement (clearpact/v1)"


def test_init_writes_a_starter_that_loads_and_lints_without_errors(tmp_path: Path) -> None:
    target = tmp_path / "agreement.yaml"
    assert runner.invoke(app, ["init", str(target)]).exit_code == 0
    assert load(target).parties.provider.name == "Example Managed Services Ltd"
    assert runner.invoke(app, ["lint", str(target)]).exit_code == 0
    assert runner.invoke(app, ["init", str(target)]).exit_code == 2  # refuses to overwrite


def test_interactive_init_uses_the_answers(tmp_path: Path) -> None:
    target = tmp_path / "agreement.yaml"
    answers = "Acme MSP\nGlobex: Ltd\nusd\n9000\nAmerica/Chicago\nus\n2026-02-01\n"
    result = runner.invoke(app, ["init", str(target), "--interactive"], input=answers)
    assert result.exit_code == 0, result.output
    agreement = load(target)
    assert agreement.parties.customer.name == "Globex: Ltd"  # quoted, so YAML keeps the colon
    assert agreement.commercials is not None
    assert agreement.commercials.currency == "USD"
    assert agreement.calendars["office"].timezone == "America/Chicago"


def test_interactive_init_refuses_answers_that_make_an_invalid_agreement(tmp_path: Path) -> None:
    target = tmp_path / "agreement.yaml"
    answers = "Acme\nGlobex\nEUR\n100\nMars/Olympus\nDE\n2026-02-01\n"
    result = runner.invoke(app, ["init", str(target), "--interactive"], input=answers)
    assert result.exit_code == 1
    assert "Mars/Olympus" in result.output
    assert not target.exists()
