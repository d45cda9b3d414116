"""Sentences of wrapped e-mail text."""

from __future__ import annotations

from clearpact.gaps.sentences import split_sentences


def test_a_line_break_inside_a_paragraph_does_not_end_a_sentence() -> None:
    text = "Someone will be on\nsite within the hour. We will call\nyou first."
    assert split_sentences(text) == [
        "Someone will be on site within the hour.",
        "We will call you first.",
    ]


def test_a_salutation_line_stands_alone_even_without_a_blank_line() -> None:
    assert split_sentences("Hi Tomas,\nwe'll fix it today.") == ["Hi Tomas,", "we'll fix it today."]


def test_abbreviations_and_initials_do_not_end_a_sentence() -> None:
    text = "We cover e.g. Outlook and Teams. Ask J. Vogel at 9 a.m. Monday. Done!"
    assert split_sentences(text) == [
        "We cover e.g. Outlook and Teams.",
        "Ask J. Vogel at 9 a.m. Monday.",
        "Done!",
    ]


def test_list_items_are_sentences_of_their_own() -> None:
    text = "Next steps:\n- we replace the disk today\n- we test the restore tomorrow"
    assert split_sentences(text) == [
        "Next steps:",
        "- we replace the disk today",
        "- we test the restore tomorrow",
    ]


def test_a_decimal_number_or_a_time_with_a_dot_does_not_split() -> None:
    assert split_sentences("Due by 5.30 today. Uptime is 99.5 percent.") == [
        "Due by 5.30 today.",
        "Uptime is 99.5 percent.",
    ]
