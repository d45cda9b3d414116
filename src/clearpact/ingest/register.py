"""Read and write the evidence register file, ``<agreement-stem>.register.yaml`` beside the
agreement: every problem collected with file, line and column, as the agreement loader does.

An adapter: the only module that reads or writes register files. Writing keeps the file's
comments and order (ruamel.yaml round trip) and never leaves an invalid register behind.
Diagnostic codes: CP100–CP104 and CP107 as for agreements; CP108 not a register document;
CP109 an entry names something the agreement does not have (docs/register.md).
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from clearpact.agreement.loader import locate_path, validation_diagnostics
from clearpact.agreement.model import Agreement
from clearpact.agreement.yamlsource import SourceMap, YamlSyntaxError, parse_yaml
from clearpact.diagnostics import Diagnostic, Severity, SourceLocation
from clearpact.durations import Duration
from clearpact.governance.references import unknown_references
from clearpact.governance.register import REGISTER_VERSION, Register


class RegisterError(Exception):
    """The register could not be read or would not be valid; ``diagnostics`` says why."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.render() for d in diagnostics))


@dataclass(frozen=True)
class RegisterDocument:
    """A loaded register with the source positions of its keys."""

    register: Register
    source: SourceMap


def register_path(agreement: str | Path) -> Path:
    """Where the register of the agreement at ``agreement`` lives: ``acme.yaml`` →
    ``acme.register.yaml`` in the same folder."""
    path = Path(agreement)
    return path.with_name(f"{path.stem}.register.yaml")


def load_register(path: str | Path) -> RegisterDocument:
    """Read and validate the register at ``path``; raise :class:`RegisterError` with every
    problem at once (CP107 when the file cannot be read)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise RegisterError(
            [
                Diagnostic(
                    "CP107",
                    Severity.ERROR,
                    f"cannot read the file: {reason}",
                    SourceLocation(str(path)),
                )
            ]
        ) from None
    return load_register_text(text, str(path))


def load_register_text(text: str, file: str = "<register>") -> RegisterDocument:
    """Validate a register given as YAML text; ``file`` names it in diagnostics. An empty
    text is an empty register."""
    try:
        data, source = parse_yaml(text, file)
    except YamlSyntaxError as exc:
        code = "CP104" if "duplicate key" in exc.message else "CP100"
        location = SourceLocation(file, exc.line, exc.column)
        raise RegisterError([Diagnostic(code, Severity.ERROR, exc.message, location)]) from None
    if not isinstance(data, dict):
        raise RegisterError(
            [
                Diagnostic(
                    "CP108",
                    Severity.ERROR,
                    f"expected a mapping with 'version: {REGISTER_VERSION}' at the top",
                    SourceLocation(file, 1, 1),
                    hint="`clearpact record …` creates the file with its first entry",
                )
            ]
        )
    try:
        register = Register.model_validate(data)
    except ValidationError as exc:
        raise RegisterError(validation_diagnostics(exc, data, source, Register)) from None
    return RegisterDocument(register, source)


def check_register(agreement: Agreement, document: RegisterDocument) -> list[Diagnostic]:
    """CP109 for each entry that names a meeting, report, DR service, escalation level or
    framework the agreement does not have, located in the register file."""
    return [
        Diagnostic(
            "CP109",
            Severity.ERROR,
            f"{unknown.message}",
            locate_path(document.source, unknown.path, key=False),
            unknown.hint,
        )
        for unknown in unknown_references(agreement, document.register)
    ]


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    return yaml


def _plain(value: Any) -> Any:
    """An entry's values as YAML writes them: dates stay dates, durations and enums become
    their text, lists of mappings become block lists."""
    if isinstance(value, BaseModel):
        value = value.model_dump(exclude_none=True, exclude_defaults=True)
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[key] = _plain(item)
        return mapping
    if isinstance(value, list):
        return CommentedSeq(_plain(item) for item in value)
    if isinstance(value, Duration):
        return value.text
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    return value


def _read_for_edit(path: Path, agreement_id: str | None) -> CommentedMap:
    if path.is_file():
        load_register(path)  # never edit a register that is already broken
        document = _yaml().load(path.read_text(encoding="utf-8"))
        if isinstance(document, CommentedMap):
            return document
    fresh = CommentedMap()
    fresh["version"] = REGISTER_VERSION
    if agreement_id:
        fresh["agreement"] = agreement_id
    fresh.yaml_set_start_comment(
        "Evidence register: what happened under the agreement (docs/register.md).\n"
        "Add entries with `clearpact record …`, or edit by hand."
    )
    return fresh


def _write(path: Path, document: CommentedMap) -> RegisterDocument:
    """Validate the edited document as it will be on disk, then replace the file in one
    rename; raise :class:`RegisterError` (and write nothing) when it would be invalid."""
    buffer = io.StringIO()
    _yaml().dump(document, buffer)
    text = buffer.getvalue()
    loaded = load_register_text(text, str(path))
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
    return loaded


def append_entry(
    path: str | Path, section: str, entry: BaseModel, *, agreement_id: str | None = None
) -> RegisterDocument:
    """Add ``entry`` at the end of the register's list ``section`` (e.g. ``meetings``),
    creating the file (``agreement_id`` as its check) when it does not exist."""
    file = Path(path)
    document = _read_for_edit(file, agreement_id)
    if not isinstance(document.get(section), list):
        document[section] = CommentedSeq()
    document[section].append(_plain(entry))
    return _write(file, document)


def close_action(path: str | Path, action_id: str, closed: dt.date) -> RegisterDocument:
    """Set ``closed`` on the action item with id ``action_id``; raise ``KeyError`` when no
    meeting of the register has it."""
    file = Path(path)
    document = _read_for_edit(file, None)
    for meeting in document.get("meetings") or []:
        for action in meeting.get("actions") or []:
            if action.get("id") == action_id:
                action["closed"] = closed
                return _write(file, document)
    raise KeyError(action_id)
