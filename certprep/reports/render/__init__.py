"""Drawing a report: the same content (certprep.core.documents blocks, gathered per section) as a Word document
(`docx.py`), a PDF (`pdf.py`) and, for its tables, an Excel workbook (`xlsx.py`). The renderers know no app and
no model: they take a `Content` and give bytes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from certprep.core.documents import Block


@dataclass(frozen=True)
class Section:
    """One section as drawn: its title (a level 1 heading) and its blocks. `held_by` names the report whose Excel
    workbook holds the section's tables when the report drawn has no workbook (the feasibility scheme's plan
    sections are in the implementation plan's workbook); empty when none does."""

    title: str
    blocks: Sequence[Block]
    held_by: str = ""


@dataclass(frozen=True)
class Content:
    """A whole report in one language: its title, the engagement's (organization's) name as subtitle, the
    language code ("en", "zh-hans"), the words of the cover and page furniture already translated, and the
    sections in order."""

    title: str
    subtitle: str
    language: str
    generated: str  # "Generated on 7 December 2026", in the report's language
    sections: Sequence[Section]
    contents_label: str  # "Contents" / "目录"
    page_label: str  # "Page %(page)s of %(pages)s", with both placeholders
    workbook: bool = False  # an Excel workbook of the tables goes with the documents (render/printed.py)
