"""The ``clearpact`` command: parse the command line, call one library function, render.

Commands: ``lint``, ``schema``, ``init`` (``agreement``), ``audit`` (``audit``), ``explain``,
``explain-ticket`` (``explain``), the ``calendar`` group (``elapsed``, ``due``), ``import`` and ``profiles``
(``ingest``), ``measure``, ``gaps``, ``health``, ``report`` and ``demo`` (``report``), the ``record`` group and ``obligations``
(``register``). Exit codes:
:class:`clearpact.exit_codes.ExitCode`. Each module registers its commands on ``app``.
"""

from __future__ import annotations

import logging

from clearpact.cli import (
    agreement,
    audit,
    calendar,
    explain,
    gaps,
    health,
    ingest,
    measure,
    register,
    report,
)
from clearpact.cli.app import app

__all__ = [
    "agreement",
    "app",
    "audit",
    "calendar",
    "explain",
    "gaps",
    "health",
    "ingest",
    "main",
    "measure",
    "register",
    "report",
]


def main() -> None:
    """Console-script entry point."""
    # pypdf logs what it repairs in a damaged PDF ("EOF marker not found"); the command
    # reports an unreadable file itself, so keep those lines off the user's terminal.
    logging.getLogger("pypdf").addHandler(logging.NullHandler())
    app()
