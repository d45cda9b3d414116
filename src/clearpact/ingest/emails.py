"""Read e-mails from ``.eml``, ``.mbox``, Outlook ``.msg`` and ``.txt`` files (or a folder of them) into
:class:`~clearpact.gaps.messages.Message` values for the gap finder.

Messages are parsed by the standard library (``email`` with ``policy.default``; ``mailbox`` for
mbox files). The text body is decoded with its declared charset; bytes that do not fit are
replaced (U+FFFD) and the message carries a note that says so. An HTML-only message is reduced to
its text. A plain ``.txt`` file is one message with no sender or date, unless it opens with
e-mail headers. Every problem that stops a file being read is an :class:`EmailFileError` whose
message names the file and whose ``hint`` says what to do.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email
import mailbox
import re
from collections.abc import Iterable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.message import Message as StdMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

from clearpact.gaps.messages import Message, html_to_text
from clearpact.gaps.times import placeable
from clearpact.ingest.outlook import MAGIC, MsgError, MsgParts, read_msg
from clearpact.ingest.text import utf16_as_utf8

SUFFIXES = (".eml", ".mbox", ".txt", ".msg")
_KINDS = ".eml, .mbox, .msg or .txt"  # the files read, as error messages name them
DEFAULT_MAX_BYTES = 50_000_000
"""Files larger than this are refused unless the caller raises the limit (``--max-size``)."""

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$", re.IGNORECASE)
_SIZE_UNITS = {
    "b": 1,
    "kb": 1000,
    "kib": 1024,
    "mb": 1000**2,
    "mib": 1024**2,
    "gb": 1000**3,
    "gib": 1024**3,
}
_HEADER_START = re.compile(
    rb"^(?:From|Date|Subject|To|Cc|Sent|Message-ID|Received|Return-Path|MIME-Version|Reply-To)"
    rb"[ \t]*:",
    re.IGNORECASE,
)


class EmailFileError(ValueError):
    """A file that cannot be read as e-mail. ``str()`` names the file; ``hint`` says what to do."""

    def __init__(self, path: Path | str, problem: str, hint: str | None = None) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem
        self.hint = hint


@dataclass(frozen=True)
class EmailFile:
    """The messages read from one file, in file order, and notes about the file as a whole
    (messages of an mbox that could not be read)."""

    path: Path
    messages: list[Message]
    notes: list[str]


def parse_size(text: str) -> int:
    """A size limit in bytes from ``"50MB"``, ``"500KB"``, ``"2GiB"`` or a plain byte count.

    >>> parse_size("50MB"), parse_size("1KiB"), parse_size("1200")
    (50000000, 1024, 1200)
    """
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a size; write e.g. '50MB', '500KB' or '2GB'")
    unit = (match.group(2) or "b").lower()
    size = int(float(match.group(1)) * _SIZE_UNITS[unit])
    if size <= 0:
        raise ValueError(f"'{text}' is no size at all; give a limit above zero")
    return size


def size_words(size: int) -> str:
    """``48.2 MB``: a byte count as people read it (decimal units).

    >>> size_words(48_200_000), size_words(900)
    ('48.2 MB', '900 bytes')
    """
    for unit, scale in (("GB", 1000**3), ("MB", 1000**2), ("KB", 1000)):
        if size >= scale:
            return f"{size / scale:.1f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{size} bytes"


def email_paths(paths: Iterable[Path]) -> list[Path]:
    """``paths`` with each folder replaced by its ``.eml``, ``.mbox``, ``.msg`` and ``.txt`` files (sorted,
    not recursive). Files are kept as given, whatever their suffix, for :func:`read_email_file`
    to judge."""
    result: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
            )
            if not found:
                raise EmailFileError(
                    path, f"the folder holds no {_KINDS} files", "give e-mail files"
                )
            result.extend(found)
        else:
            result.append(path)
    return result


def read_email_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> EmailFile:
    """The messages of one ``.eml``, ``.mbox`` or ``.txt`` file.

    Raises :class:`EmailFileError` for a missing, empty, binary or oversized file, an unknown
    suffix, or an mbox that does not start with a ``From `` line. One unreadable message of an
    mbox does not stop the others: it becomes a note.
    """
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise EmailFileError(
            path,
            f"unknown file type '{path.suffix or '(none)'}'",
            f"give {_KINDS} files, or a folder of them",
        )
    if not path.is_file():
        raise EmailFileError(path, "no such file")
    size = path.stat().st_size
    if size > max_bytes:
        raise EmailFileError(
            path,
            f"is {size_words(size)}, over the limit of {size_words(max_bytes)}",
            f"raise the limit with --max-size (e.g. --max-size {size_words(size * 2).replace(' ', '')}) "
            "or split the mailbox",
        )
    if size == 0:
        raise EmailFileError(path, "is empty", "give a file that holds at least one message")
    if suffix == ".mbox":
        return _read_mbox(path)
    with path.open("rb") as handle:
        outlook = handle.read(len(MAGIC)) == MAGIC
    if suffix == ".msg" or outlook:
        if not outlook:
            raise EmailFileError(
                path,
                "is not an Outlook .msg file (it is not an OLE compound file)",
                "save the message from Outlook again (File > Save As > Outlook Message Format)",
            )
        try:
            parts = read_msg(path)
        except MsgError as exc:
            raise EmailFileError(path, str(exc), exc.hint) from None
        return EmailFile(path, [_message_from_msg(parts, str(path))], [])
    try:
        data = utf16_as_utf8(path.read_bytes())
    except UnicodeDecodeError:
        raise EmailFileError(
            path,
            "starts as UTF-16 text but is not valid UTF-16",
            "save the message again as .eml, or as UTF-8 text",
        ) from None
    if not data.strip():
        raise EmailFileError(path, "holds only white space", "give a file with a message in it")
    if b"\x00" in data[:8192]:
        raise EmailFileError(
            path,
            "is binary, not a text e-mail",
            f"give {_KINDS} files",
        )
    if suffix == ".txt" and not _HEADER_START.match(data.lstrip()):
        return EmailFile(path, [_plain_text(data, str(path))], [])
    return EmailFile(path, [message_from_bytes(data, str(path))], [])


def _read_mbox(path: Path) -> EmailFile:
    with path.open("rb") as handle:
        head = handle.read(8192)
    if b"\x00" in head:
        raise EmailFileError(path, "is binary, not an mbox file", "export the mailbox as mbox")
    if not head.lstrip(b"\r\n").startswith(b"From "):
        raise EmailFileError(
            path,
            "is not an mbox file: it does not start with a 'From ' line",
            "save a single message as .eml, or export the mailbox again as mbox",
        )
    messages: list[Message] = []
    notes: list[str] = []
    box = mailbox.mbox(path, create=False)
    try:
        keys = list(box.keys())
        for number, key in enumerate(keys, start=1):
            source = f"{path}#{number}"
            try:
                data = box.get_bytes(key)
            except (mailbox.Error, OSError, ValueError) as exc:
                notes.append(f"message {number} could not be read and is skipped: {exc}")
                continue
            if not data.strip():
                notes.append(f"message {number} is empty and is skipped")
                continue
            messages.append(message_from_bytes(data, source))
    except (mailbox.Error, OSError) as exc:
        raise EmailFileError(path, f"is not a readable mbox file: {exc}") from None
    finally:
        box.close()
    if not messages:
        raise EmailFileError(path, "holds no message", "check that it is an mbox export")
    return EmailFile(path, messages, notes)


def _decode(payload: bytes, charset: str | None, notes: list[str]) -> str:
    """``payload`` decoded with its declared charset; what could not be decoded is replaced, and
    ``notes`` says so."""
    if charset is not None:
        try:
            codecs.lookup(charset)
        except LookupError:
            notes.append(f"unknown charset '{charset}'; the text was read as UTF-8")
            charset = None
    if charset is None:
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            notes.append(
                "the text declares no charset and is not UTF-8; bytes that are not were "
                "replaced with '\ufffd'"
            )
            return payload.decode("utf-8", errors="replace")
    try:
        return payload.decode(charset)
    except UnicodeDecodeError:
        notes.append(
            f"the text has bytes that are not valid {charset} (its declared charset); they were "
            "replaced with '\ufffd'"
        )
        return payload.decode(charset, errors="replace")


def _part_text(part: StdMessage, notes: list[str]) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    return _decode(payload, part.get_content_charset(), notes)


def _body(message: EmailMessage, notes: list[str]) -> str:
    try:
        plain = message.get_body(preferencelist=("plain",))
        html = None if plain is not None else message.get_body(preferencelist=("html",))
    except (KeyError, ValueError, IndexError):
        plain = html = None
    if plain is not None:
        return _part_text(plain, notes)
    if html is not None:
        notes.append("HTML only: the text was taken from the HTML, tags stripped")
        return html_to_text(_part_text(html, notes))
    if message.is_multipart():
        notes.append("no text part: the message has no body to read")
        return ""
    # A single part of another type (or none declared): read it as text.
    return _part_text(message, notes)


def _header(message: EmailMessage, name: str, notes: list[str]) -> str | None:
    try:
        value = message[name]
    except (ValueError, IndexError, TypeError, AttributeError) as exc:  # AttributeError: a
        # standard-library parser bug on some broken addresses ("From: a@[")
        notes.append(f"the {name} header could not be read: {exc}")
        return None
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _date(message: EmailMessage, notes: list[str]) -> dt.datetime | None:
    text = _header(message, "Date", notes)
    when: dt.datetime | None = None
    if text is not None:
        try:
            when = getattr(message["Date"], "datetime", None)
        except (ValueError, IndexError, TypeError, AttributeError):
            when = None
        if when is None:
            notes.append(f"the Date header '{text}' is not a date; the message's date is unknown")
    else:
        sent = _header(message, "Sent", notes)  # Outlook-style headers pasted into a text file
        if sent is not None:
            try:
                when = parsedate_to_datetime(sent)
            except (TypeError, ValueError):
                when = _sent_date(sent)
            if when is None:
                notes.append(
                    f"the Sent header '{sent}' is not a date; the message's date is unknown"
                )
    return _settled(when, notes)


def _settled(when: dt.datetime | None, notes: list[str]) -> dt.datetime | None:
    """A message's date as the gap finder takes it: UTC when it has no zone, and a note when it
    is too far off to place promises in time."""
    if when is not None and when.tzinfo is None:
        notes.append("the date has no time zone; it was read as UTC")
        when = when.replace(tzinfo=dt.UTC)
    if when is not None and placeable(when) is None:
        notes.append(
            f"the date {when.isoformat()} is outside 1970–2199; promises are not placed in time"
        )
    return when


def _sent_date(text: str) -> dt.datetime | None:
    """An Outlook ``Sent:`` line such as ``Friday, 20 November 2026 16:30`` (no zone)."""
    import dateparser  # only here: an ordinary Date header needs no help

    settings = {"RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first"}
    result: dt.datetime | None = dateparser.parse(text, languages=["en"], settings=settings)
    return result


def message_from_bytes(data: bytes, source: str) -> Message:
    """One RFC 5322 message: sender, date (aware; UTC with a note when it has no zone), subject
    and text body, with notes on what had to be assumed."""
    notes: list[str] = []
    parsed = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(parsed, EmailMessage)  # policy.default always builds EmailMessage
    sender = _header(parsed, "From", notes)
    subject = _header(parsed, "Subject", notes)
    when = _date(parsed, notes)
    body = _body(parsed, notes)
    if parsed.defects:
        kinds = sorted({type(defect).__name__ for defect in parsed.defects})
        notes.append(
            f"the message is malformed ({', '.join(kinds)}); it was read as far as possible"
        )
    return Message(
        body=body, sender=sender, date=when, subject=subject, source=source, notes=tuple(notes)
    )


def _message_from_msg(parts: MsgParts, source: str) -> Message:
    """An Outlook message: sender and date from the transport headers it arrived with, as for
    an ``.eml``, else from its own properties."""
    notes = list(parts.notes)
    sender = when = None
    if parts.headers:
        headers = email.message_from_string(parts.headers, policy=policy.default)
        assert isinstance(headers, EmailMessage)  # policy.default always builds EmailMessage
        sender = _header(headers, "From", notes)
        if _header(headers, "Date", []) is not None:
            when = _date(headers, notes)
    sender = sender or parts.sender
    if when is None:
        if parts.sent is None:
            notes.append("the .msg file records no sent, delivered or created time; the date is unknown")  # fmt: skip
        when = _settled(parts.sent, notes)
    return Message(
        body=parts.body, sender=sender, date=when, subject=parts.subject, source=source,
        notes=tuple(notes),
    )  # fmt: skip


def _plain_text(data: bytes, source: str) -> Message:
    notes: list[str] = []
    text = _decode(data, None, notes)
    notes.append("plain text without headers: sender and date unknown")
    return Message(body=text, source=source, notes=tuple(notes))


def read_emails(
    paths: Iterable[Path], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[list[EmailFile], list[EmailFileError]]:
    """Every readable file of ``paths`` (folders expanded) and the errors of those that are not:
    one bad file never stops the others."""
    files: list[EmailFile] = []
    errors: list[EmailFileError] = []
    for given in paths:
        try:
            expanded = email_paths([given])
        except EmailFileError as exc:
            errors.append(exc)
            continue
        for path in expanded:
            try:
                files.append(read_email_file(path, max_bytes=max_bytes))
            except EmailFileError as exc:
                errors.append(exc)
    return files, errors
