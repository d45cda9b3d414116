"""The ServiceNow Table API reader: incidents, their ``sys_audit`` rows, choice labels and users.

The export folder holds what ``GET /api/now/table/{table}`` returns with
``sysparm_display_value=false`` (codes, sys_ids, UTC times without a zone), one JSON file per
table: ``{"result": [...]}``. Incidents become tickets; audit rows of ``state``, ``priority`` and
``assigned_to`` become status, priority and assignment events; ``comments`` (customer-visible)
and ``work_notes`` (internal) journal rows become replies. Every other audit field, and every
``sys_choice`` / ``sys_user`` record (lookups), is counted as ignored. May import
:mod:`clearpact.ingest` only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from clearpact.ingest.export import Export
from clearpact.ingest.importer import ImportFailed
from clearpact.ingest.profile import Profile, ProfileError

STATUS = "state"
PRIORITY = "priority"
ASSIGNEE = "assigned_to"
PUBLIC_JOURNAL = "comments"
INTERNAL_JOURNAL = "work_notes"
"""The incident columns the reader turns into events (ServiceNow's own names, not settings)."""

Record = dict[str, Any]


class Options(BaseModel):
    """The reader's settings (``options:`` in a profile)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    incidents: str = Field(
        default="incident_raw.json",
        description="The incident table, read with sysparm_display_value=false.",
    )
    audit: str = Field(default="sys_audit.json", description="The sys_audit rows of the incidents.")
    choices: str = Field(default="sys_choice.json", description="sys_choice: code → label.")
    users: str = Field(default="sys_user.json", description="sys_user: sys_id → user_name.")
    table: str = Field(default="incident", description="The table the tickets come from.")
    customer_field: str = Field(
        default="company",
        description="Incident field (dotted path) of the customer; a reference gives its value "
        "(the sys_id).",
    )
    language: str = Field(default="en", description="sys_choice labels of this language first.")


def read(root: Path, profile: Profile, export: Export) -> None:
    """Read the ServiceNow export folder ``root`` into ``export`` (module docstring).

    Status and priority at creation are the ``oldvalue`` of the incident's first ``state`` /
    ``priority`` audit row (by ``record_checkpoint``, the update count), else the current value.
    A state code missing from ``sys_choice`` is passed on as the code (the importer quarantines
    it as an unknown status); an ``assigned_to`` sys_id missing from ``sys_user`` stays the
    sys_id. A comment is ``customer`` when written by the incident's caller, ``automation`` when
    its author is in the profile's ``automation_authors`` (user_name or sys_id), else ``agent``.
    Raises :class:`ImportFailed` naming a file that is missing or not a Table API JSON answer.
    """
    options = _options(profile)
    if not root.is_dir():
        raise ImportFailed(f"{root}: the ServiceNow reader reads a folder of Table API JSON files")
    incidents = _records(root, options.incidents)
    audit = _records(root, options.audit)
    labels = _choice_labels(_records(root, options.choices), options, export)
    user_names = _user_names(_records(root, options.users), options.users, export)
    user_ids = {name: sys_id for sys_id, name in user_names.items()}
    lookups = _Lookups(labels, user_names, user_ids, frozenset(profile.automation_authors))

    by_key: dict[str, Record] = {}
    for record in incidents:
        key = _text(record.get("sys_id"))
        if key is not None:
            by_key.setdefault(key, record)
    first_old = _first_old_values(audit, options.table)

    for record in incidents:
        key = _text(record.get("sys_id")) or ""
        number = _text(record.get("number"))
        state = first_old.get((key, STATUS)) or _value(record.get(STATUS))
        export.ticket(
            options.incidents,
            f"number={number}" if number is not None else f"sys_id={key}",
            ticket_id=number,
            created_at=_value(record.get("opened_at")),
            priority=first_old.get((key, PRIORITY)) or _value(record.get(PRIORITY)),
            status=labels.get((STATUS, state), state) if state is not None else None,
            customer=_value(_path(record, options.customer_field)),
            fields={"created_at": "opened_at", "priority": PRIORITY, "status": STATUS},
        )

    for index, row in enumerate(audit, start=1):
        locator = _locator(row, index)
        if row.get("tablename") != options.table:
            export.row(
                options.audit,
                locator,
                ignored=f"an audit row of another table than {options.table}",
            )
            continue
        document = _text(row.get("documentkey")) or ""
        incident = by_key.get(document)
        ticket_id = _text(incident.get("number")) if incident else document or None
        kind, value, value_field = lookups.meaning(row, incident)
        if kind is None:
            field = row.get("fieldname")
            export.row(
                options.audit,
                locator,
                ignored=f"field '{field}' is not read by this reader",
                ticket_id=ticket_id,
                ticket_field="documentkey",
            )
            continue
        export.event(
            options.audit,
            locator,
            ticket_id=ticket_id,
            at=_text(row.get("sys_created_on")),
            kind=kind,
            value=value,
            fields={"ticket_id": "documentkey", "at": "sys_created_on", "value": value_field},
        )


@dataclass(frozen=True)
class _Lookups:
    """What an audit row's codes and authors mean."""

    labels: dict[tuple[str, str], str]
    """(element, code) → sys_choice label."""
    user_names: dict[str, str]
    """sys_user sys_id → user_name."""
    user_ids: dict[str, str]
    """user_name → sys_id."""
    automation: frozenset[str]
    """The profile's automation authors (user_names or sys_ids)."""

    def meaning(self, row: Record, incident: Record | None) -> tuple[str | None, str | None, str]:
        """(event kind, raw value, the field the value comes from); kind None: not read."""
        field = row.get("fieldname")
        new = _text(row.get("newvalue")) or None
        if field == STATUS:
            return "status", self.labels.get((STATUS, new or ""), new), "newvalue"
        if field == PRIORITY:
            return "priority", new, "newvalue"
        if field == ASSIGNEE:
            return "assignment", self.user_names.get(new or "", new), "newvalue"
        if field == INTERNAL_JOURNAL:
            return "reply", "internal", "fieldname"
        if field != PUBLIC_JOURNAL:
            return None, None, "fieldname"
        author = _text(row.get("user")) or ""
        author_id = self.user_ids.get(author)
        caller = _value((incident or {}).get("caller_id"))
        if caller is not None and caller in (author, author_id):
            return "reply", "customer", "user"
        if author in self.automation or author_id in self.automation:
            return "reply", "automation", "user"
        return "reply", "agent", "user"


def _options(profile: Profile) -> Options:
    try:
        return Options.model_validate(profile.options)
    except ValidationError as exc:
        problems = "; ".join(
            f"options.{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ProfileError(f"profile {profile.name!r}: {problems}") from None


def _records(root: Path, name: str) -> list[Record]:
    """The records of one Table API answer (``{"result": [...]}``; a bare list is accepted)."""
    path = root / name
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ImportFailed(f"{path}: no such file; hint: export it from the Table API") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailed(f"{path}: not a JSON file ({exc})") from None
    if isinstance(data, Mapping):
        data = data.get("result")
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ImportFailed(f'{path}: expected a Table API answer, {{"result": [records]}}')
    return data


def _choice_labels(
    choices: list[Record], options: Options, export: Export
) -> dict[tuple[str, str], str]:
    """(element, code) → label for the incident table, the profile's language first; every
    choice record is counted as ignored (a lookup, not an event)."""
    for index, choice in enumerate(choices, start=1):
        export.row(options.choices, _locator(choice, index), ignored="a sys_choice label (lookup)")
    labels: dict[tuple[str, str], str] = {}
    # a label in the profile's language (or with none) wins over one in another language
    ranked = sorted(choices, key=lambda c: c.get("language") not in (options.language, "", None))
    for choice in ranked:
        element, code, label = (_text(choice.get(k)) for k in ("element", "value", "label"))
        if choice.get("name") == options.table and element and code is not None and label:
            labels.setdefault((element, code), label)
    return labels


def _user_names(users: list[Record], file: str, export: Export) -> dict[str, str]:
    """sys_id → user_name; every user record is counted as ignored (a lookup)."""
    names: dict[str, str] = {}
    for index, user in enumerate(users, start=1):
        export.row(file, _locator(user, index), ignored="a sys_user name (lookup)")
        sys_id, name = _text(user.get("sys_id")), _text(user.get("user_name"))
        if sys_id and name:
            names[sys_id] = name
    return names


def _first_old_values(audit: Iterable[Record], table: str) -> dict[tuple[str, str], str]:
    """(incident sys_id, field) → the ``oldvalue`` of its first state / priority audit row, in
    update-count order (times are not read here: the importer judges them)."""
    firsts: dict[tuple[str, str], tuple[int, int, str]] = {}
    for index, row in enumerate(audit):
        field = row.get("fieldname")
        old = _text(row.get("oldvalue"))
        if row.get("tablename") != table or field not in (STATUS, PRIORITY) or not old:
            continue
        key = (_text(row.get("documentkey")) or "", str(field))
        checkpoint = _text(row.get("record_checkpoint")) or ""
        order = (int(checkpoint) if checkpoint.isdigit() else 2**62, index, old)
        if key not in firsts or order < firsts[key]:
            firsts[key] = order
    return {key: old for key, (_, _, old) in firsts.items()}


def _locator(record: Record, index: int) -> str:
    sys_id = _text(record.get("sys_id"))
    return f"sys_id={sys_id}" if sys_id else f"record {index}"


def _path(record: Record, dotted: str) -> object:
    value: object = record
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _value(value: object) -> str | None:
    """A field's raw value as text: a reference's ``value``; ``""`` (ServiceNow's empty) → None."""
    if isinstance(value, Mapping):
        value = value.get("value")
    return _text(value) or None


def _text(value: object) -> str | None:
    if value is None or isinstance(value, Mapping | list):
        return None
    return str(value)
