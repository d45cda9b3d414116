"""The three renderings: HTML is well-formed and escapes the agreement's text, Markdown escapes
what would turn into markup, text is plain and wraps."""

from __future__ import annotations

from html.parser import HTMLParser

from clearpact.explain import Document, explain_agreement, render_html, render_markdown, render_text
from clearpact.explain.render import markdown_escape
from tests.conftest import build, example_data

VOID = {"meta", "br", "hr", "img", "link", "input"}


class TagBalance(HTMLParser):
    """Fails on any end tag that does not close the innermost open element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1]}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(page: str) -> TagBalance:
    parser = TagBalance()
    parser.feed(page)
    parser.close()
    assert parser.stack == [], f"unclosed: {parser.stack}"
    return parser


def hostile() -> Document:
    data = example_data("fully-managed-smb.yaml")
    data["title"] = 'Agreement <script>alert("x")</script> & *bold* | pipe'
    data["services"]["service-desk"]["name"] = "Desk </td></tr><b>"
    data["priorities"]["levels"]["P2"]["name"] = "High <i>"
    return explain_agreement(build(data))


def test_html_is_well_formed_for_every_example(
    smb: Document, enterprise: Document, vague: Document
) -> None:
    for document in (smb, enterprise, vague):
        page = render_html(document)
        assert page.startswith("<!DOCTYPE html>\n<html")
        parser = parsed(page)
        assert parser.tags.count("html") == 1
        assert "script" not in parser.tags
        assert "http" not in page.split("<body>")[0]  # nothing loaded from the network


def test_html_escapes_the_agreements_text() -> None:
    page = render_html(hostile())
    parser = parsed(page)
    assert "script" not in parser.tags
    assert "b" not in parser.tags
    assert "i" not in parser.tags
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; *bold*" in page
    assert 'Agreement <script>alert("x")</script> & *bold* | pipe' in "".join(parser.text)


def test_markdown_escapes_markup_characters() -> None:
    markdown = render_markdown(hostile())
    assert markdown.startswith(
        '# Agreement \\<script\\>alert("x")\\</script\\> & \\*bold\\* \\| pipe\n'
    )
    assert "Desk \\</td\\>\\</tr\\>\\<b\\>" in markdown
    assert markdown_escape("a|b") == "a\\|b"


def test_text_is_plain_and_fits_the_width(smb: Document, vague: Document) -> None:
    text = render_text(smb, width=80)
    assert "\x1b[" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "Not stated: The agreement does not say what happens at the end of the term." in (
        render_text(vague, width=80)
    )
    assert "│   1. Friday 2 January 16:30–17:30 counts 1h." in text
