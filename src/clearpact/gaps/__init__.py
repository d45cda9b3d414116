"""Expectation gaps: commitments found in e-mails, compared with the agreement.

Domain logic: imports the agreement model, the calendar and the wording of ``explain``; reads no
files (``clearpact.ingest.emails`` does).
"""

from __future__ import annotations

from clearpact.gaps.commitments import Commitment, CommitmentKind, Measure, find_commitments
from clearpact.gaps.compare import Assessment, Gap, GapKind, Party, assess, find_gaps
from clearpact.gaps.messages import Message, Reply, html_to_text, split_reply

__all__ = [
    "Assessment",
    "Commitment",
    "CommitmentKind",
    "Gap",
    "GapKind",
    "Measure",
    "Message",
    "Party",
    "Reply",
    "assess",
    "find_commitments",
    "find_gaps",
    "html_to_text",
    "split_reply",
]
