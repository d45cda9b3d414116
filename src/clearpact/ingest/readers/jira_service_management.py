"""The Jira Service Management reader: ``/rest/api/2/search`` pages fetched with
``expand=changelog,names``, and ``/rest/api/2/status`` (``statuses.json``).

One row per issue (``key=ITS-101``), per changelog history (``ITS-101 history id=101011``: its
items share the history's ``created``), per comment (``ITS-101 comment id=121010``) and per status
definition (``id=10001``, read only to name status ids). Imports the export's types only; the
importer judges times (``…-0500`` offsets included), statuses and priorities.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from clearpact.ingest.export import Export
from clearpact.ingest.importer import ImportFailed
from clearpact.ingest.profile import Profile

DEFAULTS: dict[str, Any] = {
    "search_files": "search_page*.json",
    "statuses_file": "statuses.json",
    "customer_field": "Organizations",
    "automation_account_types": ["app"],
    "customer_account_types": ["customer"],
    "change_fields": {"status": "status", "priority": "priority", "assignee": "assignment"},
}
"""``profile.options`` and what each means when the profile leaves it out:

- ``search_files``: glob of the search pages (read in ``startAt`` order);
- ``statuses_file``: the ``/rest/api/2/status`` list, to name changelog status ids;
- ``customer_field``: the field that names the customer: its id (``customfield_10002``) or its
  name in the pages' ``names`` (``Organizations``, whose id differs per site); a list of
  organizations gives the first one's ``name``;
- ``automation_account_types``: comment authors' ``accountType`` values that are automatic;
- ``customer_account_types``: ``accountType`` values that are the customer's;
- ``change_fields``: changelog items' ``fieldId`` (else ``field``) → canonical event kind; other
  items (``resolution``, …) are not read.
"""

IGNORED_HISTORY = "a changelog history with no item this profile reads (resolution, other fields)"
IGNORED_STATUS = "a status definition: read to name changelog status ids"


def read(root: Path, profile: Profile, export: Export) -> None:
    """Report every issue, changelog history, comment and status of the export in ``root``.

    Status and priority at creation are the old value of the earliest change of that field
    (histories ordered by id: Jira's ids grow with time, and times are the importer's to read),
    else the current value. A status id that ``statuses.json`` names gets that name (the
    changelog keeps the name of the day); other statuses pass as written, for the importer to
    check against the profile. An issue whose changelog or comments the page holds only in part
    keeps what is there, and the shortfall is quarantined as a value of the issue's row.
    Raises :class:`ImportFailed` naming a file that is missing or not the API's JSON.
    """
    options = {**DEFAULTS, **profile.options}
    statuses = _read_statuses(root, str(options["statuses_file"]), export)
    for file, names, issue in _issues(root, str(options["search_files"])):
        key = _text(issue.get("key"))
        fields = _mapping(issue.get("fields"))
        histories = sorted(_list(_mapping(issue.get("changelog")), "histories"), key=_id_order)
        comments = _list(_mapping(fields.get("comment")), "comments")
        row = f"key={key}"
        status, status_field = _at_creation(histories, "status", statuses)
        if status_field is None:
            current = _mapping(fields.get("status"))
            status = statuses.get(str(current.get("id")), _text(current.get("name")))
            status_field = "fields.status.name"
        priority, priority_field = _at_creation(histories, "priority", {})
        if priority_field is None:
            priority = _text(_mapping(fields.get("priority")).get("name"))
            priority_field = "fields.priority.name"
        export.ticket(
            file,
            row,
            ticket_id=key,
            created_at=fields.get("created"),
            priority=priority,
            status=status,
            customer=_customer(fields, names, str(options["customer_field"])),
            fields={
                "created_at": "fields.created",
                "priority": priority_field,
                "status": status_field,
            },
        )
        _report_shortfall(file, row, key, issue.get("changelog"), len(histories), export)
        _report_shortfall(file, row, key, fields.get("comment"), len(comments), export)
        for history in histories:
            _read_history(file, key, history, statuses, options, export)
        for comment in comments:
            export.event(
                file,
                f"{key} comment id={_text(comment.get('id'))}",
                ticket_id=key,
                at=comment.get("created"),
                kind="reply",
                value=_author(comment, profile, options),
                fields={"ticket_id": "key", "at": "created", "value": "author.accountType"},
            )


def _read_statuses(root: Path, name: str, export: Export) -> dict[str, str]:
    """Status id → name; each status counted as an ignored row."""
    data = _load(root, name)
    if not isinstance(data, list):
        raise ImportFailed(f"{root / name}: expected a JSON list of statuses, as the API returns")
    names: dict[str, str] = {}
    for status in data:
        status_id = _text(_mapping(status).get("id"))
        export.row(name, f"id={status_id}", ignored=IGNORED_STATUS)
        if status_id is not None and _mapping(status).get("name") is not None:
            names[status_id] = str(status["name"])
    return names


def _issues(root: Path, pattern: str) -> Iterator[tuple[str, Mapping[str, Any], dict[str, Any]]]:
    """(file, the page's ``names``, issue) for every issue of every page, pages by ``startAt``."""
    pages = []
    for path in root.glob(pattern):
        file = str(path.relative_to(root))
        page = _load(root, file)
        if not isinstance(page, dict) or not isinstance(page.get("issues"), list):
            raise ImportFailed(f"{path}: expected a search page (a JSON object with 'issues')")
        start = page.get("startAt")
        pages.append((start if isinstance(start, int) else 0, file, page))
    if not pages:
        raise ImportFailed(f"{root / pattern}: no such file (the Jira search pages)")
    for _, file, page in sorted(pages, key=lambda item: (item[0], item[1])):
        names = _mapping(page.get("names"))
        for number, issue in enumerate(page["issues"], 1):
            if not isinstance(issue, dict):
                raise ImportFailed(f"{root / file}: issue {number} is not a JSON object")
            yield file, names, issue


def _report_shortfall(
    file: str, row: str, key: str | None, part: object, held: int, export: Export
) -> None:
    """Quarantine ``total`` of a changelog or comment list that holds fewer than ``total``
    (``/search`` embeds at most 100 histories per issue)."""
    total = _mapping(part).get("total")
    if not isinstance(total, int) or total <= held:
        return
    what, field, fetch = (
        ("histories", "changelog.total", "changelog")
        if "histories" in _mapping(part)
        else ("comments", "fields.comment.total", "comment")
    )
    export.reject(
        file,
        row,
        field=field,
        value=total,
        ticket_id=key,
        reason=f"the page holds {held} of {total} {what}; the others are not read (hint: "
        f"fetch /rest/api/2/issue/{key}/{fetch} and add them to the page)",
    )


def _at_creation(
    histories: list[dict[str, Any]], field: str, names: Mapping[str, str]
) -> tuple[str | None, str | None]:
    """The old value of the earliest change of ``field`` and the name of where it was read;
    (None, None) when nothing changed it."""
    for history in histories:
        for item in _list(history, "items"):
            if _field(item) == field:
                old = names.get(str(item.get("from")), _text(item.get("fromString")))
                return old, f"items[{field}].fromString"
    return None, None


def _read_history(
    file: str,
    key: str | None,
    history: Mapping[str, Any],
    statuses: Mapping[str, str],
    options: Mapping[str, Any],
    export: Export,
) -> None:
    """The history's status, priority and assignee items as events; else an ignored row."""
    row = f"{key} history id={_text(history.get('id'))}"
    kinds: Mapping[str, str] = options["change_fields"]
    reported = False
    for item in _list(history, "items"):
        field = _field(item)
        kind = kinds.get(field or "")
        if kind is None:
            continue
        if kind == "assignment":
            value, value_field = _text(item.get("to")), f"items[{field}].to"
        elif kind == "status":
            value = statuses.get(str(item.get("to")), _text(item.get("toString")))
            value_field = f"items[{field}].toString"
        else:
            value, value_field = _text(item.get("toString")), f"items[{field}].toString"
        export.event(
            file,
            row,
            ticket_id=key,
            at=history.get("created"),
            kind=kind,
            value=value,
            fields={"ticket_id": "key", "at": "created", "value": value_field},
        )
        reported = True
    if not reported:
        export.row(file, row, ignored=IGNORED_HISTORY, ticket_id=key, ticket_field="key")


def _author(comment: Mapping[str, Any], profile: Profile, options: Mapping[str, Any]) -> str:
    """internal (``jsdPublic`` false; true when absent) | automation | customer | agent."""
    if comment.get("jsdPublic") is False:
        return "internal"
    author = _mapping(comment.get("author"))
    kind = author.get("accountType")
    if author.get("accountId") in profile.automation_authors:
        return "automation"
    if kind in options["automation_account_types"]:
        return "automation"
    return "customer" if kind in options["customer_account_types"] else "agent"


def _customer(fields: Mapping[str, Any], names: Mapping[str, Any], wanted: str) -> str | None:
    """The customer field's value, by id or by its name in ``names``; a list gives its first."""
    field = wanted if wanted in fields else next((k for k, v in names.items() if v == wanted), None)
    value = fields.get(field) if field is not None else None
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, Mapping):
        value = value.get("name", value.get("value"))
    return _text(value)


def _field(item: Mapping[str, Any]) -> str | None:
    return _text(item.get("fieldId") or item.get("field"))


def _id_order(history: Mapping[str, Any]) -> tuple[int, str]:
    text = str(history.get("id"))
    return (int(text), text) if text.isdigit() else (0, text)


def _load(root: Path, name: str) -> Any:
    path = root / name
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ImportFailed(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailed(f"{path}: not JSON ({exc})") from None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(record: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    value = record.get(key)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text(value: object) -> str | None:
    return None if value is None else str(value)
