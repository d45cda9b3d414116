"""The import profiles a demo folder ships: the built-in ConnectWise profile with the demo
board's own statuses (as an MSP copies and edits a built-in profile for its instance), the
built-in Zendesk profile, and a generic mapping of the CSAT survey export."""

from __future__ import annotations

import io
from pathlib import Path

from ruamel.yaml import YAML

from clearpact.demo import connectwise
from clearpact.ingest.profile import builtin_profiles, load_profile

BOARD_MEANINGS: dict[str, str] = {"Waiting Vendor": "paused", "Scheduled": "paused"}
"""The demo board's statuses that the built-in ConnectWise profile does not list."""

CSAT = """\
# The MSP's satisfaction-survey export (one answer per row), mapped to clearpact's surveys.
version: clearpact-profile/v1
name: demo-csat
tool: CSAT survey export (CSV, one answer per row)
reader: table
tables:
  surveys:
    file: csat.csv
    row_id: review_id
    columns:
      survey_id: review_id
      ticket_id: ticket_id
      customer: company_id
      at: rated_at
      rating: rating
      comment: comment
    ratings: {positive: 5, neutral: 3, negative: 1}
"""


def write_profiles(folder: Path) -> dict[str, Path]:
    """Write ``connectwise.yaml``, ``zendesk.yaml`` and ``csat.yaml`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    board = load_profile("connectwise")
    statuses: dict[str, str] = dict(board.statuses)
    for name in sorted(set(connectwise.STATUS_NAMES.values())):
        statuses.setdefault(name, BOARD_MEANINGS.get(name, "running"))
    edited = board.model_copy(update={"name": "demo-connectwise", "statuses": statuses}).model_dump(
        mode="json", exclude_defaults=True
    )
    edited["version"] = board.version
    yaml = YAML()
    text = io.StringIO()
    text.write("# The built-in connectwise profile, with this board's statuses added.\n")
    yaml.dump(edited, text)
    written["connectwise"] = folder / "connectwise.yaml"
    written["connectwise"].write_text(text.getvalue(), encoding="utf-8")
    written["zendesk"] = folder / "zendesk.yaml"
    written["zendesk"].write_text(
        builtin_profiles()["zendesk"].read_text(encoding="utf-8"), encoding="utf-8"
    )
    written["csat"] = folder / "csat.yaml"
    written["csat"].write_text(CSAT, encoding="utf-8")
    return written
