"""`clearpact audit` as a user runs it: the terminal view, JSON (against a reviewed golden file),
SARIF, the HTML report, the draft agreement, and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clearpact.agreement import load
from clearpact.cli import app
from clearpact.exit_codes import ExitCode
from clearpact.lint.prose import PROSE_RULES
from tests.lint.prose.conftest import FIXTURES, GOLDEN

runner = CliRunner()


def test_json_output_matches_the_golden_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regenerate with `scripts/update-golden` and review `git diff tests/lint/prose/golden`."""
    monkeypatch.chdir(FIXTURES)
    result = runner.invoke(app, ["audit", "vague-msa.md", "--format", "json"])
    assert result.exit_code == ExitCode.FINDINGS, result.output
    expected = (GOLDEN / "vague-msa.json").read_text(encoding="utf-8")
    assert result.stdout == expected, "audit JSON changed; if intended, run scripts/update-golden"


def test_json_findings_carry_rule_category_severity_sentence_and_page() -> None:
    result = runner.invoke(app, ["audit", str(FIXTURES / "vague-msa.md"), "--format", "json"])
    payload = json.loads(result.stdout)
    finding = next(f for f in payload["findings"] if f["rule"] == "CP608")
    assert {k: finding[k] for k in ("rule", "category", "severity", "text", "page", "match")} == {
        "rule": "CP608",
        "category": "number_words",
        "severity": "error",
        "text": "The Supplier shall resolve P2 issues within thirty (20) hours.",
        "page": 1,
        "match": "thirty (20)",
    }
    clause = next(
        f for f in payload["findings"] if f["element"] == "business_continuity_or_disaster_recovery"
    )
    assert (clause["present"], clause["citation"]) == (False, "Blueprint 3: DR/BCP")
    statuses = {e["element"]: e["status"] for e in payload["elements"]}
    assert statuses["termination_notice_period"] == "present"
    assert statuses["governing_law"] == "absent"


def test_the_terminal_view_shows_the_sentence_and_the_location() -> None:
    path = str(FIXTURES / "vague-msa.md")
    result = runner.invoke(app, ["audit", path, "--no-elements"])
    assert result.exit_code == ExitCode.FINDINGS
    assert f"{path}:20: CP608 error (words-and-digits-disagree): 'thirty (20)'" in result.output
    assert "  │ The Supplier shall resolve P2 issues within thirty (20) hours." in result.output
    assert "Elements" not in result.output
    assert "errors" in result.output.splitlines()[-1]


def test_the_elements_table_is_shown_by_default() -> None:
    result = runner.invoke(app, ["audit", str(FIXTURES / "complete-msa.txt"), "--profile", "dora"])
    assert result.exit_code == ExitCode.OK, result.output
    assert "Elements" in result.output
    assert "33 of 33 elements present" in result.output


def test_a_complete_contract_exits_0_under_dora() -> None:
    result = runner.invoke(
        app, ["audit", str(FIXTURES / "complete-msa.txt"), "--profile", "dora", "--format", "json"]
    )
    assert result.exit_code == ExitCode.OK, result.output
    payload = json.loads(result.stdout)
    assert payload["summary"]["errors"] == 0
    assert {r["status"] for r in payload["requirements"]} == {"present"}


def test_dora_reports_missing_articles_and_not_critical_drops_article_30_3() -> None:
    path = str(FIXTURES / "vague-msa.md")
    critical = json.loads(
        runner.invoke(app, ["audit", path, "--profile", "dora", "-f", "json"]).stdout
    )
    other = json.loads(
        runner.invoke(
            app, ["audit", path, "--profile", "dora", "--not-critical", "-f", "json"]
        ).stdout
    )
    cited = {f["citation"] for f in critical["findings"] if f["rule"] == "CP621"}
    assert "DORA Art. 30(2)(g)" in cited
    assert "DORA Art. 30(3)(d)" in cited
    assert not any("30(3)" in (f["citation"] or "") for f in other["findings"])


def test_sarif_output_reuses_the_lint_format() -> None:
    result = runner.invoke(app, ["audit", str(FIXTURES / "vague-msa.md"), "--format", "sarif"])
    sarif = json.loads(result.stdout)
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == set(PROSE_RULES) - {"CP621"}
    located = next(r for r in run["results"] if r["ruleId"] == "CP608")
    region = located["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 20
    assert located["properties"]["match"] == "thirty (20)"


def test_html_report_marks_the_phrase_in_its_sentence(tmp_path: Path) -> None:
    out = tmp_path / "audit.html"
    result = runner.invoke(app, ["audit", str(FIXTURES / "vague-msa.md"), "--html", str(out)])
    assert f"wrote {out}" in result.output
    html = out.read_text(encoding="utf-8")
    assert "within <mark>thirty (20)</mark> hours." in html
    assert "Blueprint 3: DR/BCP" in html
    assert "the Supplier&#39;s <mark>then-current rates</mark>." in html  # escaped, then marked
    assert "<script" not in html


def test_the_draft_agreement_is_written_and_loads(tmp_path: Path) -> None:
    out = tmp_path / "draft.yaml"
    result = runner.invoke(
        app,
        [
            "audit",
            str(FIXTURES / "vague-msa.md"),
            "--format",
            "json",
            "--draft-agreement",
            str(out),
        ],
    )
    json.loads(result.stdout)  # the note about the draft goes to stderr, not into the JSON
    agreement = load(out)
    assert agreement.parties.provider.name == "QuickFix IT Ltd"
    assert agreement.commercials is not None
    assert agreement.commercials.currency == "GBP"


@pytest.mark.parametrize("output", ["text", "json"])
def test_an_unreadable_file_exits_2_with_the_diagnostic(tmp_path: Path, output: str) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    result = runner.invoke(app, ["audit", str(path), "--format", output])
    assert result.exit_code == ExitCode.USAGE
    if output == "json":
        assert json.loads(result.stdout)["error"]["code"] == "CP132"
    else:
        assert f"{path}: CP132 error: the file is empty (0 bytes)" in result.output


def test_max_size_is_checked_and_applied(tmp_path: Path) -> None:
    bad = runner.invoke(app, ["audit", str(FIXTURES / "vague-msa.md"), "--max-size", "huge"])
    assert bad.exit_code == ExitCode.USAGE
    small = runner.invoke(app, ["audit", str(FIXTURES / "vague-msa.md"), "--max-size", "1KB"])
    assert small.exit_code == ExitCode.USAGE
    assert "CP133" in small.output


def test_the_pdf_and_docx_views_show_pages(contract_pdf: Path, contract_docx: Path) -> None:
    pdf = runner.invoke(app, ["audit", str(contract_pdf), "--no-elements"])
    assert f"{contract_pdf} (p. 2, ¶ 7): CP608 error" in pdf.output
    docx = runner.invoke(app, ["audit", str(contract_docx), "--no-elements"])
    assert f"{contract_docx} (p. ~2," in docx.output  # DOCX pages are estimated
