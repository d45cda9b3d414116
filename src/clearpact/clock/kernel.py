"""The SLA clock kernel: the tickets and events of a set of tickets → one result row per ticket per
ticket SLA (per cycle), with NumPy over Arrow columns and no per-ticket Python.

How it works: every ticket becomes a run of *points* (its creation, then its events in time
order). Each point starts a *segment* that lasts until the next point, and carries the state after
it (status, priority, stopped or not). For each SLA a segment is running, paused or stopped;
business time per segment is ``F(b) − F(a)`` on the calendar of the priority that applies
(:meth:`clearpact.calendar.Calendar.accrued`); sums, the segment where the target is reached and
the due instant come from cumulative sums per group and one inverse lookup.

Semantics (each policy comes from the agreement, or the default named in ``clock.rules``):
- the clock runs from its start event (creation, or the first assignment) to its stop event;
  segments in a pause status accrue nothing and are counted as paused time, clipped to the
  clock's life; a pause therefore extends the due instant in business time;
- a ticket created in a pause status starts paused; a response clock whose ticket is resolved
  before any response stops at the resolution (``unanswered``) and the row says so;
- priority changes: ``current_priority_from_original_start`` applies the target and calendar of
  the priority at the stop (or now) to the whole life; ``restart_at_change`` starts the clock
  again at the last change; ``keep_original_priority`` uses the priority at creation;
- reopening: ``resume`` continues the same clock (the time while resolved is not counted unless
  ``count_time_while_resolved``) and stops at the last resolution; ``new_cycle`` (or a reopening
  later than ``within``) starts a new row with a full target at the reopening;
- met means elapsed ≤ target; the due instant is the earliest instant at which running business
  time reaches the target; for a stopped clock that met its target it is when the target would
  have been reached had the clock kept running;
- events after ``as_of`` are ignored; events before creation are moved to the creation instant;
  exact duplicate events (same time, kind, value and channel) change nothing; all three are
  counted in the report and noted on the row.
Pure: imports NumPy, pyarrow, the agreement model and the calendar; reads no files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from clearpact.agreement.model import Agreement
from clearpact.agreement.slas import (
    PriorityChangeRule,
    ReopenRule,
    StartEvent,
    StopEvent,
    UnansweredRule,
)
from clearpact.agreement.versions import in_force
from clearpact.calendar import Calendar
from clearpact.calendar.business import to_micros
from clearpact.clock.points import (
    ASSIGNMENT,
    CLOSED,
    CREATED,
    I64,
    KIND_CODES,
    NEVER,
    NOTE_NEVER_STARTED,
    NOTE_NO_PRIORITY,
    NOTE_NO_TARGET,
    NOTE_STOP_BEFORE_START,
    NOTE_UNANSWERED,
    NOTES,
    OPEN,
    PRIORITY,
    REPLY,
    RESOLVED,
    STATUS,
    US,
    WORKAROUND,
    Bools,
    ClockReport,
    Columns,
    Points,
    build_points,
    read_columns,
)
from clearpact.clock.rules import SlaRule, compile_calendars, compile_rules
from clearpact.clock.tables import (
    INSTANT,
    LABEL,
    NAME,
    NAME16,
    RESULT_STATES,
    RESULTS,
    StatusMeanings,
)

STATES = list(RESULT_STATES)


@dataclass
class ClockRun:
    """The kernel's output: result rows (:data:`~clearpact.clock.tables.RESULTS`), the report,
    events it could not place (with a ``reason`` column), and traces when asked for."""

    results: pa.Table
    report: ClockReport
    rejected_events: pa.Table
    traces: dict[str, pa.Table] = field(default_factory=dict)  # SLA key → segments


def compute(
    agreement: Agreement,
    tickets: pa.Table,
    events: pa.Table,
    *,
    as_of: dt.datetime,
    statuses: StatusMeanings | None = None,
    trace: bool = False,
) -> ClockRun:
    """Measure every ticket against every ticket SLA of the terms in force when it was opened.

    ``tickets`` and ``events`` follow :data:`~clearpact.clock.tables.TICKETS` and
    :data:`~clearpact.clock.tables.EVENTS` (extra columns are ignored; timestamps must carry a
    zone). ``as_of`` (aware) is "now": open clocks are measured up to it; later events and tickets
    are left out and counted. Events of no known ticket, without a time, of an unknown kind, and
    status or priority changes without a value are returned in ``rejected_events`` with their row
    and reason. ``trace=True`` also returns each SLA's segments, for explaining a few tickets.
    """
    report = ClockReport()
    columns = read_columns(tickets, events, to_micros(as_of), report)
    rules_by_version = [
        (label, terms, mask, compile_rules(terms))
        for label, terms, mask in _versions(agreement, columns.created)
    ]
    results: list[pa.Table] = []
    traces: dict[str, list[pa.Table]] = {}
    for label, terms, mask, rules in rules_by_version:
        part = columns if mask is None else columns.subset(mask)
        if part.created.size == 0:
            continue
        points = build_points(part, statuses or StatusMeanings(), report)
        calendars = compile_calendars(terms, rules)
        for rule in rules:
            view = points if trace else _view(points, rule)
            table, segments = _measure(view, part, rule, calendars, columns.as_of, label, trace)
            results.append(table)
            if segments is not None:
                traces.setdefault(rule.key, []).append(segments)
    out = pa.concat_tables(results) if results else RESULTS.empty_table()
    report.rows = out.num_rows
    return ClockRun(
        results=out,
        report=report,
        rejected_events=columns.rejected,
        traces={key: pa.concat_tables(parts) for key, parts in traces.items()},
    )


# -- agreement versions ---------------------------------------------------------------------------


def _versions(
    agreement: Agreement, created: I64
) -> list[tuple[str | None, Agreement, Bools | None]]:
    """(label, terms, mask of tickets) per version in force: the label of the last amendment
    effective on the local date the ticket was opened (in the zone of the agreement's first
    calendar, UTC without one), or None before the first."""
    amendments = sorted(agreement.versions, key=lambda a: a.effective)
    if not amendments:
        return [(None, agreement, None)]
    local = ZoneInfo(agreement.home_zone)
    bounds = np.array(
        [to_micros(dt.datetime.combine(a.effective, dt.time()), local) for a in amendments],
        dtype=np.int64,
    )
    which = np.searchsorted(bounds, created, side="right")  # 0: before the first amendment
    out: list[tuple[str | None, Agreement, Bools | None]] = []
    for number in range(len(amendments) + 1):
        mask = which == number
        if not mask.any():
            continue
        if number == 0:
            out.append((None, agreement, mask))
        else:
            amendment = amendments[number - 1]
            out.append((amendment.version, in_force(agreement, amendment.effective), mask))
    return out


def _within_ticket_cummax(flags: Bools, ticket: I64) -> Bools:
    """Whether the flag has been true at or before each point of the same ticket."""
    if flags.size == 0:
        return flags
    shifted = flags.astype(np.int64) + 2 * ticket
    return (np.maximum.accumulate(shifted) - 2 * ticket).astype(bool)


def _last_index(flags: Bools, floor: I64) -> I64:
    """Index of the latest flagged point at or before each point, or -1 when none since ``floor``
    (the first point of the point's ticket or group)."""
    index = np.maximum.accumulate(np.arange(1, flags.size + 1) * flags) - 1
    return _or_minus_one(index, index >= floor)


def _or_minus_one(values: I64, keep: Bools) -> I64:
    """``values`` where ``keep``, else -1 (``values`` ≥ -1; arithmetic is far faster than
    ``np.where`` on large arrays)."""
    out: I64 = (values + 1) * keep - 1
    return out


def _lookup(names: list[str], members: frozenset[str]) -> Bools:
    """A table over dictionary codes (plus one slot for -1) saying which names are members."""
    return np.array([name in members for name in names] + [False], dtype=bool)


# -- one SLA --------------------------------------------------------------------------------------


def _view(points: Points, rule: SlaRule) -> Points:
    """The points that can change this SLA's clock: each ticket's creation, priority changes,
    the events its start reads, and the points where the clock pauses, resumes, stops or
    restarts. A point left out continues its predecessor's segment in the same state, and
    business time over two adjoining segments is the time over their union (``F`` differences
    add up), so the rows are the same; views are shared by SLAs that read the same things. A
    response clock that reads channels, status changes or assignments uses all points."""
    if points.at.size == 0:
        return points
    responds = rule.stop == StopEvent.FIRST_RESPONSE
    if responds and (rule.channels or rule.status_change_responds or rule.assignment_responds):
        return points
    key = (rule.stop, rule.start, rule.pause_statuses, rule.reply_values if responds else None)
    if key not in points.views:
        p = points
        paused = _lookup(p.names, rule.pause_statuses)[p.status]
        stopped, _ = _stopped(p, rule)
        state = paused.view(np.int8) + 2 * stopped.view(np.int8)
        keep = np.ones(p.at.size, dtype=bool)
        keep[1:] = state[1:] != state[:-1]
        keep[p.first] = True
        keep |= p.kind == PRIORITY
        if rule.stop == StopEvent.WORKAROUND:  # measuring reads them again
            keep |= p.kind == WORKAROUND
        if rule.start == StartEvent.ASSIGNED:
            keep |= p.kind == ASSIGNMENT
        points.views[key] = p.keep(keep) if not keep.all() else p
    return points.views[key]


def _stopped(p: Points, rule: SlaRule) -> tuple[Bools, Bools]:
    """Whether this SLA's clock is stopped after each point, and (for a response clock) whether
    the point is a response."""
    size = p.at.size
    life = p.life
    responded = np.zeros(size, dtype=bool)
    if rule.stop == StopEvent.FIRST_RESPONSE:
        responded = (p.kind == REPLY) & _lookup(p.names, rule.reply_values)[p.value]
        if rule.channels and p.channel is not None:
            # A reply on a channel the agreement does not list is not a response; a reply with
            # no recorded channel is given the benefit of the doubt.
            ok = np.ones(size, dtype=bool)
            listed = pc.is_in(p.channel, value_set=pa.array(sorted(rule.channels)))
            allowed = pc.or_(pc.is_null(p.channel), listed)
            ok[p.kind != CREATED] = np.asarray(allowed.to_numpy(zero_copy_only=False))
            responded &= ok
        if rule.status_change_responds:
            previous = np.roll(p.status, 1)
            changed = (p.kind == STATUS) & (p.status != previous) & (life == OPEN)
            changed[p.first] = False
            responded |= changed
        if rule.assignment_responds:
            responded |= p.kind == ASSIGNMENT
        return _within_ticket_cummax(responded | (life >= RESOLVED), p.ticket), responded
    if rule.stop == StopEvent.RESOLVED:
        return life >= RESOLVED, responded
    if rule.stop == StopEvent.CLOSED:
        return life == CLOSED, responded
    # A workaround restores the service; so does a resolution.
    return _within_ticket_cummax(p.kind == WORKAROUND, p.ticket) | (life >= RESOLVED), responded


def _measure(
    points: Points,
    columns: Columns,
    rule: SlaRule,
    calendars: dict[str, Calendar],
    as_of_us: int,
    version: str | None,
    trace: bool,
) -> tuple[pa.Table, pa.Table | None]:
    p = points
    tickets = columns.tickets
    size = p.at.size
    names = p.names
    paused = _lookup(names, rule.pause_statuses)[p.status]

    not_first = np.ones(size, dtype=bool)
    not_first[p.first] = False
    cycles = rule.stop != StopEvent.FIRST_RESPONSE
    stopped, responded = _stopped(p, rule)

    previous_stopped = np.zeros(size, dtype=bool)
    previous_stopped[1:] = stopped[:-1]
    previous_stopped[p.first] = False
    enter = stopped & ~previous_stopped
    leave = ~stopped & previous_stopped

    # Groups: one per ticket, plus one per reopening measured as a new cycle.
    new_cycle = np.zeros(size, dtype=bool)
    if cycles and leave.any():
        if rule.reopen == ReopenRule.NEW_CYCLE:
            new_cycle = leave
        elif rule.reopen_within_micros is not None:
            last_enter = _last_index(enter, p.first[p.ticket])
            gap = p.at - p.at[np.maximum(last_enter, 0)]
            new_cycle = leave & (last_enter >= 0) & (gap > rule.reopen_within_micros)
    if new_cycle.any():
        starts_group = ~not_first | new_cycle
        group = np.cumsum(starts_group) - 1
        g_first = np.flatnonzero(starts_group)
    else:  # one group per ticket, the common case
        group, g_first = p.ticket, p.first
    groups = g_first.size
    g_last = np.empty(groups, dtype=np.int64)
    g_last[:-1] = g_first[1:] - 1
    if groups:
        g_last[-1] = size - 1
    g_ticket = p.ticket[g_first]
    g_cycle = (group[g_first] - group[p.first[g_ticket]]).astype(np.int32)

    # Start and stop of each group's clock.
    notes = p.notes[g_ticket].copy()
    start = p.at[g_first].copy()
    if rule.start == StartEvent.ASSIGNED:
        assigned = np.where(p.kind == ASSIGNMENT, p.at, NEVER)
        first_assignment = np.minimum.reduceat(assigned, p.first) if size else assigned
        cycle0 = g_cycle == 0
        start[cycle0] = first_assignment[g_ticket[cycle0]]
    final_stopped = stopped[g_last]
    # The last entry into the stopped state within each group (-1: none).
    last_enter = np.maximum.reduceat(p.index_1 * enter, g_first) - 1 if size else g_first
    stop = np.where(final_stopped, p.at[np.maximum(last_enter, 0)], as_of_us)
    never_started = start == NEVER
    notes[never_started] |= NOTE_NEVER_STARTED
    before_start = ~never_started & (stop < start)
    notes[before_start] |= NOTE_STOP_BEFORE_START
    start = np.minimum(start, stop)
    unanswered = np.zeros(groups, dtype=bool)
    if rule.stop == StopEvent.FIRST_RESPONSE:
        unanswered = final_stopped & ~responded[np.maximum(last_enter, 0)]
        notes[unanswered] |= NOTE_UNANSWERED

    # The priority (and so the target and calendar) that applies to each group.
    at_stop = np.where(final_stopped, np.maximum(last_enter, 0), g_last)
    if rule.priority_change == PriorityChangeRule.KEEP_ORIGINAL:
        # The first priority the ticket had: at creation, or its first triage when created
        # without one.
        first_set = (
            np.minimum.reduceat(np.where(p.priority >= 0, p.index, size), p.first)
            if size
            else p.first
        )
        g_priority = np.append(p.priority, -1)[first_set][g_ticket]
    else:
        g_priority = p.priority[at_stop]
    clock_start = start
    if rule.priority_change == PriorityChangeRule.RESTART_AT_CHANGE:
        changed = np.zeros(size, dtype=bool)
        changed[1:] = (p.kind[1:] == PRIORITY) & (p.priority[1:] != p.priority[:-1])
        last_change = _last_index(changed, g_first[group])[at_stop]
        clock_start = np.where(
            last_change >= 0, np.maximum(start, p.at[np.maximum(last_change, 0)]), start
        )
        clock_start = np.minimum(clock_start, stop)

    calendar_names = sorted(calendars)
    target_lut = np.full(len(names) + 1, -1, dtype=np.int64)
    default = calendar_names.index(rule.calendar) if rule.calendar in calendar_names else -1
    calendar_lut = np.full(len(names) + 1, default, dtype=np.int64)
    for code, name in enumerate(names):
        target = rule.targets.get(name)
        if target is not None:
            target_lut[code] = target.micros
            calendar_lut[code] = calendar_names.index(target.calendar)
    g_target = target_lut[g_priority]
    g_calendar = calendar_lut[g_priority]
    notes[(g_target < 0) & (g_priority >= 0)] |= NOTE_NO_TARGET
    notes[g_priority < 0] |= NOTE_NO_PRIORITY

    # Segments: [at, next point) clipped to the clock's life, in business time. F is monotone, so
    # F(clip(t, lo, hi)) = clip(F(t), F(lo), F(hi)): F is looked up once per point and calendar
    # (shared by every SLA) and once per clock start and stop.
    running = ~paused & (~stopped | (cycles & rule.count_time_while_resolved))
    paused_time = paused & ~stopped
    point_calendar = g_calendar[group]
    f_at = np.zeros(size, dtype=np.int64)
    for number, name in enumerate(calendar_names):
        mine = g_calendar == number
        if not mine.any():
            continue
        f_points = p.accrued(name, calendars[name], as_of_us)
        # Calendars cover disjoint groups, so each adds its F where f_at is still 0.
        f_at = f_points if mine.all() else f_at + f_points * (point_calendar == number)

    def f_of(instants: I64, near: I64) -> I64:
        """F of each group's instant on its calendar: from the point ``near`` when it is that
        instant (almost always), else looked up."""
        out = f_at[near]
        other = np.flatnonzero(instants != p.at[near])
        for number, name in enumerate(calendar_names):
            mine = other[g_calendar[other] == number]
            if mine.size:
                out[mine] = calendars[name].accrued(instants[mine])
        return out

    f_start = f_of(clock_start, g_first)  # F at the clock's (re)start
    f_first_start = f_of(start, g_first) if clock_start is not start else f_start
    f_stop = f_of(stop, at_stop)
    f_next = np.empty(size, dtype=np.int64)
    f_next[:-1] = f_at[1:]
    f_next[g_last] = f_stop
    # Clipping to the clock's life changes nothing when every clock starts at its first point and
    # no time is counted after its stop (a stopped clock's later segments add nothing): skipped.
    clip_low = trace or bool(size and (f_start != f_at[g_first]).any())
    clip_high = trace or (cycles and rule.count_time_while_resolved)
    high = f_stop[group]
    fa, fb = f_at, f_next
    if clip_low:
        low = f_start[group]
        fa, fb = np.maximum(fa, low), np.maximum(fb, low)
    if clip_high:
        fa, fb = np.minimum(fa, high), np.minimum(fb, high)
    business = fb - fa
    run_time = business * running
    if rule.priority_change == PriorityChangeRule.RESTART_AT_CHANGE:
        # Pause time before a restart still counts as pause time of the ticket.
        low = f_first_start[group]
        whole = np.clip(f_next, low, high) - np.clip(f_at, low, high)
        paused_business = whole * paused_time
    else:
        paused_business = business * paused_time
    paused_total = np.add.reduceat(paused_business, g_first) if size else paused_business

    # Due instant. The running time summed over all points is non-decreasing, so the point where
    # a group's running time reaches its target is one binary search per group.
    cumulative = np.cumsum(run_time)
    before_group = cumulative[g_first] - run_time[g_first]
    elapsed = cumulative[g_last] - before_group if size else run_time
    hit = np.flatnonzero((g_target > 0) & (elapsed >= g_target))
    due_f = np.full(groups, NEVER, dtype=np.int64)  # F value of the due instant, per group
    reach = before_group[hit] + g_target[hit]  # the running total at which each group hits
    if cumulative.size and float(run_time.sum(dtype=np.float64)) < 2.0**62:
        at_hit = np.searchsorted(cumulative, reach, side="left")
    else:  # the sum over every clock could wrap around int64: search each group on its own
        within = cumulative - before_group[group]  # exact: each group's sum fits
        first = np.where(within >= g_target[group], p.index, size)
        at_hit = np.minimum.reduceat(first, g_first)[hit] if size else first
    due_f[hit] = fa[at_hit] + (reach - (cumulative[at_hit] - run_time[at_hit]))
    has_target = g_target >= 0
    running_at_end = running[g_last] | final_stopped
    beyond = has_target & (due_f == NEVER) & (g_target > 0) & running_at_end & (g_calendar >= 0)
    beyond = np.flatnonzero(beyond)
    due_f[beyond] = f_stop[beyond] + (g_target[beyond] - elapsed[beyond])
    due = np.full(groups, NEVER, dtype=np.int64)
    for number, name in enumerate(calendar_names):
        reached = np.flatnonzero((g_calendar == number) & (due_f != NEVER))
        # A calendar without weekly hours never reaches a target: no due instant (null).
        if reached.size and calendars[name].spec.weekly_minutes() > 0:
            due[reached] = calendars[name].instants_at(due_f[reached])

    # States.
    over = has_target & (elapsed > g_target)
    forced = unanswered & (rule.unanswered == UnansweredRule.BREACHED)
    state = np.full(groups, STATES.index("no_target"), dtype=np.int8)
    state[has_target & final_stopped] = STATES.index("met")
    state[has_target & final_stopped & (over | forced)] = STATES.index("breached")
    state[has_target & ~final_stopped] = STATES.index("open")
    state[has_target & ~final_stopped & over] = STATES.index("open_breached")
    breached = has_target & (over | forced)
    breached_at = np.where(over, due, np.where(forced, np.minimum(due, stop), NEVER))
    at_risk = np.zeros(groups, dtype=bool)
    if rule.at_risk is not None:
        at_risk = has_target & ~final_stopped & ~over & (elapsed >= rule.at_risk * g_target)

    table = _result_table(
        tickets=tickets,
        rule=rule,
        version=version,
        g_ticket=g_ticket,
        g_cycle=g_cycle,
        g_priority=g_priority,
        names=names,
        calendar_names=calendar_names,
        g_calendar=g_calendar,
        start=clock_start,
        stop=np.where(final_stopped, stop, NEVER),
        elapsed=elapsed,
        paused=paused_total,
        target=g_target,
        due=due,
        state=state,
        breached_at=np.where(breached, breached_at, NEVER),
        at_risk=at_risk,
        notes=notes,
    )
    segments = None
    if trace:
        seg_end = np.empty(size, dtype=np.int64)
        seg_end[:-1] = p.at[1:]
        seg_end[g_last] = stop
        # Segments are shown from the clock's first start: under restart_at_change the pauses
        # before the restart still count (as paused time) and running time before it does not.
        low_at, high_at, restart = start[group], stop[group], clock_start[group]
        seg_a, seg_b = np.clip(p.at, low_at, high_at), np.clip(seg_end, low_at, high_at)
        seg_a = np.where(running & (seg_a < restart) & (seg_b > restart), restart, seg_a)
        superseded = running & (seg_b <= restart) & (seg_b > seg_a)
        shown = np.where(paused_time, paused_business, business)
        if rule.priority_change == PriorityChangeRule.RESTART_AT_CHANGE:
            shown = np.where(superseded, whole, shown)  # what the restart stopped counting
        segments = _trace_table(
            p,
            tickets,
            group,
            g_cycle,
            seg_a,
            seg_b,
            running,
            paused_time,
            superseded,
            shown,
        )
    return table, segments


def _instant_array(values: I64) -> pa.Array:
    """Instants, NEVER as null: the array wraps ``values`` without copying them."""
    return _wrap(INSTANT, values, values == NEVER)


def _wrap(kind: pa.DataType, values: npt.NDArray[Any], null: Bools) -> pa.Array:
    """An Arrow array of ``kind`` over the buffer of ``values`` (contiguous, of the same width),
    null where ``null``."""
    values = np.ascontiguousarray(values)
    nulls = int(np.count_nonzero(null))
    validity = pa.py_buffer(np.packbits(~null, bitorder="little")) if nulls else None
    return pa.Array.from_buffers(kind, values.size, [validity, pa.py_buffer(values)], nulls)


def _result_table(
    *,
    tickets: pa.Table,
    rule: SlaRule,
    version: str | None,
    g_ticket: I64,
    g_cycle: npt.NDArray[np.int32],
    g_priority: npt.NDArray[np.int32],
    names: list[str],
    calendar_names: list[str],
    g_calendar: I64,
    start: I64,
    stop: I64,
    elapsed: I64,
    paused: I64,
    target: I64,
    due: I64,
    state: npt.NDArray[np.int8],
    breached_at: I64,
    at_risk: Bools,
    notes: I64,
) -> pa.Table:
    rows = g_ticket.size
    take = pa.array(g_ticket)
    in_order = rows == tickets.num_rows  # one row per ticket, in the tickets' order: no copy
    ids = tickets["ticket_id"] if in_order else tickets["ticket_id"].take(take)
    ids = pc.cast(ids, pa.string())

    def dictionary(
        codes: npt.NDArray[Any], values: list[str], kind: pa.DataType, *, cut: bool = False
    ) -> pa.Array:
        """Codes into ``values`` (-1: null) as a dictionary array of ``kind``; with ``cut`` (or
        when the codes would not fit), its dictionary holds only the values used."""
        codes = np.asarray(codes)
        index = kind.index_type.to_pandas_dtype()
        if not cut and len(values) <= np.iinfo(index).max:  # the codes fit as they are
            compact, kept = codes.astype(index), values
        else:  # a dictionary of the values used
            used = np.flatnonzero(np.bincount(codes + 1, minlength=len(values) + 1)[1:])
            if used.size > np.iinfo(index).max:
                raise ValueError(f"{used.size} distinct values in a result column: too many")
            lut = np.full(len(values) + 1, -1, dtype=index)
            lut[used] = np.arange(used.size)
            compact, kept = lut[codes], [values[code] for code in used]
        return pa.DictionaryArray.from_arrays(
            _wrap(kind.index_type, compact, compact < 0), pa.array(kept, type=pa.string())
        )

    def constant(value: str | None) -> pa.Array:
        if value is None:
            return pa.nulls(rows, NAME)
        return pa.DictionaryArray.from_arrays(
            _wrap(pa.int8(), np.zeros(rows, dtype=np.int8), np.zeros(rows, dtype=bool)),
            pa.array([value], type=pa.string()),
        )

    def optional(column: str) -> pa.Array:
        if column not in tickets.column_names:
            return pa.nulls(rows, LABEL)
        chunked = tickets[column] if in_order else tickets[column].take(take)
        # One chunk (a slice of the tickets' column) is used as it is: no copy.
        values = chunked.chunk(0) if chunked.num_chunks == 1 else chunked.combine_chunks()
        if not pa.types.is_dictionary(values.type):
            return pc.cast(values, pa.string()).dictionary_encode()
        return values if values.type == LABEL else pc.cast(values, LABEL)

    # Notes are small bit sets: a look-up table from each set present to its text.
    note_codes = np.flatnonzero(np.bincount(notes, minlength=1))
    note_codes = note_codes[note_codes > 0]
    note_texts = [
        "; ".join(text for bit, text in NOTES.items() if code & bit) for code in note_codes
    ]
    note_lut = np.full(max(NOTES) * 2, -1, dtype=np.int32)
    note_lut[note_codes] = np.arange(note_codes.size)
    note_index = note_lut[notes]
    seconds = np.float64(US)
    no_target = target < 0
    return pa.table(
        [
            ids,
            constant(rule.key),
            constant(rule.metric),
            pa.array(g_cycle, type=pa.int32()),
            dictionary(g_priority, names, NAME16, cut=True),  # names hold statuses too
            dictionary(g_calendar, calendar_names, NAME16),
            _instant_array(start),
            _instant_array(stop),
            pa.array(elapsed / seconds),
            pa.array(paused / seconds),
            _wrap(pa.float64(), target / seconds, no_target),
            _instant_array(due),
            dictionary(state, list(STATES), NAME),
            _instant_array(breached_at),
            pa.array(at_risk),
            constant(version),
            optional("customer"),
            optional("service"),
            dictionary(note_index, note_texts, NAME16),
        ],
        schema=RESULTS,
    )


TRACE = pa.schema(
    [
        pa.field("ticket_id", pa.string()),
        pa.field("cycle", pa.int32()),
        pa.field("from", INSTANT),
        pa.field("to", INSTANT),
        pa.field("clock", pa.string()),  # running | paused | stopped | before restart | outside
        pa.field("status", pa.string()),
        pa.field("priority", pa.string()),
        pa.field("business_s", pa.float64()),
        pa.field("event", pa.string()),
    ]
)
"""One row per segment of a traced ticket: what the clock did between two points."""

_KIND_NAMES = {CREATED: "created", **{code: name for name, code in KIND_CODES.items()}}


def _trace_table(
    p: Points,
    tickets: pa.Table,
    group: I64,
    g_cycle: npt.NDArray[np.int32],
    seg_a: I64,
    seg_b: I64,
    running: Bools,
    paused: Bools,
    superseded: Bools,
    business: I64,
) -> pa.Table:
    inside = seg_b > seg_a
    clock = np.where(
        ~inside,
        "outside",
        np.where(
            superseded,
            "before restart",
            np.where(running, "running", np.where(paused, "paused", "stopped")),
        ),
    )
    ids = tickets["ticket_id"].combine_chunks().take(pa.array(p.ticket)).to_pylist()
    names = p.names

    def name(code: int) -> str | None:
        return names[code] if code >= 0 else None

    events = []
    for kind, value in zip(p.kind.tolist(), p.value.tolist(), strict=True):
        label = _KIND_NAMES.get(kind, "?")
        events.append(f"{label} {names[value]}" if value >= 0 else label)
    return pa.table(
        {
            "ticket_id": ids,
            "cycle": pa.array(g_cycle[group], type=pa.int32()),
            "from": _instant_array(seg_a),
            "to": _instant_array(seg_b),
            "clock": clock.tolist(),
            "status": [name(c) for c in p.status.tolist()],
            "priority": [name(c) for c in p.priority.tolist()],
            "business_s": np.where(inside, business, 0) / np.float64(US),
            "event": events,
        },
        schema=TRACE,
    )
