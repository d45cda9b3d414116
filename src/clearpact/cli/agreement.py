"""Commands on the agreement file itself: ``lint``, ``schema``, ``init``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from clearpact.agreement import AgreementError, load_text
from clearpact.agreement.schema import agreement_schema
from clearpact.agreement.starter import StarterAnswers, render_starter
from clearpact.cli.app import SEVERITY_STYLE, OutputFormat, app, load_or_exit
from clearpact.exit_codes import ExitCode
from clearpact.kpi.catalogue import FORMULAS
from clearpact.lint import Profile, Rule, is_critical, lint_agreement, profile_rules
from clearpact.lint.sarif import to_sarif


@app.command()
def lint(
    agreement: Annotated[
        Path | None, typer.Argument(help="The agreement YAML file.", show_default=False)
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="text, json or sarif.")
    ] = OutputFormat.TEXT,
    disable: Annotated[
        list[str] | None, typer.Option("--disable", help="Rule id to skip; repeatable.")
    ] = None,
    profile: Annotated[
        Profile,
        typer.Option(
            "--profile", help="blueprint, or dora (the blueprint plus DORA Art. 30, CP7xx)."
        ),
    ] = Profile.BLUEPRINT,
    critical: Annotated[
        bool | None,
        typer.Option(
            "--critical/--not-critical",
            help="dora: the services support critical or important functions, so Art. 30(3) "
            "applies (default: the agreement's regulatory.critical_or_important, else yes).",
            show_default=False,
        ),
    ] = None,
    list_rules: Annotated[
        bool, typer.Option("--list-rules", help="Print every rule and exit.")
    ] = False,
    list_kpis: Annotated[
        bool, typer.Option("--list-kpis", help="Print the KPI formula ids and exit.")
    ] = False,
) -> None:
    """Validate an agreement and report what is missing, unmeasurable, inconsistent or vague.

    Exits 1 when the agreement is invalid or a finding is an error.
    """
    console = Console(soft_wrap=True)
    if list_rules:
        _print_rules(
            console, output, profile, profile_rules(profile, critical=critical is not False)
        )
        return
    if list_kpis:
        for formula in FORMULAS.values():
            print(f"{formula.id:32} {formula.unit:9} {formula.description}")
        return
    if agreement is None:
        raise typer.BadParameter("give the agreement file, or --list-rules", param_hint="AGREEMENT")
    known = profile_rules(profile)
    unknown = [d for d in disable or [] if d not in {r.id for r in known}]
    if unknown:
        raise typer.BadParameter(
            f"no such rule in profile {profile.value}: {', '.join(unknown)}", param_hint="--disable"
        )
    document = load_or_exit(agreement, output, console)
    critical_now = is_critical(document.agreement, critical)
    result = lint_agreement(
        document.agreement, disabled=disable or [], profile=profile, critical=critical
    )
    active = [
        r for r in profile_rules(profile, critical=critical_now) if r.id not in set(disable or [])
    ]
    located = [(f, document.locate(f.path)) for f in result.findings]
    regulated = profile is not Profile.BLUEPRINT  # the blueprint's output stays as it was
    if output is OutputFormat.JSON:
        findings = []
        for f, loc in located:
            row: dict[str, object] = {
                "rule": f.rule,
                "name": f.name,
                "severity": f.severity.value,
                "section": f.section.value,
                "message": f.message,
                "hint": f.hint,
                "path": f.path,
                "line": loc.line,
                "column": loc.column,
            }
            if regulated:
                row["citation"] = f.citation
            findings.append(row)
        payload: dict[str, object] = {"file": str(agreement), "score": result.score}
        if regulated:
            payload.update(profile=profile.value, critical=critical_now)
        payload["findings"] = findings
        print(json.dumps(payload, indent=2))
    elif output is OutputFormat.SARIF:
        print(json.dumps(to_sarif(located, active), indent=2))
    else:
        for finding, location in located:
            console.print(
                f"[bold]{location}[/]: [{SEVERITY_STYLE[finding.severity]}]{finding.rule} "
                f"{finding.severity}[/] [dim]({finding.name})[/]: {escape(finding.message)}",
                highlight=False,
            )
            console.print(f"  [dim]hint:[/] {escape(finding.hint)}", highlight=False)
        colour = "green" if result.score >= 90 else "yellow" if result.score >= 70 else "red"
        scope = ""
        if regulated:
            scope = f", profile {profile.value}" + (
                ", critical or important functions" if critical_now else ", Art. 30(2) only"
            )
        console.print(
            f"\n{escape(str(agreement))}: [bold]clarity score [{colour}]{result.score}/100[/][/] — "
            f"{result.errors} errors, {result.warnings} warnings, "
            f"{len(result.findings) - result.errors - result.warnings} notes "
            f"({len(active)} rules{scope})",
            highlight=False,
        )
    if result.errors:
        raise typer.Exit(ExitCode.FINDINGS)


def _print_rules(
    console: Console, output: OutputFormat, profile: Profile, rules: list[Rule]
) -> None:
    regulated = profile is not Profile.BLUEPRINT  # the blueprint's listing stays as it was
    if output is OutputFormat.JSON:
        rows = []
        for r in rules:
            row: dict[str, object] = {
                "rule": r.id,
                "name": r.name,
                "severity": r.severity.value,
                "family": r.family.value,
                "section": r.section.value,
                "summary": r.summary,
                "hint": r.hint,
            }
            if regulated:
                row.update(profile=r.profile.value, citation=r.citation)
                row["critical_only"] = r.critical_only
            rows.append(row)
        print(json.dumps(rows, indent=2))
        return
    columns = ["id", "name", "severity", "family", "section", "checks"]
    table = Table(*columns, *(["citation"] if regulated else []), show_lines=False)
    for r in rules:
        cells = [r.id, r.name, r.severity.value, r.family.value, r.section.value, escape(r.summary)]
        if regulated:
            cite = r.citation or ""
            cells.append(f"{cite} (critical only)" if r.critical_only else cite)
        table.add_row(*cells)
    console.print(table)


@app.command()
def schema(
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of the agreement file, for editors (completion and checking)."""
    text = json.dumps(agreement_schema(), indent=2) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}")


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the agreement.")] = Path(
        "agreement.yaml"
    ),
    interactive: Annotated[
        bool, typer.Option("--interactive", "-i", help="Ask for names, fee, time zone, holidays.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter agreement that loads and lints."""
    if path.exists() and not force:
        raise typer.BadParameter(f"{path} exists; use --force to overwrite it", param_hint="PATH")
    answers = StarterAnswers()
    if interactive:
        answers = StarterAnswers(
            provider=typer.prompt("Provider (your company)", default=answers.provider),
            customer=typer.prompt("Customer", default=answers.customer),
            currency=typer.prompt("Currency (ISO 4217)", default=answers.currency).upper(),
            monthly_fee=typer.prompt("Monthly fee", default=answers.monthly_fee, type=int),
            timezone=typer.prompt("Time zone of business hours", default=answers.timezone),
            holiday_country=typer.prompt(
                "Public holidays of country (ISO code)", default=answers.holiday_country
            ).upper(),
            start=typer.prompt("Start date (YYYY-MM-DD)", default=answers.start),
        )
    text = render_starter(answers)
    try:
        load_text(text, str(path))
    except AgreementError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.render())
        print("the answers above do not make a valid agreement; nothing was written")
        raise typer.Exit(ExitCode.FINDINGS) from None
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}; next: clearpact lint {path}")
