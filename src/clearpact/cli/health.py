"""The ``health`` command: a customer's health score with its explanation."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from clearpact.cli.app import OutputFormat, app, load_or_exit, usage_error
from clearpact.governance.health import health, with_governance
from clearpact.governance.health_profile import ProfileError, default_profile, load_profile
from clearpact.governance.health_view import health_lines, health_view
from clearpact.governance.obligations import obligations
from clearpact.ingest.register import RegisterError, load_register, register_path
from clearpact.report.data import signals_from_store

_BAND_STYLE = {"healthy": "green", "watch": "yellow", "at_risk": "bold red", "unknown": "dim"}


class HealthFormat(StrEnum):
    """How ``health`` prints its result."""

    TEXT = "text"
    JSON = "json"


@app.command("health")
def health_command(
    agreement: Annotated[Path, typer.Argument(help="The agreement file (YAML).")],
    data: Annotated[
        Path, typer.Option("--data", help="A store (clearpact import) or canonical tables.")
    ],
    customer: Annotated[
        str | None, typer.Option("--customer", help="Only this customer's tickets and surveys.")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="A day, YYYY-MM-DD: months that ended before it; today."),
    ] = None,
    output: Annotated[HealthFormat, typer.Option("--format", help="text or json.")] = (
        HealthFormat.TEXT
    ),
    profile: Annotated[
        Path | None,
        typer.Option("--profile", help="A health profile laid over the default (docs/health.md)."),
    ] = None,
    register: Annotated[
        Path | None,
        typer.Option(
            "--register",
            help="The evidence register (governance health); AGREEMENT.register.yaml if present.",
        ),
    ] = None,
) -> None:
    """Customer health and churn risk: a 0–100 score, band, trend, worst driver and action."""
    console = Console(soft_wrap=True)
    document = load_or_exit(agreement, OutputFormat.TEXT, console)
    try:
        day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    except ValueError:
        usage_error(f"--as-of: '{as_of}' is not a day; write YYYY-MM-DD")
    try:
        chosen = (
            load_profile(profile.read_text(encoding="utf-8"), str(profile))
            if profile is not None
            else default_profile()
        )
    except OSError as exc:
        usage_error(f"--profile: {exc}")
    except ProfileError as exc:
        usage_error(f"--profile: {exc}")
    try:
        signals = signals_from_store(document.agreement, data, customer, day)
    except (ValueError, FileNotFoundError) as exc:
        usage_error(str(exc))
    kept = register or register_path(agreement)
    if kept.is_file():
        try:
            book = load_register(kept).register
        except RegisterError as exc:
            usage_error(str(exc))
        signals = with_governance(signals, obligations(document.agreement, book, as_of=day))
    result = health(signals, profile=chosen, as_of=day)
    if output is HealthFormat.JSON:
        print(json.dumps(health_view(result), indent=2, ensure_ascii=False))
        return
    lines = health_lines(result)
    style = _BAND_STYLE.get(result.band, "")
    console.print(f"[{style}]{escape(lines[0])}[/]", highlight=False)
    for line in lines[1:]:
        console.print(escape(line), highlight=False)
