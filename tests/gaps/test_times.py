"""Time expressions read and placed in time; expected instants worked by hand on the SMB
example's office calendar (Mon–Fri 08:00–18:00 Berlin)."""

from __future__ import annotations

import datetime as dt
import socket

import pytest

from clearpact.calendar import Calendar
from clearpact.gaps.times import TermForm, TimeTerm, find_time_term, promised_by
from tests.gaps.conftest import BERLIN, FRIDAY


def at(text: str) -> TimeTerm:
    term = find_time_term(text, FRIDAY)
    assert term is not None, text
    return term


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("sentence", "text", "seconds"),
    [
        ("Someone will be on site within the hour.", "within the hour", 3600),
        ("We respond within 15 minutes.", "within 15 minutes", 900),
        ("It'll be done in 2 hours.", "in 2 hours", 7200),
        ("We'll call within half an hour.", "within half an hour", 1800),
        ("Fixed within an hour and a half.", "within an hour and a half", 5400),
        ("We offer a 4-hour response.", "4-hour response", 14400),
        ("Updates every 2 hours.", "every 2 hours", 7200),
    ],
)
def test_clock_durations_are_read_by_our_own_parser(sentence: str, text: str, seconds: int) -> None:
    term = at(sentence)
    assert (term.text, term.form, term.seconds) == (text, TermForm.DURATION, seconds)


def test_within_the_hour_is_one_hour_of_clock_time_from_the_message(office: Calendar) -> None:
    # Friday 16:30 + 1 hour = Friday 17:30; the calendar plays no part in clock time.
    assert promised_by(at("within the hour"), FRIDAY, office, BERLIN) == local(2026, 11, 20, 17, 30)


def test_business_hours_count_on_the_calendar(office: Calendar) -> None:
    # Friday 16:30–18:00 is 1.5 h; the other 2.5 h run from Monday 08:00: Monday 10:30.
    term = at("We'll fix it within 4 business hours.")
    assert (term.form, term.seconds) == (TermForm.BUSINESS, 4 * 3600)
    assert promised_by(term, FRIDAY, office, BERLIN) == local(2026, 11, 23, 10, 30)


def test_working_days_are_as_long_as_the_calendars_working_day(office: Calendar) -> None:
    # 2 working days of 10 h = 20 h: Friday 1.5 h, Monday 10 h (11.5), Tuesday 8.5 h → 16:30.
    term = at("Within 2 working days we will deliver.")
    assert (term.form, term.days) == (TermForm.BUSINESS_DAYS, 2)
    assert promised_by(term, FRIDAY, office, BERLIN) == local(2026, 11, 24, 16, 30)


def test_next_business_day_is_the_end_of_the_next_day_with_hours(office: Calendar) -> None:
    term = at("You'll hear from us next business day.")
    assert term.form is TermForm.NEXT_BUSINESS_DAY
    assert promised_by(term, FRIDAY, office, BERLIN) == local(2026, 11, 23, 18)


def test_next_business_day_skips_christmas_and_the_weekend(office: Calendar) -> None:
    # Wednesday 23 December: the 24th is an agreed day off, the 25th and 26th are public
    # holidays in Bavaria, the 27th a Sunday; the next business day is Monday 28 December.
    wednesday = dt.datetime(2026, 12, 23, 11, 0, tzinfo=BERLIN)
    term = find_time_term("next business day", wednesday)
    assert term is not None
    assert promised_by(term, wednesday, office, BERLIN) == local(2026, 12, 28, 18)


def test_end_of_day_is_the_end_of_the_calendars_business_day(office: Calendar) -> None:
    term = at("I'll get back to you by end of day.")
    assert (term.text, term.day, term.at) == ("by end of day", dt.date(2026, 11, 20), None)
    assert promised_by(term, FRIDAY, office, BERLIN) == local(2026, 11, 20, 18)


def test_a_weekday_is_read_by_dateparser_in_the_future(office: Calendar) -> None:
    # Said on Friday, "by Friday" is read as next Friday (dateparser prefers the future).
    term = at("We'll have it fixed by Friday.")
    assert (term.text, term.day) == ("by Friday", dt.date(2026, 11, 27))
    assert promised_by(term, FRIDAY, office, BERLIN) == local(2026, 11, 27, 18)


def test_a_day_and_a_time_are_joined_into_one_deadline(office: Calendar) -> None:
    term = at("We'll get it to you by Tuesday 9:30.")
    assert (term.text, term.day, term.at) == (
        "by Tuesday 9:30",
        dt.date(2026, 11, 24),
        dt.time(9, 30),
    )
    assert promised_by(term, FRIDAY, office, BERLIN) == local(2026, 11, 24, 9, 30)


def test_a_time_already_past_today_means_tomorrow() -> None:
    # 15:00 has passed at 16:30, so "by 3pm" is Saturday 15:00.
    term = at("We'll call you back by 3pm.")
    assert (term.day, term.at) == (dt.date(2026, 11, 21), dt.time(15, 0))


def test_first_thing_is_the_start_of_the_business_day(office: Calendar) -> None:
    term = at("Expect an engineer first thing Monday.")
    assert term.first_thing
    assert promised_by(term, FRIDAY, office, BERLIN) == local(2026, 11, 23, 8)


def test_parts_of_the_day_have_a_latest_time() -> None:
    assert at("We'll be there tomorrow morning.").at == dt.time(12, 0)
    assert at("We'll look at it tonight.").at == dt.time(21, 0)


def test_a_day_of_the_month_already_past_is_next_months() -> None:
    # dateparser reads "the 14th" as 14 November, which has passed on 20 November.
    assert at("We'll have it by the 14th.").day == dt.date(2026, 12, 14)


@pytest.mark.parametrize(
    "sentence",
    [
        "We're here for you 24/7.",
        "We'll fix it within a few hours.",
        "We have had 3 tickets this month.",
        "We'll check in the morning.",
    ],
)
def test_phrases_without_a_measurable_time_give_no_term(sentence: str) -> None:
    assert find_time_term(sentence, FRIDAY) is None


def test_without_a_message_date_a_deadline_has_no_day_and_no_instant(office: Calendar) -> None:
    term = find_time_term("We'll have it fixed by Friday.", None)
    assert term is not None
    assert (term.form, term.day) == (TermForm.DEADLINE, None)
    assert promised_by(term, FRIDAY, office, BERLIN) is None


def test_dateparser_reads_dates_without_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("dateparser tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    term = find_time_term("We'll be done by 14 December.", FRIDAY)
    assert term is not None
    assert term.day == dt.date(2026, 12, 14)


def test_a_day_of_the_month_is_read_without_dateparser() -> None:
    # dateparser reads "the 3rd" as March; it is 3 December here, the 3rd of November has passed.
    assert at("We'll be there on the 3rd at 2pm.").day == dt.date(2026, 12, 3)
    assert at("We'll have it by the 31st.").day == dt.date(2026, 12, 31)


def test_a_bare_hour_is_a_time_only_where_no_noun_follows() -> None:
    # "at 10" said at 16:30 is 10:00 tomorrow; "at 3 sites" is no time at all.
    assert (at("An engineer is scheduled to arrive at 10.").day, at("…arrive at 10.").at) == (
        dt.date(2026, 11, 21),
        dt.time(10, 0),
    )
    assert find_time_term("We have staff at 3 sites.", FRIDAY) is None


def test_a_weekday_followed_by_a_clock_time_is_not_a_day_of_the_month() -> None:
    term = at("We've booked an engineer for Tuesday 9am.")
    assert (term.text, term.day, term.at) == ("for Tuesday 9am", dt.date(2026, 11, 24), dt.time(9))
