"""The weights, thresholds and recommended actions of the customer-health score: a YAML profile
(``health_profile.yaml`` is the documented default; ``docs/health.md`` explains every key), a
user's profile laid over it key by key. Reads only the packaged default; the caller passes the
text of any other file. Imports pydantic and ruamel.yaml.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

_Strict = ConfigDict(extra="forbid", frozen=True)

SIGNALS: dict[str, tuple[str, ...]] = {
    "service_quality": ("recent_breach_rate", "peak_breach_rate", "average_breach_rate"),
    "responsiveness": ("first_response_trend", "resolution_trend"),
    "satisfaction": ("csat_level", "csat_trend"),
    "governance": ("overdue_obligations", "skipped_meetings", "unanswered_escalations"),
    "expectation_gaps": ("open_gaps",),
    "commercial": ("renewal_proximity", "contract_age"),
}
"""Every group and the signals the code computes for it, in the order they are shown."""


class ProfileError(ValueError):
    """A health profile that cannot be read or is invalid; the message names the key."""


class SignalSpec(BaseModel):
    """How one signal is weighted and scored: 1 at ``good``, 0 at ``bad``, a straight line
    between (clipped); ``good`` above ``bad`` means higher is better."""

    model_config = _Strict

    weight: float = Field(ge=0, description="Relative weight within the group.")
    good: float = Field(description="The raw value that scores 1 (and beyond it).")
    bad: float = Field(description="The raw value that scores 0 (and beyond it).")
    action: str = Field(description="What to do when this signal is the worst driver.")

    @model_validator(mode="after")
    def _apart(self) -> SignalSpec:
        if self.good == self.bad:
            raise ValueError("good and bad must differ")
        return self

    def normalise(self, raw: float) -> float:
        """The raw value on the 0–1 scale (1 is healthy).

        >>> SignalSpec(weight=1, good=0, bad=4, action="").normalise(1)   # (4-1)/(4-0)
        0.75
        >>> SignalSpec(weight=1, good=24, bad=6, action="").normalise(30)          # beyond good
        1.0
        """
        return min(1.0, max(0.0, (self.bad - raw) / (self.bad - self.good)))


class GroupSpec(BaseModel):
    """A group of signals and its relative weight among the groups."""

    model_config = _Strict

    weight: float = Field(ge=0, description="Relative weight among the groups.")
    signals: dict[str, SignalSpec] = Field(description="The group's signals by name.")


class Bands(BaseModel):
    """Score thresholds: ``healthy`` at or above ``healthy``, ``watch`` at or above ``watch``,
    else ``at_risk``."""

    model_config = _Strict

    healthy: float = Field(ge=0, le=100)
    watch: float = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> Bands:
        if self.watch > self.healthy:
            raise ValueError("watch must not be above healthy")
        return self


class HealthProfile(BaseModel):
    """A whole profile; see ``health_profile.yaml``."""

    model_config = _Strict

    version: str = Field(pattern=r"^clearpact/health-v1$")
    name: str
    bands: Bands
    steady_within: float = Field(ge=0)
    recent_months: int = Field(ge=1)
    history_months: int = Field(ge=1)
    min_history_months: int = Field(ge=1)
    min_judged: int = Field(ge=1)
    min_answers: int = Field(ge=1)
    first_year_factor: float = Field(ge=1)
    groups: dict[str, GroupSpec]

    @model_validator(mode="after")
    def _known(self) -> HealthProfile:
        for group, spec in self.groups.items():
            if group not in SIGNALS:
                raise ValueError(f"unknown group '{group}' (known: {', '.join(SIGNALS)})")
            for signal in spec.signals:
                if signal not in SIGNALS[group]:
                    known = ", ".join(SIGNALS[group])
                    raise ValueError(f"unknown signal '{group}.{signal}' (known: {known})")
        if self.history_months <= self.recent_months:
            raise ValueError("history_months must be above recent_months")
        return self

    def signal(self, group: str, name: str) -> SignalSpec | None:
        """The spec of one signal, or None when the profile leaves it out."""
        spec = self.groups.get(group)
        return None if spec is None else spec.signals.get(name)


def _yaml(text: str, source: str) -> dict[str, Any]:
    try:
        data = YAML(typ="safe").load(text)
    except YAMLError as exc:
        raise ProfileError(f"{source}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ProfileError(f"{source}: a health profile is a mapping (version, bands, groups …)")
    return data


def _laid_over(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` merged into ``base``: mappings key by key, anything else replaced."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _laid_over(out[key], value)
        else:
            out[key] = value
    return out


def _default_text() -> str:
    return (
        resources.files("clearpact.governance")
        .joinpath("health_profile.yaml")
        .read_text(encoding="utf-8")
    )


@cache
def default_profile() -> HealthProfile:
    """The packaged default profile (``health_profile.yaml``)."""
    return load_profile(None)


def load_profile(text: str | None, source: str = "profile") -> HealthProfile:
    """The default profile with ``text`` (a YAML profile, possibly partial) laid over it; the
    default alone when ``text`` is None. ``ProfileError`` names the first invalid key.

    >>> load_profile("bands: {healthy: 80}\\nname: strict").bands.healthy
    80.0
    """
    data = _yaml(_default_text(), "health_profile.yaml")
    if text is not None:
        data = _laid_over(data, _yaml(text, source))
    try:
        return HealthProfile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top)"
        raise ProfileError(f"{source}: {where}: {first['msg']}") from None
