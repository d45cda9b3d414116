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

import numpy as np
import numpy.typing as npt
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
    dictionary = encoded.dictionary
    fast, done = _fast(dictionary, tz)
    values: list[int | None] = fast.tolist()
    reasons: list[str | None] = [None] * len(values)
    naive: str | None = None
    for index in np.flatnonzero(~done).tolist():
        text = dictionary[index].as_py()
        moment, reason = _parse(text, formats)
        if moment is not None and moment.tzinfo is None:
            if tz is None:
                naive = naive or text
                moment, reason = None, "no zone"
            else:
                moment = moment.replace(tzinfo=tz)
        if moment is not None:
            values[index] = (moment - _EPOCH) // _MICROSECOND
        else:
            values[index] = None
            reasons[index] = reason
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


_ISO = (
    r"^(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<clock>\d{2}:\d{2})(?P<seconds>:\d{2})?"
    r"(?:\.(?P<fraction>\d{1,9}))?(?P<utc>Z)?$"
)
_HOUR = 3_600_000_000


def _fast(
    texts: pa.Array, tz: ZoneInfo | None
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """The common shapes (``YYYY-MM-DD[T ]HH:MM[:SS][.f…][Z]``) read with Arrow at once:
    epoch µs, and which texts were read. The rest, and any text the rules below could read
    differently, go to :func:`_parse` one by one: impossible dates (Arrow rolls 30 February
    over), years outside the plausible range, zoneless times without a zone, and wall times in
    an hour whose UTC offset changes (the zone's transitions, read with ``fold=0`` there)."""
    count = len(texts)
    parts = pc.extract_regex(texts, _ISO)
    matched = np.asarray(parts.is_valid(), dtype=bool)
    if not matched.any():
        return np.zeros(count, np.int64), np.zeros(count, bool)
    date, clock = parts.field("date"), parts.field("clock")
    seconds = pc.if_else(pc.equal(parts.field("seconds"), ""), ":00", parts.field("seconds"))
    wall = pc.strptime(
        pc.binary_join_element_wise(date, pc.binary_join_element_wise(clock, seconds, ""), " "),
        format="%Y-%m-%d %H:%M:%S",
        unit="us",
        error_is_null=True,
    )
    same_day = pc.equal(pc.strftime(wall, format="%Y-%m-%d"), date)
    year = pc.year(wall)
    plausible = pc.and_(pc.greater_equal(year, EARLIEST_YEAR), pc.less_equal(year, LATEST_YEAR))
    ok = matched & np.asarray(pc.fill_null(pc.and_(same_day, plausible), False), dtype=bool)
    fraction = pc.utf8_rpad(parts.field("fraction"), width=9, padding="0")
    micros = pc.cast(pc.utf8_slice_codeunits(fraction, 0, 6), pa.int64())
    local = np.asarray(pc.fill_null(pc.cast(wall, pa.int64()), 0), dtype=np.int64)
    local = local + np.asarray(pc.fill_null(micros, 0), dtype=np.int64)
    utc = np.asarray(pc.equal(parts.field("utc"), "Z").fill_null(False), dtype=bool)
    zoneless = ok & ~utc
    if zoneless.any():
        if tz is None:
            ok &= utc  # the slow path says which text needs a zone
        else:
            offsets, steady = _hour_offsets(local[zoneless] // _HOUR, tz)
            local[zoneless] -= offsets
            ok[np.flatnonzero(zoneless)[~steady]] = False
    return local, ok


def _hour_offsets(
    hours: npt.NDArray[np.int64], tz: ZoneInfo
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """UTC offset (µs) of each local wall hour in ``tz`` (``fold=0``), and whether it holds for
    the whole hour (false across a transition: those wall times are read one by one)."""
    unique, inverse = np.unique(hours, return_inverse=True)
    offsets = np.zeros(len(unique), np.int64)
    steady = np.zeros(len(unique), bool)
    naive_epoch = datetime(1970, 1, 1)
    for index, hour in enumerate(unique.tolist()):
        start = naive_epoch + timedelta(microseconds=hour * _HOUR)
        end = start + timedelta(microseconds=_HOUR - 1)
        first = start.replace(tzinfo=tz).utcoffset()
        last = end.replace(tzinfo=tz).utcoffset()
        fold = start.replace(tzinfo=tz, fold=1).utcoffset()
        if first is not None and first == last == fold:
            offsets[index] = first // _MICROSECOND
            steady[index] = True
    return offsets[inverse], steady[inverse]
