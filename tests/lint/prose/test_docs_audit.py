"""docs/audit.md documents every audit rule, category, element, requirement and reading error;
its generated tables are current (regenerate with `scripts/update-docs`)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from clearpact.cli import app
from clearpact.lint.lexicon import load_lexicon
from clearpact.lint.prose import PROSE_RULES, load_catalogue
from tests.conftest import ROOT
from tests.test_docs import with_block

AUDIT_DOC = ROOT / "docs" / "audit.md"
READING_CODES = ["CP130", "CP131", "CP132", "CP133", "CP134", "CP135", "CP136", "CP137"]


def audit_rules_table() -> str:
    """The rule table of docs/audit.md, generated from the registry."""
    lines = [
        "| id | name | category | severity | in commitments only | checks |",
        "|---|---|---|---|---|---|",
    ]
    for r in PROSE_RULES.values():
        only = "yes" if r.commitment_only else "no"
        lines.append(
            f"| {r.id} | {r.name} | `{r.category}` | {r.severity} | {only} | {r.summary} |"
        )
    return "\n".join(lines)


def categories_table() -> str:
    """Every category of the lexicon with its sources."""
    lexicon = load_lexicon()
    lines = ["| category | what it is | sources |", "|---|---|---|"]
    for c in lexicon.categories.values():
        lines.append(f"| `{c.id}` | {c.summary} | {', '.join(c.sources)} |")
    return "\n".join(lines)


def elements_table() -> str:
    """Every element id with its name and the reason it is looked for."""
    lines = [
        "| element | name | why it matters | how the audit recognises it |",
        "|---|---|---|---|",
    ]
    for e in load_catalogue().elements.values():
        lines.append(f"| `{e.id}` | {e.name} | {e.why} | {e.how} |")
    return "\n".join(lines)


def requirements_table() -> str:
    """Every requirement of every profile with its citation, severity and elements."""
    lines = [
        "| profile | citation | severity | elements | the contract states |",
        "|---|---|---|---|---|",
    ]
    catalogue = load_catalogue()
    for profile in catalogue.profiles.values():
        for r in profile.requirements:
            if r.profile != profile.id:
                continue  # inherited: listed under its own profile
            citation = r.citation + (
                " (critical or important functions)" if r.critical_only else ""
            )
            elements = ", ".join(f"`{e}`" for e in r.elements)
            lines.append(f"| {profile.id} | {citation} | {r.severity} | {elements} | {r.summary} |")
    return "\n".join(lines)


BLOCKS = {
    "audit-rules": audit_rules_table,
    "audit-categories": categories_table,
    "audit-elements": elements_table,
    "audit-requirements": requirements_table,
}


def updated(text: str) -> str:
    """docs/audit.md with every generated block rewritten."""
    for name, table in BLOCKS.items():
        text = with_block(text, name, table())
    return text


def test_the_generated_tables_of_docs_audit_are_current() -> None:
    text = AUDIT_DOC.read_text(encoding="utf-8")
    assert updated(text) == text, "docs/audit.md is stale; run scripts/update-docs"


def test_docs_audit_documents_every_reading_error_and_lexicon_source() -> None:
    text = AUDIT_DOC.read_text(encoding="utf-8")
    for code in READING_CODES:
        assert f"| {code} |" in text, code
    for key in load_lexicon().sources:
        assert f"`{key}`" in text, key
    assert "Regulation (EU) 2022/2554" in text


def test_the_readme_points_at_the_audit() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "clearpact audit CONTRACT" in readme
    assert "docs/audit.md" in readme


def test_the_readme_excerpt_is_real_output(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ clearpact audit tests/lint/prose/fixtures/vague-msa.md", 1)[1].split(
        "```", 1
    )[0]
    monkeypatch.chdir(ROOT)
    output = (
        CliRunner()
        .invoke(
            app,
            [
                "audit",
                "tests/lint/prose/fixtures/vague-msa.md",
                "--profile",
                "dora",
                "--no-elements",
            ],
        )
        .output
    )
    for line in block.splitlines()[1:]:
        if line.strip() and line != "…":
            assert line in output, line
