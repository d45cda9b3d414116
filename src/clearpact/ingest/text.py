"""Bytes of a text file as clearpact's readers expect them."""

from __future__ import annotations

import codecs


def utf16_as_utf8(data: bytes) -> bytes:
    """``data`` re-encoded as UTF-8 when it starts with a UTF-16 byte-order mark (what Windows
    Notepad writes as "Unicode"), else unchanged; readers that reject NUL bytes as binary then
    read such a file as text.

    >>> utf16_as_utf8("Café".encode("utf-16"))
    b'Caf\\xc3\\xa9'
    >>> utf16_as_utf8(b"plain")
    b'plain'

    Raises :class:`UnicodeDecodeError` when the rest is not valid UTF-16.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16").encode("utf-8")
    return data
