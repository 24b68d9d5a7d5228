"""What Word and PDF print of a long table: its first `PRINTED_ROWS` rows, and a note saying where the rest is.

Top management reads the documents; the full lists (every task of a 1,500-task plan, every budget line) are for
working in Excel, where they can be sorted and filtered. So a table longer than that prints its first rows and says
where all of them are: the Excel workbook that goes with the report (the sheet named), or the workbook of the
report the section comes from (the feasibility scheme carries the plan's sections, whose tables the implementation
plan's workbook holds), or, for a table no workbook holds, certprep's own pages. This also keeps a document's
length, and the time to lay it out, bounded whatever the engagement's size."""

from __future__ import annotations

from dataclasses import replace

from django.utils import translation
from django.utils.translation import ngettext

from certprep.core.documents import Block, Paragraph, Table
from certprep.reports.render import Content

PRINTED_ROWS = 40


def _note(block: Table, total: int, *, workbook: bool, held_by: str) -> str:
    values = {"shown": PRINTED_ROWS, "total": total, "sheet": block.sheet[:31], "report": held_by}
    if workbook and block.sheet:
        return (
            ngettext(
                "The first %(shown)s of %(total)s row; the Excel workbook, sheet “%(sheet)s”, holds it.",
                "The first %(shown)s of %(total)s rows; the Excel workbook, sheet “%(sheet)s”, holds them all.",
                total,
            )
            % values
        )
    if held_by and block.sheet:
        return (
            ngettext(
                "The first %(shown)s of %(total)s row; the Excel workbook of the report “%(report)s”, sheet "
                "“%(sheet)s”, holds it.",
                "The first %(shown)s of %(total)s rows; the Excel workbook of the report “%(report)s”, sheet "
                "“%(sheet)s”, holds them all.",
                total,
            )
            % values
        )
    return (
        ngettext(
            "The first %(shown)s of %(total)s row; certprep shows it on its pages.",
            "The first %(shown)s of %(total)s rows; certprep shows them all on its pages.",
            total,
        )
        % values
    )


def _printed_blocks(blocks: list[Block] | tuple[Block, ...], *, workbook: bool, held_by: str) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table) and len(block.rows) > PRINTED_ROWS:
            total = len(block.rows)
            values = None if block.values is None else block.values[:PRINTED_ROWS]
            out.append(replace(block, rows=block.rows[:PRINTED_ROWS], values=values))
            out.append(Paragraph(_note(block, total, workbook=workbook, held_by=held_by), "note"))
        else:
            out.append(block)
    return out


def printed(content: Content) -> Content:
    """The content as the documents print it (see the module): unchanged when no table is longer than
    PRINTED_ROWS."""
    if not any(isinstance(b, Table) and len(b.rows) > PRINTED_ROWS for s in content.sections for b in s.blocks):
        return content
    with translation.override(content.language):
        sections = [
            replace(
                section,
                blocks=_printed_blocks(list(section.blocks), workbook=content.workbook, held_by=section.held_by),
            )
            for section in content.sections
        ]
    return replace(content, sections=sections)
