"""Invariants of the gap finder on generated messages: any text is read without error, and a
promise that only appears in quoted or forwarded text is never the sender's."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from clearpact.gaps import Message, assess, find_commitments, split_reply
from tests.conftest import build, example_data
from tests.gaps.conftest import FRIDAY

SMB = build(example_data("fully-managed-smb.yaml"))
PROMISES = [
    "We'll have it fixed by Friday.",
    "Someone will be on site within the hour.",
    "That's covered under your plan.",
    "We're here for you 24/7.",
    "You will never lose a file.",
    "We can do the training for free.",
]
NEUTRAL = ["Noted.", "See the log below.", "The printer jammed twice.", "Tomas asked about it."]
QUOTE_STYLES = {
    "angle": lambda lines: "\n".join(f"> {line}" for line in lines),
    "attribution": lambda lines: (
        "On Fri, 20 Nov 2026 at 16:21, Tomas Lee wrote:\n"
        + "\n".join(f"> {line}" for line in lines)
    ),
    "outlook": lambda lines: (
        "-----Original Message-----\nFrom: Tomas Lee\nSent: Friday\n"
        "Subject: x\n\n" + "\n".join(lines)
    ),
    "forward": lambda lines: (
        "---------- Forwarded message ---------\nFrom: Vendor\n\n" + "\n".join(lines)
    ),
}


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_read_and_compared_without_error(text: str) -> None:
    message = Message(text, sender="a@brightline.example", date=FRIDAY)
    assess(SMB, [message])
    reply = split_reply(text)
    assert all(c.text in " ".join(reply.new_text.split()) for c in find_commitments(message))


@settings(max_examples=150, deadline=None)
@given(
    own=st.lists(st.sampled_from(NEUTRAL), max_size=3),
    quoted=st.lists(st.sampled_from(PROMISES), min_size=1, max_size=4),
    style=st.sampled_from(sorted(QUOTE_STYLES)),
)
def test_promises_only_in_quoted_or_forwarded_text_are_never_the_senders(
    own: list[str], quoted: list[str], style: str
) -> None:
    body = " ".join(own) + "\n\n" + QUOTE_STYLES[style](quoted) + "\n"
    assert find_commitments(Message(body, date=FRIDAY)) == []


@settings(max_examples=100, deadline=None)
@given(
    date=st.datetimes(
        min_value=dt.datetime(1, 1, 2),
        max_value=dt.datetime(9999, 12, 30),
        timezones=st.just(dt.UTC),
    ),
    sentence=st.sampled_from([*PROMISES, "We'll be done by the 3rd.", "Next business day."]),
)
def test_any_message_date_is_compared_without_error(date: dt.datetime, sentence: str) -> None:
    assess(SMB, [Message(sentence, sender="a@brightline.example", date=date)])
