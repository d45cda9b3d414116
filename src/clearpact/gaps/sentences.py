"""Sentences of an e-mail's text, for finding commitments one sentence at a time.

E-mail text is wrapped at about 72 characters, so a line break is not a sentence end; a blank
line, a list item or a salutation line ("Hi Tomas,") is. Pure: text in, strings out.
"""

from __future__ import annotations

import re

_ABBREVIATIONS = {
    "e.g",
    "i.e",
    "etc",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "vs",
    "approx",
    "incl",
    "excl",
    "no",
    "nr",
    "a.m",
    "p.m",
    "cf",
    "fig",
    "dept",
    "ca",
    "resp",
    "tel",
    "ext",
}
_LIST_ITEM = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)])\s+")
_SALUTATION = re.compile(
    r"^\s*(?:hi|hello|hey|dear|good\s+(?:morning|afternoon|evening)|hallo|bonjour)\b[^.!?]{0,40}[,:!]?\s*$",
    re.IGNORECASE,
)
_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9À-Ý])")


def _segments(paragraph: list[str]) -> list[str]:
    """Lines of one paragraph joined into runs of prose; list items and a salutation stand alone."""
    runs: list[list[str]] = []
    for position, line in enumerate(paragraph):
        starts_run = (
            not runs
            or bool(_LIST_ITEM.match(line))
            or (position == 1 and bool(_SALUTATION.match(paragraph[0])))
        )
        if starts_run:
            runs.append([line.strip()])
        else:
            runs[-1].append(line.strip())
    return [" ".join(run) for run in runs]


def _split(run: str) -> list[str]:
    pieces = []
    start = 0
    for match in _END.finditer(run):
        before = run[max(start, match.start() - 12) : match.start()].split()  # the last word
        word = before[-1].lower().rstrip(".") if before else ""
        if match.group(0).startswith(".") and (
            word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())
        ):
            continue  # "e.g. Outlook", "J. Vogel"
        pieces.append(run[start : match.end()])
        start = match.end()
    pieces.append(run[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order, each with its line breaks and runs of spaces made
    single spaces (the form in which a commitment's ``text`` is reported).

    >>> split_sentences("Hi Tomas,\\nwe'll be on site\\nwithin the hour. Is that ok?\\n\\n- Backup: daily")
    ['Hi Tomas,', "we'll be on site within the hour.", 'Is that ok?', '- Backup: daily']
    """
    result: list[str] = []
    paragraph: list[str] = []
    for line in [*text.split("\n"), ""]:
        if line.strip():
            paragraph.append(line)
            continue
        for run in _segments(paragraph):
            result.extend(re.sub(r"\s+", " ", piece) for piece in _split(run))
        paragraph = []
    return result
