"""Outlook ``.msg`` files into :class:`~clearpact.gaps.messages.Message` values.

A ``.msg`` file is an OLE compound file ([MS-CFB]) that holds one message as MAPI properties
([MS-OXMSG]): a variable-length property ``0xPPPP`` of type ``0xTTTT`` is the stream
``__substg1.0_PPPPTTTT``; fixed-length ones (dates) are 16-byte entries of the stream
``__properties_version1.0`` after its 32-byte header. olefile reads the compound file.

What is read, in order of preference:

* sender: the ``From`` line of the transport headers (PR_TRANSPORT_MESSAGE_HEADERS, 0x007D) the
  message arrived with; else the sender's name (PR_SENDER_NAME, 0x0C1A) with its SMTP address
  (PR_SENDER_SMTP_ADDRESS, 0x5D01, or PR_SENDER_EMAIL_ADDRESS, 0x0C1F, when that is an address
  and not an Exchange X.500 name);
* date: the ``Date`` transport header; else when it was sent (PR_CLIENT_SUBMIT_TIME, 0x0039),
  delivered (PR_MESSAGE_DELIVERY_TIME, 0x0E06) or created (PR_CREATION_TIME, 0x3007), all UTC;
* body: the plain text (PR_BODY, 0x1000); else the HTML (PR_HTML, 0x1013) reduced to text. A
  body stored only as compressed RTF (PR_RTF_COMPRESSED, 0x1009) is not read: the message
  carries a note that says so.

Strings of type PT_UNICODE (``001F``) are UTF-16LE; PT_STRING8 (``001E``) strings are decoded with
the message's code page (PR_INTERNET_CPID, 0x3FDE, or PR_MESSAGE_CODEPAGE, 0x3FFD; Windows-1252
when neither is set).
"""

from __future__ import annotations

import codecs
import datetime as dt
import email
import struct
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from clearpact.gaps.messages import Message, html_to_text

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The first eight bytes of every OLE compound file ([MS-CFB] 2.2)."""

_PROPERTIES = "__properties_version1.0"
_TOP_HEADER = 32  # the property stream's header for the top-level message ([MS-OXMSG] 2.4.1.1)
_PT_LONG, _PT_SYSTIME, _PT_STRING8, _PT_UNICODE, _PT_BINARY = 0x0003, 0x0040, 0x001E, 0x001F, 0x0102
_FILETIME_EPOCH = dt.datetime(1601, 1, 1, tzinfo=dt.UTC)

SUBJECT, TRANSPORT_HEADERS, SENDER_NAME, SENDER_EMAIL, SENDER_SMTP = 0x0037, 0x007D, 0x0C1A, 0x0C1F, 0x5D01  # fmt: skip
BODY, HTML, RTF_COMPRESSED = 0x1000, 0x1013, 0x1009
CLIENT_SUBMIT_TIME, MESSAGE_DELIVERY_TIME, CREATION_TIME = 0x0039, 0x0E06, 0x3007
INTERNET_CPID, MESSAGE_CODEPAGE = 0x3FDE, 0x3FFD


class MsgError(ValueError):
    """The file is not a readable ``.msg``; the text says why."""


def read_msg(path: Path, source: str) -> Message:
    """The message of an Outlook ``.msg`` file. Raises :class:`MsgError` when the file is not
    an OLE compound file, is damaged, or holds no message properties."""
    import olefile

    try:
        ole = olefile.OleFileIO(str(path))
    except (OSError, ValueError, struct.error, IndexError) as exc:  # olefile's damaged-file errors
        raise MsgError(f"is not a readable Outlook .msg file ({exc})") from None
    try:
        return _message(_Properties(ole), source)
    except (OSError, ValueError, struct.error, IndexError) as exc:
        raise MsgError(f"is a damaged Outlook .msg file ({exc})") from None
    finally:
        ole.close()


class _Properties:
    """The top-level MAPI properties of one ``.msg`` file."""

    def __init__(self, ole: Any) -> None:
        self._ole = ole
        self._streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=False)}
        if _PROPERTIES not in self._streams and not any(
            name.startswith("__substg1.0_") for name in self._streams
        ):
            raise MsgError("is an OLE file but not an Outlook message (no message properties)")
        self._fixed: dict[int, tuple[int, bytes]] = {}
        if _PROPERTIES in self._streams:
            data = ole.openstream(_PROPERTIES).read()
            for at in range(_TOP_HEADER, len(data) - 15, 16):
                tag, _flags = struct.unpack_from("<II", data, at)
                self._fixed[tag >> 16] = (tag & 0xFFFF, data[at + 8 : at + 16])
        self.codec = "cp1252"
        for prop in (INTERNET_CPID, MESSAGE_CODEPAGE):
            page = self.long(prop)
            if page is not None:
                try:
                    self.codec = codecs.lookup(f"cp{page}" if page != 65001 else "utf-8").name
                    break
                except LookupError:
                    continue

    def _stream(self, prop: int, kind: int) -> bytes | None:
        name = f"__substg1.0_{prop:04X}{kind:04X}"
        if name not in self._streams:
            return None
        data: bytes = self._ole.openstream(name).read()
        return data

    def text(self, prop: int) -> str | None:
        """A string property, whichever of its two string types the file stores."""
        data = self._stream(prop, _PT_UNICODE)
        if data is not None:
            return data.decode("utf-16-le", errors="replace").rstrip("\x00") or None
        data = self._stream(prop, _PT_STRING8)
        if data is not None:
            return data.decode(self.codec, errors="replace").rstrip("\x00") or None
        return None

    def binary(self, prop: int) -> bytes | None:
        return self._stream(prop, _PT_BINARY)

    def long(self, prop: int) -> int | None:
        kind, value = self._fixed.get(prop, (None, b""))
        return int(struct.unpack_from("<i", value)[0]) if kind == _PT_LONG else None

    def time(self, prop: int) -> dt.datetime | None:
        kind, value = self._fixed.get(prop, (None, b""))
        if kind != _PT_SYSTIME:
            return None
        ticks = struct.unpack_from("<Q", value)[0]  # 100-nanosecond intervals since 1601, UTC
        if ticks == 0:
            return None
        try:
            return _FILETIME_EPOCH + dt.timedelta(microseconds=ticks // 10)
        except OverflowError:
            return None


def _message(props: _Properties, source: str) -> Message:
    notes: list[str] = []
    headers: EmailMessage | None = None
    raw = props.text(TRANSPORT_HEADERS)
    if raw:
        parsed = email.message_from_string(raw, policy=policy.default)
        if isinstance(parsed, EmailMessage):
            headers = parsed
    sender = _header(headers, "From") or _sender(props)
    when: dt.datetime | None = None
    if headers is not None and headers["Date"] is not None:
        when = getattr(headers["Date"], "datetime", None)
    if when is None:
        when = next(
            (
                t
                for t in map(props.time, (CLIENT_SUBMIT_TIME, MESSAGE_DELIVERY_TIME, CREATION_TIME))
                if t is not None
            ),
            None,
        )
    if when is not None and when.tzinfo is None:
        notes.append("the date has no time zone; it was read as UTC")
        when = when.replace(tzinfo=dt.UTC)
    if when is None:
        notes.append(
            "the .msg file records no sent, delivered or created time; the date is unknown"
        )
    body = props.text(BODY)
    if body is None:
        html = props.binary(HTML)
        html_text = (
            html.decode(props.codec, errors="replace") if html is not None else props.text(HTML)
        )
        if html_text is not None:
            notes.append("HTML only: the text was taken from the HTML, tags stripped")
            body = html_to_text(html_text)
        elif props.binary(RTF_COMPRESSED) is not None:
            notes.append(
                "the body is stored only as compressed RTF, which is not read; "
                "save the message as .eml (or as text) to read it"
            )
        else:
            notes.append("no body: the message has no text to read")
    return Message(
        body=(body or "").replace("\r\n", "\n"),
        sender=sender,
        date=when,
        subject=props.text(SUBJECT),
        source=source,
        notes=tuple(notes),
    )


def _header(headers: EmailMessage | None, name: str) -> str | None:
    if headers is None:
        return None
    try:
        value = headers[name]
    except (ValueError, IndexError, TypeError):
        return None
    text = str(value).strip() if value is not None else ""
    return text or None


def _sender(props: _Properties) -> str | None:
    name = props.text(SENDER_NAME)
    address = props.text(SENDER_SMTP)
    if address is None:
        address = props.text(SENDER_EMAIL)
        if address is not None and "@" not in address:  # an Exchange X.500 name, not an address
            address = None
    if name and address and name != address:
        return f"{name} <{address}>"
    return address or name
