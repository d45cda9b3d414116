"""The parts of an Outlook ``.msg`` file that make an e-mail: :func:`read_msg`.

A ``.msg`` file is an OLE compound file ([MS-CFB]) that holds one message as MAPI properties
([MS-OXMSG]): a variable-length property ``0xPPPP`` of type ``0xTTTT`` is the stream
``__substg1.0_PPPPTTTT``; fixed-length ones (dates, code pages) are 16-byte entries of the
stream ``__properties_version1.0`` after its 32-byte header. olefile reads the compound file;
:mod:`clearpact.ingest.emails` turns the parts into a message, the same way as for ``.eml``.

What is read:

* the transport headers the message arrived with (PR_TRANSPORT_MESSAGE_HEADERS, 0x007D), whose
  ``From`` and ``Date`` come first;
* the sender's name (PR_SENDER_NAME, 0x0C1A) with its SMTP address (PR_SENDER_SMTP_ADDRESS,
  0x5D01, or PR_SENDER_EMAIL_ADDRESS, 0x0C1F, when that is an address and not an Exchange
  X.500 name);
* when it was sent (PR_CLIENT_SUBMIT_TIME, 0x0039), else delivered (PR_MESSAGE_DELIVERY_TIME,
  0x0E06) or created (PR_CREATION_TIME, 0x3007), all UTC;
* the body: the plain text (PR_BODY, 0x1000); else the HTML (PR_HTML, 0x1013) reduced to text.
  A body stored only as compressed RTF (PR_RTF_COMPRESSED, 0x1009) is not read (noted).

Strings of type PT_UNICODE (``001F``) are UTF-16LE. PT_STRING8 (``001E``) strings are in the
message's code page (PR_MESSAGE_CODEPAGE, 0x3FFD; else PR_INTERNET_CPID, 0x3FDE; else
Windows-1252). An HTML body in bytes is in the body's code page (PR_INTERNET_CPID), else the
charset its ``<meta>`` declares, else the message's. Bytes a code page cannot decode are
replaced (U+FFFD), with a note.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clearpact.gaps.messages import html_to_text

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

_CODE_PAGES = {
    65001: "utf-8", 1200: "utf-16-le", 1201: "utf-16-be", 20127: "ascii", 20866: "koi8_r",
    21866: "koi8_u", 28603: "iso8859_13", 28605: "iso8859_15", 50220: "iso2022_jp",
    50221: "iso2022_jp", 50222: "iso2022_jp", 51932: "euc_jp", 51949: "euc_kr",
    54936: "gb18030", 52936: "hz", 936: "gbk", 10000: "mac_roman",
} | {page: f"iso8859_{page - 28590}" for page in range(28591, 28600)}  # fmt: skip
"""Windows code page numbers whose Python codec is not ``cp<number>``."""
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_DAMAGED = (OSError, ValueError, struct.error, IndexError, KeyError, TypeError, OverflowError, AttributeError, RecursionError, MemoryError)  # fmt: skip
"""What olefile raises on a damaged compound file (it checks little and indexes a lot)."""


class MsgError(ValueError):
    """The file is not a readable ``.msg``: ``str()`` says why, ``hint`` what to do."""

    def __init__(self, problem: str, hint: str) -> None:
        super().__init__(problem)
        self.hint = hint


@dataclass(frozen=True)
class MsgParts:
    """What an Outlook message says about itself, before it is read as an e-mail."""

    headers: str | None
    sender: str | None
    sent: dt.datetime | None
    subject: str | None
    body: str
    notes: tuple[str, ...]


_RESAVE = "open it in Outlook and save it again, or save it as .eml"


def read_msg(path: Path) -> MsgParts:
    """The parts of an Outlook ``.msg`` file. Raises :class:`MsgError` when the file is not an
    OLE compound file, is damaged or cut short, or holds no message."""
    import olefile

    try:
        ole = olefile.OleFileIO(str(path))
    except _DAMAGED as exc:
        raise MsgError(f"is not a readable Outlook .msg file ({exc})", _RESAVE) from None
    try:
        return _parts(_Properties(ole))
    except MsgError:
        raise
    except _DAMAGED as exc:
        raise MsgError(f"is a damaged Outlook .msg file ({exc})", _RESAVE) from None
    finally:
        ole.close()


class _Properties:
    """The top-level MAPI properties of one ``.msg`` file."""

    def __init__(self, ole: Any) -> None:
        self._ole = ole
        # [MS-CFB] compares stream names without regard to case
        self._streams = {
            "/".join(entry).upper(): entry for entry in ole.listdir(streams=True, storages=False)
        }
        if _PROPERTIES.upper() not in self._streams and not any(
            name.startswith("__SUBSTG1.0_") for name in self._streams
        ):
            raise MsgError(
                "is an OLE file but not an Outlook message (no message properties)",
                "give an e-mail saved from Outlook (.msg) or as .eml",
            )
        self._fixed: dict[int, tuple[int, bytes]] = {}
        data = self._read(_PROPERTIES)
        if data is not None:
            for at in range(_TOP_HEADER, len(data) - 15, 16):
                tag, _flags = struct.unpack_from("<II", data, at)
                self._fixed[tag >> 16] = (tag & 0xFFFF, data[at + 8 : at + 16])
        self.notes: list[str] = []

    def _read(self, name: str) -> bytes | None:
        entry = self._streams.get(name.upper())
        if entry is None:
            return None
        data: bytes = self._ole.openstream(entry).read()
        if len(data) < self._ole.get_size(entry):
            raise MsgError(
                f"is a damaged Outlook .msg file (its part {name} is shorter than the file "
                "says: cut short or corrupted)",
                _RESAVE,
            )
        return data

    def _stream(self, prop: int, kind: int) -> bytes | None:
        return self._read(f"__substg1.0_{prop:04X}{kind:04X}")

    def codec(self, page: int | None, what: str) -> str:
        """The codec of Windows code page ``page``; Windows-1252 when None or unknown (noted)."""
        if page is not None:
            try:
                return codecs.lookup(_CODE_PAGES.get(page, f"cp{page}")).name
            except LookupError:
                self.notes.append(f"unknown code page {page}; the {what} was read as Windows-1252")
        return "cp1252"

    def decode(self, data: bytes, codec: str, what: str) -> str:
        """``data`` in ``codec``; bytes it cannot decode are replaced, with a note."""
        text = data.decode(codec, errors="replace")
        if "\ufffd" in text:
            self.notes.append(
                f"the {what} has bytes that are not valid {codec}; they were replaced with '\ufffd'"
            )
        return text

    def text(self, prop: int, what: str) -> str | None:
        """A string property, whichever of its two string types the file stores."""
        data = self._stream(prop, _PT_UNICODE)
        if data is not None:
            return data.decode("utf-16-le", errors="replace").rstrip("\x00") or None
        data = self._stream(prop, _PT_STRING8)
        if data is None:
            return None
        codec = self.codec(self.long(MESSAGE_CODEPAGE) or self.long(INTERNET_CPID), what)
        return self.decode(data, codec, what).rstrip("\x00") or None

    def binary(self, prop: int) -> bytes | None:
        """A PT_BINARY property's bytes."""
        return self._stream(prop, _PT_BINARY)

    def long(self, prop: int) -> int | None:
        """A PT_LONG property (a 32-bit integer), or None."""
        kind, value = self._fixed.get(prop, (None, b""))
        return int(struct.unpack_from("<i", value)[0]) if kind == _PT_LONG else None

    def time(self, prop: int) -> dt.datetime | None:
        """A PT_SYSTIME property (100-nanosecond intervals since 1601, UTC), or None."""
        kind, value = self._fixed.get(prop, (None, b""))
        if kind != _PT_SYSTIME:
            return None
        ticks = struct.unpack_from("<Q", value)[0]
        if ticks == 0:
            return None
        try:
            return _FILETIME_EPOCH + dt.timedelta(microseconds=ticks // 10)
        except OverflowError:
            return None


def _parts(props: _Properties) -> MsgParts:
    sent = next(
        (
            when
            for when in map(props.time, (CLIENT_SUBMIT_TIME, MESSAGE_DELIVERY_TIME, CREATION_TIME))
            if when is not None
        ),
        None,
    )
    body = props.text(BODY, "body")
    if body is None:
        html = props.binary(HTML)
        html_text = props.text(HTML, "HTML body") if html is None else _html(props, html)
        if html_text is not None:
            props.notes.append("HTML only: the text was taken from the HTML, tags stripped")
            body = html_to_text(html_text)
        elif props.binary(RTF_COMPRESSED) is not None:
            props.notes.append(
                "the body is stored only as compressed RTF, which is not read; "
                "save the message as .eml (or as text) to read it"
            )
        else:
            props.notes.append("no body: the message has no text to read")
    return MsgParts(
        headers=props.text(TRANSPORT_HEADERS, "transport headers"),
        sender=_sender(props),
        sent=sent,
        subject=props.text(SUBJECT, "subject"),
        body=(body or "").replace("\r\n", "\n"),
        notes=tuple(props.notes),
    )


def _html(props: _Properties, data: bytes) -> str:
    """An HTML body kept as bytes, in the body's code page, else its ``<meta>`` charset, else
    the message's code page."""
    page = props.long(INTERNET_CPID)
    declared = _META_CHARSET.search(data[:4096]) if page is None else None
    codec = None
    if declared is not None:
        try:
            codec = codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            codec = None
    if codec is None:
        codec = props.codec(page if page is not None else props.long(MESSAGE_CODEPAGE), "HTML body")
    return props.decode(data, codec, "HTML body")


def _sender(props: _Properties) -> str | None:
    name = props.text(SENDER_NAME, "sender's name")
    address = props.text(SENDER_SMTP, "sender's address")
    if address is None:
        address = props.text(SENDER_EMAIL, "sender's address")
        if address is not None and "@" not in address:  # an Exchange X.500 name, not an address
            address = None
    if name and address and name != address:
        return f"{name} <{address}>"
    return address or name
