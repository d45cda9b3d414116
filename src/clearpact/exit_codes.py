"""Exit codes of the ``clearpact`` command, one documented enum (README, "Exit codes")."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What the process exit status means."""

    OK = 0
    """Success; a lint run found no errors (warnings may exist)."""
    FINDINGS = 1
    """The input was read but has errors: invalid agreement, lint errors, or rejected CSV rows."""
    USAGE = 2
    """The command line was wrong, or a file could not be read at all."""
