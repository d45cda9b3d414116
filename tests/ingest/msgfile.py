"""Outlook ``.msg`` files for tests, written from the published formats: an OLE compound file
([MS-CFB], version 3, 512-byte sectors, small streams in the mini stream) holding MAPI
properties as [MS-OXMSG] lays them out. olefile, which the reader uses, cannot create one.

Only what a received message needs: streams directly under the root storage (no recipient or
attachment storages).
"""

from __future__ import annotations

import datetime as dt
import struct
from pathlib import Path

SECTOR, MINI, CUTOFF = 512, 64, 4096
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _sectors(size: int, unit: int) -> int:
    return -(-size // unit)


def write_cfb(path: Path, streams: dict[str, bytes]) -> Path:
    """A compound file whose root storage holds ``streams`` (name → content)."""
    names = sorted(streams, key=lambda n: (len(n), n.upper()))  # [MS-CFB] 2.6.4 name order
    small = [n for n in names if len(streams[n]) < CUTOFF]
    large = [n for n in names if len(streams[n]) >= CUTOFF]
    mini_start: dict[str, int] = {}
    ministream = b""
    minifat: list[int] = []
    for name in small:
        data = streams[name]
        count = _sectors(len(data), MINI)
        if count:
            mini_start[name] = len(minifat)
            minifat += [len(minifat) + i + 1 for i in range(count - 1)] + [END]
            ministream += data.ljust(count * MINI, b"\0")
    entries = 1 + len(names)
    dir_count = _sectors(entries * 128, SECTOR)
    minifat_count = _sectors(len(minifat) * 4, SECTOR)
    mini_count = _sectors(len(ministream), SECTOR)
    large_counts = [_sectors(len(streams[n]), SECTOR) for n in large]
    body = dir_count + minifat_count + mini_count + sum(large_counts)
    fat_count = 1
    while fat_count * (SECTOR // 4) < fat_count + body:
        fat_count += 1
    assert fat_count <= 109, "more FAT sectors than the header's DIFAT holds"
    fat: list[int] = [FATSECT] * fat_count
    starts: list[int] = []

    def chain(count: int) -> int:
        if count == 0:
            return END
        first = len(fat)
        fat.extend(first + i + 1 for i in range(count - 1))
        fat.append(END)
        starts.append(first)
        return first

    dir_start = chain(dir_count)
    minifat_start = chain(minifat_count)
    mini_sector = chain(mini_count)
    large_start = {name: chain(count) for name, count in zip(large, large_counts, strict=True)}
    fat += [FREE] * (fat_count * SECTOR // 4 - len(fat))

    def entry(
        name: str, kind: int, child: int, left: int, right: int, start: int, size: int
    ) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(encoded), kind, 1, left, right, child)
            + b"\0" * 16  # CLSID
            + struct.pack("<IQQIQ", 0, 0, 0, start, size)
        )

    # The root's children as a balanced binary tree in name order (all black, which readers
    # accept; [MS-CFB] 2.6.4 allows any valid red-black colouring).
    links: dict[int, tuple[int, int]] = {}

    def tree(low: int, high: int) -> int:
        if low > high:
            return NOSTREAM
        middle = (low + high) // 2
        links[middle] = (tree(low, middle - 1), tree(middle + 1, high))
        return middle + 1  # directory ids: 0 is the root

    top = tree(0, len(names) - 1)
    directory = entry("Root Entry", 5, top, NOSTREAM, NOSTREAM, mini_sector if ministream else END, len(ministream))  # fmt: skip
    for number, name in enumerate(names):
        left, right = links[number]
        start = large_start.get(name, mini_start.get(name, END))
        directory += entry(name, 2, NOSTREAM, left, right, start, len(streams[name]))
    unused = entry("", 0, NOSTREAM, NOSTREAM, NOSTREAM, 0, 0)  # [MS-CFB] 2.6.3: free entries
    directory += unused * (dir_count * SECTOR // 128 - entries)
    header = (
        bytes.fromhex("d0cf11e0a1b11ae1")
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack(
            "<IIIIIIIII",
            0,
            fat_count,
            dir_start,
            0,
            CUTOFF,
            minifat_start if minifat else END,
            minifat_count,
            END,
            0,
        )
        + struct.pack("<109I", *(list(range(fat_count)) + [FREE] * (109 - fat_count)))
    )
    parts = [header, struct.pack(f"<{len(fat)}I", *fat), directory]
    parts.append(struct.pack(f"<{len(minifat)}I", *minifat).ljust(minifat_count * SECTOR, b"\xff"))
    parts.append(ministream.ljust(mini_count * SECTOR, b"\0"))
    parts += [streams[n].ljust(c * SECTOR, b"\0") for n, c in zip(large, large_counts, strict=True)]
    path.write_bytes(b"".join(parts))
    return path


def write_msg(
    path: Path,
    *,
    subject: str | None = None,
    body: str | None = None,
    html: str | None = None,
    sender_name: str | None = None,
    sender_smtp: str | None = None,
    sender_email: str | None = None,
    headers: str | None = None,
    sent: dt.datetime | None = None,
    string8: bool = False,
    codepage: int | None = None,
    internet_codepage: int | None = None,
    html_encoding: str | None = None,
) -> Path:
    """An Outlook message with the given MAPI properties ([MS-OXMSG] 2.1, 2.4). Strings are
    PT_UNICODE, or PT_STRING8 in ``codepage`` (PR_MESSAGE_CODEPAGE; Windows-1252 by default)
    with ``string8``; the HTML body is bytes in ``html_encoding`` (default: that code page);
    ``internet_codepage`` is PR_INTERNET_CPID."""
    streams: dict[str, bytes] = {}
    encoding = f"cp{codepage}" if codepage else "cp1252"

    def text(prop: int, value: str | None) -> None:
        if value is None:
            return
        if string8:
            streams[f"__substg1.0_{prop:04X}001E"] = value.encode(encoding) + b"\0"
        else:
            streams[f"__substg1.0_{prop:04X}001F"] = value.encode("utf-16-le")

    text(0x0037, subject)
    text(0x1000, body)
    text(0x0C1A, sender_name)
    text(0x5D01, sender_smtp)
    text(0x0C1F, sender_email)
    text(0x007D, headers)
    if html is not None:
        streams["__substg1.0_10130102"] = html.encode(html_encoding or encoding)
    fixed = b""
    if sent is not None:
        ticks = (sent - dt.datetime(1601, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1) * 10
        fixed += struct.pack("<IIQ", 0x0039 << 16 | 0x0040, 0x06, ticks)
    if codepage is not None:
        fixed += struct.pack("<IIiI", 0x3FFD << 16 | 0x0003, 0x06, codepage, 0)
    if internet_codepage is not None:
        fixed += struct.pack("<IIiI", 0x3FDE << 16 | 0x0003, 0x06, internet_codepage, 0)
    streams["__properties_version1.0"] = b"\0" * 32 + fixed
    return write_cfb(path, streams)
