"""The starter agreement that ``clearpact init`` writes: a commented template filled with a few
answers. Pure: reads its packaged template only.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from importlib import resources


@dataclass(frozen=True)
class StarterAnswers:
    """What ``init --interactive`` asks; the defaults give a working example."""

    provider: str = "Example Managed Services Ltd"
    customer: str = "Example Customer Ltd"
    currency: str = "EUR"
    monthly_fee: int = 5000
    timezone: str = "Europe/Berlin"
    holiday_country: str = "DE"
    start: str = "2026-01-01"


def render_starter(answers: StarterAnswers) -> str:
    """The starter YAML with the answers filled in (each as a quoted YAML scalar)."""
    template = resources.files("clearpact.agreement").joinpath("starter.yaml").read_text("utf-8")
    for key, value in asdict(answers).items():
        scalar = str(value) if isinstance(value, int) else json.dumps(value, ensure_ascii=False)
        template = template.replace(f"__{key.upper()}__", scalar)
    return template
