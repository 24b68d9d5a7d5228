"""What a report for top management is made of, written once and drawn three ways.

A report (the feasibility scheme, the survey results, the gap analysis, the plan, the budget, the vendor
comparison) is a sequence of sections; a section is a sequence of blocks. The blocks are plain data in the
reader's language: text already translated, figures already written for the reader (dates, amounts). The
reports app draws the same blocks as a Word document, as a PDF and, for the tables, as an Excel workbook; no
app writes a document format itself, and no renderer knows any app.

Each app declares what it adds to the reports in its `parts.py` (`EngagementPart.report_sections` and
`report_documents`, see certprep/core/parts.py):

- a `ReportSection` builds its blocks for one engagement; it is called inside `translation.override(language)`
  and must work with whatever data exists: a section whose data is missing says what is missing (a `Paragraph`
  with `tone="missing"`), it never fails and never leaves a blank;
- a `ReportDocument` names the sections it is made of by their keys, which may belong to any part: the
  feasibility scheme uses the plan's, the budget's and the vendors' sections without importing those apps.

This module sits below every app: blocks hold strings, numbers and SVG text only, never models.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.utils.functional import Promise

Tone = Literal["body", "lead", "note", "warning", "missing"]
Cell = str | int | Decimal | datetime.date | None


@dataclass(frozen=True)
class Heading:
    """A heading inside a section (the section's own title is level 1 and is drawn by the renderer): level 2 or 3."""

    text: str
    level: Literal[2, 3] = 2


@dataclass(frozen=True)
class Paragraph:
    """Running text. `tone` lets the renderers set it apart: "lead" for an opening summary, "note" for small print
    (sources, assumptions), "warning" for what needs attention, "missing" for data the engagement has not yet."""

    text: str
    tone: Tone = "body"


@dataclass(frozen=True)
class Bullets:
    items: Sequence[str]


@dataclass(frozen=True)
class KeyFigures:
    """A few figures a reader takes in at a glance (label, value), such as the 3-year total or the readiness score."""

    items: Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Table:
    """A table with a header row. `numeric` holds the indexes of columns that are right-aligned figures. `sheet`
    names the table's sheet in the report's Excel workbook (at most 31 characters there); a table without one is
    left out of the workbook (a table that only restates figures of another). `values`, when given, has the
    shape of `rows` and holds what the workbook's cells get instead of the written text: numbers as numbers,
    dates as dates, so a reader can compute with them (the pages' and documents' text stays in `rows`)."""

    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    caption: str = ""
    numeric: frozenset[int] = field(default_factory=frozenset)
    sheet: str = ""
    values: Sequence[Sequence[Cell]] | None = None


@dataclass(frozen=True)
class Figure:
    """A chart as the SVG text the pages show (drawn on the server, escaped). Word gets it as a picture, the PDF as
    vector graphics. `caption` says what it shows in words, for readers who cannot see it."""

    svg: str
    caption: str
    width_mm: int = 160


@dataclass(frozen=True)
class PageBreak:
    """Starts the next block on a new page (after the one-page decision brief, say)."""


Block = Heading | Paragraph | Bullets | KeyFigures | Table | Figure | PageBreak


@dataclass(frozen=True, kw_only=True)
class ReportSection[E]:
    """One section a part contributes. `key` is "<part key>.<name>" ("budget.costs"); `title` is the section's
    heading (level 1); `build` gives its blocks for an engagement, in the active language."""

    key: str
    title: str | Promise
    build: Callable[[E], Sequence[Block]]


@dataclass(frozen=True, kw_only=True)
class ReportDocument:
    """A report the reports page offers: its `key` (also in file names), its title and a sentence saying what it
    is for, the keys of its sections in order, and whether its tables also go out as an Excel workbook."""

    key: str
    title: str | Promise
    description: str | Promise
    sections: Sequence[str]
    tabular: bool = False


_reads: ContextVar[dict[Hashable, Any] | None] = ContextVar("certprep_report_reads", default=None)


@contextmanager
def reads_shared() -> Iterator[None]:
    """While a report build runs: what sections read through `read_once` is read once for all of them (several
    sections of the gap analysis start from the same readiness dashboard). Outside, nothing is kept."""
    token = _reads.set({})
    try:
        yield
    finally:
        _reads.reset(token)


def read_once[T](key: Hashable, read: Callable[[], T]) -> T:
    """`read()`, or inside `reads_shared` the value read first for `key`. The key names everything the value
    depends on: the engagement, and the language when the value holds words ("gaps.dashboard", 12, "zh-hans")."""
    kept = _reads.get()
    if kept is None:
        return read()
    if key not in kept:
        kept[key] = read()
    return kept[key]  # type: ignore[no-any-return]
