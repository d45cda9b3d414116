"""Load an agreement from YAML: every problem collected with file, line, column and key path.

The only module of ``clearpact.agreement`` that reads files. Diagnostics codes:
CP100 not YAML, CP101 wrong value, CP102 unknown field, CP103 missing field, CP104 duplicate key,
CP105 not an agreement document, CP106 invalid amendment, CP107 file cannot be read.
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from clearpact.agreement.model import SPEC_VERSION, Agreement
from clearpact.agreement.versions import apply_changes
from clearpact.agreement.yamlsource import SourceMap, YamlSyntaxError, parse_yaml
from clearpact.diagnostics import Diagnostic, Severity, SourceLocation


class AgreementError(Exception):
    """The agreement could not be loaded; ``diagnostics`` holds every problem found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.render() for d in diagnostics))


@dataclass(frozen=True)
class AgreementDocument:
    """A loaded agreement with the source positions of its keys (for locating lint findings)."""

    agreement: Agreement
    source: SourceMap

    def locate(self, path: str) -> SourceLocation:
        """The place in the file of a dotted path such as ``slas.resolution.targets.P2``."""
        return locate_path(self.source, split_path(path), key=False)


def load(path: str | Path) -> Agreement:
    """Read and validate the agreement at ``path``; raise :class:`AgreementError` with all
    problems at once."""
    return load_document(path).agreement


def load_document(path: str | Path) -> AgreementDocument:
    """Like :func:`load`, keeping the source map."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise AgreementError(
            [
                Diagnostic(
                    "CP107", Severity.ERROR, f"cannot read the file: {reason}", SourceLocation(file)
                )
            ]
        ) from None
    return load_text(text, file)


def load_text(text: str, file: str = "<agreement>") -> AgreementDocument:
    """Validate an agreement given as YAML text; ``file`` names it in diagnostics."""
    try:
        data, source = parse_yaml(text, file)
    except YamlSyntaxError as exc:
        code = "CP104" if "duplicate key" in exc.message else "CP100"
        location = SourceLocation(file, exc.line, exc.column)
        raise AgreementError([Diagnostic(code, Severity.ERROR, exc.message, location)]) from None
    if not isinstance(data, dict):
        raise AgreementError(
            [
                Diagnostic(
                    "CP105",
                    Severity.ERROR,
                    f"expected a mapping with 'version: {SPEC_VERSION}' at the top, "
                    f"found {_describe(data)}",
                    SourceLocation(file, 1, 1),
                    hint="start from `clearpact init`, which writes a commented starter agreement",
                )
            ]
        )
    return validate_data(data, source)


def validate_data(data: dict[str, Any], source: SourceMap) -> AgreementDocument:
    """Validate parsed data, then each amendment's result; raise with every diagnostic."""
    diagnostics: list[Diagnostic] = []
    agreement: Agreement | None = None
    try:
        agreement = Agreement.model_validate(data)
    except ValidationError as exc:
        diagnostics.extend(validation_diagnostics(exc, data, source))
    if agreement is not None:
        diagnostics.extend(_check_amendments(data, source))
    if diagnostics or agreement is None:
        raise AgreementError(diagnostics)
    return AgreementDocument(agreement, source)


def _check_amendments(data: dict[str, Any], source: SourceMap) -> list[Diagnostic]:
    """Each amendment, applied in order, must give a valid agreement."""
    diagnostics = []
    current = data
    for index, amendment in enumerate(data.get("versions") or []):
        changes = amendment.get("changes") or {}
        base: tuple[str | int, ...] = ("versions", index, "changes")
        try:
            current = apply_changes(current, changes)
        except KeyError as exc:
            path = str(exc.args[0])
            diagnostics.append(
                Diagnostic(
                    "CP106",
                    Severity.ERROR,
                    f"amendment {amendment.get('version')!r} changes '{path}', "
                    "which is not a path in the agreement",
                    locate_path(source, (*base, path), key=True),
                    hint="write the dotted path of an existing value, e.g. 'slas.resolution.targets.P2'",
                )
            )
            continue
        try:
            Agreement.model_validate(current)
        except ValidationError as exc:
            for diagnostic in validation_diagnostics(exc, current, source):
                loc = diagnostic.location
                changed = _changed_key(changes, loc.path if loc else "")
                diagnostics.append(
                    Diagnostic(
                        "CP106",
                        Severity.ERROR,
                        f"amendment {amendment.get('version')!r} makes the agreement invalid: "
                        f"{diagnostic.message}",
                        locate_path(source, (*base, changed) if changed else base, key=False),
                        diagnostic.hint,
                    )
                )
    return diagnostics


def _changed_key(changes: dict[str, Any], path: str) -> str | None:
    for key in changes:
        if path == key or path.startswith(key + ".") or key.startswith(path + "."):
            return key
    return None


def split_path(path: str) -> tuple[str | int, ...]:
    """``"slas.resolution.targets.P2"`` or ``"governance.meetings[0].cadence"`` as a tuple."""
    parts: list[str | int] = []
    for piece in path.replace("[", ".[").split("."):
        if not piece:
            continue
        if piece.startswith("[") and piece.endswith("]") and piece[1:-1].isdigit():
            parts.append(int(piece[1:-1]))
        else:
            parts.append(piece)
    return tuple(parts)


def join_path(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """The inverse of :func:`split_path`."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def locate_path(source: SourceMap, path: tuple[str | int, ...], *, key: bool) -> SourceLocation:
    """Where ``path`` is in the source: its key (``key``) or its value, else its nearest ancestor."""
    position = source.position(path, prefer="key" if key else "value")
    line, column = position if position else (None, None)
    return SourceLocation(source.file, line, column, join_path(path))


def _data_path(loc: tuple[str | int, ...], data: Any) -> tuple[str | int, ...]:
    """Pydantic's ``loc`` reduced to the path through the data: union tags and ``[key]``
    markers are not keys of the document, so they are dropped."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict):
            match = next((k for k in node if _same_key(k, part)), _MISSING)
            if match is not _MISSING:
                path.append(_key_name(match))
                node = node[match]
                continue
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
            continue
        # Anything else is a union tag or a '[key]' marker, not a place in the document.
    return tuple(path)


_MISSING = object()


def _same_key(key: Any, part: str | int) -> bool:
    return key == part or _key_name(key) == str(part)


def _key_name(key: Any) -> str:
    return key.isoformat() if isinstance(key, dt.date) else str(key)


def validation_diagnostics(
    exc: ValidationError,
    data: dict[str, Any],
    source: SourceMap,
    root: type[BaseModel] = Agreement,
) -> list[Diagnostic]:
    """Pydantic's errors for ``data`` validated as ``root``, as diagnostics located in the
    source (CP101 wrong value, CP102 unknown field with the nearest valid one, CP103 missing
    field), in reading order. Other YAML documents (the evidence register) reuse it."""
    diagnostics: list[Diagnostic] = []
    seen: set[tuple[str, str]] = set()
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        path = _data_path(loc, data)
        diagnostic = _diagnostic(error, loc, path, source, root)
        identity = (diagnostic.code, join_path(path))
        if identity in seen:
            continue  # one union member's complaint is enough per place
        seen.add(identity)
        diagnostics.append(diagnostic)
    return sorted(diagnostics, key=_reading_order)


def _reading_order(diagnostic: Diagnostic) -> tuple[int, int]:
    location = diagnostic.location
    if location is None or location.line is None:
        return (0, 0)
    return (location.line, location.column or 0)


def _diagnostic(
    error: Any,
    loc: tuple[str | int, ...],
    path: tuple[str | int, ...],
    source: SourceMap,
    root: type[BaseModel],
) -> Diagnostic:
    kind = error["type"]
    where = join_path(path[:-1]) or "the top level"
    if kind == "extra_forbidden":
        name = str(path[-1]) if path else str(loc[-1])
        allowed = _field_names(loc[:-1], root)
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else (f"allowed here: {', '.join(allowed)}" if allowed else None)
        )
        return Diagnostic(
            "CP102",
            Severity.ERROR,
            f"unknown field '{name}' in {where}",
            locate_path(source, path, key=True),
            hint,
        )
    if kind == "missing":
        name = str(loc[-1])
        described = _field_description(loc, root)
        where = join_path(path) or "the top level"
        return Diagnostic(
            "CP103",
            Severity.ERROR,
            f"missing required field '{name}' in {where}",
            locate_path(source, path, key=True),
            f"add '{name}:' — {described}" if described else f"add '{name}:'",
        )
    value = error.get("input")
    message = _clean(error["msg"])
    ctx = error.get("ctx") or {}
    options: list[str] = []
    if kind == "union_tag_invalid":
        tag_field = str(ctx.get("discriminator", "")).strip("'")
        options = [o.strip(" '") for o in str(ctx.get("expected_tags", "")).split(",")]
        value = ctx.get("tag")
        path = (*path, tag_field)
        message = f"must be one of {', '.join(repr(o) for o in options)}"
    elif ctx.get("expected"):
        options = [o.strip(" '") for o in str(ctx["expected"]).replace(" or ", ",").split(",")]
    hint = None
    if isinstance(value, str) and options:
        close = difflib.get_close_matches(value, options, n=1, cutoff=0.5)
        if close:
            hint = f"did you mean '{close[0]}'?"
    if not isinstance(value, dict | list) and repr(value) not in message:
        message += f"; found {_describe(value)}"
    field = join_path(path) or "the document"
    return Diagnostic(
        "CP101",
        Severity.ERROR,
        f"{field}: {message}",
        locate_path(source, path, key=False),
        hint,
    )


def _clean(message: str) -> str:
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message[0].lower() + message[1:] if message else message


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    return repr(value)


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types an annotation may hold (Optional, unions and Annotated opened)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def _types_at(loc: tuple[str | int, ...], root: type[BaseModel]) -> list[Any]:
    """Walk the model's annotations along ``loc`` (tags and ``[key]`` markers included)."""
    current: list[Any] = [root]
    for part in loc:
        following: list[Any] = []
        for candidate in current:
            origin = typing.get_origin(candidate)
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                field = candidate.model_fields.get(str(part))
                if field is not None:
                    following.extend(_unwrap(field.annotation))
                elif _is_tag_of(candidate, part):
                    following.append(candidate)
            elif origin is dict:
                following.extend(_unwrap(typing.get_args(candidate)[1]))
            elif origin is list and isinstance(part, int):
                following.extend(_unwrap(typing.get_args(candidate)[0]))
        if not following:
            # A union tag or marker: stay on the same types.
            following = current
        current = following
    return current


def _is_tag_of(model: type[BaseModel], part: str | int) -> bool:
    for field in model.model_fields.values():
        if typing.get_origin(field.annotation) is typing.Literal and part in typing.get_args(
            field.annotation
        ):
            return True
    return False


def _field_names(loc: tuple[str | int, ...], root: type[BaseModel]) -> list[str]:
    names: list[str] = []
    for candidate in _types_at(loc, root):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            names.extend(n for n in candidate.model_fields if n not in names)
    return names


def _field_description(loc: tuple[str | int, ...], root: type[BaseModel]) -> str | None:
    for candidate in _types_at(loc[:-1], root):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            field = candidate.model_fields.get(str(loc[-1]))
            if field is not None and field.description:
                return field.description
        if isinstance(candidate, type) and issubclass(candidate, Enum):
            return None
    return None
