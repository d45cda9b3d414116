"""Read the timestamps of an export as UTC instants, one rule for every profile.

ISO 8601 first (with ``Z`` or an offset it is an instant; fractions beyond microseconds are
truncated), then the profile's ``strptime`` formats. A time without an offset is read in the
zone the user states (or the profile's default) and never silently as UTC: with neither, the
import stops with :class:`ZoneNeeded`. Wall times in a repeated hour are read as the first
occurrence; in a skipped hour, with the offset before the change (``zoneinfo``, ``fold=0``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc

from clearpact.clock.tables import INSTANT

EARLIEST_YEAR = 1980
LATEST_YEAR = 2100
"""Years outside these are placeholders ("0001-01-01", "1900-01-01"), not times."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DATE_ONLY = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")


class ZoneNeeded(ValueError):
    """Times without an offset and no zone stated: the import cannot go on. ``text`` is the
    first such time found, so the caller can name its file and row."""

    def __init__(self, text: str) -> None:
        super().__init__(
            f"times such as {text!r} carry no zone offset; hint: state the zone they were "
            "written in with --timezone (clearpact never assumes UTC)"
        )
        self.text = text


@dataclass(frozen=True)
class ParsedTimes:
    """Instants (null where unreadable) and, where unreadable, why."""

    instants: pa.Array
    """``timestamp[us, UTC]``."""
    reasons: pa.Array
    """Strings; null where the time was read."""


def parse_times(
    texts: pa.Array | pa.ChunkedArray,
    *,
    zone: str | None,
    formats: Sequence[str] = (),
) -> ParsedTimes:
    """Parse ``texts`` (strings; null = no time) to instants.

    Each distinct text is parsed once. Raises :class:`ZoneNeeded` for a time without an offset
    when ``zone`` is None.

    >>> parsed = parse_times(pa.array(["2025-03-07T14:00:00Z", "?"]), zone=None)
    >>> parsed.instants.to_pylist()[0].isoformat(), parsed.reasons.to_pylist()[1]
    ('2025-03-07T14:00:00+00:00', "unreadable time '?'")
    """
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    texts = pc.cast(texts, pa.string())
    encoded = pc.dictionary_encode(texts)
    assert isinstance(encoded, pa.DictionaryArray)
    tz = ZoneInfo(zone) if zone else None
    values: list[int | None] = []
    reasons: list[str | None] = []
    naive: str | None = None
    for text in encoded.dictionary.to_pylist():
        moment, reason = _parse(text, formats)
        if moment is not None and moment.tzinfo is None:
            if tz is None:
                naive = naive or text
                moment, reason = None, "no zone"
            else:
                moment = moment.replace(tzinfo=tz)
        if moment is not None:
            values.append((moment - _EPOCH) // _MICROSECOND)
            reasons.append(None)
        else:
            values.append(None)
            reasons.append(reason)
    if naive is not None:
        raise ZoneNeeded(naive)
    indices = encoded.indices
    micros = pa.array(values, pa.int64()).take(indices)
    missing = pa.array(["no time"] * len(texts), pa.string())
    why = pc.if_else(pc.is_null(texts), missing, pa.array(reasons, pa.string()).take(indices))
    return ParsedTimes(micros.cast(INSTANT), why)


_MICROSECOND = timedelta(microseconds=1)


def _parse(text: str, formats: Sequence[str]) -> tuple[datetime | None, str | None]:
    stripped = text.strip()
    if not stripped:
        return None, "no time"
    if _DATE_ONLY.match(stripped):
        return None, f"a date without a time {text!r}"
    moment: datetime | None = None
    try:
        moment = datetime.fromisoformat(stripped)
    except ValueError:
        for layout in formats:
            try:
                moment = datetime.strptime(stripped, layout)
                break
            except ValueError:
                continue
    if moment is None:
        return None, f"unreadable time {text!r}"
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        return None, f"a placeholder, not a time {text!r}"
    return moment, None
