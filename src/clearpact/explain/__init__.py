"""``clearpact explain``: the agreement in plain language, with worked examples measured by the
SLA clock, as text, Markdown or HTML.

``schedule`` builds a neutral :class:`Document` from the model (``terms``, ``service_levels``,
``credits``, ``worked``); ``render`` turns it into a format. Imports the agreement model, the
calendar and the clock kernel; nothing here reads files.
"""

from __future__ import annotations

from clearpact.explain.document import Document
from clearpact.explain.render import render_html, render_markdown, render_text, text_renderables
from clearpact.explain.schedule import explain_agreement

__all__ = [
    "Document",
    "explain_agreement",
    "render_html",
    "render_markdown",
    "render_text",
    "text_renderables",
]
