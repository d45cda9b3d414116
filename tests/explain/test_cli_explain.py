"""`clearpact explain` as a user runs it: formats, output file and exit codes."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from clearpact.cli import app
from clearpact.explain import render_markdown
from tests.conftest import EXAMPLES
from tests.explain.conftest import explained

runner = CliRunner()
SMB = str(EXAMPLES / "fully-managed-smb.yaml")
VAGUE = str(EXAMPLES / "vague-msp.yaml")


def test_text_is_the_default_and_exits_0() -> None:
    result = runner.invoke(app, ["explain", SMB])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Managed IT Services Agreement — Harbor & Lee Architects\n")
    assert "Due Friday 2 January 2026 at 17:30 CET" in result.output


def test_markdown_on_stdout_is_the_library_rendering() -> None:
    result = runner.invoke(app, ["explain", SMB, "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert result.output == render_markdown(explained("fully-managed-smb"))


def test_html_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "schedule.html"
    result = runner.invoke(app, ["explain", VAGUE, "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}\n"
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "does not say" in page


def test_text_to_a_file_has_no_colour_codes(tmp_path: Path) -> None:
    out = tmp_path / "schedule.txt"
    result = runner.invoke(app, ["explain", VAGUE, "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "\x1b[" not in text
    assert text.startswith("IT Support Agreement\n")


def test_an_unknown_format_is_a_usage_error() -> None:
    result = runner.invoke(app, ["explain", SMB, "--format", "pdf"])
    assert result.exit_code == 2


def test_an_invalid_agreement_is_reported_exactly_as_lint_reports_it(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: clearpact/v1\ntitle: x\nparties: {provider: {name: a}, customer: {name: b}}\n"
        "term: {strat: 2026-01-01}\n"
    )
    explain = runner.invoke(app, ["explain", str(bad)])
    lint = runner.invoke(app, ["lint", str(bad)])
    assert explain.exit_code == lint.exit_code == 1
    assert explain.output == lint.output
    assert f"{bad}:4:8: CP102 error: unknown field 'strat' in term" in explain.output


def test_a_missing_file_is_a_usage_error_as_in_lint(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.yaml")
    explain = runner.invoke(app, ["explain", missing])
    assert explain.exit_code == 2
    assert "CP107" in explain.output
    assert explain.output == runner.invoke(app, ["lint", missing]).output
