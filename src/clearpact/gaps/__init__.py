"""Expectation gaps: commitments found in e-mails, compared with the agreement.

Domain logic: imports the agreement model, the calendar and the wording of ``explain``; reads no
files (``clearpact.ingest.emails`` does).
"""

from __future__ import annotations

from clearpact.gaps.commitments import Commitment, CommitmentKind, Measure, find_commitments
from clearpact.gaps.messages import Message, Reply, html_to_text, split_reply

__all__ = [
    "Commitment",
    "CommitmentKind",
    "Measure",
    "Message",
    "Reply",
    "find_commitments",
    "html_to_text",
    "split_reply",
]
