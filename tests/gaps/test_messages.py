"""Separating the sender's new text from quoted replies and the signature."""

from __future__ import annotations

from clearpact.gaps.messages import Message, html_to_text, split_reply


def test_quoted_lines_below_an_attribution_line_are_not_the_senders() -> None:
    reply = split_reply(
        "We'll be there at 10.\n\n"
        "On Fri, 20 Nov 2026 at 16:21, Tomas Lee <t.lee@harborlee.example> wrote:\n"
        "> You always fix it within the hour.\n"
    )
    assert reply.new_text == "We'll be there at 10."
    assert reply.quoted == "You always fix it within the hour."


def test_an_attribution_line_wrapped_over_two_lines_still_starts_the_quote() -> None:
    reply = split_reply(
        "Fixed.\n\nOn Fri, 20 Nov 2026 at 16:21, Tomas Lee <t.lee@harborlee.example>\n"
        "wrote:\n> Is it fixed?\n"
    )
    assert reply.new_text == "Fixed."
    assert reply.quoted == "Is it fixed?"


def test_an_answer_written_below_and_between_quoted_lines_is_the_senders() -> None:
    reply = split_reply(
        "On Fri, 20 Nov 2026 at 16:21, Tomas Lee wrote:\n"
        "> Can you fix it today?\n\nYes, we will fix it today.\n"
        "> And the printer?\nThat is not included.\n"
    )
    assert reply.new_text == "Yes, we will fix it today.\n\nThat is not included."
    assert reply.quoted == "Can you fix it today?\nAnd the printer?"


def test_everything_after_an_outlook_original_message_line_is_quoted() -> None:
    reply = split_reply(
        "Yes, that's included.\n\n-----Original Message-----\nFrom: Tomas Lee\n"
        "Sent: Friday, November 20, 2026 4:21 PM\nSubject: printer\n\nWe will pay for it.\n"
    )
    assert reply.new_text == "Yes, that's included."
    assert "We will pay for it." in reply.quoted


def test_an_outlook_from_and_sent_block_without_a_separator_starts_the_quote() -> None:
    reply = split_reply(
        "We'll fix it.\n\nFrom: Tomas Lee <t.lee@harborlee.example>\n"
        "Sent: Friday, 20 November 2026 16:21\nTo: Service desk\nSubject: down\n\nWe'll wait.\n"
    )
    assert reply.new_text == "We'll fix it."
    assert reply.quoted.endswith("We'll wait.")


def test_a_from_line_that_is_not_followed_by_headers_is_the_senders_text() -> None:
    reply = split_reply("From: the accounts team I heard the invoice is wrong.\n\nWe'll fix it.")
    assert "We'll fix it." in reply.new_text


def test_a_forwarded_message_is_not_the_senders() -> None:
    reply = split_reply(
        "See below.\n\n---------- Forwarded message ---------\nFrom: Vendor\n\n"
        "We guarantee a replacement within 4 hours.\n"
    )
    assert reply.new_text == "See below."
    assert "We guarantee" in reply.quoted


def test_a_german_reply_header_from_mail_parser_reply_starts_the_quote() -> None:
    reply = split_reply(
        "Erledigt.\n\nAm 20.11.2026 um 16:21 schrieb Tomas Lee <t.lee@harborlee.example>:\n"
        "Ist es repariert?\n"
    )
    assert reply.new_text == "Erledigt."
    assert "Ist es repariert?" in reply.quoted


def test_a_closing_line_with_a_name_and_contact_block_is_the_signature() -> None:
    reply = split_reply(
        "We'll be there within the hour.\n\nBest regards,\nJana Vogel\nService delivery manager\n"
        "Tel. +49 89 1234 5678\n"
    )
    assert reply.new_text == "We'll be there within the hour."
    assert reply.signature.startswith("Best regards,\nJana Vogel")


def test_thanks_at_the_start_of_a_sentence_is_not_a_signature() -> None:
    reply = split_reply(
        "Hi Tomas,\n\nThanks, we'll have someone on site within the hour. We will call\n"
        "you when the engineer leaves the office.\n\nRegards,\nJana"
    )
    assert "on site within the hour" in reply.new_text
    assert reply.signature == "Regards,\nJana"


def test_a_dash_dash_line_and_what_follows_is_the_signature() -> None:
    reply = split_reply("Done by Friday.\n-- \nJana Vogel, always available on +49 89 1234")
    assert reply.new_text == "Done by Friday."
    assert "always available" in reply.signature


def test_a_trailing_legal_footer_is_the_signature() -> None:
    reply = split_reply(
        "We will fix it today.\n\nThis e-mail is confidential and intended solely for the "
        "addressee. If you are not the intended recipient, we will never forgive you.\n"
    )
    assert reply.new_text == "We will fix it today."
    assert "never forgive" in reply.signature


def test_a_contact_block_without_a_closing_line_is_the_signature() -> None:
    reply = split_reply("We will fix it today.\n\nJana Vogel\nBrightline IT\n+49 89 1234 5678")
    assert reply.new_text == "We will fix it today."


def test_html_blockquotes_become_quoted_lines_and_entities_are_decoded() -> None:
    text = html_to_text(
        "<div>We&#39;ll fix it <b>today</b>.</div><blockquote>You&rsquo;re always fast."
        "</blockquote><script>var x = 1;</script>"
    )
    assert text == "We'll fix it today.\n\n> You’re always fast."
    assert split_reply(text).new_text == "We'll fix it today."


def test_gmail_quote_and_signature_blocks_are_set_apart() -> None:
    text = html_to_text(
        '<div dir="ltr">We respond within 15 minutes.<div class="gmail_signature">Jana<br>'
        '+49 89 1234</div></div><div class="gmail_quote"><div>On Fri, Tomas wrote:</div>'
        '<blockquote class="gmail_quote">Guaranteed 24/7?</blockquote></div>'
    )
    reply = split_reply(text)
    assert reply.new_text == "We respond within 15 minutes."
    assert "Jana" in reply.signature
    assert "Guaranteed 24/7?" in reply.quoted


def test_the_sender_address_is_read_from_the_from_header() -> None:
    assert Message("x", sender="Jana <Jana.Vogel@Brightline.example>").sender_address == (
        "jana.vogel@brightline.example"
    )
    assert Message("x", sender="Service desk").sender_address is None


def test_a_stray_end_tag_does_not_close_an_open_quote() -> None:
    text = html_to_text(
        "<p>We will fix it.</p><blockquote>Is it down?</span> Still down.</blockquote>"
    )
    assert text == "We will fix it.\n\n> Is it down? Still down."


def test_a_lotus_notes_header_with_name_and_date_lines_is_quoted_from_the_name_on() -> None:
    reply = split_reply(
        "The parts arrive Monday.\n\nI will keep you posted -\n\n\n"
        "Tomas Lee\n11/20/2026 04:21 PM\nTo:\tAda Novak/IT/Fernhollow\ncc:\t\nSubject:\tparts\n\n"
        "When do the parts arrive?\n"
    )
    assert reply.new_text == "The parts arrive Monday.\n\nI will keep you posted -"
    assert reply.quoted.startswith("Tomas Lee\n11/20/2026 04:21 PM\nTo:")
