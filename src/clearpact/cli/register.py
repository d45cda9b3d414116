"""``clearpact record …`` (add evidence to the register beside an agreement) and
``clearpact obligations`` (every obligation against that evidence on a day)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn
from zoneinfo import ZoneInfo

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from clearpact.agreement.model import Agreement
from clearpact.cli.app import OutputFormat, app, load_or_exit, print_diagnostics, usage_error
from clearpact.diagnostics import Diagnostic
from clearpact.exit_codes import ExitCode
from clearpact.governance import DUE_SOON, State, obligations, unknown_references
from clearpact.governance.obligations import PROBLEMS
from clearpact.governance.register import ENTRY_KINDS, ActionItem, MeetingHeld, Register
from clearpact.ingest.register import (
    RegisterDocument,
    RegisterError,
    append_entry,
    check_register,
    close_action,
    load_register,
    register_path,
)

record_app = typer.Typer(
    help="Add evidence to the agreement's register (<agreement>.register.yaml beside it).",
    no_args_is_help=True,
)
app.add_typer(record_app, name="record")

AgreementArg = Annotated[
    Path, typer.Argument(help="The agreement file (YAML).", show_default=False)
]
RegisterOption = Annotated[
    Path | None,
    typer.Option("--register", help="The register file; <agreement>.register.yaml beside it."),
]


def _fail(lines: list[str], code: ExitCode = ExitCode.USAGE) -> NoReturn:
    stderr = Console(stderr=True, soft_wrap=True)
    for line in lines:
        stderr.print(f"[bold red]error:[/] {escape(line)}", highlight=False)
    raise typer.Exit(code)


def _entry(model: type[BaseModel], values: dict[str, Any]) -> BaseModel:
    """The entry, or every wrong value named by its option and exit 2."""
    given = {k: v for k, v in values.items() if v is not None and v != []}
    try:
        return model.model_validate(given)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            field = str(error["loc"][0]) if error["loc"] else ""
            option = "--" + field.replace("_", "-") if field else "the entry"
            message = error["msg"].removeprefix("Value error, ")
            found = error.get("input")
            shown = f" (found {found!r})" if isinstance(found, str | int) else ""
            problems.append(f"{option}: {message}{shown}")
        _fail(problems)


def _record(
    agreement_path: Path, register: Path | None, kind: str, values: dict[str, Any]
) -> tuple[Agreement, RegisterDocument, BaseModel]:
    """Validate the entry, check it against the agreement, append it; refuse with exit 2
    (a wrong value, or a name the agreement does not have) or 1 (the register is broken)."""
    console = Console(soft_wrap=True)
    agreement = load_or_exit(agreement_path, OutputFormat.TEXT, console).agreement
    section, model = ENTRY_KINDS[kind]
    entry = _entry(model, values)
    probe = Register.model_validate({"version": "clearpact-register/v1", section: [entry]})
    path = register or register_path(agreement_path)
    unknown = unknown_references(agreement, probe)
    if unknown:
        _fail([u.message + (f"; {u.hint}" if u.hint else "") for u in unknown])
    try:
        document = append_entry(path, section, entry, agreement_id=agreement.id)
    except RegisterError as exc:
        print_diagnostics(exc.diagnostics)
        _fail([f"{path} is not a valid register; nothing was recorded"], ExitCode.FINDINGS)
    return agreement, document, entry


def _said(text: str, path: Path) -> None:
    Console(soft_wrap=True).print(f"{text} in {path}.", highlight=False, markup=False)


def _actions(texts: list[str], meeting_date: str, taken: set[str]) -> list[dict[str, Any]]:
    """``owner|due|text`` options as action items with fresh ids ``A-YYYYMMDD-n``."""
    items = []
    stamp = meeting_date.replace("-", "")
    number = 1
    for text in texts:
        parts = [p.strip() for p in text.split("|", 2)]
        if len(parts) != 3 or not all(parts):
            usage_error(
                f"--action {text!r}: write 'owner|due|text', e.g. 'Jana Vogel|2026-10-31|Replace the plotter'"
            )
        while f"A-{stamp}-{number}" in taken:
            number += 1
        ident = f"A-{stamp}-{number}"
        taken.add(ident)
        try:
            item = ActionItem.model_validate(
                {"id": ident, "owner": parts[0], "due": parts[1], "text": parts[2]}
            )
        except ValidationError:
            usage_error(f"--action {text!r}: '{parts[1]}' is not a date; write YYYY-MM-DD")
        items.append(item.model_dump(exclude_none=True))
    return items


def _taken_ids(path: Path) -> set[str]:
    if not path.is_file():
        return set()
    try:
        register = load_register(path).register
    except RegisterError as exc:
        print_diagnostics(exc.diagnostics)
        _fail([f"{path} is not a valid register; nothing was recorded"], ExitCode.FINDINGS)
    return {a.id for m in register.meetings for a in m.actions if a.id}


@record_app.command("meeting")
def record_meeting(
    agreement: AgreementArg,
    name: Annotated[str, typer.Option("--name", help="The meeting's name in the agreement.")],
    date: Annotated[str, typer.Option("--date", help="The day it was held (YYYY-MM-DD).")],
    attendee: Annotated[
        list[str] | None, typer.Option("--attendee", help="Who attended (repeatable).")
    ] = None,
    minutes: Annotated[str | None, typer.Option("--minutes", help="A link to the minutes.")] = None,
    action: Annotated[
        list[str] | None,
        typer.Option("--action", help="An action item 'owner|due|text' (repeatable)."),
    ] = None,
    level: Annotated[
        str | None, typer.Option("--level", help="The tier; the agreement's when left out.")
    ] = None,
    register: RegisterOption = None,
) -> None:
    """A governance meeting held, with attendees, minutes and action items."""
    path = register or register_path(agreement)
    actions = _actions(action or [], date, _taken_ids(path))
    values = {
        "name": name,
        "date": date,
        "attendees": attendee,
        "minutes": minutes,
        "actions": actions,
        "level": level,
    }
    if level is None:
        known = load_or_exit(agreement, OutputFormat.TEXT, Console()).agreement.governance
        match = [
            m
            for m in (known.meetings if known else [])
            if m.name.casefold() == name.strip().casefold()
        ]
        values["level"] = match[0].level.value if match else None
    _, _, entry = _record(agreement, path, "meeting", values)
    assert isinstance(entry, MeetingHeld)
    ids = ", ".join(a.id or "" for a in entry.actions)
    _said(
        f"Recorded meeting '{entry.name}' on {entry.date}"
        + (f" with action items {ids}" if ids else ""),
        path,
    )


@record_app.command("report")
def record_report(
    agreement: AgreementArg,
    name: Annotated[str, typer.Option("--name", help="The report's name in the agreement.")],
    delivered: Annotated[str, typer.Option("--delivered", help="The day it was delivered.")],
    covers: Annotated[
        str | None,
        typer.Option(
            "--covers", help="Its period: 2026-09, 2026Q3, 2026H1, 2026; the one before delivery."
        ),
    ] = None,
    link: Annotated[str | None, typer.Option("--link", help="Where it is kept.")] = None,
    register: RegisterOption = None,
) -> None:
    """A recurring report delivered."""
    path = register or register_path(agreement)
    values = {"name": name, "delivered": delivered, "covers": covers, "link": link}
    _record(agreement, path, "report", values)
    _said(f"Recorded report '{name}' delivered {delivered}", path)


@record_app.command("escalation")
def record_escalation(
    agreement: AgreementArg,
    level: Annotated[int, typer.Option("--level", help="The level escalated to.")],
    raised: Annotated[
        str,
        typer.Option("--raised", help="When (ISO 8601; the agreement's zone without an offset)."),
    ],
    answered: Annotated[
        str | None, typer.Option("--answered", help="When it was answered.")
    ] = None,
    answered_by: Annotated[str | None, typer.Option("--answered-by", help="Who answered.")] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="What it is about.")] = None,
    ticket: Annotated[str | None, typer.Option("--ticket", help="The ticket it concerns.")] = None,
    register: RegisterOption = None,
) -> None:
    """An escalation raised (and, when known, answered)."""
    path = register or register_path(agreement)
    values = {
        "level": level, "raised": raised, "answered": answered, "answered_by": answered_by,
        "subject": subject, "ticket": ticket,
    }  # fmt: skip
    _record(agreement, path, "escalation", values)
    _said(f"Recorded an escalation to level {level} raised {raised}", path)


Findings = Annotated[list[str] | None, typer.Option("--finding", help="A finding (repeatable).")]
Result = Annotated[str, typer.Option("--result", help="pass or fail.")]


@record_app.command("dr-test")
def record_dr_test(
    agreement: AgreementArg,
    service: Annotated[str, typer.Option("--service", help="The service (id) with DR terms.")],
    date: Annotated[str, typer.Option("--date", help="The day of the test.")],
    result: Result,
    rto_achieved: Annotated[
        str | None, typer.Option("--rto-achieved", help="Recovery took, e.g. 3h.")
    ] = None,
    rpo_achieved: Annotated[
        str | None, typer.Option("--rpo-achieved", help="Data lost, e.g. 30m.")
    ] = None,
    scope: Annotated[str | None, typer.Option("--scope", help="What was recovered.")] = None,
    finding: Findings = None,
    register: RegisterOption = None,
) -> None:
    """A disaster-recovery test of one service, with the RTO and RPO achieved."""
    path = register or register_path(agreement)
    values = {
        "service": service, "date": date, "result": result, "rto_achieved": rto_achieved,
        "rpo_achieved": rpo_achieved, "scope": scope, "findings": finding,
    }  # fmt: skip
    _record(agreement, path, "dr-test", values)
    _said(f"Recorded a DR test of {service} on {date} ({result})", path)


@record_app.command("restore-test")
def record_restore_test(
    agreement: AgreementArg,
    date: Annotated[str, typer.Option("--date", help="The day of the test.")],
    result: Result,
    service: Annotated[str | None, typer.Option("--service", help="The service restored.")] = None,
    scope: Annotated[str | None, typer.Option("--scope", help="What was restored.")] = None,
    finding: Findings = None,
    register: RegisterOption = None,
) -> None:
    """A backup restore test."""
    path = register or register_path(agreement)
    values = {
        "date": date,
        "result": result,
        "service": service,
        "scope": scope,
        "findings": finding,
    }
    _record(agreement, path, "restore-test", values)
    _said(f"Recorded a restore test on {date} ({result})", path)


def _review(kind: str, agreement: Path, values: dict[str, Any], register: Path | None) -> None:
    path = register or register_path(agreement)
    _record(agreement, path, kind, values)
    _said(f"Recorded a {kind.replace('-', ' ')} on {values['date']}", path)


Reviewer = Annotated[str | None, typer.Option("--reviewer", help="Who reviewed it.")]
Link = Annotated[str | None, typer.Option("--link", help="Where the plan is kept.")]
Notes = Annotated[str | None, typer.Option("--notes", help="What changed.")]
Day = Annotated[str, typer.Option("--date", help="The day of the review.")]


@record_app.command("bcp-review")
def record_bcp_review(
    agreement: AgreementArg, date: Day, reviewer: Reviewer = None, link: Link = None,
    notes: Notes = None, register: RegisterOption = None,
) -> None:  # fmt: skip
    """A review of the business continuity plan."""
    values = {"date": date, "reviewer": reviewer, "link": link, "notes": notes}
    _review("bcp-review", agreement, values, register)


@record_app.command("exit-plan-review")
def record_exit_plan_review(
    agreement: AgreementArg, date: Day, reviewer: Reviewer = None, link: Link = None,
    notes: Notes = None, register: RegisterOption = None,
) -> None:  # fmt: skip
    """A review of the exit plan."""
    values = {"date": date, "reviewer": reviewer, "link": link, "notes": notes}
    _review("exit-plan-review", agreement, values, register)


@record_app.command("certification")
def record_certification(
    agreement: AgreementArg,
    framework: Annotated[str, typer.Option("--framework", help="As the agreement names it.")],
    expires: Annotated[str, typer.Option("--expires", help="The day it expires.")],
    issued: Annotated[str | None, typer.Option("--issued", help="The day it was issued.")] = None,
    certificate: Annotated[str | None, typer.Option("--certificate", help="A link to it.")] = None,
    register: RegisterOption = None,
) -> None:
    """A certificate seen, with its expiry."""
    path = register or register_path(agreement)
    values = {
        "framework": framework,
        "expires": expires,
        "issued": issued,
        "certificate": certificate,
    }
    _record(agreement, path, "certification", values)
    _said(f"Recorded {framework}, expiring {expires}", path)


@record_app.command("amendment")
def record_amendment(
    agreement: AgreementArg,
    version: Annotated[str, typer.Option("--version", help="The amendment's version label.")],
    signed: Annotated[str, typer.Option("--signed", help="The day the last party signed.")],
    signed_by: Annotated[
        list[str] | None, typer.Option("--signed-by", help="Who signed (repeatable).")
    ] = None,
    link: Annotated[str | None, typer.Option("--link", help="Where the signed copy is.")] = None,
    register: RegisterOption = None,
) -> None:
    """An amendment of the agreement, signed."""
    path = register or register_path(agreement)
    values = {"version": version, "signed": signed, "signed_by": signed_by, "link": link}
    _record(agreement, path, "amendment", values)
    _said(f"Recorded amendment {version} signed {signed}", path)


@record_app.command("close-action")
def record_close_action(
    agreement: AgreementArg,
    action_id: Annotated[
        str, typer.Option("--id", help="The action item's id, e.g. A-20261014-1.")
    ],
    date: Annotated[str, typer.Option("--date", help="The day it was done.")],
    register: RegisterOption = None,
) -> None:
    """Close an open action item."""
    path = register or register_path(agreement)
    try:
        closed = dt.date.fromisoformat(date)
    except ValueError:
        usage_error(f"--date: '{date}' is not a date; write YYYY-MM-DD")
    try:
        close_action(path, action_id, closed)
    except KeyError:
        usage_error(f"--id: no action item '{action_id}' in {path}")
    except RegisterError as exc:
        print_diagnostics(exc.diagnostics)
        _fail([f"{path} is not a valid register; nothing was recorded"], ExitCode.FINDINGS)
    _said(f"Closed action item {action_id} on {closed}", path)


class ObligationsFormat(StrEnum):
    """How ``obligations`` prints its rows."""

    TEXT = "text"
    JSON = "json"


_STATE_STYLE = {
    State.DONE: "green",
    State.DUE_SOON: "yellow",
    State.UPCOMING: "dim",
    State.OVERDUE: "bold red",
    State.FAILED: "bold red",
    State.NEVER_EVIDENCED: "magenta",
}


@app.command("obligations")
def obligations_command(
    agreement: AgreementArg,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The day to judge on (YYYY-MM-DD); today.")
    ] = None,
    register: RegisterOption = None,
    output: Annotated[
        ObligationsFormat, typer.Option("--format", "-f", help="text or json.")
    ] = ObligationsFormat.TEXT,
    window: Annotated[
        int, typer.Option("--window", min=0, help="Days ahead that count as due soon.")
    ] = DUE_SOON.days,
) -> None:
    """Every obligation of the agreement against the evidence register: done, due soon,
    upcoming, overdue, failed or never evidenced. Exits 1 when one is overdue, failed or never
    evidenced."""
    console = Console(soft_wrap=True)
    fmt = OutputFormat.JSON if output is ObligationsFormat.JSON else OutputFormat.TEXT
    loaded = load_or_exit(agreement, fmt, console).agreement
    if as_of is None:
        day = dt.datetime.now(ZoneInfo(loaded.home_zone)).date()
    else:
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            usage_error(f"--as-of: '{as_of}' is not a date; write YYYY-MM-DD")
    path = register or register_path(agreement)
    warnings: list[Diagnostic] = []
    if path.is_file() or register is not None:
        try:
            document = load_register(path)
        except RegisterError as exc:
            print_diagnostics(exc.diagnostics)
            code = ExitCode.USAGE if exc.diagnostics[0].code == "CP107" else ExitCode.FINDINGS
            raise typer.Exit(code) from None
        evidence = document.register
        warnings = check_register(loaded, document)
    else:
        evidence = Register(version="clearpact-register/v1")
    rows = obligations(loaded, evidence, as_of=day, window=dt.timedelta(days=window))
    counts = Counter(r.state.value for r in rows)
    if output is ObligationsFormat.JSON:
        payload = {
            "agreement": loaded.id,
            "as_of": day.isoformat(),
            "register": str(path) if path.is_file() else None,
            "window_days": window,
            "counts": dict(sorted(counts.items())),
            "obligations": [r.as_json() for r in rows],
            "warnings": [
                {
                    "code": w.code,
                    "message": w.message,
                    "hint": w.hint,
                    "line": w.location.line if w.location else None,
                }
                for w in warnings
            ],
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        print_diagnostics(warnings)
        if not path.is_file():
            console.print(
                f"note: no register at {path}; every obligation is judged without evidence.",
                highlight=False,
                markup=False,
            )
        table = Table(title=f"{loaded.title}: obligations as of {day}", title_justify="left")
        table.add_column("due", no_wrap=True, min_width=10)
        table.add_column("state", no_wrap=True, min_width=15)
        table.add_column("obligation", overflow="fold", ratio=3)
        table.add_column("evidence", no_wrap=True, min_width=10)
        table.add_column("detail", overflow="fold", ratio=2)
        for r in rows:
            what = r.name + (f", {r.period}" if r.period else "")
            what += f" ({r.owner})" if r.owner and r.kind.value == "action_item" else ""
            table.add_row(
                str(r.due or "—"),
                f"[{_STATE_STYLE[r.state]}]{r.state.value}[/]",
                f"[dim]{r.kind.value.replace('_', ' ')}:[/] {escape(what)}",
                str(r.evidence or ""),
                escape(r.detail),
            )
        console.print(table)
        console.print(
            f"{len(rows)} obligation(s): "
            + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())),
            highlight=False,
        )
    if any(r.state in PROBLEMS for r in rows):
        raise typer.Exit(ExitCode.FINDINGS)
