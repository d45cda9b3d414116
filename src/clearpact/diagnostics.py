"""The one vocabulary of problems shared by the loader, the linter and the CLI.

Pure data: nothing here prints, logs or reads files.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How much a problem matters: an error fails the run, a warning and info do not."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class SourceLocation:
    """Where a problem is: file, 1-based line and column, and the dotted key path.

    ``line`` and ``column`` are ``None`` when the path has no place in the source
    (a required key that is absent is located at its parent mapping instead).
    """

    file: str
    line: int | None = None
    column: int | None = None
    path: str = ""

    def __str__(self) -> str:
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"


@dataclass(frozen=True)
class Diagnostic:
    """One problem, with a stable code that is documented and greppable."""

    code: str
    severity: Severity
    message: str
    location: SourceLocation | None = None
    hint: str | None = None

    def render(self) -> str:
        """Compiler-style text that editors and CI annotate.

        >>> d = Diagnostic("CP102", Severity.ERROR, "unknown field 'x'", SourceLocation("a.yaml", 3, 5))
        >>> print(d.render())
        a.yaml:3:5: CP102 error: unknown field 'x'
        """
        where = f"{self.location}: " if self.location else ""
        text = f"{where}{self.code} {self.severity}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text
