"""An e-mail message as text, and its body split into the sender's new text, quoted text and the
signature, so that quoted words are never attributed to the sender.

Pure: text in, text out. Reading ``.eml`` / ``.mbox`` files is :mod:`clearpact.ingest.emails`.
Reply headers in several languages come from ``mail-parser-reply``; the rest are our own rules.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email.utils import parseaddr
from functools import cache
from html.parser import HTMLParser


@dataclass(frozen=True)
class Message:
    """One e-mail as the gap finder reads it.

    ``body`` is the plain text as sent: new text, quoted replies and signature together (an
    HTML-only message is given as :func:`html_to_text` of its HTML). ``date`` is aware (the
    sender's offset) or ``None`` when unknown; ``sender`` is the ``From`` header as written, or
    ``None``. ``source`` says where the message came from (``thread.mbox#3``); ``notes`` what
    the reader had to assume (bytes replaced, a date without a zone).
    """

    body: str
    sender: str | None = None
    date: dt.datetime | None = None
    subject: str | None = None
    source: str = ""
    notes: tuple[str, ...] = ()

    @property
    def sender_address(self) -> str | None:
        """The sender's address in lower case (``jana.vogel@brightline.example``), or None."""
        if not self.sender:
            return None
        address = parseaddr(self.sender)[1].strip().lower()
        return address if "@" in address else None


@dataclass(frozen=True)
class Reply:
    """A body split three ways. ``new_text`` keeps its line breaks (quoted lines of an inline
    reply become blank lines, so paragraphs stay apart); ``quoted`` holds quoted and forwarded
    text without its ``>`` markers; ``signature`` the sign-off, contact block and legal footer.
    """

    new_text: str
    quoted: str
    signature: str


# -- quoted text ----------------------------------------------------------------------------------

_QUOTE_MARK = re.compile(r"^\s*>")
_ATTRIBUTION = re.compile(  # the line that introduces a quote: "On Fri, … Tomas Lee wrote:"
    r"^\s*(?:On\b.{0,200}?\bwrote|Am\b.{0,200}?\bschrieb[^:]*|Le\b.{0,200}?\ba écrit"
    r"|El\b.{0,200}?\bescribió|Il\b.{0,200}?\bha scritto|Op\b.{0,200}?\bschreef[^:]*)\s*:\s*$",
    re.IGNORECASE,
)
_BLOCK_START = re.compile(  # everything from here on was written by someone else
    r"^\s*(?:-{2,}\s*(?:Original|Forwarded)\s+Message\s*-{2,}"
    r"|-{2,}\s*(?:Ursprüngliche|Weitergeleitete)\s+Nachricht\s*-{2,}"
    r"|Begin forwarded message:|Anfang der weitergeleiteten Nachricht:"
    r"|_{10,})\s*$",
    re.IGNORECASE,
)
_HEADER_LINE = re.compile(
    r"^\s*\**\s*(?:From|Sent|Date|To|Cc|Subject|Von|Gesendet|An|Betreff|Datum)\s*:", re.I
)
_FROM_LINE = re.compile(r"^\s*\**\s*(?:From|Von)\s*:\**\s*\S", re.IGNORECASE)

# Headers in other languages that mail-parser-reply knows ("Le … a écrit :", "Von: … Gesendet:").
_REPLY_LANGUAGES = ("en", "de", "fr", "es", "it", "nl")


@cache
def _library_headers() -> re.Pattern[str]:
    from mailparser_reply.parser import EmailMessage  # loaded when a message is first split

    pattern: re.Pattern[str] = EmailMessage(text="", languages=list(_REPLY_LANGUAGES)).HEADER_REGEX
    return pattern


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


_LOTUS_DATE = re.compile(
    r"^\s*\d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:AM|PM)?\s*$", re.I
)


def _header_lead(lines: list[str], cut: int) -> int:
    """Where a Lotus Notes header block begins when the reply library found it at its ``To:`` line:
    the sender's name and the date line above it belong to the quoted message, not to the
    new text ("John Arnold / 04/08/2001 08:15 PM / To: …")."""
    if cut >= len(lines) or not re.match(r"^\s*To:", lines[cut]):
        return cut
    at = cut
    if at > 0 and _LOTUS_DATE.match(lines[at - 1]):
        at -= 1
        if at > 0 and lines[at - 1].strip() and len(lines[at - 1].split()) <= 6:
            at -= 1
    return at


def _quote_start(lines: list[str]) -> tuple[int, bool]:
    """The first line of text by someone else that runs to the end of the body, and whether it
    is an attribution line followed by ``>`` lines (then only the ``>`` lines are quoted and a
    reply written below them is still the sender's)."""
    for index, line in enumerate(lines):
        if _QUOTE_MARK.match(line):
            continue
        if _BLOCK_START.match(line):
            return index, False
        if _FROM_LINE.match(line) and any(
            _HEADER_LINE.match(following) for following in lines[index + 1 : index + 3]
        ):
            return index, False
        joined = line if index + 1 >= len(lines) else f"{line} {lines[index + 1]}"
        for candidate, span in ((line, 1), (joined, 2)):
            if _ATTRIBUTION.match(candidate):
                rest = [x for x in lines[index + span :] if x.strip()]
                return index, bool(rest) and bool(_QUOTE_MARK.match(rest[0]))
    text = "\n".join(lines)
    for match in _library_headers().finditer(text):
        start = match.start() + (1 if text[match.start() : match.start() + 1] == "\n" else 0)
        number = _line_of(text, start)
        if not _QUOTE_MARK.match(lines[number]):
            return _header_lead(lines, number), False
    return len(lines), False


def _unquote(line: str) -> str:
    return re.sub(r"^\s*(?:>\s?)+", "", line)


# -- signatures -----------------------------------------------------------------------------------

_SIG_DELIMITER = re.compile(r"^--\s?$")
_CLOSING = re.compile(
    r"^\s*(?:(?:best|kind|warm|warmest|many|with)\s+(?:regards|wishes|thanks)|regards|"
    r"thanks(?:\s+(?:again|a lot|so much))?|thank\s+you(?:\s+(?:again|very much))?|many\s+thanks|"
    r"cheers|best|all\s+the\s+best|sincerely|yours(?:\s+(?:sincerely|truly|faithfully))?|"
    r"take\s+care|speak\s+soon|talk\s+soon|"
    r"mit\s+freundlichen\s+grüßen|viele\s+grüße|beste\s+grüße|liebe\s+grüße|grüße|gruß|"
    r"cordialement|bien\s+à\s+vous|saludos|un\s+saluto|met\s+vriendelijke\s+groet)"
    r"\s*[,.!–-]*\s*(?:[A-ZÀ-Ý][\w.'-]*(?:\s+[A-ZÀ-Ý][\w.'-]*){0,3})?\s*$",
    re.IGNORECASE,
)
_SENT_FROM = re.compile(r"^\s*(?:Sent from my|Get Outlook for|Von meinem)\b", re.IGNORECASE)
_CONTACT = re.compile(
    r"(?:\b(?:tel|phone|mobile|mob|cell|fax|direct|office|t|m|p|f|e|w)\s*[.:]\s*\S)|"
    r"(?:\+?\d[\d ()/.-]{7,}\d)|(?:\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)|(?:\bhttps?://|\bwww\.)",
    re.IGNORECASE,
)
_FOOTER = re.compile(
    r"\b(?:confidential|intended\s+(?:solely\s+)?(?:only\s+)?for\s+the|intended\s+recipient|"
    r"disclaimer|registered\s+(?:office|in)|company\s+(?:number|no\.?)|VAT\s+(?:no|number|reg)|"
    r"Geschäftsführer|Amtsgericht|HRB\s*\d|Sitz\s+der\s+Gesellschaft|"
    r"please\s+consider\s+the\s+environment|unsubscribe)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"\b\w+\s+\w+\s+\w+\s+\w+\b.*[.!?]\s*$")


def _is_signature_line(line: str) -> bool:
    """A line a contact block is made of: short, no sentence of five words or more."""
    text = line.strip()
    if not text:
        return True
    if _CONTACT.search(text):
        return True
    return len(text.split()) <= 6 and not _SENTENCE.search(text)


def _signature_start(lines: list[str]) -> int:
    """The first line of the signature (``len(lines)`` when there is none)."""
    for index, line in enumerate(lines):
        if _SIG_DELIMITER.match(line) or _SENT_FROM.match(line):
            return index
    end = len(lines)
    # Legal footers: trailing paragraphs that read like a disclaimer or a company register entry.
    while True:
        trimmed = end
        while trimmed > 0 and not lines[trimmed - 1].strip():
            trimmed -= 1
        start = trimmed
        while start > 0 and lines[start - 1].strip():
            start -= 1
        paragraph = " ".join(lines[start:trimmed])
        if trimmed > 0 and _FOOTER.search(paragraph) and start > 0:
            end = start
            continue
        break
    content = [i for i in range(end) if lines[i].strip()]
    if not content:
        return end
    first = content[0]
    # "Regards,\nName": a closing line after which only a short contact block follows.
    for index in content:
        if index == first or not _CLOSING.match(lines[index]):
            continue
        if all(_is_signature_line(lines[i]) for i in range(index + 1, end)):
            return index
    # A contact block without a closing line: trailing short lines, at least one of them a
    # phone number, an address or a web site, after the last sentence.
    start = end
    while start > first + 1 and _is_signature_line(lines[start - 1]):
        start -= 1
    while start < end and not lines[start].strip():
        start += 1
    if any(_CONTACT.search(lines[i]) for i in range(start, end)):
        return start
    return end


def split_reply(body: str) -> Reply:
    """Separate the sender's new text from quoted replies and the signature.

    Quoted: ``>`` lines (an inline reply between them stays new text); everything after an
    attribution line (``On … wrote:``, ``Am … schrieb …:``) that is not followed by ``>`` lines;
    everything from ``-----Original Message-----``, an Outlook ``From: … Sent: …`` block, a
    forwarded-message marker or an underscore rule. Signature: from ``-- ``, ``Sent from my …``,
    a closing line (``Regards,`` / ``Thanks,`` and a name) followed only by a short contact
    block, a trailing contact block, and trailing legal footers.

    >>> reply = split_reply("We'll be there within the hour.\\n\\nRegards,\\nJana\\n\\n> Is it fixed?")
    >>> reply.new_text, reply.signature, reply.quoted
    ("We'll be there within the hour.", 'Regards,\\nJana', 'Is it fixed?')
    """
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [line.rstrip() for line in lines]
    cut, quoted_follow = _quote_start(lines)
    own = lines[:cut]
    quoted = []
    if quoted_follow:
        # "On … wrote:" over ">" lines: the sender may have answered below or between them.
        header_lines = 2 if not _ATTRIBUTION.match(lines[cut]) else 1
        rest = lines[cut + header_lines :]
        inner_cut, _ = _quote_start(rest)
        own = [*own, "", *rest[:inner_cut]]
        quoted = rest[inner_cut:]
    else:
        quoted = lines[cut:]
    new_lines = ["" if _QUOTE_MARK.match(line) else line for line in own]
    quoted_lines = [_unquote(line) for line in own if _QUOTE_MARK.match(line)] + [
        _unquote(line) for line in quoted
    ]
    signature_at = _signature_start(new_lines)
    new_text = "\n".join(new_lines[:signature_at]).strip()
    signature = "\n".join(new_lines[signature_at:]).strip()
    return Reply(
        new_text=re.sub(r"\n{3,}", "\n\n", new_text),
        quoted="\n".join(quoted_lines).strip(),
        signature=signature,
    )


# -- HTML -----------------------------------------------------------------------------------------

_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "tr",
    "li",
    "ul",
    "ol",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "blockquote",
    "hr",
    "section",
    "article",
}
_SKIPPED = {"script", "style", "head", "title"}


class _TextExtractor(HTMLParser):
    """HTML to text: blocks become lines; ``<blockquote>`` and Gmail's quote become ``>`` lines;
    a signature block gets a ``-- `` line before it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []
        self.current = ""
        self.depth = 0
        self.line_depth = 0
        self.skipping = 0
        self.stack: list[tuple[str, bool]] = []  # (tag, whether it opened a quote)
        self.pre = 0

    def _flush(self) -> None:
        self.lines.append((self.line_depth, self.current.strip()))
        self.current = ""
        self.line_depth = self.depth

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        classes = attributes.get("class", "")
        if tag in _SKIPPED:
            self.skipping += 1
            return
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag == "pre":
            self.pre += 1
        if tag == "li":
            self.current = "- "
        if tag == "hr":
            self.lines.append((self.depth, "_" * 32))
        quote = tag == "blockquote" or "gmail_quote" in classes or "moz-cite" in classes
        if quote and tag not in _BLOCK_TAGS:
            self._flush()  # a quote always starts on a line of its own
        if (
            "gmail_signature" in classes
            or "moz-signature" in classes
            or attributes.get("id", "").lower().startswith("signature")
        ):
            self.lines.append((self.depth, "-- "))
        if tag in ("br", "hr", "img", "meta", "link", "input"):
            return  # void elements are never closed
        self.stack.append((tag, quote))
        if quote:
            self.depth += 1
            self.line_depth = self.depth

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
        while any(open_tag == tag for open_tag, _ in self.stack):  # a stray end tag closes nothing
            open_tag, quote = self.stack.pop()
            if quote:
                self._flush()
                self.depth -= 1
                self.line_depth = self.depth
            if open_tag == tag:
                break
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.pre:
            parts = data.split("\n")
            for position, part in enumerate(parts):
                if position:
                    self._flush()
                self.current += part
            return
        text = re.sub(r"\s+", " ", data)
        if not self.current:
            text = text.lstrip()
            self.line_depth = self.depth
        self.current += text

    def text(self) -> str:
        self._flush()
        out: list[str] = []
        for depth, line in self.lines:
            if not line:
                if out and out[-1] != "":
                    out.append("")
                continue
            out.append(("> " * depth + line) if depth else line)
        return "\n".join(out).strip()


def html_to_text(html: str) -> str:
    """The text of an HTML e-mail body: tags stripped, entities decoded, one line per block;
    quoted blocks (``<blockquote>``, Gmail's ``gmail_quote``) marked with ``>`` so that
    :func:`split_reply` keeps them apart from the sender's words.

    >>> html_to_text("<p>We&#39;ll fix it <b>today</b>.</p><blockquote>Is it down?</blockquote>")
    "We'll fix it today.\\n\\n> Is it down?"
    """
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return re.sub(r"\n{3,}", "\n\n", parser.text())
