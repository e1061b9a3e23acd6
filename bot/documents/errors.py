"""Why a document could not be made or read: a broken template, an unusable workbook."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class TemplateError(Exception):
    """A .docx template cannot be rendered; the message names the file and the bad tag."""

    def __init__(self, message: str, *, template: Path, tag: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.template = template
        self.tag = tag


@dataclass(frozen=True)
class WorkbookProblem:
    """One thing wrong in an uploaded workbook, located as precisely as it can be."""

    sheet: str | None
    row: int | None
    column: str | None  # a column letter such as "G"
    message: str

    @property
    def location(self) -> str:
        """Return the place: 'PK!G7', else 'PK baris 7' or 'PK kolom G', 'PK', or ''."""
        if self.sheet is None:
            return ""
        if self.column and self.row:
            return f"{self.sheet}!{self.column}{self.row}"
        if self.row:
            return f"{self.sheet} baris {self.row}"
        if self.column:
            return f"{self.sheet} kolom {self.column}"
        return self.sheet

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class WorkbookError(Exception):
    """A workbook cannot be used as it is; ``problems`` lists every reason found."""

    def __init__(self, problems: list[WorkbookProblem]) -> None:
        self.problems = problems
        super().__init__(self.report())

    def report(self) -> str:
        """Render the problems one a line, each with its place, for the person who sent it."""
        return "\n".join(str(problem) for problem in self.problems)
