"""Worked examples, checked against arithmetic done by hand.

examples/fully-managed-smb.yaml: term from Thursday 1 January 2026, so the reference Friday is
2 January 2026; Bavarian holidays: Tuesday 6 January is Epiphany; the week of Monday 12 January
has no holiday. Calendar `office`: Monday to Friday 08:00–18:00 Berlin (CET in January).
First response: P1 30m on `always` (24x7), P2 1h on `office`. Resolution: P1 4h on `always`,
P2 8h on `office`, pauses in "Waiting on customer".
"""

from __future__ import annotations

import re

from clearpact.agreement.model import Agreement
from clearpact.agreement.slas import TicketSla
from clearpact.explain import Document
from clearpact.explain.document import WorkedExample
from clearpact.explain.wording import short_duration
from clearpact.explain.worked import example_priority, reference_dates, worked_examples
from tests.conftest import build, example_data
from tests.explain.conftest import example, explained

FIRST = "First response ('first-response')"
RESOLUTION = "Resolution ('resolution')"


def test_p2_first_response_opened_friday_1630_is_due_the_same_friday_at_1730(smb: Document) -> None:
    # 16:30 + 1h of business time: the office is open until 18:00, so all of it counts on
    # Friday: 16:30–17:30 = 1h = target → due Friday 17:30. (Not Monday: only a ticket opened
    # after 17:00 would run into the weekend.)
    worked = example(smb, FIRST, "Opened on a Friday afternoon")
    assert worked.steps == [
        "Friday 2 January 16:30–17:30 counts 1h.",
        "Total 1h = the 1h target → due Friday 2 January 2026 at 17:30 CET.",
    ]
    assert worked.outcome.startswith("Due Friday 2 January 2026 at 17:30 CET")


def test_p2_resolution_opened_friday_1630_runs_over_the_weekend(smb: Document) -> None:
    # Friday 16:30–18:00 = 1h30m; Saturday and Sunday closed; 8h − 1h30m = 6h30m from Monday
    # 08:00 → Monday 5 January 14:30.
    worked = example(smb, RESOLUTION, "Opened on a Friday afternoon")
    assert worked.steps == [
        "Friday 2 January 16:30–18:00 counts 1h30m.",
        "Monday 5 January 08:00–14:30 counts 6h30m.",
        "Total 8h = the 8h target → due Monday 5 January 2026 at 14:30 CET.",
    ]


def test_eve_of_a_public_holiday_skips_the_holiday(smb: Document) -> None:
    # Opened Monday 5 January 17:30 (30 minutes before closing); Tuesday 6 January is Epiphany
    # in Bavaria. First response: 30m on Monday + 30m on Wednesday from 08:00 → 08:30.
    worked = example(smb, FIRST, "Opened on the eve of a public holiday")
    assert "Tuesday 6 January 2026 (Epiphany)" in worked.setup
    assert worked.steps == [
        "Monday 5 January 17:30–18:00 counts 30m.",
        "Tuesday 6 January (Epiphany) counts nothing: a day off.",
        "Wednesday 7 January 08:00–08:30 counts 30m.",
        "Total 1h = the 1h target → due Wednesday 7 January 2026 at 08:30 CET.",
    ]


def test_two_days_waiting_on_the_customer_extend_the_due_time(smb: Document) -> None:
    # Opened Monday 12 January 10:00; half the 8h target later (14:00) the status becomes
    # "Waiting on customer" until Wednesday 14:00. Running: Monday 10–14 = 4h. Paused business
    # time: Monday 14–18 (4h) + Tuesday (10h) + Wednesday 08–14 (6h) = 20h. The other 4h run
    # Wednesday 14:00–18:00 → due Wednesday 18:00, exactly at closing (a due time at a window's
    # end stays there).
    worked = example(smb, RESOLUTION, "Waiting on the customer for two days")
    assert worked.steps == [
        "Monday 12 January 10:00–14:00 counts 4h.",
        "Monday 12 January 14:00: status set to 'Waiting on customer'; the clock pauses.",
        "Monday 12 January 14:00 – Wednesday 14 January 14:00: the clock is paused; the 20h of "
        "business hours in it do not count.",
        "Wednesday 14 January 14:00: status set to 'In progress'; the clock runs again.",
        "Wednesday 14 January 14:00–18:00 counts 4h.",
        "Total 8h = the 8h target → due Wednesday 14 January 2026 at 18:00 CET.",
    ]


def test_priority_raised_applies_the_new_target_from_the_original_start(smb: Document) -> None:
    # P2 opened Monday 12 January 10:00, raised to P1 after a quarter of 8h (12:00). Policy
    # current_priority_from_original_start: P1's 4h on the 24x7 calendar from 10:00 → 14:00.
    # Had it stayed P2: 10:00 + 8h of office time → 18:00.
    worked = example(smb, RESOLUTION, "Priority raised mid-way")
    assert worked.steps[1:] == [
        "Monday 12 January 10:00–12:00 counts 2h.",
        "Monday 12 January 12:00: priority raised to Critical (P1).",
        "Monday 12 January 12:00–14:00 counts 2h.",
        "Total 4h = the 4h target → due Monday 12 January 2026 at 14:00 CET.",
    ]
    assert "'always' calendar" in worked.steps[0]
    assert worked.outcome.endswith(
        "Had the priority stayed P2, it would have been due Monday 12 January 2026 at 18:00 CET."
    )


def test_priority_raised_restarts_the_clock_when_the_agreement_says_so(
    enterprise: Document,
) -> None:
    # co-managed restoration: P2 6h (24x7 New York, EDT in April), restart_at_change. Opened
    # Monday 6 April 10:00, raised to P1 (2h) after a quarter of 6h (11:30): the clock starts
    # again at 11:30 → due 13:30; unchanged it would be 10:00 + 6h = 16:00.
    worked = example(
        enterprise, "Restoration of service ('restoration')", "Priority raised mid-way"
    )
    assert worked.steps[1:] == [
        "Monday 6 April 10:00–11:30: no longer counts; the clock restarted at the change of "
        "priority.",
        "Monday 6 April 11:30: priority raised to Critical (P1).",
        "Monday 6 April 11:30–13:30 counts 2h.",
        "Total 2h = the 2h target → due Monday 6 April 2026 at 13:30 EDT.",
    ]
    assert "Monday 6 April 2026 at 16:00 EDT" in worked.outcome


def test_us_holiday_eve_on_a_friday_skips_weekend_and_memorial_day(enterprise: Document) -> None:
    # Resolution P2 24h on `business` (Mon–Fri 07:00–19:00 New York, US holidays). The first
    # holiday on a weekday after Friday 3 April 2026 is Memorial Day, Monday 25 May; the last
    # working day before it is Friday 22 May: opened 18:30, 30m that day, nothing until Tuesday
    # 07:00; Tuesday 12h; 11h30m on Wednesday → 18:30.
    worked = example(
        enterprise, "Resolution ('resolution')", "Opened on the eve of a public holiday"
    )
    assert worked.steps == [
        "Friday 22 May 18:30–19:00 counts 30m.",
        "Monday 25 May (Memorial Day) counts nothing: a day off.",
        "Tuesday 26 May 07:00–19:00 counts 12h.",
        "Wednesday 27 May 07:00–18:30 counts 11h30m.",
        "Total 24h = the 24h target → due Wednesday 27 May 2026 at 18:30 EDT.",
    ]


def _seconds(text: str) -> int:
    units = {"h": 3600, "m": 60, "s": 1}
    return sum(int(n) * units[u] for n, u in re.findall(r"(\d+)([hms])", text))


def _check_adds_up(worked: WorkedExample) -> None:
    counted = 0
    for step in worked.steps[:-1]:
        single = re.search(r" counts (\S+)\.$", step)
        run = re.search(r" = (\S+)\.$", step)
        if single:
            counted += _seconds(single.group(1))
        elif run:
            counted += _seconds(run.group(1))
    total = re.match(r"Total (\S+?)[ ,]", worked.steps[-1])
    assert total, worked.steps[-1]
    assert short_duration(counted) == total.group(1), worked


def test_every_worked_example_adds_up_to_the_clocks_total() -> None:
    for name in ("fully-managed-smb", "co-managed-enterprise", "vague-msp"):
        stack = list(explained(name).sections)
        found = 0
        while stack:
            section = stack.pop()
            stack.extend(section.subsections)
            for block in section.blocks:
                if isinstance(block, WorkedExample):
                    _check_adds_up(block)
                    found += 1
        assert found >= 3, name


def test_a_long_target_compresses_whole_days_and_still_adds_up(vague: Document) -> None:
    # vague-msp: Normal resolution 3d = 72 business hours on Mon–Fri 09:00–17:00 London (8h a
    # day). From Friday 6 March 16:30: 30m; eight whole days (Monday 9 – Wednesday 18 March)
    # 64h; then 7h30m on Thursday 19 March → 16:30.
    worked = example(vague, "Resolution ('fix')", "Opened on a Friday afternoon")
    assert worked.steps == [
        "Friday 6 March 16:30–17:00 counts 30m.",
        "Monday 9 March to Wednesday 18 March: 8 × 8h = 64h.",
        "Thursday 19 March 09:00–16:30 counts 7h30m.",
        "Total 72h = the 72h target → due Thursday 19 March 2026 at 16:30 GMT.",
    ]


def test_a_raise_past_the_new_target_says_the_ticket_is_late(vague: Document) -> None:
    # Normal (72h) raised to Urgent (8h) after 18h of business time (Wednesday 11 March 12:00);
    # the default policy measures Urgent's 8h from the opening (Monday 10:00): 7h on Monday and
    # 1h on Tuesday → due Tuesday 10 March 10:00, already past at the change.
    worked = example(vague, "Resolution ('fix')", "Priority raised mid-way")
    assert worked.steps[-1] == (
        "Total 18h, more than the 8h target, which was reached on Tuesday 10 March 2026 at "
        "10:00 GMT, before the priority was raised."
    )
    assert "already past when the priority was raised" in worked.outcome


def test_reference_dates_come_from_the_term() -> None:
    data = example_data("fully-managed-smb.yaml")
    data["term"]["start"] = "2026-04-01"  # a Wednesday; Friday 3 April is Good Friday in Bavaria
    dates = reference_dates(build(data))
    assert str(dates.friday) == "2026-04-10"
    # The week of Monday 13 April is free of holidays (Easter Monday is 6 April).
    assert str(dates.monday) == "2026-04-13"


def test_the_second_priority_level_is_the_example_priority() -> None:
    agreement: Agreement = build(example_data("fully-managed-smb.yaml"))
    sla = agreement.slas["resolution"]
    assert isinstance(sla, TicketSla)
    assert example_priority(agreement, sla) == "P2"
    only_p3 = sla.model_copy(update={"targets": {"P3": sla.targets["P3"]}})
    assert example_priority(agreement, only_p3) == "P3"


def test_an_sla_without_targets_has_no_examples_and_says_why() -> None:
    agreement = build(example_data("fully-managed-smb.yaml"))
    resolution = agreement.slas["resolution"]
    assert isinstance(resolution, TicketSla)
    sla = resolution.model_copy(update={"targets": {}})
    result = worked_examples(agreement, "resolution", sla, reference_dates(agreement))
    assert result.examples == []
    assert result.notes == ["No worked examples: the SLA sets no target."]


def test_a_calendar_without_hours_gives_no_examples_and_no_crash() -> None:
    data = example_data("fully-managed-smb.yaml")
    data["calendars"]["office"]["hours"] = {}
    agreement = build(data)
    sla = agreement.slas["resolution"]
    assert isinstance(sla, TicketSla)
    result = worked_examples(agreement, "resolution", sla, reference_dates(agreement))
    assert result.examples == []
    assert result.notes[0].startswith("No worked examples: the calendar has too little business")
