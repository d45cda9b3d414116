"""Reading .eml, .mbox and .txt files: messages, notes, and clear errors for bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from clearpact.ingest.emails import (
    EmailFileError,
    parse_size,
    read_email_file,
    read_emails,
)
from tests.conftest import EXAMPLES

EMAILS = EXAMPLES / "emails"
HEADERS = "From: Jana Vogel <jana.vogel@brightline.example>\nSubject: Re: server\n"


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_an_eml_file_gives_sender_date_subject_and_body() -> None:
    [message] = read_email_file(EMAILS / "01-licence-server-friday.eml").messages
    assert message.sender == "Jana Vogel <jana.vogel@brightline.example>"
    assert message.date == dt.datetime(
        2026, 11, 20, 17, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))
    )
    assert message.subject == "Re: CAD licence server unreachable"
    assert message.body.startswith("Hi Tomas,")
    assert message.notes == ()


def test_an_mbox_file_gives_each_message_with_its_place_in_the_file() -> None:
    read = read_email_file(EMAILS / "thread.mbox")
    assert [m.source for m in read.messages] == [f"{EMAILS / 'thread.mbox'}#{n}" for n in (1, 2, 3)]
    assert [m.sender_address for m in read.messages] == [
        "t.lee@harborlee.example",
        "jana.vogel@brightline.example",
        "jana.vogel@brightline.example",
    ]


def test_a_file_that_is_not_an_mbox_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.mbox", HEADERS + "\nNo From_ line at the top.\n")
    with pytest.raises(EmailFileError) as caught:
        read_email_file(path)
    assert (
        str(caught.value) == f"{path}: is not an mbox file: it does not start with a 'From ' line"
    )
    assert caught.value.hint is not None
    assert ".eml" in caught.value.hint


def test_an_mbox_of_empty_messages_holds_no_message(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.mbox", "From a@b.example Mon Dec  7 08:40:00 2026\n\n")
    with pytest.raises(EmailFileError, match="holds no message"):
        read_email_file(path)


def test_bytes_invalid_in_the_declared_charset_are_replaced_and_noted() -> None:
    [message] = read_email_file(EMAILS / "04-training-bad-bytes.eml").messages
    assert "Gr\ufffd" in message.body
    assert message.notes == (
        "the text has bytes that are not valid utf-8 (its declared charset); they were replaced "
        "with '\ufffd'",
    )


def test_an_unknown_charset_is_read_as_utf8_and_noted(tmp_path: Path) -> None:
    data = HEADERS + "Content-Type: text/plain; charset=x-klingon\n\nWe'll fix it.\n"
    [message] = read_email_file(write(tmp_path, "a.eml", data)).messages
    assert message.body.strip() == "We'll fix it."
    assert message.notes[0] == "unknown charset 'x-klingon'; the text was read as UTF-8"


def test_a_date_without_a_zone_is_read_as_utc_and_noted(tmp_path: Path) -> None:
    data = HEADERS + "Date: Fri, 20 Nov 2026 16:30:00\n\nWe'll fix it.\n"
    [message] = read_email_file(write(tmp_path, "a.eml", data)).messages
    assert message.date == dt.datetime(2026, 11, 20, 16, 30, tzinfo=dt.UTC)
    assert "the date has no time zone; it was read as UTC" in message.notes


def test_a_date_that_is_not_a_date_leaves_the_date_unknown(tmp_path: Path) -> None:
    data = HEADERS + "Date: last Friday-ish\n\nWe'll fix it.\n"
    [message] = read_email_file(write(tmp_path, "a.eml", data)).messages
    assert message.date is None
    assert message.notes[0].startswith("the Date header 'last Friday-ish' is not a date")


def test_an_html_only_message_is_read_as_its_text() -> None:
    [message] = read_email_file(EMAILS / "03-plotter-html.eml").messages
    assert "We'll sort it quickly." in message.body
    assert "<p>" not in message.body
    assert message.notes == ("HTML only: the text was taken from the HTML, tags stripped",)


def test_a_text_file_without_headers_has_no_sender_and_no_date() -> None:
    [message] = read_email_file(EMAILS / "05-pasted-notes.txt").messages
    assert (message.sender, message.date) == (None, None)
    assert message.notes == ("plain text without headers: sender and date unknown",)


def test_a_text_file_with_outlook_headers_gets_its_sender_and_date(tmp_path: Path) -> None:
    data = (
        "From: Jana Vogel <jana.vogel@brightline.example>\n"
        "Sent: Friday, 20 November 2026 16:30\nSubject: server\n\nWe'll fix it.\n"
    )
    [message] = read_email_file(write(tmp_path, "pasted.txt", data)).messages
    assert message.sender_address == "jana.vogel@brightline.example"
    assert message.date == dt.datetime(2026, 11, 20, 16, 30, tzinfo=dt.UTC)


def test_a_message_saved_as_utf16_is_read(tmp_path: Path) -> None:
    data = (
        "From: Jana Vogel <jana.vogel@brightline.example>\n"
        "Date: Fri, 20 Nov 2026 16:30:00 +0100\nSubject: server\n\nWe'll fix it today.\n"
    ).encode("utf-16")
    [message] = read_email_file(write(tmp_path, "saved.eml", data)).messages
    assert message.sender_address == "jana.vogel@brightline.example"
    assert message.body.strip() == "We'll fix it today."


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("empty.eml", b"", "is empty"),
        ("blank.txt", b"\n \n", "holds only white space"),
        ("outlook.eml", b"\xd0\xcf\x11\xe0\x00\x00binary", "is binary, not a text e-mail"),
        ("notes.docx", b"PK\x03\x04", "unknown file type '.docx'"),
        (
            "half.eml",
            b"\xff\xfeF\x00r\x00\x00\xd8",
            "starts as UTF-16 text but is not valid UTF-16",
        ),
    ],
)
def test_bad_files_give_one_clear_error(
    tmp_path: Path, name: str, data: bytes, problem: str
) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(EmailFileError) as caught:
        read_email_file(path)
    assert str(caught.value) == f"{path}: {problem}"
    assert caught.value.hint


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(EmailFileError, match="no such file"):
        read_email_file(tmp_path / "gone.eml")


def test_a_file_over_the_size_limit_is_refused_with_the_sizes(tmp_path: Path) -> None:
    path = write(tmp_path, "big.mbox", "From a@b.example Mon Dec  7 08:40:00 2026\n" + "x" * 1958)
    with pytest.raises(EmailFileError) as caught:
        read_email_file(path, max_bytes=1000)
    assert str(caught.value) == f"{path}: is 2 KB, over the limit of 1 KB"
    assert caught.value.hint is not None
    assert "--max-size 4KB" in caught.value.hint


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    bad = write(tmp_path, "empty.eml", b"")
    files, errors = read_emails([bad, EMAILS / "06-consistent.eml", tmp_path / "gone.txt"])
    assert [f.path.name for f in files] == ["06-consistent.eml"]
    assert [e.problem for e in errors] == ["is empty", "no such file"]


def test_a_folder_is_read_as_its_email_files_in_name_order() -> None:
    files, errors = read_emails([EMAILS])
    assert errors == []
    assert [f.path.name for f in files] == [
        "01-licence-server-friday.eml",
        "02-home-printer.eml",
        "03-plotter-html.eml",
        "04-training-bad-bytes.eml",
        "05-pasted-notes.txt",
        "06-consistent.eml",
        "thread.mbox",
    ]


def test_a_folder_without_email_files_is_an_error(tmp_path: Path) -> None:
    _, [error] = read_emails([tmp_path])
    assert error.problem == "the folder holds no .eml, .mbox, .msg or .txt files"


@pytest.mark.parametrize("text", ["", "lots", "-5MB", "0"])
def test_a_size_limit_must_be_a_positive_size(text: str) -> None:
    with pytest.raises(ValueError, match="size"):
        parse_size(text)


def test_a_malformed_message_is_read_as_far_as_possible_and_noted(tmp_path: Path) -> None:
    data = (
        "From: J\xe4na <j@brightline.example>\nDate: Fri, 20 Nov 9999 16:30:00 +0100\n"
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
        "V2UnbGwgZml4IGl0IGJ5IEZyaWRheS4=*&^%\n"
    ).encode("latin-1")
    [message] = read_email_file(write(tmp_path, "a.eml", data)).messages
    assert message.body == "We'll fix it by Friday."
    assert message.notes == (
        "the date 9999-11-20T16:30:00+01:00 is outside 1970–2199; promises are not placed in time",
        "the message is malformed (InvalidBase64CharactersDefect); it was read as far as possible",
    )


def test_a_message_with_only_an_attachment_has_no_body(tmp_path: Path) -> None:
    data = (
        'From: x@brightline.example\nContent-Type: multipart/mixed; boundary="XX"\n\n--XX\n'
        "Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n--XX--\n"
    )
    [message] = read_email_file(write(tmp_path, "b.eml", data)).messages
    assert message.body == ""
    assert message.notes == ("no text part: the message has no body to read",)


# Outlook .msg files, built by tests/ingest/msgfile.py from the published formats ([MS-CFB],
# [MS-OXMSG]). The reader was also run on .msg files Outlook wrote (see the closing note).

SENT = dt.datetime(2026, 11, 17, 8, 14, 5, tzinfo=dt.UTC)


def test_an_outlook_msg_gives_sender_date_subject_and_body(tmp_path: Path) -> None:
    from tests.ingest.msgfile import write_msg

    path = write_msg(
        tmp_path / "promise.msg",
        subject="RE: file server down",
        body="Hi Tom,\r\n\r\nWe'll have someone on site within the hour.\r\n\r\nDana",
        sender_name="Dana Reyes",
        sender_smtp="dana@brightpath-it.example",
        sender_email="/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=DANA",
        sent=SENT,
    )
    [message] = read_email_file(path).messages
    assert message.sender == "Dana Reyes <dana@brightpath-it.example>"  # not the X.500 name
    assert message.date == SENT
    assert message.subject == "RE: file server down"
    assert message.body == "Hi Tom,\n\nWe'll have someone on site within the hour.\n\nDana"
    assert message.notes == ()


def test_the_transport_headers_of_a_received_msg_give_sender_and_date(tmp_path: Path) -> None:
    from tests.ingest.msgfile import write_msg

    headers = (
        "Received: from mail.brightpath-it.example\r\n"
        "From: Dana Reyes <dana@brightpath-it.example>\r\n"
        "Date: Tue, 17 Nov 2026 09:14:05 +0100\r\n"
        "Subject: RE: file server down\r\n\r\n"
    )
    path = write_msg(tmp_path / "received.msg", body="Done.", headers=headers, sent=SENT)
    [message] = read_email_file(path).messages
    assert message.sender == "Dana Reyes <dana@brightpath-it.example>"
    assert message.date == dt.datetime(2026, 11, 17, 9, 14, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))  # fmt: skip


def test_an_msg_in_an_eight_bit_code_page_is_decoded_with_it(tmp_path: Path) -> None:
    from tests.ingest.msgfile import write_msg

    path = write_msg(
        tmp_path / "cp1250.msg",
        body="Dostawa do środy.",
        sender_name="Łukasz Nowak",
        string8=True,
        codepage=1250,
    )
    [message] = read_email_file(path).messages
    assert (message.sender, message.body) == ("Łukasz Nowak", "Dostawa do środy.")
    assert message.date is None
    assert "records no sent, delivered or created time" in message.notes[0]


def test_an_html_only_msg_is_read_as_its_text_with_a_note(tmp_path: Path) -> None:
    from tests.ingest.msgfile import write_msg

    html = "<html><body><p>That&#39;s <b>included</b> in your plan.</p></body></html>"
    path = write_msg(tmp_path / "html.msg", html=html, sent=SENT)
    [message] = read_email_file(path).messages
    assert message.body.strip() == "That's included in your plan."
    assert message.notes == ("HTML only: the text was taken from the HTML, tags stripped",)


def test_a_long_msg_body_stored_outside_the_mini_stream_is_read(tmp_path: Path) -> None:
    from tests.ingest.msgfile import write_msg

    body = "Status update.\n" * 400  # 6,000 characters, 12,000 bytes: over the 4,096-byte cutoff
    [message] = read_email_file(write_msg(tmp_path / "long.msg", body=body)).messages
    assert message.body == body


def test_an_msg_saved_with_the_eml_suffix_is_still_read(tmp_path: Path) -> None:
    from tests.ingest.msgfile import write_msg

    path = write_msg(tmp_path / "misnamed.eml", body="Fixed.", sender_smtp="ops@msp.example")
    [message] = read_email_file(path).messages
    assert (message.sender, message.body) == ("ops@msp.example", "Fixed.")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (
            b"From: a@b.example\n\nhello",
            "is not an Outlook .msg file (it is not an OLE compound file)",
        ),
        (bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 100, "is not a readable Outlook .msg file"),
    ],
)
def test_a_bad_msg_file_gives_one_clear_error(tmp_path: Path, data: bytes, problem: str) -> None:
    path = write(tmp_path, "bad.msg", data)
    with pytest.raises(EmailFileError) as caught:
        read_email_file(path)
    assert str(caught.value).startswith(f"{path}: {problem}")
    assert caught.value.hint


def test_a_msg_cut_short_or_corrupted_is_refused_not_read_in_part(tmp_path: Path) -> None:
    from tests.ingest.msgfile import write_msg

    whole = write_msg(tmp_path / "whole.msg", body="Status update.\n" * 400).read_bytes()
    cut = write(tmp_path, "cut.msg", whole[:6000])  # the body stream lies past byte 6,000
    with pytest.raises(EmailFileError, match="shorter than the file says") as caught:
        read_email_file(cut)
    assert caught.value.hint
    corrupted = bytearray(whole)
    corrupted[32] = 64  # the mini sector shift: mini sectors of 2**64 bytes
    with pytest.raises(EmailFileError, match=r"damaged Outlook \.msg file"):
        read_email_file(write(tmp_path, "corrupted.msg", bytes(corrupted)))


def test_msg_strings_and_html_are_decoded_with_their_own_code_pages(tmp_path: Path) -> None:
    from tests.ingest.msgfile import write_msg

    # PT_STRING8 strings are in the message code page, even when the body's (internet) code
    # page is UTF-8
    path = write_msg(
        tmp_path / "ansi.msg", body="Grüße.", sender_name="José Müller", string8=True,
        codepage=1252, internet_codepage=65001,
    )  # fmt: skip
    [message] = read_email_file(path).messages
    assert (message.sender, message.body) == ("José Müller", "Grüße.")
    # an HTML body in ISO 8859-2 (Windows code page 28592)
    html = "<p>Naprawimy to do środy, Łukasz</p>"
    path = write_msg(tmp_path / "pl.msg", html=html, internet_codepage=28592, html_encoding="iso8859_2")  # fmt: skip
    assert read_email_file(path).messages[0].body.strip() == "Naprawimy to do środy, Łukasz"
    # no code page at all: the charset the HTML declares
    html = (
        '<html><head><meta charset="utf-8"></head><body>Bis Dienstag – versprochen.</body></html>'
    )
    path = write_msg(tmp_path / "meta.msg", html=html, html_encoding="utf-8")
    assert read_email_file(path).messages[0].body.strip() == "Bis Dienstag – versprochen."


def test_bytes_a_msg_code_page_cannot_decode_are_replaced_and_noted(tmp_path: Path) -> None:
    from tests.ingest.msgfile import write_msg

    path = write_msg(tmp_path / "bad.msg", html="<p>caf\u00e9</p>", html_encoding="utf-8", codepage=20127)  # fmt: skip
    [message] = read_email_file(path).messages
    assert message.body.strip() == "caf\ufffd\ufffd"
    assert any("not valid ascii" in note for note in message.notes)


def test_a_msg_date_out_of_range_is_noted_as_for_an_eml(tmp_path: Path) -> None:
    from tests.ingest.msgfile import write_msg

    path = write_msg(tmp_path / "old.msg", body="Done.", sent=dt.datetime(1601, 1, 1, 0, 0, 1, tzinfo=dt.UTC))  # fmt: skip
    [message] = read_email_file(path).messages
    assert message.notes == (
        "the date 1601-01-01T00:00:01+00:00 is outside 1970–2199; promises are not placed in time",
    )


def test_a_from_header_the_standard_library_cannot_parse_is_a_note(tmp_path: Path) -> None:
    path = write(tmp_path, "odd.eml", "From: a@[\nSubject: x\n\nWe will fix it today.\n")
    [message] = read_email_file(path).messages
    assert message.sender is None
    assert message.notes[0].startswith("the From header could not be read")


def test_an_ole_file_that_is_no_message_is_refused(tmp_path: Path) -> None:
    from tests.ingest.msgfile import write_cfb

    path = write_cfb(tmp_path / "sheet.msg", {"Workbook": b"\x09\x08" * 100})
    with pytest.raises(EmailFileError, match="is an OLE file but not an Outlook message"):
        read_email_file(path)


def test_a_folder_includes_its_msg_files(tmp_path: Path) -> None:
    from tests.ingest.msgfile import write_msg

    write_msg(tmp_path / "a.msg", body="One.")
    write(tmp_path, "b.eml", HEADERS + "\nTwo.\n")
    files, errors = read_emails([tmp_path])
    assert errors == []
    assert [f.messages[0].body.strip() for f in files] == ["One.", "Two."]
