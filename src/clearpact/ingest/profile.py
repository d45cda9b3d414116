"""Import profiles: what a ticketing tool's export means, written as data (YAML).

A profile names the reader for the export's shape (``reader``), the zone of times written
without an offset, what each of the tool's statuses means to a clock, and how its priority
labels map to the agreement's. The built-in profiles live beside this module in ``profiles/``;
a user's own profile is a YAML file of the same form (``docs/import-profiles.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from clearpact.agreement.yamlsource import YamlSyntaxError, parse_yaml
from clearpact.clock.tables import EVENT_KINDS, StatusMeanings

PROFILES_DIR = Path(__file__).parent / "profiles"
"""Where the built-in profiles are: one ``<name>.yaml`` each."""

Meaning = Literal["running", "paused", "resolved", "closed"]
Strict = ConfigDict(extra="forbid", frozen=True)


class ProfileError(ValueError):
    """A profile that cannot be found or read; the message names the file and line."""


class Columns(BaseModel):
    """Canonical column ← the export's column (or a dotted path into a JSON record)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    ticket_id: str | None = Field(default=None, description="The ticket's id.")
    created_at: str | None = Field(default=None, description="When the ticket was opened.")
    priority: str | None = Field(default=None, description="Priority (at creation, for tickets).")
    status: str | None = Field(default=None, description="Status (at creation, for tickets).")
    customer: str | None = Field(default=None, description="The customer the row belongs to.")
    service: str | None = Field(default=None, description="The service the ticket is about.")
    at: str | None = Field(default=None, description="When the event happened.")
    kind: str | None = Field(default=None, description="Event kind: " + ", ".join(EVENT_KINDS))
    value: str | None = Field(default=None, description="The event's new value.")
    channel: str | None = Field(default=None, description="The reply's channel.")
    field: str | None = Field(default=None, description="Audit rows: the field that changed.")
    survey_id: str | None = Field(default=None, description="Surveys: the answer's id.")
    rating: str | None = Field(default=None, description="Surveys: the rating.")
    comment: str | None = Field(default=None, description="Surveys: the comment.")


class TableMapping(BaseModel):
    """One file (or glob of files) of a generic export and how its columns map."""

    model_config = Strict

    file: str = Field(description="Path or glob under the export folder, e.g. 'tickets*.csv'.")
    records: str | None = Field(
        default=None,
        description="JSON only: dotted path to the list of records, e.g. 'result' or 'data.items'.",
    )
    sheet: str | None = Field(default=None, description="Excel only: the worksheet's name.")
    row_id: str | None = Field(
        default=None,
        description="Column that identifies a row in messages ('id=…'); the 1-based row otherwise.",
    )
    columns: Columns = Field(description="Canonical column ← export column.")
    kind: str | None = Field(
        default=None,
        description="Events: every row of the file is this kind (status, reply, …), when the "
        "file has no kind column.",
    )
    kinds: dict[str, str] = Field(
        default_factory=dict,
        description="Events: the export's kind names → canonical kinds (status, priority, …).",
    )
    fields: dict[str, str] = Field(
        default_factory=dict,
        description="Audit rows: the export's field names → canonical kinds; other fields are "
        "ignored and counted.",
    )
    replies: dict[str, str] = Field(
        default_factory=dict,
        description="The export's author types → agent, automation, internal or customer.",
    )
    ratings: dict[str, int] = Field(
        default_factory=dict,
        description="Surveys: the export's rating labels → 1–5 (numbers 1–5 need no entry).",
    )


class Tables(BaseModel):
    """The files of a generic export, by canonical table."""

    model_config = Strict

    tickets: TableMapping | None = Field(default=None, description="One row per ticket.")
    events: list[TableMapping] = Field(
        default_factory=list, description="Files of one row per event (kind and value columns)."
    )
    audit: list[TableMapping] = Field(
        default_factory=list, description="Files of one row per changed field (field, value)."
    )
    surveys: TableMapping | None = Field(default=None, description="Satisfaction answers.")


class Profile(BaseModel):
    """A ticketing tool's export, described as data."""

    model_config = Strict

    version: Literal["clearpact-profile/v1"] = Field(description="The profile format's version.")
    name: str = Field(description="Short name, used with --profile.")
    tool: str = Field(description="The tool and API the export comes from.")
    reader: str = Field(
        description="The reader for the export's shape: a built-in tool reader, or 'table' for "
        "a generic CSV / JSON / Excel export mapped in 'tables'."
    )
    documentation: list[str] = Field(
        default_factory=list, description="The vendor's documentation the mapping follows."
    )
    timezone: str | None = Field(
        default=None,
        description="IANA zone of times the export writes without an offset; none: such times "
        "need --timezone (never assumed UTC).",
    )
    time_formats: list[str] = Field(
        default_factory=list,
        description="strptime formats tried after ISO 8601, e.g. '%d/%m/%Y %H:%M'.",
    )
    statuses: dict[str, Meaning] = Field(
        default_factory=dict,
        description="Every status of the tool (as it names them) → running, paused, resolved "
        "or closed. A status not listed is quarantined.",
    )
    priorities: dict[str, str] = Field(
        default_factory=dict,
        description="The tool's priority labels → the agreement's priority names. A label not "
        "listed is quarantined.",
    )
    automation_authors: list[str] = Field(
        default_factory=list,
        description="Authors (ids or names) whose public replies are automatic, not a person's.",
    )
    options: dict[str, Any] = Field(
        default_factory=dict, description="Settings of the tool's reader (see its docs)."
    )
    tables: Tables | None = Field(default=None, description="Reader 'table': the files.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {value!r} (an IANA name)") from None
        return value

    def status_meanings(self) -> StatusMeanings:
        """The statuses that resolve and close a ticket, as the clock reads them."""
        return StatusMeanings(
            resolved=frozenset(s for s, m in self.statuses.items() if m == "resolved"),
            closed=frozenset(s for s, m in self.statuses.items() if m == "closed"),
        )

    def paused_statuses(self) -> frozenset[str]:
        """The statuses that wait on someone other than the provider."""
        return frozenset(s for s, m in self.statuses.items() if m == "paused")


def builtin_profiles() -> dict[str, Path]:
    """The built-in profiles by name."""
    return {path.stem: path for path in sorted(PROFILES_DIR.glob("*.yaml"))}


def load_profile(name_or_path: str | Path) -> Profile:
    """A built-in profile by name, or a profile file by path. Raises :class:`ProfileError`
    naming the file and line of every problem."""
    path = Path(name_or_path)
    known = builtin_profiles()
    if str(name_or_path) in known:
        path = known[str(name_or_path)]
    elif not path.is_file():
        raise ProfileError(
            f"no profile {str(name_or_path)!r}; hint: use one of {', '.join(known)} or the path "
            "of a profile file"
        )
    return read_profile(path.read_text(encoding="utf-8"), str(path))


def read_profile(text: str, file: str) -> Profile:
    """A profile from YAML text; errors name ``file`` and the line."""
    try:
        data, source = parse_yaml(text, file)
    except YamlSyntaxError as exc:
        raise ProfileError(f"{file}:{exc.line or 1}: {exc.message}") from None
    if not isinstance(data, Mapping):
        raise ProfileError(f"{file}:1: a profile is a mapping of keys to values")
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            line, column = source.position(loc) or (1, 1)
            where = ".".join(str(part) for part in loc) or "(top)"
            problems.append(f"{file}:{line}:{column}: {where}: {error['msg']}")
        raise ProfileError("\n".join(problems)) from None
