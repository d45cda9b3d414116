"""The README documents every rule, diagnostic code, command and exit code that exists."""

from __future__ import annotations

import re

import typer

from clearpact.cli import app
from clearpact.exit_codes import ExitCode
from clearpact.lint import DORA_RULES, RULES
from tests.conftest import ROOT

README = ROOT / "README.md"


def rules_table() -> str:
    """The README's rule table, generated from the registry."""
    lines = ["| id | name | severity | family | section | checks |", "|---|---|---|---|---|---|"]
    for r in RULES.values():
        lines.append(
            f"| {r.id} | {r.name} | {r.severity} | {r.family} | {r.section} | {r.summary} |"
        )
    return "\n".join(lines)


def dora_rules_table() -> str:
    """The README's table of the ``dora`` profile's rules, with the point of DORA Art. 30 each
    checks; the article's own words, paraphrased, come from the prose audit's catalogue."""
    from clearpact.lint.prose import load_catalogue

    article = {r.citation: r.summary for r in load_catalogue().profiles["dora"].requirements}
    lines = [
        "| id | name | severity | citation | applies to | checks | the article asks for |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in DORA_RULES.values():
        applies = "critical or important functions" if r.critical_only else "every agreement"
        asks = article.get(
            r.citation or "",
            "paragraph 3 adds its elements for ICT services that support "
            "critical or important functions",
        )
        lines.append(
            f"| {r.id} | {r.name} | {r.severity} | {r.citation} | {applies} | {r.summary} | {asks} |"
        )
    return "\n".join(lines)


def with_block(text: str, name: str, body: str) -> str:
    """``text`` with the block between ``<!-- name:start -->`` and ``<!-- name:end -->`` replaced."""
    pattern = re.compile(rf"(<!-- {name}:start -->).*?(<!-- {name}:end -->)", re.S)
    assert pattern.search(text), f"README has no {name} block"
    return pattern.sub(lambda m: f"{m.group(1)}\n{body}\n{m.group(2)}", text)


def test_readme_rule_table_is_current() -> None:
    """Regenerate with `scripts/update-docs`."""
    text = README.read_text(encoding="utf-8")
    assert with_block(text, "rules", rules_table()) == text


def test_readme_dora_rule_table_is_current() -> None:
    """Regenerate with `scripts/update-docs`."""
    text = README.read_text(encoding="utf-8")
    assert with_block(text, "dora-rules", dora_rules_table()) == text


def test_readme_documents_every_diagnostic_code_and_exit_code() -> None:
    text = README.read_text(encoding="utf-8")
    for code in (
        "CP100", "CP101", "CP102", "CP103", "CP104", "CP105", "CP106", "CP107", "CP108", "CP109",
    ):  # fmt: skip
        assert f"| {code} |" in text, code
    for exit_code in ExitCode:
        assert f"| {exit_code.value} | {exit_code.name} |" in text, exit_code


def command_names(typer_app: typer.Typer, prefix: str = "clearpact") -> list[str]:
    """Every command as a user types it, groups included: ``clearpact calendar due``."""
    names = []
    for command in typer_app.registered_commands:
        name = command.name or (command.callback.__name__ if command.callback else "")
        names.append(f"{prefix} {name}")
    for group in typer_app.registered_groups:
        assert group.typer_instance is not None
        names.append(f"{prefix} {group.name}")
        names.extend(command_names(group.typer_instance, f"{prefix} {group.name}"))
    return names


def test_readme_documents_every_command() -> None:
    text = README.read_text(encoding="utf-8")
    names = command_names(app)
    assert "clearpact calendar due" in names
    for name in names:
        assert name in text, name


def test_readme_opens_with_the_two_commands() -> None:
    first_block = README.read_text(encoding="utf-8").split("```")[1]
    assert "./scripts/bootstrap" in first_block
    assert "./scripts/test" in first_block


def test_every_builtin_import_profile_is_documented() -> None:
    from clearpact.ingest.profile import builtin_profiles

    text = (ROOT / "docs" / "import-profiles.md").read_text(encoding="utf-8")
    for name in builtin_profiles():
        assert f"| `{name}` |" in text, f"docs/import-profiles.md does not list profile {name}"
