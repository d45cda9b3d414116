"""The readers of export shapes, by the name a profile gives in ``reader``.

A reader is ``read(root: Path, profile: Profile, export: Export) -> None``: it walks the export
at ``root`` and reports every source row into ``export``; it judges nothing that the importer
judges (times, statuses, priorities), and it raises :class:`~clearpact.ingest.importer.ImportFailed`
only when the export as a whole cannot be read (a required file missing, not JSON at all).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from clearpact.ingest.export import Export
from clearpact.ingest.profile import Profile, ProfileError

Reader = Callable[[Path, Profile, Export], None]

READERS = {
    "table": "clearpact.ingest.readers.table",
    "servicenow_log": "clearpact.ingest.readers.servicenow_log",
    "servicenow": "clearpact.ingest.readers.servicenow",
    "connectwise": "clearpact.ingest.readers.connectwise",
    "autotask": "clearpact.ingest.readers.autotask",
    "halopsa": "clearpact.ingest.readers.halopsa",
    "jira_service_management": "clearpact.ingest.readers.jira_service_management",
    "zendesk": "clearpact.ingest.readers.zendesk",
    "freshservice": "clearpact.ingest.readers.freshservice",
}
"""Reader name → module (each has a ``read`` function); imported when first used."""


def reader_for(profile: Profile) -> Reader:
    """The reader the profile names; :class:`ProfileError` when there is none."""
    module = READERS.get(profile.reader)
    if module is None:
        raise ProfileError(
            f"profile {profile.name!r}: no reader {profile.reader!r}; hint: one of "
            + ", ".join(READERS)
        )
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError:
        raise ProfileError(
            f"profile {profile.name!r}: the {profile.reader} reader is not yet supported"
        ) from None
    read: Reader = loaded.read
    return read
